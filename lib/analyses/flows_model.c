/*
 * `mlvpc flows --model`: flow-log records joined to the network model —
 * interfaces and addresses to what they belong to — and the price table
 * (data/prices.json) the cost estimates use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "../inputs/json.h"
#include "../model/model.h"
#include "reach.h"

/* ------------------------------------------------------------------ prices */

/* The defaults are data/prices.json's values (a test compares them). */
const fl_prices flows_default_prices = {
    .gb_bytes = 1073741824.0, .hours_per_month = 730.0, .nat_per_gb = 0.045, .vpce_per_gb = 0.01,
    .vpce_per_az_hour = 0.01, .gateway_per_gb = 0.0, .cross_az_per_gb = 0.01, .currency = "USD",
};

static bool number(const jdoc *d, uint32_t obj, const char *key, double *out, bool *ok)
{
    uint32_t v = json_get(d, obj, key);
    if (!v)
        return false;
    char buf[64];
    size_t n = d->t[v].len;
    if (json_type(d, v) != J_NUM || n >= sizeof buf) {
        *ok = false;
        return false;
    }
    memcpy(buf, d->buf + d->t[v].off, n);
    buf[n] = '\0';
    char *end;
    double x = strtod(buf, &end);
    if (*end || x < 0) {
        *ok = false;
        return false;
    }
    *out = x;
    return true;
}

mlvpc_status mlvpc_flows_set_prices(mlvpc_flows *f, const char *path, mlvpc_diag *err)
{
    FILE *in = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    if (in) {
        buf = malloc(1 << 20);
        n = buf ? fread(buf, 1, (1 << 20) - 1, in) : 0;
        fclose(in);
    }
    mlvpc_status st = MLVPC_OK;
    const char *why = NULL;
    jdoc d;
    memset(&d, 0, sizeof d);
    if (!buf)
        st = MLVPC_ERR_IO, why = in ? "out of memory" : strerror(errno);
    else if (json_parse(&d, buf, n, 16) != 0 || json_type(&d, 0) != J_OBJ)
        st = MLVPC_ERR_SYNTAX, why = "expected a JSON object of prices (see data/prices.json)";
    else {
        static const struct { const char *key; size_t off; } keys[] = {
            { "gb_bytes", offsetof(fl_prices, gb_bytes) }, { "hours_per_month", offsetof(fl_prices, hours_per_month) },
            { "nat_gateway_per_gb", offsetof(fl_prices, nat_per_gb) },
            { "interface_endpoint_per_gb", offsetof(fl_prices, vpce_per_gb) },
            { "interface_endpoint_per_az_hour", offsetof(fl_prices, vpce_per_az_hour) },
            { "gateway_endpoint_per_gb", offsetof(fl_prices, gateway_per_gb) },
            { "cross_az_per_gb_each_direction", offsetof(fl_prices, cross_az_per_gb) },
        };
        fl_prices p = flows_default_prices;
        bool ok = true;
        for (size_t k = 0; k < sizeof keys / sizeof *keys && ok; k++)
            if (!number(&d, 0, keys[k].key, (double *)((char *)&p + keys[k].off), &ok) && ok)
                ok = true; /* absent: the default stays */
        uint32_t cur = json_get(&d, 0, "currency");
        if (cur && json_type(&d, cur) == J_STR && d.t[cur].len < sizeof p.currency)
            snprintf(p.currency, sizeof p.currency, "%s", json_str(&d, cur));
        if (!ok || p.gb_bytes <= 0 || p.hours_per_month <= 0)
            st = MLVPC_ERR_SCHEMA, why = "prices must be non-negative numbers (gb_bytes and hours_per_month positive)";
        else
            f->prices = p;
    }
    if (st != MLVPC_OK)
        flows_fail(err, st, path, why);
    json_release(&d);
    free(buf);
    return st;
}

/* ------------------------------------------------------------------ the model */

static void eni_key(const char *id, uint8_t key[FLOWS_ENI_KEY]) { flows_eni_key(key, id, strlen(id)); }

