/* Helpers shared by the benchmark programs (header-only: each bench/X.c is
 * built on its own). */
#ifndef MLVPC_BENCH_UTIL_H
#define MLVPC_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* The median of v[0..n), n > 0 (v is sorted; an even count gives the mean
 * of the middle two). */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* This process's peak resident set, in KiB. */
static inline long bench_peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A run count given as text: 1 to 99, else dflt. */
static inline int bench_runs(const char *s, int dflt)
{
    int n = atoi(s);
    return n >= 1 && n <= 99 ? n : dflt;
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

/* fn(arg, out) in a fresh child process (a cold allocator and its own peak
 * RSS), its result of `size` bytes copied back into out through a pipe. 0
 * when the child succeeded. */
static inline int bench_in_child(int (*fn)(const char *, void *), const char *arg, void *out, size_t size)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fd[0]);
        int rc = fn(arg, out);
        if (rc == 0 && write(fd[1], out, size) != (ssize_t)size)
            rc = -1;
        _exit(rc ? 1 : 0);
    }
    close(fd[1]);
    ssize_t got = read(fd[0], out, size);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    return got == (ssize_t)size && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

#endif
