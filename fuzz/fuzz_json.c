/*
 * libFuzzer target for the in-situ JSON reader (lib/inputs/json.c).
 *
 * The input is parsed as is. On success the whole tape is checked against
 * the reader's documented invariants:
 *  - every token's `next` is > its index and <= d.n, the root's is d.n;
 *  - a container's children are exactly `count` siblings (keys and values
 *    alternate in objects, keys are strings) ending at its `next`;
 *    scalars have count 0 and next = index + 1, except object keys, whose
 *    count is json_keyhash() of their text;
 *  - tokens are in document order and start with the right character;
 *  - a string token's text is NUL-terminated at `len` inside the buffer;
 *  - json_linecol() of every token's offset gives line >= 1, col >= 1, and
 *    (with a complete line index) exactly the line and column counted from
 *    the original text;
 *  - json_get() finds every key whose text has no NUL, json_int() runs.
 * Independently, a small reference parser (strict RFC 8259, same BOM and
 * depth rules) decides validity and decodes strings; the reader must agree
 * on acceptance, on the error class, and token by token on type, offset,
 * count and decoded string bytes.
 * On failure: err_off <= size, the message is set, and json_linecol() works
 * (and gives the exact line and column when the line index is complete).
 * Then the same text goes through json_parse_stream() with a callback that
 * checks each element it is handed and keeps, consumes or stops according to
 * a hash of the input: the verdict must match json_parse(), and the tape left
 * behind must pass the same checks (consumed elements gone, counts adjusted).
 * Any violation calls abort().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs/json.h"

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "fuzz_json: invariant violated at %s:%d: %s\n", __FILE__, \
                    __LINE__, #cond);                                                \
            abort();                                                                 \
        }                                                                            \
    } while (0)

/* ------------------------------------------------------------ reference parser */

typedef struct rtok {
    int type;
    uint32_t off, count;
    uint32_t str_off, str_len; /* decoded text in ref.strs (strings) */
    uint32_t len;              /* numbers: text length */
} rtok;

typedef struct ref {
    const unsigned char *s;
    size_t n, p;
    unsigned max_depth;
    rtok *t;
    size_t nt, capt;
    unsigned char *strs;
    size_t nstrs, capstrs;
    int err; /* 0, -1 syntax, -3 limit */
} ref;

static size_t rpush(ref *r, int type, size_t off)
{
    if (r->nt == r->capt) {
        r->capt = r->capt ? r->capt * 2 : 64;
        r->t = realloc(r->t, r->capt * sizeof *r->t);
        CHECK(r->t != NULL);
    }
    r->t[r->nt] = (rtok){ .type = type, .off = (uint32_t)off };
    return r->nt++;
}

static void rput(ref *r, unsigned char c)
{
    if (r->nstrs == r->capstrs) {
        r->capstrs = r->capstrs ? r->capstrs * 2 : 256;
        r->strs = realloc(r->strs, r->capstrs);
        CHECK(r->strs != NULL);
    }
    r->strs[r->nstrs++] = c;
}

static int rpeek(const ref *r) { return r->p < r->n ? r->s[r->p] : -1; }

static void rws(ref *r)
{
    while (r->p < r->n && (r->s[r->p] == ' ' || r->s[r->p] == '\t' || r->s[r->p] == '\n' || r->s[r->p] == '\r'))
        r->p++;
}

static int rhex(ref *r, size_t at, unsigned *out)
{
    if (at + 4 > r->n)
        return 0;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = r->s[at + (size_t)i], h;
        if (c >= '0' && c <= '9') h = c - '0';
        else if (c >= 'a' && c <= 'f') h = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') h = c - 'A' + 10;
        else return 0;
        v = v * 16 + h;
    }
    *out = v;
    return 1;
}

