/*
 * libFuzzer target for flow logs: the reader (plain and gzip, one or several
 * members, line assembly across reads, over-long lines), header detection,
 * the record parser for the default and custom formats, the aggregation
 * (with its pruning when keys are many) and both reports.
 *
 * The first byte chooses how the rest is given: bit 0 set: as a file
 * (header or default format); bit 1 set: with --fields taken from the
 * input's first line; bit 2 set: as a partial aggregate to merge (the
 * reader of docs/partial-format.md), then written back and merged again. Each input is written to one scratch file per process
 * (the reader works on paths).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mlvpc/mlvpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size || size > (1u << 20))
        return 0;
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz_flows.%ld", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
        abort();
    char fields[256] = { 0 };
    if (data[0] & 2) {
        size_t n = 0;
        while (n + 1 < size && n < sizeof fields - 1 && data[1 + n] != '\n' && data[1 + n])
            n++;
        memcpy(fields, data + 1, n);
    }
    mlvpc_flows_opts o = { .fields = fields[0] ? fields : NULL, .since = -1, .until = -1, .top = 3 };
    mlvpc_diag err;
    mlvpc_flows *fl = mlvpc_flows_new(&o, &err);
    if (!fl) {
        if (!err.text[0])
            abort(); /* a refusal must say why */
        return 0;
    }
    mlvpc_status st = data[0] & 4 ? mlvpc_flows_merge(fl, path, &err) : mlvpc_flows_add(fl, path, &err);
    if (st != MLVPC_OK && (!err.text[0] || !err.file[0]))
        abort(); /* a failure must say where and why */
    if (st == MLVPC_OK && (data[0] & 4)) { /* what merges writes back the same */
        FILE *p = fopen(path, "wb");
        if (!p || mlvpc_flows_write_partial(fl, p, &err) != MLVPC_OK || fclose(p) != 0)
            abort();
        mlvpc_flows *again = mlvpc_flows_new(&o, &err);
        if (!again || mlvpc_flows_merge(again, path, &err) != MLVPC_OK ||
            mlvpc_flows_records(again) != mlvpc_flows_records(fl))
            abort();
        mlvpc_flows_free(again);
    }
    if (mlvpc_flows_write(fl, MLVPC_FORMAT_JSON, devnull, &err) != MLVPC_OK ||
        mlvpc_flows_write(fl, MLVPC_FORMAT_TEXT, devnull, &err) != MLVPC_OK)
        abort();
    mlvpc_flows_free(fl);
    return 0;
}
