/*
 * VPC Flow Logs records (text delivery: S3 files with a header line, or
 * CloudWatch Logs messages without one).
 *
 * A format is the list of field names of a flow log, in column order: the
 * header line of an S3 file, `--fields`, or the default version-2 format.
 * Fields are recognised by name (every field of versions 2 to 8); unknown
 * names are accepted and their columns skipped, because AWS adds fields.
 *
 * fl_parse_padded() splits one record with SIMD compares and converts its
 * fields eight bytes at a time: no allocation, no libc number parsing.
 * Text fields point into the line; the line is not modified. The fields
 * the aggregation reads are checked (a bad number or address makes the
 * record unusable), and so is srcport, the one other number of the default
 * format; other columns are not read.
 */
#ifndef MLVPC_FLOWLOG_H
#define MLVPC_FLOWLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/ip.h"

/* The fields the aggregation reads (others are recognised and skipped). */
typedef enum fl_field {
    FL_SKIP = 0,
    FL_VERSION, FL_ACCOUNT, FL_ENI, FL_SRCADDR, FL_DSTADDR, FL_SRCPORT, FL_DSTPORT, FL_PROTOCOL, FL_PACKETS,
    FL_BYTES, FL_START, FL_END, FL_ACTION, FL_STATUS, FL_VPC, FL_SUBNET, FL_INSTANCE, FL_TCP_FLAGS, FL_TYPE,
    FL_PKT_SRCADDR, FL_PKT_DSTADDR, FL_REGION, FL_AZ_ID, FL_SUBLOC_TYPE, FL_SUBLOC_ID, FL_PKT_SRC_SERVICE,
    FL_PKT_DST_SERVICE, FL_DIRECTION, FL_TRAFFIC_PATH, FL_REJECT_REASON,
    FL_NFIELDS
} fl_field;

enum { FL_MAX_COLUMNS = 64 };

typedef struct fl_format {
    uint8_t ncols;
    uint8_t col[FL_MAX_COLUMNS]; /* fl_field of each column (FL_SKIP: known or unknown, not read) */
    bool has[FL_NFIELDS];
    unsigned unknown;            /* columns whose name no AWS version defines */
    bool v2;                     /* the columns are the default format's (parsed by a path of its own) */
} fl_format;

/* The default format (version 2, 14 fields). */
void fl_default_format(fl_format *f);

/* Parse a list of field names separated by spaces or commas ("version account-id ...",
 * with or without ${...} around each, as in a header line or a LogFormat).
 * False with *bad pointing at the offending name when a name is not a field
 * name at all (empty, or characters other than [a-z0-9-]) or there are too
 * many columns. */
bool fl_parse_format(const char *s, size_t len, fl_format *f, const char **bad);

/* Whether a first line is a header: 1 when every word is a field name
 * ([a-z0-9-], ${...} allowed) and one at least is known; -1 when it starts
 * with a known name but another word is no name (a broken header); else 0. */
int fl_is_header(const char *s, size_t len);

typedef enum fl_status { FL_OK = 0, FL_NODATA, FL_SKIPDATA } fl_status;
typedef enum fl_action { FL_ACT_NONE = 0, FL_ACCEPT, FL_REJECT } fl_action;

/* A text field: a pointer into the line and a length (0: absent, "-"). */
typedef struct fl_text {
    const char *p;
    uint32_t n;
} fl_text;

typedef struct fl_rec {
    uint8_t status; /* fl_status */
    uint8_t action; /* fl_action */
    bool bpa;       /* reject-reason BPA (VPC Block Public Access) */
    int16_t proto;  /* -1 absent */
    int32_t sport, dport; /* -1 absent */
    uint64_t packets, bytes; /* 0 when absent ("-"); below 2^50 */
    int64_t start, end; /* -1 absent */
    ip_addr src, dst; /* af 0: absent */
    fl_text eni;
} fl_rec;

/* Why a record could not be used (counted per reason). */
typedef enum fl_error {
    FL_E_NONE = 0,
    FL_E_COLUMNS,  /* not as many fields as the format has */
    FL_E_NUMBER,   /* a number field that is neither digits nor "-" (or out of range) */
    FL_E_ADDRESS,  /* an address field that is neither an address nor "-" */
    FL_E_ACTION,   /* action not ACCEPT, REJECT or "-" */
    FL_E_STATUS,   /* log-status not OK, NODATA or SKIPDATA */
    FL_E_LONG,     /* a line longer than FL_MAX_LINE */
    FL_E_HEADER,   /* a header line that is no list of field names (its file is read with the given format) */
    FL_E_PARQUET,  /* a Parquet file (flow logs delivered as Parquet): not read, counted once */
    FL_E_COUNT
} fl_error;

enum { FL_MAX_LINE = 64 * 1024 };

/* Lowercase description of an error reason ("wrong number of fields", ...)
 * and its stable identifier for JSON ("wrong_field_count", ...). */
const char *fl_error_name(fl_error e);
const char *fl_error_id(fl_error e);

enum { FL_PAD = 64 };

/* Parse the record line[0..len) (no newline) with format f into r. Text
 * fields point into line. fl_parse_padded is the same when FL_PAD bytes
 * after the line can be read (spaces are found sixty-four bytes at a time,
 * numbers and addresses converted eight and sixteen at a time, loads
 * passing the field's end); fl_parse
 * copies the line to give it that padding. */
fl_error fl_parse(const fl_format *f, const char *line, size_t len, fl_rec *r);
fl_error fl_parse_padded(const fl_format *f, const char *line, size_t len, fl_rec *r);

#endif
