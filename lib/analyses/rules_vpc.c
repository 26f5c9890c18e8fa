/* Rules on VPCs, routing, endpoints, DNS and logging (rules.md "VPC, routing, endpoints, DNS, logging"). */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "../inputs/json.h"

static bool is_interface(const mv_vpce *e) { return e->type == ME_INTERFACE && au_vpce_live(e); }
/* An AWS service (not a PrivateLink service of another account): the
 * model's one reading of service names. */
static bool aws_service(const mv_vpce *e) { return e->service != NULL; }

/* ------------------------------------------------------------------ VPC-FLOW-LOGS */

static bool all_traffic(const mv_flowlog *f) { return f->traffic_type && strcmp(f->traffic_type, "ALL") == 0; }

/* A subnet's own flow log with ALL traffic. */
static bool subnet_logged(const au_ctx *c, uint32_t s)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_FLOWLOG); i++) {
        const mv_flowlog *f = MV_AT(c->m, MK_FLOWLOG, mv_flowlog, i);
        if (f->res_kind == MK_SUBNET && f->resource.idx == s && all_traffic(f))
            return true;
    }
    return false;
}

static void vpc_flow_logs(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t v = 0; v < MV_N(m, MK_VPC); v++) {
        if (!c->vpc_sm[v])
            continue;
        bool ok = false;
        for (uint32_t i = 0; i < MV_N(m, MK_FLOWLOG) && !ok; i++) {
            const mv_flowlog *f = MV_AT(m, MK_FLOWLOG, mv_flowlog, i);
            ok = f->res_kind == MK_VPC && f->resource.idx == v && all_traffic(f);
        }
        uint32_t unlogged = 0;
        for (uint32_t s = 0; s < MV_N(m, MK_SUBNET) && !ok; s++)
            if (au_sm_subnet(c, s) && MV_AT(m, MK_SUBNET, mv_subnet, s)->vpc.idx == v && !subnet_logged(c, s))
                unlogged++;
        if (ok || !unlogged)
            continue;
        uint32_t unknown_type = 0;
        for (uint32_t i = 0; i < MV_N(m, MK_FLOWLOG); i++) {
            const mv_flowlog *fl = MV_AT(m, MK_FLOWLOG, mv_flowlog, i);
            unknown_type += fl->res_kind == MK_VPC && fl->resource.idx == v && !fl->traffic_type;
        }
        if (unknown_type) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_VPC, v, "the TrafficType of the VPC's flow log is not in the input");
            continue;
        }
        au_finding *f = NULL;
        uint32_t partial = 0;
        for (uint32_t i = 0; i < MV_N(m, MK_FLOWLOG); i++) {
            const mv_flowlog *fl = MV_AT(m, MK_FLOWLOG, mv_flowlog, i);
            if (fl->res_kind == MK_VPC && fl->resource.idx == v && !all_traffic(fl))
                partial++;
        }
        f = au_find(c, c->rule->level, AU_FAIL, MK_VPC, v, "%s",
                    partial ? "the VPC's flow logs record only part of the traffic (TrafficType is not ALL)"
                            : "no flow log records all traffic of the VPC or of its SageMaker subnets");
        for (uint32_t i = 0; i < MV_N(m, MK_FLOWLOG); i++) {
            const mv_flowlog *fl = MV_AT(m, MK_FLOWLOG, mv_flowlog, i);
            if (fl->res_kind == MK_VPC && fl->resource.idx == v)
                au_ev_add(c, f, "flow log", "%s: TrafficType %s", au_id(c, MK_FLOWLOG, i),
                          fl->traffic_type ? fl->traffic_type : "unknown");
        }
        au_ev_add(c, f, "SageMaker subnets without an ALL flow log", "%u", unlogged);
    }
}

const au_rule rule_vpc_flow_logs = {
    "VPC-FLOW-LOGS", MLVPC_MEDIUM, "medium", NULL, "VPC, routing, endpoints, DNS, logging",
    "SageMaker VPC without complete flow logs",
    "a VPC hosting SageMaker has no flow log with `TrafficType` `ALL` on the VPC (or on every SageMaker subnet); a "
    "REJECT-only or ACCEPT-only log still fails, with that said",
    "Accepted flows are the evidence of exfiltration and the input of cost analysis; a REJECT-only log shows "
    "neither.",
    "Create a flow log with TrafficType ALL on the VPC.",
    "AWS::EC2::FlowLog: ResourceType VPC, ResourceId the VPC, TrafficType ALL",
    "aws_flow_log: vpc_id, traffic_type = \"ALL\"",
    "guide [VPC flow logs]; peers accept any traffic type (Security Hub EC2.6 checks REJECT)",
    vpc_flow_logs,
};

/* ------------------------------------------------------------------ VPC-DNS-FOR-ENDPOINTS */

