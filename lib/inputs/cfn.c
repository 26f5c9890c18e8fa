/* CloudFormation templates into the model (cfn.h). */
#include "cfn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

/* ------------------------------------------------------------------ values */

typedef enum cv_kind { CV_UNKNOWN = 0, CV_NULL, CV_STR, CV_NUM, CV_BOOL, CV_LIST, CV_AZS } cv_kind;

/* The value of an expression. Strings with unknown parts (a region, an
 * account) keep them as ${...} placeholders and are `partial`: good enough
 * to match a service name by its suffix, not to be an address. */
typedef struct cval {
    cv_kind k;
    bool b;
    bool partial;
    const char *s;            /* CV_STR, CV_NUM */
    const struct cval *items; /* CV_LIST */
    uint32_t n;
} cval;

enum { CFN_MAX_DEPTH = 64 };

enum { CFN_MAX_STEPS = 2000000 }; /* evaluation steps per template: bounds exponential templates */

typedef struct cfn {
    uint32_t steps;
    mlvpc_model *m;
    const tnode *root, *resources, *params, *mappings, *conditions;
    mbuild b;
    int8_t *cond; /* per condition: -2 not evaluated, -3 in progress, else mv_tri */
} cfn;

#define fail(c, ...) mb_fail(&(c)->b, __VA_ARGS__)
#define warn(c, ...) mb_warn(&(c)->b, __VA_ARGS__)
#define S(c, sym) mb_str(&(c)->b, sym)
#define sym(c, s) mb_sym(&(c)->b, s)
#define dupstr(c, s) mb_dup(&(c)->b, s)
#define add(c, k, id, at) mb_add(&(c)->b, k, id, at)
#define pending(c, kind, p) mb_push(&(c)->b, kind, p)
#define incomplete(c, id, at, what) mb_incomplete(&(c)->b, id, at, what)

static cval unknown(void) { return (cval){ .k = CV_UNKNOWN }; }
static cval str(cfn *c, const char *s, bool partial) { return (cval){ .k = CV_STR, .s = dupstr(c, s), .partial = partial }; }

/* The resource named `logical`, or NULL. */
static const tnode *resource(const cfn *c, const char *logical)
{
    return tn_get(c->resources, logical);
}

static const char *res_type(const cfn *c, const char *logical)
{
    const tnode *t = tn_get(resource(c, logical), "Type");
    return t && t->type == TN_STR ? t->str : NULL;
}

static const tnode *props(const tnode *res) { return tn_get(res, "Properties"); }

static cval ev(cfn *c, const tnode *n, int depth);
static cval split(cfn *c, const tnode *arg, int depth);
static mv_tri condition(cfn *c, const char *name, const tnode *at, int depth);

/* A text value: strings, numbers and booleans as CloudFormation converts them. */
static const char *text_of(const cval *v)
{
    return v->k == CV_STR || v->k == CV_NUM ? v->s : v->k == CV_BOOL ? (v->b ? "true" : "false") : NULL;
}

/* The name CloudFormation gives a SageMaker resource: its Name property, or
 * (generated at deploy time) the logical id. */
static const char *sm_name(cfn *c, const char *logical, int depth)
{
    static const struct { const char *type, *key; } names[] = {
        { "AWS::SageMaker::NotebookInstance", "NotebookInstanceName" }, { "AWS::SageMaker::Model", "ModelName" },
        { "AWS::SageMaker::EndpointConfig", "EndpointConfigName" }, { "AWS::SageMaker::Endpoint", "EndpointName" },
    };
    const char *type = res_type(c, logical);
    for (size_t i = 0; type && i < sizeof names / sizeof *names; i++) {
        if (strcmp(type, names[i].type) != 0)
            continue;
        const tnode *v = tn_get(props(resource(c, logical)), names[i].key);
        cval x = v ? ev(c, v, depth + 1) : (cval){ .k = CV_NULL };
        if (x.k == CV_STR && !x.partial)
            return x.s;
    }
    return logical;
}

