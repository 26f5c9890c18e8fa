#!/bin/sh
# Flow logs: the same records give the same report whatever way they come
# in — a file, standard input, gzip, one gzip member or several, one file or
# the same lines split over several files in a directory.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
suite_init "$1"
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
# A regular file is inflated whole (libdeflate), a pipe as a stream (zlib):
# the same report, zero padding after the last member ignored by both, and
# anything else after it refused by both.
cat "$tmp/members.log.gz" | report - >"$tmp/pipe.json"
check "gzip members through a pipe read like the file" cmp -s "$tmp/file.json" "$tmp/pipe.json"
{ cat "$tmp/members.log.gz"; head -c 700 /dev/zero; } >"$tmp/padded.log.gz"
report "$tmp/padded.log.gz" >"$tmp/padded.json"
report - <"$tmp/padded.log.gz" >"$tmp/padded-pipe.json"
check "zero padding after the last member is ignored (file and pipe)" \
    sh -c "cmp -s '$tmp/file.json' '$tmp/padded.json' && cmp -s '$tmp/file.json' '$tmp/padded-pipe.json'"
{ cat "$tmp/members.log.gz"; printf 'junk'; } >"$tmp/junk.log.gz"
"$bin" flows -q "$tmp/junk.log.gz" >/dev/null 2>"$tmp/junk.err"
rc1=$?
cat "$tmp/junk.log.gz" | "$bin" flows -q - >/dev/null 2>"$tmp/junk-pipe.err"
rc2=$?
# a header CRC: checked by both readers (libdeflate skips it: such files go to the stream)
"$bin" flows -q --format json tests/data/flows/fhcrc-good.log.gz >"$tmp/crc-file.json"
"$bin" flows -q --format json - <tests/data/flows/fhcrc-good.log.gz >"$tmp/crc-pipe.json"
check "a gzip header CRC that holds reads alike as a file and a pipe" \
    sh -c "jq -e '.summary.records.ok == 1' '$tmp/crc-file.json' >/dev/null && cmp -s '$tmp/crc-file.json' '$tmp/crc-pipe.json'"
"$bin" flows -q tests/data/flows/fhcrc-bad.log.gz >/dev/null 2>"$tmp/crc.err"
rc1=$?
"$bin" flows -q - <tests/data/flows/fhcrc-bad.log.gz >/dev/null 2>"$tmp/crc-pipe.err"
rc2=$?
check "a gzip header CRC that does not hold is an error (file and pipe, exit 2)" \
    sh -c "test $rc1 -eq 2 && test $rc2 -eq 2 && grep -q 'fhcrc-bad.log.gz: corrupt gzip data: header crc mismatch' '$tmp/crc.err' &&
           grep -q 'header crc mismatch' '$tmp/crc-pipe.err'"
# a regular file whose size says 0 (procfs) but that starts like gzip
env -i "$(printf '\037\213X=1')" "$bin" flows -q /proc/self/environ >/dev/null 2>"$tmp/proc.err"
rc=$?
check "a gzip-looking file that says it is empty (procfs) is read as a stream (exit 2, named)" \
    sh -c "test $rc -eq 2 && grep -q '/proc/self/environ: corrupt gzip data' '$tmp/proc.err'"
