#!/bin/sh
# bench/run.sh BUILD — the `make bench` report (see bench/README.md).
#
# Generates AWS CLI snapshots of about 1k, 10k and 100k resources with
# BUILD/bench/gen_snapshot into a temporary directory under /tmp (removed at
# the end), loads each 7 times with BUILD/bench/load_bench (a fresh child
# process per run), prints a table of medians and peak RSS, the goal line, and
# the JSON parser's throughput on the largest NetworkInterfaces.json, reachability
# query times, the audit of the 100k snapshot split into load, rules, report,
# and the load of a generated ~100 MB Terraform plan split into its stages.
#
# It is a report: a missed goal prints FAIL but the exit status stays 0.
# Environment: BENCH_SIZES (default "1000 10000 100000"), BENCH_RUNS (7), BENCH_TF_N
# (resource instances of the generated Terraform plan, default 62000: ~100 MB),
# BENCH_FLOWS_MB (size of the generated flow-log file, default 1024), BENCH_DASK_MB (the
# flows-on-Dask benchmark's shards in all, default 400).

set -u

BUILD=${1:-build}
GEN=$BUILD/bench/gen_snapshot
LOAD=$BUILD/bench/load_bench
SIZES=${BENCH_SIZES:-1000 10000 100000}
RUNS=${BENCH_RUNS:-7}
GOAL_N=100000
GOAL_MS=500
GOAL_MIB=1024

for b in "$GEN" "$LOAD"; do
    if [ ! -x "$b" ]; then
        echo "bench: $b is missing (run: make bench)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d /tmp/mlvpc-bench.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# One core, so that the figures do not depend on the machine's core count.
PIN=
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
    PIN="taskset -c 0"
fi

# field KEY FILE: value of KEY=... on the RESULT line of FILE
field() {
    sed -n "s/^RESULT.* $1=\([^ ]*\).*/\1/p" "$2"
}

