/* Rules on SageMaker resources (rules.md "SageMaker resources"). */
#include "rules.h"

#include <string.h>

/* A tri-state property whose insecure value is `bad`. `presence`: the
 * property is a block (VpcConfig, SubnetId) whose absence is the insecure
 * value, rather than a flag with a default. */
static void tri(au_ctx *c, mv_kind k, uint32_t i, mv_tri v, mv_tri bad, const char *field, const char *msg)
{
    bool presence = strcmp(field, "VpcConfig") == 0 || strcmp(field, "SubnetId") == 0;
    au_flag(c, k, i, v, bad, field,
            presence ? "absent" : bad == MV_TRUE ? "true (or absent: the default)" : "false (or absent: the default)",
            msg);
}

/* ------------------------------------------------------------------ notebooks */

static void nb_in_vpc(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_NOTEBOOK); i++) {
        const mv_notebook *n = MV_AT(c->m, MK_NOTEBOOK, mv_notebook, i);
        tri(c, MK_NOTEBOOK, i, n->place.present, MV_FALSE, "SubnetId",
            "the notebook instance is not in a VPC: it runs in SageMaker's network");
    }
}

const au_rule rule_nb_in_vpc = {
    "NB-IN-VPC", MLVPC_HIGH, "high", NULL, "SageMaker resources",
    "Notebook instance outside a VPC",
    "notebook instance has no `SubnetId`",
    "Without a subnet the notebook runs in SageMaker's service network, with internet access and none of the "
    "VPC's controls (security groups, NACLs, endpoints, flow logs).",
    "Create the notebook instance with a private subnet and security groups.",
    "AWS::SageMaker::NotebookInstance: set SubnetId and SecurityGroupIds",
    "aws_sagemaker_notebook_instance: set subnet_id and security_groups",
    "guide [VPC mode]; Checkov CKV_AWS_306, cdk-nag SM1, Security Hub SageMaker.2",
    nb_in_vpc,
};

static void nb_direct_internet(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_NOTEBOOK); i++)
        au_flag(c, MK_NOTEBOOK, i, MV_AT(c->m, MK_NOTEBOOK, mv_notebook, i)->direct_internet, MV_TRUE,
                "DirectInternetAccess", "Enabled (absent means Enabled)",
                "direct internet access is enabled: the notebook reaches the internet through SageMaker's network, "
                "whatever the VPC allows");
}

const au_rule rule_nb_direct_internet = {
    "NB-DIRECT-INTERNET", MLVPC_HIGH, "high", NULL, "SageMaker resources",
    "Notebook instance with direct internet access",
    "notebook `DirectInternetAccess` is `Enabled` (or absent)",
    "With direct internet access SageMaker gives the notebook its own route to the internet, outside the VPC: "
    "data can leave and code can be fetched whatever the security groups, NACLs and route tables say. The "
    "default is Enabled, so a template that omits the property is insecure.",
    "Set DirectInternetAccess to Disabled and give the VPC the endpoints (or NAT) the notebook needs.",
    "AWS::SageMaker::NotebookInstance: DirectInternetAccess: Disabled",
    "aws_sagemaker_notebook_instance: direct_internet_access = \"Disabled\"",
    "guide [internet-facing vs VPC]; cdk-nag SM3, Security Hub SageMaker.1",
    nb_direct_internet,
};

static void nb_root_access(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_NOTEBOOK); i++)
        au_flag(c, MK_NOTEBOOK, i, MV_AT(c->m, MK_NOTEBOOK, mv_notebook, i)->root_access, MV_TRUE, "RootAccess",
                "Enabled (absent means Enabled)",
                "root access is enabled: notebook users can change the instance's network stack");
}

