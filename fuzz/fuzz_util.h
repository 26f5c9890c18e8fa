/*
 * Shared by the libFuzzer targets of whole inputs: load a buffer as a file
 * of the given name, and when it loads, run everything that reads a model
 * (show as JSON, the whole audit as SARIF). A failure must say where and
 * why: a load error without a message naming the file aborts.
 */
#ifndef MLVPC_FUZZ_UTIL_H
#define MLVPC_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs/load.h"
#include "mlvpc/mlvpc.h"

static inline void fuzz_load_and_audit(const uint8_t *data, size_t size, const char *path, const mlvpc_load_opts *o)
{
    static FILE *devnull;
    if (!size || size > (1u << 20))
        return;
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    char *buf = malloc(size + 1);
    if (!buf)
        return;
    memcpy(buf, data, size);
    buf[size] = '\0';
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    mlvpc_status st = inputs_load_buffer(m, path, buf, size, o, &err);
    if (st != MLVPC_OK && (!err.text[0] || strcmp(err.file, path) != 0))
        abort(); /* a failure must say where and why */
    if (st == MLVPC_OK && mlvpc_model_finish(m, &err) == MLVPC_OK) {
        mlvpc_show_write(m, MLVPC_FORMAT_JSON, devnull, &err);
        mlvpc_audit_opts ao = { .today = "2026-01-01" };
        mlvpc_audit *a = mlvpc_audit_new(m, &ao, &err);
        if (!a || mlvpc_audit_run(a, &err) != MLVPC_OK)
            abort();
        mlvpc_audit_write(a, MLVPC_FORMAT_SARIF, devnull, &err);
        mlvpc_audit_free(a);
    }
    mlvpc_model_free(m);
    free(buf);
}

#endif
