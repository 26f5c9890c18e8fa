/* Terraform plans, states and JSON configuration into the model (tf.h). */
#include "tf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "json.h"

typedef enum tf_form { TF_NONE = 0, TF_PLAN, TF_STATE, TF_RAW_STATE, TF_CONFIG } tf_form;

/* One resource instance. */
typedef struct tf_inst {
    const char *addr;   /* "module.vpc.aws_subnet.private[0]" */
    const char *base;   /* without the instance key: "module.vpc.aws_subnet.private" */
    const char *prefix; /* the module path with its trailing dot, "" at the root */
    const char *type;
    const char *id;     /* the model id: the AWS id when known, else addr */
    const tnode *index; /* count (number) or for_each (string) key, or NULL */
    const tnode *vals;  /* known values (after, values, attributes) */
    const tnode *unk;   /* after_unknown (plans) */
    const tnode *expr;  /* configuration expressions (plans), or NULL */
    const tnode *at;
    uint32_t next;      /* next instance of the same base, +1 (0: none) */
    bool data;
    bool removed;       /* a rule, route or entry resource the plan deletes (vals: its `before`) */
} tf_inst;

/* What a symbol names: instances (+1), a configuration resource, a module. */
typedef struct tf_slot {
    uint32_t first; /* first instance whose base is the symbol */
    uint32_t last;  /* and the last one */
    uint32_t exact; /* the instance whose address or id is the symbol */
    const tnode *cfg;
    const tnode *mod;  /* a module's configuration ("module" of its call) */
    const tnode *call; /* the call (its "expressions" give the module's variables) */
} tf_slot;

/* An endpoint association resource, merged into its endpoint. */
typedef struct tf_assoc {
    uint32_t vpce, other;
    mv_kind kind; /* MK_RTB, MK_SUBNET or MK_SG */
    bool replace; /* an SG association with replace_default_association */
} tf_assoc;

enum { TF_MAX_DEPTH = 16, TF_MAX_STEPS = 200000 }; /* steps per value followed */

typedef struct tf {
    mbuild b;
    tf_form form;
    const tnode *root, *vars; /* plan "variables" or configuration "variable" */
    vec insts;                /* tf_inst */
    vec slots;                /* tf_slot, by symbol */
    vec assocs;               /* tf_assoc */
    vec adopted;              /* tf_assoc: an aws_default_* instance (vpce) and the object it adopts (other) */
    uint32_t steps;           /* of the value being followed */
    bool readback;            /* loading rules read back from infrastructure (see mb_item) */
    bool out_of_steps;        /* some value was left unknown for it */
} tf;

#define INST(t, i) VEC_AT((t)->insts, tf_inst, i)

/* ------------------------------------------------------------------ tables */

static tf_slot *slot(tf *t, uint32_t sym)
{
    while (t->slots.n <= sym) {
        uint32_t at;
        if (vec_push(&t->slots, sizeof(tf_slot), &at) != 0) {
            mb_fail(&t->b, NULL, MLVPC_ERR_NOMEM, "out of memory");
            return NULL;
        }
    }
    return VEC_AT(t->slots, tf_slot, sym);
}

static const tf_slot *find_slot(tf *t, const char *s, size_t n)
{
    uint32_t sym = intern_find(&t->b.m->syms, s, n);
    return sym && sym < t->slots.n ? VEC_AT(t->slots, tf_slot, sym) : NULL;
}

static const char *dupn(tf *t, const char *s, size_t n)
{
    char *d = arena_strndup(&t->b.m->ar, s, n);
    if (!d)
        mb_fail(&t->b, NULL, MLVPC_ERR_NOMEM, "out of memory");
    return d;
}

/* s without instance keys ("module.a[0].x.y[1]" -> "module.a.x.y"): a configuration address. */
static const char *config_addr(const char *s, size_t n, char *buf, size_t size)
{
    size_t o = 0;
    int depth = 0;
    char q = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        char ch = s[i];
        if (q) {
            q = ch == '\\' && i + 1 < n ? (i++, q) : ch == q ? 0 : q;
            continue;
        }
        if (depth && ch == '"')
            q = ch;
        else if (ch == '[')
            depth++;
        else if (ch == ']' && depth)
            depth--;
        else if (!depth)
            buf[o++] = ch;
    }
    buf[o] = 0;
    return buf;
}

static const char *index_text(const tnode *ix, char *buf, size_t size)
{
    if (!ix || (ix->type != TN_NUM && ix->type != TN_STR))
        return NULL;
    snprintf(buf, size, ix->type == TN_NUM ? "%s" : "\"%s\"", ix->str);
    return buf;
}

static void add_inst(tf *t, const char *addr, const char *type, const char *name, bool data, const tnode *index,
                     const tnode *vals, const tnode *unk, const tnode *at)
{
    char suffix[512], cbuf[1024];
    snprintf(suffix, sizeof suffix, "%s%s.%s", data ? "data." : "", type, name);
    size_t sl = strlen(suffix), al = strlen(addr);
    const char *pos = NULL;
    for (const char *p = addr; (p = strstr(p, suffix)) != NULL; p++)
        if ((p == addr || p[-1] == '.') && (p[sl] == 0 || p[sl] == '['))
            pos = p;
    if (!pos) {
        mb_warn(&t->b, at, "resource address \"%s\" does not name %s: left out", addr, suffix);
        return;
    }
    tf_inst x = { .addr = dupn(t, addr, al), .base = dupn(t, addr, (size_t)(pos - addr) + sl),
                  .prefix = dupn(t, addr, (size_t)(pos - addr)), .type = type, .index = index, .vals = vals,
                  .unk = unk, .at = at, .data = data };
    if (t->b.failed)
        return;
    const tnode *id = tn_get(vals, "id");
    x.id = id && id->type == TN_STR && id->str[0] && !strstr(id->str, "${") ? id->str : x.addr;
    config_addr(x.base, strlen(x.base), cbuf, sizeof cbuf);
    const tf_slot *cs = find_slot(t, cbuf, strlen(cbuf));
    x.expr = cs && cs->cfg ? tn_get(cs->cfg, "expressions") : NULL;
    uint32_t i;
    if (vec_push(&t->insts, sizeof x, &i) != 0) {
        mb_fail(&t->b, at, MLVPC_ERR_NOMEM, "out of memory");
        return;
    }
    tf_slot *s = slot(t, mb_sym(&t->b, x.base));
    if (!s)
        return;
    *INST(t, i) = x; /* appended: instances keep their input order */
    if (s->last)
        INST(t, s->last - 1)->next = i + 1;
    else
        s->first = i + 1;
    s->last = i + 1;
    if ((s = slot(t, mb_sym(&t->b, x.addr))) != NULL)
        s->exact = i + 1;
    if (x.id != x.addr && (s = slot(t, mb_sym(&t->b, x.id))) != NULL && !s->exact)
        s->exact = i + 1;
}

static const char *str_of(const tnode *n) { return n && n->type == TN_STR ? n->str : NULL; }

/* configuration.root_module and its module calls: resources and modules by address. */
static void walk_config(tf *t, const tnode *mod, const char *prefix, int depth)
{
    if (mod && depth > TF_MAX_DEPTH)
        mb_warn(&t->b, mod, "modules nested more than %d deep: the configuration of \"%s\" is not read", TF_MAX_DEPTH,
                prefix);
    if (!mod || depth > TF_MAX_DEPTH)
        return;
    const tnode *res = tn_get(mod, "resources");
    for (uint32_t i = 0; res && res->type == TN_ARR && i < res->n; i++) {
        const char *a = str_of(tn_get(res->kids[i], "address"));
        char key[1024];
        if (!a)
            continue;
        snprintf(key, sizeof key, "%s%s", prefix, a);
        tf_slot *s = slot(t, mb_sym(&t->b, key));
        if (s)
            s->cfg = res->kids[i];
    }
    const tnode *calls = tn_get(mod, "module_calls");
    for (uint32_t i = 0; calls && calls->type == TN_OBJ && i < calls->n; i++) {
        char key[1024], sub[1100];
        snprintf(key, sizeof key, "%smodule.%s", prefix, calls->keys[i]);
        tf_slot *s = slot(t, mb_sym(&t->b, key));
        if (!s)
            return;
        s->mod = tn_get(calls->kids[i], "module");
        s->call = calls->kids[i];
        snprintf(sub, sizeof sub, "%s.", key);
        walk_config(t, s->mod, dupn(t, sub, strlen(sub)), depth + 1);
    }
}

/* planned_values / values modules: every resource (data only when `data_only`). */
static void walk_values(tf *t, const tnode *mod, bool data_only, int depth)
{
    if (mod && depth > TF_MAX_DEPTH)
        mb_warn(&t->b, mod, "modules nested more than %d deep: their resources are left out", TF_MAX_DEPTH);
    if (!mod || depth > TF_MAX_DEPTH)
        return;
    const tnode *res = tn_get(mod, "resources");
    for (uint32_t i = 0; res && res->type == TN_ARR && i < res->n && !t->b.failed; i++) {
        const tnode *r = res->kids[i];
        const char *a = str_of(tn_get(r, "address")), *type = str_of(tn_get(r, "type")), *name = str_of(tn_get(r, "name"));
        bool data = str_of(tn_get(r, "mode")) && strcmp(str_of(tn_get(r, "mode")), "data") == 0;
        if (!a || !type || !name) {
            mb_fail(&t->b, r, MLVPC_ERR_SCHEMA, "expected \"address\", \"type\" and \"name\" strings in a resource");
            return;
        }
        const tf_slot *known = find_slot(t, a, strlen(a));
        if ((data_only && !data) || (known && known->exact) || tn_get(r, "deposed_key"))
            continue; /* a resource change gave it; or an old object awaiting destruction */
        add_inst(t, a, type, name, data, tn_get(r, "index"), tn_get(r, "values"), NULL, r);
    }
    const tnode *kids = tn_get(mod, "child_modules");
    for (uint32_t i = 0; kids && kids->type == TN_ARR && i < kids->n; i++)
        walk_values(t, kids->kids[i], data_only, depth + 1);
}

