#include "decide.h"

#include <stdlib.h>
#include <string.h>

#include "../util/vec.h"

void pieces_release(pieces *p)
{
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

void pieces_clear(pieces *p) { p->n = 0; }

/* Make room for one more element of `size` bytes in *v (capacity *cap). */
static int reserve(void **v, uint32_t *cap, uint32_t n, size_t size)
{
    if (n < *cap)
        return 0;
    uint32_t ncap = *cap ? *cap * 2 : 8;
    void *nv = ncap > *cap ? realloc(*v, (size_t)ncap * size) : NULL;
    if (!nv)
        return -1;
    *v = nv;
    *cap = ncap;
    return 0;
}

static int add(pieces *p, const hbox *b, verdict v, uint32_t owner, uint32_t rule, uint32_t why)
{
    if (reserve((void **)&p->v, &p->cap, p->n, sizeof *p->v) != 0)
        return -1;
    p->v[p->n++] = (piece){ .box = *b, .v = v, .owner = owner, .rule = rule, .why = why };
    return 0;
}

/* A work list of boxes not decided yet. */
typedef struct boxes {
    hbox *v;
    uint32_t n, cap;
} boxes;

static int boxes_push(boxes *l, const hbox *b)
{
    if (reserve((void **)&l->v, &l->cap, l->n, sizeof *l->v) != 0)
        return -1;
    l->v[l->n++] = *b;
    return 0;
}

/*
 * Claim, from every undecided box, the part inside `rule`: record it as a
 * piece and keep only the rest undecided.
 */
static int claim(boxes *rest, const hbox *rule, pieces *out, verdict v, uint32_t owner, uint32_t idx, uint32_t why)
{
    boxes next = { 0 };
    int rc = 0;
    for (uint32_t i = 0; i < rest->n && rc == 0; i++) {
        hbox in;
        if (!hbox_intersect(&rest->v[i], rule, &in)) {
            rc = boxes_push(&next, &rest->v[i]);
            continue;
        }
        rc = add(out, &in, v, owner, idx, why);
        hbox parts[HBOX_SPLIT_MAX];
        int k = hbox_subtract(&rest->v[i], rule, parts);
        for (int j = 0; j < k && rc == 0; j++)
            rc = boxes_push(&next, &parts[j]);
    }
    free(rest->v);
    *rest = next;
    return rc;
}

static int finish(boxes *rest, pieces *out, verdict v, uint32_t why, int rc)
{
    for (uint32_t i = 0; i < rest->n && rc == 0; i++)
        rc = add(out, &rest->v[i], v, MV_NONE, MV_NONE, why);
    free(rest->v);
    return rc;
}

/* The peer side of a rule box: source for ingress, destination for egress. */
static bool restrict_peer(hbox *b, bool egress, const ip_prefix *p)
{
    return egress ? hbox_restrict_dst(b, p) : hbox_restrict_src(b, p);
}

static bool peer_has_sg(const sg_peer *peer, uint32_t sg_sym)
{
    for (uint32_t i = 0; peer && i < peer->nsgs; i++)
        if (peer->sgs[i].sym == sg_sym)
            return true;
    return false;
}

/* Apply one SG rule to the undecided boxes. */
static int sg_rule(const mlvpc_model *m, const mv_sg_rule *r, uint32_t sg, uint32_t ri, const sg_peer *peer,
                   uint8_t af, boxes *rest, pieces *out)
{
    hbox rb = hbox_of_match(&r->m, af);
    if (r->peer == MP_CIDR) {
        if (!restrict_peer(&rb, r->egress, &r->cidr))
            return 0;
        return claim(rest, &rb, out, V_ALLOW, sg, ri, 0);
    }
    if (r->peer == MP_SG)
        return peer_has_sg(peer, r->ref.sym) ? claim(rest, &rb, out, V_ALLOW, sg, ri, 0) : 0;
    /* prefix list */
    const mv_pl *pl = r->ref.idx != MV_NONE ? MV_AT(m, MK_PL, mv_pl, r->ref.idx) : NULL;
    if ((!pl || !pl->entries_known) && peer && peer->in_pl && peer->in_pl == r->ref.sym)
        return claim(rest, &rb, out, V_ALLOW, sg, ri, 0); /* the peer is known to be in the list */
    if (pl && !pl->entries_known && pl->aws_managed && peer && peer->not_aws)
        return 0; /* an AWS-managed list holds only its service's addresses */
    if (!pl || !pl->entries_known) /* may or may not match: decided later if nothing else allows */
        return claim(rest, &rb, out, V_UNKNOWN, sg, ri, r->ref.sym);
    for (uint32_t e = 0; e < pl->nentries; e++) {
        hbox eb = rb;
        if (restrict_peer(&eb, r->egress, &pl->entries[e])) {
            int rc = claim(rest, &eb, out, V_ALLOW, sg, ri, 0);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int sg_decide(const mlvpc_model *m, const mv_ref *sgs, uint32_t nsgs, bool egress, const sg_peer *peer,
              const hbox *in, pieces *out)
{
    boxes rest = { 0 };
    int rc = boxes_push(&rest, in);
    /* Allow rules first, in any order (the union is what counts); an
     * UNKNOWN claim must not hide a definite allow, so those go last. */
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        for (uint32_t s = 0; s < nsgs && rc == 0; s++) {
            if (sgs[s].idx == MV_NONE)
                continue;
            const mv_sg *g = MV_AT(m, MK_SG, mv_sg, sgs[s].idx);
            uint32_t lo = egress ? g->ningress : 0, hi = egress ? g->nrules : g->ningress;
            for (uint32_t i = lo; i < hi && rc == 0; i++) {
                const mv_sg_rule *r = &g->rules[i];
                bool unknown_pl = r->peer == MP_PL && !(peer && peer->in_pl && peer->in_pl == r->ref.sym) &&
                                  (r->ref.idx == MV_NONE || !MV_AT(m, MK_PL, mv_pl, r->ref.idx)->entries_known);
                if (unknown_pl == (pass == 1))
                    rc = sg_rule(m, r, sgs[s].idx, i, peer, in->af, &rest, out);
            }
        }
    }
    return finish(&rest, out, V_DENY, 0, rc);
}

int nacl_decide(const mlvpc_model *m, const mv_nacl *n, bool egress, const hbox *in, pieces *out)
{
    (void)m;
    boxes rest = { 0 };
    int rc = boxes_push(&rest, in);
    uint32_t lo = egress ? n->ningress : 0, hi = egress ? n->nentries : n->ningress;
    for (uint32_t i = lo; i < hi && rc == 0 && rest.n; i++) {
        const mv_nacl_entry *e = &n->entries[i];
        hbox rb = hbox_of_match(&e->m, in->af);
        if (!restrict_peer(&rb, egress, &e->cidr))
            continue;
        rc = claim(&rest, &rb, out, e->allow ? V_ALLOW : V_DENY, MV_NONE, i, 0);
    }
    return finish(&rest, out, V_DENY, 0, rc);
}

/* A route candidate: one destination prefix of one route. */
typedef struct cand {
    ip_prefix dst;
    uint32_t route;
    int prio; /* 0 static CIDR, 1 prefix list, 2 propagated */
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->dst.len != y->dst.len)
        return x->dst.len > y->dst.len ? -1 : 1;
    if (x->prio != y->prio)
        return x->prio - y->prio;
    return (x->route > y->route) - (x->route < y->route);
}

static int add_cand(vec *v, cand x)
{
    uint32_t i;
    if (vec_push(v, sizeof x, &i) != 0)
        return -1;
    *VEC_AT(*v, cand, i) = x;
    return 0;
}

int route_decide(const mlvpc_model *m, const mv_rtb *t, const hbox *in, pieces *out)
{
    return route_decide_ex(m, t, in, out, false);
}

int route_decide_ex(const mlvpc_model *m, const mv_rtb *t, const hbox *in, pieces *out, bool dst_not_aws)
{
    return route_decide_pl(m, t, in, out, dst_not_aws, 0);
}

int route_decide_pl(const mlvpc_model *m, const mv_rtb *t, const hbox *in, pieces *out, bool dst_not_aws, uint32_t in_pl)
{
    vec cands = { 0 };
    uint32_t unknown_pl = 0;
    int rc = 0;
    for (uint32_t i = 0; i < t->nroutes && rc == 0; i++) {
        const mv_route *r = &t->routes[i];
        const ip_prefix *dsts = &r->dst;
        uint32_t ndst = 1;
        int prio = r->origin == MO_PROPAGATED ? 2 : 0;
        if (!r->dst.a.af) {
            const mv_pl *pl = r->dst_pl.idx != MV_NONE ? MV_AT(m, MK_PL, mv_pl, r->dst_pl.idx) : NULL;
            if (pl && !pl->entries_known && pl->aws_managed && dst_not_aws)
                continue; /* an AWS-managed list holds AWS service ranges only */
            if ((!pl || !pl->entries_known) && in_pl && r->dst_pl.sym == in_pl && in->dst_lo == in->dst_hi) {
                /* The destination is known to be in the list: the entry that
                 * holds it is unknown, so count it as the most specific. */
                ip_prefix h = { .a = u128_to_ip(in->dst_lo, in->af), .len = in->af == IP_V4 ? 32 : 128 };
                rc = add_cand(&cands, (cand){ .dst = h, .route = i, .prio = 1 });
                continue;
            }
            if (!pl || !pl->entries_known) {
                if (!unknown_pl)
                    unknown_pl = r->dst_pl.sym;
                continue;
            }
            dsts = pl->entries;
            ndst = pl->nentries;
            prio = 1;
        }
        for (uint32_t k = 0; k < ndst; k++) {
            if (dsts[k].a.af != in->af)
                continue;
            if ((rc = add_cand(&cands, (cand){ .dst = dsts[k], .route = i, .prio = prio })) != 0)
                break;
        }
    }
    size_t ncand = cands.n;
    cand *c = cands.data;
    if (ncand)
        qsort(c, ncand, sizeof *c, cand_cmp);
    boxes rest = { 0 };
    if (rc == 0)
        rc = boxes_push(&rest, in);
    unsigned full = in->af == IP_V4 ? 32 : 128;
    for (size_t i = 0; i < ncand && rc == 0 && rest.n; i++) {
        hbox rb = hbox_all(in->af);
        hbox_restrict_dst(&rb, &c[i].dst);
        /* A prefix list we cannot expand may hold a longer prefix for these
         * addresses; only the local route is certain (AWS refuses routes more
         * specific than it, bar subnet routes to appliances). */
        bool certain = !unknown_pl || c[i].dst.len == full || t->routes[c[i].route].target == MT_LOCAL;
        rc = claim(&rest, &rb, out, certain ? V_ALLOW : V_UNKNOWN, MV_NONE, c[i].route, certain ? 0 : unknown_pl);
    }
    vec_release(&cands);
    /* ... and it could hold any address no route claims. */
    return finish(&rest, out, unknown_pl ? V_UNKNOWN : V_DENY, unknown_pl, rc);
}
