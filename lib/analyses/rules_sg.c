/* Rules on security groups and network ACLs (rules.md "Security groups and NACLs"). */
#include "rules.h"

#include <string.h>

static bool covers_port(const mv_match *m, int proto, unsigned port)
{
    if (m->proto == MV_PROTO_ALL)
        return true;
    return m->proto == proto && m->port_lo <= port && port <= m->port_hi;
}

static bool all_ports(const mv_match *m)
{
    return m->proto == MV_PROTO_ALL ||
           ((m->proto == MV_TCP || m->proto == MV_UDP) && m->port_lo == 0 && m->port_hi == 65535);
}

/* Whether the rule's peer includes every address of a family: 0.0.0.0/0,
 * ::/0, or a prefix list with such an entry (unknown when the list's
 * entries are not in the input). */
static mv_tri world_peer_tri(const au_ctx *c, const mv_sg_rule *r)
{
    if (r->peer == MP_CIDR)
        return ip_prefix_is_default(&r->cidr) ? MV_TRUE : MV_FALSE;
    if (r->peer != MP_PL)
        return MV_FALSE;
    if (r->ref.idx == MV_NONE || !MV_AT(c->m, MK_PL, mv_pl, r->ref.idx)->entries_known)
        return MV_UNKNOWN;
    const mv_pl *p = MV_AT(c->m, MK_PL, mv_pl, r->ref.idx);
    for (uint32_t i = 0; i < p->nentries; i++)
        if (ip_prefix_is_default(&p->entries[i]))
            return MV_TRUE;
    return MV_FALSE;
}

static bool world_peer(const au_ctx *c, const mv_sg_rule *r) { return world_peer_tri(c, r) == MV_TRUE; }

/* An indeterminate finding for the first rule of g (in [from, to)) whose
 * prefix list's entries are unknown; true when there was one. */
static bool unknown_pl(au_ctx *c, uint32_t g, uint32_t from, uint32_t to, bool need_all_ports)
{
    const mv_sg *sg = MV_AT(c->m, MK_SG, mv_sg, g);
    for (uint32_t k = from; k < to; k++)
        if (world_peer_tri(c, &sg->rules[k]) == MV_UNKNOWN && (!need_all_ports || all_ports(&sg->rules[k].m))) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_SG, g,
                    "the entries of prefix list %s (in \"%s\") are not in the input", model_str(c->m, sg->rules[k].ref.sym),
                    au_sg_rule_text(c, &sg->rules[k]));
            return true;
        }
    return false;
}

/* No finding on SG g, but the input does not give all its rules: indeterminate. */
static void sg_unknown(au_ctx *c, uint32_t g, bool found)
{
    if (!found && MV_AT(c->m, MK_SG, mv_sg, g)->incomplete)
        au_find(c, c->rule->level, AU_INDETERMINATE, MK_SG, g, "some rules of this group are not known from the input");
}

/* ------------------------------------------------------------------ SG-WORLD-INGRESS */

static void sg_world_ingress(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_SG); i++) {
        const mv_sg *g = MV_AT(c->m, MK_SG, mv_sg, i);
        mlvpc_level worst = MLVPC_INFO;
        uint32_t first = MV_NONE;
        for (uint32_t k = 0; k < g->ningress; k++) {
            const mv_sg_rule *r = &g->rules[k];
            if (!world_peer(c, r))
                continue;
            bool admin = covers_port(&r->m, MV_TCP, 22) || covers_port(&r->m, MV_TCP, 3389) ||
                         covers_port(&r->m, MV_UDP, 3389);
            mlvpc_level lv = all_ports(&r->m) || admin ? MLVPC_CRITICAL : MLVPC_HIGH;
            if (lv < worst)
                worst = lv;
            if (first == MV_NONE)
                first = k;
        }
        if (first == MV_NONE) {
            if (!unknown_pl(c, i, 0, g->ningress, false))
                sg_unknown(c, i, false);
            continue;
        }
        au_finding *f = au_find(c, worst, AU_FAIL, MK_SG, i, "admits %s from anywhere on the internet",
                                worst == MLVPC_CRITICAL ? "all ports or SSH/RDP" : "traffic");
        for (uint32_t k = first; k < g->ningress; k++)
            if (world_peer(c, &g->rules[k]))
                au_ev_add(c, f, "ingress", "%s", au_sg_rule_text(c, &g->rules[k]));
    }
}

