/*
 * Unit tests of the model: loading describe outputs, normalisation, defaults,
 * reference resolution and the derived associations every analysis uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inputs/load.h"
#include "model/model.h"

/* Load `text` as if it were the file `path`; returns the status. */
static mlvpc_status load(mlvpc_model *m, const char *path, const char *text, mlvpc_diag *err)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    memcpy(buf, text, n);
    mlvpc_status st = inputs_load_buffer(m, path, buf, n, NULL, err);
    free(buf);
    return st;
}

static void load_ok(mlvpc_model *m, const char *text)
{
    mlvpc_diag err;
    mlvpc_status st = load(m, "aws_configs/us-east-1/x.json", text, &err);
    if (st != MLVPC_OK) {
        char buf[1200];
        fail_msg("load failed: %s", mlvpc_diag_format(&err, buf, sizeof buf));
    }
}

static uint32_t find(mlvpc_model *m, mv_kind k, const char *id)
{
    uint32_t s = intern_find(&m->syms, id, strlen(id));
    uint32_t i = model_find(m, k, s);
    if (i == MV_NONE)
        fail_msg("%s %s not in the model", mv_kind_name(k), id);
    return i;
}

static const char *diag_text(const mlvpc_model *m, size_t i) { return mlvpc_model_diag(m, i)->text; }

static bool has_warning(const mlvpc_model *m, const char *needle)
{
    for (size_t i = 0; i < mlvpc_model_diag_count(m); i++)
        if (strstr(diag_text(m, i), needle))
            return true;
    return false;
}

static const char VPC[] = "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/16\", \"OwnerId\": \"111\","
                          " \"CidrBlockAssociationSet\": [{\"CidrBlock\": \"10.0.0.0/16\", \"CidrBlockState\": {\"State\": \"associated\"}},"
                          " {\"CidrBlock\": \"10.9.0.0/16\", \"CidrBlockState\": {\"State\": \"disassociated\"}}]}]}";
static const char SUBNETS[] = "{\"Subnets\": ["
    "{\"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.1.0/24\", \"AvailabilityZone\": \"us-east-1a\", \"MapPublicIpOnLaunch\": false},"
    "{\"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.2.0/24\", \"AvailabilityZone\": \"us-east-1b\"}]}";
static const char RTBS[] = "{\"RouteTables\": ["
    "{\"RouteTableId\": \"rtb-main\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"Main\": true, \"RouteTableId\": \"rtb-main\"}],"
    " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
    "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"GatewayId\": \"igw-1\", \"Origin\": \"CreateRoute\", \"State\": \"active\"}]},"
    "{\"RouteTableId\": \"rtb-priv\", \"VpcId\": \"vpc-1\", \"Associations\": [{\"Main\": false, \"SubnetId\": \"subnet-a\", \"RouteTableId\": \"rtb-priv\"}],"
    " \"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\", \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
    "  {\"DestinationPrefixListId\": \"pl-s3\", \"GatewayId\": \"vpce-s3\", \"Origin\": \"CreateRoute\", \"State\": \"active\"},"
    "  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"NatGatewayId\": \"nat-gone\", \"Origin\": \"CreateRoute\", \"State\": \"blackhole\"}]}]}";
static const char IGW[] = "{\"InternetGateways\": [{\"InternetGatewayId\": \"igw-1\", \"Attachments\": [{\"VpcId\": \"vpc-1\", \"State\": \"available\"}]}]}";

static mlvpc_model *base_model(void)
{
    mlvpc_model *m = mlvpc_model_new();
    assert_non_null(m);
    load_ok(m, VPC);
    load_ok(m, SUBNETS);
    load_ok(m, RTBS);
    load_ok(m, IGW);
    return m;
}

static void test_effective_route_table(void **state)
{
    (void)state;
    mlvpc_model *m = base_model();
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_subnet *a = MV_AT(m, MK_SUBNET, mv_subnet, find(m, MK_SUBNET, "subnet-a"));
    const mv_subnet *b = MV_AT(m, MK_SUBNET, mv_subnet, find(m, MK_SUBNET, "subnet-b"));
    assert_int_equal(a->rtb, find(m, MK_RTB, "rtb-priv"));
    assert_true(a->rtb_explicit);
    /* No explicit association: the VPC's main table, not "no table". */
    assert_int_equal(b->rtb, find(m, MK_RTB, "rtb-main"));
    assert_false(b->rtb_explicit);
    const mv_route *why;
    assert_int_equal(model_subnet_class(m, b, &why), MC_PUBLIC);
    assert_int_equal(why->target, MT_IGW);
    /* The private table's default route is a blackhole to a deleted NAT. */
    assert_int_equal(model_subnet_class(m, a, &why), MC_PRIVATE);
    assert_non_null(why);
    assert_int_equal(why->state, MS_BLACKHOLE);
    assert_int_equal(why->target, MT_NAT);
    assert_false(has_warning(m, "nat-gone")); /* blackhole targets are gone by design */
    /* Only associated CIDR blocks count. */
    const mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, 0);
    assert_int_equal(v->ncidrs, 1);
    mlvpc_model_free(m);
}

