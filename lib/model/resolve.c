/*
 * model_finish(): resolve every reference once, derive the associations that
 * AWS leaves implicit (main route table, default NACL, default SG), and work
 * out what each ENI belongs to. Analyses rely on these results and never
 * re-derive them (one shared resolver: rules.md "Effective associations").
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

typedef struct rctx {
    mlvpc_model *m;
    const mv_res *owner;
    mv_kind owner_kind;
} rctx;

/* Resolve r against kind k; warn (once per reference) when it dangles. */
static void resolve(rctx *c, mv_ref *r, mv_kind k, const char *field)
{
    if (!r->sym) {
        r->idx = MV_NONE; /* no reference: never index 0 by accident */
        return;
    }
    r->idx = model_find(c->m, k, r->sym);
    if (r->idx != MV_NONE)
        return;
    model_warnf(c->m, MLVPC_SEV_WARNING, c->owner->file, c->owner->line, c->owner->col,
                "%s \"%s\": %s \"%s\" is not in the input", mv_kind_name(c->owner_kind),
                model_str(c->m, c->owner->id), field, model_str(c->m, r->sym));
}

static void resolve_all(rctx *c, mv_ref *r, uint32_t n, mv_kind k, const char *field)
{
    for (uint32_t i = 0; i < n; i++)
        resolve(c, &r[i], k, field);
}

