/* Model storage: tables, symbols, diagnostics. Resolution is in resolve.c. */
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    size_t size;
} kinds[MK_COUNT] = {
    [MK_NONE] = { "none", 0 },
    [MK_VPC] = { "vpc", sizeof(mv_vpc) },
    [MK_SUBNET] = { "subnet", sizeof(mv_subnet) },
    [MK_RTB] = { "route-table", sizeof(mv_rtb) },
    [MK_SG] = { "security-group", sizeof(mv_sg) },
    [MK_NACL] = { "network-acl", sizeof(mv_nacl) },
    [MK_IGW] = { "internet-gateway", sizeof(mv_igw) },
    [MK_EIGW] = { "egress-only-internet-gateway", sizeof(mv_igw) },
    [MK_NATGW] = { "nat-gateway", sizeof(mv_natgw) },
    [MK_VPCE] = { "vpc-endpoint", sizeof(mv_vpce) },
    [MK_PL] = { "prefix-list", sizeof(mv_pl) },
    [MK_ENI] = { "network-interface", sizeof(mv_eni) },
    [MK_INSTANCE] = { "instance", sizeof(mv_instance) },
    [MK_PCX] = { "vpc-peering-connection", sizeof(mv_pcx) },
    [MK_FLOWLOG] = { "flow-log", sizeof(mv_flowlog) },
    [MK_DHCP] = { "dhcp-options", sizeof(mv_dhcp) },
    [MK_EIP] = { "elastic-ip", sizeof(mv_eip) },
    [MK_NOTEBOOK] = { "notebook-instance", sizeof(mv_notebook) },
    [MK_DOMAIN] = { "studio-domain", sizeof(mv_domain) },
    [MK_JOB] = { "job", sizeof(mv_job) },
    [MK_MODEL] = { "model", sizeof(mv_model_res) },
    [MK_EPCONFIG] = { "endpoint-config", sizeof(mv_epconfig) },
    [MK_ENDPOINT] = { "endpoint", sizeof(mv_endpoint) },
};

const char *mv_kind_name(mv_kind k) { return k < MK_COUNT ? kinds[k].name : "?"; }
size_t model_kind_size(mv_kind k) { return k < MK_COUNT ? kinds[k].size : 0; }

static const char *const target_names[MT_COUNT] = {
    [MT_NONE] = "none", [MT_LOCAL] = "local", [MT_IGW] = "internet-gateway",
    [MT_NAT] = "nat-gateway", [MT_VPCE_GW] = "gateway-endpoint", [MT_PCX] = "peering-connection",
    [MT_TGW] = "transit-gateway", [MT_ENI] = "network-interface", [MT_INSTANCE] = "instance",
    [MT_EIGW] = "egress-only-internet-gateway", [MT_VGW] = "vpn-gateway",
    [MT_GWLBE] = "gateway-load-balancer-endpoint", [MT_CARRIER] = "carrier-gateway",
    [MT_LOCALGW] = "local-gateway", [MT_CORE] = "core-network", [MT_OTHER] = "other",
    [MT_UNKNOWN] = "unknown",
};
const char *mv_target_name(mv_target t) { return t < MT_COUNT ? target_names[t] : "?"; }

static const char *const owner_names[MW_COUNT] = {
    [MW_UNKNOWN] = "unknown", [MW_INSTANCE] = "instance", [MW_NATGW] = "nat-gateway",
    [MW_VPCE] = "vpc-endpoint", [MW_SAGEMAKER] = "sagemaker", [MW_LAMBDA] = "lambda",
    [MW_ELB] = "load-balancer", [MW_EFS] = "efs-mount-target", [MW_OTHER] = "other",
};
const char *mv_owner_name(mv_owner o) { return o < MW_COUNT ? owner_names[o] : "?"; }

static const char *const job_kind_names[MJ_COUNT] = {
    [MJ_TRAINING] = "training-job", [MJ_PROCESSING] = "processing-job",
    [MJ_TUNING] = "tuning-job", [MJ_AUTOML] = "automl-job", [MJ_MONITORING] = "monitoring-schedule",
    [MJ_MONITORING_DEF] = "monitoring-job-definition",
};
const char *mv_proto_name(int proto)
{
    static const struct { int num; const char *name; } names[] = {
        { MV_PROTO_ALL, "all" }, { MV_TCP, "tcp" }, { MV_UDP, "udp" }, { MV_ICMP, "icmp" }, { MV_ICMPV6, "icmpv6" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].num == proto)
            return names[i].name;
    return NULL;
}

