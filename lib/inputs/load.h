/*
 * Shared machinery of the JSON loaders: a load context that knows the file,
 * the parsed document and the model, typed field getters that turn wrong
 * types into located errors, and copies of input text into the model.
 *
 * Getters never fail silently: a present field of the wrong type sets the
 * context's error (the first one wins) and returns "absent", so callers can
 * read every field and check L->failed once per resource.
 */
#ifndef MLVPC_LOAD_H
#define MLVPC_LOAD_H

#include "../model/model.h"
#include "json.h"

typedef struct ld {
    mlvpc_model *m;
    jdoc *d;
    uint32_t file;          /* model file index */
    const char *path;
    uint32_t account, region; /* defaults from the layout or options (symbols) */
    mlvpc_diag *err;
    bool failed;
    mlvpc_status st;
    /* While streaming, tokens before the current element are gone: paths
     * of tokens from base_tok on start at "$.<base_key>[base_index]". */
    uint32_t base_tok, base_key, base_index;
    uint32_t streamed; /* bit i: the i-th EC2 list key was loaded by streaming */
} ld;

/* Record the first error: located at token tok (its line, column, JSON path). */
void ld_fail(ld *L, uint32_t tok, mlvpc_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ld_warn(ld *L, uint32_t tok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* JSON path ("$.Subnets[2].CidrBlock") of token tok, descending from token
 * `from` whose own path is `prefix` ("$" for the root, 0). */
void ld_path(const jdoc *d, uint32_t from, const char *prefix, uint32_t tok, char *buf, size_t size);

/* Member `key` of obj when it has type `type` (null counts as absent), else 0. */
uint32_t ld_field(ld *L, uint32_t obj, const char *key, int type);
uint32_t ld_sym(ld *L, uint32_t obj, const char *key);          /* interned string or 0 */
uint32_t ld_req_sym(ld *L, uint32_t obj, const char *key);      /* error when missing */
const char *ld_str(ld *L, uint32_t obj, const char *key);       /* arena copy or NULL */
mv_tri ld_tri(ld *L, uint32_t obj, const char *key);
bool ld_int(ld *L, uint32_t obj, const char *key, int64_t *out); /* false when absent */
/* A prefix field; false when absent; an unparsable one is an error. */
bool ld_prefix(ld *L, uint32_t obj, const char *key, ip_prefix *out);
bool ld_addr(ld *L, uint32_t obj, const char *key, ip_addr *out);
/* Symbol of a string token. */
uint32_t ld_tok_sym(ld *L, uint32_t tok);
const char *ld_tok_str(ld *L, uint32_t tok);

/* Array of id strings (e.g. "SubnetIds") into refs; count in *n. */
mv_ref *ld_id_list(ld *L, uint32_t obj, const char *key, uint32_t *n);
/* Array of objects whose member `idkey` is an id (e.g. Groups[].GroupId). */
mv_ref *ld_obj_id_list(ld *L, uint32_t obj, const char *key, const char *idkey, uint32_t *n);

/*
 * Start a resource of kind k from object obj whose id is member `idkey`
 * (prefix: text put before the id, e.g. "notebook:"). Fills the header (id,
 * location, account, region, tags from "Tags" or "TagSet"). Returns the
 * index, or MV_NONE when the resource is skipped (duplicate: warned) or on
 * error (L->failed).
 */
uint32_t ld_start(ld *L, mv_kind k, uint32_t obj, const char *idkey, const char *prefix);
/* Same, with an id symbol the caller computed. */
/* The "Tags" (or "TagSet") list of obj into r (tags, ntags, name). */
void ld_tags(ld *L, mv_res *r, uint32_t obj);
uint32_t ld_start_sym(ld *L, mv_kind k, uint32_t obj, uint32_t id, uint32_t idtok);

/* Account and region from an ARN "arn:aws:svc:REGION:ACCOUNT:..." into res. */
void ld_arn(ld *L, mv_res *r, const char *arn);

#define LD_ARR_FOR(L, arr, i, k)                                                 \
    for (uint32_t k = 0, i = (arr) + 1; (arr) && k < (L)->d->t[(arr)].count;      \
         k++, i = json_next((L)->d, i))

/* Loaders of AWS CLI describe outputs (awscli.c). awscli_load_doc returns 1
 * when the document was recognised, 0 when not (skipped), and sets L->failed
 * on error. awscli_stream_elem is the json_parse_stream callback (ctx = L)
 * that loads elements of EC2 describe lists as they are parsed. */
int awscli_load_doc(ld *L);
int awscli_stream_elem(void *ctx, jdoc *d, uint32_t key, uint32_t elem, uint32_t index);

/*
 * Load one JSON document held in memory as if read from `path` (whose
 * directories give account and region). buf[size] must be writable: the
 * text is modified in place. Used by mlvpc_model_load and the fuzzers.
 */
mlvpc_status inputs_load_buffer(mlvpc_model *m, const char *path, char *buf, size_t size,
                                const mlvpc_load_opts *opts, mlvpc_diag *err);

#endif
