/* Flow-log aggregation (flows.h) and the mlvpc_flows API (but writing). */
#include "flows.h"

#include <stdlib.h>
#include <string.h>

#include "../inputs/flowread.h"

/* Key layouts: an address is its family byte and 16 bytes. */
enum { ADDR = 17, K_PAIR = 2 * ADDR, K_PORT = 8, K_REJECT = 2 * ADDR + 8 };

static const uint32_t key_size[FT_COUNT] = {
    [FT_SRC] = ADDR, [FT_DST] = ADDR, [FT_PAIR] = K_PAIR, [FT_PORT] = K_PORT, [FT_REJECT] = K_REJECT,
    [FT_ENI] = FLOWS_ENI_KEY, [FT_INET] = FLOWS_ENI_KEY, [FT_XAZ] = 2 * FLOWS_ENI_KEY,
    [FT_AWS] = FLOWS_ENI_KEY + FLOWS_SERVICE_KEY + 1,
};

static void set_err(mlvpc_diag *err, mlvpc_status st, const char *text)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->status = st;
    snprintf(err->text, sizeof err->text, "%s", text);
}

mlvpc_flows *mlvpc_flows_new(const mlvpc_flows_opts *opts, mlvpc_diag *err)
{
    mlvpc_flows *f = calloc(1, sizeof *f);
    if (!f) {
        set_err(err, MLVPC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    f->since = opts ? opts->since : -1;
    f->until = opts ? opts->until : -1;
    f->top = opts && opts->top ? opts->top : 10;
    f->progress = opts ? opts->progress : NULL;
    f->progress_ctx = opts ? opts->progress_ctx : NULL;
    f->first = f->last = -1;
    f->prices = flows_default_prices;
    for (int t = 0; t < FT_COUNT; t++)
        fmap_init(&f->t[t], key_size[t]);
    const char *bad;
    if (opts && opts->fields) {
        if (!fl_parse_format(opts->fields, strlen(opts->fields), &f->fields, &bad)) {
            if (err) {
                set_err(err, MLVPC_ERR_USAGE, "");
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
    if (fmap_prune(&f->t[t], t == FT_REJECT ? 0 : 2, &lost) != 0) {
        f->oom = true;
        return;
    }
    f->lost[t].records += lost.records;
    f->lost[t].packets += lost.packets;
    f->lost[t].bytes += lost.bytes;
    f->prunes[t]++;
}

/* Updates are batched: each is hashed and its slot prefetched when queued,
 * and applied when the batch is full, so that the cache misses of large
 * tables overlap instead of adding up. */
static void flush(mlvpc_flows *f)
{
    for (unsigned i = 0; i < f->nbatch; i++) {
        const fl_update *u = &f->batch[i];
        if (f->t[u->table].n >= FLOWS_MAX_KEYS)
            flows_prune(f, (fl_table)u->table);
        fmap_val *v = fmap_get(&f->t[u->table], u->key, u->hash);
        if (!v) {
            f->oom = true;
            continue;
        }
        v->records++;
        v->packets += u->packets;
        v->bytes += u->bytes;
        v->extra += u->extra;
    }
    f->nbatch = 0;
}

static void count(mlvpc_flows *f, fl_table t, const void *key, const fl_rec *r, uint64_t extra)
{
    if (f->nbatch == FLOWS_BATCH)
        flush(f);
    fl_update *u = &f->batch[f->nbatch++];
    u->table = (uint8_t)t;
    memcpy(u->key, key, key_size[t]);
    u->hash = fmap_hash(key, key_size[t]);
    u->packets = r->packets;
    u->bytes = r->bytes;
    u->extra = extra;
    fmap_prefetch(&f->t[t], u->hash);
}

static void on_record(void *ctx, const fl_rec *r)
{
    mlvpc_flows *f = ctx;
    if ((f->since >= 0 && r->end >= 0 && r->end < f->since) || (f->until >= 0 && r->start >= f->until)) {
        f->outside++;
        return;
    }
    f->status[r->status]++;
    if (r->start >= 0 && (f->first < 0 || r->start < f->first))
        f->first = r->start;
    if (r->end > f->last)
        f->last = r->end;
    uint8_t eni[FLOWS_ENI_KEY] = { 0 };
    memcpy(eni, r->eni.p ? r->eni.p : "-", r->eni.n < FLOWS_ENI_KEY ? (r->eni.p ? r->eni.n : 1) : FLOWS_ENI_KEY);
    if (r->status != FL_OK)
        return;
    f->packets += r->packets;
    f->bytes += r->bytes;
    uint64_t *a = f->action[r->action];
    a[0]++;
    a[1] += r->packets;
    a[2] += r->bytes;
    uint8_t k[K_REJECT];
    memset(k, 0, sizeof k);
    put_addr(k, &r->src);
    count(f, FT_SRC, k, r, 0);
    put_addr(k + ADDR, &r->dst);
    count(f, FT_PAIR, k, r, 0);
    count(f, FT_DST, k + ADDR, r, 0);
    uint8_t pk[K_PORT] = { 0 };
    put_le(pk, (uint16_t)r->proto, 2); /* little-endian whatever the host: partials carry keys */
    put_le(pk + 4, (uint32_t)r->dport, 4);
    count(f, FT_PORT, pk, r, 0);
    if (r->action == FL_REJECT) {
        memcpy(k + 2 * ADDR, pk, K_PORT);
        count(f, FT_REJECT, k, r, 0);
    }
    count(f, FT_ENI, eni, r, r->action == FL_REJECT);
    if (r->action == FL_ACCEPT && r->src.af && flows_private_addr(&r->src) && r->dst.af &&
        !flows_private_addr(&r->dst))
        count(f, FT_INET, eni, r, 0);
    if (f->model && r->action == FL_ACCEPT) {
        uint8_t xk[2 * FLOWS_ENI_KEY];
        xk[0] = 0;
        flows_join_record(f, r, xk);
        if (xk[0])
            count(f, FT_XAZ, xk, r, 0);
        uint8_t ak[FLOWS_ENI_KEY + FLOWS_SERVICE_KEY + 1];
        if (f->ranges && flows_aws_key(f, r, ak))
            count(f, FT_AWS, ak, r, 0);
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

static void on_progress(void *ctx, uint64_t in_bytes)
{
    mlvpc_flows *f = ctx;
    if (f->progress)
        f->progress(f->progress_ctx, f->done_bytes + in_bytes, f->total_bytes, mlvpc_flows_records(f));
}

mlvpc_status mlvpc_flows_add(mlvpc_flows *f, const char *path, mlvpc_diag *err)
{
    if (!f || !path) {
        set_err(err, MLVPC_ERR_USAGE, "no aggregation or path given");
        return MLVPC_ERR_USAGE;
    }
    fl_sink s = { .ctx = f, .record = on_record, .bad = on_bad, .progress = on_progress };
    f->done_bytes = f->in_bytes;
    f->total_bytes = f->progress ? f->in_bytes + fl_input_size(path) : 0;
    mlvpc_status st = fl_read(path, &f->fields, &s, err);
    flush(f);
    f->files += s.files;
    f->in_bytes += s.in_bytes;
    f->text_bytes += s.text_bytes;
    f->lines += s.lines;
    f->headers += s.headers;
    if (st == MLVPC_OK && f->oom) {
        set_err(err, MLVPC_ERR_NOMEM, "out of memory (distinct keys)");
        st = MLVPC_ERR_NOMEM;
    }
    return st;
}

/* ------------------------------------------------------------------ reading the tables */

void flows_key(fl_table t, const void *key, fl_key *out)
{
    const uint8_t *k = key;
    memset(out, 0, sizeof *out);
    out->proto = -1;
    out->dport = -1;
    if (t == FT_ENI || t == FT_INET || t == FT_XAZ || t == FT_AWS) {
        memcpy(out->eni, k, FLOWS_ENI_KEY);
        if (t == FT_XAZ)
            memcpy(out->eni2, k + FLOWS_ENI_KEY, FLOWS_ENI_KEY);
        if (t == FT_AWS) {
            memcpy(out->service, k + FLOWS_ENI_KEY, FLOWS_SERVICE_KEY);
            out->same_region = k[FLOWS_ENI_KEY + FLOWS_SERVICE_KEY];
        }
        return;
    }
    const uint8_t *pk = NULL;
    if (t == FT_PORT)
        pk = k;
    else if (t == FT_REJECT)
        pk = k + 2 * ADDR;
    if (pk) {
        out->proto = (int16_t)(uint16_t)get_le(pk, 2);
        out->dport = (int32_t)(uint32_t)get_le(pk + 4, 4);
    }
    if (t == FT_PORT)
        return;
    ip_addr *first = t == FT_DST ? &out->dst : &out->src;
    first->af = k[0];
    memcpy(first->b, k + 1, 16);
    if (t == FT_PAIR || t == FT_REJECT) {
        out->dst.af = k[ADDR];
        memcpy(out->dst.b, k + ADDR + 1, 16);
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
