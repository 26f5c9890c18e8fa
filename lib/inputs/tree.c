/* Located document trees from JSON (json.c) or YAML (libyaml); see tree.h. */
#include "tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"
#include "json.h"

static void set_err(mlvpc_diag *err, mlvpc_status st, const char *name, unsigned line, unsigned col, const char *fmt,
                    ...) __attribute__((format(printf, 6, 7)));
static void set_err(mlvpc_diag *err, mlvpc_status st, const char *name, unsigned line, unsigned col, const char *fmt,
                    ...)
{
    va_list ap;
    va_start(ap, fmt);
    in_diag_setv(err, st, name, line, col, fmt, ap);
    va_end(ap);
}

static tnode *node(arena *ar, tn_type t, unsigned line, unsigned col)
{
    tnode *n = arena_calloc(ar, 1, sizeof *n);
    if (n) {
        n->type = t;
        n->line = line;
        n->col = col;
    }
    return n;
}

static bool alloc_kids(arena *ar, tnode *n, uint32_t count, bool keys)
{
    n->n = count;
    if (!count)
        return true;
    n->kids = arena_calloc(ar, count, sizeof *n->kids);
    if (keys) {
        n->keys = arena_calloc(ar, count, sizeof *n->keys);
        n->khash = arena_calloc(ar, count, sizeof *n->khash);
    }
    return n->kids && (!keys || (n->keys && n->khash));
}

const tnode *tn_get(const tnode *obj, const char *key)
{
    if (!obj || obj->type != TN_OBJ)
        return NULL;
    uint32_t h = tn_keyhash(key, strlen(key));
    for (uint32_t i = 0; i < obj->n; i++)
        if (obj->khash[i] == h && strcmp(obj->keys[i], key) == 0)
            return obj->kids[i];
    return NULL;
}

/* ------------------------------------------------------------------ JSON */

/* Object keys repeat (every resource has "address", "type", ...): one copy
 * each, found by the hash the reader keeps in the key's token. */
typedef struct keycache {
    const char *const *skip;
    struct {
        uint32_t hash, len;
        const char *s;
        bool skip;
    } e[1024];
} keycache;

/* Key k of an object: its copy, and whether `skip` names it. */
static const char *key_of(arena *ar, keycache *kc, const jdoc *d, uint32_t k, bool *skip)
{
    const char *s = json_str(d, k);
    uint32_t len = d->t[k].len, h = d->t[k].count;
    unsigned slot = ((h ^ len * 0x9E3779B1u) * 0x85EBCA6Bu) >> 22; /* the reader's hash is not mixed */
    if (kc->e[slot].s && kc->e[slot].hash == h && kc->e[slot].len == len && memcmp(kc->e[slot].s, s, len) == 0) {
        *skip = kc->e[slot].skip;
        return kc->e[slot].s;
    }
    const char *c = arena_strndup(ar, s, len);
    *skip = false;
    for (const char *const *sk = kc->skip; c && sk && *sk && !*skip; sk++)
        *skip = strcmp(*sk, c) == 0;
    if (c) {
        kc->e[slot].hash = h;
        kc->e[slot].len = len;
        kc->e[slot].s = c;
        kc->e[slot].skip = *skip;
    }
    return c;
}

/* Fill n from token i; a container's children are allocated in one block. */
static bool fill(arena *ar, keycache *kc, const jdoc *d, uint32_t i, tnode *n)
{
    static const tn_type types[] = { [J_NULL] = TN_NULL, [J_FALSE] = TN_BOOL, [J_TRUE] = TN_BOOL, [J_NUM] = TN_NUM,
                                     [J_STR] = TN_STR, [J_ARR] = TN_ARR, [J_OBJ] = TN_OBJ };
    int jt = json_type(d, i);
    json_linecol(d, d->t[i].off, &n->line, &n->col);
    n->type = types[jt];
    n->truth = jt == J_TRUE;
    if (jt == J_STR)
        return (n->str = arena_strndup(ar, json_str(d, i), d->t[i].len)) != NULL;
    if (jt == J_NUM)
        return (n->str = arena_strndup(ar, d->buf + d->t[i].off, d->t[i].len)) != NULL;
    if (jt != J_ARR && jt != J_OBJ)
        return true;
    if (!alloc_kids(ar, n, d->t[i].count, jt == J_OBJ))
        return false;
    tnode *block = n->n ? arena_calloc(ar, n->n, sizeof *block) : NULL;
    if (n->n && !block)
        return false;
    uint32_t k = json_child(i);
    for (uint32_t j = 0; j < n->n; j++) {
        n->kids[j] = &block[j];
        bool skipped = false;
        if (jt == J_OBJ) {
            if (!(n->keys[j] = key_of(ar, kc, d, k, &skipped)))
                return false;
            n->khash[j] = tn_keyhash(n->keys[j], d->t[k].len);
            k++;
        }
        if (skipped) /* left out: a null member */
            json_linecol(d, d->t[k].off, &block[j].line, &block[j].col);
        else if (!fill(ar, kc, d, k, &block[j]))
            return false;
        k = json_next(d, k);
    }
    return true;
}

