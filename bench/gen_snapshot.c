/*
 * gen_snapshot — write a synthetic but realistic AWS CLI snapshot for the
 * load benchmark (bench/run.sh, bench/load_bench.c).
 *
 *   gen_snapshot [--ipv6] [--seed S] N OUTDIR
 *
 * writes OUTDIR/aws_configs/us-east-1/{Vpcs,Subnets,RouteTables,
 * SecurityGroups,NetworkAcls,NetworkInterfaces,InternetGateways,NatGateways,
 * VpcEndpoints,Reservations,DhcpOptions,PrefixLists}.json and sagemaker.json
 * with about N resources in total (every VPC, subnet, route table, security
 * group, NACL, ENI, gateway, endpoint, instance, SageMaker resource, DHCP
 * option set and prefix list counts as one).
 *
 * The JSON is what `aws ec2 describe-* --output json` (AWS CLI v2) prints:
 * 4-space indent, the API's field names and nesting, ISO timestamps.
 * DhcpOptions.json and PrefixLists.json exist so that every reference
 * (Vpc.DhcpOptionsId, prefix-list routes and SG peers) resolves: all ids are
 * generated here, and every cross reference points at a generated resource
 * (except blackhole routes, whose target is gone by definition).
 *
 * Shape of the account (per VPC, averages): 6 subnets over 3 AZs (3 public,
 * 3 private), 1 internet gateway, 1 or 3 NAT gateways, a main route table
 * and one per subnet, the default NACL plus public/private NACLs of ~10
 * entries, 12% security groups with 3-15 permissions, an S3 gateway endpoint
 * and interface endpoints, ~50% ENIs (instances, NAT, endpoints, Lambda, ELB,
 * EFS, RDS, SageMaker), ~22% instances, ~4% SageMaker notebooks, training
 * jobs and models. A default VPC (172.31.0.0/16) comes first when N >= 300.
 *
 * --ipv6 makes a quarter of the VPCs dual-stack (IPv6 /56, subnet /64s, ::/0
 * routes and NACL entries, including the built-in IPv6 deny rules that AWS
 * numbers 32768).
 *
 * Deterministic: a fixed-seed xorshift PRNG, no clock, no addresses; the same
 * arguments give byte-identical files.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ACCOUNT "123456789012"
#define REGION "us-east-1"
#define PL_S3 "pl-63a5400a"
#define PL_DDB "pl-02cd2c6b"

/* ------------------------------------------------------------------ PRNG */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) /* xorshift64* */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

static uint32_t below(uint32_t n) { return n ? (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32) : 0; }
static uint32_t between(uint32_t lo, uint32_t hi) { return lo + below(hi - lo + 1); }
static bool pct(uint32_t p) { return below(100) < p; }

/* ------------------------------------------------------------------ ids */

/* splitmix64 finaliser: a bijection, so distinct inputs give distinct ids. */
static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

enum {
    I_VPC = 1, I_SUBNET, I_RTB, I_RTBASSOC, I_SG, I_ACL, I_ACLASSOC, I_ENI, I_ENIATTACH, I_IGW, I_NAT,
    I_EIPALLOC, I_EIPASSOC, I_VPCE, I_INSTANCE, I_RES, I_VOL, I_CIDRASSOC, I_DOPT, I_PCX, I_TGW, I_AMI,
    I_ELA, I_FS, I_FSMT, I_KMS, I_ELB, I_MISC
};

static uint64_t seed_salt;

/* Small rotating buffers (256 bytes): values stay valid for the next 31 calls. */
static char *tmpbuf(void)
{
    static char bufs[32][256];
    static unsigned next;
    return bufs[next++ % 32];
}

/* "prefix-0" + 16 hex digits, like current EC2 ids (17 hex digits). */
static const char *ID(const char *prefix, int kind, uint64_t n)
{
    char *b = tmpbuf();
    snprintf(b, 256, "%s-0%016" PRIx64, prefix, mix(((uint64_t)kind << 48 | n) ^ seed_salt));
    return b;
}

/* Old-style 8-hex-digit id (dopt-, fs-, ...). */
static const char *ID8(const char *prefix, int kind, uint64_t n)
{
    char *b = tmpbuf();
    snprintf(b, 256, "%s-%08" PRIx32, prefix, (uint32_t)mix(((uint64_t)kind << 48 | n) ^ seed_salt));
    return b;
}

static const char *hexstr(int kind, uint64_t n, int digits)
{
    char *b = tmpbuf();
    uint64_t a = mix(((uint64_t)kind << 48 | n) ^ seed_salt), c = mix(a);
    snprintf(b, 256, "%016" PRIx64 "%016" PRIx64, a, c);
    b[digits] = '\0';
    return b;
}

static const char *IP4(uint32_t a)
{
    char *b = tmpbuf();
    snprintf(b, 256, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return b;
}

static const char *CIDR4(uint32_t a, unsigned len)
{
    char *b = tmpbuf();
    snprintf(b, 256, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, len);
    return b;
}

static const char *dnsname(uint32_t a)
{
    char *b = tmpbuf();
    snprintf(b, 256, "ip-%u-%u-%u-%u.ec2.internal", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return b;
}

static const char *pubdns(uint32_t a)
{
    char *b = tmpbuf();
    snprintf(b, 256, "ec2-%u-%u-%u-%u.compute-1.amazonaws.com", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
             a & 255);
    return b;
}

/* 54.160.0.0/11, one distinct address per k (7919 is odd: a bijection mod 2^21). */
static uint32_t public_ip(uint32_t k) { return 0x36A00000u + ((k * 7919u) & 0x1FFFFFu); }

static const char *mac(uint32_t eni)
{
    static const char *const first[] = { "02", "06", "0a", "0e", "12", "16" };
    uint64_t r = mix((uint64_t)I_MISC << 48 | eni);
    char *b = tmpbuf();
    snprintf(b, 256, "%s:%02x:%02x:%02x:%02x:%02x", first[r % 6], (unsigned)(r >> 8) & 255,
             (unsigned)(r >> 16) & 255, (unsigned)(r >> 24) & 255, (unsigned)(r >> 32) & 255,
             (unsigned)(r >> 40) & 255);
    return b;
}

/* ------------------------------------------------------------------ time */

#define T_BASE 1672531200 /* 2023-01-01T00:00:00Z */

static const char *ts(int64_t t) /* AWS CLI v2: 2024-05-01T12:00:00+00:00 */
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char *b = tmpbuf();
    strftime(b, 256, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return b;
}

static const char *ts_ms(int64_t t, unsigned ms) /* SageMaker: ...12:00:00.456000+00:00 */
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char d[40];
    strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
    char *b = tmpbuf();
    snprintf(b, 256, "%s.%03u000+00:00", d, ms % 1000);
    return b;
}

static const char *ts_name(int64_t t) /* 2024-05-01-12-00-00 */
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char *b = tmpbuf();
    strftime(b, 256, "%Y-%m-%d-%H-%M-%S", &tm);
    return b;
}

static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
    char *b = tmpbuf();
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, 256, f, ap);
    va_end(ap);
    return b;
}

/* ------------------------------------------------------------------ JSON writer */

/* Python json.dumps(indent=4) as the AWS CLI uses it: "key": value, items
 * one per line, empty containers as [] and {}. */
typedef struct jw {
    FILE *f;
    int depth;
    uint32_t nchild[32];
    char path[4096];
} jw;

static unsigned long long total_bytes;
static unsigned nfiles;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "gen_snapshot: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void jw_open(jw *w, const char *dir, const char *name)
{
    memset(w, 0, sizeof *w);
    snprintf(w->path, sizeof w->path, "%s/%s", dir, name);
    w->f = fopen(w->path, "w");
    if (!w->f)
        die("cannot create", w->path);
    setvbuf(w->f, NULL, _IOFBF, 1 << 20);
}

static void jw_close(jw *w)
{
    putc('\n', w->f);
    long pos = ftell(w->f);
    if (ferror(w->f) || fclose(w->f) != 0)
        die("cannot write", w->path);
    total_bytes += pos > 0 ? (unsigned long long)pos : 0;
    nfiles++;
}

static void indent(jw *w, int d)
{
    static const char sp[] = "                                                                ";
    size_t n = (size_t)d * 4;
    while (n) {
        size_t k = n < 64 ? n : 64;
        fwrite(sp, 1, k, w->f);
        n -= k;
    }
}

static void put_str(jw *w, const char *s)
{
    putc('"', w->f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            putc('\\', w->f);
            putc(c, w->f);
        } else if (c == '\n') {
            fputs("\\n", w->f);
        } else if (c < 0x20) {
            fprintf(w->f, "\\u%04x", c);
        } else {
            putc(c, w->f);
        }
    }
    putc('"', w->f);
}

static void pre(jw *w, const char *key)
{
    if (w->depth) {
        if (w->nchild[w->depth]++)
            putc(',', w->f);
        putc('\n', w->f);
        indent(w, w->depth);
    }
    if (key) {
        put_str(w, key);
        fputs(": ", w->f);
    }
}

static void open_c(jw *w, const char *key, char c)
{
    pre(w, key);
    putc(c, w->f);
    w->nchild[++w->depth] = 0;
}

static void close_c(jw *w, char c)
{
    if (w->nchild[w->depth]) {
        putc('\n', w->f);
        indent(w, w->depth - 1);
    }
    putc(c, w->f);
    w->depth--;
}

static void OBJ(jw *w, const char *key) { open_c(w, key, '{'); }
static void ARR(jw *w, const char *key) { open_c(w, key, '['); }
static void END_OBJ(jw *w) { close_c(w, '}'); }
static void END_ARR(jw *w) { close_c(w, ']'); }
static void EMPTY_ARR(jw *w, const char *key) { ARR(w, key); END_ARR(w); }

static void S(jw *w, const char *key, const char *val)
{
    pre(w, key);
    put_str(w, val);
}

static void N(jw *w, const char *key, long long v)
{
    pre(w, key);
    fprintf(w->f, "%lld", v);
}

static void B(jw *w, const char *key, bool v)
{
    pre(w, key);
    fputs(v ? "true" : "false", w->f);
}

/* {"Key": k, "Value": v} */
static void TAG(jw *w, const char *k, const char *v)
{
    OBJ(w, NULL);
    S(w, "Key", k);
    S(w, "Value", v);
    END_OBJ(w);
}

/* ------------------------------------------------------------------ model of the account */

#define GROW(arr, n, cap)                                                            \
    do {                                                                             \
        if ((n) == (cap)) {                                                          \
            size_t nc_ = (cap) ? (cap) * 2 : 64;                                     \
            void *p_ = realloc((arr), nc_ * sizeof *(arr));                          \
            if (!p_) {                                                               \
                fprintf(stderr, "gen_snapshot: out of memory\n");                    \
                exit(1);                                                             \
            }                                                                        \
            (arr) = p_;                                                              \
            (cap) = nc_;                                                             \
        }                                                                            \
    } while (0)

#define NONE UINT32_MAX

static const char *const AZ[6] = { "us-east-1a", "us-east-1b", "us-east-1c",
                                   "us-east-1d", "us-east-1e", "us-east-1f" };
static const char *const AZID[6] = { "use1-az6", "use1-az1", "use1-az2", "use1-az4", "use1-az3", "use1-az5" };
static const char *const ENVS[] = { "prod", "staging", "dev", "shared", "data", "ml", "sandbox", "qa" };
static const char *const TEAMS[] = { "platform", "payments", "search", "ml-research", "data-eng", "identity",
                                     "growth", "infra", "analytics", "mobile" };

enum { L_STANDARD, L_DEFAULT };

typedef struct vpc_t {
    uint32_t net;    /* first address of the /16 */
    uint8_t layout;
    bool ipv6, secondary, s3ep, ddbep;
    uint16_t v6;     /* the 16 bits after 2600:1f18: of the VPC's IPv6 /56 */
    uint8_t env, team, nnat, az0;
    uint32_t sub0, nsub, rtb0, nrtb, acl0, nacl, sg0, nsg, nat0, vpce0, nvpce;
    int64_t created;
    char name[40];
} vpc_t;