static void addr_key(const ip_addr *a, uint8_t key[FLOWS_ADDR_KEY])
{
    key[0] = a->af;
    memcpy(key + 1, a->b, 16);
}

static int index_put(fmap *m, const uint8_t *key, uint32_t eni)
{
    fmap_val *v = fmap_get(m, key, fmap_hash(m, key));
    if (!v)
        return -1;
    v->extra = (uint64_t)eni + 1;
    return 0;
}

/* Per ENI, the workload it serves and whether that workload is
 * network-isolated; the VPC CIDRs. */
static int index_model(mlvpc_flows *f, const mlvpc_model *m)
{
    uint32_t n = m->tab[MK_ENI].n, ncidrs = 0;
    f->eni_res = calloc(n ? n : 1, sizeof *f->eni_res);
    f->eni_iso = calloc(n ? n : 1, 1);
    for (uint32_t v = 0; v < m->tab[MK_VPC].n; v++)
        ncidrs += MV_AT(m, MK_VPC, mv_vpc, v)->ncidrs;
    f->inside = calloc(ncidrs ? ncidrs : 1, sizeof *f->inside);
    if (!f->eni_res || !f->eni_iso || !f->inside)
        return -1;
    for (uint32_t v = 0; v < m->tab[MK_VPC].n; v++) {
        const mv_vpc *x = MV_AT(m, MK_VPC, mv_vpc, v);
        memcpy(f->inside + f->ninside, x->cidrs, x->ncidrs * sizeof *x->cidrs);
        f->ninside += x->ncidrs;
    }
    for (uint32_t i = 0; i < n; i++) {
        mv_kind kind;
        uint32_t idx;
        if (!flows_eni_resource(m, i, &kind, &idx))
            continue;
        f->eni_res[i] = ((uint32_t)kind << 24 | idx) + 1;
        mv_tri iso = kind == MK_JOB ? MV_AT(m, MK_JOB, mv_job, idx)->isolation
                   : kind == MK_MODEL ? MV_AT(m, MK_MODEL, mv_model_res, idx)->isolation : MV_FALSE;
        f->eni_iso[i] = iso == MV_TRUE;
    }
    return 0;
}

mlvpc_status mlvpc_flows_set_model(mlvpc_flows *f, const mlvpc_model *m, mlvpc_diag *err)
{
    if (!f || !m || !m->finished)
        return flows_fail(err, MLVPC_ERR_USAGE, NULL, "flows: the model must be finished");
    f->model = m;
    f->joined = true;
    fmap_init(&f->eni_index, FLOWS_ENI_KEY, 1); /* (extra: the ENI's index + 1) */
    fmap_init(&f->addr_index, FLOWS_ADDR_KEY, 1);
    int rc = index_model(f, m);
    for (uint32_t i = 0; i < m->tab[MK_ENI].n && !rc; i++) {
        const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, i);
        uint8_t k[FLOWS_ENI_KEY];
        eni_key(model_str(m, e->r.id), k);
        rc = index_put(&f->eni_index, k, i);
        for (uint32_t a = 0; a < e->nprivate && !rc; a++) {
            addr_key(&e->private_ips[a], k);
            rc = index_put(&f->addr_index, k, i);
        }
        for (uint32_t a = 0; a < e->nipv6 && !rc; a++) {
            addr_key(&e->ipv6[a], k);
            rc = index_put(&f->addr_index, k, i);
        }
    }
    return rc ? flows_fail(err, MLVPC_ERR_NOMEM, NULL, "out of memory") : MLVPC_OK;
}

static uint32_t lookup(const fmap *m, const uint8_t *key)
{
    const fmap_val *v = fmap_find(m, key, fmap_hash(m, key));
    return v ? (uint32_t)(v->extra - 1) : MV_NONE;
}

uint32_t flows_eni_of_id(const mlvpc_flows *f, const char *id, size_t n)
{
    uint8_t k[FLOWS_ENI_KEY];
    flows_eni_key(k, id, n);
    return f->model ? lookup(&f->eni_index, k) : MV_NONE;
}

