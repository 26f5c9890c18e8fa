/* The flow-log record parser (lib/inputs/flowlog.c) against a plain
 * reference: split on spaces, numbers by an overflow-checked loop, IPv4 by
 * inet_pton. The parser converts eight and sixteen bytes at a time and
 * reads past a field's end; this compares the two on many generated lines,
 * valid and broken, with junk after each line, so that no shortcut of the
 * fast path changes a verdict or a value. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "inputs/flowlog.h"
#include "xorshift.h"

static uint64_t seed = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void) { return xorshift64(&seed); }

static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }

/* ------------------------------------------------------------ generated tokens */

static void digits(char *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        out[i] = (char)('0' + below(10));
    out[n] = '\0';
}

/* A number field: mostly valid, often near a bound, sometimes broken. */
static void gen_number(char *out, bool hard, unsigned max)
{
    static const char *const edge[] = {
        "0", "255", "256", "65535", "65536", "1125899906842623", "1125899906842624", "8589934588",
        "8589934589", "18446744073709551615", "18446744073709551616", "00000000000000000000007",
        "0000000000000000000065535", "99999999999999999999", "+1", "1a", "a1", "12.5", "-1", "--", "1-",
        "\xef\xbc\x91", "1/", ":", "9\t",
    };
    switch (hard ? below(6) : 5) {
    case 0: strcpy(out, "-"); break;
    case 1: strcpy(out, edge[below(sizeof edge / sizeof *edge)]); break;
    case 2: digits(out, 1 + below(22)); break;
    case 3: /* one digit replaced by a neighbour of '0' or '9' in ASCII */
        digits(out, 1 + below(12));
        out[below((unsigned)strlen(out))] = "/:@\x7f"[below(4)];
        break;
    default: snprintf(out, 32, "%u", below(max + 1)); break;
    }
}

/* IPv6 text of every shape: 0 to 8 groups around a "::" or none, groups of
 * 1 to 4 digits (sometimes 5) in either case, sometimes a dotted quad at
 * the end; when hard, now and then a character changed. */
static void gen_ipv6(char *out, bool hard)
{
    int groups = (int)below(9), gap = below(3) ? (int)below((unsigned)groups + 1) : -1, quad = below(6) == 0;
    int k = 0;
    for (int i = 0; i < groups; i++) {
        if (i == gap)
            k += sprintf(out + k, "::");
        else if (i > 0)
            out[k++] = ':';
        if (quad && i == groups - 1) {
            k += sprintf(out + k, "%u.%u.%u.%u", below(256), below(256), below(256), below(256));
        } else {
            unsigned digits = 1 + below(hard && !below(20) ? 5 : 4);
            for (unsigned d = 0; d < digits; d++)
                out[k++] = (below(3) ? "0123456789abcdef" : "0123456789ABCDEF")[below(16)];
        }
    }
    if (gap == groups)
        k += sprintf(out + k, "::");
    out[k] = '\0';
    if (hard && k && !below(8))
        out[below((unsigned)k)] = ":.g/ 0"[below(6)];
}

/* An address field: IPv4 mostly, IPv6 sometimes, broken forms of both. */
static void gen_addr(char *out, bool hard)
{
    static const char *const bad[] = {
        "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3.256",
        "1.2.3.4a", "a.b.c.d", "1.2.3.1000", "0.0.0.0", "255.255.255.255", "1234.1.1.1", "1.2.3.4/32",
        "::", "::1", "2600:1f18::1", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", ":::", "g::1",
        "2600:1f18:4001:ab::ffff", "fe80::1%eth0", "1.2.3.4:80", "-1", "--", "1:2",
    };
    switch (hard ? below(5) : 2 + below(3)) {
    case 0: strcpy(out, bad[below(sizeof bad / sizeof *bad)]); break;
    case 1: strcpy(out, "-"); break;
    case 2:
        if (below(2))
            snprintf(out, 48, "2600:1f18:%x:%x::%x", below(0x10000), below(0x100), below(0x10000));
        else
            gen_ipv6(out, hard);
        break;
    default: {
        /* four parts of 1-3 characters, now and then with a leading zero or past 255 */
        int k = 0;
        for (int i = 0; i < 4; i++) {
            unsigned v = !hard || below(8) ? below(256) : below(1000);
            k += snprintf(out + k, 8, !hard || below(30) ? "%u" : "0%u", v);
            if (i < 3)
                out[k++] = '.';
        }
        out[k] = '\0';
    }
    }
}