/* Resources that are a part of another object (rules, routes, entries). */
static bool is_part_type(const char *type)
{
    static const char *const parts[] = { "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                                         "aws_vpc_security_group_egress_rule", "aws_route", "aws_network_acl_rule" };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (strcmp(type, parts[i]) == 0)
            return true;
    return false;
}

static bool is_delete_only(const tnode *actions)
{
    return actions && actions->type == TN_ARR && actions->n == 1 && str_of(actions->kids[0]) &&
           strcmp(actions->kids[0]->str, "delete") == 0;
}

static void enumerate_plan(tf *t)
{
    walk_config(t, tn_get(tn_get(t->root, "configuration"), "root_module"), "", 0);
    const tnode *rc = tn_get(t->root, "resource_changes");
    for (uint32_t i = 0; rc && rc->type == TN_ARR && i < rc->n && !t->b.failed; i++) {
        const tnode *r = rc->kids[i], *ch = tn_get(r, "change");
        const char *a = str_of(tn_get(r, "address")), *type = str_of(tn_get(r, "type")), *name = str_of(tn_get(r, "name"));
        const char *mode = str_of(tn_get(r, "mode"));
        if (!a || !type || !name || !ch) {
            mb_fail(&t->b, r, MLVPC_ERR_SCHEMA, "expected \"address\", \"type\", \"name\" and \"change\" in a resource change");
            return;
        }
        const tnode *after = tn_get(ch, "after"), *before = tn_get(ch, "before"), *acts = tn_get(ch, "actions");
        if (tn_get(r, "deposed"))
            continue; /* an old object awaiting destruction */
        if (acts && acts->type == TN_ARR && acts->n == 1 && str_of(acts->kids[0]) &&
            strcmp(acts->kids[0]->str, "forget") == 0 && before && before->type == TN_OBJ) {
            /* no longer managed, but not destroyed: as it was */
            add_inst(t, a, type, name, false, tn_get(r, "index"), before, NULL, r);
            continue;
        }
        if (is_delete_only(acts) && before && before->type == TN_OBJ && is_part_type(type)) {
            /* a rule, route or entry that goes: its group, table or ACL may
             * still list it, read back from before the plan */
            add_inst(t, a, type, name, false, tn_get(r, "index"), before, NULL, r);
            if (t->insts.n)
                INST(t, t->insts.n - 1)->removed = true;
            continue;
        }
        if (is_delete_only(acts) || !after || after->type != TN_OBJ)
            continue; /* destroyed by this plan */
        add_inst(t, a, type, name, mode && strcmp(mode, "data") == 0, tn_get(r, "index"), after,
                 tn_get(ch, "after_unknown"), r);
    }
    /* Data sources read at plan time, and resources of a plan without changes. */
    walk_values(t, tn_get(tn_get(t->root, "planned_values"), "root_module"), rc && rc->type == TN_ARR && rc->n, 0);
}

static void enumerate_raw_state(tf *t)
{
    const tnode *res = tn_get(t->root, "resources");
    for (uint32_t i = 0; res && res->type == TN_ARR && i < res->n && !t->b.failed; i++) {
        const tnode *r = res->kids[i], *insts = tn_get(r, "instances");
        const char *type = str_of(tn_get(r, "type")), *name = str_of(tn_get(r, "name")), *mod = str_of(tn_get(r, "module"));
        const char *mode = str_of(tn_get(r, "mode"));
        bool data = mode && strcmp(mode, "data") == 0;
        if (!type || !name || !insts || insts->type != TN_ARR) {
            mb_fail(&t->b, r, MLVPC_ERR_SCHEMA, "expected \"type\", \"name\" and \"instances\" in a state resource");
            return;
        }
        for (uint32_t k = 0; k < insts->n; k++) {
            const tnode *ix = tn_get(insts->kids[k], "index_key");
            char addr[1024], ib[512];
            const char *it = index_text(ix, ib, sizeof ib);
            snprintf(addr, sizeof addr, "%s%s%s%s.%s%s%s%s", mod ? mod : "", mod ? "." : "", data ? "data." : "", type,
                     name, it ? "[" : "", it ? it : "", it ? "]" : "");
            if (tn_get(insts->kids[k], "deposed"))
                continue;
            add_inst(t, addr, type, name, data, ix, tn_get(insts->kids[k], "attributes"), NULL, insts->kids[k]);
        }
    }
}

static void enumerate_config(tf *t)
{
    static const char *const blocks[2] = { "resource", "data" };
    for (int d = 0; d < 2; d++) {
        const tnode *top = tn_get(t->root, blocks[d]);
        for (uint32_t i = 0; top && top->type == TN_OBJ && i < top->n; i++) {
            const tnode *byname = top->kids[i];
            for (uint32_t k = 0; byname->type == TN_OBJ && k < byname->n && !t->b.failed; k++) {
                const tnode *r = byname->kids[k];
                char addr[1024];
                snprintf(addr, sizeof addr, "%s%s.%s", d ? "data." : "", top->keys[i], byname->keys[k]);
                if (r->type != TN_OBJ) {
                    mb_fail(&t->b, r, MLVPC_ERR_SCHEMA, "expected an object for \"%s\"", addr);
                    return;
                }
                if (tn_get(r, "count") || tn_get(r, "for_each"))
                    mb_warn(&t->b, r, "\"%s\" uses count or for_each, which are not expanded in a JSON configuration: "
                            "modelled as one instance", addr);
                add_inst(t, addr, top->keys[i], byname->keys[k], d, NULL, r, NULL, r);
            }
        }
    }
}

/* ------------------------------------------------------------------ values */

/* Where a value is read: its known value, its after_unknown mark and its
 * configuration expression, moved together into nested blocks. `loose`: the
 * expression is that of an enclosing attribute (a list of objects assigned
 * as a whole), so its references are not this value's alone. `cfg`: the
 * input has the resource's configuration, so a missing expression means the
 * value is not configured (a plan's unknown value is then one the provider
 * computes, such as the rules of a group whose rules are separate resources). */
typedef struct tcur {
    const tnode *v, *u, *e;
    bool loose, cfg;
    uint8_t depth; /* 0: the resource, 1: one of its attributes, 2+: inside a block */
} tcur;

static bool is_expr(const tnode *e) { return e && (tn_get(e, "references") || tn_get(e, "constant_value")); }

static tcur tc_key(tcur c, const char *k)
{
    tcur r = { tn_get(c.v, k), c.u && c.u->type == TN_BOOL ? c.u : tn_get(c.u, k), NULL, c.loose, c.cfg,
               (uint8_t)(c.depth < 250 ? c.depth + 1 : c.depth) };
    if (is_expr(c.e)) {
        r.e = c.e;
        r.loose = true;
    } else {
        r.e = tn_get(c.e, k);
    }
    if (r.v && r.v->type == TN_NULL)
        r.v = NULL;
    return r;
}

static tcur tc_idx(tcur c, uint32_t i)
{
    tcur r = { c.v && c.v->type == TN_ARR && i < c.v->n ? c.v->kids[i] : NULL,
               c.u && c.u->type == TN_ARR ? (i < c.u->n ? c.u->kids[i] : NULL) : c.u,
               c.e && c.e->type == TN_ARR ? (i < c.e->n ? c.e->kids[i] : NULL) : c.e, c.loose, c.cfg,
               (uint8_t)(c.depth < 250 ? c.depth + 1 : c.depth) };
    if (r.v && r.v->type == TN_NULL)
        r.v = NULL;
    return r;
}

/* A nested block given once: an object, or (plans) a list of one object. */
static tcur tc_block(tcur c, const char *k)
{
    tcur r = tc_key(c, k);
    return r.v && r.v->type == TN_ARR ? tc_idx(r, 0) : r;
}

static tcur root_of(const tf_inst *x) { return (tcur){ x->vals, x->unk, x->expr, false, x->expr != NULL, 0 }; }

/* An unknown attribute the configuration does not set: the provider
 * computes it. Inside a block the plan lists but the configuration does not
 * (a `dynamic` block, which the JSON output leaves out), an unknown value is
 * just unknown. */
static bool computed(tcur c) { return c.cfg && !c.e && c.depth == 1; }

static bool unknown_mark(const tnode *u) { return u && u->type == TN_BOOL && u->truth; }

/* A value: known text, unknown, or partly known text (unknown parts kept as
 * ${...}): good to match a service name by its suffix, not as an id. */
typedef struct tv {
    const char *s;
    bool unknown, partial;
} tv;

static tv tf_text(tf *t, const tf_inst *x, tcur c);
static const tf_inst *vpc_inst(tf *t, const char *id);

/* The values a reference collects. */
typedef struct tset {
    const char *s[1024]; /* (a VPC has at most 200 subnets by default; lists beyond are unknown) */
    uint32_t n;
    bool unresolved; /* some reference could not be followed */
} tset;

/* (not zeroed whole: it is on the hot path of every reference) */
static void tset_init(tset *o)
{
    o->n = 0;
    o->unresolved = false;
}

static void tset_add(tset *o, const char *s)
{
    for (uint32_t i = 0; i < o->n; i++)
        if (strcmp(o->s[i], s) == 0)
            return;
    if (o->n < sizeof o->s / sizeof *o->s)
        o->s[o->n++] = s;
    else
        o->unresolved = true;
}

/* One step of a traversal: a name and its optional [key] (raw text). */
typedef struct tseg {
    const char *p, *ix;
    size_t n, ixn;
} tseg;

static int parse_traversal(const char *s, size_t len, tseg *seg, int max)
{
    int n = 0;
    size_t i = 0;
    while (i < len && n < max) {
        tseg g = { s + i, NULL, 0, 0 };
        while (i < len && s[i] != '.' && s[i] != '[')
            i++;
        g.n = (size_t)(s + i - g.p);
        if (i < len && s[i] == '[') {
            size_t start = ++i;
            char q = 0;
            while (i < len && (q || s[i] != ']')) {
                if (s[i] == '"' && (i == start || s[i - 1] != '\\'))
                    q = q ? 0 : '"';
                i++;
            }
            g.ix = s + start;
            g.ixn = i - start;
            i++; /* ']' */
        }
        if (i < len && s[i] == '.')
            i++;
        if (!g.n)
            return -1;
        seg[n++] = g;
    }
    return i < len ? -1 : n;
}

static bool seg_is(const tseg *g, const char *s) { return g->n == strlen(s) && memcmp(g->p, s, g->n) == 0; }

static const char *implied_id(tf *t, const tf_inst *v, const char *attr, const char *suffix)
{
    const char *k = str_of(tn_get(v->vals, attr));
    if (k && *k && !strstr(k, "${"))
        return k;
    char buf[1100];
    snprintf(buf, sizeof buf, "%s.%s", v->addr, suffix);
    return dupn(t, buf, strlen(buf));
}

static const char *vpc_default(tf *t, const tf_inst *v, char which)
{
    return which == 's' ? implied_id(t, v, "default_security_group_id", "default_security_group")
         : which == 'n' ? implied_id(t, v, "default_network_acl_id", "default_network_acl")
                        : implied_id(t, v, "main_route_table_id", "main_route_table");
}

static bool is_sagemaker(const tf_inst *x) { return strncmp(x->type, "aws_sagemaker_", 14) == 0; }

/* The SageMaker name a resource has: its "name", else its address. */
static const char *sm_name(const tf_inst *x)
{
    const char *n = str_of(tn_get(x->vals, "name"));
    return n && *n && !strstr(n, "${") ? n : x->addr;
}

/* Attribute `attr` of instance x as text, or NULL when unknown. */
static const char *attr_of(tf *t, const tf_inst *x, const tseg *attr)
{
    static const struct { const char *attr; char which; } vpc_attrs[] = {
        { "default_security_group_id", 's' }, { "default_network_acl_id", 'n' },
        { "main_route_table_id", 'r' }, { "default_route_table_id", 'r' },
    };
    if ((!attr || seg_is(attr, "id")) && x->id == x->addr && !x->data) {
        /* the aws_default_* resources are the objects they adopt */
        if (strcmp(x->type, "aws_default_security_group") == 0) {
            const tf_inst *v = vpc_inst(t, tf_text(t, x, tc_key(root_of(x), "vpc_id")).s);
            return v ? vpc_default(t, v, 's') : NULL;
        }
        if (strcmp(x->type, "aws_default_route_table") == 0)
            return tf_text(t, x, tc_key(root_of(x), "default_route_table_id")).s;
        if (strcmp(x->type, "aws_default_network_acl") == 0)
            return tf_text(t, x, tc_key(root_of(x), "default_network_acl_id")).s;
    }
    if (!attr || seg_is(attr, "id"))
        return x->id;
    if (strcmp(x->type, "aws_vpc") == 0 && !x->data)
        for (size_t i = 0; i < sizeof vpc_attrs / sizeof *vpc_attrs; i++)
            if (seg_is(attr, vpc_attrs[i].attr))
                return vpc_default(t, x, vpc_attrs[i].which);
    if (x->data && strcmp(x->type, "aws_region") == 0 && (seg_is(attr, "name") || seg_is(attr, "region")))
        return t->b.region ? mb_str(&t->b, t->b.region) : NULL;
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)attr->n, attr->p);
    const tnode *v = tn_get(x->vals, key);
    if (strcmp(x->type, "aws_vpc_endpoint") == 0 && seg_is(attr, "prefix_list_id") && !str_of(v))
        return tf_text(t, x, tc_key(root_of(x), "service_name")).s; /* the list the builder names after the service */
    if (v && (v->type == TN_STR || v->type == TN_NUM) && v->str[0] && !strstr(v->str, "${"))
        return v->str;
    if (is_sagemaker(x) && seg_is(attr, "name"))
        return sm_name(x);
    return NULL;
}