static void test_subnet_class_unknown_without_tables(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, VPC);
    load_ok(m, SUBNETS);
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_subnet *b = MV_AT(m, MK_SUBNET, mv_subnet, find(m, MK_SUBNET, "subnet-b"));
    const mv_route *why;
    assert_int_equal(b->rtb, MV_NONE);
    assert_int_equal(model_subnet_class(m, b, &why), MC_UNKNOWN);
    /* MapPublicIpOnLaunch absent is unknown, not false. */
    assert_int_equal(b->map_public_ip, MV_UNKNOWN);
    assert_int_equal(MV_AT(m, MK_SUBNET, mv_subnet, find(m, MK_SUBNET, "subnet-a"))->map_public_ip, MV_FALSE);
    mlvpc_model_free(m);
}

static void test_blackhole_igw_route_is_not_public(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, VPC);
    load_ok(m, SUBNETS);
    load_ok(m, "{\"RouteTables\": [{\"RouteTableId\": \"rtb-m\", \"VpcId\": \"vpc-1\","
               " \"Associations\": [{\"Main\": true}], \"Routes\": [{\"DestinationCidrBlock\": \"0.0.0.0/0\","
               " \"GatewayId\": \"igw-old\", \"State\": \"blackhole\", \"Origin\": \"CreateRoute\"}]}]}");
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_route *why;
    assert_int_equal(model_subnet_class(m, MV_AT(m, MK_SUBNET, mv_subnet, 0), &why), MC_PRIVATE);
    mlvpc_model_free(m);
}

static void test_effective_nacl(void **state)
{
    (void)state;
    mlvpc_model *m = base_model();
    load_ok(m, "{\"NetworkAcls\": ["
               "{\"NetworkAclId\": \"acl-def\", \"VpcId\": \"vpc-1\", \"IsDefault\": true, \"Associations\": [], \"Entries\": []},"
               "{\"NetworkAclId\": \"acl-a\", \"VpcId\": \"vpc-1\", \"IsDefault\": false,"
               " \"Associations\": [{\"NetworkAclAssociationId\": \"aclassoc-1\", \"NetworkAclId\": \"acl-a\", \"SubnetId\": \"subnet-a\"}],"
               " \"Entries\": [{\"RuleNumber\": 32767, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"CidrBlock\": \"0.0.0.0/0\"},"
               "  {\"RuleNumber\": 200, \"Egress\": true, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\", \"PortRange\": {\"From\": 1024, \"To\": 65535}},"
               "  {\"RuleNumber\": 100, \"Egress\": false, \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"CidrBlock\": \"10.0.0.0/16\", \"PortRange\": {\"From\": 443, \"To\": 443}},"
               "  {\"RuleNumber\": 90, \"Egress\": false, \"Protocol\": \"1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\", \"IcmpTypeCode\": {\"Type\": 3, \"Code\": 4}},"
               "  {\"RuleNumber\": 32768, \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"Ipv6CidrBlock\": \"::/0\"},"
               "  {\"RuleNumber\": 80, \"Egress\": false, \"Protocol\": \"50\", \"RuleAction\": \"deny\", \"CidrBlock\": \"0.0.0.0/0\", \"PortRange\": {\"From\": 22, \"To\": 22}}]}]}");
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_subnet *a = MV_AT(m, MK_SUBNET, mv_subnet, find(m, MK_SUBNET, "subnet-a"));
    const mv_subnet *b = MV_AT(m, MK_SUBNET, mv_subnet, find(m, MK_SUBNET, "subnet-b"));
    assert_int_equal(a->nacl, find(m, MK_NACL, "acl-a"));
    assert_true(a->nacl_explicit);
    assert_int_equal(b->nacl, find(m, MK_NACL, "acl-def"));
    assert_false(b->nacl_explicit);
    const mv_nacl *n = MV_AT(m, MK_NACL, mv_nacl, a->nacl);
    /* ingress first, ascending rule numbers, the * rule last */
    assert_int_equal(n->nentries, 6);
    assert_int_equal(n->ningress, 5);
    static const uint16_t order[] = { 80, 90, 100, 32767, 32768, 200 };
    for (int i = 0; i < 6; i++)
        assert_int_equal(n->entries[i].rule, order[i]);
    assert_int_equal(n->entries[0].m.proto, 50);
    /* protocol 50: AWS ignores the port range */
    assert_int_equal(n->entries[0].m.port_lo, 0);
    assert_int_equal(n->entries[0].m.port_hi, 65535);
    assert_int_equal(n->entries[1].m.icmp_type, 3);
    assert_int_equal(n->entries[1].m.icmp_code, 4);
    assert_int_equal(n->entries[2].m.port_lo, 443);
    assert_int_equal(n->entries[4].cidr.a.af, IP_V6);
    assert_true(n->entries[5].egress);
    assert_int_equal(n->entries[5].m.port_lo, 1024);
    mlvpc_model_free(m);
}

