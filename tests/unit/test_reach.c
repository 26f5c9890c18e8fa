/*
 * Reachability semantics, one pair per point: a scenario and its twin that
 * differ in one setting, with the verdict and the deciding code of each.
 * The network is tests/data/reach/base.json; a variant's resources are
 * loaded first and so replace the base's resources of the same id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyses/reach.h"
#include "inputs/load.h"

#define BASE "tests/data/reach/base.json"

typedef struct answer {
    reach_verdict v;
    char code[64];   /* code of blocked_by of the deciding placement, "" when none */
    bool ret;        /* blocked_by is on the return path */
    char missing[REACH_TEXT];
    char dst[160];
    uint32_t nplaces;
} answer;

static void load_text(mlvpc_model *m, const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    memcpy(buf, text, n);
    buf[n] = '\0';
    mlvpc_diag err;
    mlvpc_load_opts o = { .region = "us-east-1" };
    if (inputs_load_buffer(m, "variant.json", buf, n, &o, &err) != MLVPC_OK)
        fail_msg("variant: %s %s", err.path, err.text);
    free(buf);
}

/* dns: 0 = attributes not collected, 1 = both on, 2 = hostnames off */
static answer ask(const char *const variants[], int dns, const char *from, const char *to, const char *proto, uint16_t port)
{
    mlvpc_model *m = mlvpc_model_new();
    for (int i = 0; variants && variants[i]; i++)
        load_text(m, variants[i]);
    mlvpc_diag err;
    mlvpc_load_opts o = { .region = "us-east-1" };
    if (mlvpc_model_load(m, BASE, &o, &err) != MLVPC_OK)
        fail_msg("base: %s", err.text);
    if (dns)
        load_text(m, "{\"VpcId\": \"vpc-1\", \"EnableDnsSupport\": {\"Value\": true}}");
    if (dns == 1)
        load_text(m, "{\"VpcId\": \"vpc-1\", \"EnableDnsHostnames\": {\"Value\": true}}");
    if (dns == 2)
        load_text(m, "{\"VpcId\": \"vpc-1\", \"EnableDnsHostnames\": {\"Value\": false}}");
    assert_int_equal(mlvpc_model_finish(m, &err), MLVPC_OK);
    reach_engine *e = reach_engine_new(m);
    reach_query q = { .from = from, .to = to, .proto = MV_TCP, .port_lo = port, .port_hi = port };
    if (proto && strcmp(proto, "udp") == 0)
        q.proto = MV_UDP;
    else if (proto && strcmp(proto, "icmp") == 0)
        q.proto = MV_ICMP;
    else if (proto && strcmp(proto, "platform") == 0)
        q.platform = true; /* SageMaker's own traffic, TCP */
    else if (proto)
        q.proto = atoi(proto);
    reach_result r;
    if (reach_run(e, &q, &r) != 0)
        fail_msg("query %s -> %s: %s", from, to, r.error);
    answer a = { .v = r.verdict, .nplaces = r.ntraces };
    snprintf(a.dst, sizeof a.dst, "%s", r.dst_desc);
    for (uint32_t i = 0; i < r.ntraces; i++) {
        const reach_trace *t = &r.traces[i];
        if (t->verdict != r.verdict)
            continue;
        if (t->nblocks) {
            snprintf(a.code, sizeof a.code, "%s", t->blocks[0].code);
            a.ret = t->blocks[0].ret;
        }
        snprintf(a.missing, sizeof a.missing, "%s", t->missing);
        break;
    }
    reach_result_release(&r);
    reach_engine_free(e);
    mlvpc_model_free(m);
    return a;
}

#define EXPECT(a, verdict, blockcode)                                                              \
    do {                                                                                           \
        if ((a).v != (verdict) || strcmp((a).code, (blockcode)) != 0)                              \
            fail_msg("got %s/%s (missing: %s), want %s/%s", reach_verdict_name((a).v), (a).code,   \
                     (a).missing, reach_verdict_name(verdict), blockcode);                         \
    } while (0)

static const char *const ONE_NACL_B_DENY_443[] = {
    "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-b\", \"VpcId\": \"vpc-1\", \"IsDefault\": false,"
    " \"Associations\": [{\"SubnetId\": \"subnet-b\"}, {\"SubnetId\": \"subnet-a\"}],"
    " \"Entries\": [{\"RuleNumber\": 90, \"Egress\": false, \"Protocol\": \"6\", \"RuleAction\": \"deny\", \"CidrBlock\": \"0.0.0.0/0\","
    "   \"PortRange\": {\"From\": 443, \"To\": 443}},"
    "  {\"RuleNumber\": 100, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"},"
    "  {\"RuleNumber\": 100, \"Egress\": true, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"}]}]}",
    NULL
};

