/*
 * Hash tables with fixed-size keys (at most FMAP_KEY_MAX bytes, compared as
 * bytes: pad keys with zeros) and a fixed-size value of counters. Open
 * addressing with linear probing, at most half full. A slot holds the key's
 * hash, the counters and the key together, so that a lookup in a table far
 * larger than the caches costs one or two cache lines, not three. A bitmap
 * of the used slots (one bit each) lets a prune read only those.
 * Memory grows with the distinct keys, never with how often a key is seen.
 * Large tables are mapped with transparent huge pages where the system
 * offers them: their lookups are random, and 4 KiB pages would make most
 * of them TLB misses too.
 */
#ifndef MLVPC_FMAP_H
#define MLVPC_FMAP_H

#include <stddef.h>
#include <stdint.h>

enum { FMAP_KEY_MAX = 80 };
_Static_assert(FMAP_KEY_MAX % 16 == 0, "keys are hashed sixteen bytes at a time");

typedef struct fmap_val {
    uint64_t records, packets, bytes;
    uint64_t missed; /* at most this much of the rank counter is missing: what the key may have
                        had when a prune dropped it before (the table's floor when it was seated) */
    uint64_t extra;  /* the table's own counter, in tables made with one (fmap_init) only: in the
                        others the key starts here (slots of address keys fit a cache line) */
} fmap_val;

enum { FMAP_VAL_BASE = offsetof(fmap_val, extra) }; /* the counters every table has */

/* Where a slot's key starts: after the hash and the counters. */
static inline uint32_t fmap_key_at(int extra) { return 8 + FMAP_VAL_BASE + 8 * (extra != 0); }