uint32_t flows_eni_of_addr(const mlvpc_flows *f, const ip_addr *a)
{
    uint8_t k[FLOWS_ADDR_KEY];
    addr_key(a, k);
    return f->model && a->af ? lookup(&f->addr_index, k) : MV_NONE;
}

bool flows_in_model_cidrs(const mlvpc_flows *f, const ip_addr *a)
{
    for (uint32_t i = 0; i < f->ninside; i++)
        if (ip_prefix_contains(&f->inside[i], a))
            return true;
    return false;
}

static const mv_eni *eni_at(const mlvpc_flows *f, uint32_t i) { return MV_AT(f->model, MK_ENI, mv_eni, i); }

static bool other_zone(const mv_eni *a, const mv_eni *b)
{
    return a->vpc.idx != MV_NONE && a->vpc.idx == b->vpc.idx && a->az && b->az && strcmp(a->az, b->az) != 0;
}

/* Cross-AZ: an ACCEPTed record between two of the model's interfaces of a
 * VPC in different zones, counted on the sender's record only so that each
 * byte counts once; and traffic a NAT gateway forwards for an interface in
 * another zone, counted on the NAT gateway's records (the workload's own
 * records name the far address, not the NAT gateway). */
void flows_join_record(mlvpc_flows *f, const fl_rec *r, uint8_t *key)
{
    uint32_t rec = r->eni.p ? flows_eni_of_id(f, r->eni.p, r->eni.n) : MV_NONE;
    if (rec == MV_NONE)
        return;
    uint32_t from = flows_eni_of_addr(f, &r->src), to = flows_eni_of_addr(f, &r->dst);
    const mv_eni *e = eni_at(f, rec);
    if (e->owner == MW_NATGW) {
        /* a workload's packet through the NAT gateway, or the reply it forwards */
        uint32_t w = from != MV_NONE && from != rec ? from : to != MV_NONE && to != rec ? to : MV_NONE;
        if (w == MV_NONE || to == rec || !other_zone(e, eni_at(f, w)))
            return; /* (a packet addressed to the NAT gateway itself counts on its sender's record) */
        eni_key(model_str(f->model, eni_at(f, w == from ? w : rec)->r.id), key);
        eni_key(model_str(f->model, eni_at(f, w == from ? rec : w)->r.id), key + FLOWS_ENI_KEY);
        return;
    }
    if (from != rec || to == MV_NONE || to == from || !other_zone(e, eni_at(f, to)))
        return; /* not the sender's record, or not across zones */
    eni_key(model_str(f->model, e->r.id), key);
    eni_key(model_str(f->model, eni_at(f, to)->r.id), key + FLOWS_ENI_KEY);
}

/* Whether a public address is in S3's published ranges, or in the entries
 * of an S3 prefix list of the model (what a gateway endpoint routes). */
static bool s3_addr(const mlvpc_flows *f, const ip_addr *a);

void flows_iso_key(const mlvpc_flows *f, const fl_rec *r, uint8_t *key)
{
    uint32_t rec = r->eni.p ? flows_eni_of_id(f, r->eni.p, r->eni.n) : MV_NONE;
    if (rec == MV_NONE || !f->eni_iso[rec])
        return;
    const ip_addr *peer = flows_eni_of_addr(f, &r->src) == rec ? &r->dst : &r->src;
    if (!peer->af)
        return;
    uint32_t p = flows_eni_of_addr(f, peer);
    uint8_t cls;
    if (p != MV_NONE && (p == rec || f->eni_res[p] == f->eni_res[rec]))
        return; /* the workload's own instances (distributed training) */
    if (p != MV_NONE)
        cls = ISO_OTHER;
    else if (flows_inside_addr(f, peer))
        cls = ISO_UNKNOWN;
    else if (s3_addr(f, peer))
        return; /* SageMaker's own S3 path (data in, model artifacts out) */
    else
        cls = f->ranges ? ISO_PUBLIC : ISO_UNCLASSIFIED;
    flows_eni_key(key, r->eni.p, r->eni.n);
    addr_key(peer, key + FLOWS_ENI_KEY);
    key[FLOWS_ENI_KEY + FLOWS_ADDR_KEY] = cls;
}