static void vpc_dns_for_endpoints(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(c->m, MK_VPCE, mv_vpce, i);
        if (!is_interface(e) || e->private_dns != MV_TRUE || e->vpc.idx == MV_NONE)
            continue;
        const mv_vpc *v = MV_AT(c->m, MK_VPC, mv_vpc, e->vpc.idx);
        if (v->dns_support == MV_FALSE || v->dns_hostnames == MV_FALSE) {
            au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_VPCE, i,
                                    "private DNS is on but %s is false on %s: the service name does not resolve to "
                                    "the endpoint", v->dns_support == MV_FALSE ? "enableDnsSupport" : "enableDnsHostnames",
                                    au_id(c, MK_VPC, e->vpc.idx));
            au_ev_add(c, f, "enableDnsSupport", "%s", v->dns_support == MV_FALSE ? "false" : v->dns_support == MV_TRUE ? "true" : "unknown");
            au_ev_add(c, f, "enableDnsHostnames", "%s", v->dns_hostnames == MV_FALSE ? "false" : v->dns_hostnames == MV_TRUE ? "true" : "unknown");
        } else if (v->dns_support == MV_UNKNOWN || v->dns_hostnames == MV_UNKNOWN) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_VPCE, i,
                    "the DNS attributes of %s are not in the input (describe-vpc-attribute)", au_id(c, MK_VPC, e->vpc.idx));
        }
    }
}

const au_rule rule_vpc_dns_for_endpoints = {
    "VPC-DNS-FOR-ENDPOINTS", MLVPC_HIGH, "high", "graph", "VPC, routing, endpoints, DNS, logging",
    "Private DNS endpoint in a VPC without DNS support or hostnames",
    "an interface endpoint has private DNS enabled but its VPC has `enableDnsSupport` or `enableDnsHostnames` "
    "false: in a template EC2 rejects the endpoint; in a live VPC the service names do not resolve to the endpoint",
    "Private DNS for an endpoint needs both VPC attributes; without them SDK calls go to the public service "
    "addresses (and time out without internet).",
    "Turn on enableDnsSupport and enableDnsHostnames on the VPC.",
    "AWS::EC2::VPC: EnableDnsSupport: true, EnableDnsHostnames: true",
    "aws_vpc: enable_dns_support = true, enable_dns_hostnames = true",
    "guide [DNS resolution and hostnames]; no peer",
    vpc_dns_for_endpoints,
};

/* ------------------------------------------------------------------ DHCP-CUSTOM-DNS */

static void dhcp_custom_dns(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t v = 0; v < MV_N(m, MK_VPC); v++) {
        uint32_t relying = MV_NONE;
        for (uint32_t i = 0; i < MV_N(m, MK_VPCE) && relying == MV_NONE; i++) {
            const mv_vpce *e = MV_AT(m, MK_VPCE, mv_vpce, i);
            if (e->vpc.idx == v && is_interface(e) && e->private_dns == MV_TRUE)
                relying = i;
        }
        if (relying == MV_NONE)
            continue;
        const mv_vpc *vp = MV_AT(m, MK_VPC, mv_vpc, v);
        if (vp->dhcp.idx == MV_NONE) {
            if (vp->dhcp.sym && strcmp(model_str(m, vp->dhcp.sym), "default") != 0)
                au_find(c, c->rule->level, AU_INDETERMINATE, MK_VPC, v, "DHCP options %s are not in the input",
                        model_str(m, vp->dhcp.sym));
            continue;
        }
        const mv_dhcp *d = MV_AT(m, MK_DHCP, mv_dhcp, vp->dhcp.idx);
        char custom[256] = "";
        size_t len = 0;
        for (uint32_t k = 0; k < d->ndns; k++)
            if (strcmp(d->dns_servers[k], "AmazonProvidedDNS") != 0) {
                int r = snprintf(custom + len, sizeof custom - len, "%s%s", len ? ", " : "", d->dns_servers[k]);
                if (r > 0 && (size_t)r < sizeof custom - len)
                    len += (size_t)r;
            }
        if (!len)
            continue;
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_VPC, v,
                                "custom DNS servers (%s) may not resolve the endpoints' private names", custom);
        au_ev_add(c, f, "DHCP options", "%s", au_id(c, MK_DHCP, vp->dhcp.idx));
        au_ev_add(c, f, "private DNS endpoint", "%s (%s)", au_id(c, MK_VPCE, relying),
                  MV_AT(m, MK_VPCE, mv_vpce, relying)->service ? MV_AT(m, MK_VPCE, mv_vpce, relying)->service : "?");
    }
}

const au_rule rule_dhcp_custom_dns = {
    "DHCP-CUSTOM-DNS", MLVPC_MEDIUM, "medium", NULL, "VPC, routing, endpoints, DNS, logging",
    "Custom DNS servers while endpoints rely on private DNS",
    "the VPC's DHCP options set custom `domain-name-servers` (not `AmazonProvidedDNS`) while interface endpoints "
    "rely on private DNS",
    "Private DNS names of endpoints live in a private hosted zone only the Amazon resolver answers; other "
    "servers return the public addresses unless they forward to it.",
    "Use AmazonProvidedDNS, or forward the service domains to the VPC resolver (Route 53 Resolver rules).",
    "AWS::EC2::DHCPOptions: DomainNameServers: [AmazonProvidedDNS]",
    "aws_vpc_dhcp_options: domain_name_servers = [\"AmazonProvidedDNS\"]",
    "guide [troubleshooting: DHCP options sets]",
    dhcp_custom_dns,
};