static tnode *from_tape(arena *ar, const jdoc *d, uint32_t i, const char *const *skip)
{
    keycache *kc = calloc(1, sizeof *kc);
    if (kc)
        kc->skip = skip;
    tnode *n = kc ? arena_calloc(ar, 1, sizeof *n) : NULL;
    if (n && !fill(ar, kc, d, i, n))
        n = NULL;
    free(kc);
    return n;
}

tnode *tree_from_jdoc(arena *ar, const jdoc *d, const char *const *skip)
{
    return d->n ? from_tape(ar, d, 0, skip) : NULL;
}

/* ------------------------------------------------------------------ YAML */

typedef struct ycx {
    arena *ar;
    yaml_document_t *doc;
    const char *name;
    mlvpc_diag *err;
    bool failed;
    uint8_t *seen; /* per node of the document: converted once already (an alias) */
} ycx;

/* CloudFormation's short-form tags and the key of their long form: NULL
 * for no tag (or a YAML core tag), "" for an unknown one. */
static const char *tag_key(const char *tag)
{
    static const char *const keys[] = { "Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select",
                                        "Fn::GetAZs", "Fn::If", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or",
                                        "Fn::FindInMap", "Fn::Split", "Fn::ImportValue", "Fn::Base64", "Fn::Cidr",
                                        "Fn::Transform", "Fn::ToJsonString", "Fn::Length" };
    if (!tag || tag[0] != '!')
        return NULL;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *k = strncmp(keys[i], "Fn::", 4) == 0 ? keys[i] + 4 : keys[i];
        if (strcmp(tag + 1, k) == 0)
            return keys[i];
    }
    return "";
}

