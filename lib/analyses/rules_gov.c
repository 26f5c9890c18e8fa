/* Governance rules (rules.md "Governance") and the catalogue's registry. */
#include "rules.h"

#include <string.h>

/* ------------------------------------------------------------------ ENV-SEGMENTATION */

enum { ENV_MAX = 4 };

/* Environments met in one container (VPC, subnet or SG), with one resource each. */
typedef struct envset {
    const char *env[ENV_MAX];
    mv_kind kind[ENV_MAX];
    uint32_t idx[ENV_MAX];
    int n;
} envset;

static void env_add(au_ctx *c, envset *s, mv_kind k, uint32_t i)
{
    const char *e = au_env(c, au_res(c, k, i));
    if (!e)
        return;
    for (int j = 0; j < s->n; j++)
        if (strcmp(s->env[j], e) == 0)
            return;
    if (s->n < ENV_MAX) {
        s->env[s->n] = e;
        s->kind[s->n] = k;
        s->idx[s->n] = i;
        s->n++;
    }
}

static void env_report(au_ctx *c, const envset *s, mv_kind k, uint32_t i, const char *what)
{
    if (s->n < 2)
        return;
    au_finding *f = au_find(c, c->rule->level, AU_FAIL, k, i, "resources of %d environments share this %s", s->n, what);
    for (int j = 0; j < s->n; j++)
        au_ev_add(c, f, s->env[j], "%s", au_id(c, s->kind[j], s->idx[j]));
}

static void env_uses(au_ctx *c, envset *s, const vec *uses)
{
    for (uint32_t u = 0; u < uses->n; u++)
        env_add(c, s, VEC_AT(*uses, au_use, u)->kind, VEC_AT(*uses, au_use, u)->idx);
}

static uint32_t eni_vpc_of(const mlvpc_model *m, const mv_eni *x)
{
    return x->vpc.idx != MV_NONE ? x->vpc.idx
         : x->subnet.idx != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, x->subnet.idx)->vpc.idx : MV_NONE;
}

/* A peering connection that carries traffic, or may (status unknown). */
static bool pcx_live(const mv_pcx *x)
{
    static const char *const gone[] = { "deleted", "deleting", "rejected", "failed", "expired" };
    for (size_t i = 0; x->status && i < sizeof gone / sizeof *gone; i++)
        if (strcmp(x->status, gone[i]) == 0)
            return false;
    return true;
}

static void env_segmentation(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    uint32_t ns = MV_N(m, MK_SUBNET), nv = MV_N(m, MK_VPC);
    envset *sub = arena_calloc(c->ar, ns + 1, sizeof *sub), *vpc = arena_calloc(c->ar, nv + 1, sizeof *vpc);
    if (!sub || !vpc) {
        c->oom = true;
        return;
    }
    for (uint32_t g = 0; g < MV_N(m, MK_SG); g++) {
        envset s = { .n = 0 };
        env_add(c, &s, MK_SG, g);
        env_uses(c, &s, &c->sg_uses[g]);
        env_report(c, &s, MK_SG, g, "security group");
        uint32_t v = MV_AT(m, MK_SG, mv_sg, g)->vpc.idx;
        if (v != MV_NONE)
            env_add(c, &vpc[v], MK_SG, g);
    }
    /* Each resource joins the set of its subnet (and the subnet its VPC's). */
    for (uint32_t i = 0; i < ns; i++) {
        env_add(c, &sub[i], MK_SUBNET, i);
        env_uses(c, &sub[i], &c->subnet_uses[i]);
    }
    /* ENIs and instances join their subnet's set, and their VPC's directly
     * (their subnet may be missing, or carry no environment of its own);
     * endpoints, gateways and NAT gateways join their VPC's. */
    for (uint32_t e = 0; e < MV_N(m, MK_ENI); e++) {
        const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, e);
        if (x->subnet.idx != MV_NONE)
            env_add(c, &sub[x->subnet.idx], MK_ENI, e);
        if (eni_vpc_of(m, x) != MV_NONE)
            env_add(c, &vpc[eni_vpc_of(m, x)], MK_ENI, e);
    }
    for (uint32_t e = 0; e < MV_N(m, MK_INSTANCE); e++) {
        const mv_instance *x = MV_AT(m, MK_INSTANCE, mv_instance, e);
        if (x->subnet.idx != MV_NONE)
            env_add(c, &sub[x->subnet.idx], MK_INSTANCE, e);
        if (x->vpc.idx != MV_NONE)
            env_add(c, &vpc[x->vpc.idx], MK_INSTANCE, e);
    }
    for (uint32_t e = 0; e < MV_N(m, MK_VPCE); e++)
        if (MV_AT(m, MK_VPCE, mv_vpce, e)->vpc.idx != MV_NONE)
            env_add(c, &vpc[MV_AT(m, MK_VPCE, mv_vpce, e)->vpc.idx], MK_VPCE, e);
    for (uint32_t e = 0; e < MV_N(m, MK_NATGW); e++)
        if (MV_AT(m, MK_NATGW, mv_natgw, e)->vpc.idx != MV_NONE)
            env_add(c, &vpc[MV_AT(m, MK_NATGW, mv_natgw, e)->vpc.idx], MK_NATGW, e);
    for (uint32_t i = 0; i < ns; i++) {
        env_report(c, &sub[i], MK_SUBNET, i, "subnet");
        uint32_t v = MV_AT(m, MK_SUBNET, mv_subnet, i)->vpc.idx;
        if (v != MV_NONE)
            env_add(c, &vpc[v], MK_SUBNET, i);
    }
    for (uint32_t i = 0; i < c->wls.n; i++) {
        const au_wl *w = VEC_AT(c->wls, au_wl, i);
        if (w->vpc != MV_NONE)
            env_add(c, &vpc[w->vpc], w->kind, w->idx);
    }
    for (uint32_t v = 0; v < nv; v++) {
        envset s = { .n = 0 };
        env_add(c, &s, MK_VPC, v); /* the VPC's own tag first */
        for (int k = 0; k < vpc[v].n; k++)
            env_add(c, &s, vpc[v].kind[k], vpc[v].idx[k]);
        env_report(c, &s, MK_VPC, v, "VPC");
    }
    for (uint32_t p = 0; p < MV_N(m, MK_PCX); p++) {
        const mv_pcx *x = MV_AT(m, MK_PCX, mv_pcx, p);
        if (x->requester.vpc.idx == MV_NONE || x->accepter.vpc.idx == MV_NONE || !pcx_live(x))
            continue;
        const char *a = au_env(c, au_res(c, MK_VPC, x->requester.vpc.idx));
        const char *b = au_env(c, au_res(c, MK_VPC, x->accepter.vpc.idx));
        if (!a || !b || strcmp(a, b) == 0 || (strcmp(a, "prod") != 0 && strcmp(b, "prod") != 0))
            continue;
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_PCX, p, "peers a %s VPC with a %s VPC", a, b);
        au_ev_add(c, f, a, "%s", au_id(c, MK_VPC, x->requester.vpc.idx));
        au_ev_add(c, f, b, "%s", au_id(c, MK_VPC, x->accepter.vpc.idx));
    }
}

