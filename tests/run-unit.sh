#!/bin/sh
# Run every cmocka test binary given; print a total line and fail if any failed.
passed=0 failed=0
for t in "$@"; do
    if "$t"; then
        passed=$((passed + 1))
    else
        echo "unit: FAILED: $t" >&2
        failed=$((failed + 1))
    fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
