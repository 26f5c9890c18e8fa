/* Fixed-key counter tables (fmap.h). */
#include "fmap.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

_Static_assert(offsetof(fmap_val, extra) + 8 == sizeof(fmap_val), "extra is last: tables without it end there");

enum { HUGE = 2u << 20 }; /* a huge page; tables from this size are mapped */

/* Zeroed room for `bytes` of slots into m (slots, map, map_bytes). */
static uint8_t *slots_alloc(fmap *m, size_t bytes)
{
    if (bytes < HUGE) {
        m->map = NULL;
        m->map_bytes = 0;
        return calloc(1, bytes);
    }
    size_t len = bytes + HUGE; /* room to start on a huge-page boundary */
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    uint8_t *at = (uint8_t *)(((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
#ifdef MADV_HUGEPAGE
    (void)madvise(at, bytes, MADV_HUGEPAGE); /* (a hint: without it, small pages) */
#endif
    m->map = p;
    m->map_bytes = len;
    return at;
}

static void slots_free(uint8_t *slots, void *map, size_t map_bytes)
{
    if (map)
        munmap(map, map_bytes);
    else
        free(slots);
}

void fmap_init(fmap *m, uint32_t ksize, int extra)
{
    memset(m, 0, sizeof *m);
    if (getrandom(&m->seed, sizeof m->seed, GRND_NONBLOCK) != (ssize_t)sizeof m->seed)
        m->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)m; /* (weaker, but no failure) */
    m->ksize = ksize;
    m->extra = extra != 0;
    m->stride = (fmap_key_at(extra) + ksize + 7) & ~7u;
    m->rank = 2;
}

void fmap_release(fmap *m)
{
    slots_free(m->slots, m->map, m->map_bytes);
    free(m->used);
    fmap empty;
    memset(&empty, 0, sizeof empty);
    empty.ksize = m->ksize, empty.stride = m->stride, empty.rank = m->rank, empty.extra = m->extra;
    *m = empty;
}

uint64_t fmap_hash(const fmap *m, const void *key)
{
    uint64_t k[FMAP_KEY_MAX / 8] = { 0 };
    memcpy(k, key, m->ksize);
    return fmap_hash_padded(m, k);
}

static uint64_t hash_at(const fmap *m, uint32_t i) { return *(const uint64_t *)fmap_slot(m, i); }

/* Place a copy of slot `from` (of another table with the same layout) into m. */
static void seat(fmap *m, const uint8_t *from)
{
    uint64_t h;
    memcpy(&h, from, 8);
    uint32_t j = fmap_home(m, h);
    while (hash_at(m, j))
        j = (j + 1) & (m->cap - 1);
    memcpy(fmap_slot(m, j), from, m->stride);
    fmap_mark_used(m, j);
    m->n++;
}

static int resize(fmap *m, uint32_t cap)
{
    fmap old = *m;
    uint64_t *used = calloc(cap / 64, sizeof *used); /* (cap: a power of two of at least 1024) */
    /* (one slot more than cap, never used: the prefetch of the slot after the
     * last stays inside the allocation) */
    uint8_t *slots = used ? slots_alloc(m, (size_t)(cap + 1) * m->stride) : NULL;
    if (!slots) {
        m->map = old.map, m->map_bytes = old.map_bytes;
        free(used);
        return -1;
    }
    m->slots = slots;
    m->used = used;
    m->cap = cap;
    m->n = 0;
    for (uint32_t i = 0; i < old.cap; i++)
        if (fmap_used(&old, i))
            seat(m, fmap_slot(&old, i));
    slots_free(old.slots, old.map, old.map_bytes);
    free(old.used);
    return 0;
}

fmap_val *fmap_upsert(fmap *m, const uint64_t *key, uint64_t hash, uint32_t limit)
{
    uint32_t words = (m->ksize + 7) / 8, at;
    fmap_val *v = fmap_lookup(m, key, hash, words, m->extra, &at);
    if (v || m->n >= limit)
        return v;
    if ((m->n + 1) * 2 > m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 1024;
        if (cap > (1u << 30) || resize(m, cap) != 0)
            return NULL;
        for (at = fmap_home(m, hash); fmap_used(m, at); at = (at + 1) & (m->cap - 1))
            ;
    }
    return fmap_insert_at(m, key, hash, words, m->extra, at, limit);
}

fmap_val *fmap_get(fmap *m, const void *key, uint64_t hash)
{
    uint64_t k[FMAP_KEY_MAX / 8] = { 0 };
    memcpy(k, key, m->ksize);
    m->hist_ok = 0; /* (the caller changes the counters as it likes: counted again at the next prune) */
    return fmap_upsert(m, k, hash, UINT32_MAX);
}

const fmap_val *fmap_find(const fmap *m, const void *key, uint64_t hash)
{
    uint64_t k[FMAP_KEY_MAX / 8] = { 0 };
    uint32_t at;
    memcpy(k, key, m->ksize);
    return fmap_lookup(m, k, hash, (m->ksize + 7) / 8, m->extra, &at);
}

/* The histogram counted again from the slots. */
static void recount(fmap *m)
{
    memset(m->hist, 0, sizeof m->hist);
    for (uint32_t i = 0; i < m->cap; i++)
        if (fmap_used(m, i))
            m->hist[fmap_bucket(fmap_height(m, fmap_val_at(m, i), m->rank))]++;
    m->hist_ok = 1;
}

/* Slot i emptied. */
static void vacate(fmap *m, uint32_t i)
{
    memset(fmap_slot(m, i), 0, 8);
    fmap_mark_free(m, i);
}

/* Slot i of a prune (fmap_prune: the order of the visits): dropped when
 * its rank value is at most the new floor, else counted in the histogram
 * at its new height and moved to the first free slot from its home. */
static void prune_slot(fmap *m, uint32_t i, fmap_val *lost)
{
    const fmap_val *x = fmap_val_at(m, i);
    if (fmap_ranked(x, m->rank) <= m->floor) {
        lost->records = x->records > lost->records ? x->records : lost->records;
        lost->packets = x->packets > lost->packets ? x->packets : lost->packets;
        lost->bytes = x->bytes > lost->bytes ? x->bytes : lost->bytes;
        if (m->extra)
            lost->extra = x->extra > lost->extra ? x->extra : lost->extra;
        vacate(m, i);
        m->n--;
        return;
    }
    m->hist[fmap_bucket(fmap_height(m, x, m->rank))]++;
    uint32_t j = fmap_home(m, hash_at(m, i));
    while (j != i && fmap_used(m, j))
        j = (j + 1) & (m->cap - 1);
    if (j != i) {
        memcpy(fmap_slot(m, j), fmap_slot(m, i), m->stride);
        fmap_mark_used(m, j);
        vacate(m, i);
    }
}

void fmap_prune(fmap *m, fmap_val *lost)
{
    memset(lost, 0, sizeof *lost);
    if (!m->n)
        return;
    if (!m->hist_ok)
        recount(m);
    uint32_t top = 0; /* the median's bucket: the first where more than half the keys are counted */
    for (uint32_t seen = m->hist[0]; seen <= m->n / 2 && top < FMAP_BUCKETS - 1; seen += m->hist[++top])
        ;
    /* The new floor: at least 1 once pruned, so that a key with `missed`
     * 0 is one no prune dropped. */
    const uint64_t limit = fmap_add_sat(m->floor, fmap_bucket_max(top));
    m->floor = limit ? limit : 1;
    memset(m->hist, 0, sizeof m->hist); /* (the survivors counted again at their new heights) */
    /* One pass drops the entries in buckets up to `top` and moves each
     * survivor to the first free slot from its home. It starts after an
     * empty slot, so no cluster wraps behind it: every home lies in the part
     * already passed, and what it frees lies ahead of every entry placed. */
    uint32_t mask = m->cap - 1, start = 0;
    while (fmap_used(m, start))
        start++;
    /* The used slots from start + 1 on, wrapping, found word by word in
     * the bitmap (half the slots are empty: they are never read). */
    const uint32_t words = m->cap / 64, from = (start + 1) & mask;
    for (uint32_t w = 0; w <= words; w++) {
        uint32_t at = ((from >> 6) + w) & (words - 1);
        uint64_t bits = m->used[at];
        if (w == 0)
            bits &= ~0ull << (from & 63);
        else if (w == words)
            bits &= (from & 63) ? ~(~0ull << (from & 63)) : 0; /* (the first word's start, wrapped round) */
        /* (the slots of the word after next fetched while these are read:
         * the hardware's own prefetch stops at every 4 KiB) */
        uint32_t ahead = ((from >> 6) + w + 2) & (words - 1);
        for (uint64_t b = m->used[ahead]; b; b &= b - 1) {
            const uint8_t *s = fmap_slot(m, ahead * 64 + (uint32_t)__builtin_ctzll(b));
            __builtin_prefetch(s);
            __builtin_prefetch(s + 8 + FMAP_VAL_BASE - 1);
        }
        for (; bits; bits &= bits - 1)
            prune_slot(m, at * 64 + (uint32_t)__builtin_ctzll(bits), lost);
    }
}

void fmap_merge_begin(fmap *m, uint64_t floor)
{
    m->hist_ok = 0;
    for (uint32_t i = 0; floor && i < m->cap; i++)
        if (fmap_used(m, i))
            fmap_val_at(m, i)->missed = fmap_add_sat(fmap_val_at(m, i)->missed, floor);
}

fmap_val *fmap_merge_key(fmap *m, const void *key, uint64_t hash, const fmap_val *x, uint64_t floor)
{
    uint32_t n = m->n;
    fmap_val *y = fmap_get(m, key, hash);
    if (!y)
        return NULL;
    /* a new key: m's floor (it entered with it); one m held: what
     * fmap_merge_begin added taken back, as s holds it (saturating: a
     * key twice in a crafted partial) */
    uint64_t missed = m->n > n || y->missed == UINT64_MAX ? y->missed : y->missed > floor ? y->missed - floor : 0;
    y->records = fmap_add_sat(y->records, x->records);
    y->packets = fmap_add_sat(y->packets, x->packets);
    y->bytes = fmap_add_sat(y->bytes, x->bytes);
    if (m->extra)
        y->extra = fmap_add_sat(y->extra, x->extra);
    y->missed = fmap_add_sat(missed, x->missed);
    return y;
}

void fmap_merge_end(fmap *m, uint64_t floor)
{
    m->floor = fmap_add_sat(m->floor, floor);
}
