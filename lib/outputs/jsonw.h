/*
 * Streaming JSON writer: pretty-printed (2-space indent), keys in the order
 * written, strings escaped per RFC 8259. Write errors are sticky: check
 * jw_error() once at the end.
 */
#ifndef MLVPC_JSONW_H
#define MLVPC_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum { JW_MAX_DEPTH = 64 };

typedef struct jw {
    FILE *f;
    int depth;
    bool has_items[JW_MAX_DEPTH];
    bool after_key;
    bool failed;
    bool compact; /* one line, no indentation */
} jw;

void jw_init(jw *w, FILE *f);
void jw_obj(jw *w);
void jw_obj_end(jw *w);
void jw_arr(jw *w);
void jw_arr_end(jw *w);
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s); /* NULL writes null */
void jw_int(jw *w, int64_t v);
void jw_uint(jw *w, uint64_t v);
static inline void jw_kuint(jw *w, const char *k, uint64_t v) { jw_key(w, k); jw_uint(w, v); }
/* A number with at most six decimals, trailing zeros dropped. */
void jw_num(jw *w, double v);
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* Finish the document (newline) and report whether every write succeeded. */
bool jw_finish(jw *w);

/* key + value shorthands */
static inline void jw_kstr(jw *w, const char *k, const char *v) { jw_key(w, k); jw_str(w, v); }
static inline void jw_kint(jw *w, const char *k, int64_t v) { jw_key(w, k); jw_int(w, v); }
static inline void jw_kbool(jw *w, const char *k, bool v) { jw_key(w, k); jw_bool(w, v); }

#endif