void flows_egress_key(const mlvpc_flows *f, const fl_rec *r, uint8_t *key)
{
    if (!r->src.af || !r->dst.af || !flows_inside_addr(f, &r->src) || flows_inside_addr(f, &r->dst))
        return;
    uint32_t rec = r->eni.p ? flows_eni_of_id(f, r->eni.p, r->eni.n) : MV_NONE;
    if (rec == MV_NONE || eni_at(f, rec)->owner == MW_NATGW)
        return; /* (a NAT gateway forwards others' traffic: theirs is judged) */
    flows_eni_key(key, r->eni.p, r->eni.n);
    addr_key(&r->dst, key + FLOWS_ENI_KEY);
    /* the service port: the lower of the two (a reply goes from it to an
     * ephemeral port); 0xffff when the protocol has no ports */
    uint8_t *pk = key + FLOWS_ENI_KEY + FLOWS_ADDR_KEY;
    int32_t port = r->sport >= 0 && (r->dport < 0 || r->sport < r->dport) ? r->sport : r->dport;
    bool ports = (r->proto == MV_TCP || r->proto == MV_UDP) && port >= 0;
    uint16_t pr = r->proto >= 0 ? (uint16_t)r->proto : 0xffff, po = ports ? (uint16_t)port : 0xffff;
    pk[0] = (uint8_t)pr, pk[1] = (uint8_t)(pr >> 8), pk[2] = (uint8_t)po, pk[3] = (uint8_t)(po >> 8);
}

static bool same_sgs(const mv_placement *p, const mv_eni *e)
{
    if (p->nsgs != e->nsgs)
        return false;
    for (uint32_t i = 0; i < p->nsgs; i++) {
        bool found = false;
        for (uint32_t j = 0; j < e->nsgs && !found; j++)
            found = p->sgs[i].sym == e->sgs[j].sym;
        if (!found)
            return false;
    }
    return true;
}

static bool placed_on(const mv_placement *p, const mv_eni *e)
{
    if (p->present != MV_TRUE || !same_sgs(p, e))
        return false;
    for (uint32_t i = 0; i < p->nsubnets; i++)
        if (p->subnets[i].sym == e->subnet.sym)
            return true;
    return false;
}

/* The SageMaker resource a SageMaker-managed interface serves, when the
 * model says: its own link (a notebook's interface), else the one job its
 * description names, else the one resource placed in its subnet with
 * exactly its security groups. Several such resources: none (which one is
 * not known). */
bool flows_eni_resource(const mlvpc_model *m, uint32_t eni, mv_kind *kind, uint32_t *idx)
{
    const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, eni);
    if (e->owner_kind && e->owner_idx != MV_NONE) {
        *kind = e->owner_kind;
        *idx = e->owner_idx;
        return true;
    }
    if (e->owner != MW_SAGEMAKER)
        return false;
    /* a job named in the interface's description ("... for Training Job NAME") */
    uint32_t named = 0;
    for (uint32_t i = 0; e->description && i < m->tab[MK_JOB].n; i++) {
        const char *name = MV_AT(m, MK_JOB, mv_job, i)->job_name, *at = name ? strstr(e->description, name) : NULL;
        size_t n = name ? strlen(name) : 0;
        if (at && (at == e->description || at[-1] == ' ') && (at[n] == '\0' || at[n] == ' ') && named++ == 0) {
            *kind = MK_JOB;
            *idx = i;
        }
    }
    if (named == 1)
        return true;
    static const mv_kind kinds[] = { MK_JOB, MK_MODEL, MK_DOMAIN, MK_NOTEBOOK };
    static const size_t place_off[] = { offsetof(mv_job, place), offsetof(mv_model_res, place),
                                        offsetof(mv_domain, place), offsetof(mv_notebook, place) };
    uint32_t found = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        for (uint32_t i = 0; i < m->tab[kinds[k]].n; i++) {
            const mv_placement *p = (const mv_placement *)((const char *)model_res(m, kinds[k], i) + place_off[k]);
            if (placed_on(p, e) && found++ == 0) {
                *kind = kinds[k];
                *idx = i;
            }
        }
    return found == 1;
}