const au_rule rule_nb_root_access = {
    "NB-ROOT-ACCESS", MLVPC_MEDIUM, "medium", NULL, "SageMaker resources",
    "Notebook instance with root access",
    "notebook `RootAccess` is `Enabled` (or absent): users can alter the instance's network stack",
    "Root on the notebook lets a user change routes, iptables and proxies on the instance, undoing network "
    "controls. The default is Enabled.",
    "Set RootAccess to Disabled (use lifecycle configurations for set-up that needs root).",
    "AWS::SageMaker::NotebookInstance: RootAccess: Disabled",
    "aws_sagemaker_notebook_instance: root_access = \"Disabled\"",
    "Security Hub SageMaker.3",
    nb_root_access,
};

static void nb_imdsv2(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_NOTEBOOK); i++) {
        const mv_notebook *n = MV_AT(c->m, MK_NOTEBOOK, mv_notebook, i);
        /* Absent at creation means IMDSv1 ("1"), per the SageMaker API reference
         * (InstanceMetadataServiceConfiguration). */
        const char *v = n->imds_min ? n->imds_min : "1";
        if (strcmp(v, "2") == 0)
            continue;
        au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_NOTEBOOK, i,
                                "the notebook accepts IMDSv1: instance credentials can be read without a session token");
        au_ev_add(c, f, "MinimumInstanceMetadataServiceVersion", "%s%s", v, n->imds_min ? "" : " (absent: the default)");
    }
}

const au_rule rule_nb_imdsv2 = {
    "NB-IMDSV2", MLVPC_LOW, "low", NULL, "SageMaker resources",
    "Notebook instance allows IMDSv1",
    "notebook minimum IMDS version is not 2",
    "IMDSv1 answers plain GET requests, so a server-side request forgery in notebook code can read the "
    "instance role's credentials. The default at creation is 1.",
    "Set the minimum instance metadata service version to 2.",
    "AWS::SageMaker::NotebookInstance: InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion: \"2\"",
    "aws_sagemaker_notebook_instance: instance_metadata_service_configuration { minimum_instance_metadata_service_version = \"2\" }",
    "Checkov CKV_AWS_371",
    nb_imdsv2,
};

/* ------------------------------------------------------------------ Studio */

static void domain_vpc_only(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_DOMAIN); i++) {
        const mv_domain *d = MV_AT(c->m, MK_DOMAIN, mv_domain, i);
        if (d->net == MA_PUBLIC_INTERNET_ONLY) {
            au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_DOMAIN, i,
                                    "the Studio domain is PublicInternetOnly: apps reach the internet through "
                                    "SageMaker's network; only EFS traffic uses the VPC");
            au_ev_add(c, f, "AppNetworkAccessType", "PublicInternetOnly (absent means PublicInternetOnly)");
        } else if (d->net == MA_UNKNOWN) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_DOMAIN, i, "\"AppNetworkAccessType\" is not known from the input");
        }
    }
}

const au_rule rule_domain_vpc_only = {
    "DOMAIN-VPC-ONLY", MLVPC_HIGH, "high", NULL, "SageMaker resources",
    "Studio domain not VpcOnly",
    "Studio domain `AppNetworkAccessType` is `PublicInternetOnly` (or absent)",
    "In PublicInternetOnly mode Studio apps get internet access from SageMaker, outside the VPC's controls. "
    "That is the default.",
    "Create the domain with AppNetworkAccessType VpcOnly and the endpoints Studio needs.",
    "AWS::SageMaker::Domain: AppNetworkAccessType: VpcOnly",
    "aws_sagemaker_domain: app_network_access_type = \"VpcOnly\"",
    "guide [VPC mode]; AWS Config sagemaker-domain-in-vpc",
    domain_vpc_only,
};

/* ------------------------------------------------------------------ jobs */

/* A monitoring schedule that names a job definition is checked through the
 * definition: true when the job is such a schedule (and, when the definition
 * is not in the input, an indeterminate finding says so). */
static bool via_definition(au_ctx *c, uint32_t i, const char *field)
{
    const mv_job *j = MV_AT(c->m, MK_JOB, mv_job, i);
    if (j->kind != MJ_MONITORING || j->place.present != MV_UNKNOWN)
        return false;
    if (model_job_definition(c->m, j) != MV_NONE)
        return true;
    au_find(c, c->rule->level, AU_INDETERMINATE, MK_JOB, i, "\"%s\" comes from job definition %s%s%s, which is not in "
            "the input", field, j->definition ? "\"" : "", j->definition ? j->definition : "(unnamed)",
            j->definition ? "\"" : "");
    return true;
}

