/*
 * CloudFormation templates (JSON or YAML, as `cdk synth` and hand-written
 * stacks give them) into the model.
 *
 * Resources keep their logical ids as ids; SageMaker resources are keyed as
 * everywhere else ("notebook:NAME", "model:NAME", ...) with the name the
 * template gives or, when CloudFormation would generate one, the logical id.
 * What CloudFormation creates without the template stating it is added: each
 * VPC's main route table (ID.MainRouteTable) with the local route, its
 * default network ACL (ID.DefaultNetworkAcl, allow all) and default security
 * group (ID.DefaultSecurityGroup), the local route in every route table, the
 * allow-all egress of a security group declared without egress rules.
 *
 * Intrinsic functions are evaluated with three outcomes: known, unknown
 * (the model keeps the field unknown, so rules are indeterminate) and, for
 * Fn::If on a condition that cannot be decided, unknown as well unless both
 * branches agree. Pseudo parameters take --region / --account, parameters
 * their Default. Fn::Select over Fn::GetAZs gives distinct symbolic zones.
 */
#ifndef MLVPC_CFN_H
#define MLVPC_CFN_H

#include "tree.h"
#include "../model/model.h"

/* Whether a parsed document is a CloudFormation template (a "Resources"
 * object whose members have a "Type" string). */
bool cfn_is_template(const tnode *root);

/* Load the template into m from file index `file`; region and account are
 * symbols (0 = unknown). Returns MLVPC_OK or fills err (located). */
mlvpc_status cfn_load(mlvpc_model *m, const tnode *root, uint32_t file, uint32_t region, uint32_t account,
                      mlvpc_diag *err);

#endif
