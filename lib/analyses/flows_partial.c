/*
 * Partial aggregates of `mlvpc flows` (docs/partial-format.md): the whole
 * state of a run, written so that `flows merge` of the partials of any split
 * of the input gives the report one run over all of it gives. Little-endian
 * whatever the host, versioned, CRC-32 checked; read with every length
 * bounded by what is left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "flows.h"

static const char magic[8] = { 'M', 'L', 'V', 'P', 'F', 'L', 'O', 'W' };
enum { PARTIAL_VERSION = 3, PARTIAL_MAX = 1u << 30 };
/* flags: the records were read with --model (the model's tables are filled) */
enum { PARTIAL_JOINED = 1 };

/* ------------------------------------------------------------------ writing */

typedef struct wbuf {
    uint8_t *p;
    size_t n, cap;
    bool oom;
} wbuf;

static void put(wbuf *w, const void *s, size_t n)
{
    if (w->oom)
        return;
    if (w->n + n > w->cap) {
        size_t cap = w->cap ? w->cap : 1 << 16;
        while (cap < w->n + n)
            cap *= 2;
        uint8_t *q = cap <= PARTIAL_MAX ? realloc(w->p, cap) : NULL;
        if (!q) {
            w->oom = true;
            return;
        }
        w->p = q;
        w->cap = cap;
    }
    memcpy(w->p + w->n, s, n);
    w->n += n;
}

static void put_u64(wbuf *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    put(w, b, 8);
}

static void put_u32(wbuf *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    put(w, b, 4);
}

static void put_str(wbuf *w, const char *s)
{
    size_t n = strlen(s);
    put_u32(w, (uint32_t)n);
    put(w, s, n);
}

/* Records, packets, bytes and extra (a table's bounds). */
static void put_counts(wbuf *w, const fmap_val *v)
{
    put_u64(w, v->records);
    put_u64(w, v->packets);
    put_u64(w, v->bytes);
    put_u64(w, v->extra);
}

/* A table entry's counters and `missed` (extra 0 in tables without it). */
static void put_entry(wbuf *w, const fmap *m, const fmap_val *v)
{
    put_u64(w, v->records);
    put_u64(w, v->packets);
    put_u64(w, v->bytes);
    put_u64(w, m->extra ? v->extra : 0);
    put_u64(w, v->missed);
}

static void payload(const mlvpc_flows *f, wbuf *w)
{
    put_u64(w, (uint64_t)f->since);
    put_u64(w, (uint64_t)f->until);
    put_u32(w, f->joined ? PARTIAL_JOINED : 0);
    const uint64_t sums[] = { f->files, f->in_bytes, f->text_bytes, f->lines, f->headers, f->outside, f->packets,
                              f->bytes, (uint64_t)f->first, (uint64_t)f->last };
    put_u32(w, sizeof sums / sizeof *sums);
    for (size_t i = 0; i < sizeof sums / sizeof *sums; i++)
        put_u64(w, sums[i]);
    put_u32(w, 3);
    for (int i = 0; i < 3; i++)
        put_u64(w, f->status[i]);
    put_u32(w, FL_E_COUNT);
    for (int i = 0; i < FL_E_COUNT; i++)
        put_u64(w, f->bad[i]);
    for (int a = 0; a < 3; a++)
        for (int k = 0; k < 3; k++)
            put_u64(w, f->action[a][k]);
    put_u32(w, f->nsamples);
    for (unsigned i = 0; i < f->nsamples; i++) {
        put_u32(w, (uint32_t)f->samples[i].why);
        put_u64(w, f->samples[i].line);
        put_str(w, f->samples[i].file);
        put_str(w, f->samples[i].text);
    }
    put_u32(w, FT_COUNT);
    for (int t = 0; t < FT_COUNT; t++) {
        const fmap *m = &f->t[t];
        put_u32(w, m->ksize);
        put_u32(w, f->prunes[t]);
        put_counts(w, &f->lost[t]);
        put_u64(w, m->floor);
        put_u32(w, m->n);
        for (uint32_t i = 0; i < m->cap; i++)
            if (fmap_used(m, i)) {
                put(w, fmap_key(m, i), m->ksize);
                put_entry(w, m, fmap_val_at(m, i));
            }
    }
}

