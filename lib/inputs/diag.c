/* The input readers' located errors (diag.h). */
#include "diag.h"

#include <stdio.h>
#include <string.h>

void in_diag_setv(mlvpc_diag *d, mlvpc_status st, const char *file, unsigned line, unsigned col, const char *fmt,
                  va_list ap)
{
    if (!d)
        return;
    memset(d, 0, sizeof *d);
    d->status = st;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    d->column = col;
    vsnprintf(d->text, sizeof d->text, fmt, ap);
}
