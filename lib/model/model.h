/*
 * The network model shared by every analysis (internal to libmlvpc).
 *
 * Invariants:
 *  - Every identifier is an interned symbol (uint32_t, 0 = none); its text is
 *    model_str(m, sym). SageMaker resources are keyed "notebook:NAME",
 *    "domain:ID", "training-job:NAME", ... so that names never collide with
 *    AWS ids (and match the REF syntax of `mlvpc reach`).
 *  - A reference (mv_ref) keeps the id as the input wrote it and, after
 *    model_finish(), the index of the resource in its table, or MV_NONE when
 *    the input does not contain it (a warning was recorded).
 *  - A value the input does not give is unknown: MV_UNKNOWN for tri-states,
 *    NULL for strings, -1 for counts, af = 0 for addresses. Loaders apply a
 *    default only where AWS documents one (noted at the field).
 *  - Tables are vectors indexed by position; per-resource arrays and all
 *    strings live in the model's arena and die with it.
 */
#ifndef MLVPC_MODEL_H
#define MLVPC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "mlvpc/mlvpc.h"
#include "../util/arena.h"
#include "../util/intern.h"
#include "../util/ip.h"
#include "../util/vec.h"

#define MV_NONE UINT32_MAX

typedef int8_t mv_tri;
enum { MV_UNKNOWN = -1, MV_FALSE = 0, MV_TRUE = 1 };

/* Resource kinds; the order is the order of `mlvpc show` sections. */
typedef enum mv_kind {
    MK_NONE = 0,
    MK_VPC, MK_SUBNET, MK_RTB, MK_SG, MK_NACL, MK_IGW, MK_EIGW, MK_NATGW, MK_VPCE,
    MK_PL, MK_ENI, MK_INSTANCE, MK_PCX, MK_FLOWLOG, MK_DHCP, MK_EIP,
    MK_NOTEBOOK, MK_DOMAIN, MK_JOB, MK_MODEL, MK_EPCONFIG, MK_ENDPOINT,
    MK_COUNT
} mv_kind;

/* Stable lowercase names of the kinds ("vpc", "subnet", ...). */
const char *mv_kind_name(mv_kind k);

typedef struct mv_ref {
    uint32_t sym; /* the id as written; 0 = no reference */
    uint32_t idx; /* index in the table of the expected kind, or MV_NONE */
} mv_ref;

typedef struct mv_tag {
    const char *key, *value;
} mv_tag;

/* What every resource has. */
typedef struct mv_res {
    uint32_t id;      /* symbol */
    uint32_t account; /* symbol, 0 = unknown */
    uint32_t region;  /* symbol, 0 = unknown */
    uint32_t file;    /* index into model files */
    uint32_t line, col;
    const char *name; /* value of the Name tag, or NULL */
    mv_tag *tags;
    uint32_t ntags;
    bool tags_unknown; /* the input does not say which tags the resource has */
} mv_res;

typedef struct mv_vpc {
    mv_res r;
    ip_prefix *cidrs; /* IPv4 (associated) then IPv6 */
    uint32_t ncidrs;
    mv_tri dns_support;   /* from describe-vpc-attribute; unknown when not collected */
    mv_tri dns_hostnames;
    mv_tri is_default;
    mv_ref dhcp;
    const char *state;
    /* derived by model_finish */
    uint32_t main_rtb, default_nacl, default_sg; /* MV_NONE when the input has none */
} mv_vpc;

typedef struct mv_subnet {
    mv_res r;
    mv_ref vpc;
    const char *az, *az_id;
    ip_prefix *cidrs;
    uint32_t ncidrs;
    mv_tri map_public_ip;
    const char *state;
    /* derived */
    uint32_t rtb;  /* effective route table, MV_NONE when unknown */
    bool rtb_explicit;
    uint32_t nacl; /* effective NACL, MV_NONE when unknown */
    bool nacl_explicit;
} mv_subnet;