static cval ref(cfn *c, const tnode *arg, int depth)
{
    if (!arg || arg->type != TN_STR)
        return unknown();
    const char *name = arg->str;
    static const struct { const char *name, *value; } fixed[] = {
        { "AWS::Partition", "aws" }, { "AWS::URLSuffix", "amazonaws.com" },
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (strcmp(name, fixed[i].name) == 0)
            return str(c, fixed[i].value, false);
    if (strcmp(name, "AWS::NoValue") == 0)
        return (cval){ .k = CV_NULL };
    if (strcmp(name, "AWS::Region") == 0)
        return c->b.region ? str(c, S(c, c->b.region), false) : str(c, "${AWS::Region}", true);
    if (strcmp(name, "AWS::AccountId") == 0)
        return c->b.account ? str(c, S(c, c->b.account), false) : str(c, "${AWS::AccountId}", true);
    if (strncmp(name, "AWS::", 5) == 0) {
        char ph[96];
        snprintf(ph, sizeof ph, "${%s}", name);
        return str(c, ph, true);
    }
    const tnode *p = tn_get(c->params, name);
    if (p) {
        const tnode *d = tn_get(p, "Default");
        if (!d)
            return unknown();
        cval v = ev(c, d, depth + 1);
        const tnode *t = tn_get(p, "Type");
        if (v.k == CV_STR && t && t->type == TN_STR && strncmp(t->str, "AWS::SSM::", 10) == 0)
            return unknown(); /* the default names an SSM parameter, not the value */
        if (v.k == CV_STR && t && t->type == TN_STR &&
            (strcmp(t->str, "CommaDelimitedList") == 0 || strncmp(t->str, "List<", 5) == 0)) {
            tnode sep = { .type = TN_STR, .str = "," }, val = { .type = TN_STR, .str = v.s };
            tnode *kids[2] = { &sep, &val };
            tnode arr = { .type = TN_ARR, .n = 2, .kids = kids };
            cval l = split(c, &arr, depth + 1); /* "a,b" -> [a, b] */
            for (uint32_t i = 0; l.k == CV_LIST && i < l.n; i++) { /* list items have no surrounding spaces */
                char *x = (char *)l.items[i].s;
                while (*x == ' ')
                    memmove(x, x + 1, strlen(x));
                for (size_t e = strlen(x); e && x[e - 1] == ' ';)
                    x[--e] = '\0';
            }
            return l;
        }
        return v;
    }
    const char *type = res_type(c, name);
    if (!type)
        return unknown();
    if (strncmp(type, "AWS::SageMaker::", 16) == 0)
        return str(c, sm_name(c, name, depth), false);
    return str(c, name, false); /* the resource's id: its logical id here */
}

static cval getatt(cfn *c, const tnode *arg, int depth)
{
    char lid[256];
    const char *attr = NULL;
    if (arg && arg->type == TN_STR) {
        const char *dot = strchr(arg->str, '.');
        if (!dot || (size_t)(dot - arg->str) >= sizeof lid)
            return unknown();
        memcpy(lid, arg->str, (size_t)(dot - arg->str));
        lid[dot - arg->str] = '\0';
        attr = dot + 1;
    } else if (arg && arg->type == TN_ARR && arg->n == 2 && arg->kids[0]->type == TN_STR) {
        snprintf(lid, sizeof lid, "%s", arg->kids[0]->str);
        cval a = ev(c, arg->kids[1], depth + 1);
        attr = a.k == CV_STR && !a.partial ? a.s : NULL;
    }
    const char *type = attr ? res_type(c, lid) : NULL;
    if (!type)
        return unknown();
    const tnode *p = props(resource(c, lid));
    char buf[320];
    /* Attributes that are another property's value. */
    static const char *const same[] = { "CidrBlock", "VpcId", "AvailabilityZone" };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        if (strcmp(attr, same[i]) == 0 && tn_get(p, attr))
            return ev(c, tn_get(p, attr), depth + 1);
    /* Objects AWS creates with a VPC. */
    if (strcmp(type, "AWS::EC2::VPC") == 0 &&
        (strcmp(attr, "DefaultSecurityGroup") == 0 || strcmp(attr, "DefaultNetworkAcl") == 0)) {
        snprintf(buf, sizeof buf, "%s.%s", lid, attr);
        return str(c, buf, false);
    }
    /* Attributes that are the resource's own id or name. */
    static const char *const ids[] = { "GroupId", "SubnetId", "RouteTableId", "NetworkAclId", "InternetGatewayId",
                                       "Id", "AllocationId", "ModelName", "EndpointConfigName", "EndpointName",
                                       "NotebookInstanceName", "DomainId", "VpcEndpointId", "VpcId", "NatGatewayId",
                                       "DhcpOptionsId", "PrefixListId", "NetworkInterfaceId", "VpcPeeringConnectionId",
                                       "FlowLogId", "EgressOnlyInternetGatewayId" };
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        if (strcmp(attr, ids[i]) == 0) {
            if (strcmp(attr, "AllocationId") == 0) {
                snprintf(buf, sizeof buf, "%s.AllocationId", lid);
                return str(c, buf, false);
            }
            return str(c, strncmp(type, "AWS::SageMaker::", 16) == 0 && strcmp(attr, "DomainId") != 0
                              ? sm_name(c, lid, depth) : lid, false);
        }
    snprintf(buf, sizeof buf, "${%s.%s}", lid, attr);
    return str(c, buf, true);
}

/* Fn::Sub "text ${Name} ${AWS::Region} ${Res.Attr}" with optional variables. */
static cval sub(cfn *c, const tnode *arg, int depth)
{
    const tnode *tmpl = arg, *vars = NULL;
    if (arg && arg->type == TN_ARR && arg->n == 2) {
        tmpl = arg->kids[0];
        vars = arg->kids[1];
    }
    if (!tmpl || tmpl->type != TN_STR)
        return unknown();
    char out[2048];
    size_t n = 0;
    bool partial = false;
    for (const char *p = tmpl->str; *p && n + 1 < sizeof out;) {
        if (p[0] == '$' && p[1] == '{' && p[2] != '!') {
            const char *e = strchr(p, '}');
            if (!e)
                return unknown();
            char name[256];
            size_t len = (size_t)(e - p - 2);
            if (len >= sizeof name)
                return unknown();
            memcpy(name, p + 2, len);
            name[len] = '\0';
            tnode key = { .type = TN_STR, .str = name, .line = tmpl->line, .col = tmpl->col };
            const tnode *var = tn_get(vars, name);
            cval v = var ? ev(c, var, depth + 1) : strchr(name, '.') ? getatt(c, &key, depth + 1) : ref(c, &key, depth + 1);
            const char *t = text_of(&v);
            if (!t)
                return unknown();
            partial |= v.partial;
            n += (size_t)snprintf(out + n, sizeof out - n, "%s", t);
            p = e + 1;
        } else if (p[0] == '$' && p[1] == '{' && p[2] == '!') { /* ${!Literal} */
            out[n++] = '$';
            out[n++] = '{';
            p += 3;
        } else {
            out[n++] = *p++;
        }
    }
    if (n + 1 >= sizeof out)
        return unknown(); /* longer than any value a rule reads */
    out[n] = '\0';
    return str(c, out, partial);
}

static cval join(cfn *c, const tnode *arg, int depth)
{
    if (!arg || arg->type != TN_ARR || arg->n != 2 || arg->kids[0]->type != TN_STR)
        return unknown();
    cval list = ev(c, arg->kids[1], depth + 1);
    if (list.k != CV_LIST)
        return unknown();
    char out[2048];
    size_t n = 0;
    bool partial = false;
    for (uint32_t i = 0; i < list.n && n < sizeof out; i++) {
        const char *t = text_of(&list.items[i]);
        if (!t)
            return unknown();
        partial |= list.items[i].partial;
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? arg->kids[0]->str : "", t);
    }
    if (n >= sizeof out)
        return unknown();
    return str(c, out, partial);
}

static cval select_(cfn *c, const tnode *arg, int depth)
{
    if (!arg || arg->type != TN_ARR || arg->n != 2)
        return unknown();
    cval i = ev(c, arg->kids[0], depth + 1), list = ev(c, arg->kids[1], depth + 1);
    const char *it = text_of(&i);
    char *end;
    long idx = it ? strtol(it, &end, 10) : -1;
    if (!it || *end || idx < 0)
        return unknown();
    if (list.k == CV_AZS) { /* distinct symbolic zones, enough to count AZs */
        char az[64];
        snprintf(az, sizeof az, "%s-az%ld", c->b.region ? S(c, c->b.region) : "${AWS::Region}", idx + 1);
        return str(c, az, true);
    }
    if (list.k != CV_LIST || (uint32_t)idx >= list.n)
        return unknown();
    return list.items[idx];
}

static cval find_in_map(cfn *c, const tnode *arg, int depth)
{
    if (!arg || arg->type != TN_ARR || arg->n != 3)
        return unknown();
    cval k[3];
    for (int i = 0; i < 3; i++) {
        k[i] = ev(c, arg->kids[i], depth + 1);
        if (!text_of(&k[i]) || k[i].partial)
            return unknown();
    }
    const tnode *v = tn_get(tn_get(tn_get(c->mappings, k[0].s), k[1].s), k[2].s);
    return v ? ev(c, v, depth + 1) : unknown();
}

static bool same_value(const cval *a, const cval *b)
{
    const char *x = text_of(a), *y = text_of(b);
    return x && y && !a->partial && !b->partial && strcmp(x, y) == 0;
}

static cval if_(cfn *c, const tnode *arg, int depth)
{
    if (!arg || arg->type != TN_ARR || arg->n != 3 || arg->kids[0]->type != TN_STR)
        return unknown();
    mv_tri t = condition(c, arg->kids[0]->str, arg, depth + 1);
    if (t == MV_TRUE)
        return ev(c, arg->kids[1], depth + 1);
    if (t == MV_FALSE)
        return ev(c, arg->kids[2], depth + 1);
    cval a = ev(c, arg->kids[1], depth + 1), b = ev(c, arg->kids[2], depth + 1);
    return same_value(&a, &b) ? a : unknown(); /* conditional: known only if both agree */
}

static cval split(cfn *c, const tnode *arg, int depth)
{
    if (!arg || arg->type != TN_ARR || arg->n != 2 || arg->kids[0]->type != TN_STR || !*arg->kids[0]->str)
        return unknown();
    cval s = ev(c, arg->kids[1], depth + 1);
    if (s.k != CV_STR || s.partial)
        return unknown();
    const char *sep = arg->kids[0]->str;
    uint32_t n = 1;
    for (const char *p = strstr(s.s, sep); p; p = strstr(p + strlen(sep), sep))
        n++;
    cval *items = arena_calloc(&c->m->ar, n, sizeof *items);
    if (!items)
        return unknown();
    const char *p = s.s;
    for (uint32_t i = 0; i < n; i++) {
        const char *e = strstr(p, sep);
        size_t len = e ? (size_t)(e - p) : strlen(p);
        items[i] = (cval){ .k = CV_STR, .s = arena_strndup(&c->m->ar, p, len) };
        p = e ? e + strlen(sep) : p + len;
    }
    return (cval){ .k = CV_LIST, .items = items, .n = n };
}