const au_rule rule_sg_world_ingress = {
    "SG-WORLD-INGRESS", MLVPC_CRITICAL, "critical / high", NULL, "Security groups and NACLs",
    "Security group open to the world",
    "ingress from `0.0.0.0/0` or `::/0`: critical for all ports or 22/3389, high otherwise",
    "Anything attached to the group (and with a public address) is reachable from the whole internet on "
    "those ports; SSH and RDP are scanned continuously.",
    "Replace the 0.0.0.0/0 / ::/0 ingress rules with the ranges or security groups that need access.",
    "AWS::EC2::SecurityGroup(Ingress): CidrIp/CidrIpv6 of the callers, or SourceSecurityGroupId",
    "aws_security_group(_rule) / aws_vpc_security_group_ingress_rule: cidr_blocks of the callers or a source SG",
    "guide [least privilege]; cdk-nag EC23, Security Hub EC2.18/.19",
    sg_world_ingress,
};

/* ------------------------------------------------------------------ SG-NOTEBOOK-INGRESS */

static bool in_vpc_cidrs(const au_ctx *c, const mv_sg *g, const ip_prefix *p)
{
    if (g->vpc.idx == MV_NONE)
        return false;
    const mv_vpc *v = MV_AT(c->m, MK_VPC, mv_vpc, g->vpc.idx);
    for (uint32_t i = 0; i < v->ncidrs; i++)
        if (v->cidrs[i].a.af == p->a.af && ip_prefix_covers(&v->cidrs[i], p))
            return true;
    return false;
}

/* HTTPS from the VPC, another SG or a customer-managed list of ranges. */
static bool notebook_ok(const au_ctx *c, const mv_sg *g, const mv_sg_rule *r)
{
    if (r->m.proto != MV_TCP || r->m.port_lo != 443 || r->m.port_hi != 443)
        return false;
    if (r->peer == MP_CIDR)
        return in_vpc_cidrs(c, g, &r->cidr);
    if (r->peer == MP_SG)
        return true;
    return r->ref.idx != MV_NONE && !MV_AT(c->m, MK_PL, mv_pl, r->ref.idx)->aws_managed && world_peer_tri(c, r) != MV_TRUE;
}

static void sg_notebook_ingress(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_SG); i++) {
        if (!(c->sg_fn[i] & FN_NOTEBOOK))
            continue;
        const mv_sg *g = MV_AT(c->m, MK_SG, mv_sg, i);
        au_finding *f = NULL;
        for (uint32_t k = 0; k < g->ningress; k++) {
            if (notebook_ok(c, g, &g->rules[k]))
                continue;
            if (!f)
                f = au_find(c, c->rule->level, AU_FAIL, MK_SG, i,
                            "a notebook security group admits more than HTTPS from the VPC");
            au_ev_add(c, f, "ingress", "%s", au_sg_rule_text(c, &g->rules[k]));
        }
        if (f)
            au_ev_add(c, f, "used by", "%s", au_users(c, &c->sg_uses[i], FN_NOTEBOOK));
        else if (!unknown_pl(c, i, 0, g->ningress, false)) /* a listed range whose entries are unknown */
            sg_unknown(c, i, false);
    }
}

const au_rule rule_sg_notebook_ingress = {
    "SG-NOTEBOOK-INGRESS", MLVPC_MEDIUM, "medium", NULL, "Security groups and NACLs",
    "Notebook security group admits more than HTTPS",
    "a notebook SG admits anything other than TCP 443 from the VPC CIDR(s) or explicitly listed ranges "
    "(security groups and customer-managed prefix lists)",
    "Users reach a notebook instance only through the SageMaker console's HTTPS proxy; any other open port "
    "(SSH, Jupyter's 8888) is a way around IAM.",
    "Keep only TCP 443 from the VPC CIDR (or the SGs/prefix lists that need it) on the notebook SG.",
    "AWS::EC2::SecurityGroup SecurityGroupIngress: IpProtocol tcp, FromPort/ToPort 443, CidrIp of the VPC",
    "aws_vpc_security_group_ingress_rule: ip_protocol tcp, from_port/to_port 443, cidr_ipv4 of the VPC",
    "guide [least privilege: only HTTPS 443]",
    sg_notebook_ingress,
};

