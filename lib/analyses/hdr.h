/*
 * Sets of packet headers as boxes: one closed interval per header field.
 *
 * Every component of the forwarding pipeline (security group, network ACL,
 * route table, gateway, endpoint) is written once as a function from a box
 * to the parts of it that the component allows, denies or sends somewhere,
 * each with the rule or route that decided. A single packet is a box whose
 * intervals are points, so `mlvpc reach` for one packet and the all-packets
 * questions ("which workloads can reach the internet at all") share the
 * same code.
 *
 * Field conventions (they make rule boxes and packet boxes compose):
 *  - addresses are 128-bit integers; IPv4 uses the low 32 bits. A box has
 *    one address family.
 *  - ports are only meaningful for TCP and UDP; a packet of another
 *    protocol carries ports 0. A rule that does not look at ports (all
 *    protocols, ICMP, protocol 50, ...) has full port ranges.
 *  - ICMP type and code are only meaningful for ICMP and ICMPv6; other
 *    packets carry 0 and rules that do not look at them have full ranges.
 */
#ifndef MLVPC_HDR_H
#define MLVPC_HDR_H

#include <stdbool.h>
#include <stdint.h>

#include "../model/model.h"

typedef unsigned __int128 u128;

typedef struct hbox {
    uint8_t af; /* IP_V4 or IP_V6 */
    u128 src_lo, src_hi, dst_lo, dst_hi;
    uint16_t proto_lo, proto_hi; /* 0..255 */
    uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
    uint16_t type_lo, type_hi, code_lo, code_hi; /* 0..255 */
} hbox;

/* The whole header space of a family. */
hbox hbox_all(uint8_t af);
/* One packet. Ports and ICMP fields are normalised for the protocol. */
hbox hbox_packet(const ip_addr *src, const ip_addr *dst, int proto, uint16_t sport, uint16_t dport,
                 uint8_t icmp_type, uint8_t icmp_code);

/* Address <-> integer, and a prefix as an interval. */
u128 ip_to_u128(const ip_addr *a);
ip_addr u128_to_ip(u128 v, uint8_t af);
void prefix_range(const ip_prefix *p, u128 *lo, u128 *hi);

/* Intersection; false when empty. */
bool hbox_intersect(const hbox *a, const hbox *b, hbox *out);
/* a minus b as at most HBOX_SPLIT_MAX disjoint boxes; returns their number. */
enum { HBOX_SPLIT_MAX = 14 };
int hbox_subtract(const hbox *a, const hbox *b, hbox out[HBOX_SPLIT_MAX]);
bool hbox_is_point(const hbox *b);
bool hbox_equal(const hbox *a, const hbox *b);

/*
 * The box of packets that an SG rule or NACL entry's protocol/port/ICMP
 * part matches (addresses unconstrained). A rule for protocol -1 matches
 * every protocol; ports only constrain TCP/UDP rules, ICMP type and code
 * only ICMP/ICMPv6 rules (mv_match is normalised that way at load).
 */
hbox hbox_of_match(const mv_match *m, uint8_t af);

/* Constrain the source or destination addresses of b to prefix p
 * (of b's family); false when empty. */
bool hbox_restrict_src(hbox *b, const ip_prefix *p);
bool hbox_restrict_dst(hbox *b, const ip_prefix *p);

#endif
