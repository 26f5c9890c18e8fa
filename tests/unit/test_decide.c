/*
 * Unit tests of the header-box algebra and the per-component decisions
 * (lib/analyses/hdr.c, decide.c): NACL first match, SG union with SG and
 * prefix-list peers, route priority. Each semantic point has a packet that
 * passes and a twin that differs in one field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xorshift.h"

#include "analyses/decide.h"
#include "inputs/load.h"

static void load_ok(mlvpc_model *m, const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    memcpy(buf, text, n);
    mlvpc_diag err;
    mlvpc_status st = inputs_load_buffer(m, "aws_configs/us-east-1/t.json", buf, n, NULL, &err);
    free(buf);
    if (st != MLVPC_OK)
        fail_msg("load: %s %s", err.path, err.text);
}

static ip_addr A(const char *s)
{
    ip_addr a;
    if (!ip_parse_addr(s, &a))
        fail_msg("bad address %s", s);
    return a;
}

static hbox tcp(const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
    ip_addr s = A(src), d = A(dst);
    return hbox_packet(&s, &d, MV_TCP, sport, dport, 0, 0);
}

static uint32_t idx(mlvpc_model *m, mv_kind k, const char *id)
{
    uint32_t i = model_find(m, k, intern_find(&m->syms, id, strlen(id)));
    if (i == MV_NONE)
        fail_msg("%s not found", id);
    return i;
}

/* ------------------------------------------------------------ boxes */

static uint64_t rnd_state = 88172645463325252ull;
static uint64_t rnd(void) { return xorshift64(&rnd_state); }

static hbox small_box(void)
{
    hbox b = hbox_all(IP_V4);
    uint32_t a = rnd() % 16, c = rnd() % 16;
    b.src_lo = a < c ? a : c;
    b.src_hi = a < c ? c : a;
    a = rnd() % 16, c = rnd() % 16;
    b.dst_lo = a < c ? a : c;
    b.dst_hi = a < c ? c : a;
    a = rnd() % 4, c = rnd() % 4;
    b.proto_lo = (uint16_t)(a < c ? a : c);
    b.proto_hi = (uint16_t)(a < c ? c : a);
    a = rnd() % 8, c = rnd() % 8;
    b.dport_lo = (uint16_t)(a < c ? a : c);
    b.dport_hi = (uint16_t)(a < c ? c : a);
    b.sport_lo = b.sport_hi = 0;
    b.type_lo = b.type_hi = b.code_lo = b.code_hi = 0;
    return b;
}

static bool inside(const hbox *b, uint32_t s, uint32_t d, uint16_t p, uint16_t dp)
{
    return s >= b->src_lo && s <= b->src_hi && d >= b->dst_lo && d <= b->dst_hi && p >= b->proto_lo &&
           p <= b->proto_hi && dp >= b->dport_lo && dp <= b->dport_hi;
}

/* a - b, checked point by point over a small space: pieces are disjoint and cover exactly a\b. */
static void test_subtract_exact(void **state)
{
    (void)state;
    for (int iter = 0; iter < 300; iter++) {
        hbox a = small_box(), b = small_box(), out[HBOX_SPLIT_MAX];
        int n = hbox_subtract(&a, &b, out);
        assert_true(n >= 0 && n <= HBOX_SPLIT_MAX);
        for (uint32_t s = 0; s < 16; s++)
            for (uint32_t d = 0; d < 16; d++)
                for (uint16_t p = 0; p < 4; p++)
                    for (uint16_t dp = 0; dp < 8; dp++) {
                        int hits = 0;
                        for (int k = 0; k < n; k++)
                            hits += inside(&out[k], s, d, p, dp);
                        int want = inside(&a, s, d, p, dp) && !inside(&b, s, d, p, dp);
                        if (hits != want)
                            fail_msg("iter %d point %u %u %u %u: %d pieces, want %d", iter, s, d, p, dp, hits, want);
                    }
    }
}

