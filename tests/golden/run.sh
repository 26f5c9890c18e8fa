#!/bin/sh
# Golden end-to-end tests: each tests/golden/cases/NAME.args holds the
# arguments of one mlvpc run (paths relative to the repository root); the
# expected stdout, stderr and exit code are NAME.out, NAME.err, NAME.rc.
# UPDATE=1 rewrites the expectations from the binary under test.
set -u
# Waiver expiry reads today's date: pin it (2026-01-01).
export SOURCE_DATE_EPOCH=1767225600
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
suite_init "$1"
passed=0 failed=0
for args in tests/golden/cases/*.args; do
    name=${args%.args}
    # shellcheck disable=SC2046 # word splitting of the argument file is intended
    "$bin" $(cat "$args") >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$tmp/out" "$name.out"
        cp "$tmp/err" "$name.err"
        cp "$tmp/rc" "$name.rc"
    fi
    ok=1
    for part in out err rc; do
        if ! cmp -s "$tmp/$part" "$name.$part"; then
            ok=0
            echo "not ok - $(basename "$name") ($part differs)"
            diff -u "$name.$part" "$tmp/$part" | head -40
        fi
    done
    if [ $ok = 1 ]; then
        echo "ok - $(basename "$name")"
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
# docs/rules.md is generated from the rules' metadata: it must be current.
"$bin" rules --format markdown >"$tmp/rules.md"
[ "${UPDATE:-0}" = 1 ] && cp "$tmp/rules.md" docs/rules.md
if cmp -s "$tmp/rules.md" docs/rules.md; then
    echo "ok - docs/rules.md"
    passed=$((passed + 1))
else
    echo "not ok - docs/rules.md is stale (make golden-update)"
    diff -u docs/rules.md "$tmp/rules.md" | head -20
    failed=$((failed + 1))
fi
echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