/* What an interface belongs to, for reports: "notebook:nb", "nat-gateway
 * nat-0..", ...; NULL when the model does not know the interface. */
const char *flows_eni_label(const mlvpc_flows *f, const char *id, char *buf, size_t size)
{
    uint32_t i = flows_eni_of_id(f, id, strlen(id));
    if (i == MV_NONE)
        return NULL;
    const mlvpc_model *m = f->model;
    const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, i);
    mv_kind k;
    uint32_t idx;
    if (flows_eni_resource(m, i, &k, &idx)) {
        const mv_res *r = model_res(m, k, idx);
        snprintf(buf, size, "%s %s%s", mv_kind_name(k), model_str(m, r->id),
                 e->owner_kind ? "" : " (by its description, or its subnet and groups)");
    } else {
        snprintf(buf, size, "%s", mv_owner_name(e->owner));
    }
    return buf;
}

/* ------------------------------------------------------------------ AWS's ranges */

void flows_ranges_free(fl_ranges *r)
{
    if (!r)
        return;
    for (int i = 0; i < 256; i++)
        free(r->v4[i]);
    free(r->v6);
    free(r);
}

static int name_of(fl_ranges *r, const char *s, size_t n)
{
    if (n >= sizeof r->names[0])
        n = sizeof r->names[0] - 1;
    for (uint32_t i = 0; i < r->nnames; i++)
        if (strlen(r->names[i]) == n && memcmp(r->names[i], s, n) == 0)
            return (int)i;
    if (r->nnames == sizeof r->names / sizeof *r->names)
        return -1;
    memcpy(r->names[r->nnames], s, n);
    r->names[r->nnames][n] = '\0';
    return (int)r->nnames++;
}

static int push_range(fl_range **v, uint32_t *n, const fl_range *x)
{
    fl_range *g = realloc(*v, (*n + 1) * sizeof **v);
    if (!g)
        return -1;
    g[(*n)++] = *x;
    *v = g;
    return 0;
}

/* Add the prefixes of one list ("prefixes" / "ipv6_prefixes"). */
static int add_ranges(fl_ranges *r, const jdoc *d, const char *list, const char *key)
{
    uint32_t arr = json_get(d, 0, list);
    if (!arr)
        return 0;
    if (json_type(d, arr) != J_ARR)
        return -2;
    uint32_t k = json_child(arr);
    for (uint32_t i = 0; i < d->t[arr].count; i++, k = json_next(d, k)) {
        uint32_t p = json_get(d, k, key), sv = json_get(d, k, "service"), rg = json_get(d, k, "region");
        if (!p || !sv || !rg || json_type(d, p) != J_STR || json_type(d, sv) != J_STR || json_type(d, rg) != J_STR)
            return -2;
        fl_range x;
        int s = name_of(r, json_str(d, sv), d->t[sv].len), g = name_of(r, json_str(d, rg), d->t[rg].len);
        if (!ip_parse_prefix(json_str(d, p), &x.p) || s < 0 || g < 0)
            return -2;
        x.service = (uint16_t)s;
        x.region = (uint16_t)g;
        if (x.p.a.af == IP_V6) {
            if (push_range(&r->v6, &r->n6, &x))
                return -1;
            continue;
        }
        /* in the bucket of each first octet the prefix covers */
        unsigned lo = x.p.a.b[0], hi = x.p.len >= 8 ? lo : lo | (0xffu >> x.p.len);
        for (unsigned o = lo; o <= hi; o++)
            if (push_range(&r->v4[o], &r->n4[o], &x))
                return -1;
    }
    return 0;
}