static void test_sg_rules_normalised(void **state)
{
    (void)state;
    mlvpc_model *m = base_model();
    load_ok(m, "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"GroupName\": \"default\", \"VpcId\": \"vpc-1\","
               " \"IpPermissions\": ["
               "  {\"IpProtocol\": \"-1\", \"IpRanges\": [], \"Ipv6Ranges\": [], \"PrefixListIds\": [],"
               "   \"UserIdGroupPairs\": [{\"GroupId\": \"sg-1\", \"UserId\": \"111\"}]},"
               "  {\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}, {\"CidrIp\": \"10.0.0.0/8\"}],"
               "   \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]},"
               "  {\"IpProtocol\": \"icmp\", \"FromPort\": -1, \"ToPort\": -1, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]},"
               "  {\"IpProtocol\": \"icmpv6\", \"IpRanges\": [], \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]},"
               "  {\"IpProtocol\": \"50\", \"FromPort\": 100, \"ToPort\": 200, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}],"
               " \"IpPermissionsEgress\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443,"
               "   \"PrefixListIds\": [{\"PrefixListId\": \"pl-s3\"}], \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/16\"}]}]}]}");
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_sg *g = MV_AT(m, MK_SG, mv_sg, find(m, MK_SG, "sg-1"));
    assert_true(g->is_default);
    assert_int_equal(MV_AT(m, MK_VPC, mv_vpc, 0)->default_sg, find(m, MK_SG, "sg-1"));
    assert_int_equal(g->ningress, 7); /* one rule per peer */
    assert_int_equal(g->nrules, 9);
    const mv_sg_rule *r = g->rules;
    assert_int_equal(r[0].m.proto, MV_PROTO_ALL); /* -1 without ports: all ports */
    assert_int_equal(r[0].m.port_hi, 65535);
    assert_int_equal(r[0].peer, MP_SG);
    assert_int_equal(r[0].ref.idx, find(m, MK_SG, "sg-1"));
    assert_int_equal(r[1].m.proto, MV_TCP);
    assert_int_equal(r[1].m.port_lo, 22);
    assert_int_equal(r[1].m.port_hi, 22);
    assert_int_equal(r[3].cidr.a.af, IP_V6);
    assert_int_equal(r[4].m.proto, MV_ICMP);
    assert_int_equal(r[4].m.icmp_type, -1);
    assert_int_equal(r[5].m.proto, MV_ICMPV6); /* range omitted = all types and codes */
    assert_int_equal(r[5].m.icmp_type, -1);
    assert_int_equal(r[6].m.proto, 50); /* ports given but ignored by EC2 */
    assert_int_equal(r[6].m.port_lo, 0);
    assert_int_equal(r[6].m.port_hi, 65535);
    assert_true(r[7].egress);
    assert_int_equal(r[7].peer, MP_CIDR); /* IpRanges before PrefixListIds */
    assert_int_equal(r[8].peer, MP_PL);
    /* pl-s3 is not in the input: warned, unresolved */
    assert_int_equal(r[8].ref.idx, MV_NONE);
    assert_true(has_warning(m, "\"pl-s3\" is not in the input"));
    mlvpc_model_free(m);
}

