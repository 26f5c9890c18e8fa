/*
 * libFuzzer target for the AWS CLI snapshot loader (lib/inputs/awscli.c),
 * the resolver (model_finish), `mlvpc show` (text and JSON) and `mlvpc audit`
 * (every rule, text, JSON and SARIF).
 *
 * The input is one JSON document, loaded with inputs_load_buffer() as if it
 * were the file aws_configs/us-east-1/input.json (so the layout gives the
 * region). Then the model is finished and shown in both formats to
 * /dev/null, and freed (LeakSanitizer checks that nothing leaks).
 *
 * Mode, chosen by the first byte (which stays part of the document):
 *  - '\n' (a leading newline is still valid JSON): the document is loaded
 *    twice into the same model, from the same path, before finishing; this
 *    exercises duplicate detection and the "keep what earlier inputs added"
 *    contract;
 *  - '\t' (also whitespace): several documents separated by NUL bytes (a
 *    NUL can never occur in JSON text), loaded in order into one model from
 *    paths that cycle through the layouts (region directory, account and
 *    region, none). This reaches what one document cannot: references
 *    between files, such as SageMaker placements in subnets of an EC2
 *    snapshot, or describe-vpc-attribute outputs applied to VPCs;
 *  - anything else: loaded once.
 * The model is finished and shown whatever the load returned: the API
 * promises that a failed load keeps what earlier inputs added, so a model
 * that saw a load error must still finish and show safely.
 *
 * Building with -DFUZZ_FINISH_ONLY_OK restricts finish/show to models whose
 * loads all succeeded (what the CLI does), to look past bugs of that path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs/load.h"
#include "mlvpc/mlvpc.h"

#define FUZZ_PATH "aws_configs/us-east-1/input.json"

/* Paths of the documents of a multi-document input, in turn. */
static const char *const multi_paths[] = {
    FUZZ_PATH,
    "aws_configs/us-east-1/sagemaker.json",
    "snap/aws_configs/accounts/111122223333/eu-west-1/Vpcs.json",
    "input.json",
};
enum { MAX_DOCS = 64 };

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One load from a fresh writable copy (the reader decodes in place). */
static mlvpc_status load_copy(mlvpc_model *m, const char *path, const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return MLVPC_ERR_NOMEM;
    if (size)
        memcpy(buf, data, size);
    mlvpc_diag err;
    memset(&err, 0, sizeof err);
    mlvpc_status st = inputs_load_buffer(m, path, buf, size, NULL, &err);
    if (st != MLVPC_OK) {
        /* The diagnostic must be usable: a status, a message, a file. */
        if (err.status != st || err.text[0] == '\0' || strcmp(err.file, path) != 0) {
            fprintf(stderr, "fuzz_awscli: bad diagnostic for status %d: status %d file \"%s\" text \"%s\"\n",
                    (int)st, (int)err.status, err.file, err.text);
            abort();
        }
        char line[1200];
        mlvpc_diag_format(&err, line, sizeof line);
    }
    free(buf);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull) {
        devnull = fopen("/dev/null", "w");
        if (!devnull)
            abort();
    }
    mlvpc_model *m = mlvpc_model_new();
    if (!m)
        return 0;
    mlvpc_status st = MLVPC_OK;
    if (size > 0 && data[0] == '\t') {
        const uint8_t *p = data, *end = data + size;
        for (int k = 0; k < MAX_DOCS && p <= end; k++) {
            const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
            const uint8_t *stop = nul ? nul : end;
            mlvpc_status s = load_copy(m, multi_paths[(size_t)k % (sizeof multi_paths / sizeof *multi_paths)], p, (size_t)(stop - p));
            if (st == MLVPC_OK)
                st = s;
            if (!nul)
                break;
            p = nul + 1;
        }
    } else {
        st = load_copy(m, FUZZ_PATH, data, size);
        if (size > 0 && data[0] == '\n') {
            mlvpc_status st2 = load_copy(m, FUZZ_PATH, data, size);
            if (st == MLVPC_OK)
                st = st2;
        }
    }
#ifdef FUZZ_FINISH_ONLY_OK
    if (st != MLVPC_OK) {
        mlvpc_model_free(m);
        return 0;
    }
#endif
    (void)st;
    mlvpc_diag err;
    if (mlvpc_model_finish(m, &err) == MLVPC_OK) {
        mlvpc_show_write(m, MLVPC_FORMAT_TEXT, devnull, &err);
        mlvpc_show_write(m, MLVPC_FORMAT_JSON, devnull, &err);
        /* Exercise the public accessors too. */
        size_t nd = mlvpc_model_diag_count(m);
        for (size_t i = 0; i < nd; i++) {
            char line[1200];
            const mlvpc_diag *d = mlvpc_model_diag(m, i);
            if (!d)
                abort();
            mlvpc_diag_format(d, line, sizeof line);
        }
        for (size_t i = 0; i < mlvpc_model_skipped_count(m); i++)
            if (!mlvpc_model_skipped(m, i))
                abort();
        (void)mlvpc_model_resource_count(m);
        /* The audit runs every rule (reach rules included) on whatever
         * model the input made, and writes all three reports. */
        mlvpc_audit_opts ao = { .today = "2026-01-01" };
        mlvpc_audit *a = mlvpc_audit_new(m, &ao, &err);
        if (!a || mlvpc_audit_run(a, &err) != MLVPC_OK)
            abort();
        mlvpc_audit_write(a, MLVPC_FORMAT_TEXT, devnull, &err);
        mlvpc_audit_write(a, MLVPC_FORMAT_JSON, devnull, &err);
        mlvpc_audit_write(a, MLVPC_FORMAT_SARIF, devnull, &err);
        for (size_t i = 0; i < mlvpc_audit_finding_count(a); i++) {
            mlvpc_finding f;
            if (mlvpc_audit_finding(a, i, &f) != MLVPC_OK || !f.rule || !f.resource || !f.message)
                abort();
        }
        mlvpc_audit_free(a);
        /* Finishing twice is a usage error, never a crash. */
        if (mlvpc_model_finish(m, &err) != MLVPC_ERR_USAGE)
            abort();
    }
    mlvpc_model_free(m);
    return 0;
}
