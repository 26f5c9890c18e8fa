/* Waiver files (waivers.h): JSON through the in-situ reader, YAML through libyaml. */
#include "waivers.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"
#include "json.h"

enum { WAIVERS_MAX_BYTES = 16 << 20 };

typedef struct wctx {
    const char *path;
    arena *ar;
    mlvpc_diag *err;
    waiver *v;
    uint32_t n;
} wctx;

static mlvpc_status fail(wctx *w, mlvpc_status st, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static mlvpc_status fail(wctx *w, mlvpc_status st, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    in_diag_setv(w->err, st, w->path, line, col, fmt, ap);
    va_end(ap);
    return st;
}

/* "YYYY-MM-DD" with a plausible month and day. */
static bool is_date(const char *s)
{
    int y, mo, d;
    char tail;
    return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3 && s[4] == '-' && s[7] == '-' &&
           y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

/* One member of a waiver: key and scalar value. */
static mlvpc_status set_field(wctx *w, waiver *x, const char *key, const char *val, unsigned line, unsigned col)
{
    static const char *const keys[] = { "rule", "resource", "reason", "expires" };
    const char **slots[] = { &x->rule, &x->resource, &x->reason, &x->expires };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        if (strcmp(key, keys[i]) != 0)
            continue;
        if (*slots[i])
            return fail(w, MLVPC_ERR_SCHEMA, line, col, "duplicate \"%s\" in a waiver", key);
        if (!val)
            return fail(w, MLVPC_ERR_SCHEMA, line, col, "expected \"%s\" to be a string", key);
        if (i == 3 && !is_date(val))
            return fail(w, MLVPC_ERR_SCHEMA, line, col, "expected \"expires\" as YYYY-MM-DD, got \"%s\"", val);
        if (!(*slots[i] = arena_strdup(w->ar, val)))
            return fail(w, MLVPC_ERR_NOMEM, 0, 0, "out of memory");
        return MLVPC_OK;
    }
    return fail(w, MLVPC_ERR_SCHEMA, line, col,
                "unknown waiver key \"%s\" (expected rule, resource, reason, expires)", key);
}

static mlvpc_status check_waiver(wctx *w, const waiver *x)
{
    static const char *const need[] = { "rule", "resource", "reason" };
    const char *have[] = { x->rule, x->resource, x->reason };
    for (size_t i = 0; i < 3; i++)
        if (!have[i] || !*have[i])
            return fail(w, MLVPC_ERR_SCHEMA, x->line, x->col, "waiver without \"%s\" (rule, resource and reason "
                        "are required)", need[i]);
    return MLVPC_OK;
}

static mlvpc_status alloc_list(wctx *w, size_t n)
{
    w->v = n ? arena_calloc(w->ar, n, sizeof *w->v) : NULL;
    if (n && !w->v)
        return fail(w, MLVPC_ERR_NOMEM, 0, 0, "out of memory");
    return MLVPC_OK;
}

/* ------------------------------------------------------------------ JSON */

static mlvpc_status load_json(wctx *w, char *buf, size_t size)
{
    jdoc d = { 0 };
    mlvpc_status st = MLVPC_OK;
    unsigned line, col;
    if (json_parse(&d, buf, size, 32) != 0) {
        json_linecol(&d, d.err_off, &line, &col);
        st = fail(w, MLVPC_ERR_SYNTAX, line, col, "%s", d.err);
        goto out;
    }
    uint32_t list = 0;
    if (json_type(&d, 0) == J_ARR)
        list = 0;
    else if (json_type(&d, 0) == J_OBJ && (list = json_get(&d, 0, "waivers")) && json_type(&d, list) == J_ARR)
        ;
    else {
        st = fail(w, MLVPC_ERR_SCHEMA, 1, 1, "expected a list of waivers, or {\"waivers\": [...]}");
        goto out;
    }
    if ((st = alloc_list(w, d.t[list].count)) != MLVPC_OK)
        goto out;
    uint32_t e = json_child(list);
    for (uint32_t k = 0; k < d.t[list].count; k++, e = json_next(&d, e)) {
        waiver *x = &w->v[w->n++];
        json_linecol(&d, d.t[e].off, &x->line, &x->col);
        if (json_type(&d, e) != J_OBJ) {
            st = fail(w, MLVPC_ERR_SCHEMA, x->line, x->col, "expected a waiver object");
            goto out;
        }
        uint32_t key = json_child(e);
        for (uint32_t i = 0; i < d.t[e].count; i++, key = json_next(&d, key + 1)) {
            uint32_t val = key + 1;
            json_linecol(&d, d.t[val].off, &line, &col);
            const char *v = json_type(&d, val) == J_STR ? json_str(&d, val) : NULL;
            if ((st = set_field(w, x, json_str(&d, key), v, line, col)) != MLVPC_OK)
                goto out;
        }
        if ((st = check_waiver(w, x)) != MLVPC_OK)
            goto out;
    }
out:
    json_release(&d);
    return st;
}

/* ------------------------------------------------------------------ YAML */

static mlvpc_status load_yaml(wctx *w, const char *buf, size_t size)
{
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p))
        return fail(w, MLVPC_ERR_NOMEM, 0, 0, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, size);
    if (!yaml_parser_load(&p, &doc)) {
        mlvpc_status st = fail(w, p.error == YAML_MEMORY_ERROR ? MLVPC_ERR_NOMEM : MLVPC_ERR_SYNTAX,
                               (unsigned)p.problem_mark.line + 1, (unsigned)p.problem_mark.column + 1, "%s%s%s",
                               p.problem ? p.problem : "malformed YAML", p.context ? " " : "",
                               p.context ? p.context : "");
        yaml_parser_delete(&p);
        return st;
    }
    yaml_parser_delete(&p);
    mlvpc_status st = MLVPC_OK;
    yaml_node_t *root = yaml_document_get_root_node(&doc), *list = NULL;