mlvpc_status mlvpc_flows_write_partial(const mlvpc_flows *f, FILE *out, mlvpc_diag *err)
{
    wbuf w = { 0 }, body = { 0 };
    payload(f, &body);
    put(&w, magic, sizeof magic);
    put_u32(&w, PARTIAL_VERSION);
    put_u64(&w, body.n);
    put(&w, body.p, body.n);
    put_u32(&w, (uint32_t)crc32(0, body.p, (uInt)body.n));
    bool ok = !w.oom && !body.oom && fwrite(w.p, 1, w.n, out) == w.n && fflush(out) == 0;
    free(w.p);
    free(body.p);
    if (!ok)
        return flows_fail(err, w.oom || body.oom ? MLVPC_ERR_NOMEM : MLVPC_ERR_IO, NULL,
                          "cannot write the partial aggregate");
    return MLVPC_OK;
}

/* ------------------------------------------------------------------ reading */

typedef struct rbuf {
    const uint8_t *p, *end;
    bool bad;
} rbuf;

static const uint8_t *take(rbuf *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *s = r->p;
    r->p += n;
    return s;
}

static uint64_t get_u64(rbuf *r)
{
    const uint8_t *b = take(r, 8);
    uint64_t v = 0;
    for (int i = 0; b && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint32_t get_u32(rbuf *r)
{
    const uint8_t *b = take(r, 4);
    return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24 : 0;
}

static void get_str(rbuf *r, char *out, size_t size)
{
    uint32_t n = get_u32(r);
    const uint8_t *s = take(r, n);
    if (!s || n >= size) {
        r->bad = true;
        out[0] = '\0';
        return;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

static void get_counts(rbuf *r, fmap_val *v)
{
    v->records = get_u64(r);
    v->packets = get_u64(r);
    v->bytes = get_u64(r);
    v->extra = get_u64(r);
    v->missed = 0;
}

static void get_entry(rbuf *r, fmap_val *v)
{
    get_counts(r, v);
    v->missed = get_u64(r);
}


/* Merge the payload into f; false when it is malformed (f is then partly
 * merged: the caller discards it). */
static bool merge(mlvpc_flows *f, rbuf *r, bool *window_differs, bool *unjoined)
{
    int64_t since = (int64_t)get_u64(r), until = (int64_t)get_u64(r);
    uint32_t flags = get_u32(r);
    if (flags & ~(uint32_t)PARTIAL_JOINED)
        return false;
    if (f->model && !(flags & PARTIAL_JOINED)) {
        *unjoined = true; /* its model tables were never filled: nothing merged */
        return true;
    }
    f->joined = (flags & PARTIAL_JOINED) && (f->merged ? f->joined : true);
    if (f->merged && (since != f->since || until != f->until))
        *window_differs = true;
    f->since = since;
    f->until = until;
    if (get_u32(r) != 10)
        return false;
    uint64_t v[10];
    for (int i = 0; i < 10; i++)
        v[i] = get_u64(r);
    uint64_t *to[] = { &f->files, &f->in_bytes, &f->text_bytes, &f->lines, &f->headers, &f->outside, &f->packets,
                       &f->bytes };
    for (int i = 0; i < 8; i++)
        flows_add(to[i], v[i]);
    int64_t first = (int64_t)v[8], last = (int64_t)v[9];
    if (first >= 0 && (f->first < 0 || first < f->first))
        f->first = first;
    if (last > f->last)
        f->last = last;
    if (get_u32(r) != 3)
        return false;
    for (int i = 0; i < 3; i++)
        flows_add(&f->status[i], get_u64(r));
    if (get_u32(r) != FL_E_COUNT)
        return false;
    for (int i = 0; i < FL_E_COUNT; i++)
        flows_add(&f->bad[i], get_u64(r));
    for (int a = 0; a < 3; a++)
        for (int k = 0; k < 3; k++)
            flows_add(&f->action[a][k], get_u64(r));
    uint32_t ns = get_u32(r);
    if (ns > FLOWS_SAMPLES)
        return false;
    for (uint32_t i = 0; i < ns && !r->bad; i++) {
        fl_sample s;
        s.why = (fl_error)get_u32(r);
        s.line = get_u64(r);
        get_str(r, s.file, sizeof s.file);
        get_str(r, s.text, sizeof s.text);
        for (char *c = s.text; *c; c++) /* printable ASCII only: shown to users */
            *c = *c >= 0x20 && *c < 0x7f ? *c : '?';
        for (char *c = s.file; *c; c++)
            *c = *c >= 0x20 && *c != 0x7f ? *c : '?';
        if (s.why <= FL_E_NONE || s.why >= FL_E_COUNT)
            return false;
        flows_add_sample(f, &s);
    }
    if (get_u32(r) != FT_COUNT)
        return false;
    for (int t = 0; t < FT_COUNT && !r->bad; t++) {
        fmap *m = &f->t[t];
        if (get_u32(r) != m->ksize)
            return false;
        uint32_t prunes = get_u32(r);
        flows_add_prunes(&f->prunes[t], prunes);
        fmap_val lost;
        get_counts(r, &lost);
        flows_add_val(&f->lost[t], &lost);
        uint64_t floor = get_u64(r);
        uint32_t n = get_u32(r);
        if (n > FLOWS_MAX_KEYS || (floor && !prunes))
            return false; /* more than a table holds, or a floor no prune raised: no partial of mlvpc */
        fmap_merge_begin(m, floor);
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            const uint8_t *key = take(r, m->ksize);
            fmap_val x;
            get_entry(r, &x);
            if (!key || x.missed > floor)
                return false; /* (an entry misses at most the floor: what any key lost) */
            /* all of them first, then pruned back to the bound: what is kept
             * does not depend on the order of the keys */
            if (!fmap_merge_key(m, key, fmap_hash(m, key), &x, floor)) {
                f->oom = true;
                return true;
            }
        }
        fmap_merge_end(m, floor);
        while (m->n > FLOWS_MAX_KEYS)
            flows_prune(f, (fl_table)t);
    }
    return !r->bad && r->p == r->end;
}

mlvpc_status mlvpc_flows_merge(mlvpc_flows *f, const char *path, mlvpc_diag *err)
{
    if (!f || !path)
        return flows_fail(err, MLVPC_ERR_USAGE, path ? path : "", "no aggregation or path given");
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    const char *name = in == stdin ? "(standard input)" : path;
    if (!in)
        return flows_fail(err, MLVPC_ERR_IO, name, "cannot open the partial");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            uint8_t *q = cap <= (size_t)PARTIAL_MAX + 64 ? realloc(buf, cap) : NULL;
            if (!q) {
                free(buf);
                if (in != stdin)
                    fclose(in);
                return flows_fail(err, MLVPC_ERR_LIMIT, name, "the partial is larger than 1 GiB");
            }
            buf = q;
        }
        size_t got = fread(buf + n, 1, cap - n, in);
        n += got;
        if (got == 0)
            break;
    }
    bool rerr = ferror(in);
    if (in != stdin)
        fclose(in);
    mlvpc_status st = MLVPC_OK;
    char text[160];
    rbuf r = { buf, buf + n, false };
    const uint8_t *mg = take(&r, sizeof magic);
    uint32_t version = get_u32(&r);
    uint64_t len = get_u64(&r);
    if (rerr)
        st = flows_fail(err, MLVPC_ERR_IO, name, "cannot read the partial");
    else if (!mg || memcmp(mg, magic, sizeof magic) != 0)
        st = flows_fail(err, MLVPC_ERR_SYNTAX, name, "not an mlvpc flows partial (written by --partial)");
    else if (version != PARTIAL_VERSION) {
        snprintf(text, sizeof text, "partial format version %u: this mlvpc reads version %d", version, PARTIAL_VERSION);
        st = flows_fail(err, MLVPC_ERR_SYNTAX, name, text);
    } else if (r.bad || (uint64_t)(r.end - r.p) < 4 || len != (uint64_t)(r.end - r.p) - 4)
        st = flows_fail(err, MLVPC_ERR_SYNTAX, name, "truncated partial (its length does not match)");
    else {
        rbuf body = { r.p, r.p + len, false };
        rbuf tail = { r.p + len, r.end, false };
        bool differs = false, unjoined = false;
        if (get_u32(&tail) != (uint32_t)crc32(0, body.p, (uInt)len))
            st = flows_fail(err, MLVPC_ERR_SYNTAX, name, "corrupt partial (checksum mismatch)");
        else if (!merge(f, &body, &differs, &unjoined))
            st = flows_fail(err, MLVPC_ERR_SYNTAX, name, "corrupt partial (malformed content)");
        else if (unjoined)
            st = flows_fail(err, MLVPC_ERR_USAGE, name,
                      "made without --model: its cross-AZ, NAT, egress and isolation figures were never counted "
                      "(make every partial with the --model given to merge)");
        else if (f->oom)
            st = flows_fail(err, MLVPC_ERR_NOMEM, name, "out of memory (distinct keys)");
        else if (differs)
            st = flows_fail(err, MLVPC_ERR_USAGE, name, "made with another --since/--until than the partials before it");
        f->merged = true;
    }
    free(buf);
    return st;
}
