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
    { "rejects", "REJECT records by source, destination, protocol and port", FT_REJECT, FO_RECORDS },
    { "interfaces_by_bytes", "interfaces by bytes", FT_ENI, FO_BYTES },
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

/* ------------------------------------------------------------------ JSON */

static void j_counts(jw *w, const fmap_val *v)
{
    jw_kint(w, "records", (int64_t)v->records);
    jw_kint(w, "packets", (int64_t)v->packets);
    jw_kint(w, "bytes", (int64_t)v->bytes);
}

static void j_row(jw *w, const mlvpc_flows *f, fl_table t, uint32_t slot)
{
    fl_key k;
    char a[IP_STR_MAX], b[IP_STR_MAX], p[16];
    flows_key(t, fmap_key(&f->t[t], slot), &k);
    jw_obj(w);
    switch (t) {
    case FT_SRC: jw_kstr(w, "address", addr(&k.src, a)); break;
    case FT_DST: jw_kstr(w, "address", addr(&k.dst, a)); break;
    case FT_ENI: jw_kstr(w, "interface", k.eni); break;
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
    }
    j_counts(w, fmap_val_at(&f->t[t], slot));
    if (t == FT_ENI)
        jw_kint(w, "rejected_records", (int64_t)fmap_val_at(&f->t[t], slot)->extra);
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
    jw_kint(&w, "files", (int64_t)f->files);
    jw_kint(&w, "input_bytes", (int64_t)f->in_bytes);
    jw_kint(&w, "text_bytes", (int64_t)f->text_bytes);
    jw_kint(&w, "lines", (int64_t)f->lines);
    jw_kint(&w, "header_lines", (int64_t)f->headers);
    jw_key(&w, "records");
    jw_obj(&w);
    jw_kint(&w, "ok", (int64_t)f->status[FL_OK]);
    jw_kint(&w, "nodata", (int64_t)f->status[FL_NODATA]);
    jw_kint(&w, "skipdata", (int64_t)f->status[FL_SKIPDATA]);
    jw_kint(&w, "outside_window", (int64_t)f->outside);
    jw_obj_end(&w);
    jw_key(&w, "unusable");
    jw_obj(&w);
    jw_kint(&w, "total", (int64_t)mlvpc_flows_unusable(f));
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
        jw_kint(&w, "line", (int64_t)f->samples[i].line);
        jw_kstr(&w, "reason", fl_error_id(f->samples[i].why));
        jw_kstr(&w, "text", f->samples[i].text);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_kstr(&w, "first_start", iso(f->first, tb, sizeof tb));
    jw_kstr(&w, "last_end", iso(f->last, tb, sizeof tb));
    jw_kint(&w, "packets", (int64_t)f->packets);
    jw_kint(&w, "bytes", (int64_t)f->bytes);
    jw_obj_end(&w);
    jw_key(&w, "actions");
    jw_obj(&w);
    for (int a = 1; a <= 3; a++) {
        const uint64_t *v = f->action[a % 3];
        if (a == 3 && !v[0])
            continue; /* no OK record without an action */
        fmap_val x = { v[0], v[1], v[2], 0 };
        jw_key(&w, action_names[a % 3]);
        jw_obj(&w);
        j_counts(&w, &x);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    jw_key(&w, "tables");
    jw_obj(&w);
    static const char *const tnames[FT_COUNT] = { "sources", "destinations", "pairs", "ports", "rejects", "interfaces" };
    for (int t = 0; t < FT_COUNT; t++) {
        jw_key(&w, tnames[t]);
        jw_obj(&w);
        jw_kint(&w, "keys", f->t[t].n);
        jw_kbool(&w, "exact", !f->prunes[t]);
        jw_kint(&w, "prunings", f->prunes[t]);
        jw_key(&w, "low_by_at_most");
        jw_obj(&w);
        j_counts(&w, &f->lost[t]);
        jw_obj_end(&w);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
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
        fputc('\n', out);
        break;
    case FT_ENI: fprintf(out, "%s  (%" PRIu64 " REJECT)\n", k.eni, v->extra); break;
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
        fprintf(out, "\ntop %u %s (of %" PRIu32 "%s)\n", f->top, lists[l].title, f->t[t].n,
                f->prunes[t] ? " kept" : "");
        if (f->prunes[t])
            fprintf(out, "  approximate: more than %d keys, the smallest dropped %" PRIu32 " times; each figure may be "
                         "low by at most %" PRIu64 " bytes, %" PRIu64 " packets, %" PRIu64 " records\n",
                    FLOWS_MAX_KEYS, f->prunes[t], f->lost[t].bytes, f->lost[t].packets, f->lost[t].records);
        fprintf(out, "  %15s %12s %10s\n", "bytes", "packets", "records");
        for (long i = 0; i < n; i++)
            t_row(out, f, lists[l].t, idx[i]);
        free(idx);
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
