/* Flow-log aggregation (flows.h) and the mlvpc_flows API (but writing). */
#include "flows.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../inputs/flowread.h"

/* Key layouts: an address is its family byte and 16 bytes; a port key is
 * the protocol (2 bytes, little-endian), 2 zero bytes and the destination
 * port (4 bytes). */
enum {
    ADDR = FLOWS_ADDR_KEY, K_PAIR = 2 * ADDR, K_PORT = 8,
    K_REJECT = 2 * ADDR + K_PORT + FLOWS_ENI_KEY + 1, /* pair, port, recording interface, BPA */
};

static const uint32_t key_size[FT_COUNT] = {
    [FT_SRC] = ADDR, [FT_DST] = ADDR, [FT_PAIR] = K_PAIR, [FT_PORT] = K_PORT, [FT_REJECT] = K_REJECT,
    [FT_ENI] = FLOWS_ENI_KEY, [FT_NODATA] = FLOWS_ENI_KEY, [FT_INET] = FLOWS_ENI_KEY,
    [FT_XAZ] = 2 * FLOWS_ENI_KEY, [FT_AWS] = FLOWS_ENI_KEY + FLOWS_SERVICE_KEY + 1,
    [FT_EGRESS] = FLOWS_ENI_KEY + ADDR + 4, [FT_ISO] = FLOWS_ENI_KEY + ADDR + 1,
};

mlvpc_status flows_fail(mlvpc_diag *err, mlvpc_status st, const char *file, const char *text)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = st;
        snprintf(err->file, sizeof err->file, "%s", file ? file : "");
        snprintf(err->text, sizeof err->text, "%s", text);
    }
    return st;
}

/* Tables rank their keys by bytes, REJECT patterns by records (fmap.rank). */
static inline int table_rank(fl_table t) { return t == FT_REJECT ? 0 : 2; }

/* The interfaces' table alone has a counter of its own (`extra`: REJECT
 * records); the others' slots are a word shorter (an address key's, one
 * cache line). */
static inline int table_extra(fl_table t) { return t == FT_ENI; }

static void table_init(fmap *m, fl_table t)
{
    fmap_init(m, key_size[t], table_extra(t));
    m->rank = (uint8_t)table_rank(t);
}

mlvpc_flows *mlvpc_flows_new(const mlvpc_flows_opts *opts, mlvpc_diag *err)
{
    mlvpc_flows *f = calloc(1, sizeof *f);
    if (!f) {
        flows_fail(err, MLVPC_ERR_NOMEM, NULL, "out of memory");
        return NULL;
    }
    f->since = opts ? opts->since : -1;
    f->until = opts ? opts->until : -1;
    f->top = opts && opts->top ? opts->top : 10;
    f->progress = opts ? opts->progress : NULL;
    f->progress_ctx = opts ? opts->progress_ctx : NULL;
    f->threads = opts ? opts->threads : 0;
    f->first = f->last = -1;
    f->prices = flows_default_prices;
    for (int t = 0; t < FT_COUNT; t++)
        table_init(&f->t[t], (fl_table)t);
    const char *bad;
    if (opts && opts->fields) {
        if (!fl_parse_format(opts->fields, strlen(opts->fields), &f->fields, &bad)) {
            if (err) {
                flows_fail(err, MLVPC_ERR_USAGE, NULL, "");
                snprintf(err->text, sizeof err->text, "--fields: \"%.*s\" is not a field name",
                         (int)(strcspn(bad, " ,") < 40 ? strcspn(bad, " ,") : 40), bad);
            }
            free(f);
            return NULL;
        }
    } else {
        fl_default_format(&f->fields);
    }
    return f;
}

void mlvpc_flows_free(mlvpc_flows *f)
{
    if (!f)
        return;
    for (int t = 0; t < FT_COUNT; t++)
        fmap_release(&f->t[t]);
    fmap_release(&f->eni_index);
    fmap_release(&f->addr_index);
    flows_ranges_free(f->ranges);
    free(f->eni_res);
    free(f->eni_iso);
    free(f->inside);
    free(f->explained);
    free(f->contradict);
    free(f);
}

