/* `mlvpc flows` reports: text and JSON (docs/flows-json.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analyses/flows.h"
#include "../model/model.h"
#include "jsonw.h"

/* One top list of the report. */
typedef struct list {
    const char *json, *title;
    fl_table t;
    fl_order order;
} list;

static const list lists[] = {
    { "sources_by_bytes", "sources by bytes", FT_SRC, FO_BYTES },
    { "destinations_by_bytes", "destinations by bytes", FT_DST, FO_BYTES },
    { "pairs_by_bytes", "source and destination pairs by bytes", FT_PAIR, FO_BYTES },
    { "sources_by_packets", "sources by packets", FT_SRC, FO_PACKETS },
    { "destinations_by_packets", "destinations by packets", FT_DST, FO_PACKETS },
    { "pairs_by_packets", "source and destination pairs by packets", FT_PAIR, FO_PACKETS },
    { "ports_by_bytes", "protocols and destination ports by bytes", FT_PORT, FO_BYTES },
    { "rejects", "REJECT records by source, destination, protocol, port and recording interface", FT_REJECT,
      FO_RECORDS },
    { "interfaces_by_bytes", "interfaces by bytes", FT_ENI, FO_BYTES },
    { "internet_egress_by_interface", "interfaces by bytes from a private to a public address", FT_INET, FO_BYTES },
    { "cross_az_by_bytes", "cross-AZ interface pairs by bytes (with --model)", FT_XAZ, FO_BYTES },
};

static const char *const action_names[3] = { "unknown", "ACCEPT", "REJECT" };

static const char *iso(int64_t t, char *buf, size_t size)
{
    if (t < 0)
        return NULL;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return NULL;
    return buf;
}

static const char *addr(const ip_addr *a, char *buf) { return a->af ? ip_addr_str(a, buf) : "-"; }

static const char *proto_text(int16_t p, char *buf, size_t size)
{
    const char *n = p >= 0 ? mv_proto_name(p) : NULL;
    if (p < 0)
        snprintf(buf, size, "-");
    else if (n && strcmp(n, "all") != 0)
        snprintf(buf, size, "%s", n);
    else
        snprintf(buf, size, "%d", p);
    return buf;
}

static void j_row(jw *w, const mlvpc_flows *f, fl_table t, uint32_t slot);

static const fl_explained *explained(const mlvpc_flows *f, uint32_t slot)
{
    for (uint32_t i = 0; i < f->nexplained; i++)
        if (f->explained[i].slot == slot)
            return &f->explained[i];
    return NULL;
}

static const char *const verdicts[] = { "reachable", "unreachable", "indeterminate" };

/* ------------------------------------------------------------------ the join to the model */

/* What the model section reports (computed once for both formats). */
/* NAT gateway traffic with one AWS service (all NAT gateways). */
typedef struct svc_sum {
    char service[FLOWS_SERVICE_KEY + 1];
    uint64_t bytes, same_region_bytes;
    double saving; /* of the same-region bytes, had an endpoint carried them */
} svc_sum;

typedef struct joined {
    svc_sum svc[64];
    unsigned nsvc;
    uint64_t xaz_bytes;
    double xaz_cost, window_s, per_month; /* per_month: window to a month (0: unknown) */
    uint32_t *inet;                       /* FT_INET slots of SageMaker interfaces, by bytes */
    long ninet;
} joined;

/* S3 and DynamoDB have gateway endpoints (no charge); other services interface endpoints. */
static bool gateway_service(const char *service)
{
    return strcmp(service, "S3") == 0 || strcmp(service, "DYNAMODB") == 0;
}

static bool is_sagemaker(const mlvpc_flows *f, const char *eni)
{
    uint32_t i = flows_eni_of_id(f, eni, strlen(eni));
    return i != MV_NONE && MV_AT(f->model, MK_ENI, mv_eni, i)->owner == MW_SAGEMAKER;
}

