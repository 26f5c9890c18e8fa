/*
 * mlvpc — public API of libmlvpc.
 *
 * Conventions (they hold for every function below):
 *  - Handles are opaque. Every `*_new` has a matching `*_free`; `*_free(NULL)`
 *    is a no-op.
 *  - Functions that can fail return `mlvpc_status`. On failure they fill the
 *    caller's `mlvpc_diag` (when not NULL) with where and why.
 *  - Strings returned by the library are owned by the handle they came from
 *    and live until that handle is freed, unless stated otherwise.
 *  - The library never prints, never exits, and never reads environment
 *    variables; the caller decides what to do with diagnostics.
 */
#ifndef MLVPC_MLVPC_H
#define MLVPC_MLVPC_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MLVPC_VERSION "0.1.0"

/* Symbols exported by the shared library; everything else is hidden. */
#if defined(__GNUC__)
#define MLVPC_API __attribute__((visibility("default")))
#else
#define MLVPC_API
#endif

/* Stable status codes. Values never change once released. */
typedef enum mlvpc_status {
    MLVPC_OK = 0,
    MLVPC_ERR_IO = 1,       /* a file or directory could not be read */
    MLVPC_ERR_SYNTAX = 2,   /* malformed input (JSON syntax) */
    MLVPC_ERR_SCHEMA = 3,   /* well-formed input with a wrong type or missing field */
    MLVPC_ERR_LIMIT = 4,    /* an input exceeds a documented limit (size, depth) */
    MLVPC_ERR_NOMEM = 5,    /* allocation failed or a size computation overflowed */
    MLVPC_ERR_USAGE = 6,    /* a caller passed an invalid argument */
    MLVPC_ERR_NOT_FOUND = 7 /* a named object is not in the model */
} mlvpc_status;

/* Short lowercase description of a status ("syntax error", ...). Static. */
MLVPC_API const char *mlvpc_status_str(mlvpc_status st);

/* Severity of a diagnostic. Errors make a load fail; warnings do not. */
typedef enum mlvpc_severity {
    MLVPC_SEV_ERROR = 0,
    MLVPC_SEV_WARNING = 1,
    MLVPC_SEV_NOTE = 2
} mlvpc_severity;

/*
 * A located diagnostic, in the manner of jansson's json_error_t: fixed-size
 * buffers so that it can live on the caller's stack. Fields that do not
 * apply are empty strings / 0 (line and column are 1-based when known).
 */
#define MLVPC_DIAG_FILE_MAX 512
#define MLVPC_DIAG_PATH_MAX 256
#define MLVPC_DIAG_TEXT_MAX 320
typedef struct mlvpc_diag {
    mlvpc_status status;
    mlvpc_severity severity;
    char file[MLVPC_DIAG_FILE_MAX];
    unsigned line;
    unsigned column;
    char path[MLVPC_DIAG_PATH_MAX]; /* JSON path, e.g. "$.Subnets[3].CidrBlock" */
    char text[MLVPC_DIAG_TEXT_MAX]; /* lowercase message, subject quoted */
} mlvpc_diag;

/*
 * Format `d` as "file:line:col: path: text" into buf (always NUL-terminated;
 * parts that are unknown are left out). Returns buf.
 */
MLVPC_API char *mlvpc_diag_format(const mlvpc_diag *d, char *buf, size_t size);

/* ------------------------------------------------------------------ model */

typedef struct mlvpc_model mlvpc_model;

/* Options of a load. Zero-initialise, then set what you need. */
typedef struct mlvpc_load_opts {
    const char *region;  /* default region for files whose layout names none; may be NULL */
    const char *account; /* default account; may be NULL */
} mlvpc_load_opts;

/* A new, empty model. Returns NULL when out of memory. Free with mlvpc_model_free. */
MLVPC_API mlvpc_model *mlvpc_model_new(void);
MLVPC_API void mlvpc_model_free(mlvpc_model *m);

/*
 * Add an input to the model: a JSON file, or a directory walked recursively
 * (the Batfish layout `aws_configs/[accounts/<id>/]<region>/`). Each JSON
 * file is recognised by content. `opts` may be NULL.
 *
 * Fatal problems (unreadable file, malformed JSON, wrong types) return an
 * error status and fill `err`; the model keeps what earlier inputs added.
 * Non-fatal problems (a skipped file, a dangling reference) are recorded as
 * warnings, readable with mlvpc_model_diag().
 */
MLVPC_API mlvpc_status mlvpc_model_load(mlvpc_model *m, const char *path,
                              const mlvpc_load_opts *opts, mlvpc_diag *err);