cpu=$(sed -n 's/^model name[	 ]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "mlvpc load benchmark: $RUNS runs per size, ${PIN:-not pinned (no taskset)}"
echo "cpu: ${cpu:-unknown}"
echo

printf '%10s %6s %9s %10s %10s %10s %10s\n' \
    resources files "input MB" "load ms" "finish ms" "total ms" "peak MiB"
printf '%10s %6s %9s %10s %10s %10s %10s\n' \
    "" "" "" median median median RSS

goal_ms=''
goal_mib=''
goal_n=''
for n in $SIZES; do
    dir=$tmp/s$n
    if ! "$GEN" "$n" "$dir" >"$tmp/gen$n.txt" 2>&1; then
        printf '%10s  gen_snapshot failed:\n' "$n"
        sed 's/^/    /' "$tmp/gen$n.txt"
        continue
    fi
    # Flush the new files to disk first: writeback running during the runs
    # would be measured too. Then one untimed load warms the page cache.
    sync
    $PIN "$LOAD" "$dir" 1 >/dev/null 2>&1
    $PIN "$LOAD" "$dir" "$RUNS" >"$tmp/load$n.txt" 2>&1
    if [ "$(field status "$tmp/load$n.txt")" != ok ]; then
        printf '%10s  load failed:\n' "~$n"
        sed 's/^/    /' "$tmp/load$n.txt"
        [ "$n" -eq "$GOAL_N" ] && goal_n=error
        continue
    fi
    res=$(field resources "$tmp/load$n.txt")
    files=$(field files "$tmp/load$n.txt")
    bytes=$(field bytes "$tmp/load$n.txt")
    lms=$(field load_ms "$tmp/load$n.txt")
    fms=$(field finish_ms "$tmp/load$n.txt")
    tms=$(field total_ms "$tmp/load$n.txt")
    rss=$(field rss_mib "$tmp/load$n.txt")
    warn=$(field warnings "$tmp/load$n.txt")
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    printf '%10s %6s %9s %10s %10s %10s %10s' "$res" "$files" "$mb" "$lms" "$fms" "$tms" "$rss"
    [ "${warn:-0}" != 0 ] && printf '   (%s warnings)' "$warn"
    printf '\n'
    if [ "$n" -eq "$GOAL_N" ]; then
        goal_n=$res goal_ms=$tms goal_mib=$rss
    fi
done

echo
if [ -n "$goal_ms" ]; then
    verdict=$(awk -v t="$goal_ms" -v m="$goal_mib" -v gt="$GOAL_MS" -v gm="$GOAL_MIB" \
        'BEGIN { print (t + 0 < gt && m + 0 < gm) ? "PASS" : "FAIL" }')
    echo "goal: 100k resources < $GOAL_MS ms on one core and < 1 GiB peak: $verdict" \
        "($goal_n resources: $goal_ms ms median load+finish, $goal_mib MiB peak RSS)"
elif [ "$goal_n" = error ]; then
    echo "goal: 100k resources < $GOAL_MS ms on one core and < 1 GiB peak: FAIL (the load failed)"
else
    echo "goal: 100k resources < $GOAL_MS ms on one core and < 1 GiB peak: not measured (BENCH_SIZES)"
fi

# JSON reader alone, on the largest NetworkInterfaces.json generated.
big=
for n in $SIZES; do
    f=$tmp/s$n/aws_configs/us-east-1/NetworkInterfaces.json
    [ -f "$f" ] && big=$f
done
if [ -n "$big" ]; then
    if $PIN "$LOAD" --json-only "$big" "$RUNS" >"$tmp/json.txt" 2>&1 &&
        [ "$(field status "$tmp/json.txt")" = ok ]; then
        jb=$(field bytes "$tmp/json.txt")
        echo "json_parse: $(field mb_s "$tmp/json.txt") MB/s median over $RUNS runs" \
            "($(field parse_ms "$tmp/json.txt") ms for NetworkInterfaces.json of" \
            "$(awk -v b="$jb" 'BEGIN { printf "%.1f", b / 1e6 }') MB," \
            "$(field tokens "$tmp/json.txt") tokens)"
    else
        echo "json_parse: failed:"
        sed 's/^/    /' "$tmp/json.txt"
    fi
fi
# Reachability queries on a ~10k-ENI snapshot (load excluded).
REACH=$BUILD/bench/reach_bench
if [ -x "$REACH" ] && "$GEN" 20000 "$tmp/reach" >/dev/null 2>&1; then
    if $PIN "$REACH" "$tmp/reach" 20000 >"$tmp/reach.txt" 2>&1; then
        echo "reach: $(field enis "$tmp/reach.txt") ENIs, $(field queries "$tmp/reach.txt") queries:" \
            "median $(field median_us "$tmp/reach.txt") us, p90 $(field p90_us "$tmp/reach.txt") us per query," \
            "$(field qps "$tmp/reach.txt") queries/s (goal: median < 1 ms)"
    else
        echo "reach: failed:"
        sed 's/^/    /' "$tmp/reach.txt"
    fi
fi
# Audit end to end on the 100k snapshot: load, rules, JSON report.
AUDIT=$BUILD/bench/audit_bench
big=$tmp/s$GOAL_N
if [ -x "$AUDIT" ] && [ -d "$big" ]; then
    if $PIN "$AUDIT" "$big" "$RUNS" >"$tmp/audit.txt" 2>&1 && [ "$(field status "$tmp/audit.txt")" = ok ]; then
        at=$(field total_ms "$tmp/audit.txt")
        verdict=$(awk -v t="$at" 'BEGIN { print (t + 0 < 1000) ? "PASS" : "FAIL" }')
        echo "audit: $(field resources "$tmp/audit.txt") resources, $(field findings "$tmp/audit.txt") findings:" \
            "median load $(field load_ms "$tmp/audit.txt") ms + rules $(field rules_ms "$tmp/audit.txt") ms" \
            "+ JSON report $(field output_ms "$tmp/audit.txt") ms = $at ms, peak $(field rss_mib "$tmp/audit.txt") MiB" \
            "(goal: < 1000 ms on one core: $verdict)"
    else
        echo "audit: failed:"
        sed 's/^/    /' "$tmp/audit.txt"
    fi
fi
# Terraform: a generated ~100 MB plan (terraform show -json), loaded end to end
# and split into read, JSON parse, tree, link (the Terraform interpreter) and
# the model's resolver.
GENTF=$BUILD/bench/gen_tfplan
TFB=$BUILD/bench/tf_bench
if [ -x "$GENTF" ] && [ -x "$TFB" ] && "$GENTF" "${BENCH_TF_N:-62000}" "$tmp/plan.json" >"$tmp/gentf.txt" 2>&1; then
    if $PIN "$TFB" "$tmp/plan.json" "$RUNS" >"$tmp/tf.txt" 2>&1 && [ "$(field status "$tmp/tf.txt")" = ok ]; then
        tt=$(field api_ms "$tmp/tf.txt")
        verdict=$(awk -v t="$tt" 'BEGIN { print (t + 0 < 1000) ? "PASS" : "FAIL" }')
        echo "terraform plan: $(awk -v b="$(field bytes "$tmp/tf.txt")" 'BEGIN { printf "%.1f", b / 1e6 }') MB," \
            "$(sed -n 's/^gen_tfplan: \([0-9]*\) resources.*/\1/p' "$tmp/gentf.txt") resource instances," \
            "$(field resources "$tmp/tf.txt") model objects: median load $tt ms, peak $(field rss_mib "$tmp/tf.txt") MiB" \
            "(goal: < 1000 ms: $verdict)"
        echo "  split: read $(field read_ms "$tmp/tf.txt") ms, parse $(field parse_ms "$tmp/tf.txt") ms," \
            "tree $(field tree_ms "$tmp/tf.txt") ms, link $(field link_ms "$tmp/tf.txt") ms," \
            "resolve $(field finish_ms "$tmp/tf.txt") ms"
    else
        echo "terraform plan: failed:"
        sed 's/^/    /' "$tmp/tf.txt"
    fi
fi
# Flow logs: a generated default-format file (BENCH_FLOWS_MB, default 1024
# MB) from the page cache, parse + default aggregation + JSON report, plain
# and through gzip, beside mawk doing only the top-sources aggregation on the
# same plain file (the ratio makes the figure mean something on any machine).
GENFL=$BUILD/bench/gen_flows
FLB=$BUILD/bench/flows_bench
FMB=${BENCH_FLOWS_MB:-1024}
if [ -x "$GENFL" ] && [ -x "$FLB" ] && "$GENFL" "$FMB" "$tmp/flows.log" >"$tmp/genfl.txt" 2>&1; then
    fbytes=$(wc -c <"$tmp/flows.log")
    cat "$tmp/flows.log" >/dev/null
    if $PIN "$FLB" "$tmp/flows.log" "$fbytes" 3 >"$tmp/fl.txt" 2>&1 && [ "$(field status "$tmp/fl.txt")" = ok ]; then
        echo "flows: $(awk -v b="$fbytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB, $(field records "$tmp/fl.txt") records:" \
            "median $(field ms "$tmp/fl.txt") ms (fastest $(field min_ms "$tmp/fl.txt")) = $(field gb_s "$tmp/fl.txt") GB/s on one core, peak" \
            "$(field rss_mib "$tmp/fl.txt") MiB (goal: >= 1 GB/s per core)"
    else
        echo "flows: failed:"
        sed 's/^/    /' "$tmp/fl.txt"
    fi
    # where the time goes: parsing alone, with one table, with all of them (in turns)
    FLP=$BUILD/bench/flows_parts
    if [ -x "$FLP" ] && $PIN "$FLP" "$tmp/flows.log" "$fbytes" 3 >"$tmp/flp.txt" 2>&1 &&
        [ "$(field status "$tmp/flp.txt")" = ok ]; then
        echo "flows, where the time goes (3 rounds in turns, one core): read + parse $(field parse_ms "$tmp/flp.txt") ms =" \
            "$(field parse_gb_s "$tmp/flp.txt") GB/s; + top sources (one table) $(field sources_ms "$tmp/flp.txt") ms =" \
            "$(field sources_gb_s "$tmp/flp.txt") GB/s; + every table and the report $(field all_ms "$tmp/flp.txt") ms =" \
            "$(field all_gb_s "$tmp/flp.txt") GB/s"
    else
        echo "flows, where the time goes: failed:"
        sed 's/^/    /' "$tmp/flp.txt"
    fi
    # the same records as four files of a directory: read at once, one thread per core
    mkdir "$tmp/flows4"
    head -n 1 "$tmp/flows.log" >"$tmp/flows.hdr"
    tail -n +2 "$tmp/flows.log" >"$tmp/flows.body" && split -n l/4 "$tmp/flows.body" "$tmp/flows4/p." &&
        for p in "$tmp"/flows4/p.??; do cat "$tmp/flows.hdr" "$p" >"$p.log" && rm "$p"; done
    rm -f "$tmp/flows.body" "$tmp/flows.hdr"
    if "$FLB" "$tmp/flows4" "$fbytes" 3 >"$tmp/fl4.txt" 2>&1 && [ "$(field status "$tmp/fl4.txt")" = ok ]; then
        echo "flows, 4 files, $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo ?) cores: median $(field ms "$tmp/fl4.txt") ms =" \
            "$(field gb_s "$tmp/fl4.txt") GB/s, peak $(field rss_mib "$tmp/fl4.txt") MiB"
    fi
    rm -rf "$tmp/flows4"
    if command -v gzip >/dev/null 2>&1 && gzip -6 -c "$tmp/flows.log" >"$tmp/flows.log.gz" &&
        $PIN "$FLB" "$tmp/flows.log.gz" "$fbytes" 3 >"$tmp/flgz.txt" 2>&1 && [ "$(field status "$tmp/flgz.txt")" = ok ]; then
        gzb=$(wc -c <"$tmp/flows.log.gz")
        how="libdeflate, whole"
        [ "$gzb" -gt 67108864 ] && how="past 64 MiB: zlib's stream"
        echo "flows .gz, one file: $(awk -v b="$gzb" 'BEGIN { printf "%.0f", b / 1e6 }') MB of gzip ($how):" \
            "median $(field ms "$tmp/flgz.txt") ms = $(field gb_s "$tmp/flgz.txt") GB/s of text on one core"
    fi
    # as S3 delivers them: files of at most 75 MB (here 64 MB of text each),
    # gzip'd, read one after another by one thread (libdeflate, whole)
    rm -f "$tmp/flows.log.gz"
    mkdir "$tmp/flowsgz"
    head -n 1 "$tmp/flows.log" >"$tmp/flows.hdr"
    parts=$(( (fbytes + 63999999) / 64000000 ))
    tail -n +2 "$tmp/flows.log" >"$tmp/flows.body" && split -n "l/$parts" "$tmp/flows.body" "$tmp/flowsgz/p." &&
        for p in "$tmp"/flowsgz/p.*; do cat "$tmp/flows.hdr" "$p" | gzip -6 >"$p.log.gz" && rm "$p"; done
    rm -f "$tmp/flows.hdr" "$tmp/flows.body"
    if command -v gzip >/dev/null 2>&1 &&
        $PIN "$FLB" "$tmp/flowsgz" "$fbytes" 3 1 >"$tmp/flgzs.txt" 2>&1 && [ "$(field status "$tmp/flgzs.txt")" = ok ]; then
        echo "flows .gz, $parts files of 64 MB of text: median $(field ms "$tmp/flgzs.txt") ms =" \
            "$(field gb_s "$tmp/flgzs.txt") GB/s of text on one core, peak $(field rss_mib "$tmp/flgzs.txt") MiB"
    fi
    rm -rf "$tmp/flowsgz"
    # mawk and mlvpc take turns, three rounds: on a shared machine whose speed
    # drifts from minute to minute, only a ratio measured in the same minutes
    # means something (each round's ratio; their median)
    if command -v mawk >/dev/null 2>&1; then
        : >"$tmp/ratio.txt"
        for round in 1 2 3; do
            t0=$(date +%s.%N)
            $PIN mawk '$10 != "-" { b[$4] += $10 } END { for (k in b) print b[k], k }' "$tmp/flows.log" |
                sort -rn | head -10 >/dev/null
            t1=$(date +%s.%N)
            $PIN "$FLB" "$tmp/flows.log" "$fbytes" 1 >"$tmp/flr.txt" 2>&1 &&
                echo "$t0 $t1 $(field ms "$tmp/flr.txt")" >>"$tmp/ratio.txt"
        done
        awk -v n="$fbytes" '
            { awk_ms[NR] = ($2 - $1) * 1000; ml_ms[NR] = $3; r[NR] = awk_ms[NR] / $3 }
            function med(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t } return a[int((k + 1) / 2)] }
            END { if (NR) { m = med(awk_ms, NR); l = med(ml_ms, NR); q = med(r, NR)
                  printf "mawk, top sources by bytes only, same file: median %.0f ms = %.3f GB/s; mlvpc (eight tables) in the same %d rounds median %.0f ms = %.3f GB/s: %.2f times mawk\n", m, n / 1e6 / m, NR, l, n / 1e6 / l, q } }' "$tmp/ratio.txt"
    fi
    rm -f "$tmp/flows.log" "$tmp/flows.log.gz"
