/*
 * Flow-log aggregation (`mlvpc flows`): what every run computes, exactly.
 *
 * Every table is keyed by the whole key and exact while it holds at most
 * FLOWS_MAX_KEYS keys. Beyond that, the keys with the smallest counts (at
 * or below the median of the table's ranking counter plus what each key
 * may have missed, rounded up to the end of its histogram bucket:
 * fmap_prune) are dropped, so memory is bounded whatever the input. A
 * key's ranking counter is then low by at most its own `missed` (0: no
 * prune ever dropped it, and all its counters are exact), and a key the
 * table no longer holds had at most the table's floor; the other counters
 * are low by at most the sum, over the prunings, of the largest counts
 * dropped (`lost`). The report states both. Totals and the by-action
 * figures are always exact.
 *
 * Byte and packet sums count records with log-status OK; NODATA and
 * SKIPDATA records are counted apart. A record is in the time window when
 * its capture window overlaps [since, until).
 */
#ifndef MLVPC_FLOWS_H
#define MLVPC_FLOWS_H

#include <string.h>

#include "mlvpc/mlvpc.h"
#include "../inputs/flowlog.h"
#include "../util/fmap.h"

enum { FLOWS_SAMPLES = 5, FLOWS_SAMPLE_TEXT = 160, FLOWS_ENI_KEY = 32, FLOWS_MAX_KEYS = 1 << 18 };

#include "../model/model.h"

/* The tables of one run. Keys: an address is 17 bytes (family, 16 bytes);
 * see flows.c for the layout of each. */
typedef enum fl_table {
    FT_SRC,     /* source address */
    FT_DST,     /* destination address */
    FT_PAIR,    /* source and destination */
    FT_PORT,    /* protocol and destination port */
    FT_REJECT,  /* REJECT records by source, destination, protocol, destination port, the
                   recording interface and whether the record's reject-reason is BPA */
    FT_ENI,     /* interface id (extra: REJECT records) */
    FT_NODATA,  /* interface id: NODATA and SKIPDATA records (the logs cover an interface) */
    FT_INET,    /* interface id: ACCEPTed traffic from a private address to a public one */
    FT_XAZ,     /* (sender's interface id, receiver's): ACCEPTed traffic between zones of a VPC
                   (only with a model: it knows the zones) */
    FT_AWS,     /* (NAT gateway interface id, AWS service, 1 if in the NAT's region): ACCEPTed traffic
                   between a NAT gateway and AWS's published ranges (with a model and --ip-ranges) */
    FT_EGRESS,  /* (interface id, public address): ACCEPTed traffic of the model's interfaces with
                   addresses outside its VPCs (with a model: what the reach engine judges) */
    FT_ISO,     /* (interface id, peer address, fl_iso_peer): ACCEPTed traffic of a network-isolated
                   workload's interface with anything but its own workload and S3 (with a model) */
    FT_COUNT
} fl_table;

/* Who a network-isolated workload's interface talked to (FT_ISO keys). */
typedef enum fl_iso_peer {
    ISO_OTHER = 1,    /* an interface of the model that is not the workload's own */
    ISO_UNKNOWN,      /* an address of the model's networks that no interface of the model holds (an
                         instance of the workload started after the snapshot, or not: cannot tell) */
    ISO_PUBLIC,       /* a public address that AWS's ranges do not place in S3 */
    ISO_UNCLASSIFIED, /* a public address and no ranges to tell whether it is S3 (--ip-ranges) */
} fl_iso_peer;

/* The price table of the cost estimates (data/prices.json). */
typedef struct fl_prices {
    double gb_bytes, hours_per_month, nat_per_gb, vpce_per_gb, vpce_per_az_hour, gateway_per_gb, cross_az_per_gb;
    char currency[8];
} fl_prices;

extern const fl_prices flows_default_prices;

/* AWS's published ranges (ip-ranges.json): prefix -> service, region. */
typedef struct fl_range {
    ip_prefix p;
    uint16_t service, region; /* indexes into names */
} fl_range;

typedef struct fl_ranges {
    fl_range *v4[256]; /* IPv4 by first octet (a shorter prefix is in every bucket it covers) */
    uint32_t n4[256];
    fl_range *v6;
    uint32_t n6;
    char names[512][32]; /* services and regions */
    uint32_t nnames;
} fl_ranges;

typedef struct fl_sample {
    fl_error why;
    uint64_t line;
    char file[256];
    char text[FLOWS_SAMPLE_TEXT];
} fl_sample;