/*
 * Resolve every reference (subnet -> VPC, subnet -> effective route table
 * and NACL, ENI -> SGs, SageMaker placements, ...). Call once after the last
 * load and before any analysis or output. Dangling references become
 * warnings, never errors. Loading after finishing is a usage error.
 */
MLVPC_API mlvpc_status mlvpc_model_finish(mlvpc_model *m, mlvpc_diag *err);

/* Recorded diagnostics (warnings and notes), in the order they arose. */
MLVPC_API size_t mlvpc_model_diag_count(const mlvpc_model *m);
MLVPC_API const mlvpc_diag *mlvpc_model_diag(const mlvpc_model *m, size_t i);

/* Input files that were read but not recognised (skipped, not errors). */
MLVPC_API size_t mlvpc_model_skipped_count(const mlvpc_model *m);
MLVPC_API const char *mlvpc_model_skipped(const mlvpc_model *m, size_t i);

/* Number of resources of all kinds in the model. */
MLVPC_API size_t mlvpc_model_resource_count(const mlvpc_model *m);

/* ------------------------------------------------------------------ show */

typedef enum mlvpc_format {
    MLVPC_FORMAT_TEXT = 0,
    MLVPC_FORMAT_JSON = 1,
    MLVPC_FORMAT_JSON_LINE = 2, /* compact JSON on one line (batch answers) */
    MLVPC_FORMAT_SARIF = 3,     /* SARIF 2.1.0 (audit only) */
    MLVPC_FORMAT_MARKDOWN = 4   /* the rule catalogue as docs/rules.md */
} mlvpc_format;

/*
 * Write the resolved model (docs/show-json.md describes the JSON form) to
 * `out`. The model must be finished. Returns MLVPC_ERR_IO when writing fails.
 */
MLVPC_API mlvpc_status mlvpc_show_write(const mlvpc_model *m, mlvpc_format fmt, FILE *out,
                              mlvpc_diag *err);

/* ------------------------------------------------------------------ reach */

/* Answers of `mlvpc reach`; values are stable. */
typedef enum mlvpc_verdict {
    MLVPC_REACHABLE = 0,
    MLVPC_UNREACHABLE = 1,
    MLVPC_INDETERMINATE = 2
} mlvpc_verdict;

/* A reachability engine over a finished model (indexes built once, shared
 * by the queries of a batch). The model must outlive it. NULL when out of
 * memory or the model is not finished. */
typedef struct mlvpc_reach mlvpc_reach;
MLVPC_API mlvpc_reach *mlvpc_reach_new(const mlvpc_model *m);
MLVPC_API void mlvpc_reach_free(mlvpc_reach *r);

/*
 * One question: can `from` open a connection to `to`? REFs are described
 * in mlvpc(1) (ENI, instance, notebook:NAME, ..., IP address, internet,
 * service:NAME). proto: "tcp" (default when NULL), "udp", "icmp", "icmpv6",
 * "all" or a protocol number; ports: "N" or "N-M" (default "443"; TCP and
 * UDP only).
 */
typedef struct mlvpc_reach_query {
    const char *from, *to, *proto, *ports;
} mlvpc_reach_query;

/*
 * Answer q and write the answer to out: MLVPC_FORMAT_TEXT (a hop list),
 * MLVPC_FORMAT_JSON (docs/reach-json.md) or MLVPC_FORMAT_JSON_LINE (the same
 * object on one line, for batches). *answer receives the verdict. Returns
 * MLVPC_ERR_USAGE with err filled when the query is malformed or a REF
 * names nothing in the model, MLVPC_ERR_IO when writing fails.
 */
MLVPC_API mlvpc_status mlvpc_reach_run(mlvpc_reach *r, const mlvpc_reach_query *q, mlvpc_format fmt, FILE *out,
                                       mlvpc_verdict *answer, mlvpc_diag *err);


/* ------------------------------------------------------------------ audit */

/* Severity of a finding, most severe first; values are stable. */
typedef enum mlvpc_level {
    MLVPC_CRITICAL = 0,
    MLVPC_HIGH = 1,
    MLVPC_MEDIUM = 2,
    MLVPC_LOW = 3,
    MLVPC_INFO = 4
} mlvpc_level;

/* "critical", "high", ... Static. NULL for an invalid value. */
MLVPC_API const char *mlvpc_level_name(mlvpc_level l);
/* The level named s, or -1. */
MLVPC_API int mlvpc_level_parse(const char *s);

typedef enum mlvpc_profile {
    MLVPC_PROFILE_PROD = 0, /* the default: every rule at its catalogue severity */
    MLVPC_PROFILE_DEV = 1   /* high and critical kept, the rest reported as info */
} mlvpc_profile;