static bool starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* Whether reference i repeats, less specifically, one listed before it
 * ("a.b[0].id", "a.b[0]", "a.b"), or is a count/each helper. */
static bool skip_ref(const tnode *refs, uint32_t i)
{
    const char *r = str_of(refs->kids[i]);
    if (!r || starts_with(r, "count.") || starts_with(r, "each."))
        return true;
    size_t rl = strlen(r);
    for (uint32_t j = 0; j < i; j++) {
        const char *q = str_of(refs->kids[j]);
        if (q && strncmp(q, r, rl) == 0 && (q[rl] == '.' || q[rl] == '['))
            return true;
    }
    return false;
}

/* How many distinct things an expression references. */
static uint32_t distinct_refs(const tnode *expr)
{
    const tnode *refs = tn_get(expr, "references");
    uint32_t n = 0;
    for (uint32_t i = 0; refs && refs->type == TN_ARR && i < refs->n; i++)
        n += !skip_ref(refs, i);
    return n;
}

/* Whether an expression uses count.index or each.* (an instance's key). An
 * assumption, stated in the README: a reference to a counted resource next
 * to count.index is to its instance of the same key (X[count.index]). */
static bool uses_key(const tnode *expr)
{
    const tnode *refs = tn_get(expr, "references");
    for (uint32_t i = 0; refs && refs->type == TN_ARR && i < refs->n; i++) {
        const char *r = str_of(refs->kids[i]);
        if (r && (starts_with(r, "count.index") || starts_with(r, "each.")))
            return true;
    }
    return false;
}

static bool resolve_expr(tf *t, const tnode *expr, const char *prefix, const char *ctx, bool set, int depth, tset *o);

/* Follow traversal s, written in module `prefix`, into o. ctx: the instance
 * key to pick among a counted resource's instances (count.index, each.key),
 * or NULL. False when it cannot be followed. */
static bool resolve_trav(tf *t, const char *prefix, const char *s, size_t len, const char *ctx, bool set, int depth,
                         tset *o)
{
    tseg g[12];
    int n = parse_traversal(s, len, g, 12);
    char key[1200], cb[1200];
    if (++t->steps > TF_MAX_STEPS)
        t->out_of_steps = true;
    if (n < 2 || depth > TF_MAX_DEPTH || t->steps > TF_MAX_STEPS)
        return false;
    if (seg_is(&g[0], "var")) {
        if (!*prefix) {
            snprintf(key, sizeof key, "%.*s", (int)g[1].n, g[1].p);
            const tnode *v = tn_get(t->vars, key);
            const char *lit = str_of(tn_get(v, t->form == TF_CONFIG ? "default" : "value"));
            if (lit)
                tset_add(o, lit);
            return lit != NULL;
        }
        size_t pl = strlen(prefix) - 1; /* without its dot */
        config_addr(prefix, pl, cb, sizeof cb);
        const tf_slot *m = find_slot(t, cb, strlen(cb));
        snprintf(key, sizeof key, "%.*s", (int)g[1].n, g[1].p);
        const tnode *e = m ? tn_get(tn_get(m->call, "expressions"), key) : NULL;
        const char *lit = str_of(tn_get(e, "constant_value"));
        if (lit) {
            tset_add(o, lit);
            return true;
        }
        /* the parent module's prefix: strip the last "module.NAME." */
        size_t cut = pl;
        while (cut > 0 && !(cut >= 7 && strncmp(prefix + cut - 7, "module.", 7) == 0 && (cut == 7 || prefix[cut - 8] == '.')))
            cut--;
        char parent[1024], mkey[256];
        snprintf(parent, sizeof parent, "%.*s", (int)(cut >= 7 ? cut - 7 : 0), prefix);
        /* a module called with count or for_each: its key picks the caller's instance */
        const char *mk = NULL;
        if (prefix[pl - 1] == ']') {
            const char *lb = prefix + pl - 1;
            while (lb > prefix && *lb != '[')
                lb--;
            snprintf(mkey, sizeof mkey, "%.*s", (int)(prefix + pl - 1 - lb - 1), lb + 1);
            mk = uses_key(e) ? mkey : NULL;
        }
        return e && resolve_expr(t, e, parent, mk, set, depth + 1, o);
    }
    if (seg_is(&g[0], "module")) {
        if (n < 3)
            return false;
        char child[1200];
        if (g[1].ix) /* module.x[KEY].output: that instance's resources */
            snprintf(child, sizeof child, "%smodule.%.*s[%.*s].", prefix, (int)g[1].n, g[1].p, (int)g[1].ixn, g[1].ix);
        else
            snprintf(child, sizeof child, "%smodule.%.*s.", prefix, (int)g[1].n, g[1].p);
        config_addr(child, strlen(child) - 1, cb, sizeof cb);
        const tf_slot *m = find_slot(t, cb, strlen(cb));
        snprintf(key, sizeof key, "%.*s", (int)g[2].n, g[2].p);
        const tnode *e = m ? tn_get(tn_get(tn_get(m->mod, "outputs"), key), "expression") : NULL;
        char ix[256];
        if (g[2].ix) {
            /* output[N] picks an instance only when the output is one counted
             * resource's list (a splat); of anything else, which is unknown */
            if (distinct_refs(e) != 1)
                return false;
            snprintf(ix, sizeof ix, "%.*s", (int)g[2].ixn, g[2].ix);
        }
        return e && resolve_expr(t, e, dupn(t, child, strlen(child)), g[2].ix ? ix : NULL, set, depth + 1, o);
    }
    static const char *const not_followed[] = { "local", "each", "count", "path", "self", "terraform" };
    for (size_t i = 0; i < sizeof not_followed / sizeof *not_followed; i++)
        if (seg_is(&g[0], not_followed[i]))
            return false;
    int k = seg_is(&g[0], "data") ? 1 : 0;
    if (n < k + 2)
        return false;
    const tseg *name = &g[k + 1], *attr = n > k + 2 ? &g[k + 2] : NULL;
    snprintf(key, sizeof key, "%s%s%.*s.%.*s", prefix, k ? "data." : "", (int)g[k].n, g[k].p, (int)name->n, name->p);
    const tf_slot *sl = find_slot(t, key, strlen(key));
    if (!sl || !sl->first)
        return false;
    const tf_inst *hit = NULL;
    if (name->ix && !(name->ixn == 1 && *name->ix == '*')) {
        snprintf(key + strlen(key), sizeof key - strlen(key), "[%.*s]", (int)name->ixn, name->ix);
        const tf_slot *e = find_slot(t, key, strlen(key));
        if (!e || !e->exact)
            return false;
        hit = INST(t, e->exact - 1);
    } else if (!INST(t, sl->first - 1)->next) {
        hit = INST(t, sl->first - 1);
    } else if (ctx) {
        snprintf(key + strlen(key), sizeof key - strlen(key), "[%s]", ctx);
        const tf_slot *e = find_slot(t, key, strlen(key));
        if (!e || !e->exact)
            return false;
        hit = INST(t, e->exact - 1);
    } else if (!set) {
        return false; /* one of several instances: which one is not stated */
    }
    bool ok = true;
    for (uint32_t j = sl->first; j; j = INST(t, j - 1)->next) {
        const tf_inst *x = hit ? hit : INST(t, j - 1);
        const char *v = attr_of(t, x, attr);
        if (v)
            tset_add(o, v);
        else
            ok = false;
        if (hit)
            break;
    }
    return ok;
}


/* The values an expression's references lead to. In set mode every
 * reference counts (a list attribute); otherwise the first one that leads
 * to exactly one value. */
/* The values an expression's references lead to. In set mode every
 * reference counts (a list attribute); otherwise all of them together must
 * lead to exactly one value: `c ? a.id : b.id` names two, and which one is
 * not known. */
static bool resolve_expr(tf *t, const tnode *expr, const char *prefix, const char *ctx, bool set, int depth, tset *o)
{
    const tnode *refs = tn_get(expr, "references");
    if (!refs || refs->type != TN_ARR)
        return false;
    bool ok = true, any = false;
    uint32_t before = o->n;
    for (uint32_t i = 0; i < refs->n; i++) {
        if (skip_ref(refs, i))
            continue;
        const char *r = str_of(refs->kids[i]);
        ok = resolve_trav(t, prefix, r, strlen(r), ctx, set, depth, o) && ok;
        any = true;
    }
    if (!set && (o->n - before != 1 || !ok)) {
        o->n = before;
        return false;
    }
    return any && ok && !o->unresolved;
}

/* The key text of the instance, when an expression uses count.index or each.* */
static const char *ctx_of(const tf_inst *x, const tnode *expr, char *buf, size_t size)
{
    return uses_key(expr) ? index_text(x->index, buf, size) : NULL;
}

/* "${...}" in a JSON configuration: a traversal is followed; element(L, N)
 * and L[N] over data.aws_availability_zones give distinct symbolic zones. */
/* Append s[0..n) to out[0..size) at *o; *o past size - 1 marks an overflow
 * (nothing more is written). */
static void append(char *out, size_t size, size_t *o, const char *s, size_t n)
{
    if (*o >= size)
        return;
    if (n >= size - *o) {
        *o = size; /* too long */
        return;
    }
    memcpy(out + *o, s, n);
    *o += n;
    out[*o] = '\0';
}

static tv interp(tf *t, const tf_inst *x, const char *s, bool set, tset *all)
{
    char out[8192];
    size_t o = 0;
    bool partial = false, missing = false;
    const char *p = s;
    while (*p && o < sizeof out) {
        const char *b = strstr(p, "${");
        const char *e = b ? strchr(b, '}') : NULL;
        if (!b || !e) {
            append(out, sizeof out, &o, p, strlen(p));
            break;
        }
        append(out, sizeof out, &o, p, (size_t)(b - p));
        const char *in = b + 2;
        size_t n = (size_t)(e - in);
        const char *val = NULL;
        unsigned az;
        char azs[64];
        if ((sscanf(in, "element(data.aws_availability_zones.%*[A-Za-z0-9_-].names, %u)", &az) == 1 ||
             sscanf(in, "data.aws_availability_zones.%*[A-Za-z0-9_-].names[%u]", &az) == 1) && az < 1000) {
            snprintf(azs, sizeof azs, "%s-az%u", t->b.region ? mb_str(&t->b, t->b.region) : "${region}", az + 1);
            val = dupn(t, azs, strlen(azs));
            partial = true; /* a zone, but which one is not known */
        } else {
            tset one;
        tset_init(&one);
            /* a bare traversal, or a splat of one ("x.y[*]", "x.y[*].id") */
            size_t tn = n >= 6 && memcmp(e - 6, "[*].id", 6) == 0 ? n - 6 : n >= 3 && memcmp(e - 3, "[*]", 3) == 0 ? n - 3 : n;
            bool simple = tn && strspn(in, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]\"") >= tn;
            if (simple && resolve_trav(t, x->prefix, in, tn, NULL, set || tn != n, 0, &one) && !one.unresolved) {
                if (all && b == s && e[1] == 0) {
                    for (uint32_t i = 0; i < one.n; i++)
                        tset_add(all, one.s[i]);
                    return (tv){ one.n ? one.s[0] : NULL, false, false };
                }
                if (one.n == 1)
                    val = one.s[0];
            }
        }
        if (val)
            append(out, sizeof out, &o, val, strlen(val));
        else {
            append(out, sizeof out, &o, b, (size_t)(e + 1 - b));
            partial = missing = true;
        }
        p = e + 1;
    }
    if (o >= sizeof out)
        return (tv){ NULL, true, false };
    if (all && !partial) {
        tset_add(all, dupn(t, out, o));
        return (tv){ all->s[0], false, false };
    }
    /* wholly unknown when nothing but one unresolved reference */
    if (missing && s[0] == '$' && s[1] == '{' && strchr(s, '}') == s + strlen(s) - 1)
        return (tv){ NULL, true, false };
    return (tv){ dupn(t, out, o), false, partial };
}

