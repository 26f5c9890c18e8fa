/*
 * load_bench — time and measure loading a snapshot with the public API.
 *
 *   load_bench DIR RUNS
 *       RUNS times, a forked child does mlvpc_model_new -> load(DIR) ->
 *       finish -> free and reports the wall time (CLOCK_MONOTONIC) of load
 *       and finish and its peak RSS (getrusage RUSAGE_SELF ru_maxrss, taken
 *       in the child after the free). Prints median, min and max over the
 *       runs, the resource count and the input size (bytes of the .json
 *       files under DIR).
 *
 *   load_bench --json-only FILE RUNS
 *       reads FILE into memory once, then times json_parse alone on a fresh
 *       copy RUNS times (copy and release are not timed) and reports MB/s.
 *
 * Both modes end with one machine-readable line starting with "RESULT"
 * (key=value pairs) that bench/run.sh reads.
 */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mlvpc/mlvpc.h"
#include "inputs/json.h"
#include "bench_util.h"


typedef struct stat3 { double med, min, max; } stat3;

/* Median (mean of the middle two for an even count), min and max; sorts v. */
static stat3 stats(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    stat3 s = { n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1] };
    return s;
}

/* ------------------------------------------------------------------ input size */

static unsigned long long in_bytes;
static unsigned in_files;

static int count_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)ftw;
    size_t n = strlen(path);
    if (flag == FTW_F && S_ISREG(sb->st_mode) && n > 5 && strcmp(path + n - 5, ".json") == 0 &&
        !strstr(path, "/.")) {
        in_bytes += (unsigned long long)sb->st_size;
        in_files++;
    }
    return 0;
}

/* ------------------------------------------------------------------ load mode */

typedef struct result {
    int status; /* mlvpc_status of the failing step, 0 when all went well */
    double load_ms, finish_ms, free_ms;
    long maxrss_kib;
    unsigned long long resources, warnings, skipped;
    char err[1200];
    char first_warning[600];
} result;

static void child(const char *dir, int fd)
{
    result r;
    memset(&r, 0, sizeof r);
    mlvpc_diag d;
    memset(&d, 0, sizeof d);
    double t0 = bench_now_ms();
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_status st = m ? mlvpc_model_load(m, dir, NULL, &d) : MLVPC_ERR_NOMEM;
    double t1 = bench_now_ms();
    if (st == MLVPC_OK)
        st = mlvpc_model_finish(m, &d);
    double t2 = bench_now_ms();
    r.status = (int)st;
    if (st != MLVPC_OK) {
        mlvpc_diag_format(&d, r.err, sizeof r.err);
    } else {
        r.resources = mlvpc_model_resource_count(m);
        r.warnings = mlvpc_model_diag_count(m);
        r.skipped = mlvpc_model_skipped_count(m);
        if (r.warnings)
            mlvpc_diag_format(mlvpc_model_diag(m, 0), r.first_warning, sizeof r.first_warning);
    }
    mlvpc_model_free(m);
    double t3 = bench_now_ms();
    r.load_ms = t1 - t0;
    r.finish_ms = t2 - t1;
    r.free_ms = t3 - t2;
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        r.maxrss_kib = ru.ru_maxrss;
    const char *p = (const char *)&r;
    size_t left = sizeof r;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        p += w;
        left -= (size_t)w;
    }
    _exit(0);
}