typedef enum mv_target {
    MT_NONE = 0, MT_LOCAL, MT_IGW, MT_NAT, MT_VPCE_GW, MT_PCX, MT_TGW, MT_ENI, MT_INSTANCE,
    MT_EIGW, MT_VGW, MT_GWLBE, MT_CARRIER, MT_LOCALGW, MT_CORE, MT_OTHER,
    MT_UNKNOWN, /* the input says there is a route to this destination, not to what */
    MT_COUNT
} mv_target;
const char *mv_target_name(mv_target t);

typedef enum mv_origin { MO_UNKNOWN = 0, MO_TABLE, MO_STATIC, MO_PROPAGATED } mv_origin;
typedef enum mv_state { MS_UNKNOWN = 0, MS_ACTIVE, MS_BLACKHOLE } mv_state;

typedef struct mv_route {
    ip_prefix dst;   /* dst.a.af = 0 when the destination is a prefix list */
    mv_ref dst_pl;   /* prefix-list destination */
    mv_target target;
    mv_ref tgt;      /* sym = target id ("local" for MT_LOCAL); idx in the target's table */
    mv_state state;
    mv_origin origin;
} mv_route;

typedef struct mv_rtb_assoc {
    mv_ref subnet;  /* sym 0 when not a subnet association */
    mv_ref gateway; /* edge association (igw-/vgw-) */
    bool main;
} mv_rtb_assoc;

typedef struct mv_rtb {
    mv_res r;
    mv_ref vpc;
    mv_rtb_assoc *assocs;
    uint32_t nassocs;
    mv_route *routes;
    uint32_t nroutes;
    bool main;
} mv_rtb;

/* Protocol numbers; MV_PROTO_ALL = "-1". */
enum { MV_PROTO_ALL = -1, MV_ICMP = 1, MV_TCP = 6, MV_UDP = 17, MV_ICMPV6 = 58 };

/*
 * A normalised header-field match shared by SG rules and NACL entries:
 * protocol (or all), destination port range for TCP/UDP (0-65535 for other
 * protocols, where AWS ignores ports), ICMP type and code (-1 = all) for
 * ICMP/ICMPv6.
 */
typedef struct mv_match {
    int16_t proto;
    uint16_t port_lo, port_hi;
    int16_t icmp_type, icmp_code;
} mv_match;

/* "tcp", "udp", "icmp", "icmpv6", "all" (-1), or NULL for other numbers. */
const char *mv_proto_name(int proto);
/* A protocol as EC2 and CloudFormation write it ("tcp", "6", "-1", "all");
 * *ok false when it is none. */
int mv_proto_parse(const char *s, bool *ok);
/* Fill m's ports (TCP/UDP: From-To, absent = all; -1/-1 = all) or ICMP
 * type/code (From/To, -1 = all) as EC2 normalises them for m->proto; false
 * for an invalid range. */
bool mv_match_ports(mv_match *m, bool have_from, int64_t from, bool have_to, int64_t to);

typedef enum mv_peer { MP_CIDR = 0, MP_SG, MP_PL } mv_peer;

typedef struct mv_sg_rule {
    bool egress;
    mv_match m;
    mv_peer peer;
    ip_prefix cidr;
    mv_ref ref;           /* SG or prefix list */
    uint32_t ref_account; /* UserId of an SG reference, 0 = same account / unknown */
    const char *description;
} mv_sg_rule;

typedef struct mv_sg {
    mv_res r;
    mv_ref vpc;
    const char *group_name, *description;
    mv_sg_rule *rules; /* ingress first, then egress */
    uint32_t nrules, ningress;
    bool is_default; /* the VPC's "default" group */
    bool incomplete; /* the input has rules it does not give fully (a template's unknown values) */
} mv_sg;

enum { MV_NACL_STAR_RULE = 32767 }; /* rule numbers from here on are "*" */

typedef struct mv_nacl_entry {
    uint16_t rule;   /* 1..32766; 32767 (IPv4) and 32768 (IPv6) are the final "*" deny */
    bool egress;
    bool allow;
    mv_match m;
    ip_prefix cidr;
} mv_nacl_entry;