static void test_prefix_range(void **state)
{
    (void)state;
    ip_prefix p;
    u128 lo, hi;
    assert_true(ip_parse_prefix("10.0.0.0/8", &p));
    prefix_range(&p, &lo, &hi);
    assert_true(lo == 0x0A000000u && hi == 0x0AFFFFFFu);
    assert_true(ip_parse_prefix("0.0.0.0/0", &p));
    prefix_range(&p, &lo, &hi);
    assert_true(lo == 0 && hi == 0xFFFFFFFFu);
    assert_true(ip_parse_prefix("::/0", &p));
    prefix_range(&p, &lo, &hi);
    assert_true(lo == 0 && hi == ~(u128)0);
    assert_true(ip_parse_prefix("2001:db8::/127", &p));
    prefix_range(&p, &lo, &hi);
    assert_true(hi - lo == 1);
    ip_addr a = A("192.0.2.7");
    ip_addr b = u128_to_ip(ip_to_u128(&a), IP_V4);
    assert_memory_equal(a.b, b.b, 4);
}

/* ------------------------------------------------------------ NACL */

static const char NACL[] = "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"VpcId\": \"vpc-1\", \"IsDefault\": false, \"Entries\": ["
    "{\"RuleNumber\": 100, \"Egress\": false, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"10.0.0.0/16\", \"PortRange\": {\"From\": 443, \"To\": 443}},"
    "{\"RuleNumber\": 90, \"Egress\": false, \"Protocol\": \"6\", \"RuleAction\": \"deny\", \"CidrBlock\": \"10.0.9.0/24\", \"PortRange\": {\"From\": 0, \"To\": 65535}},"
    "{\"RuleNumber\": 120, \"Egress\": false, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\", \"PortRange\": {\"From\": 1024, \"To\": 40000}},"
    "{\"RuleNumber\": 32767, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"CidrBlock\": \"0.0.0.0/0\"},"
    "{\"RuleNumber\": 100, \"Egress\": true, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"},"
    "{\"RuleNumber\": 32767, \"Egress\": true, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"CidrBlock\": \"0.0.0.0/0\"}]}]}";

static void test_nacl_first_match(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, NACL);
    model_finish(m);
    const mv_nacl *n = MV_AT(m, MK_NACL, mv_nacl, 0);
    pieces out = { 0 };
    /* allowed by rule 100 ... */
    hbox p = tcp("10.0.1.5", "10.1.0.1", 40000, 443);
    assert_int_equal(nacl_decide(m, n, false, &p, &out), 0);
    assert_int_equal(out.n, 1);
    assert_int_equal(out.v[0].v, V_ALLOW);
    assert_int_equal(n->entries[out.v[0].rule].rule, 100);
    /* ... but rule 90 comes first for 10.0.9.0/24 */
    pieces_clear(&out);
    p = tcp("10.0.9.5", "10.1.0.1", 40000, 443);
    nacl_decide(m, n, false, &p, &out);
    assert_int_equal(out.v[0].v, V_DENY);
    assert_int_equal(n->entries[out.v[0].rule].rule, 90);
    /* outside every allow: the * rule */
    pieces_clear(&out);
    p = tcp("192.0.2.1", "10.1.0.1", 40000, 443);
    nacl_decide(m, n, false, &p, &out);
    assert_int_equal(out.v[0].v, V_DENY);
    assert_int_equal(n->entries[out.v[0].rule].rule, 32767);
    /* a NACL without entries (a new custom NACL) denies by its implicit rule */
    load_ok(m, "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-empty\", \"VpcId\": \"vpc-1\", \"Entries\": []}]}");
    pieces_clear(&out);
    p = tcp("10.0.1.5", "10.1.0.1", 40000, 443);
    nacl_decide(m, MV_AT(m, MK_NACL, mv_nacl, 1), false, &p, &out);
    assert_int_equal(out.v[0].v, V_DENY);
    assert_int_equal(out.v[0].rule, MV_NONE);
    n = MV_AT(m, MK_NACL, mv_nacl, 0); /* the table may have moved */
    /* UDP never matches the TCP rules */
    pieces_clear(&out);
    ip_addr s = A("10.0.1.5"), d = A("10.1.0.1");
    p = hbox_packet(&s, &d, MV_UDP, 40000, 443, 0, 0);
    nacl_decide(m, n, false, &p, &out);
    assert_int_equal(out.v[0].v, V_DENY);
    pieces_release(&out);
    mlvpc_model_free(m);
}