mlvpc_status mlvpc_flows_set_ip_ranges(mlvpc_flows *f, const char *path, mlvpc_diag *err)
{
    FILE *in = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    mlvpc_status st = MLVPC_OK;
    const char *why = NULL;
    while (in) {
        if (n + 1 >= cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *q = cap <= (64u << 20) ? realloc(buf, cap) : NULL;
            if (!q) {
                st = MLVPC_ERR_LIMIT, why = "larger than 64 MiB: not an ip-ranges.json";
                break;
            }
            buf = q;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, in);
        n += got;
        if (!got)
            break;
    }
    if (!in)
        st = MLVPC_ERR_IO, why = strerror(errno);
    else
        fclose(in);
    jdoc d;
    memset(&d, 0, sizeof d);
    fl_ranges *r = st == MLVPC_OK ? calloc(1, sizeof *r) : NULL;
    if (st == MLVPC_OK && !r)
        st = MLVPC_ERR_NOMEM, why = "out of memory";
    if (st == MLVPC_OK && (json_parse(&d, buf, n, 16) != 0 || json_type(&d, 0) != J_OBJ))
        st = MLVPC_ERR_SYNTAX, why = "expected AWS's ip-ranges.json (a JSON object)";
    if (st == MLVPC_OK) {
        int rc = add_ranges(r, &d, "prefixes", "ip_prefix");
        if (!rc)
            rc = add_ranges(r, &d, "ipv6_prefixes", "ipv6_prefix");
        if (rc)
            st = rc == -1 ? MLVPC_ERR_NOMEM : MLVPC_ERR_SCHEMA,
            why = rc == -1 ? "out of memory" : "expected prefixes with ip_prefix, service and region strings";
        else if (!r->n6 && !r->nnames)
            st = MLVPC_ERR_SCHEMA, why = "no prefixes: expected AWS's ip-ranges.json";
    }
    json_release(&d);
    free(buf);
    if (st != MLVPC_OK) {
        flows_ranges_free(r);
        return flows_fail(err, st, path, why);
    }
    flows_ranges_free(f->ranges);
    f->ranges = r;
    return MLVPC_OK;
}

/* The service of an address: the most specific prefix that names one, AMAZON
 * (the range of all of AWS) only when no other does; NULL when none holds it. */
static const fl_range *range_of(const fl_ranges *r, const ip_addr *a)
{
    const fl_range *v = a->af == IP_V4 ? r->v4[a->b[0]] : r->v6;
    uint32_t n = a->af == IP_V4 ? r->n4[a->b[0]] : r->n6;
    const fl_range *best = NULL;
    bool best_generic = true;
    for (uint32_t i = 0; i < n; i++) {
        if (!ip_prefix_contains(&v[i].p, a))
            continue;
        bool generic = strcmp(r->names[v[i].service], "AMAZON") == 0;
        if (!best || (best_generic && !generic) || (generic == best_generic && v[i].p.len > best->p.len)) {
            best = &v[i];
            best_generic = generic;
        }
    }
    return best;
}

static bool s3_addr(const mlvpc_flows *f, const ip_addr *a)
{
    const fl_range *g = f->ranges ? range_of(f->ranges, a) : NULL;
    if (g && strcmp(f->ranges->names[g->service], "S3") == 0)
        return true;
    const mlvpc_model *m = f->model;
    for (uint32_t i = 0; i < m->tab[MK_PL].n; i++) {
        const mv_pl *pl = MV_AT(m, MK_PL, mv_pl, i);
        size_t n = pl->pl_name ? strlen(pl->pl_name) : 0;
        if (n < 3 || strcmp(pl->pl_name + n - 3, ".s3") != 0)
            continue;
        for (uint32_t e = 0; e < pl->nentries; e++)
            if (ip_prefix_contains(&pl->entries[e], a))
                return true;
    }
    return false;
}

