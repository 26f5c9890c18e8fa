#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "../util/bytes.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define ERR(d, p, msg)                                                   \
    do {                                                                 \
        (d)->err_off = (size_t)((p) - (d)->buf);                         \
        strncpy((d)->err, (msg), sizeof (d)->err - 1);                   \
        return -1;                                                       \
    } while (0)

static int grow(jdoc *d)
{
    if (d->cap > UINT32_MAX / 2)
        return -3;
    uint32_t cap = d->cap * 2;
    jtok *t = realloc(d->t, (size_t)cap * sizeof *t);
    if (!t)
        return -2;
    d->t = t;
    d->cap = cap;
    return 0;
}

static inline int push(jdoc *d, int type, const char *p, uint32_t *idx)
{
    int rc;
    if (d->n == d->cap && (rc = grow(d)) != 0)
        return rc;
    *idx = d->n++;
    d->t[*idx] = (jtok){ .type = (uint32_t)type, .off = (uint32_t)(p - d->buf) };
    return 0;
}

/* 1 + token type of a value by its first byte; 0 where no value can start. */
static const unsigned char value_type1[256] = {
    ['{'] = 1 + J_OBJ, ['['] = 1 + J_ARR, ['"'] = 1 + J_STR, ['t'] = 1 + J_TRUE, ['f'] = 1 + J_FALSE,
    ['n'] = 1 + J_NULL, ['-'] = 1 + J_NUM, ['0'] = 1 + J_NUM, ['1'] = 1 + J_NUM, ['2'] = 1 + J_NUM,
    ['3'] = 1 + J_NUM, ['4'] = 1 + J_NUM, ['5'] = 1 + J_NUM, ['6'] = 1 + J_NUM, ['7'] = 1 + J_NUM,
    ['8'] = 1 + J_NUM, ['9'] = 1 + J_NUM,
};

/* Index of the first non-zero byte of a non-zero word read with memcpy. */
static inline unsigned first_byte(uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (unsigned)__builtin_ctzll(x) / 8;
#else
    return (unsigned)__builtin_clzll(x) / 8;
#endif
}

/*
 * Raw newlines can only occur in whitespace (control characters are invalid
 * inside strings), so recording them here indexes every line of the text.
 * The index is what json_linecol() uses: in-place string decoding may write
 * newline bytes into the buffer later, so the buffer itself cannot be
 * rescanned.
 */
static const char *skip_ws_slow(jdoc *d, const char *p)
{
    const char *end = d->buf + d->size;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ') {
            /* Pretty-printed input is mostly indentation: skip runs of spaces
             * a word at a time. */
#if defined(__SSE2__)
            while (end - p >= 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
                unsigned mk = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))) ^ 0xFFFFu;
                if (mk) {
                    p += __builtin_ctz(mk);
                    break;
                }
                p += 16;
            }
#endif
            while (*p == ' ')
                p++;
            continue;
        }
        if (c == '\t' || c == '\r') {
            p++;
            continue;
        }
        if (c != '\n')
            return p;
        if (d->nnl == d->nlcap) {
            uint32_t cap = d->nlcap ? d->nlcap * 2 : 256;
            uint32_t *nl = cap > d->nlcap ? realloc(d->nl, (size_t)cap * sizeof *nl) : NULL;
            if (!nl) {
                d->nl_oom = 1;
                p++;
                continue;
            }
            d->nl = nl;
            d->nlcap = cap;
        }
        d->nl[d->nnl++] = (uint32_t)(p - d->buf);
        p++;
    }
}