/* Options of an audit. Zero-initialise, then set what you need; every
 * pointer is borrowed for the life of the audit handle. */
typedef struct mlvpc_audit_opts {
    mlvpc_profile profile;
    const char *rules;        /* comma-separated rule ids to run; NULL = all */
    const char *skip_rules;   /* comma-separated rule ids not to run */
    const char *require_tags; /* comma-separated tag keys; NULL = "Environment,Owner" */
    const char *waivers;      /* path of a YAML or JSON waiver file; NULL = none */
    const char *today;        /* "YYYY-MM-DD", to expire waivers; NULL = no waiver expires */
    const char *const *inputs; /* the inputs as the user named them (reported) */
    size_t ninputs;
    int color;                /* text output: ANSI colours */
    const char *source_root;  /* absolute directory that SARIF locations are made relative to
                               * (the repository root, usually the working directory); NULL = none */
} mlvpc_audit_opts;

typedef struct mlvpc_audit mlvpc_audit;

/*
 * An audit of a finished model (which must outlive it). Checks the options:
 * an unknown rule id, or a waiver file that cannot be read or is malformed,
 * returns NULL with err filled (MLVPC_ERR_USAGE, _IO, _SYNTAX or _SCHEMA);
 * NULL with err->status MLVPC_ERR_NOMEM when out of memory.
 */
MLVPC_API mlvpc_audit *mlvpc_audit_new(const mlvpc_model *m, const mlvpc_audit_opts *o, mlvpc_diag *err);
MLVPC_API void mlvpc_audit_free(mlvpc_audit *a);

/* Run the selected rules (once). */
MLVPC_API mlvpc_status mlvpc_audit_run(mlvpc_audit *a, mlvpc_diag *err);

/*
 * Write the findings: MLVPC_FORMAT_TEXT (grouped by resource, most severe
 * first), MLVPC_FORMAT_JSON (docs/audit-json.md) or MLVPC_FORMAT_SARIF
 * (SARIF 2.1.0, waived findings as suppressed results).
 */
MLVPC_API mlvpc_status mlvpc_audit_write(const mlvpc_audit *a, mlvpc_format fmt, FILE *out, mlvpc_diag *err);

/* One finding, as read by mlvpc_audit_finding(); strings owned by the audit. */
typedef struct mlvpc_finding {
    const char *rule;
    mlvpc_level level;
    int indeterminate;       /* 0 = fail, 1 = indeterminate */
    const char *resource;    /* id as the input names it */
    const char *type;        /* "subnet", "security-group", "notebook", ... */
    const char *name;        /* Name tag, or NULL */
    const char *message;
    const char *file;        /* NULL when unknown */
    unsigned line, column;   /* 0 when unknown */
    const char *waived;      /* the waiver's reason when waived, else NULL */
} mlvpc_finding;

MLVPC_API size_t mlvpc_audit_finding_count(const mlvpc_audit *a);
/* Finding i (0-based, in report order); returns MLVPC_ERR_USAGE when out of range. */
MLVPC_API mlvpc_status mlvpc_audit_finding(const mlvpc_audit *a, size_t i, mlvpc_finding *f);

/*
 * Findings that make `mlvpc audit` fail: not waived, at `at_least` or more
 * severe, status fail (and indeterminate too when with_indeterminate).
 */
MLVPC_API size_t mlvpc_audit_failing(const mlvpc_audit *a, mlvpc_level at_least, int with_indeterminate);

/* Number of waivers in the file that had expired (they waive nothing). */
MLVPC_API size_t mlvpc_audit_expired_waivers(const mlvpc_audit *a);

/* The rule catalogue: MLVPC_FORMAT_TEXT, _JSON or _MARKDOWN (docs/rules.md). */
MLVPC_API mlvpc_status mlvpc_rules_write(mlvpc_format fmt, FILE *out, mlvpc_diag *err);
/* One rule in full (rationale, condition, fix, references); MLVPC_ERR_NOT_FOUND
 * with err filled for an unknown id. */
MLVPC_API mlvpc_status mlvpc_rule_explain(const char *id, FILE *out, mlvpc_diag *err);

/* ------------------------------------------------------------------ flows */

/*
 * VPC Flow Logs (`mlvpc flows`). Records are read from plain or gzip files,
 * directories (recursively, in name order) or standard input ("-"), and
 * aggregated exactly: totals, by action, top talkers by bytes and packets
 * (sources, destinations, pairs), by protocol and destination port,
 * REJECT records by source, destination and port, per interface
 * (docs/flows-json.md). Memory grows with distinct keys, not with records.
 */
