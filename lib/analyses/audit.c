/*
 * The audit's engine: derive the SageMaker facts once, run the selected
 * rules, apply waivers and the profile, order the findings for the report.
 */
#include "audit.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fn_names[FN_COUNT] = { "notebook", "studio", "training", "processing",
                                                "inference", "vpc-endpoint", "data" };
const char *au_fn_name(unsigned bit_index) { return bit_index < FN_COUNT ? fn_names[bit_index] : "?"; }

const char *const au_query_to[AQ_COUNT] = { "service:s3", "service:sagemaker.api", "service:sagemaker.runtime",
                                            "service:sts", "service:logs", "internet" };

static const char *const level_names[] = { "critical", "high", "medium", "low", "info" };

const char *mlvpc_level_name(mlvpc_level l) { return (unsigned)l <= MLVPC_INFO ? level_names[l] : NULL; }

int mlvpc_level_parse(const char *s)
{
    for (int i = 0; s && i <= MLVPC_INFO; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

const au_rule *au_rule_find(const char *id)
{
    for (size_t i = 0; i < au_nrules; i++)
        if (strcmp(au_rules[i]->id, id) == 0)
            return au_rules[i];
    return NULL;
}

/* ------------------------------------------------------------------ strings */

__attribute__((format(printf, 2, 0))) static const char *vfmt(arena *ar, const char *fmt, va_list ap)
{
    char buf[1024];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0)
        return "";
    char *s = arena_strndup(ar, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    return s ? s : "";
}

const char *au_fmt(au_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = vfmt(c->ar, fmt, ap);
    va_end(ap);
    return s;
}

static const char *dup(au_ctx *c, const char *s)
{
    if (!s)
        return NULL;
    char *d = arena_strdup(c->ar, s);
    if (!d)
        c->oom = true;
    return d ? d : "";
}

const char *au_tag(const mv_res *r, const char *key)
{
    for (uint32_t i = 0; i < r->ntags; i++)
        if (strcmp(r->tags[i].key, key) == 0)
            return r->tags[i].value;
    return NULL;
}

const char *au_env(au_ctx *c, const mv_res *r)
{
    static const char *const keys[] = { "Environment", "environment", "env", "Env", "ENV" };
    static const struct { const char *alias, *norm; } norms[] = {
        { "prod", "prod" }, { "production", "prod" }, { "prd", "prod" },
        { "staging", "staging" }, { "stage", "staging" }, { "stg", "staging" },
        { "dev", "dev" }, { "development", "dev" },
    };
    const char *v = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof *keys && !v; i++)
        v = au_tag(r, keys[i]);
    if (!v || !*v)
        return NULL;
    char low[64];
    size_t n = 0;
    for (; v[n] && n + 1 < sizeof low; n++)
        low[n] = (char)(v[n] >= 'A' && v[n] <= 'Z' ? v[n] + 32 : v[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof norms / sizeof *norms; i++)
        if (strcmp(low, norms[i].alias) == 0)
            return norms[i].norm;
    return dup(c, low);
}

static const char *match_text(char *buf, size_t size, const mv_match *m)
{
    const char *p = mv_proto_name(m->proto);
    char pn[16];
    if (!p) {
        snprintf(pn, sizeof pn, "proto %d", m->proto);
        p = pn;
    }
    if (m->proto == MV_PROTO_ALL)
        snprintf(buf, size, "all traffic");
    else if (m->proto == MV_TCP || m->proto == MV_UDP) {
        if (m->port_lo == 0 && m->port_hi == 65535)
            snprintf(buf, size, "%s all ports", p);
        else if (m->port_lo == m->port_hi)
            snprintf(buf, size, "%s %u", p, m->port_lo);
        else
            snprintf(buf, size, "%s %u-%u", p, m->port_lo, m->port_hi);
    } else
        snprintf(buf, size, "%s", p);
    return buf;
}

const char *au_sg_rule_text(au_ctx *c, const mv_sg_rule *r)
{
    char mt[48], peer[IP_STR_MAX + 8];
    match_text(mt, sizeof mt, &r->m);
    if (r->peer == MP_CIDR)
        ip_prefix_str(&r->cidr, peer);
    else
        snprintf(peer, sizeof peer, "%s", model_str(c->m, r->ref.sym));
    return au_fmt(c, "%s %s %s", mt, r->egress ? "to" : "from", peer);
}

const char *au_nacl_entry_text(au_ctx *c, const mv_nacl_entry *e)
{
    char mt[48], cidr[IP_STR_MAX];
    match_text(mt, sizeof mt, &e->m);
    ip_prefix_str(&e->cidr, cidr);
    char num[8];
    if (e->rule >= MV_NACL_STAR_RULE)
        snprintf(num, sizeof num, "*");
    else
        snprintf(num, sizeof num, "%u", e->rule);
    return au_fmt(c, "%s rule %s: %s %s %s %s", e->egress ? "outbound" : "inbound", num, e->allow ? "allow" : "deny",
                  mt, e->egress ? "to" : "from", cidr);
}

const char *au_route_text(au_ctx *c, const mv_route *r)
{
    char d[IP_STR_MAX];
    if (r->dst.a.af)
        ip_prefix_str(&r->dst, d);
    else
        snprintf(d, sizeof d, "%s", model_str(c->m, r->dst_pl.sym));
    return au_fmt(c, "%s -> %s%s", d, model_str(c->m, r->tgt.sym), r->state == MS_BLACKHOLE ? " (blackhole)" : "");
}

const char *au_users(au_ctx *c, const vec *uses, unsigned fn)
{
    char buf[512];
    size_t len = 0;
    uint32_t shown = 0, more = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < uses->n; i++) {
        const au_use *u = VEC_AT(*uses, au_use, i);
        if (!(u->fn & fn))
            continue;
        if (shown == 4 || len > sizeof buf - 120) {
            more++;
            continue;
        }
        int n = snprintf(buf + len, sizeof buf - len, "%s%s", shown ? ", " : "", au_id(c, u->kind, u->idx));
        if (n > 0)
            len += (size_t)n;
        shown++;
    }
    if (more)
        snprintf(buf + len, sizeof buf - len, " (+%u more)", more);
    return dup(c, buf);
}

/* ------------------------------------------------------------------ findings */

au_finding *au_find(au_ctx *c, mlvpc_level level, au_status st, mv_kind kind, uint32_t idx, const char *fmt, ...)
{
    au_finding *f = arena_calloc(c->ar, 1, sizeof *f);
    uint32_t at;
    if (!f || vec_push(&c->findings, sizeof f, &at) != 0) {
        c->oom = true;
        return NULL;
    }
    *VEC_AT(c->findings, au_finding *, at) = f;
    f->rule = c->rule;
    f->level = level;
    f->status = st;
    f->kind = kind;
    f->idx = idx;
    va_list ap;
    va_start(ap, fmt);
    f->message = vfmt(c->ar, fmt, ap);
    va_end(ap);
    return f;
}

au_finding *au_flag(au_ctx *c, mv_kind k, uint32_t i, mv_tri v, mv_tri bad, const char *field, const char *evidence,
                    const char *msg)
{
    if (v == bad) {
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, k, i, "%s", msg);
        au_ev_add(c, f, field, "%s", evidence);
        return f;
    }
    if (v == MV_UNKNOWN)
        return au_find(c, c->rule->level, AU_INDETERMINATE, k, i, "\"%s\" is not known from the input", field);
    return NULL;
}