/* Most calls find no whitespace at all: decide that without a call. */
static inline const char *skip_ws_nl(jdoc *d, const char *p)
{
    if ((unsigned char)*p > ' ')
        return p;
    if (*p == ' ' && (unsigned char)p[1] > ' ') /* ": value" */
        return p + 1;
    return skip_ws_slow(d, p);
}
#define skip_ws(p) skip_ws_nl(d, (p))

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static char *put_utf8(char *w, unsigned long cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 if invalid. */
static int utf8_seq(const unsigned char *p)
{
    unsigned c = p[0];
    if (c >= 0xC2 && c <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/*
 * Byte-parallel tests on 8 bytes (SWAR). Each returns a mask with 0x80 set
 * exactly in the bytes that match: the 7-bit sums cannot carry into the
 * next byte, so there are no false positives and the first set byte is the
 * first match.
 */
#define ONES 0x0101010101010101ull
#define LOW7 0x7F7F7F7F7F7F7F7Full
#define HIGH 0x8080808080808080ull
static inline uint64_t eq_mask(uint64_t v, unsigned char c)
{
    uint64_t t = v ^ (ONES * c);
    return ~(((t & LOW7) + LOW7) | t | LOW7);
}

/* '"', '\\', a control character (< 0x20) or a non-ASCII byte. */
static inline uint64_t special_mask(uint64_t v)
{
    uint64_t ctl = ~((v & LOW7) + ONES * (0x80 - 0x20)) & HIGH;
    return eq_mask(v, '"') | eq_mask(v, '\\') | ctl | (v & HIGH);
}

#if defined(__SSE2__)
/* Bit i set when p[i] is '"', '\\', or a byte < 0x20 or >= 0x80 (a signed
 * compare with 0x20 catches both), for the 16 bytes at p. */
static inline unsigned special16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                              _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    return (unsigned)_mm_movemask_epi8(sp);
}
#endif

/*
 * Parse the string whose opening quote is at *pp. Decodes in place and
 * NUL-terminates; the buffer's byte after the input guarantees room for
 * the terminator even when the closing quote is the last byte.
 */
static int parse_string_slow(jdoc *d, const char **pp, uint32_t *len)
{
    const char *p = *pp + 1, *end = d->buf + d->size;
    char *w = NULL; /* write cursor once an escape has been seen */
    const char *start = p;
    for (;;) {
#if defined(__SSE2__)
        while (end - p >= 16) {
            unsigned mk = special16(p);
            unsigned n = mk ? (unsigned)__builtin_ctz(mk) : 16;
            if (w) {
                memmove(w, p, n);
                w += n;
            }
            p += n;
            if (mk)
                break;
        }
#endif
        while (end - p >= 8) {
            uint64_t v;
            memcpy(&v, p, 8);
            uint64_t mk = special_mask(v);
            unsigned n = mk ? first_byte(mk) : 8;
            if (w) {
                memmove(w, p, n);
                w += n;
            }
            p += n;
            if (mk)
                break;
        }
        if (p >= end)
            ERR(d, *pp, "unterminated string");
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            char *stop = w ? w : (char *)p;
            *stop = '\0';
            *len = (uint32_t)(stop - start);
            *pp = p + 1;
            return 0;
        }
        if (c < 0x20)
            ERR(d, p, "control character in string (escape it)");
        if (c >= 0x80) {
            int n = end - p >= 4 ? utf8_seq((const unsigned char *)p) : 0;
            if (n == 0 && end - p < 4) {
                /* Near the end: copy so that utf8_seq never reads past it. */
                unsigned char tmp[4] = { 0 };
                memcpy(tmp, p, (size_t)(end - p));
                n = utf8_seq(tmp);
                if (n > end - p)
                    n = 0;
            }
            if (n == 0)
                ERR(d, p, "invalid UTF-8 in string");
            if (w) {
                memmove(w, p, (size_t)n);
                w += n;
            }
            p += n;
            continue;
        }
        if (c != '\\') {
            if (w)
                *w++ = (char)c;
            p++;
            continue;
        }
        if (!w)
            w = (char *)p;
        if (end - p < 2)
            ERR(d, p, "unterminated escape in string");
        char e = p[1];
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, e) : NULL;
        if (k) {
            *w++ = to[k - from];
            p += 2;
            continue;
        }
        if (e != 'u')
            ERR(d, p, "invalid escape in string");
        long cp = end - p >= 6 ? hex4(p + 2) : -1;
        if (cp < 0)
            ERR(d, p, "invalid \\u escape (expected 4 hex digits)");
        p += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                ERR(d, p - 6, "unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            ERR(d, p - 6, "unpaired surrogate in \\u escape");
        }
        w = put_utf8(w, (unsigned long)cp);
    }
}