typedef struct subnet_t {
    uint32_t vpc, net, next, used;
    uint8_t len, az, idx;
    bool pub;
    uint32_t rtb, acl;
} subnet_t;

enum { RT_MAIN, RT_PUBLIC, RT_PRIVATE };
typedef struct rtb_t { uint32_t vpc, subnet; uint8_t kind; } rtb_t;

enum { ACL_DEFAULT, ACL_PUBLIC, ACL_PRIVATE };
typedef struct acl_t { uint32_t vpc; uint8_t kind; } acl_t;

/* Security group roles; index 0 is the VPC's "default" group. */
static const char *const ROLES[] = { "default", "web", "app", "db", "alb", "bastion", "lambda", "efs", "vpce",
                                     "sagemaker", "eks-node", "cache", "monitoring", "batch", "kafka", "jenkins",
                                     "api", "worker", "grafana", "vpn" };
enum { R_DEFAULT, R_WEB, R_APP, R_DB, R_ALB, R_BASTION, R_LAMBDA, R_EFS, R_VPCE, R_SAGEMAKER, R_NROLES = 20 };
typedef struct sg_t { uint32_t vpc; uint32_t role; } sg_t;

typedef struct nat_t { uint32_t vpc, subnet, eni, pubip; int64_t created; } nat_t;

static const char *const IFACE_SVC[] = { "sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "logs",
                                         "sts", "secretsmanager", "ssm", "kms", "monitoring", "ec2", "sqs" };
typedef struct vpce_t { uint32_t vpc, eni0; uint8_t svc; bool gw, ddb; int64_t created; } vpce_t;

enum { EK_INST, EK_NAT, EK_VPCE, EK_LAMBDA, EK_ELB, EK_EFS, EK_RDS, EK_NOTEBOOK, EK_TRAINING };
typedef struct eni_t {
    uint32_t subnet, owner, ip, sec0, pubip; /* sec0: first secondary address; pubip: index + 1, 0 = none */
    uint32_t sg[3];
    uint8_t kind, devidx, nsec, nsg, ntags;
    int64_t attached;
} eni_t;

static const char *const ITYPES[] = { "t3.micro", "t3.medium", "m5.large", "m5.xlarge", "c5.2xlarge",
                                      "r5.large", "m6i.large", "c6g.xlarge", "t3a.small", "g4dn.xlarge" };
typedef struct inst_t {
    uint32_t subnet, eni0, res;
    uint8_t neni, itype, role;
    bool stopped;
    int64_t launched;
} inst_t;

enum { SM_NOTEBOOK, SM_TRAINING, SM_MODEL };
typedef struct sm_t {
    uint32_t vpc, sub[2], sg[2], eni, seq;
    uint8_t kind, nsub, nsg;
    bool invpc, flag_a, flag_b;
    int64_t created;
} sm_t;

static struct {
    vpc_t *vpc; size_t nvpc, cvpc;
    subnet_t *sub; size_t nsub, csub;
    rtb_t *rtb; size_t nrtb, crtb;
    acl_t *acl; size_t nacl, cacl;
    sg_t *sg; size_t nsg, csg;
    nat_t *nat; size_t nnat, cnat;
    vpce_t *vpce; size_t nvpce, cvpce;
    eni_t *eni; size_t neni, ceni;
    inst_t *inst; size_t ninst, cinst;
    sm_t *sm; size_t nsm, csm;
    uint32_t nres; /* reservations */
    uint32_t npub; /* public addresses handed out */
} A;

static bool opt_ipv6;

static uint32_t add_sub(uint32_t v, uint32_t net, uint8_t len, uint8_t az, bool pub, uint8_t idx)
{
    GROW(A.sub, A.nsub, A.csub);
    A.sub[A.nsub] = (subnet_t){ .vpc = v, .net = net, .len = len, .az = az, .pub = pub, .idx = idx,
                                .next = net + 4 + below(8), .rtb = NONE, .acl = NONE };
    return (uint32_t)A.nsub++;
}

/* Next free private address of subnet s (AWS keeps the first 4 and the last). */
static uint32_t alloc_ip(uint32_t s)
{
    subnet_t *sn = &A.sub[s];
    uint32_t size = 1u << (32 - sn->len);
    if (sn->next >= sn->net + size - 1) {
        fprintf(stderr, "gen_snapshot: subnet %s is full\n", CIDR4(sn->net, sn->len));
        exit(1);
    }
    uint32_t ip = sn->next;
    sn->next += 1 + (below(4) == 0); /* mostly dense, with gaps */
    sn->used++;
    return ip;
}

static uint32_t new_pub(void) { return ++A.npub; }

/* A subnet of vpc v: public or private (the default VPC only has public ones). */
static uint32_t pick_subnet(const vpc_t *v, bool pub)
{
    if (v->layout == L_DEFAULT)
        return v->sub0 + below(v->nsub);
    return v->sub0 + (pub ? 0 : 3) + below(3);
}

static uint32_t role_sg(const vpc_t *v, uint32_t role)
{
    if (v->nsg <= 1)
        return v->sg0;
    if (role < v->nsg)
        return v->sg0 + role;
    return v->sg0 + 1 + role % (v->nsg - 1);
}

static uint32_t add_eni(const vpc_t *v, uint8_t kind, uint32_t subnet, uint32_t owner, int64_t when)
{
    GROW(A.eni, A.neni, A.ceni);
    eni_t *e = &A.eni[A.neni];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->subnet = subnet;
    e->owner = owner;
    e->ip = alloc_ip(subnet);
    e->attached = when;
    bool pub = A.sub[subnet].pub;
    switch (kind) {
    case EK_INST:
        e->pubip = pub && pct(85) ? new_pub() : 0;
        e->nsg = (uint8_t)between(1, 3);
        for (uint8_t i = 0; i < e->nsg; i++)
            e->sg[i] = role_sg(v, pub ? (i == 0 ? R_WEB : between(1, R_NROLES - 1))
                                      : between(1, R_NROLES - 1));
        if (e->nsg == 2 && e->sg[0] == e->sg[1])
            e->nsg = 1;
        if (e->nsg == 3 && (e->sg[2] == e->sg[0] || e->sg[2] == e->sg[1]))
            e->nsg = 2;
        if (e->nsg == 2 && e->sg[0] == e->sg[1])
            e->nsg = 1;
        e->ntags = pct(40) ? (uint8_t)between(1, 3) : 0;
        e->nsec = pct(15) ? (uint8_t)between(1, 3) : 0;
        break;
    case EK_NAT:
        e->pubip = new_pub();
        break;
    case EK_VPCE:
        e->nsg = 1;
        e->sg[0] = role_sg(v, R_VPCE);
        break;
    case EK_LAMBDA:
        e->nsg = 1;
        e->sg[0] = role_sg(v, R_LAMBDA);
        break;
    case EK_ELB:
        e->nsg = 1;
        e->sg[0] = role_sg(v, R_ALB);
        e->pubip = pub ? new_pub() : 0;
        break;
    case EK_EFS:
        e->nsg = 1;
        e->sg[0] = role_sg(v, R_EFS);
        break;
    case EK_RDS:
        e->nsg = 1;
        e->sg[0] = role_sg(v, R_DB);
        break;
    case EK_NOTEBOOK:
    case EK_TRAINING:
        e->nsg = 1;
        e->sg[0] = role_sg(v, R_SAGEMAKER);
        break;
    default:
        break;
    }
    if (e->nsec) { /* secondary addresses: a contiguous block after the primary */
        subnet_t *sn = &A.sub[subnet];
        if (sn->next + e->nsec >= sn->net + (1u << (32 - sn->len)) - 1) {
            fprintf(stderr, "gen_snapshot: subnet %s is full\n", CIDR4(sn->net, sn->len));
            exit(1);
        }
        e->sec0 = sn->next;
        sn->next += e->nsec;
        sn->used += e->nsec;
    }
    return (uint32_t)A.neni++;
}

/* Smallest subnet length (>= min_len) holding `need` addresses with room to spare. */
static uint8_t subnet_len(uint32_t need, uint8_t shortest, uint8_t longest)
{
    uint8_t len = longest;
    while (len > shortest && (1u << (32 - len)) < need * 2 + 64)
        len--;
    return len;
}

static uint64_t counted; /* resources generated so far */

static uint32_t add_sm(uint8_t kind, uint32_t v, int64_t when)
{
    GROW(A.sm, A.nsm, A.csm);
    sm_t *s = &A.sm[A.nsm];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->vpc = v;
    s->created = when;
    s->seq = (uint32_t)A.nsm;
    s->eni = NONE;
    counted++;
    return (uint32_t)A.nsm++;
}

