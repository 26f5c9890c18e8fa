#include "hdr.h"

#include <string.h>

static u128 family_max(uint8_t af) { return af == IP_V4 ? (u128)0xFFFFFFFFu : ~(u128)0; }

hbox hbox_all(uint8_t af)
{
    return (hbox){
        .af = af, .src_lo = 0, .src_hi = family_max(af), .dst_lo = 0, .dst_hi = family_max(af),
        .proto_lo = 0, .proto_hi = 255, .sport_lo = 0, .sport_hi = 65535, .dport_lo = 0, .dport_hi = 65535,
        .type_lo = 0, .type_hi = 255, .code_lo = 0, .code_hi = 255,
    };
}

u128 ip_to_u128(const ip_addr *a)
{
    u128 v = 0;
    int n = a->af == IP_V4 ? 4 : 16;
    for (int i = 0; i < n; i++)
        v = (v << 8) | a->b[i];
    return v;
}

ip_addr u128_to_ip(u128 v, uint8_t af)
{
    ip_addr a = { .af = af };
    int n = af == IP_V4 ? 4 : 16;
    for (int i = n - 1; i >= 0; i--) {
        a.b[i] = (uint8_t)v;
        v >>= 8;
    }
    return a;
}

void prefix_range(const ip_prefix *p, u128 *lo, u128 *hi)
{
    unsigned bits = p->a.af == IP_V4 ? 32 : 128;
    u128 base = ip_to_u128(&p->a);
    u128 host = p->len >= bits ? 0 : (p->len == 0 ? family_max(p->a.af) : (((u128)1 << (bits - p->len)) - 1));
    *lo = base & ~host;
    *hi = *lo | host;
}

static bool ports_apply(int proto) { return proto == MV_TCP || proto == MV_UDP; }
static bool icmp_applies(int proto) { return proto == MV_ICMP || proto == MV_ICMPV6; }

hbox hbox_packet(const ip_addr *src, const ip_addr *dst, int proto, uint16_t sport, uint16_t dport,
                 uint8_t icmp_type, uint8_t icmp_code)
{
    hbox b = { .af = src->af };
    b.src_lo = b.src_hi = ip_to_u128(src);
    b.dst_lo = b.dst_hi = ip_to_u128(dst);
    b.proto_lo = b.proto_hi = (uint16_t)proto;
    if (ports_apply(proto)) {
        b.sport_lo = b.sport_hi = sport;
        b.dport_lo = b.dport_hi = dport;
    }
    if (icmp_applies(proto)) {
        b.type_lo = b.type_hi = icmp_type;
        b.code_lo = b.code_hi = icmp_code;
    }
    return b;
}


bool hbox_intersect(const hbox *a, const hbox *b, hbox *out)
{
    if (a->af != b->af)
        return false;
    hbox r = { .af = a->af };
#define ISECT(f)                                                                  \
    do {                                                                          \
        r.f##_lo = a->f##_lo > b->f##_lo ? a->f##_lo : b->f##_lo;                 \
        r.f##_hi = a->f##_hi < b->f##_hi ? a->f##_hi : b->f##_hi;                 \
        if (r.f##_lo > r.f##_hi)                                                  \
            return false;                                                         \
    } while (0)
    ISECT(src);
    ISECT(dst);
    ISECT(proto);
    ISECT(sport);
    ISECT(dport);
    ISECT(type);
    ISECT(code);
#undef ISECT
    *out = r;
    return true;
}

/*
 * a - b: peel off, field by field, the parts of the remaining box below and
 * above b's interval; what is left after the last field is a ∩ b. The
 * pieces are disjoint by construction.
 */
int hbox_subtract(const hbox *a, const hbox *b, hbox out[HBOX_SPLIT_MAX])
{
    hbox inter;
    if (!hbox_intersect(a, b, &inter)) {
        out[0] = *a;
        return 1;
    }
    int n = 0;
    hbox rest = *a;
#define PEEL(f)                                                                   \
    do {                                                                          \
        if (rest.f##_lo < inter.f##_lo) {                                         \
            out[n] = rest;                                                        \
            out[n++].f##_hi = inter.f##_lo - 1;                                   \
        }                                                                         \
        if (rest.f##_hi > inter.f##_hi) {                                         \
            out[n] = rest;                                                        \
            out[n++].f##_lo = inter.f##_hi + 1;                                   \
        }                                                                         \
        rest.f##_lo = inter.f##_lo;                                               \
        rest.f##_hi = inter.f##_hi;                                               \
    } while (0)
    PEEL(src);
    PEEL(dst);
    PEEL(proto);
    PEEL(sport);
    PEEL(dport);
    PEEL(type);
    PEEL(code);
#undef PEEL
    return n;
}

bool hbox_is_point(const hbox *b)
{
    return b->src_lo == b->src_hi && b->dst_lo == b->dst_hi && b->proto_lo == b->proto_hi &&
           b->sport_lo == b->sport_hi && b->dport_lo == b->dport_hi && b->type_lo == b->type_hi &&
           b->code_lo == b->code_hi;
}

bool hbox_equal(const hbox *a, const hbox *b)
{
    return a->af == b->af && a->src_lo == b->src_lo && a->src_hi == b->src_hi && a->dst_lo == b->dst_lo &&
           a->dst_hi == b->dst_hi && a->proto_lo == b->proto_lo && a->proto_hi == b->proto_hi &&
           a->sport_lo == b->sport_lo && a->sport_hi == b->sport_hi && a->dport_lo == b->dport_lo &&
           a->dport_hi == b->dport_hi && a->type_lo == b->type_lo && a->type_hi == b->type_hi &&
           a->code_lo == b->code_lo && a->code_hi == b->code_hi;
}

hbox hbox_of_match(const mv_match *m, uint8_t af)
{
    hbox b = hbox_all(af);
    if (m->proto == MV_PROTO_ALL)
        return b;
    b.proto_lo = b.proto_hi = (uint16_t)m->proto;
    if (ports_apply(m->proto)) {
        b.dport_lo = m->port_lo;
        b.dport_hi = m->port_hi;
    }
    if (icmp_applies(m->proto)) {
        if (m->icmp_type >= 0)
            b.type_lo = b.type_hi = (uint16_t)m->icmp_type;
        if (m->icmp_code >= 0)
            b.code_lo = b.code_hi = (uint16_t)m->icmp_code;
    }
    return b;
}

static bool restrict_range(u128 *lo, u128 *hi, const ip_prefix *p)
{
    u128 plo, phi;
    prefix_range(p, &plo, &phi);
    if (plo > *lo)
        *lo = plo;
    if (phi < *hi)
        *hi = phi;
    return *lo <= *hi;
}

bool hbox_restrict_src(hbox *b, const ip_prefix *p)
{
    return p->a.af == b->af && restrict_range(&b->src_lo, &b->src_hi, p);
}

bool hbox_restrict_dst(hbox *b, const ip_prefix *p)
{
    return p->a.af == b->af && restrict_range(&b->dst_lo, &b->dst_hi, p);
}
