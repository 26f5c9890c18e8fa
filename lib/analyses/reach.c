/*
 * Single-query reachability (see reach.h). Semantics and sources:
 * ../shared/spec/reachability.md part A; section numbers below refer to it.
 */
#include "reach.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ engine */

typedef struct ipent {
    uint8_t af;
    u128 ip;
    uint32_t eni;
} ipent;

struct reach_engine {
    const mlvpc_model *m;
    ipent *ips;  /* every private address of every ENI, sorted */
    uint32_t nips;
    ipent *pubs; /* every public IPv4 address of every ENI, sorted */
    uint32_t npubs;
    bool has_internet;
    ip_addr internet; /* a public address no route or prefix list treats specially */
};

static bool pick_internet(const mlvpc_model *m, ip_addr *out);

static int ipent_cmp(const void *a, const void *b)
{
    const ipent *x = a, *y = b;
    if (x->af != y->af)
        return x->af < y->af ? -1 : 1;
    return x->ip < y->ip ? -1 : x->ip > y->ip ? 1 : 0;
}

reach_engine *reach_engine_new(const mlvpc_model *m)
{
    reach_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->m = m;
    size_t n = 0;
    for (uint32_t i = 0; i < MV_N(m, MK_ENI); i++) {
        const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, i);
        n += x->nprivate + x->nipv6;
    }
    size_t np = 0;
    for (uint32_t i = 0; i < MV_N(m, MK_ENI); i++)
        np += MV_AT(m, MK_ENI, mv_eni, i)->npublic;
    e->ips = malloc((n + 1) * sizeof *e->ips);
    e->pubs = malloc((np + 1) * sizeof *e->pubs);
    if (!e->ips || !e->pubs) {
        reach_engine_free(e);
        return NULL;
    }
    for (uint32_t i = 0; i < MV_N(m, MK_ENI); i++) {
        const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, i);
        for (uint32_t k = 0; k < x->nprivate; k++)
            e->ips[e->nips++] = (ipent){ x->private_ips[k].af, ip_to_u128(&x->private_ips[k]), i };
        for (uint32_t k = 0; k < x->nipv6; k++)
            e->ips[e->nips++] = (ipent){ IP_V6, ip_to_u128(&x->ipv6[k]), i };
        for (uint32_t k = 0; k < x->npublic; k++)
            e->pubs[e->npubs++] = (ipent){ x->public_ips[k].af, ip_to_u128(&x->public_ips[k]), i };
    }
    qsort(e->ips, e->nips, sizeof *e->ips, ipent_cmp);
    qsort(e->pubs, e->npubs, sizeof *e->pubs, ipent_cmp);
    e->has_internet = pick_internet(m, &e->internet);
    return e;
}

void reach_engine_free(reach_engine *e)
{
    if (!e)
        return;
    free(e->ips);
    free(e->pubs);
    free(e);
}

static uint32_t eni_vpc(const mlvpc_model *m, uint32_t eni)
{
    const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, eni);
    return x->vpc.idx != MV_NONE ? x->vpc.idx
         : x->subnet.idx != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, x->subnet.idx)->vpc.idx : MV_NONE;
}

/* The ENI with private address a in VPC vpc (MV_NONE: in any VPC; VPCs
 * may overlap, so an address alone does not name an ENI). */
/* The index entries of address a: [*first, end); NULL when none. */
static const ipent *ip_entries(const reach_engine *e, const ip_addr *a, const ipent **end)
{
    ipent key = { a->af, ip_to_u128(a), 0 };
    const ipent *hit = bsearch(&key, e->ips, e->nips, sizeof *e->ips, ipent_cmp);
    if (!hit)
        return NULL;
    while (hit > e->ips && ipent_cmp(hit - 1, &key) == 0)
        hit--;
    for (*end = hit; *end < e->ips + e->nips && ipent_cmp(*end, &key) == 0; (*end)++)
        ;
    return hit;
}

static uint32_t eni_by_ip(const reach_engine *e, const ip_addr *a, uint32_t vpc)
{
    const ipent *end, *hit = ip_entries(e, a, &end);
    for (; hit && hit < end; hit++)
        if (vpc == MV_NONE || eni_vpc(e->m, hit->eni) == vpc)
            return hit->eni;
    return MV_NONE;
}

/* Whether another ENI, in another VPC, also has private address a. */
static bool ip_ambiguous(const reach_engine *e, const ip_addr *a, uint32_t eni)
{
    const ipent *end, *hit = ip_entries(e, a, &end);
    for (; hit && hit < end; hit++)
        if (hit->eni != eni && eni_vpc(e->m, hit->eni) != eni_vpc(e->m, eni))
            return true;
    return false;
}

const char *reach_verdict_name(reach_verdict v)
{
    return v == RV_REACHABLE ? "reachable" : v == RV_UNREACHABLE ? "unreachable" : "indeterminate";
}

/* ------------------------------------------------------------------ places */

/* One end of a flow inside the model. */
typedef struct place {
    uint32_t eni;    /* MV_NONE for a SageMaker placement (ENIs made at run time) */
    uint32_t subnet; /* MV_NONE when unknown */
    uint32_t vpc;
    const mv_ref *sgs;
    uint32_t nsgs;
    ip_addr ip;      /* af 0: any address of the subnet */
    ip_addr ip6;     /* the ENI's first IPv6 address, af 0 when none */
    mv_tri has_public;
    ip_addr public_ip;
    bool sagemaker_network; /* traffic leaves through SageMaker's own VPC (A.7) */
    bool nfs_only;          /* Studio PublicInternetOnly: only EFS (NFS) traffic uses the VPC */
    bool isolated;          /* EnableNetworkIsolation: the container makes no network calls */
    char label[128];
} place;

typedef enum dkind { DK_ADDR = 0, DK_INTERNET, DK_SERVICE_PUBLIC } dkind;

typedef struct dest {
    dkind kind;
    uint32_t in_pl;     /* a prefix list (symbol) known to hold ip though its entries are unknown, 0 none */
    ip_addr ip;
    uint32_t eni;       /* the ENI that owns ip, or MV_NONE */
    uint32_t pub_owner; /* the ENI whose public address ip is, or MV_NONE */
    char desc[160];
} dest;

/* Client ephemeral ports for the return path (A.2 table). */
enum { EPH_LINUX_LO = 32768, EPH_LINUX_HI = 61000, EPH_NAT_LO = 1024, EPH_NAT_HI = 65535 };

typedef struct tctx {
    uint32_t in_pl;  /* the forward destination's prefix list (dest.in_pl) ... */
    u128 in_pl_addr; /* ... for that address only */
    reach_engine *e;
    const mlvpc_model *m;
    const reach_query *q;
    reach_trace *t;
    pieces pc;
    bool stopped; /* the path cannot be followed further */
    bool oom;
} tctx;

static const char *S(const mlvpc_model *m, uint32_t sym) { return sym ? model_str(m, sym) : "?"; }

static void hop(tctx *c, bool ret, const char *component, const char *kind, const char *action, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void hop(tctx *c, bool ret, const char *component, const char *kind, const char *action, const char *fmt, ...)
{
    reach_trace *t = c->t;
    if (t->nhops == REACH_MAX_HOPS)
        return;
    reach_hop *h = &t->hops[t->nhops++];
    h->ret = ret;
    /* The hop that shows the first block was reached; later ones were not. */
    h->reached = t->nblocks == 0 || (t->nhops - 1 == t->first_block_hop && strcmp(action, "deny") == 0);
    snprintf(h->component, sizeof h->component, "%s", component);
    h->kind = kind;
    h->action = action;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->detail, sizeof h->detail, fmt, ap);
    va_end(ap);
}

static void block(tctx *c, bool ret, const char *component, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void block(tctx *c, bool ret, const char *component, const char *code, const char *fmt, ...)
{
    reach_trace *t = c->t;
    if (t->nblocks == REACH_MAX_BLOCKS)
        return;
    reach_block b = { .ret = ret, .code = code };
    snprintf(b.component, sizeof b.component, "%s", component);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b.rule, sizeof b.rule, fmt, ap);
    va_end(ap);
    for (uint32_t i = 0; i < t->nblocks; i++) /* the same setting found twice */
        if (t->blocks[i].code == code && !strcmp(t->blocks[i].component, b.component) && !strcmp(t->blocks[i].rule, b.rule))
            return;
    if (!t->nblocks)
        t->first_block_hop = t->nhops;
    t->blocks[t->nblocks++] = b;
}