check "trailing garbage after the last member is an error (file and pipe, exit 2)" \
    sh -c "test $rc1 -eq 2 && test $rc2 -eq 2 && grep -q 'junk.log.gz: corrupt gzip data: trailing garbage' '$tmp/junk.err' &&
           grep -q 'trailing garbage' '$tmp/junk-pipe.err'"
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
# Partials: the merge of the partials of any split, in any order and grouping,
# gives the report of one run; partials of another version or corrupt ones are
# refused.
all=$(printf '%s\n' "$src"/*.gz tests/data/flows/bad.log tests/data/flows/custom-v5.log)
"$bin" flows -q --format json --top 50 $all | jq -S 'del(.summary.files)' >"$tmp/all.json"
i=0
for f in $all; do
    i=$((i + 1))
    "$bin" flows -q --partial "$tmp/p$i.bin" "$f"
done
"$bin" flows merge --format json --top 50 "$tmp"/p1.bin "$tmp"/p2.bin "$tmp"/p3.bin "$tmp"/p4.bin |
    jq -S 'del(.summary.files)' >"$tmp/m1.json"
check "merge of per-file partials equals one run" cmp -s "$tmp/all.json" "$tmp/m1.json"
"$bin" flows merge --partial - "$tmp"/p4.bin "$tmp"/p2.bin >"$tmp/p42.bin"
"$bin" flows merge --partial - "$tmp"/p3.bin "$tmp"/p1.bin >"$tmp/p31.bin"
"$bin" flows merge --format json --top 50 "$tmp"/p31.bin - <"$tmp/p42.bin" | jq -S 'del(.summary.files)' >"$tmp/m2.json"
check "merge is associative and commutative" cmp -s "$tmp/all.json" "$tmp/m2.json"
"$bin" flows -q --partial - $all >"$tmp/pall.bin"
"$bin" flows merge --format json --top 50 "$tmp/pall.bin" | jq -S 'del(.summary.files)' >"$tmp/m3.json"
check "a partial of everything reports like one run" cmp -s "$tmp/all.json" "$tmp/m3.json"
cp "$tmp/p1.bin" "$tmp/bad.bin"
printf 'X' | dd of="$tmp/bad.bin" bs=1 seek=40 conv=notrunc 2>/dev/null
"$bin" flows merge "$tmp/bad.bin" >/dev/null 2>"$tmp/err"
rc=$?
check "a corrupt partial is refused (exit 2, named)" sh -c "test $rc -eq 2 && grep -q 'bad.bin: corrupt partial' '$tmp/err'"
cp "$tmp/p1.bin" "$tmp/v9.bin"
printf '\011' | dd of="$tmp/v9.bin" bs=1 seek=8 conv=notrunc 2>/dev/null
"$bin" flows merge "$tmp/v9.bin" >/dev/null 2>"$tmp/err"
rc=$?
check "a partial of another format version is refused" sh -c "test $rc -eq 2 && grep -q 'version 9' '$tmp/err'"
"$bin" flows -q --since 1764151500 --partial "$tmp/w.bin" "$src"
"$bin" flows merge "$tmp/p1.bin" "$tmp/w.bin" >/dev/null 2>"$tmp/err"
rc=$?
check "partials of different time windows are refused" sh -c "test $rc -eq 2 && grep -q 'another --since' '$tmp/err'"
# The model's tables merge like the others; a partial made without --model
# cannot serve a merge with it (its model figures were never counted).
m=tests/data/flows/insecure-example.log
model="--model examples/sagemaker-insecure --ip-ranges tests/data/flows/ip-ranges-2022-06-12.json"
head -n 5 "$m" >"$tmp/m1.log"
{ head -n 1 "$m"; tail -n +6 "$m"; } >"$tmp/m2.log"
# shellcheck disable=SC2086 # (word splitting of $model intended)
"$bin" flows -q --format json $model "$m" | jq -S 'del(.summary.files, .summary.input_bytes, .summary.text_bytes, .summary.lines, .summary.header_lines)' >"$tmp/mall.json"
# shellcheck disable=SC2086
"$bin" flows -q $model --partial "$tmp/pm1.bin" "$tmp/m1.log" && "$bin" flows -q $model --partial "$tmp/pm2.bin" "$tmp/m2.log"
# shellcheck disable=SC2086
"$bin" flows merge --format json $model "$tmp/pm2.bin" "$tmp/pm1.bin" | jq -S 'del(.summary.files, .summary.input_bytes, .summary.text_bytes, .summary.lines, .summary.header_lines)' >"$tmp/mmerged.json"
check "partials made with --model merge into the report of one run (findings, cross-AZ, NAT)" \
    sh -c "cmp -s '$tmp/mall.json' '$tmp/mmerged.json' && jq -e '.model.findings | length == 1' '$tmp/mmerged.json' >/dev/null"
"$bin" flows -q --partial "$tmp/pn.bin" "$tmp/m1.log"
# shellcheck disable=SC2086
"$bin" flows merge $model "$tmp/pm2.bin" "$tmp/pn.bin" >/dev/null 2>"$tmp/err"
rc=$?
check "merge --model refuses a partial made without --model" sh -c "test $rc -eq 2 && grep -q 'pn.bin: made without --model' '$tmp/err'"
# The built-in prices are data/prices.json's.
"$bin" flows -q --format json --model examples/sagemaker-insecure tests/data/flows/insecure-example.log >"$tmp/p-default.json"
"$bin" flows -q --format json --model examples/sagemaker-insecure --prices data/prices.json \
    tests/data/flows/insecure-example.log >"$tmp/p-file.json"
check "the default prices are data/prices.json's" cmp -s "$tmp/p-default.json" "$tmp/p-file.json"
# Threads: the files of a directory read at once give the report of one thread.
"$bin" flows -q --format json --threads 1 tests/data/flows/s3 tests/data/flows/custom-v5.log >"$tmp/t1.json"
"$bin" flows -q --format json --threads 3 tests/data/flows/s3 tests/data/flows/custom-v5.log >"$tmp/t3.json"
check "several threads report like one" cmp -s "$tmp/t1.json" "$tmp/t3.json"
"$bin" flows -q --format json --threads 1 tests/data/flows/custom-v5.log tests/data/flows/s3 >"$tmp/u1.json"
"$bin" flows -q --format json --threads 2 tests/data/flows/custom-v5.log tests/data/flows/s3 >"$tmp/u2.json"
check "several threads after a file already read report like one" cmp -s "$tmp/u1.json" "$tmp/u2.json"
# Random groupings and orders of the same partials (a fixed seed: reproducible).
i=0
for f in $all "$src"/*.gz; do
    i=$((i + 1))
    "$bin" flows -q --partial "$tmp/q$i.bin" "$f"
done
"$bin" flows merge --format json --top 50 "$tmp"/q*.bin | jq -S 'del(.summary.files)' >"$tmp/qall.json"
same=1
for seed in 1 2 3 4 5; do
    ls "$tmp"/q*.bin | awk -v s="$seed" 'BEGIN { srand(s) } { print rand() "\t" $0 }' | sort | cut -f2 >"$tmp/order"
    rm -f "$tmp"/g*.bin
    g=0
    while [ -s "$tmp/order" ]; do # groups of 1 to 3 partials
        g=$((g + 1))
        n=$(awk -v s="$seed$g" 'BEGIN { srand(s); print int(rand() * 3) + 1 }')
        head -n "$n" "$tmp/order" | "$bin" flows merge --partial "$tmp/g$g.bin" --files-from -
        tail -n +"$((n + 1))" "$tmp/order" >"$tmp/order.rest" && mv "$tmp/order.rest" "$tmp/order"
    done
    ls "$tmp"/g*.bin | sort -r | "$bin" flows merge --format json --top 50 --files-from - |
        jq -S 'del(.summary.files)' >"$tmp/qg.json"
    cmp -s "$tmp/qall.json" "$tmp/qg.json" || same=0
done
check "five random groupings and orders of the partials give one report" test "$same" = 1
# Pruning: past 262,144 distinct pairs the pair table drops its smallest
# keys. Every pair listed is then low by at most the bound its row states
# (and exact, packets and records too, when that is 0), and a pair left out
# cannot be above the last one listed by more than the table's bound.
# Thirty heavy pairs throughout; ten pairs seen once, small, before the
# table fills (dropped), then often after it (listed, low by their first
# record); single-record pairs in between.
awk 'BEGIN {
    print "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    x = 12345
    for (i = 0; i < 360000; i++) {
        x = (x * 1103515245 + 12345) % 2147483648
        if (i % 40 == 0) { h = x % 30; s = "10.200.0." h; d = "10.201.0." h; b = 2000000 + h * 40000 + x % 1000 }
        else if (i >= 1000 && i < 1010) { s = "10.202.0." i - 1000; d = "10.203.0.1"; b = 50000 }
        else if (i % 40 == 1 && i > 300000) { s = "10.202.0." x % 10; d = "10.203.0.1"; b = 1000000 + x % 1000 }
        else { s = "10." int(i / 65536) "." int(i / 256) % 256 "." i % 256; d = "172.16." x % 200 "." x % 97; b = 40 + x % 3000000 }
        printf "2 123456789012 eni-0a1b2c3d4e5f60001 %s %s 40000 443 6 %d %d 1764150000 1764150060 ACCEPT OK\n", s, d, 1 + b % 900, b
    }
}' >"$tmp/many.log"
"$bin" flows -q --format json --top 40 "$tmp/many.log" >"$tmp/many.json"
jq -r '.tables.pairs | "\(.exact) \(.prunings) \(.low_by_at_most.bytes)"' "$tmp/many.json" >"$tmp/bound"
read -r exact prunings bound <"$tmp/bound"
# listed pairs: source, destination, bytes, packets, records, the row's bounds on them
listed_pairs() {
    jq -r '.top.pairs_by_bytes[] | "\(.source) \(.destination) \(.bytes) \(.packets) \(.records) \(.low_by_at_most.bytes) \(.low_by_at_most.packets) \(.low_by_at_most.records)"' "$1"
}
# within TRUE LISTED N INEXACT: "yes" when N rows are listed (N 0: any
# number), each low by at most its row's bounds (bytes, packets, records;
# exact in all three when the bytes' is 0), and at least INEXACT rows have
# a bound above 0
within() {
    awk -v want="$3" -v inexact="$4" 'FNR == NR { b[$1 " " $2] = $3; p[$1 " " $2] = $4; r[$1 " " $2] = $5; next }
        { k = $1 " " $2
          if (b[k] < $3 || b[k] - $3 > $6 || p[k] < $4 || p[k] - $4 > $7 || r[k] < $5 || r[k] - $5 > $8) bad++
          if ($6 == 0 && (p[k] != $4 || r[k] != $5 || $7 != 0 || $8 != 0)) bad++
          if ($6 > 0) inexact--; n++ }
        END { print ((n == want || !want) && !bad && inexact <= 0) ? "yes" : "no" }' "$1" "$2"
}
# pair_truth LOG...: source, destination, bytes, packets, records of every pair
pair_truth() {
    awk '$1 == 2 { k = $4 " " $5; t[k] += $10; p[k] += $9; r[k]++ } END { for (k in t) print k, t[k], p[k], r[k] }' "$@"
}
listed_pairs "$tmp/many.json" >"$tmp/listed"
pair_truth "$tmp/many.log" >"$tmp/true"
within=$(within "$tmp/true" "$tmp/listed" 40 4) # (pairs dropped once, then seen often)
missed=$(awk -v b="$bound" 'FNR == NR { l[$1 " " $2] = 1; last = $3; next }
    !(($1 " " $2) in l) && $3 > last + b { m++ } END { print m + 0 }' "$tmp/listed" "$tmp/true")
check "a pruned pair table ($prunings prunings, floor $bound bytes): listed pairs within their rows' bounds" \
    sh -c "test '$exact' = false && test '$prunings' -ge 1 && test '$within' = yes"
check "a pruned pair table leaves out no pair above the last listed plus the bound" test "$missed" = 0
"$bin" flows -q --top 40 "$tmp/many.log" >"$tmp/many.txt"
check "the text report states a pruned table's floor and each row's bound" \
    sh -c "grep -q '^  approximate: .* a key not kept had at most $bound bytes\$' '$tmp/many.txt' &&
           grep -q '^ *bytes *packets *records *missed\$' '$tmp/many.txt' &&
           grep -q '^ *[0-9][0-9]* *[0-9][0-9]* *[0-9][0-9]* *[1-9][0-9]*  10.202.0.8 -> 10.203.0.1\$' '$tmp/many.txt'"
# Past the bound, what a table keeps depends on no hash seed: runs with threads
# and merges of partials (each written in its own run's slot order) repeat.
mkdir "$tmp/manydir"
head -n 1 "$tmp/many.log" >"$tmp/many.hdr"
tail -n +2 "$tmp/many.log" >"$tmp/many.body"
split -n l/3 "$tmp/many.body" "$tmp/manydir/p."
for p in "$tmp"/manydir/p.??; do cat "$tmp/many.hdr" "$p" >"$p.log" && rm "$p"; done
"$bin" flows -q --format json --threads 2 "$tmp/manydir" >"$tmp/th1.json"
"$bin" flows -q --format json --threads 2 "$tmp/manydir" >"$tmp/th2.json"
check "a pruned run with two threads repeats" \
    sh -c "jq -e '.tables.pairs.prunings > 0' '$tmp/th1.json' >/dev/null && cmp -s '$tmp/th1.json' '$tmp/th2.json'"
for round in 1 2; do
    for p in "$tmp"/manydir/p.*.log; do "$bin" flows -q --partial "$p.$round.bin" "$p"; done
    "$bin" flows merge --format json "$tmp"/manydir/p.*.log.$round.bin >"$tmp/mg$round.json"
done
check "a pruned merge of partials repeats" \
    sh -c "jq -e '.tables.pairs.prunings > 0' '$tmp/mg1.json' >/dev/null && cmp -s '$tmp/mg1.json' '$tmp/mg2.json'"
"$bin" flows merge --format json --top 40 "$tmp"/manydir/p.*.log.1.bin >"$tmp/mg40.json"
listed_pairs "$tmp/mg40.json" >"$tmp/mglisted"
# (each part holds fewer pairs than the bound: the merge prunes once, from
# every pair, and what it keeps is exact)
check "a pruned merge of partials: listed pairs exact" test "$(within "$tmp/true" "$tmp/mglisted" 40 0)" = yes
# Floors across partials and threads. Pair K is dropped from part t1 (100
# bytes, then 270,000 other pairs) and heavy in t2 (which is larger, with
# few pairs: never pruned); pair L is dropped from both t1 and t3 (3,000
# bytes in each, below their floors of about 3,600). Merged in either order,
# or read by two threads, K's row must still say it may lack those 100
# bytes; t1 and t3 merged (together under the table's bound: no prune),
# their floors add up, and L (held by neither) had less than that.
gen_part() { # gen_part NET N: K and L, then N pairs from NET.x.y.z
    awk -v net="$1" -v n="$2" 'BEGIN {
        print "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        if (net == 10) print "2 123456789012 eni-0a1b2c3d4e5f60001 10.9.9.9 10.8.8.8 40000 443 6 1 100 1764150000 1764150060 ACCEPT OK"
        print "2 123456789012 eni-0a1b2c3d4e5f60001 10.7.7.7 10.6.6.6 40000 443 6 3 3000 1764150000 1764150060 ACCEPT OK"
        for (i = 0; i < n; i++)
            printf "2 123456789012 eni-0a1b2c3d4e5f60001 %d.%d.%d.%d 172.16.0.1 40000 443 6 %d %d 1764150000 1764150060 ACCEPT OK\n", \
                net, int(i / 65536), int(i / 256) % 256, i % 256, 1 + i % 7, 1000 + (i * 7919) % 5000
    }'
}
gen_part 10 270000 >"$tmp/t1.log"
gen_part 11 263000 >"$tmp/t3.log"
awk 'BEGIN {
    print "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    for (i = 0; i < 10; i++)
        print "2 123456789012 eni-0a1b2c3d4e5f60001 10.9.9.9 10.8.8.8 40000 443 6 900 1000000 1764150000 1764150060 ACCEPT OK"
    for (i = 0; i < 300000; i++)
        printf "2 123456789012 eni-0a1b2c3d4e5f60001 10.5.5.%d 10.4.4.4 40000 443 6 1 500 1764150000 1764150060 ACCEPT OK\n", i % 5
}' >"$tmp/t2.log"
for p in t1 t2 t3; do "$bin" flows -q --partial "$tmp/$p.bin" "$tmp/$p.log"; done
pair_truth "$tmp/t1.log" "$tmp/t2.log" >"$tmp/ttrue"
# k_row JSON: the file's pair rows, K's bound on bytes, "yes" when all are within their bounds
k_row() {
    listed_pairs "$1" >"$1.listed"
    echo "$(awk '$1 == "10.9.9.9" { print $6 }' "$1.listed") $(within "$tmp/ttrue" "$1.listed" 0 1)"
}
"$bin" flows merge --format json --top 100 "$tmp/t1.bin" "$tmp/t2.bin" >"$tmp/m12.json"
"$bin" flows merge --format json --top 100 "$tmp/t2.bin" "$tmp/t1.bin" >"$tmp/m21.json"
read -r b12 w12 <<EOF_K
$(k_row "$tmp/m12.json")
EOF_K
read -r b21 w21 <<EOF_K
$(k_row "$tmp/m21.json")
EOF_K
check "merges of a pruned partial, either order: a pair it dropped says what it may lack (bounds $b12, $b21)" \
    sh -c "test '${b12:-0}' -ge 100 && test '${b21:-0}' -ge 100 && test '$w12' = yes && test '$w21' = yes"
left_out=$(awk -v f="$(jq '.tables.pairs.low_by_at_most.bytes' "$tmp/m12.json")" 'FNR == NR { l[$1 " " $2] = 1; last = $3; next }
    !(($1 " " $2) in l) && $3 > last + f { m++ } END { print m + 0 }' "$tmp/m12.json.listed" "$tmp/ttrue")
check "a merge of a pruned partial leaves out no pair above the last listed plus its floor" test "$left_out" = 0
"$bin" flows merge --format json --top 100 "$tmp/t1.bin" "$tmp/t3.bin" >"$tmp/m13.json"
for p in t1 t3; do "$bin" flows merge --format json "$tmp/$p.bin" | jq '.tables.pairs.low_by_at_most.bytes'; done >"$tmp/floors"
jq -r '[.tables.pairs.low_by_at_most.bytes, .tables.pairs.prunings,
        ([.top.pairs_by_bytes[] | select(.source == "10.7.7.7")] | length)] | @tsv' "$tmp/m13.json" >"$tmp/m13.l"
read -r floor13 prunings13 l_listed <"$tmp/m13.l"
sum13=$(awk '{ s += $1 } END { print s }' "$tmp/floors")
check "two pruned partials merged: floors add up ($floor13 = $sum13), above a pair both dropped (6,000 bytes)" \
    sh -c "test '$prunings13' = 2 && test '$floor13' = '$sum13' && test '$l_listed' = 0 && test '$floor13' -ge 6000"
mkdir "$tmp/tdir"
cp "$tmp/t1.log" "$tmp/t2.log" "$tmp/tdir/"
"$bin" flows -q --format json --top 100 --threads 2 "$tmp/tdir" >"$tmp/tth.json"
read -r bth wth <<EOF_K
$(k_row "$tmp/tth.json")
EOF_K
check "two threads, the second's aggregate pruned: a pair it dropped says what it may lack (bound $bth)" \
    sh -c "test '${bth:-0}' -ge 100 && test '$wth' = yes"
# The reader at the edges of a line's bound and of a file's first line.
# facts FILE|-: records OK, line_too_long, parquet_file, unusable in all, lines read (- : standard input)
facts() {
    "$bin" flows -q --format json "$1" | jq -r '[.summary.records.ok, (.summary.unusable.by_reason.line_too_long // 0),
        (.summary.unusable.by_reason.parquet_file // 0), .summary.unusable.total, .summary.lines] | @tsv'
}
# a default-format record of exactly N bytes (its interface id padded), LF or CRLF
long_record() {
    awk -v n="$1" -v e="$2" 'BEGIN { head = "2 123456789012 eni-"; tail = " 10.0.0.1 10.0.0.2 40000 443 6 1 60 1764150000 1764150060 ACCEPT OK"
        id = ""; for (i = length(head) + length(tail); i < n; i++) id = id "a"; printf "%s%s%s%s", head, id, tail, e }'
}
long_record 65536 '\n' >"$tmp/max-lf.log"
long_record 65536 '\r\n' >"$tmp/max-crlf.log"
long_record 65537 '\r\n' >"$tmp/over-crlf.log"
got="$(facts "$tmp/max-lf.log") / $(facts "$tmp/max-crlf.log") / $(facts - <"$tmp/max-crlf.log")"
check "a record of exactly 64 KiB is read, LF or CRLF, file or pipe ($got)" \
    test "$got" = "$(printf '1\t0\t0\t0\t1 / 1\t0\t0\t0\t1 / 1\t0\t0\t0\t1')"
got="$(facts "$tmp/over-crlf.log") / $(cat "$tmp/over-crlf.log" | facts -)"
check "a record of 64 KiB and a byte is too long, with a CRLF too (file and pipe: $got)" \
    test "$got" = "$(printf '0\t1\t0\t1\t1 / 0\t1\t0\t1\t1')"
{ printf 'PAR1'; head -c 5000000 /dev/zero | tr '\0' 'x'; printf '\nfoo\nbar baz\n'; } >"$tmp/par-long.parquet"
{ printf 'PAR1\n'; head -c 5000000 /dev/zero | tr '\0' 'x'; printf '\n1 2\n'; } >"$tmp/par-first.parquet"
got="$(facts "$tmp/par-long.parquet") / $(cat "$tmp/par-long.parquet" | facts -) / $(facts "$tmp/par-first.parquet")"
check "a Parquet object is one parquet_file and one line, however long its first line (file and pipe: $got)" \
    test "$got" = "$(printf '0\t0\t1\t1\t1 / 0\t0\t1\t1\t1 / 0\t0\t1\t1\t1')"
printf '%s\n\n\r\n%s\n' "$(sed -n 2p "$tmp/one.log")" "$(sed -n 3p "$tmp/one.log")" >"$tmp/blank.log"
got=$(facts "$tmp/blank.log")
check "blank lines are lines read, neither records nor unusable ($got)" test "$got" = "$(printf '2\t0\t0\t0\t4')"
# a gzip whose text is more than is inflated at once: read as a stream, not into a growing buffer
head -c 300000000 /dev/zero | tr '\0' '\n' | gzip -1 >"$tmp/big-text.log.gz"
/usr/bin/time -f '%M' "$bin" flows -q --format json "$tmp/big-text.log.gz" >"$tmp/big.json" 2>"$tmp/big.rss"
rss=$(tail -n 1 "$tmp/big.rss")
check "a gzip of 300 MB of text is streamed in bounded memory (peak $rss KiB)" \
    sh -c "test \$(jq .summary.text_bytes '$tmp/big.json') = 300000000 && test '$rss' -lt 100000"
rm -f "$tmp/big-text.log.gz"
finish flows