static void test_dns_attributes_unknown_until_given(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, "{\"VpcId\": \"vpc-1\", \"EnableDnsHostnames\": {\"Value\": false}}"); /* before the VPC */
    load_ok(m, VPC);
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, 0);
    assert_int_equal(v->dns_hostnames, MV_FALSE);
    assert_int_equal(v->dns_support, MV_UNKNOWN); /* never collected: unknown, not the default */
    mlvpc_model_free(m);
}

static void test_prefix_list_sources_merge(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, "{\"PrefixListId\": \"pl-63a5400a\", \"Entries\": [{\"Cidr\": \"3.5.0.0/19\"}, {\"Cidr\": \"52.216.0.0/15\"}]}");
    load_ok(m, "{\"PrefixLists\": [{\"PrefixListId\": \"pl-63a5400a\", \"PrefixListName\": \"com.amazonaws.us-east-1.s3\","
               " \"AddressFamily\": \"IPv4\", \"MaxEntries\": 0, \"OwnerId\": \"AWS\", \"State\": \"create-complete\"},"
               " {\"PrefixListId\": \"pl-c1\", \"PrefixListName\": \"corp\", \"AddressFamily\": \"IPv4\", \"MaxEntries\": 10, \"OwnerId\": \"111\"}]}");
    assert_int_equal(model_finish(m), MLVPC_OK);
    assert_int_equal(MV_N(m, MK_PL), 2);
    const mv_pl *s3 = MV_AT(m, MK_PL, mv_pl, find(m, MK_PL, "pl-63a5400a"));
    assert_true(s3->entries_known);
    assert_int_equal(s3->nentries, 2);
    assert_true(s3->aws_managed);
    assert_string_equal(s3->pl_name, "com.amazonaws.us-east-1.s3");
    const mv_pl *corp = MV_AT(m, MK_PL, mv_pl, find(m, MK_PL, "pl-c1"));
    assert_false(corp->entries_known); /* entries not collected: unknown, not empty */
    assert_false(corp->aws_managed);
    assert_int_equal(corp->max_entries, 10);
    assert_int_equal(mlvpc_model_diag_count(m), 0);
    mlvpc_model_free(m);
}

