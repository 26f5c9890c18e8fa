/* The unit tests' pseudo-random numbers: Marsaglia's xorshift64, from a
 * fixed seed, so that every run generates the same cases. */
#ifndef MLVPC_TEST_XORSHIFT_H
#define MLVPC_TEST_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

#endif
