/*
 * The reachability engine: does a packet from a source get to a destination
 * and its reply back, as AWS decides it (../shared/spec/reachability.md
 * part A), hop by hop, with the rule or route that decided each hop.
 *
 * A query resolves its source to placements (an ENI, or a SageMaker
 * resource's subnet and security groups) and traces each one separately:
 * the answer is reachable only when every placement is. A trace that meets
 * a block goes on past it where it can, as Reachability Analyzer's
 * blocked-path analysis does, so that every setting that would have to
 * change is listed; a trace that needs something the model lacks is
 * indeterminate and says what.
 */
#ifndef MLVPC_REACH_H
#define MLVPC_REACH_H

#include "decide.h"

typedef enum reach_verdict { RV_REACHABLE = 0, RV_UNREACHABLE, RV_INDETERMINATE } reach_verdict;
const char *reach_verdict_name(reach_verdict v);

enum { REACH_MAX_HOPS = 48, REACH_MAX_BLOCKS = 12, REACH_MAX_NOTES = 8, REACH_TEXT = 200 };

typedef struct reach_hop {
    bool ret;                /* on the return path */
    bool reached;            /* false after a block: evaluated as if the block were lifted */
    char component[96];      /* id as the input names it ("sg-…", "acl-…", "rtb-…", "igw-…") */
    const char *kind;        /* "security-group", "network-acl", "route-table", ... */
    const char *action;      /* "allow", "deny", "route", "translate", "deliver", "unknown" */
    char detail[REACH_TEXT]; /* the rule, entry or route that decided */
} reach_hop;

typedef struct reach_block {
    bool ret;
    char component[96];
    const char *code; /* Reachability Analyzer code or a documented mlvpc code */
    char rule[REACH_TEXT];
} reach_block;

typedef struct reach_trace {
    char source[128];        /* the placement: ENI id or subnet and SGs */
    reach_verdict verdict;
    reach_hop hops[REACH_MAX_HOPS];
    uint32_t nhops;
    reach_block blocks[REACH_MAX_BLOCKS]; /* blocks[0] is blocked_by, the rest also_blocked_by */
    uint32_t nblocks;
    uint32_t first_block_hop; /* number of hops when the first block was found */
    char missing[REACH_TEXT]; /* indeterminate: what the model lacks */
    char notes[REACH_MAX_NOTES][REACH_TEXT]; /* assumptions made on this path */
    uint32_t nnotes;
} reach_trace;

typedef struct reach_query {
    const char *from, *to;
    int proto;                 /* protocol number, MV_PROTO_ALL for "all" */
    uint16_t port_lo, port_hi; /* destination ports (TCP/UDP) */
    bool platform;             /* trace SageMaker's own traffic from the placement (S3 reads
                                * and writes), which network isolation does not stop */
} reach_query;

typedef struct reach_result {
    reach_query q;
    reach_verdict verdict;
    char error[REACH_TEXT];   /* a REF that names nothing: the query itself is wrong */
    char dst_desc[160];       /* the destination as resolved ("10.0.1.5 (eni-…)", "internet (203.0.113.10)") */
    reach_trace *traces;
    uint32_t ntraces;
    char notes[REACH_MAX_NOTES][REACH_TEXT]; /* assumptions of the whole query */
    uint32_t nnotes;
} reach_result;

/* Indexes built once per model and shared by the queries of a batch. */
typedef struct reach_engine reach_engine;
reach_engine *reach_engine_new(const mlvpc_model *m);
void reach_engine_free(reach_engine *e);

/*
 * Answer q. Returns 0 (result filled; q.from/q.to are kept by pointer and
 * must outlive res), -1 on a query error (res->error says which REF is
 * wrong), -2 when out of memory. Release res in every case.
 */
int reach_run(reach_engine *e, const reach_query *q, reach_result *res);
void reach_result_release(reach_result *res);

#endif