#define FOR_EACH(m, k, T, var)                                                         \
    for (uint32_t var##_i = 0; var##_i < MV_N(m, k); var##_i++)                        \
        for (T *var = MV_AT(m, k, T, var##_i); var; var = NULL)

static rctx ctx(mlvpc_model *m, mv_kind k, const mv_res *r) { return (rctx){ m, r, k }; }

static void apply_vpc_attrs(mlvpc_model *m)
{
    for (uint32_t i = 0; i < m->vpc_attrs.n; i++) {
        const mv_pending_attr *p = VEC_AT(m->vpc_attrs, mv_pending_attr, i);
        uint32_t v = model_find(m, MK_VPC, p->vpc);
        if (v == MV_NONE) {
            model_warnf(m, MLVPC_SEV_WARNING, p->file, p->line, p->col,
                        "vpc attribute for \"%s\", which is not in the input", model_str(m, p->vpc));
            continue;
        }
        mv_vpc *vpc = MV_AT(m, MK_VPC, mv_vpc, v);
        if (p->attr == MVA_DNS_SUPPORT)
            vpc->dns_support = p->value;
        else
            vpc->dns_hostnames = p->value;
    }
}

/* The ARN of a SageMaker resource, or NULL. */
static const char *sm_arn(const mlvpc_model *m, mv_kind k, uint32_t i)
{
    switch (k) {
    case MK_NOTEBOOK: return MV_AT(m, k, mv_notebook, i)->arn;
    case MK_DOMAIN: return MV_AT(m, k, mv_domain, i)->arn;
    case MK_JOB: return MV_AT(m, k, mv_job, i)->arn;
    case MK_MODEL: return MV_AT(m, k, mv_model_res, i)->arn;
    case MK_EPCONFIG: return MV_AT(m, k, mv_epconfig, i)->arn;
    case MK_ENDPOINT: return MV_AT(m, k, mv_endpoint, i)->arn;
    default: return NULL;
    }
}

/* list-tags answers onto their SageMaker resources, matched by ARN through
 * a table indexed by the ARN's symbol. */
static void apply_sm_tags(mlvpc_model *m)
{
    if (!m->sm_tags.n)
        return;
    uint32_t nsym = m->syms.n, *owner = NULL;
    static const mv_kind kinds[] = { MK_NOTEBOOK, MK_DOMAIN, MK_JOB, MK_MODEL, MK_EPCONFIG, MK_ENDPOINT };
    /* Intern every ARN first: the table is sized once. */
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        for (uint32_t i = 0; i < MV_N(m, kinds[k]); i++)
            if (sm_arn(m, kinds[k], i))
                model_sym(m, sm_arn(m, kinds[k], i), strlen(sm_arn(m, kinds[k], i)));
    nsym = m->syms.n;
    owner = calloc(nsym + 1, sizeof *owner); /* (position in kinds << 28 | index) + 1 */
    for (size_t k = 0; owner && k < sizeof kinds / sizeof *kinds; k++)
        for (uint32_t i = 0; i < MV_N(m, kinds[k]) && i < (1u << 28) - 1; i++) {
            const char *arn = sm_arn(m, kinds[k], i);
            if (arn)
                owner[intern_find(&m->syms, arn, strlen(arn))] = ((uint32_t)k << 28 | i) + 1;
        }
    for (uint32_t t = 0; t < m->sm_tags.n; t++) {
        const mv_pending_tags *p = VEC_AT(m->sm_tags, mv_pending_tags, t);
        uint32_t sym = owner ? intern_find(&m->syms, p->arn, strlen(p->arn)) : 0;
        uint32_t o = sym && sym <= nsym ? owner[sym] : 0;
        if (!o) {
            model_warnf(m, MLVPC_SEV_WARNING, p->file, p->line, p->col,
                        "tags for \"%s\", which is not in the input", p->arn);
            continue;
        }
        mv_res *r = model_res(m, kinds[(o - 1) >> 28], (o - 1) & ((1u << 28) - 1));
        r->tags = p->tags.tags;
        r->ntags = p->tags.ntags;
        r->name = p->tags.name;
        r->tags_unknown = false;
    }
    free(owner);
}

static void resolve_network(mlvpc_model *m)
{
    FOR_EACH(m, MK_VPC, mv_vpc, v) {
        rctx c = ctx(m, MK_VPC, &v->r);
        resolve(&c, &v->dhcp, MK_DHCP, "dhcp options");
    }
    FOR_EACH(m, MK_SUBNET, mv_subnet, s) {
        rctx c = ctx(m, MK_SUBNET, &s->r);
        resolve(&c, &s->vpc, MK_VPC, "vpc");
    }
    FOR_EACH(m, MK_RTB, mv_rtb, t) {
        rctx c = ctx(m, MK_RTB, &t->r);
        resolve(&c, &t->vpc, MK_VPC, "vpc");
        for (uint32_t a = 0; a < t->nassocs; a++)
            resolve(&c, &t->assocs[a].subnet, MK_SUBNET, "associated subnet");
        for (uint32_t i = 0; i < t->nroutes; i++) {
            mv_route *r = &t->routes[i];
            resolve(&c, &r->dst_pl, MK_PL, "route destination prefix list");
            static const mv_kind target_kind[MT_COUNT] = {
                [MT_IGW] = MK_IGW, [MT_NAT] = MK_NATGW, [MT_VPCE_GW] = MK_VPCE, [MT_GWLBE] = MK_VPCE,
                [MT_PCX] = MK_PCX, [MT_ENI] = MK_ENI, [MT_INSTANCE] = MK_INSTANCE, [MT_EIGW] = MK_EIGW,
            };
            /* A blackhole route's target is gone by definition: no warning. */
            if (target_kind[r->target] && r->state != MS_BLACKHOLE)
                resolve(&c, &r->tgt, target_kind[r->target], "route target");
            else if (target_kind[r->target])
                r->tgt.idx = model_find(m, target_kind[r->target], r->tgt.sym);
            if (r->target == MT_VPCE_GW && r->tgt.idx != MV_NONE &&
                MV_AT(m, MK_VPCE, mv_vpce, r->tgt.idx)->type == ME_GWLB)
                r->target = MT_GWLBE;
        }
    }
    FOR_EACH(m, MK_SG, mv_sg, g) {
        rctx c = ctx(m, MK_SG, &g->r);
        resolve(&c, &g->vpc, MK_VPC, "vpc");
        for (uint32_t i = 0; i < g->nrules; i++) {
            mv_sg_rule *r = &g->rules[i];
            if (r->peer == MP_PL)
                resolve(&c, &r->ref, MK_PL, "rule prefix list");
            else if (r->peer == MP_SG)
                resolve(&c, &r->ref, MK_SG, "rule security group");
        }
    }
    FOR_EACH(m, MK_NACL, mv_nacl, n) {
        rctx c = ctx(m, MK_NACL, &n->r);
        resolve(&c, &n->vpc, MK_VPC, "vpc");
        resolve_all(&c, n->subnets, n->nsubnets, MK_SUBNET, "associated subnet");
    }
    for (mv_kind k = MK_IGW; k <= MK_EIGW; k++) {
        FOR_EACH(m, k, mv_igw, g) {
            rctx c = ctx(m, k, &g->r);
            for (uint32_t a = 0; a < g->nattach; a++)
                resolve(&c, &g->attach[a].vpc, MK_VPC, "attached vpc");
        }
    }
    FOR_EACH(m, MK_NATGW, mv_natgw, g) {
        rctx c = ctx(m, MK_NATGW, &g->r);
        resolve(&c, &g->subnet, MK_SUBNET, "subnet");
        resolve(&c, &g->vpc, MK_VPC, "vpc");
        for (uint32_t a = 0; a < g->naddrs; a++)
            resolve(&c, &g->addrs[a].eni, MK_ENI, "network interface");
    }
    FOR_EACH(m, MK_VPCE, mv_vpce, e) {
        rctx c = ctx(m, MK_VPCE, &e->r);
        resolve(&c, &e->vpc, MK_VPC, "vpc");
        resolve_all(&c, e->rtbs, e->nrtbs, MK_RTB, "route table");
        resolve_all(&c, e->subnets, e->nsubnets, MK_SUBNET, "subnet");
        resolve_all(&c, e->sgs, e->nsgs, MK_SG, "security group");
        resolve_all(&c, e->enis, e->nenis, MK_ENI, "network interface");
    }
    FOR_EACH(m, MK_ENI, mv_eni, e) {
        rctx c = ctx(m, MK_ENI, &e->r);
        resolve(&c, &e->subnet, MK_SUBNET, "subnet");
        resolve(&c, &e->vpc, MK_VPC, "vpc");
        resolve_all(&c, e->sgs, e->nsgs, MK_SG, "security group");
        resolve(&c, &e->instance, MK_INSTANCE, "attached instance");
    }
    FOR_EACH(m, MK_INSTANCE, mv_instance, i) {
        rctx c = ctx(m, MK_INSTANCE, &i->r);
        resolve(&c, &i->subnet, MK_SUBNET, "subnet");
        resolve(&c, &i->vpc, MK_VPC, "vpc");
        resolve_all(&c, i->enis, i->nenis, MK_ENI, "network interface");
        resolve_all(&c, i->sgs, i->nsgs, MK_SG, "security group");
    }
    FOR_EACH(m, MK_PCX, mv_pcx, p) {
        rctx c = ctx(m, MK_PCX, &p->r);
        /* The far side of a peering is often in another account: not a defect. */
        p->requester.vpc.idx = model_find(m, MK_VPC, p->requester.vpc.sym);
        p->accepter.vpc.idx = model_find(m, MK_VPC, p->accepter.vpc.sym);
        if (p->requester.vpc.idx == MV_NONE && p->accepter.vpc.idx == MV_NONE)
            resolve(&c, &p->requester.vpc, MK_VPC, "requester vpc");
    }
    FOR_EACH(m, MK_FLOWLOG, mv_flowlog, f) {
        rctx c = ctx(m, MK_FLOWLOG, &f->r);
        if (f->res_kind)
            resolve(&c, &f->resource, f->res_kind, "logged resource");
    }
    FOR_EACH(m, MK_EIP, mv_eip, a) {
        rctx c = ctx(m, MK_EIP, &a->r);
        resolve(&c, &a->eni, MK_ENI, "network interface");
        resolve(&c, &a->instance, MK_INSTANCE, "instance");
    }
}

static void resolve_placement(rctx *c, mv_placement *p)
{
    resolve_all(c, p->subnets, p->nsubnets, MK_SUBNET, "subnet");
    resolve_all(c, p->sgs, p->nsgs, MK_SG, "security group");
}

static void resolve_sagemaker(mlvpc_model *m)
{
    FOR_EACH(m, MK_NOTEBOOK, mv_notebook, n) {
        rctx c = ctx(m, MK_NOTEBOOK, &n->r);
        resolve_placement(&c, &n->place);
        resolve(&c, &n->eni, MK_ENI, "network interface");
    }
    FOR_EACH(m, MK_DOMAIN, mv_domain, d) {
        rctx c = ctx(m, MK_DOMAIN, &d->r);
        resolve_placement(&c, &d->place);
        resolve(&c, &d->vpc, MK_VPC, "vpc");
    }
    FOR_EACH(m, MK_JOB, mv_job, j) {
        rctx c = ctx(m, MK_JOB, &j->r);
        resolve_placement(&c, &j->place);
    }
    FOR_EACH(m, MK_MODEL, mv_model_res, x) {
        rctx c = ctx(m, MK_MODEL, &x->r);
        resolve_placement(&c, &x->place);
    }
    FOR_EACH(m, MK_EPCONFIG, mv_epconfig, e) {
        rctx c = ctx(m, MK_EPCONFIG, &e->r);
        for (uint32_t v = 0; v < e->nvariants; v++)
            resolve(&c, &e->variants[v].model, MK_MODEL, "variant model");
    }
    FOR_EACH(m, MK_ENDPOINT, mv_endpoint, e) {
        rctx c = ctx(m, MK_ENDPOINT, &e->r);
        resolve(&c, &e->config, MK_EPCONFIG, "endpoint config");
    }
}

/* Main route table, default NACL and default SG of each VPC. */
static void derive_vpc_defaults(mlvpc_model *m)
{
    FOR_EACH(m, MK_RTB, mv_rtb, t) {
        if (!t->main || t->vpc.idx == MV_NONE)
            continue;
        mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, t->vpc.idx);
        if (v->main_rtb == MV_NONE)
            v->main_rtb = t_i;
    }
    FOR_EACH(m, MK_NACL, mv_nacl, n) {
        if (n->is_default != MV_TRUE || n->vpc.idx == MV_NONE)
            continue;
        mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, n->vpc.idx);
        if (v->default_nacl == MV_NONE)
            v->default_nacl = n_i;
    }
    FOR_EACH(m, MK_SG, mv_sg, g) {
        if (!g->is_default || g->vpc.idx == MV_NONE)
            continue;
        mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, g->vpc.idx);
        if (v->default_sg == MV_NONE)
            v->default_sg = g_i;
    }
}