static void missing(tctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void missing(tctx *c, const char *fmt, ...)
{
    if (c->t->missing[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->t->missing, sizeof c->t->missing, fmt, ap);
    va_end(ap);
}

static void note(char notes[][REACH_TEXT], uint32_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(char notes[][REACH_TEXT], uint32_t *n, const char *fmt, ...)
{
    char buf[REACH_TEXT];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (uint32_t i = 0; i < *n; i++)
        if (strcmp(notes[i], buf) == 0)
            return;
    if (*n < REACH_MAX_NOTES)
        memcpy(notes[(*n)++], buf, sizeof buf);
}

#define TNOTE(c, ...) note((c)->t->notes, &(c)->t->nnotes, __VA_ARGS__)

/* ------------------------------------------------------------------ describing rules */

static void proto_text(int proto, char *buf, size_t n)
{
    const char *name = mv_proto_name(proto);
    if (proto == MV_PROTO_ALL)
        snprintf(buf, n, "all traffic");
    else if (name)
        snprintf(buf, n, "%s", name);
    else
        snprintf(buf, n, "protocol %d", proto);
}

static void match_text(const mv_match *mt, char *buf, size_t n)
{
    char p[24];
    proto_text(mt->proto, p, sizeof p);
    if ((mt->proto == MV_TCP || mt->proto == MV_UDP) && !(mt->port_lo == 0 && mt->port_hi == 65535))
        snprintf(buf, n, mt->port_lo == mt->port_hi ? "%s %u" : "%s %u-%u", p, mt->port_lo, mt->port_hi);
    else if ((mt->proto == MV_ICMP || mt->proto == MV_ICMPV6) && mt->icmp_type >= 0)
        snprintf(buf, n, "%s type %d", p, mt->icmp_type);
    else
        snprintf(buf, n, "%s", p);
}

static void sg_rule_text(const mlvpc_model *m, const mv_sg_rule *r, char *buf, size_t n)
{
    char mt[48], peer[IP_STR_MAX + 8];
    match_text(&r->m, mt, sizeof mt);
    if (r->peer == MP_CIDR)
        ip_prefix_str(&r->cidr, peer);
    else
        snprintf(peer, sizeof peer, "%s", S(m, r->ref.sym));
    snprintf(buf, n, "%s %s %s", mt, r->egress ? "to" : "from", peer);
}

static void nacl_entry_text(const mv_nacl_entry *e, char *buf, size_t n)
{
    char mt[48], cidr[IP_STR_MAX];
    match_text(&e->m, mt, sizeof mt);
    char rule[8];
    snprintf(rule, sizeof rule, e->rule >= MV_NACL_STAR_RULE ? "*" : "%u", e->rule);
    snprintf(buf, n, "rule %s %s %s %s %s", rule, e->allow ? "allow" : "deny", mt, e->egress ? "to" : "from",
             ip_prefix_str(&e->cidr, cidr));
}

/* The packets of a piece, briefly: "ports 40001-61000" when only ports vary. */
static void box_text(const hbox *b, const hbox *whole, char *buf, size_t n)
{
    if (b->dport_lo != whole->dport_lo || b->dport_hi != whole->dport_hi)
        snprintf(buf, n, b->dport_lo == b->dport_hi ? " (port %u)" : " (ports %u-%u)", b->dport_lo, b->dport_hi);
    else if (b->proto_lo != whole->proto_lo || b->proto_hi != whole->proto_hi)
        snprintf(buf, n, b->proto_lo == b->proto_hi ? " (protocol %u)" : " (protocols %u-%u)", b->proto_lo, b->proto_hi);
    else
        buf[0] = '\0';
}

/* ------------------------------------------------------------------ component steps */

/* Network ACL of `subnet` in one direction over box b. */
static void nacl_step(tctx *c, uint32_t subnet, bool egress, const hbox *b, bool ret)
{
    const mlvpc_model *m = c->m;
    const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, subnet);
    if (s->nacl == MV_NONE) {
        missing(c, "the network ACL of %s is not in the input", S(m, s->r.id));
        hop(c, ret, S(m, s->r.id), "network-acl", "unknown", "%s: no network ACL in the input", egress ? "outbound" : "inbound");
        return;
    }
    const mv_nacl *n = MV_AT(m, MK_NACL, mv_nacl, s->nacl);
    if (n->incomplete) {
        /* The first matching entry decides: one that is not known could be it. */
        missing(c, "some entries of network ACL %s are not known from the input", S(m, n->r.id));
        hop(c, ret, S(m, n->r.id), "network-acl", "unknown", "%s: an entry is not known", egress ? "outbound" : "inbound");
        return;
    }
    pieces_clear(&c->pc);
    if (nacl_decide(m, n, egress, b, &c->pc) != 0) {
        c->oom = true;
        return;
    }
    char text[REACH_TEXT], part[48];
    bool any_deny = false;
    for (uint32_t i = 0; i < c->pc.n; i++) {
        const piece *p = &c->pc.v[i];
        if (p->v != V_DENY)
            continue;
        if (p->rule == MV_NONE)
            snprintf(text, sizeof text, "no rule matches (implicit deny)");
        else
            nacl_entry_text(&n->entries[p->rule], text, sizeof text);
        box_text(&p->box, b, part, sizeof part);
        block(c, ret, S(m, n->r.id), "SUBNET_ACL_RESTRICTION", "%s %s%s", egress ? "outbound" : "inbound", text, part);
        hop(c, ret, S(m, n->r.id), "network-acl", "deny", "%s %s%s", egress ? "outbound" : "inbound", text, part);
        any_deny = true;
        break;
    }
    if (!any_deny) {
        /* Quote the entry that decides most of the packets (by ports). */
        const piece *p = &c->pc.v[0];
        for (uint32_t i = 1; i < c->pc.n; i++)
            if ((uint32_t)(c->pc.v[i].box.dport_hi - c->pc.v[i].box.dport_lo) > (uint32_t)(p->box.dport_hi - p->box.dport_lo))
                p = &c->pc.v[i];
        nacl_entry_text(&n->entries[p->rule], text, sizeof text);
        hop(c, ret, S(m, n->r.id), "network-acl", "allow", "%s %s%s", egress ? "outbound" : "inbound", text,
            c->pc.n > 1 ? " (and other rules)" : "");
    }
}

/* A group of the place has rules the input does not give fully: an
 * allow still stands (groups only add), a deny does not. */
static bool sg_incomplete(const mlvpc_model *m, const place *p)
{
    for (uint32_t i = 0; i < p->nsgs; i++)
        if (p->sgs[i].idx != MV_NONE && MV_AT(m, MK_SG, mv_sg, p->sgs[i].idx)->incomplete)
            return true;
    return false;
}

/* Security groups of one end (union of their rules). */
static void sg_step(tctx *c, const place *p, bool egress, const sg_peer *peer, const hbox *b)
{
    const mlvpc_model *m = c->m;
    char who[128];
    size_t w = 0;
    who[0] = '\0';
    for (uint32_t i = 0; i < p->nsgs && w < sizeof who; i++)
        w += (size_t)snprintf(who + w, sizeof who - w, "%s%s", i ? "," : "", S(m, p->sgs[i].sym));
    if (!p->nsgs)
        snprintf(who, sizeof who, "%s", p->label);
    for (uint32_t i = 0; i < p->nsgs; i++)
        if (p->sgs[i].idx == MV_NONE) {
            missing(c, "security group %s is not in the input", S(m, p->sgs[i].sym));
            hop(c, false, who, "security-group", "unknown", "%s: %s is not in the input", egress ? "outbound" : "inbound",
                S(m, p->sgs[i].sym));
            return;
        }
    pieces_clear(&c->pc);
    if (sg_decide(m, p->sgs, p->nsgs, egress, peer, b, &c->pc) != 0) {
        c->oom = true;
        return;
    }
    char text[REACH_TEXT], part[48];
    const piece *allow = NULL;
    /* A definite deny of part of the packets decides, whatever else is
     * unknown; then an unknown part; else the packets are allowed. */
    static const verdict order[] = { V_DENY, V_UNKNOWN, V_ALLOW };
    for (uint32_t n = 0; n < 3 * c->pc.n; n++) {
        const piece *pc = &c->pc.v[n % c->pc.n];
        if (pc->v != order[n / c->pc.n])
            continue;
        box_text(&pc->box, b, part, sizeof part);
        if (pc->v == V_DENY && sg_incomplete(m, p)) {
            missing(c, "some rules of the security groups of %s are not known from the input", p->label);
            hop(c, false, who, "security-group", "unknown", "no known %s rule allows this%s", egress ? "outbound" : "inbound",
                part);
            return;
        }
        if (pc->v == V_DENY) {
            char mt[48];
            mv_match pm = { .proto = (int16_t)(b->proto_lo == b->proto_hi ? b->proto_lo : MV_PROTO_ALL),
                            .port_lo = b->dport_lo, .port_hi = b->dport_hi, .icmp_type = -1, .icmp_code = -1 };
            match_text(&pm, mt, sizeof mt);
            block(c, false, who, p->nsgs ? "ENI_SG_RULES_MISMATCH" : "SG_HAS_NO_RULES",
                  "no %s rule allows %s%s", egress ? "outbound" : "inbound", mt, part);
            hop(c, false, who, "security-group", "deny", "no %s rule allows %s%s", egress ? "outbound" : "inbound", mt, part);
            return;
        }
        if (pc->v == V_UNKNOWN) {
            missing(c, "the entries of prefix list %s are not in the input", S(m, pc->why));
            hop(c, false, who, "security-group", "unknown", "only a rule with prefix list %s could allow this%s",
                S(m, pc->why), part);
            return;
        }
        if (!allow)
            allow = pc;
    }
    const mv_sg *g = MV_AT(m, MK_SG, mv_sg, allow->owner);
    sg_rule_text(m, &g->rules[allow->rule], text, sizeof text);
    hop(c, false, S(m, g->r.id), "security-group", "allow", "%s %s", egress ? "outbound" : "inbound", text);
}

static bool private_v4(const ip_addr *a);

/* The destination point of b is no AWS service's address: a private IPv4
 * address, or the representative internet address (chosen among
 * documentation and other non-AWS public addresses). */
static bool not_aws(const tctx *c, const hbox *b)
{
    ip_addr a = u128_to_ip(b->dst_lo, b->af);
    return (a.af == IP_V4 && private_v4(&a)) || (c->e->has_internet && !memcmp(&a, &c->e->internet, sizeof a));
}

/* The prefix list known to hold b's destination (the query's), or 0. */
static uint32_t pl_of(const tctx *c, const hbox *b) { return c->in_pl && b->dst_lo == c->in_pl_addr ? c->in_pl : 0; }

/* The route `subnet`'s table picks for the destination of b (a point). */
static const mv_route *route_step(tctx *c, uint32_t subnet, const hbox *b, bool ret, uint32_t *rtb_out)
{
    const mlvpc_model *m = c->m;
    const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, subnet);
    *rtb_out = s->rtb;
    if (s->rtb == MV_NONE) {
        missing(c, "the route table of %s is not in the input", S(m, s->r.id));
        hop(c, ret, S(m, s->r.id), "route-table", "unknown", "no route table in the input");
        c->stopped = true;
        return NULL;
    }
    const mv_rtb *t = MV_AT(m, MK_RTB, mv_rtb, s->rtb);
    pieces_clear(&c->pc);
    hbox dst = *b;
    dst.dst_hi = dst.dst_lo; /* routes depend on the destination only */
    if (route_decide_pl(m, t, &dst, &c->pc, not_aws(c, &dst), pl_of(c, &dst)) != 0) {
        c->oom = true;
        return NULL;
    }
    const piece *p = &c->pc.v[0];
    char dtext[IP_STR_MAX];
    ip_addr da = u128_to_ip(b->dst_lo, b->af);
    ip_addr_str(&da, dtext);
    if (p->v == V_UNKNOWN) {
        missing(c, "the entries of prefix list %s are not in the input", S(m, p->why));
        hop(c, ret, S(m, t->r.id), "route-table", "unknown", "a route to prefix list %s may apply to %s", S(m, p->why), dtext);
        c->stopped = true;
        return NULL;
    }
    if (p->v == V_DENY) {
        block(c, ret, S(m, t->r.id), "NO_ROUTE_TO_DESTINATION", "no route to %s", dtext);
        hop(c, ret, S(m, t->r.id), "route-table", "deny", "no route to %s", dtext);
        c->stopped = true;
        return NULL;
    }
    const mv_route *r = &t->routes[p->rule];
    char rdst[IP_STR_MAX];
    if (r->dst.a.af)
        ip_prefix_str(&r->dst, rdst);
    else
        snprintf(rdst, sizeof rdst, "%s", S(m, r->dst_pl.sym));
    if (r->state == MS_BLACKHOLE) {
        block(c, ret, S(m, t->r.id), "BAD_STATE_ROUTE", "%s -> %s is a blackhole route", rdst, S(m, r->tgt.sym));
        hop(c, ret, S(m, t->r.id), "route-table", "deny", "%s -> %s (blackhole)", rdst, S(m, r->tgt.sym));
        c->stopped = true;
        return NULL;
    }
    hop(c, ret, S(m, t->r.id), "route-table", "route", "%s -> %s", rdst, S(m, r->tgt.sym));
    return r;
}

/* The route the subnet's table picks for b's destination, or NULL when
 * none (or unknown: *unknown set), without recording hops or blocks. */
static const mv_route *route_peek(tctx *c, uint32_t subnet, const hbox *b, bool *unknown)
{
    const mlvpc_model *m = c->m;
    uint32_t t = MV_AT(m, MK_SUBNET, mv_subnet, subnet)->rtb;
    *unknown = t == MV_NONE;
    if (t == MV_NONE)
        return NULL;
    hbox dst = *b;
    dst.dst_hi = dst.dst_lo;
    pieces_clear(&c->pc);
    if (route_decide_pl(m, MV_AT(m, MK_RTB, mv_rtb, t), &dst, &c->pc, not_aws(c, &dst), pl_of(c, &dst)) != 0) {
        c->oom = true;
        return NULL;
    }
    const piece *p = &c->pc.v[0];
    *unknown = p->v == V_UNKNOWN;
    return p->v == V_ALLOW ? &MV_AT(m, MK_RTB, mv_rtb, t)->routes[p->rule] : NULL;
}

static uint32_t subnet_of_addr(const mlvpc_model *m, uint32_t vpc, const ip_addr *a)
{
    for (uint32_t i = 0; i < MV_N(m, MK_SUBNET); i++) {
        const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, i);
        if (s->vpc.idx != vpc)
            continue;
        for (uint32_t k = 0; k < s->ncidrs; k++)
            if (ip_prefix_contains(&s->cidrs[k], a))
                return i;
    }
    return MV_NONE;
}

/* p and q share addresses but neither holds the other. */
static bool splits(const ip_prefix *p, const ip_prefix *q)
{
    return p->a.af == q->a.af && (ip_prefix_contains(p, &q->a) || ip_prefix_contains(q, &p->a)) &&
           !ip_prefix_covers(p, q) && !ip_prefix_covers(q, p);
}

/*
 * The address a query uses for ENI i: its primary private IPv4 address; for
 * an interface that exists only once deployed (a template's interface
 * endpoint) a representative address of its subnet, the first one AWS
 * assigns (network + 4), provided that no route, network ACL entry or
 * security group rule of the VPC singles out part of that subnet, so that
 * any address of it gets the same answer. *assumed tells which; false when
 * there is no usable address (why says it).
 */
static bool eni_address(const mlvpc_model *m, uint32_t i, ip_addr *out, bool *assumed, const char **why)
{
    const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, i);
    *assumed = false;
    if (x->nprivate) {
        *out = x->private_ips[0];
        return true;
    }
    const mv_subnet *s = x->subnet.idx != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, x->subnet.idx) : NULL;
    const ip_prefix *net = NULL;
    for (uint32_t k = 0; s && k < s->ncidrs && !net; k++)
        if (s->cidrs[k].a.af == IP_V4 && s->cidrs[k].len <= 28)
            net = &s->cidrs[k];
    if (!net) {
        *why = "has no address in the input, and its subnet's IPv4 range is unknown";
        return false;
    }
    for (uint32_t t = 0; t < MV_N(m, MK_RTB); t++) {
        const mv_rtb *rt = MV_AT(m, MK_RTB, mv_rtb, t);
        for (uint32_t k = 0; rt->vpc.idx == s->vpc.idx && k < rt->nroutes; k++)
            if (rt->routes[k].dst.a.af && splits(&rt->routes[k].dst, net))
                goto split;
    }
    for (uint32_t n = 0; n < MV_N(m, MK_NACL); n++) {
        const mv_nacl *a = MV_AT(m, MK_NACL, mv_nacl, n);
        for (uint32_t k = 0; a->vpc.idx == s->vpc.idx && k < a->nentries; k++)
            if (splits(&a->entries[k].cidr, net))
                goto split;
    }
    for (uint32_t g = 0; g < MV_N(m, MK_SG); g++) {
        const mv_sg *sg = MV_AT(m, MK_SG, mv_sg, g);
        for (uint32_t k = 0; sg->vpc.idx == s->vpc.idx && k < sg->nrules; k++)
            if (sg->rules[k].peer == MP_CIDR && splits(&sg->rules[k].cidr, net))
                goto split;
    }
    *out = u128_to_ip(ip_to_u128(&net->a) + 4, IP_V4);
    *assumed = true;
    return true;
split:
    *why = "has no address in the input, and a route, network ACL entry or security group rule singles out part "
           "of its subnet";
    return false;
}

static bool in_vpc(const mlvpc_model *m, uint32_t vpc, const ip_addr *a)
{
    if (vpc == MV_NONE)
        return false;
    const mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, vpc);
    for (uint32_t k = 0; k < v->ncidrs; k++)
        if (ip_prefix_contains(&v->cidrs[k], a))
            return true;
    return false;
}

/* The Amazon DNS server of a VPC: its primary IPv4 CIDR's base plus two,
 * 169.254.169.253, or fd00:ec2::253 [VPC-UG:AmazonDNS]. */
static bool is_resolver(const mlvpc_model *m, uint32_t vpc, const ip_addr *a)
{
    static const uint8_t v6_resolver[16] = { 0xfd, 0, 0x0e, 0xc2, [14] = 0x02, [15] = 0x53 }; /* fd00:ec2::253 */
    if (a->af == IP_V6)
        return !memcmp(a->b, v6_resolver, 16);
    u128 v = ip_to_u128(a);
    if (v == 0xA9FEA9FD) /* 169.254.169.253 */
        return true;
    if (vpc == MV_NONE)
        return false;
    const mv_vpc *x = MV_AT(m, MK_VPC, mv_vpc, vpc);
    for (uint32_t k = 0; k < x->ncidrs; k++) {
        if (x->cidrs[k].a.af != IP_V4)
            continue;
        u128 lo, hi;
        prefix_range(&x->cidrs[k], &lo, &hi);
        return v == lo + 2; /* the primary block comes first */
    }
    return false;
}