typedef struct mv_nacl {
    mv_res r;
    mv_ref vpc;
    mv_tri is_default;
    mv_ref *subnets; /* associations */
    uint32_t nsubnets;
    mv_nacl_entry *entries; /* ingress then egress, each by ascending rule number */
    uint32_t nentries, ningress;
    bool incomplete; /* the input has entries it does not give fully */
} mv_nacl;

typedef struct mv_gw_attach {
    mv_ref vpc;
    const char *state;
} mv_gw_attach;

typedef struct mv_igw { /* internet and egress-only internet gateways */
    mv_res r;
    mv_gw_attach *attach;
    uint32_t nattach;
} mv_igw;

typedef struct mv_nat_addr {
    ip_addr private_ip, public_ip;
    mv_ref eni;
    const char *allocation_id;
} mv_nat_addr;

typedef enum mv_nat_conn { MN_UNKNOWN = 0, MN_PUBLIC, MN_PRIVATE } mv_nat_conn;

typedef struct mv_natgw {
    mv_res r;
    mv_ref subnet, vpc;
    const char *state;
    mv_nat_conn conn; /* absent = public, the documented default */
    mv_nat_addr *addrs;
    uint32_t naddrs;
} mv_natgw;

typedef enum mv_vpce_type { ME_UNKNOWN = 0, ME_GATEWAY, ME_INTERFACE, ME_GWLB, ME_OTHER } mv_vpce_type;

typedef struct mv_vpce {
    mv_res r;
    mv_ref vpc;
    mv_vpce_type type;
    const char *service_name; /* as written */
    const char *service;      /* short name: "s3", "sagemaker.api", ... or NULL */
    const char *state;
    mv_ref *rtbs, *subnets, *sgs, *enis;
    uint32_t nrtbs, nsubnets, nsgs, nenis;
    mv_tri private_dns;
    mv_tri dns_inbound_only; /* DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint (S3) */
    const char *policy; /* JSON text, NULL when absent */
} mv_vpce;

typedef struct mv_pl {
    mv_res r;
    const char *pl_name;
    uint8_t af;          /* 0 unknown */
    int32_t max_entries; /* -1 unknown */
    bool aws_managed;
    bool entries_known;
    ip_prefix *entries;
    uint32_t nentries;
} mv_pl;

typedef enum mv_owner {
    MW_UNKNOWN = 0, MW_INSTANCE, MW_NATGW, MW_VPCE, MW_SAGEMAKER, MW_LAMBDA, MW_ELB,
    MW_EFS, MW_OTHER, MW_COUNT
} mv_owner;
const char *mv_owner_name(mv_owner o);

typedef struct mv_eni {
    mv_res r;
    mv_ref subnet, vpc;
    const char *az, *interface_type, *description, *requester_id, *status;
    mv_tri requester_managed, source_dest_check;
    mv_tri deny_igw; /* DenyAllIgwTraffic: inbound internet traffic dropped */
    ip_addr *private_ips; /* primary first */
    uint32_t nprivate;
    ip_addr *public_ips;  /* associated public IPv4 addresses */
    uint32_t npublic;
    ip_addr *public_of;   /* parallel to private_ips: its public address, af 0 when none */
    ip_addr *ipv6;
    uint32_t nipv6;
    mv_ref *sgs;
    uint32_t nsgs;
    mv_ref instance; /* Attachment.InstanceId */
    /* derived: what the ENI belongs to */
    mv_owner owner;
    mv_kind owner_kind;
    uint32_t owner_idx;
} mv_eni;

typedef struct mv_instance {
    mv_res r;
    mv_ref subnet, vpc;
    const char *state;
    mv_ref *enis, *sgs;
    uint32_t nenis, nsgs;
} mv_instance;

typedef struct mv_pcx_side {
    mv_ref vpc;
    uint32_t owner, region; /* symbols */
    ip_prefix *cidrs;
    uint32_t ncidrs;
} mv_pcx_side;