/* ------------------------------------------------------------------ SG-WORKLOAD-EGRESS-OPEN */

static void sg_workload_egress_open(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_SG); i++) {
        if (!au_sm_sg(c, i))
            continue;
        const mv_sg *g = MV_AT(c->m, MK_SG, mv_sg, i);
        au_finding *f = NULL;
        for (uint32_t k = g->ningress; k < g->nrules; k++) {
            const mv_sg_rule *r = &g->rules[k];
            if (!world_peer(c, r) || !all_ports(&r->m))
                continue;
            if (!f)
                f = au_find(c, c->rule->level, AU_FAIL, MK_SG, i,
                            "a SageMaker security group allows all egress to the internet");
            au_ev_add(c, f, "egress", "%s", au_sg_rule_text(c, r));
        }
        if (f)
            au_ev_add(c, f, "used by", "%s", au_users(c, &c->sg_uses[i], FN_SAGEMAKER));
        else if (!unknown_pl(c, i, g->ningress, g->nrules, true))
            sg_unknown(c, i, false);
    }
}

const au_rule rule_sg_workload_egress_open = {
    "SG-WORKLOAD-EGRESS-OPEN", MLVPC_MEDIUM, "medium", NULL, "Security groups and NACLs",
    "SageMaker security group allows all egress",
    "a SageMaker SG allows all protocols (or all ports) egress to `0.0.0.0/0`/`::/0` instead of endpoints, prefix "
    "lists or specific ranges",
    "A new security group allows all egress by default. For ML workloads that is an exfiltration path; they "
    "need HTTPS to their endpoints and S3 only.",
    "Replace the allow-all egress rule with TCP 443 to the endpoint SG and the S3 prefix list.",
    "AWS::EC2::SecurityGroup SecurityGroupEgress: explicit rules (stating any rule removes the default allow-all)",
    "aws_security_group egress blocks (or aws_vpc_security_group_egress_rule) to the endpoint SG and S3 prefix list",
    "guide [outbound: allow necessary endpoints, block the rest]; Checkov CKV_AWS_382 (generic)",
    sg_workload_egress_open,
};

/* ------------------------------------------------------------------ SG-PER-FUNCTION */

static void sg_per_function(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_SG); i++) {
        unsigned fn = c->sg_fn[i];
        if (!(fn & (fn - 1)))
            continue; /* zero or one function */
        char names[128] = "";
        size_t len = 0;
        for (unsigned b = 0; b < FN_COUNT; b++)
            if (fn & (1u << b)) {
                int r = snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", au_fn_name(b));
                if (r > 0 && (size_t)r < sizeof names - len)
                    len += (size_t)r;
            }
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_SG, i, "one security group serves %s", names);
        for (unsigned b = 0; b < FN_COUNT; b++)
            if (fn & (1u << b))
                au_ev_add(c, f, au_fn_name(b), "%s", au_users(c, &c->sg_uses[i], 1u << b));
    }
}

const au_rule rule_sg_per_function = {
    "SG-PER-FUNCTION", MLVPC_MEDIUM, "medium", "graph", "Security groups and NACLs",
    "Security group shared across functions",
    "one SG is used by resources of two or more functions (notebook, studio, training, processing, inference, "
    "vpc-endpoint, data)",
    "A shared group gives every function the union of the access each needs: a notebook gets the training "
    "cluster's self-referencing rule, an endpoint admits what the notebook admits.",
    "Give each function its own security group and reference groups, not CIDRs, between them.",
    "one AWS::EC2::SecurityGroup per function; reference it with SourceSecurityGroupId / DestinationSecurityGroupId",
    "one aws_security_group per function; reference it with referenced_security_group_id",
    "guide [separate SGs by function]; no peer",
    sg_per_function,
};

