#include "intern.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"

/* Ids are short ASCII: hash 8 bytes per step (multiply and fold). */
static uint32_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

int intern_init(intern *t, arena *ar)
{
    memset(t, 0, sizeof *t);
    t->ar = ar;
    t->nslots = 1024;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    t->cap = 256;
    t->syms = calloc(t->cap, sizeof *t->syms);
    if (!t->slots || !t->syms) {
        intern_release(t);
        return -1;
    }
    t->n = 1;
    return 0;
}

void intern_release(intern *t)
{
    free(t->slots);
    free(t->syms);
    t->slots = NULL;
    t->syms = NULL;
    t->n = t->cap = t->nslots = 0;
}

/* A slot holds the symbol number in its low half and the hash in its high
 * half, so that a probe reads the symbol table only on a hash match. */
#define SLOT(id, h) ((uint64_t)(h) << 32 | (id))

static uint32_t probe(const intern *t, const char *s, size_t len, uint32_t h, uint32_t *slot)
{
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t v = t->slots[i];
        uint32_t id = (uint32_t)v;
        if (id == 0 || ((uint32_t)(v >> 32) == h && t->syms[id].len == len && bytes_eq(t->syms[id].s, s, len))) {
            *slot = i;
            return id;
        }
    }
}

static int grow_slots(intern *t)
{
    if (t->nslots > UINT32_MAX / 4)
        return -1;
    uint32_t n = t->nslots * 2, mask = n - 1;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t id = 1; id < t->n; id++) {
        uint32_t i = t->syms[id].hash & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = SLOT(id, t->syms[id].hash);
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return 0;
}

uint32_t intern_find(const intern *t, const char *s, size_t len)
{
    uint32_t slot;
    return probe(t, s, len, hash_bytes(s, len), &slot);
}

uint32_t intern_get(intern *t, const char *s, size_t len)
{
    if (len > UINT32_MAX - 1)
        return 0;
    uint32_t h = hash_bytes(s, len), slot;
    uint32_t id = probe(t, s, len, h, &slot);
    if (id)
        return id;
    if (t->n == t->cap) {
        if (t->cap > UINT32_MAX / 2)
            return 0;
        intern_sym *ns = realloc(t->syms, (size_t)t->cap * 2 * sizeof *ns);
        if (!ns)
            return 0;
        t->syms = ns;
        t->cap *= 2;
    }
    char *copy = arena_strndup(t->ar, s, len);
    if (!copy)
        return 0;
    id = t->n++;
    t->syms[id] = (intern_sym){ .s = copy, .len = (uint32_t)len, .hash = h };
    t->slots[slot] = SLOT(id, h);
    /* Keep the load factor under 1/2 so probes stay short. */
    if ((uint64_t)t->n * 2 > t->nslots && grow_slots(t) != 0)
        return 0;
    return id;
}
