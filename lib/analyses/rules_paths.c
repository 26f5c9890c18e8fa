/* SageMaker placement and path rules (rules.md "SageMaker resources", graph and reach). */
#include "rules.h"

#include <string.h>

static const char *block_text(au_ctx *c, const au_path *p)
{
    if (p->nblocks)
        return au_fmt(c, "blocked by %s (%s%s): %s", p->blocks[0].component, p->blocks[0].code,
                      p->blocks[0].ret ? ", return path" : "", p->blocks[0].rule);
    return p->missing ? au_fmt(c, "unknown: %s", p->missing) : "";
}

static bool in_vpc_mode(const au_wl *w) { return w->place->present == MV_TRUE && w->place->nsubnets > 0; }

/* ------------------------------------------------------------------ SM-PRIVATE-SUBNET */

static void sm_private_subnet(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    for (uint32_t i = 0; i < MV_N(m, MK_SUBNET); i++) {
        if (!au_sm_subnet(c, i))
            continue;
        const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, i);
        /* Public as AWS defines it (a route to an internet gateway), by the
         * model's one resolver: not only 0.0.0.0/0, also e.g. two /1 halves. */
        const mv_route *why = NULL;
        mv_class cls = model_subnet_class(m, s, &why);
        bool pub_ip = s->map_public_ip == MV_TRUE;
        if (cls == MC_PUBLIC || pub_ip) {
            au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_SUBNET, i, "SageMaker runs in a public subnet (%s)",
                                    cls == MC_PUBLIC ? "a route to an internet gateway" : "public IPs on launch");
            if (cls == MC_PUBLIC)
                au_ev_add(c, f, "route", "%s in %s (%s)", au_route_text(c, why), au_id(c, MK_RTB, s->rtb),
                          s->rtb_explicit ? "explicit association" : "main route table");
            if (pub_ip)
                au_ev_add(c, f, "MapPublicIpOnLaunch", "true");
            au_ev_add(c, f, "used by", "%s", au_users(c, &c->subnet_uses[i], FN_SAGEMAKER));
        } else if (cls == MC_UNKNOWN || s->map_public_ip == MV_UNKNOWN) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_SUBNET, i, "%s",
                    cls == MC_UNKNOWN ? "the subnet's route table is not in the input"
                                      : "\"MapPublicIpOnLaunch\" is not known from the input");
        }
    }
}

const au_rule rule_sm_private_subnet = {
    "SM-PRIVATE-SUBNET", MLVPC_HIGH, "high", "graph", "SageMaker resources",
    "SageMaker in a public subnet",
    "a SageMaker subnet's effective route table sends `0.0.0.0/0` or `::/0` (or any other destination: public as AWS "
    "defines it) to an internet gateway, or the subnet maps public IPs on launch",
    "Workloads in a public subnet are one security-group change away from the internet, both ways. The "
    "effective route table is the explicit association, else the VPC's main table.",
    "Move SageMaker into private subnets: no internet gateway route, MapPublicIpOnLaunch false.",
    "AWS::EC2::Route / SubnetRouteTableAssociation: no 0.0.0.0/0 to the IGW for these subnets; "
    "AWS::EC2::Subnet MapPublicIpOnLaunch: false",
    "aws_route / aws_route_table_association: no IGW default route; aws_subnet map_public_ip_on_launch = false",
    "guide [use private subnets]",
    sm_private_subnet,
};

/* ------------------------------------------------------------------ SM-S3-PATH */

static void add_path(au_ctx *c, au_finding *f, const au_path *p)
{
    if (!f || !p)
        return;
    f->path = p;
    au_ev_add(c, f, "query", "%s", p->query);
    if (p->source)
        au_ev_add(c, f, "placement", "%s", p->source);
}