/* A return path over the ephemeral range: rule 120 admits only 1024-40000. */
static void test_nacl_over_port_range(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, NACL);
    model_finish(m);
    const mv_nacl *n = MV_AT(m, MK_NACL, mv_nacl, 0);
    hbox ret = tcp("52.216.1.1", "10.1.0.1", 443, 32768);
    ret.dport_hi = 60999; /* Linux clients */
    pieces out = { 0 };
    nacl_decide(m, n, false, &ret, &out);
    uint64_t allowed = 0, denied = 0;
    for (uint32_t i = 0; i < out.n; i++) {
        uint64_t w = (uint64_t)out.v[i].box.dport_hi - out.v[i].box.dport_lo + 1;
        if (out.v[i].v == V_ALLOW) {
            allowed += w;
            assert_int_equal(n->entries[out.v[i].rule].rule, 120);
        } else {
            denied += w;
        }
    }
    assert_int_equal(allowed, 40000 - 32768 + 1);
    assert_int_equal(denied, 60999 - 40000);
    pieces_release(&out);
    mlvpc_model_free(m);
}

/* ------------------------------------------------------------ SG */

static const char SGS[] = "{\"SecurityGroups\": ["
    "{\"GroupId\": \"sg-ep\", \"VpcId\": \"vpc-1\", \"IpPermissions\": ["
    "  {\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, \"UserIdGroupPairs\": [{\"GroupId\": \"sg-job\"}]}],"
    " \"IpPermissionsEgress\": []},"
    "{\"GroupId\": \"sg-job\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [],"
    " \"IpPermissionsEgress\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443,"
    "   \"PrefixListIds\": [{\"PrefixListId\": \"pl-s3\"}], \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/16\"}]},"
    "  {\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, \"PrefixListIds\": [{\"PrefixListId\": \"pl-unknown\"}]}]},"
    "{\"GroupId\": \"sg-extra\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [],"
    " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"192.0.2.0/24\"}]}]}]}";
static const char PLS[] = "{\"PrefixListId\": \"pl-s3\", \"Entries\": [{\"Cidr\": \"52.216.0.0/15\"}]}";

static void test_sg_reference_needs_peer_identity(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, SGS);
    model_finish(m);
    mv_ref ep = { 0, idx(m, MK_SG, "sg-ep") };
    ep.sym = MV_AT(m, MK_SG, mv_sg, ep.idx)->r.id;
    mv_ref job = { MV_AT(m, MK_SG, mv_sg, idx(m, MK_SG, "sg-job"))->r.id, idx(m, MK_SG, "sg-job") };
    hbox p = tcp("10.0.1.5", "10.0.2.9", 40000, 443);
    pieces out = { 0 };
    sg_peer from_job = { &job, 1, 0, false }, anonymous = { NULL, 0, 0, false };
    sg_decide(m, &ep, 1, false, &from_job, &p, &out);
    assert_int_equal(out.v[0].v, V_ALLOW);
    pieces_clear(&out);
    /* same packet from an address without the group (e.g. after NAT) */
    sg_decide(m, &ep, 1, false, &anonymous, &p, &out);
    assert_int_equal(out.v[0].v, V_DENY);
    assert_int_equal(out.v[0].rule, MV_NONE);
    pieces_release(&out);
    mlvpc_model_free(m);
}

static void test_sg_union_and_prefix_lists(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, SGS);
    load_ok(m, PLS);
    model_finish(m);
    uint32_t j = idx(m, MK_SG, "sg-job"), x = idx(m, MK_SG, "sg-extra");
    mv_ref two[2] = { { MV_AT(m, MK_SG, mv_sg, j)->r.id, j }, { MV_AT(m, MK_SG, mv_sg, x)->r.id, x } };
    pieces out = { 0 };
    /* S3 address in the known prefix list: allowed by sg-job */
    hbox p = tcp("10.0.1.5", "52.217.3.4", 40000, 443);
    sg_decide(m, two, 2, true, NULL, &p, &out);
    assert_int_equal(out.n, 1);
    assert_int_equal(out.v[0].v, V_ALLOW);
    assert_int_equal(out.v[0].owner, j);
    /* an address only the second group allows: the union counts */
    pieces_clear(&out);
    p = tcp("10.0.1.5", "192.0.2.8", 40000, 22);
    sg_decide(m, two, 2, true, NULL, &p, &out);
    assert_int_equal(out.v[0].v, V_ALLOW);
    assert_int_equal(out.v[0].owner, x);
    /* elsewhere on 443: only the prefix list whose entries are unknown could allow */
    pieces_clear(&out);
    p = tcp("10.0.1.5", "198.51.100.1", 40000, 443);
    sg_decide(m, two, 2, true, NULL, &p, &out);
    assert_int_equal(out.v[0].v, V_UNKNOWN);
    assert_string_equal(model_str(m, out.v[0].why), "pl-unknown");
    /* and on another port nothing does */
    pieces_clear(&out);
    p = tcp("10.0.1.5", "198.51.100.1", 40000, 444);
    sg_decide(m, two, 2, true, NULL, &p, &out);
    assert_int_equal(out.v[0].v, V_DENY);
    pieces_release(&out);
    mlvpc_model_free(m);
}