static cval ev(cfn *c, const tnode *n, int depth)
{
    if (!n || c->b.failed)
        return unknown();
    if (depth > CFN_MAX_DEPTH || ++c->steps > CFN_MAX_STEPS) {
        fail(c, n, MLVPC_ERR_LIMIT, "%s", depth > CFN_MAX_DEPTH ? "intrinsic functions nested too deeply"
                                                                : "the template takes too many evaluation steps");
        return unknown();
    }
    switch (n->type) {
    case TN_NULL: return (cval){ .k = CV_NULL };
    case TN_BOOL: return (cval){ .k = CV_BOOL, .b = n->truth };
    case TN_NUM: return (cval){ .k = CV_NUM, .s = n->str };
    case TN_STR: return (cval){ .k = CV_STR, .s = n->str };
    case TN_ARR: {
        cval *items = n->n ? arena_calloc(&c->m->ar, n->n, sizeof *items) : NULL;
        uint32_t k = 0;
        if (n->n && !items)
            return unknown();
        for (uint32_t i = 0; i < n->n; i++) {
            cval v = ev(c, n->kids[i], depth + 1);
            if (v.k != CV_NULL) /* AWS::NoValue drops the element */
                items[k++] = v;
        }
        return (cval){ .k = CV_LIST, .items = items, .n = k };
    }
    case TN_OBJ:
        break;
    }
    if (n->n != 1)
        return unknown();
    const char *fn = n->keys[0];
    const tnode *arg = n->kids[0];
    static const struct { const char *name; cval (*f)(cfn *, const tnode *, int); } fns[] = {
        { "Ref", ref }, { "Fn::GetAtt", getatt }, { "Fn::Sub", sub }, { "Fn::Join", join },
        { "Fn::Select", select_ }, { "Fn::FindInMap", find_in_map }, { "Fn::If", if_ }, { "Fn::Split", split },
    };
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
        if (strcmp(fn, fns[i].name) == 0)
            return fns[i].f(c, arg, depth);
    if (strcmp(fn, "Fn::GetAZs") == 0)
        return (cval){ .k = CV_AZS };
    if (strcmp(fn, "Fn::Base64") == 0)
        return ev(c, arg, depth + 1);
    if (strcmp(fn, "Condition") == 0 && arg->type == TN_STR) {
        mv_tri t = condition(c, arg->str, n, depth + 1);
        return t == MV_UNKNOWN ? unknown() : (cval){ .k = CV_BOOL, .b = t == MV_TRUE };
    }
    return unknown(); /* Fn::ImportValue, Fn::Cidr, Fn::Transform, ... */
}

/* ------------------------------------------------------------------ conditions */

static mv_tri cond_expr(cfn *c, const tnode *n, int depth)
{
    if (!n || c->b.failed)
        return MV_UNKNOWN;
    if (depth > CFN_MAX_DEPTH || ++c->steps > CFN_MAX_STEPS) {
        fail(c, n, MLVPC_ERR_LIMIT, "conditions nested too deeply, or too many evaluation steps");
        return MV_UNKNOWN;
    }
    if (n->type == TN_BOOL)
        return n->truth ? MV_TRUE : MV_FALSE;
    if (n->type != TN_OBJ || n->n != 1)
        return MV_UNKNOWN;
    const char *fn = n->keys[0];
    const tnode *a = n->kids[0];
    if (strcmp(fn, "Condition") == 0 && a->type == TN_STR)
        return condition(c, a->str, n, depth + 1);
    if (strcmp(fn, "Fn::Equals") == 0 && a->type == TN_ARR && a->n == 2) {
        cval x = ev(c, a->kids[0], depth + 1), y = ev(c, a->kids[1], depth + 1);
        const char *tx = text_of(&x), *ty = text_of(&y);
        if (!tx || !ty || x.partial || y.partial)
            return MV_UNKNOWN;
        return strcmp(tx, ty) == 0 ? MV_TRUE : MV_FALSE;
    }
    if (strcmp(fn, "Fn::Not") == 0 && a->type == TN_ARR && a->n == 1) {
        mv_tri t = cond_expr(c, a->kids[0], depth + 1);
        return t == MV_UNKNOWN ? MV_UNKNOWN : t == MV_TRUE ? MV_FALSE : MV_TRUE;
    }
    bool is_and = strcmp(fn, "Fn::And") == 0;
    if ((is_and || strcmp(fn, "Fn::Or") == 0) && a->type == TN_ARR) {
        mv_tri acc = is_and ? MV_TRUE : MV_FALSE;
        for (uint32_t i = 0; i < a->n; i++) {
            mv_tri t = cond_expr(c, a->kids[i], depth + 1);
            if (t == (is_and ? MV_FALSE : MV_TRUE))
                return t;
            if (t == MV_UNKNOWN)
                acc = MV_UNKNOWN;
        }
        return acc;
    }
    return MV_UNKNOWN;
}

static mv_tri condition(cfn *c, const char *name, const tnode *at, int depth)
{
    if (!c->conditions || c->conditions->type != TN_OBJ)
        return MV_UNKNOWN;
    for (uint32_t i = 0; i < c->conditions->n; i++) {
        if (strcmp(c->conditions->keys[i], name) != 0)
            continue;
        if (c->cond[i] == -3) {
            fail(c, at, MLVPC_ERR_SCHEMA, "condition \"%s\" depends on itself", name);
            return MV_UNKNOWN;
        }
        if (c->cond[i] == -2) {
            c->cond[i] = -3;
            c->cond[i] = (int8_t)cond_expr(c, c->conditions->kids[i], depth + 1);
        }
        return (mv_tri)c->cond[i];
    }
    fail(c, at, MLVPC_ERR_SCHEMA, "unknown condition \"%s\"", name);
    return MV_UNKNOWN;
}

/* ------------------------------------------------------------------ property readers */

/* A value that a condition picks, unknown: the property may be set or not. */
static const tnode unknown_node = { .type = TN_OBJ };

/* n with Fn::If resolved and AWS::NoValue as absent (NULL); &unknown_node
 * when an undecidable condition chooses between different things. */
static const tnode *resolve(cfn *c, const tnode *n, int depth)
{
    while (n && n->type == TN_OBJ && n->n == 1 && depth++ < CFN_MAX_DEPTH) {
        const tnode *a = n->kids[0];
        if (strcmp(n->keys[0], "Ref") == 0 && a->type == TN_STR && strcmp(a->str, "AWS::NoValue") == 0)
            return NULL;
        if (strcmp(n->keys[0], "Fn::If") != 0 || a->type != TN_ARR || a->n != 3 || a->kids[0]->type != TN_STR)
            return n;
        mv_tri t = condition(c, a->kids[0]->str, n, depth);
        if (t == MV_UNKNOWN)
            return &unknown_node;
        n = a->kids[t == MV_TRUE ? 1 : 2];
    }
    return n;
}

static const tnode *prop(cfn *c, const tnode *res, const char *key) { return resolve(c, tn_get(props(res), key), 0); }

/* A string property: NULL when absent or unknown (*unknown then says which). */
static const char *pstr(cfn *c, const tnode *res, const char *key, bool *unknown_out)
{
    const tnode *n = prop(c, res, key);
    if (unknown_out)
        *unknown_out = false;
    if (!n)
        return NULL;
    cval v = ev(c, n, 0);
    const char *t = text_of(&v);
    if (!t && v.k != CV_NULL && unknown_out)
        *unknown_out = true;
    return t ? dupstr(c, t) : NULL;
}

/* A boolean property with its default; unknown when the value cannot be known. */
static mv_tri pbool(cfn *c, const tnode *res, const char *key, mv_tri dflt)
{
    const tnode *n = prop(c, res, key);
    if (!n)
        return dflt;
    cval v = ev(c, n, 0);
    if (v.k == CV_NULL)
        return dflt;
    if (v.k == CV_BOOL)
        return v.b ? MV_TRUE : MV_FALSE;
    const char *t = text_of(&v);
    if (t && !v.partial && (strcmp(t, "true") == 0 || strcmp(t, "false") == 0))
        return strcmp(t, "true") == 0 ? MV_TRUE : MV_FALSE;
    return MV_UNKNOWN;
}