/* The value at c as text. */
static tv tf_text(tf *t, const tf_inst *x, tcur c)
{
    const tnode *v = c.v;
    if (v && v->type == TN_STR) {
        if (!v->str[0])
            return (tv){ 0 }; /* the provider writes "" for an unset string */
        if (t->form == TF_CONFIG && strstr(v->str, "${"))
            return interp(t, x, v->str, false, NULL);
        return (tv){ v->str, false, false };
    }
    if (v && v->type == TN_NUM)
        return (tv){ v->str, false, false };
    if (v && v->type == TN_BOOL)
        return (tv){ v->truth ? "true" : "false", false, false };
    if (v)
        return (tv){ NULL, true, false }; /* a list or object where text was expected */
    if (!unknown_mark(c.u) || computed(c))
        return (tv){ 0 };
    tset one;
    tset_init(&one);
    char cb[256];
    const char *ctx = ctx_of(x, c.e, cb, sizeof cb);
    t->steps = 0;
    if (c.e && !c.loose && resolve_expr(t, c.e, x->prefix, ctx, false, 0, &one) && one.n == 1)
        return (tv){ one.s[0], false, false };
    /* an enclosing attribute's references: only when they name one resource */
    if (c.e && c.loose && resolve_expr(t, c.e, x->prefix, ctx, true, 0, &one) && one.n == 1) {
        const tf_slot *s = find_slot(t, one.s[0], strlen(one.s[0]));
        if (s && s->exact)
            return (tv){ one.s[0], false, false };
    }
    return (tv){ NULL, true, false };
}

/* The list at c: its known items and, for unknown ones, what the
 * configuration's references lead to. MV_FALSE when absent, MV_UNKNOWN when
 * some item cannot be known. */
static mv_tri tf_list(tf *t, const tf_inst *x, tcur c, tset *o)
{
    tset_init(o);
    bool refs = unknown_mark(c.u);
    if (c.v && c.v->type == TN_STR && t->form == TF_CONFIG) {
        tv one = interp(t, x, c.v->str, true, o);
        return one.unknown || one.partial || o->unresolved ? MV_UNKNOWN : MV_TRUE;
    }
    if (c.v && c.v->type != TN_ARR)
        return MV_UNKNOWN;
    for (uint32_t i = 0; c.v && i < c.v->n; i++) {
        tcur e = tc_idx(c, i);
        if (!e.v) {
            refs = true;
            continue;
        }
        tv s = e.v->type == TN_STR && t->form == TF_CONFIG ? interp(t, x, e.v->str, true, o)
                                                            : tf_text(t, x, (tcur){ e.v, NULL, NULL, false, false, e.depth });
        if (s.unknown || s.partial)
            refs = true;
        else if (s.s && e.v->type != TN_STR)
            tset_add(o, s.s);
        else if (s.s && t->form != TF_CONFIG)
            tset_add(o, s.s);
    }
    if (!c.v && (!refs || computed(c)))
        return MV_FALSE;
    if (refs) {
        char cb[256];
        uint32_t before = o->n;
        t->steps = 0;
        if (!c.e || !resolve_expr(t, c.e, x->prefix, ctx_of(x, c.e, cb, sizeof cb), true, 0, o))
            return MV_UNKNOWN;
        /* an enclosing attribute's references are every block's: which are this
         * list's is known only when they name one thing */
        if (c.loose && o->n - before > 1) {
            o->n = before;
            return MV_UNKNOWN;
        }
    }
    return o->unresolved ? MV_UNKNOWN : MV_TRUE;
}

/* ------------------------------------------------------------------ readers */

static tv val(tf *t, const tf_inst *x, tcur c, const char *k) { return tf_text(t, x, tc_key(c, k)); }

static const char *text(tf *t, const tf_inst *x, tcur c, const char *k, bool *unk)
{
    tv v = val(t, x, c, k);
    if (unk)
        *unk = v.unknown || v.partial;
    return v.s && !v.partial ? v.s : NULL;
}

static mv_ref ref(tf *t, const tf_inst *x, tcur c, const char *k)
{
    bool unk;
    const char *s = text(t, x, c, k, &unk);
    if (unk)
        mb_warn(&t->b, x->at, "\"%s\": %s cannot be followed to a resource in the %s: left unknown", x->addr, k,
                t->b.source);
    return (mv_ref){ mb_sym(&t->b, s), MV_NONE };
}

static mv_ref *refs(tf *t, const tf_inst *x, tcur c, const char *k, uint32_t *n, mv_tri *known)
{
    tset o;
    *known = tf_list(t, x, tc_key(c, k), &o);
    *n = 0;
    mv_ref *r = o.n ? arena_calloc(&t->b.m->ar, o.n, sizeof *r) : NULL;
    for (uint32_t i = 0; r && i < o.n; i++)
        r[(*n)++] = (mv_ref){ mb_sym(&t->b, o.s[i]), MV_NONE };
    return r;
}

static mv_tri boolean(tf *t, const tf_inst *x, tcur c, const char *k, mv_tri dflt)
{
    tv v = val(t, x, c, k);
    if (v.unknown || v.partial)
        return MV_UNKNOWN;
    if (!v.s)
        return dflt;
    return strcmp(v.s, "true") == 0 ? MV_TRUE : strcmp(v.s, "false") == 0 ? MV_FALSE : MV_UNKNOWN;
}

/* "Enabled"/"Disabled" (SageMaker) with the provider's default. */
static mv_tri enabled(tf *t, const tf_inst *x, tcur c, const char *k, mv_tri dflt)
{
    bool unk;
    const char *s = text(t, x, c, k, &unk);
    return unk ? MV_UNKNOWN : !s ? dflt : strcmp(s, "Enabled") == 0 ? MV_TRUE : strcmp(s, "Disabled") == 0 ? MV_FALSE
                                                                                                            : MV_UNKNOWN;
}

/* An integer: 1 known, 0 absent, -1 unknown or not an integer. */
static int integer(tf *t, const tf_inst *x, tcur c, const char *k, int64_t *out)
{
    bool unk;
    const char *s = text(t, x, c, k, &unk);
    if (unk)
        return -1;
    if (!s)
        return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || end == s)
        return -1;
    *out = v;
    return 1;
}

static bool prefix_of(tf *t, const tf_inst *x, tcur c, const char *k, ip_prefix *out)
{
    const char *s = text(t, x, c, k, NULL);
    return s && ip_parse_prefix(s, out);
}

static void tags(tf *t, const tf_inst *x, mv_res *r)
{
    /* tags_all: the resource's tags with the provider's default_tags */
    const char *key = tn_get(x->vals, "tags_all") || unknown_mark(tn_get(x->unk, "tags_all")) ? "tags_all" : "tags";
    const tnode *g = tn_get(x->vals, key);
    r->tags_unknown = false;
    if (!g || g->type != TN_OBJ || !g->n) {
        if (unknown_mark(tn_get(x->unk, key)))
            r->tags_unknown = true;
        return;
    }
    r->tags = arena_calloc(&t->b.m->ar, g->n, sizeof *r->tags);
    for (uint32_t i = 0; r->tags && i < g->n; i++) {
        if (g->kids[i]->type != TN_STR)
            continue;
        mv_tag *e = &r->tags[r->ntags++];
        e->key = g->keys[i];
        e->value = g->kids[i]->str;
        if (strcmp(e->key, "Name") == 0)
            r->name = e->value;
    }
}

/* Add the object of instance x with record `rec` (its mv_res filled here). */
static void *add(tf *t, const tf_inst *x, mv_kind k, const char *id)
{
    mv_res *r = mb_add(&t->b, k, id ? id : x->id, x->at);
    if (r)
        tags(t, x, r);
    return r;
}

#define PUT(T, t, x, k, id, rec)                                                                                       \
    do {                                                                                                               \
        T *e_ = add(t, x, k, id);                                                                                      \
        if (e_) {                                                                                                      \
            (rec).r = e_->r;                                                                                           \
            *e_ = (rec);                                                                                               \
        }                                                                                                              \
    } while (0)

/* ------------------------------------------------------------------ network resources */

typedef void (*tf_loader)(tf *t, const tf_inst *x);

/* mb_incomplete, but for what a deleted resource no longer holds. */
static void incomplete(tf *t, const tf_inst *x, const char *id, const tnode *at, const char *what)
{
    if (!x->removed)
        mb_incomplete(&t->b, id, at, what);
}

/* The aws_default_* instance x adopts object `id` of kind k: its tags go there. */
static void adopt(tf *t, const tf_inst *x, mv_kind k, const char *id)
{
    tf_assoc a = { (uint32_t)(x - INST(t, 0)), mb_sym(&t->b, id), k, false };
    uint32_t at;
    if (vec_push(&t->adopted, sizeof a, &at) == 0)
        *VEC_AT(t->adopted, tf_assoc, at) = a;
    else
        mb_fail(&t->b, x->at, MLVPC_ERR_NOMEM, "out of memory");
}

/* The VPC instance a VPC id names, or NULL. */
static const tf_inst *vpc_inst(tf *t, const char *id)
{
    const tf_slot *s = id ? find_slot(t, id, strlen(id)) : NULL;
    const tf_inst *v = s && s->exact ? INST(t, s->exact - 1) : NULL;
    return v && strcmp(v->type, "aws_vpc") == 0 && !v->data ? v : NULL;
}

static void load_vpc(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_vpc v = { .main_rtb = MV_NONE, .default_nacl = MV_NONE, .default_sg = MV_NONE, .is_default = MV_FALSE,
                 .state = "available" };
    ip_prefix p[2];
    uint32_t n = 0;
    n += prefix_of(t, x, c, "cidr_block", &p[n]);
    n += prefix_of(t, x, c, "ipv6_cidr_block", &p[n]);
    if ((v.cidrs = mb_append(&t->b, NULL, 0, p, n, sizeof *p)))
        v.ncidrs = n;
    /* The provider's defaults (as AWS's): DNS support on, hostnames off. */
    v.dns_support = boolean(t, x, c, "enable_dns_support", MV_TRUE);
    v.dns_hostnames = boolean(t, x, c, "enable_dns_hostnames", MV_FALSE);
    PUT(mv_vpc, t, x, MK_VPC, NULL, v);
}

static void load_vpc_cidr(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mb_item p = { .target = ref(t, x, c, "vpc_id").sym, .at = x->at };
    if (!p.target || (!prefix_of(t, x, c, "cidr_block", &p.cidr) && !prefix_of(t, x, c, "ipv6_cidr_block", &p.cidr))) {
        mb_warn(&t->b, x->at, "\"%s\": its VPC or CIDR cannot be known from the %s", x->addr, t->b.source);
        return;
    }
    mb_push(&t->b, MB_VPC_CIDR, &p);
}