/* ------------------------------------------------------------------ VPCE-REQUIRED */

static bool has_endpoint(const au_ctx *c, uint32_t vpc, const char *service)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(c->m, MK_VPCE, mv_vpce, i);
        if (e->vpc.idx == vpc && is_interface(e) && e->service && strcmp(e->service, service) == 0)
            return true;
    }
    return false;
}

static void missing_list(au_ctx *c, uint32_t v, const char *const *svcs, size_t n, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t k = 0; k < n; k++)
        if (!has_endpoint(c, v, svcs[k])) {
            int r = snprintf(out + len, size - len, "%s%s", len ? ", " : "", svcs[k]);
            if (r > 0 && (size_t)r < size - len)
                len += (size_t)r;
        }
}

static void vpce_required(au_ctx *c)
{
    static const char *const core[] = { "sagemaker.api", "sagemaker.runtime", "sts", "logs" };
    static const char *const ecr[] = { "ecr.api", "ecr.dkr" };
    for (uint32_t v = 0; v < MV_N(c->m, MK_VPC); v++) {
        /* Low only when every VPC-only workload has an internet path (a
         * working NAT: the reach engine's answer); the evidence names one
         * that has none. */
        const au_wl *first = NULL, *cut = NULL;
        for (uint32_t i = 0; i < c->wls.n; i++) {
            const au_wl *w = VEC_AT(c->wls, au_wl, i);
            if (w->vpc != v || !w->vpc_only || (w->kind != MK_NOTEBOOK && w->kind != MK_DOMAIN))
                continue;
            if (!first)
                first = w;
            const au_path *p = au_reach(c, w, AQ_INTERNET);
            if (!cut && (!p || p->verdict != RV_REACHABLE))
                cut = w;
        }
        if (!first)
            continue;
        bool nat = !cut;
        char miss[160];
        missing_list(c, v, core, 4, miss, sizeof miss);
        if (miss[0]) {
            au_finding *f = au_find(c, nat ? MLVPC_LOW : MLVPC_HIGH, AU_FAIL, MK_VPC, v,
                                    "no interface endpoint for %s%s", miss,
                                    nat ? " (a NAT path exists: traffic and cost go through it)"
                                        : " and no NAT path: VPC-only notebooks and Studio cannot reach them");
            au_ev_add(c, f, "missing", "%s", miss);
            au_ev_add(c, f, nat ? "VPC-only workload" : "VPC-only workload without an internet path", "%s",
                      nat ? first->ref : cut->ref);
        }
        missing_list(c, v, ecr, 2, miss, sizeof miss);
        if (miss[0]) {
            au_finding *f = au_find(c, MLVPC_LOW, AU_FAIL, MK_VPC, v,
                                    "no interface endpoint for %s: notebooks and Studio pull container images", miss);
            au_ev_add(c, f, "missing", "%s", miss);
        }
    }
}

const au_rule rule_vpce_required = {
    "VPCE-REQUIRED", MLVPC_HIGH, "high / low", "graph", "VPC, routing, endpoints, DNS, logging",
    "Interface endpoints missing for VPC-only SageMaker",
    "a VPC hosting VPC-only notebooks or Studio domains lacks an interface endpoint for sagemaker.api, "
    "sagemaker.runtime, sts or logs — high when those workloads' subnets have no NAT path, low when they do; "
    "ecr.api + ecr.dkr (low) where notebooks or Studio pull container images. (Studio Projects also need "
    "servicecatalog: not decidable from the input, not checked.)",
    "AWS documents these endpoints as required for SageMaker without internet access; without them the "
    "notebook or Studio cannot start kernels, call the API or ship logs.",
    "Create interface endpoints (private DNS on) for the missing services.",
    "AWS::EC2::VPCEndpoint VpcEndpointType Interface, ServiceName com.amazonaws.REGION.SERVICE, PrivateDnsEnabled true",
    "aws_vpc_endpoint vpc_endpoint_type = \"Interface\", service_name, private_dns_enabled = true",
    "guide [VPC endpoints]; AWS Config vpc-endpoint-enabled (presence only)",
    vpce_required,
};

/* ------------------------------------------------------------------ VPCE-PRIVATE-DNS */

static void vpce_private_dns(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(c->m, MK_VPCE, mv_vpce, i);
        if (is_interface(e) && aws_service(e))
            au_flag(c, MK_VPCE, i, e->private_dns, MV_FALSE, "PrivateDnsEnabled", "false",
                    au_fmt(c, "private DNS is off: SDKs resolve %s to public addresses, not to this endpoint",
                           e->service_name));
    }
}

const au_rule rule_vpce_private_dns = {
    "VPCE-PRIVATE-DNS", MLVPC_MEDIUM, "medium", NULL, "VPC, routing, endpoints, DNS, logging",
    "Interface endpoint without private DNS",
    "an interface endpoint for an AWS service has private DNS disabled",
    "Without private DNS the default service name keeps resolving to public addresses; every client would "
    "have to be configured with the endpoint-specific name.",
    "Enable private DNS on the endpoint (the VPC needs DNS support and hostnames).",
    "AWS::EC2::VPCEndpoint: PrivateDnsEnabled: true",
    "aws_vpc_endpoint: private_dns_enabled = true",
    "guide [verify private DNS is enabled]",
    vpce_private_dns,
};