void au_ev_add(au_ctx *c, au_finding *f, const char *key, const char *fmt, ...)
{
    if (!f)
        return;
    if (f->nev == f->cap_ev) {
        uint32_t cap = f->cap_ev ? f->cap_ev * 2 : 4;
        au_ev *v = arena_alloc(c->ar, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return;
        }
        if (f->nev)
            memcpy(v, f->ev, f->nev * sizeof *v);
        f->ev = v;
        f->cap_ev = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    f->ev[f->nev].key = key;
    f->ev[f->nev].value = vfmt(c->ar, fmt, ap);
    va_end(ap);
    f->nev++;
}

/* ------------------------------------------------------------------ reachability */

static bool is_sg_code(const char *code) { return strcmp(code, "ENI_SG_RULES_MISMATCH") == 0 || strcmp(code, "SG_HAS_NO_RULES") == 0; }

/* The trace that decided the verdict: the first blocked one, else the first unknown one, else the first. */
static const reach_trace *deciding(const reach_result *r)
{
    for (uint32_t i = 0; i < r->ntraces; i++)
        if (r->traces[i].verdict == r->verdict)
            return &r->traces[i];
    return r->ntraces ? &r->traces[0] : NULL;
}

static const au_path *copy_path(au_ctx *c, const reach_result *r, const char *query, int rc)
{
    au_path *p = arena_calloc(c->ar, 1, sizeof *p);
    if (!p) {
        c->oom = true;
        return NULL;
    }
    p->query = query;
    if (rc != 0) { /* the query names something the input lacks */
        p->verdict = RV_INDETERMINATE;
        p->missing = dup(c, r->error[0] ? r->error : "the query cannot be answered from the input");
        return p;
    }
    p->verdict = r->verdict;
    const reach_trace *t = deciding(r);
    if (!t)
        return p;
    p->source = dup(c, t->source);
    p->missing = t->missing[0] ? dup(c, t->missing) : NULL;
    p->hops = t->nhops ? arena_calloc(c->ar, t->nhops, sizeof *p->hops) : NULL;
    p->blocks = t->nblocks ? arena_calloc(c->ar, t->nblocks, sizeof *p->blocks) : NULL;
    if ((t->nhops && !p->hops) || (t->nblocks && !p->blocks)) {
        c->oom = true;
        return NULL;
    }
    for (uint32_t i = 0; i < t->nhops; i++) {
        const reach_hop *h = &t->hops[i];
        p->hops[i] = (au_hop){ h->ret, h->reached, dup(c, h->component), h->kind, h->action, dup(c, h->detail) };
    }
    p->nhops = t->nhops;
    if (t->nblocks)
        memcpy(p->blocks, t->blocks, t->nblocks * sizeof *p->blocks);
    p->nblocks = t->nblocks;
    for (uint32_t i = 0; i < t->nblocks; i++) {
        if (is_sg_code(t->blocks[i].code))
            p->sg_block = true;
        else if (strcmp(t->blocks[i].code, "SUBNET_ACL_RESTRICTION") == 0)
            p->nacl_block = true;
    }
    return p;
}

static reach_engine *engine(au_ctx *c)
{
    if (!c->engine && !(c->engine = reach_engine_new(c->m)))
        c->oom = true;
    return c->engine;
}

const au_path *au_reach_any(au_ctx *c, const char *from, const char *to, int proto, uint16_t port, bool platform)
{
    reach_engine *e = engine(c);
    if (!e)
        return NULL;
    reach_query q = { .from = from, .to = to, .proto = proto, .port_lo = port, .port_hi = port, .platform = platform };
    reach_result r;
    int rc = reach_run(e, &q, &r);
    const au_path *p = NULL;
    if (rc == -2)
        c->oom = true;
    else
        p = copy_path(c, &r, au_fmt(c, "%s -> %s %s/%u%s", from, to, mv_proto_name(proto), port,
                                    platform ? " (SageMaker's own traffic)" : ""), rc);
    reach_result_release(&r);
    return p;
}

const au_path *au_reach(au_ctx *c, const au_wl *w, int q)
{
    au_cls *k = VEC_AT(c->classes, au_cls, w->cls);
    if (!k->done[q]) {
        const au_wl *rep = VEC_AT(c->wls, au_wl, k->rep);
        /* SageMaker reads S3 for the workload (training data, model
         * artifacts) whether or not the container is isolated. */
        k->ans[q] = au_reach_any(c, rep->ref, au_query_to[q], MV_TCP, 443, q == AQ_S3);
        k->done[q] = !c->oom;
    }
    return k->ans[q];
}

const au_path *au_reach_own(au_ctx *c, const au_wl *w, int q)
{
    const au_cls *k = VEC_AT(c->classes, au_cls, w->cls);
    if (VEC_AT(c->wls, au_wl, k->rep) == w)
        return au_reach(c, w, q);
    return au_reach_any(c, w->ref, au_query_to[q], MV_TCP, 443, q == AQ_S3);
}

/* ------------------------------------------------------------------ derived facts */

static int add_use(au_ctx *c, vec *uses, unsigned fn, mv_kind kind, uint32_t idx)
{
    uint32_t at;
    if (vec_push(uses, sizeof(au_use), &at) != 0)
        return -1;
    *VEC_AT(*uses, au_use, at) = (au_use){ fn, kind, idx };
    (void)c;
    return 0;
}

static int mark_sgs(au_ctx *c, const mv_ref *sgs, uint32_t n, unsigned fn, mv_kind kind, uint32_t idx)
{
    for (uint32_t i = 0; i < n; i++) {
        if (sgs[i].idx == MV_NONE)
            continue;
        c->sg_fn[sgs[i].idx] |= fn;
        if (add_use(c, &c->sg_uses[sgs[i].idx], fn, kind, idx) != 0)
            return -1;
    }
    return 0;
}

static int mark_subnets(au_ctx *c, const mv_ref *subs, uint32_t n, unsigned fn, mv_kind kind, uint32_t idx)
{
    for (uint32_t i = 0; i < n; i++) {
        if (subs[i].idx == MV_NONE)
            continue;
        c->subnet_fn[subs[i].idx] |= fn;
        if (add_use(c, &c->subnet_uses[subs[i].idx], fn, kind, idx) != 0)
            return -1;
        if (fn & FN_SAGEMAKER) {
            uint32_t v = MV_AT(c->m, MK_SUBNET, mv_subnet, subs[i].idx)->vpc.idx;
            if (v != MV_NONE)
                c->vpc_sm[v] = true;
        }
    }
    return 0;
}

static const char *ref_of(au_ctx *c, mv_kind k, uint32_t i) { return au_id(c, k, i); }

static int add_wl(au_ctx *c, mv_kind kind, uint32_t idx, unsigned fn, const mv_placement *pl, bool vpc_only)
{
    uint32_t at;
    if (vec_push(&c->wls, sizeof(au_wl), &at) != 0)
        return -1;
    au_wl *w = VEC_AT(c->wls, au_wl, at);
    *w = (au_wl){ .kind = kind, .idx = idx, .ref = ref_of(c, kind, idx), .fn = fn, .place = pl,
                  .vpc = MV_NONE, .vpc_only = vpc_only };
    for (uint32_t i = 0; i < pl->nsubnets && w->vpc == MV_NONE; i++)
        if (pl->subnets[i].idx != MV_NONE)
            w->vpc = MV_AT(c->m, MK_SUBNET, mv_subnet, pl->subnets[i].idx)->vpc.idx;
    if (mark_sgs(c, pl->sgs, pl->nsgs, fn, kind, idx) != 0 || mark_subnets(c, pl->subnets, pl->nsubnets, fn, kind, idx) != 0)
        return -1;
    return 0;
}

/* Monitoring jobs are processing jobs; AutoML and tuning run training jobs. */
static unsigned job_fn(mv_job_kind k)
{
    return k == MJ_PROCESSING || k == MJ_MONITORING || k == MJ_MONITORING_DEF ? FN_PROCESSING : FN_TRAINING;
}

static int derive_workloads(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t i = 0; i < MV_N(m, MK_NOTEBOOK); i++) {
        const mv_notebook *n = MV_AT(m, MK_NOTEBOOK, mv_notebook, i);
        if (add_wl(c, MK_NOTEBOOK, i, FN_NOTEBOOK, &n->place, n->direct_internet == MV_FALSE) != 0)
            return -1;
    }
    for (uint32_t i = 0; i < MV_N(m, MK_DOMAIN); i++) {
        const mv_domain *d = MV_AT(m, MK_DOMAIN, mv_domain, i);
        if (add_wl(c, MK_DOMAIN, i, FN_STUDIO, &d->place, d->net == MA_VPC_ONLY) != 0)
            return -1;
        au_wl *w = VEC_AT(c->wls, au_wl, c->wls.n - 1);
        if (d->vpc.idx != MV_NONE)
            w->vpc = d->vpc.idx;
    }
    for (uint32_t i = 0; i < MV_N(m, MK_JOB); i++) {
        const mv_job *j = MV_AT(m, MK_JOB, mv_job, i);
        if (model_job_definition(m, j) != MV_NONE)
            continue; /* a schedule runs its job definition's jobs: that is the workload */
        if (add_wl(c, MK_JOB, i, job_fn(j->kind), &j->place, false) != 0)
            return -1;
    }
    for (uint32_t i = 0; i < MV_N(m, MK_MODEL); i++) {
        const mv_model_res *x = MV_AT(m, MK_MODEL, mv_model_res, i);
        if (add_wl(c, MK_MODEL, i, FN_INFERENCE, &x->place, false) != 0)
            return -1;
    }
    return 0;
}