static void test_sagemaker_defaults_and_links(void **state)
{
    (void)state;
    mlvpc_model *m = base_model();
    load_ok(m, "{\"NotebookInstanceArn\": \"arn:aws:sagemaker:us-east-1:222233334444:notebook-instance/nb\","
               " \"NotebookInstanceName\": \"nb\", \"SubnetId\": \"subnet-a\", \"SecurityGroups\": [\"sg-x\"]}");
    load_ok(m, "{\"NotebookInstanceArn\": \"arn:aws:sagemaker:us-east-1:222233334444:notebook-instance/nb2\","
               " \"NotebookInstanceName\": \"nb2\", \"DirectInternetAccess\": \"Disabled\", \"RootAccess\": \"Disabled\"}");
    load_ok(m, "[{\"ProcessingJobArn\": \"arn:aws:sagemaker:us-east-1:222233334444:processing-job/p\","
               "  \"ProcessingJobName\": \"p\", \"TrainingJobArn\": \"arn:aws:sagemaker:us-east-1:222233334444:training-job/t\","
               "  \"ProcessingResources\": {\"ClusterConfig\": {\"InstanceCount\": 3}},"
               "  \"NetworkConfig\": {\"EnableNetworkIsolation\": true, \"VpcConfig\": {\"Subnets\": [\"subnet-a\", \"subnet-b\"], \"SecurityGroupIds\": []}}},"
               " {\"TrainingJobArn\": \"arn:aws:sagemaker:us-east-1:222233334444:training-job/t\", \"TrainingJobName\": \"t\","
               "  \"ResourceConfig\": {\"InstanceCount\": 2}}]");
    load_ok(m, "{\"ModelArn\": \"arn:aws:sagemaker:us-east-1:222233334444:model/mo\", \"ModelName\": \"mo\","
               " \"VpcConfig\": {\"Subnets\": [\"subnet-a\"], \"SecurityGroupIds\": [\"sg-y\"]}}");
    load_ok(m, "{\"EndpointConfigArn\": \"arn:aws:sagemaker:us-east-1:222233334444:endpoint-config/c\", \"EndpointConfigName\": \"c\","
               " \"ProductionVariants\": [{\"VariantName\": \"v\", \"ModelName\": \"mo\", \"InitialInstanceCount\": 1},"
               " {\"VariantName\": \"s\", \"ModelName\": \"mo\", \"ServerlessConfig\": {\"MemorySizeInMB\": 2048, \"MaxConcurrency\": 5}}]}");
    load_ok(m, "{\"EndpointArn\": \"arn:aws:sagemaker:us-east-1:222233334444:endpoint/e\", \"EndpointName\": \"e\","
               " \"EndpointConfigName\": \"c\", \"EndpointStatus\": \"InService\"}");
    load_ok(m, "{\"DomainArn\": \"arn:aws:sagemaker:us-east-1:222233334444:domain/d-1\", \"DomainId\": \"d-1\", \"VpcId\": \"vpc-1\","
               " \"SubnetIds\": [\"subnet-a\"], \"DefaultUserSettings\": {\"SecurityGroups\": [\"sg-u\"]},"
               " \"DomainSettings\": {\"SecurityGroupIds\": [\"sg-u\", \"sg-d\"]}}");
    assert_int_equal(model_finish(m), MLVPC_OK);

    const mv_notebook *nb = MV_AT(m, MK_NOTEBOOK, mv_notebook, find(m, MK_NOTEBOOK, "notebook:nb"));
    assert_int_equal(nb->direct_internet, MV_TRUE); /* absent = Enabled */
    assert_int_equal(nb->root_access, MV_TRUE);
    assert_int_equal(nb->place.present, MV_TRUE);
    assert_int_equal(nb->place.subnets[0].idx, find(m, MK_SUBNET, "subnet-a"));
    assert_string_equal(model_str(m, nb->r.account), "222233334444"); /* from the ARN */
    assert_string_equal(model_str(m, nb->r.region), "us-east-1");
    const mv_notebook *nb2 = MV_AT(m, MK_NOTEBOOK, mv_notebook, find(m, MK_NOTEBOOK, "notebook:nb2"));
    assert_int_equal(nb2->direct_internet, MV_FALSE);
    assert_int_equal(nb2->root_access, MV_FALSE);
    assert_int_equal(nb2->place.present, MV_FALSE);

    /* The processing job carries a TrainingJobArn too: still a processing job. */
    const mv_job *p = MV_AT(m, MK_JOB, mv_job, find(m, MK_JOB, "processing-job:p"));
    assert_int_equal(p->kind, MJ_PROCESSING);
    assert_int_equal(p->isolation, MV_TRUE);
    assert_int_equal(p->ict_encryption, MV_FALSE); /* absent = false */
    assert_int_equal(p->instance_count, 3);
    assert_int_equal(p->place.nsubnets, 2);
    const mv_job *t = MV_AT(m, MK_JOB, mv_job, find(m, MK_JOB, "training-job:t"));
    assert_int_equal(t->place.present, MV_FALSE);
    assert_int_equal(t->isolation, MV_FALSE);
    assert_int_equal(t->instance_count, 2);

    const mv_endpoint *e = MV_AT(m, MK_ENDPOINT, mv_endpoint, find(m, MK_ENDPOINT, "endpoint:e"));
    assert_int_equal(e->config.idx, find(m, MK_EPCONFIG, "endpoint-config:c"));
    const mv_epconfig *c = MV_AT(m, MK_EPCONFIG, mv_epconfig, e->config.idx);
    assert_int_equal(c->nvariants, 2);
    assert_int_equal(c->variants[0].model.idx, find(m, MK_MODEL, "model:mo"));
    assert_int_equal(c->variants[0].instance_count, 1);
    assert_true(c->variants[1].serverless);
    assert_int_equal(c->variants[1].instance_count, -1);

    const mv_domain *d = MV_AT(m, MK_DOMAIN, mv_domain, find(m, MK_DOMAIN, "domain:d-1"));
    assert_int_equal(d->net, MA_PUBLIC_INTERNET_ONLY); /* absent = PublicInternetOnly */
    assert_int_equal(d->place.nsgs, 2);                 /* sg-u once, sg-d */
    /* dangling SG references are warnings naming the resource */
    assert_true(has_warning(m, "notebook-instance \"notebook:nb\": security group \"sg-x\" is not in the input"));
    mlvpc_model_free(m);
}