const char *mv_job_kind_name(mv_job_kind k) { return k < MJ_COUNT ? job_kind_names[k] : "?"; }

mlvpc_model *mlvpc_model_new(void)
{
    mlvpc_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    arena_init(&m->ar);
    if (intern_init(&m->syms, &m->ar) != 0) {
        free(m);
        return NULL;
    }
    return m;
}

void mlvpc_model_free(mlvpc_model *m)
{
    if (!m)
        return;
    for (int k = 0; k < MK_COUNT; k++)
        vec_release(&m->tab[k]);
    vec_release(&m->files);
    vec_release(&m->diags);
    vec_release(&m->skipped);
    vec_release(&m->vpc_attrs);
    vec_release(&m->sm_tags);
    intern_release(&m->syms);
    arena_release(&m->ar);
    free(m);
}

uint32_t model_sym(mlvpc_model *m, const char *s, size_t len) { return intern_get(&m->syms, s, len); }

uint32_t model_add(mlvpc_model *m, mv_kind k, uint32_t id, uint32_t *dup)
{
    intern_sym *s = &m->syms.syms[id];
    if (s->kind) {
        *dup = s->kind == (uint32_t)k ? s->idx : MV_NONE;
        if (s->kind == (uint32_t)k)
            return MV_NONE;
    }
    uint32_t idx;
    if (vec_push(&m->tab[k], kinds[k].size, &idx) != 0) {
        *dup = MV_NONE;
        return MV_NONE;
    }
    /* An id defined by two kinds keeps its first definition for lookups;
     * ids carry their kind in their prefix, so this only happens on bad input. */
    if (!s->kind) {
        s->kind = (uint32_t)k;
        s->idx = idx;
    }
    mv_res *r = model_res(m, k, idx);
    r->id = id;
    return idx;
}

mv_res *model_res(const mlvpc_model *m, mv_kind k, uint32_t i)
{
    return (mv_res *)((char *)m->tab[k].data + (size_t)i * kinds[k].size);
}

uint32_t model_find(const mlvpc_model *m, mv_kind k, uint32_t symid)
{
    if (!symid || symid >= m->syms.n)
        return MV_NONE;
    const intern_sym *s = &m->syms.syms[symid];
    return s->kind == (uint32_t)k ? s->idx : MV_NONE;
}

const char *model_file(const mlvpc_model *m, uint32_t file)
{
    return file < m->files.n ? VEC_AT(m->files, mv_file, file)->path : "";
}

void model_warn(mlvpc_model *m, const mlvpc_diag *d)
{
    uint32_t idx;
    if (m->diags.n >= MODEL_MAX_DIAGS || vec_push(&m->diags, sizeof *d, &idx) != 0) {
        m->diags_dropped++;
        return;
    }
    *VEC_AT(m->diags, mlvpc_diag, idx) = *d;
}

void model_warnf(mlvpc_model *m, mlvpc_severity sev, uint32_t file, unsigned line, unsigned col,
                 const char *fmt, ...)
{
    mlvpc_diag d = { .status = MLVPC_OK, .severity = sev, .line = line, .column = col };
    snprintf(d.file, sizeof d.file, "%s", model_file(m, file));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d.text, sizeof d.text, fmt, ap);
    va_end(ap);
    model_warn(m, &d);
}

size_t mlvpc_model_diag_count(const mlvpc_model *m) { return m ? m->diags.n : 0; }
const mlvpc_diag *mlvpc_model_diag(const mlvpc_model *m, size_t i)
{
    return m && i < m->diags.n ? VEC_AT(m->diags, mlvpc_diag, i) : NULL;
}
size_t mlvpc_model_skipped_count(const mlvpc_model *m) { return m ? m->skipped.n : 0; }
const char *mlvpc_model_skipped(const mlvpc_model *m, size_t i)
{
    return m && i < m->skipped.n ? *VEC_AT(m->skipped, const char *, i) : NULL;
}

size_t mlvpc_model_resource_count(const mlvpc_model *m)
{
    size_t n = 0;
    for (int k = 1; m && k < MK_COUNT; k++)
        n += m->tab[k].n;
    return n;
}

