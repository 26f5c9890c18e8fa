/*
 * libFuzzer target for Terraform inputs: plan and state JSON (`terraform show
 * -json`), raw state files and JSON configuration (*.tf.json) through the
 * located tree, the instance tables, reference following (configuration
 * expressions, module outputs and variables, count/for_each keys, "${...}")
 * and the provider semantics; then the resolver, `show` and the whole audit.
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
    mlvpc_load_opts o = { .region = data[0] & 1 ? "us-east-1" : NULL, .account = "111122223333" };
    const char *path = "main.tfplan.json";
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