bool flows_aws_key(const mlvpc_flows *f, const fl_rec *r, uint8_t *key)
{
    if (!r->eni.p)
        return false;
    uint32_t i = flows_eni_of_id(f, r->eni.p, r->eni.n);
    const mlvpc_model *m = f->model;
    if (i == MV_NONE || MV_AT(m, MK_ENI, mv_eni, i)->owner != MW_NATGW)
        return false;
    /* the other end: NAT -> AWS, or AWS -> NAT. A NAT gateway's interface
     * records each byte twice, on the leg between the workload and the NAT
     * gateway (the far address unchanged) and on the translated leg from or
     * to the NAT gateway's own address: only the second counts. */
    bool out = flows_inside_addr(f, &r->src);
    const ip_addr *peer = out ? &r->dst : &r->src, *own = out ? &r->src : &r->dst;
    if (!peer->af || flows_inside_addr(f, peer) || flows_eni_of_addr(f, own) != i)
        return false;
    const fl_range *g = range_of(f->ranges, peer);
    if (!g)
        return false;
    const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, i);
    const char *region = e->r.region ? model_str(m, e->r.region) : NULL;
    memset(key, 0, FLOWS_ENI_KEY + FLOWS_SERVICE_KEY + 1);
    flows_eni_key(key, r->eni.p, r->eni.n);
    const char *svc = f->ranges->names[g->service];
    memcpy(key + FLOWS_ENI_KEY, svc, strlen(svc) < FLOWS_SERVICE_KEY ? strlen(svc) : FLOWS_SERVICE_KEY);
    key[FLOWS_ENI_KEY + FLOWS_SERVICE_KEY] = region && strcmp(region, f->ranges->names[g->region]) == 0;
    return true;
}

/* ------------------------------------------------------------------ REJECTs explained */


/* Whether a blocking component is the recording interface's: one of its
 * security groups or its subnet's network ACL (what rejected the record). */
static bool at_recorder(const mlvpc_model *m, uint32_t eni, const char *component)
{
    if (eni == MV_NONE)
        return false;
    const mv_eni *e = MV_AT(m, MK_ENI, mv_eni, eni);
    if (strcmp(component, model_str(m, e->r.id)) == 0)
        return true;
    for (uint32_t i = 0; i < e->nsgs; i++)
        if (strcmp(component, model_str(m, e->sgs[i].sym)) == 0)
            return true;
    if (e->subnet.idx == MV_NONE)
        return false;
    uint32_t acl = MV_AT(m, MK_SUBNET, mv_subnet, e->subnet.idx)->nacl;
    return acl != MV_NONE && strcmp(component, model_str(m, model_res(m, MK_NACL, acl)->id)) == 0;
}

static void explain_one(mlvpc_flows *f, reach_engine *e, const fl_key *k, fl_explained *x)
{
    if (k->bpa) { /* the record says why */
        x->verdict = RV_UNREACHABLE;
        x->at_recorder = true;
        snprintf(x->component, sizeof x->component, "block-public-access");
        snprintf(x->rule, sizeof x->rule, "reject-reason BPA: VPC Block Public Access");
        return;
    }
    char from[IP_STR_MAX], to[IP_STR_MAX];
    /* an address outside the model's networks is "the internet" to it */
    if (flows_inside_addr(f, &k->src))
        ip_addr_str(&k->src, from);
    else
        snprintf(from, sizeof from, "internet");
    ip_addr_str(&k->dst, to);
    reach_query q = { .from = from, .to = to, .proto = k->proto >= 0 ? k->proto : MV_PROTO_ALL };
    if ((k->proto == MV_TCP || k->proto == MV_UDP) && k->dport >= 0)
        q.port_lo = q.port_hi = (uint16_t)k->dport;
    else if (k->proto == MV_TCP || k->proto == MV_UDP)
        q.port_hi = 65535;
    reach_result res;
    int rc = reach_run(e, &q, &res);
    if (rc != 0) {
        x->verdict = RV_INDETERMINATE;
        snprintf(x->missing, sizeof x->missing, "%s", rc == -1 ? res.error : "out of memory");
        reach_result_release(&res);
        return;
    }
    x->verdict = res.verdict;
    uint32_t rec = flows_eni_of_id(f, k->eni, strlen(k->eni));
    /* the block at the recording interface first, else the first block */
    for (int pass = 0; pass < 2 && !x->component[0]; pass++)
        for (uint32_t t = 0; t < res.ntraces && !x->component[0]; t++)
            for (uint32_t b = 0; b < res.traces[t].nblocks && !x->component[0]; b++) {
                const reach_block *bl = &res.traces[t].blocks[b];
                bool here = at_recorder(f->model, rec, bl->component);
                if (pass == 1 || here) {
                    x->ret = bl->ret;
                    x->at_recorder = here;
                    snprintf(x->component, sizeof x->component, "%s", bl->component);
                    snprintf(x->rule, sizeof x->rule, "%s", bl->rule);
                }
            }
    for (uint32_t t = 0; t < res.ntraces && !x->missing[0]; t++)
        if (res.traces[t].missing[0])
            snprintf(x->missing, sizeof x->missing, "%s", res.traces[t].missing);
    reach_result_release(&res);
}