/* Effective route table and NACL of each subnet: explicit, else the VPC's. */
static void derive_subnet_assocs(mlvpc_model *m)
{
    FOR_EACH(m, MK_RTB, mv_rtb, t) {
        for (uint32_t a = 0; a < t->nassocs; a++) {
            uint32_t s = t->assocs[a].subnet.idx;
            if (!t->assocs[a].subnet.sym || s == MV_NONE)
                continue;
            mv_subnet *sn = MV_AT(m, MK_SUBNET, mv_subnet, s);
            if (sn->rtb_explicit && sn->rtb != t_i)
                model_warnf(m, MLVPC_SEV_WARNING, t->r.file, t->r.line, t->r.col,
                            "subnet \"%s\" is associated with two route tables; using the first",
                            model_str(m, sn->r.id));
            if (!sn->rtb_explicit) {
                sn->rtb = t_i;
                sn->rtb_explicit = true;
            }
        }
    }
    FOR_EACH(m, MK_NACL, mv_nacl, n) {
        for (uint32_t a = 0; a < n->nsubnets; a++) {
            uint32_t s = n->subnets[a].idx;
            if (s == MV_NONE)
                continue;
            mv_subnet *sn = MV_AT(m, MK_SUBNET, mv_subnet, s);
            if (!sn->nacl_explicit) {
                sn->nacl = n_i;
                sn->nacl_explicit = true;
            }
        }
    }
    FOR_EACH(m, MK_SUBNET, mv_subnet, s) {
        if (s->vpc.idx == MV_NONE)
            continue;
        const mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, s->vpc.idx);
        if (!s->rtb_explicit)
            s->rtb = v->main_rtb;
        if (!s->nacl_explicit)
            s->nacl = v->default_nacl;
    }
}