/* ------------------------------------------------------------------ VPCE-MULTI-AZ */

static void vpce_multi_az(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t i = 0; i < MV_N(m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(m, MK_VPCE, mv_vpce, i);
        if (!is_interface(e))
            continue;
        const char *azs[16];
        int n = 0;
        bool unknown = false;
        for (uint32_t s = 0; s < e->nsubnets; s++) {
            const mv_subnet *sn = e->subnets[s].idx != MV_NONE ? MV_AT(m, MK_SUBNET, mv_subnet, e->subnets[s].idx) : NULL;
            if (!sn || !sn->az) {
                unknown = true;
                continue;
            }
            int k = 0;
            while (k < n && strcmp(azs[k], sn->az) != 0)
                k++;
            if (k == n && n < 16)
                azs[n++] = sn->az;
        }
        /* AZs that host SageMaker subnets of this VPC but no endpoint subnet. */
        char miss[160] = "";
        size_t len = 0;
        for (uint32_t s = 0; s < MV_N(m, MK_SUBNET); s++) {
            const mv_subnet *sn = MV_AT(m, MK_SUBNET, mv_subnet, s);
            if (!au_sm_subnet(c, s) || sn->vpc.idx != e->vpc.idx || !sn->az)
                continue;
            int k = 0;
            while (k < n && strcmp(azs[k], sn->az) != 0)
                k++;
            if (k < n || strstr(miss, sn->az))
                continue;
            int r = snprintf(miss + len, sizeof miss - len, "%s%s", len ? ", " : "", sn->az);
            if (r > 0 && (size_t)r < sizeof miss - len)
                len += (size_t)r;
        }
        if (n >= 2 && !len)
            continue;
        if (unknown && n < 2) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_VPCE, i, "the endpoint's subnets (or their AZs) are not in the input");
            continue;
        }
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_VPCE, i, "%s",
                                n < 2 ? au_fmt(c, "the endpoint is in %d availability zone%s", n, n == 1 ? "" : "s")
                                      : au_fmt(c, "no endpoint subnet in %s, where SageMaker runs", miss));
        au_ev_add(c, f, "availability zones", "%s%s%s", n > 0 ? azs[0] : "none", n > 1 ? ", " : "", n > 1 ? azs[1] : "");
        if (len)
            au_ev_add(c, f, "SageMaker AZs without the endpoint", "%s", miss);
    }
}

const au_rule rule_vpce_multi_az = {
    "VPCE-MULTI-AZ", MLVPC_MEDIUM, "medium", "graph", "VPC, routing, endpoints, DNS, logging",
    "Interface endpoint in too few AZs",
    "an interface endpoint's subnets span < 2 distinct AZs, or miss an AZ that hosts SageMaker subnets "
    "(cross-AZ traffic and cost)",
    "An endpoint in one AZ fails with that AZ, and workloads in other AZs pay cross-AZ data charges to reach it.",
    "Place the endpoint in a subnet of every AZ where SageMaker runs (at least two).",
    "AWS::EC2::VPCEndpoint: SubnetIds with one subnet per AZ",
    "aws_vpc_endpoint: subnet_ids with one subnet per AZ",
    "guide [multiple AZs], [review endpoint placement across AZs]",
    vpce_multi_az,
};

/* ------------------------------------------------------------------ VPCE-SG-ADMITS */

static bool same_refs(const mv_ref *a, uint32_t na, const mv_ref *b, uint32_t nb)
{
    if (na != nb)
        return false;
    for (uint32_t i = 0; i < na; i++)
        if (a[i].sym != b[i].sym)
            return false;
    return true;
}

/* Endpoints of one VPC with the same SGs and subnets answer alike. */
static bool same_placement(const mv_vpce *a, const mv_vpce *b)
{
    return a->vpc.idx == b->vpc.idx && a->type == b->type && same_refs(a->sgs, a->nsgs, b->sgs, b->nsgs) &&
           same_refs(a->subnets, a->nsubnets, b->subnets, b->nsubnets);
}

static bool sg_blocked(const au_path *p) { return p && p->verdict == RV_UNREACHABLE && p->sg_block; }

