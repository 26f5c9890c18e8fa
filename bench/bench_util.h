/* Helpers shared by the benchmark programs (header-only: each bench/X.c is
 * built on its own). */
#ifndef MLVPC_BENCH_UTIL_H
#define MLVPC_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static inline double bench_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The whole regular file at path, NUL-terminated (one spare byte for the
 * JSON reader); NULL with a message on stderr naming `who`. */
static inline char *bench_read_file(const char *who, const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "%s: cannot open %s as a regular file\n", who, path);
        if (f)
            fclose(f);
        return NULL;
    }
    size_t n = (size_t)sb.st_size;
    char *buf = malloc(n + 1);
    if (!buf || fread(buf, 1, n, f) != n) {
        fprintf(stderr, "%s: cannot read %s\n", who, path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *size = n;
    return buf;
}

#endif
