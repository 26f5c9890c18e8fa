/* Typed, located field access for the JSON loaders. */
#include "load.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *type_name(int t)
{
    static const char *const n[] = { "null", "boolean", "boolean", "number", "string", "array", "object" };
    return t >= 0 && t <= J_OBJ ? n[t] : "?";
}

/* Descend from `from` to tok, appending one path segment per level. */
void ld_path(const jdoc *d, uint32_t from, const char *prefix, uint32_t tok, char *buf, size_t size)
{
    size_t n = 0;
    uint32_t cur = from;
    n += (size_t)snprintf(buf, size, "%s", prefix);
    while (cur != tok && n < size) {
        const jtok *c = &d->t[cur];
        uint32_t i = cur + 1, found = 0;
        for (uint32_t k = 0; k < c->count && (c->type == J_OBJ || c->type == J_ARR); k++) {
            uint32_t val = c->type == J_OBJ ? i + 1 : i;
            if (val >= d->n)
                break;
            if (tok >= i && tok < d->t[val].next) {
                if (c->type == J_OBJ) {
                    n += (size_t)snprintf(buf + n, size - n, ".%s", json_str(d, i));
                    if (tok == i) /* the key itself */
                        return;
                } else {
                    n += (size_t)snprintf(buf + n, size - n, "[%u]", k);
                }
                cur = val;
                found = 1;
                break;
            }
            i = d->t[val].next;
        }
        if (!found)
            return;
    }
}

static void fill(ld *L, mlvpc_diag *e, uint32_t tok, mlvpc_severity sev)
{
    memset(e, 0, sizeof *e);
    e->severity = sev;
    snprintf(e->file, sizeof e->file, "%s", L->path);
    if (tok < L->d->n) {
        json_linecol(L->d, L->d->t[tok].off, &e->line, &e->column);
        if (L->base_tok && tok >= L->base_tok) {
            char base[160];
            snprintf(base, sizeof base, "$.%s[%u]", json_str(L->d, L->base_key), L->base_index);
            ld_path(L->d, L->base_tok, base, tok, e->path, sizeof e->path);
        }
        else
            ld_path(L->d, 0, "$", tok, e->path, sizeof e->path);
    }
}

void ld_fail(ld *L, uint32_t tok, mlvpc_status st, const char *fmt, ...)
{
    if (L->failed)
        return;
    L->failed = true;
    L->st = st;
    if (!L->err)
        return;
    fill(L, L->err, tok, MLVPC_SEV_ERROR);
    L->err->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->err->text, sizeof L->err->text, fmt, ap);
    va_end(ap);
}

void ld_warn(ld *L, uint32_t tok, const char *fmt, ...)
{
    mlvpc_diag e;
    fill(L, &e, tok, MLVPC_SEV_WARNING);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.text, sizeof e.text, fmt, ap);
    va_end(ap);
    model_warn(L->m, &e);
}

static const char *expect_name(int type)
{
    return type == J_STR ? "a string" : type == J_NUM ? "a number" : type == J_ARR ? "an array"
         : type == J_OBJ ? "an object" : type == J_TRUE ? "a boolean" : "a value";
}

uint32_t ld_field(ld *L, uint32_t obj, const char *key, int type)
{
    uint32_t v = json_get(L->d, obj, key);
    if (!v)
        return 0;
    int t = json_type(L->d, v);
    if (t == J_NULL)
        return 0;
    bool ok = type == J_TRUE ? (t == J_TRUE || t == J_FALSE) : t == type;
    if (!ok) {
        ld_fail(L, v, MLVPC_ERR_SCHEMA, "expected \"%s\" to be %s, got %s", key, expect_name(type),
                type_name(t));
        return 0;
    }
    return v;
}

uint32_t ld_tok_sym(ld *L, uint32_t tok)
{
    uint32_t s = model_sym(L->m, json_str(L->d, tok), L->d->t[tok].len);
    if (!s)
        ld_fail(L, tok, MLVPC_ERR_NOMEM, "out of memory");
    return s;
}

const char *ld_tok_str(ld *L, uint32_t tok)
{
    const char *s = arena_strndup(&L->m->ar, json_str(L->d, tok), L->d->t[tok].len);
    if (!s)
        ld_fail(L, tok, MLVPC_ERR_NOMEM, "out of memory");
    return s;
}

uint32_t ld_sym(ld *L, uint32_t obj, const char *key)
{
    uint32_t v = ld_field(L, obj, key, J_STR);
    return v ? ld_tok_sym(L, v) : 0;
}