mlvpc_status mlvpc_model_finish(mlvpc_model *m, mlvpc_diag *err)
{
    if (!m || m->finished) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = MLVPC_ERR_USAGE;
            snprintf(err->text, sizeof err->text, "model is %s", m ? "already finished" : "null");
        }
        return MLVPC_ERR_USAGE;
    }
    mlvpc_status st = model_finish(m);
    if (st != MLVPC_OK && err) {
        memset(err, 0, sizeof *err);
        err->status = st;
        snprintf(err->text, sizeof err->text, "%s while resolving the model", mlvpc_status_str(st));
    }
    return st;
}

const char *mlvpc_status_str(mlvpc_status st)
{
    static const char *const s[] = {
        [MLVPC_OK] = "ok", [MLVPC_ERR_IO] = "input/output error",
        [MLVPC_ERR_SYNTAX] = "syntax error", [MLVPC_ERR_SCHEMA] = "unexpected input",
        [MLVPC_ERR_LIMIT] = "limit exceeded", [MLVPC_ERR_NOMEM] = "out of memory",
        [MLVPC_ERR_USAGE] = "invalid use", [MLVPC_ERR_NOT_FOUND] = "not found",
    };
    return (unsigned)st < sizeof s / sizeof *s && s[st] ? s[st] : "unknown status";
}

char *mlvpc_diag_format(const mlvpc_diag *d, char *buf, size_t size)
{
    size_t n = 0;
    if (!size)
        return buf;
    buf[0] = '\0';
#define APPEND(...)                                                           \
    do {                                                                      \
        if (n < size) {                                                       \
            int w = snprintf(buf + n, size - n, __VA_ARGS__);                 \
            n += w > 0 ? (size_t)w : 0;                                       \
        }                                                                     \
    } while (0)
    if (d->file[0]) {
        APPEND("%s:", d->file);
        if (d->line)
            APPEND("%u:%u:", d->line, d->column);
        APPEND(" ");
    }
    if (d->path[0])
        APPEND("%s: ", d->path);
    APPEND("%s", d->text);
#undef APPEND
    return buf;
}

uint32_t model_job_definition(const mlvpc_model *m, const mv_job *j)
{
    if (j->kind != MJ_MONITORING || !j->definition)
        return MV_NONE;
    for (uint32_t k = 0; k < MV_N(m, MK_JOB); k++) {
        const mv_job *d = MV_AT(m, MK_JOB, mv_job, k);
        if (d->kind == MJ_MONITORING_DEF && d->job_name && strcmp(d->job_name, j->definition) == 0)
            return k;
    }
    return MV_NONE;
}

int mv_proto_parse(const char *s, bool *ok)
{
    static const struct { const char *name; int num; } names[] = {
        { "-1", MV_PROTO_ALL }, { "all", MV_PROTO_ALL }, { "tcp", MV_TCP }, { "udp", MV_UDP },
        { "icmp", MV_ICMP }, { "icmpv6", MV_ICMPV6 },
    };
    *ok = true;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].num;
    char *end;
    long v = strtol(s, &end, 10);
    if (*s && !*end && v >= 0 && v <= 255)
        return (int)v;
    *ok = false;
    return 0;
}

bool mv_match_ports(mv_match *m, bool have_from, int64_t from, bool have_to, int64_t to)
{
    m->port_lo = 0;
    m->port_hi = 65535;
    m->icmp_type = m->icmp_code = -1;
    if (m->proto == MV_TCP || m->proto == MV_UDP) {
        if (!have_from && !have_to)
            return true; /* absent range: AWS treats it as all ports */
        if (!have_from || !have_to || ((from < 0 || to < 0) && !(from == -1 && to == -1)) || from > 65535 ||
            to > 65535 || from > to)
            return false;
        if (from >= 0) {
            m->port_lo = (uint16_t)from;
            m->port_hi = (uint16_t)to;
        }
    } else if (m->proto == MV_ICMP || m->proto == MV_ICMPV6) {
        if (have_from && from >= 0 && from <= 255)
            m->icmp_type = (int16_t)from;
        if (have_to && to >= 0 && to <= 255 && m->icmp_type >= 0)
            m->icmp_code = (int16_t)to;
    }
    return true;
}
