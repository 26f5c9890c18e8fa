/*
 * Loader of AWS CLI describe-* outputs (EC2 and SageMaker), one parsed
 * document at a time. Field names and shapes: ../shared/spec/input-formats.md
 * part (iii) and the EC2/SageMaker API references.
 */
#include <stdlib.h>
#include <string.h>

#include "load.h"

static void *ld_alloc(ld *L, uint32_t tok, size_t n, size_t size)
{
    if (!n)
        return NULL;
    void *p = arena_calloc(&L->m->ar, n, size);
    if (!p)
        ld_fail(L, tok, MLVPC_ERR_NOMEM, "out of memory");
    return p;
}

static uint32_t count_of(ld *L, uint32_t arr) { return arr ? L->d->t[arr].count : 0; }

static mv_ref ref_of(uint32_t sym) { return (mv_ref){ .sym = sym, .idx = MV_NONE }; }

/* Expect an array element to be an object. */
static bool want_obj(ld *L, uint32_t tok, const char *what)
{
    if (json_type(L->d, tok) == J_OBJ)
        return true;
    ld_fail(L, tok, MLVPC_ERR_SCHEMA, "expected %s to be an object", what);
    return false;
}

#define RES(L, k, T, i) MV_AT((L)->m, (k), T, (i))

/* ------------------------------------------------------------------ VPC */

static void cidr_set(ld *L, uint32_t obj, const char *arrkey, const char *statekey, const char *cidrkey,
                     ip_prefix *out, uint32_t *n)
{
    uint32_t arr = ld_field(L, obj, arrkey, J_ARR);
    LD_ARR_FOR(L, arr, i, k) {
        if (!want_obj(L, i, arrkey))
            return;
        /* Only associated blocks route; disassociated ones linger in the set. */
        uint32_t st = ld_field(L, i, statekey, J_OBJ);
        uint32_t sv = st ? ld_field(L, st, "State", J_STR) : 0;
        if (sv && strcmp(json_str(L->d, sv), "associated") != 0)
            continue;
        ip_prefix p;
        if (ld_prefix(L, i, cidrkey, &p))
            out[(*n)++] = p;
    }
}

static void load_vpc(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_VPC, o, "VpcId", NULL);
    if (idx == MV_NONE)
        return;
    uint32_t a4 = json_get(L->d, o, "CidrBlockAssociationSet"), a6 = json_get(L->d, o, "Ipv6CidrBlockAssociationSet");
    uint32_t max = 1 + (a4 ? L->d->t[a4].count : 0) + (a6 ? L->d->t[a6].count : 0);
    ip_prefix *c = ld_alloc(L, o, max, sizeof *c);
    uint32_t n = 0;
    if (L->failed)
        return;
    if (a4) {
        cidr_set(L, o, "CidrBlockAssociationSet", "CidrBlockState", "CidrBlock", c, &n);
    } else {
        ip_prefix p;
        if (ld_prefix(L, o, "CidrBlock", &p))
            c[n++] = p;
    }
    cidr_set(L, o, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlockState", "Ipv6CidrBlock", c, &n);
    mv_vpc *v = RES(L, MK_VPC, mv_vpc, idx);
    v->cidrs = c;
    v->ncidrs = n;
    v->dns_support = v->dns_hostnames = MV_UNKNOWN; /* only describe-vpc-attribute says */
    v->is_default = ld_tri(L, o, "IsDefault");
    v->dhcp = ref_of(ld_sym(L, o, "DhcpOptionsId"));
    v->state = ld_str(L, o, "State");
    v->main_rtb = v->default_nacl = v->default_sg = MV_NONE;
}

static void load_vpc_attr(ld *L, uint32_t o)
{
    static const struct { const char *key; mv_vpc_attr attr; } attrs[] = {
        { "EnableDnsSupport", MVA_DNS_SUPPORT }, { "EnableDnsHostnames", MVA_DNS_HOSTNAMES },
    };
    uint32_t vpc = ld_req_sym(L, o, "VpcId");
    for (size_t a = 0; a < sizeof attrs / sizeof *attrs && !L->failed; a++) {
        uint32_t av = ld_field(L, o, attrs[a].key, J_OBJ);
        if (!av)
            continue;
        uint32_t val = ld_field(L, av, "Value", J_TRUE);
        if (!val) {
            if (!L->failed)
                ld_fail(L, av, MLVPC_ERR_SCHEMA, "missing \"Value\" boolean");
            return;
        }
        uint32_t pi;
        if (vec_push(&L->m->vpc_attrs, sizeof(mv_pending_attr), &pi) != 0) {
            ld_fail(L, o, MLVPC_ERR_NOMEM, "out of memory");
            return;
        }
        mv_pending_attr *p = VEC_AT(L->m->vpc_attrs, mv_pending_attr, pi);
        p->vpc = vpc;
        p->attr = attrs[a].attr;
        p->value = json_type(L->d, val) == J_TRUE ? MV_TRUE : MV_FALSE;
        p->file = L->file;
        json_linecol(L->d, L->d->t[o].off, &p->line, &p->col);
    }
}

/* `aws sagemaker list-tags` as scripts/collect-aws-snapshot writes it, with
 * the resource's ARN beside the tags (its --query adds it). */
static void load_sm_tags(ld *L, uint32_t o)
{
    mv_pending_tags t = { .file = L->file };
    uint32_t arn = ld_field(L, o, "ResourceArn", J_STR);
    if (!arn) {
        if (!L->failed)
            ld_fail(L, o, MLVPC_ERR_SCHEMA, "missing \"ResourceArn\" string");
        return;
    }
    t.arn = ld_tok_str(L, arn);
    ld_tags(L, &t.tags, o);
    if (L->failed)
        return;
    json_linecol(L->d, L->d->t[o].off, &t.line, &t.col);
    uint32_t pi;
    if (vec_push(&L->m->sm_tags, sizeof t, &pi) != 0) {
        ld_fail(L, o, MLVPC_ERR_NOMEM, "out of memory");
        return;
    }
    *VEC_AT(L->m->sm_tags, mv_pending_tags, pi) = t;
}

static void load_subnet(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_SUBNET, o, "SubnetId", NULL);
    if (idx == MV_NONE)
        return;
    uint32_t a6 = json_get(L->d, o, "Ipv6CidrBlockAssociationSet");
    ip_prefix *c = ld_alloc(L, o, 1 + (a6 ? L->d->t[a6].count : 0), sizeof *c);
    uint32_t n = 0;
    ip_prefix p;
    if (L->failed)
        return;
    if (ld_prefix(L, o, "CidrBlock", &p))
        c[n++] = p;
    cidr_set(L, o, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlockState", "Ipv6CidrBlock", c, &n);
    mv_subnet *s = RES(L, MK_SUBNET, mv_subnet, idx);
    s->cidrs = c;
    s->ncidrs = n;
    s->vpc = ref_of(ld_req_sym(L, o, "VpcId"));
    s->az = ld_str(L, o, "AvailabilityZone");
    s->az_id = ld_str(L, o, "AvailabilityZoneId");
    s->map_public_ip = ld_tri(L, o, "MapPublicIpOnLaunch");
    s->state = ld_str(L, o, "State");
    s->rtb = s->nacl = MV_NONE;
}

/* ------------------------------------------------------------------ routes */

static const struct {
    const char *key;
    mv_target target;
} route_targets[] = {
    /* NetworkInterfaceId before InstanceId: AWS reports both for instance
     * routes and the ENI is what forwards. */
    { "GatewayId", MT_NONE }, /* classified by the id's prefix */
    { "NatGatewayId", MT_NAT },
    { "TransitGatewayId", MT_TGW },
    { "VpcPeeringConnectionId", MT_PCX },
    { "EgressOnlyInternetGatewayId", MT_EIGW },
    { "NetworkInterfaceId", MT_ENI },
    { "InstanceId", MT_INSTANCE },
    { "VpcEndpointId", MT_GWLBE },
    { "CarrierGatewayId", MT_CARRIER },
    { "LocalGatewayId", MT_LOCALGW },
    { "CoreNetworkArn", MT_CORE },
};

