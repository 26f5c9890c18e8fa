/*
 * `mlvpc audit` reports (text, JSON per docs/audit-json.md, SARIF 2.1.0)
 * and the rule catalogue (`mlvpc rules`, `mlvpc explain`, docs/rules.md),
 * all written from the rules' own metadata.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../analyses/audit.h"
#include "jsonw.h"

/* ------------------------------------------------------------------ shared */

typedef struct out {
    FILE *f;
    bool failed;
} out;

static void op(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void op(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(o->f, fmt, ap) < 0)
        o->failed = true;
    va_end(ap);
}

static mlvpc_status done(bool ok, FILE *f, mlvpc_diag *err)
{
    if (ok && fflush(f) != EOF)
        return MLVPC_OK;
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = MLVPC_ERR_IO;
        snprintf(err->text, sizeof err->text, "cannot write the report");
    }
    return MLVPC_ERR_IO;
}

static const char *status_name(au_status s) { return s == AU_FAIL ? "fail" : "indeterminate"; }
static const char *dir_name(bool ret) { return ret ? "return" : "forward"; }

static const char *res_id(const mlvpc_audit *a, const au_finding *f)
{
    return model_str(a->m, model_res(a->m, f->kind, f->idx)->id);
}

/* The fix: the sentence, and the property to set in the format the
 * resource was read from (all of them in the catalogue: format < 0). */
static void json_fix(jw *w, const au_rule *r, int format)
{
    jw_key(w, "fix");
    jw_obj(w);
    jw_kstr(w, "text", r->fix);
    if (format < 0 || format == MF_CLOUDFORMATION)
        jw_kstr(w, "cloudformation", r->fix_cfn);
    if (format < 0 || format == MF_TERRAFORM)
        jw_kstr(w, "terraform", r->fix_tf);
    jw_obj_end(w);
}

/* ------------------------------------------------------------------ text */

static const char *const colours[] = { "\033[1;35m", "\033[1;31m", "\033[33m", "\033[36m", "\033[2m" };

static void text_path(out *o, const au_path *p)
{
    op(o, "      path (%s): %s\n", reach_verdict_name(p->verdict), p->query);
    for (uint32_t i = 0; i < p->nhops; i++) {
        const au_hop *h = &p->hops[i];
        op(o, "        %s%-8s %-22s %-9s %s\n", h->reached ? "" : "~", h->ret ? "return" : "forward", h->component,
           h->action, h->detail);
    }
    if (p->missing)
        op(o, "        unknown: %s\n", p->missing);
}

static void write_text(const mlvpc_audit *a, out *o)
{
    const char *on = "", *off = "";
    uint32_t n = a->c.findings.n;
    uint32_t by[MLVPC_INFO + 1] = { 0 }, indet = 0, waived = 0;
    for (uint32_t i = 0; i < n; i++) {
        const au_finding *f = a->order[i];
        bool first = i == 0 || a->order[i - 1]->kind != f->kind || a->order[i - 1]->idx != f->idx;
        if (first) {
            const mv_res *r = model_res(a->m, f->kind, f->idx);
            op(o, "%s%s %s%s%s%s", i ? "\n" : "", au_res_type(a->m, f->kind, f->idx), res_id(a, f),
               r->name ? " (" : "", r->name ? r->name : "", r->name ? ")" : "");
            if (r->line)
                op(o, "  %s:%u:%u", model_file(a->m, r->file), r->line, r->col);
            op(o, "\n");
        }
        if (a->o.color) {
            on = colours[f->level];
            off = "\033[0m";
        }
        op(o, "  %s%-8s%s %-24s %s%s%s\n", on, mlvpc_level_name(f->level), off, f->rule->id,
           f->status == AU_INDETERMINATE ? "indeterminate: " : "", f->message, f->waived ? " [waived]" : "");
        for (uint32_t k = 0; k < f->nev; k++)
            op(o, "      %s: %s\n", f->ev[k].key, f->ev[k].value);
        if (f->path && f->path->nhops)
            text_path(o, f->path);
        if (f->waived)
            op(o, "      waived: %s\n", f->waived);
        else
            op(o, "      fix: %s\n", f->rule->fix);
        if (f->waived)
            waived++;
        else if (f->status == AU_INDETERMINATE)
            indet++;
        else
            by[f->level]++;
    }
    for (uint32_t i = 0; i < a->nwaivers; i++)
        if (a->waivers[i].expired)
            op(o, "%swaiver expired on %s: %s %s (%s:%u)\n", n ? "\n" : "", a->waivers[i].expires, a->waivers[i].rule,
               a->waivers[i].resource, a->o.waivers, a->waivers[i].line);
    op(o, "%ssummary: %u finding%s", n ? "\n" : "", n - waived - indet, n - waived - indet == 1 ? "" : "s");
    const char *sep = " (";
    for (int l = 0; l <= MLVPC_INFO; l++)
        if (by[l]) {
            op(o, "%s%u %s", sep, by[l], mlvpc_level_name((mlvpc_level)l));
            sep = ", ";
        }
    op(o, "%s, %u indeterminate, %u waived; %u rules over %zu resources\n", *sep == ',' ? ")" : "", indet, waived,
       a->rules_run, mlvpc_model_resource_count(a->m));
}