static void vpce_sg_admits(au_ctx *c)
{
    uint32_t n = MV_N(c->m, MK_VPCE);
    bool *done = arena_calloc(c->ar, n + 1, sizeof *done);
    if (!done) {
        c->oom = true;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        const mv_vpce *e = MV_AT(c->m, MK_VPCE, mv_vpce, i);
        if (done[i] || !is_interface(e) || e->vpc.idx == MV_NONE || !c->vpc_sm[e->vpc.idx])
            continue;
        const char *id = au_id(c, MK_VPCE, i);
        au_finding *undecided = NULL;
        for (uint32_t k = 0; k < c->classes.n; k++) {
            const au_wl *w = VEC_AT(c->wls, au_wl, VEC_AT(c->classes, au_cls, k)->rep);
            if (w->vpc != e->vpc.idx || w->place->present != MV_TRUE)
                continue;
            const au_path *p = au_reach_any(c, w->ref, id, MV_TCP, 443, false);
            if (p && p->verdict == RV_INDETERMINATE && !undecided) {
                undecided = au_find(c, c->rule->level, AU_INDETERMINATE, MK_VPCE, i,
                                    "whether the SGs admit %s cannot be decided: %s", w->ref,
                                    p->missing ? p->missing : "unknown");
                if (undecided)
                    undecided->path = p;
            }
            if (!sg_blocked(p))
                continue;
            /* This endpoint and every later one placed like it. */
            for (uint32_t j = i; j < n; j++) {
                const mv_vpce *x = MV_AT(c->m, MK_VPCE, mv_vpce, j);
                if (j != i && (done[j] || !same_placement(e, x)))
                    continue;
                au_finding *f = c->findings.n ? *VEC_AT(c->findings, au_finding *, c->findings.n - 1) : NULL;
                if (!f || f->rule != c->rule || f->kind != MK_VPCE || f->idx != j) {
                    f = NULL;
                    for (uint32_t q = c->findings.n; q-- > 0 && !f;) {
                        au_finding *g = *VEC_AT(c->findings, au_finding *, q);
                        if (g->rule != c->rule)
                            break;
                        if (g->idx == j)
                            f = g;
                    }
                }
                if (!f) {
                    f = au_find(c, c->rule->level, AU_FAIL, MK_VPCE, j,
                                "security groups stop SageMaker workloads from opening TCP 443 to the endpoint");
                    if (f && j != i)
                        au_ev_add(c, f, "decided on", "%s (same security groups and subnets)", id);
                    if (f)
                        f->path = p;
                }
                uint32_t more = VEC_AT(c->classes, au_cls, k)->members - 1;
                for (uint32_t b = 0; b < p->nblocks; b++)
                    if (!strcmp(p->blocks[b].code, "ENI_SG_RULES_MISMATCH") || !strcmp(p->blocks[b].code, "SG_HAS_NO_RULES"))
                        au_ev_add(c, f, "blocked", "%s%s: %s (%s)", w->ref,
                                  more ? au_fmt(c, " (and %u more placed alike)", more) : "", p->blocks[b].component,
                                  p->blocks[b].rule);
            }
        }
        for (uint32_t j = i + 1; j < n; j++)
            if (!done[j] && same_placement(e, MV_AT(c->m, MK_VPCE, mv_vpce, j)))
                done[j] = true;
    }
}

const au_rule rule_vpce_sg_admits = {
    "VPCE-SG-ADMITS", MLVPC_HIGH, "high", "reach", "VPC, routing, endpoints, DNS, logging",
    "Endpoint security groups do not admit the workloads",
    "an interface endpoint's SGs do not admit TCP 443 from the SageMaker workloads in its VPC, or the workloads' "
    "SGs do not allow egress to it",
    "The most common cause of SageMaker timeouts in private VPCs: the endpoint exists, DNS points at it, and "
    "a security group silently drops the connection.",
    "Admit TCP 443 from the workload SGs on the endpoint SG, and allow egress TCP 443 to the endpoint SG on theirs.",
    "AWS::EC2::SecurityGroupIngress on the endpoint SG: tcp 443, SourceSecurityGroupId the workload SG",
    "aws_vpc_security_group_ingress_rule on the endpoint SG: tcp 443, referenced_security_group_id the workload SG",
    "guide [troubleshooting: timeouts]",
    vpce_sg_admits,
};

/* ------------------------------------------------------------------ S3-GATEWAY-ENDPOINT */

/* The route table sends S3's prefix list to an S3 gateway endpoint (the
 * route AWS adds on association is what carries the traffic). */
static bool s3_gateway_on(const au_ctx *c, uint32_t rtb)
{
    const mv_rtb *t = MV_AT(c->m, MK_RTB, mv_rtb, rtb);
    for (uint32_t k = 0; k < t->nroutes; k++) {
        const mv_route *r = &t->routes[k];
        if (r->target != MT_VPCE_GW || r->tgt.idx == MV_NONE || r->state == MS_BLACKHOLE)
            continue;
        const mv_vpce *e = MV_AT(c->m, MK_VPCE, mv_vpce, r->tgt.idx);
        if (e->service && strcmp(e->service, "s3") == 0)
            return true;
    }
    return false;
}

/* The S3 answer of a SageMaker workload placed in subnet s, or NULL. */
static const au_path *s3_answer(au_ctx *c, uint32_t s)
{
    for (uint32_t i = 0; i < c->wls.n; i++) {
        const au_wl *w = VEC_AT(c->wls, au_wl, i);
        for (uint32_t k = 0; k < w->place->nsubnets; k++)
            if (w->place->subnets[k].idx == s && w->place->present == MV_TRUE)
                return au_reach(c, w, AQ_S3);
    }
    return NULL;
}

