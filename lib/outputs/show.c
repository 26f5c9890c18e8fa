/*
 * `mlvpc show`: the resolved model, grouped by VPC. The JSON form is
 * documented in docs/show-json.md; keep the two in step.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "jsonw.h"

/* ------------------------------------------------------------------ grouping */

/* Items of one kind bucketed by an owner index (a VPC or a subnet). */
typedef struct bucket {
    uint32_t *start; /* start[o]..start[o+1] index items; start[nowners] = unowned */
    uint32_t *items;
    uint32_t nowners;
} bucket;

typedef uint32_t (*owner_fn)(const mlvpc_model *m, uint32_t i);

static int bucket_build(bucket *b, const mlvpc_model *m, mv_kind k, uint32_t nowners, owner_fn fn)
{
    uint32_t n = MV_N(m, k);
    b->nowners = nowners;
    b->start = calloc((size_t)nowners + 2, sizeof *b->start);
    b->items = malloc(((size_t)n + 1) * sizeof *b->items);
    if (!b->start || !b->items)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t o = fn(m, i);
        b->start[(o == MV_NONE ? nowners : o) + 1]++;
    }
    for (uint32_t o = 0; o <= nowners; o++)
        b->start[o + 1] += b->start[o];
    uint32_t *fill = calloc((size_t)nowners + 1, sizeof *fill);
    if (!fill)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t o = fn(m, i);
        o = o == MV_NONE ? nowners : o;
        b->items[b->start[o] + fill[o]++] = i;
    }
    free(fill);
    return 0;
}

static void bucket_free(bucket *b)
{
    free(b->start);
    free(b->items);
}

#define OWNER(name, kind, T, expr)                                             \
    static uint32_t name(const mlvpc_model *m, uint32_t i)                      \
    {                                                                           \
        const T *x = MV_AT(m, kind, T, i);                                      \
        return (expr);                                                          \
    }

static uint32_t subnet_vpc(const mlvpc_model *m, uint32_t s)
{
    return s == MV_NONE ? MV_NONE : MV_AT(m, MK_SUBNET, mv_subnet, s)->vpc.idx;
}

OWNER(vpc_of_subnet, MK_SUBNET, mv_subnet, x->vpc.idx)
OWNER(vpc_of_rtb, MK_RTB, mv_rtb, x->vpc.idx)
OWNER(vpc_of_sg, MK_SG, mv_sg, x->vpc.idx)
OWNER(vpc_of_nacl, MK_NACL, mv_nacl, x->vpc.idx)
OWNER(vpc_of_igw, MK_IGW, mv_igw, x->nattach ? x->attach[0].vpc.idx : MV_NONE)
OWNER(vpc_of_eigw, MK_EIGW, mv_igw, x->nattach ? x->attach[0].vpc.idx : MV_NONE)
OWNER(vpc_of_natgw, MK_NATGW, mv_natgw, x->vpc.idx != MV_NONE ? x->vpc.idx : subnet_vpc(m, x->subnet.idx))
OWNER(vpc_of_vpce, MK_VPCE, mv_vpce, x->vpc.idx)
OWNER(vpc_of_pcx, MK_PCX, mv_pcx, x->requester.vpc.idx != MV_NONE ? x->requester.vpc.idx : x->accepter.vpc.idx)
OWNER(subnet_of_eni, MK_ENI, mv_eni, x->subnet.idx)

static uint32_t vpc_of_flowlog(const mlvpc_model *m, uint32_t i)
{
    const mv_flowlog *f = MV_AT(m, MK_FLOWLOG, mv_flowlog, i);
    if (f->resource.idx == MV_NONE)
        return MV_NONE;
    if (f->res_kind == MK_VPC)
        return f->resource.idx;
    if (f->res_kind == MK_SUBNET)
        return subnet_vpc(m, f->resource.idx);
    if (f->res_kind == MK_ENI) {
        const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, f->resource.idx);
        return e->vpc.idx != MV_NONE ? e->vpc.idx : subnet_vpc(m, e->subnet.idx);
    }
    return MV_NONE;
}

static const struct {
    mv_kind kind;
    owner_fn fn;
} vpc_groups[] = {
    { MK_SUBNET, vpc_of_subnet }, { MK_RTB, vpc_of_rtb }, { MK_SG, vpc_of_sg },
    { MK_NACL, vpc_of_nacl }, { MK_IGW, vpc_of_igw }, { MK_EIGW, vpc_of_eigw },
    { MK_NATGW, vpc_of_natgw }, { MK_VPCE, vpc_of_vpce }, { MK_PCX, vpc_of_pcx },
    { MK_FLOWLOG, vpc_of_flowlog },
};
#define NGROUPS (sizeof vpc_groups / sizeof *vpc_groups)

typedef struct view {
    const mlvpc_model *m;
    bucket by_vpc[MK_COUNT]; /* filled for the kinds of vpc_groups */
    bucket eni_by_subnet;
} view;

static void view_free(view *v)
{
    for (int k = 0; k < MK_COUNT; k++)
        bucket_free(&v->by_vpc[k]);
    bucket_free(&v->eni_by_subnet);
}

static int view_build(view *v, const mlvpc_model *m)
{
    memset(v, 0, sizeof *v);
    v->m = m;
    for (size_t g = 0; g < NGROUPS; g++)
        if (bucket_build(&v->by_vpc[vpc_groups[g].kind], m, vpc_groups[g].kind, MV_N(m, MK_VPC),
                         vpc_groups[g].fn) != 0)
            return -1;
    return bucket_build(&v->eni_by_subnet, m, MK_ENI, MV_N(m, MK_SUBNET), subnet_of_eni);
}