static mv_target gateway_kind(const char *id)
{
    if (strcmp(id, "local") == 0) return MT_LOCAL;
    if (strncmp(id, "igw-", 4) == 0) return MT_IGW;
    if (strncmp(id, "vgw-", 4) == 0) return MT_VGW;
    if (strncmp(id, "vpce-", 5) == 0) return MT_VPCE_GW;
    if (strncmp(id, "eigw-", 5) == 0) return MT_EIGW;
    if (strncmp(id, "nat-", 4) == 0) return MT_NAT;
    return MT_OTHER;
}

static void load_route(ld *L, uint32_t o, mv_route *r)
{
    if (!ld_prefix(L, o, "DestinationCidrBlock", &r->dst) &&
        !ld_prefix(L, o, "DestinationIpv6CidrBlock", &r->dst)) {
        r->dst_pl = ref_of(ld_sym(L, o, "DestinationPrefixListId"));
        if (!r->dst_pl.sym && !L->failed)
            ld_fail(L, o, MLVPC_ERR_SCHEMA,
                    "missing route destination (\"DestinationCidrBlock\", \"DestinationIpv6CidrBlock\" "
                    "or \"DestinationPrefixListId\")");
    }
    for (size_t t = 0; t < sizeof route_targets / sizeof *route_targets && !r->target; t++) {
        uint32_t v = ld_field(L, o, route_targets[t].key, J_STR);
        if (!v)
            continue;
        r->tgt = ref_of(ld_tok_sym(L, v));
        r->target = route_targets[t].target ? route_targets[t].target : gateway_kind(json_str(L->d, v));
    }
    const char *st = ld_str(L, o, "State");
    r->state = !st ? MS_UNKNOWN : strcmp(st, "blackhole") == 0 ? MS_BLACKHOLE : MS_ACTIVE;
    const char *org = ld_str(L, o, "Origin");
    r->origin = !org ? MO_UNKNOWN : strcmp(org, "CreateRouteTable") == 0 ? MO_TABLE
              : strcmp(org, "EnableVgwRoutePropagation") == 0 ? MO_PROPAGATED : MO_STATIC;
}

static void load_rtb(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_RTB, o, "RouteTableId", NULL);
    if (idx == MV_NONE)
        return;
    uint32_t aa = ld_field(L, o, "Associations", J_ARR), ra = ld_field(L, o, "Routes", J_ARR);
    mv_rtb_assoc *as = ld_alloc(L, o, count_of(L, aa), sizeof *as);
    mv_route *rs = ld_alloc(L, o, count_of(L, ra), sizeof *rs);
    uint32_t na = 0, nr = 0;
    bool main = false;
    if (L->failed)
        return;
    LD_ARR_FOR(L, aa, i, k) {
        if (!want_obj(L, i, "an association"))
            return;
        /* A disassociated association no longer applies. */
        uint32_t st = ld_field(L, i, "AssociationState", J_OBJ);
        uint32_t sv = st ? ld_field(L, st, "State", J_STR) : 0;
        if (sv && strcmp(json_str(L->d, sv), "associated") != 0)
            continue;
        mv_rtb_assoc *a = &as[na++];
        a->subnet = ref_of(ld_sym(L, i, "SubnetId"));
        a->gateway = ref_of(ld_sym(L, i, "GatewayId"));
        a->main = ld_tri(L, i, "Main") == MV_TRUE;
        main |= a->main;
    }
    LD_ARR_FOR(L, ra, i, k) {
        if (!want_obj(L, i, "a route"))
            return;
        load_route(L, i, &rs[nr++]);
    }
    mv_rtb *t = RES(L, MK_RTB, mv_rtb, idx);
    t->vpc = ref_of(ld_req_sym(L, o, "VpcId"));
    t->assocs = as;
    t->nassocs = na;
    t->routes = rs;
    t->nroutes = nr;
    t->main = main;
}

/* ------------------------------------------------------------------ SGs */

/* Protocol from a string ("tcp", "6", "-1") or a number token. */
static bool read_proto(ld *L, uint32_t o, const char *key, int16_t *out)
{
    uint32_t v = json_get(L->d, o, key);
    bool ok = false;
    int p = 0;
    if (v && json_type(L->d, v) == J_STR) {
        p = mv_proto_parse(json_str(L->d, v), &ok);
    } else if (v && json_type(L->d, v) == J_NUM) {
        int64_t n;
        ok = json_int(L->d, v, &n) && n >= -1 && n <= 255;
        p = (int)n;
    }
    if (!ok) {
        ld_fail(L, v ? v : o, MLVPC_ERR_SCHEMA,
                v ? "expected \"%s\" to be a protocol name or number (-1..255)" : "missing \"%s\" protocol", key);
        return false;
    }
    *out = (int16_t)p;
    return true;
}

/*
 * Normalise protocol and ports (EC2 IpPermission): ports only mean something
 * for TCP/UDP; for ICMP From/To are type/code (-1 = all); for -1 and every
 * other protocol number AWS ignores the range, so it matches all ports.
 */
static bool norm_match(ld *L, uint32_t tok, mv_match *m, bool have_from, int64_t from, bool have_to, int64_t to)
{
    if (mv_match_ports(m, have_from, from, have_to, to))
        return true;
    ld_fail(L, tok, MLVPC_ERR_SCHEMA, "invalid port range %lld-%lld", (long long)from, (long long)to);
    return false;
}

static uint32_t sg_rule_count(ld *L, uint32_t perms)
{
    static const char *const peers[] = { "IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs" };
    uint32_t n = 0;
    LD_ARR_FOR(L, perms, i, k) {
        if (json_type(L->d, i) != J_OBJ)
            continue;
        for (size_t p = 0; p < 4; p++) {
            uint32_t a = json_get(L->d, i, peers[p]);
            if (a && json_type(L->d, a) == J_ARR)
                n += L->d->t[a].count;
        }
    }
    return n;
}

static void load_perms(ld *L, uint32_t perms, bool egress, mv_sg_rule *out, uint32_t *n)
{
    LD_ARR_FOR(L, perms, i, k) {
        if (!want_obj(L, i, "an IpPermission"))
            return;
        mv_match m = { 0 };
        int64_t from = 0, to = 0;
        if (!read_proto(L, i, "IpProtocol", &m.proto))
            return;
        bool hf = ld_int(L, i, "FromPort", &from), ht = ld_int(L, i, "ToPort", &to);
        if (L->failed || !norm_match(L, i, &m, hf, from, ht, to))
            return;
        static const struct { const char *arr, *key; mv_peer peer; } peers[] = {
            { "IpRanges", "CidrIp", MP_CIDR }, { "Ipv6Ranges", "CidrIpv6", MP_CIDR },
            { "PrefixListIds", "PrefixListId", MP_PL }, { "UserIdGroupPairs", "GroupId", MP_SG },
        };
        for (size_t p = 0; p < sizeof peers / sizeof *peers; p++) {
            uint32_t arr = ld_field(L, i, peers[p].arr, J_ARR);
            LD_ARR_FOR(L, arr, j, q) {
                if (!want_obj(L, j, peers[p].arr))
                    return;
                mv_sg_rule *r = &out[(*n)++];
                r->egress = egress;
                r->m = m;
                r->peer = peers[p].peer;
                r->description = ld_str(L, j, "Description");
                if (peers[p].peer == MP_CIDR) {
                    if (!ld_prefix(L, j, peers[p].key, &r->cidr) && !L->failed)
                        ld_fail(L, j, MLVPC_ERR_SCHEMA, "missing \"%s\" string", peers[p].key);
                } else {
                    r->ref = ref_of(ld_req_sym(L, j, peers[p].key));
                    if (peers[p].peer == MP_SG)
                        r->ref_account = ld_sym(L, j, "UserId");
                }
                if (L->failed)
                    return;
            }
        }
    }
}

static void load_sg(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_SG, o, "GroupId", NULL);
    if (idx == MV_NONE)
        return;
    uint32_t in = ld_field(L, o, "IpPermissions", J_ARR), eg = ld_field(L, o, "IpPermissionsEgress", J_ARR);
    uint32_t max = sg_rule_count(L, in) + sg_rule_count(L, eg), n = 0;
    mv_sg_rule *rules = ld_alloc(L, o, max, sizeof *rules);
    if (L->failed)
        return;
    load_perms(L, in, false, rules, &n);
    uint32_t ningress = n;
    load_perms(L, eg, true, rules, &n);
    mv_sg *g = RES(L, MK_SG, mv_sg, idx);
    g->rules = rules;
    g->nrules = n;
    g->ningress = ningress;
    g->vpc = ref_of(ld_sym(L, o, "VpcId"));
    g->group_name = ld_str(L, o, "GroupName");
    g->description = ld_str(L, o, "Description");
    g->is_default = g->group_name && strcmp(g->group_name, "default") == 0;
}

