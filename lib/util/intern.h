/*
 * String interning and the symbol table.
 *
 * Every identifier of a model (resource ids, names, service names) is
 * interned once: equal strings get the same symbol number and the same
 * pointer, so comparisons are integer or pointer compares. A symbol also
 * records which resource defines it (kind, index), which is how references
 * are resolved in O(1) at load.
 *
 * Symbol 0 is reserved for "none".
 */
#ifndef MLVPC_INTERN_H
#define MLVPC_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct intern_sym {
    const char *s;  /* NUL-terminated, in the owner's arena */
    uint32_t len;
    uint32_t hash;
    uint32_t kind;  /* defining resource kind, 0 when nothing defines it */
    uint32_t idx;   /* index of that resource in its table */
} intern_sym;

typedef struct intern {
    arena *ar;
    uint64_t *slots; /* open addressing: 0 = empty, else hash << 32 | symbol */
    uint32_t nslots; /* power of two */
    intern_sym *syms;       /* syms[0] is the reserved "none" */
    uint32_t n, cap;
} intern;

int intern_init(intern *t, arena *ar);
void intern_release(intern *t);
/* Symbol for s[0..len), created when new; 0 when out of memory. */
uint32_t intern_get(intern *t, const char *s, size_t len);
/* Symbol for s[0..len) or 0 when it was never interned. */
uint32_t intern_find(const intern *t, const char *s, size_t len);

static inline const char *intern_str(const intern *t, uint32_t id) { return id ? t->syms[id].s : NULL; }

#endif
