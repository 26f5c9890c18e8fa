/*
 * `mlvpc reach`: parsing a query's protocol and ports, and writing answers
 * as text (a hop list) or JSON (docs/reach-json.md).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyses/reach.h"
#include "jsonw.h"

struct mlvpc_reach {
    reach_engine *e;
};

mlvpc_reach *mlvpc_reach_new(const mlvpc_model *m)
{
    if (!m || !m->finished)
        return NULL;
    mlvpc_reach *r = calloc(1, sizeof *r);
    if (!r || !(r->e = reach_engine_new(m))) {
        free(r);
        return NULL;
    }
    return r;
}

void mlvpc_reach_free(mlvpc_reach *r)
{
    if (!r)
        return;
    reach_engine_free(r->e);
    free(r);
}

static int usage(mlvpc_diag *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(mlvpc_diag *err, const char *fmt, ...)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = MLVPC_ERR_USAGE;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->text, sizeof err->text, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static bool parse_uint(const char *s, const char **end, unsigned max, unsigned *out)
{
    unsigned long v = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && p - s < 6)
        v = v * 10 + (unsigned long)(*p++ - '0');
    if (p == s || v > max)
        return false;
    *end = p;
    *out = (unsigned)v;
    return true;
}

static int parse_query(const mlvpc_reach_query *in, reach_query *q, mlvpc_diag *err)
{
    if (!in->from || !*in->from)
        return usage(err, "%s", "reach: no source given (--from)");
    if (!in->to || !*in->to)
        return usage(err, "%s", "reach: no destination given (--to)");
    q->from = in->from;
    q->to = in->to;
    static const struct { const char *name; int num; } protos[] = {
        { "tcp", MV_TCP }, { "udp", MV_UDP }, { "icmp", MV_ICMP }, { "icmpv6", MV_ICMPV6 }, { "all", MV_PROTO_ALL },
    };
    const char *p = in->proto ? in->proto : "tcp";
    q->proto = -2;
    for (size_t i = 0; i < sizeof protos / sizeof *protos; i++)
        if (strcmp(p, protos[i].name) == 0)
            q->proto = protos[i].num;
    unsigned v;
    const char *end;
    if (q->proto == -2) {
        if (!parse_uint(p, &end, 255, &v) || *end)
            return usage(err, "reach: unknown protocol \"%s\" (expected tcp, udp, icmp, icmpv6, all or 0-255)", p);
        q->proto = (int)v;
    }
    const char *ports = in->ports ? in->ports : "443";
    unsigned lo, hi;
    if (!parse_uint(ports, &end, 65535, &lo))
        return usage(err, "reach: invalid port \"%s\" (expected N or N-M, 0-65535)", ports);
    hi = lo;
    if (*end == '-' && !parse_uint(end + 1, &end, 65535, &hi))
        return usage(err, "reach: invalid port \"%s\" (expected N or N-M, 0-65535)", ports);
    if (*end || hi < lo)
        return usage(err, "reach: invalid port \"%s\" (expected N or N-M, 0-65535)", ports);
    if (in->ports && q->proto != MV_TCP && q->proto != MV_UDP)
        return usage(err, "reach: --port applies to tcp and udp only, not to \"%s\"", p);
    q->port_lo = (uint16_t)lo;
    q->port_hi = (uint16_t)hi;
    return 0;
}

/* ------------------------------------------------------------------ JSON */

static void j_block(jw *w, const reach_block *b)
{
    jw_obj(w);
    jw_kstr(w, "component", b->component);
    jw_kstr(w, "code", b->code);
    jw_kstr(w, "direction", b->ret ? "return" : "forward");
    jw_kstr(w, "rule", b->rule);
    jw_obj_end(w);
}

static void j_notes(jw *w, const char *key, char notes[][REACH_TEXT], uint32_t n)
{
    jw_key(w, key);
    jw_arr(w);
    for (uint32_t i = 0; i < n; i++)
        jw_str(w, notes[i]);
    jw_arr_end(w);
}

/* hops, blocked_by, also_blocked_by, missing, assumptions of one trace */
static void j_trace_body(jw *w, const reach_trace *t)
{
    jw_kstr(w, "verdict", reach_verdict_name(t->verdict));
    jw_key(w, "hops");
    jw_arr(w);
    for (int ret = 0; ret < 2; ret++)
        for (uint32_t i = 0; i < t->nhops; i++) {
            const reach_hop *h = &t->hops[i];
            if (h->ret != (ret == 1))
                continue;
            jw_obj(w);
            jw_kstr(w, "direction", h->ret ? "return" : "forward");
            jw_kstr(w, "component", h->component);
            jw_kstr(w, "kind", h->kind);
            jw_kstr(w, "action", h->action);
            jw_kstr(w, "rule", h->detail);
            jw_kbool(w, "reached", h->reached);
            jw_obj_end(w);
        }
    jw_arr_end(w);
    jw_key(w, "blocked_by");
    if (t->nblocks)
        j_block(w, &t->blocks[0]);
    else
        jw_null(w);
    jw_key(w, "also_blocked_by");
    jw_arr(w);
    for (uint32_t i = 1; i < t->nblocks; i++)
        j_block(w, &t->blocks[i]);
    jw_arr_end(w);
    jw_kstr(w, "missing", t->missing[0] ? t->missing : NULL);
    j_notes(w, "assumptions", (char (*)[REACH_TEXT])t->notes, t->nnotes);
}

static const reach_trace *main_trace(const reach_result *res)
{
    for (uint32_t i = 0; i < res->ntraces; i++)
        if (res->traces[i].verdict == res->verdict)
            return &res->traces[i];
    return res->ntraces ? &res->traces[0] : NULL;
}