/* ------------------------------------------------------------------ SG-PLAINTEXT-INGRESS */

static void sg_plaintext_ingress(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_SG); i++) {
        if (!(c->sg_fn[i] & (FN_SAGEMAKER | FN_VPCE)))
            continue;
        const mv_sg *g = MV_AT(c->m, MK_SG, mv_sg, i);
        au_finding *f = NULL;
        for (uint32_t k = 0; k < g->ningress; k++) {
            const mv_sg_rule *r = &g->rules[k];
            /* Members of the group talking to each other (distributed training
             * needs all traffic between its instances) are not HTTP clients. */
            bool self = r->peer == MP_SG && r->ref.idx == i;
            if (self || (!covers_port(&r->m, MV_TCP, 80) && !covers_port(&r->m, MV_TCP, 8080)))
                continue;
            if (!f)
                f = au_find(c, c->rule->level, AU_FAIL, MK_SG, i, "admits plaintext HTTP (TCP 80 or 8080)");
            au_ev_add(c, f, "ingress", "%s", au_sg_rule_text(c, r));
        }
        sg_unknown(c, i, f != NULL);
    }
}

const au_rule rule_sg_plaintext_ingress = {
    "SG-PLAINTEXT-INGRESS", MLVPC_LOW, "low", NULL, "Security groups and NACLs",
    "SageMaker or endpoint security group admits plaintext HTTP",
    "a SageMaker or endpoint SG admits TCP 80 or 8080 (plaintext HTTP) from addresses or other groups (a group's "
    "rule admitting its own members, which distributed training needs, does not count)",
    "SageMaker and VPC endpoints speak HTTPS; an open HTTP port invites clear-text traffic.",
    "Admit TCP 443 only.",
    "AWS::EC2::SecurityGroup SecurityGroupIngress: no rule covering ports 80/8080",
    "aws_security_group ingress: no rule covering ports 80/8080",
    "guide [enforce TLS]",
    sg_plaintext_ingress,
};

/* ------------------------------------------------------------------ SG-DEFAULT-USED */

static void default_used(au_ctx *c, mv_kind kind, uint32_t idx, const mv_ref *sgs, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        if (sgs[k].idx == MV_NONE || !MV_AT(c->m, MK_SG, mv_sg, sgs[k].idx)->is_default)
            continue;
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, kind, idx, "uses the VPC's default security group");
        au_ev_add(c, f, "security group", "%s (default)", model_str(c->m, sgs[k].sym));
        return;
    }
}

static void sg_default_used(au_ctx *c)
{
    for (uint32_t i = 0; i < c->wls.n; i++) {
        const au_wl *w = VEC_AT(c->wls, au_wl, i);
        default_used(c, w->kind, w->idx, w->place->sgs, w->place->nsgs);
    }
    for (uint32_t i = 0; i < MV_N(c->m, MK_VPCE); i++) {
        const mv_vpce *e = MV_AT(c->m, MK_VPCE, mv_vpce, i);
        if (e->type == ME_INTERFACE)
            default_used(c, MK_VPCE, i, e->sgs, e->nsgs);
    }
}

const au_rule rule_sg_default_used = {
    "SG-DEFAULT-USED", MLVPC_MEDIUM, "medium", NULL, "Security groups and NACLs",
    "SageMaker or interface endpoint uses the default security group",
    "a SageMaker resource or interface endpoint uses the VPC's default SG",
    "The default group admits everything from its own members, so whatever else lands in it (often by "
    "omission) can reach the workload.",
    "Attach a purpose-made security group instead of the VPC's default one.",
    "SecurityGroupIds / VpcConfig.SecurityGroupIds: a dedicated AWS::EC2::SecurityGroup",
    "security_group_ids / vpc_config.security_group_ids: a dedicated aws_security_group",
    "Security Hub EC2.2 (related)",
    sg_default_used,
};

/* ------------------------------------------------------------------ NACL-RETURN-PATH */

static uint32_t nacl_by_id(const au_ctx *c, const char *id)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_NACL); i++)
        if (strcmp(au_id(c, MK_NACL, i), id) == 0)
            return i;
    return MV_NONE;
}