static int derive_others(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t i = 0; i < MV_N(m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(m, MK_VPCE, mv_vpce, i);
        if (mark_sgs(c, e->sgs, e->nsgs, FN_VPCE, MK_VPCE, i) != 0 ||
            mark_subnets(c, e->subnets, e->nsubnets, FN_VPCE, MK_VPCE, i) != 0)
            return -1;
    }
    /* Anything else attached to an SG: instances, Lambda, load balancers,
     * EFS mount targets... SageMaker's and endpoints' own ENIs are already
     * counted through their resources. */
    for (uint32_t i = 0; i < MV_N(m, MK_ENI); i++) {
        const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, i);
        if (e->owner == MW_SAGEMAKER || e->owner == MW_VPCE)
            continue;
        bool inst = e->owner == MW_INSTANCE && e->owner_kind == MK_INSTANCE && e->owner_idx != MV_NONE;
        if (mark_sgs(c, e->sgs, e->nsgs, FN_DATA, inst ? MK_INSTANCE : MK_ENI, inst ? e->owner_idx : i) != 0)
            return -1;
    }
    for (uint32_t i = 0; i < MV_N(m, MK_INSTANCE); i++) {
        const mv_instance *x = MV_AT(m, MK_INSTANCE, mv_instance, i);
        if (x->nenis == 0 && mark_sgs(c, x->sgs, x->nsgs, FN_DATA, MK_INSTANCE, i) != 0)
            return -1;
    }
    return 0;
}