/* ------------------------------------------------------------------ NACLs */

static int entry_cmp(const void *a, const void *b)
{
    const mv_nacl_entry *x = a, *y = b;
    if (x->egress != y->egress)
        return x->egress ? 1 : -1;
    return (x->rule > y->rule) - (x->rule < y->rule);
}

static bool load_nacl_entry(ld *L, uint32_t o, mv_nacl_entry *e)
{
    int64_t rn;
    if (!ld_int(L, o, "RuleNumber", &rn)) {
        if (!L->failed)
            ld_fail(L, o, MLVPC_ERR_SCHEMA, "missing \"RuleNumber\" integer");
        return false;
    }
    /* 1..32766 are user rules; AWS lists the final "*" deny as 32767 for
     * IPv4 and 32768 for IPv6 (describe-network-acls of dual-stack VPCs). */
    if (rn < 1 || rn > 32768) {
        ld_fail(L, json_get(L->d, o, "RuleNumber"), MLVPC_ERR_SCHEMA, "rule number %lld outside 1..32768",
                (long long)rn);
        return false;
    }
    e->rule = (uint16_t)rn;
    mv_tri eg = ld_tri(L, o, "Egress");
    const char *action = ld_str(L, o, "RuleAction");
    if (eg == MV_UNKNOWN || !action) {
        if (!L->failed)
            ld_fail(L, o, MLVPC_ERR_SCHEMA, "missing \"%s\"", eg == MV_UNKNOWN ? "Egress" : "RuleAction");
        return false;
    }
    e->egress = eg == MV_TRUE;
    if (strcmp(action, "allow") != 0 && strcmp(action, "deny") != 0) {
        ld_fail(L, json_get(L->d, o, "RuleAction"), MLVPC_ERR_SCHEMA,
                "expected \"RuleAction\" to be \"allow\" or \"deny\"");
        return false;
    }
    e->allow = action[0] == 'a';
    if (!read_proto(L, o, "Protocol", &e->m.proto))
        return false;
    if (!ld_prefix(L, o, "CidrBlock", &e->cidr) && !ld_prefix(L, o, "Ipv6CidrBlock", &e->cidr)) {
        if (!L->failed)
            ld_fail(L, o, MLVPC_ERR_SCHEMA, "missing \"CidrBlock\" or \"Ipv6CidrBlock\"");
        return false;
    }
    int64_t from = 0, to = 0, type = -1, code = -1;
    bool hf = false, ht = false;
    uint32_t pr = ld_field(L, o, "PortRange", J_OBJ), ic = ld_field(L, o, "IcmpTypeCode", J_OBJ);
    if (pr) {
        hf = ld_int(L, pr, "From", &from);
        ht = ld_int(L, pr, "To", &to);
    }
    if (ic) {
        ld_int(L, ic, "Type", &type);
        ld_int(L, ic, "Code", &code);
    }
    if (e->m.proto == MV_ICMP || e->m.proto == MV_ICMPV6)
        return !L->failed && norm_match(L, o, &e->m, true, type, true, code);
    return !L->failed && norm_match(L, o, &e->m, hf, from, ht, to);
}

static void load_nacl(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_NACL, o, "NetworkAclId", NULL);
    if (idx == MV_NONE)
        return;
    uint32_t ea = ld_field(L, o, "Entries", J_ARR), aa = ld_field(L, o, "Associations", J_ARR);
    mv_nacl_entry *es = ld_alloc(L, o, count_of(L, ea), sizeof *es);
    uint32_t ne = 0, ni = 0, ns = 0;
    if (L->failed)
        return;
    LD_ARR_FOR(L, ea, i, k) {
        if (!want_obj(L, i, "a NACL entry") || !load_nacl_entry(L, i, &es[ne]))
            return;
        ni += !es[ne].egress;
        ne++;
    }
    if (ne)
        qsort(es, ne, sizeof *es, entry_cmp);
    mv_ref *subs = ld_alloc(L, o, count_of(L, aa), sizeof *subs);
    if (L->failed)
        return;
    LD_ARR_FOR(L, aa, i, k) {
        if (!want_obj(L, i, "an association"))
            return;
        uint32_t s = ld_sym(L, i, "SubnetId");
        if (s)
            subs[ns++] = ref_of(s);
    }
    mv_nacl *n = RES(L, MK_NACL, mv_nacl, idx);
    n->entries = es;
    n->nentries = ne;
    n->ningress = ni;
    n->subnets = subs;
    n->nsubnets = ns;
    n->vpc = ref_of(ld_req_sym(L, o, "VpcId"));
    n->is_default = ld_tri(L, o, "IsDefault");
}

/* ------------------------------------------------------------------ gateways */

static void load_igw_kind(ld *L, uint32_t o, mv_kind kind, const char *idkey)
{
    uint32_t idx = ld_start(L, kind, o, idkey, NULL);
    if (idx == MV_NONE)
        return;
    uint32_t aa = ld_field(L, o, "Attachments", J_ARR), n = 0;
    mv_gw_attach *at = ld_alloc(L, o, count_of(L, aa), sizeof *at);
    if (L->failed)
        return;
    LD_ARR_FOR(L, aa, i, k) {
        if (!want_obj(L, i, "an attachment"))
            return;
        at[n].vpc = ref_of(ld_req_sym(L, i, "VpcId"));
        at[n].state = ld_str(L, i, "State");
        n++;
    }
    mv_igw *g = RES(L, kind, mv_igw, idx);
    g->attach = at;
    g->nattach = n;
}

static void load_igw(ld *L, uint32_t o) { load_igw_kind(L, o, MK_IGW, "InternetGatewayId"); }
static void load_eigw(ld *L, uint32_t o) { load_igw_kind(L, o, MK_EIGW, "EgressOnlyInternetGatewayId"); }

static void load_natgw(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_NATGW, o, "NatGatewayId", NULL);
    if (idx == MV_NONE)
        return;
    uint32_t aa = ld_field(L, o, "NatGatewayAddresses", J_ARR), n = 0;
    mv_nat_addr *ad = ld_alloc(L, o, count_of(L, aa), sizeof *ad);
    if (L->failed)
        return;
    LD_ARR_FOR(L, aa, i, k) {
        if (!want_obj(L, i, "a NAT gateway address"))
            return;
        ld_addr(L, i, "PrivateIp", &ad[n].private_ip);
        ld_addr(L, i, "PublicIp", &ad[n].public_ip);
        ad[n].eni = ref_of(ld_sym(L, i, "NetworkInterfaceId"));
        ad[n].allocation_id = ld_str(L, i, "AllocationId");
        n++;
    }
    mv_natgw *g = RES(L, MK_NATGW, mv_natgw, idx);
    g->addrs = ad;
    g->naddrs = n;
    g->subnet = ref_of(ld_sym(L, o, "SubnetId"));
    g->vpc = ref_of(ld_sym(L, o, "VpcId"));
    g->state = ld_str(L, o, "State");
    const char *ct = ld_str(L, o, "ConnectivityType");
    /* ConnectivityType defaults to public (CreateNatGateway). */
    g->conn = !ct || strcmp(ct, "public") == 0 ? MN_PUBLIC : strcmp(ct, "private") == 0 ? MN_PRIVATE : MN_UNKNOWN;
}

/* ------------------------------------------------------------------ endpoints */

