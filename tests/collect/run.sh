#!/bin/sh
# tests/collect/run.sh: test scripts/collect-aws-snapshot against
# tests/collect/fake-aws (never the real AWS CLI, never the network).
#
# Usage: sh tests/collect/run.sh
#   COLLECT_SHELL="bash --posix" sh tests/collect/run.sh
#       runs the collector under that shell instead of its #! line.
#
# Prints `ok - NAME` / `not ok - NAME` per check and ends with
# `N passed, M failed`; exits 1 if anything failed.

set -u

here=$(cd "$(dirname "$0")" && pwd -P) || exit 1
root=$(cd "$here/../.." && pwd -P) || exit 1
script="$root/scripts/collect-aws-snapshot"
fake="$here/fake-aws"
collect_shell=${COLLECT_SHELL:-}

ACCOUNT=123456789012
REGION=us-east-1
VPC1=vpc-0a1b2c3d4e5f60001
VPC2=vpc-0a1b2c3d4e5f60002
PL=pl-0123456789abcdef0
NOTEBOOK=ml-research-notebook
TRAINING_JOB=xgboost-churn-2024-05-01-12-00-00-123

passed=0
failed=0

ok() {
    passed=$((passed + 1))
    printf 'ok - %s\n' "$1"
}

not_ok() {
    failed=$((failed + 1))
    printf 'not ok - %s\n' "$1"
    if [ "$#" -ge 2 ]; then
        printf '%s\n' "$2" | sed 's/^/#   /'
    fi
}

# check NAME COMMAND...: ok if COMMAND succeeds.
check() {
    _name=$1
    shift
    if "$@"; then ok "$_name"; else not_ok "$_name"; fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mlvpc-collect-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Put a fake `aws` first on PATH; keep the user's AWS settings out of it.
mkdir "$tmp/bin" "$tmp/empty-bin"
cat >"$tmp/bin/aws" <<'EOF'
#!/bin/sh
exec sh "$FAKE_AWS_IMPL" "$@"
EOF
chmod +x "$tmp/bin/aws"
FAKE_AWS_IMPL=$fake
export FAKE_AWS_IMPL
unset AWS_REGION AWS_DEFAULT_REGION AWS_PROFILE AWS_DEFAULT_PROFILE \
    FAKE_AWS_FAIL FAKE_AWS_EMPTY_TEXT 2>/dev/null || true
testpath="$tmp/bin:$PATH"

# collect NAME ARGS...: run the collector with the fake aws; output in
# $tmp/NAME.out, $tmp/NAME.err, aws argv log in $tmp/NAME.log, status in $rc.
collect() {
    _n=$1
    shift
    FAKE_AWS_LOG="$tmp/$_n.log"
    export FAKE_AWS_LOG
    : >"$FAKE_AWS_LOG"
    rc=0
    # shellcheck disable=SC2086 # COLLECT_SHELL may carry options
    PATH=$testpath ${collect_shell:+$collect_shell} "$script" "$@" \
        >"$tmp/$_n.out" 2>"$tmp/$_n.err" </dev/null || rc=$?
}

# files_under DIR: sorted list of all regular files (hidden ones too), relative.
files_under() {
    (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
}

# JSON validation: python3 preferred, jq otherwise.
json_tool=
if command -v python3 >/dev/null 2>&1 && python3 -c 'import json' 2>/dev/null; then
    json_tool=python3
elif command -v jq >/dev/null 2>&1; then
    json_tool=jq
fi

# json_valid FILE...: prints the names of invalid files; fails if any.
json_valid() {
    case $json_tool in
        python3)
            python3 - "$@" <<'EOF'
import json, sys
bad = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            json.load(f)
    except Exception as e:  # noqa: BLE001
        print("%s: %s" % (path, e))
        bad += 1
sys.exit(1 if bad else 0)
EOF
            ;;
        jq)
            _bad=0
            for _f in "$@"; do
                jq empty "$_f" >/dev/null 2>&1 || { printf '%s: invalid JSON\n' "$_f"; _bad=1; }
            done
            return "$_bad"
            ;;
    esac
}