/* RFC 1918 and RFC 6598 (shared) ranges, which internet gateways refuse (A.4). */
static bool private_v4(const ip_addr *a)
{
    static const struct { uint32_t net, mask; } nets[] = {
        { 0x0A000000u, 0xFF000000u }, { 0xAC100000u, 0xFFF00000u }, /* 10/8, 172.16/12 */
        { 0xC0A80000u, 0xFFFF0000u }, { 0x64400000u, 0xFFC00000u }, /* 192.168/16, 100.64/10 */
    };
    if (a->af != IP_V4)
        return false;
    uint32_t v = (uint32_t)ip_to_u128(a);
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++)
        if ((v & nets[i].mask) == nets[i].net)
            return true;
    return false;
}

/* ------------------------------------------------------------------ path segments */

/* The client's ephemeral ports (A.2 table): Lambda and load balancers use
 * 1024-65535; other clients are assumed to be Linux. */
static void client_ports(const mlvpc_model *m, const place *src, uint16_t *lo, uint16_t *hi, const char **who)
{
    mv_owner o = src->eni != MV_NONE ? MV_AT(m, MK_ENI, mv_eni, src->eni)->owner : MW_UNKNOWN;
    if (o == MW_LAMBDA || o == MW_ELB || o == MW_NATGW) {
        *lo = EPH_NAT_LO;
        *hi = EPH_NAT_HI;
        *who = o == MW_LAMBDA ? "Lambda" : o == MW_ELB ? "load balancer" : "NAT gateway";
    } else {
        *lo = EPH_LINUX_LO;
        *hi = EPH_LINUX_HI;
        *who = "Linux";
    }
}

static hbox return_box(const hbox *fwd, uint16_t eph_lo, uint16_t eph_hi)
{
    hbox r = *fwd;
    r.src_lo = fwd->dst_lo;
    r.src_hi = fwd->dst_hi;
    r.dst_lo = fwd->src_lo;
    r.dst_hi = fwd->src_hi;
    r.sport_lo = fwd->dport_lo;
    r.sport_hi = fwd->dport_hi;
    if (fwd->proto_lo == MV_TCP || fwd->proto_lo == MV_UDP) {
        r.dport_lo = eph_lo;
        r.dport_hi = eph_hi;
    }
    if (fwd->proto_lo == MV_ICMP && fwd->type_lo == 8) /* echo request -> echo reply */
        r.type_lo = r.type_hi = 0;
    if (fwd->proto_lo == MV_ICMPV6 && fwd->type_lo == 128)
        r.type_lo = r.type_hi = 129;
    return r;
}

static bool ports_matter(const hbox *b) { return b->proto_lo == b->proto_hi && (b->proto_lo == MV_TCP || b->proto_lo == MV_UDP); }

/* The reply of a flow that left the VPC: back in through the source
 * subnet's NACL, to the client's ephemeral ports. */
static void reply_into_source(tctx *c, const place *src, const hbox *fwd)
{
    uint16_t elo, ehi;
    const char *who;
    client_ports(c->m, src, &elo, &ehi, &who);
    hbox rb = return_box(fwd, elo, ehi);
    if (ports_matter(fwd))
        TNOTE(c, "return traffic to ephemeral ports %u-%u (%s clients)", elo, ehi, who);
    nacl_step(c, src->subnet, false, &rb, true);
}

/* Within a VPC the reply to src goes back by the local route unless the
 * destination subnet's table has a more specific route covering the
 * source's address (or subnet): that one wins, and where it leads is not
 * followed. */
static void reply_route_local(tctx *c, uint32_t dsub, const place *src)
{
    const mlvpc_model *m = c->m;
    uint32_t t = MV_AT(m, MK_SUBNET, mv_subnet, dsub)->rtb;
    if (t == MV_NONE) {
        missing(c, "the route table of %s is not in the input", S(m, MV_AT(m, MK_SUBNET, mv_subnet, dsub)->r.id));
        return;
    }
    const mv_rtb *rt = MV_AT(m, MK_RTB, mv_rtb, t);
    const mv_subnet *ss = src->subnet != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, src->subnet) : NULL;
    for (uint32_t k = 0; k < rt->nroutes; k++) {
        const mv_route *r = &rt->routes[k];
        if (r->target == MT_LOCAL || !r->dst.a.af)
            continue;
        bool covers = src->ip.af ? ip_prefix_contains(&r->dst, &src->ip) : false;
        for (uint32_t i = 0; ss && !src->ip.af && i < ss->ncidrs; i++)
            covers |= ss->cidrs[i].a.af == r->dst.a.af &&
                      (ip_prefix_covers(&r->dst, &ss->cidrs[i]) || ip_prefix_covers(&ss->cidrs[i], &r->dst));
        if (!covers || !in_vpc(m, src->vpc, &r->dst.a))
            continue;
        char dst[IP_STR_MAX];
        ip_prefix_str(&r->dst, dst);
        hop(c, true, S(m, rt->r.id), "route-table", "route", "%s -> %s", dst, S(m, r->tgt.sym));
        missing(c, "the reply is routed by %s through %s (%s), which is not followed", S(m, rt->r.id),
                S(m, r->tgt.sym), mv_target_name(r->target));
        return;
    }
}

/* Delivery to an ENI of the source's VPC (local route) or a peered VPC. */
static void deliver_local(tctx *c, const place *src, const dest *dd, const hbox *fwd, uint32_t dst_vpc, bool identity)
{
    const mlvpc_model *m = c->m;
    /* The address names an ENI of the VPC the packet is in, if any. */
    dest local = *dd;
    const dest *d = &local;
    if (local.eni == MV_NONE || eni_vpc(m, local.eni) != dst_vpc)
        local.eni = eni_by_ip(c->e, &local.ip, dst_vpc);
    uint32_t dsub = d->eni != MV_NONE ? MV_AT(m, MK_ENI, mv_eni, d->eni)->subnet.idx : subnet_of_addr(m, dst_vpc, &d->ip);
    if (dsub == MV_NONE && d->eni != MV_NONE) {
        const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, d->eni);
        missing(c, "subnet %s of %s is not in the input (its network ACL and routes are unknown)",
                S(m, x->subnet.sym), S(m, x->r.id));
        c->stopped = true;
        return;
    }
    if (dsub == MV_NONE) {
        char a[IP_STR_MAX];
        block(c, false, S(m, MV_AT(m, MK_VPC, mv_vpc, dst_vpc)->r.id), "NO_POSSIBLE_DESTINATION",
              "no subnet of the VPC holds %s", ip_addr_str(&d->ip, a));
        c->stopped = true;
        return;
    }
    bool same_subnet = dsub == src->subnet;
    /* NACLs apply only where the packet crosses a subnet boundary (A.0). */
    if (!same_subnet) {
        nacl_step(c, src->subnet, true, fwd, false);
        nacl_step(c, dsub, false, fwd, false);
    } else {
        hop(c, false, S(m, MV_AT(m, MK_SUBNET, mv_subnet, dsub)->r.id), "subnet", "allow",
            "same subnet: network ACLs do not apply");
    }
    if (d->eni == MV_NONE) {
        char a[IP_STR_MAX];
        missing(c, "no network interface in the input has address %s", ip_addr_str(&d->ip, a));
        c->stopped = true;
        return;
    }
    const mv_eni *de = MV_AT(m, MK_ENI, mv_eni, d->eni);
    place dp = { .eni = d->eni, .subnet = dsub, .vpc = dst_vpc, .sgs = de->sgs, .nsgs = de->nsgs };
    snprintf(dp.label, sizeof dp.label, "%s", S(m, de->r.id));
    /* SG references match the source's private address, preserved here
     * (but not across Regions: inter-Region peering carries no group identity). */
    sg_peer from = { identity ? src->sgs : NULL, identity ? src->nsgs : 0, 0, false };
    sg_step(c, &dp, false, &from, fwd);
    hop(c, false, S(m, de->r.id), "network-interface", "deliver", "delivered to %s", S(m, de->r.id));
    /* The reply leaves by the destination subnet's route to the source: a
     * route more specific than the local one (to an appliance) takes it
     * elsewhere (A.3). */
    if (!same_subnet && dst_vpc == src->vpc)
        reply_route_local(c, dsub, src);
    /* Reply: SGs are stateful; NACLs are checked again against the
     * client's ephemeral ports. */
    if (!same_subnet) {
        uint16_t elo, ehi;
        const char *who;
        client_ports(m, src, &elo, &ehi, &who);
        hbox rb = return_box(fwd, elo, ehi);
        if (ports_matter(fwd))
            TNOTE(c, "return traffic to ephemeral ports %u-%u (%s clients)", elo, ehi, who);
        nacl_step(c, dsub, true, &rb, true);
        nacl_step(c, src->subnet, false, &rb, true);
    }
}

/* A route table associated with gateway `gw` (a gateway route table
 * steering its inbound traffic), or MV_NONE. */
static uint32_t edge_table(const mlvpc_model *m, uint32_t gw_sym)
{
    for (uint32_t i = 0; i < MV_N(m, MK_RTB); i++) {
        const mv_rtb *t = MV_AT(m, MK_RTB, mv_rtb, i);
        for (uint32_t k = 0; k < t->nassocs; k++)
            if (t->assocs[k].gateway.sym == gw_sym)
                return i;
    }
    return MV_NONE;
}

/* Arrival on the internet. A public address of an ENI of the model comes
 * back in through that ENI's internet gateway, where its NACL and security
 * groups apply again: that leg is not followed yet, so say so. */
static void ingress_from_internet(tctx *c, uint32_t eni, const ip_addr *pub, const ip_addr *client, const place *from);

static void deliver_internet(tctx *c, const dest *d, const ip_addr *client, const place *from)
{
    /* IPv6 addresses are global: one of an ENI of the model is entered
     * through its VPC's internet gateway like a public IPv4 address. */
    uint32_t owner = d->pub_owner != MV_NONE ? d->pub_owner : d->ip.af == IP_V6 ? d->eni : MV_NONE;
    if (owner != MV_NONE && client && client->af == d->ip.af) {
        /* Back in through the owner's internet gateway: its NACL and
         * security groups see the client's public address (A.4). */
        hop(c, false, d->desc, "internet", "route", "%s is an address of %s", d->desc,
            S(c->m, MV_AT(c->m, MK_ENI, mv_eni, owner)->r.id));
        ingress_from_internet(c, owner, &d->ip, client, from);
        return;
    }
    if (owner != MV_NONE) {
        /* The owner's NACL and SGs judge the source address, which is not
         * known here (SageMaker's network, a placement without an ENI). */
        missing(c, "%s is an address of %s, reached from a source address the input does not give: its inbound "
                "rules cannot be checked", d->desc, S(c->m, MV_AT(c->m, MK_ENI, mv_eni, owner)->r.id));
        return;
    }
    hop(c, false, d->desc, "internet", "deliver", "%s", d->desc);
}

/* Out through an internet gateway: needs a public address (A.4). */
static void via_igw(tctx *c, const place *src, const mv_route *r, const hbox *fwd, const dest *d)
{
    const mlvpc_model *m = c->m;
    const char *igw = S(m, r->tgt.sym);
    char a[IP_STR_MAX];
    if (r->tgt.idx == MV_NONE) {
        missing(c, "internet gateway %s is not in the input", igw);
        return;
    }
    nacl_step(c, src->subnet, true, fwd, false);
    if (d->ip.af == IP_V4 && private_v4(&d->ip))
        block(c, false, igw, "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
              "%s is a private address; internet gateways do not forward it", ip_addr_str(&d->ip, a));
    if (d->ip.af == IP_V4) {
        if (src->has_public == MV_UNKNOWN) {
            missing(c, "whether %s has a public IPv4 address", src->label);
        } else if (src->has_public == MV_FALSE) {
            block(c, false, igw, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "%s has no public IPv4 address", src->label);
            hop(c, false, igw, "internet-gateway", "deny", "%s has no public IPv4 address", src->label);
        } else {
            hop(c, false, igw, "internet-gateway", "translate", "source becomes %s", ip_addr_str(&src->public_ip, a));
        }
    } else {
        hop(c, false, igw, "internet-gateway", "allow", "IPv6: forwarded unchanged");
    }
    deliver_internet(c, d, d->ip.af == IP_V6 ? &src->ip6 : src->has_public == MV_TRUE ? &src->public_ip : NULL, src);
    reply_into_source(c, src, fwd);
}

static void via_gateway_endpoint(tctx *c, const place *src, const mv_route *r, const hbox *fwd, const dest *d);