uint32_t ld_req_sym(ld *L, uint32_t obj, const char *key)
{
    uint32_t v = ld_field(L, obj, key, J_STR);
    if (!v) {
        ld_fail(L, obj, MLVPC_ERR_SCHEMA, "missing \"%s\" string", key);
        return 0;
    }
    if (L->d->t[v].len == 0) {
        ld_fail(L, v, MLVPC_ERR_SCHEMA, "expected \"%s\" to be a non-empty string", key);
        return 0;
    }
    return ld_tok_sym(L, v);
}

const char *ld_str(ld *L, uint32_t obj, const char *key)
{
    uint32_t v = ld_field(L, obj, key, J_STR);
    return v ? ld_tok_str(L, v) : NULL;
}

mv_tri ld_tri(ld *L, uint32_t obj, const char *key)
{
    uint32_t v = ld_field(L, obj, key, J_TRUE);
    return v ? (json_type(L->d, v) == J_TRUE ? MV_TRUE : MV_FALSE) : MV_UNKNOWN;
}

bool ld_int(ld *L, uint32_t obj, const char *key, int64_t *out)
{
    uint32_t v = ld_field(L, obj, key, J_NUM);
    if (!v)
        return false;
    if (!json_int(L->d, v, out)) {
        ld_fail(L, v, MLVPC_ERR_SCHEMA, "expected \"%s\" to be an integer", key);
        return false;
    }
    return true;
}

bool ld_prefix(ld *L, uint32_t obj, const char *key, ip_prefix *out)
{
    uint32_t v = ld_field(L, obj, key, J_STR);
    if (!v)
        return false;
    if (!ip_parse_prefix(json_str(L->d, v), out)) {
        ld_fail(L, v, MLVPC_ERR_SCHEMA, "expected \"%s\" to be a CIDR block, got \"%s\"", key,
                json_str(L->d, v));
        return false;
    }
    return true;
}

bool ld_addr(ld *L, uint32_t obj, const char *key, ip_addr *out)
{
    uint32_t v = ld_field(L, obj, key, J_STR);
    if (!v)
        return false;
    if (!ip_parse_addr(json_str(L->d, v), out)) {
        ld_fail(L, v, MLVPC_ERR_SCHEMA, "expected \"%s\" to be an IP address, got \"%s\"", key,
                json_str(L->d, v));
        return false;
    }
    return true;
}