# ------------------------------------------------------------ static ---

check "collector exists and is executable" test -x "$script"
check "fake aws exists" test -f "$fake"
if command -v dash >/dev/null 2>&1; then
    check "collector parses under dash -n" dash -n "$script"
else
    ok "collector parses under dash -n # SKIP dash not installed"
fi

# ------------------------------------------------------ full run ---

collect full -r "$REGION" -o "$tmp/full"
d="$tmp/full/aws_configs/accounts/$ACCOUNT/$REGION"
if [ "$rc" -eq 0 ]; then
    ok "full run exits 0"
else
    not_ok "full run exits 0" "exit $rc; stderr: $(cat "$tmp/full.err")"
fi

expected="$tmp/expected-files"
{
    for k in Vpcs Subnets RouteTables SecurityGroups NetworkAcls \
        NetworkInterfaces InternetGateways EgressOnlyInternetGateways \
        NatGateways VpcEndpoints ManagedPrefixLists DhcpOptions \
        VpcPeeringConnections FlowLogs Reservations Addresses; do
        printf 'aws_configs/accounts/%s/%s/%s.json\n' "$ACCOUNT" "$REGION" "$k"
    done
    for v in "$VPC1" "$VPC2"; do
        for a in enableDnsSupport enableDnsHostnames; do
            printf 'aws_configs/accounts/%s/%s/vpc-attributes/%s-%s.json\n' \
                "$ACCOUNT" "$REGION" "$v" "$a"
        done
    done
    printf 'aws_configs/accounts/%s/%s/prefix-list-entries/%s.json\n' \
        "$ACCOUNT" "$REGION" "$PL"
    printf 'aws_configs/accounts/%s/%s/sagemaker/notebook-instance-%s.json\n' \
        "$ACCOUNT" "$REGION" "$NOTEBOOK"
    printf 'aws_configs/accounts/%s/%s/sagemaker/training-job-%s.json\n' \
        "$ACCOUNT" "$REGION" "$TRAINING_JOB"
    printf 'aws_configs/accounts/%s/%s/sagemaker/tags-notebook-instance-%s.json\n' \
        "$ACCOUNT" "$REGION" "$NOTEBOOK"
    printf 'aws_configs/accounts/%s/%s/sagemaker/tags-training-job-%s.json\n' \
        "$ACCOUNT" "$REGION" "$TRAINING_JOB"
} | LC_ALL=C sort >"$expected"
nexpected=$(wc -l <"$expected" | tr -d ' ')

if [ -d "$tmp/full" ]; then
    files_under "$tmp/full" >"$tmp/full.files"
else
    : >"$tmp/full.files"
fi
if cmp -s "$expected" "$tmp/full.files"; then
    ok "exact set of files produced ($nexpected)"
else
    not_ok "exact set of files produced ($nexpected)" \
        "$(diff "$expected" "$tmp/full.files" 2>&1)"
fi

if [ -z "$json_tool" ]; then
    ok "every produced file is valid JSON # SKIP neither python3 nor jq found"
else
    # shellcheck disable=SC2046 # file names are fixed, space-free
    if out=$(cd "$tmp/full" && json_valid $(cat "$tmp/full.files") 2>&1) &&
        [ -s "$tmp/full.files" ]; then
        ok "every produced file is valid JSON ($json_tool)"
    else
        not_ok "every produced file is valid JSON ($json_tool)" "$out"
    fi
fi

# Raw CLI output is stored unchanged.
FAKE_AWS_LOG=/dev/null sh "$fake" ec2 describe-vpcs --output json \
    --region "$REGION" >"$tmp/vpcs.raw" 2>/dev/null
check "Vpcs.json is the raw describe-vpcs output" cmp -s "$tmp/vpcs.raw" "$d/Vpcs.json"
check "ManagedPrefixLists.json holds the PrefixLists key" \
    grep -q '"PrefixLists"' "$d/ManagedPrefixLists.json"
check "Subnets.json is the empty list as AWS prints it" \
    grep -q '"Subnets": \[\]' "$d/Subnets.json"