static void load_vpce(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_VPCE, o, "VpcEndpointId", NULL);
    if (idx == MV_NONE)
        return;
    mv_vpce tmp = { 0 };
    tmp.rtbs = ld_id_list(L, o, "RouteTableIds", &tmp.nrtbs);
    tmp.subnets = ld_id_list(L, o, "SubnetIds", &tmp.nsubnets);
    tmp.sgs = ld_obj_id_list(L, o, "Groups", "GroupId", &tmp.nsgs);
    tmp.enis = ld_id_list(L, o, "NetworkInterfaceIds", &tmp.nenis);
    tmp.vpc = ref_of(ld_req_sym(L, o, "VpcId"));
    tmp.service_name = ld_str(L, o, "ServiceName");
    tmp.service = model_service_short(tmp.service_name);
    tmp.state = ld_str(L, o, "State");
    tmp.private_dns = ld_tri(L, o, "PrivateDnsEnabled");
    uint32_t dnsopt = ld_field(L, o, "DnsOptions", J_OBJ);
    tmp.dns_inbound_only = dnsopt ? ld_tri(L, dnsopt, "PrivateDnsOnlyForInboundResolverEndpoint") : MV_UNKNOWN;
    tmp.policy = ld_str(L, o, "PolicyDocument");
    const char *type = ld_str(L, o, "VpcEndpointType");
    tmp.type = !type ? ME_UNKNOWN : strcmp(type, "Gateway") == 0 ? ME_GATEWAY
             : strcmp(type, "Interface") == 0 ? ME_INTERFACE
             : strcmp(type, "GatewayLoadBalancer") == 0 ? ME_GWLB : ME_OTHER;
    mv_vpce *e = RES(L, MK_VPCE, mv_vpce, idx);
    tmp.r = e->r;
    *e = tmp;
}

/*
 * Prefix lists come from describe-prefix-lists (AWS service lists with
 * "Cidrs"), describe-managed-prefix-lists (metadata), and entries files
 * ({"PrefixListId", "Entries"}) written by scripts/collect-aws-snapshot. The
 * same list may arrive from several of them, so later ones fill in.
 */
static uint32_t pl_get(ld *L, uint32_t o)
{
    uint32_t id = ld_req_sym(L, o, "PrefixListId");
    if (!id)
        return MV_NONE;
    uint32_t idx = model_find(L->m, MK_PL, id);
    if (idx != MV_NONE)
        return idx;
    idx = ld_start_sym(L, MK_PL, o, id, json_get(L->d, o, "PrefixListId"));
    if (idx != MV_NONE)
        RES(L, MK_PL, mv_pl, idx)->max_entries = -1;
    return idx;
}

static void pl_entries(ld *L, uint32_t o, uint32_t idx, const char *key, const char *cidrkey)
{
    uint32_t arr = ld_field(L, o, key, J_ARR), n = 0;
    if (!arr || idx == MV_NONE)
        return;
    ip_prefix *e = ld_alloc(L, arr, count_of(L, arr), sizeof *e);
    if (L->failed)
        return;
    LD_ARR_FOR(L, arr, i, k) {
        bool ok = cidrkey ? want_obj(L, i, "a prefix list entry") && ld_prefix(L, i, cidrkey, &e[n])
                          : json_type(L->d, i) == J_STR && ip_parse_prefix(json_str(L->d, i), &e[n]);
        if (!ok) {
            if (!L->failed)
                ld_fail(L, i, MLVPC_ERR_SCHEMA, "expected a CIDR block");
            return;
        }
        n++;
    }
    mv_pl *p = RES(L, MK_PL, mv_pl, idx);
    p->entries = e;
    p->nentries = n;
    p->entries_known = true;
}

static void load_pl(ld *L, uint32_t o)
{
    uint32_t idx = pl_get(L, o);
    if (idx == MV_NONE)
        return;
    const char *name = ld_str(L, o, "PrefixListName");
    const char *af = ld_str(L, o, "AddressFamily");
    uint32_t owner = ld_sym(L, o, "OwnerId");
    int64_t max;
    bool has_max = ld_int(L, o, "MaxEntries", &max);
    bool old_style = json_get(L->d, o, "Cidrs") != 0;
    pl_entries(L, o, idx, "Cidrs", NULL);
    pl_entries(L, o, idx, "Entries", "Cidr");
    mv_pl *p = RES(L, MK_PL, mv_pl, idx);
    if (name)
        p->pl_name = name;
    if (af)
        p->af = strcmp(af, "IPv6") == 0 ? IP_V6 : IP_V4;
    if (has_max && max >= 0 && max <= INT32_MAX)
        p->max_entries = (int32_t)max;
    /* describe-prefix-lists returns only AWS service lists; managed lists say OwnerId "AWS". */
    if (old_style || (owner && strcmp(model_str(L->m, owner), "AWS") == 0))
        p->aws_managed = true;
    if (owner)
        p->r.account = owner;
}

/* ------------------------------------------------------------------ ENIs */

static void load_eni(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_ENI, o, "NetworkInterfaceId", NULL);
    if (idx == MV_NONE)
        return;
    mv_eni t = { 0 };
    uint32_t pa = ld_field(L, o, "PrivateIpAddresses", J_ARR), v6 = ld_field(L, o, "Ipv6Addresses", J_ARR);
    uint32_t np = count_of(L, pa) + 1;
    t.private_ips = ld_alloc(L, o, np, sizeof(ip_addr));
    t.public_ips = ld_alloc(L, o, np, sizeof(ip_addr));
    t.public_of = ld_alloc(L, o, np, sizeof(ip_addr));
    t.ipv6 = ld_alloc(L, o, count_of(L, v6), sizeof(ip_addr));
    ip_addr a;
    if (L->failed)
        return;
    if (ld_addr(L, o, "PrivateIpAddress", &a))
        t.private_ips[t.nprivate++] = a;
    LD_ARR_FOR(L, pa, i, k) {
        if (!want_obj(L, i, "a private IP address"))
            return;
        uint32_t at = MV_NONE; /* index of this private address */
        if (ld_addr(L, i, "PrivateIpAddress", &a)) {
            for (uint32_t j = 0; j < t.nprivate && at == MV_NONE; j++)
                if (memcmp(&t.private_ips[j], &a, sizeof a) == 0)
                    at = j;
            if (at == MV_NONE) {
                at = t.nprivate;
                t.private_ips[t.nprivate++] = a;
            }
        }
        uint32_t as = ld_field(L, i, "Association", J_OBJ);
        if (as && ld_addr(L, as, "PublicIp", &a)) {
            t.public_ips[t.npublic++] = a;
            if (at != MV_NONE)
                t.public_of[at] = a;
        }
    }
    uint32_t as = ld_field(L, o, "Association", J_OBJ);
    if (as && ld_addr(L, as, "PublicIp", &a)) {
        bool seen = false;
        for (uint32_t j = 0; j < t.npublic; j++)
            seen |= memcmp(&t.public_ips[j], &a, sizeof a) == 0;
        if (!seen)
            t.public_ips[t.npublic++] = a;
        /* the top-level association is the primary address's */
        if (t.nprivate && !t.public_of[0].af)
            t.public_of[0] = a;
    }
    LD_ARR_FOR(L, v6, i, k) {
        if (want_obj(L, i, "an IPv6 address") && ld_addr(L, i, "Ipv6Address", &a))
            t.ipv6[t.nipv6++] = a;
    }
    t.sgs = ld_obj_id_list(L, o, "Groups", "GroupId", &t.nsgs);
    t.subnet = ref_of(ld_sym(L, o, "SubnetId"));
    t.vpc = ref_of(ld_sym(L, o, "VpcId"));
    t.az = ld_str(L, o, "AvailabilityZone");
    t.interface_type = ld_str(L, o, "InterfaceType");
    t.description = ld_str(L, o, "Description");
    t.requester_id = ld_str(L, o, "RequesterId");
    t.status = ld_str(L, o, "Status");
    t.requester_managed = ld_tri(L, o, "RequesterManaged");
    t.source_dest_check = ld_tri(L, o, "SourceDestCheck");
    t.deny_igw = ld_tri(L, o, "DenyAllIgwTraffic");
    uint32_t at = ld_field(L, o, "Attachment", J_OBJ);
    if (at)
        t.instance = ref_of(ld_sym(L, at, "InstanceId"));
    t.owner_idx = MV_NONE;
    mv_eni *e = RES(L, MK_ENI, mv_eni, idx);
    t.r = e->r;
    *e = t;
}