/* One VPC of about t resources. */
static void build_vpc(uint32_t t, uint8_t layout)
{
    GROW(A.vpc, A.nvpc, A.cvpc);
    uint32_t vi = (uint32_t)A.nvpc++;
    vpc_t *v = &A.vpc[vi];
    memset(v, 0, sizeof *v);
    v->layout = layout;
    v->created = T_BASE + (int64_t)vi * 3600 + below(3600);
    v->env = (uint8_t)below(sizeof ENVS / sizeof *ENVS);
    v->team = (uint8_t)below(sizeof TEAMS / sizeof *TEAMS);
    v->az0 = (uint8_t)below(4);
    counted++;

    if (layout == L_DEFAULT) {
        v->net = 0xAC1F0000u; /* 172.31.0.0/16 */
        snprintf(v->name, sizeof v->name, "default");
        v->nsub = 6;
        v->sub0 = (uint32_t)A.nsub;
        for (uint8_t i = 0; i < 6; i++)
            add_sub(vi, v->net + ((uint32_t)i << 12), 20, i, true, i);
        v->rtb0 = (uint32_t)A.nrtb;
        v->nrtb = 1;
        GROW(A.rtb, A.nrtb, A.crtb);
        A.rtb[A.nrtb++] = (rtb_t){ vi, NONE, RT_MAIN };
        v->acl0 = (uint32_t)A.nacl;
        v->nacl = 1;
        GROW(A.acl, A.nacl, A.cacl);
        A.acl[A.nacl++] = (acl_t){ vi, ACL_DEFAULT };
        for (uint32_t s = 0; s < 6; s++) {
            A.sub[v->sub0 + s].rtb = v->rtb0;
            A.sub[v->sub0 + s].acl = v->acl0;
        }
        v->sg0 = (uint32_t)A.nsg;
        v->nsg = 2;
        for (uint32_t i = 0; i < 2; i++) {
            GROW(A.sg, A.nsg, A.csg);
            A.sg[A.nsg++] = (sg_t){ vi, i == 0 ? R_DEFAULT : R_BASTION };
        }
        v->nat0 = (uint32_t)A.nnat;
        v->vpce0 = (uint32_t)A.nvpce;
        counted += 6 + 1 + 1 + 2 + 1; /* subnets, rtb, acl, sgs, igw */
        uint32_t ni = t > 20 ? (t - 11) / 3 : 2;
        for (uint32_t i = 0; i < ni; i++) {
            GROW(A.inst, A.ninst, A.cinst);
            inst_t *in = &A.inst[A.ninst];
            memset(in, 0, sizeof *in);
            in->subnet = pick_subnet(v, true);
            in->itype = (uint8_t)below(3);
            in->role = R_BASTION;
            in->stopped = pct(30);
            in->launched = v->created + 86400 + below(86400 * 600);
            in->res = A.nres++;
            in->eni0 = add_eni(v, EK_INST, in->subnet, (uint32_t)A.ninst, in->launched);
            A.eni[in->eni0].sg[0] = role_sg(v, R_BASTION);
            A.eni[in->eni0].nsg = 1;
            in->neni = 1;
            A.ninst++;
            counted += 2;
        }
        return;
    }

    v->net = (uint32_t)(10u << 24) | ((vi % 256) << 16);
    snprintf(v->name, sizeof v->name, "%s-%s-%u", ENVS[v->env], TEAMS[v->team], vi);
    v->ipv6 = opt_ipv6 && pct(25);
    v->v6 = (uint16_t)(mix((uint64_t)I_CIDRASSOC << 48 | vi) & 0xFFFF);
    v->secondary = pct(10);
    bool prod = v->env == 0 || pct(30);
    v->nnat = prod ? 3 : 1;
    v->s3ep = pct(90);
    v->ddbep = pct(30);

    /* Budget. */
    uint32_t nacl = pct(60) ? 3 : 1;
    uint32_t niface = t >= 60 ? between(0, 4) : 0;
    uint32_t nvpce = niface + v->s3ep + v->ddbep;
    uint32_t infra = 1 + 6 + 7 + nacl + 1 + v->nnat + nvpce;
    uint32_t nsg = t * 12 / 100 + between(0, 2);
    if (nsg < 4)
        nsg = 4;
    uint32_t nsm = (t * 4 + below(100)) / 100;
    uint32_t nnb = nsm * 3 / 10, ntr = nsm * 45 / 100, nmodel = nsm - nnb - ntr;
    uint32_t E = t / 2;
    uint32_t fixed = v->nnat + 3 * niface + nnb;
    uint32_t used = infra + nsg + nsm + E;
    uint32_t ninst = t > used ? t - used : 0;
    uint32_t eni_room = E > fixed ? E - fixed : 0;
    if (ninst > eni_room)
        ninst = eni_room;

    /* Subnets: public /24../22 at x.0, x.4, x.8; private /24../19 at x.32, x.64, x.96. */
    uint32_t priv_need = (E * 8 / 10) * 13 / 10 / 3 + 8, pub_need = (E * 3 / 10) * 13 / 10 / 3 + 8;
    uint8_t plen = subnet_len(pub_need, 22, 24), qlen = subnet_len(priv_need, 19, 24);
    v->sub0 = (uint32_t)A.nsub;
    v->nsub = 6;
    for (uint8_t i = 0; i < 3; i++)
        add_sub(vi, v->net + ((uint32_t)(i * 4) << 8), plen, (uint8_t)(v->az0 + i), true, i);
    for (uint8_t i = 0; i < 3; i++)
        add_sub(vi, v->net + ((uint32_t)(32 + i * 32) << 8), qlen, (uint8_t)(v->az0 + i), false, (uint8_t)(3 + i));
    counted += 6;

    /* Route tables: main, then one per subnet. */
    v->rtb0 = (uint32_t)A.nrtb;
    v->nrtb = 7;
    GROW(A.rtb, A.nrtb, A.crtb);
    A.rtb[A.nrtb++] = (rtb_t){ vi, NONE, RT_MAIN };
    for (uint32_t s = 0; s < 6; s++) {
        GROW(A.rtb, A.nrtb, A.crtb);
        A.sub[v->sub0 + s].rtb = (uint32_t)A.nrtb;
        A.rtb[A.nrtb++] = (rtb_t){ vi, v->sub0 + s, s < 3 ? RT_PUBLIC : RT_PRIVATE };
    }
    counted += 7;

    /* NACLs: the default one, and public/private ones when the VPC has them. */
    v->acl0 = (uint32_t)A.nacl;
    v->nacl = nacl;
    for (uint32_t a = 0; a < nacl; a++) {
        GROW(A.acl, A.nacl, A.cacl);
        A.acl[A.nacl++] = (acl_t){ vi, (uint8_t)a };
    }
    for (uint32_t s = 0; s < 6; s++)
        A.sub[v->sub0 + s].acl = nacl == 1 ? v->acl0 : v->acl0 + (s < 3 ? ACL_PUBLIC : ACL_PRIVATE);
    counted += nacl + 1; /* + internet gateway */

    /* Security groups. */
    v->sg0 = (uint32_t)A.nsg;
    v->nsg = nsg;
    for (uint32_t i = 0; i < nsg; i++) {
        GROW(A.sg, A.nsg, A.csg);
        A.sg[A.nsg++] = (sg_t){ vi, i };
    }
    counted += nsg;

    /* NAT gateways, each with its ENI in a public subnet. */
    v->nat0 = (uint32_t)A.nnat;
    for (uint32_t i = 0; i < v->nnat; i++) {
        GROW(A.nat, A.nnat, A.cnat);
        nat_t *n = &A.nat[A.nnat];
        n->vpc = vi;
        n->subnet = v->sub0 + i;
        n->created = v->created + 600 + below(600);
        n->eni = add_eni(v, EK_NAT, n->subnet, (uint32_t)A.nnat, n->created);
        n->pubip = A.eni[n->eni].pubip;
        A.nnat++;
        counted += 2;
    }

    /* Endpoints: gateway (S3, DynamoDB) and interface ones with an ENI per private subnet. */
    v->vpce0 = (uint32_t)A.nvpce;
    v->nvpce = nvpce;
    uint32_t first_svc = below(sizeof IFACE_SVC / sizeof *IFACE_SVC);
    for (uint32_t i = 0; i < nvpce; i++) {
        GROW(A.vpce, A.nvpce, A.cvpce);
        vpce_t *e = &A.vpce[A.nvpce];
        memset(e, 0, sizeof *e);
        e->vpc = vi;
        e->created = v->created + 1200 + below(86400 * 30);
        e->eni0 = NONE;
        if (i == 0 && v->s3ep) {
            e->gw = true;
        } else if (i == (uint32_t)v->s3ep && v->ddbep) {
            e->gw = e->ddb = true;
        } else {
            e->svc = (uint8_t)((first_svc + i) % (sizeof IFACE_SVC / sizeof *IFACE_SVC));
            uint32_t ei = NONE;
            for (uint32_t s = 0; s < 3; s++) {
                uint32_t x = add_eni(v, EK_VPCE, v->sub0 + 3 + s, (uint32_t)A.nvpce, e->created);
                if (s == 0)
                    ei = x;
                counted++;
            }
            e->eni0 = ei;
        }
        A.nvpce++;
        counted++;
    }

    /* SageMaker: notebooks (with their ENI), training jobs, models. */
    int64_t smt = v->created + 86400 * 30;
    for (uint32_t i = 0; i < nnb; i++) {
        uint32_t k = add_sm(SM_NOTEBOOK, vi, smt + below(86400 * 400));
        sm_t *s = &A.sm[k];
        s->invpc = true;
        s->nsub = 1;
        s->sub[0] = pick_subnet(v, false);
        s->nsg = 1;
        s->sg[0] = role_sg(v, R_SAGEMAKER);
        s->flag_a = pct(40); /* DirectInternetAccess Enabled */
        s->flag_b = pct(70); /* RootAccess Enabled */
        s->eni = add_eni(v, EK_NOTEBOOK, s->sub[0], k, s->created);
        counted++;
    }
    for (uint32_t i = 0; i < ntr + nmodel; i++) {
        uint32_t k = add_sm(i < ntr ? SM_TRAINING : SM_MODEL, vi, smt + below(86400 * 500));
        sm_t *s = &A.sm[k];
        s->invpc = pct(i < ntr ? 70 : 50);
        if (s->invpc) {
            s->nsub = 2;
            s->sub[0] = v->sub0 + 3 + below(3);
            s->sub[1] = v->sub0 + 3 + (s->sub[0] - v->sub0 - 3 + 1) % 3;
            s->nsg = (uint8_t)between(1, 2);
            s->sg[0] = role_sg(v, R_SAGEMAKER);
            s->sg[1] = role_sg(v, R_APP);
        }
        s->flag_a = pct(30); /* EnableNetworkIsolation */
        s->flag_b = pct(40); /* EnableInterContainerTrafficEncryption */
    }

    /* Instances, in reservations of 1 (mostly) to 4. */
    uint32_t inst_enis = 0;
    for (uint32_t i = 0; i < ninst;) {
        uint32_t batch = pct(80) ? 1 : between(2, 4);
        if (batch > ninst - i)
            batch = ninst - i;
        uint32_t res = A.nres++;
        uint8_t role = (uint8_t)between(1, R_NROLES - 1), itype = (uint8_t)below(sizeof ITYPES / sizeof *ITYPES);
        bool pub = pct(20);
        int64_t when = v->created + 86400 + below(86400 * 700);
        for (uint32_t b = 0; b < batch; b++, i++) {
            GROW(A.inst, A.ninst, A.cinst);
            inst_t *in = &A.inst[A.ninst];
            memset(in, 0, sizeof *in);
            in->subnet = pick_subnet(v, pub);
            in->res = res;
            in->role = role;
            in->itype = itype;
            in->stopped = pct(10);
            in->launched = when + b;
            in->eni0 = add_eni(v, EK_INST, in->subnet, (uint32_t)A.ninst, in->launched);
            in->neni = 1;
            inst_enis++;
            /* A second interface on some, while the ENI budget lasts. */
            if (pct(20) && inst_enis + (ninst - i) < eni_room) {
                add_eni(v, EK_INST, in->subnet, (uint32_t)A.ninst, in->launched + 30);
                A.eni[A.neni - 1].devidx = 1;
                A.eni[A.neni - 1].pubip = 0;
                in->neni = 2;
                inst_enis++;
            }
            A.ninst++;
        }
    }
    counted += ninst + inst_enis;

    /* Service-managed ENIs fill the rest of the ENI budget. */
    uint32_t other = eni_room > inst_enis ? eni_room - inst_enis : 0;
    for (uint32_t i = 0; i < other; i++) {
        uint32_t r = below(100);
        uint8_t kind = r < 35 ? EK_LAMBDA : r < 60 ? EK_ELB : r < 75 ? EK_EFS : EK_RDS;
        bool pub = kind == EK_ELB && pct(60);
        uint32_t sub = pick_subnet(v, pub); /* one PRNG call per statement: argument order is unspecified */
        add_eni(v, kind, sub, i, v->created + 86400 + below(86400 * 700));
    }
    counted += other;
}

static void build(uint64_t n)
{
    counted = 3; /* DHCP option set, two AWS prefix lists */
    if (n >= 300)
        build_vpc(40, L_DEFAULT);
    while (counted < n || A.nvpc == 0) {
        uint64_t left = n > counted ? n - counted : 0;
        uint32_t t = between(120, 320);
        if (left < (uint64_t)t + 80)
            t = (uint32_t)left;
        if (t < 30)
            t = 30;
        build_vpc(t, L_STANDARD);
    }
}

/* ------------------------------------------------------------------ writers */

static const char *vpc_id(uint32_t v) { return ID("vpc", I_VPC, v); }
static const char *subnet_id(uint32_t s) { return ID("subnet", I_SUBNET, s); }
static const char *rtb_id(uint32_t r) { return ID("rtb", I_RTB, r); }
static const char *sg_id(uint32_t g) { return ID("sg", I_SG, g); }
static const char *acl_id(uint32_t a) { return ID("acl", I_ACL, a); }
static const char *eni_id(uint32_t e) { return ID("eni", I_ENI, e); }
static const char *igw_id(uint32_t v) { return ID("igw", I_IGW, v); }
static const char *nat_id(uint32_t n) { return ID("nat", I_NAT, n); }
static const char *vpce_id(uint32_t e) { return ID("vpce", I_VPCE, e); }
static const char *inst_id(uint32_t i) { return ID("i", I_INSTANCE, i); }
static const char *dopt_id(void) { return ID8("dopt", I_DOPT, 0); }

static const char *sg_name(uint32_t g)
{
    const sg_t *s = &A.sg[g];
    const vpc_t *v = &A.vpc[s->vpc];
    if (s->role == R_DEFAULT)
        return "default";
    if (s->role < R_NROLES)
        return fmt("%s-%s", v->name, ROLES[s->role]);
    return fmt("%s-%s-%u", v->name, ROLES[1 + s->role % (R_NROLES - 1)], s->role);
}

