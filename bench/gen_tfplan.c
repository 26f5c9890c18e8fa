/*
 * gen_tfplan — write a synthetic `terraform show -json` plan for the load
 * benchmark of the Terraform reader (lib/inputs/tf.c).
 *
 *   gen_tfplan [--seed S] N OUTFILE
 *
 * writes OUTFILE, a fresh plan (every action "create") of about N resource
 * instances, and prints the resource, module and byte counts.
 *
 * The JSON is what Terraform 1.11.4 prints for `terraform show -json PLAN`
 * (format_version "1.2"): one line of compact JSON, struct fields in
 * Terraform's order, map keys sorted, every attribute of the hashicorp/aws v5
 * schema of each type in `after` (null when unset), computed attributes
 * absent from `after` and true in `after_unknown`, `after_sensitive` and
 * `sensitive_values` mirroring the structure. Layout and conventions follow
 * tests/data/tf/plan-modules.json (see tests/data/tf/README.md).
 *
 * Shape: the root module calls modules net_0000, net_0001, ... (source
 * ./modules/network), each with its own copy of the module configuration as
 * Terraform writes it under configuration.root_module.module_calls. Per
 * module: a VPC, 2-6 private and 1-3 public subnets (count), an
 * internet gateway, an EIP and a NAT gateway, a private route table with an
 * aws_route to the NAT and a public one with an inline route to the IGW
 * (gateway_id unknown), associations (count, subnet_id through
 * aws_subnet.x[count.index]), a NACL with 4-10 inline entries, 8-60
 * "workload" security groups (count) with 1-3 inline ingress rules and one
 * egress rule, 1-5 aws_security_group_rule resources with count equal to the
 * number of workload groups (security_group_id through
 * aws_security_group.workload[count.index]), an endpoint security
 * group, 2-6 interface endpoints (for_each) and an S3 gateway endpoint,
 * 0-3 notebook instances (count) and a flow log. Every id is unknown; links
 * exist only as configuration references (resource attributes, count.index,
 * each.value, splats, module input variables and outputs). The root module
 * adds a security group and a notebook placed through module outputs of
 * net_0000. About 170 resource instances per module and 1.6 KB of JSON per
 * instance (it is written twice, in planned_values and resource_changes):
 * N = 62,000 gives ~100 MB, N = 100,000 162 MB, N = 150,000 242 MB.
 *
 * Ordering as Terraform's: planned_values resources by address string,
 * resource_changes by module, type, name, then numeric count index or
 * string for_each key; configuration resources by address.
 *
 * Deterministic: a fixed-seed xorshift64* PRNG, no clock; the same arguments
 * give byte-identical files. C11, no dependencies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* ------------------------------------------------------------------ JSON writer (compact, Go-style) */

static FILE *out;
static const char *out_path;
static int depth;
static bool fresh[64]; /* fresh[d]: nothing written yet at depth d */

static void die(const char *what)
{
    fprintf(stderr, "gen_tfplan: %s %s: %s\n", what, out_path, strerror(errno));
    exit(1);
}

static void sep(void)
{
    if (!fresh[depth])
        putc(',', out);
    fresh[depth] = false;
}

static void open_c(char c)
{
    putc(c, out);
    if (++depth >= 64) {
        fprintf(stderr, "gen_tfplan: nesting too deep\n");
        exit(1);
    }
    fresh[depth] = true;
}

static void close_c(char c)
{
    putc(c, out);
    depth--;
}

static void raw(const char *s) { fputs(s, out); }

static void jstr(const char *s)
{
    putc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            fprintf(out, "\\u%04x", c); /* Go's encoding/json escapes <, >, & too */
        } else {
            putc(c, out);
        }
    }
    putc('"', out);
}

/* "key": then a value */
static void key(const char *k)
{
    sep();
    jstr(k);
    putc(':', out);
}

static void obj(const char *k) /* "k":{   (k NULL: an array element) */
{
    if (k)
        key(k);
    else
        sep();
    open_c('{');
}

static void arr(const char *k)
{
    if (k)
        key(k);
    else
        sep();
    open_c('[');
}

static void end_obj(void) { close_c('}'); }
static void end_arr(void) { close_c(']'); }

static void kstr(const char *k, const char *v)
{
    key(k);
    jstr(v);
}

static void kraw(const char *k, const char *v)
{
    key(k);
    raw(v);
}

static void kint(const char *k, long long v)
{
    key(k);
    fprintf(out, "%lld", v);
}

static void estr(const char *v) /* array element */
{
    sep();
    jstr(v);
}

static void eraw(const char *v)
{
    sep();
    raw(v);
}

static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
    static char bufs[16][256];
    static unsigned next;
    char *b = bufs[next++ % 16];
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, 256, f, ap);
    va_end(ap);
    return b;
}

/* ------------------------------------------------------------------ attribute emitters
 *
 * A resource body is written three ways: M_VAL (`after` / `values`),
 * M_UNK (`after_unknown`) and M_SENS (`after_sensitive` /
 * `sensitive_values`; nothing is sensitive). Attributes in sorted order.
 */

enum { M_VAL, M_UNK, M_SENS };

static void a_str(int m, const char *k, const char *v)
{
    if (m == M_VAL)
        kstr(k, v);
}

static void a_int(int m, const char *k, long long v)
{
    if (m == M_VAL)
        kint(k, v);
}

static void a_bool(int m, const char *k, bool v)
{
    if (m == M_VAL)
        kraw(k, v ? "true" : "false");
}

static void a_null(int m, const char *k)
{
    if (m == M_VAL)
        kraw(k, "null");
}

/* unknown until apply; kind 's' primitive, 'l' list/set, 'm' map/object */
static void a_unk(int m, const char *k, char kind)
{
    if (m == M_UNK)
        kraw(k, "true");
    else if (m == M_SENS && kind == 'l')
        kraw(k, "[]");
    else if (m == M_SENS && kind == 'm')
        kraw(k, "{}");
}

static void a_empty(int m, const char *k) /* a known empty list (absent nested block) */
{
    (void)m;
    kraw(k, "[]");
}

static void a_strlist(int m, const char *k, const char *const *v, unsigned n)
{
    arr(k);
    for (unsigned i = 0; i < n; i++) {
        if (m == M_VAL)
            estr(v[i]);
        else
            eraw("false");
    }
    end_arr();
}

/* tags and tags_all: known maps ({} in the two mirror views) */
static const char *ENV = "prod", *OWNER = "platform";