static void proto_name(const reach_query *q, char *buf, size_t n)
{
    const char *name = mv_proto_name(q->proto);
    if (name)
        snprintf(buf, n, "%s", name);
    else
        snprintf(buf, n, "%d", q->proto);
}

static void write_json(jw *w, const reach_result *res)
{
    char proto[16], ports[16];
    proto_name(&res->q, proto, sizeof proto);
    snprintf(ports, sizeof ports, res->q.port_lo == res->q.port_hi ? "%u" : "%u-%u", res->q.port_lo, res->q.port_hi);
    jw_obj(w);
    jw_kstr(w, "from", res->q.from);
    jw_kstr(w, "to", res->q.to);
    jw_kstr(w, "destination", res->dst_desc);
    jw_kstr(w, "protocol", proto);
    jw_kstr(w, "ports", res->q.proto == MV_TCP || res->q.proto == MV_UDP ? ports : NULL);
    const reach_trace *t = main_trace(res);
    jw_kstr(w, "verdict", reach_verdict_name(res->verdict));
    /* The deciding placement's path at the top, every placement below. */
    jw_key(w, "path");
    jw_obj(w);
    jw_kstr(w, "source", t ? t->source : NULL);
    if (t)
        j_trace_body(w, t);
    jw_obj_end(w);
    j_notes(w, "query_assumptions", (char (*)[REACH_TEXT])res->notes, res->nnotes);
    jw_key(w, "placements");
    jw_arr(w);
    for (uint32_t i = 0; i < res->ntraces; i++) {
        jw_obj(w);
        jw_kstr(w, "source", res->traces[i].source);
        j_trace_body(w, &res->traces[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

/* ------------------------------------------------------------------ text */

static void write_text(FILE *f, const reach_result *res)
{
    char proto[16];
    proto_name(&res->q, proto, sizeof proto);
    fprintf(f, "%s -> %s", res->q.from, res->dst_desc);
    if (res->q.proto == MV_TCP || res->q.proto == MV_UDP)
        fprintf(f, res->q.port_lo == res->q.port_hi ? "  %s/%u" : "  %s/%u-%u", proto, res->q.port_lo, res->q.port_hi);
    else
        fprintf(f, "  %s", proto);
    fprintf(f, ": %s\n", reach_verdict_name(res->verdict));
    for (uint32_t i = 0; i < res->ntraces; i++) {
        const reach_trace *t = &res->traces[i];
        fprintf(f, "\nfrom %s: %s\n", t->source, reach_verdict_name(t->verdict));
        for (int ret = 0; ret < 2; ret++) {
            bool any = false;
            for (uint32_t k = 0; k < t->nhops; k++) {
                const reach_hop *h = &t->hops[k];
                if (h->ret != (ret == 1))
                    continue;
                if (!any)
                    fprintf(f, "  %s\n", ret ? "return:" : "forward:");
                any = true;
                fprintf(f, "    %-9s %-28s %s%s\n", h->action, h->component, h->detail,
                        h->reached ? "" : "  [not reached: past a block]");
            }
        }
        for (uint32_t k = 0; k < t->nblocks; k++)
            fprintf(f, "  %s %s: %s (%s, %s)\n", k ? "also blocked by" : "blocked by", t->blocks[k].component,
                    t->blocks[k].rule, t->blocks[k].code, t->blocks[k].ret ? "return" : "forward");
        if (t->missing[0])
            fprintf(f, "  indeterminate: %s\n", t->missing);
        for (uint32_t k = 0; k < t->nnotes; k++)
            fprintf(f, "  assumes %s\n", t->notes[k]);
    }
    for (uint32_t k = 0; k < res->nnotes; k++)
        fprintf(f, "note: %s\n", res->notes[k]);
}

mlvpc_status mlvpc_reach_run(mlvpc_reach *r, const mlvpc_reach_query *in, mlvpc_format fmt, FILE *out,
                             mlvpc_verdict *answer, mlvpc_diag *err)
{
    reach_query q = { 0 };
    if (!r || !in || !out)
        return usage(err, "%s", "reach: invalid arguments"), MLVPC_ERR_USAGE;
    if (parse_query(in, &q, err) != 0)
        return MLVPC_ERR_USAGE;
    reach_result res;
    int rc = reach_run(r->e, &q, &res);
    if (rc != 0) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = rc == -2 ? MLVPC_ERR_NOMEM : MLVPC_ERR_USAGE;
            snprintf(err->text, sizeof err->text, "reach: %s", rc == -2 ? "out of memory" : res.error);
        }
        reach_result_release(&res);
        return rc == -2 ? MLVPC_ERR_NOMEM : MLVPC_ERR_USAGE;
    }
    bool ok;
    if (fmt == MLVPC_FORMAT_TEXT) {
        write_text(out, &res);
        ok = !ferror(out);
    } else {
        jw w;
        jw_init(&w, out);
        w.compact = fmt == MLVPC_FORMAT_JSON_LINE;
        write_json(&w, &res);
        ok = jw_finish(&w);
    }
    if (answer)
        *answer = res.verdict == RV_REACHABLE ? MLVPC_REACHABLE
                 : res.verdict == RV_UNREACHABLE ? MLVPC_UNREACHABLE : MLVPC_INDETERMINATE;
    reach_result_release(&res);
    if (!ok) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = MLVPC_ERR_IO;
            snprintf(err->text, sizeof err->text, "write error");
        }
        return MLVPC_ERR_IO;
    }
    return MLVPC_OK;
}