static bool join(const mlvpc_flows *f, joined *j)
{
    memset(j, 0, sizeof *j);
    const fmap *x = &f->t[FT_XAZ];
    for (uint32_t i = 0; i < x->cap; i++)
        if (fmap_used(x, i))
            j->xaz_bytes += fmap_val_at(x, i)->bytes;
    /* each byte crossing zones is charged leaving one and entering the other */
    j->xaz_cost = (double)j->xaz_bytes / f->prices.gb_bytes * f->prices.cross_az_per_gb * 2;
    const fmap *aws = &f->t[FT_AWS];
    for (uint32_t i = 0; i < aws->cap; i++) {
        if (!fmap_used(aws, i))
            continue;
        fl_key k;
        flows_key(FT_AWS, fmap_key(aws, i), &k);
        unsigned s = 0;
        while (s < j->nsvc && strcmp(j->svc[s].service, k.service) != 0)
            s++;
        if (s == j->nsvc) {
            if (j->nsvc == sizeof j->svc / sizeof *j->svc)
                continue;
            snprintf(j->svc[j->nsvc++].service, sizeof j->svc[0].service, "%s", k.service);
        }
        uint64_t b = fmap_val_at(aws, i)->bytes;
        j->svc[s].bytes += b;
        j->svc[s].same_region_bytes += k.same_region ? b : 0;
    }
    for (unsigned s = 0; s < j->nsvc; s++) {
        /* S3 and DynamoDB: a gateway endpoint; others: an interface endpoint, if the service has one */
        bool gw = gateway_service(j->svc[s].service);
        double per_gb = f->prices.nat_per_gb - (gw ? f->prices.gateway_per_gb : f->prices.vpce_per_gb);
        j->svc[s].saving = (double)j->svc[s].same_region_bytes / f->prices.gb_bytes * (per_gb > 0 ? per_gb : 0);
    }
    j->window_s = f->first >= 0 && f->last > f->first ? (double)(f->last - f->first) : 0;
    j->per_month = j->window_s > 0 ? f->prices.hours_per_month * 3600.0 / j->window_s : 0;
    uint32_t *all;
    long n = flows_top(f, FT_INET, FO_BYTES, f->t[FT_INET].n, &all);
    if (n < 0)
        return false;
    for (long i = 0; i < n; i++) {
        fl_key k;
        flows_key(FT_INET, fmap_key(&f->t[FT_INET], all[i]), &k);
        if (is_sagemaker(f, k.eni) && j->ninet < (long)f->top)
            all[j->ninet++] = all[i];
    }
    j->inet = all;
    return true;
}

/* Interface endpoints none of whose interfaces has an OK record: calls
 * back with each, its monthly cost (an hourly charge per interface/AZ), and
 * whether the logs cover every one of its interfaces (NODATA records: the
 * log ran and saw nothing). Without them, "no record" says nothing. */
static void idle_endpoints(const mlvpc_flows *f, void (*each)(void *, const mv_vpce *, double, bool), void *ctx)
{
    const mlvpc_model *m = f->model;
    for (uint32_t v = 0; v < m->tab[MK_VPCE].n; v++) {
        const mv_vpce *e = MV_AT(m, MK_VPCE, mv_vpce, v);
        if (e->type != ME_INTERFACE || !e->nenis)
            continue;
        uint64_t records = 0;
        bool covered = true;
        for (uint32_t i = 0; i < e->nenis; i++) {
            uint8_t k[FLOWS_ENI_KEY];
            const char *id = model_str(m, e->enis[i].sym);
            flows_eni_key(k, id, strlen(id));
            const fmap_val *c = fmap_find(&f->t[FT_ENI], k, fmap_hash(&f->t[FT_ENI], k));
            records += c ? c->records : 0;
            covered = covered && (c || fmap_find(&f->t[FT_NODATA], k, fmap_hash(&f->t[FT_NODATA], k)));
        }
        if (!records)
            each(ctx, e, (double)e->nenis * f->prices.vpce_per_az_hour * f->prices.hours_per_month, covered);
    }
}

typedef struct idle_ctx {
    jw *w;
    FILE *out;
    const mlvpc_flows *f;
    bool covered; /* report the covered ones, or the others */
    double total;
    unsigned n;
} idle_ctx;

static void on_idle(void *ctx, const mv_vpce *e, double monthly, bool covered)
{
    idle_ctx *c = ctx;
    const mlvpc_model *m = c->f->model;
    if (covered != c->covered)
        return;
    c->total += monthly;
    c->n++;
    if (c->w && covered) {
        jw_obj(c->w);
        jw_kstr(c->w, "endpoint", model_str(m, e->r.id));
        jw_kstr(c->w, "service", e->service_name);
        jw_kint(c->w, "interfaces", e->nenis);
        jw_key(c->w, "monthly_cost");
        jw_num(c->w, monthly);
        jw_obj_end(c->w);
    } else if (c->w) {
        jw_str(c->w, model_str(m, e->r.id));
    } else {
        fprintf(c->out, "  %s  %s  %u interface%s", model_str(m, e->r.id), e->service_name ? e->service_name : "?",
                e->nenis, e->nenis == 1 ? "" : "s");
        if (covered)
            fprintf(c->out, ", about %.2f %s a month", monthly, c->f->prices.currency);
        fputc('\n', c->out);
    }
}

