/*
 * Decisions of single components over boxes of packets (see hdr.h).
 *
 * Each function splits its input box into disjoint pieces and says, for
 * each piece, what the component does with it and which rule or route
 * decided. For one packet the result is one piece. A piece is UNKNOWN when
 * the model lacks something the decision needs (a prefix list whose entries
 * were not collected); its `why` names it. Functions return 0, or -1 when
 * out of memory.
 */
#ifndef MLVPC_DECIDE_H
#define MLVPC_DECIDE_H

#include "hdr.h"

typedef enum verdict { V_DENY = 0, V_ALLOW, V_UNKNOWN } verdict;

typedef struct piece {
    hbox box;
    verdict v;
    uint32_t owner; /* SG: index of the security group whose rule decided; MV_NONE otherwise */
    uint32_t rule;  /* SG rule / NACL entry / route index in its owner; MV_NONE: nothing matched */
    uint32_t why;   /* UNKNOWN: symbol of what is missing (e.g. a prefix list id) */
} piece;

typedef struct pieces {
    piece *v;
    uint32_t n, cap;
} pieces;

void pieces_release(pieces *p);
void pieces_clear(pieces *p);

/*
 * The other end of a packet as a security group sees it, for rules that
 * reference security groups: those match only when the peer address is a
 * private IP of an ENI that has the group [VPC-UG:security-group-rules].
 * `sgs` are the peer ENI's groups; NULL/0 when the peer is not an ENI of
 * the model or its address was translated (NAT, IGW).
 */
typedef struct sg_peer {
    const mv_ref *sgs;
    uint32_t nsgs;
    uint32_t in_pl; /* symbol of a prefix list known to hold the peer's address (its entries
                     * may be unknown: a template's AWS-managed list), 0 = none */
    bool not_aws;   /* the peer's address is no AWS service's (so in no AWS-managed list) */
} sg_peer;

/*
 * Security groups of one ENI (the union of their rules), direction
 * `egress` (the peer is the destination) or ingress (the peer is the
 * source). Pieces: ALLOW with the first allowing rule, DENY with rule
 * MV_NONE ("no rule matches", RA's ENI_SG_RULES_MISMATCH).
 */
int sg_decide(const mlvpc_model *m, const mv_ref *sgs, uint32_t nsgs, bool egress, const sg_peer *peer,
              const hbox *in, pieces *out);

/*
 * A network ACL, one direction: entries in rule-number order, the first
 * that matches decides; packets no entry matches are denied (rule MV_NONE:
 * the implicit "*"). For ingress the entry's CIDR is the source, for
 * egress the destination.
 */
int nacl_decide(const mlvpc_model *m, const mv_nacl *n, bool egress, const hbox *in, pieces *out);

/*
 * Route table lookup by destination: longest prefix first; on equal
 * prefixes a static CIDR route beats a prefix-list route, which beats a
 * propagated route [VPC-UG:route-tables-priority]. Prefix-list routes
 * count as one route per entry. Pieces: ALLOW with the route index, DENY
 * with MV_NONE where no route applies, UNKNOWN where a prefix list's
 * entries are not in the model. Blackhole routes still win the lookup
 * (the caller drops the packet with BAD_STATE_ROUTE).
 */
int route_decide(const mlvpc_model *m, const mv_rtb *t, const hbox *in, pieces *out);
/* The same, knowing that the destination is no AWS service's address (a
 * private address, or the representative internet address): routes to an
 * AWS-managed prefix list whose entries are unknown cannot apply. */
int route_decide_ex(const mlvpc_model *m, const mv_rtb *t, const hbox *in, pieces *out, bool dst_not_aws);
/* ... and knowing that the destination (a point) is in prefix list `in_pl`
 * (a symbol, 0 = none) whose entries are unknown: its routes apply, as the
 * most specific. */
int route_decide_pl(const mlvpc_model *m, const mv_rtb *t, const hbox *in, pieces *out, bool dst_not_aws, uint32_t in_pl);

#endif