static void a_tags(int m, const char *name, const char *tier)
{
    obj("tags");
    if (m == M_VAL) {
        kstr("Name", name);
        if (tier)
            kstr("Tier", tier);
    }
    end_obj();
    obj("tags_all");
    if (m == M_VAL) {
        kstr("Environment", ENV);
        kstr("Name", name);
        kstr("Owner", OWNER);
        if (tier)
            kstr("Tier", tier);
    }
    end_obj();
}

/* ------------------------------------------------------------------ model */

/* Types in Terraform's sort order of type names. */
enum {
    T_EIP, T_FLOW, T_IGW, T_NAT, T_NACL, T_ROUTE, T_RTB, T_RTBA, T_NB, T_SG, T_SGR, T_SUBNET, T_VPC, T_VPCE, T_N
};
static const char *const TYPE[T_N] = {
    "aws_eip", "aws_flow_log", "aws_internet_gateway", "aws_nat_gateway", "aws_network_acl", "aws_route",
    "aws_route_table", "aws_route_table_association", "aws_sagemaker_notebook_instance", "aws_security_group",
    "aws_security_group_rule", "aws_subnet", "aws_vpc", "aws_vpc_endpoint",
};
static const int SCHEMA_VERSION[T_N] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1, 0 };

enum { N_CENTRAL, N_INTERFACE, N_NAT, N_NOTEBOOK, N_PRIVATE, N_PRIVATE_NAT, N_PUBLIC, N_S3, N_THIS, N_VPCE,
       N_WORKLOAD, N_RULE0 };
static const char *const NAME[] = { "central", "interface", "nat", "notebook", "private", "private_nat", "public",
                                    "s3", "this", "vpce", "workload",
                                    /* the aws_security_group_rule kinds, in sorted order */
                                    "workload_https", "workload_kafka", "workload_nfs", "workload_postgres",
                                    "workload_redis" };
static const int RULE_PORT[] = { 443, 9092, 2049, 5432, 6379 };
static const char *const RULE_WHAT[] = { "HTTPS", "Kafka", "NFS", "PostgreSQL", "Redis" };
enum { NKINDS = 5 };

/* Interface endpoint services, in sorted order (for_each keys sort as strings). */
static const char *const SVC[] = { "ecr.api", "ecr.dkr", "logs", "sagemaker.api", "sagemaker.runtime", "sts" };
enum { NSVC = 6 };

#define ROOT UINT32_MAX

typedef struct rec {
    uint32_t mod;  /* module index, ROOT for the root module */
    uint8_t type, name;
    int16_t idx;   /* count index, or SVC index for for_each; -1: no key */
} rec;

typedef struct mod_t {
    uint8_t nazs, npriv, npub, nsvc, nnb, nacl;
    uint8_t kinds; /* bit k: aws_security_group_rule.<NAME[N_RULE0 + k]>, count = nsg */
    uint16_t nsg;
    uint8_t svc[NSVC]; /* which services (sorted) */
} mod_t;

static mod_t *mods;
static uint32_t nmods;
static rec *recs;
static size_t nrecs, crecs;

static void add(uint32_t m, int type, int name, int idx)
{
    if (nrecs == crecs) {
        crecs = crecs ? crecs * 2 : 4096;
        rec *p = realloc(recs, crecs * sizeof *recs);
        if (!p) {
            fprintf(stderr, "gen_tfplan: out of memory\n");
            exit(1);
        }
        recs = p;
    }
    recs[nrecs++] = (rec){ .mod = m, .type = (uint8_t)type, .name = (uint8_t)name, .idx = (int16_t)idx };
}

static bool is_foreach(const rec *r) { return r->type == T_VPCE && r->name == N_INTERFACE; }

static const char *mod_name(uint32_t m) { return fmt("net_%04" PRIu32, m); }

/* The instance address. */
static const char *address(const rec *r)
{
    char mp[32] = "";
    if (r->mod != ROOT)
        snprintf(mp, sizeof mp, "module.%s.", mod_name(r->mod));
    if (r->idx < 0)
        return fmt("%s%s.%s", mp, TYPE[r->type], NAME[r->name]);
    if (is_foreach(r))
        return fmt("%s%s.%s[\"%s\"]", mp, TYPE[r->type], NAME[r->name], SVC[r->idx]);
    return fmt("%s%s.%s[%d]", mp, TYPE[r->type], NAME[r->name], r->idx);
}