mv_ref *ld_id_list(ld *L, uint32_t obj, const char *key, uint32_t *n)
{
    *n = 0;
    uint32_t arr = ld_field(L, obj, key, J_ARR);
    if (!arr || L->d->t[arr].count == 0)
        return NULL;
    mv_ref *r = arena_calloc(&L->m->ar, L->d->t[arr].count, sizeof *r);
    if (!r) {
        ld_fail(L, arr, MLVPC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    LD_ARR_FOR(L, arr, i, k) {
        if (json_type(L->d, i) != J_STR) {
            ld_fail(L, i, MLVPC_ERR_SCHEMA, "expected \"%s\" elements to be strings, got %s", key,
                    type_name(json_type(L->d, i)));
            return NULL;
        }
        r[*n].sym = ld_tok_sym(L, i);
        r[*n].idx = MV_NONE;
        (*n)++;
    }
    return r;
}

mv_ref *ld_obj_id_list(ld *L, uint32_t obj, const char *key, const char *idkey, uint32_t *n)
{
    *n = 0;
    uint32_t arr = ld_field(L, obj, key, J_ARR);
    if (!arr || L->d->t[arr].count == 0)
        return NULL;
    mv_ref *r = arena_calloc(&L->m->ar, L->d->t[arr].count, sizeof *r);
    if (!r) {
        ld_fail(L, arr, MLVPC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    LD_ARR_FOR(L, arr, i, k) {
        if (json_type(L->d, i) != J_OBJ) {
            ld_fail(L, i, MLVPC_ERR_SCHEMA, "expected \"%s\" elements to be objects, got %s", key,
                    type_name(json_type(L->d, i)));
            return NULL;
        }
        uint32_t s = ld_req_sym(L, i, idkey);
        if (!s)
            return NULL;
        r[*n].sym = s;
        r[*n].idx = MV_NONE;
        (*n)++;
    }
    return r;
}

static void read_tags(ld *L, mv_res *r, uint32_t obj)
{
    uint32_t arr = json_get(L->d, obj, "Tags") ? ld_field(L, obj, "Tags", J_ARR)
                                               : ld_field(L, obj, "TagSet", J_ARR);
    if (!arr || L->d->t[arr].count == 0)
        return;
    r->tags = arena_calloc(&L->m->ar, L->d->t[arr].count, sizeof *r->tags);
    if (!r->tags) {
        ld_fail(L, arr, MLVPC_ERR_NOMEM, "out of memory");
        return;
    }
    LD_ARR_FOR(L, arr, i, k) {
        if (json_type(L->d, i) != J_OBJ) {
            ld_fail(L, i, MLVPC_ERR_SCHEMA, "expected tags to be {\"Key\", \"Value\"} objects");
            return;
        }
        uint32_t kt = ld_field(L, i, "Key", J_STR);
        if (!kt) {
            if (!L->failed)
                ld_fail(L, i, MLVPC_ERR_SCHEMA, "missing \"Key\" string");
            return;
        }
        mv_tag *t = &r->tags[r->ntags++];
        t->key = ld_tok_str(L, kt);
        t->value = ld_str(L, i, "Value");
        if (!t->value)
            t->value = "";
        if (strcmp(t->key, "Name") == 0)
            r->name = t->value;
    }
}

void ld_tags(ld *L, mv_res *r, uint32_t obj) { read_tags(L, r, obj); }

uint32_t ld_start_sym(ld *L, mv_kind k, uint32_t obj, uint32_t id, uint32_t idtok)
{
    if (L->failed || !id)
        return MV_NONE;
    uint32_t dup;
    uint32_t idx = model_add(L->m, k, id, &dup);
    if (idx == MV_NONE) {
        if (dup == MV_NONE) {
            ld_fail(L, obj, MLVPC_ERR_NOMEM, "out of memory");
        } else {
            mv_res *first = model_res(L->m, k, dup);
            ld_warn(L, idtok ? idtok : obj, "duplicate %s \"%s\" ignored (first defined at %s:%u)",
                    mv_kind_name(k), model_str(L->m, id), model_file(L->m, first->file), first->line);
        }
        return MV_NONE;
    }
    mv_res *r = model_res(L->m, k, idx);
    r->file = L->file;
    json_linecol(L->d, L->d->t[obj].off, &r->line, &r->col);
    r->region = L->region;
    uint32_t owner = ld_sym(L, obj, "OwnerId");
    r->account = owner ? owner : L->account;
    read_tags(L, r, obj);
    /* SageMaker describe-* outputs carry no tags (list-tags does): unknown,
     * unless the object has them. EC2 outputs leave out an empty "Tags". */
    r->tags_unknown = k >= MK_NOTEBOOK && !json_get(L->d, obj, "Tags") && !json_get(L->d, obj, "TagSet");
    return L->failed ? MV_NONE : idx;
}

uint32_t ld_start(ld *L, mv_kind k, uint32_t obj, const char *idkey, const char *prefix)
{
    uint32_t v = ld_field(L, obj, idkey, J_STR);
    if (!v || L->d->t[v].len == 0) {
        ld_fail(L, v ? v : obj, MLVPC_ERR_SCHEMA, "missing \"%s\" string", idkey);
        return MV_NONE;
    }
    uint32_t id;
    if (prefix) {
        char buf[512];
        int n = snprintf(buf, sizeof buf, "%s%s", prefix, json_str(L->d, v));
        if (n < 0 || (size_t)n >= sizeof buf) {
            ld_fail(L, v, MLVPC_ERR_LIMIT, "\"%s\" is too long", idkey);
            return MV_NONE;
        }
        id = model_sym(L->m, buf, (size_t)n);
    } else {
        id = ld_tok_sym(L, v);
    }
    return ld_start_sym(L, k, obj, id, v);
}

void ld_arn(ld *L, mv_res *r, const char *arn)
{
    /* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE */
    if (!arn || strncmp(arn, "arn:", 4) != 0)
        return;
    const char *f[6] = { arn };
    int n = 1;
    for (const char *p = arn; *p && n < 6; p++)
        if (*p == ':')
            f[n++] = p + 1;
    if (n < 6)
        return;
    if (f[4] - f[3] > 1)
        r->region = model_sym(L->m, f[3], (size_t)(f[4] - f[3] - 1));
    if (f[5] - f[4] > 1)
        r->account = model_sym(L->m, f[4], (size_t)(f[5] - f[4] - 1));
}