/* A plain scalar's type, as YAML 1.1 (CloudFormation's YAML) resolves it. */
static tn_type plain_type(const char *s, bool *truth)
{
    static const char *const t[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" },
                             *const f[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        if (strcmp(s, t[i]) == 0)
            return *truth = true, TN_BOOL;
        if (strcmp(s, f[i]) == 0)
            return *truth = false, TN_BOOL;
    }
    if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
        return TN_NULL;
    char *end;
    if (*s != '+' && !(s[0] == '0' && (s[1] == 'x' || s[1] == 'o'))) {
        (void)strtod(s, &end);
        if (*end == '\0' && strchr("-0123456789.", *s))
            return TN_NUM;
    }
    return TN_STR;
}

static tnode *from_yaml(ycx *y, yaml_node_t *yn, int depth)
{
    if (depth > TREE_MAX_DEPTH) {
        set_err(y->err, MLVPC_ERR_LIMIT, y->name, (unsigned)yn->start_mark.line + 1, (unsigned)yn->start_mark.column + 1,
                "nesting deeper than %d", TREE_MAX_DEPTH);
        y->failed = true;
        return NULL;
    }
    unsigned line = (unsigned)yn->start_mark.line + 1, col = (unsigned)yn->start_mark.column + 1;
    /* CloudFormation's YAML has no aliases; expanding them would also let a
     * small file describe an exponentially large document. */
    size_t ni = (size_t)(yn - y->doc->nodes.start);
    if (y->seen[ni]) {
        set_err(y->err, MLVPC_ERR_SCHEMA, y->name, line, col, "YAML aliases are not allowed in CloudFormation templates");
        y->failed = true;
        return NULL;
    }
    y->seen[ni] = 1;
    const char *key = tag_key((const char *)yn->tag);
    if (key && !*key) {
        set_err(y->err, MLVPC_ERR_SCHEMA, y->name, line, col, "unknown tag \"%s\"", (const char *)yn->tag);
        y->failed = true;
        return NULL;
    }
    tnode *n = NULL;
    if (yn->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)yn->data.scalar.value;
        bool truth = false;
        bool explicit_str = yn->tag && strcmp((const char *)yn->tag, YAML_STR_TAG) == 0 &&
                            yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        bool tagged = yn->tag && strcmp((const char *)yn->tag, YAML_STR_TAG) != 0; /* !!str, !!int, ... */
        tn_type t = yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !key && !tagged && !explicit_str
                        ? plain_type(s, &truth) : TN_STR;
        n = node(y->ar, t, line, col);
        if (n) {
            n->truth = truth;
            if ((t == TN_STR || t == TN_NUM) && !(n->str = arena_strndup(y->ar, s, yn->data.scalar.length)))
                n = NULL;
        }
    } else if (yn->type == YAML_SEQUENCE_NODE) {
        uint32_t cnt = (uint32_t)(yn->data.sequence.items.top - yn->data.sequence.items.start);
        n = node(y->ar, TN_ARR, line, col);
        if (n && alloc_kids(y->ar, n, cnt, false))
            for (uint32_t i = 0; i < cnt && n; i++)
                if (!(n->kids[i] = from_yaml(y, yaml_document_get_node(y->doc, yn->data.sequence.items.start[i]), depth + 1)))
                    n = NULL;
    } else if (yn->type == YAML_MAPPING_NODE) {
        uint32_t cnt = (uint32_t)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
        n = node(y->ar, TN_OBJ, line, col);
        if (n && alloc_kids(y->ar, n, cnt, true))
            for (uint32_t i = 0; i < cnt && n; i++) {
                yaml_node_pair_t *pr = &yn->data.mapping.pairs.start[i];
                yaml_node_t *k = yaml_document_get_node(y->doc, pr->key);
                if (k->type != YAML_SCALAR_NODE) {
                    set_err(y->err, MLVPC_ERR_SCHEMA, y->name, (unsigned)k->start_mark.line + 1,
                            (unsigned)k->start_mark.column + 1, "expected a scalar key");
                    y->failed = true;
                    return NULL;
                }
                for (uint32_t j = 0; j < i; j++)
                    if (strcmp(n->keys[j], (const char *)k->data.scalar.value) == 0) {
                        set_err(y->err, MLVPC_ERR_SCHEMA, y->name, (unsigned)k->start_mark.line + 1,
                                (unsigned)k->start_mark.column + 1, "duplicate key \"%s\"", n->keys[j]);
                        y->failed = true;
                        return NULL;
                    }
                n->khash[i] = tn_keyhash((const char *)k->data.scalar.value, k->data.scalar.length);
                if (!(n->keys[i] = arena_strndup(y->ar, (const char *)k->data.scalar.value, k->data.scalar.length)) ||
                    !(n->kids[i] = from_yaml(y, yaml_document_get_node(y->doc, pr->value), depth + 1)))
                    n = NULL;
            }
    }
    if (!n) {
        if (!y->failed)
            set_err(y->err, MLVPC_ERR_NOMEM, y->name, 0, 0, "out of memory");
        y->failed = true;
        return NULL;
    }
    if (!key)
        return n;
    /* !Tag value -> {"Key": value} */
    tnode *w = node(y->ar, TN_OBJ, line, col);
    if (!w || !alloc_kids(y->ar, w, 1, true) || !(w->keys[0] = arena_strdup(y->ar, key)) ||
        !(w->khash[0] = tn_keyhash(key, strlen(key)))) {
        set_err(y->err, MLVPC_ERR_NOMEM, y->name, 0, 0, "out of memory");
        y->failed = true;
        return NULL;
    }
    w->kids[0] = n;
    return w;
}

tnode *tree_yaml(arena *ar, const char *name, const char *buf, size_t len, mlvpc_diag *err)
{
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) {
        set_err(err, MLVPC_ERR_NOMEM, name, 0, 0, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&p, &doc)) {
        set_err(err, p.error == YAML_MEMORY_ERROR ? MLVPC_ERR_NOMEM : MLVPC_ERR_SYNTAX, name,
                (unsigned)p.problem_mark.line + 1, (unsigned)p.problem_mark.column + 1, "%s%s%s",
                p.problem ? p.problem : "malformed YAML", p.context ? " " : "", p.context ? p.context : "");
        yaml_parser_delete(&p);
        return NULL;
    }
    /* One document per file: a second one would be ignored silently. */
    yaml_document_t more;
    bool second = false;
    if (yaml_parser_load(&p, &more)) {
        second = yaml_document_get_root_node(&more) != NULL;
        yaml_document_delete(&more);
    }
    yaml_parser_delete(&p);
    size_t nnodes = (size_t)(doc.nodes.top - doc.nodes.start);
    ycx y = { ar, &doc, name, err, false, calloc(nnodes + 1, 1) };
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    tnode *t = NULL;
    if (!y.seen)
        set_err(err, MLVPC_ERR_NOMEM, name, 0, 0, "out of memory");
    else if (second)
        set_err(err, MLVPC_ERR_SCHEMA, name, 1, 1, "more than one YAML document in the file");
    else if (!(t = root ? from_yaml(&y, root, 0) : node(ar, TN_NULL, 1, 1)) && !y.failed)
        set_err(err, MLVPC_ERR_NOMEM, name, 0, 0, "out of memory");
    free(y.seen);
    yaml_document_delete(&doc);
    return t;
}
