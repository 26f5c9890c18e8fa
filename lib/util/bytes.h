/* Small byte helpers for hot paths. */
#ifndef MLVPC_BYTES_H
#define MLVPC_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* a[0..n) == b[0..n), inline: the strings compared on hot paths (JSON keys,
 * interned ids) are short, and a library call costs more than the compare. */
static inline bool bytes_eq(const char *a, const char *b, size_t n)
{
    while (n >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return false;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n--)
        if (*a++ != *b++)
            return false;
    return true;
}

#endif