static void test_eni_owners(void **state)
{
    (void)state;
    mlvpc_model *m = base_model();
    load_ok(m, "{\"NetworkInterfaces\": ["
               "{\"NetworkInterfaceId\": \"eni-nat\", \"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\", \"InterfaceType\": \"nat_gateway\","
               " \"PrivateIpAddress\": \"10.0.2.5\", \"Association\": {\"PublicIp\": \"3.3.3.3\"}, \"Groups\": []},"
               "{\"NetworkInterfaceId\": \"eni-sm\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\", \"InterfaceType\": \"interface\","
               " \"Description\": \"[DO NOT DELETE] ENI managed by SageMaker for Training Job\", \"RequesterManaged\": true,"
               " \"PrivateIpAddresses\": [{\"PrivateIpAddress\": \"10.0.1.9\", \"Primary\": true},"
               "  {\"PrivateIpAddress\": \"10.0.1.10\", \"Primary\": false, \"Association\": {\"PublicIp\": \"4.4.4.4\"}}],"
               " \"PrivateIpAddress\": \"10.0.1.9\", \"Groups\": [{\"GroupId\": \"sg-1\", \"GroupName\": \"x\"}], \"TagSet\": [{\"Key\": \"Name\", \"Value\": \"w\"}]}]}");
    load_ok(m, "{\"NatGateways\": [{\"NatGatewayId\": \"nat-1\", \"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\", \"State\": \"available\","
               " \"NatGatewayAddresses\": [{\"NetworkInterfaceId\": \"eni-nat\", \"PrivateIp\": \"10.0.2.5\", \"PublicIp\": \"3.3.3.3\"}]}]}");
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_eni *nat = MV_AT(m, MK_ENI, mv_eni, find(m, MK_ENI, "eni-nat"));
    assert_int_equal(nat->owner, MW_NATGW);
    assert_int_equal(nat->owner_kind, MK_NATGW);
    assert_int_equal(nat->owner_idx, find(m, MK_NATGW, "nat-1"));
    assert_int_equal(nat->npublic, 1);
    const mv_eni *sm = MV_AT(m, MK_ENI, mv_eni, find(m, MK_ENI, "eni-sm"));
    assert_int_equal(sm->owner, MW_SAGEMAKER);
    assert_int_equal(sm->nprivate, 2); /* primary not repeated */
    assert_int_equal(sm->npublic, 1);
    assert_string_equal(sm->r.name, "w"); /* TagSet, not Tags */
    assert_int_equal(MV_AT(m, MK_NATGW, mv_natgw, 0)->conn, MN_PUBLIC); /* ConnectivityType absent = public */
    mlvpc_model_free(m);
}

typedef struct bad_input {
    const char *text;
    mlvpc_status st;
    unsigned line;
    const char *path, *msg;
} bad_input;

static void test_schema_errors_located(void **state)
{
    (void)state;
    static const bad_input cases[] = {
        { "{\"Subnets\": [{\"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\",\n \"CidrBlock\": 10}]}", MLVPC_ERR_SCHEMA, 2,
          "$.Subnets[0].CidrBlock", "expected \"CidrBlock\" to be a string, got number" },
        { "{\"Subnets\": [{\"VpcId\": \"vpc-1\"}]}", MLVPC_ERR_SCHEMA, 1, "$.Subnets[0]", "missing \"SubnetId\" string" },
        { "{\"Subnets\": {}}", MLVPC_ERR_SCHEMA, 1, "$.Subnets", "expected \"Subnets\" to be an array" },
        { "{\"Subnets\": [1]}", MLVPC_ERR_SCHEMA, 1, "$.Subnets[0]", "expected a subnet to be an object" },
        { "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/33\"}]}", MLVPC_ERR_SCHEMA, 1, "$.Vpcs[0].CidrBlock",
          "CIDR block" },
        { "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"bogus\"}]}]}", MLVPC_ERR_SCHEMA, 1,
          "$.SecurityGroups[0].IpPermissions[0].IpProtocol", "protocol" },
        { "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 80}]}]}",
          MLVPC_ERR_SCHEMA, 1, "$.SecurityGroups[0].IpPermissions[0]", "invalid port range 443-80" },
        { "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"VpcId\": \"vpc-1\", \"Entries\": [{\"RuleNumber\": 32769,"
          " \"Egress\": false, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"CidrBlock\": \"0.0.0.0/0\"}]}]}",
          MLVPC_ERR_SCHEMA, 1, "$.NetworkAcls[0].Entries[0].RuleNumber", "outside 1..32768" },
        { "{\"NotebookInstanceArn\": \"arn\", \"NotebookInstanceName\": \"n\", \"DirectInternetAccess\": \"Yes\"}", MLVPC_ERR_SCHEMA,
          1, "$.DirectInternetAccess", "\"Enabled\" or \"Disabled\"" },
        { "{\"Vpcs\": [\n{\"VpcId\": \"vpc-1\"},\n]}", MLVPC_ERR_SYNTAX, 3, "", "expected a value" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mlvpc_model *m = mlvpc_model_new();
        mlvpc_diag err;
        mlvpc_status st = load(m, "in.json", cases[i].text, &err);
        if (st != cases[i].st || err.line != cases[i].line || strcmp(err.path, cases[i].path) != 0 ||
            !strstr(err.text, cases[i].msg) || strcmp(err.file, "in.json") != 0)
            fail_msg("case %zu: got status %d line %u path \"%s\" text \"%s\"", i, st, err.line, err.path, err.text);
        mlvpc_model_free(m);
    }
}

static void test_duplicates_and_unrecognised(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, VPC);
    load_ok(m, VPC);
    load_ok(m, "{\"AvailabilityZones\": []}");
    assert_int_equal(MV_N(m, MK_VPC), 1);
    assert_true(has_warning(m, "duplicate vpc \"vpc-1\" ignored"));
    assert_int_equal(mlvpc_model_skipped_count(m), 1);
    assert_int_equal(model_finish(m), MLVPC_OK);
    mlvpc_model_free(m);
}

