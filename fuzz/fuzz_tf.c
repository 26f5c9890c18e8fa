/*
 * libFuzzer target for Terraform inputs: plan and state JSON (`terraform show
 * -json`), raw state files and JSON configuration (*.tf.json) through the
 * located tree, the instance tables, reference following (configuration
 * expressions, module outputs and variables, count/for_each keys, "${...}")
 * and the provider semantics; then the resolver, `show` and the whole audit.
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mlvpc_load_opts o = { .region = size && data[0] & 1 ? "us-east-1" : NULL, .account = "111122223333" };
    if (size)
        fuzz_load_and_audit(data, size, "main.tfplan.json", &o);
    return 0;
}