static bool has_prefix(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }
static bool contains(const char *s, const char *w) { return s && strstr(s, w) != NULL; }

static void set_owner(mlvpc_model *m, mv_ref *eni, mv_owner o, mv_kind k, uint32_t idx)
{
    if (!eni->sym || eni->idx == MV_NONE)
        return;
    mv_eni *e = MV_AT(m, MK_ENI, mv_eni, eni->idx);
    e->owner = o;
    e->owner_kind = k;
    e->owner_idx = idx;
}

/*
 * What each ENI belongs to. Links from the owner's side (NAT gateway
 * addresses, endpoint ENIs, notebook ENI, instance attachment) are exact;
 * without one, the interface type and AWS's requester/description
 * conventions classify service-managed ENIs (SageMaker jobs, Lambda, ELB).
 */
static void derive_eni_owners(mlvpc_model *m)
{
    FOR_EACH(m, MK_ENI, mv_eni, e) {
        const char *it = e->interface_type, *desc = e->description, *req = e->requester_id;
        if (e->instance.idx != MV_NONE) {
            e->owner = MW_INSTANCE;
            e->owner_kind = MK_INSTANCE;
            e->owner_idx = e->instance.idx;
        } else if (has_prefix(it, "nat_gateway")) {
            e->owner = MW_NATGW;
        } else if (has_prefix(it, "vpc_endpoint") || has_prefix(it, "gateway_load_balancer_endpoint")) {
            e->owner = MW_VPCE;
        } else if (has_prefix(it, "lambda")) {
            e->owner = MW_LAMBDA;
        } else if (has_prefix(it, "network_load_balancer") || has_prefix(desc, "ELB ")) {
            e->owner = MW_ELB;
        } else if (has_prefix(it, "efs") || has_prefix(desc, "EFS mount target")) {
            e->owner = MW_EFS;
        } else if (contains(desc, "SageMaker") || contains(req, "sagemaker") || contains(req, "SageMaker")) {
            e->owner = MW_SAGEMAKER;
        } else if (e->instance.sym) {
            e->owner = MW_INSTANCE;
        } else if (it || desc) {
            e->owner = MW_OTHER;
        }
    }
    FOR_EACH(m, MK_NATGW, mv_natgw, g) {
        for (uint32_t a = 0; a < g->naddrs; a++)
            set_owner(m, &g->addrs[a].eni, MW_NATGW, MK_NATGW, g_i);
    }
    FOR_EACH(m, MK_VPCE, mv_vpce, v) {
        for (uint32_t a = 0; a < v->nenis; a++)
            set_owner(m, &v->enis[a], MW_VPCE, MK_VPCE, v_i);
    }
    FOR_EACH(m, MK_NOTEBOOK, mv_notebook, n) {
        set_owner(m, &n->eni, MW_SAGEMAKER, MK_NOTEBOOK, n_i);
    }
}

