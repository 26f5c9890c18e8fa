/*
 * Flow-log aggregation (`mlvpc flows`): what every run computes, exactly.
 *
 * Every table is keyed by the whole key and exact while it holds at most
 * FLOWS_MAX_KEYS keys. Beyond that, the keys with the smallest counts (at
 * or below the median of the table's ranking counter) are dropped, so
 * memory is bounded whatever the input; the table's figures are then low
 * by at most the sum, over its prunings, of the largest counts dropped
 * (kept per counter in `lost`), which the report states. Totals and the
 * by-action figures are always exact.
 *
 * Byte and packet sums count records with log-status OK; NODATA and
 * SKIPDATA records are counted apart. A record is in the time window when
 * its capture window overlaps [since, until).
 */
#ifndef MLVPC_FLOWS_H
#define MLVPC_FLOWS_H

#include "mlvpc/mlvpc.h"
#include "../inputs/flowlog.h"
#include "../util/fmap.h"

enum { FLOWS_SAMPLES = 5, FLOWS_SAMPLE_TEXT = 160, FLOWS_ENI_KEY = 32, FLOWS_MAX_KEYS = 1 << 18 };

/* The tables of one run. Keys: an address is 17 bytes (family, 16 bytes);
 * see flows.c for the layout of each. */
typedef enum fl_table {
    FT_SRC,     /* source address */
    FT_DST,     /* destination address */
    FT_PAIR,    /* source and destination */
    FT_PORT,    /* protocol and destination port */
    FT_REJECT,  /* REJECT records by source, destination, protocol, destination port */
    FT_ENI,     /* interface id (extra: REJECT records) */
    FT_COUNT
} fl_table;

typedef struct fl_sample {
    fl_error why;
    uint64_t line;
    char file[256];
    char text[FLOWS_SAMPLE_TEXT];
} fl_sample;

/* A table update waiting in the batch (see flows.c). */
typedef struct fl_update {
    uint8_t table;
    uint8_t key[FMAP_KEY_MAX];
    uint64_t hash, packets, bytes, extra;
} fl_update;

enum { FLOWS_BATCH = 96 };

struct mlvpc_flows {
    fl_format fields; /* for files without a header */
    int64_t since, until; /* epoch seconds; -1 unbounded */
    unsigned top;
    mlvpc_progress_fn progress;
    void *progress_ctx;
    uint64_t total_bytes; /* of the inputs being read (for progress), 0 unknown */
    uint64_t done_bytes;  /* of inputs read before the current one */

    uint64_t files, in_bytes, text_bytes, lines, headers;
    uint64_t status[3];      /* records by fl_status */
    uint64_t bad[FL_E_COUNT];
    uint64_t outside;        /* records outside the time window */
    uint64_t packets, bytes; /* OK records */
    uint64_t action[3][3];   /* [fl_action][records, packets, bytes] */
    int64_t first, last;     /* earliest start, latest end; -1 none */
    fl_sample samples[FLOWS_SAMPLES];
    unsigned nsamples;
    fmap t[FT_COUNT];
    fmap_val lost[FT_COUNT]; /* bound of what pruning dropped from one key, per counter */
    uint32_t prunes[FT_COUNT];
    fl_update batch[FLOWS_BATCH];
    unsigned nbatch;
    bool oom;
    bool merged; /* a partial has been merged in (its window is f's) */
};

/* Keep s among the FLOWS_SAMPLES unusable lines first by file name and line
 * (an order that does not depend on how the input was split). */
void flows_add_sample(mlvpc_flows *f, const fl_sample *s);

/* Drop table t's smaller half (see above). */
void flows_prune(mlvpc_flows *f, fl_table t);

/* Keys decoded for output. */
typedef struct fl_key {
    ip_addr src, dst;
    int16_t proto; /* -1 absent */
    int32_t dport; /* -1 absent */
    char eni[FLOWS_ENI_KEY + 1];
} fl_key;

void flows_key(fl_table t, const void *key, fl_key *out);

typedef enum fl_order { FO_BYTES, FO_PACKETS, FO_RECORDS } fl_order;

/* Slots of table t sorted by `order`, most first, ties by the other counts
 * then the key; at most n of them into idx (malloc'd; free it). -1 when out
 * of memory, else the count. */
long flows_top(const mlvpc_flows *f, fl_table t, fl_order order, unsigned n, uint32_t **idx);

#endif
