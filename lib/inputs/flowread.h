/*
 * Reading flow-log files: plain text or gzip (as S3 delivers them: one or
 * several gzip members, recognised by their magic bytes, not their name),
 * directories walked recursively in name order (the S3 key layout
 * AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/...), and standard input
 * ("-"). Each file's header line, when it has one, gives its format;
 * otherwise the caller's format does.
 *
 * The reader hands every record to a sink and never keeps one: memory is one
 * read buffer and one inflate buffer, whatever the input size.
 */
#ifndef MLVPC_FLOWREAD_H
#define MLVPC_FLOWREAD_H

#include <stdint.h>

#include "mlvpc/mlvpc.h"
#include "flowlog.h"

typedef struct fl_sink {
    void *ctx;
    /* a usable record (OK, NODATA or SKIPDATA) */
    void (*record)(void *ctx, const fl_rec *r);
    /* an unusable line: why, where (1-based line of `file`), and its text */
    void (*bad)(void *ctx, fl_error e, const char *file, uint64_t line, const char *text, size_t n);
    /* about every 16 MiB of input read, and at the end of each file */
    void (*progress)(void *ctx, uint64_t in_bytes);
    /* totals the reader keeps */
    uint64_t files, in_bytes, text_bytes, lines, headers;
    /* room for a whole gzip file and its text, kept from one fl_read to the
     * next of the same thread (free with fl_scratch_free); may be NULL */
    struct fl_scratch *scratch;
} fl_sink;

typedef struct fl_scratch {
    char *gz, *text;
    size_t gz_cap, text_cap;
} fl_scratch;

void fl_scratch_free(fl_scratch *s);

/* Total size of the files under path (0 for standard input or on error):
 * for progress percentages. */
uint64_t fl_input_size(const char *path);

/* The regular files under path (itself when it is one), in the order
 * fl_read reads them; free with fl_files_free. MLVPC_ERR_IO (err names the
 * directory) when one cannot be listed. */
mlvpc_status fl_list_files(const char *path, char ***files, size_t *n, mlvpc_diag *err);
void fl_files_free(char **files, size_t n);

/* Read path into s. `fields`: the format of files without a header line.
 * MLVPC_ERR_IO (err names the file) when a file or directory cannot be
 * read or a gzip stream is corrupt; unusable records are not errors (they
 * go to s->bad). */
mlvpc_status fl_read(const char *path, const fl_format *fields, fl_sink *s, mlvpc_diag *err);

#endif
