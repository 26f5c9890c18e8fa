/*
 * audit_bench DIR RUNS — `mlvpc audit DIR --format json` end to end, split
 * into load (read, parse, finish), rules and output (JSON to /dev/null).
 * Each run is a fresh child process (cold allocator, own peak RSS); prints
 * medians on one RESULT line for bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "mlvpc/mlvpc.h"

typedef struct run {
    double load, rules, output;
    long findings, resources, rss_kib;
} run;

static int one(const char *dir, void *out)
{
    run *r = out;
    mlvpc_diag err;
    double t0 = bench_now_ms();
    mlvpc_model *m = mlvpc_model_new();
    if (!m || mlvpc_model_load(m, dir, NULL, &err) != MLVPC_OK || mlvpc_model_finish(m, &err) != MLVPC_OK)
        return -1;
    double t1 = bench_now_ms();
    mlvpc_audit_opts o = { 0 };
    mlvpc_audit *a = mlvpc_audit_new(m, &o, &err);
    if (!a || mlvpc_audit_run(a, &err) != MLVPC_OK)
        return -1;
    double t2 = bench_now_ms();
    FILE *null = fopen("/dev/null", "w");
    if (!null || mlvpc_audit_write(a, MLVPC_FORMAT_JSON, null, &err) != MLVPC_OK)
        return -1;
    fclose(null);
    double t3 = bench_now_ms();
    r->load = t1 - t0;
    r->rules = t2 - t1;
    r->output = t3 - t2;
    r->findings = (long)mlvpc_audit_finding_count(a);
    r->resources = (long)mlvpc_model_resource_count(m);
    mlvpc_audit_free(a);
    mlvpc_model_free(m);
    r->rss_kib = bench_peak_rss_kib();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: audit_bench DIR RUNS\n");
        return 2;
    }
    int runs = bench_runs(argv[2], 7);
    double load[99], rules[99], output[99], total[99];
    run last = { 0 };
    long rss = 0;
    for (int i = 0; i < runs; i++) {
        run r;
        if (bench_in_child(one, argv[1], &r, sizeof r) != 0) {
            printf("RESULT status=error\n");
            return 1;
        }
        load[i] = r.load;
        rules[i] = r.rules;
        output[i] = r.output;
        total[i] = r.load + r.rules + r.output;
        if (r.rss_kib > rss)
            rss = r.rss_kib;
        last = r;
    }
    printf("RESULT status=ok resources=%ld findings=%ld load_ms=%.1f rules_ms=%.1f output_ms=%.1f total_ms=%.1f "
           "rss_mib=%ld\n",
           last.resources, last.findings, bench_median(load, runs), bench_median(rules, runs),
           bench_median(output, runs), bench_median(total, runs), rss / 1024);
    return 0;
}
