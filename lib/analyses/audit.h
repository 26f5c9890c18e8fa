/*
 * The audit: every rule of ../shared/spec/rules.md over a finished model.
 *
 * A rule is one small unit (rules_*.c): its metadata (the single source of
 * `mlvpc rules`, `mlvpc explain`, SARIF rule entries and docs/rules.md) and
 * a check function beside it. A check reads the model and the facts the
 * audit derives once (which subnets and SGs SageMaker uses and for what, the
 * workloads and their reachability answers), and reports findings through
 * au_find(); it never prints and never decides what is waived or shown.
 *
 * Contracts of a check:
 *  - an absent property is read with its documented default (the model
 *    keeps the default where AWS documents one); a value the input cannot
 *    give is MV_UNKNOWN and yields an indeterminate finding with the reason;
 *  - effective route tables and NACLs come from the model (resolve.c), and
 *    reachability from the reach engine, never re-derived here.
 */
#ifndef MLVPC_AUDIT_H
#define MLVPC_AUDIT_H

#include "reach.h"
#include "../inputs/waivers.h"

typedef enum au_status { AU_FAIL = 0, AU_INDETERMINATE } au_status;

/* What a security group or subnet is used for (rules.md "Function"). */
enum {
    FN_NOTEBOOK = 1u << 0, FN_STUDIO = 1u << 1, FN_TRAINING = 1u << 2, FN_PROCESSING = 1u << 3,
    FN_INFERENCE = 1u << 4, FN_VPCE = 1u << 5, FN_DATA = 1u << 6,
    FN_COUNT = 7,
    FN_SAGEMAKER = FN_NOTEBOOK | FN_STUDIO | FN_TRAINING | FN_PROCESSING | FN_INFERENCE
};
const char *au_fn_name(unsigned bit_index);

typedef struct au_ctx au_ctx;

typedef struct au_rule {
    const char *id;
    mlvpc_level level;    /* default (the highest the rule gives) */
    const char *levels;   /* as the catalogue states it: "high", "critical / high" */
    const char *kind;     /* NULL, "graph" or "reach" */
    const char *group;    /* catalogue section */
    const char *title;
    const char *condition; /* fails when ... */
    const char *rationale;
    const char *fix;       /* one sentence */
    const char *fix_cfn;   /* CloudFormation property to set */
    const char *fix_tf;    /* Terraform argument to set */
    const char *refs;      /* guide sections and peer equivalents */
    void (*check)(au_ctx *c);
} au_rule;

/* The catalogue, in rules.md order. */
extern const au_rule *const au_rules[];
extern const size_t au_nrules;
const au_rule *au_rule_find(const char *id);

/* Reachability evidence: one trace of an answer, copied into the audit's arena. */
typedef struct au_hop {
    bool ret;
    bool reached;
    const char *component, *kind, *action, *detail;
} au_hop;

typedef struct au_path {
    const char *query;   /* "notebook:x -> service:s3 tcp/443" */
    const char *source;  /* the placement traced */
    reach_verdict verdict;
    au_hop *hops;
    uint32_t nhops;
    reach_block *blocks; /* copied */
    uint32_t nblocks;
    const char *missing; /* indeterminate: what the input lacks */
    bool sg_block, nacl_block; /* some block is a security group / network ACL */
} au_path;

typedef struct au_ev {
    const char *key, *value;
} au_ev;

typedef struct au_finding {
    const au_rule *rule;
    mlvpc_level level;
    au_status status;
    mv_kind kind;  /* the resource */
    uint32_t idx;
    const char *message;
    au_ev *ev;
    uint32_t nev, cap_ev;
    const au_path *path; /* reach rules: the deciding path, or NULL */
    const char *waived;  /* the waiver's reason */
} au_finding;

/* A SageMaker workload (notebook, domain, job, model) with a VPC placement or not. */
typedef struct au_wl {
    mv_kind kind;
    uint32_t idx;
    const char *ref;    /* REF of `mlvpc reach` ("notebook:x") */
    unsigned fn;        /* FN_* */
    const mv_placement *place;
    uint32_t vpc;       /* VPC of its first resolved subnet, MV_NONE */
    bool vpc_only;      /* notebook without direct internet / VpcOnly domain */
    uint32_t cls;       /* reachability class (workloads with equal answers) */
} au_wl;

/* Queries the audit asks per workload class. */
enum { AQ_S3 = 0, AQ_SAGEMAKER_API, AQ_SAGEMAKER_RUNTIME, AQ_STS, AQ_LOGS, AQ_INTERNET, AQ_COUNT };
extern const char *const au_query_to[AQ_COUNT];