static void load_instance(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_INSTANCE, o, "InstanceId", NULL);
    if (idx == MV_NONE)
        return;
    mv_instance t = { 0 };
    t.subnet = ref_of(ld_sym(L, o, "SubnetId"));
    t.vpc = ref_of(ld_sym(L, o, "VpcId"));
    uint32_t st = ld_field(L, o, "State", J_OBJ);
    if (st)
        t.state = ld_str(L, st, "Name");
    t.enis = ld_obj_id_list(L, o, "NetworkInterfaces", "NetworkInterfaceId", &t.nenis);
    t.sgs = ld_obj_id_list(L, o, "SecurityGroups", "GroupId", &t.nsgs);
    mv_instance *e = RES(L, MK_INSTANCE, mv_instance, idx);
    t.r = e->r;
    *e = t;
}

static void load_reservation(ld *L, uint32_t o)
{
    uint32_t arr = ld_field(L, o, "Instances", J_ARR);
    LD_ARR_FOR(L, arr, i, k) {
        if (!want_obj(L, i, "an instance"))
            return;
        load_instance(L, i);
        if (L->failed)
            return;
    }
}

/* ------------------------------------------------------------------ others */

static void pcx_side(ld *L, uint32_t o, const char *key, mv_pcx_side *s)
{
    uint32_t v = ld_field(L, o, key, J_OBJ);
    if (!v)
        return;
    s->vpc = ref_of(ld_sym(L, v, "VpcId"));
    s->owner = ld_sym(L, v, "OwnerId");
    s->region = ld_sym(L, v, "Region");
    uint32_t c4 = ld_field(L, v, "CidrBlockSet", J_ARR), c6 = ld_field(L, v, "Ipv6CidrBlockSet", J_ARR);
    s->cidrs = ld_alloc(L, v, 1 + count_of(L, c4) + count_of(L, c6), sizeof *s->cidrs);
    if (!s->cidrs)
        return;
    LD_ARR_FOR(L, c4, i, k) {
        if (want_obj(L, i, "a CIDR block") && ld_prefix(L, i, "CidrBlock", &s->cidrs[s->ncidrs]))
            s->ncidrs++;
    }
    if (!c4 && ld_prefix(L, v, "CidrBlock", &s->cidrs[s->ncidrs]))
        s->ncidrs++;
    LD_ARR_FOR(L, c6, i, k) {
        if (want_obj(L, i, "an IPv6 CIDR block") && ld_prefix(L, i, "Ipv6CidrBlock", &s->cidrs[s->ncidrs]))
            s->ncidrs++;
    }
}

static void load_pcx(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_PCX, o, "VpcPeeringConnectionId", NULL);
    if (idx == MV_NONE)
        return;
    mv_pcx t = { 0 };
    pcx_side(L, o, "RequesterVpcInfo", &t.requester);
    pcx_side(L, o, "AccepterVpcInfo", &t.accepter);
    uint32_t st = ld_field(L, o, "Status", J_OBJ);
    if (st)
        t.status = ld_str(L, st, "Code");
    mv_pcx *e = RES(L, MK_PCX, mv_pcx, idx);
    t.r = e->r;
    *e = t;
}

static mv_kind kind_of_id(const char *id)
{
    static const struct { const char *prefix; mv_kind kind; } p[] = {
        { "vpc-", MK_VPC }, { "subnet-", MK_SUBNET }, { "eni-", MK_ENI },
    };
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        if (strncmp(id, p[i].prefix, strlen(p[i].prefix)) == 0)
            return p[i].kind;
    return MK_NONE;
}

static void load_flowlog(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_FLOWLOG, o, "FlowLogId", NULL);
    if (idx == MV_NONE)
        return;
    mv_flowlog t = { 0 };
    t.resource = ref_of(ld_req_sym(L, o, "ResourceId"));
    t.res_kind = t.resource.sym ? kind_of_id(model_str(L->m, t.resource.sym)) : MK_NONE;
    t.traffic_type = ld_str(L, o, "TrafficType");
    t.dest_type = ld_str(L, o, "LogDestinationType");
    t.dest = ld_str(L, o, "LogDestination");
    if (!t.dest)
        t.dest = ld_str(L, o, "LogGroupName");
    t.status = ld_str(L, o, "FlowLogStatus");
    t.format = ld_str(L, o, "LogFormat");
    mv_flowlog *e = RES(L, MK_FLOWLOG, mv_flowlog, idx);
    t.r = e->r;
    *e = t;
}

static void load_dhcp(ld *L, uint32_t o)
{
    uint32_t idx = ld_start(L, MK_DHCP, o, "DhcpOptionsId", NULL);
    if (idx == MV_NONE)
        return;
    mv_dhcp t = { 0 };
    uint32_t arr = ld_field(L, o, "DhcpConfigurations", J_ARR);
    LD_ARR_FOR(L, arr, i, k) {
        if (!want_obj(L, i, "a DHCP configuration"))
            return;
        const char *key = ld_str(L, i, "Key");
        uint32_t vals = ld_field(L, i, "Values", J_ARR);
        if (!key)
            continue;
        bool dns = strcmp(key, "domain-name-servers") == 0;
        if (dns && count_of(L, vals)) {
            /* The key may repeat: grow the list instead of replacing it. */
            const char **all = ld_alloc(L, i, (size_t)t.ndns + count_of(L, vals), sizeof *all);
            if (!all)
                return;
            if (t.ndns)
                memcpy(all, t.dns_servers, t.ndns * sizeof *all);
            t.dns_servers = all;
        }
        t.has_dns_key |= dns;
        LD_ARR_FOR(L, vals, j, q) {
            if (!want_obj(L, j, "a DHCP value"))
                return;
            const char *v = ld_str(L, j, "Value");
            if (v && dns)
                t.dns_servers[t.ndns++] = v;
            else if (v && strcmp(key, "domain-name") == 0)
                t.domain_name = v;
        }
    }
    mv_dhcp *e = RES(L, MK_DHCP, mv_dhcp, idx);
    t.r = e->r;
    *e = t;
}

static void load_eip(ld *L, uint32_t o)
{
    const char *key = json_get(L->d, o, "AllocationId") ? "AllocationId" : "PublicIp";
    uint32_t idx = ld_start(L, MK_EIP, o, key, NULL);
    if (idx == MV_NONE)
        return;
    mv_eip t = { 0 };
    ld_addr(L, o, "PublicIp", &t.public_ip);
    ld_addr(L, o, "PrivateIpAddress", &t.private_ip);
    t.allocation_id = ld_str(L, o, "AllocationId");
    t.eni = ref_of(ld_sym(L, o, "NetworkInterfaceId"));
    t.instance = ref_of(ld_sym(L, o, "InstanceId"));
    mv_eip *e = RES(L, MK_EIP, mv_eip, idx);
    t.r = e->r;
    *e = t;
}

/* ------------------------------------------------------------------ SageMaker */

/* "Enabled"/"Disabled" with a documented default when absent. */
static mv_tri enabled(ld *L, uint32_t o, const char *key, mv_tri dflt)
{
    const char *v = ld_str(L, o, key);
    if (!v)
        return dflt;
    if (strcmp(v, "Enabled") == 0)
        return MV_TRUE;
    if (strcmp(v, "Disabled") == 0)
        return MV_FALSE;
    ld_fail(L, json_get(L->d, o, key), MLVPC_ERR_SCHEMA, "expected \"%s\" to be \"Enabled\" or \"Disabled\"", key);
    return MV_UNKNOWN;
}

/* A boolean whose absence means false (documented default of the API). */
static mv_tri flag(ld *L, uint32_t o, const char *key)
{
    mv_tri t = ld_tri(L, o, key);
    return t == MV_UNKNOWN ? MV_FALSE : t;
}

static void vpc_config(ld *L, uint32_t o, mv_placement *p)
{
    uint32_t vc = ld_field(L, o, "VpcConfig", J_OBJ);
    p->present = vc ? MV_TRUE : MV_FALSE;
    if (!vc)
        return;
    p->subnets = ld_id_list(L, vc, "Subnets", &p->nsubnets);
    p->sgs = ld_id_list(L, vc, "SecurityGroupIds", &p->nsgs);
}

static int32_t count_field(ld *L, uint32_t o, const char *key)
{
    int64_t v;
    return o && ld_int(L, o, key, &v) && v >= 0 && v <= INT32_MAX ? (int32_t)v : -1;
}