/* resource_changes order: root first, then modules by name; type, name, key. */
static int cmp_change(const void *pa, const void *pb)
{
    const rec *a = pa, *b = pb;
    if (a->mod != b->mod) {
        if (a->mod == ROOT || b->mod == ROOT)
            return a->mod == ROOT ? -1 : 1;
        return a->mod < b->mod ? -1 : 1;
    }
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    int c = strcmp(NAME[a->name], NAME[b->name]);
    if (c)
        return c;
    if (is_foreach(a))
        return strcmp(SVC[a->idx], SVC[b->idx]);
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* planned_values order: by address string within a module. */
static int cmp_addr(const void *pa, const void *pb)
{
    const rec *a = pa, *b = pb;
    if (a->mod != b->mod) {
        if (a->mod == ROOT || b->mod == ROOT)
            return a->mod == ROOT ? -1 : 1;
        return a->mod < b->mod ? -1 : 1;
    }
    char x[160];
    snprintf(x, sizeof x, "%s", address(a));
    return strcmp(x, address(b));
}

/* ------------------------------------------------------------------ per-module facts */

static unsigned vpc_octet(uint32_t m) { return m % 256; }
static const char *vpc_cidr(uint32_t m) { return fmt("10.%u.0.0/16", vpc_octet(m)); }
static const char *priv_cidr(uint32_t m, int i) { return fmt("10.%u.%d.0/20", vpc_octet(m), i * 16); }
static const char *pub_cidr(uint32_t m, int i) { return fmt("10.%u.%d.0/24", vpc_octet(m), 128 + i); }
static const char *az(const mod_t *md, int i) { return fmt("us-east-1%c", "abcdef"[i % md->nazs]); }
static const char *net_name(uint32_t m) { return fmt("net-%04" PRIu32, m); }

static int rule_port(int i) { return RULE_PORT[i % NKINDS]; }

/* ------------------------------------------------------------------ resource bodies */

static void sg_rule_elem(int m, int from, int to, const char *proto, const char *cidr, const char *desc)
{
    obj(NULL);
    const char *cidrs[1] = { cidr };
    a_strlist(m, "cidr_blocks", cidrs, cidr ? 1 : 0);
    a_str(m, "description", desc);
    a_int(m, "from_port", from);
    a_empty(m, "ipv6_cidr_blocks");
    a_empty(m, "prefix_list_ids");
    a_str(m, "protocol", proto);
    a_empty(m, "security_groups");
    a_bool(m, "self", false);
    a_int(m, "to_port", to);
    end_obj();
}

static void nacl_entry(int m, int rule, const char *action, const char *proto, const char *cidr, int from, int to)
{
    obj(NULL);
    a_str(m, "action", action);
    a_str(m, "cidr_block", cidr);
    a_int(m, "from_port", from);
    a_int(m, "icmp_code", 0);
    a_int(m, "icmp_type", 0);
    a_str(m, "ipv6_cidr_block", "");
    a_str(m, "protocol", proto);
    a_int(m, "rule_no", rule);
    a_int(m, "to_port", to);
    end_obj();
}

static void body(const rec *r, int m)
{
    const uint32_t mi = r->mod;
    const mod_t *md = mi == ROOT ? &mods[0] : &mods[mi];
    char nm[32];
    snprintf(nm, sizeof nm, "%s", mi == ROOT ? "central" : net_name(mi));
    switch (r->type) {
    case T_EIP:
        a_null(m, "address");
        a_unk(m, "allocation_id", 's');
        a_unk(m, "arn", 's');
        a_null(m, "associate_with_private_ip");
        a_unk(m, "association_id", 's');
        a_unk(m, "carrier_ip", 's');
        a_unk(m, "customer_owned_ip", 's');
        a_null(m, "customer_owned_ipv4_pool");
        a_str(m, "domain", "vpc");
        a_unk(m, "id", 's');
        a_unk(m, "instance", 's');
        a_unk(m, "ipam_pool_id", 's');
        a_unk(m, "network_border_group", 's');
        a_unk(m, "network_interface", 's');
        a_unk(m, "private_dns", 's');
        a_unk(m, "private_ip", 's');
        a_unk(m, "ptr_record", 's');
        a_unk(m, "public_dns", 's');
        a_unk(m, "public_ip", 's');
        a_unk(m, "public_ipv4_pool", 's');
        a_tags(m, fmt("%s-nat", nm), NULL);
        a_null(m, "timeouts");
        a_unk(m, "vpc", 's');
        break;
    case T_FLOW:
        a_unk(m, "arn", 's');
        a_null(m, "deliver_cross_account_role");
        a_empty(m, "destination_options");
        a_null(m, "eni_id");
        a_null(m, "iam_role_arn");
        a_unk(m, "id", 's');
        a_str(m, "log_destination", "arn:aws:s3:::platform-flow-logs-123456789012");
        a_str(m, "log_destination_type", "s3");
        a_unk(m, "log_format", 's');
        a_unk(m, "log_group_name", 's');
        a_int(m, "max_aggregation_interval", 600);
        a_null(m, "subnet_id");
        a_tags(m, nm, NULL);
        a_str(m, "traffic_type", "ALL");
        a_null(m, "transit_gateway_attachment_id");
        a_null(m, "transit_gateway_id");
        a_unk(m, "vpc_id", 's');
        break;
    case T_IGW:
        a_unk(m, "arn", 's');
        a_unk(m, "id", 's');
        a_unk(m, "owner_id", 's');
        a_tags(m, nm, NULL);
        a_null(m, "timeouts");
        a_unk(m, "vpc_id", 's');
        break;
    case T_NAT:
        a_unk(m, "allocation_id", 's');
        a_unk(m, "association_id", 's');
        a_str(m, "connectivity_type", "public");
        a_unk(m, "id", 's');
        a_unk(m, "network_interface_id", 's');
        a_unk(m, "private_ip", 's');
        a_unk(m, "public_ip", 's');
        a_null(m, "secondary_allocation_ids");
        a_unk(m, "secondary_private_ip_address_count", 's');
        a_unk(m, "secondary_private_ip_addresses", 'l');
        a_unk(m, "subnet_id", 's');
        a_tags(m, fmt("%s-nat", nm), NULL);
        a_null(m, "timeouts");
        break;
    case T_NACL:
        a_unk(m, "arn", 's');
        arr("egress");
        nacl_entry(m, 100, "allow", "-1", "0.0.0.0/0", 0, 0);
        end_arr();
        a_unk(m, "id", 's');
        arr("ingress");
        nacl_entry(m, 100, "allow", "6", vpc_cidr(mi), 0, 65535);
        nacl_entry(m, 110, "allow", "6", "0.0.0.0/0", 1024, 65535);
        nacl_entry(m, 120, "allow", "17", vpc_cidr(mi), 53, 53);
        nacl_entry(m, 130, "deny", "6", "0.0.0.0/0", 22, 22);
        for (int e = 4; e < md->nacl; e++)
            nacl_entry(m, 100 + 10 * e, "allow", "6", fmt("10.%u.0.0/16", (vpc_octet(mi) + (unsigned)e) % 256),
                       rule_port(e), rule_port(e));
        end_arr();
        a_unk(m, "owner_id", 's');
        a_unk(m, "subnet_ids", 'l');
        a_tags(m, fmt("%s-private", nm), NULL);
        a_unk(m, "vpc_id", 's');
        break;
    case T_ROUTE:
        a_null(m, "carrier_gateway_id");
        a_null(m, "core_network_arn");
        a_str(m, "destination_cidr_block", "0.0.0.0/0");
        a_null(m, "destination_ipv6_cidr_block");
        a_null(m, "destination_prefix_list_id");
        a_null(m, "egress_only_gateway_id");
        a_null(m, "gateway_id");
        a_unk(m, "id", 's');
        a_unk(m, "instance_id", 's');
        a_unk(m, "instance_owner_id", 's');
        a_null(m, "local_gateway_id");
        a_unk(m, "nat_gateway_id", 's');
        a_unk(m, "network_interface_id", 's');
        a_unk(m, "origin", 's');
        a_unk(m, "route_table_id", 's');
        a_unk(m, "state", 's');
        a_null(m, "timeouts");
        a_null(m, "transit_gateway_id");
        a_null(m, "vpc_endpoint_id");
        a_null(m, "vpc_peering_connection_id");
        break;
    case T_RTB:
        a_unk(m, "arn", 's');
        a_unk(m, "id", 's');
        a_unk(m, "owner_id", 's');
        a_unk(m, "propagating_vgws", 'l');
        if (r->name == N_PUBLIC) {
            /* inline route to the IGW: the element is known, its gateway_id is not */
            arr("route");
            obj(NULL);
            static const char *const empty[] = { "core_network_arn", "destination_prefix_list_id",
                                                 "egress_only_gateway_id" };
            a_str(m, "carrier_gateway_id", "");
            a_str(m, "cidr_block", "0.0.0.0/0");
            for (int i = 0; i < 3; i++)
                a_str(m, empty[i], "");
            a_unk(m, "gateway_id", 's');
            static const char *const empty2[] = { "ipv6_cidr_block", "local_gateway_id", "nat_gateway_id",
                                                  "network_interface_id", "transit_gateway_id", "vpc_endpoint_id",
                                                  "vpc_peering_connection_id" };
            for (int i = 0; i < 7; i++)
                a_str(m, empty2[i], "");
            end_obj();
            end_arr();
        } else {
            a_unk(m, "route", 'l');
        }
        a_tags(m, fmt("%s-%s", nm, NAME[r->name]), NULL);
        a_null(m, "timeouts");
        a_unk(m, "vpc_id", 's');
        break;
    case T_RTBA:
        a_null(m, "gateway_id");
        a_unk(m, "id", 's');
        a_unk(m, "route_table_id", 's');
        a_unk(m, "subnet_id", 's');
        break;
    case T_NB:
        a_null(m, "accelerator_types");
        a_null(m, "additional_code_repositories");
        a_unk(m, "arn", 's');
        a_null(m, "default_code_repository");
        a_str(m, "direct_internet_access", "Disabled");
        a_unk(m, "id", 's');
        arr("instance_metadata_service_configuration");
        obj(NULL);
        a_str(m, "minimum_instance_metadata_service_version", "2");
        end_obj();
        end_arr();
        a_str(m, "instance_type", r->idx % 3 ? "ml.t3.medium" : "ml.m5.xlarge");
        a_null(m, "kms_key_id");
        a_null(m, "lifecycle_config_name");
        a_str(m, "name", r->idx < 0 ? "central-notebook" : fmt("%s-notebook-%d", nm, r->idx));
        a_unk(m, "network_interface_id", 's');
        a_unk(m, "platform_identifier", 's');
        a_str(m, "role_arn", "arn:aws:iam::123456789012:role/platform-notebook-exec");
        a_str(m, "root_access", "Disabled");
        a_unk(m, "security_groups", 'l');
        a_unk(m, "subnet_id", 's');
        a_tags(m, r->idx < 0 ? "central-notebook" : fmt("%s-notebook-%d", nm, r->idx), NULL);
        a_unk(m, "url", 's');
        a_int(m, "volume_size", 5);
        break;
    case T_SG:
        a_unk(m, "arn", 's');
        if (r->name == N_WORKLOAD) {
            a_str(m, "description", "Workload security group");
            arr("egress");
            if (r->idx % 4 == 3)
                sg_rule_elem(m, 0, 0, "-1", "0.0.0.0/0", "");
            else
                sg_rule_elem(m, 443, 443, "tcp", "0.0.0.0/0", "HTTPS out");
            end_arr();
        } else {
            a_str(m, "description", r->name == N_VPCE ? "Interface endpoints" : "Central tooling");
            a_unk(m, "egress", 'l');
        }
        a_unk(m, "id", 's');
        arr("ingress");
        if (r->name == N_WORKLOAD) {
            int k = r->idx;
            if (k % 5 == 0)
                sg_rule_elem(m, 22, 22, "tcp", "10.0.0.0/8", "SSH from the corporate range");
            sg_rule_elem(m, 443, 443, "tcp", vpc_cidr(mi), "HTTPS from the VPC");
            if (k % 7 == 0)
                sg_rule_elem(m, 8080, 8080, "tcp", vpc_cidr(mi), "");
        } else {
            sg_rule_elem(m, 443, 443, "tcp", mi == ROOT ? "10.0.0.0/8" : vpc_cidr(mi), "HTTPS from the VPC");
        }
        end_arr();
        if (r->name == N_WORKLOAD)
            a_str(m, "name", fmt("%s-workload-%d", nm, r->idx));
        else
            a_str(m, "name", fmt("%s-%s", nm, NAME[r->name]));
        a_unk(m, "name_prefix", 's');
        a_unk(m, "owner_id", 's');
        a_bool(m, "revoke_rules_on_delete", false);
        a_tags(m, r->name == N_WORKLOAD ? fmt("%s-workload-%d", nm, r->idx) : fmt("%s-%s", nm, NAME[r->name]),
               NULL);
        a_null(m, "timeouts");
        a_unk(m, "vpc_id", 's');
        break;
    case T_SGR:
        a_null(m, "cidr_blocks");
        a_str(m, "description", fmt("%s to the endpoints", RULE_WHAT[r->name - N_RULE0]));
        a_int(m, "from_port", RULE_PORT[r->name - N_RULE0]);
        a_unk(m, "id", 's');
        a_null(m, "ipv6_cidr_blocks");
        a_null(m, "prefix_list_ids");
        a_str(m, "protocol", "tcp");
        a_unk(m, "security_group_id", 's');
        a_unk(m, "security_group_rule_id", 's');
        a_bool(m, "self", false);
        a_unk(m, "source_security_group_id", 's');
        a_null(m, "timeouts");
        a_int(m, "to_port", RULE_PORT[r->name - N_RULE0]);
        a_str(m, "type", "egress");
        break;
    case T_SUBNET: {
        bool pub = r->name == N_PUBLIC;
        a_unk(m, "arn", 's');
        a_bool(m, "assign_ipv6_address_on_creation", false);
        a_str(m, "availability_zone", az(md, r->idx));
        a_unk(m, "availability_zone_id", 's');
        a_str(m, "cidr_block", pub ? pub_cidr(mi, r->idx) : priv_cidr(mi, r->idx));
        a_null(m, "customer_owned_ipv4_pool");
        a_bool(m, "enable_dns64", false);
        a_null(m, "enable_lni_at_device_index");
        a_bool(m, "enable_resource_name_dns_a_record_on_launch", false);
        a_bool(m, "enable_resource_name_dns_aaaa_record_on_launch", false);
        a_unk(m, "id", 's');
        a_unk(m, "ipv6_cidr_block", 's');
        a_unk(m, "ipv6_cidr_block_association_id", 's');
        a_bool(m, "ipv6_native", false);
        a_null(m, "map_customer_owned_ip_on_launch");
        a_bool(m, "map_public_ip_on_launch", pub);
        a_null(m, "outpost_arn");
        a_unk(m, "owner_id", 's');
        a_unk(m, "private_dns_hostname_type_on_launch", 's');
        a_tags(m, fmt("%s-%s-%d", nm, NAME[r->name], r->idx), pub ? "public" : "private");
        a_null(m, "timeouts");
        a_unk(m, "vpc_id", 's');
        break;
    }
    case T_VPC:
        a_unk(m, "arn", 's');
        a_null(m, "assign_generated_ipv6_cidr_block");
        a_str(m, "cidr_block", vpc_cidr(mi));
        a_unk(m, "default_network_acl_id", 's');
        a_unk(m, "default_route_table_id", 's');
        a_unk(m, "default_security_group_id", 's');
        a_unk(m, "dhcp_options_id", 's');
        a_bool(m, "enable_dns_hostnames", true);
        a_bool(m, "enable_dns_support", true);
        a_unk(m, "enable_network_address_usage_metrics", 's');
        a_unk(m, "id", 's');
        a_str(m, "instance_tenancy", "default");
        a_null(m, "ipv4_ipam_pool_id");
        a_null(m, "ipv4_netmask_length");
        a_unk(m, "ipv6_association_id", 's');
        a_unk(m, "ipv6_cidr_block", 's');
        a_unk(m, "ipv6_cidr_block_network_border_group", 's');
        a_null(m, "ipv6_ipam_pool_id");
        a_null(m, "ipv6_netmask_length");
        a_unk(m, "main_route_table_id", 's');
        a_unk(m, "owner_id", 's');
        a_tags(m, nm, NULL);
        break;
    case T_VPCE: {
        bool ifc = r->name == N_INTERFACE;
        a_unk(m, "arn", 's');
        a_null(m, "auto_accept");
        a_unk(m, "cidr_blocks", 'l');
        a_unk(m, "dns_entry", 'l');
        a_unk(m, "dns_options", 'l');
        a_unk(m, "id", 's');
        a_unk(m, "ip_address_type", 's');
        a_unk(m, "network_interface_ids", 'l');
        a_unk(m, "owner_id", 's');
        a_unk(m, "policy", 's');
        a_unk(m, "prefix_list_id", 's');
        if (ifc)
            a_bool(m, "private_dns_enabled", true);
        else
            a_unk(m, "private_dns_enabled", 's');
        a_unk(m, "requester_managed", 's');
        a_null(m, "resource_configuration_arn");
        a_unk(m, "route_table_ids", 'l');
        a_unk(m, "security_group_ids", 'l');
        a_str(m, "service_name", fmt("com.amazonaws.us-east-1.%s", ifc ? SVC[r->idx] : "s3"));
        a_null(m, "service_network_arn");
        a_unk(m, "state", 's');
        a_unk(m, "subnet_configuration", 'l');
        a_unk(m, "subnet_ids", 'l');
        a_tags(m, fmt("%s-%s", nm, ifc ? SVC[r->idx] : "s3"), NULL);
        a_null(m, "timeouts");
        a_str(m, "vpc_endpoint_type", ifc ? "Interface" : "Gateway");
        a_unk(m, "vpc_id", 's');
        break;
    }
    default:
        break;
    }
}

static void body_obj(const char *k, const rec *r, int m)
{
    obj(k);
    body(r, m);
    end_obj();
}

static void res_head(const rec *r, bool change)
{
    kstr("address", address(r));
    if (change && r->mod != ROOT)
        kstr("module_address", fmt("module.%s", mod_name(r->mod)));
    kstr("mode", "managed");
    kstr("type", TYPE[r->type]);
    kstr("name", NAME[r->name]);
    if (r->idx >= 0) {
        if (is_foreach(r))
            kstr("index", SVC[r->idx]);
        else
            kint("index", r->idx);
    }
    kstr("provider_name", "registry.terraform.io/hashicorp/aws");
}

static void planned_res(const rec *r)
{
    obj(NULL);
    res_head(r, false);
    kint("schema_version", SCHEMA_VERSION[r->type]);
    body_obj("values", r, M_VAL);
    body_obj("sensitive_values", r, M_SENS);
    end_obj();
}

static void change_res(const rec *r)
{
    obj(NULL);
    res_head(r, true);
    obj("change");
    arr("actions");
    estr("create");
    end_arr();
    kraw("before", "null");
    body_obj("after", r, M_VAL);
    body_obj("after_unknown", r, M_UNK);
    kraw("before_sensitive", "false");
    body_obj("after_sensitive", r, M_SENS);
    end_obj();
    end_obj();
}

/* ------------------------------------------------------------------ configuration */

/* {"references":[...]} from a NULL-terminated list */
static void refs(const char *k, ...)
{
    obj(k);
    arr("references");
    va_list ap;
    va_start(ap, k);
    for (const char *s; (s = va_arg(ap, const char *)) != NULL;)
        estr(s);
    va_end(ap);
    end_arr();
    end_obj();
}

static void cstr(const char *k, const char *v)
{
    obj(k);
    kstr("constant_value", v);
    end_obj();
}

static void craw(const char *k, const char *v)
{
    obj(k);
    kraw("constant_value", v);
    end_obj();
}

static void cint(const char *k, long long v)
{
    obj(k);
    kint("constant_value", v);
    end_obj();
}

static void cres_head(const char *type, const char *name)
{
    obj(NULL);
    kstr("address", fmt("%s.%s", type, name));
    kstr("mode", "managed");
    kstr("type", type);
    kstr("name", name);
    kstr("provider_config_key", "aws");
    obj("expressions");
}

/* closes "expressions", adds schema_version, count (0: none) and depends_on */
static void cres_tail(int type, int count, const char *depends_on)
{
    end_obj();
    kint("schema_version", SCHEMA_VERSION[type]);
    if (count > 0)
        cint("count_expression", count);
    if (depends_on) {
        arr("depends_on");
        estr(depends_on);
        end_arr();
    }
    end_obj();
}

static void tags_ref(void) { refs("tags", "var.name", NULL); }
static void vpc_ref(void) { refs("vpc_id", "aws_vpc.this.id", "aws_vpc.this", NULL); }

static void sg_rule_const(int from, int to, const char *proto, const char *cidr, const char *desc)
{
    obj(NULL);
    arr("cidr_blocks");
    estr(cidr);
    end_arr();
    if (desc)
        kstr("description", desc);
    else
        kraw("description", "null");
    kint("from_port", from);
    kraw("ipv6_cidr_blocks", "null");
    kraw("prefix_list_ids", "null");
    kstr("protocol", proto);
    kraw("security_groups", "null");
    kraw("self", "null");
    kint("to_port", to);
    end_obj();
}

static void module_config(uint32_t mi)
{
    const mod_t *md = &mods[mi];
    obj("module");
    /* outputs */
    obj("outputs");
    obj("private_route_table_id");
    refs("expression", "aws_route_table.private.id", "aws_route_table.private", NULL);
    end_obj();
    obj("private_subnet_ids");
    refs("expression", "aws_subnet.private", NULL);
    kstr("description", "IDs of the private subnets, in AZ order");
    end_obj();
    obj("vpc_cidr_block");
    refs("expression", "aws_vpc.this.cidr_block", "aws_vpc.this", NULL);
    end_obj();
    obj("vpc_id");
    refs("expression", "aws_vpc.this.id", "aws_vpc.this", NULL);
    end_obj();
    obj("workload_security_group_ids");
    refs("expression", "aws_security_group.workload", NULL);
    end_obj();
    end_obj();

    arr("resources");
    cres_head("aws_eip", "nat");
    cstr("domain", "vpc");
    tags_ref();
    cres_tail(T_EIP, 0, NULL);

    cres_head("aws_flow_log", "this");
    cstr("log_destination", "arn:aws:s3:::platform-flow-logs-123456789012");
    cstr("log_destination_type", "s3");
    tags_ref();
    cstr("traffic_type", "ALL");
    vpc_ref();
    cres_tail(T_FLOW, 0, NULL);

    cres_head("aws_internet_gateway", "this");
    tags_ref();
    vpc_ref();
    cres_tail(T_IGW, 0, NULL);

    cres_head("aws_nat_gateway", "this");
    refs("allocation_id", "aws_eip.nat.id", "aws_eip.nat", NULL);
    refs("subnet_id", "aws_subnet.public[0].id", "aws_subnet.public[0]", "aws_subnet.public", NULL);
    tags_ref();
    cres_tail(T_NAT, 0, "aws_internet_gateway.this");

    cres_head("aws_network_acl", "private");
    obj("egress");
    arr("constant_value");
    obj(NULL);
    kstr("action", "allow");
    kstr("cidr_block", "0.0.0.0/0");
    kint("from_port", 0);
    kraw("icmp_code", "null");
    kraw("icmp_type", "null");
    kraw("ipv6_cidr_block", "null");
    kstr("protocol", "-1");
    kint("rule_no", 100);
    kint("to_port", 0);
    end_obj();
    end_arr();
    end_obj();
    refs("ingress", "var.cidr_block", NULL);
    refs("subnet_ids", "aws_subnet.private", NULL);
    tags_ref();
    vpc_ref();
    cres_tail(T_NACL, 0, NULL);

    cres_head("aws_route", "private_nat");
    cstr("destination_cidr_block", "0.0.0.0/0");
    refs("nat_gateway_id", "aws_nat_gateway.this.id", "aws_nat_gateway.this", NULL);
    refs("route_table_id", "aws_route_table.private.id", "aws_route_table.private", NULL);
    cres_tail(T_ROUTE, 0, NULL);

    cres_head("aws_route_table", "private");
    tags_ref();
    vpc_ref();
    cres_tail(T_RTB, 0, NULL);

    cres_head("aws_route_table", "public");
    refs("route", "aws_internet_gateway.this.id", "aws_internet_gateway.this", NULL);
    tags_ref();
    vpc_ref();
    cres_tail(T_RTB, 0, NULL);

    cres_head("aws_route_table_association", "private");
    refs("route_table_id", "aws_route_table.private.id", "aws_route_table.private", NULL);
    refs("subnet_id", "aws_subnet.private", "count.index", NULL);
    cres_tail(T_RTBA, md->npriv, NULL);

    cres_head("aws_route_table_association", "public");
    refs("route_table_id", "aws_route_table.public.id", "aws_route_table.public", NULL);
    refs("subnet_id", "aws_subnet.public", "count.index", NULL);
    cres_tail(T_RTBA, md->npub, NULL);

    if (md->nnb) {
        cres_head("aws_sagemaker_notebook_instance", "notebook");
        cstr("direct_internet_access", "Disabled");
        arr("instance_metadata_service_configuration");
        obj(NULL);
        cstr("minimum_instance_metadata_service_version", "2");
        end_obj();
        end_arr();
        refs("instance_type", "count.index", NULL);
        refs("name", "var.name", "count.index", NULL);
        cstr("role_arn", "arn:aws:iam::123456789012:role/platform-notebook-exec");
        cstr("root_access", "Disabled");
        refs("security_groups", "aws_security_group.workload[0].id", "aws_security_group.workload[0]",
             "aws_security_group.workload", NULL);
        refs("subnet_id", "aws_subnet.private", "count.index", NULL);
        refs("tags", "var.name", "count.index", NULL);
        cres_tail(T_NB, md->nnb, NULL);
    }

    cres_head("aws_security_group", "vpce");
    cstr("description", "Interface endpoints");
    refs("ingress", "var.cidr_block", NULL);
    refs("name", "var.name", NULL);
    tags_ref();
    vpc_ref();
    cres_tail(T_SG, 0, NULL);

    cres_head("aws_security_group", "workload");
    cstr("description", "Workload security group");
    refs("egress", "count.index", NULL);
    refs("ingress", "count.index", "var.cidr_block", NULL);
    refs("name", "var.name", "count.index", NULL);
    refs("tags", "var.name", "count.index", NULL);
    vpc_ref();
    cres_tail(T_SG, md->nsg, NULL);

    /* one rule per workload group: security_group_id = aws_security_group.workload[count.index].id */
    for (int k = 0; k < NKINDS; k++) {
        if (!(md->kinds & (1u << k)))
            continue;
        cres_head("aws_security_group_rule", NAME[N_RULE0 + k]);
        cstr("description", fmt("%s to the endpoints", RULE_WHAT[k]));
        cint("from_port", RULE_PORT[k]);
        cstr("protocol", "tcp");
        refs("security_group_id", "aws_security_group.workload", "count.index", NULL);
        refs("source_security_group_id", "aws_security_group.vpce.id", "aws_security_group.vpce", NULL);
        cint("to_port", RULE_PORT[k]);
        cstr("type", "egress");
        cres_tail(T_SGR, md->nsg, NULL);
    }

    for (int pub = 0; pub < 2; pub++) { /* aws_subnet.private, then aws_subnet.public */
        cres_head("aws_subnet", pub ? "public" : "private");
        refs("availability_zone", "var.azs", "count.index", NULL);
        refs("cidr_block", "var.cidr_block", "count.index", NULL);
        craw("map_public_ip_on_launch", pub ? "true" : "false");
        refs("tags", "var.name", "count.index", NULL);
        vpc_ref();
        cres_tail(T_SUBNET, pub ? md->npub : md->npriv, NULL);
    }

    cres_head("aws_vpc", "this");
    refs("cidr_block", "var.cidr_block", NULL);
    craw("enable_dns_hostnames", "true");
    craw("enable_dns_support", "true");
    tags_ref();
    cres_tail(T_VPC, 0, NULL);

    /* for_each over toset(var.interface_services) */
    cres_head("aws_vpc_endpoint", "interface");
    craw("private_dns_enabled", "true");
    refs("security_group_ids", "aws_security_group.vpce.id", "aws_security_group.vpce", NULL);
    refs("service_name", "each.value", NULL);
    refs("subnet_ids", "aws_subnet.private", NULL);
    refs("tags", "var.name", "each.key", NULL);
    cstr("vpc_endpoint_type", "Interface");
    vpc_ref();
    end_obj();
    kint("schema_version", SCHEMA_VERSION[T_VPCE]);
    refs("for_each_expression", "var.interface_services", NULL);
    end_obj();

    cres_head("aws_vpc_endpoint", "s3");
    refs("route_table_ids", "aws_route_table.private.id", "aws_route_table.private", NULL);
    cstr("service_name", "com.amazonaws.us-east-1.s3");
    tags_ref();
    cstr("vpc_endpoint_type", "Gateway");
    vpc_ref();
    cres_tail(T_VPCE, 0, NULL);
    end_arr(); /* resources */

    obj("variables");
    obj("azs");
    kstr("description", "Availability zones, one subnet of each tier per zone");
    end_obj();
    obj("cidr_block");
    end_obj();
    obj("interface_services");
    arr("default");
    for (int s = 0; s < NSVC; s++)
        if (md->svc[s])
            estr(SVC[s]);
    end_arr();
    kstr("description", "Services that get an interface endpoint");
    end_obj();
    obj("name");
    end_obj();
    end_obj();
    end_obj(); /* module */
}

static void module_call(uint32_t mi)
{
    const mod_t *md = &mods[mi];
    obj(mod_name(mi));
    kstr("source", "./modules/network");
    obj("expressions");
    obj("azs");
    arr("constant_value");
    for (int a = 0; a < md->nazs; a++)
        estr(fmt("us-east-1%c", "abcdef"[a]));
    end_arr();
    end_obj();
    cstr("cidr_block", vpc_cidr(mi));
    cstr("name", net_name(mi));
    end_obj();
    module_config(mi);
    end_obj();
}

static void root_config(void)
{
    obj("outputs");
    obj("central_notebook_url");
    refs("expression", "aws_sagemaker_notebook_instance.central.url", "aws_sagemaker_notebook_instance.central",
         NULL);
    end_obj();
    end_obj();
    arr("resources");
    cres_head("aws_sagemaker_notebook_instance", "central");
    cstr("direct_internet_access", "Disabled");
    arr("instance_metadata_service_configuration");
    obj(NULL);
    cstr("minimum_instance_metadata_service_version", "2");
    end_obj();
    end_arr();
    cstr("instance_type", "ml.m5.xlarge");
    cstr("name", "central-notebook");
    cstr("role_arn", "arn:aws:iam::123456789012:role/platform-notebook-exec");
    cstr("root_access", "Disabled");
    refs("security_groups", "aws_security_group.central.id", "aws_security_group.central", NULL);
    refs("subnet_id", "module.net_0000.private_subnet_ids[0]", "module.net_0000.private_subnet_ids",
         "module.net_0000", NULL);
    obj("tags");
    obj("constant_value");
    kstr("Name", "central-notebook");
    end_obj();
    end_obj();
    cres_tail(T_NB, 0, NULL);
    cres_head("aws_security_group", "central");
    cstr("description", "Central tooling");
    obj("ingress");
    arr("constant_value");
    sg_rule_const(443, 443, "tcp", "10.0.0.0/8", "HTTPS from the VPC");
    end_arr();
    end_obj();
    cstr("name", "central-central");
    obj("tags");
    obj("constant_value");
    kstr("Name", "central-central");
    end_obj();
    end_obj();
    refs("vpc_id", "module.net_0000.vpc_id", "module.net_0000", NULL);
    cres_tail(T_SG, 0, NULL);
    end_arr();
    obj("module_calls");
    for (uint32_t mi = 0; mi < nmods; mi++)
        module_call(mi);
    end_obj();
    obj("variables");
    obj("region");
    kstr("default", "us-east-1");
    end_obj();
    end_obj();
}

/* ------------------------------------------------------------------ relevant_attributes */

static void rel(const char *res, const char *attr)
{
    obj(NULL);
    kstr("resource", res);
    arr("attribute");
    estr(attr);
    end_arr();
    end_obj();
}

static void relevant(void)
{
    arr("relevant_attributes");
    rel("aws_sagemaker_notebook_instance.central", "url");
    rel("aws_security_group.central", "id");
    for (uint32_t mi = 0; mi < nmods; mi++) {
        const char *p = fmt("module.%s.", mod_name(mi));
        rel(fmt("%saws_eip.nat", p), "id");
        rel(fmt("%saws_internet_gateway.this", p), "id");
        rel(fmt("%saws_nat_gateway.this", p), "id");
        rel(fmt("%saws_route_table.private", p), "id");
        rel(fmt("%saws_route_table.public", p), "id");
        rel(fmt("%saws_security_group.vpce", p), "id");
        rel(fmt("%saws_security_group.workload[0]", p), "id");
        rel(fmt("%saws_subnet.public[0]", p), "id");
        rel(fmt("%saws_vpc.this", p), "id");
    }
    end_arr();
}

/* ------------------------------------------------------------------ main */

static void build(unsigned long long n)
{
    unsigned long long total = 2; /* the root module's two resources */
    add(ROOT, T_NB, N_CENTRAL, -1);
    add(ROOT, T_SG, N_CENTRAL, -1);
    while (total < n || nmods == 0) {
        mod_t md = { 0 };
        md.nazs = (uint8_t)between(2, 3);
        md.npriv = (uint8_t)between(2, 6);
        md.npub = (uint8_t)between(1, 3);
        md.nsg = (uint16_t)between(8, 60);
        md.kinds = (uint8_t)(1u | below(32)); /* HTTPS always, the others at random */
        md.nnb = (uint8_t)below(4);
        md.nacl = (uint8_t)between(4, 10);
        /* sagemaker.api, sagemaker.runtime, sts and logs mostly; ECR sometimes */
        md.svc[3] = md.svc[4] = 1;
        md.svc[5] = below(10) < 8;
        md.svc[2] = below(10) < 8;
        md.svc[0] = md.svc[1] = below(10) < 4;
        for (int s = 0; s < NSVC; s++)
            md.nsvc += md.svc[s];

        void *p = realloc(mods, (nmods + 1) * sizeof *mods);
        if (!p) {
            fprintf(stderr, "gen_tfplan: out of memory\n");
            exit(1);
        }
        mods = p;
        mods[nmods] = md;
        uint32_t mi = nmods++;
        size_t before = nrecs;
        add(mi, T_EIP, N_NAT, -1);
        add(mi, T_FLOW, N_THIS, -1);
        add(mi, T_IGW, N_THIS, -1);
        add(mi, T_NAT, N_THIS, -1);
        add(mi, T_NACL, N_PRIVATE, -1);
        add(mi, T_ROUTE, N_PRIVATE_NAT, -1);
        add(mi, T_RTB, N_PRIVATE, -1);
        add(mi, T_RTB, N_PUBLIC, -1);
        for (int i = 0; i < md.npriv; i++)
            add(mi, T_RTBA, N_PRIVATE, i);
        for (int i = 0; i < md.npub; i++)
            add(mi, T_RTBA, N_PUBLIC, i);
        for (int i = 0; i < md.nnb; i++)
            add(mi, T_NB, N_NOTEBOOK, i);
        add(mi, T_SG, N_VPCE, -1);
        for (int i = 0; i < md.nsg; i++)
            add(mi, T_SG, N_WORKLOAD, i);
        for (int k = 0; k < NKINDS; k++)
            if (md.kinds & (1u << k))
                for (int i = 0; i < md.nsg; i++)
                    add(mi, T_SGR, N_RULE0 + k, i);
        for (int i = 0; i < md.npriv; i++)
            add(mi, T_SUBNET, N_PRIVATE, i);
        for (int i = 0; i < md.npub; i++)
            add(mi, T_SUBNET, N_PUBLIC, i);
        add(mi, T_VPC, N_THIS, -1);
        for (int s = 0; s < NSVC; s++)
            if (md.svc[s])
                add(mi, T_VPCE, N_INTERFACE, s);
        add(mi, T_VPCE, N_S3, -1);
        total += nrecs - before;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: gen_tfplan [--seed S] N OUTFILE\n"
                    "  writes OUTFILE, a `terraform show -json` plan of about N resources\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int i = 1;
    uint64_t seed = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else
            usage();
    }
    if (argc - i != 2)
        usage();
    char *end;
    errno = 0;
    unsigned long long n = strtoull(argv[i], &end, 10);
    if (errno || *end || n == 0 || n > 20000000ull)
        usage();
    if (seed) {
        rng ^= mix(seed);
        if (!rng)
            rng = 1;
    }
    out_path = argv[i + 1];
    build(n);

    out = fopen(out_path, "w");
    if (!out)
        die("cannot create");
    setvbuf(out, NULL, _IOFBF, 1 << 20);
    fresh[0] = true;

    obj(NULL);
    kstr("format_version", "1.2");
    kstr("terraform_version", "1.11.4");
    obj("variables");
    obj("region");
    kstr("value", "us-east-1");
    end_obj();
    end_obj();

    /* planned_values */
    qsort(recs, nrecs, sizeof *recs, cmp_addr);
    obj("planned_values");
    obj("outputs");
    obj("central_notebook_url");
    kraw("sensitive", "false");
    end_obj();
    end_obj();
    obj("root_module");
    arr("resources");
    size_t k = 0;
    for (; k < nrecs && recs[k].mod == ROOT; k++)
        planned_res(&recs[k]);
    end_arr();
    arr("child_modules");
    while (k < nrecs) {
        uint32_t mi = recs[k].mod;
        obj(NULL);
        arr("resources");
        for (; k < nrecs && recs[k].mod == mi; k++)
            planned_res(&recs[k]);
        end_arr();
        kstr("address", fmt("module.%s", mod_name(mi)));
        end_obj();
    }
    end_arr();
    end_obj();
    end_obj();

    /* resource_changes */
    qsort(recs, nrecs, sizeof *recs, cmp_change);
    arr("resource_changes");
    for (k = 0; k < nrecs; k++)
        change_res(&recs[k]);
    end_arr();

    obj("output_changes");
    obj("central_notebook_url");
    arr("actions");
    estr("create");
    end_arr();
    kraw("before", "null");
    kraw("after_unknown", "true");
    kraw("before_sensitive", "false");
    kraw("after_sensitive", "false");
    end_obj();
    end_obj();

    /* configuration */
    obj("configuration");
    obj("provider_config");
    obj("aws");
    kstr("name", "aws");
    kstr("full_name", "registry.terraform.io/hashicorp/aws");
    kstr("version_constraint", "~> 5.0");
    obj("expressions");
    arr("default_tags");
    obj(NULL);
    obj("tags");
    obj("constant_value");
    kstr("Environment", ENV);
    kstr("Owner", OWNER);
    end_obj();
    end_obj();
    end_obj();
    end_arr();
    refs("region", "var.region", NULL);
    end_obj();
    end_obj();
    end_obj();
    obj("root_module");
    root_config();
    end_obj();
    end_obj();

    relevant();
    kstr("timestamp", "2026-11-27T12:00:00Z");
    kraw("applyable", "true");
    kraw("complete", "true");
    kraw("errored", "false");
    end_obj();
    putc('\n', out);

    long size = ftell(out);
    if (ferror(out) || fclose(out) != 0)
        die("cannot write");
    printf("gen_tfplan: %zu resources in %" PRIu32 " modules (+2 in the root), %ld bytes (%.1f MB), %s\n", nrecs,
           nmods, size, (double)size / 1e6, out_path);
    free(recs);
    free(mods);
    return 0;
}