const au_rule rule_env_segmentation = {
    "ENV-SEGMENTATION", MLVPC_MEDIUM, "medium", "graph", "Governance",
    "Environments share network boundaries",
    "resources tagged with different environments (tag `Environment`/`env`, values normalised: prod/production, "
    "staging/stage, dev/development) share a VPC, subnet or SG, or a prod VPC is peered with a non-prod VPC (a "
    "peering that is deleted, rejected, failed or expired does not count)",
    "Development workloads run less-reviewed code; sharing a network boundary with production gives that code "
    "production's reach.",
    "Separate environments into their own VPCs (or at least subnets and SGs); do not peer prod with non-prod.",
    "separate stacks per environment with their own AWS::EC2::VPC",
    "separate workspaces/modules per environment with their own aws_vpc",
    "guide [network segmentation]",
    env_segmentation,
};

/* ------------------------------------------------------------------ TAGS-REQUIRED */

/* Kinds whose resources must carry the required tags. ENIs and instances
 * are compute (often AWS-managed); AWS-managed prefix lists have no owner. */
static const mv_kind tagged_kinds[] = {
    MK_VPC, MK_SUBNET, MK_RTB, MK_SG, MK_NACL, MK_IGW, MK_EIGW, MK_NATGW, MK_VPCE, MK_PL, MK_PCX, MK_FLOWLOG,
    MK_DHCP, MK_EIP, MK_NOTEBOOK, MK_DOMAIN, MK_JOB, MK_MODEL, MK_EPCONFIG, MK_ENDPOINT,
};

static void tags_required(au_ctx *c)
{
    for (size_t t = 0; t < sizeof tagged_kinds / sizeof *tagged_kinds; t++) {
        mv_kind k = tagged_kinds[t];
        for (uint32_t i = 0; i < MV_N(c->m, k); i++) {
            if (k == MK_PL && MV_AT(c->m, MK_PL, mv_pl, i)->aws_managed)
                continue;
            const mv_res *r = au_res(c, k, i);
            if (r->tags_unknown) {
                au_find(c, c->rule->level, AU_INDETERMINATE, k, i,
                        "the input does not say which tags it has (collect them with list-tags)");
                continue;
            }
            char miss[256] = "";
            size_t len = 0;
            for (uint32_t q = 0; q < c->nreq_tags; q++)
                if (!au_tag(r, c->req_tags[q])) {
                    int n = snprintf(miss + len, sizeof miss - len, "%s%s", len ? ", " : "", c->req_tags[q]);
                    if (n > 0 && (size_t)n < sizeof miss - len)
                        len += (size_t)n;
                }
            if (len) {
                au_finding *f = au_find(c, c->rule->level, AU_FAIL, k, i, "missing tag%s %s",
                                        strchr(miss, ',') ? "s" : "", miss);
                au_ev_add(c, f, "missing", "%s", miss);
            }
        }
    }
}

const au_rule rule_tags_required = {
    "TAGS-REQUIRED", MLVPC_LOW, "low", NULL, "Governance",
    "Required tags missing",
    "a network resource or SageMaker resource lacks a required tag key (default keys: `Environment`, `Owner`; "
    "`--require-tags` changes them)",
    "Ownership and environment tags are what incident response, cost allocation and ENV-SEGMENTATION work from.",
    "Add the missing tags (CloudFormation stack tags and Terraform default_tags cover most resources).",
    "Tags on the resource, or stack-level tags",
    "tags on the resource, or provider default_tags",
    "guide [tagging strategy]",
    tags_required,
};

/* ------------------------------------------------------------------ registry */

#define AU_ENTRY(name) &rule_##name,
const au_rule *const au_rules[] = { AU_RULES(AU_ENTRY) };
#undef AU_ENTRY
const size_t au_nrules = sizeof au_rules / sizeof *au_rules;