fi
# Flows at scale: contrib/dask/flows_dask.py on a 2-worker Dask cluster on
# loopback against one local process over the same 50 shards, and the
# per-task overhead (50 shards of one record).
if [ -x "$GENFL" ] && /usr/bin/python3 -c 'import distributed' 2>/dev/null; then
    . "$(dirname "$0")/../tests/dask/cluster.sh"
    mkdir -p "$tmp/dask/shards" "$tmp/dask/tiny"
    "$GENFL" --hosts 600 "${BENCH_DASK_MB:-400}" "$tmp/dask/all.log" >/dev/null
    head -n 1 "$tmp/dask/all.log" >"$tmp/dask/hdr"
    tail -n +2 "$tmp/dask/all.log" >"$tmp/dask/body" && split -n l/50 -a 2 "$tmp/dask/body" "$tmp/dask/shards/s."
    for x in "$tmp"/dask/shards/s.??; do cat "$tmp/dask/hdr" "$x" >"$x.log" && rm "$x"; done
    for i in $(seq 10 59); do head -n 2 "$tmp/dask/all.log" >"$tmp/dask/tiny/t$i.log"; done
    dbytes=$(wc -c <"$tmp/dask/all.log")
    rm -f "$tmp/dask/all.log" "$tmp/dask/body"
    if cluster_start "$tmp/dask"; then
        now() { date +%s.%N; }
        t0=$(now)
        "$BUILD/mlvpc" flows -q --threads 1 --format json "$tmp"/dask/shards/*.log >/dev/null
        t1=$(now)
        /usr/bin/python3 "$(dirname "$0")/../contrib/dask/flows_dask.py" --scheduler "$sched" --mlvpc "$BUILD/mlvpc" \
            --merge-arg=--format --merge-arg=json "$tmp"/dask/shards/*.log >/dev/null
        t2=$(now)
        /usr/bin/python3 "$(dirname "$0")/../contrib/dask/flows_dask.py" --scheduler "$sched" --mlvpc "$BUILD/mlvpc" \
            "$tmp"/dask/tiny/*.log >/dev/null
        t3=$(now)
        cluster_stop
        awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n="$dbytes" 'BEGIN {
            printf "flows on Dask: 50 shards, %.0f MB: one local process (one thread) %.2f s = %.3f GB/s; 2-worker cluster on loopback %.2f s = %.3f GB/s (x%.2f); per-task overhead %.0f ms (50 one-record shards in %.2f s)\n",
                n / 1e6, b - a, n / 1e9 / (b - a), c - b, n / 1e9 / (c - b), (b - a) / (c - b), (d - c) / 50 * 1000, d - c }'
    fi
fi
exit 0