static void load_subnet(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_subnet s = { .rtb = MV_NONE, .nacl = MV_NONE, .state = "available" };
    s.vpc = ref(t, x, c, "vpc_id");
    tv az = val(t, x, c, "availability_zone");
    if (!az.s)
        az = val(t, x, c, "availability_zone_id");
    s.az = az.s ? mb_dup(&t->b, az.s) : NULL;
    ip_prefix p[2];
    uint32_t n = 0;
    n += prefix_of(t, x, c, "cidr_block", &p[n]);
    n += prefix_of(t, x, c, "ipv6_cidr_block", &p[n]);
    if ((s.cidrs = mb_append(&t->b, NULL, 0, p, n, sizeof *p)))
        s.ncidrs = n;
    s.map_public_ip = boolean(t, x, c, "map_public_ip_on_launch", MV_FALSE);
    PUT(mv_subnet, t, x, MK_SUBNET, NULL, s);
}

/* A route's target by the referenced resource's type or an id's prefix. */
static mv_target gateway_target(tf *t, const char *gw)
{
    const tf_slot *s = find_slot(t, gw, strlen(gw));
    const char *type = s && s->exact ? INST(t, s->exact - 1)->type : NULL;
    if (type)
        return strcmp(type, "aws_internet_gateway") == 0 ? MT_IGW : strcmp(type, "aws_vpn_gateway") == 0 ? MT_VGW
             : strcmp(type, "aws_vpc_endpoint") == 0 ? MT_VPCE_GW : MT_OTHER;
    return strncmp(gw, "igw-", 4) == 0 ? MT_IGW : strncmp(gw, "vgw-", 4) == 0 ? MT_VGW
         : strncmp(gw, "vpce-", 5) == 0 ? MT_VPCE_GW : strcmp(gw, "local") == 0 ? MT_LOCAL : MT_OTHER;
}

/* One route (an aws_route, or a route block of a table); false when a part
 * of it cannot be known. dst keys differ: "destination_cidr_block" vs "cidr_block". */
static bool route(tf *t, const tf_inst *x, tcur c, const char *const dst[3], mv_route *r)
{
    static const struct { const char *key; mv_target t; } targets[] = {
        { "gateway_id", MT_NONE }, { "nat_gateway_id", MT_NAT }, { "transit_gateway_id", MT_TGW },
        { "vpc_peering_connection_id", MT_PCX }, { "egress_only_gateway_id", MT_EIGW },
        { "network_interface_id", MT_ENI }, { "vpc_endpoint_id", MT_GWLBE }, { "carrier_gateway_id", MT_CARRIER },
        { "local_gateway_id", MT_LOCALGW }, { "core_network_arn", MT_CORE },
    };
    memset(r, 0, sizeof *r);
    if (!prefix_of(t, x, c, dst[0], &r->dst) && !prefix_of(t, x, c, dst[1], &r->dst))
        r->dst_pl = ref(t, x, c, dst[2]);
    for (size_t i = 0; i < sizeof targets / sizeof *targets && !r->target; i++) {
        tv v = val(t, x, c, targets[i].key);
        if (!v.s && !v.unknown)
            continue;
        if (!v.s || v.partial) {
            /* a route to this destination, to something the input does not
             * name (e.g. one of several gateways the table's routes
             * reference): answers that take it are indeterminate */
            r->target = MT_UNKNOWN;
            r->tgt = (mv_ref){ mb_sym(&t->b, "(unknown target)"), MV_NONE };
            break;
        }
        r->tgt = (mv_ref){ mb_sym(&t->b, v.s), MV_NONE };
        r->target = targets[i].t ? targets[i].t : gateway_target(t, v.s);
    }
    r->state = MS_ACTIVE;
    r->origin = MO_STATIC;
    return (r->dst.a.af || r->dst_pl.sym) && r->tgt.sym;
}

static void table_routes(tf *t, const tf_inst *x, tcur c, const char *table)
{
    static const char *const dst[3] = { "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id" };
    tcur list = tc_key(c, "route");
    if (unknown_mark(list.u) && !list.v && !computed(list)) {
        mb_warn(&t->b, x->at, "the routes of \"%s\" cannot be known from the %s", x->addr, t->b.source);
        return;
    }
    for (uint32_t i = 0; list.v && list.v->type == TN_ARR && i < list.v->n; i++) {
        mb_item p = { .target = mb_sym(&t->b, table), .at = x->at, .readback = t->form == TF_PLAN && computed(list) };
        if (route(t, x, tc_idx(list, i), dst, &p.u.route))
            mb_push(&t->b, MB_ROUTE, &p);
        else
            mb_warn(&t->b, x->at, "a route of \"%s\": its destination or target cannot be known from the %s: left out",
                    x->addr, t->b.source);
    }
}

static void load_rtb(tf *t, const tf_inst *x)
{
    mv_rtb r = { 0 };
    r.vpc = ref(t, x, root_of(x), "vpc_id");
    PUT(mv_rtb, t, x, MK_RTB, NULL, r);
    table_routes(t, x, root_of(x), x->id);
}

/* aws_default_route_table: the routes of the VPC's main table. */
static void load_default_rtb(tf *t, const tf_inst *x)
{
    const char *table = text(t, x, root_of(x), "default_route_table_id", NULL);
    if (!table) {
        mb_warn(&t->b, x->at, "\"%s\": its table cannot be known from the %s: left out", x->addr, t->b.source);
        return;
    }
    adopt(t, x, MK_RTB, table);
    table_routes(t, x, root_of(x), table);
}

static void load_route(tf *t, const tf_inst *x)
{
    static const char *const dst[3] = { "destination_cidr_block", "destination_ipv6_cidr_block",
                                        "destination_prefix_list_id" };
    tcur c = root_of(x);
    mb_item p = { .target = ref(t, x, c, "route_table_id").sym, .at = x->at };
    if (!route(t, x, c, dst, &p.u.route) || !p.target) {
        if (!x->removed)
            mb_warn(&t->b, x->at, "route \"%s\": its table, destination or target cannot be known from the %s",
                    x->addr, t->b.source);
        return;
    }
    mb_push(&t->b, x->removed ? MB_ROUTE_UNDO : MB_ROUTE, &p);
}

/* Two-ended links: an association, an attachment. */
static void link(tf *t, const tf_inst *x, int kind, const char *target, const char *other)
{
    tcur c = root_of(x);
    mb_item p = { .target = ref(t, x, c, target).sym, .other = ref(t, x, c, other).sym, .at = x->at };
    if (p.target && p.other)
        mb_push(&t->b, kind, &p);
    else if (kind == MB_RTB_ASSOC && (tn_get(x->vals, "gateway_id") || tn_get(x->expr, "gateway_id")))
        mb_warn(&t->b, x->at, "\"%s\": a gateway (edge) association is not modelled", x->addr);
    else
        mb_warn(&t->b, x->at, "\"%s\": what it links cannot be known from the %s: left out", x->addr, t->b.source);
}

static void load_rtb_assoc(tf *t, const tf_inst *x) { link(t, x, MB_RTB_ASSOC, "route_table_id", "subnet_id"); }
static void load_main_rtb_assoc(tf *t, const tf_inst *x) { link(t, x, MB_MAIN_RTB, "route_table_id", "vpc_id"); }
static void load_igw_attach(tf *t, const tf_inst *x) { link(t, x, MB_IGW_ATTACH, "internet_gateway_id", "vpc_id"); }
static void load_nacl_assoc(tf *t, const tf_inst *x) { link(t, x, MB_NACL_ASSOC, "network_acl_id", "subnet_id"); }
static void load_dhcp_assoc(tf *t, const tf_inst *x) { link(t, x, MB_DHCP_ASSOC, "vpc_id", "dhcp_options_id"); }

static void load_igw(tf *t, const tf_inst *x)
{
    bool eigw = strcmp(x->type, "aws_egress_only_internet_gateway") == 0;
    mv_igw g = { 0 };
    PUT(mv_igw, t, x, eigw ? MK_EIGW : MK_IGW, NULL, g);
    mb_item p = { .target = mb_sym(&t->b, x->id), .other = ref(t, x, root_of(x), "vpc_id").sym, .at = x->at };
    if (p.other)
        mb_push(&t->b, MB_IGW_ATTACH, &p);
}

static void load_nat(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_natgw n = { .state = "available" };
    n.subnet = ref(t, x, c, "subnet_id");
    bool unk;
    const char *ct = text(t, x, c, "connectivity_type", &unk);
    n.conn = unk ? MN_UNKNOWN : !ct || strcmp(ct, "public") == 0 ? MN_PUBLIC : strcmp(ct, "private") == 0 ? MN_PRIVATE
                                                                                                         : MN_UNKNOWN;
    tv alloc = val(t, x, c, "allocation_id");
    if (alloc.s || alloc.unknown) {
        n.addrs = arena_calloc(&t->b.m->ar, 1, sizeof *n.addrs);
        if (n.addrs) {
            n.addrs[0].allocation_id = alloc.s; /* its public address is known once allocated */
            const char *pub = text(t, x, c, "public_ip", NULL), *priv = text(t, x, c, "private_ip", NULL);
            ip_parse_addr(pub ? pub : "", &n.addrs[0].public_ip);
            ip_parse_addr(priv ? priv : "", &n.addrs[0].private_ip);
            n.naddrs = 1;
        }
    }
    PUT(mv_natgw, t, x, MK_NATGW, NULL, n);
}

static void load_eip(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_eip e = { 0 };
    e.allocation_id = text(t, x, c, "allocation_id", NULL);
    const char *pub = text(t, x, c, "public_ip", NULL);
    ip_parse_addr(pub ? pub : "", &e.public_ip);
    e.eni = ref(t, x, c, "network_interface");
    e.instance = ref(t, x, c, "instance");
    PUT(mv_eip, t, x, MK_EIP, NULL, e);
}

/* ------------------------------------------------------------------ security groups */

static void push_rule(tf *t, const tf_inst *x, const char *sg, mv_sg_rule r, mv_peer peer, const char *other)
{
    mb_item p = { .target = mb_sym(&t->b, sg), .at = x->at };
    r.peer = peer;
    if (peer == MP_CIDR && !ip_parse_prefix(other, &r.cidr)) {
        incomplete(t, x, sg, x->at, "a security group rule's CIDR");
        return;
    }
    if (peer != MP_CIDR)
        r.ref = (mv_ref){ mb_sym(&t->b, other), MV_NONE };
    p.u.rule = r;
    p.readback = t->readback;
    mb_push(&t->b, x->removed ? MB_SG_UNDO : MB_SG_RULE, &p);
}

/* The protocol and ports of a rule; false (incomplete) when unknown. */
static bool rule_match(tf *t, const tf_inst *x, tcur c, const char *proto_key, mv_match *m)
{
    bool unk, ok = false;
    const char *ps = text(t, x, c, proto_key, &unk);
    int proto = ps ? mv_proto_parse(ps, &ok) : 0;
    int64_t from = 0, to = 0;
    int hf = integer(t, x, c, "from_port", &from), ht = integer(t, x, c, "to_port", &to);
    if (!ok || hf < 0 || ht < 0)
        return false;
    m->proto = (int16_t)proto;
    if (proto == MV_PROTO_ALL || (proto != MV_TCP && proto != MV_UDP && proto != MV_ICMP && proto != MV_ICMPV6))
        hf = ht = 0; /* the provider writes 0-0 for protocols without ports */
    return mv_match_ports(m, hf > 0, from, ht > 0, to);
}

/* The rules of one ingress/egress block (aws_security_group,
 * aws_default_security_group) or aws_security_group_rule: one per CIDR,
 * prefix list and group, and one for `self`. */
