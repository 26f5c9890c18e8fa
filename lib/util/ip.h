/*
 * IPv4/IPv6 addresses and prefixes. Addresses are kept in network byte
 * order in 16 bytes; IPv4 uses the first 4. Prefixes keep their host bits
 * masked off, so two spellings of one network compare equal.
 */
#ifndef MLVPC_IP_H
#define MLVPC_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { IP_V4 = 4, IP_V6 = 6 };

typedef struct ip_addr {
    uint8_t af; /* 0 = none, IP_V4, IP_V6 */
    uint8_t b[16];
} ip_addr;

typedef struct ip_prefix {
    ip_addr a;
    uint8_t len; /* 0..32 or 0..128 */
} ip_prefix;

/* Parse a literal address; false when s is not one. */
bool ip_parse_addr(const char *s, ip_addr *out);
/* Parse "addr/len"; false when malformed. Host bits are cleared. */
bool ip_parse_prefix(const char *s, ip_prefix *out);
/* True when `a` lies inside `p` (same family). */
bool ip_prefix_contains(const ip_prefix *p, const ip_addr *a);
/* True when p's network contains q's network entirely. */
bool ip_prefix_covers(const ip_prefix *p, const ip_prefix *q);
/* Text form into buf (at least IP_STR_MAX bytes). Returns buf. */
#define IP_STR_MAX 52
char *ip_addr_str(const ip_addr *a, char *buf);
char *ip_prefix_str(const ip_prefix *p, char *buf);
/* The default route of the family: 0.0.0.0/0 or ::/0. */
static inline bool ip_prefix_is_default(const ip_prefix *p) { return p->a.af && p->len == 0; }

#endif