static void job_in_vpc(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_JOB); i++) {
        const mv_job *j = MV_AT(c->m, MK_JOB, mv_job, i);
        if (via_definition(c, i, "VpcConfig"))
            continue;
        tri(c, MK_JOB, i, j->place.present, MV_FALSE, "VpcConfig",
            "the job has no VPC configuration: its containers run in SageMaker's network");
    }
}

const au_rule rule_job_in_vpc = {
    "JOB-IN-VPC", MLVPC_HIGH, "high", NULL, "SageMaker resources",
    "Job outside a VPC",
    "training / processing / tuning / AutoML / monitoring job (or job definition) has no VPC config",
    "Without a VpcConfig the job's containers run in SageMaker's network, where none of the VPC's controls "
    "apply and the internet is reachable unless the job is network-isolated.",
    "Give the job a VpcConfig with private subnets and a training/processing security group.",
    "AWS::SageMaker::*JobDefinition / pipeline step: set VpcConfig (NetworkConfig.VpcConfig) Subnets and SecurityGroupIds",
    "set vpc_config { subnets, security_group_ids } on the job (definition) resource",
    "guide [VPC mode]; Prowler (training jobs only)",
    job_in_vpc,
};

static void job_net_isolation(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_JOB); i++) {
        const mv_job *j = MV_AT(c->m, MK_JOB, mv_job, i);
        if (j->no_isolation_option || via_definition(c, i, "EnableNetworkIsolation"))
            continue; /* AutoML offers no isolation: JOB-IN-VPC and SM-INTERNET-REACHABLE speak for it */
        tri(c, MK_JOB, i, j->isolation, MV_FALSE, "EnableNetworkIsolation",
            "network isolation is off: the job's containers can make outbound calls");
    }
}

const au_rule rule_job_net_isolation = {
    "JOB-NET-ISOLATION", MLVPC_HIGH, "high", NULL, "SageMaker resources",
    "Job without network isolation",
    "such a job has `EnableNetworkIsolation` false/absent (AutoML jobs, which have no such setting: n/a)",
    "With network isolation the container can make no network calls at all (SageMaker still moves data to and "
    "from S3 for it), so untrusted training code cannot exfiltrate data. The default is false.",
    "Set EnableNetworkIsolation to true unless the algorithm needs the network.",
    "set EnableNetworkIsolation: true (NetworkConfig.EnableNetworkIsolation for processing)",
    "set enable_network_isolation = true",
    "guide [network isolation for training jobs]",
    job_net_isolation,
};

static void job_ict_encryption(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_JOB); i++) {
        const mv_job *j = MV_AT(c->m, MK_JOB, mv_job, i);
        if ((j->instance_count >= 0 && j->instance_count < 2) || via_definition(c, i, "EnableInterContainerTrafficEncryption"))
            continue; /* a single instance has no inter-container traffic */
        /* AutoML sizes its own training jobs, distributed ones included. */
        bool multi = j->instance_count >= 2 || j->kind == MJ_AUTOML;
        if (j->ict_encryption == MV_FALSE && multi) {
            au_finding *f = j->instance_count >= 2
                                ? au_find(c, c->rule->level, AU_FAIL, MK_JOB, i, "%d instances exchange data unencrypted",
                                          j->instance_count)
                                : au_find(c, c->rule->level, AU_FAIL, MK_JOB, i,
                                          "AutoML's training jobs may span instances and would exchange data unencrypted");
            if (j->instance_count >= 2)
                au_ev_add(c, f, "InstanceCount", "%d", j->instance_count);
            au_ev_add(c, f, "EnableInterContainerTrafficEncryption", "false (or absent: the default)");
        } else if (j->ict_encryption != MV_TRUE) {
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_JOB, i, "%s is not known from the input",
                    j->instance_count < 0 ? "the instance count" : "\"EnableInterContainerTrafficEncryption\"");
        }
    }
}