/* ------------------------------------------------------------------ JSON */

static void json_path(jw *w, const au_path *p)
{
    jw_key(w, "path");
    jw_obj(w);
    jw_kstr(w, "query", p->query);
    jw_kstr(w, "placement", p->source);
    jw_kstr(w, "verdict", reach_verdict_name(p->verdict));
    jw_key(w, "hops");
    jw_arr(w);
    for (uint32_t i = 0; i < p->nhops; i++) {
        const au_hop *h = &p->hops[i];
        jw_obj(w);
        jw_kstr(w, "direction", dir_name(h->ret));
        jw_kstr(w, "component", h->component);
        jw_kstr(w, "kind", h->kind);
        jw_kstr(w, "action", h->action);
        jw_kstr(w, "detail", h->detail);
        if (!h->reached)
            jw_kbool(w, "after_block", true);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "blocked_by");
    jw_arr(w);
    for (uint32_t i = 0; i < p->nblocks; i++) {
        jw_obj(w);
        jw_kstr(w, "component", p->blocks[i].component);
        jw_kstr(w, "code", p->blocks[i].code);
        jw_kstr(w, "direction", dir_name(p->blocks[i].ret));
        jw_kstr(w, "rule", p->blocks[i].rule);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (p->missing)
        jw_kstr(w, "missing", p->missing);
    jw_obj_end(w);
}

static void json_finding(jw *w, const mlvpc_audit *a, const au_finding *f)
{
    const mv_res *r = model_res(a->m, f->kind, f->idx);
    jw_obj(w);
    jw_kstr(w, "rule", f->rule->id);
    jw_kstr(w, "severity", mlvpc_level_name(f->level));
    jw_kstr(w, "status", status_name(f->status));
    jw_key(w, "resource");
    jw_obj(w);
    jw_kstr(w, "id", res_id(a, f));
    jw_kstr(w, "type", au_res_type(a->m, f->kind, f->idx));
    jw_kstr(w, "name", r->name);
    jw_obj_end(w);
    jw_kstr(w, "message", f->message);
    jw_key(w, "evidence");
    jw_arr(w);
    for (uint32_t k = 0; k < f->nev; k++) {
        jw_obj(w);
        jw_kstr(w, "key", f->ev[k].key);
        jw_kstr(w, "value", f->ev[k].value);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (f->path)
        json_path(w, f->path);
    json_fix(w, f->rule, (int)VEC_AT(a->m->files, mv_file, r->file)->format);
    jw_key(w, "location");
    jw_obj(w);
    jw_kstr(w, "file", model_file(a->m, r->file));
    if (r->line) {
        jw_kint(w, "line", r->line);
        jw_kint(w, "column", r->col);
    }
    jw_obj_end(w);
    if (f->waived) {
        jw_key(w, "waived");
        jw_obj(w);
        jw_kstr(w, "reason", f->waived);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static void json_summary(jw *w, const mlvpc_audit *a)
{
    jw_key(w, "summary");
    jw_obj(w);
    jw_key(w, "resources");
    jw_obj(w);
    for (int k = 1; k < MK_COUNT; k++)
        if (MV_N(a->m, (mv_kind)k))
            jw_kint(w, mv_kind_name((mv_kind)k), MV_N(a->m, (mv_kind)k));
    jw_obj_end(w);
    jw_kint(w, "rules_run", a->rules_run);
    uint32_t cnt[MLVPC_INFO + 1][2] = { { 0 } }, waived = 0;
    for (uint32_t i = 0; i < a->c.findings.n; i++) {
        const au_finding *f = a->order[i];
        if (f->waived)
            waived++;
        else
            cnt[f->level][f->status]++;
    }
    jw_key(w, "findings");
    jw_obj(w);
    jw_kint(w, "total", a->c.findings.n - waived);
    for (int l = 0; l <= MLVPC_INFO; l++) {
        jw_key(w, mlvpc_level_name((mlvpc_level)l));
        jw_obj(w);
        jw_kint(w, "fail", cnt[l][AU_FAIL]);
        jw_kint(w, "indeterminate", cnt[l][AU_INDETERMINATE]);
        jw_obj_end(w);
    }
    jw_obj_end(w);
    jw_kint(w, "waived", waived);
    jw_kint(w, "expired_waivers", (int64_t)mlvpc_audit_expired_waivers(a));
    jw_obj_end(w);
}

static void write_json(const mlvpc_audit *a, jw *w)
{
    jw_obj(w);
    jw_key(w, "tool");
    jw_obj(w);
    jw_kstr(w, "name", "mlvpc");
    jw_kstr(w, "version", MLVPC_VERSION);
    jw_obj_end(w);
    jw_key(w, "inputs");
    jw_arr(w);
    for (size_t i = 0; i < a->o.ninputs; i++)
        jw_str(w, a->o.inputs[i]);
    jw_arr_end(w);
    jw_kstr(w, "profile", a->o.profile == MLVPC_PROFILE_DEV ? "dev" : "prod");
    json_summary(w, a);
    jw_key(w, "findings");
    jw_arr(w);
    for (uint32_t i = 0; i < a->c.findings.n; i++)
        json_finding(w, a, a->order[i]);
    jw_arr_end(w);
    jw_key(w, "expired_waivers");
    jw_arr(w);
    for (uint32_t i = 0; i < a->nwaivers; i++) {
        const waiver *x = &a->waivers[i];
        if (!x->expired)
            continue;
        jw_obj(w);
        jw_kstr(w, "rule", x->rule);
        jw_kstr(w, "resource", x->resource);
        jw_kstr(w, "expires", x->expires);
        jw_kstr(w, "reason", x->reason);
        jw_kstr(w, "file", a->o.waivers);
        jw_kint(w, "line", x->line);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

/* ------------------------------------------------------------------ SARIF */

static const char *sarif_level(mlvpc_level l)
{
    return l <= MLVPC_HIGH ? "error" : l == MLVPC_MEDIUM ? "warning" : "note";
}

/* GitHub code scanning maps security-severity > 9 critical, 7-8.9 high, 4-6.9 medium, else low. */
static const char *security_severity(mlvpc_level l)
{
    static const char *const s[] = { "9.5", "8.0", "5.5", "3.0", "0.0" };
    return s[l];
}

/* A relative path as a URI reference (RFC 3986: unreserved and '/' kept,
 * the rest percent-encoded); an absolute one as a file:// URI. */
static void uri_of(const char *path, const char *root, char *buf, size_t size)
{
    size_t n = 0, rl = root ? strlen(root) : 0;
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    if (path[0] == '/' && rl && strncmp(path, root, rl) == 0 && path[rl] == '/')
        path += rl + 1; /* inside the source root: relative, as GitHub wants */
    else if (path[0] == '/')
        n = (size_t)snprintf(buf, size, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            buf[n++] = (char)*p;
        else
            n += (size_t)snprintf(buf + n, size - n, "%%%02X", *p);
    }
    buf[n] = '\0';
}

/* "SgWorldIngress" from "SG-WORLD-INGRESS": SARIF's rule name is an identifier. */
static void rule_name(const char *id, char *buf, size_t size)
{
    size_t n = 0;
    bool up = true;
    for (const char *p = id; *p && n + 1 < size; p++) {
        if (*p == '-') {
            up = true;
            continue;
        }
        buf[n++] = up ? *p : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        up = false;
    }
    buf[n] = '\0';
}

static void sarif_rule(jw *w, const au_rule *r)
{
    char name[64], help[2048];
    rule_name(r->id, name, sizeof name);
    jw_obj(w);
    jw_kstr(w, "id", r->id);
    jw_kstr(w, "name", name);
    jw_key(w, "shortDescription");
    jw_obj(w);
    jw_kstr(w, "text", r->title);
    jw_obj_end(w);
    jw_key(w, "fullDescription");
    jw_obj(w);
    jw_kstr(w, "text", r->rationale);
    jw_obj_end(w);
    snprintf(help, sizeof help, "Fails when %s. Fix: %s CloudFormation: %s. Terraform: %s.", r->condition, r->fix,
             r->fix_cfn, r->fix_tf);
    jw_key(w, "help");
    jw_obj(w);
    jw_kstr(w, "text", help);
    snprintf(help, sizeof help,
             "**Fails when** %s.\n\n%s\n\n**Fix:** %s\n\n- CloudFormation: %s\n- Terraform: %s\n\nReferences: %s",
             r->condition, r->rationale, r->fix, r->fix_cfn, r->fix_tf, r->refs);
    jw_kstr(w, "markdown", help);
    jw_obj_end(w);
    jw_key(w, "defaultConfiguration");
    jw_obj(w);
    jw_kstr(w, "level", sarif_level(r->level));
    jw_obj_end(w);
    jw_key(w, "properties");
    jw_obj(w);
    jw_key(w, "tags");
    jw_arr(w);
    jw_str(w, "security");
    jw_str(w, "network");
    jw_str(w, "sagemaker");
    jw_arr_end(w);
    jw_kstr(w, "precision", r->kind && strcmp(r->kind, "reach") == 0 ? "very-high" : "high");
    jw_kstr(w, "security-severity", security_severity(r->level));
    jw_obj_end(w);
    jw_obj_end(w);
}

/* Stable across runs and across changes of a finding's message or
 * evidence: the rule, the resource, and the finding's rank among that
 * rule's findings on that resource (a rule may report twice on one). */
static void fingerprint(const char *rule, const char *res, uint32_t rank, char *buf, size_t size)
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[] = { rule, "\n", res };
    for (size_t i = 0; i < 3; i++)
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
            h = (h ^ *p) * 1099511628211ull;
    h = (h ^ rank) * 1099511628211ull;
    snprintf(buf, size, "%016llx", (unsigned long long)h);
}

static void sarif_result(jw *w, const mlvpc_audit *a, const au_finding *f, size_t rule_index, uint32_t rank)
{
    const mv_res *r = model_res(a->m, f->kind, f->idx);
    char text[1400], uri[1024], fp[32];
    size_t n = (size_t)snprintf(text, sizeof text, "%s %s: %s%s", au_res_type(a->m, f->kind, f->idx), res_id(a, f),
                                f->status == AU_INDETERMINATE ? "indeterminate: " : "", f->message);
    for (uint32_t k = 0; k < f->nev && n < sizeof text; k++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s: %s", k ? "; " : ". Evidence: ", f->ev[k].key, f->ev[k].value);
    jw_obj(w);
    jw_kstr(w, "ruleId", f->rule->id);
    jw_kint(w, "ruleIndex", (int64_t)rule_index);
    jw_kstr(w, "level", f->status == AU_INDETERMINATE ? "note" : sarif_level(f->level));
    jw_key(w, "message");
    jw_obj(w);
    jw_kstr(w, "text", text);
    jw_obj_end(w);
    jw_key(w, "locations");
    jw_arr(w);
    jw_obj(w);
    jw_key(w, "physicalLocation");
    jw_obj(w);
    jw_key(w, "artifactLocation");
    jw_obj(w);
    uri_of(model_file(a->m, r->file), a->o.source_root, uri, sizeof uri);
    jw_kstr(w, "uri", uri);
    jw_obj_end(w);
    if (r->line) {
        jw_key(w, "region");
        jw_obj(w);
        jw_kint(w, "startLine", r->line);
        jw_kint(w, "startColumn", r->col ? r->col : 1);
        jw_obj_end(w);
    }
    jw_obj_end(w);
    jw_key(w, "logicalLocations");
    jw_arr(w);
    jw_obj(w);
    jw_kstr(w, "name", res_id(a, f));
    jw_kstr(w, "kind", "resource");
    jw_obj_end(w);
    jw_arr_end(w);
    jw_obj_end(w);
    jw_arr_end(w);
    fingerprint(f->rule->id, res_id(a, f), rank, fp, sizeof fp);
    jw_key(w, "partialFingerprints");
    jw_obj(w);
    jw_kstr(w, "mlvpcFinding/v1", fp);
    jw_obj_end(w);
    if (f->waived) {
        jw_key(w, "suppressions");
        jw_arr(w);
        jw_obj(w);
        jw_kstr(w, "kind", "external");
        jw_kstr(w, "status", "accepted");
        jw_kstr(w, "justification", f->waived);
        jw_obj_end(w);
        jw_arr_end(w);
    }
    jw_key(w, "properties");
    jw_obj(w);
    jw_kstr(w, "severity", mlvpc_level_name(f->level));
    jw_kstr(w, "status", status_name(f->status));
    jw_kstr(w, "resourceType", au_res_type(a->m, f->kind, f->idx));
    if (r->name)
        jw_kstr(w, "resourceName", r->name);
    jw_obj_end(w);
    jw_obj_end(w);
}

static void write_sarif(const mlvpc_audit *a, jw *w)
{
    jw_obj(w);
    jw_kstr(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    jw_kstr(w, "version", "2.1.0");
    jw_key(w, "runs");
    jw_arr(w);
    jw_obj(w);
    jw_key(w, "tool");
    jw_obj(w);
    jw_key(w, "driver");
    jw_obj(w);
    jw_kstr(w, "name", "mlvpc");
    jw_kstr(w, "version", MLVPC_VERSION);
    jw_kstr(w, "semanticVersion", MLVPC_VERSION);
    jw_key(w, "rules");
    jw_arr(w);
    for (size_t i = 0; i < au_nrules; i++)
        sarif_rule(w, au_rules[i]);
    jw_arr_end(w);
    jw_obj_end(w);
    jw_obj_end(w);
    jw_key(w, "results");
    jw_arr(w);
    for (uint32_t i = 0; i < a->c.findings.n; i++) {
        const au_finding *f = a->order[i];
        size_t k = 0;
        while (k < au_nrules && au_rules[k] != f->rule)
            k++;
        /* A resource's findings are together in report order. */
        uint32_t rank = 0;
        for (uint32_t j = i; j-- > 0 && a->order[j]->kind == f->kind && a->order[j]->idx == f->idx;)
            rank += a->order[j]->rule == f->rule;
        sarif_result(w, a, f, k, rank);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    jw_arr_end(w);
    jw_obj_end(w);
}

mlvpc_status mlvpc_audit_write(const mlvpc_audit *a, mlvpc_format fmt, FILE *f, mlvpc_diag *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!a || !a->order || !f || (fmt != MLVPC_FORMAT_TEXT && fmt != MLVPC_FORMAT_JSON && fmt != MLVPC_FORMAT_SARIF)) {
        if (err) {
            err->status = MLVPC_ERR_USAGE;
            snprintf(err->text, sizeof err->text, "audit reports need a run audit and text, json or sarif");
        }
        return MLVPC_ERR_USAGE;
    }
    if (fmt == MLVPC_FORMAT_TEXT) {
        out o = { f, false };
        write_text(a, &o);
        return done(!o.failed, f, err);
    }
    jw w;
    jw_init(&w, f);
    if (fmt == MLVPC_FORMAT_JSON)
        write_json(a, &w);
    else
        write_sarif(a, &w);
    return done(jw_finish(&w), f, err);
}

/* ------------------------------------------------------------------ catalogue */

static void json_rule(jw *w, const au_rule *r)
{
    jw_obj(w);
    jw_kstr(w, "id", r->id);
    jw_kstr(w, "severity", mlvpc_level_name(r->level));
    jw_kstr(w, "severities", r->levels);
    jw_kstr(w, "kind", r->kind);
    jw_kstr(w, "group", r->group);
    jw_kstr(w, "title", r->title);
    jw_kstr(w, "condition", r->condition);
    jw_kstr(w, "rationale", r->rationale);
    json_fix(w, r, -1);
    jw_kstr(w, "references", r->refs);
    jw_obj_end(w);
}

static void markdown(out *o)
{
    op(o, "# mlvpc rules\n\n"
          "Generated by `mlvpc rules --format markdown` from the rules' metadata (lib/analyses/rules_*.c); "
          "do not edit. `mlvpc explain ID` prints one rule.\n\n"
          "Severity is the catalogue's; `--profile dev` reports everything below high as info. Rules marked "
          "**graph** join resources through the model's resolved links; rules marked **reach** ask the "
          "reachability engine and carry its path as evidence.\n");
    const char *group = "";
    for (size_t i = 0; i < au_nrules; i++) {
        const au_rule *r = au_rules[i];
        if (strcmp(group, r->group) != 0) {
            group = r->group;
            op(o, "\n## %s\n\n| ID | severity | kind | title |\n|---|---|---|---|\n", group);
            for (size_t k = i; k < au_nrules && strcmp(au_rules[k]->group, group) == 0; k++)
                op(o, "| [%s](#%s) | %s | %s | %s |\n", au_rules[k]->id, au_rules[k]->id, au_rules[k]->levels,
                   au_rules[k]->kind ? au_rules[k]->kind : "", au_rules[k]->title);
        }
        op(o, "\n### <a id=\"%s\"></a>%s — %s\n\n", r->id, r->id, r->title);
        op(o, "- **Severity:** %s%s%s%s\n", r->levels, r->kind ? " · **" : "", r->kind ? r->kind : "", r->kind ? "**" : "");
        op(o, "- **Fails when:** %s\n- **Why:** %s\n- **Fix:** %s\n  - CloudFormation: %s\n  - Terraform: %s\n"
              "- **References:** %s\n", r->condition, r->rationale, r->fix, r->fix_cfn, r->fix_tf, r->refs);
    }
}

mlvpc_status mlvpc_rules_write(mlvpc_format fmt, FILE *f, mlvpc_diag *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (fmt == MLVPC_FORMAT_JSON) {
        jw w;
        jw_init(&w, f);
        jw_arr(&w);
        for (size_t i = 0; i < au_nrules; i++)
            json_rule(&w, au_rules[i]);
        jw_arr_end(&w);
        return done(jw_finish(&w), f, err);
    }
    out o = { f, false };
    if (fmt == MLVPC_FORMAT_MARKDOWN) {
        markdown(&o);
    } else {
        for (size_t i = 0; i < au_nrules; i++) {
            const au_rule *r = au_rules[i];
            op(&o, "%-24s %-16s %-6s %s\n", r->id, r->levels, r->kind ? r->kind : "", r->title);
        }
    }
    return done(!o.failed, f, err);
}

mlvpc_status mlvpc_rule_explain(const char *id, FILE *f, mlvpc_diag *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    const au_rule *r = id ? au_rule_find(id) : NULL;
    if (!r) {
        if (err) {
            err->status = MLVPC_ERR_NOT_FOUND;
            snprintf(err->text, sizeof err->text, "unknown rule \"%s\" (see 'mlvpc rules')", id ? id : "");
        }
        return MLVPC_ERR_NOT_FOUND;
    }
    out o = { f, false };
    op(&o, "%s — %s\n\nseverity:   %s%s%s%s\nsection:    %s\nfails when: %s\n\nwhy: %s\n\nfix: %s\n"
           "  cloudformation: %s\n  terraform:      %s\n\nreferences: %s\n",
       r->id, r->title, r->levels, r->kind ? " (" : "", r->kind ? r->kind : "", r->kind ? ")" : "", r->group,
       r->condition, r->rationale, r->fix, r->fix_cfn, r->fix_tf, r->refs);
    return done(!o.failed, f, err);
}