/* "Enabled"/"Disabled" properties (SageMaker) with their default. */
static mv_tri penabled(cfn *c, const tnode *res, const char *key, mv_tri dflt)
{
    bool unk;
    const char *t = pstr(c, res, key, &unk);
    if (unk)
        return MV_UNKNOWN;
    return !t ? dflt : strcmp(t, "Enabled") == 0 ? MV_TRUE : strcmp(t, "Disabled") == 0 ? MV_FALSE : MV_UNKNOWN;
}

static bool pint(cfn *c, const tnode *n, int64_t *out)
{
    if (!n)
        return false;
    cval v = ev(c, n, 0);
    const char *t = text_of(&v);
    char *end;
    if (!t || v.partial)
        return false;
    long long x = strtoll(t, &end, 10);
    if (*end)
        return false;
    *out = x;
    return true;
}

/* An id reference: the symbol of the value (a logical id, or an id given literally). */
static mv_ref pref(cfn *c, const tnode *n)
{
    cval v = n ? ev(c, n, 0) : (cval){ .k = CV_NULL };
    const char *t = text_of(&v);
    return (mv_ref){ t && !v.partial ? sym(c, t) : 0, MV_NONE };
}

/* A list of id references; *known false when the list or an element is unknown. */
static mv_ref *prefs(cfn *c, const tnode *n, uint32_t *count, mv_tri *known)
{
    *count = 0;
    if (known)
        *known = n ? MV_TRUE : MV_FALSE;
    if (!n)
        return NULL;
    cval v = ev(c, n, 0);
    if (v.k != CV_LIST) {
        if (known)
            *known = MV_UNKNOWN;
        return NULL;
    }
    mv_ref *r = v.n ? arena_calloc(&c->m->ar, v.n, sizeof *r) : NULL;
    for (uint32_t i = 0; i < v.n && r; i++) {
        const char *t = text_of(&v.items[i]);
        if (!t || v.items[i].partial) {
            if (known)
                *known = MV_UNKNOWN;
            continue;
        }
        r[(*count)++] = (mv_ref){ sym(c, t), MV_NONE };
    }
    return r;
}

static bool pprefix(cfn *c, const tnode *res, const char *key, ip_prefix *out)
{
    bool unk;
    const char *t = pstr(c, res, key, &unk);
    return t && ip_parse_prefix(t, out);
}

/* ------------------------------------------------------------------ resources */

static void tags(cfn *c, mv_res *r, const tnode *res)
{
    const tnode *t = prop(c, res, "Tags");
    if (!t || t->type != TN_ARR || !t->n)
        return;
    r->tags = arena_calloc(&c->m->ar, t->n, sizeof *r->tags);
    if (!r->tags)
        return;
    for (uint32_t i = 0; i < t->n; i++) {
        const tnode *k = tn_get(t->kids[i], "Key");
        cval v = ev(c, tn_get(t->kids[i], "Value"), 0);
        if (!k || k->type != TN_STR)
            continue;
        mv_tag *g = &r->tags[r->ntags++];
        g->key = k->str;
        g->value = text_of(&v) ? dupstr(c, text_of(&v)) : "";
        if (strcmp(g->key, "Name") == 0)
            r->name = g->value;
    }
}

typedef void (*res_loader)(cfn *c, const char *id, const tnode *res);