/* NACLs apply only when crossing a subnet boundary. */
static void test_same_subnet_skips_nacl(void **state)
{
    (void)state;
    answer same = ask(ONE_NACL_B_DENY_443, 1, "eni-a1", "eni-a2", NULL, 443);
    EXPECT(same, RV_REACHABLE, "");
    answer across = ask(ONE_NACL_B_DENY_443, 1, "eni-a1", "eni-b", NULL, 443);
    EXPECT(across, RV_UNREACHABLE, "SUBNET_ACL_RESTRICTION");
}

/* Replies are checked against the client's ephemeral ports. */
static void test_nacl_return_path(void **state)
{
    (void)state;
    static const char *const narrow[] = {
        "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-b\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-b\"}],"
        " \"Entries\": [{\"RuleNumber\": 100, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"},"
        "  {\"RuleNumber\": 100, \"Egress\": true, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\","
        "   \"PortRange\": {\"From\": 1024, \"To\": 40000}}]}]}", NULL };
    static const char *const wide[] = {
        "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-b\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-b\"}],"
        " \"Entries\": [{\"RuleNumber\": 100, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"},"
        "  {\"RuleNumber\": 100, \"Egress\": true, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\","
        "   \"PortRange\": {\"From\": 1024, \"To\": 65535}}]}]}", NULL };
    answer a = ask(narrow, 1, "eni-a1", "eni-b", NULL, 443);
    EXPECT(a, RV_UNREACHABLE, "SUBNET_ACL_RESTRICTION");
    assert_true(a.ret);
    answer b = ask(wide, 1, "eni-a1", "eni-b", NULL, 443);
    EXPECT(b, RV_REACHABLE, "");
}

/* An SG reference admits the referenced group's members only. */
static void test_sg_reference(void **state)
{
    (void)state;
    EXPECT(ask(NULL, 1, "eni-a1", "eni-b", NULL, 443), RV_REACHABLE, "");      /* eni-a1 has sg-a */
    EXPECT(ask(NULL, 1, "eni-a2", "eni-b", NULL, 443), RV_UNREACHABLE, "ENI_SG_RULES_MISMATCH");
    EXPECT(ask(NULL, 1, "eni-a1", "eni-b", NULL, 444), RV_UNREACHABLE, "ENI_SG_RULES_MISMATCH");
}

/* A blackhole route drops; the same route active forwards. */
static void test_blackhole(void **state)
{
    (void)state;
    static const char *const hole[] = {
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-priv\", \"VpcId\": \"vpc-1\","
        " \"Associations\": [{\"SubnetId\": \"subnet-a\"}, {\"SubnetId\": \"subnet-b\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NatGatewayId\": \"nat-gone\", \"Origin\": \"CreateRoute\", \"State\": \"blackhole\"}]}]}",
        NULL };
    EXPECT(ask(hole, 1, "eni-a1", "internet", NULL, 443), RV_UNREACHABLE, "BAD_STATE_ROUTE");
    EXPECT(ask(NULL, 1, "eni-a1", "internet", NULL, 443), RV_REACHABLE, "");
}