/* Egress to an address outside the model's networks that the model says
 * the interface can reach neither as a new connection nor as a reply (the
 * internet cannot reach it either; reach takes sources by interface, so an
 * arbitrary public address stands for this one): the records contradict
 * the model. */
static bool contradicts(reach_engine *e, const fl_key *k)
{
    char to[IP_STR_MAX];
    ip_addr_str(&k->dst, to);
    reach_query out = { .from = k->eni, .to = to, .proto = k->proto >= 0 ? k->proto : MV_PROTO_ALL, .port_hi = 65535 };
    if (k->dport >= 0)
        out.port_lo = out.port_hi = (uint16_t)k->dport;
    reach_query in = out;
    in.from = "internet";
    in.to = k->eni;
    reach_result res;
    int rc = reach_run(e, &out, &res);
    bool no = rc == 0 && res.verdict == RV_UNREACHABLE;
    reach_result_release(&res);
    if (!no)
        return false;
    rc = reach_run(e, &in, &res);
    no = rc == 0 && res.verdict == RV_UNREACHABLE;
    reach_result_release(&res);
    return no;
}

static mlvpc_status nomem(mlvpc_diag *err) { return flows_fail(err, MLVPC_ERR_NOMEM, NULL, "out of memory"); }

mlvpc_status mlvpc_flows_explain(mlvpc_flows *f, mlvpc_diag *err)
{
    if (!f || !f->model)
        return MLVPC_OK;
    uint32_t *idx;
    long n = flows_top(f, FT_REJECT, FO_RECORDS, f->top, &idx);
    const fmap *eg = &f->t[FT_EGRESS];
    reach_engine *e = reach_engine_new(f->model);
    free(f->explained);
    free(f->contradict);
    f->explained = n > 0 ? calloc((size_t)n, sizeof *f->explained) : NULL;
    f->contradict = eg->n ? calloc(eg->n, sizeof *f->contradict) : NULL;
    f->nexplained = f->ncontradict = 0;
    if (n < 0 || !e || (n > 0 && !f->explained) || (eg->n && !f->contradict)) {
        free(idx);
        reach_engine_free(e);
        return nomem(err);
    }
    for (long i = 0; i < n; i++) {
        fl_key k;
        flows_key(FT_REJECT, fmap_key(&f->t[FT_REJECT], idx[i]), &k);
        if (!k.src.af || !k.dst.af)
            continue;
        fl_explained *x = &f->explained[f->nexplained++];
        x->slot = idx[i];
        explain_one(f, e, &k, x);
    }
    free(idx);
    for (uint32_t i = 0; i < eg->cap; i++) {
        fl_key k;
        if (!fmap_used(eg, i))
            continue;
        flows_key(FT_EGRESS, fmap_key(eg, i), &k);
        if (contradicts(e, &k))
            f->contradict[f->ncontradict++] = i;
    }
    reach_engine_free(e);
    return MLVPC_OK;
}