/* A table update waiting in its table's batch (see flows.c). */
typedef struct fl_update {
    uint64_t key[FMAP_KEY_MAX / 8]; /* zero-padded to sixteen bytes */
    uint64_t hash, packets, bytes, extra;
} fl_update;

/* Tables of up to FLOWS_NEAR_BYTES of slots are updated at once, larger
 * ones in batches of FLOWS_BATCH (flows.c: count). */
enum { FLOWS_BATCH = 32, FLOWS_NEAR_BYTES = 512 * 1024 };

typedef struct fl_batch {
    unsigned n;
    fl_update u[FLOWS_BATCH];
} fl_batch;

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
    fmap_val lost[FT_COUNT]; /* bound of what pruning dropped from one key, per counter but the rank's
                                (flows_bound) */
    uint32_t prunes[FT_COUNT];
    fl_batch batch[FT_COUNT];
    bool oom;
    bool merged; /* a partial has been merged in (its window is f's) */
    fl_prices prices;
    const mlvpc_model *model; /* NULL: no join */
    fmap eni_index, addr_index; /* interface id / private address -> ENI index + 1 (in extra) */
    uint32_t *eni_res;          /* per model ENI: the workload it serves (kind << 24 | index) + 1, or 0 */
    uint8_t *eni_iso;           /* per model ENI: 1 when that workload is network-isolated */
    ip_prefix *inside;          /* the model's VPC CIDRs (IPv4 and IPv6) */
    uint32_t ninside;
    bool joined;                /* records were read with a model (or partials made with one merged) */
    fl_ranges *ranges;          /* NULL: no --ip-ranges */
    struct fl_explained *explained; /* mlvpc_flows_explain: the top REJECT patterns, judged */
    uint32_t nexplained;
    uint32_t *contradict; /* FT_EGRESS slots whose address the model says the interface cannot reach */
    uint32_t ncontradict;
    unsigned threads;     /* 0: one per core */
    struct fl_pool *pool; /* set in the per-thread aggregates of a parallel read */
};

/* A REJECT pattern (an FT_REJECT slot) and what the reach engine says of it. */
typedef struct fl_explained {
    uint32_t slot;
    int verdict;   /* reach_verdict */
    bool ret;      /* the block is on the return path */
    bool at_recorder; /* the block is at the recording interface (its groups, its subnet's NACL) */
    char component[96], rule[200], missing[200];
} fl_explained;

enum { FLOWS_SERVICE_KEY = 16, FLOWS_ADDR_KEY = 17 };

/* An interface id as a key: its first FLOWS_ENI_KEY bytes, zero-padded.
 * (Inline, eight bytes at a time: once per record; ids have 12 to 21
 * characters.) */
static inline void flows_eni_key(uint8_t *key, const char *id, size_t n)
{
    n = n < FLOWS_ENI_KEY ? n : FLOWS_ENI_KEY;
    memset(key, 0, FLOWS_ENI_KEY);
    if (n < 8) {
        for (size_t i = 0; i < n; i++)
            key[i] = (uint8_t)id[i];
        return;
    }
    for (size_t i = 0; i + 8 <= n; i += 8)
        memcpy(key + i, id + i, 8);
    memcpy(key + n - 8, id + n - 8, 8); /* (the tail, overlapping what is copied) */
}
/* The FT_AWS key of record r when it is a NAT gateway's traffic with AWS's ranges. */
bool flows_aws_key(const mlvpc_flows *f, const fl_rec *r, uint8_t *key);
void flows_ranges_free(fl_ranges *r);

/* The model's ENI with this id or address, or MV_NONE (also without a model). */
uint32_t flows_eni_of_id(const mlvpc_flows *f, const char *id, size_t n);
uint32_t flows_eni_of_addr(const mlvpc_flows *f, const ip_addr *a);
/* Whether a is in one of the model's VPC CIDRs. */
bool flows_in_model_cidrs(const mlvpc_flows *f, const ip_addr *a);

/* Addresses that are no one's on the internet (RFC 1918, 6598, loopback,
 * link-local, unique local IPv6). (Inline: asked twice per record.) */
