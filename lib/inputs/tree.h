/*
 * A located document tree, for inputs read as a whole and interpreted
 * (CloudFormation templates, later Terraform): built from the JSON reader's
 * tape or from a libyaml document, so that one interpreter serves both
 * syntaxes and every node keeps its 1-based line and column.
 *
 * YAML specifics are settled here: plain scalars true/false (any case),
 * null/~ and numbers get their JSON types, quoted scalars stay strings, and
 * CloudFormation's short-form tags become the long form (`!Ref X` is
 * {"Ref": X}, `!GetAtt A.B` is {"Fn::GetAtt": "A.B"}, `!Sub s` is
 * {"Fn::Sub": s}, `!Condition C` is {"Condition": C}, ...).
 */
#ifndef MLVPC_TREE_H
#define MLVPC_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlvpc/mlvpc.h"
#include "../util/arena.h"

typedef enum tn_type { TN_NULL = 0, TN_BOOL, TN_NUM, TN_STR, TN_ARR, TN_OBJ } tn_type;

typedef struct tnode tnode;
struct tnode {
    tn_type type;
    bool truth;        /* TN_BOOL */
    unsigned line, col;
    const char *str;   /* TN_STR: the text; TN_NUM: its literal text */
    uint32_t n;        /* TN_ARR, TN_OBJ: members */
    tnode **kids;      /* values */
    const char **keys; /* TN_OBJ: keys, parallel to kids */
    uint32_t *khash;   /* TN_OBJ: tn_keyhash of each key (lookups compare these first) */
};

/* A cheap digest of a key: its length and three of its bytes. */
static inline uint32_t tn_keyhash(const char *k, size_t len)
{
    return len ? (uint32_t)len << 24 ^ (uint32_t)(unsigned char)k[0] ^ (uint32_t)(unsigned char)k[len - 1] << 8 ^
                     (uint32_t)(unsigned char)k[len / 2] << 16
               : 0;
}

enum { TREE_MAX_DEPTH = 128 };

/* Parse buf[0..len) as YAML. Nodes live in ar. NULL with err filled
 * (file = name) on a syntax error, too deep nesting, or out of memory.
 * (JSON documents come from the JSON reader: tree_from_jdoc.) */
tnode *tree_yaml(arena *ar, const char *name, const char *buf, size_t len, mlvpc_diag *err);

/* The tree of a document the JSON reader has parsed (its strings copied).
 * Object members named in `skip` (NULL-terminated; NULL for none) are not
 * built: they read as null. */
struct jdoc;
tnode *tree_from_jdoc(arena *ar, const struct jdoc *d, const char *const *skip);

/* Member `key` of an object, or NULL. */
const tnode *tn_get(const tnode *obj, const char *key);

#endif