typedef struct mv_pcx {
    mv_res r;
    mv_pcx_side requester, accepter;
    const char *status;
} mv_pcx;

typedef struct mv_flowlog {
    mv_res r;
    mv_ref resource;   /* vpc-, subnet- or eni- id */
    mv_kind res_kind;  /* what the id names (from its prefix) */
    const char *traffic_type, *dest_type, *dest, *status, *format;
} mv_flowlog;

typedef struct mv_dhcp {
    mv_res r;
    const char **dns_servers; /* "domain-name-servers" values */
    uint32_t ndns;
    bool has_dns_key;
    const char *domain_name;
} mv_dhcp;

typedef struct mv_eip {
    mv_res r;
    ip_addr public_ip, private_ip;
    const char *allocation_id;
    mv_ref eni, instance;
} mv_eip;

/* A SageMaker resource's placement in customer subnets and SGs. */
typedef struct mv_placement {
    mv_tri present; /* a VpcConfig / SubnetId was given */
    mv_ref *subnets, *sgs;
    uint32_t nsubnets, nsgs;
} mv_placement;

typedef struct mv_notebook {
    mv_res r;
    const char *nb_name, *arn, *status, *instance_type, *kms_key;
    mv_placement place;
    mv_ref eni;
    mv_tri direct_internet; /* absent = Enabled (documented default) */
    mv_tri root_access;     /* absent = Enabled (documented default) */
    const char *imds_min;   /* MinimumInstanceMetadataServiceVersion, NULL unknown */
} mv_notebook;

typedef enum mv_app_net { MA_UNKNOWN = 0, MA_PUBLIC_INTERNET_ONLY, MA_VPC_ONLY } mv_app_net;

typedef struct mv_domain {
    mv_res r;
    const char *domain_id, *domain_name, *arn, *status, *auth_mode, *boundary_sg;
    mv_app_net net; /* absent = PublicInternetOnly (documented default) */
    mv_ref vpc;
    mv_placement place;
} mv_domain;

/* Monitoring schedules run processing jobs; a schedule either defines its
 * job inline or names a monitoring job definition (a resource of its own). */
typedef enum mv_job_kind {
    MJ_TRAINING = 0, MJ_PROCESSING, MJ_TUNING, MJ_AUTOML, MJ_MONITORING, MJ_MONITORING_DEF, MJ_COUNT
} mv_job_kind;
const char *mv_job_kind_name(mv_job_kind k);

typedef struct mv_job {
    mv_res r;
    mv_job_kind kind;
    const char *job_name, *arn, *status;
    mv_placement place;
    mv_tri isolation;      /* absent = false (documented default) */
    mv_tri ict_encryption; /* absent = false (documented default) */
    int32_t instance_count; /* -1 unknown */
    bool no_isolation_option; /* AutoML: the API has no EnableNetworkIsolation */
    const char *definition;   /* monitoring schedule: the job definition it names, or NULL */
} mv_job;

typedef struct mv_model_res {
    mv_res r;
    const char *model_name, *arn, *role;
    mv_placement place;
    mv_tri isolation; /* absent = false (documented default) */
} mv_model_res;

typedef struct mv_variant {
    const char *variant_name;
    mv_ref model;           /* "model:NAME" */
    int32_t instance_count; /* -1 unknown or serverless */
    bool serverless;
    const char *instance_type;
} mv_variant;

typedef struct mv_epconfig {
    mv_res r;
    const char *config_name, *arn;
    mv_variant *variants;
    uint32_t nvariants;
} mv_epconfig;

typedef struct mv_endpoint {
    mv_res r;
    const char *ep_name, *arn, *status;
    mv_ref config; /* "endpoint-config:NAME" */
} mv_endpoint;

/* The format a file was read as: findings give the fix for that format. */
typedef enum mv_format { MF_AWSCLI = 0, MF_CLOUDFORMATION, MF_TERRAFORM } mv_format;

typedef struct mv_file {
    const char *path;
    mv_format format;
} mv_file;