/* Workloads whose reachability answers are the same share a class: same
 * kind of source (and its SageMaker network mode), subnets and SGs. */
static size_t signature(const au_ctx *c, const au_wl *w, char *buf, size_t size)
{
    const mlvpc_model *m = c->m;
    int mode = 0;
    if (w->kind == MK_NOTEBOOK)
        mode = MV_AT(m, MK_NOTEBOOK, mv_notebook, w->idx)->direct_internet + 1;
    else if (w->kind == MK_DOMAIN)
        mode = (int)MV_AT(m, MK_DOMAIN, mv_domain, w->idx)->net;
    else if (w->kind == MK_JOB) {
        const mv_job *j = MV_AT(m, MK_JOB, mv_job, w->idx);
        mode = (j->isolation + 1) * 4 + j->place.present + 1;
    } else if (w->kind == MK_MODEL) {
        const mv_model_res *x = MV_AT(m, MK_MODEL, mv_model_res, w->idx);
        mode = (x->isolation + 1) * 4 + x->place.present + 1;
    }
    size_t len = (size_t)snprintf(buf, size, "%d/%d/%u/%u", (int)w->kind, mode, w->place->nsubnets, w->place->nsgs);
    for (uint32_t i = 0; i < w->place->nsubnets && len + 12 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, ",%u", w->place->subnets[i].sym);
    for (uint32_t i = 0; i < w->place->nsgs && len + 12 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, ";%u", w->place->sgs[i].sym);
    return len + 12 < size ? len : 0; /* 0: too long to share a class */
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int derive_classes(au_ctx *c)
{
    uint32_t n = c->wls.n, cap = 16;
    while (cap < n * 2)
        cap *= 2;
    struct slot { uint64_t h; uint32_t cls; const char *sig; } *tab = calloc(cap, sizeof *tab);
    if (!tab)
        return -1;
    int rc = 0;
    char buf[2048];
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        au_wl *w = VEC_AT(c->wls, au_wl, i);
        size_t len = signature(c, w, buf, sizeof buf);
        uint64_t h = fnv(buf, len);
        uint32_t s = (uint32_t)h & (cap - 1);
        while (len && tab[s].sig && !(tab[s].h == h && strcmp(tab[s].sig, buf) == 0))
            s = (s + 1) & (cap - 1);
        if (len && tab[s].sig) {
            w->cls = tab[s].cls;
            VEC_AT(c->classes, au_cls, w->cls)->members++;
            continue;
        }
        uint32_t at;
        if (vec_push(&c->classes, sizeof(au_cls), &at) != 0) {
            rc = -1;
            break;
        }
        *VEC_AT(c->classes, au_cls, at) = (au_cls){ .rep = i, .members = 1 };
        w->cls = at;
        if (len) {
            tab[s] = (struct slot){ h, at, arena_strndup(c->ar, buf, len) };
            if (!tab[s].sig)
                rc = -1;
        }
    }
    free(tab);
    return rc;
}