typedef struct mlvpc_flows mlvpc_flows;

/* Called about every 16 MiB read: bytes read so far, the inputs' total size
 * (0 when unknown: standard input), records so far. */
typedef void (*mlvpc_progress_fn)(void *ctx, uint64_t done, uint64_t total, uint64_t records);

typedef struct mlvpc_flows_opts {
    const char *fields;   /* field names of files without a header line ("version account-id ...");
                             NULL: the default (version 2) format */
    int64_t since, until; /* keep records whose capture window overlaps [since, until), epoch
                             seconds; -1: unbounded */
    unsigned top;         /* rows of each top list; 0: 10 */
    mlvpc_progress_fn progress; /* NULL: none; called from one reading thread at a time */
    void *progress_ctx;
    unsigned threads;     /* files read at once by mlvpc_flows_add (a directory); 0: one per core; at most 64 */
} mlvpc_flows_opts;

/* A new, empty aggregation (opts may be NULL). NULL with err filled when
 * opts->fields is no list of field names (MLVPC_ERR_USAGE) or out of memory.
 * Free with mlvpc_flows_free. */
MLVPC_API mlvpc_flows *mlvpc_flows_new(const mlvpc_flows_opts *opts, mlvpc_diag *err);
MLVPC_API void mlvpc_flows_free(mlvpc_flows *f);

/* Read a file, a directory or "-" into f. Unusable records are counted and
 * the first few kept with file and line (they do not fail the call);
 * MLVPC_ERR_IO with err naming the file when one cannot be read or its gzip
 * data is corrupt. Records read before a failure stay counted. */
MLVPC_API mlvpc_status mlvpc_flows_add(mlvpc_flows *f, const char *path, mlvpc_diag *err);

/*
 * Join the records to a network model (`--model`), before any is added:
 * interfaces and addresses are named after what they belong to, and the
 * report gains internet egress per SageMaker resource, cross-AZ traffic and
 * its cost, and interface endpoints without traffic. m must be finished and
 * outlive f.
 */
MLVPC_API mlvpc_status mlvpc_flows_set_model(mlvpc_flows *f, const mlvpc_model *m, mlvpc_diag *err);

/* The price table of the cost estimates (data/prices.json; its values are
 * the defaults). MLVPC_ERR_SYNTAX/_SCHEMA with err naming the file when it
 * is not such a table. */
MLVPC_API mlvpc_status mlvpc_flows_set_prices(mlvpc_flows *f, const char *path, mlvpc_diag *err);

/* AWS's published ranges (ip-ranges.json, with a model): traffic between a
 * NAT gateway and an AWS service is reported with what an endpoint would
 * save (S3 and DynamoDB through a gateway endpoint, at no charge). */
MLVPC_API mlvpc_status mlvpc_flows_set_ip_ranges(mlvpc_flows *f, const char *path, mlvpc_diag *err);

/* With a model, after the records: ask the reach engine about each of the
 * top REJECT patterns (source, destination, protocol, port) — which SG or
 * NACL rule rejects it, or that the model would allow it (the
 * configuration changed, or the model is incomplete). The report shows the
 * answers. */
MLVPC_API mlvpc_status mlvpc_flows_explain(mlvpc_flows *f, mlvpc_diag *err);

/* Records read, and records that could not be used. */
MLVPC_API uint64_t mlvpc_flows_records(const mlvpc_flows *f);
MLVPC_API uint64_t mlvpc_flows_unusable(const mlvpc_flows *f);

/*
 * Partial aggregates (`--partial`, `flows merge`; docs/partial-format.md):
 * f's whole state, written to `out`; and a partial read from `path` ("-":
 * standard input) merged into f. Merging the partials of any split of the
 * input, in any order and grouping, gives the report one run over all of it
 * gives. A partial of another format version, a truncated or corrupt one is
 * refused (MLVPC_ERR_SYNTAX, err names it), as is one made with another
 * time window (MLVPC_ERR_USAGE). f should come from mlvpc_flows_new; its
 * window becomes the partials'.
 */
MLVPC_API mlvpc_status mlvpc_flows_write_partial(const mlvpc_flows *f, FILE *out, mlvpc_diag *err);
MLVPC_API mlvpc_status mlvpc_flows_merge(mlvpc_flows *f, const char *path, mlvpc_diag *err);

/* The report: MLVPC_FORMAT_TEXT or MLVPC_FORMAT_JSON (docs/flows-json.md). */
MLVPC_API mlvpc_status mlvpc_flows_write(const mlvpc_flows *f, mlvpc_format fmt, FILE *out, mlvpc_diag *err);

#ifdef __cplusplus
}
#endif
#endif
