#!/bin/sh
# contrib/dask/flows_dask.py on a real Dask cluster on loopback: a scheduler
# and two worker processes on 127.0.0.1 at a free port, started and stopped
# here by PID. 50 generated .gz shards: the merged report of the cluster
# equals one local run over all the files; and again while one worker is
# killed as it runs tasks (Dask re-runs them on the other).
#
#   sh tests/dask/run.sh BUILD
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
bin=$build/mlvpc
gen=$build/bench/gen_flows
PY=/usr/bin/python3
cd "$root" || exit 2
if ! $PY -c 'import distributed' 2>/dev/null; then
    echo "dask: python3-distributed is missing (make deps installs it)" >&2
    exit 2
fi
tmp=$(mktemp -d) || exit 2
. tests/dask/cluster.sh
cleanup() {
    cluster_stop
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. tests/lib.sh

# 50 shards of one generated log (few hosts: every table stays exact)
"$gen" --hosts 600 100 "$tmp/all.log" >/dev/null || exit 2
head -n 1 "$tmp/all.log" >"$tmp/hdr"
tail -n +2 "$tmp/all.log" >"$tmp/body"
mkdir "$tmp/shards"
split -n l/50 -a 2 "$tmp/body" "$tmp/shards/s."
for s in "$tmp"/shards/s.??; do
    cat "$tmp/hdr" "$s" | gzip -n -1 >"$s.log.gz" && rm "$s"
done
rm "$tmp/body" "$tmp/all.log"
shards=$(ls "$tmp"/shards/*.log.gz)

cluster_start "$tmp" || exit 2
cd "$root" || exit 2

# shellcheck disable=SC2086 # one word per shard
"$bin" flows -q --format json --top 20 $shards >"$tmp/local.json"
t0=$(date +%s.%N)
# shellcheck disable=SC2086
$PY contrib/dask/flows_dask.py --scheduler "$sched" --mlvpc "$bin" --merge-arg=--format --merge-arg=json \
    --merge-arg=--top --merge-arg=20 $shards >"$tmp/dask.json" 2>"$tmp/dask.err"
rc=$?
t1=$(date +%s.%N)
check "the cluster's merged report equals one local run (50 shards, 2 workers)" \
    sh -c "test $rc -eq 0 && cmp -s '$tmp/local.json' '$tmp/dask.json'"

# Kill worker w1 as soon as it runs a task: its tasks are run again on w2.
$PY - "$sched" "$w1" >"$tmp/killer.log" 2>&1 <<'PYEOF' &
import os, signal, sys, time
from distributed import Client
c = Client(sys.argv[1], timeout=30)
deadline = time.time() + 30
while time.time() < deadline:
    # (two snapshots taken one after the other may disagree on the workers: read each once)
    workers = c.scheduler_info()["workers"]
    busy = [len(tasks) for a, tasks in c.processing().items() if tasks and workers.get(a, {}).get("name") == "w1"]
    if busy:
        os.kill(int(sys.argv[2]), signal.SIGKILL)
        print("killed w1 while it ran", busy[0], "task(s)")
        break
    time.sleep(0.005)
c.close()
PYEOF
killer=$!
# shellcheck disable=SC2086
$PY contrib/dask/flows_dask.py --scheduler "$sched" --mlvpc "$bin" --merge-arg=--format --merge-arg=json \
    --merge-arg=--top --merge-arg=20 $shards >"$tmp/dask2.json" 2>"$tmp/dask2.err"
rc=$?
wait "$killer"
check "a worker killed mid-run: the report is still complete and identical ($(cat "$tmp/killer.log"))" \
    sh -c "test $rc -eq 0 && grep -q 'killed w1' '$tmp/killer.log' && cmp -s '$tmp/local.json' '$tmp/dask2.json'"

# A failing shard fails the run with that shard's error.
printf '\037\213\010\000garbage' >"$tmp/corrupt.log.gz"
$PY contrib/dask/flows_dask.py --scheduler "$sched" --mlvpc "$bin" "$tmp/corrupt.log.gz" $shards \
    >/dev/null 2>"$tmp/dask3.err"
rc=$?
check "a failing shard fails the run with its error" \
    sh -c "test $rc -eq 2 && grep -q 'corrupt.log.gz' '$tmp/dask3.err'"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "dask: the first run took %.2f s\n", b - a }'
finish dask