static void nacl_flow(au_ctx *c, const au_wl *w, const au_path *p)
{
    if (p && p->verdict == RV_INDETERMINATE) {
        /* A NACL drop cannot be ruled out where the path is unknown. */
        au_finding *f = au_find(c, c->rule->level, AU_INDETERMINATE, w->kind, w->idx, "%s cannot be decided: %s",
                                p->query, p->missing ? p->missing : "unknown");
        if (f)
            f->path = p;
        return;
    }
    if (!p || p->verdict != RV_UNREACHABLE || !p->nacl_block || p->sg_block)
        return;
    for (uint32_t b = 0; b < p->nblocks; b++) {
        const reach_block *k = &p->blocks[b];
        if (strcmp(k->code, "SUBNET_ACL_RESTRICTION") != 0)
            continue;
        uint32_t n = nacl_by_id(c, k->component);
        if (n == MV_NONE)
            continue;
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_NACL, n, "drops %s traffic of %s (the SGs allow it)",
                                k->ret ? "return" : "forward", p->query);
        au_ev_add(c, f, "entry", "%s", k->rule);
        uint32_t more = VEC_AT(c->classes, au_cls, w->cls)->members - 1;
        au_ev_add(c, f, "workload", "%s%s", w->ref, more ? au_fmt(c, " (and %u more placed alike)", more) : "");
        f->path = p;
        return;
    }
}

static void nacl_return_path(au_ctx *c)
{
    static const int qs[] = { AQ_S3, AQ_SAGEMAKER_API, AQ_SAGEMAKER_RUNTIME, AQ_STS, AQ_LOGS };
    /* One finding per class and flow: workloads of a class share the answer. */
    for (uint32_t k = 0; k < c->classes.n; k++) {
        const au_wl *w = VEC_AT(c->wls, au_wl, VEC_AT(c->classes, au_cls, k)->rep);
        if (w->place->present != MV_TRUE || !w->place->nsubnets)
            continue;
        size_t nq = w->vpc_only && (w->kind == MK_NOTEBOOK || w->kind == MK_DOMAIN) ? 5 : 1;
        for (size_t q = 0; q < nq; q++)
            nacl_flow(c, w, au_reach(c, w, qs[q]));
    }
}

const au_rule rule_nacl_return_path = {
    "NACL-RETURN-PATH", MLVPC_HIGH, "high", "reach", "Security groups and NACLs",
    "Network ACL drops a flow the security groups allow",
    "a flow the SGs allow between a SageMaker workload and a service/endpoint it needs is dropped by a NACL on the "
    "return (ephemeral ports) or forward path; evidence names the NACL entry",
    "NACLs are stateless: the reply to an HTTPS request comes back to an ephemeral port (1024-65535) and needs "
    "its own allow rule, in both subnets' NACLs. The usual symptom is a job that hangs until it times out.",
    "Allow the flow in the named NACL: for replies, TCP 1024-65535 from the service or endpoint range.",
    "AWS::EC2::NetworkAclEntry: allow TCP 1024-65535 (and 443) for the flow, with a lower RuleNumber than any deny",
    "aws_network_acl_rule (or ingress/egress blocks): allow TCP 1024-65535 (and 443) for the flow",
    "guide [NACLs]; no peer",
    nacl_return_path,
};

/* ------------------------------------------------------------------ NACL-PROD-ENDPOINT */

/* The first IPv4 entry in a direction allows all traffic from/to anywhere. */
static bool allows_all(const mv_nacl *n, bool egress)
{
    for (uint32_t i = 0; i < n->nentries; i++) {
        const mv_nacl_entry *e = &n->entries[i];
        if (e->egress != egress || e->cidr.a.af != IP_V4)
            continue;
        return e->allow && e->m.proto == MV_PROTO_ALL && e->cidr.len == 0;
    }
    return false;
}

static bool is_prod(au_ctx *c, const mv_res *r)
{
    const char *env = au_env(c, r);
    return env && strcmp(env, "prod") == 0;
}

/* Subnets of the models behind SageMaker endpoints: 1, or 2 when the
 * endpoint (or its config or model) is tagged prod. */