#define BUCKET_FOR(b, owner, var)                                                       \
    for (uint32_t var##_j = (b)->start[owner], var;                                     \
         var##_j < (b)->start[(owner) + 1] && ((var = (b)->items[var##_j]), 1); var##_j++)

/* ------------------------------------------------------------------ text forms */

static const char *S(const mlvpc_model *m, uint32_t sym) { return sym ? model_str(m, sym) : NULL; }

static const char *tri_str(mv_tri t) { return t == MV_TRUE ? "true" : t == MV_FALSE ? "false" : "unknown"; }

static void proto_str(int proto, char *buf, size_t n)
{
    const char *name = mv_proto_name(proto);
    if (name)
        snprintf(buf, n, "%s", name);
    else
        snprintf(buf, n, "%d", proto);
}

/* "443", "1024-65535", "all" for TCP/UDP; "type 3 code 4" for ICMP; "" otherwise. */
static void ports_str(const mv_match *m, char *buf, size_t n)
{
    if (m->proto == MV_TCP || m->proto == MV_UDP) {
        if (m->port_lo == 0 && m->port_hi == 65535)
            snprintf(buf, n, "all ports");
        else if (m->port_lo == m->port_hi)
            snprintf(buf, n, "%u", m->port_lo);
        else
            snprintf(buf, n, "%u-%u", m->port_lo, m->port_hi);
    } else if (m->proto == MV_ICMP || m->proto == MV_ICMPV6) {
        if (m->icmp_type < 0)
            snprintf(buf, n, "all types");
        else if (m->icmp_code < 0)
            snprintf(buf, n, "type %d", m->icmp_type);
        else
            snprintf(buf, n, "type %d code %d", m->icmp_type, m->icmp_code);
    } else {
        buf[0] = '\0';
    }
}

static void route_dst_str(const mlvpc_model *m, const mv_route *r, char *buf)
{
    if (r->dst.a.af)
        ip_prefix_str(&r->dst, buf);
    else
        snprintf(buf, IP_STR_MAX, "%s", S(m, r->dst_pl.sym) ? S(m, r->dst_pl.sym) : "?");
}

static const char *state_name(mv_state s)
{
    return s == MS_ACTIVE ? "active" : s == MS_BLACKHOLE ? "blackhole" : NULL;
}

static const char *origin_name(mv_origin o)
{
    return o == MO_TABLE ? "CreateRouteTable" : o == MO_STATIC ? "CreateRoute"
         : o == MO_PROPAGATED ? "EnableVgwRoutePropagation" : NULL;
}

/* ------------------------------------------------------------------ JSON */

static void j_source(jw *w, const mlvpc_model *m, const mv_res *r)
{
    jw_key(w, "source");
    jw_obj(w);
    jw_kstr(w, "file", model_file(m, r->file));
    jw_kint(w, "line", r->line);
    jw_kint(w, "column", r->col);
    jw_obj_end(w);
}

static void j_tri(jw *w, const char *key, mv_tri t)
{
    jw_key(w, key);
    if (t == MV_UNKNOWN)
        jw_null(w);
    else
        jw_bool(w, t == MV_TRUE);
}

static void j_head(jw *w, const mlvpc_model *m, const mv_res *r)
{
    jw_kstr(w, "id", S(m, r->id));
    jw_kstr(w, "name", r->name);
}

static void j_tags(jw *w, const mv_res *r)
{
    jw_key(w, "tags");
    jw_obj(w);
    for (uint32_t i = 0; i < r->ntags; i++)
        jw_kstr(w, r->tags[i].key, r->tags[i].value);
    jw_obj_end(w);
}

static void j_refs(jw *w, const mlvpc_model *m, const char *key, const mv_ref *r, uint32_t n)
{
    jw_key(w, key);
    jw_arr(w);
    for (uint32_t i = 0; i < n; i++)
        jw_str(w, S(m, r[i].sym));
    jw_arr_end(w);
}

static void j_prefixes(jw *w, const char *key, const ip_prefix *p, uint32_t n)
{
    char buf[IP_STR_MAX];
    if (key)
        jw_key(w, key);
    jw_arr(w);
    for (uint32_t i = 0; i < n; i++)
        jw_str(w, ip_prefix_str(&p[i], buf));
    jw_arr_end(w);
}

static void j_addrs(jw *w, const char *key, const ip_addr *a, uint32_t n)
{
    char buf[IP_STR_MAX];
    jw_key(w, key);
    jw_arr(w);
    for (uint32_t i = 0; i < n; i++)
        jw_str(w, ip_addr_str(&a[i], buf));
    jw_arr_end(w);
}

static void j_match(jw *w, const mv_match *mt)
{
    char buf[32];
    proto_str(mt->proto, buf, sizeof buf);
    jw_kstr(w, "protocol", buf);
    jw_key(w, "ports");
    if (mt->proto == MV_TCP || mt->proto == MV_UDP) {
        jw_obj(w);
        jw_kint(w, "from", mt->port_lo);
        jw_kint(w, "to", mt->port_hi);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "icmp");
    if (mt->proto == MV_ICMP || mt->proto == MV_ICMPV6) {
        jw_obj(w);
        jw_kint(w, "type", mt->icmp_type);
        jw_kint(w, "code", mt->icmp_code);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
}

static void j_route(jw *w, const mlvpc_model *m, const mv_route *r)
{
    char buf[IP_STR_MAX];
    jw_obj(w);
    jw_kstr(w, "destination", r->dst.a.af ? ip_prefix_str(&r->dst, buf) : NULL);
    jw_kstr(w, "destination_prefix_list", S(m, r->dst_pl.sym));
    jw_kstr(w, "target", S(m, r->tgt.sym));
    jw_kstr(w, "target_kind", mv_target_name(r->target));
    jw_kstr(w, "state", state_name(r->state));
    jw_kstr(w, "origin", origin_name(r->origin));
    jw_obj_end(w);
}

static void j_eni_brief(jw *w, const mlvpc_model *m, const mv_eni *e)
{
    jw_obj(w);
    j_head(w, m, &e->r);
    j_addrs(w, "private_ips", e->private_ips, e->nprivate);
    j_addrs(w, "public_ips", e->public_ips, e->npublic);
    j_addrs(w, "ipv6_addresses", e->ipv6, e->nipv6);
    j_refs(w, m, "security_groups", e->sgs, e->nsgs);
    jw_kstr(w, "interface_type", e->interface_type);
    jw_kstr(w, "description", e->description);
    jw_key(w, "owner");
    jw_obj(w);
    jw_kstr(w, "kind", mv_owner_name(e->owner));
    jw_kstr(w, "id", e->owner_idx != MV_NONE ? S(m, model_res(m, e->owner_kind, e->owner_idx)->id)
                                             : S(m, e->instance.sym));
    jw_obj_end(w);
    jw_obj_end(w);
}

static void j_subnet(jw *w, const view *v, uint32_t si)
{
    const mlvpc_model *m = v->m;
    const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, si);
    const mv_route *why;
    mv_class cls = model_subnet_class(m, s, &why);
    jw_obj(w);
    j_head(w, m, &s->r);
    jw_kstr(w, "availability_zone", s->az);
    jw_kstr(w, "availability_zone_id", s->az_id);
    j_prefixes(w, "cidrs", s->cidrs, s->ncidrs);
    jw_kstr(w, "class", mv_class_name(cls));
    jw_key(w, "class_route");
    if (why)
        j_route(w, m, why);
    else
        jw_null(w);
    jw_key(w, "route_table");
    if (s->rtb != MV_NONE) {
        jw_obj(w);
        jw_kstr(w, "id", S(m, MV_AT(m, MK_RTB, mv_rtb, s->rtb)->r.id));
        jw_kstr(w, "association", s->rtb_explicit ? "explicit" : "main");
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "network_acl");
    if (s->nacl != MV_NONE) {
        jw_obj(w);
        jw_kstr(w, "id", S(m, MV_AT(m, MK_NACL, mv_nacl, s->nacl)->r.id));
        jw_kstr(w, "association", s->nacl_explicit ? "explicit" : "default");
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    j_tri(w, "map_public_ip_on_launch", s->map_public_ip);
    jw_key(w, "network_interfaces");
    jw_arr(w);
    BUCKET_FOR(&v->eni_by_subnet, si, e) j_eni_brief(w, m, MV_AT(m, MK_ENI, mv_eni, e));
    jw_arr_end(w);
    j_tags(w, &s->r);
    j_source(w, m, &s->r);
    jw_obj_end(w);
}

static void j_sg_rule(jw *w, const mlvpc_model *m, const mv_sg_rule *r)
{
    char buf[IP_STR_MAX];
    jw_obj(w);
    j_match(w, &r->m);
    jw_key(w, "peer");
    jw_obj(w);
    if (r->peer == MP_CIDR) {
        jw_kstr(w, "cidr", ip_prefix_str(&r->cidr, buf));
    } else {
        jw_kstr(w, r->peer == MP_SG ? "security_group" : "prefix_list", S(m, r->ref.sym));
        if (r->ref_account)
            jw_kstr(w, "account", S(m, r->ref_account));
    }
    jw_obj_end(w);
    jw_kstr(w, "description", r->description);
    jw_obj_end(w);
}

static void j_sg(jw *w, const mlvpc_model *m, const mv_sg *g)
{
    jw_obj(w);
    j_head(w, m, &g->r);
    jw_kstr(w, "group_name", g->group_name);
    jw_kbool(w, "default", g->is_default);
    for (int eg = 0; eg < 2; eg++) {
        jw_key(w, eg ? "egress" : "ingress");
        jw_arr(w);
        for (uint32_t i = eg ? g->ningress : 0; i < (eg ? g->nrules : g->ningress); i++)
            j_sg_rule(w, m, &g->rules[i]);
        jw_arr_end(w);
    }
    j_tags(w, &g->r);
    j_source(w, m, &g->r);
    jw_obj_end(w);
}

static void j_nacl(jw *w, const mlvpc_model *m, const mv_nacl *n)
{
    char buf[IP_STR_MAX];
    jw_obj(w);
    j_head(w, m, &n->r);
    j_tri(w, "default", n->is_default);
    j_refs(w, m, "subnets", n->subnets, n->nsubnets);
    for (int eg = 0; eg < 2; eg++) {
        jw_key(w, eg ? "egress" : "ingress");
        jw_arr(w);
        for (uint32_t i = eg ? n->ningress : 0; i < (eg ? n->nentries : n->ningress); i++) {
            const mv_nacl_entry *e = &n->entries[i];
            jw_obj(w);
            jw_kint(w, "rule", e->rule);
            jw_kstr(w, "action", e->allow ? "allow" : "deny");
            j_match(w, &e->m);
            jw_kstr(w, "cidr", ip_prefix_str(&e->cidr, buf));
            jw_obj_end(w);
        }
        jw_arr_end(w);
    }
    j_tags(w, &n->r);
    j_source(w, m, &n->r);
    jw_obj_end(w);
}

static void j_rtb(jw *w, const mlvpc_model *m, const mv_rtb *t)
{
    jw_obj(w);
    j_head(w, m, &t->r);
    jw_kbool(w, "main", t->main);
    jw_key(w, "subnets");
    jw_arr(w);
    for (uint32_t a = 0; a < t->nassocs; a++)
        if (t->assocs[a].subnet.sym)
            jw_str(w, S(m, t->assocs[a].subnet.sym));
    jw_arr_end(w);
    jw_key(w, "gateways");
    jw_arr(w);
    for (uint32_t a = 0; a < t->nassocs; a++)
        if (t->assocs[a].gateway.sym)
            jw_str(w, S(m, t->assocs[a].gateway.sym));
    jw_arr_end(w);
    jw_key(w, "routes");
    jw_arr(w);
    for (uint32_t i = 0; i < t->nroutes; i++)
        j_route(w, m, &t->routes[i]);
    jw_arr_end(w);
    j_tags(w, &t->r);
    j_source(w, m, &t->r);
    jw_obj_end(w);
}

static void j_igw(jw *w, const mlvpc_model *m, const mv_igw *g)
{
    jw_obj(w);
    j_head(w, m, &g->r);
    jw_key(w, "attachments");
    jw_arr(w);
    for (uint32_t a = 0; a < g->nattach; a++) {
        jw_obj(w);
        jw_kstr(w, "vpc", S(m, g->attach[a].vpc.sym));
        jw_kstr(w, "state", g->attach[a].state);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    j_source(w, m, &g->r);
    jw_obj_end(w);
}

static void j_natgw(jw *w, const mlvpc_model *m, const mv_natgw *g)
{
    char buf[IP_STR_MAX];
    jw_obj(w);
    j_head(w, m, &g->r);
    jw_kstr(w, "subnet", S(m, g->subnet.sym));
    jw_kstr(w, "connectivity", g->conn == MN_PUBLIC ? "public" : g->conn == MN_PRIVATE ? "private" : NULL);
    jw_kstr(w, "state", g->state);
    jw_key(w, "addresses");
    jw_arr(w);
    for (uint32_t a = 0; a < g->naddrs; a++) {
        jw_obj(w);
        jw_kstr(w, "private_ip", g->addrs[a].private_ip.af ? ip_addr_str(&g->addrs[a].private_ip, buf) : NULL);
        jw_kstr(w, "public_ip", g->addrs[a].public_ip.af ? ip_addr_str(&g->addrs[a].public_ip, buf) : NULL);
        jw_kstr(w, "network_interface", S(m, g->addrs[a].eni.sym));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    j_tags(w, &g->r);
    j_source(w, m, &g->r);
    jw_obj_end(w);
}

static const char *vpce_type_name(mv_vpce_type t)
{
    static const char *const n[] = { [ME_UNKNOWN] = NULL, [ME_GATEWAY] = "gateway",
                                     [ME_INTERFACE] = "interface", [ME_GWLB] = "gateway-load-balancer",
                                     [ME_OTHER] = "other" };
    return n[t];
}

static void j_vpce(jw *w, const mlvpc_model *m, const mv_vpce *e)
{
    jw_obj(w);
    j_head(w, m, &e->r);
    jw_kstr(w, "type", vpce_type_name(e->type));
    jw_kstr(w, "service_name", e->service_name);
    jw_kstr(w, "service", e->service);
    jw_kstr(w, "state", e->state);
    j_tri(w, "private_dns", e->private_dns);
    j_refs(w, m, "route_tables", e->rtbs, e->nrtbs);
    j_refs(w, m, "subnets", e->subnets, e->nsubnets);
    j_refs(w, m, "security_groups", e->sgs, e->nsgs);
    j_refs(w, m, "network_interfaces", e->enis, e->nenis);
    jw_kbool(w, "has_policy", e->policy != NULL);
    j_tags(w, &e->r);
    j_source(w, m, &e->r);
    jw_obj_end(w);
}

static void j_pcx_side(jw *w, const mlvpc_model *m, const char *key, const mv_pcx_side *s)
{
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "vpc", S(m, s->vpc.sym));
    jw_kstr(w, "account", S(m, s->owner));
    jw_kstr(w, "region", S(m, s->region));
    j_prefixes(w, "cidrs", s->cidrs, s->ncidrs);
    jw_kbool(w, "in_input", s->vpc.idx != MV_NONE);
    jw_obj_end(w);
}

static void j_pcx(jw *w, const mlvpc_model *m, const mv_pcx *p)
{
    jw_obj(w);
    j_head(w, m, &p->r);
    jw_kstr(w, "status", p->status);
    j_pcx_side(w, m, "requester", &p->requester);
    j_pcx_side(w, m, "accepter", &p->accepter);
    j_source(w, m, &p->r);
    jw_obj_end(w);
}

static void j_flowlog(jw *w, const mlvpc_model *m, const mv_flowlog *f)
{
    jw_obj(w);
    j_head(w, m, &f->r);
    jw_kstr(w, "resource", S(m, f->resource.sym));
    jw_kstr(w, "traffic_type", f->traffic_type);
    jw_kstr(w, "destination_type", f->dest_type);
    jw_kstr(w, "destination", f->dest);
    jw_kstr(w, "status", f->status);
    jw_kstr(w, "format", f->format);
    j_source(w, m, &f->r);
    jw_obj_end(w);
}

typedef void (*j_item_fn)(jw *w, const mlvpc_model *m, const void *item);

static void j_group(jw *w, const view *v, const char *key, mv_kind k, uint32_t owner, j_item_fn fn)
{
    const mlvpc_model *m = v->m;
    jw_key(w, key);
    jw_arr(w);
    BUCKET_FOR(&v->by_vpc[k], owner, i) fn(w, m, model_res(m, k, i));
    jw_arr_end(w);
}

/* Adapters from the typed writers to j_item_fn. */
#define J_WRAP(fn, T) \
    static void fn##_item(jw *w, const mlvpc_model *m, const void *x) { fn(w, m, (const T *)x); }
J_WRAP(j_rtb, mv_rtb)
J_WRAP(j_sg, mv_sg)
J_WRAP(j_nacl, mv_nacl)
J_WRAP(j_igw, mv_igw)
J_WRAP(j_natgw, mv_natgw)
J_WRAP(j_vpce, mv_vpce)
J_WRAP(j_pcx, mv_pcx)
J_WRAP(j_flowlog, mv_flowlog)

static void j_vpc(jw *w, const view *v, uint32_t vi)
{
    const mlvpc_model *m = v->m;
    const mv_vpc *x = MV_AT(m, MK_VPC, mv_vpc, vi);
    jw_obj(w);
    j_head(w, m, &x->r);
    jw_kstr(w, "account", S(m, x->r.account));
    jw_kstr(w, "region", S(m, x->r.region));
    j_prefixes(w, "cidrs", x->cidrs, x->ncidrs);
    j_tri(w, "is_default", x->is_default);
    j_tri(w, "enable_dns_support", x->dns_support);
    j_tri(w, "enable_dns_hostnames", x->dns_hostnames);
    jw_key(w, "dhcp_options");
    if (x->dhcp.sym) {
        jw_obj(w);
        jw_kstr(w, "id", S(m, x->dhcp.sym));
        jw_key(w, "domain_name_servers");
        if (x->dhcp.idx != MV_NONE && MV_AT(m, MK_DHCP, mv_dhcp, x->dhcp.idx)->has_dns_key) {
            const mv_dhcp *d = MV_AT(m, MK_DHCP, mv_dhcp, x->dhcp.idx);
            jw_arr(w);
            for (uint32_t i = 0; i < d->ndns; i++)
                jw_str(w, d->dns_servers[i]);
            jw_arr_end(w);
        } else {
            jw_null(w);
        }
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "main_route_table", x->main_rtb != MV_NONE ? S(m, MV_AT(m, MK_RTB, mv_rtb, x->main_rtb)->r.id) : NULL);
    jw_kstr(w, "default_network_acl",
            x->default_nacl != MV_NONE ? S(m, MV_AT(m, MK_NACL, mv_nacl, x->default_nacl)->r.id) : NULL);
    jw_kstr(w, "default_security_group",
            x->default_sg != MV_NONE ? S(m, MV_AT(m, MK_SG, mv_sg, x->default_sg)->r.id) : NULL);
    jw_key(w, "subnets");
    jw_arr(w);
    BUCKET_FOR(&v->by_vpc[MK_SUBNET], vi, s) j_subnet(w, v, s);
    jw_arr_end(w);
    j_group(w, v, "route_tables", MK_RTB, vi, j_rtb_item);
    j_group(w, v, "security_groups", MK_SG, vi, j_sg_item);
    j_group(w, v, "network_acls", MK_NACL, vi, j_nacl_item);
    j_group(w, v, "internet_gateways", MK_IGW, vi, j_igw_item);
    j_group(w, v, "egress_only_internet_gateways", MK_EIGW, vi, j_igw_item);
    j_group(w, v, "nat_gateways", MK_NATGW, vi, j_natgw_item);
    j_group(w, v, "endpoints", MK_VPCE, vi, j_vpce_item);
    j_group(w, v, "peering_connections", MK_PCX, vi, j_pcx_item);
    j_group(w, v, "flow_logs", MK_FLOWLOG, vi, j_flowlog_item);
    j_tags(w, &x->r);
    j_source(w, m, &x->r);
    jw_obj_end(w);
}

/* Placement: each subnet with its VPC, AZ and class; the SGs. */
static void j_placement(jw *w, const mlvpc_model *m, const mv_placement *p)
{
    jw_key(w, "in_vpc");
    if (p->present == MV_UNKNOWN)
        jw_null(w);
    else
        jw_bool(w, p->present == MV_TRUE);
    jw_key(w, "subnets");
    jw_arr(w);
    for (uint32_t i = 0; i < p->nsubnets; i++) {
        const mv_ref *r = &p->subnets[i];
        jw_obj(w);
        jw_kstr(w, "id", S(m, r->sym));
        if (r->idx != MV_NONE) {
            const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, r->idx);
            const mv_route *why;
            jw_kstr(w, "vpc", S(m, s->vpc.sym));
            jw_kstr(w, "availability_zone", s->az);
            jw_kstr(w, "class", mv_class_name(model_subnet_class(m, s, &why)));
        } else {
            jw_kstr(w, "vpc", NULL);
            jw_kstr(w, "availability_zone", NULL);
            jw_kstr(w, "class", "unknown");
        }
        jw_obj_end(w);
    }
    jw_arr_end(w);
    j_refs(w, m, "security_groups", p->sgs, p->nsgs);
}

static const char *enabled_str(mv_tri t) { return t == MV_TRUE ? "Enabled" : t == MV_FALSE ? "Disabled" : NULL; }

static void j_sagemaker(jw *w, const mlvpc_model *m)
{
    jw_key(w, "notebook_instances");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_NOTEBOOK); i++) {
        const mv_notebook *n = MV_AT(m, MK_NOTEBOOK, mv_notebook, i);
        jw_obj(w);
        jw_kstr(w, "id", S(m, n->r.id));
        jw_kstr(w, "name", n->nb_name);
        jw_kstr(w, "status", n->status);
        jw_kstr(w, "direct_internet_access", enabled_str(n->direct_internet));
        jw_kstr(w, "root_access", enabled_str(n->root_access));
        jw_kstr(w, "minimum_imds_version", n->imds_min);
        j_placement(w, m, &n->place);
        jw_kstr(w, "network_interface", S(m, n->eni.sym));
        j_source(w, m, &n->r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "domains");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_DOMAIN); i++) {
        const mv_domain *d = MV_AT(m, MK_DOMAIN, mv_domain, i);
        jw_obj(w);
        jw_kstr(w, "id", S(m, d->r.id));
        jw_kstr(w, "name", d->domain_name);
        jw_kstr(w, "status", d->status);
        jw_kstr(w, "app_network_access_type", d->net == MA_VPC_ONLY ? "VpcOnly"
                : d->net == MA_PUBLIC_INTERNET_ONLY ? "PublicInternetOnly" : NULL);
        jw_kstr(w, "vpc", S(m, d->vpc.sym));
        j_placement(w, m, &d->place);
        j_source(w, m, &d->r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "jobs");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_JOB); i++) {
        const mv_job *j = MV_AT(m, MK_JOB, mv_job, i);
        jw_obj(w);
        jw_kstr(w, "id", S(m, j->r.id));
        jw_kstr(w, "kind", mv_job_kind_name(j->kind));
        jw_kstr(w, "name", j->job_name);
        jw_kstr(w, "status", j->status);
        j_tri(w, "network_isolation", j->isolation);
        j_tri(w, "inter_container_traffic_encryption", j->ict_encryption);
        jw_key(w, "instance_count");
        if (j->instance_count < 0)
            jw_null(w);
        else
            jw_int(w, j->instance_count);
        j_placement(w, m, &j->place);
        j_source(w, m, &j->r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "models");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_MODEL); i++) {
        const mv_model_res *x = MV_AT(m, MK_MODEL, mv_model_res, i);
        jw_obj(w);
        jw_kstr(w, "id", S(m, x->r.id));
        jw_kstr(w, "name", x->model_name);
        j_tri(w, "network_isolation", x->isolation);
        j_placement(w, m, &x->place);
        j_source(w, m, &x->r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "endpoint_configs");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_EPCONFIG); i++) {
        const mv_epconfig *c = MV_AT(m, MK_EPCONFIG, mv_epconfig, i);
        jw_obj(w);
        jw_kstr(w, "id", S(m, c->r.id));
        jw_kstr(w, "name", c->config_name);
        jw_key(w, "variants");
        jw_arr(w);
        for (uint32_t k = 0; k < c->nvariants; k++) {
            const mv_variant *v = &c->variants[k];
            jw_obj(w);
            jw_kstr(w, "name", v->variant_name);
            jw_kstr(w, "model", S(m, v->model.sym));
            jw_kbool(w, "serverless", v->serverless);
            jw_key(w, "initial_instance_count");
            if (v->instance_count < 0)
                jw_null(w);
            else
                jw_int(w, v->instance_count);
            jw_kstr(w, "instance_type", v->instance_type);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        j_source(w, m, &c->r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "endpoints");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_ENDPOINT); i++) {
        const mv_endpoint *e = MV_AT(m, MK_ENDPOINT, mv_endpoint, i);
        jw_obj(w);
        jw_kstr(w, "id", S(m, e->r.id));
        jw_kstr(w, "name", e->ep_name);
        jw_kstr(w, "status", e->status);
        jw_kstr(w, "endpoint_config", S(m, e->config.sym));
        /* Placements through endpoint -> config -> variants -> models. */
        jw_key(w, "models");
        jw_arr(w);
        if (e->config.idx != MV_NONE) {
            const mv_epconfig *c = MV_AT(m, MK_EPCONFIG, mv_epconfig, e->config.idx);
            for (uint32_t k = 0; k < c->nvariants; k++) {
                jw_obj(w);
                jw_kstr(w, "id", S(m, c->variants[k].model.sym));
                if (c->variants[k].model.idx != MV_NONE)
                    j_placement(w, m, &MV_AT(m, MK_MODEL, mv_model_res, c->variants[k].model.idx)->place);
                jw_obj_end(w);
            }
        }
        jw_arr_end(w);
        j_source(w, m, &e->r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void j_prefix_lists(jw *w, const mlvpc_model *m)
{
    jw_key(w, "prefix_lists");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_PL); i++) {
        const mv_pl *p = MV_AT(m, MK_PL, mv_pl, i);
        jw_obj(w);
        jw_kstr(w, "id", S(m, p->r.id));
        jw_kstr(w, "name", p->pl_name);
        jw_kbool(w, "aws_managed", p->aws_managed);
        jw_key(w, "max_entries");
        if (p->max_entries < 0)
            jw_null(w);
        else
            jw_int(w, p->max_entries);
        jw_key(w, "entries");
        if (p->entries_known)
            j_prefixes(w, NULL, p->entries, p->nentries);
        else
            jw_null(w);
        j_source(w, m, &p->r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* Resources of the grouped kinds whose VPC is not in the input. */
static void j_unplaced(jw *w, const view *v)
{
    const mlvpc_model *m = v->m;
    uint32_t nv = MV_N(m, MK_VPC);
    jw_key(w, "outside_known_vpcs");
    jw_obj(w);
    for (size_t g = 0; g < NGROUPS; g++) {
        mv_kind k = vpc_groups[g].kind;
        const bucket *b = &v->by_vpc[k];
        if (b->start[nv] == b->start[nv + 1])
            continue;
        jw_key(w, mv_kind_name(k));
        jw_arr(w);
        BUCKET_FOR(b, nv, i) jw_str(w, S(m, model_res(m, k, i)->id));
        jw_arr_end(w);
    }
    jw_key(w, "network-interface");
    jw_arr(w);
    BUCKET_FOR(&v->eni_by_subnet, MV_N(m, MK_SUBNET), i) jw_str(w, S(m, MV_AT(m, MK_ENI, mv_eni, i)->r.id));
    jw_arr_end(w);
    jw_obj_end(w);
}

static void show_json(jw *w, const view *v)
{
    const mlvpc_model *m = v->m;
    jw_obj(w);
    jw_kstr(w, "tool", "mlvpc");
    jw_kstr(w, "version", MLVPC_VERSION);
    jw_kstr(w, "schema", "mlvpc-show/1");
    jw_key(w, "summary");
    jw_obj(w);
    jw_kint(w, "resources", (int64_t)mlvpc_model_resource_count(m));
    jw_key(w, "by_kind");
    jw_obj(w);
    for (int k = 1; k < MK_COUNT; k++)
        if (MV_N(m, k))
            jw_kint(w, mv_kind_name(k), MV_N(m, k));
    jw_obj_end(w);
    jw_kint(w, "files_read", m->files.n);
    jw_key(w, "files_skipped");
    jw_arr(w);
    for (size_t i = 0; i < mlvpc_model_skipped_count(m); i++)
        jw_str(w, mlvpc_model_skipped(m, i));
    jw_arr_end(w);
    jw_kint(w, "warnings", (int64_t)(m->diags.n + m->diags_dropped));
    jw_obj_end(w);
    jw_key(w, "vpcs");
    jw_arr(w);
    for (uint32_t i = 0; i < MV_N(m, MK_VPC); i++)
        j_vpc(w, v, i);
    jw_arr_end(w);
    j_unplaced(w, v);
    j_prefix_lists(w, m);
    jw_key(w, "sagemaker");
    jw_obj(w);
    j_sagemaker(w, m);
    jw_obj_end(w);
    jw_obj_end(w);
}

/* ------------------------------------------------------------------ text */

typedef struct tw {
    FILE *f;
    bool failed;
} tw;

static void tp(tw *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tp(tw *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(t->f, fmt, ap) < 0)
        t->failed = true;
    va_end(ap);
}

static const char *or_dash(const char *s) { return s ? s : "-"; }

static void t_prefixes(tw *t, const ip_prefix *p, uint32_t n)
{
    char buf[IP_STR_MAX];
    for (uint32_t i = 0; i < n; i++)
        tp(t, "%s%s", i ? "," : "", ip_prefix_str(&p[i], buf));
    if (!n)
        tp(t, "-");
}

static void t_route(tw *t, const mlvpc_model *m, const mv_route *r)
{
    char dst[IP_STR_MAX];
    route_dst_str(m, r, dst);
    tp(t, "%s -> %s", dst, or_dash(S(m, r->tgt.sym)));
    if (r->state == MS_BLACKHOLE)
        tp(t, " (blackhole)");
}

static void t_subnet(tw *t, const view *v, uint32_t si)
{
    const mlvpc_model *m = v->m;
    const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, si);
    const mv_route *why;
    mv_class cls = model_subnet_class(m, s, &why);
    tp(t, "    %s  ", S(m, s->r.id));
    t_prefixes(t, s->cidrs, s->ncidrs);
    tp(t, "  %s  %s", or_dash(s->az), mv_class_name(cls));
    if (s->r.name)
        tp(t, "  \"%s\"", s->r.name);
    tp(t, "\n      route table: ");
    if (s->rtb == MV_NONE) {
        tp(t, "unknown (not in the input)");
    } else {
        tp(t, "%s (%s)", S(m, MV_AT(m, MK_RTB, mv_rtb, s->rtb)->r.id), s->rtb_explicit ? "explicit" : "main");
        tp(t, cls == MC_PUBLIC ? ", public because " : ", ");
        if (why)
            t_route(t, m, why);
        else
            tp(t, "no default route");
    }
    tp(t, "\n      network acl: ");
    if (s->nacl == MV_NONE)
        tp(t, "unknown (not in the input)");
    else
        tp(t, "%s (%s)", S(m, MV_AT(m, MK_NACL, mv_nacl, s->nacl)->r.id), s->nacl_explicit ? "explicit" : "default");
    tp(t, "   map public ip on launch: %s\n", tri_str(s->map_public_ip));
    BUCKET_FOR(&v->eni_by_subnet, si, ei)
    {
        const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, ei);
        char buf[IP_STR_MAX];
        tp(t, "      %s  %s", S(m, e->r.id), e->nprivate ? ip_addr_str(&e->private_ips[0], buf) : "-");
        if (e->npublic)
            tp(t, "  public %s", ip_addr_str(&e->public_ips[0], buf));
        tp(t, "  %s", mv_owner_name(e->owner));
        if (e->owner_idx != MV_NONE)
            tp(t, " %s", S(m, model_res(m, e->owner_kind, e->owner_idx)->id));
        tp(t, "  sg:");
        for (uint32_t k = 0; k < e->nsgs; k++)
            tp(t, " %s", S(m, e->sgs[k].sym));
        tp(t, e->nsgs ? "\n" : " -\n");
    }
}

static void t_rtb(tw *t, const mlvpc_model *m, const mv_rtb *r)
{
    tp(t, "    %s%s", S(m, r->r.id), r->main ? " (main)" : "");
    if (r->r.name)
        tp(t, "  \"%s\"", r->r.name);
    tp(t, "\n");
    for (uint32_t i = 0; i < r->nroutes; i++) {
        tp(t, "      ");
        t_route(t, m, &r->routes[i]);
        tp(t, "\n");
    }
}

static void t_sg(tw *t, const mlvpc_model *m, const mv_sg *g)
{
    tp(t, "    %s  %s%s\n", S(m, g->r.id), or_dash(g->group_name), g->is_default ? " (default)" : "");
    for (uint32_t i = 0; i < g->nrules; i++) {
        const mv_sg_rule *r = &g->rules[i];
        char proto[32], ports[40], peer[IP_STR_MAX];
        proto_str(r->m.proto, proto, sizeof proto);
        ports_str(&r->m, ports, sizeof ports);
        if (r->peer == MP_CIDR)
            ip_prefix_str(&r->cidr, peer);
        else
            snprintf(peer, sizeof peer, "%s", S(m, r->ref.sym));
        tp(t, "      %-3s %-6s %-14s %s %s\n", r->egress ? "out" : "in", proto, ports, r->egress ? "to" : "from", peer);
    }
    if (!g->nrules)
        tp(t, "      (no rules)\n");
}

static void t_nacl(tw *t, const mlvpc_model *m, const mv_nacl *n)
{
    char buf[IP_STR_MAX];
    tp(t, "    %s%s\n", S(m, n->r.id), n->is_default == MV_TRUE ? " (default)" : "");
    for (uint32_t i = 0; i < n->nentries; i++) {
        const mv_nacl_entry *e = &n->entries[i];
        char proto[32], ports[40], rule[8];
        proto_str(e->m.proto, proto, sizeof proto);
        ports_str(&e->m, ports, sizeof ports);
        snprintf(rule, sizeof rule, e->rule >= MV_NACL_STAR_RULE ? "*" : "%u", e->rule);
        tp(t, "      %-3s %5s %-5s %-6s %-14s %s\n", e->egress ? "out" : "in", rule, e->allow ? "allow" : "deny",
           proto, ports, ip_prefix_str(&e->cidr, buf));
    }
}

static void t_vpc(tw *t, const view *v, uint32_t vi)
{
    const mlvpc_model *m = v->m;
    const mv_vpc *x = MV_AT(m, MK_VPC, mv_vpc, vi);
    tp(t, "%s  ", S(m, x->r.id));
    t_prefixes(t, x->cidrs, x->ncidrs);
    if (x->r.name)
        tp(t, "  \"%s\"", x->r.name);
    tp(t, "  account %s  region %s\n", or_dash(S(m, x->r.account)), or_dash(S(m, x->r.region)));
    tp(t, "  dns support: %s  dns hostnames: %s  dhcp options: %s\n", tri_str(x->dns_support),
       tri_str(x->dns_hostnames), or_dash(S(m, x->dhcp.sym)));
    tp(t, "  subnets:\n");
    BUCKET_FOR(&v->by_vpc[MK_SUBNET], vi, s) t_subnet(t, v, s);
    tp(t, "  route tables:\n");
    BUCKET_FOR(&v->by_vpc[MK_RTB], vi, r) t_rtb(t, m, MV_AT(m, MK_RTB, mv_rtb, r));
    tp(t, "  security groups:\n");
    BUCKET_FOR(&v->by_vpc[MK_SG], vi, g) t_sg(t, m, MV_AT(m, MK_SG, mv_sg, g));
    tp(t, "  network acls:\n");
    BUCKET_FOR(&v->by_vpc[MK_NACL], vi, n) t_nacl(t, m, MV_AT(m, MK_NACL, mv_nacl, n));
    tp(t, "  gateways:\n");
    BUCKET_FOR(&v->by_vpc[MK_IGW], vi, g) tp(t, "    %s  internet gateway\n", S(m, model_res(m, MK_IGW, g)->id));
    BUCKET_FOR(&v->by_vpc[MK_EIGW], vi, g)
        tp(t, "    %s  egress-only internet gateway\n", S(m, model_res(m, MK_EIGW, g)->id));
    BUCKET_FOR(&v->by_vpc[MK_NATGW], vi, g)
    {
        const mv_natgw *n = MV_AT(m, MK_NATGW, mv_natgw, g);
        tp(t, "    %s  %s nat gateway in %s, %s\n", S(m, n->r.id),
           n->conn == MN_PRIVATE ? "private" : n->conn == MN_PUBLIC ? "public" : "unknown",
           or_dash(S(m, n->subnet.sym)), or_dash(n->state));
    }
    tp(t, "  endpoints:\n");
    BUCKET_FOR(&v->by_vpc[MK_VPCE], vi, e)
    {
        const mv_vpce *p = MV_AT(m, MK_VPCE, mv_vpce, e);
        tp(t, "    %s  %s %s", S(m, p->r.id), or_dash(vpce_type_name(p->type)), or_dash(p->service_name));
        if (p->type == ME_INTERFACE)
            tp(t, "  private dns: %s  subnets: %u  sgs: %u", tri_str(p->private_dns), p->nsubnets, p->nsgs);
        else if (p->type == ME_GATEWAY)
            tp(t, "  route tables: %u", p->nrtbs);
        tp(t, "\n");
    }
    tp(t, "  peering:\n");
    BUCKET_FOR(&v->by_vpc[MK_PCX], vi, p)
    {
        const mv_pcx *c = MV_AT(m, MK_PCX, mv_pcx, p);
        tp(t, "    %s  %s <-> %s  %s\n", S(m, c->r.id), or_dash(S(m, c->requester.vpc.sym)),
           or_dash(S(m, c->accepter.vpc.sym)), or_dash(c->status));
    }
    tp(t, "  flow logs:\n");
    BUCKET_FOR(&v->by_vpc[MK_FLOWLOG], vi, f)
    {
        const mv_flowlog *l = MV_AT(m, MK_FLOWLOG, mv_flowlog, f);
        tp(t, "    %s  %s on %s -> %s\n", S(m, l->r.id), or_dash(l->traffic_type), or_dash(S(m, l->resource.sym)),
           or_dash(l->dest_type));
    }
    tp(t, "\n");
}

static void t_placement(tw *t, const mlvpc_model *m, const mv_placement *p)
{
    if (p->present != MV_TRUE) {
        tp(t, "      placement: %s\n", p->present == MV_FALSE ? "not in a VPC" : "unknown");
        return;
    }
    for (uint32_t i = 0; i < p->nsubnets; i++) {
        const mv_ref *r = &p->subnets[i];
        const mv_route *why;
        if (r->idx == MV_NONE) {
            tp(t, "      subnet %s (not in the input)\n", S(m, r->sym));
            continue;
        }
        const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, r->idx);
        tp(t, "      subnet %s  %s  %s  %s\n", S(m, r->sym), or_dash(S(m, s->vpc.sym)), or_dash(s->az),
           mv_class_name(model_subnet_class(m, s, &why)));
    }
    tp(t, "      security groups:");
    for (uint32_t i = 0; i < p->nsgs; i++)
        tp(t, " %s", S(m, p->sgs[i].sym));
    tp(t, p->nsgs ? "\n" : " -\n");
}