static void gen_word(char *out, const char *const *w, unsigned n) { strcpy(out, w[below(n)]); }


/* A default-format line of 14 tokens (sometimes not 14, or badly spaced). */
static void gen_line(char *line)
{
    static const char *const actions[] = { "ACCEPT", "REJECT", "-", "accept", "ACCEPTED", "REJEC" };
    static const char *const statuses[] = { "OK", "NODATA", "SKIPDATA", "-", "ok", "NODATA2" };
    char tok[14][64];
    bool hard = below(3) == 0; /* else every field is valid (spacing may not be) */
    gen_number(tok[0], hard, 9);
    snprintf(tok[1], 64, "%012u", below(1000000000));
    snprintf(tok[2], 64, below(20) ? "eni-%016x" : "-", below(0xFFFFFFFFu));
    gen_addr(tok[3], hard);
    gen_addr(tok[4], hard);
    static const unsigned max[] = { 65535, 65535, 255, 100000, 4000000000u, 2000000000, 2000000000 };
    for (int i = 5; i < 12; i++)
        gen_number(tok[i], hard, hard && below(2) ? max[i - 5] + 2 : max[i - 5]);
    gen_word(tok[12], actions, hard ? 6 : 3);
    gen_word(tok[13], statuses, hard ? 6 : 3);
    int n = 14, k = 0;
    if (!below(40))
        n = 13 + (int)below(3) * (below(2) ? 1 : 0); /* 13, 14 or 15 tokens */
    for (int i = 0; i < n; i++) {
        k += sprintf(line + k, "%s", tok[i % 14]);
        if (i + 1 < n)
            line[k++] = ' ';
        if (i + 1 < n && !below(200))
            line[k++] = ' '; /* an empty field */
    }
    if (!below(300)) /* far too many fields: more spaces than a 64-byte block holds columns for */
        for (unsigned extra = 50 + below(30); extra; extra--)
            k += sprintf(line + k, " -");
    if (!below(50))
        line[k++] = '\r';
    if (!below(200))
        line[k++] = ' ';
    line[k] = '\0';
}

/* ------------------------------------------------------------ the reference */