static const char *const iso_peer_names[] = { "", "other_interface", "unknown_address", "public",
                                              "public_unclassified" };

/* The findings of the join, in both formats: calls back with each. */
typedef struct finding {
    const char *id, *status, *message;
    fl_table t;
    uint32_t slot;
} finding;

static const char *const iso_messages[] = {
    [ISO_OTHER] = "a network-isolated workload's interface exchanged traffic with another resource's interface: "
                  "there should be none",
    [ISO_UNKNOWN] = "a network-isolated workload's interface exchanged traffic with an address of the network that "
                    "no interface of the model holds: another instance of the same workload (started after the "
                    "snapshot) or not, the model cannot tell",
    [ISO_PUBLIC] = "a network-isolated workload's interface exchanged traffic with a public address outside S3: "
                   "there should be none",
    [ISO_UNCLASSIFIED] = "a network-isolated workload's interface exchanged traffic with a public address: S3 "
                         "(SageMaker's own data path) or not, --ip-ranges would tell",
};

static bool findings(const mlvpc_flows *f, void (*each)(void *, const finding *), void *ctx)
{
    uint32_t *idx;
    long n = flows_top(f, FT_ISO, FO_BYTES, f->t[FT_ISO].n, &idx);
    if (n < 0)
        return false;
    for (long i = 0; i < n; i++) {
        fl_key k;
        flows_key(FT_ISO, fmap_key(&f->t[FT_ISO], idx[i]), &k);
        if (k.iso_peer < ISO_OTHER || k.iso_peer > ISO_UNCLASSIFIED)
            continue; /* (not written by this version) */
        bool unsure = k.iso_peer == ISO_UNKNOWN || k.iso_peer == ISO_UNCLASSIFIED;
        finding x = { "ISOLATED-WORKLOAD-TRAFFIC", unsure ? "indeterminate" : "fail", iso_messages[k.iso_peer],
                      FT_ISO, idx[i] };
        each(ctx, &x);
    }
    free(idx);
    for (uint32_t i = 0; i < f->ncontradict; i++) {
        finding x = { "INTERNET-TRAFFIC-CONTRADICTS-MODEL", "fail",
                      "the interface exchanged traffic with an address outside the model's networks that the model "
                      "says it cannot reach, nor be reached from: the configuration changed, or the model is "
                      "incomplete",
                      FT_EGRESS, f->contradict[i] };
        each(ctx, &x);
    }
    return true;
}

typedef struct j_ctx {
    jw *w;
    const mlvpc_flows *f;
} j_ctx;

static void j_finding(void *ctx, const finding *x)
{
    jw *w = ((j_ctx *)ctx)->w;
    const mlvpc_flows *f = ((j_ctx *)ctx)->f;
    jw_obj(w);
    jw_kstr(w, "finding", x->id);
    jw_kstr(w, "status", x->status);
    jw_kstr(w, "message", x->message);
    jw_key(w, "evidence");
    j_row(w, f, x->t, x->slot);
    jw_obj_end(w);
}

typedef struct t_ctx {
    FILE *out;
    const mlvpc_flows *f;
    unsigned n;
} t_ctx;

static void t_finding(void *ctx, const finding *x)
{
    t_ctx *c = ctx;
    fl_key k;
    char lb[160], a[IP_STR_MAX], p[16];
    const fmap_val *v = fmap_val_at(&c->f->t[x->t], x->slot);
    flows_key(x->t, fmap_key(&c->f->t[x->t], x->slot), &k);
    const char *l = flows_eni_label(c->f, k.eni, lb, sizeof lb);
    fprintf(c->out, "  %s%s %s (%s) with %s", x->id, strcmp(x->status, "fail") ? " (indeterminate)" : "", k.eni,
            l ? l : "?", addr(&k.dst, a));
    if (x->t == FT_EGRESS && k.proto >= 0)
        fprintf(c->out, " %s", proto_text(k.proto, p, sizeof p));
    if (x->t == FT_EGRESS && k.dport >= 0)
        fprintf(c->out, " %d", k.dport);
    fprintf(c->out, ": %" PRIu64 " records, %" PRIu64 " bytes\n    %s\n", v->records, v->bytes, x->message);
    c->n++;
}