static void block_rules(tf *t, const tf_inst *x, tcur c, const char *sg, bool egress, const char *src_key)
{
    static const struct { const char *key; mv_peer peer; } lists[] = {
        { "cidr_blocks", MP_CIDR }, { "ipv6_cidr_blocks", MP_CIDR }, { "prefix_list_ids", MP_PL },
        { "security_groups", MP_SG },
    };
    mv_sg_rule r = { .egress = egress };
    if (!rule_match(t, x, c, "protocol", &r.m)) {
        incomplete(t, x, sg, x->at, "a security group rule's protocol or ports");
        return;
    }
    tv d = val(t, x, c, "description");
    r.description = d.s && !d.partial ? d.s : NULL;
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
        tset o;
        mv_tri known = tf_list(t, x, tc_key(c, lists[k].key), &o);
        if (known == MV_UNKNOWN)
            incomplete(t, x, sg, x->at, "a security group rule's peers");
        for (uint32_t i = 0; i < o.n; i++)
            push_rule(t, x, sg, r, lists[k].peer, o.s[i]);
    }
    if (src_key) {
        tv s = val(t, x, c, src_key);
        if (s.s && !s.partial)
            push_rule(t, x, sg, r, MP_SG, s.s);
        else if (s.unknown || s.partial)
            incomplete(t, x, sg, x->at, "a security group rule's source group");
    }
    mv_tri self = boolean(t, x, c, "self", MV_FALSE);
    if (self == MV_TRUE)
        push_rule(t, x, sg, r, MP_SG, sg);
    else if (self == MV_UNKNOWN)
        incomplete(t, x, sg, x->at, "whether a security group rule applies to its own group");
}

static void inline_rules(tf *t, const tf_inst *x, const char *sg)
{
    static const char *const dirs[2] = { "ingress", "egress" };
    for (int e = 0; e < 2; e++) {
        tcur list = tc_key(root_of(x), dirs[e]);
        if (unknown_mark(list.u) && !list.v && !computed(list))
            incomplete(t, x, sg, x->at, e ? "the egress rules" : "the ingress rules");
        t->readback = t->form == TF_PLAN && computed(list);
        for (uint32_t i = 0; list.v && list.v->type == TN_ARR && i < list.v->n; i++)
            block_rules(t, x, tc_idx(list, i), sg, e, NULL);
        t->readback = false;
    }
}

/* Unlike AWS, the provider deletes a new group's allow-all egress: a group
 * without egress blocks has no egress rule (aws_security_group docs). */
static void load_sg(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_sg g = { 0 };
    g.vpc = ref(t, x, c, "vpc_id");
    g.group_name = text(t, x, c, "name", NULL);
    g.description = text(t, x, c, "description", NULL);
    if (!g.description && !val(t, x, c, "description").unknown)
        g.description = "Managed by Terraform"; /* the provider's default */
    PUT(mv_sg, t, x, MK_SG, NULL, g);
    inline_rules(t, x, x->id);
}

/* aws_default_security_group takes over the VPC's default group: its stock
 * rules go, the blocks given are its rules. */
static void load_default_sg(tf *t, const tf_inst *x)
{
    const char *vpc = text(t, x, root_of(x), "vpc_id", NULL);
    const tf_inst *v = vpc_inst(t, vpc);
    if (!v) {
        mb_warn(&t->b, x->at, "\"%s\": the VPC %s is not created by this %s: not modelled", x->addr,
                vpc ? vpc : "(default VPC)", t->b.source);
        return;
    }
    const char *sg = vpc_default(t, v, 's');
    mb_item strip = { .target = mb_sym(&t->b, sg), .at = x->at };
    mb_push(&t->b, MB_SG_STRIP, &strip);
    adopt(t, x, MK_SG, sg);
    inline_rules(t, x, sg);
}

static void load_sg_rule(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    const char *sg = text(t, x, c, "security_group_id", NULL);
    bool unk;
    const char *type = text(t, x, c, "type", &unk);
    if (!sg || !type || (strcmp(type, "ingress") != 0 && strcmp(type, "egress") != 0)) {
        mb_warn(&t->b, x->at, "\"%s\": its group or direction cannot be known from the %s: left out", x->addr,
                t->b.source);
        if (sg)
            incomplete(t, x, sg, x->at, "a security group rule");
        return;
    }
    block_rules(t, x, c, sg, strcmp(type, "egress") == 0, "source_security_group_id");
}

/* aws_vpc_security_group_ingress_rule / _egress_rule: one peer each. */
static void load_sg_rule_v2(tf *t, const tf_inst *x)
{
    static const struct { const char *key; mv_peer peer; } peers[] = {
        { "cidr_ipv4", MP_CIDR }, { "cidr_ipv6", MP_CIDR }, { "prefix_list_id", MP_PL },
        { "referenced_security_group_id", MP_SG },
    };
    tcur c = root_of(x);
    const char *sg = text(t, x, c, "security_group_id", NULL);
    if (!sg) {
        mb_warn(&t->b, x->at, "\"%s\": its group cannot be known from the %s: left out", x->addr, t->b.source);
        return;
    }
    mv_sg_rule r = { .egress = strstr(x->type, "egress") != NULL };
    if (!rule_match(t, x, c, "ip_protocol", &r.m)) {
        incomplete(t, x, sg, x->at, "a security group rule's protocol or ports");
        return;
    }
    r.description = text(t, x, c, "description", NULL);
    for (size_t k = 0; k < sizeof peers / sizeof *peers; k++) {
        tv p = val(t, x, c, peers[k].key);
        if (p.s && !p.partial) {
            push_rule(t, x, sg, r, peers[k].peer, p.s);
            return;
        }
        if (p.unknown || p.partial) {
            incomplete(t, x, sg, x->at, "a security group rule's peer");
            return;
        }
    }
    incomplete(t, x, sg, x->at, "a security group rule without a peer");
}

/* ------------------------------------------------------------------ network ACLs */

/* One entry: keys differ between blocks (rule_no, action) and
 * aws_network_acl_rule (rule_number, rule_action, egress). */
static void nacl_entry(tf *t, const tf_inst *x, tcur c, const char *acl, int egress, const char *num_key,
                       const char *act_key)
{
    mb_item p = { .target = mb_sym(&t->b, acl), .at = x->at };
    mv_nacl_entry *e = &p.u.entry;
    int64_t num = 0, from = 0, to = 0;
    bool unk, ok = false;
    const char *act = text(t, x, c, act_key, &unk), *ps = text(t, x, c, "protocol", &unk);
    int proto = ps ? mv_proto_parse(ps, &ok) : 0;
    mv_tri eg = egress >= 0 ? (egress ? MV_TRUE : MV_FALSE) : boolean(t, x, c, "egress", MV_FALSE);
    if (integer(t, x, c, num_key, &num) != 1 || num < 1 || num > 32766 || !ok || eg == MV_UNKNOWN || !act ||
        (strcmp(act, "allow") != 0 && strcmp(act, "deny") != 0)) {
        incomplete(t, x, acl, x->at, "a network ACL entry (number, protocol, direction or action)");
        return;
    }
    e->rule = (uint16_t)num;
    e->egress = eg == MV_TRUE;
    e->allow = strcmp(act, "allow") == 0;
    e->m.proto = (int16_t)proto;
    bool icmp = proto == MV_ICMP || proto == MV_ICMPV6;
    int hf = integer(t, x, c, icmp ? "icmp_type" : "from_port", &from);
    int ht = integer(t, x, c, icmp ? "icmp_code" : "to_port", &to);
    if (hf < 0 || ht < 0) {
        incomplete(t, x, acl, x->at, "a network ACL entry's ports");
        return;
    }
    if (proto == MV_PROTO_ALL)
        hf = ht = 0;
    else if (egress < 0 && !icmp) {
        /* aws_network_acl_rule sends absent ports as 0 (vpc_network_acl_rule.go) */
        if (!hf)
            from = 0, hf = 1;
        if (!ht)
            to = 0, ht = 1;
    }
    if (!mv_match_ports(&e->m, hf > 0, from, ht > 0, to)) {
        incomplete(t, x, acl, x->at, "a network ACL entry with an invalid port range");
        return;
    }
    if (!prefix_of(t, x, c, "cidr_block", &e->cidr) && !prefix_of(t, x, c, "ipv6_cidr_block", &e->cidr)) {
        incomplete(t, x, acl, x->at, "a network ACL entry's CIDR");
        return;
    }
    p.readback = t->readback;
    mb_push(&t->b, x->removed ? MB_NACL_UNDO : MB_NACL_ENTRY, &p);
}

static void nacl_blocks(tf *t, const tf_inst *x, const char *acl)
{
    static const char *const dirs[2] = { "ingress", "egress" };
    for (int d = 0; d < 2; d++) {
        tcur list = tc_key(root_of(x), dirs[d]);
        if (unknown_mark(list.u) && !list.v && !computed(list))
            incomplete(t, x, acl, x->at, d ? "the egress entries" : "the ingress entries");
        t->readback = t->form == TF_PLAN && computed(list);
        for (uint32_t i = 0; list.v && list.v->type == TN_ARR && i < list.v->n; i++)
            nacl_entry(t, x, tc_idx(list, i), acl, d, "rule_no", "action");
        t->readback = false;
    }
    tset o;
    if (tf_list(t, x, tc_key(root_of(x), "subnet_ids"), &o) == MV_UNKNOWN)
        mb_warn(&t->b, x->at, "some subnets of \"%s\" cannot be known from the %s", x->addr, t->b.source);
    for (uint32_t i = 0; i < o.n; i++) {
        mb_item p = { .target = mb_sym(&t->b, acl), .other = mb_sym(&t->b, o.s[i]), .at = x->at };
        mb_push(&t->b, MB_NACL_ASSOC, &p);
    }
}

static void load_nacl(tf *t, const tf_inst *x)
{
    mv_nacl a = { .is_default = MV_FALSE };
    a.vpc = ref(t, x, root_of(x), "vpc_id");
    PUT(mv_nacl, t, x, MK_NACL, NULL, a);
    nacl_blocks(t, x, x->id);
}

/* aws_default_network_acl takes over the VPC's default ACL: its entries are
 * exactly the blocks given (none: everything denied). */
static void load_default_nacl(tf *t, const tf_inst *x)
{
    const char *acl = text(t, x, root_of(x), "default_network_acl_id", NULL);
    if (!acl) {
        mb_warn(&t->b, x->at, "\"%s\": its ACL cannot be known from the %s: left out", x->addr, t->b.source);
        return;
    }
    mb_item own = { .target = mb_sym(&t->b, acl), .at = x->at };
    mb_push(&t->b, MB_NACL_OWNED, &own);
    adopt(t, x, MK_NACL, acl);
    nacl_blocks(t, x, acl);
}

static void load_nacl_rule(tf *t, const tf_inst *x)
{
    const char *acl = text(t, x, root_of(x), "network_acl_id", NULL);
    if (!acl) {
        mb_warn(&t->b, x->at, "network ACL rule \"%s\": its ACL cannot be known from the %s: left out", x->addr,
                t->b.source);
        return;
    }
    nacl_entry(t, x, root_of(x), acl, -1, "rule_number", "rule_action");
}

/* ------------------------------------------------------------------ endpoints and the rest */