static void test_layout_account_region(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    const char *text = "{\"Subnets\": [{\"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\"}]}";
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    memcpy(buf, text, n);
    assert_int_equal(inputs_load_buffer(m, "snap/aws_configs/accounts/123456789012/eu-west-1/Subnets.json", buf, n, NULL, &err),
                     MLVPC_OK);
    free(buf);
    const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, 0);
    assert_string_equal(model_str(m, s->r.account), "123456789012");
    assert_string_equal(model_str(m, s->r.region), "eu-west-1");
    mlvpc_model_free(m);
}

static void test_failed_file_rolls_back(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    load_ok(m, SUBNETS);
    /* vpc-1 is added, then its tags are malformed: the whole file must go. */
    assert_int_equal(load(m, "bad.json", "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"Tags\": [\"\"]}]}", &err), MLVPC_ERR_SCHEMA);
    assert_int_equal(MV_N(m, MK_VPC), 0);
    assert_int_equal(MV_N(m, MK_SUBNET), 2);
    assert_int_equal(load(m, "bad2.json", "{\"VpcId\": \"vpc-1\", \"EnableDnsSupport\": {\"Value\": 1}}", &err),
                     MLVPC_ERR_SCHEMA);
    load_ok(m, VPC); /* the id is free again */
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_vpc *v = MV_AT(m, MK_VPC, mv_vpc, 0);
    assert_int_equal(v->main_rtb, MV_NONE);
    assert_int_equal(v->dns_support, MV_UNKNOWN);
    assert_int_equal(MV_AT(m, MK_SUBNET, mv_subnet, 0)->vpc.idx, 0);
    mlvpc_model_free(m);
}

static void test_streamed_lists(void **state)
{
    (void)state;
    static const bad_input cases[] = {
        { "{\"SecurityGroups\": [\"sg-1\"]}", MLVPC_ERR_SCHEMA, 1, "$.SecurityGroups[0]",
          "expected a security group to be an object" },
        { "{\"Subnets\": [{\"SubnetId\": \"s-1\", \"VpcId\": \"v\"},\n 5]}", MLVPC_ERR_SCHEMA, 2, "$.Subnets[1]",
          "expected a subnet to be an object" },
        { "{\"Subnets\": [{\"SubnetId\": \"s-1\", \"VpcId\": \"v\"},\n{\"SubnetId\": \"s-2\", \"VpcId\": \"v\", \"Tags\": [{\"Key\": 1}]}]}",
          MLVPC_ERR_SCHEMA, 2, "$.Subnets[1].Tags[0].Key", "expected \"Key\" to be a string" },
        { "{\"Subnets\": [{\"SubnetId\": \"s-1\", \"VpcId\": \"v\"},\n{\"SubnetId\": \"s-2\", \"VpcId\": \"v\"},\n{]}",
          MLVPC_ERR_SYNTAX, 3, "", "expected '\"' (object key) or '}'" },
        /* streamed before the ARN key showed it is a notebook (fuzzer finding) */
        { "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\"}], \"NotebookInstanceArn\": \"arn:aws:sagemaker:us-east-1:1:notebook-instance/n\","
          " \"NotebookInstanceName\": \"n\"}", MLVPC_ERR_SCHEMA, 1, "$", "not both" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mlvpc_model *m = mlvpc_model_new();
        mlvpc_diag err;
        mlvpc_status st = load(m, "in.json", cases[i].text, &err);
        if (st != cases[i].st || err.line != cases[i].line || strcmp(err.path, cases[i].path) != 0 ||
            !strstr(err.text, cases[i].msg))
            fail_msg("case %zu: got status %d line %u path \"%s\" text \"%s\"", i, st, err.line, err.path, err.text);
        /* the elements loaded before the error are rolled back */
        assert_int_equal(mlvpc_model_resource_count(m), 0);
        mlvpc_model_free(m);
    }
    /* A SageMaker describe output whose "SecurityGroups" (ids) comes first. */
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, "{\"SecurityGroups\": [\"sg-1\"], \"NotebookInstanceName\": \"n\","
               " \"NotebookInstanceArn\": \"arn:aws:sagemaker:us-east-1:1:notebook-instance/n\"}");
    assert_int_equal(MV_N(m, MK_NOTEBOOK), 1);
    assert_int_equal(MV_N(m, MK_SG), 0);
    /* Two lists in one file, each streamed. */
    load_ok(m, "{\"Vpcs\": [{\"VpcId\": \"vpc-9\"}], \"Subnets\": [{\"SubnetId\": \"s-9\", \"VpcId\": \"vpc-9\"},"
               " {\"SubnetId\": \"s-10\", \"VpcId\": \"vpc-9\"}], \"NextToken\": null}");
    assert_int_equal(MV_N(m, MK_VPC), 1);
    assert_int_equal(MV_N(m, MK_SUBNET), 2);
    assert_int_equal(mlvpc_model_skipped_count(m), 0);
    mlvpc_model_free(m);
}