/* Through a public NAT gateway to its subnet's internet gateway (A.4). */
static void via_nat(tctx *c, const place *src, const mv_route *r, const hbox *fwd, const dest *d)
{
    const mlvpc_model *m = c->m;
    const char *nid = S(m, r->tgt.sym);
    if (r->tgt.idx == MV_NONE) {
        missing(c, "NAT gateway %s is not in the input", nid);
        c->stopped = true;
        return;
    }
    const mv_natgw *g = MV_AT(m, MK_NATGW, mv_natgw, r->tgt.idx);
    nacl_step(c, src->subnet, true, fwd, false);
    if (g->subnet.idx == MV_NONE) {
        missing(c, "the subnet of NAT gateway %s is not in the input", nid);
        c->stopped = true;
        return;
    }
    uint32_t nsub = g->subnet.idx;
    ip_addr nat_priv = g->naddrs ? g->addrs[0].private_ip : (ip_addr){ 0 };
    /* In: the NAT subnet's inbound NACL sees the original packet, before
     * the gateway itself. */
    if (nsub != src->subnet)
        nacl_step(c, nsub, false, fwd, false);
    if (g->state && strcmp(g->state, "available") != 0) {
        block(c, false, nid, "BAD_STATE", "NAT gateway is %s", g->state);
        hop(c, false, nid, "nat-gateway", "deny", "the NAT gateway is %s", g->state);
    }
    if (!(fwd->proto_lo == fwd->proto_hi &&
          (fwd->proto_lo == MV_TCP || fwd->proto_lo == MV_UDP || fwd->proto_lo == MV_ICMP))) {
        block(c, false, nid, "PROTOCOL_RESTRICTION", "NAT gateways carry only TCP, UDP and ICMP");
        hop(c, false, nid, "nat-gateway", "deny", "NAT gateways carry only TCP, UDP and ICMP");
    }
    bool private_nat = g->conn == MN_PRIVATE;
    /* Out: source becomes the NAT's private address, ports 1024-65535. */
    hbox out = *fwd;
    if (nat_priv.af == fwd->af) {
        out.src_lo = out.src_hi = ip_to_u128(&nat_priv);
    }
    if (ports_matter(fwd)) {
        out.sport_lo = EPH_NAT_LO;
        out.sport_hi = EPH_NAT_HI;
    }
    char a[IP_STR_MAX];
    hop(c, false, nid, "nat-gateway", "translate", "source becomes %s, ports %u-%u",
        nat_priv.af ? ip_addr_str(&nat_priv, a) : "the NAT gateway's address", EPH_NAT_LO, EPH_NAT_HI);
    uint32_t rtb;
    const mv_route *nr = route_step(c, nsub, &out, false, &rtb);
    if (!nr)
        return;
    if (nr->target == MT_NAT) {
        /* A NAT gateway whose own subnet routes to a NAT gateway loops (A.4). */
        block(c, false, S(m, MV_AT(m, MK_RTB, mv_rtb, rtb)->r.id), "NO_ROUTE_TO_DESTINATION",
              "the NAT gateway's own subnet routes %s to %s: the traffic loops", d->desc, S(m, nr->tgt.sym));
        c->stopped = true;
        return;
    }
    if (nr->target == MT_VPCE_GW && !private_nat) {
        /* The NAT's subnet sends this service's prefix to a gateway endpoint. */
        place np = { .eni = MV_NONE, .subnet = nsub, .vpc = src->vpc, .ip = nat_priv, .has_public = MV_FALSE };
        for (uint32_t k = 0; k < g->naddrs; k++)
            if (g->addrs[k].eni.idx != MV_NONE)
                np.eni = g->addrs[k].eni.idx;
        snprintf(np.label, sizeof np.label, "%s", nid);
        via_gateway_endpoint(c, &np, nr, &out, d);
        uint16_t elo, ehi;
        const char *who;
        client_ports(m, src, &elo, &ehi, &who);
        hbox r2 = return_box(fwd, elo, ehi);
        if (nsub != src->subnet) {
            nacl_step(c, nsub, true, &r2, true);
            nacl_step(c, src->subnet, false, &r2, true);
        }
        return;
    }
    if (nr->target != MT_IGW) {
        /* A NAT gateway may also forward to a transit or VPN gateway, or
         * within the VPC: those paths are not followed yet. */
        missing(c, "the path from NAT gateway %s through %s (%s) is not modelled", nid, S(m, nr->tgt.sym),
                mv_target_name(nr->target));
        c->stopped = true;
        return;
    }
    if (nr->tgt.idx == MV_NONE) {
        missing(c, "internet gateway %s (the route of NAT gateway %s's subnet) is not in the input",
                S(m, nr->tgt.sym), nid);
        c->stopped = true;
        return;
    }
    if (private_nat) {
        /* A private NAT gateway has no public address: the IGW drops it (A.4). */
        block(c, false, S(m, nr->tgt.sym), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
              "%s is a private NAT gateway: the internet gateway drops its traffic", nid);
        c->stopped = true;
        return;
    }
    nacl_step(c, nsub, true, &out, false);
    /* A template's NAT gateway has its Elastic IP (AllocationId) but not its address. */
    bool eip = g->naddrs && (g->addrs[0].public_ip.af || g->addrs[0].allocation_id);
    if (!eip)
        block(c, false, nid, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "the NAT gateway has no public address");
    if (d->ip.af == IP_V4 && private_v4(&d->ip))
        block(c, false, S(m, nr->tgt.sym), "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
              "%s is a private address; internet gateways do not forward it", ip_addr_str(&d->ip, a));
    hop(c, false, S(m, nr->tgt.sym), "internet-gateway", "translate", "source becomes %s",
        g->naddrs && g->addrs[0].public_ip.af ? ip_addr_str(&g->addrs[0].public_ip, a)
        : eip ? "its Elastic IP (address known once deployed)" : "(no public address)");
    deliver_internet(c, d, g->naddrs && g->addrs[0].public_ip.af ? &g->addrs[0].public_ip : NULL, NULL);
    /* Reply: to the NAT's ports, then to the client's ephemeral ports. */
    hbox r1 = return_box(&out, EPH_NAT_LO, EPH_NAT_HI);
    nacl_step(c, nsub, false, &r1, true);
    uint16_t elo, ehi;
    const char *who;
    client_ports(m, src, &elo, &ehi, &who);
    hbox r2 = return_box(fwd, elo, ehi);
    if (ports_matter(fwd))
        TNOTE(c, "return traffic to NAT ports %u-%u, then to client ports %u-%u (%s clients)", EPH_NAT_LO, EPH_NAT_HI,
              elo, ehi, who);
    if (nsub != src->subnet) {
        nacl_step(c, nsub, true, &r2, true);
        nacl_step(c, src->subnet, false, &r2, true);
    }
}

/* To S3 or DynamoDB through a gateway endpoint (A.6). */
static void via_gateway_endpoint(tctx *c, const place *src, const mv_route *r, const hbox *fwd, const dest *d)
{
    const mlvpc_model *m = c->m;
    const char *id = S(m, r->tgt.sym);
    nacl_step(c, src->subnet, true, fwd, false);
    bool tcp = fwd->proto_lo == MV_TCP && fwd->proto_hi == MV_TCP;
    bool echo = fwd->proto_lo == MV_ICMP && fwd->proto_hi == MV_ICMP && fwd->type_lo == 8 && fwd->type_hi == 8;
    if (!tcp && !echo) {
        block(c, false, id, "VPCE_GATEWAY_PROTOCOL_RESTRICTION", "gateway endpoints carry only TCP and ICMP echo");
        hop(c, false, id, "gateway-endpoint", "deny", "gateway endpoints carry only TCP and ICMP echo");
    }
    if (r->tgt.idx == MV_NONE) {
        missing(c, "gateway endpoint %s is not in the input", id);
        c->stopped = true;
        return;
    }
    const mv_vpce *e = MV_AT(m, MK_VPCE, mv_vpce, r->tgt.idx);
    if (e->state && strcmp(e->state, "available") != 0) {
        block(c, false, id, "BAD_STATE", "endpoint is %s", e->state);
        hop(c, false, id, "gateway-endpoint", "deny", "endpoint is %s", e->state);
    }
    hop(c, false, id, "gateway-endpoint", "deliver", "to %s (%s)", d->desc, e->service_name ? e->service_name : "?");
    if (e->policy)
        TNOTE(c, "%s has an endpoint policy: it filters requests, not packets", id);
    reply_into_source(c, src, fwd);
}

/* Out through an egress-only internet gateway: IPv6, outbound-initiated,
 * stateful; NACLs still apply (A.4). */
static void via_eigw(tctx *c, const place *src, const mv_route *r, const hbox *fwd, const dest *d)
{
    const mlvpc_model *m = c->m;
    const char *id = S(m, r->tgt.sym);
    nacl_step(c, src->subnet, true, fwd, false);
    hop(c, false, id, "egress-only-internet-gateway", "allow", "IPv6, outbound-initiated");
    deliver_internet(c, d, &src->ip6, src);
    reply_into_source(c, src, fwd);
}

/* Across a peering connection into the other VPC (A.5). */
static void via_peering(tctx *c, const place *src, const mv_route *r, const hbox *fwd, const dest *d)
{
    const mlvpc_model *m = c->m;
    const char *id = S(m, r->tgt.sym);
    if (r->tgt.idx == MV_NONE) {
        missing(c, "peering connection %s is not in the input", id);
        c->stopped = true;
        return;
    }
    const mv_pcx *x = MV_AT(m, MK_PCX, mv_pcx, r->tgt.idx);
    if (x->status && strcmp(x->status, "active") != 0)
        block(c, false, id, "BAD_STATE", "peering connection is %s", x->status);
    const mv_pcx_side *far = x->requester.vpc.idx == src->vpc ? &x->accepter
                           : x->accepter.vpc.idx == src->vpc ? &x->requester : NULL;
    if (!far) {
        block(c, false, id, "NO_POSSIBLE_DESTINATION", "the peering connection does not join the source's VPC");
        c->stopped = true;
        return;
    }
    bool in_peer = false;
    for (uint32_t k = 0; k < far->ncidrs; k++)
        in_peer |= ip_prefix_contains(&far->cidrs[k], &d->ip);
    if (far->vpc.idx != MV_NONE)
        in_peer |= in_vpc(m, far->vpc.idx, &d->ip);
    if (!in_peer) {
        /* No transit: the peer's gateways and endpoints are not lent (A.5). */
        block(c, false, id, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "%s is not in the peer VPC", d->desc);
        c->stopped = true;
        return;
    }
    hop(c, false, id, "peering-connection", "route", "into %s", S(m, far->vpc.sym));
    if (far->vpc.idx == MV_NONE) {
        missing(c, "peer VPC %s is not in the input", S(m, far->vpc.sym));
        c->stopped = true;
        return;
    }
    /* The reply needs a route back through the same connection, from the
     * subnet of the ENI that has the address in the peer VPC (VPCs that
     * are not peered may reuse the range). */
    uint32_t deni = d->eni != MV_NONE && eni_vpc(m, d->eni) == far->vpc.idx ? d->eni : eni_by_ip(c->e, &d->ip, far->vpc.idx);
    uint32_t dsub = deni != MV_NONE ? MV_AT(m, MK_ENI, mv_eni, deni)->subnet.idx : subnet_of_addr(m, far->vpc.idx, &d->ip);
    bool same_region = !(x->requester.region && x->accepter.region && x->requester.region != x->accepter.region);
    if (!same_region)
        TNOTE(c, "%s joins two Regions: security group references across it match nothing", id);
    deliver_local(c, src, d, fwd, far->vpc.idx, same_region);
    if (dsub != MV_NONE && !c->stopped) {
        uint16_t elo, ehi;
        const char *who;
        client_ports(m, src, &elo, &ehi, &who);
        hbox rb = return_box(fwd, elo, ehi);
        uint32_t rtb;
        const mv_route *back = route_step(c, dsub, &rb, true, &rtb);
        if (back && !(back->target == MT_PCX && back->tgt.sym == r->tgt.sym))
            block(c, true, S(m, MV_AT(m, MK_RTB, mv_rtb, rtb)->r.id), "NO_ROUTE_TO_DESTINATION",
                  "the reply is routed to %s, not back through %s", S(m, back->tgt.sym), id);
    }
}

/*
 * To an appliance (a route to an ENI or instance). AWS delivers a packet
 * addressed elsewhere only to an ENI whose source/destination check is off
 * (RA: ENI_SOURCE_DEST_CHECK_RESTRICTION); what the appliance then forwards
 * is its software's business, which no snapshot describes.
 */
static void via_appliance(tctx *c, const place *src, const mv_route *r, const hbox *fwd)
{
    const mlvpc_model *m = c->m;
    uint32_t eni = MV_NONE;
    if (r->target == MT_ENI)
        eni = r->tgt.idx;
    else if (r->tgt.idx != MV_NONE && MV_AT(m, MK_INSTANCE, mv_instance, r->tgt.idx)->nenis)
        eni = MV_AT(m, MK_INSTANCE, mv_instance, r->tgt.idx)->enis[0].idx;
    if (eni == MV_NONE) {
        missing(c, "appliance %s is not in the input", S(m, r->tgt.sym));
        return;
    }
    const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, eni);
    /* On the way to the appliance: the subnet boundary (if crossed) and the
     * appliance ENI's inbound security groups, as for any packet it receives. */
    uint32_t asub = e->subnet.idx;
    if (asub == MV_NONE) {
        missing(c, "subnet %s of appliance %s is not in the input", S(m, e->subnet.sym), S(m, e->r.id));
        return;
    }
    if (asub != src->subnet) {
        nacl_step(c, src->subnet, true, fwd, false);
        nacl_step(c, asub, false, fwd, false);
    }
    place ap = { .eni = eni, .subnet = asub, .vpc = eni_vpc(m, eni), .sgs = e->sgs, .nsgs = e->nsgs };
    snprintf(ap.label, sizeof ap.label, "%s", S(m, e->r.id));
    sg_peer from = { src->sgs, src->nsgs, 0, false };
    sg_step(c, &ap, false, &from, fwd);
    if (e->source_dest_check == MV_TRUE) {
        block(c, false, S(m, e->r.id), "ENI_SOURCE_DEST_CHECK_RESTRICTION",
              "source/destination check is on: %s drops traffic addressed to others", S(m, e->r.id));
        hop(c, false, S(m, e->r.id), "network-interface", "deny", "source/destination check is on");
        return;
    }
    missing(c, "traffic goes through appliance %s: what it forwards is not in the input", S(m, e->r.id));
}

/* ------------------------------------------------------------------ one placement */