static void load_vpce_assoc(tf *t, const tf_inst *x)
{
    static const struct { const char *type, *key; mv_kind kind; } kinds[] = {
        { "aws_vpc_endpoint_route_table_association", "route_table_id", MK_RTB },
        { "aws_vpc_endpoint_subnet_association", "subnet_id", MK_SUBNET },
        { "aws_vpc_endpoint_security_group_association", "security_group_id", MK_SG },
    };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        if (strcmp(x->type, kinds[k].type) != 0)
            continue;
        tf_assoc a = { ref(t, x, root_of(x), "vpc_endpoint_id").sym, ref(t, x, root_of(x), kinds[k].key).sym,
                       kinds[k].kind, boolean(t, x, root_of(x), "replace_default_association", MV_FALSE) == MV_TRUE };
        uint32_t at;
        if (!a.vpce || !a.other)
            mb_warn(&t->b, x->at, "\"%s\": what it links cannot be known from the %s: left out", x->addr, t->b.source);
        else if (vec_push(&t->assocs, sizeof a, &at) == 0)
            *VEC_AT(t->assocs, tf_assoc, at) = a;
        else
            mb_fail(&t->b, x->at, MLVPC_ERR_NOMEM, "out of memory");
    }
}

/* refs plus the association resources naming this endpoint. */
static mv_ref *with_assocs(tf *t, const char *vpce, mv_ref *r, uint32_t *n, mv_kind kind)
{
    uint32_t sym = mb_sym(&t->b, vpce), extra = 0;
    for (uint32_t i = 0; i < t->assocs.n; i++)
        extra += VEC_AT(t->assocs, tf_assoc, i)->vpce == sym && VEC_AT(t->assocs, tf_assoc, i)->kind == kind;
    if (!extra)
        return r;
    mv_ref *all = arena_calloc(&t->b.m->ar, *n + extra, sizeof *all);
    if (!all)
        return r;
    if (*n)
        memcpy(all, r, *n * sizeof *all);
    for (uint32_t i = 0; i < t->assocs.n; i++) {
        const tf_assoc *a = VEC_AT(t->assocs, tf_assoc, i);
        if (a->vpce == sym && a->kind == kind)
            all[(*n)++] = (mv_ref){ a->other, MV_NONE };
    }
    return all;
}

static void load_vpce(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_vpce e = { .state = "available", .dns_inbound_only = MV_FALSE };
    e.vpc = ref(t, x, c, "vpc_id");
    bool unk;
    const char *type = text(t, x, c, "vpc_endpoint_type", &unk);
    e.type = unk ? ME_UNKNOWN : !type || strcmp(type, "Gateway") == 0 ? ME_GATEWAY /* the default */
           : strcmp(type, "Interface") == 0 ? ME_INTERFACE : strcmp(type, "GatewayLoadBalancer") == 0 ? ME_GWLB
                                                                                                    : ME_OTHER;
    tv sn = val(t, x, c, "service_name");
    e.service_name = sn.s;
    e.service = model_service_short(e.service_name);
    mv_tri k1, k2, k3;
    e.rtbs = with_assocs(t, x->id, refs(t, x, c, "route_table_ids", &e.nrtbs, &k1), &e.nrtbs, MK_RTB);
    e.subnets = with_assocs(t, x->id, refs(t, x, c, "subnet_ids", &e.nsubnets, &k2), &e.nsubnets, MK_SUBNET);
    e.sgs = refs(t, x, c, "security_group_ids", &e.nsgs, &k3);
    if (k1 == MV_UNKNOWN || k2 == MV_UNKNOWN || k3 == MV_UNKNOWN)
        mb_warn(&t->b, x->at, "some route tables, subnets or security groups of endpoint \"%s\" cannot be known from "
                "the %s", x->addr, t->b.source);
    bool replaced = false; /* an association replaces the default group */
    for (uint32_t i = 0; i < t->assocs.n; i++) {
        const tf_assoc *a = VEC_AT(t->assocs, tf_assoc, i);
        replaced = replaced || (a->vpce == mb_sym(&t->b, x->id) && a->kind == MK_SG && a->replace);
    }
    const tf_inst *v = e.type == ME_INTERFACE && !e.nsgs && k3 != MV_UNKNOWN && !replaced
                           ? vpc_inst(t, mb_str(&t->b, e.vpc.sym)) : NULL;
    if (v) {
        /* No groups: EC2 uses the VPC's default group (CreateVpcEndpoint);
         * associations add to it unless one replaces it. */
        e.sgs = arena_calloc(&t->b.m->ar, 1, sizeof *e.sgs);
        if (e.sgs)
            e.sgs[e.nsgs++] = (mv_ref){ mb_sym(&t->b, vpc_default(t, v, 's')), MV_NONE };
    }
    e.sgs = with_assocs(t, x->id, e.sgs, &e.nsgs, MK_SG);
    /* The provider's default for private_dns_enabled is false. */
    e.private_dns = e.type == ME_INTERFACE ? boolean(t, x, c, "private_dns_enabled", MV_FALSE) : MV_UNKNOWN;
    tv pol = val(t, x, c, "policy");
    e.policy = pol.unknown || pol.partial ? "{ unknown policy" : pol.s; /* absent: the builder's default */
    PUT(mv_vpce, t, x, MK_VPCE, NULL, e);
    mb_vpce_parts(&t->b, x->id, text(t, x, c, "prefix_list_id", NULL), x->at);
}

static void load_pl(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_pl l = { .max_entries = -1 };
    l.pl_name = text(t, x, c, "name", NULL);
    bool unk;
    const char *af = text(t, x, c, "address_family", &unk);
    l.af = !af ? 0 : strcmp(af, "IPv4") == 0 ? IP_V4 : strcmp(af, "IPv6") == 0 ? IP_V6 : 0;
    int64_t me;
    if (integer(t, x, c, "max_entries", &me) == 1 && me >= 0 && me <= INT32_MAX)
        l.max_entries = (int32_t)me;
    tcur list = tc_key(c, "entry");
    l.entries_known = !unknown_mark(list.u);
    uint32_t n = list.v && list.v->type == TN_ARR ? list.v->n : 0;
    l.entries = n ? arena_calloc(&t->b.m->ar, n, sizeof *l.entries) : NULL;
    for (uint32_t i = 0; l.entries && i < n; i++) {
        if (prefix_of(t, x, tc_idx(list, i), "cidr", &l.entries[l.nentries]))
            l.nentries++;
        else
            l.entries_known = false;
    }
    PUT(mv_pl, t, x, MK_PL, NULL, l);
}

static void load_flowlog(tf *t, const tf_inst *x)
{
    static const struct { const char *key; mv_kind kind; } on[] = {
        { "vpc_id", MK_VPC }, { "subnet_id", MK_SUBNET }, { "eni_id", MK_ENI },
    };
    tcur c = root_of(x);
    mv_flowlog f = { .status = "ACTIVE" };
    for (size_t i = 0; i < sizeof on / sizeof *on && !f.res_kind; i++) {
        tv v = val(t, x, c, on[i].key);
        if (v.s || v.unknown) {
            f.res_kind = on[i].kind;
            f.resource = (mv_ref){ v.partial ? 0 : mb_sym(&t->b, v.s), MV_NONE };
        }
    }
    f.traffic_type = text(t, x, c, "traffic_type", NULL);
    f.dest_type = text(t, x, c, "log_destination_type", NULL);
    if (!f.dest_type && !val(t, x, c, "log_destination_type").unknown)
        f.dest_type = "cloud-watch-logs"; /* the provider's default */
    f.dest = text(t, x, c, "log_destination", NULL);
    f.format = text(t, x, c, "log_format", NULL);
    PUT(mv_flowlog, t, x, MK_FLOWLOG, NULL, f);
}

static void load_dhcp(tf *t, const tf_inst *x)
{
    mv_dhcp d = { 0 };
    tset o;
    mv_tri k = tf_list(t, x, tc_key(root_of(x), "domain_name_servers"), &o);
    d.has_dns_key = k != MV_FALSE;
    d.dns_servers = o.n ? arena_calloc(&t->b.m->ar, o.n, sizeof *d.dns_servers) : NULL;
    for (uint32_t i = 0; d.dns_servers && i < o.n; i++)
        d.dns_servers[d.ndns++] = o.s[i];
    d.domain_name = text(t, x, root_of(x), "domain_name", NULL);
    PUT(mv_dhcp, t, x, MK_DHCP, NULL, d);
}

static void load_pcx(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_pcx p = { .status = "active" };
    p.requester.vpc = ref(t, x, c, "vpc_id");
    p.accepter.vpc = ref(t, x, c, "peer_vpc_id");
    const char *pr = text(t, x, c, "peer_region", NULL);
    p.requester.region = t->b.region;
    p.accepter.region = pr ? mb_sym(&t->b, pr) : t->b.region;
    PUT(mv_pcx, t, x, MK_PCX, NULL, p);
}

/* ------------------------------------------------------------------ SageMaker */

static const char *sm_id(tf *t, const char *prefix, const char *name)
{
    char buf[1200];
    snprintf(buf, sizeof buf, "%s%s", prefix, name);
    return dupn(t, buf, strlen(buf));
}

static void placement(tf *t, const tf_inst *x, tcur vc, const char *subnets, const char *sgs, mv_placement *pl)
{
    pl->present = vc.v ? MV_TRUE : unknown_mark(vc.u) ? MV_UNKNOWN : MV_FALSE;
    if (pl->present != MV_TRUE)
        return;
    mv_tri k1, k2;
    pl->subnets = refs(t, x, vc, subnets, &pl->nsubnets, &k1);
    pl->sgs = refs(t, x, vc, sgs, &pl->nsgs, &k2);
    if (k1 == MV_UNKNOWN || k2 == MV_UNKNOWN)
        pl->present = MV_UNKNOWN; /* the placement is not fully known */
}

static void load_notebook(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_notebook n = { .eni = { 0, MV_NONE } };
    n.nb_name = sm_name(x);
    tv sn = val(t, x, c, "subnet_id");
    n.place.present = sn.s ? MV_TRUE : sn.unknown ? MV_UNKNOWN : MV_FALSE;
    if (sn.s) {
        mv_tri known;
        n.place.subnets = arena_calloc(&t->b.m->ar, 1, sizeof(mv_ref));
        if (n.place.subnets && !sn.partial && (n.place.subnets[0] = (mv_ref){ mb_sym(&t->b, sn.s), MV_NONE }).sym)
            n.place.nsubnets = 1;
        n.place.sgs = refs(t, x, c, "security_groups", &n.place.nsgs, &known);
        if (!n.place.nsubnets || known == MV_UNKNOWN)
            n.place.present = MV_UNKNOWN;
    }
    /* The provider's defaults, as SageMaker's: both "Enabled". */
    n.direct_internet = enabled(t, x, c, "direct_internet_access", MV_TRUE);
    n.root_access = enabled(t, x, c, "root_access", MV_TRUE);
    n.instance_type = text(t, x, c, "instance_type", NULL);
    n.kms_key = text(t, x, c, "kms_key_id", NULL);
    n.imds_min = text(t, x, tc_block(c, "instance_metadata_service_configuration"),
                      "minimum_instance_metadata_service_version", NULL);
    n.arn = text(t, x, c, "arn", NULL);
    PUT(mv_notebook, t, x, MK_NOTEBOOK, sm_id(t, "notebook:", n.nb_name), n);
}

