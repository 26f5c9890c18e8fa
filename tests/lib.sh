# Shared by the shell test suites (sourced, POSIX sh): TAP-like lines and a
# summary.
#   check NAME CMD...   runs CMD; prints "ok - NAME" or "not ok - NAME"
#                       (with CMD's output, indented, when $check_log is set)
#   finish SUITE        prints "SUITE: P passed, F failed"; its status is the verdict
#   suite_init BIN      $bin made absolute, the repository root ($root, set by
#                       the caller) the working directory, $tmp a scratch
#                       directory removed at exit
passed=0
failed=0
check() {
    name=$1
    shift
    if [ -n "${check_log:-}" ]; then
        "$@" >"$check_log" 2>&1
    else
        "$@"
    fi
    if [ $? -eq 0 ]; then
        echo "ok - $name"
        passed=$((passed + 1))
    else
        echo "not ok - $name"
        [ -n "${check_log:-}" ] && sed 's/^/    /' "$check_log"
        failed=$((failed + 1))
    fi
}
finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
suite_init() {
    bin=$1
    case $bin in /*) ;; *) bin=$root/$bin ;; esac
    cd "$root" || exit 2
    tmp=$(mktemp -d) || exit 2
    trap 'rm -rf "$tmp"' EXIT
}
