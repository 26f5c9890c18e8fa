/*
 * The located error the input readers report: one setter for the file,
 * line, column and text of an mlvpc_diag, so that every reader words and
 * truncates its errors alike.
 */
#ifndef MLVPC_INPUTS_DIAG_H
#define MLVPC_INPUTS_DIAG_H

#include <stdarg.h>

#include "mlvpc/mlvpc.h"

/* Overwrite *d (when d is not NULL) with status st at file:line:col
 * (0 for unknown) and the formatted text. */
void in_diag_setv(mlvpc_diag *d, mlvpc_status st, const char *file, unsigned line, unsigned col, const char *fmt,
                  va_list ap) __attribute__((format(printf, 6, 0)));

#endif
