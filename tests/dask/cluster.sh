# A Dask cluster on loopback for tests and benchmarks (sourced, POSIX sh):
#   cluster_start DIR   a scheduler on 127.0.0.1 at a free port and two worker
#                       processes (w1, w2; one thread each, no nanny), logs and
#                       scratch space in DIR; sets $sched (its address), $w1
#                       (w1's PID) and $cluster_pids; returns non-zero (with the
#                       logs' tails on stderr) when it does not come up in 30 s
#   cluster_stop        stops them by PID (SIGTERM, then SIGKILL after 5 s)
# Needs Debian's python3-distributed (run with /usr/bin/python3).

cluster_py=/usr/bin/python3

cluster_start() {
    cdir=$1
    cluster_pids=
    port=$($cluster_py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    sched=tcp://127.0.0.1:$port
    $cluster_py -m distributed.cli.dask_scheduler --host 127.0.0.1 --port "$port" --no-dashboard \
        >"$cdir/scheduler.log" 2>&1 &
    cluster_pids="$cluster_pids $!"
    for name in w1 w2; do
        $cluster_py -m distributed.cli.dask_worker "$sched" --name "$name" --nthreads 1 --no-nanny --no-dashboard \
            --host 127.0.0.1 --memory-limit 0 --local-directory "$cdir/$name" >"$cdir/$name.log" 2>&1 &
        cluster_pids="$cluster_pids $!"
        [ "$name" = w1 ] && w1=$!
    done
    if ! $cluster_py - "$sched" <<'PYEOF'; then
import sys
from distributed import Client
c = Client(sys.argv[1], timeout=30)
c.wait_for_workers(2, timeout=30)
c.close()
PYEOF
        echo "the Dask cluster did not start:" >&2
        tail -5 "$cdir"/*.log >&2
        return 1
    fi
}

cluster_stop() {
    for p in $cluster_pids; do kill "$p" 2>/dev/null; done
    # a worker whose scheduler is gone may linger: give them 5 s, then SIGKILL
    i=0
    while [ $i -lt 50 ]; do
        alive=
        for p in $cluster_pids; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ -z "$alive" ] && break
        sleep 0.1
        i=$((i + 1))
    done
    for p in $cluster_pids; do kill -9 "$p" 2>/dev/null; done
    for p in $cluster_pids; do wait "$p" 2>/dev/null; done
    cluster_pids=
}