static bool ref_number(const char *s, uint64_t max, int64_t *v)
{
    if (strcmp(s, "-") == 0) {
        *v = -1;
        return true;
    }
    uint64_t x = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > (UINT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    if (x > max)
        return false;
    *v = (int64_t)x;
    return true;
}

static bool ref_addr(const char *s, ip_addr *a)
{
    memset(a, 0, sizeof *a);
    if (strcmp(s, "-") == 0)
        return true;
    if (strchr(s, ':'))
        return strlen(s) < 48 && ip_parse_addr(s, a) && a->af == IP_V6;
    struct in_addr in;
    if (inet_pton(AF_INET, s, &in) != 1)
        return false;
    a->af = IP_V4;
    memcpy(a->b, &in, 4);
    return true;
}

static fl_error ref_parse(char *line, fl_rec *r)
{
    memset(r, 0, sizeof *r);
    r->proto = -1, r->sport = r->dport = -1, r->start = r->end = -1;
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        line[--len] = '\0';
    char *tok[15];
    int n = 0;
    for (char *p = line;; n++) {
        char *sp = strchr(p, ' ');
        if (n == 14)
            return FL_E_COLUMNS;
        tok[n] = p;
        if (!sp)
            break;
        *sp = '\0';
        p = sp + 1;
    }
    if (n != 13)
        return FL_E_COLUMNS;
    static const uint64_t max[] = { 65535, 65535, 255, (1ull << 50) - 1, (1ull << 50) - 1, INT32_MAX * 4ull,
                                    INT32_MAX * 4ull };
    int64_t num[7];
    for (int i = 0; i < 14; i++) { /* in column order: the first bad field names the error */
        const char *t = tok[i];
        if (!*t)
            return FL_E_COLUMNS;
        if (i == 2 && strcmp(t, "-") != 0)
            r->eni.p = t, r->eni.n = (uint32_t)strlen(t);
        if ((i == 3 && !ref_addr(t, &r->src)) || (i == 4 && !ref_addr(t, &r->dst)))
            return FL_E_ADDRESS;
        if (i >= 5 && i <= 11 && !ref_number(t, max[i - 5], &num[i - 5]))
            return FL_E_NUMBER;
        if (i == 12 && strcmp(t, "ACCEPT") != 0 && strcmp(t, "REJECT") != 0 && strcmp(t, "-") != 0)
            return FL_E_ACTION;
        if (i == 13 && strcmp(t, "OK") != 0 && strcmp(t, "NODATA") != 0 && strcmp(t, "SKIPDATA") != 0)
            return FL_E_STATUS;
    }
    r->sport = (int32_t)num[0], r->dport = (int32_t)num[1], r->proto = (int16_t)num[2];
    r->packets = num[3] < 0 ? 0 : (uint64_t)num[3];
    r->bytes = num[4] < 0 ? 0 : (uint64_t)num[4];
    r->start = num[5], r->end = num[6];
    r->action = strcmp(tok[12], "ACCEPT") == 0 ? FL_ACCEPT : strcmp(tok[12], "REJECT") == 0 ? FL_REJECT : FL_ACT_NONE;
    r->status = strcmp(tok[13], "OK") == 0 ? FL_OK : strcmp(tok[13], "NODATA") == 0 ? FL_NODATA : FL_SKIPDATA;
    return FL_E_NONE;
}

/* Every line gets the reference's verdict and reason; a usable one, its
 * values. */
static void test_parser_matches_reference(void **state)
{
    (void)state;
    fl_format f;
    fl_default_format(&f);
    unsigned valid = 0;
    for (int i = 0; i < 200000; i++) {
        char line[1024], copy[1024];
        gen_line(line);
        strcpy(copy, line);
        size_t len = strlen(line);
        /* the fast parser may read FL_PAD bytes past the line: fill them with junk */
        static const char junk[] = "9.9.9.9 1234567890:: ACCEPT OK - 10.0.0.1 443 6 2 eni-0123 REJECT 7 1764150000 ";
        char padded[1024 + FL_PAD];
        memcpy(padded, line, len);
        _Static_assert(sizeof junk >= FL_PAD + 8, "junk for the whole padding");
        memcpy(padded + len, junk + below(8), FL_PAD);
        fl_rec got, want;
        fl_error e = fl_parse_padded(&f, padded, len, &got);
        fl_error w = ref_parse(copy, &want);
        if (e != w)
            fail_msg("line \"%s\": parser says %s, reference %s", line, fl_error_id(e), fl_error_id(w));
        if (e)
            continue;
        valid++;
        assert_int_equal(got.eni.n, want.eni.n);
        if (got.eni.n)
            assert_int_equal(got.eni.p - padded, want.eni.p - copy);
        assert_int_equal(got.status, want.status);
        assert_int_equal(got.action, want.action);
        assert_int_equal(got.proto, want.proto);
        assert_int_equal(got.sport, want.sport);
        assert_int_equal(got.dport, want.dport);
        assert_int_equal(got.packets, want.packets);
        assert_int_equal(got.bytes, want.bytes);
        assert_int_equal(got.start, want.start);
        assert_int_equal(got.end, want.end);
        assert_int_equal(got.src.af, want.src.af);
        assert_int_equal(got.dst.af, want.dst.af);
        if (got.src.af)
            assert_memory_equal(got.src.b, want.src.b, 16);
        if (got.dst.af)
            assert_memory_equal(got.dst.b, want.dst.b, 16);
    }
    /* the generator must give both kinds in numbers */
    if (valid < 50000 || valid > 190000)
        fail_msg("%u of 200000 lines usable: the generator needs both kinds", valid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parser_matches_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
