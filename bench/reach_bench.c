/*
 * reach_bench DIR QUERIES: load DIR once, then time reachability queries
 * between ENIs of the model and from ENIs to the internet (load excluded).
 * Prints the median and 90th percentile time of one query and the batch
 * throughput. Queries are chosen with a fixed seed, so runs compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyses/reach.h"
#include "bench_util.h"

static double now_us(void) { return bench_now_ms() * 1e3; }


int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: reach_bench DIR QUERIES\n");
        return 2;
    }
    int nq = atoi(argv[2]);
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    if (mlvpc_model_load(m, argv[1], NULL, &err) != MLVPC_OK || mlvpc_model_finish(m, &err) != MLVPC_OK) {
        fprintf(stderr, "reach_bench: %s: %s\n", err.file, err.text);
        return 2;
    }
    uint32_t neni = MV_N(m, MK_ENI);
    if (neni < 2 || nq < 1) {
        fprintf(stderr, "reach_bench: need ENIs and queries\n");
        return 2;
    }
    double t0 = now_us();
    reach_engine *e = reach_engine_new(m);
    double t_index = now_us() - t0;
    double *t = malloc((size_t)nq * sizeof *t);
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    int counts[3] = { 0 };
    double start = now_us();
    for (int i = 0; i < nq; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        const char *from = model_str(m, MV_AT(m, MK_ENI, mv_eni, (uint32_t)(seed % neni))->r.id);
        const char *to = i % 4 == 3 ? "internet" : model_str(m, MV_AT(m, MK_ENI, mv_eni, (uint32_t)((seed >> 32) % neni))->r.id);
        reach_query q = { .from = from, .to = to, .proto = MV_TCP, .port_lo = 443, .port_hi = 443 };
        reach_result r;
        double a = now_us();
        int rc = reach_run(e, &q, &r);
        t[i] = now_us() - a;
        if (rc == 0)
            counts[r.verdict]++;
        reach_result_release(&r);
    }
    double total = now_us() - start;
    qsort(t, (size_t)nq, sizeof *t, bench_cmp_double);
    printf("RESULT status=ok enis=%u queries=%d index_ms=%.1f median_us=%.1f p90_us=%.1f max_us=%.1f qps=%.0f "
           "reachable=%d unreachable=%d indeterminate=%d\n",
           neni, nq, t_index / 1e3, t[nq / 2], t[nq * 9 / 10], t[nq - 1], nq / (total / 1e6), counts[0], counts[1],
           counts[2]);
    free(t);
    reach_engine_free(e);
    mlvpc_model_free(m);
    return 0;
}
