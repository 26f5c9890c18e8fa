/* The model builder of the interpreted inputs (build.h). */
#include "build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

void mb_fail(mbuild *b, const tnode *at, mlvpc_status st, const char *fmt, ...)
{
    if (b->failed)
        return;
    b->failed = true;
    va_list ap;
    va_start(ap, fmt);
    in_diag_setv(b->err, st, model_file(b->m, b->file), at ? at->line : 0, at ? at->col : 0, fmt, ap);
    va_end(ap);
}

void mb_warn(mbuild *b, const tnode *at, const char *fmt, ...)
{
    char text[MLVPC_DIAG_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    model_warnf(b->m, MLVPC_SEV_WARNING, b->file, at ? at->line : 0, at ? at->col : 0, "%s", text);
}

const char *mb_dup(mbuild *b, const char *s)
{
    char *d = s ? arena_strdup(&b->m->ar, s) : NULL;
    if (s && !d)
        mb_fail(b, NULL, MLVPC_ERR_NOMEM, "out of memory");
    return d;
}

void *mb_append(mbuild *b, const void *a, uint32_t n, const void *add, uint32_t k, size_t size)
{
    if (!k)
        return (void *)a;
    uint8_t *all = arena_calloc(&b->m->ar, (size_t)n + k, size);
    if (!all) {
        mb_fail(b, NULL, MLVPC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (n)
        memcpy(all, a, n * size);
    memcpy(all + n * size, add, k * size);
    return all;
}

uint32_t mb_sym(mbuild *b, const char *s) { return s ? model_sym(b->m, s, strlen(s)) : 0; }

const char *mb_str(const mbuild *b, uint32_t sym) { return sym ? model_str(b->m, sym) : "?"; }

void *mb_add(mbuild *b, mv_kind k, const char *id, const tnode *at)
{
    uint32_t dup, s = mb_sym(b, id);
    uint32_t idx = s ? model_add(b->m, k, s, &dup) : MV_NONE;
    if (idx == MV_NONE) {
        if (s && dup != MV_NONE)
            mb_warn(b, at, "duplicate %s \"%s\" ignored", mv_kind_name(k), id);
        else
            mb_fail(b, at, MLVPC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    uint32_t at_made;
    if (vec_push(&b->made[k], sizeof(uint32_t), &at_made) != 0) {
        mb_fail(b, at, MLVPC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    *VEC_AT(b->made[k], uint32_t, at_made) = idx;
    mv_res *r = model_res(b->m, k, idx);
    r->file = b->file;
    r->line = at ? at->line : 0;
    r->col = at ? at->col : 0;
    r->region = b->region;
    r->account = b->account;
    return r;
}

void mb_push(mbuild *b, int kind, const mb_item *it)
{
    uint32_t at;
    if (vec_push(&b->items[kind], sizeof *it, &at) != 0) {
        mb_fail(b, NULL, MLVPC_ERR_NOMEM, "out of memory");
        return;
    }
    *VEC_AT(b->items[kind], mb_item, at) = *it;
    VEC_AT(b->items[kind], mb_item, at)->seq = at;
}

void mb_incomplete(mbuild *b, const char *id, const tnode *at, const char *what)
{
    mb_item p = { .target = mb_sym(b, id), .at = at };
    mb_warn(b, at, "%s of \"%s\" cannot be known from the %s: answers that depend on it are indeterminate", what, id,
            b->source);
    mb_push(b, MB_INCOMPLETE, &p);
}

static const mv_match match_all = { .proto = MV_PROTO_ALL, .port_hi = 65535, .icmp_type = -1, .icmp_code = -1 };

void mb_allow_all_egress(mbuild *b, const char *id, bool stock)
{
    mb_item p = { .target = mb_sym(b, id), .stock = stock };
    p.u.rule = (mv_sg_rule){ .egress = true, .m = match_all, .peer = MP_CIDR };
    ip_parse_prefix("0.0.0.0/0", &p.u.rule.cidr);
    mb_push(b, MB_SG_RULE, &p);
}

void mb_implied_vpc(mbuild *b, uint32_t vidx, const char *main_rtb, const char *default_nacl, const char *default_sg)
{
    const mv_vpc *v = MV_AT(b->m, MK_VPC, mv_vpc, vidx);
    tnode at = { .line = v->r.line, .col = v->r.col };
    uint32_t vsym = v->r.id;

    mv_rtb *t = mb_add(b, MK_RTB, main_rtb, &at);
    if (t) {
        mv_rtb x = { .r = t->r, .vpc = { vsym, MV_NONE }, .main = true };
        *t = x;
    }
    mv_nacl *n = mb_add(b, MK_NACL, default_nacl, &at);
    if (n) {
        /* allow all both ways, then the final "*" deny (IPv4) */
        mv_nacl x = { .r = n->r, .vpc = { vsym, MV_NONE }, .is_default = MV_TRUE };
        x.entries = arena_calloc(&b->m->ar, 4, sizeof *x.entries);
        if (x.entries) {
            for (int e = 0; e < 2; e++) {
                mv_nacl_entry a = { .rule = 100, .egress = e, .allow = true, .m = match_all };
                ip_parse_prefix("0.0.0.0/0", &a.cidr);
                mv_nacl_entry d = a;
                d.rule = MV_NACL_STAR_RULE;
                d.allow = false;
                x.entries[x.nentries++] = a;
                x.entries[x.nentries++] = d;
            }
            x.ningress = 2; /* ingress first */
        }
        *n = x;
    }
    mv_sg *g = mb_add(b, MK_SG, default_sg, &at);
    if (g) {
        mv_sg x = { .r = g->r, .vpc = { vsym, MV_NONE }, .group_name = "default", .is_default = true,
                    .description = "default VPC security group" };
        *g = x;
        /* Its stock rules: all from itself, all out (unless removed). */
        mb_item in = { .target = mb_sym(b, default_sg), .stock = true };
        in.u.rule = (mv_sg_rule){ .m = match_all, .peer = MP_SG, .ref = { in.target, MV_NONE } };
        mb_push(b, MB_SG_RULE, &in);
        mb_allow_all_egress(b, default_sg, true);
    }
}

void mb_vpce_parts(mbuild *b, const char *id, const char *pl, const tnode *at)
{
    uint32_t idx = model_find(b->m, MK_VPCE, mb_sym(b, id));
    if (idx == MV_NONE)
        return;
    mv_vpce *t = MV_AT(b->m, MK_VPCE, mv_vpce, idx);
    if (!t->policy && (t->type == ME_GATEWAY || t->type == ME_INTERFACE))
        t->policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}";
    uint32_t neni = t->type == ME_INTERFACE ? t->nsubnets : 0;
    t->enis = neni ? arena_calloc(&b->m->ar, neni, sizeof *t->enis) : NULL;
    t->nenis = 0;
    for (uint32_t i = 0; t->enis && i < neni; i++) {
        char eid[320];
        snprintf(eid, sizeof eid, "%s.Eni%u", id, i + 1);
        t->enis[t->nenis++] = (mv_ref){ mb_sym(b, eid), MV_NONE };
    }
    for (uint32_t i = 0; i < t->nenis; i++) {
        mv_eni *x = mb_add(b, MK_ENI, mb_str(b, t->enis[i].sym), at);
        if (!x)
            return;
        mv_eni n = { .r = x->r, .subnet = t->subnets[i], .vpc = t->vpc, .interface_type = "vpc_endpoint",
                     .description = t->r.id ? mb_str(b, t->r.id) : NULL, .requester_managed = MV_TRUE,
                     .source_dest_check = MV_TRUE, .deny_igw = MV_FALSE, .status = "in-use", .sgs = t->sgs,
                     .nsgs = t->nsgs, .instance = { 0, MV_NONE }, .owner_idx = MV_NONE };
        n.r.tags_unknown = false;
        *x = n;
    }
    if (!pl)
        pl = t->service_name ? t->service_name : "?";
    uint32_t plsym = mb_sym(b, pl);
    if (t->type == ME_GATEWAY && t->nrtbs && model_find(b->m, MK_PL, plsym) == MV_NONE) {
        mv_pl *l = mb_add(b, MK_PL, pl, at);
        if (l) {
            mv_pl x = { .r = l->r, .pl_name = t->service_name, .af = IP_V4, .max_entries = -1, .aws_managed = true };
            *l = x;
        }
    }
    for (uint32_t i = 0; t->type == ME_GATEWAY && i < t->nrtbs; i++) {
        mb_item p = { .target = t->rtbs[i].sym, .at = at };
        p.u.route = (mv_route){ .dst_pl = { plsym, MV_NONE }, .target = MT_VPCE_GW, .tgt = { mb_sym(b, id), MV_NONE },
                                .state = MS_ACTIVE, .origin = MO_STATIC };
        mb_push(b, MB_ROUTE, &p);
    }
}

/* ------------------------------------------------------------------ assembly */

static int cmp_items(const void *a, const void *b)
{
    const mb_item *x = a, *y = b;
    if (x->target != y->target)
        return x->target < y->target ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* [*lo, *hi): the items of `kind` whose target is `s`, in push order (the
 * items are sorted by target first). */
static uint32_t item_range(const mbuild *b, int kind, uint32_t s, uint32_t *lo, uint32_t *hi)
{
    const mb_item *v = b->items[kind].data;
    uint32_t l = 0, h = b->items[kind].n;
    while (l < h) {
        uint32_t mid = l + (h - l) / 2;
        if (v[mid].target < s)
            l = mid + 1;
        else
            h = mid;
    }
    *lo = l;
    for (h = l; h < b->items[kind].n && v[h].target == s;)
        h++;
    *hi = h;
    return h - l;
}

static uint32_t count_items(const mbuild *b, int kind, uint32_t s)
{
    uint32_t lo, hi;
    return item_range(b, kind, s, &lo, &hi);
}

#define ITEM(b, kind, i) VEC_AT((b)->items[kind], mb_item, i)

static int cmp_entries(const void *a, const void *b)
{
    const mv_nacl_entry *x = a, *y = b;
    if (x->egress != y->egress)
        return x->egress ? 1 : -1;
    return (int)x->rule - (int)y->rule;
}

/* Whether this input added object `s` of kind k (made[k] is ascending: the
 * model appends). */
static bool made_here(const mbuild *b, mv_kind k, uint32_t s)
{
    uint32_t idx = model_find(b->m, k, s);
    const uint32_t *v = b->made[k].data;
    uint32_t l = 0, h = b->made[k].n;
    while (idx != MV_NONE && l < h) {
        uint32_t mid = l + (h - l) / 2;
        if (v[mid] == idx)
            return true;
        if (v[mid] < idx)
            l = mid + 1;
        else
            h = mid;
    }
    return false;
}

static void external_targets(mbuild *b)
{
    static const struct { int kind; mv_kind target; const char *what; } checks[] = {
        { MB_ROUTE, MK_RTB, "route table" }, { MB_RTB_ASSOC, MK_RTB, "route table" }, { MB_MAIN_RTB, MK_RTB, "route table" },
        { MB_SG_RULE, MK_SG, "security group" }, { MB_SG_STRIP, MK_SG, "security group" },
        { MB_NACL_ENTRY, MK_NACL, "network ACL" }, { MB_NACL_ASSOC, MK_NACL, "network ACL" },
        { MB_NACL_OWNED, MK_NACL, "network ACL" }, { MB_VPC_CIDR, MK_VPC, "VPC" },
    };
    for (size_t k = 0; k < sizeof checks / sizeof *checks; k++)
        for (uint32_t i = 0; i < b->items[checks[k].kind].n; i++) {
            const mb_item *p = ITEM(b, checks[k].kind, i);
            if (!made_here(b, checks[k].target, p->target))
                mb_warn(b, p->at, "%s \"%s\" is not created by this %s: what the %s adds to it is not modelled",
                        checks[k].what, mb_str(b, p->target), b->source, b->source);
        }
}

static void vpc_cidrs(mbuild *b)
{
    for (uint32_t i = 0; i < b->items[MB_VPC_CIDR].n; i++) {
        const mb_item *p = ITEM(b, MB_VPC_CIDR, i);
        uint32_t v = model_find(b->m, MK_VPC, p->target);
        if (v == MV_NONE)
            continue;
        mv_vpc *vp = MV_AT(b->m, MK_VPC, mv_vpc, v);
        ip_prefix *all = mb_append(b, vp->cidrs, vp->ncidrs, &p->cidr, 1, sizeof *all);
        if (!all)
            return;
        vp->cidrs = all;
        vp->ncidrs++;
    }
}

static bool has_ipv6(const mlvpc_model *m, uint32_t vpc_sym)
{
    uint32_t v = model_find(m, MK_VPC, vpc_sym);
    const mv_vpc *vp = v != MV_NONE ? MV_AT(m, MK_VPC, mv_vpc, v) : NULL;
    for (uint32_t i = 0; vp && i < vp->ncidrs; i++)
        if (vp->cidrs[i].a.af == IP_V6)
            return true;
    return false;
}

/* A VPC with an IPv6 block: its default ACL also allows all IPv6 traffic
 * (rule 101, then the IPv6 "*" deny) and its default SG all IPv6 egress
 * ("Default network ACL" and "Default security groups" in the VPC guide). */
static void ipv6_defaults(mbuild *b)
{
    for (uint32_t k = 0; k < b->made[MK_NACL].n; k++) {
        mv_nacl *a = MV_AT(b->m, MK_NACL, mv_nacl, *VEC_AT(b->made[MK_NACL], uint32_t, k));
        if (a->is_default != MV_TRUE || a->nentries != 4 || !has_ipv6(b->m, a->vpc.sym))
            continue;
        mv_nacl_entry *e = arena_calloc(&b->m->ar, 8, sizeof *e);
        if (!e) {
            mb_fail(b, NULL, MLVPC_ERR_NOMEM, "out of memory");
            return;
        }
        for (int eg = 0, n = 0; eg < 2; eg++) {
            mv_nacl_entry v4 = a->entries[eg * 2], v6 = v4; /* rule 100, IPv4 */
            v6.rule = 101;
            ip_parse_prefix("::/0", &v6.cidr);
            mv_nacl_entry d6 = v6;
            d6.rule = MV_NACL_STAR_RULE;
            d6.allow = false;
            e[n++] = v4;
            e[n++] = v6;
            e[n++] = a->entries[eg * 2 + 1]; /* the IPv4 "*" deny */
            e[n++] = d6;
        }
        a->entries = e;
        a->nentries = 8;
        a->ningress = 4;
    }
    for (uint32_t k = 0; k < b->made[MK_SG].n; k++) {
        const mv_sg *g = MV_AT(b->m, MK_SG, mv_sg, *VEC_AT(b->made[MK_SG], uint32_t, k));
        if (!g->is_default || !has_ipv6(b->m, g->vpc.sym))
            continue;
        mb_item p = { .target = g->r.id, .stock = true };
        p.u.rule = (mv_sg_rule){ .egress = true, .m = match_all, .peer = MP_CIDR };
        ip_parse_prefix("::/0", &p.u.rule.cidr);
        mb_push(b, MB_SG_RULE, &p);
    }
    /* (items pushed here come after the sort: keep them in order) */
    if (b->items[MB_SG_RULE].n > 1)
        qsort(b->items[MB_SG_RULE].data, b->items[MB_SG_RULE].n, sizeof(mb_item), cmp_items);
}

/* A table named main by MB_MAIN_RTB replaces the VPC's implied main table. */
static void main_tables(mbuild *b)
{
    for (uint32_t i = 0; i < b->items[MB_MAIN_RTB].n; i++) {
        const mb_item *p = ITEM(b, MB_MAIN_RTB, i);
        for (uint32_t k = 0; k < b->made[MK_RTB].n; k++) {
            mv_rtb *t = MV_AT(b->m, MK_RTB, mv_rtb, *VEC_AT(b->made[MK_RTB], uint32_t, k));
            if (t->r.id == p->target)
                t->main = true;
            else if (t->vpc.sym == p->other)
                t->main = false;
        }
    }
}

/* Whether a deleted route resource removes route r of table t. */
static bool undone_route(const mbuild *b, uint32_t t, const mv_route *r)
{
    uint32_t lo, hi;
    for (item_range(b, MB_ROUTE_UNDO, t, &lo, &hi); lo < hi; lo++) {
        const mv_route *q = &ITEM(b, MB_ROUTE_UNDO, lo)->u.route;
        if (q->dst_pl.sym == r->dst_pl.sym && q->tgt.sym == r->tgt.sym &&
            (r->dst_pl.sym || (ip_prefix_covers(&q->dst, &r->dst) && ip_prefix_covers(&r->dst, &q->dst))))
            return true;
    }
    return false;
}

static void route_tables(mbuild *b)
{
    mlvpc_model *m = b->m;
    for (uint32_t k = 0; k < b->made[MK_RTB].n; k++) {
        mv_rtb *t = MV_AT(m, MK_RTB, mv_rtb, *VEC_AT(b->made[MK_RTB], uint32_t, k));
        uint32_t v = model_find(m, MK_VPC, t->vpc.sym);
        const mv_vpc *vp = v != MV_NONE ? MV_AT(m, MK_VPC, mv_vpc, v) : NULL;
        uint32_t n = count_items(b, MB_ROUTE, t->r.id) + (vp ? vp->ncidrs : 0), na = count_items(b, MB_RTB_ASSOC, t->r.id);
        t->routes = n ? arena_calloc(&m->ar, n, sizeof *t->routes) : NULL;
        t->assocs = na || t->main ? arena_calloc(&m->ar, na + 1, sizeof *t->assocs) : NULL;
        if ((n && !t->routes) || ((na || t->main) && !t->assocs)) {
            mb_fail(b, NULL, MLVPC_ERR_NOMEM, "out of memory");
            return;
        }
        for (uint32_t i = 0; vp && i < vp->ncidrs; i++)
            t->routes[t->nroutes++] = (mv_route){ .dst = vp->cidrs[i], .target = MT_LOCAL, .tgt = { mb_sym(b, "local"), MV_NONE },
                                                  .state = MS_ACTIVE, .origin = MO_TABLE };
        uint32_t lo, hi;
        for (item_range(b, MB_ROUTE, t->r.id, &lo, &hi); lo < hi; lo++)
            if (!(ITEM(b, MB_ROUTE, lo)->readback && undone_route(b, t->r.id, &ITEM(b, MB_ROUTE, lo)->u.route)))
                t->routes[t->nroutes++] = ITEM(b, MB_ROUTE, lo)->u.route;
        if (t->main)
            t->assocs[t->nassocs++] = (mv_rtb_assoc){ .main = true };
        for (item_range(b, MB_RTB_ASSOC, t->r.id, &lo, &hi); lo < hi; lo++)
            t->assocs[t->nassocs++] = (mv_rtb_assoc){ .subnet = { ITEM(b, MB_RTB_ASSOC, lo)->other, MV_NONE } };
    }
}

static bool same_match(const mv_match *a, const mv_match *b)
{
    return a->proto == b->proto && a->port_lo == b->port_lo && a->port_hi == b->port_hi &&
           a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code;
}

/* EC2 keeps one copy of a rule (a duplicate is refused); inputs state one
 * twice when, e.g., a Terraform state lists a rule both in the group's
 * computed rules and as its own resource. */
static bool same_rule(const mv_sg_rule *q, const mv_sg_rule *r);

static bool has_rule(const mv_sg *g, const mv_sg_rule *r)
{
    for (uint32_t i = 0; i < g->nrules; i++)
        if (same_rule(&g->rules[i], r))
            return true;
    return false;
}

static bool same_rule(const mv_sg_rule *q, const mv_sg_rule *r)
{
    return q->egress == r->egress && q->peer == r->peer && same_match(&q->m, &r->m) &&
           (r->peer == MP_CIDR ? ip_prefix_covers(&q->cidr, &r->cidr) && ip_prefix_covers(&r->cidr, &q->cidr)
                               : q->ref.sym == r->ref.sym);
}

/* Whether a deleted rule resource removes rule r of group g. */
static bool undone_rule(const mbuild *b, uint32_t g, const mv_sg_rule *r)
{
    uint32_t lo, hi;
    for (item_range(b, MB_SG_UNDO, g, &lo, &hi); lo < hi; lo++)
        if (same_rule(&ITEM(b, MB_SG_UNDO, lo)->u.rule, r))
            return true;
    return false;
}

static void security_groups(mbuild *b)
{
    mlvpc_model *m = b->m;
    for (uint32_t k = 0; k < b->made[MK_SG].n; k++) {
        mv_sg *g = MV_AT(m, MK_SG, mv_sg, *VEC_AT(b->made[MK_SG], uint32_t, k));
        bool strip = count_items(b, MB_SG_STRIP, g->r.id) > 0;
        uint32_t n = count_items(b, MB_SG_RULE, g->r.id);
        g->rules = n ? arena_calloc(&m->ar, n, sizeof *g->rules) : NULL;
        if (n && !g->rules) {
            mb_fail(b, NULL, MLVPC_ERR_NOMEM, "out of memory");
            return;
        }
        for (int egress = 0; egress < 2; egress++) {
            uint32_t lo, hi;
            for (item_range(b, MB_SG_RULE, g->r.id, &lo, &hi); lo < hi; lo++) {
                const mb_item *p = ITEM(b, MB_SG_RULE, lo);
                if (p->u.rule.egress == egress && !(strip && p->stock) && !has_rule(g, &p->u.rule) &&
                    !(p->readback && undone_rule(b, g->r.id, &p->u.rule)))
                    g->rules[g->nrules++] = p->u.rule;
            }
            if (!egress)
                g->ningress = g->nrules;
        }
        g->incomplete = count_items(b, MB_INCOMPLETE, g->r.id) > 0;
    }
}

/* Whether a deleted entry resource removes entry e of ACL a. */
static bool undone_entry(const mbuild *b, uint32_t a, const mv_nacl_entry *e)
{
    uint32_t lo, hi;
    for (item_range(b, MB_NACL_UNDO, a, &lo, &hi); lo < hi; lo++) {
        const mv_nacl_entry *q = &ITEM(b, MB_NACL_UNDO, lo)->u.entry;
        if (q->rule == e->rule && q->egress == e->egress)
            return true;
    }
    return false;
}

static void nacls(mbuild *b)
{
    mlvpc_model *m = b->m;
    for (uint32_t k = 0; k < b->made[MK_NACL].n; k++) {
        mv_nacl *a = MV_AT(m, MK_NACL, mv_nacl, *VEC_AT(b->made[MK_NACL], uint32_t, k));
        if (a->is_default == MV_FALSE || count_items(b, MB_NACL_OWNED, a->r.id)) {
            uint32_t n = count_items(b, MB_NACL_ENTRY, a->r.id);
            a->entries = arena_calloc(&m->ar, n + 2, sizeof *a->entries);
            a->nentries = 0;
            if (!a->entries) {
                mb_fail(b, NULL, MLVPC_ERR_NOMEM, "out of memory");
                return;
            }
            uint32_t lo, hi;
            for (item_range(b, MB_NACL_ENTRY, a->r.id, &lo, &hi); lo < hi; lo++) {
                const mv_nacl_entry *e = &ITEM(b, MB_NACL_ENTRY, lo)->u.entry;
                if (ITEM(b, MB_NACL_ENTRY, lo)->readback && undone_entry(b, a->r.id, e))
                    continue;
                /* one entry per number and direction, as in EC2; a state
                 * may list one both inline and as its own resource */
                const mv_nacl_entry *dup = NULL;
                for (uint32_t j = 0; j < a->nentries && !dup; j++)
                    if (a->entries[j].rule == e->rule && a->entries[j].egress == e->egress)
                        dup = &a->entries[j];
                bool same = dup && dup->allow == e->allow && same_match(&dup->m, &e->m) &&
                            ip_prefix_covers(&dup->cidr, &e->cidr) && ip_prefix_covers(&e->cidr, &dup->cidr);
                if (dup && !same)
                    mb_warn(b, ITEM(b, MB_NACL_ENTRY, lo)->at, "network ACL \"%s\": a second, different %s entry %u ignored",
                            mb_str(b, a->r.id), e->egress ? "outbound" : "inbound", (unsigned)e->rule);
                else if (!dup)
                    a->entries[a->nentries++] = *e;
            }
            for (int e = 0; e < 2; e++) {
                mv_nacl_entry d = { .rule = MV_NACL_STAR_RULE, .egress = e, .m = match_all };
                ip_parse_prefix("0.0.0.0/0", &d.cidr);
                a->entries[a->nentries++] = d;
            }
            qsort(a->entries, a->nentries, sizeof *a->entries, cmp_entries);
            a->ningress = 0;
            while (a->ningress < a->nentries && !a->entries[a->ningress].egress)
                a->ningress++;
        }
        a->incomplete = count_items(b, MB_INCOMPLETE, a->r.id) > 0;
        uint32_t lo, hi, na = item_range(b, MB_NACL_ASSOC, a->r.id, &lo, &hi);
        a->subnets = na ? arena_calloc(&m->ar, na, sizeof *a->subnets) : NULL;
        for (; a->subnets && lo < hi; lo++)
            a->subnets[a->nsubnets++] = (mv_ref){ ITEM(b, MB_NACL_ASSOC, lo)->other, MV_NONE };
    }
}

static void attachments(mbuild *b)
{
    mlvpc_model *m = b->m;
    static const mv_kind gws[] = { MK_IGW, MK_EIGW };
    for (int gk = 0; gk < 2; gk++)
        for (uint32_t k = 0; k < b->made[gws[gk]].n; k++) {
            mv_igw *g = MV_AT(m, gws[gk], mv_igw, *VEC_AT(b->made[gws[gk]], uint32_t, k));
            uint32_t lo, hi, n = item_range(b, MB_IGW_ATTACH, g->r.id, &lo, &hi);
            g->attach = n ? arena_calloc(&m->ar, n, sizeof *g->attach) : NULL;
            for (; g->attach && lo < hi; lo++)
                g->attach[g->nattach++] = (mv_gw_attach){ { ITEM(b, MB_IGW_ATTACH, lo)->other, MV_NONE }, "available" };
        }
    for (uint32_t i = 0; i < b->items[MB_DHCP_ASSOC].n; i++) {
        const mb_item *p = ITEM(b, MB_DHCP_ASSOC, i);
        uint32_t v = model_find(m, MK_VPC, p->target);
        if (v != MV_NONE)
            MV_AT(m, MK_VPC, mv_vpc, v)->dhcp = (mv_ref){ p->other, MV_NONE };
    }
}

void mb_finish(mbuild *b)
{
    if (b->failed)
        return;
    for (int k = 0; k < MB_COUNT; k++)
        if (b->items[k].n > 1)
            qsort(b->items[k].data, b->items[k].n, sizeof(mb_item), cmp_items);
    external_targets(b);
    vpc_cidrs(b); /* before the local routes they create */
    /* Endpoint interfaces are in their subnet's AZ. */
    for (uint32_t k = 0; k < b->made[MK_ENI].n; k++) {
        mv_eni *x = MV_AT(b->m, MK_ENI, mv_eni, *VEC_AT(b->made[MK_ENI], uint32_t, k));
        uint32_t sn = model_find(b->m, MK_SUBNET, x->subnet.sym);
        if (!x->az && sn != MV_NONE)
            x->az = MV_AT(b->m, MK_SUBNET, mv_subnet, sn)->az;
    }
    ipv6_defaults(b);
    main_tables(b);
    if (!b->failed)
        route_tables(b);
    if (!b->failed)
        security_groups(b);
    if (!b->failed)
        nacls(b);
    if (!b->failed)
        attachments(b);
}

void mb_release(mbuild *b)
{
    for (int k = 0; k < MB_COUNT; k++)
        vec_release(&b->items[k]);
    for (int k = 0; k < MK_COUNT; k++)
        vec_release(&b->made[k]);
}