plf="$d/prefix-list-entries/$PL.json"
case $json_tool in
    python3)
        check "prefix-list-entries wrapper has PrefixListId and Entries" \
            python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["PrefixListId"] == sys.argv[2], d
assert [e["Cidr"] for e in d["Entries"]] == ["192.0.2.0/24", "198.51.100.0/24"], d
assert d["Entries"][0]["Description"] == "corp proxy, \"primary\" site", d
assert sorted(d) == ["Entries", "PrefixListId"], d
' "$plf" "$PL"
        ;;
    jq)
        pl_wrapper_ok() {
            # shellcheck disable=SC2016 # $pl is a jq variable
            jq -e --arg pl "$PL" \
                '.PrefixListId == $pl and (keys == ["Entries", "PrefixListId"]) and (.Entries | map(.Cidr)) == ["192.0.2.0/24", "198.51.100.0/24"]' \
                "$plf" >/dev/null
        }
        check "prefix-list-entries wrapper has PrefixListId and Entries" pl_wrapper_ok
        ;;
    *)
        check "prefix-list-entries wrapper has PrefixListId and Entries" \
            grep -q "^{\"PrefixListId\": \"$PL\"," "$plf"
        ;;
esac

attr_ok=true
attr_msg=
for v in "$VPC1" "$VPC2"; do
    for a in enableDnsSupport enableDnsHostnames; do
        f="$d/vpc-attributes/$v-$a.json"
        key=$(printf '%s' "$a" | sed 's/^e/E/')
        if [ ! -f "$f" ]; then
            attr_ok=false
            attr_msg="$attr_msg missing $f"
        elif ! grep -q "\"VpcId\": \"$v\"" "$f" || ! grep -q "\"$key\"" "$f"; then
            attr_ok=false
            attr_msg="$attr_msg wrong content in $f"
        fi
    done
done
if $attr_ok; then
    ok "vpc-attributes for 2 VPCs x 2 attributes"
else
    not_ok "vpc-attributes for 2 VPCs x 2 attributes" "$attr_msg"
fi

check "SageMaker notebook described" \
    grep -q "\"NotebookInstanceName\": \"$NOTEBOOK\"" \
    "$d/sagemaker/notebook-instance-$NOTEBOOK.json"
check "SageMaker training job described" \
    grep -q "\"TrainingJobName\": \"$TRAINING_JOB\"" \
    "$d/sagemaker/training-job-$TRAINING_JOB.json"

# Every aws call carries --region; the call count matches exactly:
# 1 sts + 16 describe + 1 vpc list + 4 attributes + 1 prefix-list list
# + 1 entries + 14 SageMaker lists + 2 SageMaker describes + 2 list-tags = 42.
ncalls=$(wc -l <"$tmp/full.log" | tr -d ' ')
if [ "$ncalls" -gt 0 ] && ! grep -v -e "--region $REGION\$" -e "--region $REGION " \
    "$tmp/full.log" >/dev/null; then
    ok "--region passed on every aws call ($ncalls calls)"
else
    not_ok "--region passed on every aws call ($ncalls calls)" "$(cat "$tmp/full.log")"
fi
check "42 aws calls, none repeated" \
    test "$ncalls" -eq 42 -a "$(LC_ALL=C sort -u "$tmp/full.log" | wc -l | tr -d ' ')" -eq 42
check "account id taken from sts get-caller-identity" \
    grep -q '^sts get-caller-identity --query Account --output text' "$tmp/full.log"
if grep -v -e '--output json' -e '--output text' "$tmp/full.log" >/dev/null; then
    not_ok "--output given on every aws call"
else
    ok "--output given on every aws call"
fi
if grep -e '--no-paginate' -e '--profile' "$tmp/full.log" >/dev/null; then
    not_ok "no --no-paginate, no --profile unless asked"
else
    ok "no --no-paginate, no --profile unless asked"