static uint32_t sm_start(ld *L, uint32_t o, mv_kind k, const char *namekey, const char *prefix,
                         const char *arnkey)
{
    uint32_t idx = ld_start(L, k, o, namekey, prefix);
    if (idx != MV_NONE)
        ld_arn(L, model_res(L->m, k, idx), ld_str(L, o, arnkey));
    return L->failed ? MV_NONE : idx;
}

static void load_notebook(ld *L, uint32_t o)
{
    uint32_t idx = sm_start(L, o, MK_NOTEBOOK, "NotebookInstanceName", "notebook:", "NotebookInstanceArn");
    if (idx == MV_NONE)
        return;
    mv_notebook t = { 0 };
    t.nb_name = ld_str(L, o, "NotebookInstanceName");
    t.arn = ld_str(L, o, "NotebookInstanceArn");
    t.status = ld_str(L, o, "NotebookInstanceStatus");
    t.instance_type = ld_str(L, o, "InstanceType");
    t.kms_key = ld_str(L, o, "KmsKeyId");
    uint32_t subnet = ld_sym(L, o, "SubnetId");
    t.place.present = subnet ? MV_TRUE : MV_FALSE;
    if (subnet) {
        t.place.subnets = ld_alloc(L, o, 1, sizeof(mv_ref));
        if (t.place.subnets) {
            t.place.subnets[0] = ref_of(subnet);
            t.place.nsubnets = 1;
        }
    }
    t.place.sgs = ld_id_list(L, o, "SecurityGroups", &t.place.nsgs);
    t.eni = ref_of(ld_sym(L, o, "NetworkInterfaceId"));
    t.direct_internet = enabled(L, o, "DirectInternetAccess", MV_TRUE);
    t.root_access = enabled(L, o, "RootAccess", MV_TRUE);
    uint32_t imds = ld_field(L, o, "InstanceMetadataServiceConfiguration", J_OBJ);
    if (imds)
        t.imds_min = ld_str(L, imds, "MinimumInstanceMetadataServiceVersion");
    mv_notebook *e = RES(L, MK_NOTEBOOK, mv_notebook, idx);
    t.r = e->r;
    *e = t;
}

/* Append the ids of arr (strings) to refs[*n], skipping ones already there. */
static void add_unique_ids(ld *L, uint32_t arr, mv_ref *refs, uint32_t *n)
{
    LD_ARR_FOR(L, arr, i, k) {
        if (json_type(L->d, i) != J_STR) {
            ld_fail(L, i, MLVPC_ERR_SCHEMA, "expected security group ids to be strings");
            return;
        }
        uint32_t s = ld_tok_sym(L, i);
        bool seen = false;
        for (uint32_t j = 0; j < *n; j++)
            seen |= refs[j].sym == s;
        if (!seen)
            refs[(*n)++] = ref_of(s);
    }
}

static void load_domain(ld *L, uint32_t o)
{
    uint32_t idx = sm_start(L, o, MK_DOMAIN, "DomainId", "domain:", "DomainArn");
    if (idx == MV_NONE)
        return;
    mv_domain t = { 0 };
    t.domain_id = ld_str(L, o, "DomainId");
    t.domain_name = ld_str(L, o, "DomainName");
    t.arn = ld_str(L, o, "DomainArn");
    t.status = ld_str(L, o, "Status");
    t.auth_mode = ld_str(L, o, "AuthMode");
    t.boundary_sg = ld_str(L, o, "SecurityGroupIdForDomainBoundary");
    const char *net = ld_str(L, o, "AppNetworkAccessType");
    t.net = !net || strcmp(net, "PublicInternetOnly") == 0 ? MA_PUBLIC_INTERNET_ONLY
          : strcmp(net, "VpcOnly") == 0 ? MA_VPC_ONLY : MA_UNKNOWN;
    t.vpc = ref_of(ld_sym(L, o, "VpcId"));
    t.place.subnets = ld_id_list(L, o, "SubnetIds", &t.place.nsubnets);
    t.place.present = t.place.nsubnets ? MV_TRUE : MV_FALSE;
    /* SGs of the domain: user and space defaults, and the domain settings. */
    uint32_t us = ld_field(L, o, "DefaultUserSettings", J_OBJ), ss = ld_field(L, o, "DefaultSpaceSettings", J_OBJ);
    uint32_t ds = ld_field(L, o, "DomainSettings", J_OBJ);
    uint32_t a1 = us ? ld_field(L, us, "SecurityGroups", J_ARR) : 0;
    uint32_t a2 = ss ? ld_field(L, ss, "SecurityGroups", J_ARR) : 0;
    uint32_t a3 = ds ? ld_field(L, ds, "SecurityGroupIds", J_ARR) : 0;
    t.place.sgs = ld_alloc(L, o, count_of(L, a1) + count_of(L, a2) + count_of(L, a3), sizeof(mv_ref));
    if (L->failed)
        return;
    add_unique_ids(L, a1, t.place.sgs, &t.place.nsgs);
    add_unique_ids(L, a2, t.place.sgs, &t.place.nsgs);
    add_unique_ids(L, a3, t.place.sgs, &t.place.nsgs);
    mv_domain *e = RES(L, MK_DOMAIN, mv_domain, idx);
    t.r = e->r;
    *e = t;
}

static void job_common(ld *L, uint32_t cfg, mv_job *t)
{
    vpc_config(L, cfg, &t->place);
    t->isolation = flag(L, cfg, "EnableNetworkIsolation");
    t->ict_encryption = flag(L, cfg, "EnableInterContainerTrafficEncryption");
}

/* ResourceConfig: InstanceCount, or the sum over heterogeneous InstanceGroups. */
static int32_t resource_instances(ld *L, uint32_t rc)
{
    if (!rc)
        return -1;
    int32_t n = count_field(L, rc, "InstanceCount");
    uint32_t groups = ld_field(L, rc, "InstanceGroups", J_ARR);
    if (n < 0 && groups) {
        n = 0;
        LD_ARR_FOR(L, groups, i, k) {
            int32_t c = want_obj(L, i, "an instance group") ? count_field(L, i, "InstanceCount") : -1;
            if (c < 0)
                return -1;
            n = n > INT32_MAX - c ? INT32_MAX : n + c;
        }
    }
    return n;
}

/* false if either is false, else unknown if either is, else true */
static mv_tri tri_and(mv_tri a, mv_tri b)
{
    return a == MV_FALSE || b == MV_FALSE ? MV_FALSE : a == MV_UNKNOWN || b == MV_UNKNOWN ? MV_UNKNOWN : MV_TRUE;
}

/* A tuning job runs the training jobs of one definition or several
 * (TrainingJobDefinitions). The job stands for the least secure of them:
 * no VPC if one has none, no isolation if one has none, and the instance
 * count and encryption of one that is distributed without encryption; the
 * placement of the first with a VPC. */
static void tuning_definitions(ld *L, uint32_t o, mv_job *t)
{
    uint32_t one = ld_field(L, o, "TrainingJobDefinition", J_OBJ);
    uint32_t defs = one ? 0 : ld_field(L, o, "TrainingJobDefinitions", J_ARR);
    if (!one && !count_of(L, defs)) {
        t->place.present = t->isolation = t->ict_encryption = MV_UNKNOWN;
        return;
    }
    bool first = true, bad_ict = false;
    for (uint32_t k = 0, def = one ? one : defs + 1; k < (one ? 1u : count_of(L, defs)) && !L->failed;
         k++, def = json_next(L->d, def)) {
        if (!want_obj(L, def, "a training job definition"))
            return;
        mv_job d = { .instance_count = -1 };
        job_common(L, def, &d);
        d.instance_count = resource_instances(L, ld_field(L, def, "ResourceConfig", J_OBJ));
        if (d.place.present == MV_TRUE && !t->place.nsubnets) {
            t->place.subnets = d.place.subnets;
            t->place.nsubnets = d.place.nsubnets;
            t->place.sgs = d.place.sgs;
            t->place.nsgs = d.place.nsgs;
        }
        t->place.present = first ? d.place.present : tri_and(t->place.present, d.place.present);
        t->isolation = first ? d.isolation : tri_and(t->isolation, d.isolation);
        bool d_bad = d.ict_encryption == MV_FALSE && d.instance_count >= 2;
        if (!bad_ict && (first || d_bad || d.instance_count > t->instance_count)) {
            t->ict_encryption = d.ict_encryption;
            t->instance_count = d.instance_count;
        }
        bad_ict |= d_bad;
        first = false;
    }
}