/* ------------------------------------------------------------ routes */

static const char RTB[] = "{\"RouteTables\": [{\"RouteTableId\": \"rtb-1\", \"VpcId\": \"vpc-1\", \"Associations\": [], \"Routes\": ["
    "{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
    "{\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NatGatewayId\": \"nat-1\", \"Origin\": \"CreateRoute\", \"State\": \"active\"},"
    "{\"DestinationPrefixListId\": \"pl-s3\", \"GatewayId\": \"vpce-s3\", \"Origin\": \"CreateRoute\", \"State\": \"active\"},"
    "{\"DestinationCidrBlock\": \"52.216.0.0/15\", \"GatewayId\": \"vgw-1\", \"Origin\": \"EnableVgwRoutePropagation\", \"State\": \"active\"},"
    "{\"DestinationCidrBlock\": \"52.216.0.0/16\", \"NatGatewayId\": \"nat-old\", \"Origin\": \"CreateRoute\", \"State\": \"blackhole\"},"
    "{\"DestinationCidrBlock\": \"172.16.0.0/12\", \"GatewayId\": \"vgw-1\", \"Origin\": \"EnableVgwRoutePropagation\", \"State\": \"active\"},"
    "{\"DestinationCidrBlock\": \"172.16.0.0/12\", \"VpcPeeringConnectionId\": \"pcx-1\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}]}";

static const mv_route *route_for(mlvpc_model *m, const char *dst, verdict *v)
{
    const mv_rtb *t = MV_AT(m, MK_RTB, mv_rtb, 0);
    hbox p = tcp("10.0.1.5", dst, 40000, 443);
    pieces out = { 0 };
    assert_int_equal(route_decide(m, t, &p, &out), 0);
    assert_int_equal(out.n, 1);
    *v = out.v[0].v;
    const mv_route *r = out.v[0].rule == MV_NONE ? NULL : &t->routes[out.v[0].rule];
    pieces_release(&out);
    return r;
}

static void test_route_priority(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, RTB);
    load_ok(m, PLS);
    model_finish(m);
    verdict v;
    /* longest prefix: the blackhole /16 masks the prefix list's /15 */
    const mv_route *r = route_for(m, "52.216.9.9", &v);
    assert_int_equal(v, V_ALLOW);
    assert_int_equal(r->state, MS_BLACKHOLE);
    /* equal /15: the prefix-list route beats the propagated one */
    r = route_for(m, "52.217.9.9", &v);
    assert_int_equal(r->target, MT_VPCE_GW);
    /* equal /12: static beats propagated */
    r = route_for(m, "172.20.0.1", &v);
    assert_int_equal(r->target, MT_PCX);
    r = route_for(m, "10.0.200.1", &v);
    assert_int_equal(r->target, MT_LOCAL);
    r = route_for(m, "8.8.8.8", &v);
    assert_int_equal(r->target, MT_NAT);
    /* IPv6: no route at all */
    const mv_rtb *t = MV_AT(m, MK_RTB, mv_rtb, 0);
    ip_addr s6 = A("2600::1"), d6 = A("2600::2");
    hbox p6 = hbox_packet(&s6, &d6, MV_TCP, 1, 443, 0, 0);
    pieces out = { 0 };
    route_decide(m, t, &p6, &out);
    assert_int_equal(out.v[0].v, V_DENY);
    assert_int_equal(out.v[0].rule, MV_NONE);
    pieces_release(&out);
    mlvpc_model_free(m);
}