static bool j_model(jw *w, const mlvpc_flows *f, const joined *j)
{
    jw_key(w, "model");
    jw_obj(w);
    jw_key(w, "window_seconds");
    jw_num(w, j->window_s);
    jw_key(w, "sagemaker_internet_egress");
    jw_arr(w);
    for (long i = 0; i < j->ninet; i++)
        j_row(w, f, FT_INET, j->inet[i]);
    jw_arr_end(w);
    jw_key(w, "cross_az");
    jw_obj(w);
    jw_kuint(w, "bytes", j->xaz_bytes);
    jw_key(w, "cost");
    jw_num(w, j->xaz_cost);
    jw_key(w, "monthly_estimate");
    if (j->per_month > 0)
        jw_num(w, j->xaz_cost * j->per_month);
    else
        jw_null(w);
    jw_obj_end(w);
    jw_key(w, "nat_aws_services");
    if (!f->ranges && !f->t[FT_AWS].n)
        jw_null(w); /* no --ip-ranges */
    else {
        jw_arr(w);
        for (unsigned s = 0; s < j->nsvc; s++) {
            jw_obj(w);
            jw_kstr(w, "service", j->svc[s].service);
            jw_kuint(w, "bytes", j->svc[s].bytes);
            jw_kuint(w, "same_region_bytes", j->svc[s].same_region_bytes);
            jw_kstr(w, "endpoint", gateway_service(j->svc[s].service) ? "gateway" : "interface");
            jw_key(w, "saving");
            jw_num(w, j->svc[s].saving);
            jw_key(w, "monthly_saving");
            if (j->per_month > 0)
                jw_num(w, j->svc[s].saving * j->per_month);
            else
                jw_null(w);
            jw_obj_end(w);
        }
        jw_arr_end(w);
    }
    jw_key(w, "idle_interface_endpoints");
    jw_arr(w);
    idle_ctx c = { .w = w, .f = f, .covered = true };
    idle_endpoints(f, on_idle, &c);
    jw_arr_end(w);
    jw_key(w, "uncovered_interface_endpoints");
    jw_arr(w);
    idle_ctx u = { .w = w, .f = f, .covered = false };
    idle_endpoints(f, on_idle, &u);
    jw_arr_end(w);
    jw_kstr(w, "currency", f->prices.currency);
    jw_key(w, "findings");
    jw_arr(w);
    j_ctx jc = { w, f };
    bool ok = findings(f, j_finding, &jc);
    jw_arr_end(w);
    jw_obj_end(w);
    return ok;
}

static bool t_model(FILE *out, const mlvpc_flows *f, const joined *j)
{
    char lb[160];
    fprintf(out, "\nwith the model:\n");
    fprintf(out, "SageMaker interfaces sending to public addresses (top %u):\n", f->top);
    if (!j->ninet)
        fprintf(out, "  none\n");
    for (long i = 0; i < j->ninet; i++) {
        fl_key k;
        const fmap_val *v = fmap_val_at(&f->t[FT_INET], j->inet[i]);
        flows_key(FT_INET, fmap_key(&f->t[FT_INET], j->inet[i]), &k);
        const char *l = flows_eni_label(f, k.eni, lb, sizeof lb);
        fprintf(out, "  %s (%s)  %" PRIu64 " bytes, %" PRIu64 " packets, %" PRIu64 " records\n", k.eni, l ? l : "?",
                v->bytes, v->packets, v->records);
    }
    fprintf(out, "cross-AZ traffic inside VPCs: %" PRIu64 " bytes, %.2f %s", j->xaz_bytes, j->xaz_cost,
            f->prices.currency);
    if (j->per_month > 0)
        fprintf(out, " (about %.2f %s a month at this rate)", j->xaz_cost * j->per_month, f->prices.currency);
    fputc('\n', out);
    if (f->ranges || f->t[FT_AWS].n) {
        fprintf(out, "NAT gateway traffic with AWS services (both directions):\n");
        if (!j->nsvc)
            fprintf(out, "  none\n");
        for (unsigned s = 0; s < j->nsvc; s++) {
            bool gw = gateway_service(j->svc[s].service);
            fprintf(out, "  %-16s %14" PRIu64 " bytes (%" PRIu64 " in the NAT's region): a%s endpoint would save %.2f %s",
                    j->svc[s].service, j->svc[s].bytes, j->svc[s].same_region_bytes, gw ? " gateway" : "n interface",
                    j->svc[s].saving, f->prices.currency);
            if (j->per_month > 0)
                fprintf(out, " (about %.2f %s a month)", j->svc[s].saving * j->per_month, f->prices.currency);
            fputc('\n', out);
        }
    }
    fprintf(out, "findings:\n");
    t_ctx tc = { .out = out, .f = f };
    bool ok = findings(f, t_finding, &tc);
    if (!tc.n)
        fprintf(out, "  none\n");
    fprintf(out, "interface endpoints without traffic (the logs cover their interfaces: NODATA records):\n");
    idle_ctx c = { .out = out, .f = f, .covered = true };
    idle_endpoints(f, on_idle, &c);
    if (!c.n)
        fprintf(out, "  none\n");
    else
        fprintf(out, "  %u endpoint%s, about %.2f %s a month\n", c.n, c.n == 1 ? "" : "s", c.total, f->prices.currency);
    idle_ctx u = { .out = out, .f = f, .covered = false };
    fprintf(out, "interface endpoints without a record, not covered by these logs (no NODATA record):\n");
    idle_endpoints(f, on_idle, &u);
    if (!u.n)
        fprintf(out, "  none\n");
    return ok;
}

