#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("mlvpc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_diag(const mlvpc_diag *d)
{
    char buf[MLVPC_DIAG_FILE_MAX + MLVPC_DIAG_PATH_MAX + MLVPC_DIAG_TEXT_MAX + 64];
    mlvpc_diag_format(d, buf, sizeof buf);
    fprintf(stderr, "mlvpc: %s%s\n", d->severity == MLVPC_SEV_WARNING ? "warning: " : "", buf);
}

mlvpc_model *cli_load(const cli_inputs *in)
{
    mlvpc_model *m = mlvpc_model_new();
    if (!m) {
        cli_error("out of memory");
        return NULL;
    }
    mlvpc_diag err;
    for (int i = 0; i < in->npaths; i++) {
        if (mlvpc_model_load(m, in->paths[i], &in->opts, &err) != MLVPC_OK) {
            cli_diag(&err);
            mlvpc_model_free(m);
            return NULL;
        }
    }
    if (mlvpc_model_finish(m, &err) != MLVPC_OK) {
        cli_diag(&err);
        mlvpc_model_free(m);
        return NULL;
    }
    if (!in->quiet) {
        size_t n = mlvpc_model_diag_count(m);
        for (size_t i = 0; i < n; i++)
            cli_diag(mlvpc_model_diag(m, i));
    }
    return m;
}

int cli_format(const char *s)
{
    if (strcmp(s, "text") == 0)
        return MLVPC_FORMAT_TEXT;
    if (strcmp(s, "json") == 0)
        return MLVPC_FORMAT_JSON;
    return -1;
}