static void sm_s3_path(au_ctx *c)
{
    for (uint32_t i = 0; i < c->wls.n; i++) {
        const au_wl *w = VEC_AT(c->wls, au_wl, i);
        if (!in_vpc_mode(w))
            continue;
        const au_path *p = au_reach(c, w, AQ_S3);
        if (!p || p->verdict == RV_REACHABLE)
            continue;
        au_finding *f;
        if (p->verdict == RV_UNREACHABLE)
            f = au_find(c, c->rule->level, AU_FAIL, w->kind, w->idx, "no TCP 443 path to S3 from the VPC: %s",
                        block_text(c, p));
        else
            f = au_find(c, c->rule->level, AU_INDETERMINATE, w->kind, w->idx, "the S3 path cannot be decided: %s",
                        p->missing ? p->missing : "unknown");
        add_path(c, f, au_reach_own(c, w, AQ_S3));
    }
}

const au_rule rule_sm_s3_path = {
    "SM-S3-PATH", MLVPC_HIGH, "high", "reach", "SageMaker resources",
    "SageMaker workload cannot reach S3",
    "a SageMaker workload in VPC mode cannot open TCP 443 to S3 (no gateway endpoint on its route table, no S3 "
    "interface endpoint it can use, no working NAT path): jobs cannot read data",
    "In VPC mode SageMaker reads training data and writes model artifacts through the workload's subnets; "
    "without a path to S3 jobs hang and time out. Network isolation does not remove this need.",
    "Associate an S3 gateway endpoint with the subnets' route tables (and allow its prefix list in the SGs and NACLs).",
    "AWS::EC2::VPCEndpoint (com.amazonaws.REGION.s3, Gateway) with RouteTableIds of the SageMaker subnets",
    "aws_vpc_endpoint (service_name ...s3, vpc_endpoint_type Gateway) with route_table_ids",
    "guide [VPC endpoints]; no peer",
    sm_s3_path,
};

/* ------------------------------------------------------------------ SM-NO-SERVICE-PATH */

static void sm_no_service_path(au_ctx *c)
{
    static const int qs[] = { AQ_SAGEMAKER_API, AQ_SAGEMAKER_RUNTIME, AQ_STS, AQ_LOGS };
    for (uint32_t i = 0; i < c->wls.n; i++) {
        const au_wl *w = VEC_AT(c->wls, au_wl, i);
        if (!w->vpc_only || !in_vpc_mode(w) || (w->kind != MK_NOTEBOOK && w->kind != MK_DOMAIN))
            continue;
        const au_path *bad[4], *unknown[4];
        int nb = 0, nu = 0;
        for (size_t k = 0; k < 4; k++) {
            const au_path *p = au_reach(c, w, qs[k]);
            if (p && p->verdict == RV_UNREACHABLE)
                bad[nb++] = p;
            else if (p && p->verdict == RV_INDETERMINATE)
                unknown[nu++] = p;
        }
        if (!nb && !nu)
            continue;
        const au_path *const *list = nb ? bad : unknown;
        int n = nb ? nb : nu;
        char names[160] = "";
        size_t len = 0;
        for (int k = 0; k < n; k++) {
            const char *to = strchr(list[k]->query, '>');
            const char *svc = to ? strstr(to, "service:") : NULL;
            size_t l = svc ? strcspn(svc + 8, " ") : 0;
            int r = snprintf(names + len, sizeof names - len, "%s%.*s", k ? ", " : "", (int)l, svc ? svc + 8 : "");
            if (r > 0 && (size_t)r < sizeof names - len)
                len += (size_t)r;
        }
        au_finding *f = nb ? au_find(c, c->rule->level, AU_FAIL, w->kind, w->idx,
                                     "cannot reach %s by the names it uses", names)
                           : au_find(c, c->rule->level, AU_INDETERMINATE, w->kind, w->idx,
                                     "whether it reaches %s cannot be decided", names);
        for (int k = 0; k < n; k++)
            au_ev_add(c, f, "service", "%s: %s", strstr(list[k]->query, "service:"), block_text(c, list[k]));
        const au_path *first = list[0];
        for (size_t k = 0; k < 4; k++)
            if (au_reach(c, w, qs[k]) == first)
                add_path(c, f, au_reach_own(c, w, qs[k]));
    }
}