static void load_domain(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_domain d = { 0 };
    bool unk;
    d.domain_name = text(t, x, c, "domain_name", NULL);
    d.domain_id = x->id;
    const char *net = text(t, x, c, "app_network_access_type", &unk);
    d.net = unk ? MA_UNKNOWN : !net || strcmp(net, "PublicInternetOnly") == 0 ? MA_PUBLIC_INTERNET_ONLY
          : strcmp(net, "VpcOnly") == 0 ? MA_VPC_ONLY : MA_UNKNOWN;
    d.vpc = ref(t, x, c, "vpc_id");
    d.auth_mode = text(t, x, c, "auth_mode", NULL);
    mv_tri known;
    d.place.subnets = refs(t, x, c, "subnet_ids", &d.place.nsubnets, &known);
    d.place.present = known == MV_UNKNOWN ? MV_UNKNOWN : d.place.nsubnets ? MV_TRUE : known;
    static const struct { const char *block, *key; } sgs[] = {
        { "default_user_settings", "security_groups" }, { "default_space_settings", "security_groups" },
        { "domain_settings", "security_group_ids" },
    };
    for (size_t i = 0; i < sizeof sgs / sizeof *sgs; i++) {
        uint32_t n;
        mv_tri k;
        mv_ref *r = refs(t, x, tc_block(c, sgs[i].block), sgs[i].key, &n, &k);
        if (k == MV_UNKNOWN)
            d.place.present = MV_UNKNOWN;
        if (!n)
            continue;
        mv_ref *all = mb_append(&t->b, d.place.sgs, d.place.nsgs, r, n, sizeof *all);
        if (!all)
            return;
        d.place.sgs = all;
        d.place.nsgs += n;
    }
    PUT(mv_domain, t, x, MK_DOMAIN, sm_id(t, "domain:", x->id), d);
}

static void load_model(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_model_res r = { 0 };
    r.model_name = sm_name(x);
    placement(t, x, tc_block(c, "vpc_config"), "subnets", "security_group_ids", &r.place);
    r.isolation = boolean(t, x, c, "enable_network_isolation", MV_FALSE);
    r.role = text(t, x, c, "execution_role_arn", NULL);
    PUT(mv_model_res, t, x, MK_MODEL, sm_id(t, "model:", r.model_name), r);
}

static void load_epconfig(tf *t, const tf_inst *x)
{
    tcur c = root_of(x);
    mv_epconfig e = { 0 };
    e.config_name = sm_name(x);
    tcur pv = tc_key(c, "production_variants");
    uint32_t n = pv.v && pv.v->type == TN_ARR ? pv.v->n : 0;
    e.variants = n ? arena_calloc(&t->b.m->ar, n, sizeof *e.variants) : NULL;
    for (uint32_t i = 0; e.variants && i < n; i++) {
        tcur v = tc_idx(pv, i);
        mv_variant *y = &e.variants[e.nvariants++];
        const char *name = text(t, x, v, "variant_name", NULL), *model = text(t, x, v, "model_name", NULL);
        y->variant_name = name ? name : "?";
        y->model = (mv_ref){ model ? mb_sym(&t->b, sm_id(t, "model:", model)) : 0, MV_NONE };
        tcur sc = tc_key(v, "serverless_config");
        y->serverless = sc.v && !(sc.v->type == TN_ARR && sc.v->n == 0);
        int64_t k = -1;
        y->instance_count = !y->serverless && integer(t, x, v, "initial_instance_count", &k) == 1 && k >= 0 &&
                            k <= INT32_MAX ? (int32_t)k : -1;
        y->instance_type = text(t, x, v, "instance_type", NULL);
    }
    PUT(mv_epconfig, t, x, MK_EPCONFIG, sm_id(t, "endpoint-config:", e.config_name), e);
}

static void load_endpoint(tf *t, const tf_inst *x)
{
    mv_endpoint e = { .status = "InService" };
    e.ep_name = sm_name(x);
    const char *cfg = text(t, x, root_of(x), "endpoint_config_name", NULL);
    e.config = (mv_ref){ cfg ? mb_sym(&t->b, sm_id(t, "endpoint-config:", cfg)) : 0, MV_NONE };
    PUT(mv_endpoint, t, x, MK_ENDPOINT, sm_id(t, "endpoint:", e.ep_name), e);
}

/* Phase 0 resources come first: endpoints (phase 1) take in the association
 * resources that name them. */
static const struct {
    const char *type;
    tf_loader fn;
    int phase;
} loaders[] = {
    { "aws_vpc", load_vpc, 0 },
    { "aws_vpc_ipv4_cidr_block_association", load_vpc_cidr, 0 },
    { "aws_vpc_ipv6_cidr_block_association", load_vpc_cidr, 0 },
    { "aws_subnet", load_subnet, 0 },
    { "aws_route_table", load_rtb, 0 },
    { "aws_default_route_table", load_default_rtb, 0 },
    { "aws_route", load_route, 0 },
    { "aws_route_table_association", load_rtb_assoc, 0 },
    { "aws_main_route_table_association", load_main_rtb_assoc, 0 },
    { "aws_internet_gateway", load_igw, 0 },
    { "aws_internet_gateway_attachment", load_igw_attach, 0 },
    { "aws_egress_only_internet_gateway", load_igw, 0 },
    { "aws_nat_gateway", load_nat, 0 },
    { "aws_eip", load_eip, 0 },
    { "aws_security_group", load_sg, 0 },
    { "aws_default_security_group", load_default_sg, 0 },
    { "aws_security_group_rule", load_sg_rule, 0 },
    { "aws_vpc_security_group_ingress_rule", load_sg_rule_v2, 0 },
    { "aws_vpc_security_group_egress_rule", load_sg_rule_v2, 0 },
    { "aws_network_acl", load_nacl, 0 },
    { "aws_default_network_acl", load_default_nacl, 0 },
    { "aws_network_acl_rule", load_nacl_rule, 0 },
    { "aws_network_acl_association", load_nacl_assoc, 0 },
    { "aws_vpc_endpoint_route_table_association", load_vpce_assoc, 0 },
    { "aws_vpc_endpoint_subnet_association", load_vpce_assoc, 0 },
    { "aws_vpc_endpoint_security_group_association", load_vpce_assoc, 0 },
    { "aws_vpc_endpoint", load_vpce, 1 },
    { "aws_ec2_managed_prefix_list", load_pl, 0 },
    { "aws_flow_log", load_flowlog, 0 },
    { "aws_vpc_dhcp_options", load_dhcp, 0 },
    { "aws_vpc_dhcp_options_association", load_dhcp_assoc, 0 },
    { "aws_vpc_peering_connection", load_pcx, 0 },
    { "aws_sagemaker_notebook_instance", load_notebook, 0 },
    { "aws_sagemaker_domain", load_domain, 0 },
    { "aws_sagemaker_model", load_model, 0 },
    { "aws_sagemaker_endpoint_configuration", load_epconfig, 0 },
    { "aws_sagemaker_endpoint", load_endpoint, 0 },
};

/* ------------------------------------------------------------------ entry points */

static tf_form form_of(const tnode *root)
{
    if (!root || root->type != TN_OBJ)
        return TF_NONE;
    const tnode *fv = tn_get(root, "format_version");
    if (fv && fv->type == TN_STR) {
        if (tn_get(root, "planned_values") || tn_get(root, "resource_changes"))
            return TF_PLAN;
        if (tn_get(tn_get(root, "values"), "root_module") || tn_get(root, "terraform_version"))
            return TF_STATE;
    }
    const tnode *v = tn_get(root, "version"), *res = tn_get(root, "resources");
    if (v && v->type == TN_NUM && tn_get(root, "terraform_version") && res && res->type == TN_ARR)
        return TF_RAW_STATE;
    const tnode *r = tn_get(root, "resource");
    if (r && r->type == TN_OBJ && r->n) {
        for (uint32_t i = 0; i < r->n; i++)
            if (r->kids[i]->type != TN_OBJ || !strchr(r->keys[i], '_'))
                return TF_NONE;
        return TF_CONFIG;
    }
    return TF_NONE;
}

const char *const *tf_unread_keys(const jdoc *d)
{
    static const char *const plan[] = { "prior_state", "before_sensitive", "after_sensitive",
                                        "sensitive_values", "relevant_attributes", "output_changes", "checks", NULL };
    static const char *const with_changes[] = { "planned_values", "prior_state", "before_sensitive",
                                                "after_sensitive", "sensitive_values", "relevant_attributes",
                                                "output_changes", "checks", NULL };
    if (!d->n || json_type(d, 0) != J_OBJ || !json_get(d, 0, "format_version"))
        return NULL;
    uint32_t rc = json_get(d, 0, "resource_changes");
    if (!rc)
        return NULL;
    /* data sources read at plan time are only in planned_values: kept when
     * the configuration names one */
    uint32_t cfg = json_get(d, 0, "configuration");
    bool data = cfg && memmem(d->buf + d->t[cfg].off, d->t[json_next(d, cfg) - 1].off - d->t[cfg].off, "\"data.", 6);
    return json_type(d, rc) == J_ARR && d->t[rc].count && !data ? with_changes : plan;
}

bool tf_is_terraform(const tnode *root) { return form_of(root) != TF_NONE; }

mlvpc_status tf_load(mlvpc_model *m, const tnode *root, uint32_t file, uint32_t region, uint32_t account,
                     mlvpc_diag *err)
{
    static const char *const words[] = { "", "plan", "state", "state", "configuration" };
    tf t = { .form = form_of(root), .root = root };
    t.b = (mbuild){ .m = m, .file = file, .region = region, .account = account, .err = err };
    t.b.source = words[t.form];
    switch (t.form) {
    case TF_PLAN:
        t.vars = tn_get(root, "variables");
        enumerate_plan(&t);
        break;
    case TF_STATE:
        walk_values(&t, tn_get(tn_get(root, "values"), "root_module"), false, 0);
        break;
    case TF_RAW_STATE:
        enumerate_raw_state(&t);
        break;
    case TF_CONFIG:
        t.vars = tn_get(root, "variable");
        enumerate_config(&t);
        break;
    case TF_NONE:
        mb_fail(&t.b, root, MLVPC_ERR_SCHEMA, "not a Terraform plan, state or JSON configuration");
        break;
    }
    size_t nl = sizeof loaders / sizeof *loaders, last = nl;
    for (int phase = 0; phase < 2; phase++)
        for (uint32_t i = 0; i < t.insts.n && !t.b.failed; i++) {
            const tf_inst *x = INST(&t, i);
            if (x->data || (x->removed && !is_part_type(x->type)))
                continue;
            /* instances of a type come together: try the last type's loader first */
            size_t k = last < nl && strcmp(x->type, loaders[last].type) == 0 ? last : 0;
            while (k < nl && strcmp(x->type, loaders[k].type) != 0)
                k++;
            if (k < nl && loaders[k].phase == phase)
                loaders[k].fn(&t, x);
            last = k;
        }
    /* What AWS adds to every VPC (the provider's aws_default_* resources
     * adopt these objects, they do not create them). */
    uint32_t nv = t.b.made[MK_VPC].n;
    for (uint32_t k = 0; k < nv && !t.b.failed; k++) {
        uint32_t vidx = *VEC_AT(t.b.made[MK_VPC], uint32_t, k);
        const tf_inst *v = vpc_inst(&t, mb_str(&t.b, MV_AT(m, MK_VPC, mv_vpc, vidx)->r.id));
        if (v)
            mb_implied_vpc(&t.b, vidx, vpc_default(&t, v, 'r'), vpc_default(&t, v, 'n'), vpc_default(&t, v, 's'));
    }
    for (uint32_t i = 0; i < t.adopted.n && !t.b.failed; i++) {
        const tf_assoc *a = VEC_AT(t.adopted, tf_assoc, i);
        uint32_t idx = model_find(m, a->kind, a->other);
        if (idx != MV_NONE)
            tags(&t, INST(&t, a->vpce), model_res(m, a->kind, idx));
    }
    if (t.out_of_steps)
        mb_warn(&t.b, root, "some references lead through more than %d steps of module outputs and variables: the "
                "values they give are left unknown", TF_MAX_STEPS);
    mb_finish(&t.b);
    mb_release(&t.b);
    vec_release(&t.adopted);
    vec_release(&t.insts);
    vec_release(&t.slots);
    vec_release(&t.assocs);
    return t.b.failed ? (err ? err->status : MLVPC_ERR_SCHEMA) : MLVPC_OK;
}
