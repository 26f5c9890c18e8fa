#!/bin/sh
# Self-test of the SARIF validation harness: samples/good.sarif must pass validate.sh, and every
# other samples/*.sarif (bad.sarif, bad-enum.sarif) must be rejected with exit status 1.
# usage: tests/sarif/selftest.sh        (exit 0 when every expectation holds)

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || exit 2
passed=0
failed=0
for sample in "$here"/samples/*.sarif; do
    name=${sample#"$here"/}
    case $name in
        samples/good*) want=0 ;;
        *) want=1 ;;
    esac
    "$here/validate.sh" "$sample" >"${TMPDIR:-/tmp}/sarif-selftest.$$" 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then
        passed=$((passed + 1))
        printf 'ok   %s (exit %s)\n' "$name" "$got"
    else
        failed=$((failed + 1))
        printf 'FAIL %s: exit %s, expected %s\n' "$name" "$got" "$want"
        sed 's/^/    /' "${TMPDIR:-/tmp}/sarif-selftest.$$"
    fi
done
rm -f "${TMPDIR:-/tmp}/sarif-selftest.$$"
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