static void t_sagemaker(tw *t, const mlvpc_model *m)
{
    if (!MV_N(m, MK_NOTEBOOK) && !MV_N(m, MK_DOMAIN) && !MV_N(m, MK_JOB) && !MV_N(m, MK_MODEL) &&
        !MV_N(m, MK_ENDPOINT))
        return;
    tp(t, "sagemaker:\n");
    for (uint32_t i = 0; i < MV_N(m, MK_NOTEBOOK); i++) {
        const mv_notebook *n = MV_AT(m, MK_NOTEBOOK, mv_notebook, i);
        tp(t, "  %s  direct internet: %s  root access: %s\n", S(m, n->r.id), or_dash(enabled_str(n->direct_internet)),
           or_dash(enabled_str(n->root_access)));
        t_placement(t, m, &n->place);
    }
    for (uint32_t i = 0; i < MV_N(m, MK_DOMAIN); i++) {
        const mv_domain *d = MV_AT(m, MK_DOMAIN, mv_domain, i);
        tp(t, "  %s  %s  app network access: %s\n", S(m, d->r.id), or_dash(d->domain_name),
           d->net == MA_VPC_ONLY ? "VpcOnly" : d->net == MA_PUBLIC_INTERNET_ONLY ? "PublicInternetOnly" : "unknown");
        t_placement(t, m, &d->place);
    }
    for (uint32_t i = 0; i < MV_N(m, MK_JOB); i++) {
        const mv_job *j = MV_AT(m, MK_JOB, mv_job, i);
        tp(t, "  %s  network isolation: %s  inter-container encryption: %s  instances: ", S(m, j->r.id),
           tri_str(j->isolation), tri_str(j->ict_encryption));
        if (j->instance_count < 0)
            tp(t, "unknown\n");
        else
            tp(t, "%d\n", j->instance_count);
        t_placement(t, m, &j->place);
    }
    for (uint32_t i = 0; i < MV_N(m, MK_MODEL); i++) {
        const mv_model_res *x = MV_AT(m, MK_MODEL, mv_model_res, i);
        tp(t, "  %s  network isolation: %s\n", S(m, x->r.id), tri_str(x->isolation));
        t_placement(t, m, &x->place);
    }
    for (uint32_t i = 0; i < MV_N(m, MK_ENDPOINT); i++) {
        const mv_endpoint *e = MV_AT(m, MK_ENDPOINT, mv_endpoint, i);
        tp(t, "  %s  config %s", S(m, e->r.id), or_dash(S(m, e->config.sym)));
        if (e->config.idx != MV_NONE) {
            const mv_epconfig *c = MV_AT(m, MK_EPCONFIG, mv_epconfig, e->config.idx);
            tp(t, "  models:");
            for (uint32_t k = 0; k < c->nvariants; k++)
                tp(t, " %s", or_dash(S(m, c->variants[k].model.sym)));
        }
        tp(t, "\n");
    }
}

