/*
 * flows_bench FILE TEXT_BYTES RUNS [THREADS] — `mlvpc flows FILE --format json` through the
 * public API (read, parse, aggregate, report to /dev/null), each run a
 * fresh child process; prints medians and the peak RSS on one RESULT line
 * for bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "mlvpc/mlvpc.h"

static unsigned threads; /* 0: one per core */

typedef struct run {
    double ms;
    uint64_t text_bytes, records;
    long rss_kib;
} run;

static int one(const char *path, void *out)
{
    run *r = out;
    mlvpc_diag err;
    mlvpc_flows_opts o = { .since = -1, .until = -1, .threads = threads };
    FILE *null = fopen("/dev/null", "w");
    double t0 = bench_now_ms();
    mlvpc_flows *f = mlvpc_flows_new(&o, &err);
    if (!null || !f || mlvpc_flows_add(f, path, &err) != MLVPC_OK ||
        mlvpc_flows_write(f, MLVPC_FORMAT_JSON, null, &err) != MLVPC_OK) {
        fprintf(stderr, "flows_bench: %s: %s\n", err.file, err.text);
        return -1;
    }
    r->ms = bench_now_ms() - t0;
    r->records = mlvpc_flows_records(f);
    mlvpc_flows_free(f);
    fclose(null);
    r->rss_kib = bench_peak_rss_kib();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: flows_bench FILE TEXT_BYTES RUNS [THREADS]\n");
        return 2;
    }
    threads = argc == 5 ? (unsigned)atoi(argv[4]) : 0;
    double text = atof(argv[2]);
    int runs = bench_runs(argv[3], 3);
    double ms[99];
    run last = { 0 };
    long rss = 0;
    for (int i = 0; i < runs; i++) {
        run r;
        if (bench_in_child(one, argv[1], &r, sizeof r) != 0) {
            printf("RESULT status=error\n");
            return 1;
        }
        ms[i] = r.ms;
        if (r.rss_kib > rss)
            rss = r.rss_kib;
        last = r;
    }
    double fastest = ms[0];
    for (int i = 1; i < runs; i++)
        fastest = ms[i] < fastest ? ms[i] : fastest;
    double med = bench_median(ms, runs); /* (reorders ms) */
    printf("RESULT status=ok records=%llu ms=%.0f min_ms=%.0f gb_s=%.3f rss_mib=%ld\n", (unsigned long long)last.records,
           med, fastest, text / 1e9 / (med / 1e3), rss / 1024);
    return 0;
}