static void mark_endpoint_subnets(au_ctx *c, uint8_t *hosts)
{
    const mlvpc_model *m = c->m;
    for (uint32_t i = 0; i < MV_N(m, MK_ENDPOINT); i++) {
        const mv_endpoint *ep = MV_AT(m, MK_ENDPOINT, mv_endpoint, i);
        if (ep->config.idx == MV_NONE)
            continue;
        const mv_epconfig *cfg = MV_AT(m, MK_EPCONFIG, mv_epconfig, ep->config.idx);
        for (uint32_t v = 0; v < cfg->nvariants; v++) {
            if (cfg->variants[v].model.idx == MV_NONE)
                continue;
            const mv_model_res *x = MV_AT(m, MK_MODEL, mv_model_res, cfg->variants[v].model.idx);
            uint8_t mark = is_prod(c, &ep->r) || is_prod(c, &cfg->r) || is_prod(c, &x->r) ? 2 : 1;
            for (uint32_t s = 0; s < x->place.nsubnets; s++)
                if (x->place.subnets[s].idx != MV_NONE && hosts[x->place.subnets[s].idx] < mark)
                    hosts[x->place.subnets[s].idx] = mark;
        }
    }
}

static void nacl_prod_endpoint(au_ctx *c)
{
    const mlvpc_model *m = c->m;
    uint32_t ns = MV_N(m, MK_SUBNET);
    uint8_t *ep = arena_calloc(c->ar, ns + 1, sizeof *ep);
    if (!ep) {
        c->oom = true;
        return;
    }
    mark_endpoint_subnets(c, ep);
    for (uint32_t i = 0; i < ns; i++) {
        bool vpce = (c->subnet_fn[i] & FN_VPCE) != 0;
        if (!ep[i] && !vpce)
            continue;
        const mv_subnet *s = MV_AT(m, MK_SUBNET, mv_subnet, i);
        bool prod_vpce = false; /* an interface endpoint tagged prod */
        for (uint32_t u = 0; vpce && u < c->subnet_uses[i].n; u++) {
            const au_use *x = VEC_AT(c->subnet_uses[i], au_use, u);
            prod_vpce |= x->kind == MK_VPCE && is_prod(c, au_res(c, MK_VPCE, x->idx));
        }
        if (c->o->profile != MLVPC_PROFILE_PROD && !is_prod(c, &s->r) && ep[i] < 2 && !prod_vpce)
            continue;
        if (s->nacl == MV_NONE) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_SUBNET, i, "the subnet's network ACL is not in the input");
            continue;
        }
        const mv_nacl *n = MV_AT(m, MK_NACL, mv_nacl, s->nacl);
        if (n->incomplete) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_SUBNET, i, "some entries of network ACL %s are not known "
                    "from the input", au_id(c, MK_NACL, s->nacl));
            continue;
        }
        if (!allows_all(n, false) || !allows_all(n, true))
            continue;
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_SUBNET, i,
                                "hosts %s behind a network ACL that allows all traffic both ways",
                                ep[i] ? "a production SageMaker endpoint" : "interface endpoints");
        au_ev_add(c, f, "network ACL", "%s (%s)", au_id(c, MK_NACL, s->nacl),
                  s->nacl_explicit ? "explicit association" : "the VPC's default");
        if (vpce)
            au_ev_add(c, f, "interface endpoints", "%s", au_users(c, &c->subnet_uses[i], FN_VPCE));
    }
}

const au_rule rule_nacl_prod_endpoint = {
    "NACL-PROD-ENDPOINT", MLVPC_LOW, "low", NULL, "Security groups and NACLs",
    "Production endpoint subnet with an allow-all NACL",
    "a subnet hosting a production endpoint or interface endpoints (profile `prod`, or tag `Environment`=prod/"
    "production on the subnet, the endpoint, its config or model, or the interface endpoint) uses a NACL that allows "
    "all traffic both ways",
    "A NACL is the second layer when a security group is mis-edited; for endpoint subnets it can admit only "
    "HTTPS from the VPC and the replies.",
    "Give the subnet a NACL that allows TCP 443 from the VPC CIDR and ephemeral replies, and nothing else.",
    "AWS::EC2::NetworkAcl + NetworkAclEntry + SubnetNetworkAclAssociation for the endpoint subnets",
    "aws_network_acl with ingress/egress rules and subnet_ids for the endpoint subnets",
    "guide [NACLs as a second layer]; opt-in (cdk-nag VPC3 warns on any NACL: we do not)",
    nacl_prod_endpoint,
};