mlvpc_status model_finish(mlvpc_model *m)
{
    apply_vpc_attrs(m);
    apply_sm_tags(m);
    resolve_network(m);
    resolve_sagemaker(m);
    derive_vpc_defaults(m);
    derive_subnet_assocs(m);
    derive_eni_owners(m);
    m->finished = true;
    return MLVPC_OK;
}

const char *model_service_short(const char *name)
{
    /* com.amazonaws.REGION.SERVICE, aws.sagemaker.REGION.SERVICE (notebook, studio) */
    static const char *const prefixes[] = { "com.amazonaws.", "cn.com.amazonaws.", "aws.sagemaker.",
                                            "aws.api." };
    /* com.amazonaws.vpce.REGION.vpce-svc-... is a PrivateLink service, not AWS's. */
    if (!name || strncmp(name, "com.amazonaws.vpce.", 19) == 0)
        return NULL;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], n) != 0)
            continue;
        const char *dot = strchr(name + n, '.'); /* skip the region */
        if (!dot || !dot[1])
            return NULL;
        return dot + 1;
    }
    return NULL;
}

/*
 * The route of rtb that a packet to an arbitrary internet address of family
 * af would take, among CIDR routes: the default route (/0). Prefix-list routes
 * never cover "any address", so only CIDR routes count here.
 */
const mv_route *model_default_route(const mv_rtb *rtb, uint8_t af)
{
    const mv_route *best = NULL;
    for (uint32_t i = 0; i < rtb->nroutes; i++) {
        const mv_route *r = &rtb->routes[i];
        if (r->dst.a.af != af || r->dst.len != 0)
            continue;
        /* Equal prefixes: static beats propagated (route priority). */
        if (!best || (best->origin == MO_PROPAGATED && r->origin != MO_PROPAGATED))
            best = r;
    }
    return best;
}

mv_class model_subnet_class(const mlvpc_model *m, const mv_subnet *s, const mv_route **why)
{
    *why = NULL;
    if (s->rtb == MV_NONE)
        return MC_UNKNOWN;
    const mv_rtb *t = MV_AT(m, MK_RTB, mv_rtb, s->rtb);
    const mv_route *igw = NULL;
    for (uint32_t i = 0; i < t->nroutes; i++) {
        const mv_route *r = &t->routes[i];
        if (r->target != MT_IGW || r->state == MS_BLACKHOLE)
            continue;
        /* Report the default route when there is one, else the first. */
        if (!igw || (r->dst.a.af && r->dst.len == 0 && !(igw->dst.a.af && igw->dst.len == 0)))
            igw = r;
    }
    if (igw) {
        *why = igw;
        return MC_PUBLIC;
    }
    for (uint32_t i = 0; i < t->nroutes; i++)
        if (t->routes[i].target == MT_UNKNOWN) {
            *why = &t->routes[i];
            return MC_UNKNOWN; /* it may go to an internet gateway */
        }
    *why = model_default_route(t, IP_V4);
    if (!*why)
        *why = model_default_route(t, IP_V6);
    return MC_PRIVATE;
}

const char *mv_class_name(mv_class c)
{
    return c == MC_PUBLIC ? "public" : c == MC_PRIVATE ? "private" : "unknown";
}
