/*
 * json_compare — mlvpc's JSON reader (json_parse) against cJSON and jansson
 * on the same files. Not built by `make bench` (it needs the two libraries);
 * bench/README.md has the commands to build and run it.
 *
 *   json_compare [--runs N] FILE...
 *
 * For each file and parser: N runs (default 5) of parsing the file from
 * memory; the time of the parse call alone is measured (CLOCK_MONOTONIC),
 * the median is reported with MB/s (10^6 bytes per second of input), plus
 * the median time to free the result and the heap the parsed result holds
 * (mallinfo2 before and after the parse). json_parse decodes strings in
 * place, so it gets a fresh copy of the text before each run (not timed);
 * cJSON and jansson read the text without changing it.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>
/* jansson's json_type (an enum) would clash with mlvpc's json_type() accessor. */
#define json_type jansson_json_type
#include <jansson.h>
#undef json_type

#include "inputs/json.h"
#include "bench_util.h"

enum { P_MLVPC, P_CJSON, P_JANSSON, NPARSERS };
static const char *const NAMES[NPARSERS] = { "mlvpc json_parse", "cJSON", "jansson" };

static size_t heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

typedef struct run { double parse_ms, free_ms; size_t heap; long items; } run;

/* One parse of text[0..size) by parser p; work is scratch space of size + 1. */
static int parse_once(int p, const char *text, char *work, size_t size, run *r)
{
    size_t h0, h1;
    double t0, t1, t2;
    if (p == P_MLVPC) {
        memcpy(work, text, size + 1);
        jdoc d;
        h0 = heap_used();
        t0 = bench_now_ms();
        int rc = json_parse(&d, work, size, JSON_MAX_DEPTH);
        t1 = bench_now_ms();
        h1 = heap_used();
        if (rc != 0) {
            fprintf(stderr, "json_parse: %s at byte %zu\n", d.err, d.err_off);
            json_release(&d);
            return -1;
        }
        /* Elements of the root's first member (e.g. the NetworkInterfaces array). */
        r->items = d.n > 2 && json_type(&d, 0) == J_OBJ ? (long)d.t[2].count : (long)d.t[0].count;
        json_release(&d);
        t2 = bench_now_ms();
    } else if (p == P_CJSON) {
        h0 = heap_used();
        t0 = bench_now_ms();
        cJSON *root = cJSON_ParseWithLength(text, size);
        t1 = bench_now_ms();
        h1 = heap_used();
        if (!root) {
            fprintf(stderr, "cJSON: parse error near byte %td\n", cJSON_GetErrorPtr() - text);
            return -1;
        }
        r->items = cJSON_IsObject(root) && root->child ? cJSON_GetArraySize(root->child)
                                                       : cJSON_GetArraySize(root);
        cJSON_Delete(root);
        t2 = bench_now_ms();
    } else {
        json_error_t err;
        h0 = heap_used();
        t0 = bench_now_ms();
        json_t *root = json_loadb(text, size, 0, &err);
        t1 = bench_now_ms();
        h1 = heap_used();
        if (!root) {
            fprintf(stderr, "jansson: %s at line %d\n", err.text, err.line);
            return -1;
        }
        if (json_is_object(root)) {
            void *it = json_object_iter(root);
            json_t *first = it ? json_object_iter_value(it) : NULL;
            r->items = first && json_is_array(first) ? (long)json_array_size(first) : 0;
        } else {
            r->items = (long)json_array_size(root);
        }
        json_decref(root);
        t2 = bench_now_ms();
    }
    r->parse_ms = t1 - t0;
    r->free_ms = t2 - t1;
    r->heap = h1 > h0 ? h1 - h0 : 0;
    return 0;
}

static int compare_file(const char *path, int runs)
{
    size_t size;
    char *text = bench_read_file("json_compare", path, &size);
    char *work = text ? malloc(size + 1) : NULL;
    double *pm = calloc((size_t)runs, sizeof *pm), *fm = calloc((size_t)runs, sizeof *fm);
    if (!text || !work || !pm || !fm) {
        free(text);
        free(work);
        free(pm);
        free(fm);
        return 1;
    }
    double mb = (double)size / 1e6, base = 0;
    printf("%s: %.1f MB\n", path, mb);
    printf("  %-22s %10s %9s %9s %9s %10s %9s\n", "parser (median of runs)", "parse ms", "MB/s", "vs mlvpc",
           "free ms", "heap MiB", "items");
    int rc = 0;
    for (int p = 0; p < NPARSERS; p++) {
        run r = { 0 };
        size_t heap = 0;
        for (int i = 0; i < runs; i++) {
            if (parse_once(p, text, work, size, &r) != 0) {
                rc = 1;
                break;
            }
            pm[i] = r.parse_ms;
            fm[i] = r.free_ms;
            if (r.heap > heap)
                heap = r.heap;
        }
        if (rc)
            break;
        double ms = bench_median(pm, runs), fms = bench_median(fm, runs), rate = mb / (ms / 1e3);
        if (p == P_MLVPC)
            base = ms;
        printf("  %-22s %10.1f %9.0f %8.2fx %9.1f %10.1f %9ld\n", NAMES[p], ms, rate, ms / base, fms,
               (double)heap / (1024.0 * 1024.0), r.items);
    }
    printf("  (vs mlvpc: parse time relative to json_parse; heap: memory the parsed result holds,\n"
           "   not counting the %.1f MB text that json_parse decodes in place)\n", mb);
    free(text);
    free(work);
    free(pm);
    free(fm);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = 5, i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--runs") == 0) {
        runs = atoi(argv[i + 1]);
        i += 2;
    }
    if (i >= argc || runs < 1 || runs > 1000) {
        fprintf(stderr, "usage: json_compare [--runs N] FILE...\n");
        return 2;
    }
    printf("json_compare: %d runs per parser; cJSON %d.%d.%d, jansson %s\n", runs, CJSON_VERSION_MAJOR,
           CJSON_VERSION_MINOR, CJSON_VERSION_PATCH, JANSSON_VERSION);
    int rc = 0;
    for (; i < argc; i++)
        rc |= compare_file(argv[i], runs);
    return rc;
}