static void load_job(ld *L, uint32_t o, mv_job_kind kind)
{
    static const struct { const char *name, *arn, *status, *prefix; } keys[MJ_COUNT] = {
        [MJ_TRAINING] = { "TrainingJobName", "TrainingJobArn", "TrainingJobStatus", "training-job:" },
        [MJ_PROCESSING] = { "ProcessingJobName", "ProcessingJobArn", "ProcessingJobStatus", "processing-job:" },
        [MJ_TUNING] = { "HyperParameterTuningJobName", "HyperParameterTuningJobArn",
                        "HyperParameterTuningJobStatus", "tuning-job:" },
    };
    uint32_t idx = sm_start(L, o, MK_JOB, keys[kind].name, keys[kind].prefix, keys[kind].arn);
    if (idx == MV_NONE)
        return;
    mv_job t = { .kind = kind, .instance_count = -1 };
    t.job_name = ld_str(L, o, keys[kind].name);
    t.arn = ld_str(L, o, keys[kind].arn);
    t.status = ld_str(L, o, keys[kind].status);
    if (kind == MJ_TRAINING) {
        job_common(L, o, &t);
        t.instance_count = resource_instances(L, ld_field(L, o, "ResourceConfig", J_OBJ));
    } else if (kind == MJ_PROCESSING) {
        uint32_t nc = ld_field(L, o, "NetworkConfig", J_OBJ);
        if (nc) {
            job_common(L, nc, &t);
        } else {
            t.place.present = MV_FALSE;
            t.isolation = t.ict_encryption = MV_FALSE;
        }
        uint32_t pr = ld_field(L, o, "ProcessingResources", J_OBJ);
        uint32_t cc = pr ? ld_field(L, pr, "ClusterConfig", J_OBJ) : 0;
        t.instance_count = count_field(L, cc, "InstanceCount");
    } else {
        tuning_definitions(L, o, &t);
    }
    mv_job *e = RES(L, MK_JOB, mv_job, idx);
    t.r = e->r;
    *e = t;
}

/* A monitoring job's NetworkConfig (absent: no VPC, no isolation, no
 * encryption) and ClusterConfig instance count, from the object holding them. */
static void monitoring_job(ld *L, uint32_t def, const char *resources, mv_job *t)
{
    uint32_t nc = ld_field(L, def, "NetworkConfig", J_OBJ);
    if (nc) {
        job_common(L, nc, t);
    } else {
        t->place.present = MV_FALSE;
        t->isolation = t->ict_encryption = MV_FALSE;
    }
    uint32_t res = ld_field(L, def, resources, J_OBJ);
    uint32_t cc = res ? ld_field(L, res, "ClusterConfig", J_OBJ) : 0;
    t->instance_count = count_field(L, cc, "InstanceCount");
}

static mv_job *start_job(ld *L, uint32_t o, mv_job_kind kind, const char *namekey, const char *arnkey,
                         const char *statuskey, mv_job *t)
{
    char prefix[40];
    snprintf(prefix, sizeof prefix, "%s:", mv_job_kind_name(kind));
    uint32_t idx = sm_start(L, o, MK_JOB, namekey, prefix, arnkey);
    if (idx == MV_NONE)
        return NULL;
    *t = (mv_job){ .kind = kind, .instance_count = -1 };
    t->job_name = ld_str(L, o, namekey);
    t->arn = ld_str(L, o, arnkey);
    t->status = statuskey ? ld_str(L, o, statuskey) : NULL;
    return RES(L, MK_JOB, mv_job, idx);
}

static void finish_job(mv_job *e, mv_job *t)
{
    t->r = e->r;
    *e = *t;
}

/* describe-auto-ml-job-v2 (SecurityConfig) or describe-auto-ml-job
 * (AutoMLJobConfig.SecurityConfig). AutoML has no network isolation setting
 * and chooses its own instances. */
static void load_automl(ld *L, uint32_t o)
{
    mv_job t;
    mv_job *e = start_job(L, o, MJ_AUTOML, "AutoMLJobName", "AutoMLJobArn", "AutoMLJobStatus", &t);
    if (!e)
        return;
    uint32_t sc = ld_field(L, o, "SecurityConfig", J_OBJ);
    uint32_t jc = sc ? 0 : ld_field(L, o, "AutoMLJobConfig", J_OBJ);
    if (jc)
        sc = ld_field(L, jc, "SecurityConfig", J_OBJ);
    vpc_config(L, sc, &t.place);
    t.ict_encryption = sc ? flag(L, sc, "EnableInterContainerTrafficEncryption") : MV_FALSE;
    t.isolation = MV_FALSE;
    t.no_isolation_option = true;
    finish_job(e, &t);
}

/* describe-monitoring-schedule: the job is inline (MonitoringJobDefinition)
 * or a named job definition, checked as its own resource. */
static void load_monitoring(ld *L, uint32_t o)
{
    mv_job t;
    mv_job *e = start_job(L, o, MJ_MONITORING, "MonitoringScheduleName", "MonitoringScheduleArn",
                          "MonitoringScheduleStatus", &t);
    if (!e)
        return;
    uint32_t cfg = ld_field(L, o, "MonitoringScheduleConfig", J_OBJ);
    uint32_t def = cfg ? ld_field(L, cfg, "MonitoringJobDefinition", J_OBJ) : 0;
    if (def) {
        monitoring_job(L, def, "MonitoringResources", &t);
    } else {
        t.definition = cfg ? ld_str(L, cfg, "MonitoringJobDefinitionName") : NULL;
        t.place.present = t.isolation = t.ict_encryption = MV_UNKNOWN;
    }
    finish_job(e, &t);
}

/* describe-{data-quality,model-quality,model-bias,model-explainability}-job-definition. */
static void load_monitoring_def(ld *L, uint32_t o)
{
    mv_job t;
    mv_job *e = start_job(L, o, MJ_MONITORING_DEF, "JobDefinitionName", "JobDefinitionArn", NULL, &t);
    if (!e)
        return;
    monitoring_job(L, o, "JobResources", &t);
    finish_job(e, &t);
}

static void load_training(ld *L, uint32_t o) { load_job(L, o, MJ_TRAINING); }
static void load_processing(ld *L, uint32_t o) { load_job(L, o, MJ_PROCESSING); }
static void load_tuning(ld *L, uint32_t o) { load_job(L, o, MJ_TUNING); }

static void load_model(ld *L, uint32_t o)
{
    uint32_t idx = sm_start(L, o, MK_MODEL, "ModelName", "model:", "ModelArn");
    if (idx == MV_NONE)
        return;
    mv_model_res t = { 0 };
    t.model_name = ld_str(L, o, "ModelName");
    t.arn = ld_str(L, o, "ModelArn");
    t.role = ld_str(L, o, "ExecutionRoleArn");
    vpc_config(L, o, &t.place);
    t.isolation = flag(L, o, "EnableNetworkIsolation");
    mv_model_res *e = RES(L, MK_MODEL, mv_model_res, idx);
    t.r = e->r;
    *e = t;
}

static uint32_t prefixed_sym(ld *L, uint32_t tok, const char *prefix)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, json_str(L->d, tok));
    if (n < 0 || (size_t)n >= sizeof buf) {
        ld_fail(L, tok, MLVPC_ERR_LIMIT, "name is too long");
        return 0;
    }
    return model_sym(L->m, buf, (size_t)n);
}