#define AT(nd) (unsigned)(nd)->start_mark.line + 1, (unsigned)(nd)->start_mark.column + 1
    if (!root) { /* an empty file: no waivers */
        yaml_document_delete(&doc);
        return MLVPC_OK;
    }
    if (root->type == YAML_SEQUENCE_NODE) {
        list = root;
    } else if (root->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
            if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, "waivers") == 0)
                list = yaml_document_get_node(&doc, pr->value);
        }
    }
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        st = fail(w, MLVPC_ERR_SCHEMA, AT(list ? list : root), "expected a list of waivers, or \"waivers:\" with one");
        goto out;
    }
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if ((st = alloc_list(w, n)) != MLVPC_OK)
        goto out;
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(&doc, *it);
        waiver *x = &w->v[w->n++];
        x->line = (unsigned)e->start_mark.line + 1;
        x->col = (unsigned)e->start_mark.column + 1;
        if (e->type != YAML_MAPPING_NODE) {
            st = fail(w, MLVPC_ERR_SCHEMA, AT(e), "expected a waiver mapping (rule, resource, reason, expires)");
            goto out;
        }
        for (yaml_node_pair_t *pr = e->data.mapping.pairs.start; pr < e->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&doc, pr->key), *v = yaml_document_get_node(&doc, pr->value);
            if (k->type != YAML_SCALAR_NODE) {
                st = fail(w, MLVPC_ERR_SCHEMA, AT(k), "expected a key");
                goto out;
            }
            const char *val = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : NULL;
            if ((st = set_field(w, x, (const char *)k->data.scalar.value, val, AT(v))) != MLVPC_OK)
                goto out;
        }
        if ((st = check_waiver(w, x)) != MLVPC_OK)
            goto out;
    }
#undef AT
out:
    yaml_document_delete(&doc);
    return st;
}

/* ------------------------------------------------------------------ file */

mlvpc_status waivers_load(const char *path, arena *ar, waiver **out, uint32_t *n, mlvpc_diag *err)
{
    wctx w = { .path = path, .ar = ar, .err = err };
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(&w, MLVPC_ERR_IO, 0, 0, "cannot read waivers: %s", strerror(errno));
    char *buf = malloc((size_t)WAIVERS_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return fail(&w, MLVPC_ERR_NOMEM, 0, 0, "out of memory");
    }
    size_t len = fread(buf, 1, WAIVERS_MAX_BYTES + 1, f);
    bool bad = ferror(f);
    fclose(f);
    mlvpc_status st;
    if (bad)
        st = fail(&w, MLVPC_ERR_IO, 0, 0, "cannot read waivers");
    else if (len > WAIVERS_MAX_BYTES)
        st = fail(&w, MLVPC_ERR_LIMIT, 0, 0, "waiver file larger than %d MiB", WAIVERS_MAX_BYTES >> 20);
    else
        st = waivers_parse(path, buf, len, ar, out, n, err);
    free(buf);
    return st;
}

mlvpc_status waivers_parse(const char *name, char *buf, size_t len, arena *ar, waiver **out, uint32_t *n,
                           mlvpc_diag *err)
{
    wctx w = { .path = name, .ar = ar, .err = err };
    *out = NULL;
    *n = 0;
    buf[len] = '\0';
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", buf[i]))
        i++;
    mlvpc_status st = i < len && (buf[i] == '{' || buf[i] == '[') ? load_json(&w, buf, len) : load_yaml(&w, buf, len);
    if (st == MLVPC_OK) {
        *out = w.v;
        *n = w.n;
    }
    return st;
}