static void rutf8(ref *r, unsigned cp)
{
    if (cp < 0x80) {
        rput(r, (unsigned char)cp);
    } else if (cp < 0x800) {
        rput(r, (unsigned char)(0xC0 | (cp >> 6)));
        rput(r, (unsigned char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        rput(r, (unsigned char)(0xE0 | (cp >> 12)));
        rput(r, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        rput(r, (unsigned char)(0x80 | (cp & 0x3F)));
    } else {
        rput(r, (unsigned char)(0xF0 | (cp >> 18)));
        rput(r, (unsigned char)(0x80 | ((cp >> 12) & 0x3F)));
        rput(r, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        rput(r, (unsigned char)(0x80 | (cp & 0x3F)));
    }
}

/* Decode one well-formed UTF-8 scalar value (no overlongs, no surrogates). */
static int rutf8_len(const ref *r)
{
    const unsigned char *s = r->s + r->p;
    size_t left = r->n - r->p;
    unsigned c = s[0];
    unsigned cp;
    int n;
    if (c >= 0xC0 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF7) { n = 4; cp = c & 0x07; }
    else return 0;
    if ((size_t)n > left)
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const unsigned min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static int rstring(ref *r)
{
    size_t ti = rpush(r, 4 /* J_STR */, r->p);
    r->t[ti].str_off = (uint32_t)r->nstrs;
    r->p++; /* opening quote */
    for (;;) {
        if (r->p >= r->n)
            return -1;
        unsigned c = r->s[r->p];
        if (c == '"') {
            r->p++;
            break;
        }
        if (c < 0x20)
            return -1;
        if (c >= 0x80) {
            int n = rutf8_len(r);
            if (!n)
                return -1;
            for (int i = 0; i < n; i++)
                rput(r, r->s[r->p + (size_t)i]);
            r->p += (size_t)n;
            continue;
        }
        if (c != '\\') {
            rput(r, (unsigned char)c);
            r->p++;
            continue;
        }
        if (r->p + 1 >= r->n)
            return -1;
        unsigned e = r->s[r->p + 1];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, (int)e) : NULL;
        if (k) {
            rput(r, (unsigned char)to[k - from]);
            r->p += 2;
            continue;
        }
        if (e != 'u')
            return -1;
        unsigned cp, lo;
        if (!rhex(r, r->p + 2, &cp))
            return -1;
        r->p += 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return -1;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (r->p + 1 >= r->n || r->s[r->p] != '\\' || r->s[r->p + 1] != 'u' || !rhex(r, r->p + 2, &lo) ||
                lo < 0xDC00 || lo > 0xDFFF)
                return -1;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            r->p += 6;
        }
        rutf8(r, cp);
    }
    r->t[ti].str_len = (uint32_t)(r->nstrs - r->t[ti].str_off);
    return 0;
}

static int rdigit(const ref *r) { int c = rpeek(r); return c >= '0' && c <= '9'; }

static int rnumber(ref *r)
{
    size_t ti = rpush(r, 3 /* J_NUM */, r->p), start = r->p;
    if (rpeek(r) == '-')
        r->p++;
    if (rpeek(r) == '0') {
        r->p++;
    } else if (rdigit(r)) {
        while (rdigit(r))
            r->p++;
    } else {
        return -1;
    }
    if (rpeek(r) == '.') {
        r->p++;
        if (!rdigit(r))
            return -1;
        while (rdigit(r))
            r->p++;
    }
    if (rpeek(r) == 'e' || rpeek(r) == 'E') {
        r->p++;
        if (rpeek(r) == '+' || rpeek(r) == '-')
            r->p++;
        if (!rdigit(r))
            return -1;
        while (rdigit(r))
            r->p++;
    }
    r->t[ti].len = (uint32_t)(r->p - start);
    return 0;
}

static int rword(ref *r, int type, const char *w)
{
    size_t n = strlen(w);
    rpush(r, type, r->p);
    if (r->n - r->p < n || memcmp(r->s + r->p, w, n) != 0)
        return -1;
    r->p += n;
    return 0;
}

static int rvalue(ref *r, unsigned depth)
{
    rws(r);
    int c = rpeek(r);
    switch (c) {
    case '"':
        return rstring(r);
    case 't':
        return rword(r, 2 /* J_TRUE */, "true");
    case 'f':
        return rword(r, 1 /* J_FALSE */, "false");
    case 'n':
        return rword(r, 0 /* J_NULL */, "null");
    case '[':
    case '{': {
        int obj = c == '{';
        if (depth == r->max_depth)
            return -3;
        size_t ti = rpush(r, obj ? 6 : 5, r->p);
        r->p++;
        rws(r);
        if (rpeek(r) == (obj ? '}' : ']')) {
            r->p++;
            return 0;
        }
        for (;;) {
            r->t[ti].count++;
            if (obj) {
                rws(r);
                if (rpeek(r) != '"')
                    return -1;
                int rc = rstring(r);
                if (rc)
                    return rc;
                rws(r);
                if (rpeek(r) != ':')
                    return -1;
                r->p++;
            }
            int rc = rvalue(r, depth + 1);
            if (rc)
                return rc;
            rws(r);
            if (rpeek(r) == ',') {
                r->p++;
                continue;
            }
            if (rpeek(r) == (obj ? '}' : ']')) {
                r->p++;
                return 0;
            }
            return -1;
        }
    }
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return rnumber(r);
        return -1;
    }
}

static int ref_parse(ref *r)
{
    if (r->n >= 3 && memcmp(r->s, "\xEF\xBB\xBF", 3) == 0)
        r->p = 3;
    int rc = rvalue(r, 0);
    if (rc)
        return rc;
    rws(r);
    return r->p == r->n ? 0 : -1;
}

/* ------------------------------------------------------------ tape walk */

typedef struct walk {
    const jdoc *d;
    const uint8_t *orig; /* the text before in-place decoding */
    size_t size;
    uint32_t *line_at;   /* 1 + newlines in orig[0..off) */
    uint32_t *ls_at;     /* offset of the start of the line holding off */
} walk;

static void check_linecol(const walk *w, uint32_t off)
{
    unsigned line = 0, col = 0;
    json_linecol(w->d, off, &line, &col);
    CHECK(line >= 1 && col >= 1);
    if (w->d->nl_oom)
        return;
    CHECK(off <= w->size);
    CHECK(line == w->line_at[off]);
    CHECK(col == off - w->ls_at[off] + 1);
}

/* Check the subtree at i; its `next` must be <= limit. Returns its `next`.
 * is_key: i is an object key, whose `count` holds json_keyhash() of its text. */
static uint32_t check_tree(const walk *w, uint32_t i, uint32_t limit, unsigned depth, int is_key)
{
    const jdoc *d = w->d;
    CHECK(i < d->n);
    const jtok *t = &d->t[i];
    CHECK(t->next > i && t->next <= d->n && t->next <= limit);
    CHECK(t->off < w->size);
    CHECK(depth <= JSON_MAX_DEPTH);
    if (i > 0)
        CHECK(t->off > d->t[i - 1].off);
    char c0 = (char)w->orig[t->off];
    switch (t->type) {
    case J_NULL:
    case J_TRUE:
    case J_FALSE:
        CHECK(c0 == (t->type == J_NULL ? 'n' : t->type == J_TRUE ? 't' : 'f'));
        CHECK(t->count == 0 && t->next == i + 1);
        break;
    case J_NUM: {
        CHECK(c0 == '-' || (c0 >= '0' && c0 <= '9'));
        CHECK(t->count == 0 && t->next == i + 1);
        CHECK(t->len >= 1 && (size_t)t->off + t->len <= w->size);
        CHECK(memcmp(d->buf + t->off, w->orig + t->off, t->len) == 0); /* numbers are not rewritten */
        int64_t v;
        (void)json_int(d, i, &v);
        break;
    }
    case J_STR:
        CHECK(c0 == '"');
        CHECK(t->next == i + 1);
        CHECK(t->count == (is_key ? (json_keyhash(json_str(d, i), t->len) & JSON_MAX_CHILDREN) : 0));
        CHECK((size_t)t->off + 1 + t->len <= w->size);
        CHECK(d->buf[t->off + 1 + t->len] == '\0');
        break;
    case J_ARR:
    case J_OBJ: {
        CHECK(c0 == (t->type == J_ARR ? '[' : '{'));
        uint32_t c = i + 1;
        for (uint32_t k = 0; k < t->count; k++) {
            CHECK(c < t->next);
            if (t->type == J_OBJ) {
                CHECK(d->t[c].type == J_STR); /* object keys are strings */
                check_tree(w, c, t->next, depth + 1, 1);
                const char *key = json_str(d, c);
                if (strlen(key) == d->t[c].len) {
                    uint32_t v = json_get(d, i, key);
                    CHECK(v != 0 && v > i && v < t->next);
                    CHECK(d->t[v - 1].type == J_STR && d->t[v - 1].len == d->t[c].len &&
                          memcmp(json_str(d, v - 1), key, d->t[c].len) == 0);
                    CHECK(v - 1 <= c); /* the first member with that key wins */
                }
                c++;
            }
            c = check_tree(w, c, t->next, depth + 1, 0);
        }
        CHECK(c == t->next); /* exactly `count` children */
        if (t->type == J_OBJ)
            CHECK(json_get(d, i, "\x01no such key\x02") == 0);
        break;
    }
    default:
        CHECK(!"unknown token type");
    }
    check_linecol(w, t->off);
    return t->next;
}

/* ------------------------------------------------------------ comparison with the reference */

/* Index of the reference token at offset off (offsets strictly increase), or -1. */
static long ref_at(const ref *r, uint32_t off)
{
    size_t lo = 0, hi = r->nt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->t[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nt && r->t[lo].off == off ? (long)lo : -1;
}

/* Token i of the reader equals its reference token; containers' counts only
 * when `counts` (streamed arrays legitimately hold fewer children). */
static void same_token(const jdoc *d, uint32_t i, const ref *r, int counts)
{
    const jtok *t = &d->t[i];
    long q = ref_at(r, t->off);
    CHECK(q >= 0);
    const rtok *u = &r->t[q];
    CHECK((int)t->type == u->type);
    if ((t->type == J_ARR || t->type == J_OBJ) && counts)
        CHECK(t->count == u->count);
    if (t->type == J_NUM)
        CHECK(t->len == u->len);
    if (t->type == J_STR) {
        CHECK(t->len == u->str_len);
        CHECK(u->str_len == 0 || memcmp(json_str(d, i), r->strs + u->str_off, u->str_len) == 0);
    }
}

static walk make_walk(const jdoc *d, const uint8_t *data, size_t size)
{
    walk w = { .d = d, .orig = data, .size = size };
    w.line_at = malloc((size + 1) * sizeof *w.line_at);
    w.ls_at = malloc((size + 1) * sizeof *w.ls_at);
    CHECK(w.line_at && w.ls_at);
    w.line_at[0] = 1;
    w.ls_at[0] = 0;
    for (size_t i = 0; i < size; i++) {
        w.line_at[i + 1] = w.line_at[i] + (data[i] == '\n');
        w.ls_at[i + 1] = data[i] == '\n' ? (uint32_t)(i + 1) : w.ls_at[i];
    }
    return w;
}

static void free_walk(walk *w)
{
    free(w->line_at);
    free(w->ls_at);
}

/* ------------------------------------------------------------ streaming */

/*
 * json_parse_stream() callback. Checks the element it is handed (complete,
 * well formed, equal to the reference, a member array of the root object,
 * index = elements before it), then keeps it, consumes it or stops the parse
 * according to `policy` (derived from the input).
 */
typedef struct sctx {
    const walk *w;
    const ref *r;
    unsigned policy;
    uint32_t calls;
    uint32_t last_key, next_index; /* index expected for the current array */
    uint32_t dropped;              /* elements of the current array consumed */
    int stopped;
} sctx;

static int stream_cb(void *ctx, jdoc *d, uint32_t key, uint32_t elem, uint32_t index)
{
    sctx *c = ctx;
    walk w = *c->w;
    w.d = d;
    CHECK(d->n >= 3 && d->t[0].type == J_OBJ);
    CHECK(key >= 1 && key + 1 < elem && elem < d->n);
    CHECK(d->t[key].type == J_STR && d->t[key + 1].type == J_ARR);
    /* the array is still open: its `next` is not known yet */
    if (key != c->last_key) {
        c->last_key = key;
        c->next_index = c->dropped = 0;
    }
    CHECK(index == c->next_index);
    c->next_index++;
    /* the array counts the elements on the tape: consumed ones are gone */
    CHECK(d->t[key + 1].count + c->dropped == index + 1);
    /* the element is complete: its subtree ends at the tape's end */
    CHECK(check_tree(&w, elem, d->n, 2, 0) == d->n);
    for (uint32_t i = elem; i < d->n; i++)
        same_token(d, i, c->r, 1);
    same_token(d, key, c->r, 1);
    c->calls++;
    unsigned p = c->policy;
    int r;
    switch (p % 4) {
    case 0: r = 1; break;                                    /* consume everything */
    case 1: r = 0; break;                                    /* keep everything */
    case 2: r = (index + (p >> 2)) % 2 ? 1 : 0; break;       /* mixed */
    default: r = c->calls > (p >> 2) % 8 ? -1 : 1; break;    /* stop after a few */
    }
    if (r < 0)
        c->stopped = 1;
    if (r > 0)
        c->dropped++;
    return r;
}

/*
 * Parse again with json_parse_stream: the verdict must be json_parse's
 * (unless the callback stopped it), and the tape left behind must satisfy
 * the same structural invariants; its tokens are the reference's minus the
 * consumed elements (the header: "after streaming, the arrays whose elements
 * were consumed look empty on the tape").
 */
static void check_stream(const uint8_t *data, size_t size, const ref *r, int rc_plain, size_t err_off_plain)
{
    char *buf = malloc(size + 1);
    CHECK(buf != NULL);
    if (size)
        memcpy(buf, data, size);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    jdoc d;
    walk w = make_walk(&d, data, size);
    sctx c = { .w = &w, .r = r, .policy = h >> 8, .last_key = 0 };
    int rc = json_parse_stream(&d, buf, size, JSON_MAX_DEPTH, stream_cb, &c);
    if (c.stopped) {
        CHECK(rc == -4);
        CHECK(d.err_off <= size && d.err[0] != '\0');
    } else {
        CHECK(rc == rc_plain);
        if (rc == -1 || rc == -3)
            CHECK(d.err_off == err_off_plain);
    }
    if (rc == 0) {
        CHECK(d.n >= 1 && d.n <= d.cap && d.t[0].next == d.n);
        CHECK(check_tree(&w, 0, d.n, 0, 0) == d.n);
        for (uint32_t i = 0; i < d.n; i++)
            same_token(&d, i, r, 0);
    }
    free_walk(&w);
    json_release(&d);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);
    jdoc d;
    int rc = json_parse(&d, buf, size, JSON_MAX_DEPTH);

    ref r = { .s = data, .n = size, .max_depth = JSON_MAX_DEPTH };
    int want = ref_parse(&r);

    CHECK(rc == 0 || rc == -1 || rc == -2 || rc == -3);
    CHECK(d.nnl <= d.nlcap);
    for (uint32_t k = 1; k < d.nnl; k++)
        CHECK(d.nl[k] > d.nl[k - 1]);
    if (rc == 0) {
        CHECK(want == 0);
        CHECK(d.n >= 1 && d.n <= d.cap && d.t[0].next == d.n);
        walk w = make_walk(&d, data, size);
        CHECK(check_tree(&w, 0, d.n, 0, 0) == d.n);
        free_walk(&w);
        /* Token by token against the reference. */
        CHECK(r.nt == d.n);
        for (uint32_t i = 0; i < d.n; i++) {
            CHECK(d.t[i].off == r.t[i].off);
            same_token(&d, i, &r, 1);
        }
    } else {
        if (rc != -2)
            CHECK(want != 0); /* a rejected text is invalid (or too deep) for the reference too */
        if (rc == -1)
            CHECK(want == -1);
        if (rc == -3 && size < UINT32_MAX)
            CHECK(want == -3);
        CHECK(d.err_off <= size);
        CHECK(memchr(d.err, '\0', sizeof d.err) != NULL && d.err[0] != '\0');
        unsigned line = 0, col = 0;
        json_linecol(&d, d.err_off, &line, &col);
        CHECK(line >= 1 && col >= 1);
        if (!d.nl_oom && d.err_off <= size) {
            /* every newline before the error offset was passed, so indexed */
            unsigned want_line = 1;
            size_t ls = 0;
            for (size_t i = 0; i < d.err_off; i++)
                if (data[i] == '\n') {
                    want_line++;
                    ls = i + 1;
                }
            CHECK(line == want_line && col == d.err_off - ls + 1);
        }
    }
    int rc_plain = rc;
    size_t err_off_plain = d.err_off;
    json_release(&d);
    free(buf);
    /* The same text through the streaming parser (only a text whose root is
     * an object can have elements to stream; others still must agree). */
    if (rc_plain != -2)
        check_stream(data, size, &r, rc_plain, err_off_plain);
    free(r.t);
    free(r.strs);
    return 0;
}