typedef struct au_cls {
    uint32_t rep;     /* a workload of the class */
    uint32_t members; /* workloads in the class */
    const au_path *ans[AQ_COUNT];
    bool done[AQ_COUNT];
} au_cls;

/* A usage of a subnet or SG by a resource, for evidence ("notebook:x"). */
typedef struct au_use {
    unsigned fn;
    mv_kind kind;
    uint32_t idx;
} au_use;

struct au_ctx {
    const mlvpc_model *m;
    const mlvpc_audit_opts *o;
    arena *ar;
    reach_engine *engine; /* created on first use */
    const au_rule *rule;  /* the rule being run */
    vec findings;         /* au_finding * */
    bool oom;
    /* derived once, before the rules */
    vec wls;              /* au_wl */
    vec classes;          /* au_cls */
    unsigned *sg_fn, *subnet_fn; /* FN_* per SG / subnet */
    vec *sg_uses, *subnet_uses;  /* au_use per SG / subnet */
    bool *vpc_sm;         /* VPC hosts SageMaker subnets */
    const char **req_tags;
    uint32_t nreq_tags;
};

/* ---- reporting (audit.c) */

/* A finding of the running rule on resource (kind, idx); NULL when out of memory. */
au_finding *au_find(au_ctx *c, mlvpc_level level, au_status st, mv_kind kind, uint32_t idx, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* A flag of resource (k, i) whose insecure value is `bad`: a finding with
 * message msg and evidence "field: evidence" when it has that value, an
 * indeterminate one when it is unknown, nothing otherwise. */
au_finding *au_flag(au_ctx *c, mv_kind k, uint32_t i, mv_tri v, mv_tri bad, const char *field, const char *evidence,
                    const char *msg);
/* Add one evidence item. */
void au_ev_add(au_ctx *c, au_finding *f, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A formatted string in the audit's arena ("" when out of memory). */
const char *au_fmt(au_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The answer of query q for workload w's class (computed once); NULL when
 * out of memory. Its verdict holds for every workload of the class; its
 * path names the class's representative. */
const au_path *au_reach(au_ctx *c, const au_wl *w, int q);
/* The same answer traced from w itself, for the evidence of a finding on w. */
const au_path *au_reach_own(au_ctx *c, const au_wl *w, int q);
/* Any query, not cached. */
const au_path *au_reach_any(au_ctx *c, const char *from, const char *to, int proto, uint16_t port, bool platform);

/* ---- shared reading helpers (audit.c) */

static inline const mv_res *au_res(const au_ctx *c, mv_kind k, uint32_t i) { return model_res(c->m, k, i); }
static inline const char *au_id(const au_ctx *c, mv_kind k, uint32_t i) { return model_str(c->m, model_res(c->m, k, i)->id); }
/* "notebook:x, training-job:y (+3 more)": the users of a subnet or SG with a function in fn. */
const char *au_users(au_ctx *c, const vec *uses, unsigned fn);
/* Value of tag key (case-sensitive) or NULL. */
const char *au_tag(const mv_res *r, const char *key);
/* Environment of a resource from its Environment/env tag, normalised
 * ("prod", "staging", "dev", else the value lowercased); NULL when untagged. */
const char *au_env(au_ctx *c, const mv_res *r);
/* An SG rule or NACL entry as text ("tcp 443 from 10.0.0.0/16"). */
const char *au_sg_rule_text(au_ctx *c, const mv_sg_rule *r);
const char *au_nacl_entry_text(au_ctx *c, const mv_nacl_entry *e);
/* The route as text ("0.0.0.0/0 -> igw-1"). */
const char *au_route_text(au_ctx *c, const mv_route *r);

/* Type of a resource as findings name it ("subnet", "training-job", ...). */
const char *au_res_type(const mlvpc_model *m, mv_kind k, uint32_t idx);

int au_prepare(au_ctx *c);
void au_release(au_ctx *c);

struct mlvpc_audit {
    const mlvpc_model *m;
    mlvpc_audit_opts o;
    arena ar;          /* findings, evidence, waivers */
    bool *selected;    /* per catalogue rule */
    waiver *waivers;
    uint32_t nwaivers;
    au_ctx c;
    bool ran;
    uint32_t rules_run;
    au_finding **order; /* report order, after a run */
    int *worst[MK_COUNT]; /* per resource: its most severe finding (level * 2 + status) */
};

#endif