static inline bool flows_private_addr(const ip_addr *a)
{
    /* (each test computed and or-ed without branching: which one holds
     * depends on the traffic, and a chain of branches mispredicts) */
    const unsigned b0 = a->b[0], b1 = a->b[1];
    const unsigned v4 = (b0 == 10) | ((b0 == 172) & ((b1 & 0xf0) == 16)) | ((b0 == 192) & (b1 == 168)) |
                        ((b0 == 100) & ((b1 & 0xc0) == 64)) | (b0 == 127) | ((b0 == 169) & (b1 == 254));
    const unsigned v6 = ((b0 & 0xfe) == 0xfc) | ((b0 == 0xfe) & ((b1 & 0xc0) == 0x80));
    return ((a->af == IP_V4) & v4) | ((a->af == IP_V6) & v6);
}

/* Whether a is inside: private, or in one of the model's VPC CIDRs (IPv6
 * addresses of a VPC are public ones, but not the internet). */
static inline bool flows_inside_addr(const mlvpc_flows *f, const ip_addr *a)
{
    return flows_private_addr(a) || (f->ninside && flows_in_model_cidrs(f, a));
}
/* The FT_ISO and FT_EGRESS keys of record r (key[0] left 0 when it has none). */
void flows_iso_key(const mlvpc_flows *f, const fl_rec *r, uint8_t *key);
void flows_egress_key(const mlvpc_flows *f, const fl_rec *r, uint8_t *key);
/* The FT_XAZ key of record r (two interface ids) when it crosses zones,
 * else key unchanged. */
void flows_join_record(mlvpc_flows *f, const fl_rec *r, uint8_t *key);
/* The SageMaker resource (or other owner) an ENI serves, when the model says. */
bool flows_eni_resource(const mlvpc_model *m, uint32_t eni, mv_kind *kind, uint32_t *idx);
/* What interface `id` belongs to ("notebook notebook:nb", "nat-gateway nat-0.."), or NULL. */
const char *flows_eni_label(const mlvpc_flows *f, const char *id, char *buf, size_t size);

/* a += b, saturating (fmap_add_sat) */
static inline void flows_add(uint64_t *a, uint64_t b) { *a = fmap_add_sat(*a, b); }

/* Prune counts add up, saturating: a table once pruned never reads as exact. */
static inline void flows_add_prunes(uint32_t *a, uint32_t b)
{
    if (__builtin_add_overflow(*a, b, a))
        *a = UINT32_MAX;
}

static inline void flows_add_val(fmap_val *a, const fmap_val *b)
{
    flows_add(&a->records, b->records), flows_add(&a->packets, b->packets), flows_add(&a->bytes, b->bytes);
    flows_add(&a->extra, b->extra);
}

/* Keep s among the FLOWS_SAMPLES unusable lines first by file name and line
 * (an order that does not depend on how the input was split). */
void flows_add_sample(mlvpc_flows *f, const fl_sample *s);

/* *err (when not NULL) set to status st, the file (NULL: none) and text;
 * returns st. */
mlvpc_status flows_fail(mlvpc_diag *err, mlvpc_status st, const char *file, const char *text);

/* Drop table t's smaller half (see above). */
void flows_prune(mlvpc_flows *f, fl_table t);
/* How low any figure of table t may be (its rank counter's: the table's
 * floor; the others': the sum over its prunes of the most dropped from one
 * key). A key's own bound on its rank counter is its `missed`. */
void flows_bound(const mlvpc_flows *f, fl_table t, fmap_val *b);
/* The same for the key in slot `slot`: its rank counter's bound its own
 * `missed`, and every bound 0 when that is 0 (no prune dropped the key). */
void flows_row_bound(const mlvpc_flows *f, fl_table t, uint32_t slot, fmap_val *b);

/* Keys decoded for output. */
typedef struct fl_key {
    ip_addr src, dst;
    int16_t proto; /* -1 absent */
    int32_t dport; /* -1 absent */
    char eni[FLOWS_ENI_KEY + 1], eni2[FLOWS_ENI_KEY + 1]; /* FT_XAZ: sender, receiver */
    char service[FLOWS_SERVICE_KEY + 1];                   /* FT_AWS */
    bool same_region;
    bool bpa;             /* FT_REJECT: the record's reject-reason is BPA */
    uint8_t iso_peer;     /* FT_ISO: fl_iso_peer */
} fl_key;

void flows_key(fl_table t, const void *key, fl_key *out);

typedef enum fl_order { FO_BYTES, FO_PACKETS, FO_RECORDS } fl_order;

/* Slots of table t sorted by `order`, most first, ties by the other counts
 * then the key; at most n of them into idx (malloc'd; free it). -1 when out
 * of memory, else the count. */
long flows_top(const mlvpc_flows *f, fl_table t, fl_order order, unsigned n, uint32_t **idx);

#endif