const au_rule rule_job_ict_encryption = {
    "JOB-ICT-ENCRYPTION", MLVPC_MEDIUM, "medium", NULL, "SageMaker resources",
    "Distributed job without inter-container traffic encryption",
    "such a job runs on >=2 instances (AutoML: may) and `EnableInterContainerTrafficEncryption` is false/absent "
    "(single-instance jobs: not applicable)",
    "Distributed training exchanges gradients and data between instances; without encryption that traffic "
    "crosses the VPC in clear text.",
    "Set EnableInterContainerTrafficEncryption to true for multi-instance jobs.",
    "set EnableInterContainerTrafficEncryption: true",
    "set enable_inter_container_traffic_encryption = true",
    "guide [TLS in transit]; Security Hub SageMaker.9/.10/.13/.15",
    job_ict_encryption,
};

/* ------------------------------------------------------------------ models and endpoints */

static void model_in_vpc(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_MODEL); i++)
        tri(c, MK_MODEL, i, MV_AT(c->m, MK_MODEL, mv_model_res, i)->place.present, MV_FALSE, "VpcConfig",
            "the model has no VpcConfig: its inference containers run in SageMaker's network");
}

const au_rule rule_model_in_vpc = {
    "MODEL-IN-VPC", MLVPC_MEDIUM, "medium", NULL, "SageMaker resources",
    "Model outside a VPC",
    "model has no `VpcConfig`",
    "Without a VpcConfig the model's containers cannot be reached through, or limited by, the VPC.",
    "Give the model a VpcConfig with private subnets in two AZs and an inference security group.",
    "AWS::SageMaker::Model: set VpcConfig.Subnets and VpcConfig.SecurityGroupIds",
    "aws_sagemaker_model: set vpc_config { subnets, security_group_ids }",
    "AWS Config sagemaker-model-in-vpc",
    model_in_vpc,
};

static void model_net_isolation(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_MODEL); i++)
        tri(c, MK_MODEL, i, MV_AT(c->m, MK_MODEL, mv_model_res, i)->isolation, MV_FALSE, "EnableNetworkIsolation",
            "network isolation is off: the inference container can make outbound calls");
}

const au_rule rule_model_net_isolation = {
    "MODEL-NET-ISOLATION", MLVPC_MEDIUM, "medium", NULL, "SageMaker resources",
    "Model without network isolation",
    "model `EnableNetworkIsolation` false/absent",
    "An isolated inference container makes no network calls, so a compromised model cannot exfiltrate "
    "requests. The default is false.",
    "Set EnableNetworkIsolation to true on the model.",
    "AWS::SageMaker::Model: EnableNetworkIsolation: true",
    "aws_sagemaker_model: enable_network_isolation = true",
    "Security Hub SageMaker.5, Checkov CKV_AWS_370",
    model_net_isolation,
};

static void ep_multi_instance(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_EPCONFIG); i++) {
        const mv_epconfig *e = MV_AT(c->m, MK_EPCONFIG, mv_epconfig, i);
        for (uint32_t v = 0; v < e->nvariants; v++) {
            const mv_variant *x = &e->variants[v];
            if (x->serverless)
                continue;
            if (x->instance_count < 0) {
                au_find(c, c->rule->level, AU_INDETERMINATE, MK_EPCONFIG, i,
                        "variant \"%s\": \"InitialInstanceCount\" is not known from the input", x->variant_name);
            } else if (x->instance_count < 2) {
                au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_EPCONFIG, i,
                                        "variant \"%s\" runs on %d instance: one failure takes it down",
                                        x->variant_name, x->instance_count);
                au_ev_add(c, f, "InitialInstanceCount", "%d", x->instance_count);
            }
        }
    }
}