static void test_route_unknown_prefix_list(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, RTB); /* pl-s3's entries are not loaded */
    model_finish(m);
    verdict v;
    const mv_route *r = route_for(m, "8.8.8.8", &v);
    assert_int_equal(v, V_UNKNOWN); /* the list could hold 8.8.8.0/24 */
    assert_int_equal(r->target, MT_NAT);
    r = route_for(m, "10.0.3.3", &v);
    assert_int_equal(v, V_ALLOW); /* the local route is certain */
    mlvpc_model_free(m);
}

/* A template's AWS-managed list: named, entries unknown. What is known of
 * an address still decides: the representative internet address is in no
 * AWS list; an address known to be in the list takes its route. */
static void test_route_known_membership(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, RTB);
    load_ok(m, "{\"PrefixLists\": [{\"PrefixListId\": \"pl-s3\", \"PrefixListName\": \"com.amazonaws.us-east-1.s3\", "
               "\"AddressFamily\": \"IPv4\", \"OwnerId\": \"AWS\"}]}");
    load_ok(m, "{\"SecurityGroups\": [{\"GroupId\": \"sg-s3\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [], "
               "\"IpPermissionsEgress\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, "
               "\"PrefixListIds\": [{\"PrefixListId\": \"pl-s3\"}]}]}]}");
    model_finish(m);
    const mv_rtb *t = MV_AT(m, MK_RTB, mv_rtb, 0);
    hbox p = tcp("10.0.1.5", "8.8.8.8", 40000, 443);
    pieces out = { 0 };
    assert_int_equal(route_decide_ex(m, t, &p, &out, true), 0);
    assert_int_equal(out.v[0].v, V_ALLOW); /* not an AWS address: the list cannot hold it */
    assert_int_equal(t->routes[out.v[0].rule].target, MT_NAT);
    pieces_clear(&out);
    uint32_t pl = MV_AT(m, MK_PL, mv_pl, 0)->r.id;
    assert_int_equal(route_decide_pl(m, t, &p, &out, false, pl), 0);
    assert_int_equal(out.v[0].v, V_ALLOW); /* known to be in the list: its route wins over 0.0.0.0/0 */
    assert_int_equal(t->routes[out.v[0].rule].target, MT_VPCE_GW);
    pieces_clear(&out);
    assert_int_equal(route_decide(m, t, &p, &out), 0);
    assert_int_equal(out.v[0].v, V_UNKNOWN); /* nothing known: undecided */
    pieces_release(&out);
    /* An SG rule to the list: allows a peer known to be in it, else unknown. */
    mv_ref g = { 0, idx(m, MK_SG, "sg-s3") };
    g.sym = MV_AT(m, MK_SG, mv_sg, g.idx)->r.id;
    sg_peer in_list = { NULL, 0, pl, false }, anyone = { NULL, 0, 0, false }, outsider = { NULL, 0, 0, true };
    assert_int_equal(sg_decide(m, &g, 1, true, &in_list, &p, &out), 0);
    assert_int_equal(out.v[0].v, V_ALLOW);
    pieces_clear(&out);
    assert_int_equal(sg_decide(m, &g, 1, true, &anyone, &p, &out), 0);
    assert_int_equal(out.v[0].v, V_UNKNOWN);
    pieces_clear(&out);
    /* a peer known to be no AWS service's: the AWS-managed list cannot hold it */
    assert_true(MV_AT(m, MK_PL, mv_pl, 0)->aws_managed);
    assert_int_equal(sg_decide(m, &g, 1, true, &outsider, &p, &out), 0);
    assert_int_equal(out.v[0].v, V_DENY);
    pieces_release(&out);
    mlvpc_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subtract_exact),
        cmocka_unit_test(test_prefix_range),
        cmocka_unit_test(test_nacl_first_match),
        cmocka_unit_test(test_nacl_over_port_range),
        cmocka_unit_test(test_sg_reference_needs_peer_identity),
        cmocka_unit_test(test_sg_union_and_prefix_lists),
        cmocka_unit_test(test_route_priority),
        cmocka_unit_test(test_route_unknown_prefix_list),
        cmocka_unit_test(test_route_known_membership),
    };
    return cmocka_run_group_tests_name("decide", tests, NULL, NULL);
}