/* The internet gateway needs a public address on the ENI. */
static void test_igw_public_ip(void **state)
{
    (void)state;
    EXPECT(ask(NULL, 1, "eni-pub", "internet", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(NULL, 1, "eni-pub2", "internet", NULL, 443), RV_UNREACHABLE, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
}

/* A public NAT gateway needs its own subnet to route to an internet gateway,
 * and carries only TCP, UDP and ICMP. */
static void test_nat_gateway(void **state)
{
    (void)state;
    static const char *const no_igw[] = {
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-pub\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-pub\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"}]}]}",
        NULL };
    EXPECT(ask(no_igw, 1, "eni-a1", "internet", NULL, 443), RV_UNREACHABLE, "NO_ROUTE_TO_DESTINATION");
    EXPECT(ask(NULL, 1, "eni-a1", "internet", "udp", 123), RV_REACHABLE, "");
    EXPECT(ask(NULL, 1, "eni-a1", "internet", "50", 0), RV_UNREACHABLE, "PROTOCOL_RESTRICTION");
    static const char *const failed[] = {
        "{\"NatGateways\": [{\"NatGatewayId\": \"nat-1\", \"SubnetId\": \"subnet-pub\", \"VpcId\": \"vpc-1\", \"State\": \"failed\","
        " \"NatGatewayAddresses\": [{\"NetworkInterfaceId\": \"eni-nat\", \"PrivateIp\": \"10.0.0.5\", \"PublicIp\": \"3.3.3.5\"}]}]}",
        NULL };
    EXPECT(ask(failed, 1, "eni-a1", "internet", NULL, 443), RV_UNREACHABLE, "BAD_STATE");
}

/* Gateway endpoints carry TCP and ICMP echo only, and only for their routes. */
static void test_gateway_endpoint(void **state)
{
    (void)state;
    EXPECT(ask(NULL, 1, "eni-a1", "52.216.1.1", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(NULL, 1, "eni-a1", "52.216.1.1", "udp", 443), RV_UNREACHABLE, "VPCE_GATEWAY_PROTOCOL_RESTRICTION");
    EXPECT(ask(NULL, 1, "eni-a1", "52.216.1.1", "icmp", 0), RV_REACHABLE, "");
    /* the public subnet's table has no prefix-list route: S3 through the IGW */
    answer a = ask(NULL, 1, "eni-pub", "service:s3", NULL, 443);
    EXPECT(a, RV_REACHABLE, "");
}

/* Private DNS answers with the endpoint only when both VPC attributes are on. */
static void test_private_dns(void **state)
{
    (void)state;
    answer on = ask(NULL, 1, "eni-a1", "service:sts", NULL, 443);
    EXPECT(on, RV_REACHABLE, "");
    assert_non_null(strstr(on.dst, "service sts"));
    answer unknown = ask(NULL, 0, "eni-a1", "service:sts", NULL, 443);
    EXPECT(unknown, RV_INDETERMINATE, "");
    assert_non_null(strstr(unknown.missing, "enableDnsSupport"));
    /* hostnames off: the public name, here through the NAT gateway */
    answer off = ask(NULL, 2, "eni-a1", "service:sts", NULL, 443);
    EXPECT(off, RV_REACHABLE, "");
    /* ... and the endpoint's SG is no longer on the path: eni-a2 gets out via NAT */
    EXPECT(ask(NULL, 2, "eni-a2", "service:sts", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(NULL, 1, "eni-a2", "service:sts", NULL, 443), RV_UNREACHABLE, "ENI_SG_RULES_MISMATCH");
}

/* Custom DNS servers make service names indeterminate. */
static void test_custom_dhcp_dns(void **state)
{
    (void)state;
    static const char *const custom[] = {
        "{\"DhcpOptions\": [{\"DhcpOptionsId\": \"dopt-1\", \"DhcpConfigurations\": [{\"Key\": \"domain-name-servers\","
        " \"Values\": [{\"Value\": \"10.0.0.2\"}]}]}]}", NULL };
    answer a = ask(custom, 1, "eni-a1", "service:sts", NULL, 443);
    EXPECT(a, RV_INDETERMINATE, "");
    assert_non_null(strstr(a.missing, "custom DNS"));
    EXPECT(ask(NULL, 1, "eni-a1", "service:sts", NULL, 443), RV_REACHABLE, "");
}

static const char JOB[] = "{\"TrainingJobArn\": \"arn:aws:sagemaker:us-east-1:111122223333:training-job/j\", \"TrainingJobName\": \"j\","
                          " \"VpcConfig\": {\"Subnets\": [\"subnet-a\", \"%s\"], \"SecurityGroupIds\": [\"sg-a\"]},"
                          " \"EnableNetworkIsolation\": %s, \"ResourceConfig\": {\"InstanceCount\": 2}}";

/* Network isolation: the container reaches nothing. */
static void test_network_isolation(void **state)
{
    (void)state;
    char iso[512], open[512];
    snprintf(iso, sizeof iso, JOB, "subnet-b", "true");
    snprintf(open, sizeof open, JOB, "subnet-b", "false");
    const char *const v1[] = { iso, NULL }, *const v2[] = { open, NULL };
    EXPECT(ask(v1, 1, "training-job:j", "service:s3", NULL, 443), RV_UNREACHABLE, "SM_NETWORK_ISOLATION");
    answer a = ask(v2, 1, "training-job:j", "service:s3", NULL, 443);
    EXPECT(a, RV_REACHABLE, "");
    assert_int_equal(a.nplaces, 2);
}

/* A source over several subnets is reachable only if every placement is. */
static void test_every_placement(void **state)
{
    (void)state;
    char job[512];
    snprintf(job, sizeof job, JOB, "subnet-c", "false"); /* subnet-c uses the main table: local only */
    const char *const v[] = { job, NULL };
    answer a = ask(v, 1, "training-job:j", "service:s3", NULL, 443);
    EXPECT(a, RV_UNREACHABLE, "NO_ROUTE_TO_DESTINATION");
    assert_int_equal(a.nplaces, 2);
}

/* DirectInternetAccess sends what is not the VPC through SageMaker's network. */
static void test_notebook_direct_internet(void **state)
{
    (void)state;
    static const char *const enabled[] = {
        "{\"NotebookInstanceArn\": \"arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb\", \"NotebookInstanceName\": \"nb\","
        " \"SubnetId\": \"subnet-c\", \"SecurityGroups\": [\"sg-a\"], \"DirectInternetAccess\": \"Enabled\"}", NULL };
    static const char *const disabled[] = {
        "{\"NotebookInstanceArn\": \"arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb\", \"NotebookInstanceName\": \"nb\","
        " \"SubnetId\": \"subnet-c\", \"SecurityGroups\": [\"sg-a\"], \"DirectInternetAccess\": \"Disabled\"}", NULL };
    EXPECT(ask(enabled, 1, "notebook:nb", "internet", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(disabled, 1, "notebook:nb", "internet", NULL, 443), RV_UNREACHABLE, "NO_ROUTE_TO_DESTINATION");
    /* inside the VPC both use the customer ENI and its security groups */
    EXPECT(ask(enabled, 1, "notebook:nb", "eni-b", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(enabled, 1, "notebook:nb", "eni-b", NULL, 22), RV_UNREACHABLE, "ENI_SG_RULES_MISMATCH");
}

/* IPv6 out through an egress-only internet gateway; inbound from the internet. */
static void test_ipv6_and_inbound(void **state)
{
    (void)state;
    const char *const v6[] = {
        "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/16\", \"DhcpOptionsId\": \"dopt-1\","
        " \"Ipv6CidrBlockAssociationSet\": [{\"Ipv6CidrBlock\": \"2600:1f18:1:100::/56\", \"Ipv6CidrBlockState\": {\"State\": \"associated\"}}]}],"
        " \"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-a1\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\","
        " \"PrivateIpAddress\": \"10.0.1.10\", \"Ipv6Addresses\": [{\"Ipv6Address\": \"2600:1f18:1:101::10\"}],"
        " \"Groups\": [{\"GroupId\": \"sg-a\"}]}],"
        " \"EgressOnlyInternetGateways\": [{\"EgressOnlyInternetGatewayId\": \"eigw-1\", \"Attachments\": [{\"VpcId\": \"vpc-1\", \"State\": \"attached\"}]}],"
        " \"RouteTables\": [{\"RouteTableId\": \"rtb-priv\", \"VpcId\": \"vpc-1\","
        " \"Associations\": [{\"SubnetId\": \"subnet-a\"}, {\"SubnetId\": \"subnet-b\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationIpv6CidrBlock\": \"::/0\", \"EgressOnlyInternetGatewayId\": \"eigw-1\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}]}",
        NULL, NULL };
    /* sg-a allows egress to 0.0.0.0/0 only: IPv4 rules never match IPv6 */
    EXPECT(ask(v6, 1, "eni-a1", "2606:4700::1111", NULL, 443), RV_UNREACHABLE, "ENI_SG_RULES_MISMATCH");
    const char *v6_sg[] = { v6[0],
        "{\"SecurityGroups\": [{\"GroupId\": \"sg-a\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [],"
        " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}]}]}", NULL, NULL };
    /* the default NACL of the base has IPv4 entries only: IPv6 meets the implicit deny */
    EXPECT(ask(v6_sg, 1, "eni-a1", "2606:4700::1111", NULL, 443), RV_UNREACHABLE, "SUBNET_ACL_RESTRICTION");
    const char *v6_open[] = { v6[0], v6_sg[1],
        "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-def\", \"VpcId\": \"vpc-1\", \"IsDefault\": true, \"Entries\": ["
        " {\"RuleNumber\": 101, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Ipv6CidrBlock\": \"::/0\"},"
        " {\"RuleNumber\": 101, \"Egress\": true, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Ipv6CidrBlock\": \"::/0\"}]}]}",
        NULL };
    EXPECT(ask(v6_open, 1, "eni-a1", "2606:4700::1111", NULL, 443), RV_REACHABLE, "");
    /* from the internet to the IPv6 address: not through an egress-only gateway */
    const char *const in443 =
        "{\"SecurityGroups\": [{\"GroupId\": \"sg-a\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\","
        " \"FromPort\": 443, \"ToPort\": 443, \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}],"
        " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}]}]}";
    const char *const v6_in[] = { v6[0], in443, v6_open[2], NULL };
    EXPECT(ask(v6_in, 1, "internet", "2600:1f18:1:101::10", NULL, 443), RV_UNREACHABLE, "EIGW_NO_INBOUND");
    const char *const igw6 =
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-priv\", \"VpcId\": \"vpc-1\","
        " \"Associations\": [{\"SubnetId\": \"subnet-a\"}, {\"SubnetId\": \"subnet-b\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationIpv6CidrBlock\": \"::/0\", \"GatewayId\": \"igw-1\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}]}";
    const char *const v6_in_igw[] = { igw6, v6[0], in443, v6_open[2], NULL };
    EXPECT(ask(v6_in_igw, 1, "internet", "2600:1f18:1:101::10", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(NULL, 1, "eni-a1", "2606:4700::1111", NULL, 443), RV_UNREACHABLE, "NO_POSSIBLE_DESTINATION");
    /* inbound: only to an ENI with a public address, and the reply must go back to the IGW */
    EXPECT(ask(NULL, 1, "internet", "eni-pub", NULL, 443), RV_UNREACHABLE, "ENI_SG_RULES_MISMATCH");
    static const char *const open443[] = {
        "{\"SecurityGroups\": [{\"GroupId\": \"sg-a\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\","
        " \"FromPort\": 443, \"ToPort\": 443, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}],"
        " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}]}", NULL };
    EXPECT(ask(open443, 1, "internet", "eni-pub", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(open443, 1, "internet", "eni-pub2", NULL, 443), RV_UNREACHABLE, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
    EXPECT(ask(open443, 1, "internet", "3.3.3.5", NULL, 443), RV_UNREACHABLE, "NO_POSSIBLE_DESTINATION"); /* NAT */
    /* DNS to the VPC resolver is never filtered */
    EXPECT(ask(ONE_NACL_B_DENY_443, 1, "eni-a2", "10.0.0.2", "udp", 53), RV_REACHABLE, "");
}

/* Studio: PublicInternetOnly goes out through SageMaker's network, VpcOnly
 * through the domain's subnets only. */
static void test_studio_modes(void **state)
{
    (void)state;
    static const char *const pub[] = {
        "{\"DomainArn\": \"arn:aws:sagemaker:us-east-1:111122223333:domain/d-1\", \"DomainId\": \"d-1\", \"VpcId\": \"vpc-1\","
        " \"SubnetIds\": [\"subnet-c\"], \"AppNetworkAccessType\": \"PublicInternetOnly\","
        " \"DefaultUserSettings\": {\"SecurityGroups\": [\"sg-a\"]}}", NULL };
    static const char *const vpconly[] = {
        "{\"DomainArn\": \"arn:aws:sagemaker:us-east-1:111122223333:domain/d-1\", \"DomainId\": \"d-1\", \"VpcId\": \"vpc-1\","
        " \"SubnetIds\": [\"subnet-c\"], \"AppNetworkAccessType\": \"VpcOnly\","
        " \"DefaultUserSettings\": {\"SecurityGroups\": [\"sg-a\"]}}", NULL };
    EXPECT(ask(pub, 1, "domain:d-1", "internet", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(vpconly, 1, "domain:d-1", "internet", NULL, 443), RV_UNREACHABLE, "NO_ROUTE_TO_DESTINATION");
}

/* A gateway endpoint serves only the route tables it is associated with. */
static void test_gateway_endpoint_association(void **state)
{
    (void)state;
    /* subnet-c uses the main table, which has no prefix-list route */
#define NB(subnet)                                                                                    \
    "{\"NotebookInstanceArn\": \"arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb\", "      \
    "\"NotebookInstanceName\": \"nb\", \"SubnetId\": \"" subnet "\", \"SecurityGroups\": [\"sg-a\"], " \
    "\"DirectInternetAccess\": \"Disabled\"}"
    const char *in_c = NB("subnet-c"), *in_a = NB("subnet-a");
#undef NB
    const char *const vc[] = { in_c, NULL }, *const va[] = { in_a, NULL };
    EXPECT(ask(vc, 1, "notebook:nb", "service:s3", NULL, 443), RV_UNREACHABLE, "NO_ROUTE_TO_DESTINATION");
    EXPECT(ask(va, 1, "notebook:nb", "service:s3", NULL, 443), RV_REACHABLE, "");
}

/* Findings of the review of the first slice, each with its twin. */
static void test_review_findings(void **state)
{
    (void)state;
    /* an internet gateway behind a NAT still refuses private destinations */
    EXPECT(ask(NULL, 1, "eni-a1", "172.16.0.5", NULL, 443), RV_UNREACHABLE, "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS");
    EXPECT(ask(NULL, 1, "eni-a1", "198.51.100.7", NULL, 443), RV_REACHABLE, "");
    /* instance metadata is reached on the host; other link-local addresses nowhere */
    EXPECT(ask(NULL, 1, "eni-a1", "169.254.169.254", NULL, 80), RV_REACHABLE, "");
    EXPECT(ask(NULL, 1, "eni-a1", "169.254.10.10", NULL, 80), RV_UNREACHABLE, "NO_POSSIBLE_DESTINATION");
    /* the resolver answers only with enableDnsSupport on */
    static const char *const nodns[] = { "{\"VpcId\": \"vpc-1\", \"EnableDnsSupport\": {\"Value\": false}}", NULL };
    EXPECT(ask(nodns, 0, "eni-a1", "10.0.0.2", "udp", 53), RV_UNREACHABLE, "DNS_RESOLUTION_DISABLED");
    EXPECT(ask(NULL, 1, "eni-a1", "10.0.0.2", "udp", 53), RV_REACHABLE, "");
    /* a failed interface endpoint */
    static const char *const failed[] = {
        "{\"VpcEndpoints\": [{\"VpcEndpointId\": \"vpce-sts\", \"VpcEndpointType\": \"Interface\", \"VpcId\": \"vpc-1\","
        " \"ServiceName\": \"com.amazonaws.us-east-1.sts\", \"State\": \"failed\", \"SubnetIds\": [\"subnet-b\"],"
        " \"Groups\": [{\"GroupId\": \"sg-b\"}], \"NetworkInterfaceIds\": [\"eni-ep\"], \"PrivateDnsEnabled\": true}]}", NULL };
    EXPECT(ask(failed, 1, "eni-a1", "service:sts", NULL, 443), RV_UNREACHABLE, "BAD_STATE");
    /* Lambda clients use ephemeral ports from 1024: a NACL admitting only 32768+ breaks their replies */
    static const char *const lambda[] = {
        "{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-a1\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\","
        " \"PrivateIpAddress\": \"10.0.1.10\", \"Groups\": [{\"GroupId\": \"sg-a\"}], \"InterfaceType\": \"lambda\"}]}",
        "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-b\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-b\"}],"
        " \"Entries\": [{\"RuleNumber\": 100, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"},"
        "  {\"RuleNumber\": 100, \"Egress\": true, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\","
        "   \"PortRange\": {\"From\": 32768, \"To\": 65535}}]}]}", NULL };
    answer a = ask(lambda, 1, "eni-a1", "eni-b", NULL, 443);
    EXPECT(a, RV_UNREACHABLE, "SUBNET_ACL_RESTRICTION");
    assert_true(a.ret);
    EXPECT(ask(lambda + 1, 1, "eni-a1", "eni-b", NULL, 443), RV_REACHABLE, ""); /* the same NACL, a Linux client */
}

/* Through a public address, SG references no longer match: the source is
 * seen with its public address, and the target's own NACL and SGs apply. */
static void test_public_address_hairpin(void **state)
{
    (void)state;
    static const char *const ref_only[] = {
        "{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-pub2\", \"SubnetId\": \"subnet-pub\", \"VpcId\": \"vpc-1\","
        " \"PrivateIpAddress\": \"10.0.0.11\", \"Association\": {\"PublicIp\": \"3.3.3.11\"}, \"Groups\": [{\"GroupId\": \"sg-b\"}]}]}",
        NULL };
    /* by private address the reference to sg-a matches ... */
    EXPECT(ask(ref_only, 1, "eni-pub", "eni-pub2", NULL, 443), RV_REACHABLE, "");
    /* ... by public address it does not */
    EXPECT(ask(ref_only, 1, "eni-pub", "3.3.3.11", NULL, 443), RV_UNREACHABLE, "ENI_SG_RULES_MISMATCH");
    const char *const world[] = { ref_only[0],
        "{\"SecurityGroups\": [{\"GroupId\": \"sg-b\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\","
        " \"FromPort\": 443, \"ToPort\": 443, \"IpRanges\": [{\"CidrIp\": \"3.3.3.10/32\"}]}],"
        " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}]}", NULL };
    EXPECT(ask(world, 1, "eni-pub", "3.3.3.11", NULL, 443), RV_REACHABLE, "");
}

/* A public address belongs to one private address of an ENI. */
static void test_public_address_per_private_ip(void **state)
{
    (void)state;
    static const char *const two[] = {
        "{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-pub\", \"SubnetId\": \"subnet-pub\", \"VpcId\": \"vpc-1\","
        " \"PrivateIpAddress\": \"10.0.0.10\", \"Association\": {\"PublicIp\": \"3.3.3.10\"},"
        " \"PrivateIpAddresses\": [{\"PrivateIpAddress\": \"10.0.0.10\", \"Primary\": true, \"Association\": {\"PublicIp\": \"3.3.3.10\"}},"
        "  {\"PrivateIpAddress\": \"10.0.0.12\", \"Primary\": false}], \"Groups\": [{\"GroupId\": \"sg-a\"}]}]}", NULL };
    EXPECT(ask(two, 1, "10.0.0.10", "internet", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(two, 1, "10.0.0.12", "internet", NULL, 443), RV_UNREACHABLE, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
}

/* A NAT gateway forwards by its own subnet's route table, gateway endpoints included. */
static void test_nat_then_gateway_endpoint(void **state)
{
    (void)state;
    static const char *const v[] = {
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-pub\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-pub\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationPrefixListId\": \"pl-s3\", \"GatewayId\": \"vpce-s3\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]},"
        " {\"RouteTableId\": \"rtb-priv\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-a\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NatGatewayId\": \"nat-1\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}]}",
        NULL };
    /* S3 goes NAT -> gateway endpoint; anything else has no way out of the NAT's subnet */
    EXPECT(ask(v, 1, "eni-a1", "52.216.9.9", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(v, 1, "eni-a1", "198.51.100.7", NULL, 443), RV_UNREACHABLE, "NO_ROUTE_TO_DESTINATION");
}

/* A gateway route table: local routes deliver; an appliance is not followed. */
static void test_gateway_route_table(void **state)
{
    (void)state;
    static const char *const open443 =
        "{\"SecurityGroups\": [{\"GroupId\": \"sg-a\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\","
        " \"FromPort\": 443, \"ToPort\": 443, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}],"
        " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}]}";
    static const char *const local_edge[] = { open443,
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-edge\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"GatewayId\": \"igw-1\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"}]}]}",
        NULL };
    static const char *const appliance_edge[] = { open443,
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-edge\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"GatewayId\": \"igw-1\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationCidrBlock\": \"10.0.0.0/24\", \"NetworkInterfaceId\": \"eni-pub2\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}]}",
        NULL };
    EXPECT(ask(local_edge, 1, "internet", "eni-pub", NULL, 443), RV_REACHABLE, "");
    EXPECT(ask(appliance_edge, 1, "internet", "eni-pub", NULL, 443), RV_INDETERMINATE, "");
}

/* Findings of the second review, each with its twin. */
static void test_second_review(void **state)
{
    (void)state;
    static const char *const open443 =
        "{\"SecurityGroups\": [{\"GroupId\": \"sg-a\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\","
        " \"FromPort\": 443, \"ToPort\": 443, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}],"
        " \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}]}";
    /* DenyAllIgwTraffic drops what comes in from the internet */
    const char *const deny[] = { open443,
        "{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-pub\", \"SubnetId\": \"subnet-pub\", \"VpcId\": \"vpc-1\","
        " \"PrivateIpAddress\": \"10.0.0.10\", \"Association\": {\"PublicIp\": \"3.3.3.10\"}, \"DenyAllIgwTraffic\": true,"
        " \"Groups\": [{\"GroupId\": \"sg-a\"}]}]}", NULL };
    const char *const allow[] = { open443, NULL };
    EXPECT(ask(deny, 1, "internet", "eni-pub", NULL, 443), RV_UNREACHABLE, "ENI_DENY_ALL_IGW_TRAFFIC");
    EXPECT(ask(allow, 1, "internet", "eni-pub", NULL, 443), RV_REACHABLE, "");
    /* a reply routed to an appliance is not guessed */
    const char *const via_appliance[] = { open443,
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-pub\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-pub\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NetworkInterfaceId\": \"eni-pub2\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}]}",
        NULL };
    EXPECT(ask(via_appliance, 1, "internet", "eni-pub", NULL, 443), RV_INDETERMINATE, "");
    /* Studio PublicInternetOnly resolves service names in SageMaker's network */
    static const char *const studio[] = {
        "{\"DomainArn\": \"arn:aws:sagemaker:us-east-1:111122223333:domain/d-1\", \"DomainId\": \"d-1\", \"VpcId\": \"vpc-1\","
        " \"SubnetIds\": [\"subnet-c\"], \"AppNetworkAccessType\": \"PublicInternetOnly\","
        " \"DefaultUserSettings\": {\"SecurityGroups\": [\"sg-b\"]}}", NULL };
    EXPECT(ask(studio, 1, "domain:d-1", "service:sts", NULL, 443), RV_REACHABLE, "");
    /* a NAT gateway whose own subnet routes to a NAT gateway loops */
    static const char *const loop[] = {
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-pub\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-pub\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NatGatewayId\": \"nat-1\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}]}",
        NULL };
    EXPECT(ask(loop, 1, "eni-a1", "internet", NULL, 443), RV_UNREACHABLE, "NO_ROUTE_TO_DESTINATION");
}

/* An appliance route: the ENI must have its source/destination check off;
 * past it, the appliance's software decides (indeterminate). */
static void test_appliance_route(void **state)
{
    (void)state;
    static const char *const check_on[] = {
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-priv\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-a\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NetworkInterfaceId\": \"eni-pub2\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}],"
        " \"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-pub2\", \"SubnetId\": \"subnet-pub\", \"VpcId\": \"vpc-1\","
        " \"PrivateIpAddress\": \"10.0.0.11\", \"SourceDestCheck\": true, \"Groups\": [{\"GroupId\": \"sg-a\"}]}]}", NULL };
    static const char *const check_off[] = {
        "{\"RouteTables\": [{\"RouteTableId\": \"rtb-priv\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"SubnetId\": \"subnet-a\"}],"
        " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
        "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NetworkInterfaceId\": \"eni-pub2\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]}],"
        " \"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-pub2\", \"SubnetId\": \"subnet-pub\", \"VpcId\": \"vpc-1\","
        " \"PrivateIpAddress\": \"10.0.0.11\", \"SourceDestCheck\": false, \"Groups\": [{\"GroupId\": \"sg-a\"}]}]}", NULL };
    EXPECT(ask(check_on, 1, "eni-a1", "internet", NULL, 443), RV_UNREACHABLE, "ENI_SOURCE_DEST_CHECK_RESTRICTION");
    EXPECT(ask(check_off, 1, "eni-a1", "internet", NULL, 443), RV_INDETERMINATE, "");
}

/* SageMaker's own S3 traffic is not stopped by network isolation; without
 * a VPC it leaves through SageMaker's network (A.7). */
static void test_platform_traffic(void **state)
{
    (void)state;
    static const char *const iso_novpc[] = {
        "{\"ModelName\": \"iso\", \"ModelArn\": \"arn:aws:sagemaker:us-east-1:111122223333:model/iso\", "
        "\"PrimaryContainer\": {\"Image\": \"x\"}, \"EnableNetworkIsolation\": true}",
        NULL,
    };
    answer a = ask(iso_novpc, 1, "model:iso", "service:s3", NULL, 443);
    assert_int_equal(a.v, RV_UNREACHABLE);
    assert_string_equal(a.code, "SM_NETWORK_ISOLATION");
    a = ask(iso_novpc, 1, "model:iso", "service:s3", "platform", 443);
    assert_int_equal(a.v, RV_REACHABLE);
    static const char *const iso_vpc[] = {
        "{\"ModelName\": \"iv\", \"ModelArn\": \"arn:aws:sagemaker:us-east-1:111122223333:model/iv\", "
        "\"PrimaryContainer\": {\"Image\": \"x\"}, \"EnableNetworkIsolation\": true, "
        "\"VpcConfig\": {\"Subnets\": [\"subnet-a\"], \"SecurityGroupIds\": [\"sg-a\"]}}",
        NULL,
    };
    a = ask(iso_vpc, 1, "model:iv", "internet", "platform", 443);
    assert_int_equal(a.nplaces, 1);
    assert_int_not_equal(a.v, RV_INDETERMINATE); /* traced from the subnet, isolation or not */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_subnet_skips_nacl),
        cmocka_unit_test(test_nacl_return_path),
        cmocka_unit_test(test_sg_reference),
        cmocka_unit_test(test_blackhole),
        cmocka_unit_test(test_igw_public_ip),
        cmocka_unit_test(test_nat_gateway),
        cmocka_unit_test(test_gateway_endpoint),
        cmocka_unit_test(test_private_dns),
        cmocka_unit_test(test_custom_dhcp_dns),
        cmocka_unit_test(test_network_isolation),
        cmocka_unit_test(test_every_placement),
        cmocka_unit_test(test_notebook_direct_internet),
        cmocka_unit_test(test_ipv6_and_inbound),
        cmocka_unit_test(test_studio_modes),
        cmocka_unit_test(test_gateway_endpoint_association),
        cmocka_unit_test(test_review_findings),
        cmocka_unit_test(test_public_address_hairpin),
        cmocka_unit_test(test_public_address_per_private_ip),
        cmocka_unit_test(test_nat_then_gateway_endpoint),
        cmocka_unit_test(test_gateway_route_table),
        cmocka_unit_test(test_second_review),
        cmocka_unit_test(test_appliance_route),
        cmocka_unit_test(test_platform_traffic),
    };
    return cmocka_run_group_tests_name("reach", tests, NULL, NULL);
}