/* ------------------------------------------------------------------ JSON */

static void j_counts(jw *w, const fmap_val *v)
{
    jw_kuint(w, "records", v->records);
    jw_kuint(w, "packets", v->packets);
    jw_kuint(w, "bytes", v->bytes);
}

/* "low_by_at_most": bound b of a figure of table t (the interfaces' also
 * bounds their REJECT records). */
static void j_bound(jw *w, fl_table t, const fmap_val *b)
{
    jw_key(w, "low_by_at_most");
    jw_obj(w);
    j_counts(w, b);
    if (t == FT_ENI)
        jw_kuint(w, "rejected_records", b->extra);
    jw_obj_end(w);
}

static void j_row(jw *w, const mlvpc_flows *f, fl_table t, uint32_t slot)
{
    fl_key k;
    char a[IP_STR_MAX], b[IP_STR_MAX], p[16];
    flows_key(t, fmap_key(&f->t[t], slot), &k);
    jw_obj(w);
    char lb[160];
    switch (t) {
    case FT_SRC: jw_kstr(w, "address", addr(&k.src, a)); break;
    case FT_DST: jw_kstr(w, "address", addr(&k.dst, a)); break;
    case FT_ENI:
    case FT_NODATA:
    case FT_INET:
        jw_kstr(w, "interface", k.eni);
        jw_kstr(w, "belongs_to", flows_eni_label(f, k.eni, lb, sizeof lb));
        break;
    case FT_EGRESS:
    case FT_ISO:
        jw_kstr(w, "interface", k.eni);
        jw_kstr(w, "belongs_to", flows_eni_label(f, k.eni, lb, sizeof lb));
        jw_kstr(w, t == FT_ISO ? "peer" : "destination", addr(&k.dst, a));
        if (t == FT_ISO)
            jw_kstr(w, "peer_kind", iso_peer_names[k.iso_peer <= ISO_UNCLASSIFIED ? k.iso_peer : 0]);
        if (t == FT_EGRESS) {
            jw_key(w, "protocol");
            if (k.proto < 0)
                jw_null(w);
            else
                jw_int(w, k.proto);
            jw_key(w, "service_port");
            if (k.dport < 0)
                jw_null(w);
            else
                jw_int(w, k.dport);
        }
        break;
    case FT_AWS:
        jw_kstr(w, "nat_interface", k.eni);
        jw_kstr(w, "service", k.service);
        jw_kbool(w, "same_region", k.same_region);
        break;
    case FT_XAZ:
        jw_kstr(w, "sender", k.eni);
        jw_kstr(w, "sender_belongs_to", flows_eni_label(f, k.eni, lb, sizeof lb));
        jw_kstr(w, "receiver", k.eni2);
        jw_kstr(w, "receiver_belongs_to", flows_eni_label(f, k.eni2, lb, sizeof lb));
        break;
    default:
        if (t != FT_PORT) {
            jw_kstr(w, "source", addr(&k.src, a));
            jw_kstr(w, "destination", addr(&k.dst, b));
        }
        if (t != FT_PAIR) {
            jw_key(w, "protocol");
            if (k.proto < 0)
                jw_null(w);
            else
                jw_int(w, k.proto);
            jw_kstr(w, "protocol_name", proto_text(k.proto, p, sizeof p));
            jw_key(w, "port");
            if (k.dport < 0)
                jw_null(w);
            else
                jw_int(w, k.dport);
        }
        if (t == FT_REJECT) {
            jw_kstr(w, "interface", k.eni);
            jw_kbool(w, "reject_reason_bpa", k.bpa);
        }
    }
    j_counts(w, fmap_val_at(&f->t[t], slot));
    if (f->prunes[t]) {
        fmap_val bound;
        flows_row_bound(f, t, slot, &bound);
        j_bound(w, t, &bound);
    }
    const fl_explained *x = t == FT_REJECT ? explained(f, slot) : NULL;
    if (x) {
        jw_key(w, "explanation");
        jw_obj(w);
        jw_kstr(w, "verdict", verdicts[x->verdict]);
        jw_kstr(w, "blocked_by", x->component[0] ? x->component : NULL);
        jw_kstr(w, "direction", x->component[0] ? x->ret ? "return" : "forward" : NULL);
        jw_kstr(w, "rule", x->rule[0] ? x->rule : NULL);
        jw_kbool(w, "at_recording_interface", x->at_recorder);
        jw_kstr(w, "missing", x->missing[0] ? x->missing : NULL);
        jw_obj_end(w);
    }
    if (t == FT_ENI)
        jw_kuint(w, "rejected_records", fmap_val_at(&f->t[t], slot)->extra);
    jw_obj_end(w);
}