const au_rule rule_sm_no_service_path = {
    "SM-NO-SERVICE-PATH", MLVPC_HIGH, "high", "reach", "SageMaker resources",
    "VPC-only notebook or Studio cannot reach the SageMaker services",
    "a VPC-only notebook instance (no direct internet) or `VpcOnly` Studio domain cannot reach `sagemaker.api`, "
    "`sagemaker.runtime`, `sts` or `logs` by the names it will use (DNS as the VPC resolves them) — list each "
    "unreachable service with the blocking hop. Jobs and models need only their S3 path (SM-S3-PATH)",
    "Without internet, the notebook or Studio reaches the SageMaker API, runtime, STS and CloudWatch Logs only "
    "through interface endpoints with private DNS, or a NAT path; otherwise the Jupyter server and SDK calls time out.",
    "Add interface endpoints (private DNS on) for the listed services, admitted by the endpoint SG, or a NAT path.",
    "AWS::EC2::VPCEndpoint (Interface, PrivateDnsEnabled: true) per service, in the workload subnets' AZs",
    "aws_vpc_endpoint (vpc_endpoint_type Interface, private_dns_enabled = true) per service",
    "guide [VPC endpoints], [troubleshooting: timeouts, DNS]; no peer",
    sm_no_service_path,
};

/* ------------------------------------------------------------------ SM-INTERNET-REACHABLE */

static void sm_internet_reachable(au_ctx *c)
{
    for (uint32_t i = 0; i < c->wls.n; i++) {
        const au_wl *w = VEC_AT(c->wls, au_wl, i);
        const au_path *p = au_reach(c, w, AQ_INTERNET);
        if (!p || p->verdict == RV_UNREACHABLE)
            continue;
        /* Profile prod expects jobs and models to be isolated. */
        mlvpc_level lv = c->o->profile == MLVPC_PROFILE_PROD && (w->kind == MK_JOB || w->kind == MK_MODEL)
                             ? MLVPC_HIGH : MLVPC_MEDIUM;
        au_finding *f;
        if (p->verdict == RV_REACHABLE) {
            bool sm = p->nhops && strcmp(p->hops[0].component, "sagemaker-managed-network") == 0;
            f = au_find(c, lv, AU_FAIL, w->kind, w->idx, "can open TCP 443 to the internet%s",
                        sm ? " through SageMaker's network" : " through the VPC");
        } else {
            f = au_find(c, lv, AU_INDETERMINATE, w->kind, w->idx, "internet reachability cannot be decided: %s",
                        p->missing ? p->missing : "unknown");
        }
        add_path(c, f, au_reach_own(c, w, AQ_INTERNET));
    }
}

const au_rule rule_sm_internet_reachable = {
    "SM-INTERNET-REACHABLE", MLVPC_MEDIUM, "medium (high: jobs and models, profile prod)", "reach", "SageMaker resources",
    "SageMaker workload can reach the internet",
    "a SageMaker workload can open TCP 443 to an arbitrary internet address (through NAT, IGW, or SageMaker's own "
    "network); evidence is the path. `high` when the workload is a job/model with network isolation expected by "
    "profile `prod`",
    "An internet path is an exfiltration path. Reach it only where needed, through controlled egress.",
    "Remove the internet path: no direct internet access, no NAT route for these subnets, or network isolation.",
    "DirectInternetAccess: Disabled / EnableNetworkIsolation: true / no NAT route for the subnets",
    "direct_internet_access = \"Disabled\" / enable_network_isolation = true / no aws_route to a NAT",
    "guide [network isolation], [NAT judiciously]; no peer",
    sm_internet_reachable,
};