static void load_epconfig(ld *L, uint32_t o)
{
    uint32_t idx = sm_start(L, o, MK_EPCONFIG, "EndpointConfigName", "endpoint-config:", "EndpointConfigArn");
    if (idx == MV_NONE)
        return;
    mv_epconfig t = { 0 };
    t.config_name = ld_str(L, o, "EndpointConfigName");
    t.arn = ld_str(L, o, "EndpointConfigArn");
    uint32_t pv = ld_field(L, o, "ProductionVariants", J_ARR);
    t.variants = ld_alloc(L, o, count_of(L, pv), sizeof *t.variants);
    if (L->failed)
        return;
    LD_ARR_FOR(L, pv, i, k) {
        if (!want_obj(L, i, "a production variant"))
            return;
        mv_variant *v = &t.variants[t.nvariants++];
        v->variant_name = ld_str(L, i, "VariantName");
        uint32_t mn = ld_field(L, i, "ModelName", J_STR);
        v->model = ref_of(mn ? prefixed_sym(L, mn, "model:") : 0);
        v->serverless = ld_field(L, i, "ServerlessConfig", J_OBJ) != 0;
        v->instance_count = count_field(L, i, "InitialInstanceCount");
        v->instance_type = ld_str(L, i, "InstanceType");
    }
    mv_epconfig *e = RES(L, MK_EPCONFIG, mv_epconfig, idx);
    t.r = e->r;
    *e = t;
}

static void load_endpoint(ld *L, uint32_t o)
{
    uint32_t idx = sm_start(L, o, MK_ENDPOINT, "EndpointName", "endpoint:", "EndpointArn");
    if (idx == MV_NONE)
        return;
    mv_endpoint t = { 0 };
    t.ep_name = ld_str(L, o, "EndpointName");
    t.arn = ld_str(L, o, "EndpointArn");
    t.status = ld_str(L, o, "EndpointStatus");
    uint32_t cn = ld_field(L, o, "EndpointConfigName", J_STR);
    t.config = ref_of(cn ? prefixed_sym(L, cn, "endpoint-config:") : 0);
    mv_endpoint *e = RES(L, MK_ENDPOINT, mv_endpoint, idx);
    t.r = e->r;
    *e = t;
}

/* ------------------------------------------------------------------ dispatch */

typedef void (*obj_loader)(ld *L, uint32_t obj);

/* Top-level list keys of EC2 describe outputs. */
static const struct {
    const char *key;
    obj_loader fn;
    const char *what;
} ec2_lists[] = {
    { "Vpcs", load_vpc, "a VPC" },
    { "Subnets", load_subnet, "a subnet" },
    { "RouteTables", load_rtb, "a route table" },
    { "SecurityGroups", load_sg, "a security group" },
    { "NetworkAcls", load_nacl, "a network ACL" },
    { "NetworkInterfaces", load_eni, "a network interface" },
    { "InternetGateways", load_igw, "an internet gateway" },
    { "EgressOnlyInternetGateways", load_eigw, "an egress-only internet gateway" },
    { "NatGateways", load_natgw, "a NAT gateway" },
    { "VpcEndpoints", load_vpce, "a VPC endpoint" },
    { "PrefixLists", load_pl, "a prefix list" },
    { "ManagedPrefixLists", load_pl, "a prefix list" },
    { "DhcpOptions", load_dhcp, "a DHCP options set" },
    { "VpcPeeringConnections", load_pcx, "a peering connection" },
    { "FlowLogs", load_flowlog, "a flow log" },
    { "Reservations", load_reservation, "a reservation" },
    { "Addresses", load_eip, "an address" },
};

/* SageMaker describe outputs, recognised by their ARN key. The order
 * matters: a processing job also carries "TrainingJobArn" when a training
 * job started it. */
static const struct {
    const char *arn;
    obj_loader fn;
} sm_kinds[] = {
    { "NotebookInstanceArn", load_notebook },
    { "DomainArn", load_domain },
    { "ProcessingJobArn", load_processing },
    { "HyperParameterTuningJobArn", load_tuning },
    { "TrainingJobArn", load_training },
    /* After the jobs: training and processing jobs carry "AutoMLJobArn" or
     * "MonitoringScheduleArn" when one of these started them. */
    { "AutoMLJobArn", load_automl },
    { "MonitoringScheduleArn", load_monitoring },
    { "JobDefinitionArn", load_monitoring_def },
    { "EndpointConfigArn", load_epconfig },
    { "EndpointArn", load_endpoint },
    { "ModelArn", load_model },
};

static obj_loader sm_loader(ld *L, uint32_t obj)
{
    if (json_type(L->d, obj) != J_OBJ)
        return NULL;
    for (size_t i = 0; i < sizeof sm_kinds / sizeof *sm_kinds; i++)
        if (json_get(L->d, obj, sm_kinds[i].arn))
            return sm_kinds[i].fn;
    return NULL;
}

static void load_list(ld *L, uint32_t arr, obj_loader fn, const char *what)
{
    LD_ARR_FOR(L, arr, i, k) {
        if (!want_obj(L, i, what))
            return;
        fn(L, i);
        if (L->failed)
            return;
    }
}

int awscli_load_doc(ld *L)
{
    const jdoc *d = L->d;
    uint32_t root = 0;
    if (json_type(d, root) == J_ARR) {
        /* An array of SageMaker describe outputs. */
        if (d->t[root].count == 0 || !sm_loader(L, 1))
            return 0;
        /* LD_ARR_FOR treats token 0 as "absent", so walk the root by hand. */
        for (uint32_t k = 0, i = 1; k < d->t[root].count; k++, i = json_next(d, i)) {
            obj_loader fn = sm_loader(L, i);
            if (!fn) {
                ld_fail(L, i, MLVPC_ERR_SCHEMA, "expected a SageMaker describe output like the first element");
                return 1;
            }
            fn(L, i);
            if (L->failed)
                return 1;
        }
        return 1;
    }
    if (json_type(d, root) != J_OBJ)
        return 0;
    obj_loader fn = sm_loader(L, root);
    if (fn && L->streamed) {
        /* e.g. a notebook whose "SecurityGroups" holds objects, not ids */
        ld_fail(L, root, MLVPC_ERR_SCHEMA,
                "expected either a SageMaker describe output or EC2 describe-* lists, not both");
        return 1;
    }
    if (fn) {
        fn(L, root);
        return 1;
    }
    if (json_get(d, root, "ResourceArn") && json_get(d, root, "Tags")) {
        load_sm_tags(L, root);
        return 1;
    }
    if (json_get(d, root, "VpcId") &&
        (json_get(d, root, "EnableDnsSupport") || json_get(d, root, "EnableDnsHostnames"))) {
        load_vpc_attr(L, root);
        return 1;
    }
    if (json_get(d, root, "PrefixListId") && json_get(d, root, "Entries")) {
        load_pl(L, root);
        return 1;
    }
    int found = L->streamed != 0;
    for (size_t i = 0; i < sizeof ec2_lists / sizeof *ec2_lists && !L->failed; i++) {
        uint32_t arr = json_get(d, root, ec2_lists[i].key);
        if (!arr || (L->streamed & (1u << i)))
            continue;
        found = 1;
        if (json_type(d, arr) != J_ARR) {
            ld_fail(L, arr, MLVPC_ERR_SCHEMA, "expected \"%s\" to be an array", ec2_lists[i].key);
            return 1;
        }
        load_list(L, arr, ec2_lists[i].fn, ec2_lists[i].what);
    }
    return found;
}

int awscli_stream_elem(void *ctx, jdoc *d, uint32_t key, uint32_t elem, uint32_t index)
{
    ld *L = ctx;
    const char *k = json_str(d, key);
    for (size_t i = 0; i < sizeof ec2_lists / sizeof *ec2_lists; i++) {
        if (strcmp(k, ec2_lists[i].key) != 0)
            continue;
        /* Only the first occurrence of a key counts, as with json_get. */
        if (json_get(d, 0, k) != key + 1)
            return 0;
        /*
         * Stream a list only when its first element is an object and the
         * document is not a SageMaker describe output (a notebook's
         * "SecurityGroups" is a list of ids). Once streaming, every element
         * must be an object: the tokens of earlier ones are gone.
         */
        if (!(L->streamed & (1u << i))) {
            if (index != 0 || json_type(d, elem) != J_OBJ || sm_loader(L, 0))
                return 0;
            L->streamed |= 1u << i;
        }
        L->base_tok = elem;
        L->base_key = key;
        L->base_index = index;
        if (want_obj(L, elem, ec2_lists[i].what))
            ec2_lists[i].fn(L, elem);
        L->base_tok = 0;
        return L->failed ? -1 : 1;
    }
    return 0;
}
