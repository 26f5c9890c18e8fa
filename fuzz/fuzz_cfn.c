/*
 * libFuzzer target for CloudFormation templates: the YAML reader (libyaml to
 * the located tree, short-form tags), the JSON path through the tree, and
 * the template interpreter (intrinsics, conditions, implied resources); then
 * the resolver, `show` and the whole audit on the result.
 *
 * The first byte chooses the file name, and so the reader: even -> a .yaml
 * file (read as YAML unless it starts like JSON), odd -> a .json file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs/load.h"
#include "mlvpc/mlvpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size || size > (1u << 20))
        return 0;
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    mlvpc_load_opts o = { .region = "us-east-1", .account = "111122223333" };
    const char *path = data[0] & 1 ? "stack.template.json" : "stack.template.yaml";
    mlvpc_status st = inputs_load_buffer(m, path, buf, size, &o, &err);
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
    return 0;
}