static int run_once(const char *dir, result *r)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("load_bench: pipe");
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("load_bench: fork");
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child(dir, fds[1]);
    }
    close(fds[1]);
    char *p = (char *)r;
    size_t got = 0;
    while (got < sizeof *r) {
        ssize_t n = read(fds[0], p + got, sizeof *r - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fds[0]);
    int ws;
    struct rusage ru;
    while (wait4(pid, &ws, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("load_bench: wait4");
            return -1;
        }
    }
    if (got != sizeof *r || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
        if (WIFSIGNALED(ws))
            fprintf(stderr, "load_bench: child killed by signal %d\n", WTERMSIG(ws));
        else
            fprintf(stderr, "load_bench: child failed (exit %d)\n", WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
        return -1;
    }
    /* The kernel's figure for the child agrees with the child's own; keep the larger. */
    if (ru.ru_maxrss > r->maxrss_kib)
        r->maxrss_kib = ru.ru_maxrss;
    return 0;
}

static int load_mode(const char *dir, int runs)
{
    if (nftw(dir, count_file, 32, FTW_PHYS) != 0) {
        fprintf(stderr, "load_bench: cannot walk %s: %s\n", dir, strerror(errno));
        return 1;
    }
    double *load = calloc((size_t)runs, sizeof *load), *fin = calloc((size_t)runs, sizeof *fin);
    double *tot = calloc((size_t)runs, sizeof *tot), *fre = calloc((size_t)runs, sizeof *fre);
    double *rss = calloc((size_t)runs, sizeof *rss);
    int rc = 1;
    if (!load || !fin || !tot || !fre || !rss) {
        fprintf(stderr, "load_bench: out of memory\n");
        goto out;
    }
    result r;
    unsigned long long resources = 0, warnings = 0, skipped = 0;
    char first_warning[sizeof r.first_warning] = "";
    for (int i = 0; i < runs; i++) {
        if (run_once(dir, &r) != 0)
            goto out;
        if (r.status != MLVPC_OK) {
            printf("load_bench: %s: load failed: %s (%s)\n", dir, r.err,
                   mlvpc_status_str((mlvpc_status)r.status));
            printf("RESULT status=error error=%s\n", mlvpc_status_str((mlvpc_status)r.status));
            goto out;
        }
        load[i] = r.load_ms;
        fin[i] = r.finish_ms;
        tot[i] = r.load_ms + r.finish_ms;
        fre[i] = r.free_ms;
        rss[i] = (double)r.maxrss_kib / 1024.0;
        resources = r.resources;
        warnings = r.warnings;
        skipped = r.skipped;
        snprintf(first_warning, sizeof first_warning, "%s", r.first_warning);
    }
    stat3 sl = stats(load, runs), sf = stats(fin, runs), st = stats(tot, runs), sr = stats(fre, runs),
          sm = stats(rss, runs);
    printf("load_bench: %s\n", dir);
    printf("  input      %u JSON files, %.1f MB (%llu bytes)\n", in_files, (double)in_bytes / 1e6, in_bytes);
    printf("  model      %llu resources, %llu warnings, %llu skipped files\n", resources, warnings, skipped);
    if (warnings)
        printf("  first warning: %s\n", first_warning);
    printf("  %d runs, each in a fresh child process\n", runs);
    printf("  %-16s %10s %10s %10s\n", "", "median", "min", "max");
    printf("  %-16s %10.1f %10.1f %10.1f\n", "load ms", sl.med, sl.min, sl.max);
    printf("  %-16s %10.1f %10.1f %10.1f\n", "finish ms", sf.med, sf.min, sf.max);
    printf("  %-16s %10.1f %10.1f %10.1f\n", "load+finish ms", st.med, st.min, st.max);
    printf("  %-16s %10.1f %10.1f %10.1f\n", "free ms", sr.med, sr.min, sr.max);
    printf("  %-16s %10.1f %10.1f %10.1f\n", "peak RSS MiB", sm.med, sm.min, sm.max);
    printf("  throughput     %.0f MB/s of input (load+finish median)\n",
           st.med > 0 ? (double)in_bytes / 1e6 / (st.med / 1e3) : 0.0);
    printf("RESULT status=ok resources=%llu warnings=%llu files=%u bytes=%llu load_ms=%.1f finish_ms=%.1f "
           "total_ms=%.1f total_min_ms=%.1f total_max_ms=%.1f rss_mib=%.1f\n",
           resources, warnings, in_files, in_bytes, sl.med, sf.med, st.med, st.min, st.max, sm.max);
    rc = 0;
out:
    free(load);
    free(fin);
    free(tot);
    free(fre);
    free(rss);
    return rc;
}

/* ------------------------------------------------------------------ JSON-only mode */


static int json_mode(const char *path, int runs)
{
    size_t size;
    char *orig = bench_read_file("load_bench", path, &size);
    char *work = orig ? malloc(size + 1) : NULL;
    double *ms = calloc((size_t)runs, sizeof *ms);
    if (!orig || !work || !ms) {
        free(orig);
        free(work);
        free(ms);
        return 1;
    }
    uint32_t ntok = 0;
    for (int i = 0; i < runs; i++) {
        memcpy(work, orig, size + 1); /* the parse decodes strings in place */
        jdoc d;
        double t0 = bench_now_ms();
        int rc = json_parse(&d, work, size, JSON_MAX_DEPTH);
        double t1 = bench_now_ms();
        if (rc != 0) {
            unsigned line = 0, col = 0;
            if (rc != -2)
                json_linecol(&d, d.err_off, &line, &col);
            fprintf(stderr, "load_bench: %s:%u:%u: %s\n", path, line, col, d.err);
            json_release(&d);
            return 1;
        }
        ntok = d.n;
        json_release(&d);
        ms[i] = t1 - t0;
    }
    stat3 s = stats(ms, runs);
    double mb = (double)size / 1e6;
    printf("load_bench --json-only: %s\n", path);
    printf("  %.1f MB, %u tokens, %d runs of json_parse (copy and release not timed)\n", mb, ntok, runs);
    printf("  parse ms     median %.1f  min %.1f  max %.1f\n", s.med, s.min, s.max);
    printf("  throughput   median %.0f MB/s  (best %.0f MB/s)\n", mb / (s.med / 1e3), mb / (s.min / 1e3));
    printf("RESULT status=ok bytes=%zu tokens=%u parse_ms=%.2f mb_s=%.0f\n", size, ntok, s.med,
           mb / (s.med / 1e3));
    free(orig);
    free(work);
    free(ms);
    return 0;
}

/* ------------------------------------------------------------------ main */

static int parse_runs(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v > 0 && v <= 1000 ? (int)v : -1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--json-only") == 0) {
        int runs = parse_runs(argv[3]);
        if (runs > 0)
            return json_mode(argv[2], runs);
    } else if (argc == 3) {
        int runs = parse_runs(argv[2]);
        if (runs > 0)
            return load_mode(argv[1], runs);
    }
    fprintf(stderr, "usage: load_bench DIR RUNS\n"
                    "       load_bench --json-only FILE RUNS\n");
    return 2;
}