static const char *v6net(const vpc_t *v) { return fmt("2600:1f18:%x:%x00::/56", v->v6 >> 4, v->v6 & 15); }
static const char *v6sub(const vpc_t *v, unsigned idx)
{
    return fmt("2600:1f18:%x:%x%02x::/64", v->v6 >> 4, v->v6 & 15, idx);
}

static void common_tags(jw *w, const vpc_t *v, const char *name)
{
    ARR(w, "Tags");
    if (name)
        TAG(w, "Name", name);
    TAG(w, "Environment", ENVS[v->env]);
    TAG(w, "Team", TEAMS[v->team]);
    if (v->layout == L_STANDARD && (v->name[0] & 1))
        TAG(w, "ManagedBy", "terraform");
    END_ARR(w);
}

static void write_vpcs(const char *dir)
{
    jw w;
    jw_open(&w, dir, "Vpcs.json");
    OBJ(&w, NULL);
    ARR(&w, "Vpcs");
    for (uint32_t i = 0; i < A.nvpc; i++) {
        const vpc_t *v = &A.vpc[i];
        OBJ(&w, NULL);
        S(&w, "CidrBlock", CIDR4(v->net, 16));
        S(&w, "DhcpOptionsId", dopt_id());
        S(&w, "State", "available");
        S(&w, "VpcId", vpc_id(i));
        S(&w, "OwnerId", ACCOUNT);
        S(&w, "InstanceTenancy", "default");
        if (v->ipv6) {
            ARR(&w, "Ipv6CidrBlockAssociationSet");
            OBJ(&w, NULL);
            S(&w, "AssociationId", ID("vpc-cidr-assoc", I_CIDRASSOC, (uint64_t)i << 2 | 1));
            S(&w, "Ipv6CidrBlock", v6net(v));
            OBJ(&w, "Ipv6CidrBlockState");
            S(&w, "State", "associated");
            END_OBJ(&w);
            S(&w, "NetworkBorderGroup", REGION);
            S(&w, "Ipv6Pool", "Amazon");
            END_OBJ(&w);
            END_ARR(&w);
        }
        ARR(&w, "CidrBlockAssociationSet");
        OBJ(&w, NULL);
        S(&w, "AssociationId", ID("vpc-cidr-assoc", I_CIDRASSOC, (uint64_t)i << 2));
        S(&w, "CidrBlock", CIDR4(v->net, 16));
        OBJ(&w, "CidrBlockState");
        S(&w, "State", "associated");
        END_OBJ(&w);
        END_OBJ(&w);
        if (v->secondary) {
            OBJ(&w, NULL);
            S(&w, "AssociationId", ID("vpc-cidr-assoc", I_CIDRASSOC, (uint64_t)i << 2 | 2));
            S(&w, "CidrBlock", "100.64.0.0/16");
            OBJ(&w, "CidrBlockState");
            S(&w, "State", "associated");
            END_OBJ(&w);
            END_OBJ(&w);
        }
        END_ARR(&w);
        B(&w, "IsDefault", v->layout == L_DEFAULT);
        if (v->layout == L_STANDARD)
            common_tags(&w, v, v->name);
        OBJ(&w, "BlockPublicAccessStates");
        S(&w, "InternetGatewayBlockMode", "off");
        END_OBJ(&w);
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

static void write_subnets(const char *dir)
{
    jw w;
    jw_open(&w, dir, "Subnets.json");
    OBJ(&w, NULL);
    ARR(&w, "Subnets");
    for (uint32_t i = 0; i < A.nsub; i++) {
        const subnet_t *s = &A.sub[i];
        const vpc_t *v = &A.vpc[s->vpc];
        bool dflt = v->layout == L_DEFAULT;
        uint32_t size = 1u << (32 - s->len);
        OBJ(&w, NULL);
        S(&w, "AvailabilityZone", AZ[s->az % 6]);
        S(&w, "AvailabilityZoneId", AZID[s->az % 6]);
        N(&w, "AvailableIpAddressCount", (long long)size - 5 - s->used);
        S(&w, "CidrBlock", CIDR4(s->net, s->len));
        B(&w, "DefaultForAz", dflt);
        B(&w, "MapPublicIpOnLaunch", s->pub);
        B(&w, "MapCustomerOwnedIpOnLaunch", false);
        S(&w, "State", "available");
        S(&w, "SubnetId", subnet_id(i));
        S(&w, "VpcId", vpc_id(s->vpc));
        S(&w, "OwnerId", ACCOUNT);
        B(&w, "AssignIpv6AddressOnCreation", false);
        ARR(&w, "Ipv6CidrBlockAssociationSet");
        if (v->ipv6) {
            OBJ(&w, NULL);
            S(&w, "AssociationId", ID("subnet-cidr-assoc", I_CIDRASSOC, (uint64_t)i << 2 | 3));
            S(&w, "Ipv6CidrBlock", v6sub(v, s->idx));
            OBJ(&w, "Ipv6CidrBlockState");
            S(&w, "State", "associated");
            END_OBJ(&w);
            END_OBJ(&w);
        }
        END_ARR(&w);
        if (!dflt)
            common_tags(&w, v, fmt("%s-%s-%s", v->name, s->pub ? "public" : "private", AZ[s->az % 6] + 8));
        S(&w, "SubnetArn", fmt("arn:aws:ec2:" REGION ":" ACCOUNT ":subnet/%s", subnet_id(i)));
        B(&w, "EnableDns64", false);
        B(&w, "Ipv6Native", false);
        OBJ(&w, "PrivateDnsNameOptionsOnLaunch");
        S(&w, "HostnameType", "ip-name");
        B(&w, "EnableResourceNameDnsARecord", false);
        B(&w, "EnableResourceNameDnsAAAARecord", false);
        END_OBJ(&w);
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

static void route(jw *w, const char *dstkey, const char *dst, const char *tgtkey, const char *tgt,
                  const char *origin, bool blackhole)
{
    OBJ(w, NULL);
    S(w, dstkey, dst);
    S(w, tgtkey, tgt);
    S(w, "Origin", origin);
    S(w, "State", blackhole ? "blackhole" : "active");
    END_OBJ(w);
}

static void write_route_tables(const char *dir)
{
    jw w;
    jw_open(&w, dir, "RouteTables.json");
    OBJ(&w, NULL);
    ARR(&w, "RouteTables");
    for (uint32_t i = 0; i < A.nrtb; i++) {
        const rtb_t *r = &A.rtb[i];
        const vpc_t *v = &A.vpc[r->vpc];
        OBJ(&w, NULL);
        ARR(&w, "Associations");
        if (r->kind == RT_MAIN) {
            OBJ(&w, NULL);
            B(&w, "Main", true);
            S(&w, "RouteTableAssociationId", ID("rtbassoc", I_RTBASSOC, (uint64_t)i << 8));
            S(&w, "RouteTableId", rtb_id(i));
            OBJ(&w, "AssociationState");
            S(&w, "State", "associated");
            END_OBJ(&w);
            END_OBJ(&w);
        } else {
            OBJ(&w, NULL);
            B(&w, "Main", false);
            S(&w, "RouteTableAssociationId", ID("rtbassoc", I_RTBASSOC, (uint64_t)i << 8 | 1));
            S(&w, "RouteTableId", rtb_id(i));
            S(&w, "SubnetId", subnet_id(r->subnet));
            OBJ(&w, "AssociationState");
            S(&w, "State", "associated");
            END_OBJ(&w);
            END_OBJ(&w);
        }
        END_ARR(&w);
        EMPTY_ARR(&w, "PropagatingVgws");
        S(&w, "RouteTableId", rtb_id(i));
        ARR(&w, "Routes");
        route(&w, "DestinationCidrBlock", CIDR4(v->net, 16), "GatewayId", "local", "CreateRouteTable", false);
        if (v->secondary)
            route(&w, "DestinationCidrBlock", "100.64.0.0/16", "GatewayId", "local", "CreateRouteTable", false);
        if (v->ipv6)
            route(&w, "DestinationIpv6CidrBlock", v6net(v), "GatewayId", "local", "CreateRouteTable", false);
        if (r->kind == RT_PUBLIC || v->layout == L_DEFAULT) {
            route(&w, "DestinationCidrBlock", "0.0.0.0/0", "GatewayId", igw_id(r->vpc), "CreateRoute", false);
            if (v->ipv6)
                route(&w, "DestinationIpv6CidrBlock", "::/0", "GatewayId", igw_id(r->vpc), "CreateRoute", false);
        } else if (r->kind == RT_PRIVATE) {
            const subnet_t *s = &A.sub[r->subnet];
            uint32_t nat = v->nat0 + (v->nnat == 3 ? (uint32_t)(s->idx - 3) : 0);
            route(&w, "DestinationCidrBlock", "0.0.0.0/0", "NatGatewayId", nat_id(nat), "CreateRoute", false);
            if (pct(30))
                route(&w, "DestinationCidrBlock", "10.0.0.0/8", "TransitGatewayId",
                      ID("tgw", I_TGW, 0), "CreateRoute", false);
        }
        if (r->kind == RT_PRIVATE || r->kind == RT_MAIN) {
            for (uint32_t e = 0; e < v->nvpce; e++) {
                const vpce_t *ep = &A.vpce[v->vpce0 + e];
                if (ep->gw && (r->kind == RT_PRIVATE || !ep->ddb))
                    route(&w, "DestinationPrefixListId", ep->ddb ? PL_DDB : PL_S3, "GatewayId",
                          vpce_id(v->vpce0 + e), "CreateRoute", false);
            }
        }
        /* Leftovers of deleted peerings and NAT gateways. */
        if (v->layout == L_STANDARD && pct(12)) {
            if (pct(50))
                route(&w, "DestinationCidrBlock", fmt("172.%u.0.0/16", 16 + below(16)), "VpcPeeringConnectionId",
                      ID("pcx", I_PCX, (uint64_t)i), "CreateRoute", true);
            else
                route(&w, "DestinationCidrBlock", fmt("192.168.%u.0/24", below(256)), "NatGatewayId",
                      ID("nat", I_NAT, (uint64_t)1 << 40 | i), "CreateRoute", true);
        }
        END_ARR(&w);
        if (r->kind == RT_MAIN)
            EMPTY_ARR(&w, "Tags");
        else
            common_tags(&w, v, fmt("%s-%s-%s", v->name, r->kind == RT_PUBLIC ? "public" : "private",
                                   AZ[A.sub[r->subnet].az % 6] + 8));
        S(&w, "VpcId", vpc_id(r->vpc));
        S(&w, "OwnerId", ACCOUNT);
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

/* ---- security groups */

typedef struct perm_t { const char *proto; int from, to; } perm_t;
static const perm_t PERMS[] = {
    { "tcp", 22, 22 }, { "tcp", 80, 80 }, { "tcp", 443, 443 }, { "tcp", 3306, 3306 }, { "tcp", 5432, 5432 },
    { "tcp", 6379, 6379 }, { "tcp", 8080, 8080 }, { "tcp", 8443, 8443 }, { "tcp", 9200, 9200 },
    { "tcp", 2049, 2049 }, { "tcp", 1024, 65535 }, { "tcp", 30000, 32767 }, { "tcp", 8000, 8999 },
    { "tcp", 9090, 9090 }, { "tcp", 27017, 27017 }, { "tcp", 9092, 9094 }, { "tcp", 3389, 3389 },
    { "udp", 53, 53 }, { "udp", 123, 123 }, { "udp", 1194, 1194 }, { "udp", 1024, 65535 },
    { "icmp", -1, -1 }, { "icmp", 8, -1 }, { "icmp", 3, 4 }, { "-1", 0, 0 },
};
#define NPERMS (sizeof PERMS / sizeof *PERMS)

static void peer_cidrs(jw *w, const vpc_t *v, bool any)
{
    ARR(w, "IpRanges");
    uint32_t n = any ? 1 : between(1, 3), seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = any || (i == 0 && pct(15)) ? 0 : between(1, 5);
        if (seen & (1u << r))
            continue; /* AWS keeps one copy of a CIDR per permission */
        seen |= 1u << r;
        OBJ(w, NULL);
        const char *c = r == 0 ? "0.0.0.0/0" : r == 1 ? CIDR4(v->net, 16) : r == 2 ? "10.0.0.0/8"
                      : r == 3 ? CIDR4(0xCB007100u + below(256), 32) /* 203.0.113.x: office */
                      : r == 4 ? "192.168.0.0/16" : CIDR4(v->net + ((32 + 32 * below(3)) << 8), 19);
        S(w, "CidrIp", c);
        if (pct(40))
            S(w, "Description", r == 3 ? "office VPN" : r == 0 ? "public" : "internal");
        END_OBJ(w);
        if (r == 0)
            break;
    }
    END_ARR(w);
}

static void perm(jw *w, const vpc_t *v, const perm_t *p, bool egress)
{
    bool ports = strcmp(p->proto, "-1") != 0;
    OBJ(w, NULL);
    if (ports)
        N(w, "FromPort", p->from);
    S(w, "IpProtocol", p->proto);
    uint32_t r = below(100);
    int peer = egress ? (r < 75 ? 0 : r < 90 ? 2 : 1) : (r < 55 ? 0 : r < 90 ? 1 : 2); /* cidr, sg, pl */
    if (peer == 0)
        peer_cidrs(w, v, egress);
    else
        EMPTY_ARR(w, "IpRanges");
    if (v->ipv6 && peer == 0 && (egress || pct(30))) {
        ARR(w, "Ipv6Ranges");
        OBJ(w, NULL);
        S(w, "CidrIpv6", "::/0");
        END_OBJ(w);
        END_ARR(w);
    } else {
        EMPTY_ARR(w, "Ipv6Ranges");
    }
    ARR(w, "PrefixListIds");
    if (peer == 2) {
        OBJ(w, NULL);
        if (pct(50))
            S(w, "Description", "S3 via gateway endpoint");
        S(w, "PrefixListId", pct(80) ? PL_S3 : PL_DDB);
        END_OBJ(w);
    }
    END_ARR(w);
    if (ports)
        N(w, "ToPort", p->to);
    ARR(w, "UserIdGroupPairs");
    if (peer == 1) {
        uint32_t n = pct(75) ? 1 : 2;
        uint32_t first = v->sg0 + below(v->nsg);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t other = i == 0 ? first : v->sg0 + (first - v->sg0 + 1) % v->nsg;
            OBJ(w, NULL);
            if (pct(30))
                S(w, "Description", fmt("from %s", ROLES[A.sg[other].role % R_NROLES]));
            S(w, "GroupId", sg_id(other));
            S(w, "UserId", ACCOUNT);
            END_OBJ(w);
        }
    }
    END_ARR(w);
    END_OBJ(w);
}

static void write_security_groups(const char *dir)
{
    jw w;
    jw_open(&w, dir, "SecurityGroups.json");
    OBJ(&w, NULL);
    ARR(&w, "SecurityGroups");
    for (uint32_t g = 0; g < A.nsg; g++) {
        const sg_t *s = &A.sg[g];
        const vpc_t *v = &A.vpc[s->vpc];
        OBJ(&w, NULL);
        S(&w, "Description", s->role == R_DEFAULT
                                 ? "default VPC security group"
                                 : fmt("%s security group (managed by terraform)", ROLES[s->role % R_NROLES]));
        S(&w, "GroupName", sg_name(g));
        ARR(&w, "IpPermissions");
        if (s->role == R_DEFAULT) {
            OBJ(&w, NULL);
            S(&w, "IpProtocol", "-1");
            EMPTY_ARR(&w, "IpRanges");
            EMPTY_ARR(&w, "Ipv6Ranges");
            EMPTY_ARR(&w, "PrefixListIds");
            ARR(&w, "UserIdGroupPairs");
            OBJ(&w, NULL);
            S(&w, "GroupId", sg_id(g));
            S(&w, "UserId", ACCOUNT);
            END_OBJ(&w);
            END_ARR(&w);
            END_OBJ(&w);
        } else {
            /* 2-13 distinct protocol/port permissions (+1-2 egress: 3-15 in all). */
            uint8_t idx[NPERMS];
            for (uint8_t i = 0; i < NPERMS; i++)
                idx[i] = i;
            uint32_t n = between(2, 13);
            for (uint32_t i = 0; i < n; i++) {
                uint32_t j = i + below((uint32_t)NPERMS - i);
                uint8_t t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
                perm(&w, v, &PERMS[idx[i]], false);
            }
        }
        END_ARR(&w);
        S(&w, "OwnerId", ACCOUNT);
        S(&w, "GroupId", sg_id(g));
        ARR(&w, "IpPermissionsEgress");
        if (s->role == R_DEFAULT || pct(70)) {
            static const perm_t all = { "-1", 0, 0 };
            OBJ(&w, NULL);
            S(&w, "IpProtocol", all.proto);
            ARR(&w, "IpRanges");
            OBJ(&w, NULL);
            S(&w, "CidrIp", "0.0.0.0/0");
            END_OBJ(&w);
            END_ARR(&w);
            if (v->ipv6) {
                ARR(&w, "Ipv6Ranges");
                OBJ(&w, NULL);
                S(&w, "CidrIpv6", "::/0");
                END_OBJ(&w);
                END_ARR(&w);
            } else {
                EMPTY_ARR(&w, "Ipv6Ranges");
            }
            EMPTY_ARR(&w, "PrefixListIds");
            EMPTY_ARR(&w, "UserIdGroupPairs");
            END_OBJ(&w);
        } else {
            perm(&w, v, &PERMS[2], true); /* tcp 443 */
            if (pct(60))
                perm(&w, v, &PERMS[17], true); /* udp 53 */
        }
        END_ARR(&w);
        if (s->role == R_DEFAULT)
            EMPTY_ARR(&w, "Tags");
        else
            common_tags(&w, v, sg_name(g));
        S(&w, "VpcId", vpc_id(s->vpc));
        S(&w, "SecurityGroupArn", fmt("arn:aws:ec2:" REGION ":" ACCOUNT ":security-group/%s", sg_id(g)));
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

/* ---- network ACLs */

typedef struct entry_t {
    const char *cidr;
    bool v6, egress, allow;
    const char *proto;
    int from, to;   /* ports (tcp/udp) or ICMP type/code */
    int rule;
} entry_t;

static void nacl_entry(jw *w, const entry_t *e)
{
    OBJ(w, NULL);
    S(w, e->v6 ? "Ipv6CidrBlock" : "CidrBlock", e->cidr);
    B(w, "Egress", e->egress);
    if (strcmp(e->proto, "1") == 0 || strcmp(e->proto, "58") == 0) {
        OBJ(w, "IcmpTypeCode");
        N(w, "Code", e->to);
        N(w, "Type", e->from);
        END_OBJ(w);
    } else if (strcmp(e->proto, "6") == 0 || strcmp(e->proto, "17") == 0) {
        OBJ(w, "PortRange");
        N(w, "From", e->from);
        N(w, "To", e->to);
        END_OBJ(w);
    }
    S(w, "Protocol", e->proto);
    S(w, "RuleAction", e->allow ? "allow" : "deny");
    N(w, "RuleNumber", e->rule);
    END_OBJ(w);
}

static int entry_order(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    if (x->egress != y->egress)
        return x->egress ? -1 : 1; /* AWS lists egress entries first */
    return (x->rule > y->rule) - (x->rule < y->rule);
}

static void write_nacls(const char *dir)
{
    jw w;
    jw_open(&w, dir, "NetworkAcls.json");
    OBJ(&w, NULL);
    ARR(&w, "NetworkAcls");
    for (uint32_t a = 0; a < A.nacl; a++) {
        const acl_t *acl = &A.acl[a];
        const vpc_t *v = &A.vpc[acl->vpc];
        OBJ(&w, NULL);
        ARR(&w, "Associations");
        for (uint32_t s = 0; s < v->nsub; s++) {
            if (A.sub[v->sub0 + s].acl != a)
                continue;
            OBJ(&w, NULL);
            S(&w, "NetworkAclAssociationId", ID("aclassoc", I_ACLASSOC, v->sub0 + s));
            S(&w, "NetworkAclId", acl_id(a));
            S(&w, "SubnetId", subnet_id(v->sub0 + s));
            END_OBJ(&w);
        }
        END_ARR(&w);

        entry_t e[32];
        int n = 0;
        if (acl->kind == ACL_DEFAULT) {
            for (int eg = 0; eg < 2; eg++) {
                e[n++] = (entry_t){ "0.0.0.0/0", false, eg, true, "-1", 0, 0, 100 };
                if (v->ipv6)
                    e[n++] = (entry_t){ "::/0", true, eg, true, "-1", 0, 0, 101 };
            }
        } else {
            static char vcidr[32], office[32];
            const char *bad = "198.51.100.0/24";
            snprintf(vcidr, sizeof vcidr, "%s", CIDR4(v->net, 16));
            snprintf(office, sizeof office, "%s", CIDR4(0xCB007100u + below(256), 32)); /* 203.0.113.x */
            entry_t in_pub[] = {
                { bad, false, false, false, "-1", 0, 0, 90 },
                { "0.0.0.0/0", false, false, true, "6", 443, 443, 100 },
                { "0.0.0.0/0", false, false, true, "6", 80, 80, 110 },
                { office, false, false, true, "6", 22, 22, 120 },
                { "0.0.0.0/0", false, false, true, "6", 1024, 65535, 130 },
                { "0.0.0.0/0", false, false, true, "17", 1024, 65535, 140 },
                { "0.0.0.0/0", false, false, true, "1", 3, 4, 150 },
                { "0.0.0.0/0", false, false, true, "6", 8443, 8443, 160 },
                { "10.0.0.0/8", false, false, true, "17", 53, 53, 170 },
            };
            entry_t in_priv[] = {
                { vcidr, false, false, true, "-1", 0, 0, 100 },
                { "0.0.0.0/0", false, false, true, "6", 1024, 65535, 110 },
                { "0.0.0.0/0", false, false, true, "17", 1024, 65535, 120 },
                { "10.0.0.0/8", false, false, true, "1", -1, -1, 130 },
                { office, false, false, true, "6", 22, 22, 140 },
                { "0.0.0.0/0", false, false, false, "6", 3389, 3389, 50 },
                { "10.0.0.0/8", false, false, true, "6", 443, 443, 150 },
                { "100.64.0.0/10", false, false, true, "-1", 0, 0, 160 },
            };
            const entry_t *in = acl->kind == ACL_PUBLIC ? in_pub : in_priv;
            int nin = acl->kind == ACL_PUBLIC ? 9 : 8;
            int keep = (int)between(5, (uint32_t)nin);
            for (int i = 0; i < keep; i++)
                e[n++] = in[i];
            e[n++] = (entry_t){ "0.0.0.0/0", false, true, true, "-1", 0, 0, 100 };
            if (pct(50))
                e[n++] = (entry_t){ bad, false, true, false, "-1", 0, 0, 90 };
            if (pct(50))
                e[n++] = (entry_t){ vcidr, false, true, true, "6", 0, 65535, 110 };
            if (pct(60))
                e[n++] = (entry_t){ "0.0.0.0/0", false, true, true, "6", 443, 443, 120 };
            if (pct(40))
                e[n++] = (entry_t){ "10.0.0.0/8", false, true, true, "17", 53, 53, 130 };
            if (v->ipv6) {
                e[n++] = (entry_t){ "::/0", true, false, true, "6", 443, 443, 105 };
                e[n++] = (entry_t){ "::/0", true, true, true, "-1", 0, 0, 101 };
            }
        }
        /* The built-in catch-all deny rules (IPv6 ones are numbered 32768). */
        for (int eg = 0; eg < 2; eg++) {
            e[n++] = (entry_t){ "0.0.0.0/0", false, eg, false, "-1", 0, 0, 32767 };
            if (v->ipv6)
                e[n++] = (entry_t){ "::/0", true, eg, false, "-1", 0, 0, 32768 };
        }
        qsort(e, (size_t)n, sizeof *e, entry_order);
        ARR(&w, "Entries");
        for (int i = 0; i < n; i++)
            nacl_entry(&w, &e[i]);
        END_ARR(&w);
        B(&w, "IsDefault", acl->kind == ACL_DEFAULT);
        S(&w, "NetworkAclId", acl_id(a));
        if (acl->kind == ACL_DEFAULT)
            EMPTY_ARR(&w, "Tags");
        else
            common_tags(&w, v, fmt("%s-%s", v->name, acl->kind == ACL_PUBLIC ? "public" : "private"));
        S(&w, "VpcId", vpc_id(acl->vpc));
        S(&w, "OwnerId", ACCOUNT);
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

/* ---- network interfaces */

static uint32_t eni_vpc(const eni_t *e) { return A.sub[e->subnet].vpc; }

static void eni_groups(jw *w, const eni_t *e)
{
    ARR(w, "Groups");
    for (uint8_t i = 0; i < e->nsg; i++) {
        OBJ(w, NULL);
        S(w, "GroupName", sg_name(e->sg[i]));
        S(w, "GroupId", sg_id(e->sg[i]));
        END_OBJ(w);
    }
    END_ARR(w);
}

static void eni_assoc(jw *w, const eni_t *e, uint32_t idx)
{
    uint32_t ip = public_ip(e->pubip);
    OBJ(w, "Association");
    if (e->kind == EK_NAT) {
        S(w, "AllocationId", ID("eipalloc", I_EIPALLOC, idx));
        S(w, "AssociationId", ID("eipassoc", I_EIPASSOC, idx));
        S(w, "IpOwnerId", ACCOUNT);
    } else {
        S(w, "IpOwnerId", "amazon");
    }
    S(w, "PublicDnsName", pubdns(ip));
    S(w, "PublicIp", IP4(ip));
    END_OBJ(w);
}

static const char *eni_description(const eni_t *e, uint32_t idx)
{
    const vpc_t *v = &A.vpc[eni_vpc(e)];
    switch (e->kind) {
    case EK_INST: return e->devidx == 0 && (idx & 3) == 0 ? "Primary network interface" : "";
    case EK_NAT: return fmt("Interface for NAT Gateway %s", nat_id(e->owner));
    case EK_VPCE: return fmt("VPC Endpoint Interface %s", vpce_id(e->owner));
    case EK_LAMBDA:
        return fmt("AWS Lambda VPC ENI-%s-fn-%u-%s", v->name, e->owner % 7, hexstr(I_MISC, idx, 8));
    case EK_ELB: return fmt("ELB app/%s-alb-%u/%s", v->name, e->owner % 3, hexstr(I_ELB, e->owner % 3, 16));
    case EK_EFS:
        return fmt("EFS mount target for %s (%s)", ID8("fs", I_FS, eni_vpc(e)), ID8("fsmt", I_FSMT, idx));
    case EK_RDS: return "RDSNetworkInterface";
    case EK_NOTEBOOK:
        return fmt("[DO NOT DELETE] ENI managed by SageMaker for notebook instance nb-%u", A.sm[e->owner].seq);
    default: return "";
    }
}

static const char *eni_itype(const eni_t *e)
{
    switch (e->kind) {
    case EK_NAT: return "nat_gateway";
    case EK_VPCE: return "vpc_endpoint";
    case EK_LAMBDA: return "lambda";
    default: return "interface";
    }
}

static const char *eni_requester(const eni_t *e)
{
    switch (e->kind) {
    case EK_NAT: return "062328495474";
    case EK_VPCE: return "727180483921";
    case EK_LAMBDA: return fmt("AROAQXYZ4EXAMPLE5TQ3K:%s-fn-%u", A.vpc[eni_vpc(e)].name, e->owner % 7);
    case EK_ELB: return "amazon-elb";
    case EK_EFS: return "750486573427";
    case EK_RDS: return "amazon-rds";
    case EK_NOTEBOOK: return "AROAZSAGEMAKEREXAMPLE:SageMaker";
    default: return NULL;
    }
}

/* One ENI: the describe-network-interfaces shape, or (inst) the shape nested
 * in describe-instances' Instances[].NetworkInterfaces. */
static void write_eni(jw *w, uint32_t idx, bool inst)
{
    const eni_t *e = &A.eni[idx];
    const subnet_t *sn = &A.sub[e->subnet];
    const vpc_t *v = &A.vpc[sn->vpc];
    OBJ(w, NULL);
    if (e->pubip)
        eni_assoc(w, e, idx);
    OBJ(w, "Attachment");
    S(w, "AttachTime", ts(e->attached));
    S(w, "AttachmentId", e->kind == EK_INST ? ID("eni-attach", I_ENIATTACH, idx) : ID("ela-attach", I_ELA, idx));
    B(w, "DeleteOnTermination", e->kind == EK_INST && e->devidx == 0);
    N(w, "DeviceIndex", e->kind == EK_INST ? e->devidx : 1);
    N(w, "NetworkCardIndex", 0);
    if (!inst) {
        if (e->kind == EK_INST) {
            S(w, "InstanceId", inst_id(e->owner));
            S(w, "InstanceOwnerId", ACCOUNT);
        } else {
            S(w, "InstanceOwnerId", e->kind == EK_RDS ? "amazon-rds" : e->kind == EK_ELB ? "amazon-elb" : "amazon-aws");
        }
    }
    S(w, "Status", "attached");
    END_OBJ(w);
    if (!inst)
        S(w, "AvailabilityZone", AZ[sn->az % 6]);
    S(w, "Description", eni_description(e, idx));
    eni_groups(w, e);
    if (!inst)
        S(w, "InterfaceType", eni_itype(e));
    EMPTY_ARR(w, "Ipv6Addresses");
    S(w, "MacAddress", mac(idx));
    S(w, "NetworkInterfaceId", eni_id(idx));
    S(w, "OwnerId", ACCOUNT);
    S(w, "PrivateDnsName", dnsname(e->ip));
    S(w, "PrivateIpAddress", IP4(e->ip));
    ARR(w, "PrivateIpAddresses");
    for (uint32_t k = 0; k <= e->nsec; k++) {
        uint32_t ip = k == 0 ? e->ip : e->sec0 + k - 1;
        OBJ(w, NULL);
        if (k == 0 && e->pubip)
            eni_assoc(w, e, idx);
        B(w, "Primary", k == 0);
        S(w, "PrivateDnsName", dnsname(ip));
        S(w, "PrivateIpAddress", IP4(ip));
        END_OBJ(w);
    }
    END_ARR(w);
    if (!inst) {
        const char *req = eni_requester(e);
        if (req)
            S(w, "RequesterId", req);
        B(w, "RequesterManaged", e->kind != EK_INST && e->kind != EK_NAT);
    }
    B(w, "SourceDestCheck", e->kind != EK_NAT);
    S(w, "Status", "in-use");
    S(w, "SubnetId", subnet_id(e->subnet));
    if (!inst) {
        ARR(w, "TagSet");
        if (e->ntags >= 1)
            TAG(w, "Name", fmt("%s-%s-%u", v->name, ROLES[A.inst[e->owner].role % R_NROLES], e->owner));
        if (e->ntags >= 2)
            TAG(w, "Team", TEAMS[v->team]);
        if (e->ntags >= 3)
            TAG(w, "CostCenter", fmt("cc-%u", 1000 + v->team * 7));
        END_ARR(w);
    }
    S(w, "VpcId", vpc_id(sn->vpc));
    if (inst)
        S(w, "InterfaceType", "interface");
    END_OBJ(w);
}

static void write_enis(const char *dir)
{
    jw w;
    jw_open(&w, dir, "NetworkInterfaces.json");
    OBJ(&w, NULL);
    ARR(&w, "NetworkInterfaces");
    for (uint32_t i = 0; i < A.neni; i++)
        write_eni(&w, i, false);
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

/* ---- gateways and endpoints */

static void write_igws(const char *dir)
{
    jw w;
    jw_open(&w, dir, "InternetGateways.json");
    OBJ(&w, NULL);
    ARR(&w, "InternetGateways");
    for (uint32_t v = 0; v < A.nvpc; v++) {
        OBJ(&w, NULL);
        ARR(&w, "Attachments");
        OBJ(&w, NULL);
        S(&w, "State", "available");
        S(&w, "VpcId", vpc_id(v));
        END_OBJ(&w);
        END_ARR(&w);
        S(&w, "InternetGatewayId", igw_id(v));
        S(&w, "OwnerId", ACCOUNT);
        if (A.vpc[v].layout == L_DEFAULT)
            EMPTY_ARR(&w, "Tags");
        else
            common_tags(&w, &A.vpc[v], fmt("%s-igw", A.vpc[v].name));
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

static void write_nats(const char *dir)
{
    jw w;
    jw_open(&w, dir, "NatGateways.json");
    OBJ(&w, NULL);
    ARR(&w, "NatGateways");
    for (uint32_t i = 0; i < A.nnat; i++) {
        const nat_t *n = &A.nat[i];
        const eni_t *e = &A.eni[n->eni];
        OBJ(&w, NULL);
        S(&w, "CreateTime", ts(n->created));
        ARR(&w, "NatGatewayAddresses");
        OBJ(&w, NULL);
        S(&w, "AllocationId", ID("eipalloc", I_EIPALLOC, n->eni));
        S(&w, "NetworkInterfaceId", eni_id(n->eni));
        S(&w, "PrivateIp", IP4(e->ip));
        S(&w, "PublicIp", IP4(public_ip(n->pubip)));
        S(&w, "AssociationId", ID("eipassoc", I_EIPASSOC, n->eni));
        B(&w, "IsPrimary", true);
        S(&w, "Status", "succeeded");
        END_OBJ(&w);
        END_ARR(&w);
        S(&w, "NatGatewayId", nat_id(i));
        S(&w, "State", "available");
        S(&w, "SubnetId", subnet_id(n->subnet));
        S(&w, "VpcId", vpc_id(n->vpc));
        common_tags(&w, &A.vpc[n->vpc], fmt("%s-nat-%s", A.vpc[n->vpc].name, AZ[A.sub[n->subnet].az % 6] + 8));
        S(&w, "ConnectivityType", "public");
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

static void write_vpces(const char *dir)
{
    static const char policy[] =
        "{\n  \"Version\" : \"2008-10-17\",\n  \"Statement\" : [ {\n    \"Effect\" : \"Allow\",\n"
        "    \"Principal\" : \"*\",\n    \"Action\" : \"*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    jw w;
    jw_open(&w, dir, "VpcEndpoints.json");
    OBJ(&w, NULL);
    ARR(&w, "VpcEndpoints");
    for (uint32_t i = 0; i < A.nvpce; i++) {
        const vpce_t *e = &A.vpce[i];
        const vpc_t *v = &A.vpc[e->vpc];
        const char *svc = e->gw ? (e->ddb ? "dynamodb" : "s3") : IFACE_SVC[e->svc];
        OBJ(&w, NULL);
        S(&w, "VpcEndpointId", vpce_id(i));
        S(&w, "VpcEndpointType", e->gw ? "Gateway" : "Interface");
        S(&w, "VpcId", vpc_id(e->vpc));
        S(&w, "ServiceName", fmt("com.amazonaws." REGION ".%s", svc));
        S(&w, "State", "available");
        S(&w, "PolicyDocument", policy);
        ARR(&w, "RouteTableIds");
        if (e->gw) {
            if (!e->ddb)
                S(&w, NULL, rtb_id(v->rtb0));
            for (uint32_t r = 4; r < 7; r++)
                S(&w, NULL, rtb_id(v->rtb0 + r));
        }
        END_ARR(&w);
        ARR(&w, "SubnetIds");
        if (!e->gw)
            for (uint32_t s = 3; s < 6; s++)
                S(&w, NULL, subnet_id(v->sub0 + s));
        END_ARR(&w);
        ARR(&w, "Groups");
        if (!e->gw) {
            uint32_t g = role_sg(v, R_VPCE);
            OBJ(&w, NULL);
            S(&w, "GroupId", sg_id(g));
            S(&w, "GroupName", sg_name(g));
            END_OBJ(&w);
        }
        END_ARR(&w);
        if (!e->gw) {
            S(&w, "IpAddressType", "ipv4");
            OBJ(&w, "DnsOptions");
            S(&w, "DnsRecordIpType", "ipv4");
            END_OBJ(&w);
        }
        B(&w, "PrivateDnsEnabled", !e->gw);
        B(&w, "RequesterManaged", false);
        ARR(&w, "NetworkInterfaceIds");
        if (!e->gw)
            for (uint32_t k = 0; k < 3; k++)
                S(&w, NULL, eni_id(e->eni0 + k));
        END_ARR(&w);
        ARR(&w, "DnsEntries");
        if (!e->gw) {
            const char *h = hexstr(I_VPCE, i, 8);
            OBJ(&w, NULL);
            S(&w, "DnsName", fmt("%s-%s.%s." REGION ".vpce.amazonaws.com", vpce_id(i), h, svc));
            S(&w, "HostedZoneId", "Z7HUB22UULQXV");
            END_OBJ(&w);
            for (uint32_t s = 3; s < 6; s++) {
                OBJ(&w, NULL);
                S(&w, "DnsName", fmt("%s-%s-%s.%s." REGION ".vpce.amazonaws.com", vpce_id(i), h,
                                     AZ[A.sub[v->sub0 + s].az % 6], svc));
                S(&w, "HostedZoneId", "Z7HUB22UULQXV");
                END_OBJ(&w);
            }
            OBJ(&w, NULL);
            S(&w, "DnsName", fmt("%s." REGION ".amazonaws.com", svc));
            S(&w, "HostedZoneId", "ZONEIDPENDING");
            END_OBJ(&w);
        }
        END_ARR(&w);
        S(&w, "CreationTimestamp", ts_ms(e->created, (unsigned)(i * 37)));
        common_tags(&w, v, fmt("%s-%s", v->name, svc));
        S(&w, "OwnerId", ACCOUNT);
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

/* ---- instances */

static void write_instance(jw *w, uint32_t i)
{
    const inst_t *in = &A.inst[i];
    const eni_t *e = &A.eni[in->eni0];
    const subnet_t *sn = &A.sub[in->subnet];
    const vpc_t *v = &A.vpc[sn->vpc];
    bool pub = e->pubip && !in->stopped;
    OBJ(w, NULL);
    N(w, "AmiLaunchIndex", 0);
    S(w, "ImageId", ID("ami", I_AMI, in->itype % 4));
    S(w, "InstanceId", inst_id(i));
    S(w, "InstanceType", ITYPES[in->itype]);
    if (in->role != R_BASTION || pct(50))
        S(w, "KeyName", fmt("%s-%s", ENVS[v->env], TEAMS[v->team]));
    S(w, "LaunchTime", ts(in->launched));
    OBJ(w, "Monitoring");
    S(w, "State", "disabled");
    END_OBJ(w);
    OBJ(w, "Placement");
    S(w, "AvailabilityZone", AZ[sn->az % 6]);
    S(w, "GroupName", "");
    S(w, "Tenancy", "default");
    END_OBJ(w);
    S(w, "PrivateDnsName", dnsname(e->ip));
    S(w, "PrivateIpAddress", IP4(e->ip));
    EMPTY_ARR(w, "ProductCodes");
    S(w, "PublicDnsName", pub ? pubdns(public_ip(e->pubip)) : "");
    if (pub)
        S(w, "PublicIpAddress", IP4(public_ip(e->pubip)));
    OBJ(w, "State");
    N(w, "Code", in->stopped ? 80 : 16);
    S(w, "Name", in->stopped ? "stopped" : "running");
    END_OBJ(w);
    S(w, "StateTransitionReason", in->stopped ? fmt("User initiated (%s GMT)", ts(in->launched + 86400 * 30)) : "");
    S(w, "SubnetId", subnet_id(in->subnet));
    S(w, "VpcId", vpc_id(sn->vpc));
    S(w, "Architecture", in->itype == 7 ? "arm64" : "x86_64");
    ARR(w, "BlockDeviceMappings");
    OBJ(w, NULL);
    S(w, "DeviceName", "/dev/xvda");
    OBJ(w, "Ebs");
    S(w, "AttachTime", ts(in->launched + 1));
    B(w, "DeleteOnTermination", true);
    S(w, "Status", "attached");
    S(w, "VolumeId", ID("vol", I_VOL, i));
    END_OBJ(w);
    END_OBJ(w);
    END_ARR(w);
    S(w, "ClientToken", fmt("terraform-%s", hexstr(I_MISC, (uint64_t)1 << 40 | i, 26)));
    B(w, "EbsOptimized", in->itype >= 2);
    B(w, "EnaSupport", true);
    S(w, "Hypervisor", "xen");
    OBJ(w, "IamInstanceProfile");
    S(w, "Arn", fmt("arn:aws:iam::" ACCOUNT ":instance-profile/%s-%s", v->name, ROLES[in->role % R_NROLES]));
    S(w, "Id", fmt("AIPA%s", hexstr(I_MISC, (uint64_t)2 << 40 | in->role, 17)));
    END_OBJ(w);
    ARR(w, "NetworkInterfaces");
    for (uint32_t k = 0; k < in->neni; k++)
        write_eni(w, in->eni0 + k, true);
    END_ARR(w);
    S(w, "RootDeviceName", "/dev/xvda");
    S(w, "RootDeviceType", "ebs");
    ARR(w, "SecurityGroups");
    for (uint8_t g = 0; g < e->nsg; g++) {
        OBJ(w, NULL);
        S(w, "GroupName", sg_name(e->sg[g]));
        S(w, "GroupId", sg_id(e->sg[g]));
        END_OBJ(w);
    }
    END_ARR(w);
    B(w, "SourceDestCheck", true);
    ARR(w, "Tags");
    TAG(w, "Name", fmt("%s-%s-%u", v->name, ROLES[in->role % R_NROLES], i));
    TAG(w, "Environment", ENVS[v->env]);
    if (pct(50))
        TAG(w, "aws:autoscaling:groupName", fmt("%s-%s-asg", v->name, ROLES[in->role % R_NROLES]));
    END_ARR(w);
    S(w, "VirtualizationType", "hvm");
    OBJ(w, "CpuOptions");
    N(w, "CoreCount", in->itype < 2 ? 1 : 2);
    N(w, "ThreadsPerCore", 2);
    END_OBJ(w);
    OBJ(w, "CapacityReservationSpecification");
    S(w, "CapacityReservationPreference", "open");
    END_OBJ(w);
    OBJ(w, "HibernationOptions");
    B(w, "Configured", false);
    END_OBJ(w);
    OBJ(w, "MetadataOptions");
    S(w, "State", "applied");
    S(w, "HttpTokens", pct(60) ? "required" : "optional");
    N(w, "HttpPutResponseHopLimit", 2);
    S(w, "HttpEndpoint", "enabled");
    S(w, "HttpProtocolIpv6", "disabled");
    S(w, "InstanceMetadataTags", "disabled");
    END_OBJ(w);
    OBJ(w, "EnclaveOptions");
    B(w, "Enabled", false);
    END_OBJ(w);
    S(w, "PlatformDetails", "Linux/UNIX");
    S(w, "UsageOperation", "RunInstances");
    S(w, "UsageOperationUpdateTime", ts(in->launched));
    OBJ(w, "PrivateDnsNameOptions");
    S(w, "HostnameType", "ip-name");
    B(w, "EnableResourceNameDnsARecord", false);
    B(w, "EnableResourceNameDnsAAAARecord", false);
    END_OBJ(w);
    OBJ(w, "MaintenanceOptions");
    S(w, "AutoRecovery", "default");
    END_OBJ(w);
    S(w, "CurrentInstanceBootMode", "legacy-bios");
    END_OBJ(w);
}

static void write_reservations(const char *dir)
{
    jw w;
    jw_open(&w, dir, "Reservations.json");
    OBJ(&w, NULL);
    ARR(&w, "Reservations");
    for (uint32_t i = 0; i < A.ninst;) {
        uint32_t res = A.inst[i].res, j = i;
        OBJ(&w, NULL);
        EMPTY_ARR(&w, "Groups");
        ARR(&w, "Instances");
        for (; j < A.ninst && A.inst[j].res == res; j++)
            write_instance(&w, j);
        END_ARR(&w);
        S(&w, "OwnerId", ACCOUNT);
        if (j - i > 1)
            S(&w, "RequesterId", "940372691376"); /* launched by an Auto Scaling group */
        S(&w, "ReservationId", ID("r", I_RES, res));
        END_OBJ(&w);
        i = j;
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

/* ---- DHCP options and prefix lists (targets of references) */

static void write_dhcp(const char *dir)
{
    jw w;
    jw_open(&w, dir, "DhcpOptions.json");
    OBJ(&w, NULL);
    ARR(&w, "DhcpOptions");
    OBJ(&w, NULL);
    ARR(&w, "DhcpConfigurations");
    OBJ(&w, NULL);
    S(&w, "Key", "domain-name");
    ARR(&w, "Values");
    OBJ(&w, NULL);
    S(&w, "Value", "ec2.internal");
    END_OBJ(&w);
    END_ARR(&w);
    END_OBJ(&w);
    OBJ(&w, NULL);
    S(&w, "Key", "domain-name-servers");
    ARR(&w, "Values");
    OBJ(&w, NULL);
    S(&w, "Value", "AmazonProvidedDNS");
    END_OBJ(&w);
    END_ARR(&w);
    END_OBJ(&w);
    END_ARR(&w);
    S(&w, "DhcpOptionsId", dopt_id());
    S(&w, "OwnerId", ACCOUNT);
    EMPTY_ARR(&w, "Tags");
    END_OBJ(&w);
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

static void write_prefix_lists(const char *dir)
{
    static const char *const s3[] = { "16.15.176.0/20", "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21",
                                      "3.5.0.0/19", "44.192.134.240/28", "44.192.140.64/28", "52.216.0.0/15",
                                      "54.231.0.0/16" };
    static const char *const ddb[] = { "3.218.182.0/24", "3.218.180.0/23", "52.94.0.0/22", "52.119.224.0/20" };
    jw w;
    jw_open(&w, dir, "PrefixLists.json");
    OBJ(&w, NULL);
    ARR(&w, "PrefixLists");
    for (int k = 0; k < 2; k++) {
        OBJ(&w, NULL);
        ARR(&w, "Cidrs");
        size_t n = k == 0 ? sizeof s3 / sizeof *s3 : sizeof ddb / sizeof *ddb;
        for (size_t i = 0; i < n; i++)
            S(&w, NULL, k == 0 ? s3[i] : ddb[i]);
        END_ARR(&w);
        S(&w, "PrefixListId", k == 0 ? PL_S3 : PL_DDB);
        S(&w, "PrefixListName", k == 0 ? "com.amazonaws." REGION ".s3" : "com.amazonaws." REGION ".dynamodb");
        END_OBJ(&w);
    }
    END_ARR(&w);
    END_OBJ(&w);
    jw_close(&w);
}

/* ---- SageMaker */

#define ROLE_ARN "arn:aws:iam::" ACCOUNT ":role/service-role/AmazonSageMaker-ExecutionRole-20240402T091000"

static const char *const ALGOS[] = { "xgboost", "pytorch-training", "tensorflow-training", "huggingface-pytorch",
                                     "sklearn", "lightgbm" };
static const char *const PROJECTS[] = { "churn", "fraud", "recsys", "forecast", "nlp-intent", "vision-qc" };

static void vpc_config(jw *w, const sm_t *s)
{
    OBJ(w, "VpcConfig");
    ARR(w, "SecurityGroupIds");
    for (uint8_t i = 0; i < s->nsg; i++)
        S(w, NULL, sg_id(s->sg[i]));
    END_ARR(w);
    ARR(w, "Subnets");
    for (uint8_t i = 0; i < s->nsub; i++)
        S(w, NULL, subnet_id(s->sub[i]));
    END_ARR(w);
    END_OBJ(w);
}

static void write_notebook(jw *w, const sm_t *s)
{
    const char *name = fmt("nb-%u", s->seq);
    OBJ(w, NULL);
    S(w, "NotebookInstanceArn", fmt("arn:aws:sagemaker:" REGION ":" ACCOUNT ":notebook-instance/%s", name));
    S(w, "NotebookInstanceName", name);
    S(w, "NotebookInstanceStatus", s->seq % 5 == 0 ? "Stopped" : "InService");
    S(w, "Url", fmt("%s.notebook." REGION ".sagemaker.aws", name));
    S(w, "InstanceType", s->seq % 3 ? "ml.t3.medium" : "ml.m5.xlarge");
    S(w, "SubnetId", subnet_id(s->sub[0]));
    ARR(w, "SecurityGroups");
    S(w, NULL, sg_id(s->sg[0]));
    END_ARR(w);
    S(w, "RoleArn", ROLE_ARN);
    if (s->seq % 2) {
        const char *h = hexstr(I_KMS, s->vpc, 32);
        S(w, "KmsKeyId", fmt("arn:aws:kms:" REGION ":" ACCOUNT ":key/%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8,
                             h + 12, h + 16, h + 20));
    }
    S(w, "NetworkInterfaceId", eni_id(s->eni));
    S(w, "LastModifiedTime", ts_ms(s->created + 600, s->seq * 7));
    S(w, "CreationTime", ts_ms(s->created, s->seq * 13));
    S(w, "DirectInternetAccess", s->flag_a ? "Enabled" : "Disabled");
    N(w, "VolumeSizeInGB", s->seq % 4 ? 5 : 50);
    S(w, "RootAccess", s->flag_b ? "Enabled" : "Disabled");
    S(w, "PlatformIdentifier", "notebook-al2-v2");
    OBJ(w, "InstanceMetadataServiceConfiguration");
    S(w, "MinimumInstanceMetadataServiceVersion", s->seq % 3 ? "2" : "1");
    END_OBJ(w);
    END_OBJ(w);
}

static void write_training(jw *w, const sm_t *s)
{
    const char *algo = ALGOS[s->seq % 6], *proj = PROJECTS[(s->seq / 6) % 6];
    char nm[96];
    snprintf(nm, sizeof nm, "%s-%s-%s-%03u", algo, proj, ts_name(s->created), s->seq);
    bool done = s->seq % 9 != 0;
    int64_t end = s->created + 600 + s->seq % 3000;
    OBJ(w, NULL);
    S(w, "TrainingJobName", nm);
    S(w, "TrainingJobArn", fmt("arn:aws:sagemaker:" REGION ":" ACCOUNT ":training-job/%s", nm));
    OBJ(w, "ModelArtifacts");
    S(w, "S3ModelArtifacts", fmt("s3://ml-artifacts-" ACCOUNT "/%s/output/%.40s/output/model.tar.gz", proj, nm));
    END_OBJ(w);
    S(w, "TrainingJobStatus", done ? "Completed" : "InProgress");
    S(w, "SecondaryStatus", done ? "Completed" : "Training");
    OBJ(w, "HyperParameters");
    S(w, "max_depth", "5");
    S(w, "num_round", "100");
    S(w, "objective", "binary:logistic");
    END_OBJ(w);
    OBJ(w, "AlgorithmSpecification");
    S(w, "TrainingImage", fmt("683313688378.dkr.ecr." REGION ".amazonaws.com/sagemaker-%s:1.7-1", algo));
    S(w, "TrainingInputMode", "File");
    B(w, "EnableSageMakerMetricsTimeSeries", false);
    END_OBJ(w);
    S(w, "RoleArn", ROLE_ARN);
    ARR(w, "InputDataConfig");
    OBJ(w, NULL);
    S(w, "ChannelName", "train");
    OBJ(w, "DataSource");
    OBJ(w, "S3DataSource");
    S(w, "S3DataType", "S3Prefix");
    S(w, "S3Uri", fmt("s3://ml-data-" ACCOUNT "/%s/train/", proj));
    S(w, "S3DataDistributionType", "FullyReplicated");
    END_OBJ(w);
    END_OBJ(w);
    S(w, "ContentType", "text/csv");
    S(w, "CompressionType", "None");
    S(w, "RecordWrapperType", "None");
    END_OBJ(w);
    END_ARR(w);
    OBJ(w, "OutputDataConfig");
    S(w, "KmsKeyId", "");
    S(w, "S3OutputPath", fmt("s3://ml-artifacts-" ACCOUNT "/%s/output", proj));
    END_OBJ(w);
    OBJ(w, "ResourceConfig");
    S(w, "InstanceType", s->seq % 4 ? "ml.m5.xlarge" : "ml.p3.2xlarge");
    N(w, "InstanceCount", 1 + s->seq % 3);
    N(w, "VolumeSizeInGB", 30);
    END_OBJ(w);
    if (s->invpc)
        vpc_config(w, s);
    OBJ(w, "StoppingCondition");
    N(w, "MaxRuntimeInSeconds", 86400);
    END_OBJ(w);
    S(w, "CreationTime", ts_ms(s->created, s->seq));
    S(w, "TrainingStartTime", ts_ms(s->created + 131, s->seq * 3));
    if (done)
        S(w, "TrainingEndTime", ts_ms(end, s->seq * 5));
    S(w, "LastModifiedTime", ts_ms(done ? end : s->created + 131, s->seq * 5));
    ARR(w, "SecondaryStatusTransitions");
    OBJ(w, NULL);
    S(w, "Status", "Starting");
    S(w, "StartTime", ts_ms(s->created, s->seq));
    S(w, "EndTime", ts_ms(s->created + 131, s->seq * 3));
    S(w, "StatusMessage", "Preparing the instances for training");
    END_OBJ(w);
    if (done) {
        OBJ(w, NULL);
        S(w, "Status", "Completed");
        S(w, "StartTime", ts_ms(end, s->seq * 5));
        S(w, "EndTime", ts_ms(end, s->seq * 5));
        S(w, "StatusMessage", "Training job completed");
        END_OBJ(w);
    }
    END_ARR(w);
    B(w, "EnableNetworkIsolation", s->flag_a);
    B(w, "EnableInterContainerTrafficEncryption", s->flag_b);
    B(w, "EnableManagedSpotTraining", s->seq % 4 == 1);
    if (done) {
        N(w, "TrainingTimeInSeconds", end - s->created - 131);
        N(w, "BillableTimeInSeconds", end - s->created - 131);
    }
    END_OBJ(w);
}

static void write_model(jw *w, const sm_t *s)
{
    const char *proj = PROJECTS[s->seq % 6];
    char nm[96];
    snprintf(nm, sizeof nm, "%s-model-%s-%03u", proj, ts_name(s->created), s->seq);
    OBJ(w, NULL);
    S(w, "ModelName", nm);
    OBJ(w, "PrimaryContainer");
    S(w, "Image", "683313688378.dkr.ecr." REGION ".amazonaws.com/sagemaker-xgboost:1.7-1");
    S(w, "Mode", "SingleModel");
    S(w, "ModelDataUrl", fmt("s3://ml-artifacts-" ACCOUNT "/%s/output/%.40s/model.tar.gz", proj, nm));
    OBJ(w, "Environment");
    END_OBJ(w);
    END_OBJ(w);
    S(w, "ExecutionRoleArn", ROLE_ARN);
    if (s->invpc)
        vpc_config(w, s);
    S(w, "CreationTime", ts_ms(s->created, s->seq * 11));
    S(w, "ModelArn", fmt("arn:aws:sagemaker:" REGION ":" ACCOUNT ":model/%s", nm));
    B(w, "EnableNetworkIsolation", s->flag_a);
    OBJ(w, "DeploymentRecommendation");
    S(w, "RecommendationStatus", "COMPLETED");
    EMPTY_ARR(w, "RealTimeInferenceRecommendations");
    END_OBJ(w);
    END_OBJ(w);
}

static void write_sagemaker(const char *dir)
{
    jw w;
    jw_open(&w, dir, "sagemaker.json");
    ARR(&w, NULL);
    /* Grouped by kind, as a collector listing each kind in turn would write them. */
    for (int kind = SM_NOTEBOOK; kind <= SM_MODEL; kind++) {
        for (uint32_t i = 0; i < A.nsm; i++) {
            const sm_t *s = &A.sm[i];
            if (s->kind != kind)
                continue;
            if (kind == SM_NOTEBOOK)
                write_notebook(&w, s);
            else if (kind == SM_TRAINING)
                write_training(&w, s);
            else
                write_model(&w, s);
        }
    }
    END_ARR(&w);
    jw_close(&w);
}

/* ------------------------------------------------------------------ main */

static void mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                die("cannot create directory", buf);
            *p = c;
            if (!c)
                break;
        }
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: gen_snapshot [--ipv6] [--seed S] N OUTDIR\n"
                    "  writes OUTDIR/aws_configs/" REGION "/*.json with about N resources\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int i = 1;
    uint64_t seed = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--ipv6") == 0) {
            opt_ipv6 = true;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else {
            usage();
        }
    }
    if (argc - i != 2)
        usage();
    char *end;
    errno = 0;
    unsigned long long n = strtoull(argv[i], &end, 10);
    if (errno || *end || n == 0 || n > 50000000ull)
        usage();
    if (seed) {
        rng ^= mix(seed);
        if (!rng)
            rng = 1;
        seed_salt = mix(seed) & 0x0000FFFFFFFFFFFFull;
    }

    char dir[4096];
    snprintf(dir, sizeof dir, "%s/aws_configs/" REGION, argv[i + 1]);
    mkdirs(dir);

    build(n);
    write_vpcs(dir);
    write_subnets(dir);
    write_route_tables(dir);
    write_security_groups(dir);
    write_nacls(dir);
    write_enis(dir);
    write_igws(dir);
    write_nats(dir);
    write_vpces(dir);
    write_reservations(dir);
    write_dhcp(dir);
    write_prefix_lists(dir);
    write_sagemaker(dir);

    unsigned long long total = 3 + A.nvpc * 2 /* + IGWs */ + A.nsub + A.nrtb + A.nacl + A.nsg + A.nnat +
                               A.nvpce + A.neni + A.ninst + A.nsm;
    printf("gen_snapshot: %llu resources in %u files, %llu bytes, under %s\n", total, nfiles, total_bytes, dir);
    printf("  vpcs %zu  subnets %zu  route-tables %zu  nacls %zu  security-groups %zu  igws %zu  nat %zu\n"
           "  endpoints %zu  enis %zu  instances %zu (%u reservations)  sagemaker %zu  dhcp 1  prefix-lists 2\n",
           A.nvpc, A.nsub, A.nrtb, A.nacl, A.nsg, A.nvpc, A.nnat, A.nvpce, A.neni, A.ninst, A.nres, A.nsm);
    if (total != counted)
        fprintf(stderr, "gen_snapshot: internal count mismatch (%llu vs %llu)\n", total,
                (unsigned long long)counted);
    return 0;
}