fi
if grep -q "^collect-aws-snapshot: wrote $nexpected files to .*/aws_configs/accounts/$ACCOUNT/$REGION\$" \
    "$tmp/full.err" && [ "$(wc -l <"$tmp/full.err" | tr -d ' ')" -eq 1 ]; then
    ok "one summary line on stderr"
else
    not_ok "one summary line on stderr" "$(cat "$tmp/full.err")"
fi
check "nothing on stdout" test ! -s "$tmp/full.out"

# ------------------------------------- `None` from text list queries ---

FAKE_AWS_EMPTY_TEXT=None
export FAKE_AWS_EMPTY_TEXT
collect none -r "$REGION" -o "$tmp/none"
unset FAKE_AWS_EMPTY_TEXT
if [ "$rc" -eq 0 ] && [ -d "$tmp/none" ] &&
    files_under "$tmp/none" | cmp -s "$expected" -; then
    ok "'None' from an empty text list is treated as empty"
else
    not_ok "'None' from an empty text list is treated as empty" \
        "exit $rc; $(cat "$tmp/none.err")"
fi

# -------------------------- profile, given account, env region, no SM ---

AWS_REGION=eu-west-1
export AWS_REGION
collect prof -p ml-audit -a 999999999999 -o "$tmp/prof" --no-sagemaker
unset AWS_REGION
pd="$tmp/prof/aws_configs/accounts/999999999999/eu-west-1"
check "-p/-a/--no-sagemaker run exits 0 (region from AWS_REGION)" \
    test "$rc" -eq 0 -a -f "$pd/Vpcs.json"
if [ -s "$tmp/prof.log" ] &&
    ! grep -v -e '--region eu-west-1 --profile ml-audit$' "$tmp/prof.log" >/dev/null; then
    ok "--region and --profile passed on every aws call"
else
    not_ok "--region and --profile passed on every aws call" "$(cat "$tmp/prof.log")"
fi
if grep -q -e '^sts ' -e '^sagemaker ' "$tmp/prof.log" || [ -e "$pd/sagemaker" ]; then
    not_ok "no sts call with -a, no SageMaker with --no-sagemaker"
else
    ok "no sts call with -a, no SageMaker with --no-sagemaker"
fi

AWS_DEFAULT_REGION=ap-southeast-2
export AWS_DEFAULT_REGION
collect defreg -o "$tmp/defreg" --no-sagemaker
unset AWS_DEFAULT_REGION
check "region falls back to AWS_DEFAULT_REGION" \
    test "$rc" -eq 0 -a -f "$tmp/defreg/aws_configs/accounts/$ACCOUNT/ap-southeast-2/Vpcs.json"

mkdir "$tmp/cwd"
FAKE_AWS_LOG=/dev/null
rc=0
(cd "$tmp/cwd" && PATH=$testpath ${collect_shell:+$collect_shell} "$script" \
    -r "$REGION" --no-sagemaker >/dev/null 2>&1) || rc=$?
check "OUTDIR defaults to ./snapshot" \
    test "$rc" -eq 0 -a -f "$tmp/cwd/snapshot/aws_configs/accounts/$ACCOUNT/$REGION/Vpcs.json"

# ------------------------------------------------------------ failures ---

FAKE_AWS_FAIL=ec2:describe-subnets
export FAKE_AWS_FAIL
collect fail -r "$REGION" -o "$tmp/fail"
unset FAKE_AWS_FAIL
fd="$tmp/fail/aws_configs/accounts/$ACCOUNT/$REGION"
check "failing aws call: non-zero exit" test "$rc" -ne 0
if grep -qx 'collect-aws-snapshot: aws ec2 describe-subnets failed (exit 254)' "$tmp/fail.err"; then
    ok "failing aws call: error message"
else
    not_ok "failing aws call: error message" "$(cat "$tmp/fail.err")"
fi
check "failing aws call: AWS error passed through on stderr" \
    grep -q 'An error occurred (UnauthorizedOperation) when calling the DescribeSubnets operation' \
    "$tmp/fail.err"
