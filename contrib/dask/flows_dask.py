#!/usr/bin/python3
"""Run `mlvpc flows` as the map step of a Dask cluster and merge the partials.

usage: flows_dask.py --scheduler tcp://HOST:PORT [--mlvpc PATH] [--flows-arg ARG]...
                     [--merge-arg ARG]... SHARD...

A SHARD is a flow-log file or directory, or @LIST: a text file of local paths, one per line (an S3
listing synced to local disks, say). Each shard becomes one task: on a worker, the shard's paths
are given to `mlvpc flows --files-from - --partial -`, and the partial (docs/partial-format.md)
comes back. The partials are merged here with `mlvpc flows merge`, whose report goes to standard
output; --merge-arg adds its options (--format json, --top 20, --model INPUT, ...), --flows-arg
those of the map step (--since, --fields, --ip-ranges with --model, ...).

Dask re-runs the task of a worker that dies; a shard whose run fails fails the whole run, with
that shard's error (exit status 2). mlvpc must be at the same path on every worker.
"""
import argparse
import os
import subprocess
import sys
import tempfile

from distributed import Client


def shard_paths(shard):
    """The paths a shard names (read on the worker: the list is a worker-local file)."""
    if shard.startswith("@"):
        with open(shard[1:], encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    return [shard]


def run_shard(shard, mlvpc, flows_args):
    """The map step: one shard's partial aggregate, as bytes."""
    cmd = [mlvpc, "flows", "--quiet", "--partial", "-", "--files-from", "-"] + list(flows_args)
    try:
        paths = shard_paths(shard)
        done = subprocess.run(cmd, input="\n".join(paths).encode() + b"\n", capture_output=True, check=False)
    except OSError as e:
        raise RuntimeError("shard %s: %s" % (shard, e)) from None
    if done.returncode != 0:
        raise RuntimeError("shard %s: %s" % (shard, done.stderr.decode(errors="replace").strip()))
    return done.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scheduler", required=True, help="the Dask scheduler, tcp://HOST:PORT")
    ap.add_argument("--mlvpc", default="mlvpc", help="the mlvpc binary (on every worker)")
    ap.add_argument("--flows-arg", action="append", default=[], help="an option of the map step")
    ap.add_argument("--merge-arg", action="append", default=[], help="an option of the merge")
    ap.add_argument("shards", nargs="+", metavar="SHARD")
    a = ap.parse_args()
    client = Client(a.scheduler, timeout=30)
    try:
        futures = client.map(run_shard, a.shards, mlvpc=a.mlvpc, flows_args=a.flows_arg, pure=False)
        try:
            partials = client.gather(futures)
        except Exception as e:  # a shard's failure, whatever its kind (a missing list, binary, ...)
            print("flows_dask: %s" % e, file=sys.stderr)
            return 2
    finally:
        client.close()
    with tempfile.TemporaryDirectory(prefix="flows_dask.") as tmp:
        names = []
        for i, p in enumerate(partials):
            name = os.path.join(tmp, "%06d.partial" % i)
            with open(name, "wb") as f:
                f.write(p)
            names.append(name)
        with open(os.path.join(tmp, "partials"), "w", encoding="utf-8") as f:
            f.write("\n".join(names) + "\n")
        done = subprocess.run([a.mlvpc, "flows", "merge", "--files-from", os.path.join(tmp, "partials")]
                              + a.merge_arg, check=False)
        return 2 if done.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
