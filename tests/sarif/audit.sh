#!/bin/sh
# Validate the SARIF that `mlvpc audit` writes for the bundled examples (with
# and without waivers) with Microsoft's SARIF validator and GitHub's ingestion
# rules (validate.sh). The one warning tolerated is SARIF2005 "no
# informationUri": mlvpc has no public home page to point to yet.
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
cd "$root" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1767225600
"$bin" audit examples/sagemaker-insecure --format sarif -o "$tmp/insecure.sarif"
"$bin" audit examples/sagemaker-secure --format sarif -o "$tmp/secure.sarif"
"$bin" audit examples/sagemaker-insecure --format sarif --waivers tests/data/audit/waivers.yaml -o "$tmp/waived.sarif" 2>/dev/null
# Inputs named by absolute paths under the working directory: relative URIs all the same.
"$bin" audit "$root/examples/sagemaker-secure" --format sarif -o "$tmp/absolute.sarif"
if jq -r '.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri' "$tmp/absolute.sarif" | grep -q '^file:'; then
    echo "not ok - absolute inputs under the working directory gave file: URIs"; exit 1
fi
for f in insecure secure waived absolute; do
    [ -s "$tmp/$f.sarif" ] || { echo "not ok - no SARIF written for $f"; exit 1; }
done
sh "$here/validate.sh" -w "$tmp/insecure.sarif" "$tmp/secure.sarif" "$tmp/waived.sarif" "$tmp/absolute.sarif" >"$tmp/log" 2>&1
rc=$?
cat "$tmp/log"
if grep -E ': (warning|error) ' "$tmp/log" | grep -v 'warning SARIF2005' | grep -q .; then
    echo "not ok - unexpected warnings or errors"
    exit 1
fi
[ "$rc" -eq 0 ] || { echo "not ok - validator failed"; exit 1; }
# Waived findings must appear as suppressed results, not disappear.
n=$(jq '[.runs[0].results[] | select(.suppressions)] | length' "$tmp/waived.sarif")
[ "$n" -gt 0 ] || { echo "not ok - no suppressed results in waived.sarif"; exit 1; }
echo "sarif: 4 reports valid ($n suppressed results)"