static void show_text(tw *t, const view *v)
{
    const mlvpc_model *m = v->m;
    tp(t, "%zu resources in %u files", mlvpc_model_resource_count(m), m->files.n);
    if (mlvpc_model_skipped_count(m))
        tp(t, " (%zu skipped)", mlvpc_model_skipped_count(m));
    tp(t, "\n\n");
    for (uint32_t i = 0; i < MV_N(m, MK_VPC); i++)
        t_vpc(t, v, i);
    t_sagemaker(t, m);
    if (mlvpc_model_skipped_count(m)) {
        tp(t, "skipped (not a recognised describe output):\n");
        for (size_t i = 0; i < mlvpc_model_skipped_count(m); i++)
            tp(t, "  %s\n", mlvpc_model_skipped(m, i));
    }
}

mlvpc_status mlvpc_show_write(const mlvpc_model *m, mlvpc_format fmt, FILE *out, mlvpc_diag *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!m || !m->finished || !out) {
        if (err) {
            err->status = MLVPC_ERR_USAGE;
            snprintf(err->text, sizeof err->text, "show needs a finished model and an output stream");
        }
        return MLVPC_ERR_USAGE;
    }
    view v;
    if (view_build(&v, m) != 0) {
        view_free(&v);
        if (err) {
            err->status = MLVPC_ERR_NOMEM;
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        return MLVPC_ERR_NOMEM;
    }
    bool ok;
    if (fmt == MLVPC_FORMAT_JSON) {
        jw w;
        jw_init(&w, out);
        show_json(&w, &v);
        ok = jw_finish(&w);
    } else {
        tw t = { .f = out };
        show_text(&t, &v);
        ok = !t.failed && fflush(out) != EOF;
    }
    view_free(&v);
    if (!ok) {
        if (err) {
            err->status = MLVPC_ERR_IO;
            snprintf(err->text, sizeof err->text, "write error");
        }
        return MLVPC_ERR_IO;
    }
    return MLVPC_OK;
}