static void trace_place(tctx *c, const place *src, const dest *d)
{
    const mlvpc_model *m = c->m;
    reach_trace *t = c->t;
    snprintf(t->source, sizeof t->source, "%s", src->label);
    const reach_query *q = c->q;
    char a[IP_STR_MAX];

    if (src->isolated) {
        block(c, false, src->label, "SM_NETWORK_ISOLATION",
              "network isolation: the container can make no network calls, even to AWS services");
        return;
    }
    bool nfs = q->proto == MV_TCP && q->port_lo == 2049 && q->port_hi == 2049;
    bool via_sagemaker = src->sagemaker_network &&
                         (src->nfs_only ? !nfs : !(d->kind == DK_ADDR && in_vpc(m, src->vpc, &d->ip)));
    if (via_sagemaker) {
        /* DirectInternetAccess / PublicInternetOnly: what is not the VPC goes
         * out through SageMaker's own network, whatever the VPC says (A.7). */
        hop(c, false, "sagemaker-managed-network", "sagemaker", "route",
            "traffic outside the VPC leaves through SageMaker's network (direct internet access)");
        bool unreachable = d->kind == DK_ADDR && d->ip.af == IP_V4 && (private_v4(&d->ip) || in_vpc(m, src->vpc, &d->ip));
        if (unreachable)
            hop(c, false, d->desc, "address", "deliver", "%s", d->desc);
        else /* a public address of the model is entered through its gateway and rules */
            deliver_internet(c, d, NULL, src);
        if (unreachable) {
            if (src->nfs_only && in_vpc(m, src->vpc, &d->ip))
                block(c, false, "sagemaker-managed-network", "NO_POSSIBLE_DESTINATION",
                      "PublicInternetOnly: only EFS traffic (TCP 2049) uses the domain's VPC; SageMaker's network "
                      "does not reach %s", d->desc);
            else
                block(c, false, "sagemaker-managed-network", "NO_POSSIBLE_DESTINATION",
                      "%s is a private address outside %s; SageMaker's network does not reach it", d->desc,
                      src->vpc != MV_NONE ? "the VPC" : "any VPC of the placement");
        }
        return;
    }
    if (src->subnet == MV_NONE) {
        missing(c, "the subnet of %s is not in the input", src->label);
        return;
    }
    if (d->ip.af == 0) {
        missing(c, "the address of %s", d->desc);
        return;
    }
    /* The forward packet: the source's address (or any of its subnet). */
    hbox fwd = hbox_all(d->ip.af);
    if (src->ip.af == d->ip.af) {
        fwd.src_lo = fwd.src_hi = ip_to_u128(&src->ip);
    } else if (src->ip6.af == d->ip.af) {
        fwd.src_lo = fwd.src_hi = ip_to_u128(&src->ip6);
    } else if (src->eni != MV_NONE) {
        block(c, false, src->label, "NO_POSSIBLE_DESTINATION", "%s has no %s address", src->label,
              d->ip.af == IP_V4 ? "IPv4" : "IPv6");
        return;
    } else {
        const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, src->subnet);
        bool found = false;
        for (uint32_t k = 0; k < s->ncidrs && !found; k++)
            if (s->cidrs[k].a.af == d->ip.af)
                found = hbox_restrict_src(&fwd, &s->cidrs[k]);
        if (!found) {
            block(c, false, src->label, "NO_POSSIBLE_DESTINATION", "the source has no %s address",
                  d->ip.af == IP_V4 ? "IPv4" : "IPv6");
            return;
        }
    }
    fwd.dst_lo = fwd.dst_hi = ip_to_u128(&d->ip);
    if (q->proto != MV_PROTO_ALL) {
        fwd.proto_lo = fwd.proto_hi = (uint16_t)q->proto;
        if (q->proto == MV_TCP || q->proto == MV_UDP) {
            fwd.dport_lo = q->port_lo;
            fwd.dport_hi = q->port_hi;
            fwd.sport_lo = EPH_LINUX_LO;
            fwd.sport_hi = EPH_LINUX_HI;
        } else {
            fwd.sport_lo = fwd.sport_hi = fwd.dport_lo = fwd.dport_hi = 0;
        }
        if (q->proto == MV_ICMP || q->proto == MV_ICMPV6) {
            fwd.type_lo = fwd.type_hi = q->proto == MV_ICMP ? 8 : 128; /* echo request */
            fwd.code_lo = fwd.code_hi = 0;
        } else {
            fwd.type_lo = fwd.type_hi = fwd.code_lo = fwd.code_hi = 0;
        }
    }

    /* DNS to the Amazon resolver is never filtered by SGs or NACLs (A.0),
     * but it answers only when the VPC's enableDnsSupport is on (A.6). */
    if (is_resolver(m, src->vpc, &d->ip) && q->proto != MV_PROTO_ALL &&
        (q->proto == MV_UDP || q->proto == MV_TCP) && q->port_lo == 53 && q->port_hi == 53) {
        const mv_vpc *v = src->vpc != MV_NONE ? MV_AT(m, MK_VPC, mv_vpc, src->vpc) : NULL;
        if (v && v->dns_support == MV_FALSE)
            block(c, false, S(m, v->r.id), "DNS_RESOLUTION_DISABLED", "enableDnsSupport is off: the Amazon DNS server does not answer");
        else if (!v || v->dns_support == MV_UNKNOWN)
            missing(c, "enableDnsSupport of %s (whether the Amazon DNS server answers)", v ? S(m, v->r.id) : "the VPC");
        else
            hop(c, false, ip_addr_str(&d->ip, a), "dns-resolver", "deliver",
                "the Amazon DNS server; security groups and network ACLs do not filter it");
        return;
    }
    /* Link-local: instance metadata and the time service are reached on the
     * host, never routed; nothing else in 169.254.0.0/16 is forwarded (A.3). */
    if (d->ip.af == IP_V4 && (ip_to_u128(&d->ip) >> 16) == 0xA9FE) {
        u128 v = ip_to_u128(&d->ip);
        if (v == 0xA9FEA9FE || v == 0xA9FEA97B)
            hop(c, false, ip_addr_str(&d->ip, a), "link-local", "deliver",
                "%s service on the host: not routed, not filtered by network ACLs",
                v == 0xA9FEA9FE ? "instance metadata" : "time sync");
        else
            block(c, false, ip_addr_str(&d->ip, a), "NO_POSSIBLE_DESTINATION", "link-local addresses are not forwarded");
        return;
    }
    c->in_pl = d->in_pl;
    c->in_pl_addr = ip_to_u128(&d->ip);
    /* Whether the destination sees the source's private address (for SG
     * references) depends on the route, looked up here without recording;
     * route_step below records it in pipeline order, after the SGs. */
    uint32_t rtb;
    bool route_unknown;
    const mv_route *r = route_peek(c, src->subnet, &fwd, &route_unknown);
    bool keeps_identity = r && (r->target == MT_LOCAL || r->target == MT_PCX);

    sg_peer to = { 0 };
    uint32_t peer_eni = MV_NONE;
    if (keeps_identity) {
        uint32_t pvpc = src->vpc;
        if (r->target == MT_PCX && r->tgt.idx != MV_NONE) {
            const mv_pcx *x = MV_AT(m, MK_PCX, mv_pcx, r->tgt.idx);
            pvpc = x->requester.vpc.idx == src->vpc ? x->accepter.vpc.idx : x->requester.vpc.idx;
            /* Peer groups can be referenced only within one Region [PEER:vpc-peering-basics]. */
            if (x->requester.region && x->accepter.region && x->requester.region != x->accepter.region)
                pvpc = MV_NONE;
        }
        peer_eni = pvpc == MV_NONE ? MV_NONE : eni_by_ip(c->e, &d->ip, pvpc);
        /* An interface a template creates has no address yet: the
         * destination stands for it (its representative address). */
        if (peer_eni == MV_NONE && r->target == MT_LOCAL && d->eni != MV_NONE)
            peer_eni = d->eni;
    } else if (route_unknown) {
        /* The route is unknown (route_step below says why): judge the SGs as
         * if the destination's groups were seen, so that a block reported
         * here is one whatever the route. */
        peer_eni = d->eni;
    }
    if (peer_eni != MV_NONE) {
        const mv_eni *de = MV_AT(m, MK_ENI, mv_eni, peer_eni);
        to.sgs = de->sgs;
        to.nsgs = de->nsgs;
    }
    to.in_pl = d->in_pl;
    to.not_aws = not_aws(c, &fwd);
    sg_step(c, src, true, &to, &fwd);
    r = route_step(c, src->subnet, &fwd, false, &rtb);
    if (!r)
        return;
    switch (r->target) {
    case MT_LOCAL:
        if (!in_vpc(m, src->vpc, &d->ip)) {
            block(c, false, S(m, MV_AT(m, MK_RTB, mv_rtb, rtb)->r.id), "VPC_LOCAL_ROUTE_CIDR_RESTRICTION",
                  "%s is outside the VPC", ip_addr_str(&d->ip, a));
            return;
        }
        deliver_local(c, src, d, &fwd, src->vpc, true);
        return;
    case MT_IGW:
        via_igw(c, src, r, &fwd, d);
        return;
    case MT_NAT:
        via_nat(c, src, r, &fwd, d);
        return;
    case MT_VPCE_GW:
        via_gateway_endpoint(c, src, r, &fwd, d);
        return;
    case MT_PCX:
        via_peering(c, src, r, &fwd, d);
        return;
    case MT_EIGW:
        via_eigw(c, src, r, &fwd, d);
        return;
    case MT_ENI:
    case MT_INSTANCE:
        via_appliance(c, src, r, &fwd);
        return;
    default:
        /* Transit gateways, VPN gateways, appliances: their far side is not
         * in an AWS CLI snapshot of VPCs. */
        missing(c, "paths through %s (%s) are not modelled", S(m, r->tgt.sym), mv_target_name(r->target));
        return;
    }
}

static void finish_trace(tctx *c)
{
    reach_trace *t = c->t;
    t->verdict = t->nblocks ? RV_UNREACHABLE : t->missing[0] ? RV_INDETERMINATE : RV_REACHABLE;
}

/* ------------------------------------------------------------------ resolving REFs */

/* AWS allows 10 production variants of 16 subnets each: 160 placements. */
enum { REACH_MAX_PLACES = 256 };

typedef struct places {
    place v[REACH_MAX_PLACES];
    uint32_t n;
    bool overflow; /* more placements than v holds: the answer is indeterminate */
} places;

/* The next free placement, or NULL (overflow set) when full. */
static place *place_add(places *out)
{
    if (out->n == REACH_MAX_PLACES) {
        out->overflow = true;
        return NULL;
    }
    place *p = &out->v[out->n++];
    memset(p, 0, sizeof *p);
    return p;
}

static uint32_t lookup(const mlvpc_model *m, mv_kind k, const char *id)
{
    uint32_t s = intern_find(&m->syms, id, strlen(id));
    return model_find(m, k, s);
}

static void place_of_eni(const mlvpc_model *m, uint32_t i, place *p)
{
    const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, i);
    memset(p, 0, sizeof *p);
    p->eni = i;
    p->subnet = e->subnet.idx;
    p->vpc = e->vpc.idx != MV_NONE ? e->vpc.idx : p->subnet != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, p->subnet)->vpc.idx : MV_NONE;
    p->sgs = e->sgs;
    p->nsgs = e->nsgs;
    if (e->nprivate)
        p->ip = e->private_ips[0];
    if (e->nipv6)
        p->ip6 = e->ipv6[0];
    p->has_public = e->nprivate && e->public_of[0].af ? MV_TRUE : MV_FALSE;
    if (p->has_public == MV_TRUE)
        p->public_ip = e->public_of[0];
    snprintf(p->label, sizeof p->label, "%s", S(m, e->r.id));
}

/* A SageMaker resource's placement over each of its subnets (A.7). ENIs
 * are made when the job or endpoint runs, so the source address is any of
 * the subnet's, and SageMaker gives them no public address. */
static void places_of_sagemaker(const mlvpc_model *m, const mv_res *r, const mv_placement *pl, places *out)
{
    for (uint32_t i = 0; i < pl->nsubnets; i++) {
        place *p = place_add(out);
        if (!p)
            return;
        p->eni = MV_NONE;
        p->subnet = pl->subnets[i].idx;
        p->vpc = p->subnet != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, p->subnet)->vpc.idx : MV_NONE;
        p->sgs = pl->sgs;
        p->nsgs = pl->nsgs;
        p->has_public = MV_FALSE;
        snprintf(p->label, sizeof p->label, "%s in %s", S(m, r->id), S(m, pl->subnets[i].sym));
    }
}

typedef enum src_mode { SM_NORMAL = 0, SM_ISOLATED, SM_INTERNET } src_mode;

/* A SageMaker resource without a VPC runs in SageMaker's own network, which
 * has internet access (A.7, [SM-DG:mkt-algo-model-internet-free]). */
static void place_sagemaker_only(const mlvpc_model *m, const mv_res *r, places *out)
{
    place *p = place_add(out);
    if (!p)
        return;
    p->eni = p->subnet = p->vpc = MV_NONE;
    p->has_public = MV_FALSE;
    p->sagemaker_network = true;
    snprintf(p->label, sizeof p->label, "%s (no VPC: SageMaker's network)", S(m, r->id));
}

/* Sources resolve to placements. With `platform`, a SageMaker resource's
 * own traffic (S3 reads and writes) is meant: network isolation does not
 * apply, and without a VPC it leaves through SageMaker's network. */