static int split_list(au_ctx *c, const char *s, const char ***out, uint32_t *n)
{
    *n = 0;
    size_t cnt = 1;
    for (const char *p = s; *p; p++)
        cnt += *p == ',';
    const char **v = arena_calloc(c->ar, cnt, sizeof *v);
    if (!v)
        return -1;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && (*p == ' '))
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len && !(v[(*n)++] = arena_strndup(c->ar, p, len)))
            return -1;
        p += len;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
    }
    *out = v;
    return 0;
}

int au_prepare(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    uint32_t nsg = MV_N(m, MK_SG), nsub = MV_N(m, MK_SUBNET), nvpc = MV_N(m, MK_VPC);
    c->sg_fn = calloc(nsg + 1, sizeof *c->sg_fn);
    c->subnet_fn = calloc(nsub + 1, sizeof *c->subnet_fn);
    c->sg_uses = calloc(nsg + 1, sizeof *c->sg_uses);
    c->subnet_uses = calloc(nsub + 1, sizeof *c->subnet_uses);
    c->vpc_sm = calloc(nvpc + 1, sizeof *c->vpc_sm);
    if (!c->sg_fn || !c->subnet_fn || !c->sg_uses || !c->subnet_uses || !c->vpc_sm)
        return -1;
    if (derive_workloads(c) != 0 || derive_others(c) != 0 || derive_classes(c) != 0)
        return -1;
    return split_list(c, c->o->require_tags ? c->o->require_tags : "Environment,Owner", &c->req_tags, &c->nreq_tags);
}