check "failing aws call: no Subnets.json" test ! -e "$fd/Subnets.json"
check "failing aws call: earlier files kept" test -f "$fd/Vpcs.json"
if [ -d "$tmp/fail" ] && [ -z "$(find "$tmp/fail" -name '.*' -type f)" ]; then
    ok "failing aws call: no temporary files left"
else
    not_ok "failing aws call: no temporary files left" "$(find "$tmp/fail" -type f 2>&1)"
fi

# A failure must not clobber the previous file of the same name.
cp "$d/Vpcs.json" "$tmp/vpcs.before"
FAKE_AWS_FAIL=ec2:describe-vpcs
export FAKE_AWS_FAIL
collect refail -r "$REGION" -o "$tmp/full"
unset FAKE_AWS_FAIL
if [ "$rc" -ne 0 ] && cmp -s "$tmp/vpcs.before" "$d/Vpcs.json" &&
    [ -z "$(find "$tmp/full" -name '.*' -type f)" ]; then
    ok "failing re-run leaves the existing Vpcs.json intact"
else
    not_ok "failing re-run leaves the existing Vpcs.json intact" "exit $rc"
fi

FAKE_AWS_FAIL=sagemaker:list-models
export FAKE_AWS_FAIL
collect smfail -r "$REGION" -o "$tmp/smfail"
unset FAKE_AWS_FAIL
if [ "$rc" -ne 0 ] &&
    grep -qx 'collect-aws-snapshot: aws sagemaker list-models failed (exit 254)' "$tmp/smfail.err"; then
    ok "failing list query: non-zero exit and message"
else
    not_ok "failing list query: non-zero exit and message" "exit $rc; $(cat "$tmp/smfail.err")"
fi

# --------------------------------------------------------------- usage ---

collect badopt -r "$REGION" -o "$tmp/badopt" --bogus
if [ "$rc" -eq 2 ] && grep -q '^Usage: collect-aws-snapshot' "$tmp/badopt.err" &&
    [ ! -s "$tmp/badopt.out" ] && [ ! -s "$tmp/badopt.log" ]; then
    ok "unknown option: exit 2, usage on stderr"
else
    not_ok "unknown option: exit 2, usage on stderr" "exit $rc; $(cat "$tmp/badopt.err")"
fi

collect noarg -r
check "missing option argument: exit 2" test "$rc" -eq 2 -a ! -s "$tmp/noarg.out"

collect noregion -o "$tmp/noregion"
if [ "$rc" -eq 2 ] && grep -q 'region' "$tmp/noregion.err" && [ ! -s "$tmp/noregion.log" ]; then
    ok "no region anywhere: exit 2"
else
    not_ok "no region anywhere: exit 2" "exit $rc; $(cat "$tmp/noregion.err")"
fi

collect help --help
if [ "$rc" -eq 0 ] && grep -q '^Usage: collect-aws-snapshot' "$tmp/help.out" &&
    grep -q -e '--no-sagemaker' "$tmp/help.out" && [ ! -s "$tmp/help.err" ]; then
    ok "--help: exit 0, usage on stdout"
else
    not_ok "--help: exit 0, usage on stdout" "exit $rc"
fi
collect h -h
check "-h: exit 0, usage on stdout" test "$rc" -eq 0 -a -s "$tmp/h.out"

# aws not on PATH at all.
set --
if [ -n "$collect_shell" ]; then
    # shellcheck disable=SC2086
    set -- $collect_shell
    sut=$(command -v "$1")
    shift
else
    sut=
fi
rc=0
PATH="$tmp/empty-bin" ${sut:+"$sut"} "$@" "$script" -r "$REGION" -o "$tmp/noaws" \
    >"$tmp/noaws.out" 2>"$tmp/noaws.err" </dev/null || rc=$?
set --
if [ "$rc" -eq 2 ] && grep -q 'aws.*not found' "$tmp/noaws.err" && [ ! -e "$tmp/noaws" ]; then
    ok "aws missing from PATH: clear message, exit 2"
else
    not_ok "aws missing from PATH: clear message, exit 2" "exit $rc; $(cat "$tmp/noaws.err")"
fi

printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