static void s3_gateway_endpoint(au_ctx *c)
{
    for (uint32_t s = 0; s < MV_N(c->m, MK_SUBNET); s++) {
        if (!au_sm_subnet(c, s))
            continue;
        const mv_subnet *sn = MV_AT(c->m, MK_SUBNET, mv_subnet, s);
        if (sn->rtb == MV_NONE) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_SUBNET, s, "the subnet's route table is not in the input");
            continue;
        }
        if (s3_gateway_on(c, sn->rtb))
            continue;
        const au_path *p = s3_answer(c, s);
        bool other = p && p->verdict == RV_REACHABLE;
        const char *via = NULL; /* the route (or SageMaker's network) that S3 traffic takes */
        for (uint32_t k = 0; other && k < p->nhops && !via; k++)
            if (!p->hops[k].ret && strcmp(p->hops[k].action, "route") == 0)
                via = au_fmt(c, "%s: %s", p->hops[k].component, p->hops[k].detail);
        au_finding *f = au_find(c, other ? MLVPC_LOW : MLVPC_MEDIUM, AU_FAIL, MK_SUBNET, s,
                                "no S3 gateway endpoint on route table %s%s", au_id(c, MK_RTB, sn->rtb),
                                other ? ": S3 traffic takes a charged path (interface endpoint, NAT or other)" : "");
        if (via)
            au_ev_add(c, f, "S3 path", "%s", via);
        au_ev_add(c, f, "route table", "%s (%s)", au_id(c, MK_RTB, sn->rtb), sn->rtb_explicit ? "explicit association" : "main route table");
        au_ev_add(c, f, "used by", "%s", au_users(c, &c->subnet_uses[s], FN_SAGEMAKER));
        if (p)
            f->path = p;
    }
}

const au_rule rule_s3_gateway_endpoint = {
    "S3-GATEWAY-ENDPOINT", MLVPC_MEDIUM, "medium / low", "graph", "VPC, routing, endpoints, DNS, logging",
    "SageMaker subnet without an S3 gateway endpoint",
    "no S3 gateway endpoint associated with the route table of every SageMaker subnet (medium); S3 reached only "
    "through an interface endpoint or NAT (low, cost: gateway endpoints are free)",
    "Training data and artifacts move through S3; a gateway endpoint carries that traffic privately and at no "
    "charge, where NAT bills per GB.",
    "Associate the VPC's S3 gateway endpoint with the subnet's route table.",
    "AWS::EC2::VPCEndpoint (s3, Gateway): add the route table to RouteTableIds",
    "aws_vpc_endpoint (s3, Gateway) route_table_ids, or aws_vpc_endpoint_route_table_association",
    "guide [S3 gateway endpoints]; no peer",
    s3_gateway_endpoint,
};

/* ------------------------------------------------------------------ VPCE-POLICY-OPEN */

static bool star_or_has_star(const jdoc *d, uint32_t v)
{
    if (!v)
        return false;
    if (json_type(d, v) == J_STR)
        return strcmp(json_str(d, v), "*") == 0;
    if (json_type(d, v) != J_ARR)
        return false;
    uint32_t e = json_child(v);
    for (uint32_t i = 0; i < d->t[v].count; i++, e = json_next(d, e))
        if (json_type(d, e) == J_STR && strcmp(json_str(d, e), "*") == 0)
            return true;
    return false;
}

static bool open_statement(const jdoc *d, uint32_t st)
{
    if (json_type(d, st) != J_OBJ)
        return false;
    uint32_t eff = json_get(d, st, "Effect"), pr = json_get(d, st, "Principal");
    if (!eff || json_type(d, eff) != J_STR || strcmp(json_str(d, eff), "Allow") != 0 || json_get(d, st, "Condition"))
        return false;
    bool anyone = star_or_has_star(d, pr) || (pr && json_type(d, pr) == J_OBJ && star_or_has_star(d, json_get(d, pr, "AWS")));
    return anyone && star_or_has_star(d, json_get(d, st, "Action")) && star_or_has_star(d, json_get(d, st, "Resource"));
}

/* 1 open, 0 bounded, -1 unreadable. */
static int policy_open(const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    if (!buf)
        return -1;
    memcpy(buf, text, n + 1);
    jdoc d = { 0 };
    int rc = -1;
    if (json_parse(&d, buf, n, 32) == 0 && json_type(&d, 0) == J_OBJ) {
        uint32_t st = json_get(&d, 0, "Statement");
        rc = 0;
        if (st && json_type(&d, st) == J_ARR) {
            uint32_t e = json_child(st);
            for (uint32_t i = 0; i < d.t[st].count && !rc; i++, e = json_next(&d, e))
                rc = open_statement(&d, e);
        } else if (st) {
            rc = open_statement(&d, st);
        }
    }
    json_release(&d);
    free(buf);
    return rc;
}

static void vpce_policy_open(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(c->m, MK_VPCE, mv_vpce, i);
        /* describe-vpc-endpoints has no PolicyDocument for services that do not
         * support policies: nothing to tighten there. */
        if ((e->type != ME_GATEWAY && e->type != ME_INTERFACE) || !e->policy || !au_vpce_live(e))
            continue;
        int rc = policy_open(e->policy);
        if (rc < 0)
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_VPCE, i, "the endpoint policy is not readable JSON");
        else if (rc > 0) {
            au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_VPCE, i,
                                    "the endpoint policy allows any principal any action on any resource");
            char compact[256];
            size_t n = 0;
            for (const char *q = e->policy; *q && n + 4 < sizeof compact; q++)
                if (!strchr(" \t\r\n", *q) || (n && compact[n - 1] != ' ' && strchr(",:", compact[n - 1])))
                    compact[n++] = strchr(" \t\r\n", *q) ? ' ' : *q;
            if (e->policy[0] && n + 4 >= sizeof compact)
                memcpy(compact + n, "...", 3), n += 3;
            compact[n] = '\0';
            au_ev_add(c, f, "PolicyDocument", "%s", compact);
        }
    }
}

