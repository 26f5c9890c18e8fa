#!/bin/sh
# Flow logs: the same records give the same report whatever way they come
# in — a file, standard input, gzip, one gzip member or several, one file or
# the same lines split over several files in a directory.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$root/$bin ;; esac
cd "$root" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { # NAME CMD...
    name=$1
    shift
    if "$@"; then
        echo "ok - $name"
        passed=$((passed + 1))
    else
        echo "not ok - $name"
        failed=$((failed + 1))
    fi
}
# A report without the figures that depend on how the input came (files, bytes read).
report() { "$bin" flows -q --format json --top 50 "$@" | jq -S 'del(.summary.files, .summary.input_bytes, .summary.unusable.first)'; }
src=tests/data/flows/s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26
gzip -dc "$src"/*_20261126T1000Z_*.log.gz >"$tmp/one.log"
report "$tmp/one.log" >"$tmp/file.json"
report - <"$tmp/one.log" >"$tmp/stdin.json"
check "standard input reads like the file" cmp -s "$tmp/file.json" "$tmp/stdin.json"
report "$src"/*_20261126T1000Z_*.log.gz >"$tmp/gz.json"
check "gzip reads like plain text" cmp -s "$tmp/file.json" "$tmp/gz.json"
# the same lines split into three gzip members of one file
head -n 1 "$tmp/one.log" >"$tmp/hdr"
tail -n +2 "$tmp/one.log" >"$tmp/body"
split -l 45 "$tmp/body" "$tmp/part."
{ cat "$tmp/hdr" "$tmp/part.aa" | gzip -n; gzip -nc "$tmp/part.ab"; gzip -nc "$tmp/part.ac"; } >"$tmp/members.log.gz"
report "$tmp/members.log.gz" >"$tmp/members.json"
check "three gzip members read like one" cmp -s "$tmp/file.json" "$tmp/members.json"
# the same lines split over files of a directory, each with its header
mkdir "$tmp/dir"
for p in "$tmp"/part.*; do cat "$tmp/hdr" "$p" >"$tmp/dir/$(basename "$p").log"; done
strip='del(.summary.text_bytes, .summary.lines, .summary.header_lines)' # (the parts' extra headers)
report "$tmp/dir" | jq -S "$strip" >"$tmp/dir.json"
jq -S "$strip" "$tmp/file.json" >"$tmp/file-noheaders.json"
check "a directory of parts reads like the whole" cmp -s "$tmp/file-noheaders.json" "$tmp/dir.json"
# lines longer than the reader's buffer boundaries: a 9 MB file of records
for i in $(seq 1 200); do tail -n +2 "$tmp/one.log"; done >"$tmp/big.body"
{ cat "$tmp/hdr"; for i in $(seq 1 5); do cat "$tmp/big.body"; done; } >"$tmp/big.log"
n=$("$bin" flows -q --format json "$tmp/big.log" | jq '.summary.records.ok + .summary.records.nodata + .summary.records.skipdata')
check "records across read boundaries are all counted ($n)" test "$n" -eq $((200 * 5 * 120))
echo "flows: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