const au_rule rule_ep_multi_instance = {
    "EP-MULTI-INSTANCE", MLVPC_MEDIUM, "medium", NULL, "SageMaker resources",
    "Endpoint variant on a single instance",
    "an instance-based production variant has `InitialInstanceCount` < 2 (serverless variants: n/a)",
    "SageMaker spreads a variant's instances over AZs only when there are at least two.",
    "Set InitialInstanceCount to 2 or more for production variants.",
    "AWS::SageMaker::EndpointConfig: ProductionVariants[].InitialInstanceCount: 2",
    "aws_sagemaker_endpoint_configuration: production_variants { initial_instance_count = 2 }",
    "guide [multiple AZs]; Security Hub SageMaker.4",
    ep_multi_instance,
};

/* AZs of the subnets of the models behind endpoint i; -1 when part is not in the input. */
static int endpoint_azs(au_ctx *c, const mv_endpoint *ep, const char **azs, int max, const char **why)
{
    const mlvpc_model *m = c->m;
    if (ep->config.idx == MV_NONE) {
        *why = au_fmt(c, "its endpoint config \"%s\" is not in the input", model_str(m, ep->config.sym));
        return -1;
    }
    const mv_epconfig *cfg = MV_AT(m, MK_EPCONFIG, mv_epconfig, ep->config.idx);
    int n = 0;
    bool placed = false;
    for (uint32_t v = 0; v < cfg->nvariants; v++) {
        const mv_variant *x = &cfg->variants[v];
        if (x->model.idx == MV_NONE) {
            *why = au_fmt(c, "model \"%s\" is not in the input", model_str(m, x->model.sym));
            return -1;
        }
        const mv_model_res *mo = MV_AT(m, MK_MODEL, mv_model_res, x->model.idx);
        for (uint32_t s = 0; s < mo->place.nsubnets; s++) {
            placed = true;
            if (mo->place.subnets[s].idx == MV_NONE) {
                *why = au_fmt(c, "subnet %s is not in the input", model_str(m, mo->place.subnets[s].sym));
                return -1;
            }
            const char *az = MV_AT(m, MK_SUBNET, mv_subnet, mo->place.subnets[s].idx)->az;
            if (!az) {
                *why = au_fmt(c, "the AZ of subnet %s is not in the input", model_str(m, mo->place.subnets[s].sym));
                return -1;
            }
            int k = 0;
            while (k < n && strcmp(azs[k], az) != 0)
                k++;
            if (k == n && n < max)
                azs[n++] = az;
        }
    }
    return placed ? n : -2; /* -2: no model in a VPC (MODEL-IN-VPC says so) */
}

static void ep_multi_az(au_ctx *c)
{
    for (uint32_t i = 0; i < MV_N(c->m, MK_ENDPOINT); i++) {
        const mv_endpoint *ep = MV_AT(c->m, MK_ENDPOINT, mv_endpoint, i);
        const char *azs[8], *why = NULL;
        int n = endpoint_azs(c, ep, azs, 8, &why);
        if (n == -1)
            au_find(c, c->rule->level, AU_INDETERMINATE, MK_ENDPOINT, i, "%s", why);
        else if (n >= 0 && n < 2) {
            au_finding *f = au_find(c, c->rule->level, AU_FAIL, MK_ENDPOINT, i,
                                    "the endpoint's models run in subnets of %d availability zone%s", n, n == 1 ? "" : "s");
            au_ev_add(c, f, "availability zones", "%s", n ? azs[0] : "none");
        }
    }
}

const au_rule rule_ep_multi_az = {
    "EP-MULTI-AZ", MLVPC_MEDIUM, "medium", "graph", "SageMaker resources",
    "Endpoint in a single AZ",
    "the subnets of the models behind an endpoint span fewer than 2 distinct AZs (not: fewer than 2 subnets)",
    "Instances are placed in the model's subnets; two subnets in one AZ still fail together.",
    "Give the endpoint's models subnets in at least two availability zones.",
    "AWS::SageMaker::Model: VpcConfig.Subnets in two AZs",
    "aws_sagemaker_model: vpc_config.subnets in two AZs",
    "guide [multiple AZs]; Prowler counts subnets, not AZs",
    ep_multi_az,
};