/* A describe-vpc-attribute answer, applied to its VPC by model_finish(). */
typedef enum mv_vpc_attr { MVA_DNS_SUPPORT = 0, MVA_DNS_HOSTNAMES } mv_vpc_attr;
typedef struct mv_pending_attr {
    uint32_t vpc; /* symbol */
    mv_vpc_attr attr;
    mv_tri value;
    uint32_t file, line, col;
} mv_pending_attr;

/* A `list-tags` answer for a SageMaker resource ({"ResourceArn", "Tags"}),
 * applied to the resource with that ARN by model_finish(). */
typedef struct mv_pending_tags {
    const char *arn;
    mv_res tags; /* only tags, ntags and name are used */
    uint32_t file, line, col;
} mv_pending_tags;

struct mlvpc_model {
    arena ar;
    intern syms;
    vec tab[MK_COUNT]; /* tab[k] holds the structs of kind k */
    vec files;         /* mv_file */
    vec diags;         /* mlvpc_diag */
    size_t diags_dropped;
    vec skipped;       /* const char * */
    vec vpc_attrs;     /* mv_pending_attr */
    vec sm_tags;       /* mv_pending_tags */
    bool finished;
};

enum { MODEL_MAX_DIAGS = 10000 };

/* Table access. */
#define MV_N(m, k) ((m)->tab[(k)].n)
#define MV_AT(m, k, T, i) VEC_AT((m)->tab[(k)], T, (i))

static inline const char *model_str(const mlvpc_model *m, uint32_t sym) { return intern_str(&m->syms, sym); }
uint32_t model_sym(mlvpc_model *m, const char *s, size_t len);

/* Size of the struct of kind k. */
size_t model_kind_size(mv_kind k);

/*
 * Add a resource of kind k with id `id` (a symbol). Returns its index, or
 * MV_NONE when it is a duplicate (*dup set to the first one's index) or out
 * of memory (*dup = MV_NONE).
 */
uint32_t model_add(mlvpc_model *m, mv_kind k, uint32_t id, uint32_t *dup);
/* Generic header of resource i of kind k. */
mv_res *model_res(const mlvpc_model *m, mv_kind k, uint32_t i);
/* Index of the resource of kind k whose id is sym, or MV_NONE. */
uint32_t model_find(const mlvpc_model *m, mv_kind k, uint32_t sym);

/* Record a warning or note (the model keeps at most MODEL_MAX_DIAGS). */
void model_warn(mlvpc_model *m, const mlvpc_diag *d);
void model_warnf(mlvpc_model *m, mlvpc_severity sev, uint32_t file, unsigned line, unsigned col,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

const char *model_file(const mlvpc_model *m, uint32_t file);

/* Resolve references and derive associations (model.c / resolve.c). */
mlvpc_status model_finish(mlvpc_model *m);

/* The monitoring job definition (index in MK_JOB) a monitoring schedule
 * names, when the input has it; MV_NONE otherwise or for other jobs. */
struct mv_job;
uint32_t model_job_definition(const mlvpc_model *m, const struct mv_job *j);

/* Short service name of an endpoint service ("com.amazonaws.us-east-1.s3" -> "s3"). */
const char *model_service_short(const char *service_name);

/* The default route (/0) of family af in rtb, static before propagated;
 * NULL when there is none. */
const mv_route *model_default_route(const mv_rtb *rtb, uint8_t af);

/*
 * Public or private, as AWS defines it: a subnet is public when its
 * effective route table has an active route to an internet gateway
 * [VPC-UG:configure-subnets]. *why is the deciding route (the IGW route;
 * for a private subnet its IPv4 default route, if any). Unknown when the
 * subnet's route table is not in the input.
 */
typedef enum mv_class { MC_UNKNOWN = 0, MC_PUBLIC, MC_PRIVATE } mv_class;
mv_class model_subnet_class(const mlvpc_model *m, const mv_subnet *s, const mv_route **why);
const char *mv_class_name(mv_class c);

#endif