/*
 * The common case: no escape and no non-ASCII byte before the closing
 * quote. Scans 16 bytes at a time; anything else goes to the full parser
 * from the start of the string.
 */
static inline int parse_string(jdoc *d, const char **pp, uint32_t *len)
{
#if defined(__SSE2__)
    const char *p = *pp + 1, *end = d->buf + d->size;
    while (end - p >= 16) {
        unsigned mk = special16(p);
        if (!mk) {
            p += 16;
            continue;
        }
        p += __builtin_ctz(mk);
        if (*p != '"')
            break;
        *(char *)p = '\0';
        *len = (uint32_t)(p - (*pp + 1));
        *pp = p + 1;
        return 0;
    }
#endif
    return parse_string_slow(d, pp, len);
}

static int parse_number(jdoc *d, const char **pp)
{
    const char *p = *pp;
    if (*p == '-')
        p++;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (*p >= '0' && *p <= '9')
            p++;
    } else {
        ERR(d, *pp, "invalid number");
    }
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            ERR(d, p, "invalid number (digit expected after '.')");
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            ERR(d, p, "invalid number (digit expected in exponent)");
        while (*p >= '0' && *p <= '9')
            p++;
    }
    *pp = p;
    return 0;
}

static int literal(jdoc *d, const char **pp, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(d->buf + d->size - *pp) < n || memcmp(*pp, word, n) != 0)
        ERR(d, *pp, "invalid literal (expected a value)");
    *pp += n;
    return 0;
}

enum { ST_VALUE, ST_AFTER_VALUE };

int json_parse(jdoc *d, char *buf, size_t size, unsigned max_depth)
{
    return json_parse_stream(d, buf, size, max_depth, NULL, NULL);
}