void au_release(au_ctx *c)
{
    for (uint32_t i = 0; c->sg_uses && i < MV_N(c->m, MK_SG); i++)
        vec_release(&c->sg_uses[i]);
    for (uint32_t i = 0; c->subnet_uses && i < MV_N(c->m, MK_SUBNET); i++)
        vec_release(&c->subnet_uses[i]);
    free(c->sg_fn);
    free(c->subnet_fn);
    free(c->sg_uses);
    free(c->subnet_uses);
    free(c->vpc_sm);
    vec_release(&c->wls);
    vec_release(&c->classes);
    vec_release(&c->findings);
    reach_engine_free(c->engine);
}

/* ------------------------------------------------------------------ public API */

static mlvpc_audit *fail_new(mlvpc_audit *a, mlvpc_diag *err, mlvpc_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static mlvpc_audit *fail_new(mlvpc_audit *a, mlvpc_diag *err, mlvpc_status st, const char *fmt, ...)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = st;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->text, sizeof err->text, fmt, ap);
        va_end(ap);
    }
    mlvpc_audit_free(a);
    return NULL;
}

/* Mark the rules of a comma list; the first unknown id is returned. */
static const char *select_rules(mlvpc_audit *a, const char *list, bool on)
{
    const char **ids;
    uint32_t n;
    if (split_list(&a->c, list, &ids, &n) != 0)
        return "";
    for (uint32_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < au_nrules && strcmp(au_rules[k]->id, ids[i]) != 0)
            k++;
        if (k == au_nrules)
            return ids[i];
        a->selected[k] = on;
    }
    return NULL;
}

mlvpc_audit *mlvpc_audit_new(const mlvpc_model *m, const mlvpc_audit_opts *o, mlvpc_diag *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!m || !m->finished)
        return fail_new(NULL, err, MLVPC_ERR_USAGE, "audit needs a finished model");
    mlvpc_audit *a = calloc(1, sizeof *a);
    if (!a)
        return fail_new(NULL, err, MLVPC_ERR_NOMEM, "out of memory");
    arena_init(&a->ar);
    a->m = m;
    if (o)
        a->o = *o;
    a->c.m = m;
    a->c.o = &a->o;
    a->c.ar = &a->ar;
    a->selected = calloc(au_nrules, sizeof *a->selected);
    if (!a->selected)
        return fail_new(a, err, MLVPC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < au_nrules; i++)
        a->selected[i] = !a->o.rules;
    const char *bad = NULL;
    if (a->o.rules && (bad = select_rules(a, a->o.rules, true)))
        return fail_new(a, err, MLVPC_ERR_USAGE, "unknown rule \"%s\" in --rules (see 'mlvpc rules')", bad);
    if (a->o.skip_rules && (bad = select_rules(a, a->o.skip_rules, false)))
        return fail_new(a, err, MLVPC_ERR_USAGE, "unknown rule \"%s\" in --skip-rules (see 'mlvpc rules')", bad);
    size_t nsel = 0;
    for (size_t i = 0; i < au_nrules; i++)
        nsel += a->selected[i];
    if (!nsel) /* an audit that checks nothing must not look clean */
        return fail_new(a, err, MLVPC_ERR_USAGE, "no rule selected (--rules / --skip-rules)");
    if (a->o.today && strlen(a->o.today) != 10)
        return fail_new(a, err, MLVPC_ERR_USAGE, "today's date must be YYYY-MM-DD");
    if (a->o.waivers) {
        mlvpc_status st = waivers_load(a->o.waivers, &a->ar, &a->waivers, &a->nwaivers, err);
        if (st != MLVPC_OK) {
            mlvpc_audit_free(a);
            return NULL;
        }
        for (uint32_t i = 0; i < a->nwaivers; i++) {
            waiver *w = &a->waivers[i];
            if (strcmp(w->rule, "*") != 0 && !au_rule_find(w->rule)) {
                mlvpc_diag d = { .status = MLVPC_ERR_SCHEMA, .line = w->line, .column = w->col };
                snprintf(d.file, sizeof d.file, "%s", a->o.waivers);
                snprintf(d.text, sizeof d.text, "unknown rule \"%s\" in a waiver (see 'mlvpc rules')", w->rule);
                if (err)
                    *err = d;
                mlvpc_audit_free(a);
                return NULL;
            }
            /* expires is the last day the waiver holds. */
            w->expired = w->expires && a->o.today && strcmp(w->expires, a->o.today) < 0;
        }
    }
    return a;
}

