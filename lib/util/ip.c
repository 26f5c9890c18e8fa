#include "ip.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

bool ip_parse_addr(const char *s, ip_addr *out)
{
    memset(out, 0, sizeof *out);
    if (strchr(s, ':')) {
        if (inet_pton(AF_INET6, s, out->b) != 1)
            return false;
        out->af = IP_V6;
    } else {
        if (inet_pton(AF_INET, s, out->b) != 1)
            return false;
        out->af = IP_V4;
    }
    return true;
}

static void mask_host_bits(ip_prefix *p)
{
    unsigned bits = p->a.af == IP_V4 ? 32 : 128;
    for (unsigned i = p->len; i < bits; i++)
        p->a.b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
}

bool ip_parse_prefix(const char *s, ip_prefix *out)
{
    const char *slash = strchr(s, '/');
    char buf[64];
    memset(out, 0, sizeof *out);
    if (!slash || (size_t)(slash - s) >= sizeof buf)
        return false;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    if (!ip_parse_addr(buf, &out->a))
        return false;
    unsigned max = out->a.af == IP_V4 ? 32 : 128, len = 0;
    const char *d = slash + 1;
    if (!*d || strlen(d) > 3)
        return false;
    for (; *d; d++) {
        if (*d < '0' || *d > '9')
            return false;
        len = len * 10 + (unsigned)(*d - '0');
    }
    if (len > max)
        return false;
    out->len = (uint8_t)len;
    mask_host_bits(out);
    return true;
}

bool ip_prefix_contains(const ip_prefix *p, const ip_addr *a)
{
    if (p->a.af != a->af)
        return false;
    unsigned full = p->len / 8, rest = p->len % 8;
    if (memcmp(p->a.b, a->b, full) != 0)
        return false;
    if (rest) {
        uint8_t m = (uint8_t)(0xFFu << (8 - rest));
        return (p->a.b[full] & m) == (a->b[full] & m);
    }
    return true;
}

bool ip_prefix_covers(const ip_prefix *p, const ip_prefix *q)
{
    return p->len <= q->len && ip_prefix_contains(p, &q->a);
}

char *ip_addr_str(const ip_addr *a, char *buf)
{
    if (!a->af || !inet_ntop(a->af == IP_V4 ? AF_INET : AF_INET6, a->b, buf, IP_STR_MAX))
        strcpy(buf, "?");
    return buf;
}

char *ip_prefix_str(const ip_prefix *p, char *buf)
{
    ip_addr_str(&p->a, buf);
    size_t n = strlen(buf);
    snprintf(buf + n, IP_STR_MAX - n, "/%u", p->len);
    return buf;
}
