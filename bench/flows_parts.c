/*
 * flows_parts FILE TEXT_BYTES ROUNDS — where `mlvpc flows` spends its time
 * on one core: the same file
 *   (1) read and parsed, nothing counted;
 *   (2) read, parsed and its sources counted by bytes in one table of the
 *       kind and bound the aggregation uses (the task the tools of
 *       ../shared/spec/flowlogs.md section 3 were measured on, and the one
 *       mawk does in bench/run.sh);
 *   (3) through the public API with every table and the JSON report, as
 *       flows_bench runs it.
 * The three take turns in each round (the speed of a shared machine
 * drifts), each run a fresh child process. Prints the median of each on
 * one RESULT line for bench/run.sh.
 *
 * (2) batches and prefetches its updates as lib/analyses/flows.c does
 * with its large tables, so that (2) - (1) is about what one such table
 * adds to a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "inputs/flowread.h"
#include "mlvpc/mlvpc.h"
#include "util/fmap.h"

enum { MODES = 3, SOURCE_KEY = 17, MAX_KEYS = 1 << 18, BATCH = 32 };

typedef struct one_run {
    double ms;
    uint64_t records, text_bytes;
    int ok;
} one_run;

typedef struct pending {
    uint64_t key[4], hash, packets, bytes;
} pending;

typedef struct counting {
    fmap sources;
    uint64_t records;
    int oom;
    unsigned queued;
    pending queue[BATCH];
} counting;

static void apply(counting *c, const pending *p);

static void flush(counting *c)
{
    for (unsigned i = 0; i < c->queued; i++)
        apply(c, &c->queue[i]);
    c->queued = 0;
}

static void on_record_parse(void *ctx, const fl_rec *r)
{
    (void)r;
    ((counting *)ctx)->records++;
}

/* One update of the sources' table: the key is the address family and its
 * 16 bytes, zero-padded; past MAX_KEYS keys the table drops its smaller
 * half (fmap_prune). */
static void apply(counting *c, const pending *p)
{
    fmap_val *v = fmap_upsert(&c->sources, p->key, p->hash, MAX_KEYS);
    if (!v && c->sources.n >= MAX_KEYS) {
        fmap_val lost;
        fmap_prune(&c->sources, &lost);
        v = fmap_upsert(&c->sources, p->key, p->hash, MAX_KEYS);
    }
    if (!v) {
        c->oom = 1;
        return;
    }
    fmap_hist_add(&c->sources, v, 2, p->bytes);
    v->records++;
    v->packets = fmap_add_sat(v->packets, p->packets);
    v->bytes = fmap_add_sat(v->bytes, p->bytes);
}

/* Updates queued and their slots prefetched, applied BATCH at a time, as
 * the aggregation does with its large tables (lib/analyses/flows.c). */
static void on_record_sources(void *ctx, const fl_rec *r)
{
    counting *c = ctx;
    c->records++;
    if (r->status != FL_OK)
        return;
    pending *p = &c->queue[c->queued++];
    memset(p->key, 0, sizeof p->key);
    uint8_t *kb = (uint8_t *)p->key;
    kb[0] = r->src.af;
    memcpy(kb + 1, r->src.b, 16);
    p->hash = fmap_hash_padded(&c->sources, p->key);
    p->packets = r->packets;
    p->bytes = r->bytes;
    fmap_prefetch(&c->sources, p->hash, c->sources.stride);
    if (c->queued == BATCH)
        flush(c);
}

static void on_bad(void *ctx, fl_error e, const char *file, uint64_t line, const char *text, size_t n)
{
    (void)ctx, (void)e, (void)file, (void)line, (void)text, (void)n;
}

static int mode;

static int run_reader(const char *path, one_run *r)
{
    counting c;
    memset(&c, 0, sizeof c);
    fmap_init(&c.sources, SOURCE_KEY, 0);
    fl_format fmt;
    fl_default_format(&fmt);
    fl_sink s = { .ctx = &c, .record = mode == 0 ? on_record_parse : on_record_sources, .bad = on_bad };
    mlvpc_diag err;
    double t0 = bench_now_ms();
    mlvpc_status st = fl_read(path, &fmt, &s, &err);
    flush(&c);
    r->ms = bench_now_ms() - t0;
    r->records = c.records;
    r->text_bytes = s.text_bytes;
    r->ok = st == MLVPC_OK && !c.oom;
    if (st != MLVPC_OK)
        fprintf(stderr, "flows_parts: %s: %s\n", err.file, err.text);
    else if (c.oom)
        fprintf(stderr, "flows_parts: out of memory\n");
    fmap_release(&c.sources);
    return r->ok ? 0 : -1;
}

static int run_api(const char *path, one_run *r)
{
    mlvpc_diag err = { 0 };
    mlvpc_flows_opts o = { .since = -1, .until = -1, .threads = 1 };
    FILE *null = fopen("/dev/null", "w");
    double t0 = bench_now_ms();
    mlvpc_flows *f = null ? mlvpc_flows_new(&o, &err) : NULL;
    if (!null || !f || mlvpc_flows_add(f, path, &err) != MLVPC_OK ||
        mlvpc_flows_write(f, MLVPC_FORMAT_JSON, null, &err) != MLVPC_OK) {
        fprintf(stderr, "flows_parts: %s: %s\n", err.file, err.text);
        return -1;
    }
    r->ms = bench_now_ms() - t0;
    r->records = mlvpc_flows_records(f);
    r->text_bytes = 0; /* (not told by the API: the reader's runs check it) */
    r->ok = 1;
    mlvpc_flows_free(f);
    fclose(null);
    return 0;
}

static int one(const char *path, void *out)
{
    return mode < 2 ? run_reader(path, out) : run_api(path, out);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: flows_parts FILE TEXT_BYTES ROUNDS\n");
        return 2;
    }
    double text = atof(argv[2]);
    int rounds = bench_runs(argv[3], 3);
    double ms[MODES][99];
    uint64_t records[MODES] = { 0 };
    for (int i = 0; i < rounds; i++)
        for (mode = 0; mode < MODES; mode++) {
            one_run r;
            if (bench_in_child(one, argv[1], &r, sizeof r) != 0 || !r.ok) {
                printf("RESULT status=error\n");
                return 1;
            }
            ms[mode][i] = r.ms;
            records[mode] = r.records;
            if (mode < 2 && (double)r.text_bytes != text) {
                fprintf(stderr, "flows_parts: read %llu bytes of text, not TEXT_BYTES\n", (unsigned long long)r.text_bytes);
                printf("RESULT status=error\n");
                return 1;
            }
        }
    if (!records[0] || records[0] != records[1] || records[1] != records[2]) {
        fprintf(stderr, "flows_parts: no records, or the three read different counts\n");
        printf("RESULT status=error\n");
        return 1;
    }
    static const char *const name[MODES] = { "parse", "sources", "all" };
    printf("RESULT status=ok records=%llu", (unsigned long long)records[0]);
    for (int m = 0; m < MODES; m++) {
        double med = bench_median(ms[m], rounds);
        printf(" %s_ms=%.0f %s_gb_s=%.3f", name[m], med, name[m], text / 1e9 / (med / 1e3));
    }
    printf("\n");
    return 0;
}