void mlvpc_audit_free(mlvpc_audit *a)
{
    if (!a)
        return;
    au_release(&a->c);
    free(a->selected);
    free(a->order);
    arena_release(&a->ar);
    free(a);
}

static void apply_waivers(mlvpc_audit *a)
{
    for (uint32_t i = 0; i < a->c.findings.n; i++) {
        au_finding *f = *VEC_AT(a->c.findings, au_finding *, i);
        const char *id = au_id(&a->c, f->kind, f->idx);
        for (uint32_t k = 0; k < a->nwaivers; k++) {
            waiver *w = &a->waivers[k];
            if (w->expired || (strcmp(w->rule, "*") != 0 && strcmp(w->rule, f->rule->id) != 0) ||
                fnmatch(w->resource, id, 0) != 0)
                continue;
            f->waived = w->reason;
            w->used++;
            break;
        }
    }
}

/* Profile dev starts with basic isolation: below high is advice. */
static void apply_profile(mlvpc_audit *a)
{
    if (a->o.profile != MLVPC_PROFILE_DEV)
        return;
    for (uint32_t i = 0; i < a->c.findings.n; i++) {
        au_finding *f = *VEC_AT(a->c.findings, au_finding *, i);
        if (f->level > MLVPC_HIGH)
            f->level = MLVPC_INFO;
    }
}

static const mlvpc_audit *sort_audit;

static int rule_pos(const au_rule *r)
{
    for (size_t i = 0; i < au_nrules; i++)
        if (au_rules[i] == r)
            return (int)i;
    return 0;
}

/* Report order: resources by their most severe finding, then kind and id;
 * within a resource by level, then catalogue order. */
static int cmp_findings(const void *x, const void *y)
{
    const au_finding *f = *(au_finding *const *)x, *g = *(au_finding *const *)y;
    const au_ctx *c = &sort_audit->c;
    if (f->kind != g->kind || f->idx != g->idx) {
        int wf = sort_audit->worst[f->kind][f->idx], wg = sort_audit->worst[g->kind][g->idx];
        if (wf != wg)
            return wf - wg;
        if (f->kind != g->kind)
            return (int)f->kind - (int)g->kind;
        return strcmp(au_id(c, f->kind, f->idx), au_id(c, g->kind, g->idx));
    }
    if (f->level != g->level)
        return (int)f->level - (int)g->level;
    if (f->rule != g->rule)
        return rule_pos(f->rule) - rule_pos(g->rule);
    return strcmp(f->message, g->message);
}

static int order_findings(mlvpc_audit *a)
{
    uint32_t n = a->c.findings.n;
    a->order = malloc((n + 1) * sizeof *a->order);
    if (!a->order)
        return -1;
    for (int k = 0; k < MK_COUNT; k++) {
        uint32_t cnt = MV_N(a->m, (mv_kind)k);
        a->worst[k] = arena_alloc(&a->ar, (cnt + 1) * sizeof *a->worst[k]);
        if (!a->worst[k])
            return -1;
        memset(a->worst[k], 0x7f, (cnt + 1) * sizeof *a->worst[k]);
    }
    for (uint32_t i = 0; i < n; i++) {
        au_finding *f = *VEC_AT(a->c.findings, au_finding *, i);
        a->order[i] = f;
        int l = (int)f->level * 2 + (int)f->status;
        if (l < a->worst[f->kind][f->idx])
            a->worst[f->kind][f->idx] = l;
    }
    sort_audit = a;
    qsort(a->order, n, sizeof *a->order, cmp_findings);
    sort_audit = NULL;
    return 0;
}

