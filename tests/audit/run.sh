#!/bin/sh
# Paired fixtures: every rule is checked on two variants of a bundled example
# that differ in exactly one field or link (pairs.txt). The "pass" variant
# must give no finding of the rule with the expected status; the "fail"
# variant must give at least one (at the stated severity, when given).
# Both variants are made from the same base by jq, and the runner checks that
# they differ in one file only, so no inverted verdict can survive.
#
# pairs.txt: one pair a line, fields separated by " ;; ":
#   RULE ;; BASE ;; FILE ;; PASS-FILTER ;; FAIL-FILTER ;; STATUS[:SEVERITY]
# BASE is secure or insecure (examples/sagemaker-BASE), FILE is relative to
# its region directory, a filter is a jq program or DELETE (remove the file).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"
suite_init "$1"
region=aws_configs/accounts/111122223333/us-east-1
passed=0 failed=0 n=0

# Common jq definitions for the filters.
defs='def sg(n): .SecurityGroups[] | select(.GroupName == n);
def rtb(id): .RouteTables[] | select(.RouteTableId == id);
def acl(id): .NetworkAcls[] | select(.NetworkAclId == id);
def vpce(s): .VpcEndpoints[] | select(.ServiceName == "com.amazonaws.us-east-1." + s);
def subnet(id): .Subnets[] | select(.SubnetId == id);'

# make VARIANT-DIR BASE FILE FILTER
make_variant() {
    rm -rf "$1"
    cp -r "examples/sagemaker-$2" "$1"
    f="$1/$region/$3"
    if [ "$4" = DELETE ]; then
        rm -f "$f"
    elif ! jq "$defs $4" "$f" >"$f.new" 2>"$tmp/jq.err"; then
        echo "bad filter for $3: $4"; cat "$tmp/jq.err"; return 1
    else
        mv "$f.new" "$f"
    fi
}

# count DIR RULE STATUS SEVERITY: findings of RULE with that status (and severity)
count() {
    "$bin" audit "$1" --rules "$2" --format json -q >"$tmp/out.json" 2>"$tmp/err"
    rc=$?
    if [ $rc -ge 2 ]; then echo "audit failed ($rc):" >&2; cat "$tmp/err" >&2; echo -1; return; fi
    jq --arg r "$2" --arg s "$3" --arg v "$4" \
        '[.findings[] | select(.rule == $r and .status == $s and ($v == "" or .severity == $v))] | length' "$tmp/out.json"
}

while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    n=$((n + 1))
    rule=$(printf '%s' "$line" | awk -F' ;; ' '{print $1}')
    base=$(printf '%s' "$line" | awk -F' ;; ' '{print $2}')
    file=$(printf '%s' "$line" | awk -F' ;; ' '{print $3}')
    pass=$(printf '%s' "$line" | awk -F' ;; ' '{print $4}')
    fail=$(printf '%s' "$line" | awk -F' ;; ' '{print $5}')
    want=$(printf '%s' "$line" | awk -F' ;; ' '{print $6}')
    status=${want%%:*}
    sev=
    case $want in *:*) sev=${want#*:} ;; esac
    ok=1
    make_variant "$tmp/pass" "$base" "$file" "$pass" || ok=0
    make_variant "$tmp/fail" "$base" "$file" "$fail" || ok=0
    if [ $ok = 1 ]; then
        # One file differs, and it does differ.
        ndiff=$(diff -rq "$tmp/pass" "$tmp/fail" | wc -l)
        [ "$ndiff" -eq 1 ] || { echo "  $ndiff files differ (expected 1)"; ok=0; }
        p=$(count "$tmp/pass" "$rule" "$status" "")
        f=$(count "$tmp/fail" "$rule" "$status" "$sev")
        [ "$p" = 0 ] || { echo "  pass variant: $p $status finding(s) of $rule"; ok=0; }
        [ "$f" -ge 1 ] 2>/dev/null || { echo "  fail variant: no $status${sev:+ $sev} finding of $rule"; ok=0; }
    fi
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
        echo "ok - $n $rule ($file: $fail)"
    else
        failed=$((failed + 1))
        echo "not ok - $n $rule ($file: $fail)"
    fi
done <"$here/pairs.txt"

# Every rule of the catalogue has at least one pair.
for id in $("$bin" rules --format json | jq -r '.[].id'); do
    if ! grep -q "^$id ;; " "$here/pairs.txt"; then
        echo "not ok - $id has no paired fixture"
        failed=$((failed + 1))
    fi
done
echo "audit pairs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