static int resolve_source(const mlvpc_model *m, reach_engine *e, const char *ref, bool platform, places *out,
                          src_mode *mode, reach_result *res)
{
    *mode = SM_NORMAL;
    uint32_t i;
    ip_addr a;
    if (strcmp(ref, "internet") == 0) {
        *mode = SM_INTERNET;
        return 0;
    }
    if ((i = lookup(m, MK_ENI, ref)) != MV_NONE) {
        mv_owner o = MV_AT(m, MK_ENI, mv_eni, i)->owner;
        if (o == MW_VPCE || o == MW_NATGW) {
            snprintf(res->error, sizeof res->error, "\"%s\" belongs to a %s, which never opens connections", ref,
                     o == MW_VPCE ? "VPC endpoint" : "NAT gateway");
            return -1;
        }
        place_of_eni(m, i, &out->v[out->n++]);
        return 0;
    }
    if ((i = lookup(m, MK_INSTANCE, ref)) != MV_NONE) {
        const mv_instance *x = MV_AT(m, MK_INSTANCE, mv_instance, i);
        for (uint32_t k = 0; k < x->nenis; k++) {
            place *p = x->enis[k].idx != MV_NONE ? place_add(out) : NULL;
            if (p)
                place_of_eni(m, x->enis[k].idx, p);
        }
        if (!out->n)
            snprintf(res->error, sizeof res->error, "the network interfaces of %s are not in the input", ref);
        return out->n ? 0 : 1;
    }
    if (ip_parse_addr(ref, &a)) {
        if ((i = eni_by_ip(e, &a, MV_NONE)) == MV_NONE) {
            snprintf(res->error, sizeof res->error, "no network interface in the input has address \"%s\"", ref);
            return -1;
        }
        if (ip_ambiguous(e, &a, i)) {
            snprintf(res->error, sizeof res->error, "address \"%s\" belongs to network interfaces in several VPCs: "
                     "name the interface (eni-...)", ref);
            return -1;
        }
        place *p = &out->v[out->n++];
        place_of_eni(m, i, p);
        p->ip = a;
        snprintf(p->label, sizeof p->label, "%s on %s", ref, S(m, MV_AT(m, MK_ENI, mv_eni, i)->r.id));
        const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, i);
        p->has_public = MV_FALSE;
        for (uint32_t k = 0; k < x->nprivate; k++)
            if (!memcmp(&x->private_ips[k], &a, sizeof a) && x->public_of[k].af) {
                p->has_public = MV_TRUE;
                p->public_ip = x->public_of[k];
            }
        return 0;
    }
    if ((i = lookup(m, MK_NOTEBOOK, ref)) != MV_NONE) {
        const mv_notebook *nb = MV_AT(m, MK_NOTEBOOK, mv_notebook, i);
        if (nb->place.present == MV_UNKNOWN || (nb->place.present == MV_TRUE && nb->direct_internet == MV_UNKNOWN)) {
            snprintf(res->error, sizeof res->error, "%s: %s", ref,
                     nb->place.present == MV_UNKNOWN ? "its subnet or security groups are not known from the input"
                                                     : "its DirectInternetAccess is not known from the input");
            return 1; /* indeterminate */
        }
        if (nb->place.present != MV_TRUE) {
            place_sagemaker_only(m, &nb->r, out);
            return 0;
        }
        if (nb->eni.idx != MV_NONE) {
            place_of_eni(m, nb->eni.idx, &out->v[out->n]);
            snprintf(out->v[out->n].label, sizeof out->v[0].label, "%s (%s)", ref, S(m, nb->eni.sym));
            out->v[out->n].has_public = MV_FALSE;
            out->n++;
        } else {
            places_of_sagemaker(m, &nb->r, &nb->place, out);
        }
        for (uint32_t k = 0; k < out->n; k++)
            out->v[k].sagemaker_network = nb->direct_internet != MV_FALSE;
        return 0;
    }
    if ((i = lookup(m, MK_DOMAIN, ref)) != MV_NONE) {
        const mv_domain *d = MV_AT(m, MK_DOMAIN, mv_domain, i);
        places_of_sagemaker(m, &d->r, &d->place, out);
        if (d->net == MA_UNKNOWN || (d->net == MA_VPC_ONLY && !out->n)) {
            snprintf(res->error, sizeof res->error, "%s: %s", ref,
                     d->net == MA_UNKNOWN ? "unknown AppNetworkAccessType" : "VpcOnly without subnets in the input");
            return 1; /* indeterminate */
        }
        for (uint32_t k = 0; k < out->n; k++) {
            out->v[k].sagemaker_network = d->net != MA_VPC_ONLY;
            out->v[k].nfs_only = d->net != MA_VPC_ONLY;
        }
        if (!out->n)
            place_sagemaker_only(m, &d->r, out);
        return 0;
    }
    static const char *const jobs[] = { "training-job:", "processing-job:", "tuning-job:", "automl-job:",
                                        "monitoring-schedule:", "monitoring-job-definition:" };
    for (size_t k = 0; k < sizeof jobs / sizeof *jobs; k++) {
        if (strncmp(ref, jobs[k], strlen(jobs[k])) != 0)
            continue;
        if ((i = lookup(m, MK_JOB, ref)) == MV_NONE)
            break;
        const mv_job *j = MV_AT(m, MK_JOB, mv_job, i);
        if (model_job_definition(m, j) != MV_NONE) /* the schedule runs its definition's jobs */
            j = MV_AT(m, MK_JOB, mv_job, model_job_definition(m, j));
        if (j->isolation == MV_TRUE && !platform) {
            *mode = SM_ISOLATED;
            places_of_sagemaker(m, &j->r, &j->place, out);
            return 0;
        }
        if (j->place.present == MV_UNKNOWN || (j->isolation == MV_UNKNOWN && !platform)) {
            snprintf(res->error, sizeof res->error, "%s: its VPC configuration is not in the input", ref);
            return 1;
        }
        if (j->place.present != MV_TRUE)
            place_sagemaker_only(m, &j->r, out);
        else
            places_of_sagemaker(m, &j->r, &j->place, out);
        return 0;
    }
    if ((i = lookup(m, MK_MODEL, ref)) != MV_NONE) {
        const mv_model_res *x = MV_AT(m, MK_MODEL, mv_model_res, i);
        bool iso = x->isolation == MV_TRUE && !platform;
        *mode = iso ? SM_ISOLATED : SM_NORMAL;
        if (!iso && (x->place.present == MV_UNKNOWN || (x->isolation == MV_UNKNOWN && !platform))) {
            snprintf(res->error, sizeof res->error, "%s: its VPC configuration or network isolation is not known from "
                     "the input", ref);
            return 1;
        }
        if (x->place.present != MV_TRUE && !iso)
            place_sagemaker_only(m, &x->r, out);
        else
            places_of_sagemaker(m, &x->r, &x->place, out);
        return 0;
    }
    if ((i = lookup(m, MK_ENDPOINT, ref)) != MV_NONE) {
        const mv_endpoint *ep = MV_AT(m, MK_ENDPOINT, mv_endpoint, i);
        if (ep->config.idx == MV_NONE) {
            snprintf(res->error, sizeof res->error, "the endpoint config of %s is not in the input", ref);
            return 1;
        }
        const mv_epconfig *cfg = MV_AT(m, MK_EPCONFIG, mv_epconfig, ep->config.idx);
        for (uint32_t v = 0; v < cfg->nvariants; v++) {
            if (cfg->variants[v].model.idx == MV_NONE)
                continue;
            const mv_model_res *x = MV_AT(m, MK_MODEL, mv_model_res, cfg->variants[v].model.idx);
            uint32_t first = out->n;
            if (x->place.present != MV_TRUE)
                place_sagemaker_only(m, &x->r, out);
            else
                places_of_sagemaker(m, &x->r, &x->place, out);
            for (uint32_t k = first; k < out->n; k++)
                out->v[k].isolated = x->isolation == MV_TRUE && !platform;
        }
        return 0;
    }
    snprintf(res->error, sizeof res->error, "\"%.40s\" is not a source in the input (expected an ENI, instance, IP "
             "address, internet, or a SageMaker reference such as notebook:NAME; see 'mlvpc reach --help')", ref);
    return -1;
}

/* An arbitrary public address that no route or prefix list of the model
 * treats specially, so that it follows the default route. */
static bool pick_internet(const mlvpc_model *m, ip_addr *out)
{
    /* Documentation ranges first, then public non-AWS addresses. An address
     * that a route, prefix list, SG rule or NACL entry names specifically
     * (a prefix other than /0) would not stand for "any internet address". */
    static const char *const candidates[] = { "203.0.113.10", "198.51.100.10", "192.0.2.10", "1.1.1.1", "8.8.8.8",
                                              "151.101.1.10", "185.199.108.10", "9.9.9.9" };
    for (size_t c = 0; c < sizeof candidates / sizeof *candidates; c++) {
        ip_parse_addr(candidates[c], out);
        bool special = false;
        for (uint32_t t = 0; t < MV_N(m, MK_RTB) && !special; t++) {
            const mv_rtb *r = MV_AT(m, MK_RTB, mv_rtb, t);
            for (uint32_t k = 0; k < r->nroutes && !special; k++)
                special = r->routes[k].dst.a.af && r->routes[k].dst.len > 0 && r->routes[k].target != MT_IGW &&
                          r->routes[k].target != MT_NAT && r->routes[k].target != MT_EIGW &&
                          ip_prefix_contains(&r->routes[k].dst, out);
        }
        for (uint32_t p = 0; p < MV_N(m, MK_PL) && !special; p++) {
            const mv_pl *pl = MV_AT(m, MK_PL, mv_pl, p);
            for (uint32_t k = 0; k < pl->nentries && !special; k++)
                special = ip_prefix_contains(&pl->entries[k], out);
        }
        for (uint32_t g = 0; g < MV_N(m, MK_SG) && !special; g++) {
            const mv_sg *sg = MV_AT(m, MK_SG, mv_sg, g);
            for (uint32_t k = 0; k < sg->nrules && !special; k++)
                special = sg->rules[k].peer == MP_CIDR && sg->rules[k].cidr.len > 0 &&
                          ip_prefix_contains(&sg->rules[k].cidr, out);
        }
        for (uint32_t n = 0; n < MV_N(m, MK_NACL) && !special; n++) {
            const mv_nacl *a = MV_AT(m, MK_NACL, mv_nacl, n);
            for (uint32_t k = 0; k < a->nentries && !special; k++)
                special = a->entries[k].cidr.len > 0 && ip_prefix_contains(&a->entries[k].cidr, out);
        }
        if (!special)
            return true;
    }
    return false;
}

/* A prefix of public unicast IPv4 addresses other than everything: not
 * private, loopback, link-local, multicast or reserved (CDK's "disallow all
 * traffic" rule names 255.255.255.255/32, which no service uses). */
static bool names_public_range(const ip_prefix *p)
{
    if (p->a.af != IP_V4 || p->len == 0 || private_v4(&p->a))
        return false;
    uint8_t a = p->a.b[0];
    return !(a == 0 || a == 127 || a >= 224 || (a == 169 && p->a.b[1] == 254));
}

/* A route table or SG of the VPC uses a prefix list whose entries are unknown. */
static bool unknown_lists_used(const mlvpc_model *m, uint32_t vpc)
{
    for (uint32_t t = 0; t < MV_N(m, MK_RTB); t++) {
        const mv_rtb *rt = MV_AT(m, MK_RTB, mv_rtb, t);
        for (uint32_t k = 0; rt->vpc.idx == vpc && k < rt->nroutes; k++) {
            const mv_route *r = &rt->routes[k];
            if (!r->dst.a.af && (r->dst_pl.idx == MV_NONE || !MV_AT(m, MK_PL, mv_pl, r->dst_pl.idx)->entries_known))
                return true;
        }
    }
    for (uint32_t g = 0; g < MV_N(m, MK_SG); g++) {
        const mv_sg *sg = MV_AT(m, MK_SG, mv_sg, g);
        for (uint32_t k = 0; sg->vpc.idx == vpc && k < sg->nrules; k++) {
            const mv_sg_rule *r = &sg->rules[k];
            if (r->peer == MP_PL && (r->ref.idx == MV_NONE || !MV_AT(m, MK_PL, mv_pl, r->ref.idx)->entries_known))
                return true;
        }
    }
    return false;
}

/* A route, SG rule or NACL entry of the VPC that names a public range
 * other than 0.0.0.0/0 (as text), or NULL. */
static const char *public_ranges_named(const mlvpc_model *m, uint32_t vpc)
{
    for (uint32_t t = 0; t < MV_N(m, MK_RTB); t++) {
        const mv_rtb *rt = MV_AT(m, MK_RTB, mv_rtb, t);
        for (uint32_t k = 0; rt->vpc.idx == vpc && k < rt->nroutes; k++)
            if (rt->routes[k].dst.a.af && names_public_range(&rt->routes[k].dst))
                return "a route names public ranges";
    }
    for (uint32_t g = 0; g < MV_N(m, MK_SG); g++) {
        const mv_sg *sg = MV_AT(m, MK_SG, mv_sg, g);
        for (uint32_t k = 0; sg->vpc.idx == vpc && k < sg->nrules; k++) {
            const mv_sg_rule *r = &sg->rules[k];
            if (r->peer == MP_CIDR && names_public_range(&r->cidr))
                return "a security group rule names public ranges";
        }
    }
    for (uint32_t n = 0; n < MV_N(m, MK_NACL); n++) {
        const mv_nacl *a = MV_AT(m, MK_NACL, mv_nacl, n);
        for (uint32_t k = 0; a->vpc.idx == vpc && k < a->nentries; k++)
            if (names_public_range(&a->entries[k].cidr))
                return "a network ACL entry names public ranges";
    }
    return NULL;
}

/*
 * service:NAME as the source's VPC resolves it (A.6): an interface
 * endpoint of the service with private DNS answers with its ENIs' addresses
 * when the VPC has both DNS attributes on; otherwise the public name:
 * S3/DynamoDB addresses of their AWS-managed prefix list, or another
 * public AWS address.
 */