mlvpc_status mlvpc_audit_run(mlvpc_audit *a, mlvpc_diag *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!a || a->ran) {
        if (err) {
            err->status = MLVPC_ERR_USAGE;
            snprintf(err->text, sizeof err->text, "an audit runs once");
        }
        return MLVPC_ERR_USAGE;
    }
    a->ran = true;
    int rc = au_prepare(&a->c);
    for (size_t i = 0; rc == 0 && i < au_nrules && !a->c.oom; i++) {
        if (!a->selected[i])
            continue;
        a->c.rule = au_rules[i];
        au_rules[i]->check(&a->c);
        a->rules_run++;
    }
    if (rc == 0 && !a->c.oom) {
        apply_profile(a);
        apply_waivers(a);
        rc = order_findings(a);
    }
    if (rc != 0 || a->c.oom) {
        if (err) {
            err->status = MLVPC_ERR_NOMEM;
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        return MLVPC_ERR_NOMEM;
    }
    return MLVPC_OK;
}

size_t mlvpc_audit_finding_count(const mlvpc_audit *a) { return a && a->order ? a->c.findings.n : 0; }

mlvpc_status mlvpc_audit_finding(const mlvpc_audit *a, size_t i, mlvpc_finding *out)
{
    if (!a || !a->order || i >= a->c.findings.n || !out)
        return MLVPC_ERR_USAGE;
    const au_finding *f = a->order[i];
    const mv_res *r = model_res(a->m, f->kind, f->idx);
    *out = (mlvpc_finding){
        .rule = f->rule->id, .level = f->level, .indeterminate = f->status == AU_INDETERMINATE,
        .resource = model_str(a->m, r->id), .type = au_res_type(a->m, f->kind, f->idx), .name = r->name,
        .message = f->message, .file = model_file(a->m, r->file), .line = r->line, .column = r->col,
        .waived = f->waived,
    };
    return MLVPC_OK;
}

size_t mlvpc_audit_failing(const mlvpc_audit *a, mlvpc_level at_least, int with_indeterminate)
{
    size_t n = 0;
    for (uint32_t i = 0; a && a->order && i < a->c.findings.n; i++) {
        const au_finding *f = a->order[i];
        n += !f->waived && f->level <= at_least && (f->status == AU_FAIL || with_indeterminate);
    }
    return n;
}

size_t mlvpc_audit_expired_waivers(const mlvpc_audit *a)
{
    size_t n = 0;
    for (uint32_t i = 0; a && i < a->nwaivers; i++)
        n += a->waivers[i].expired;
    return n;
}

const char *au_res_type(const mlvpc_model *m, mv_kind k, uint32_t idx)
{
    if (k == MK_JOB)
        return mv_job_kind_name(MV_AT(m, MK_JOB, mv_job, idx)->kind);
    static const char *const types[MK_COUNT] = {
        [MK_VPC] = "vpc", [MK_SUBNET] = "subnet", [MK_RTB] = "route-table", [MK_SG] = "security-group",
        [MK_NACL] = "network-acl", [MK_IGW] = "internet-gateway", [MK_EIGW] = "egress-only-internet-gateway",
        [MK_NATGW] = "nat-gateway", [MK_VPCE] = "vpc-endpoint", [MK_PL] = "prefix-list",
        [MK_ENI] = "network-interface", [MK_INSTANCE] = "instance", [MK_PCX] = "vpc-peering-connection",
        [MK_FLOWLOG] = "flow-log", [MK_DHCP] = "dhcp-options", [MK_EIP] = "elastic-ip",
        [MK_NOTEBOOK] = "notebook-instance", [MK_DOMAIN] = "studio-domain", [MK_JOB] = "job",
        [MK_MODEL] = "model", [MK_EPCONFIG] = "endpoint-config", [MK_ENDPOINT] = "endpoint",
    };
    return k < MK_COUNT && types[k] ? types[k] : "?";
}
