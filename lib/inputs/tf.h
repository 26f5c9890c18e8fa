/*
 * Terraform into the model: `terraform show -json` of a plan or of a state,
 * a raw state file (terraform.tfstate, version 4), and JSON configuration
 * (*.tf.json, as `cdktf synth` writes it).
 *
 * Resources keep their instance addresses as ids ("aws_subnet.private[0]",
 * "module.vpc.aws_vpc.this") unless the input knows the AWS id (a state, or
 * a plan of existing resources), which is then the id. SageMaker resources
 * are keyed as everywhere else ("notebook:NAME", ...).
 *
 * Values unknown until apply (absent from `after`, true in `after_unknown`)
 * stay unknown in the model, except links: an unknown id is followed through
 * the plan's `configuration` expression references (through module outputs,
 * module input variables and count.index / each.key), and in a JSON
 * configuration through its "${...}" references. A reference that cannot be
 * followed leaves the link unknown, never guessed.
 *
 * The provider's semantics are modelled where they differ from AWS's: an
 * aws_security_group has no egress rule unless one is declared; the
 * aws_default_* resources take over the VPC's default objects and replace
 * their rules; provider defaults (enable_dns_hostnames false, private DNS of
 * endpoints false, direct_internet_access "Enabled", ...).
 */
#ifndef MLVPC_TF_H
#define MLVPC_TF_H

#include "tree.h"
#include "../model/model.h"

/* The members of a plan (parsed by the JSON reader) that tf_load never
 * reads, for tree_from_jdoc to leave out: about half of a plan's text
 * (sensitivity masks, prior state; planned values when resource
 * changes carry them). NULL when d is no plan. */
struct jdoc;
const char *const *tf_unread_keys(const struct jdoc *d);

/* Whether a parsed JSON document is one of the Terraform forms above. */
bool tf_is_terraform(const tnode *root);

/* Load it into m from file index `file`; region and account are symbols
 * (0 = unknown). Returns MLVPC_OK or fills err (located). */
mlvpc_status tf_load(mlvpc_model *m, const tnode *root, uint32_t file, uint32_t region, uint32_t account,
                     mlvpc_diag *err);

#endif
