/*
 * libFuzzer target for audit waiver files (lib/inputs/waivers.c): the input
 * is one file's text, read as JSON when it starts with '{' or '[' and as
 * YAML (libyaml) otherwise. A successful parse must give waivers with a
 * rule, a resource and a reason, and an expiry that is NULL or ten
 * characters (YYYY-MM-DD); a failed one must say where (file name set) and
 * why. The arena is released (LeakSanitizer checks libyaml's objects too).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inputs/waivers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    arena ar;
    arena_init(&ar);
    waiver *w;
    uint32_t n;
    mlvpc_diag err;
    mlvpc_status st = waivers_parse("fuzz.yaml", buf, size, &ar, &w, &n, &err);
    if (st == MLVPC_OK) {
        for (uint32_t i = 0; i < n; i++)
            if (!w[i].rule || !*w[i].rule || !w[i].resource || !*w[i].resource || !w[i].reason || !*w[i].reason ||
                (w[i].expires && strlen(w[i].expires) != 10))
                abort();
    } else if (st != MLVPC_ERR_NOMEM && (strcmp(err.file, "fuzz.yaml") != 0 || !err.text[0])) {
        abort();
    }
    arena_release(&ar);
    free(buf);
    return 0;
}