static int resolve_service(tctx *c, const place *src, const char *svc, dest *d)
{
    const mlvpc_model *m = c->m;
    memset(d, 0, sizeof *d);
    d->eni = d->pub_owner = MV_NONE;
    if (src->vpc == MV_NONE) {
        missing(c, "the VPC of %s is not in the input", src->label);
        return -1;
    }
    const mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, src->vpc);
    if (v->dhcp.idx != MV_NONE) {
        const mv_dhcp *dh = MV_AT(m, MK_DHCP, mv_dhcp, v->dhcp.idx);
        if (!dh->has_dns_key || !dh->ndns) {
            /* No domain-name-servers option: DHCP gives instances no DNS server. */
            missing(c, "DHCP options %s set no domain-name-servers: how instances resolve \"%s\" is unknown",
                    S(m, dh->r.id), svc);
            return -1;
        }
        for (uint32_t k = 0; k < dh->ndns; k++)
            if (strcmp(dh->dns_servers[k], "AmazonProvidedDNS") != 0) {
                missing(c, "%s uses custom DNS servers (%s): what \"%s\" resolves to is unknown", S(m, v->r.id),
                        dh->dns_servers[k], svc);
                return -1;
            }
    } else if (v->dhcp.sym && strcmp(S(m, v->dhcp.sym), "default") == 0) {
        missing(c, "%s has no DHCP options set: which DNS server instances use depends on their platform", S(m, v->r.id));
        return -1;
    } else if (v->dhcp.sym) {
        missing(c, "DHCP options %s of %s are not in the input (DNS servers unknown)", S(m, v->dhcp.sym), S(m, v->r.id));
        return -1;
    }
    for (uint32_t i = 0; i < MV_N(m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(m, MK_VPCE, mv_vpce, i);
        if (e->vpc.idx != src->vpc || e->type != ME_INTERFACE || !e->service || strcmp(e->service, svc) != 0)
            continue;
        if (e->private_dns == MV_UNKNOWN) {
            missing(c, "whether %s has private DNS is not in the input", S(m, e->r.id));
            return -1;
        }
        if (e->private_dns != MV_TRUE || e->dns_inbound_only == MV_TRUE) {
            TNOTE(c, e->private_dns != MV_TRUE ? "%s has private DNS off: the service name resolves to public addresses"
                                               : "%s answers private DNS only for the inbound Resolver endpoint: "
                                                 "traffic from the VPC uses the public name",
                  S(m, e->r.id));
            continue;
        }
        if (v->dns_support == MV_UNKNOWN || v->dns_hostnames == MV_UNKNOWN) {
            missing(c, "%s of %s (private DNS of %s needs both enableDnsSupport and enableDnsHostnames)",
                    v->dns_support == MV_UNKNOWN ? "enableDnsSupport" : "enableDnsHostnames", S(m, v->r.id), S(m, e->r.id));
            return -1;
        }
        if (v->dns_support != MV_TRUE || v->dns_hostnames != MV_TRUE) {
            TNOTE(c, "private DNS of %s does not take effect: %s has %s off", S(m, e->r.id), S(m, v->r.id),
                  v->dns_support != MV_TRUE ? "enableDnsSupport" : "enableDnsHostnames");
            if (v->dns_support != MV_TRUE) {
                block(c, false, S(m, v->r.id), "DNS_RESOLUTION_DISABLED",
                      "enableDnsSupport is off: the Amazon DNS server does not answer for %s", svc);
            }
            continue;
        }
        if (e->state && strcmp(e->state, "available") != 0)
            block(c, false, S(m, e->r.id), "BAD_STATE", "endpoint is %s", e->state);
        /* The endpoint ENI in the source's AZ, else the first. */
        uint32_t pick = MV_NONE;
        for (uint32_t k = 0; k < e->nenis; k++) {
            if (e->enis[k].idx == MV_NONE)
                continue;
            const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, e->enis[k].idx);
            const mv_subnet *ss = src->subnet != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, src->subnet) : NULL;
            if (pick == MV_NONE || (ss && ss->az && x->az && strcmp(ss->az, x->az) == 0))
                pick = e->enis[k].idx;
        }
        if (pick == MV_NONE) {
            missing(c, "the network interfaces of %s are not in the input", S(m, e->r.id));
            return -1;
        }
        const mv_eni *x = MV_AT(m, MK_ENI, mv_eni, pick);
        bool assumed;
        const char *why = NULL;
        if (!eni_address(m, pick, &d->ip, &assumed, &why)) {
            missing(c, "%s of %s %s", S(m, x->r.id), S(m, e->r.id), why);
            return -1;
        }
        if (assumed)
            TNOTE(c, "%s gets its address when deployed: any address of %s answers alike", S(m, x->r.id),
                  S(m, x->subnet.sym));
        d->kind = DK_ADDR;
        d->eni = pick;
        char a[IP_STR_MAX];
        snprintf(d->desc, sizeof d->desc, "%s via %s (%s)", svc, S(m, e->r.id), ip_addr_str(&d->ip, a));
        return 0;
    }
    if (v->dns_support == MV_FALSE) {
        block(c, false, S(m, v->r.id), "DNS_RESOLUTION_DISABLED",
              "enableDnsSupport is off: the Amazon DNS server does not answer for %s", svc);
    }
    /* Public name. S3 and DynamoDB: an address of their prefix list. */
    d->kind = DK_SERVICE_PUBLIC;
    d->eni = MV_NONE;
    if (strcmp(svc, "s3") == 0 || strcmp(svc, "dynamodb") == 0) {
        const char *region = S(m, v->r.region);
        char plname[96];
        snprintf(plname, sizeof plname, "com.amazonaws.%s.%s", region, svc);
        for (uint32_t i = 0; i < MV_N(m, MK_PL); i++) {
            const mv_pl *pl = MV_AT(m, MK_PL, mv_pl, i);
            if (!pl->pl_name || strcmp(pl->pl_name, plname) != 0 || !pl->entries_known || !pl->nentries)
                continue;
            u128 lo, hi;
            prefix_range(&pl->entries[0], &lo, &hi);
            d->ip = u128_to_ip(lo + 1, pl->entries[0].a.af);
            char a[IP_STR_MAX];
            snprintf(d->desc, sizeof d->desc, "%s public endpoint (%s, in %s)", svc, ip_addr_str(&d->ip, a), S(m, pl->r.id));
            return 0;
        }
        if (!v->r.region) {
            missing(c, "the region of %s (give --region) to find the prefix list of %s", S(m, v->r.id), svc);
            return -1;
        }
        /* A template names the list but not its entries: any address of the
         * service will do, provided no SG rule or NACL entry of the VPC names
         * public ranges (other than everything), which could treat the
         * service's addresses differently. */
        uint32_t pl = MV_NONE;
        for (uint32_t i = 0; i < MV_N(m, MK_PL) && pl == MV_NONE; i++) {
            const mv_pl *x = MV_AT(m, MK_PL, mv_pl, i);
            if (x->pl_name && strcmp(x->pl_name, plname) == 0 && x->aws_managed && !x->entries_known)
                pl = i;
        }
        /* No such list in the input at all: when no route or SG rule of the
         * VPC uses a list whose entries are unknown, S3 is just a public
         * address to this VPC. */
        bool no_list = pl == MV_NONE && !unknown_lists_used(m, src->vpc);
        const char *split = pl == MV_NONE && !no_list ? NULL : public_ranges_named(m, src->vpc);
        if ((pl == MV_NONE && !no_list) || split) {
            missing(c, "the addresses of %s: prefix list %s with its entries is not in the input%s%s", svc, plname,
                    split ? " and " : "", split ? split : "");
            return -1;
        }
        d->in_pl = pl != MV_NONE ? MV_AT(m, MK_PL, mv_pl, pl)->r.id : 0;
        ip_parse_addr("192.0.2.77", &d->ip); /* stands for any address of the service */
        snprintf(d->desc, sizeof d->desc, "%s public endpoint (an address in %s)", svc, plname);
        if (pl != MV_NONE)
            TNOTE(c, "%s's addresses are in %s (its entries are not in the input)", svc, plname);
        else
            TNOTE(c, "%s's addresses are public addresses that no route, SG rule or NACL entry of %s singles out", svc,
                  S(m, v->r.id));
        return 0;
    }
    if (!c->e->has_internet) {
        missing(c, "a public address for %s", svc);
        return -1;
    }
    d->ip = c->e->internet;
    char a[IP_STR_MAX];
    snprintf(d->desc, sizeof d->desc, "%s public endpoint (a public AWS address, e.g. %s)", svc, ip_addr_str(&d->ip, a));
    return 0;
}

static uint32_t eni_by_public_ip(const reach_engine *e, const ip_addr *a);

static int resolve_dest(reach_engine *e, const char *ref, dest *d, reach_result *res, const char **service)
{
    const mlvpc_model *m = e->m;
    uint32_t i;
    memset(d, 0, sizeof *d);
    d->eni = d->pub_owner = MV_NONE;
    *service = NULL;
    char a[IP_STR_MAX];
    if (strncmp(ref, "service:", 8) == 0 && ref[8]) {
        *service = ref + 8;
        return 0;
    }
    if (strcmp(ref, "internet") == 0) {
        d->kind = DK_INTERNET;
        d->ip = e->internet;
        if (!e->has_internet) {
            snprintf(res->error, sizeof res->error, "every candidate public address is routed specially");
            return -1;
        }
        snprintf(d->desc, sizeof d->desc, "internet (%s)", ip_addr_str(&d->ip, a));
        return 0;
    }
    if ((i = lookup(m, MK_ENI, ref)) != MV_NONE || (i = lookup(m, MK_INSTANCE, ref)) != MV_NONE) {
        uint32_t eni = i;
        if (lookup(m, MK_INSTANCE, ref) != MV_NONE) {
            const mv_instance *x = MV_AT(m, MK_INSTANCE, mv_instance, i);
            eni = x->nenis ? x->enis[0].idx : MV_NONE;
        }
        bool assumed;
        const char *why = "has no private address in the input";
        if (eni == MV_NONE || !eni_address(m, eni, &d->ip, &assumed, &why)) {
            snprintf(res->error, sizeof res->error, "\"%s\" %s", ref, why);
            return -1;
        }
        d->eni = eni;
        snprintf(d->desc, sizeof d->desc, "%s (%s)", S(m, MV_AT(m, MK_ENI, mv_eni, eni)->r.id), ip_addr_str(&d->ip, a));
        return 0;
    }
    if ((i = lookup(m, MK_VPCE, ref)) != MV_NONE) {
        const mv_vpce *x = MV_AT(m, MK_VPCE, mv_vpce, i);
        const char *why = "has no network interface in the input";
        for (uint32_t k = 0; k < x->nenis; k++) {
            bool assumed;
            if (x->enis[k].idx != MV_NONE && eni_address(m, x->enis[k].idx, &d->ip, &assumed, &why)) {
                d->eni = x->enis[k].idx;
                snprintf(d->desc, sizeof d->desc, "%s (%s%s)", ref, ip_addr_str(&d->ip, a),
                         assumed ? ", any address of its subnet" : "");
                return 0;
            }
        }
        snprintf(res->error, sizeof res->error, "\"%s\" %s", ref, why);
        return -1;
    }
    if (ip_parse_addr(ref, &d->ip)) {
        d->eni = eni_by_ip(e, &d->ip, MV_NONE);
        d->pub_owner = eni_by_public_ip(e, &d->ip);
        snprintf(d->desc, sizeof d->desc, "%s%s%s", ref, d->eni != MV_NONE ? " on " : "",
                 d->eni != MV_NONE ? S(m, MV_AT(m, MK_ENI, mv_eni, d->eni)->r.id) : "");
        return 0;
    }
    snprintf(res->error, sizeof res->error, "\"%s\" is not a destination in the input (expected an ENI, instance, "
             "interface endpoint, IP address, internet or service:NAME)", ref);
    return -1;
}

/* The ENI that public address a is associated with, or MV_NONE. */
static uint32_t eni_by_public_ip(const reach_engine *e, const ip_addr *a)
{
    ipent key = { a->af, ip_to_u128(a), 0 };
    const ipent *hit = bsearch(&key, e->pubs, e->npubs, sizeof *e->pubs, ipent_cmp);
    return hit ? hit->eni : MV_NONE;
}

/* The private address that public address pub maps to on ENI eni. */
static ip_addr private_of(const mv_eni *e, const ip_addr *pub)
{
    for (uint32_t k = 0; k < e->nprivate; k++)
        if (e->public_of[k].af && !memcmp(&e->public_of[k], pub, sizeof *pub))
            return e->private_ips[k];
    return e->nprivate ? e->private_ips[0] : (ip_addr){ 0 };
}

/*
 * From an arbitrary internet address in through an internet gateway: the
 * destination must be a public address associated with an ENI, which the
 * gateway maps to its private address (A.4); the reply must be routed back
 * to the gateway. Clients on the internet may use any ephemeral port, so
 * replies are checked against 1024-65535 (A.2).
 */
static void trace_from_internet(tctx *c, const dest *d)
{
    const mlvpc_model *m = c->m;
    char a[IP_STR_MAX];
    ip_addr client;
    snprintf(c->t->source, sizeof c->t->source, "internet");
    if (d->ip.af == IP_V6) {
        /* IPv6 addresses are public: no translation at the gateway. */
        uint32_t e6 = d->eni != MV_NONE ? d->eni : eni_by_ip(c->e, &d->ip, MV_NONE);
        if (e6 == MV_NONE) {
            block(c, false, d->desc, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
                  "%s is not an address of any network interface in the input", ip_addr_str(&d->ip, a));
            return;
        }
        ip_parse_addr("2001:db8::a", &client); /* an arbitrary internet address (documentation range) */
        ingress_from_internet(c, e6, &d->ip, &client, NULL);
        return;
    }
    client = c->e->internet;
    if (!c->e->has_internet || d->kind != DK_ADDR) {
        missing(c, "a destination inside the model for traffic from the internet");
        return;
    }
    uint32_t eni = eni_by_public_ip(c->e, &d->ip);
    ip_addr pub = d->ip;
    if (eni == MV_NONE && d->eni != MV_NONE) {
        eni = d->eni;
        const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, eni);
        if (!e->npublic && e->nipv6) {
            ip_parse_addr("2001:db8::a", &client);
            ingress_from_internet(c, eni, &e->ipv6[0], &client, NULL);
            return;
        }
        if (!e->npublic) {
            block(c, false, S(m, e->r.id), "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
                  "%s has no public address: nothing on the internet can address it", S(m, e->r.id));
            return;
        }
        pub = e->public_ips[0];
    }
    if (eni == MV_NONE) {
        block(c, false, d->desc, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
              "%s is not a public address of any network interface in the input", ip_addr_str(&d->ip, a));
        return;
    }
    ingress_from_internet(c, eni, &pub, &client, NULL);
}

