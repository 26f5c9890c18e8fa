/*
 * In-situ JSON reader (RFC 8259) that keeps source offsets.
 *
 * json_parse() validates the whole text and builds a flat tape of tokens in
 * document order. It decodes strings in place: after parsing, every string
 * token's text is NUL-terminated inside the caller's buffer, so reading a
 * string costs nothing and needs no allocation. Every token keeps the byte
 * offset where it starts, and the parser indexes the newlines it passes, from
 * which json_linecol() derives line and column for diagnostics.
 *
 * Why not a DOM library: see ARCHITECTURE.md ("JSON"). In short: jansson and
 * cJSON lose source positions and are several times slower on large
 * describe-* outputs.
 *
 * Limits: input below 4 GiB; nesting depth as given (JSON_MAX_DEPTH by
 * default). Containers hold at most 2^29-1 children.
 */
#ifndef MLVPC_JSON_H
#define MLVPC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { J_NULL = 0, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };
enum { JSON_MAX_DEPTH = 256, JSON_MAX_CHILDREN = (1 << 29) - 1 };

typedef struct jtok {
    uint32_t type : 3;
    uint32_t count : 29; /* containers: elements or members; object keys:
                            json_keyhash() of the key; others 0 */
    uint32_t off;        /* offset of the token's first byte (a string's opening quote) */
    uint32_t len;        /* strings: decoded length; numbers: text length */
    uint32_t next;       /* index of the first token after this one's subtree */
} jtok;

typedef struct jdoc {
    char *buf;     /* the text; string tokens point into it after parsing */
    size_t size;
    jtok *t;       /* t[0] is the root value */
    uint32_t n, cap;
    /* json_get's lookup tables for the last two large objects asked about
     * (a cache: not part of the document's value). */
    struct jget_cache {
        uint32_t obj1;           /* object index + 1; 0 = empty */
        uint32_t key[64];        /* key token + 1 by key digest, open addressing */
    } gcache[2];
    uint32_t gcache_next;
    uint32_t *nl;  /* offsets of the newlines seen, ascending (line index) */
    uint32_t nnl, nlcap;
    int nl_oom;    /* the line index is incomplete: line numbers may be low */
    /* set when json_parse fails */
    size_t err_off;
    char err[96];
} jdoc;

/*
 * Parse buf[0..size). buf must have one writable byte past the end
 * (buf[size]); strings are decoded in place, so the text is modified.
 * Returns 0, or -1 with d->err / d->err_off set (-2 when out of memory,
 * -3 when a limit is exceeded, -4 when a stream callback stopped it). d->t must be released with json_release
 * in every case.
 */
int json_parse(jdoc *d, char *buf, size_t size, unsigned max_depth);
void json_release(jdoc *d);

/*
 * Streaming: cb is called for each element of an array that is a member of
 * the root object (as {"Subnets": [elem, elem, ...]}), as soon as the element
 * is complete and while its text and tokens are still in cache. `key` is the
 * token of the member's key, `elem` the element's first token, `index` its
 * position in the array. cb returns 1 when it consumed the element (its
 * tokens are then discarded, so the tape never holds more than one element
 * of such an array), 0 to keep it, -1 to stop parsing (json_parse_stream then
 * returns -4). After streaming, the arrays whose elements were consumed look
 * empty on the tape.
 */
typedef int (*json_elem_cb)(void *ctx, jdoc *d, uint32_t key, uint32_t elem, uint32_t index);
int json_parse_stream(jdoc *d, char *buf, size_t size, unsigned max_depth, json_elem_cb cb, void *ctx);

/*
 * 1-based line and column (in bytes) of offset `off` of the text, valid
 * after json_parse (also after a failed one, for offsets it reached).
 */
void json_linecol(const jdoc *d, size_t off, unsigned *line, unsigned *col);

/* First child token of a container (only meaningful when count > 0). */
static inline uint32_t json_child(uint32_t i) { return i + 1; }
/* Next sibling: elements of an array, or keys of an object (skip the value). */
static inline uint32_t json_next(const jdoc *d, uint32_t i) { return d->t[i].next; }
static inline int json_type(const jdoc *d, uint32_t i) { return d->t[i].type; }
/* Text of a string token (NUL-terminated). */
static inline const char *json_str(const jdoc *d, uint32_t i) { return d->buf + d->t[i].off + 1; }

/* Cheap 29-bit digest of a key (length and three bytes) stored in each key
 * token, so that member lookup rarely compares text. */
static inline uint32_t json_keyhash(const char *k, size_t len)
{
    if (!len)
        return 0;
    return (uint32_t)((len & 63) | ((uint32_t)(unsigned char)k[0] << 6) |
                      ((uint32_t)(unsigned char)k[len - 1] << 14) |
                      ((uint32_t)((unsigned char)k[len / 2] & 0x7F) << 22));
}

/* Value of member `key` of object `obj`, or 0 when absent (0 is never a member). */
uint32_t json_get(const jdoc *d, uint32_t obj, const char *key);
/* Integer value of a number token; false when it is not an integer in range. */
bool json_int(const jdoc *d, uint32_t i, int64_t *out);

#endif
