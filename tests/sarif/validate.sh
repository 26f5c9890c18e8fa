#!/bin/sh
# Validate SARIF 2.1.0 files the way GitHub code scanning will judge them.
#
# usage: tests/sarif/validate.sh [-w] [-v] FILE...
#   -w  allow warnings (by default a warning fails the file, like an error)
#   -v  also print the validator's notes (advice only; they never fail a file)
#
# Two checks per file, both must pass:
#   1. checks.cjs (node + ajv): the SARIF 2.1.0 JSON schema shipped in the Multitool package,
#      needed because sarif-multitool 5.7.0 silently skips a file with an unknown enum value
#      (e.g. result.level "high": no finding, exit code 0); then consistency checks the
#      Multitool lacks: C1 ruleIndex names the rule of ruleId, C2 every ruleId is described in
#      tool.driver.rules, C3 security-severity is a string holding 0.0-10.0.
#   2. sarif-multitool validate with rule kinds Sarif;Gh;Ghas (the SARIF spec rules SARIF1xxx/2xxx,
#      its own JSON-schema rules JSON*, and the GitHub ingestion rules GH1xxx/GH2xxx), with
#      validation.config.xml enabling GH1001-GH1007, which the tool ships disabled. The tool writes
#      its findings as a SARIF log (-o); this script counts them with jq, because the tool's exit
#      code is 0 even for some errors (all GHxxxx errors, for instance).
#
# Exit status: 0 every file valid; 1 a file has an error (or a warning without -w), or the
# validator could not analyse it; 2 usage error or the validator cannot be installed or run.
# The first run installs the pinned validator with `npm ci` into tests/sarif/node_modules.

set -u

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || exit 2

allow_warnings=0
verbose=0
while [ $# -gt 0 ]; do
    case $1 in
        -w|--allow-warnings) allow_warnings=1; shift ;;
        -v|--verbose) verbose=1; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) printf 'validate.sh: unknown option %s\n' "$1" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ $# -eq 0 ]; then
    printf 'usage: %s [-w] [-v] FILE...\n' "$0" >&2
    exit 2
fi

for tool in node npm jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        printf 'validate.sh: %s is required but not installed\n' "$tool" >&2
        exit 2
    fi
done

tool_dir=$here/node_modules/@microsoft/sarif-multitool-linux
multitool=$tool_dir/Sarif.Multitool
if [ ! -f "$multitool" ] || [ ! -d "$here/node_modules/ajv-formats" ]; then
    printf 'validate.sh: installing the pinned validator (npm ci in %s)\n' "$here" >&2
    if ! npm ci --prefix "$here" --no-audit --no-fund >&2; then
        printf 'validate.sh: npm ci failed\n' >&2
        exit 2
    fi
fi
if [ ! -f "$multitool" ]; then
    printf 'validate.sh: %s is missing after npm ci (not linux-x64/arm64?)\n' "$multitool" >&2
    exit 2
fi
# The package's postinstall only does this chmod; npm may skip install scripts.
[ -x "$multitool" ] || chmod u+x "$multitool" || exit 2

# The Multitool is a .NET program: without this it needs libicu, which a minimal Debian lacks;
# the validator's output is the same either way.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT DOTNET_CLI_TELEMETRY_OPTOUT

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sarif-validate.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# Counts the validator's own log, one finding per line: "LEVEL<TAB>RULE". A result without
# "level" is a warning (the default of SARIF's result.level and of the validator's rules).
# Notifications: a problem of the tool run itself (e.g. ERR998, an exception in a rule) counts
# at its level; WRN999 is the tool noting that validation.config.xml disables SARIF2006.
# shellcheck disable=SC2016 # jq program, not shell expansions
jq_findings='
  .runs[]? as $run
  | ( $run.results[]? | [(.level // "warning"), .ruleId] ),
    ( $run.invocations[]?
      | (.toolExecutionNotifications // []) + (.toolConfigurationNotifications // [])
      | .[]
      | select((.descriptor.id // "") != "WRN999.RuleExplicitlyDisabled")
      | [(.level // "warning"), (.descriptor.id // "TOOL")] )
  | @tsv'

total_bad=0
for file in "$@"; do
    if [ ! -f "$file" ]; then
        printf '%s: error: no such file\n' "$file"
        total_bad=$((total_bad + 1))
        continue
    fi
    errors=0
    warnings=0
    notes=0

    # 1. Schema and consistency checks.
    node "$here/checks.cjs" "$file" >"$tmp/checks.txt" 2>&1
    rc=$?
    cat "$tmp/checks.txt"
    case $rc in
        0) ;;
        1) errors=$(grep -c ': error [A-Z0-9]*: ' "$tmp/checks.txt")
           [ "$errors" -gt 0 ] || errors=1 ;;
        *) exit 2 ;;
    esac

    # 2. The SARIF Multitool. Both semicolon lists need two or more items: 5.7.0 rejects a
    # single value ("Option 'rule-kind' is defined with a bad format").
    # The validator skips files whose name does not end in .sarif (WRN997, a
    # note): give it a copy that does.
    rm -f "$tmp/out.sarif"
    cp "$file" "$tmp/input.sarif"
    "$multitool" validate \
        --config "$here/validation.config.xml" \
        --rule-kind "Sarif;Gh;Ghas" \
        --level "Error;Warning;Note" \
        --output "$tmp/out.sarif" --log "ForceOverwrite;PrettyPrint" \
        "$tmp/input.sarif" >"$tmp/console.txt" 2>&1
    rc=$?
    if grep -q 'WRN997' "$tmp/console.txt"; then
        printf '%s: error: the validator did not analyse the file:\n' "$file"
        sed 's/^/    /' "$tmp/console.txt" | head -n 10
        total_bad=$((total_bad + 1))
        continue
    fi
    if [ ! -s "$tmp/out.sarif" ] || ! jq -r "$jq_findings" "$tmp/out.sarif" >"$tmp/findings.tsv" 2>"$tmp/jq.txt"; then
        printf '%s: error: the validator produced no readable log (exit %s):\n' "$file" "$rc"
        sed 's/^/    /' "$tmp/console.txt" "$tmp/jq.txt" 2>/dev/null | head -n 40
        total_bad=$((total_bad + 1))
        continue
    fi
    errors=$((errors + $(grep -c '^error' "$tmp/findings.tsv")))
    warnings=$(grep -c '^warning' "$tmp/findings.tsv")
    notes=$(grep -c '^note' "$tmp/findings.tsv")
    # The messages themselves: the console lines "PATH(LINE,COL): LEVEL RULE: TEXT" and
    # "SARIF.MULTITOOL : LEVEL ID : TEXT".
    if [ "$verbose" -eq 1 ]; then
        levels='error|warning|note'
    else
        levels='error|warning'
    fi
    grep -E ": ($levels) [A-Za-z]" "$tmp/console.txt" | grep -v 'WRN999\.RuleExplicitlyDisabled'
    if [ "$rc" -ne 0 ] && [ "$errors" -eq 0 ]; then
        printf '%s: error: the validator exited with status %s:\n' "$file" "$rc"
        sed 's/^/    /' "$tmp/console.txt" | head -n 40
        errors=1
    fi

    if [ "$errors" -gt 0 ] || { [ "$warnings" -gt 0 ] && [ "$allow_warnings" -eq 0 ]; }; then
        verdict=INVALID
        total_bad=$((total_bad + 1))
    else
        verdict=ok
    fi
    printf '%s: %s (%d errors, %d warnings, %d notes)\n' "$file" "$verdict" "$errors" "$warnings" "$notes"
done

[ "$total_bad" -eq 0 ]