int json_parse_stream(jdoc *d, char *buf, size_t size, unsigned max_depth, json_elem_cb cb, void *ctx)
{
    memset(d, 0, sizeof *d);
    d->buf = buf;
    d->size = size;
    buf[size] = '\0'; /* sentinel: every scan below stops at a NUL */
    if (size >= UINT32_MAX) {
        d->err_off = 0;
        strcpy(d->err, "input larger than 4 GiB");
        return -3;
    }
    d->cap = (uint32_t)(size / 16 + 16);
    d->t = malloc((size_t)d->cap * sizeof *d->t);
    uint32_t *stack = calloc(max_depth + 1, sizeof *stack);
    if (!d->t || !stack) {
        free(stack);
        strcpy(d->err, "out of memory");
        return -2;
    }
    const char *p = buf, *end = buf + size;
    if (size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* RFC 8259 §8.1 lets parsers ignore a byte order mark */
    if (size >= 2 && ((p[0] == '\xFF' && p[1] == '\xFE') || (p[0] == '\xFE' && p[1] == '\xFF'))) {
        free(stack);
        ERR(d, p, "file is UTF-16; expected UTF-8 JSON");
    }
    unsigned depth = 0;
    int rc = 0;
    uint32_t done_tok = 0; /* the value that just completed (for the stream callback) */
    uint32_t stream_arr = 0, stream_dropped = 0; /* the streamed array, elements consumed */
    for (;;) {
        /* expecting a value */
        p = skip_ws(p);
        if (p >= end) {
            rc = -1;
            d->err_off = (size_t)(p - buf);
            strcpy(d->err, d->n ? "unexpected end of input" : "empty input (expected a JSON value)");
            break;
        }
        uint32_t idx;
        int type = (int)value_type1[(unsigned char)*p] - 1;
        if (type < 0) {
            rc = -1;
            d->err_off = (size_t)(p - buf);
            strcpy(d->err, "expected a value");
            break;
        }
        if ((rc = push(d, type, p, &idx)) != 0) {
            strcpy(d->err, rc == -2 ? "out of memory" : "too many tokens");
            break;
        }
        if (depth) {
            jtok *ct = &d->t[stack[depth - 1]];
            if (ct->count == JSON_MAX_CHILDREN) {
                rc = -3;
                d->err_off = (size_t)(p - buf);
                strcpy(d->err, "too many elements in one container");
                break;
            }
            ct->count++;
        }
        if (type == J_OBJ || type == J_ARR) {
            if (depth == max_depth) {
                rc = -3;
                d->err_off = (size_t)(p - buf);
                strcpy(d->err, "nesting too deep");
                break;
            }
            stack[depth++] = idx;
            p = skip_ws(p + 1);
            if (type == J_OBJ && *p != '}' && *p != '"') {
                rc = -1;
                d->err_off = (size_t)(p - buf);
                strcpy(d->err, p >= end ? "unexpected end of input" : "expected '\"' (object key) or '}'");
                break;
            }
            if (*p == (type == J_OBJ ? '}' : ']')) {
                p++;
                depth--;
                d->t[idx].next = d->n;
                done_tok = idx;
                goto after_value;
            }
            if (type == J_OBJ)
                goto key;
            continue;
        }
        if (type == J_STR) {
            uint32_t len;
            if ((rc = parse_string(d, &p, &len)) != 0)
                break;
            d->t[idx].len = len;
        } else if (type == J_NUM) {
            const char *s = p;
            if ((rc = parse_number(d, &p)) != 0)
                break;
            d->t[idx].len = (uint32_t)(p - s);
        } else {
            if ((rc = literal(d, &p, type == J_TRUE ? "true" : type == J_FALSE ? "false" : "null")) != 0)
                break;
        }
        d->t[idx].next = d->n;
        done_tok = idx;
    after_value:
        /* after a value: ',' ':' or a closer */
        for (;;) {
            /* An element of an array that is a member of the root object is
             * complete: offer it to the stream callback while it is hot. */
            if (cb && depth == 2 && d->t[stack[1]].type == J_ARR && d->t[stack[0]].type == J_OBJ &&
                done_tok > stack[1]) {
                if (stream_arr != stack[1]) {
                    stream_arr = stack[1];
                    stream_dropped = 0;
                }
                int r = cb(ctx, d, stack[1] - 1, done_tok, d->t[stack[1]].count - 1 + stream_dropped);
                if (r < 0) {
                    rc = -4;
                    d->err_off = d->t[done_tok].off;
                    strcpy(d->err, "stopped by the loader");
                    goto fail;
                }
                if (r > 0) {
                    /* consumed: drop its tokens; the array counts only what
                     * stays on the tape, so the tape stays consistent */
                    d->n = done_tok;
                    d->gcache[0].obj1 = d->gcache[1].obj1 = 0; /* its indices will be reused */
                    d->t[stack[1]].count--;
                    stream_dropped++;
                }
            }
            done_tok = 0;
            p = skip_ws(p);
            if (depth == 0)
                goto done;
            uint32_t top = stack[depth - 1];
            int ctype = d->t[top].type;
            if (*p == ',') {
                p = skip_ws(p + 1);
                if (ctype == J_ARR)
                    goto value;
                goto key;
            }
            if (*p == (ctype == J_OBJ ? '}' : ']')) {
                p++;
                depth--;
                d->t[top].next = d->n;
                done_tok = top;
                continue;
            }
            rc = -1;
            d->err_off = (size_t)(p - buf);
            if (p >= end)
                strcpy(d->err, "unexpected end of input");
            else
                strcpy(d->err, ctype == J_OBJ ? "expected ',' or '}' after object member"
                                              : "expected ',' or ']' after array element");
            goto fail;
        }
    key:
        /* an object key, then ':' */
        if (*p != '"') {
            rc = -1;
            d->err_off = (size_t)(p - buf);
            strcpy(d->err, p >= end ? "unexpected end of input" : "expected '\"' (object key)");
            goto fail;
        }
        {
            uint32_t kidx, len;
            if ((rc = push(d, J_STR, p, &kidx)) != 0) {
                strcpy(d->err, rc == -2 ? "out of memory" : "too many tokens");
                goto fail;
            }
            if ((rc = parse_string(d, &p, &len)) != 0)
                goto fail;
            d->t[kidx].len = len;
            d->t[kidx].count = json_keyhash(d->buf + d->t[kidx].off + 1, len);
            d->t[kidx].next = d->n;
            p = skip_ws(p);
            if (*p != ':') {
                rc = -1;
                d->err_off = (size_t)(p - buf);
                strcpy(d->err, p >= end ? "unexpected end of input" : "expected ':' after object key");
                goto fail;
            }
            p++;
        }
    value:
        continue;
    }
    goto fail;
done:
    if (p < end) {
        rc = -1;
        d->err_off = (size_t)(p - buf);
        strcpy(d->err, "unexpected data after the JSON value");
    }
fail:
    free(stack);
    return rc;
}

void json_release(jdoc *d)
{
    free(d->t);
    free(d->nl);
    d->t = NULL;
    d->nl = NULL;
    d->n = d->cap = d->nnl = d->nlcap = 0;
}

void json_linecol(const jdoc *d, size_t off, unsigned *line, unsigned *col)
{
    /* number of recorded newlines before off */
    uint32_t lo = 0, hi = d->nnl;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->nl[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t ls = lo ? (size_t)d->nl[lo - 1] + 1 : 0;
    *line = lo + 1;
    *col = (unsigned)(off - ls + 1);
}

enum { JGET_MIN = 12, JGET_MAX = 40 }; /* objects that get a lookup table */

/* The lookup table of obj, built on first use. NULL when obj does not fit. */
static const struct jget_cache *jget_table(jdoc *d, uint32_t obj)
{
    for (int i = 0; i < 2; i++)
        if (d->gcache[i].obj1 == obj + 1)
            return &d->gcache[i];
    const jtok *o = &d->t[obj];
    if (o->count > JGET_MAX)
        return NULL;
    struct jget_cache *c = &d->gcache[d->gcache_next++ & 1];
    memset(c->key, 0, sizeof c->key);
    c->obj1 = obj + 1;
    uint32_t k = obj + 1;
    for (uint32_t i = 0; i < o->count; i++) {
        uint32_t s = d->t[k].count & 63;
        while (c->key[s]) /* later duplicates land after earlier ones: first wins */
            s = (s + 1) & 63;
        c->key[s] = k + 1;
        k = d->t[k + 1].next;
    }
    return c;
}

uint32_t json_get(const jdoc *d, uint32_t obj, const char *key)
{
    const jtok *o = &d->t[obj];
    if (o->type != J_OBJ)
        return 0;
    size_t klen = strlen(key);
    uint32_t h = json_keyhash(key, klen);
    /* Loaders ask a resource object for many fields: index its keys once. */
    /* (Only closed objects: one still being parsed may gain members.) */
    const struct jget_cache *c = o->count >= JGET_MIN && o->next > obj ? jget_table((jdoc *)d, obj) : NULL;
    if (c) {
        for (uint32_t s = h & 63; c->key[s]; s = (s + 1) & 63) {
            const jtok *kt = &d->t[c->key[s] - 1];
            if (kt->count == h && kt->len == klen && bytes_eq(d->buf + kt->off + 1, key, klen))
                return c->key[s];
        }
        return 0;
    }
    uint32_t k = obj + 1;
    for (uint32_t i = 0; i < o->count; i++) {
        const jtok *kt = &d->t[k];
        /* The digest lives in the tape, so most keys are rejected without
         * touching the text. */
        if (kt->count == h && kt->len == klen && bytes_eq(d->buf + kt->off + 1, key, klen))
            return k + 1;
        k = d->t[k + 1].next;
    }
    return 0;
}

bool json_int(const jdoc *d, uint32_t i, int64_t *out)
{
    const jtok *t = &d->t[i];
    if (t->type != J_NUM)
        return false;
    const char *p = d->buf + t->off, *e = p + t->len;
    bool neg = *p == '-';
    if (neg)
        p++;
    uint64_t v = 0;
    for (; p < e; p++) {
        if (*p < '0' || *p > '9')
            return false; /* fraction or exponent: not an integer literal */
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (v > (uint64_t)INT64_MAX + (neg ? 1u : 0u))
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}
