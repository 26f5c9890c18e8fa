/*
 * The model builder shared by the interpreted inputs (CloudFormation,
 * Terraform). Those inputs state a network in pieces: a route here, an SG
 * rule or an association there, in any order, naming objects that may be
 * declared later. The builder collects the pieces as items keyed by the
 * symbol of the object they belong to and, once every resource is read,
 * assembles them (mb_finish): local routes first, routes and associations per
 * table, SG rules ingress then egress, NACL entries by direction and number
 * with the final "*" deny, gateway attachments, DHCP associations.
 *
 * It also adds what AWS creates with every VPC and no input states
 * (mb_implied_vpc): the main route table, the default network ACL (allow
 * all) and the default security group with its stock rules.
 *
 * Errors: mb_fail records the first error (located) and sets `failed`; every
 * later call is then a no-op as far as the caller can tell. Warnings go to
 * the model's diagnostics.
 */
#ifndef MLVPC_BUILD_H
#define MLVPC_BUILD_H

#include "tree.h"
#include "../model/model.h"
#include "../util/vec.h"

/* One piece of a network object, applied by mb_finish. */
typedef struct mb_item {
    uint32_t target; /* symbol of the object the item belongs to */
    uint32_t other;  /* a second symbol (subnet, VPC, ...) */
    bool stock;      /* a default SG's stock rule (removed by MB_SG_STRIP) */
    bool readback;   /* read back from existing infrastructure, not declared: an
                        MB_UNDO item of the same object removes it */
    const tnode *at; /* where the input states it */
    ip_prefix cidr;  /* MB_VPC_CIDR */
    uint32_t seq;    /* push order (set by mb_push): items of one target keep it */
    union {
        mv_route route;
        mv_sg_rule rule;
        mv_nacl_entry entry;
    } u;
} mb_item;

enum {
    MB_ROUTE,       /* u.route into table `target` */
    MB_RTB_ASSOC,   /* subnet `other` uses table `target` */
    MB_MAIN_RTB,    /* table `target` becomes the main table of VPC `other` */
    MB_SG_RULE,     /* u.rule into group `target` */
    MB_SG_STRIP,    /* group `target` loses its stock rules */
    MB_NACL_ENTRY,  /* u.entry into ACL `target` */
    MB_NACL_OWNED,  /* default ACL `target` gets exactly the entries given (none: deny all) */
    MB_NACL_ASSOC,  /* subnet `other` uses ACL `target` */
    MB_IGW_ATTACH,  /* gateway `target` attached to VPC `other` */
    MB_DHCP_ASSOC,  /* VPC `target` uses options `other` */
    MB_INCOMPLETE,  /* SG or NACL `target` has a rule or entry the input does not give fully */
    MB_VPC_CIDR,    /* VPC `target` has the additional block `cidr` */
    MB_SG_UNDO,     /* u.rule is being removed from group `target` (a deleted rule resource) */
    MB_ROUTE_UNDO,  /* u.route is being removed from table `target` */
    MB_NACL_UNDO,   /* u.entry is being removed from ACL `target` */
    MB_COUNT
};

typedef struct mbuild {
    mlvpc_model *m;
    uint32_t file, region, account; /* symbols; 0 = unknown */
    const char *source;             /* "template", "plan", ...: the word messages use */
    mlvpc_diag *err;
    bool failed;
    vec items[MB_COUNT]; /* mb_item */
    vec made[MK_COUNT];  /* uint32_t: indices of the objects this input added */
} mbuild;

void mb_fail(mbuild *b, const tnode *at, mlvpc_status st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void mb_warn(mbuild *b, const tnode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* s copied into the model's arena (NULL for NULL; fails the build on OOM). */
const char *mb_dup(mbuild *b, const char *s);
/* The array a[0..n) of elements of `size` bytes followed by add[0..k), a
 * new copy in the model's arena (a itself when k is 0; the old copy stays
 * in the arena); NULL, and the build failed, when memory is short. */
void *mb_append(mbuild *b, const void *a, uint32_t n, const void *add, uint32_t k, size_t size);
/* The interned symbol of s (0 for NULL) and the text of a symbol ("?" for 0). */
uint32_t mb_sym(mbuild *b, const char *s);
const char *mb_str(const mbuild *b, uint32_t sym);

/* Add object `id` of kind k stated at `at`: a zeroed record with its
 * location, region and account filled, or NULL (warned) for a duplicate id.
 * The pointer is valid until the next add of the same kind. */
void *mb_add(mbuild *b, mv_kind k, const char *id, const tnode *at);

void mb_push(mbuild *b, int kind, const mb_item *it);

/* The SG or NACL `id` has a rule or entry described by `what` that the input
 * does not give fully: warned, and the object marked incomplete. */
void mb_incomplete(mbuild *b, const char *id, const tnode *at, const char *what);

/* An SG rule allowing all IPv4 traffic out, for group `id`. */
void mb_allow_all_egress(mbuild *b, const char *id, bool stock);

/* What AWS creates with VPC number vidx (an index into the model): its main
 * route table, default network ACL and default SG, under the given ids. */
void mb_implied_vpc(mbuild *b, uint32_t vidx, const char *main_rtb, const char *default_nacl, const char *default_sg);

/* What deploying endpoint `id` (already added, its fields set) creates:
 * for an interface endpoint a network interface in each subnet ("ID.EniN",
 * its address the subnet's to choose); for a gateway endpoint its service's
 * prefix-list route in each of its tables (the AWS-managed list, named after
 * the service unless the input knows its id `pl`, its entries unknown). An
 * absent policy becomes AWS's full-access default. */
void mb_vpce_parts(mbuild *b, const char *id, const char *pl, const tnode *at);

/* Assemble the items into the objects this input added. Items naming an
 * object the input does not add are warned about, not dropped silently. */
void mb_finish(mbuild *b);

void mb_release(mbuild *b);

#endif