const au_rule rule_vpce_policy_open = {
    "VPCE-POLICY-OPEN", MLVPC_LOW, "low", NULL, "VPC, routing, endpoints, DNS, logging",
    "Endpoint policy allows everything",
    "a gateway or interface endpoint policy allows `*` principal, `*` action and `*` resource (no data-exfiltration "
    "boundary); a statement with a Condition is not counted as open",
    "The endpoint policy is where a VPC can refuse to talk to other accounts' buckets; the default full-access "
    "policy lets stolen or personal credentials move data out through it.",
    "Limit the policy to your buckets and account (aws:ResourceAccount, aws:PrincipalOrgID).",
    "AWS::EC2::VPCEndpoint: PolicyDocument with your resources or an org/account condition",
    "aws_vpc_endpoint: policy with your resources or an org/account condition",
    "Prowler trust-boundary check (related)",
    vpce_policy_open,
};

/* ------------------------------------------------------------------ ROUTE-BLACKHOLE */

static void route_blackhole(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    uint32_t nt = MV_N(m, MK_RTB);
    bool *used = arena_calloc(c->ar, nt + 1, sizeof *used);
    if (!used) {
        c->oom = true;
        return;
    }
    for (uint32_t s = 0; s < MV_N(m, MK_SUBNET); s++) {
        const mv_subnet *sn = MV_AT(m, MK_SUBNET, mv_subnet, s);
        if (au_sm_subnet(c, s) && sn->rtb != MV_NONE)
            used[sn->rtb] = true;
    }
    for (uint32_t t = 0; t < nt; t++) {
        if (!used[t])
            continue;
        const mv_rtb *r = MV_AT(m, MK_RTB, mv_rtb, t);
        au_finding *f = NULL;
        for (uint32_t k = 0; k < r->nroutes; k++) {
            if (r->routes[k].state != MS_BLACKHOLE)
                continue;
            if (!f)
                f = au_find(c, c->rule->level, AU_FAIL, MK_RTB, t, "a SageMaker subnet's route table has blackhole routes");
            au_ev_add(c, f, "route", "%s", au_route_text(c, &r->routes[k]));
        }
    }
}

const au_rule rule_route_blackhole = {
    "ROUTE-BLACKHOLE", MLVPC_MEDIUM, "medium", NULL, "VPC, routing, endpoints, DNS, logging",
    "Blackhole route in a SageMaker route table",
    "a route in a SageMaker subnet's effective route table is in state `blackhole`",
    "A blackhole route silently drops traffic to its destination (its target was deleted), which shows up "
    "as timeouts in jobs.",
    "Delete the route or point it at a live target.",
    "AWS::EC2::Route: remove it or fix its target",
    "aws_route: remove it or fix its target",
    "guide [troubleshooting: route tables]",
    route_blackhole,
};

/* ------------------------------------------------------------------ NAT-BROKEN */

/* Why a NAT gateway cannot carry internet traffic (NULL when it can); *unknown when the input lacks something. */
static const char *nat_problem(au_ctx *c, const mv_route *rt, const mv_natgw *n, bool *unknown)
{
    const mlvpc_model *m = c->m;
    *unknown = false;
    if (!n->state) {
        *unknown = true;
        return "its state is not in the input";
    }
    if (strcmp(n->state, "available") != 0)
        return au_fmt(c, "state \"%s\"", n->state);
    if (n->conn == MN_PRIVATE && rt->dst.a.af && ip_prefix_is_default(&rt->dst))
        return "a private NAT gateway cannot reach the internet";
    if (n->conn == MN_PRIVATE)
        return NULL;
    if (n->conn == MN_UNKNOWN) {
        *unknown = true;
        return "its connectivity type is not in the input";
    }
    if (n->subnet.idx == MV_NONE || MV_AT(m, MK_SUBNET, mv_subnet, n->subnet.idx)->rtb == MV_NONE) {
        *unknown = true;
        return "its subnet or the subnet's route table is not in the input";
    }
    const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, n->subnet.idx);
    const mv_route *d = model_default_route(MV_AT(m, MK_RTB, mv_rtb, s->rtb), IP_V4);
    if (!d || d->target != MT_IGW || d->state == MS_BLACKHOLE)
        return au_fmt(c, "its subnet %s has no internet gateway route (%s)", au_id(c, MK_SUBNET, n->subnet.idx),
                      d ? au_route_text(c, d) : "no default route");
    return NULL;
}