/* ------------------------------------------------------------------ NACL-WORLD-ADMIN */

/* The entry that admits TCP `port` from every address of family af, if any:
 * the first /0 entry matching the port, when it allows. */
static const mv_nacl_entry *world_admits(const mv_nacl *n, uint8_t af, unsigned port)
{
    for (uint32_t i = 0; i < n->nentries; i++) {
        const mv_nacl_entry *e = &n->entries[i];
        if (e->egress || e->cidr.a.af != af || e->cidr.len != 0 || !covers_port(&e->m, MV_TCP, port))
            continue;
        /* A range from 1024 up is there for replies; that it includes 3389
         * is incidental (the SGs, stateful, still refuse new connections). */
        bool ephemeral = e->m.proto == MV_TCP && e->m.port_lo >= 1024 && e->m.port_lo != e->m.port_hi;
        return e->allow && !ephemeral ? e : NULL;
    }
    return NULL;
}

static void nacl_world_admin(au_ctx *c)
{
    static const unsigned ports[] = { 22, 3389 };
    static const uint8_t afs[] = { IP_V4, IP_V6 };
    const mlvpc_model *m = c->m;
    bool *used = arena_calloc(c->ar, MV_N(m, MK_NACL) + 1, sizeof *used);
    if (!used) {
        c->oom = true;
        return;
    }
    for (uint32_t s = 0; s < MV_N(m, MK_SUBNET); s++)
        if (MV_AT(m, MK_SUBNET, mv_subnet, s)->nacl != MV_NONE)
            used[MV_AT(m, MK_SUBNET, mv_subnet, s)->nacl] = true;
    for (uint32_t i = 0; i < MV_N(m, MK_NACL); i++) {
        const mv_nacl *n = MV_AT(m, MK_NACL, mv_nacl, i);
        if (!used[i])
            continue; /* guards no subnet */
        au_finding *f = NULL;
        const mv_nacl_entry *seen[4];
        int nseen = 0;
        for (size_t a = 0; a < 2; a++)
            for (size_t p = 0; p < 2; p++) {
                const mv_nacl_entry *e = world_admits(n, afs[a], ports[p]);
                if (!e)
                    continue;
                int k = 0;
                while (k < nseen && seen[k] != e)
                    k++;
                if (k < nseen)
                    continue;
                seen[nseen++] = e;
                if (!f)
                    f = au_find(c, c->rule->level, AU_FAIL, MK_NACL, i, "admits SSH or RDP from anywhere");
                au_ev_add(c, f, "entry", "%s", au_nacl_entry_text(c, e));
            }
        if (!f && n->incomplete)
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_NACL, i, "some entries of this ACL are not known from the input");
    }
}

const au_rule rule_nacl_world_admin = {
    "NACL-WORLD-ADMIN", MLVPC_MEDIUM, "medium", NULL, "Security groups and NACLs",
    "Network ACL admits SSH or RDP from anywhere",
    "a NACL that guards a subnet allows ingress from `0.0.0.0/0`/`::/0` to 22 or 3389 (the first matching /0 entry "
    "allows; a TCP range starting at 1024 or above, kept for replies, does not count for including 3389)",
    "Administration ports open to the world at the subnet boundary leave security groups as the only guard.",
    "Deny (or do not allow) TCP 22 and 3389 from 0.0.0.0/0 and ::/0 in the NACL.",
    "AWS::EC2::NetworkAclEntry: no allow for ports 22/3389 from 0.0.0.0/0 or ::/0",
    "aws_network_acl_rule: no allow for ports 22/3389 from 0.0.0.0/0 or ::/0",
    "Security Hub EC2.21",
    nacl_world_admin,
};
