/*
 * libFuzzer target for CloudFormation templates: the YAML reader (libyaml to
 * the located tree, short-form tags), the JSON path through the tree, and
 * the template interpreter (intrinsics, conditions, implied resources); then
 * the resolver, `show` and the whole audit on the result.
 *
 * The first byte chooses the file name, and so the reader: even -> a .yaml
 * file (read as YAML unless it starts like JSON), odd -> a .json file.
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mlvpc_load_opts o = { .region = "us-east-1", .account = "111122223333" };
    if (size)
        fuzz_load_and_audit(data, size, data[0] & 1 ? "stack.template.json" : "stack.template.yaml", &o);
    return 0;
}