static bool j_report(const mlvpc_flows *f, FILE *out)
{
    jw w;
    char tb[32];
    jw_init(&w, out);
    jw_obj(&w);
    jw_kstr(&w, "tool", "mlvpc");
    jw_kstr(&w, "version", MLVPC_VERSION);
    jw_key(&w, "summary");
    jw_obj(&w);
    jw_kuint(&w, "files", f->files);
    jw_kuint(&w, "input_bytes", f->in_bytes);
    jw_kuint(&w, "text_bytes", f->text_bytes);
    jw_kuint(&w, "lines", f->lines);
    jw_kuint(&w, "header_lines", f->headers);
    jw_key(&w, "records");
    jw_obj(&w);
    jw_kuint(&w, "ok", f->status[FL_OK]);
    jw_kuint(&w, "nodata", f->status[FL_NODATA]);
    jw_kuint(&w, "skipdata", f->status[FL_SKIPDATA]);
    jw_kuint(&w, "outside_window", f->outside);
    jw_obj_end(&w);
    jw_key(&w, "unusable");
    jw_obj(&w);
    jw_kuint(&w, "total", mlvpc_flows_unusable(f));
    jw_key(&w, "by_reason");
    jw_obj(&w);
    for (int e = 1; e < FL_E_COUNT; e++)
        if (f->bad[e])
            jw_kint(&w, fl_error_id((fl_error)e), (int64_t)f->bad[e]);
    jw_obj_end(&w);
    jw_key(&w, "first");
    jw_arr(&w);
    for (unsigned i = 0; i < f->nsamples; i++) {
        jw_obj(&w);
        jw_kstr(&w, "file", f->samples[i].file);
        jw_kuint(&w, "line", f->samples[i].line);
        jw_kstr(&w, "reason", fl_error_id(f->samples[i].why));
        jw_kstr(&w, "text", f->samples[i].text);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_kstr(&w, "first_start", iso(f->first, tb, sizeof tb));
    jw_kstr(&w, "last_end", iso(f->last, tb, sizeof tb));
    jw_kuint(&w, "packets", f->packets);
    jw_kuint(&w, "bytes", f->bytes);
    jw_obj_end(&w);
    jw_key(&w, "actions");
    jw_obj(&w);
    for (int a = 1; a <= 3; a++) {
        const uint64_t *v = f->action[a % 3];
        if (a == 3 && !v[0])
            continue; /* no OK record without an action */
        fmap_val x = { v[0], v[1], v[2], 0, 0 };
        jw_key(&w, action_names[a % 3]);
        jw_obj(&w);
        j_counts(&w, &x);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    jw_key(&w, "tables");
    jw_obj(&w);
    static const char *const tnames[FT_COUNT] = { "sources", "destinations", "pairs", "ports", "rejects", "interfaces",
                                                  "nodata_interfaces", "internet_egress", "cross_az",
                                                  "nat_aws_services", "egress_destinations", "isolated_peers" };
    for (int t = 0; t < FT_COUNT; t++) {
        jw_key(&w, tnames[t]);
        jw_obj(&w);
        jw_kint(&w, "keys", f->t[t].n);
        jw_kbool(&w, "exact", !f->prunes[t]);
        jw_kint(&w, "prunings", f->prunes[t]);
        fmap_val b;
        flows_bound(f, t, &b);
        j_bound(&w, (fl_table)t, &b);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    if (f->model) {
        joined j;
        if (!join(f, &j))
            return false;
        bool mok = j_model(&w, f, &j);
        free(j.inet);
        if (!mok)
            return false;
    }
    jw_kint(&w, "top_n", f->top);
    jw_key(&w, "top");
    jw_obj(&w);
    bool ok = true;
    for (size_t l = 0; l < sizeof lists / sizeof *lists && ok; l++) {
        uint32_t *idx;
        long n = flows_top(f, lists[l].t, lists[l].order, f->top, &idx);
        ok = n >= 0;
        jw_key(&w, lists[l].json);
        jw_arr(&w);
        for (long i = 0; i < n; i++)
            j_row(&w, f, lists[l].t, idx[i]);
        jw_arr_end(&w);
        free(idx);
    }
    jw_obj_end(&w);
    jw_obj_end(&w);
    return jw_finish(&w) && ok;
}

/* ------------------------------------------------------------------ text */

static void t_row(FILE *out, const mlvpc_flows *f, fl_table t, uint32_t slot)
{
    fl_key k;
    char a[IP_STR_MAX], b[IP_STR_MAX], p[16];
    const fmap_val *v = fmap_val_at(&f->t[t], slot);
    flows_key(t, fmap_key(&f->t[t], slot), &k);
    fprintf(out, "  %15" PRIu64 " %12" PRIu64 " %10" PRIu64 "  ", v->bytes, v->packets, v->records);
    if (f->prunes[t])
        fprintf(out, "%12" PRIu64 "  ", v->missed);
    switch (t) {
    case FT_SRC: fprintf(out, "%s\n", addr(&k.src, a)); break;
    case FT_DST: fprintf(out, "%s\n", addr(&k.dst, a)); break;
    case FT_PAIR: fprintf(out, "%s -> %s\n", addr(&k.src, a), addr(&k.dst, b)); break;
    case FT_PORT:
        if (k.dport < 0)
            fprintf(out, "%s\n", proto_text(k.proto, p, sizeof p));
        else
            fprintf(out, "%s %d\n", proto_text(k.proto, p, sizeof p), k.dport);
        break;
    case FT_REJECT:
        fprintf(out, "%s -> %s %s", addr(&k.src, a), addr(&k.dst, b), proto_text(k.proto, p, sizeof p));
        if (k.dport >= 0)
            fprintf(out, " %d", k.dport);
        fprintf(out, " at %s%s\n", k.eni, k.bpa ? " (reject-reason BPA)" : "");
        const fl_explained *x = explained(f, slot);
        if (x && x->verdict == 1)
            fprintf(out, "%45s rejected by %s (%s)%s%s\n", "", x->component, x->rule,
                    x->ret ? " on the return path" : "", x->at_recorder ? "" : ", not at the recording interface");
        else if (x && x->verdict == 0)
            fprintf(out, "%45s the model would allow it: the configuration changed since, or the model is "
                         "incomplete\n", "");
        else if (x)
            fprintf(out, "%45s the model cannot tell: %s\n", "", x->missing[0] ? x->missing : "indeterminate");
        break;
    case FT_ENI:
    case FT_INET: {
        char lb[160];
        const char *l = flows_eni_label(f, k.eni, lb, sizeof lb);
        fprintf(out, "%s%s%s%s", k.eni, l ? " (" : "", l ? l : "", l ? ")" : "");
        if (t == FT_ENI)
            fprintf(out, "  %" PRIu64 " REJECT", v->extra);
        fputc('\n', out);
        break;
    }
    case FT_NODATA: fprintf(out, "%s\n", k.eni); break;
    case FT_EGRESS:
    case FT_ISO: fprintf(out, "%s -> %s\n", k.eni, addr(&k.dst, a)); break;
    case FT_XAZ: fprintf(out, "%s -> %s\n", k.eni, k.eni2); break;
    case FT_AWS: fprintf(out, "%s %s%s\n", k.eni, k.service, k.same_region ? "" : " (another region)"); break;
    case FT_COUNT: break;
    }
}

static bool t_report(const mlvpc_flows *f, FILE *out)
{
    char t1[32], t2[32];
    fprintf(out, "flow logs: %" PRIu64 " files, %" PRIu64 " bytes read (%" PRIu64 " bytes of text), %" PRIu64
                 " records: %" PRIu64 " OK, %" PRIu64 " NODATA, %" PRIu64 " SKIPDATA; %" PRIu64 " unusable",
            f->files, f->in_bytes, f->text_bytes, mlvpc_flows_records(f), f->status[FL_OK], f->status[FL_NODATA],
            f->status[FL_SKIPDATA], mlvpc_flows_unusable(f));
    if (f->since >= 0 || f->until >= 0)
        fprintf(out, ", %" PRIu64 " outside the time window", f->outside);
    fputc('\n', out);
    if (f->first >= 0 && iso(f->first, t1, sizeof t1) && iso(f->last, t2, sizeof t2))
        fprintf(out, "time: %s to %s\n", t1, t2);
    for (int e = 1; e < FL_E_COUNT; e++)
        if (f->bad[e])
            fprintf(out, "unusable: %" PRIu64 " %s\n", f->bad[e], fl_error_name((fl_error)e));
    for (unsigned i = 0; i < f->nsamples; i++)
        fprintf(out, "  %s:%" PRIu64 ": %s: %s\n", f->samples[i].file, f->samples[i].line,
                fl_error_name(f->samples[i].why), f->samples[i].text);
    fprintf(out, "traffic (OK records): %" PRIu64 " packets, %" PRIu64 " bytes\n", f->packets, f->bytes);
    for (int a = 1; a <= 3; a++) {
        const uint64_t *v = f->action[a % 3];
        if (a == 3 && !v[0])
            continue;
        fprintf(out, "  %-7s %12" PRIu64 " records %14" PRIu64 " packets %16" PRIu64 " bytes\n", action_names[a % 3],
                v[0], v[1], v[2]);
    }
    bool ok = true;
    for (size_t l = 0; l < sizeof lists / sizeof *lists && ok; l++) {
        uint32_t *idx;
        long n = flows_top(f, lists[l].t, lists[l].order, f->top, &idx);
        ok = n >= 0;
        fl_table t = lists[l].t;
        if (t == FT_XAZ && !f->model) {
            free(idx);
            continue;
        }
        fprintf(out, "\ntop %u %s (of %" PRIu32 "%s)\n", f->top, lists[l].title, f->t[t].n,
                f->prunes[t] ? " kept" : "");
        if (f->prunes[t]) {
            fmap_val b;
            flows_bound(f, t, &b);
            bool by_records = f->t[t].rank == 0;
            const char *unit = by_records ? "records" : "bytes";
            fprintf(out,
                    "  approximate: more than %d keys, the smallest dropped %" PRIu32 " times; a key not kept had "
                    "at most %" PRIu64 " %s\n",
                    FLOWS_MAX_KEYS, f->prunes[t], by_records ? b.records : b.bytes, unit);
            fprintf(out,
                    "  a row's %s may be low by at most its \"missed\", its %s by at most %" PRIu64 " and %" PRIu64
                    " (\"missed\" 0: the row is exact)\n",
                    unit, by_records ? "bytes and packets" : "packets and records", by_records ? b.bytes : b.packets,
                    by_records ? b.packets : b.records);
            fprintf(out, "  %15s %12s %10s  %12s\n", "bytes", "packets", "records", "missed");
        } else {
            fprintf(out, "  %15s %12s %10s\n", "bytes", "packets", "records");
        }
        for (long i = 0; i < n; i++)
            t_row(out, f, lists[l].t, idx[i]);
        free(idx);
    }
    if (f->model) {
        joined j;
        if (!join(f, &j))
            return false;
        bool mok = t_model(out, f, &j);
        free(j.inet);
        if (!mok)
            return false;
    }
    bool exact = true;
    for (int t = 0; t < FT_COUNT; t++)
        exact = exact && !f->prunes[t];
    fprintf(out, "\n%s\n", exact ? "all figures are exact: every distinct key is counted, and top lists are chosen "
                                   "among all of them"
                                 : "totals and actions are exact; lists marked approximate held too many keys (see "
                                   "their bounds), the others are exact");
    return ok;
}

mlvpc_status mlvpc_flows_write(const mlvpc_flows *f, mlvpc_format fmt, FILE *out, mlvpc_diag *err)
{
    if (!f || !out || (fmt != MLVPC_FORMAT_TEXT && fmt != MLVPC_FORMAT_JSON)) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = MLVPC_ERR_USAGE;
            snprintf(err->text, sizeof err->text, "flows: text or json output only");
        }
        return MLVPC_ERR_USAGE;
    }
    bool ok = fmt == MLVPC_FORMAT_JSON ? j_report(f, out) : t_report(f, out);
    if (fflush(out) != 0 || ferror(out))
        ok = false;
    if (!ok && err) {
        memset(err, 0, sizeof *err);
        err->status = MLVPC_ERR_IO;
        snprintf(err->text, sizeof err->text, "cannot write the report");
    }
    return ok ? MLVPC_OK : MLVPC_ERR_IO;
}
