/*
 * Bump allocator. Everything a model owns lives in one arena and is freed at
 * once with it; nothing allocated here is freed individually.
 */
#ifndef MLVPC_ARENA_H
#define MLVPC_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t total; /* bytes obtained from malloc, for statistics */
} arena;

void arena_init(arena *a);
void arena_release(arena *a);
/* Zeroed, 16-byte aligned memory, or NULL when out of memory / overflow. */
void *arena_alloc(arena *a, size_t size);
/* arena_alloc(a, n * size) with the multiplication checked. */
void *arena_calloc(arena *a, size_t n, size_t size);
/* Copy of s[0..len) with a NUL appended. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);

#endif