static void test_dhcp_repeated_key(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    load_ok(m, "{\"DhcpOptions\": [{\"DhcpOptionsId\": \"dopt-1\", \"DhcpConfigurations\": ["
               "{\"Key\": \"domain-name-servers\", \"Values\": [{\"Value\": \"10.0.0.2\"}, {\"Value\": \"8.8.8.8\"}]},"
               "{\"Key\": \"domain-name\", \"Values\": [{\"Value\": \"corp.example\"}]},"
               "{\"Key\": \"domain-name-servers\", \"Values\": [{\"Value\": \"AmazonProvidedDNS\"}]}]}]}");
    assert_int_equal(model_finish(m), MLVPC_OK);
    const mv_dhcp *d = MV_AT(m, MK_DHCP, mv_dhcp, 0);
    assert_true(d->has_dns_key);
    assert_int_equal(d->ndns, 3);
    assert_string_equal(d->dns_servers[0], "10.0.0.2");
    assert_string_equal(d->dns_servers[2], "AmazonProvidedDNS");
    assert_string_equal(d->domain_name, "corp.example");
    mlvpc_model_free(m);
}

static void test_service_short_names(void **state)
{
    (void)state;
    assert_string_equal(model_service_short("com.amazonaws.us-east-1.s3"), "s3");
    assert_string_equal(model_service_short("com.amazonaws.us-east-1.sagemaker.api"), "sagemaker.api");
    assert_string_equal(model_service_short("com.amazonaws.eu-west-1.ecr.dkr"), "ecr.dkr");
    assert_string_equal(model_service_short("aws.sagemaker.us-east-1.notebook"), "notebook");
    assert_string_equal(model_service_short("cn.com.amazonaws.cn-north-1.s3"), "s3");
    assert_null(model_service_short("com.amazonaws.vpce.us-east-1.vpce-svc-0123"));
    assert_null(model_service_short("com.example.thing"));
    assert_null(model_service_short(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_effective_route_table),
        cmocka_unit_test(test_subnet_class_unknown_without_tables),
        cmocka_unit_test(test_blackhole_igw_route_is_not_public),
        cmocka_unit_test(test_effective_nacl),
        cmocka_unit_test(test_sg_rules_normalised),
        cmocka_unit_test(test_dns_attributes_unknown_until_given),
        cmocka_unit_test(test_prefix_list_sources_merge),
        cmocka_unit_test(test_sagemaker_defaults_and_links),
        cmocka_unit_test(test_eni_owners),
        cmocka_unit_test(test_schema_errors_located),
        cmocka_unit_test(test_duplicates_and_unrecognised),
        cmocka_unit_test(test_layout_account_region),
        cmocka_unit_test(test_failed_file_rolls_back),
        cmocka_unit_test(test_streamed_lists),
        cmocka_unit_test(test_dhcp_repeated_key),
        cmocka_unit_test(test_service_short_names),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
