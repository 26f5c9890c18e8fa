/*
 * tf_bench FILE RUNS — load a Terraform plan JSON, split into its stages:
 * read (the file into memory), parse (the JSON reader's tape), tree (the
 * located tree), link (the Terraform interpreter: instances, references,
 * model objects) and finish (the model's resolver). A second timing loads the
 * same file through the public API (mlvpc_model_load + finish), which is what
 * `mlvpc audit plan.json` pays. Each run is a fresh child process (cold
 * allocator, own peak RSS); prints medians on one RESULT line for
 * bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "inputs/json.h"
#include "inputs/tf.h"
#include "inputs/tree.h"
#include "mlvpc/mlvpc.h"
#include "model/model.h"

typedef struct run {
    double read, parse, tree, link, finish, api;
    long resources, rss_kib;
    size_t bytes;
} run;

static int stages(const char *path, void *out)
{
    run *r = out;
    mlvpc_diag err;
    double t0 = bench_now_ms();
    char *buf = bench_read_file("tf_bench", path, &r->bytes);
    if (!buf)
        return -1;
    double t1 = bench_now_ms();
    jdoc d;
    memset(&d, 0, sizeof d);
    if (json_parse(&d, buf, r->bytes, 256) != 0) {
        fprintf(stderr, "tf_bench: %s: %s\n", path, d.err);
        return -1;
    }
    double t2 = bench_now_ms();
    mlvpc_model *m = mlvpc_model_new();
    tnode *root = m ? tree_from_jdoc(&m->ar, &d, tf_unread_keys(&d)) : NULL;
    if (!root || !tf_is_terraform(root)) {
        fprintf(stderr, "tf_bench: %s: not a Terraform plan\n", path);
        return -1;
    }
    double t3 = bench_now_ms();
    uint32_t fidx;
    if (vec_push(&m->files, sizeof(mv_file), &fidx) != 0)
        return -1;
    *VEC_AT(m->files, mv_file, fidx) = (mv_file){ .path = path, .format = MF_TERRAFORM };
    uint32_t region = model_sym(m, "us-east-1", 9);
    if (tf_load(m, root, fidx, region, 0, &err) != MLVPC_OK) {
        fprintf(stderr, "tf_bench: %s:%u:%u: %s\n", err.file, err.line, err.column, err.text);
        return -1;
    }
    double t4 = bench_now_ms();
    if (mlvpc_model_finish(m, &err) != MLVPC_OK)
        return -1;
    double t5 = bench_now_ms();
    r->read = t1 - t0;
    r->parse = t2 - t1;
    r->tree = t3 - t2;
    r->link = t4 - t3;
    r->finish = t5 - t4;
    r->resources = (long)mlvpc_model_resource_count(m);
    json_release(&d);
    mlvpc_model_free(m);
    free(buf);
    return 0;
}

static int api(const char *path, void *out)
{
    run *r = out;
    mlvpc_diag err;
    mlvpc_load_opts o = { .region = "us-east-1" };
    double t0 = bench_now_ms();
    mlvpc_model *m = mlvpc_model_new();
    if (!m || mlvpc_model_load(m, path, &o, &err) != MLVPC_OK || mlvpc_model_finish(m, &err) != MLVPC_OK)
        return -1;
    r->api = bench_now_ms() - t0;
    mlvpc_model_free(m);
    r->rss_kib = bench_peak_rss_kib();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: tf_bench PLAN.json RUNS\n");
        return 2;
    }
    int runs = bench_runs(argv[2], 7);
    double rd[99], pa[99], tr[99], li[99], fi[99], ap[99];
    run last = { 0 };
    long rss = 0;
    for (int i = 0; i < runs; i++) {
        run s = { 0 }, a = { 0 };
        if (bench_in_child(stages, argv[1], &s, sizeof s) != 0 || bench_in_child(api, argv[1], &a, sizeof a) != 0) {
            printf("RESULT status=error\n");
            return 1;
        }
        rd[i] = s.read;
        pa[i] = s.parse;
        tr[i] = s.tree;
        li[i] = s.link;
        fi[i] = s.finish;
        ap[i] = a.api;
        if (a.rss_kib > rss)
            rss = a.rss_kib;
        last = s;
    }
    printf("RESULT status=ok bytes=%zu resources=%ld read_ms=%.1f parse_ms=%.1f tree_ms=%.1f link_ms=%.1f "
           "finish_ms=%.1f api_ms=%.1f rss_mib=%ld\n",
           last.bytes, last.resources, bench_median(rd, runs), bench_median(pa, runs), bench_median(tr, runs),
           bench_median(li, runs), bench_median(fi, runs), bench_median(ap, runs), rss / 1024);
    return 0;
}
