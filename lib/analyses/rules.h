/* Shared by the rule files (rules_*.c): each defines its au_rule constants. */
#ifndef MLVPC_RULES_H
#define MLVPC_RULES_H

#include <string.h>

#include "audit.h"

/* SageMaker subnets: a subnet used by a SageMaker workload. */
static inline bool au_sm_subnet(const au_ctx *c, uint32_t s) { return (c->subnet_fn[s] & FN_SAGEMAKER) != 0; }
static inline bool au_sm_sg(const au_ctx *c, uint32_t s) { return (c->sg_fn[s] & FN_SAGEMAKER) != 0; }

/* An endpoint that exists (not deleted, rejected, failed or expired); an
 * unknown state counts as existing. */
static inline bool au_vpce_live(const mv_vpce *e)
{
    static const char *const gone[] = { "deleted", "deleting", "rejected", "failed", "expired" };
    for (size_t i = 0; e->state && i < sizeof gone / sizeof *gone; i++)
        if (strcmp(e->state, gone[i]) == 0)
            return false;
    return true;
}

#define AU_RULES(X) \
    X(nb_in_vpc) X(nb_direct_internet) X(nb_root_access) X(nb_imdsv2) X(domain_vpc_only) X(job_in_vpc) \
    X(job_net_isolation) X(job_ict_encryption) X(model_in_vpc) X(model_net_isolation) X(ep_multi_instance) \
    X(ep_multi_az) X(sm_private_subnet) X(sm_s3_path) X(sm_no_service_path) X(sm_internet_reachable) \
    X(sg_world_ingress) X(sg_notebook_ingress) X(sg_workload_egress_open) X(sg_per_function) \
    X(sg_plaintext_ingress) X(sg_default_used) X(nacl_return_path) X(nacl_prod_endpoint) X(nacl_world_admin) \
    X(vpc_flow_logs) X(vpc_dns_for_endpoints) X(dhcp_custom_dns) X(vpce_required) X(vpce_private_dns) \
    X(vpce_multi_az) X(vpce_sg_admits) X(s3_gateway_endpoint) X(vpce_policy_open) X(route_blackhole) \
    X(nat_broken) X(nat_per_az) X(subnet_auto_public_ip) X(env_segmentation) X(tags_required)

#define AU_DECLARE(name) extern const au_rule rule_##name;
AU_RULES(AU_DECLARE)
#undef AU_DECLARE

#endif