/* a + b, saturating: counters of crafted inputs must not wrap. */
static inline uint64_t fmap_add_sat(uint64_t a, uint64_t b)
{
    uint64_t r;
    return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* Buckets of a counter's value: one per value below 16, then eight per
 * octave (fmap_bucket). */
enum { FMAP_BUCKETS = 16 + 60 * 8 };

typedef struct fmap {
    uint64_t seed;                  /* per table, random: crafted keys cannot aim at one slot */
    uint32_t ksize, stride, n, cap; /* cap: a power of two, or 0 */
    uint8_t *slots;                 /* cap * stride: hash (0 = empty), fmap_val, key zero-padded to 8 */
    uint64_t *used;                 /* cap bits: bit i set when slot i holds a key (a prune reads only those) */
    void *map;                      /* what holds the slots: a mapping of map_bytes, or NULL (malloc) */
    size_t map_bytes;
    uint8_t rank;                   /* the counter pruning ranks by: 0 records, 1 packets, 2 bytes (the default) */
    uint8_t extra;                  /* the slots have the `extra` counter */
    uint8_t hist_ok;                /* hist counts the keys by fmap_bucket of their height (kept from a
                                       table's first prune on: small tables never pay for it) */
    uint64_t floor;                 /* the most a key the table does not hold may have had (its rank counter):
                                       0 until a prune, then at least 1; a new key enters with it as `missed`,
                                       so `missed` is 0 only for keys no prune ever dropped */
    uint32_t hist[FMAP_BUCKETS];
} fmap;

/* The histogram bucket of counter value x; monotone: x <= y gives
 * bucket(x) <= bucket(y). */
static inline uint32_t fmap_bucket(uint64_t x)
{
    if (x < 16)
        return (uint32_t)x;
    unsigned e = 63u - (unsigned)__builtin_clzll(x); /* 4 to 63 */
    return 16 + (e - 4) * 8 + (uint32_t)(x >> (e - 3) & 7);
}

/* The largest counter value in bucket b (b < FMAP_BUCKETS): x <= max(b)
 * exactly when bucket(x) <= b. */
static inline uint64_t fmap_bucket_max(uint32_t b)
{
    if (b < 16)
        return b;
    unsigned e = 4 + (b - 16) / 8, frac = (b - 16) % 8;
    return ((uint64_t)(9 + frac) << (e - 3)) - 1; /* (wraps to UINT64_MAX for the last bucket) */
}

/* Counter `rank` of v (0 records, 1 packets, 2 bytes): its place, its value. */
static inline uint64_t *fmap_counter(fmap_val *v, int rank)
{
    return rank == 0 ? &v->records : rank == 1 ? &v->packets : &v->bytes;
}

static inline uint64_t fmap_count(const fmap_val *v, int rank)
{
    return rank == 0 ? v->records : rank == 1 ? v->packets : v->bytes;
}

/* The rank value of v: its counter `rank` (0 records, 1 packets, 2 bytes)
 * plus what that counter may have missed (saturating), the most the key
 * can have had. Prunes rank keys by it. */
static inline uint64_t fmap_ranked(const fmap_val *v, int rank)
{
    return fmap_add_sat(fmap_count(v, rank), v->missed);
}

/* A key's height: how far its rank value is above the table's floor (0
 * for a new key, and for a key below the floor, which only a crafted
 * partial gives). The histogram counts heights, not rank values, so that
 * its buckets stay fine just above the floor, where the keys seen once
 * since the last prune sit: with buckets of rank values an eighth of the
 * floor wide, each prune would drop most of them and lift the floor by at
 * least that eighth. A key in the median's bucket or below has a rank value
 * at most the new floor, so each prune drops more than half the keys. */
static inline uint64_t fmap_height(const fmap *m, const fmap_val *v, int rank)
{
    uint64_t r = fmap_ranked(v, rank);
    return r > m->floor ? r - m->floor : 0;
}

/* Keeps the histogram, when it is kept, as v's rank counter (`rank`:
 * m->rank, a constant where the caller has it) is about to grow by `add`
 * (a new key enters at height 0). Callers of fmap_upsert change counters
 * only with it (fmap_get gives the histogram up). A move that saturates a
 * sum (only crafted inputs reach 2^64) gives the histogram up too: the
 * next prune counts it again. */
static inline void fmap_hist_add(fmap *m, const fmap_val *v, int rank, uint64_t add)
{
    if (m->hist_ok) {
        uint64_t c = fmap_count(v, rank), grown, r, after;
        if (__builtin_add_overflow(c, add, &grown) || __builtin_add_overflow(c, v->missed, &r) || r < m->floor ||
            __builtin_add_overflow(r, add, &after)) {
            m->hist_ok = 0;
            return;
        }
        m->hist[fmap_bucket(r - m->floor)]--;
        m->hist[fmap_bucket(after - m->floor)]++;
    }
}

/* An empty table of keys of ksize bytes; `extra`: its slots have the
 * `extra` counter (without it, fmap_val's `extra` must not be touched). */
void fmap_init(fmap *m, uint32_t ksize, int extra);
void fmap_release(fmap *m);

/* The high and low halves of a 64 x 64-bit product, folded. */
static inline uint64_t fmap_mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* fmap_hash of a key zero-padded to a multiple of 16 bytes, for a table of
 * key size ksize (the hot path: where ksize is a constant, the loop is
 * unrolled). Pairs of words are mixed independently, so the
 * multiplications of a long key overlap instead of forming one chain. */
static inline __attribute__((always_inline)) uint64_t fmap_hash_sized(const fmap *m, const void *key, uint32_t ksize)
{
    const uint8_t *p = key;
    uint64_t h = m->seed ^ ksize;
    for (uint32_t i = 0; i < ksize; i += 16) {
        uint64_t a, b;
        __builtin_memcpy(&a, p + i, 8);
        __builtin_memcpy(&b, p + i + 8, 8);
        h ^= fmap_mum(a ^ (m->seed + 0xA0761D6478BD642Full * (i + 1)), b ^ 0xE7037ED1A0B428DBull);
    }
    h = fmap_mum(h ^ 0x8EBC6AF09C88C6E3ull, h ^ 0x589965CC75374CC3ull);
    return h | 1; /* 0 marks an empty slot */
}

static inline uint64_t fmap_hash_padded(const fmap *m, const void *key) { return fmap_hash_sized(m, key, m->ksize); }

/* The hash of key in table m (its seed, its key size); a key and its zero
 * padding hash alike. */
uint64_t fmap_hash(const fmap *m, const void *key);

/* The value of key (zeroed when new); NULL when out of memory. Pointers are
 * valid until the next fmap_get of a new key. */
fmap_val *fmap_get(fmap *m, const void *key, uint64_t hash);

/* The value of key, or NULL when the table does not hold it. */
const fmap_val *fmap_find(const fmap *m, const void *key, uint64_t hash);

/* fmap_get for a key already zero-padded to a multiple of 16 bytes (the hot
 * path: compared a word at a time, never copied); a new key is refused
 * (NULL, with m->n >= limit) while the table holds `limit` keys. The
 * caller keeps the histogram (fmap_hist_add). */
fmap_val *fmap_upsert(fmap *m, const uint64_t *key, uint64_t hash, uint32_t limit);

static inline uint8_t *fmap_slot(const fmap *m, uint32_t i) { return m->slots + (size_t)i * m->stride; }

/* The slot where a key of this hash would be placed first (cap > 0). From
 * the high half: the low bit of every hash is set (0 marks an empty slot),
 * so the low bits would leave every even slot without a key of its own and
 * double the length of the probe runs. */
static inline uint32_t fmap_home(const fmap *m, uint64_t hash) { return (uint32_t)(hash >> 32) & (m->cap - 1); }

/* Slot i marked used or free in the bitmap a prune reads. */
static inline void fmap_mark_used(fmap *m, uint32_t i) { m->used[i >> 6] |= 1ull << (i & 63); }
static inline void fmap_mark_free(fmap *m, uint32_t i) { m->used[i >> 6] &= ~(1ull << (i & 63)); }

/* The counters of a key zero-padded to `words` words (the table's key size
 * in words, (ksize + 7) / 8, which with `extra`, m->extra, gives the
 * stride), or NULL when the table does not hold it (*at is then the empty
 * slot where it would go). The hot path: where `words` and `extra` are
 * constants, the key compare has no loop. */
static inline __attribute__((always_inline)) fmap_val *fmap_lookup(const fmap *m, const uint64_t *key, uint64_t hash,
                                                                  uint32_t words, int extra, uint32_t *at)
{
    *at = 0;
    if (!m->cap)
        return NULL;
    uint8_t *slots = m->slots;
    const uint32_t key_at = fmap_key_at(extra);
    const size_t stride = key_at + 8 * words; /* (m->stride, as a constant where words and extra are) */
    for (uint32_t mask = m->cap - 1, i = fmap_home(m, hash);; i = (i + 1) & mask) {
        uint8_t *s = slots + i * stride;
        uint64_t h, d = 0;
        __builtin_memcpy(&h, s, 8);
        if (!h) {
            *at = i;
            return NULL;
        }
        if (h != hash)
            continue;
        for (uint32_t w = 0; w < words; w++) {
            uint64_t x;
            __builtin_memcpy(&x, s + key_at + 8 * w, 8);
            d |= x ^ key[w];
        }
        if (!d)
            return (fmap_val *)(s + 8);
    }
}

/* A key fmap_lookup missed, seated in the slot it gave (zeroed counters,
 * `missed` the table's floor);
 * NULL when the table must grow first or holds `limit` keys (fmap_upsert
 * then does both). */
static inline __attribute__((always_inline)) fmap_val *fmap_insert_at(fmap *m, const uint64_t *key, uint64_t hash,
                                                                     uint32_t words, int extra, uint32_t at,
                                                                     uint32_t limit)
{
    if (m->n >= limit || (m->n + 1) * 2 > m->cap)
        return NULL;
    uint8_t *s = fmap_slot(m, at);
    __builtin_memcpy(s, &hash, 8);
    __builtin_memset(s + 8, 0, fmap_key_at(extra) - 8);
    __builtin_memcpy(s + 8 + offsetof(fmap_val, missed), &m->floor, 8);
    __builtin_memcpy(s + fmap_key_at(extra), key, 8 * words);
    fmap_mark_used(m, at);
    m->n++;
    m->hist[0]++;
    return (fmap_val *)(s + 8);
}

/* Whether slot i (0 <= i < cap) holds a key; its counters and key. */
static inline int fmap_used(const fmap *m, uint32_t i) { return *(const uint64_t *)fmap_slot(m, i) != 0; }
static inline fmap_val *fmap_val_at(const fmap *m, uint32_t i) { return (fmap_val *)(fmap_slot(m, i) + 8); }
static inline const void *fmap_key(const fmap *m, uint32_t i) { return fmap_slot(m, i) + fmap_key_at(m->extra); }

/* A hint that key `hash` is about to be looked up in m, whose stride is
 * `stride` (m->stride, passed as a constant): the memory of its home slot
 * and the next is fetched while other work goes on (lookups in large
 * tables are cache misses, which a batch of them overlaps; a new key's
 * probe passes its home slot about as often as not). */
static inline __attribute__((always_inline)) void fmap_prefetch(const fmap *m, uint64_t hash, uint32_t stride)
{
    if (m->cap) {
        const uint8_t *s = m->slots + (size_t)fmap_home(m, hash) * stride;
        /* (stride a constant: the lines are counted at compile time; the last
         * byte's line too, which slots that start mid-line reach: asked
         * always, since a test of the slot's alignment mispredicts) */
        for (uint32_t at = 0; at < 2 * stride; at += 64)
            __builtin_prefetch(s + at);
        __builtin_prefetch(s + 2 * stride - 1);
    }
}

/* Remove, to bound memory, the entries whose height is in the median's
 * histogram bucket or below: at least half of them, and at most the
 * entries up to 1/8 of an octave above the median. The table's floor rises
 * to the upper end of that bucket: an entry dropped had at most that
 * much, and a key seen again enters with it as `missed`, so the floor
 * bounds what any key lost to all the prunes together (each drop took at
 * most the rise of the floor while the key was held). As in Misra and
 * Gries's summary, the floor stays near 2 x total / keys held.
 * *lost gets the largest records, packets and bytes removed from one entry
 * (for the counters other than the rank's, which the floor does not
 * bound). One pass over the table when the histogram is kept, two when it
 * must be counted again. */
void fmap_prune(fmap *m, fmap_val *lost);

/* Merging table s's counts into m, when the two counted different records
 * (partials of a split input): a key that one of them does not hold may
 * have had up to that one's floor, so it is added to the key's `missed`.
 * fmap_merge_begin(m, s->floor) first (every key of m as if s lacked it),
 * fmap_merge_key for each key of s (NULL when out of memory), then
 * fmap_merge_end(m, s->floor). The histogram is counted again at the next
 * prune. */
void fmap_merge_begin(fmap *m, uint64_t floor);
fmap_val *fmap_merge_key(fmap *m, const void *key, uint64_t hash, const fmap_val *x, uint64_t floor);
void fmap_merge_end(fmap *m, uint64_t floor);


#endif