uint64_t mlvpc_flows_records(const mlvpc_flows *f)
{
    return f ? f->status[FL_OK] + f->status[FL_NODATA] + f->status[FL_SKIPDATA] + f->outside : 0;
}

uint64_t mlvpc_flows_unusable(const mlvpc_flows *f)
{
    uint64_t n = 0;
    for (int e = 1; f && e < FL_E_COUNT; e++)
        n += f->bad[e];
    return n;
}

/* ------------------------------------------------------------------ records */

static void put_le(uint8_t *k, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        k[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le(const uint8_t *k, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint32_t)k[i] << (8 * i);
    return v;
}

static void put_addr(uint8_t *k, const ip_addr *a)
{
    k[0] = a->af;
    memcpy(k + 1, a->b, 16);
}

void flows_prune(mlvpc_flows *f, fl_table t)
{
    fmap_val lost;
    fmap_prune(&f->t[t], &lost);
    *fmap_counter(&lost, table_rank(t)) = 0; /* (the table's floor bounds that one) */
    flows_add_val(&f->lost[t], &lost);
    flows_add_prunes(&f->prunes[t], 1);
}

void flows_bound(const mlvpc_flows *f, fl_table t, fmap_val *b)
{
    *b = f->lost[t];
    *fmap_counter(b, table_rank(t)) = f->t[t].floor;
}

void flows_row_bound(const mlvpc_flows *f, fl_table t, uint32_t slot, fmap_val *b)
{
    uint64_t missed = fmap_val_at(&f->t[t], slot)->missed;
    *b = missed ? f->lost[t] : (fmap_val){ 0 };
    *fmap_counter(b, table_rank(t)) = missed;
}

/* Table t's counters of a key padded with zeros to whole words (pruning
 * first when a new key would pass the bound); NULL when out of memory. */
static fmap_val *upsert(mlvpc_flows *f, fl_table t, const uint64_t *key, uint64_t hash)
{
    fmap_val *v = fmap_upsert(&f->t[t], key, hash, FLOWS_MAX_KEYS);
    if (!v && f->t[t].n >= FLOWS_MAX_KEYS) { /* a new key past the bound: the smaller half goes first */
        flows_prune(f, t);
        v = fmap_upsert(&f->t[t], key, hash, FLOWS_MAX_KEYS);
    }
    if (!v)
        f->oom = true;
    return v;
}

/* One update of table t's counters of a key zero-padded to whole words. */
static inline __attribute__((always_inline)) void update(mlvpc_flows *f, fl_table t, const uint64_t *key,
                                                         uint64_t hash, uint64_t packets, uint64_t bytes,
                                                         uint64_t extra)
{
    const uint32_t words = (key_size[t] + 7) / 8;
    uint32_t at;
    fmap_val *v = fmap_lookup(&f->t[t], key, hash, words, table_extra(t), &at);
    if (!v)
        v = fmap_insert_at(&f->t[t], key, hash, words, table_extra(t), at, FLOWS_MAX_KEYS);
    if (!v && !(v = upsert(f, t, key, hash)))
        return;
    fmap_hist_add(&f->t[t], v, table_rank(t), table_rank(t) == 0 ? 1 : bytes);
    v->records++;
    flows_add(&v->packets, packets);
    flows_add(&v->bytes, bytes);
    if (table_extra(t))
        v->extra += extra;
}

/* Updates of a table larger than the caches are batched: each is hashed
 * and its slot prefetched when queued, and applied when its table's batch
 * is full, so that the cache misses of large tables overlap instead of
 * adding up, and the lookups of one batch share a key size and a branch
 * history. */
static inline __attribute__((always_inline)) void apply(mlvpc_flows *f, fl_table t)
{
    fl_batch *b = &f->batch[t];
    for (unsigned i = 0; i < b->n; i++) {
        const fl_update *u = &b->u[i];
        update(f, t, u->key, u->hash, u->packets, u->bytes, u->extra);
    }
    b->n = 0;
}

/* Table t's queued updates; each case is apply() for one table, its key
 * size and ranking counter constants (the key compare unrolled). */
static void flush(mlvpc_flows *f, fl_table t)
{
    switch (t) {
    case FT_SRC: apply(f, FT_SRC); break;
    case FT_DST: apply(f, FT_DST); break;
    case FT_PAIR: apply(f, FT_PAIR); break;
    case FT_PORT: apply(f, FT_PORT); break;
    case FT_REJECT: apply(f, FT_REJECT); break;
    case FT_ENI: apply(f, FT_ENI); break;
    case FT_NODATA: apply(f, FT_NODATA); break;
    case FT_INET: apply(f, FT_INET); break;
    case FT_XAZ: apply(f, FT_XAZ); break;
    case FT_AWS: apply(f, FT_AWS); break;
    case FT_EGRESS: apply(f, FT_EGRESS); break;
    case FT_ISO: apply(f, FT_ISO); break;
    case FT_COUNT: break;
    }
}

static void flush_all(mlvpc_flows *f)
{
    for (int t = 0; t < FT_COUNT; t++)
        if (f->batch[t].n)
            flush(f, (fl_table)t);
}

/* Table t's key copied into k zero-padded to sixteen bytes; its hash. */
static inline __attribute__((always_inline)) uint64_t padded(const fmap *m, fl_table t, uint64_t *k, const void *key)
{
    memset(k, 0, (key_size[t] + 15) & ~15u);
    memcpy(k, key, key_size[t]);
    return fmap_hash_sized(m, k, key_size[t]);
}

/* (inlined: each call names its table, so the key's size is a constant)
 * A table that fits in the L2 cache is updated at once: its slots are
 * near, and a queued update would only add a copy. Either way the updates
 * of one table are applied in the order of the records. */
static inline __attribute__((always_inline)) void count(mlvpc_flows *f, fl_table t, const void *key, const fl_rec *r,
                                                        uint64_t extra)
{
    fl_batch *b = &f->batch[t];
    const fmap *m = &f->t[t];
    const uint32_t stride = (fmap_key_at(table_extra(t)) + key_size[t] + 7) & ~7u; /* (m->stride, as a constant) */
    /* (during a read a table only grows, and every read ends with its queues
     * emptied: a table with queued updates never goes back to this path) */
    if (m->cap <= FLOWS_NEAR_BYTES / stride) {
        uint64_t k[FMAP_KEY_MAX / 8];
        update(f, t, k, padded(m, t, k, key), r->packets, r->bytes, extra);
        return;
    }
    if (b->n == FLOWS_BATCH)
        flush(f, t);
    fl_update *u = &b->u[b->n++];
    u->hash = padded(m, t, u->key, key);
    u->packets = r->packets;
    u->bytes = r->bytes;
    u->extra = extra;
    fmap_prefetch(m, u->hash, stride);
}

static void on_record(void *ctx, const fl_rec *r)
{
    mlvpc_flows *f = ctx;
    if ((f->since >= 0 && r->end >= 0 && r->end < f->since) || (f->until >= 0 && r->start >= f->until)) {
        f->outside++;
        return;
    }
    f->status[r->status]++;
    /* (selects, not branches: the times of records in a file go back and forth) */
    f->first = r->start >= 0 && (f->first < 0 || r->start < f->first) ? r->start : f->first;
    f->last = r->end > f->last ? r->end : f->last;
    uint8_t eni[FLOWS_ENI_KEY];
    flows_eni_key(eni, r->eni.p ? r->eni.p : "-", r->eni.p ? r->eni.n : 1);
    if (r->status != FL_OK) {
        count(f, FT_NODATA, eni, r, 0); /* (no packets, no bytes) */
        return;
    }
    flows_add(&f->packets, r->packets);
    flows_add(&f->bytes, r->bytes);
    uint64_t *a = f->action[r->action];
    a[0]++;
    flows_add(&a[1], r->packets);
    flows_add(&a[2], r->bytes);
    uint8_t k[K_REJECT];
    memset(k, 0, sizeof k);
    put_addr(k, &r->src);
    count(f, FT_SRC, k, r, 0);
    put_addr(k + ADDR, &r->dst);
    count(f, FT_PAIR, k, r, 0);
    count(f, FT_DST, k + ADDR, r, 0);
    uint8_t *pk = k + K_PAIR;
    put_le(pk, (uint16_t)r->proto, 2); /* little-endian whatever the host: partials carry keys */
    put_le(pk + 4, (uint32_t)r->dport, 4);
    count(f, FT_PORT, pk, r, 0);
    if (r->action == FL_REJECT) {
        memcpy(k + K_PAIR + K_PORT, eni, FLOWS_ENI_KEY);
        k[K_REJECT - 1] = r->bpa;
        count(f, FT_REJECT, k, r, 0);
    }
    count(f, FT_ENI, eni, r, r->action == FL_REJECT);
    if (r->action == FL_ACCEPT && r->src.af && flows_inside_addr(f, &r->src) && r->dst.af &&
        !flows_inside_addr(f, &r->dst))
        count(f, FT_INET, eni, r, 0);
    if (f->model && r->action == FL_ACCEPT) {
        uint8_t xk[FMAP_KEY_MAX];
        xk[0] = 0;
        flows_join_record(f, r, xk);
        if (xk[0])
            count(f, FT_XAZ, xk, r, 0);
        if (f->ranges && flows_aws_key(f, r, xk))
            count(f, FT_AWS, xk, r, 0);
        xk[0] = 0;
        flows_egress_key(f, r, xk);
        if (xk[0])
            count(f, FT_EGRESS, xk, r, 0);
        xk[0] = 0;
        flows_iso_key(f, r, xk);
        if (xk[0])
            count(f, FT_ISO, xk, r, 0);
    }
}

static int cmp_sample(const fl_sample *a, const fl_sample *b)
{
    int c = strcmp(a->file, b->file);
    return c ? c : a->line < b->line ? -1 : a->line > b->line;
}

void flows_add_sample(mlvpc_flows *f, const fl_sample *s)
{
    unsigned i = f->nsamples;
    while (i > 0 && cmp_sample(s, &f->samples[i - 1]) < 0)
        i--;
    if (i == FLOWS_SAMPLES)
        return; /* later than the five kept */
    unsigned last = f->nsamples < FLOWS_SAMPLES ? f->nsamples : FLOWS_SAMPLES - 1;
    memmove(&f->samples[i + 1], &f->samples[i], (last - i) * sizeof *s);
    f->samples[i] = *s;
    if (f->nsamples < FLOWS_SAMPLES)
        f->nsamples++;
}

static void on_bad(void *ctx, fl_error e, const char *file, uint64_t line, const char *text, size_t n)
{
    mlvpc_flows *f = ctx;
    f->bad[e]++;
    if (f->nsamples == FLOWS_SAMPLES && strcmp(file, f->samples[FLOWS_SAMPLES - 1].file) >= 0)
        return; /* (the common case of many bad lines in one file: cheap) */
    fl_sample s;
    s.why = e;
    s.line = line;
    snprintf(s.file, sizeof s.file, "%s", file);
    size_t k = n < sizeof s.text - 1 ? n : sizeof s.text - 1;
    for (size_t i = 0; i < k; i++) /* printable ASCII only: the text is shown to users */
        s.text[i] = text[i] >= 0x20 && text[i] < 0x7f ? text[i] : '?';
    s.text[k] = '\0';
    flows_add_sample(f, &s);
}

/* A parallel read: the files of a directory shared among threads, each
 * with its own aggregate, joined at the end by the same addition that
 * merges partials. Which thread reads which file depends only on the files
 * and the number of threads (the largest first, each to the thread with the
 * fewest bytes so far), each thread reads its files in order and the
 * aggregates are joined in thread order, so a run's tables past their
 * bound are the same from one run to the next. */
typedef struct fl_pool {
    mlvpc_flows *f;
    char **files;
    size_t nfiles;
    uint32_t *owner; /* per file: the thread that reads it */
    atomic_bool stop;
    atomic_uint_least64_t bytes, records; /* read by all threads, for progress */
    pthread_mutex_t lock;                 /* the progress callback; the error */
    size_t err_at;                        /* the failed file first in reading order */
    mlvpc_status st;
    mlvpc_diag err;
} fl_pool;

typedef struct fl_worker {
    fl_pool *p;
    uint32_t id;
    mlvpc_flows w;
    uint64_t seen_bytes, seen_records; /* already added to the pool's counters */
} fl_worker;

static void on_progress(void *ctx, uint64_t in_bytes)
{
    mlvpc_flows *f = ctx;
    fl_pool *p = f->pool;
    if (!p) {
        if (f->progress)
            f->progress(f->progress_ctx, f->done_bytes + in_bytes, f->total_bytes, mlvpc_flows_records(f));
        return;
    }
    fl_worker *k = (fl_worker *)((char *)f - offsetof(fl_worker, w));
    uint64_t recs = mlvpc_flows_records(f);
    uint64_t b = atomic_fetch_add(&p->bytes, in_bytes - k->seen_bytes) + in_bytes - k->seen_bytes;
    uint64_t r = atomic_fetch_add(&p->records, recs - k->seen_records) + recs - k->seen_records;
    k->seen_bytes = in_bytes;
    k->seen_records = recs;
    if (p->f->progress) {
        pthread_mutex_lock(&p->lock);
        p->f->progress(p->f->progress_ctx, p->f->done_bytes + b, p->f->total_bytes, mlvpc_flows_records(p->f) + r);
        pthread_mutex_unlock(&p->lock);
    }
}

/* Add src's counts into dst; false when out of memory. A table takes all
 * of src's keys before it is pruned back to its bound: the keys and counts
 * it keeps then depend on neither the order of src's slots (its hash seed)
 * nor the order of the adds. */
static bool add_state(mlvpc_flows *dst, const mlvpc_flows *src)
{
    const uint64_t *from[] = { &src->files, &src->in_bytes, &src->text_bytes, &src->lines, &src->headers,
                               &src->outside, &src->packets, &src->bytes };
    uint64_t *to[] = { &dst->files, &dst->in_bytes, &dst->text_bytes, &dst->lines, &dst->headers,
                       &dst->outside, &dst->packets, &dst->bytes };
    for (size_t i = 0; i < sizeof to / sizeof *to; i++)
        flows_add(to[i], *from[i]);
    for (int i = 0; i < 3; i++)
        flows_add(&dst->status[i], src->status[i]);
    for (int i = 0; i < FL_E_COUNT; i++)
        flows_add(&dst->bad[i], src->bad[i]);
    for (int a = 0; a < 3; a++)
        for (int k = 0; k < 3; k++)
            flows_add(&dst->action[a][k], src->action[a][k]);
    if (src->first >= 0 && (dst->first < 0 || src->first < dst->first))
        dst->first = src->first;
    if (src->last > dst->last)
        dst->last = src->last;
    for (unsigned i = 0; i < src->nsamples; i++)
        flows_add_sample(dst, &src->samples[i]);
    for (int t = 0; t < FT_COUNT; t++) {
        const fmap *m = &src->t[t];
        flows_add_prunes(&dst->prunes[t], src->prunes[t]);
        flows_add_val(&dst->lost[t], &src->lost[t]);
        fmap *d = &dst->t[t];
        fmap_merge_begin(d, m->floor);
        for (uint32_t i = 0; i < m->cap; i++)
            if (fmap_used(m, i) && !fmap_merge_key(d, fmap_key(m, i), fmap_hash(d, fmap_key(m, i)), fmap_val_at(m, i),
                                                   m->floor))
                return false;
        fmap_merge_end(d, m->floor);
        while (d->n > FLOWS_MAX_KEYS && !dst->oom)
            flows_prune(dst, (fl_table)t);
    }
    return !dst->oom;
}

static void *work(void *arg)
{
    fl_worker *k = arg;
    fl_pool *p = k->p;
    fl_scratch whole = { 0 }; /* (a thread's gzip buffers, kept from file to file) */
    fl_sink s = { .ctx = &k->w, .record = on_record, .bad = on_bad, .progress = on_progress, .scratch = &whole };
    for (size_t i = 0; i < p->nfiles && !atomic_load(&p->stop); i++) {
        if (p->owner[i] != k->id)
            continue;
        mlvpc_diag e;
        k->seen_bytes = 0; /* the sink's count restarts with each call */
        s.in_bytes = 0;
        mlvpc_status st = fl_read(p->files[i], &k->w.fields, &s, &e);
        k->w.in_bytes += s.in_bytes;
        s.in_bytes = 0;
        if (st != MLVPC_OK) {
            pthread_mutex_lock(&p->lock);
            if (i < p->err_at) {
                p->err_at = i;
                p->st = st;
                p->err = e;
            }
            pthread_mutex_unlock(&p->lock);
            atomic_store(&p->stop, true);
        }
    }
    fl_scratch_free(&whole);
    flush_all(&k->w);
    k->w.files = s.files, k->w.text_bytes = s.text_bytes, k->w.lines = s.lines, k->w.headers = s.headers;
    return NULL;
}

static void worker_init(fl_worker *k, fl_pool *p, uint32_t id)
{
    const mlvpc_flows *f = p->f;
    memset(k, 0, sizeof *k);
    k->p = p;
    k->id = id;
    mlvpc_flows *w = &k->w;
    w->fields = f->fields, w->since = f->since, w->until = f->until, w->top = f->top, w->prices = f->prices;
    w->model = f->model, w->eni_index = f->eni_index, w->addr_index = f->addr_index, w->ranges = f->ranges;
    w->eni_res = f->eni_res, w->eni_iso = f->eni_iso, w->inside = f->inside, w->ninside = f->ninside;
    w->first = w->last = -1;
    w->pool = p;
    for (int t = 0; t < FT_COUNT; t++)
        table_init(&w->t[t], (fl_table)t);
}

enum { FLOWS_MAX_THREADS = 64 };

typedef struct fl_sized {
    uint64_t bytes;
    size_t i;
} fl_sized;

static int cmp_sized(const void *a, const void *b)
{
    const fl_sized *x = a, *y = b;
    return x->bytes != y->bytes ? (x->bytes < y->bytes ? 1 : -1) : (x->i > y->i) - (x->i < y->i);
}

/* owner[i] for each file: the largest first, each to the thread with the
 * fewest bytes so far (the lowest-numbered among equals); false when out of
 * memory. */
static bool assign(char **files, size_t nfiles, unsigned nthreads, uint32_t *owner)
{
    fl_sized *v = malloc(nfiles * sizeof *v);
    uint64_t load[FLOWS_MAX_THREADS] = { 0 };
    if (!v)
        return false;
    for (size_t i = 0; i < nfiles; i++)
        v[i] = (fl_sized){ fl_input_size(files[i]), i };
    qsort(v, nfiles, sizeof *v, cmp_sized);
    for (size_t j = 0; j < nfiles; j++) {
        uint32_t least = 0;
        for (uint32_t w = 1; w < nthreads; w++)
            least = load[w] < load[least] ? w : least;
        owner[v[j].i] = least;
        load[least] += v[j].bytes;
    }
    free(v);
    return true;
}

static mlvpc_status add_parallel(mlvpc_flows *f, char **files, size_t nfiles, unsigned nthreads, mlvpc_diag *err)
{
    fl_pool p = { .f = f, .files = files, .nfiles = nfiles, .err_at = (size_t)-1 };
    atomic_init(&p.stop, false);
    atomic_init(&p.bytes, 0);
    atomic_init(&p.records, 0);
    pthread_mutex_init(&p.lock, NULL);
    fl_worker *k = calloc(nthreads, sizeof *k);
    pthread_t *th = calloc(nthreads, sizeof *th);
    bool *running = calloc(nthreads, sizeof *running);
    p.owner = malloc(nfiles * sizeof *p.owner);
    if (!k || !th || !running || !p.owner || !assign(files, nfiles, nthreads, p.owner)) {
        free(k);
        free(th);
        free(running);
        free(p.owner);
        pthread_mutex_destroy(&p.lock);
        flows_fail(err, MLVPC_ERR_NOMEM, NULL, "out of memory");
        return MLVPC_ERR_NOMEM;
    }
    for (unsigned i = 0; i < nthreads; i++) {
        worker_init(&k[i], &p, i);
        running[i] = pthread_create(&th[i], NULL, work, &k[i]) == 0;
    }
    for (unsigned i = 0; i < nthreads; i++) {
        if (running[i])
            pthread_join(th[i], NULL);
        else
            work(&k[i]); /* a thread that could not start: its files read here */
    }
    bool ok = true;
    for (unsigned i = 0; i < nthreads; i++) {
        for (int t = 0; t < FT_COUNT; t++) /* an empty table takes a worker's whole (adding it key by key: the same) */
            if (!f->t[t].n && !f->t[t].floor) {
                fmap_release(&f->t[t]);
                f->t[t] = k[i].w.t[t];
                memset(&k[i].w.t[t], 0, sizeof k[i].w.t[t]);
            }
        ok = ok && add_state(f, &k[i].w);
        for (int t = 0; t < FT_COUNT; t++)
            fmap_release(&k[i].w.t[t]);
        f->oom = f->oom || k[i].w.oom;
    }
    free(running);
    free(p.owner);
    pthread_mutex_destroy(&p.lock);
    free(k);
    free(th);
    if (!ok) {
        flows_fail(err, MLVPC_ERR_NOMEM, NULL, "out of memory");
        return MLVPC_ERR_NOMEM;
    }
    if (p.st != MLVPC_OK && err)
        *err = p.err;
    return p.st;
}

mlvpc_status mlvpc_flows_add(mlvpc_flows *f, const char *path, mlvpc_diag *err)
{
    if (!f || !path) {
        flows_fail(err, MLVPC_ERR_USAGE, NULL, "no aggregation or path given");
        return MLVPC_ERR_USAGE;
    }
    f->done_bytes = f->in_bytes;
    f->total_bytes = f->progress ? f->in_bytes + fl_input_size(path) : 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned nthreads = f->threads ? f->threads : cores > 0 ? (unsigned)cores : 1;
    nthreads = nthreads < FLOWS_MAX_THREADS ? nthreads : FLOWS_MAX_THREADS;
    char **files = NULL;
    size_t nfiles = 0;
    mlvpc_status st;
    if (nthreads > 1 && strcmp(path, "-") != 0 && (st = fl_list_files(path, &files, &nfiles, err)) != MLVPC_OK)
        return st;
    if (nfiles > 1) {
        st = add_parallel(f, files, nfiles, nthreads < nfiles ? nthreads : (unsigned)nfiles, err);
        fl_files_free(files, nfiles);
    } else {
        fl_files_free(files, nfiles);
        fl_sink s = { .ctx = f, .record = on_record, .bad = on_bad, .progress = on_progress };
        st = fl_read(path, &f->fields, &s, err);
        flush_all(f);
        f->files += s.files;
        f->in_bytes += s.in_bytes;
        f->text_bytes += s.text_bytes;
        f->lines += s.lines;
        f->headers += s.headers;
    }
    if (st == MLVPC_OK && f->oom) {
        flows_fail(err, MLVPC_ERR_NOMEM, NULL, "out of memory (distinct keys)");
        st = MLVPC_ERR_NOMEM;
    }
    return st;
}

/* ------------------------------------------------------------------ reading the tables */

static void get_addr(const uint8_t *k, ip_addr *a)
{
    a->af = k[0];
    memcpy(a->b, k + 1, 16);
}

static void get_eni(const uint8_t *k, char *out)
{
    memcpy(out, k, FLOWS_ENI_KEY);
    out[FLOWS_ENI_KEY] = '\0';
}

void flows_key(fl_table t, const void *key, fl_key *out)
{
    const uint8_t *k = key;
    memset(out, 0, sizeof *out);
    out->proto = -1;
    out->dport = -1;
    switch (t) {
    case FT_SRC: get_addr(k, &out->src); break;
    case FT_DST: get_addr(k, &out->dst); break;
    case FT_REJECT:
        get_eni(k + K_PAIR + K_PORT, out->eni);
        out->bpa = k[K_REJECT - 1];
        /* fall through */
    case FT_PAIR:
        get_addr(k, &out->src);
        get_addr(k + ADDR, &out->dst);
        if (t == FT_PAIR)
            break;
        k += K_PAIR;
        /* fall through */
    case FT_PORT:
        out->proto = (int16_t)(uint16_t)get_le(k, 2);
        out->dport = (int32_t)(uint32_t)get_le(k + 4, 4);
        break;
    case FT_ENI:
    case FT_NODATA:
    case FT_INET: get_eni(k, out->eni); break;
    case FT_XAZ:
        get_eni(k, out->eni);
        get_eni(k + FLOWS_ENI_KEY, out->eni2);
        break;
    case FT_AWS:
        get_eni(k, out->eni);
        memcpy(out->service, k + FLOWS_ENI_KEY, FLOWS_SERVICE_KEY);
        out->same_region = k[FLOWS_ENI_KEY + FLOWS_SERVICE_KEY];
        break;
    case FT_ISO:
    case FT_EGRESS:
        get_eni(k, out->eni);
        get_addr(k + FLOWS_ENI_KEY, &out->dst);
        if (t == FT_ISO) {
            out->iso_peer = k[FLOWS_ENI_KEY + ADDR];
        } else { /* protocol and service port, 0xffff: none */
            uint32_t pr = get_le(k + FLOWS_ENI_KEY + ADDR, 2), po = get_le(k + FLOWS_ENI_KEY + ADDR + 2, 2);
            out->proto = pr == 0xffff ? -1 : (int16_t)pr;
            out->dport = po == 0xffff ? -1 : (int32_t)po;
        }
        break;
    case FT_COUNT: break;
    }
}

typedef struct sorter {
    const fmap *m;
    fl_order order;
} sorter;

static int cmp_u64(uint64_t x, uint64_t y) { return x == y ? 0 : x > y ? -1 : 1; }

static int cmp_slots(const void *a, const void *b, void *ctx)
{
    const sorter *s = ctx;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const fmap_val *x = fmap_val_at(s->m, i), *y = fmap_val_at(s->m, j);
    const uint64_t kx[3] = { x->bytes, x->packets, x->records }, ky[3] = { y->bytes, y->packets, y->records };
    int c = cmp_u64(kx[s->order], ky[s->order]);
    for (int k = 0; k < 3 && !c; k++)
        c = cmp_u64(kx[k], ky[k]);
    return c ? c : memcmp(fmap_key(s->m, i), fmap_key(s->m, j), s->m->ksize);
}

/* Restore the heap order below position i (a min-heap by cmp_slots order:
 * the root is the least of the kept entries). */
static void sift_down(uint32_t *h, uint32_t n, uint32_t i, const sorter *s)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && cmp_slots(&h[l], &h[m], (void *)s) > 0)
            m = l;
        if (r < n && cmp_slots(&h[r], &h[m], (void *)s) > 0)
            m = r;
        if (m == i)
            return;
        uint32_t x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

long flows_top(const mlvpc_flows *f, fl_table t, fl_order order, unsigned n, uint32_t **idx)
{
    const fmap *m = &f->t[t];
    uint32_t want = m->n < n ? m->n : n, k = 0;
    *idx = want ? malloc(want * sizeof **idx) : NULL;
    if (want && !*idx)
        return -1;
    sorter s = { m, order };
    /* The n greatest in one pass: a heap of n whose root is the least kept. */
    for (uint32_t i = 0; i < m->cap && want; i++) {
        if (!fmap_used(m, i))
            continue;
        if (k < want) {
            (*idx)[k++] = i;
            if (k == want)
                for (uint32_t j = want / 2 + 1; j-- > 0;)
                    sift_down(*idx, want, j, &s);
        } else if (cmp_slots(&i, &(*idx)[0], &s) < 0) {
            (*idx)[0] = i;
            sift_down(*idx, want, 0, &s);
        }
    }
    if (k > 1)
        qsort_r(*idx, k, sizeof **idx, cmp_slots, &s); /* (glibc's argument order) */
    return (long)k;
}