static void load_vpc(cfn *c, const char *id, const tnode *res)
{
    mv_vpc t = { .main_rtb = MV_NONE, .default_nacl = MV_NONE, .default_sg = MV_NONE };
    ip_prefix p;
    if (pprefix(c, res, "CidrBlock", &p) && (t.cidrs = mb_append(&c->b, NULL, 0, &p, 1, sizeof p)))
        t.ncidrs = 1;
    /* CloudFormation's defaults: DNS support on, hostnames off. */
    t.dns_support = pbool(c, res, "EnableDnsSupport", MV_TRUE);
    t.dns_hostnames = pbool(c, res, "EnableDnsHostnames", MV_FALSE);
    t.is_default = MV_FALSE;
    t.state = "available";
    mv_vpc *e = add(c, MK_VPC, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

static void load_subnet(cfn *c, const char *id, const tnode *res)
{
    mv_subnet t = { .rtb = MV_NONE, .nacl = MV_NONE };
    t.vpc = pref(c, prop(c, res, "VpcId"));
    bool unk;
    t.az = pstr(c, res, "AvailabilityZone", &unk);
    ip_prefix p[2];
    uint32_t n = 0;
    if (pprefix(c, res, "CidrBlock", &p[n]))
        n++;
    if (pprefix(c, res, "Ipv6CidrBlock", &p[n]))
        n++;
    if ((t.cidrs = mb_append(&c->b, NULL, 0, p, n, sizeof *p)))
        t.ncidrs = n;
    t.map_public_ip = pbool(c, res, "MapPublicIpOnLaunch", MV_FALSE);
    t.state = "available";
    mv_subnet *e = add(c, MK_SUBNET, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

static void load_rtb(cfn *c, const char *id, const tnode *res)
{
    mv_rtb t = { 0 };
    t.vpc = pref(c, prop(c, res, "VpcId"));
    mv_rtb *e = add(c, MK_RTB, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

/* A route target by the referenced resource's type (ids in the template
 * are logical ids), or by an AWS id's prefix. */
static mv_target gateway_target(cfn *c, const char *gw)
{
    const char *type = res_type(c, gw);
    if (type)
        return strcmp(type, "AWS::EC2::InternetGateway") == 0 ? MT_IGW
             : strcmp(type, "AWS::EC2::VPNGateway") == 0 ? MT_VGW
             : strcmp(type, "AWS::EC2::VPCEndpoint") == 0 ? MT_VPCE_GW : MT_OTHER;
    return strncmp(gw, "igw-", 4) == 0 ? MT_IGW : strncmp(gw, "vgw-", 4) == 0 ? MT_VGW : MT_OTHER;
}

static void load_route(cfn *c, const char *id, const tnode *res)
{
    static const struct { const char *key; mv_target t; } targets[] = {
        { "GatewayId", MT_NONE }, { "NatGatewayId", MT_NAT }, { "TransitGatewayId", MT_TGW },
        { "VpcPeeringConnectionId", MT_PCX }, { "EgressOnlyInternetGatewayId", MT_EIGW },
        { "NetworkInterfaceId", MT_ENI }, { "InstanceId", MT_INSTANCE }, { "VpcEndpointId", MT_GWLBE },
        { "CarrierGatewayId", MT_CARRIER }, { "LocalGatewayId", MT_LOCALGW }, { "CoreNetworkArn", MT_CORE },
    };
    mb_item p = { .target = pref(c, prop(c, res, "RouteTableId")).sym, .at = res };
    mv_route *r = &p.u.route;
    if (!pprefix(c, res, "DestinationCidrBlock", &r->dst) && !pprefix(c, res, "DestinationIpv6CidrBlock", &r->dst))
        r->dst_pl = pref(c, prop(c, res, "DestinationPrefixListId"));
    for (size_t i = 0; i < sizeof targets / sizeof *targets && !r->target; i++) {
        const tnode *v = prop(c, res, targets[i].key);
        if (!v)
            continue;
        r->tgt = pref(c, v);
        r->target = targets[i].t ? targets[i].t : r->tgt.sym ? gateway_target(c, S(c, r->tgt.sym)) : MT_OTHER;
        if (!r->tgt.sym) { /* a route to something the template does not give */
            r->target = MT_UNKNOWN;
            r->tgt = (mv_ref){ sym(c, "(unknown target)"), MV_NONE };
        }
    }
    r->state = MS_ACTIVE;
    r->origin = MO_STATIC;
    if (!p.target || (!r->dst.a.af && !r->dst_pl.sym) || !r->tgt.sym) {
        warn(c, res, "route \"%s\": its table, destination or target cannot be known from the template", id);
        return;
    }
    pending(c, MB_ROUTE, &p);
}

static void load_vpc_cidr(cfn *c, const char *id, const tnode *res)
{
    mb_item p = { .target = pref(c, prop(c, res, "VpcId")).sym, .at = res };
    if (!p.target || (!pprefix(c, res, "CidrBlock", &p.cidr) && !pprefix(c, res, "Ipv6CidrBlock", &p.cidr))) {
        warn(c, res, "\"%s\": its VPC or CIDR cannot be known from the template", id);
        return;
    }
    pending(c, MB_VPC_CIDR, &p);
}

static void load_rtb_assoc(cfn *c, const char *id, const tnode *res)
{
    (void)id;
    mb_item p = { .target = pref(c, prop(c, res, "RouteTableId")).sym, .other = pref(c, prop(c, res, "SubnetId")).sym,
               .at = res };
    if (p.target && p.other)
        pending(c, MB_RTB_ASSOC, &p);
}

static void load_igw(cfn *c, const char *id, const tnode *res)
{
    mv_igw t = { 0 };
    mv_igw *e = add(c, strcmp(res_type(c, id), "AWS::EC2::InternetGateway") == 0 ? MK_IGW : MK_EIGW, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
    if (strcmp(res_type(c, id), "AWS::EC2::EgressOnlyInternetGateway") == 0) {
        mb_item p = { .target = sym(c, id), .other = pref(c, prop(c, res, "VpcId")).sym };
        pending(c, MB_IGW_ATTACH, &p);
    }
}

static void load_gw_attach(cfn *c, const char *id, const tnode *res)
{
    (void)id;
    mb_item p = { .target = pref(c, prop(c, res, "InternetGatewayId")).sym, .other = pref(c, prop(c, res, "VpcId")).sym };
    if (p.target && p.other)
        pending(c, MB_IGW_ATTACH, &p);
}

static void load_nat(cfn *c, const char *id, const tnode *res)
{
    mv_natgw t = { 0 };
    t.subnet = pref(c, prop(c, res, "SubnetId"));
    bool unk;
    const char *ct = pstr(c, res, "ConnectivityType", &unk);
    t.conn = unk ? MN_UNKNOWN : !ct || strcmp(ct, "public") == 0 ? MN_PUBLIC : strcmp(ct, "private") == 0 ? MN_PRIVATE
                                                                                                          : MN_UNKNOWN;
    t.state = "available";
    mv_ref alloc = pref(c, prop(c, res, "AllocationId"));
    if (alloc.sym) {
        mv_nat_addr a = { .allocation_id = S(c, alloc.sym) }; /* its public address is known at deploy time */
        if ((t.addrs = mb_append(&c->b, NULL, 0, &a, 1, sizeof a)))
            t.naddrs = 1;
    }
    mv_natgw *e = add(c, MK_NATGW, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

/* One SG rule from a CloudFormation rule object (inline or standalone). */
static bool sg_rule(cfn *c, const tnode *o, bool egress, mv_sg_rule *r)
{
    memset(r, 0, sizeof *r);
    r->egress = egress;
    cval pv = ev(c, tn_get(o, "IpProtocol"), 0);
    bool ok = false;
    const char *pt = text_of(&pv);
    int proto = pt && !pv.partial ? mv_proto_parse(pt, &ok) : 0;
    if (!ok)
        return false;
    r->m.proto = (int16_t)proto;
    int64_t from = 0, to = 0;
    const tnode *fn = tn_get(o, "FromPort"), *tn = tn_get(o, "ToPort");
    bool hf = pint(c, fn, &from), ht = pint(c, tn, &to);
    if ((fn && !hf) || (tn && !ht))
        return false; /* a port the template does not give */
    if (!mv_match_ports(&r->m, hf, from, ht, to)) {
        fail(c, o, MLVPC_ERR_SCHEMA, "invalid port range %lld-%lld", (long long)from, (long long)to);
        return false;
    }
    static const char *const sg_keys[2] = { "SourceSecurityGroupId", "DestinationSecurityGroupId" };
    static const char *const pl_keys[2] = { "SourcePrefixListId", "DestinationPrefixListId" };
    cval cidr = ev(c, tn_get(o, "CidrIp"), 0), cidr6 = ev(c, tn_get(o, "CidrIpv6"), 0);
    const char *ct = text_of(&cidr) ? text_of(&cidr) : text_of(&cidr6);
    if (ct && ip_parse_prefix(ct, &r->cidr)) {
        r->peer = MP_CIDR;
    } else if (tn_get(o, sg_keys[egress])) {
        r->peer = MP_SG;
        r->ref = pref(c, tn_get(o, sg_keys[egress]));
    } else if (tn_get(o, pl_keys[egress])) {
        r->peer = MP_PL;
        r->ref = pref(c, tn_get(o, pl_keys[egress]));
    } else {
        return false;
    }
    if (r->peer != MP_CIDR && !r->ref.sym)
        return false;
    cval d = ev(c, tn_get(o, "Description"), 0);
    r->description = text_of(&d) ? dupstr(c, text_of(&d)) : NULL;
    return true;
}

static void sg_rules_inline(cfn *c, const char *id, const tnode *list, bool egress)
{
    if (list && list->type != TN_ARR) {
        incomplete(c, id, list, egress ? "the egress rules" : "the ingress rules");
        return;
    }
    for (uint32_t i = 0; list && i < list->n; i++) {
        const tnode *o = resolve(c, list->kids[i], 0);
        mb_item p = { .target = sym(c, id) };
        if (!o)
            continue; /* AWS::NoValue */
        if (o != &unknown_node && sg_rule(c, o, egress, &p.u.rule))
            pending(c, MB_SG_RULE, &p);
        else
            incomplete(c, id, list->kids[i], "a security group rule");
    }
}

static void load_sg(cfn *c, const char *id, const tnode *res)
{
    mv_sg t = { 0 };
    t.vpc = pref(c, prop(c, res, "VpcId"));
    bool unk;
    t.group_name = pstr(c, res, "GroupName", &unk);
    t.description = pstr(c, res, "GroupDescription", &unk);
    mv_sg *e = add(c, MK_SG, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
    sg_rules_inline(c, id, prop(c, res, "SecurityGroupIngress"), false);
    const tnode *eg = prop(c, res, "SecurityGroupEgress");
    if (eg == &unknown_node) {
        incomplete(c, id, res, "whether SecurityGroupEgress is given");
    } else if (eg) {
        sg_rules_inline(c, id, eg, true);
    } else {
        /* No egress stated: EC2 keeps the new group's allow-all IPv4 egress. */
        mb_allow_all_egress(&c->b, id, false);
    }
}

static void load_sg_rule_res(cfn *c, const char *id, const tnode *res)
{
    bool egress = strcmp(res_type(c, id), "AWS::EC2::SecurityGroupEgress") == 0;
    mb_item p = { .target = pref(c, prop(c, res, "GroupId")).sym, .at = res };
    if (!p.target) {
        warn(c, res, "\"%s\": its security group cannot be known from the template", id);
        return;
    }
    if (sg_rule(c, props(res), egress, &p.u.rule))
        pending(c, MB_SG_RULE, &p);
    else
        incomplete(c, S(c, p.target), res, "a security group rule");
}

static void load_nacl(cfn *c, const char *id, const tnode *res)
{
    mv_nacl t = { .is_default = MV_FALSE };
    t.vpc = pref(c, prop(c, res, "VpcId"));
    mv_nacl *e = add(c, MK_NACL, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

static void load_nacl_entry(cfn *c, const char *id, const tnode *res)
{
    mb_item p = { .target = pref(c, prop(c, res, "NetworkAclId")).sym, .at = res };
    mv_nacl_entry *x = &p.u.entry;
    int64_t num = 0, proto = 0;
    if (!p.target) {
        warn(c, res, "network ACL entry \"%s\": its ACL cannot be known from the template: left out", id);
        return;
    }
    if (!pint(c, prop(c, res, "RuleNumber"), &num) || num < 1 || num > 32766 ||
        !pint(c, prop(c, res, "Protocol"), &proto) || proto < -1 || proto > 255) {
        incomplete(c, S(c, p.target), res, "a network ACL entry (rule number or protocol)");
        return;
    }
    x->rule = (uint16_t)num;
    mv_tri eg = pbool(c, res, "Egress", MV_FALSE);
    bool unk;
    const char *act = pstr(c, res, "RuleAction", &unk);
    if (eg == MV_UNKNOWN || !act || (strcmp(act, "allow") != 0 && strcmp(act, "deny") != 0)) {
        incomplete(c, S(c, p.target), res, "a network ACL entry (direction or action)");
        return;
    }
    x->egress = eg == MV_TRUE;
    x->allow = strcmp(act, "allow") == 0;
    x->m.proto = (int16_t)proto;
    int64_t from = 0, to = 0;
    const tnode *pr = prop(c, res, "PortRange"), *ic = prop(c, res, "Icmp");
    bool hf, ht;
    const tnode *fn = proto == MV_ICMP || proto == MV_ICMPV6 ? tn_get(ic, "Type") : tn_get(pr, "From");
    const tnode *tn = proto == MV_ICMP || proto == MV_ICMPV6 ? tn_get(ic, "Code") : tn_get(pr, "To");
    hf = pint(c, fn, &from);
    ht = pint(c, tn, &to);
    if ((fn && !hf) || (tn && !ht)) {
        incomplete(c, S(c, p.target), res, "a network ACL entry's ports");
        return;
    }
    if (!mv_match_ports(&x->m, hf, from, ht, to)) {
        fail(c, res, MLVPC_ERR_SCHEMA, "invalid port range %lld-%lld", (long long)from, (long long)to);
        return;
    }
    if (!pprefix(c, res, "CidrBlock", &x->cidr) && !pprefix(c, res, "Ipv6CidrBlock", &x->cidr)) {
        incomplete(c, S(c, p.target), res, "a network ACL entry's CIDR");
        return;
    }
    pending(c, MB_NACL_ENTRY, &p);
}

static void load_nacl_assoc(cfn *c, const char *id, const tnode *res)
{
    (void)id;
    mb_item p = { .target = pref(c, prop(c, res, "NetworkAclId")).sym, .other = pref(c, prop(c, res, "SubnetId")).sym,
               .at = res };
    if (p.target && p.other)
        pending(c, MB_NACL_ASSOC, &p);
}

/* A policy object or string as JSON text (VPCE-POLICY-OPEN reads it), its
 * intrinsics evaluated; false when a part of it cannot be known. */
static bool json_text(cfn *c, const tnode *n, char *buf, size_t size, size_t *len)
{
#define PUT(...) (*len += (size_t)snprintf(buf + (*len < size ? *len : size - 1), *len < size ? size - *len : 1, __VA_ARGS__))
    n = resolve(c, n, 0);
    if (n == &unknown_node)
        return false;
    if (!n) {
        PUT("null");
        return true;
    }
    if (n->type == TN_OBJ && n->n == 1 && (strcmp(n->keys[0], "Ref") == 0 || strncmp(n->keys[0], "Fn::", 4) == 0)) {
        cval v = ev(c, n, 0);
        if (v.k == CV_LIST) {
            PUT("[");
            for (uint32_t i = 0; i < v.n; i++) {
                if (!text_of(&v.items[i]) || v.items[i].partial)
                    return false;
                PUT("%s\"%s\"", i ? ", " : "", text_of(&v.items[i]));
            }
            PUT("]");
            return true;
        }
        if (!text_of(&v) || v.partial)
            return false;
        PUT("\"%s\"", text_of(&v));
        return true;
    }
    bool ok = true;
    switch (n->type) {
    case TN_NULL: PUT("null"); break;
    case TN_BOOL: PUT("%s", n->truth ? "true" : "false"); break;
    case TN_NUM: PUT("%s", n->str); break;
    case TN_STR: PUT("\"%s\"", n->str); break;
    case TN_ARR:
        PUT("[");
        for (uint32_t i = 0; i < n->n && ok; i++) {
            if (i)
                PUT(", ");
            ok = json_text(c, n->kids[i], buf, size, len);
        }
        PUT("]");
        break;
    case TN_OBJ:
        PUT("{");
        for (uint32_t i = 0; i < n->n && ok; i++) {
            PUT("%s\"%s\": ", i ? ", " : "", n->keys[i]);
            ok = json_text(c, n->kids[i], buf, size, len);
        }
        PUT("}");
        break;
    }
    return ok;
#undef PUT
}

static void load_vpce(cfn *c, const char *id, const tnode *res)
{
    mv_vpce t = { 0 };
    t.vpc = pref(c, prop(c, res, "VpcId"));
    bool unk;
    const char *type = pstr(c, res, "VpcEndpointType", &unk);
    t.type = unk ? ME_UNKNOWN : !type || strcmp(type, "Gateway") == 0 ? ME_GATEWAY /* the default */
           : strcmp(type, "Interface") == 0 ? ME_INTERFACE : strcmp(type, "GatewayLoadBalancer") == 0 ? ME_GWLB
                                                                                                    : ME_OTHER;
    cval sn = ev(c, prop(c, res, "ServiceName"), 0);
    t.service_name = text_of(&sn) ? dupstr(c, text_of(&sn)) : NULL;
    t.service = model_service_short(t.service_name);
    t.state = "available";
    mv_tri k1, k2, k3;
    t.rtbs = prefs(c, prop(c, res, "RouteTableIds"), &t.nrtbs, &k1);
    t.subnets = prefs(c, prop(c, res, "SubnetIds"), &t.nsubnets, &k2);
    t.sgs = prefs(c, prop(c, res, "SecurityGroupIds"), &t.nsgs, &k3);
    if (k1 == MV_UNKNOWN || k2 == MV_UNKNOWN || k3 == MV_UNKNOWN)
        warn(c, res, "some route tables, subnets or security groups of endpoint \"%s\" cannot be known from the "
             "template", id);
    if (t.type == ME_INTERFACE && k3 == MV_FALSE && t.vpc.sym) {
        /* No SecurityGroupIds: EC2 uses the VPC's default group (CreateVpcEndpoint). */
        char dsg[320];
        snprintf(dsg, sizeof dsg, "%s.DefaultSecurityGroup", S(c, t.vpc.sym));
        mv_ref d = { sym(c, dsg), MV_NONE };
        if ((t.sgs = mb_append(&c->b, NULL, 0, &d, 1, sizeof d)))
            t.nsgs = 1;
    }
    /* CloudFormation creates interface endpoints without private DNS unless
     * PrivateDnsEnabled says so (the property's default is false). */
    t.private_dns = t.type == ME_INTERFACE ? pbool(c, res, "PrivateDnsEnabled", MV_FALSE) : MV_UNKNOWN;
    t.dns_inbound_only = MV_FALSE;
    const tnode *pol = prop(c, res, "PolicyDocument");
    if (pol) {
        char buf[8192];
        size_t len = 0;
        bool ok = pol->type == TN_STR ? (snprintf(buf, sizeof buf, "%s", pol->str), true)
                                      : json_text(c, pol, buf, sizeof buf, &len);
        /* Unknown or too long: text VPCE-POLICY-OPEN cannot read, so it says indeterminate. */
        t.policy = ok && len < sizeof buf ? dupstr(c, buf) : "{ unknown policy";
    }
    mv_vpce *e = add(c, MK_VPCE, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
    mb_vpce_parts(&c->b, id, NULL, res);
}

static void load_flowlog(cfn *c, const char *id, const tnode *res)
{
    mv_flowlog t = { 0 };
    t.resource = pref(c, prop(c, res, "ResourceId"));
    bool unk;
    const char *rt = pstr(c, res, "ResourceType", &unk);
    t.res_kind = !rt ? MK_NONE : strcmp(rt, "VPC") == 0 ? MK_VPC : strcmp(rt, "Subnet") == 0 ? MK_SUBNET
               : strcmp(rt, "NetworkInterface") == 0 ? MK_ENI : MK_NONE;
    t.traffic_type = pstr(c, res, "TrafficType", &unk);
    t.dest_type = pstr(c, res, "LogDestinationType", &unk);
    t.status = "ACTIVE";
    mv_flowlog *e = add(c, MK_FLOWLOG, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

static void load_dhcp(cfn *c, const char *id, const tnode *res)
{
    mv_dhcp t = { 0 };
    const tnode *dns = prop(c, res, "DomainNameServers");
    if (dns) {
        cval v = ev(c, dns, 0);
        t.has_dns_key = true;
        t.dns_servers = v.k == CV_LIST && v.n ? arena_calloc(&c->m->ar, v.n, sizeof *t.dns_servers) : NULL;
        for (uint32_t i = 0; t.dns_servers && i < v.n; i++)
            if (text_of(&v.items[i]))
                t.dns_servers[t.ndns++] = dupstr(c, text_of(&v.items[i]));
    }
    bool unk;
    t.domain_name = pstr(c, res, "DomainName", &unk);
    mv_dhcp *e = add(c, MK_DHCP, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

static void load_dhcp_assoc(cfn *c, const char *id, const tnode *res)
{
    (void)id;
    mb_item p = { .target = pref(c, prop(c, res, "VpcId")).sym, .other = pref(c, prop(c, res, "DhcpOptionsId")).sym };
    if (p.target && p.other)
        pending(c, MB_DHCP_ASSOC, &p);
}

static void load_pcx(cfn *c, const char *id, const tnode *res)
{
    mv_pcx t = { 0 };
    t.requester.vpc = pref(c, prop(c, res, "VpcId"));
    t.accepter.vpc = pref(c, prop(c, res, "PeerVpcId"));
    bool unk;
    const char *pr = pstr(c, res, "PeerRegion", &unk);
    t.requester.region = c->b.region;
    t.accepter.region = pr ? sym(c, pr) : c->b.region;
    t.status = "active";
    mv_pcx *e = add(c, MK_PCX, id, res);
    if (!e)
        return;
    t.r = e->r;
    tags(c, &t.r, res);
    *e = t;
}

/* CDK's custom resource that removes the default SG's rules. */
static void load_restrict_default_sg(cfn *c, const char *id, const tnode *res)
{
    (void)id;
    mb_item p = { .target = pref(c, prop(c, res, "DefaultSecurityGroupId")).sym };
    if (p.target)
        pending(c, MB_SG_STRIP, &p);
}

/* ------------------------------------------------------------------ SageMaker */

static void placement(cfn *c, const tnode *vc, mv_placement *pl)
{
    pl->present = vc ? MV_TRUE : MV_FALSE;
    if (!vc)
        return;
    mv_tri k1, k2;
    pl->subnets = prefs(c, resolve(c, tn_get(vc, "Subnets"), 0), &pl->nsubnets, &k1);
    pl->sgs = prefs(c, resolve(c, tn_get(vc, "SecurityGroupIds"), 0), &pl->nsgs, &k2);
    if (k1 == MV_UNKNOWN || k2 == MV_UNKNOWN || vc == &unknown_node)
        pl->present = MV_UNKNOWN; /* the placement is not fully known */
}

static char *sm_id(cfn *c, const char *prefix, const char *name)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s", prefix, name);
    return arena_strdup(&c->m->ar, buf);
}

static void finish_sm(cfn *c, mv_res *r, const tnode *res)
{
    tags(c, r, res);
    r->tags_unknown = false; /* the template says which tags it has */
}

static void load_notebook(cfn *c, const char *id, const tnode *res)
{
    mv_notebook t = { 0 };
    t.nb_name = sm_name(c, id, 0);
    const tnode *sn = prop(c, res, "SubnetId");
    t.place.present = sn ? MV_TRUE : MV_FALSE;
    if (sn) {
        mv_tri known;
        mv_ref s = pref(c, sn);
        if (s.sym && (t.place.subnets = mb_append(&c->b, NULL, 0, &s, 1, sizeof s)))
            t.place.nsubnets = 1;
        t.place.sgs = prefs(c, prop(c, res, "SecurityGroupIds"), &t.place.nsgs, &known);
        if (!t.place.nsubnets || known == MV_UNKNOWN || sn == &unknown_node)
            t.place.present = MV_UNKNOWN;
    }
    t.direct_internet = penabled(c, res, "DirectInternetAccess", MV_TRUE);
    t.root_access = penabled(c, res, "RootAccess", MV_TRUE);
    bool unk;
    t.instance_type = pstr(c, res, "InstanceType", &unk);
    const tnode *imds = prop(c, res, "InstanceMetadataServiceConfiguration");
    cval v = ev(c, tn_get(imds, "MinimumInstanceMetadataServiceVersion"), 0);
    t.imds_min = text_of(&v) ? dupstr(c, text_of(&v)) : NULL;
    t.eni.idx = MV_NONE;
    mv_notebook *e = add(c, MK_NOTEBOOK, sm_id(c, "notebook:", t.nb_name), res);
    if (!e)
        return;
    t.r = e->r;
    finish_sm(c, &t.r, res);
    *e = t;
}

static void load_domain(cfn *c, const char *id, const tnode *res)
{
    mv_domain t = { 0 };
    bool unk;
    t.domain_name = pstr(c, res, "DomainName", &unk);
    t.domain_id = id;
    const char *net = pstr(c, res, "AppNetworkAccessType", &unk);
    t.net = unk ? MA_UNKNOWN : !net || strcmp(net, "PublicInternetOnly") == 0 ? MA_PUBLIC_INTERNET_ONLY
          : strcmp(net, "VpcOnly") == 0 ? MA_VPC_ONLY : MA_UNKNOWN;
    t.vpc = pref(c, prop(c, res, "VpcId"));
    t.auth_mode = pstr(c, res, "AuthMode", &unk);
    mv_tri known;
    t.place.subnets = prefs(c, prop(c, res, "SubnetIds"), &t.place.nsubnets, &known);
    t.place.present = known == MV_UNKNOWN ? MV_UNKNOWN : t.place.nsubnets ? MV_TRUE : known;
    const tnode *sg[3] = { tn_get(prop(c, res, "DefaultUserSettings"), "SecurityGroups"),
                           tn_get(prop(c, res, "DefaultSpaceSettings"), "SecurityGroups"),
                           tn_get(prop(c, res, "DomainSettings"), "SecurityGroupIds") };
    for (int i = 0; i < 3; i++) {
        uint32_t n;
        mv_tri k;
        mv_ref *r = prefs(c, resolve(c, sg[i], 0), &n, &k);
        if (k == MV_UNKNOWN)
            t.place.present = MV_UNKNOWN;
        if (!n)
            continue;
        mv_ref *all = mb_append(&c->b, t.place.sgs, t.place.nsgs, r, n, sizeof *all);
        if (!all)
            return;
        t.place.sgs = all;
        t.place.nsgs += n;
    }
    mv_domain *e = add(c, MK_DOMAIN, sm_id(c, "domain:", id), res);
    if (!e)
        return;
    t.r = e->r;
    finish_sm(c, &t.r, res);
    *e = t;
}

static void load_model(cfn *c, const char *id, const tnode *res)
{
    mv_model_res t = { 0 };
    t.model_name = sm_name(c, id, 0);
    placement(c, prop(c, res, "VpcConfig"), &t.place);
    t.isolation = pbool(c, res, "EnableNetworkIsolation", MV_FALSE);
    mv_model_res *e = add(c, MK_MODEL, sm_id(c, "model:", t.model_name), res);
    if (!e)
        return;
    t.r = e->r;
    finish_sm(c, &t.r, res);
    *e = t;
}

static void load_epconfig(cfn *c, const char *id, const tnode *res)
{
    mv_epconfig t = { 0 };
    t.config_name = sm_name(c, id, 0);
    const tnode *pv = prop(c, res, "ProductionVariants");
    if (pv && pv->type == TN_ARR && pv->n) {
        t.variants = arena_calloc(&c->m->ar, pv->n, sizeof *t.variants);
        for (uint32_t i = 0; t.variants && i < pv->n; i++) {
            const tnode *v = pv->kids[i];
            mv_variant *x = &t.variants[t.nvariants++];
            cval name = ev(c, tn_get(v, "VariantName"), 0), model = ev(c, tn_get(v, "ModelName"), 0);
            x->variant_name = text_of(&name) ? dupstr(c, text_of(&name)) : "?";
            x->model = (mv_ref){ text_of(&model) && !model.partial ? sym(c, sm_id(c, "model:", text_of(&model))) : 0,
                                 MV_NONE };
            x->serverless = tn_get(v, "ServerlessConfig") != NULL;
            int64_t n = -1;
            x->instance_count = !x->serverless && pint(c, tn_get(v, "InitialInstanceCount"), &n) && n >= 0 &&
                                n <= INT32_MAX ? (int32_t)n : -1;
        }
    }
    mv_epconfig *e = add(c, MK_EPCONFIG, sm_id(c, "endpoint-config:", t.config_name), res);
    if (!e)
        return;
    t.r = e->r;
    finish_sm(c, &t.r, res);
    *e = t;
}

static void load_endpoint(cfn *c, const char *id, const tnode *res)
{
    mv_endpoint t = { 0 };
    t.ep_name = sm_name(c, id, 0);
    cval cfg = ev(c, prop(c, res, "EndpointConfigName"), 0);
    t.config = (mv_ref){ text_of(&cfg) && !cfg.partial ? sym(c, sm_id(c, "endpoint-config:", text_of(&cfg))) : 0,
                         MV_NONE };
    t.status = "InService";
    mv_endpoint *e = add(c, MK_ENDPOINT, sm_id(c, "endpoint:", t.ep_name), res);
    if (!e)
        return;
    t.r = e->r;
    finish_sm(c, &t.r, res);
    *e = t;
}

static const struct {
    const char *type;
    res_loader fn;
} loaders[] = {
    { "AWS::EC2::VPC", load_vpc },
    { "AWS::EC2::VPCCidrBlock", load_vpc_cidr },
    { "AWS::EC2::Subnet", load_subnet },
    { "AWS::EC2::RouteTable", load_rtb },
    { "AWS::EC2::Route", load_route },
    { "AWS::EC2::SubnetRouteTableAssociation", load_rtb_assoc },
    { "AWS::EC2::InternetGateway", load_igw },
    { "AWS::EC2::EgressOnlyInternetGateway", load_igw },
    { "AWS::EC2::VPCGatewayAttachment", load_gw_attach },
    { "AWS::EC2::NatGateway", load_nat },
    { "AWS::EC2::SecurityGroup", load_sg },
    { "AWS::EC2::SecurityGroupIngress", load_sg_rule_res },
    { "AWS::EC2::SecurityGroupEgress", load_sg_rule_res },
    { "AWS::EC2::NetworkAcl", load_nacl },
    { "AWS::EC2::NetworkAclEntry", load_nacl_entry },
    { "AWS::EC2::SubnetNetworkAclAssociation", load_nacl_assoc },
    { "AWS::EC2::VPCEndpoint", load_vpce },
    { "AWS::EC2::FlowLog", load_flowlog },
    { "AWS::EC2::DHCPOptions", load_dhcp },
    { "AWS::EC2::VPCDHCPOptionsAssociation", load_dhcp_assoc },
    { "AWS::EC2::VPCPeeringConnection", load_pcx },
    { "Custom::VpcRestrictDefaultSG", load_restrict_default_sg },
    { "AWS::SageMaker::NotebookInstance", load_notebook },
    { "AWS::SageMaker::Domain", load_domain },
    { "AWS::SageMaker::Model", load_model },
    { "AWS::SageMaker::EndpointConfig", load_epconfig },
    { "AWS::SageMaker::Endpoint", load_endpoint },
};

/* ------------------------------------------------------------------ entry points */

bool cfn_is_template(const tnode *root)
{
    const tnode *res = tn_get(root, "Resources");
    if (!res || res->type != TN_OBJ || !res->n)
        return false;
    for (uint32_t i = 0; i < res->n; i++) {
        const tnode *t = tn_get(res->kids[i], "Type");
        if (!t || t->type != TN_STR)
            return false;
    }
    return true;
}

mlvpc_status cfn_load(mlvpc_model *m, const tnode *root, uint32_t file, uint32_t region, uint32_t account,
                      mlvpc_diag *err)
{
    cfn c = { .m = m, .root = root,
              .b = { .m = m, .file = file, .region = region, .account = account, .source = "template", .err = err } };
    c.resources = tn_get(root, "Resources");
    c.params = tn_get(root, "Parameters");
    c.mappings = tn_get(root, "Mappings");
    c.conditions = tn_get(root, "Conditions");
    uint32_t ncond = c.conditions && c.conditions->type == TN_OBJ ? c.conditions->n : 0;
    c.cond = malloc(ncond + 1);
    if (!c.cond) {
        fail(&c, root, MLVPC_ERR_NOMEM, "out of memory");
        return MLVPC_ERR_NOMEM;
    }
    memset(c.cond, -2, ncond + 1);
    for (uint32_t i = 0; i < c.resources->n && !c.b.failed; i++) {
        const char *id = c.resources->keys[i];
        const tnode *res = c.resources->kids[i];
        const char *type = tn_get(res, "Type")->str;
        const tnode *cn = tn_get(res, "Condition");
        if (cn && cn->type == TN_STR) {
            mv_tri t = condition(&c, cn->str, cn, 0);
            if (t == MV_FALSE)
                continue; /* not created */
            if (t == MV_UNKNOWN)
                warn(&c, cn, "\"%s\" exists only if condition \"%s\", which cannot be decided: audited as present", id,
                     cn->str);
        }
        for (size_t k = 0; k < sizeof loaders / sizeof *loaders; k++)
            if (strcmp(type, loaders[k].type) == 0) {
                loaders[k].fn(&c, id, res);
                break;
            }
    }
    /* What AWS adds to every VPC the template creates. */
    uint32_t nv = c.b.made[MK_VPC].n;
    for (uint32_t k = 0; k < nv && !c.b.failed; k++) {
        uint32_t vidx = *VEC_AT(c.b.made[MK_VPC], uint32_t, k);
        const char *vid = S(&c, MV_AT(m, MK_VPC, mv_vpc, vidx)->r.id);
        char rtb[320], nacl[320], sg[320];
        snprintf(rtb, sizeof rtb, "%s.MainRouteTable", vid);
        snprintf(nacl, sizeof nacl, "%s.DefaultNetworkAcl", vid);
        snprintf(sg, sizeof sg, "%s.DefaultSecurityGroup", vid);
        mb_implied_vpc(&c.b, vidx, rtb, nacl, sg);
    }
    mb_finish(&c.b);
    mb_release(&c.b);
    free(c.cond);
    return c.b.failed ? (err ? err->status : MLVPC_ERR_SCHEMA) : MLVPC_OK;
}
