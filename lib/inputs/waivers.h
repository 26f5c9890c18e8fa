/*
 * Audit waivers: a YAML or JSON file listing findings the team accepts.
 *
 *   - rule: SG-WORLD-INGRESS        # rule id, or "*"
 *     resource: "sg-0abc*"          # glob over the resource id (fnmatch)
 *     reason: "bastion, ticket SEC-12"   # required
 *     expires: 2027-03-31           # optional, YYYY-MM-DD, last day it holds
 *
 * The top level is that list, or a mapping whose "waivers" key holds it.
 * A file starting with '{' or '[' is read as JSON (RFC 8259), anything else
 * as YAML (libyaml). Every problem names the file, line and column.
 */
#ifndef MLVPC_WAIVERS_H
#define MLVPC_WAIVERS_H

#include <stdbool.h>
#include <stdint.h>

#include "mlvpc/mlvpc.h"
#include "../util/arena.h"

typedef struct waiver {
    const char *rule, *resource, *reason, *expires; /* expires NULL when absent */
    unsigned line, col;
    bool expired;  /* set by the audit */
    uint32_t used; /* findings it waived */
} waiver;

/* Strings and the array live in ar. Returns MLVPC_OK or fills err. */
mlvpc_status waivers_load(const char *path, arena *ar, waiver **out, uint32_t *n, mlvpc_diag *err);
/* The same from memory: buf[0..len) plus one writable byte (buf[len]); the
 * text is modified. `name` is the file name diagnostics give. */
mlvpc_status waivers_parse(const char *name, char *buf, size_t len, arena *ar, waiver **out, uint32_t *n,
                           mlvpc_diag *err);

#endif