static void nat_broken(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t t = 0; t < MV_N(m, MK_RTB); t++) {
        const mv_rtb *r = MV_AT(m, MK_RTB, mv_rtb, t);
        for (uint32_t k = 0; k < r->nroutes; k++) {
            const mv_route *rt = &r->routes[k];
            if (rt->target != MT_NAT)
                continue;
            if (rt->tgt.idx == MV_NONE) {
                au_finding *f = au_find(c, c->rule->level, AU_INDETERMINATE, MK_RTB, t,
                                        "route to NAT gateway %s, which is not in the input", model_str(m, rt->tgt.sym));
                au_ev_add(c, f, "route", "%s", au_route_text(c, rt));
                continue;
            }
            const mv_natgw *n = MV_AT(m, MK_NATGW, mv_natgw, rt->tgt.idx);
            bool unknown;
            const char *why = nat_problem(c, rt, n, &unknown);
            if (!why)
                continue;
            au_finding *f = au_find(c, c->rule->level, unknown ? AU_INDETERMINATE : AU_FAIL, MK_RTB, t,
                                    "routes to NAT gateway %s, which %s: %s", model_str(m, rt->tgt.sym),
                                    unknown ? "cannot be checked" : "cannot carry the traffic", why);
            au_ev_add(c, f, "route", "%s", au_route_text(c, rt));
        }
    }
}

const au_rule rule_nat_broken = {
    "NAT-BROKEN", MLVPC_HIGH, "high", "graph", "VPC, routing, endpoints, DNS, logging",
    "Route to a broken NAT gateway",
    "a route targets a NAT gateway that is not `available`, is private (for a default route), or whose own subnet "
    "has no internet gateway route",
    "Traffic sent to a NAT gateway that cannot reach the internet is dropped: jobs and package installs time out.",
    "Point the route at an available public NAT gateway in a subnet that routes to the internet gateway.",
    "AWS::EC2::Route NatGatewayId: a public AWS::EC2::NatGateway in a public subnet",
    "aws_route nat_gateway_id: a public aws_nat_gateway in a public subnet",
    "guide [NAT gateway optimization]",
    nat_broken,
};

/* ------------------------------------------------------------------ NAT-PER-AZ */

static void nat_per_az(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t s = 0; s < MV_N(m, MK_SUBNET); s++) {
        const mv_subnet *sn = MV_AT(m, MK_SUBNET, mv_subnet, s);
        if (!au_sm_subnet(c, s) || sn->rtb == MV_NONE || !sn->az)
            continue;
        const mv_route *d = model_default_route(MV_AT(m, MK_RTB, mv_rtb, sn->rtb), IP_V4);
        if (!d || d->target != MT_NAT || d->tgt.idx == MV_NONE)
            continue;
        const mv_natgw *n = MV_AT(m, MK_NATGW, mv_natgw, d->tgt.idx);
        if (n->subnet.idx == MV_NONE)
            continue;
        const char *naz = MV_AT(m, MK_SUBNET, mv_subnet, n->subnet.idx)->az;
        if (!naz || strcmp(naz, sn->az) == 0)
            continue;
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_SUBNET, s,
                                "SageMaker traffic in %s leaves through NAT gateway %s in %s", sn->az,
                                model_str(m, d->tgt.sym), naz);
        au_ev_add(c, f, "route", "%s in %s", au_route_text(c, d), au_id(c, MK_RTB, sn->rtb));
    }
}

const au_rule rule_nat_per_az = {
    "NAT-PER-AZ", MLVPC_LOW, "low", "graph", "VPC, routing, endpoints, DNS, logging",
    "SageMaker subnet uses a NAT gateway in another AZ",
    "private SageMaker subnets in one AZ route to a NAT gateway in another AZ (cross-AZ charges, AZ failure "
    "takes both)",
    "Cross-AZ NAT traffic pays inter-AZ data transfer on top of NAT processing, and an outage of the NAT's AZ "
    "cuts off the other AZ too.",
    "Give each AZ its own NAT gateway and route each private subnet to the one in its AZ.",
    "AWS::EC2::NatGateway per AZ; per-AZ AWS::EC2::RouteTable with its Route",
    "aws_nat_gateway per AZ; per-AZ aws_route_table",
    "guide [share NAT per AZ]",
    nat_per_az,
};

/* ------------------------------------------------------------------ SUBNET-AUTO-PUBLIC-IP */

static void subnet_auto_public_ip(au_ctx *c)
{
    for (uint32_t s = 0; s < MV_N(c->m, MK_SUBNET); s++)
        if (au_sm_subnet(c, s))
            au_flag(c, MK_SUBNET, s, MV_AT(c->m, MK_SUBNET, mv_subnet, s)->map_public_ip, MV_TRUE, "MapPublicIpOnLaunch",
                    "true", "new interfaces in this SageMaker subnet get public IPv4 addresses");
}

const au_rule rule_subnet_auto_public_ip = {
    "SUBNET-AUTO-PUBLIC-IP", MLVPC_MEDIUM, "medium", NULL, "VPC, routing, endpoints, DNS, logging",
    "SageMaker subnet assigns public IPs",
    "a SageMaker subnet has `MapPublicIpOnLaunch` true",
    "Interfaces launched there get public addresses: one route change away from the internet.",
    "Set MapPublicIpOnLaunch to false on subnets that host SageMaker.",
    "AWS::EC2::Subnet: MapPublicIpOnLaunch: false",
    "aws_subnet: map_public_ip_on_launch = false",
    "Security Hub EC2.15",
    subnet_auto_public_ip,
};