/*
 * The leg from the internet to ENI `eni` through its VPC's internet gateway,
 * addressed to its public address `pub` by `client`, and the reply.
 */
static void ingress_from_internet(tctx *c, uint32_t eni, const ip_addr *pub, const ip_addr *client, const place *from)
{
    const mlvpc_model *m = c->m;
    const reach_query *q = c->q;
    char a[IP_STR_MAX];
    place dp;
    place_of_eni(m, eni, &dp);
    if (MV_AT(m, MK_ENI, mv_eni, eni)->owner == MW_NATGW) {
        block(c, false, dp.label, "NO_POSSIBLE_DESTINATION", "a NAT gateway accepts no connection from outside");
        return;
    }
    if (dp.subnet == MV_NONE || dp.vpc == MV_NONE) {
        missing(c, "the subnet of %s", dp.label);
        return;
    }
    /* The VPC's internet gateway. */
    uint32_t igw = MV_NONE;
    for (uint32_t i = 0; i < MV_N(m, MK_IGW) && igw == MV_NONE; i++) {
        const mv_igw *g = MV_AT(m, MK_IGW, mv_igw, i);
        for (uint32_t k = 0; k < g->nattach; k++)
            if (g->attach[k].vpc.idx == dp.vpc)
                igw = i;
    }
    if (igw == MV_NONE) {
        /* A route table of the VPC naming an internet gateway the input
         * lacks means it exists but was not collected. */
        for (uint32_t t = 0; t < MV_N(m, MK_RTB); t++) {
            const mv_rtb *rt = MV_AT(m, MK_RTB, mv_rtb, t);
            for (uint32_t k = 0; rt->vpc.idx == dp.vpc && k < rt->nroutes; k++)
                if (rt->routes[k].target == MT_IGW && rt->routes[k].tgt.idx == MV_NONE) {
                    missing(c, "internet gateway %s is not in the input", S(m, rt->routes[k].tgt.sym));
                    return;
                }
        }
        block(c, false, S(m, MV_AT(m, MK_VPC, mv_vpc, dp.vpc)->r.id), "NO_ROUTE_TO_DESTINATION",
              "the VPC has no internet gateway");
        return;
    }
    const char *gid = S(m, MV_AT(m, MK_IGW, mv_igw, igw)->r.id);
    bool v6 = pub->af == IP_V6;
    uint32_t edge = edge_table(m, MV_AT(m, MK_IGW, mv_igw, igw)->r.id);
    if (edge != MV_NONE) {
        /* A gateway route table decides where inbound traffic goes first
         * (A.3): the local route delivers as usual; an appliance or a
         * firewall endpoint sends it through a middlebox we do not model. */
        const mv_rtb *et = MV_AT(m, MK_RTB, mv_rtb, edge);
        ip_addr inside0 = pub->af == IP_V6 ? *pub : private_of(MV_AT(m, MK_ENI, mv_eni, eni), pub);
        hbox probe = hbox_all(inside0.af);
        probe.dst_lo = probe.dst_hi = ip_to_u128(&inside0);
        pieces_clear(&c->pc);
        if (route_decide(m, et, &probe, &c->pc) != 0) {
            c->oom = true;
            return;
        }
        const mv_route *er = c->pc.n && c->pc.v[0].v == V_ALLOW ? &et->routes[c->pc.v[0].rule] : NULL;
        if (!er || er->target != MT_LOCAL) {
            missing(c, "gateway route table %s of %s sends this traffic to %s (an appliance path, not modelled)",
                    S(m, et->r.id), gid, er ? S(m, er->tgt.sym) : "nowhere known");
            return;
        }
        hop(c, false, S(m, et->r.id), "route-table", "route", "gateway route table: local");
    }
    if (v6)
        hop(c, false, gid, "internet-gateway", "route", "to %s (IPv6: not translated)", ip_addr_str(pub, a));
    else
        hop(c, false, gid, "internet-gateway", "translate", "destination %s becomes %s", ip_addr_str(pub, a), dp.label);
    hbox fwd = hbox_all(pub->af);
    fwd.src_lo = fwd.src_hi = ip_to_u128(client);
    ip_addr inside = v6 ? *pub : private_of(MV_AT(m, MK_ENI, mv_eni, eni), pub);
    fwd.dst_lo = fwd.dst_hi = ip_to_u128(&inside);
    if (q->proto != MV_PROTO_ALL) {
        fwd.proto_lo = fwd.proto_hi = (uint16_t)q->proto;
        fwd.sport_lo = fwd.sport_hi = fwd.dport_lo = fwd.dport_hi = 0;
        fwd.type_lo = fwd.type_hi = fwd.code_lo = fwd.code_hi = 0;
        if (q->proto == MV_TCP || q->proto == MV_UDP) {
            fwd.dport_lo = q->port_lo;
            fwd.dport_hi = q->port_hi;
            fwd.sport_lo = EPH_NAT_LO;
            fwd.sport_hi = EPH_NAT_HI;
        } else if (q->proto == MV_ICMP || q->proto == MV_ICMPV6) {
            fwd.type_lo = fwd.type_hi = q->proto == MV_ICMP ? 8 : 128;
        }
    }
    if (MV_AT(m, MK_ENI, mv_eni, eni)->deny_igw == MV_TRUE)
        block(c, false, dp.label, "ENI_DENY_ALL_IGW_TRAFFIC", "DenyAllIgwTraffic is set: inbound traffic from the internet is dropped");
    nacl_step(c, dp.subnet, false, &fwd, false);
    sg_peer anyone = { 0 };
    sg_step(c, &dp, false, &anyone, &fwd);
    hop(c, false, dp.label, "network-interface", "deliver", "delivered to %s", dp.label);
    uint16_t elo = EPH_NAT_LO, ehi = EPH_NAT_HI;
    const char *who = "internet";
    if (from)
        client_ports(m, from, &elo, &ehi, &who);
    hbox rb = return_box(&fwd, elo, ehi);
    if (ports_matter(&fwd) && !from)
        TNOTE(c, "return traffic to ports %u-%u (internet clients may use any ephemeral port)", elo, ehi);
    nacl_step(c, dp.subnet, true, &rb, true);
    uint32_t rtb;
    const mv_route *back = route_step(c, dp.subnet, &rb, true, &rtb);
    if (back && back->target == MT_EIGW)
        block(c, true, S(m, back->tgt.sym), "EIGW_NO_INBOUND",
              "the subnet's IPv6 route is an egress-only internet gateway, which admits no connection from outside");
    else if (back && (back->target == MT_ENI || back->target == MT_INSTANCE || back->target == MT_GWLBE ||
                      back->target == MT_TGW || back->target == MT_VGW || back->target == MT_OTHER ||
                      back->target == MT_CORE || back->target == MT_LOCALGW || back->target == MT_CARRIER))
        missing(c, "the reply goes through %s (%s), which is not modelled", S(m, back->tgt.sym),
                mv_target_name(back->target));
    else if (back && !(back->target == MT_IGW && back->tgt.idx == igw))
        block(c, true, S(m, MV_AT(m, MK_RTB, mv_rtb, rtb)->r.id), "NO_ROUTE_TO_DESTINATION",
              "the reply is routed to %s, not to the internet gateway", S(m, back->tgt.sym));
}

/* ------------------------------------------------------------------ query */

int reach_run(reach_engine *e, const reach_query *q, reach_result *res)
{
    const mlvpc_model *m = e->m;
    memset(res, 0, sizeof *res);
    res->q = *q;
    places src = { .n = 0 };
    src_mode mode;
    int rs = resolve_source(m, e, q->from, q->platform, &src, &mode, res);
    if (rs < 0)
        return -1;
    if (src.overflow) {
        snprintf(res->error, sizeof res->error, "%s has more than %d placements", q->from, REACH_MAX_PLACES);
        rs = 1;
    }
    dest d;
    const char *service;
    if (resolve_dest(e, q->to, &d, res, &service) != 0)
        return -1;
    if (service)
        snprintf(res->dst_desc, sizeof res->dst_desc, "service %s", service);
    else
        snprintf(res->dst_desc, sizeof res->dst_desc, "%s", d.desc);
    if (rs > 0) {
        /* The source exists, but what it needs to be placed is missing. */
        res->traces = calloc(1, sizeof *res->traces);
        if (!res->traces)
            return -2;
        res->ntraces = 1;
        snprintf(res->traces[0].source, sizeof res->traces[0].source, "%s", q->from);
        snprintf(res->traces[0].missing, sizeof res->traces[0].missing, "%s", res->error);
        res->error[0] = '\0';
        res->traces[0].verdict = res->verdict = RV_INDETERMINATE;
        return 0;
    }

    uint32_t ntr = mode == SM_ISOLATED || !src.n ? 1 : src.n;
    res->traces = calloc(ntr, sizeof *res->traces);
    if (!res->traces)
        return -2;
    res->ntraces = ntr;
    tctx c = { .e = e, .m = m, .q = q };
    if (mode == SM_INTERNET) {
        if (service) {
            snprintf(res->error, sizeof res->error, "from the internet, the destination must be in the input");
            return -1;
        }
        c.t = &res->traces[0];
        trace_from_internet(&c, &d);
        pieces_release(&c.pc);
        if (c.oom)
            return -2;
        finish_trace(&c);
        res->verdict = c.t->verdict;
        return 0;
    }
    if (mode == SM_ISOLATED || !src.n) {
        reach_trace *t = &res->traces[0];
        snprintf(t->source, sizeof t->source, "%s", q->from);
        c.t = t;
        if (mode == SM_ISOLATED)
            block(&c, false, q->from, "SM_NETWORK_ISOLATION",
                  "network isolation: the container can make no network calls, even to AWS services");
        else
            missing(&c, "%s has no placement in the input", q->from);
        finish_trace(&c);
        /* SageMaker itself still reads and writes S3 through the subnets. */
        reach_query s3q = *q;
        s3q.proto = MV_TCP;
        s3q.port_lo = s3q.port_hi = 443;
        c.q = &s3q;
        /* One note per placement while there is room; past that, the count
         * of reachable ones and every placement that is not (notes are few). */
        uint32_t ok = 0, shown = 0;
        bool many = src.n > REACH_MAX_NOTES - 2;
        for (uint32_t i = 0; i < src.n; i++) {
            reach_trace probe = { 0 };
            c.t = &probe;
            c.stopped = false;
            dest dd;
            if (resolve_service(&c, &src.v[i], "s3", &dd) == 0)
                trace_place(&c, &src.v[i], &dd);
            finish_trace(&c);
            ok += probe.verdict == RV_REACHABLE;
            if (many && probe.verdict == RV_REACHABLE)
                continue;
            if (shown++ >= REACH_MAX_NOTES - 2 && many)
                continue;
            note(res->notes, &res->nnotes, "SageMaker's own S3 path from %s: %s%s%s", src.v[i].label,
                 reach_verdict_name(probe.verdict), probe.nblocks ? ", blocked by " : probe.missing[0] ? ": " : "",
                 probe.nblocks ? probe.blocks[0].component : probe.missing);
        }
        if (many)
            note(res->notes, &res->nnotes, "SageMaker's own S3 path: reachable from %u of %u placements%s", ok, src.n,
                 shown > REACH_MAX_NOTES - 2 ? " (not all the others are listed)" : "");
        pieces_release(&c.pc);
        res->verdict = t->verdict;
        return 0;
    }
    for (uint32_t i = 0; i < src.n; i++) {
        reach_trace *t = &res->traces[i];
        c.t = t;
        c.stopped = false;
        dest dd = d;
        snprintf(t->source, sizeof t->source, "%s", src.v[i].label);
        if (service && src.v[i].sagemaker_network && (src.v[i].vpc == MV_NONE || src.v[i].nfs_only)) {
            /* Outside any VPC the service's public name answers. */
            dd.kind = DK_SERVICE_PUBLIC;
            dd.eni = MV_NONE;
            snprintf(dd.desc, sizeof dd.desc, "%s public endpoint", service);
        } else if (service && resolve_service(&c, &src.v[i], service, &dd) != 0) {
            finish_trace(&c);
            continue;
        }
        trace_place(&c, &src.v[i], &dd);
        if (c.oom) {
            pieces_release(&c.pc);
            return -2;
        }
        finish_trace(&c);
    }
    pieces_release(&c.pc);
    /* Reachable only when every placement is; unreachable when one is blocked. */
    res->verdict = RV_REACHABLE;
    for (uint32_t i = 0; i < res->ntraces; i++) {
        if (res->traces[i].verdict == RV_UNREACHABLE)
            res->verdict = RV_UNREACHABLE;
        else if (res->traces[i].verdict == RV_INDETERMINATE && res->verdict == RV_REACHABLE)
            res->verdict = RV_INDETERMINATE;
    }
    return 0;
}

void reach_result_release(reach_result *res)
{
    free(res->traces);
    res->traces = NULL;
    res->ntraces = 0;
}
