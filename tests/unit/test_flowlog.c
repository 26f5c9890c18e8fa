/* Unit tests of flow-log records (lib/inputs/flowlog.c) and the counter
 * tables the aggregation uses (lib/util/fmap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyses/flows.h"
#include "inputs/flowlog.h"
#include "util/fmap.h"
#include "util/ip.h"
#include "xorshift.h"

static fl_error parse(const fl_format *f, const char *line, fl_rec *r) { return fl_parse(f, line, strlen(line), r); }

static void test_default_records(void **state)
{
    (void)state;
    fl_format f;
    fl_rec r;
    fl_default_format(&f);
    assert_int_equal(f.ncols, 14);
    assert_int_equal(parse(&f, "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
                               "1418530010 1418530070 ACCEPT OK", &r), FL_E_NONE);
    assert_int_equal(r.status, FL_OK);
    assert_int_equal(r.action, FL_ACCEPT);
    assert_int_equal(r.src.af, IP_V4);
    assert_memory_equal(r.src.b, "\xac\x1f\x10\x8b", 4);
    assert_int_equal(r.dport, 22);
    assert_int_equal(r.proto, 6);
    assert_true(r.packets && r.bytes);
    assert_int_equal(r.packets, 20);
    assert_int_equal(r.bytes, 4249);
    assert_int_equal(r.start, 1418530010);
    assert_int_equal(r.end, 1418530070);
    assert_int_equal(r.eni.n, 21);
    assert_memory_equal(r.eni.p, "eni-1235b8ca123456789", 21);
    /* NODATA / SKIPDATA: "-" in every per-flow field */
    assert_int_equal(parse(&f, "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA", &r),
                     FL_E_NONE);
    assert_int_equal(r.status, FL_NODATA);
    assert_int_equal(r.src.af, 0);
    assert_int_equal(r.dport, -1);
    assert_int_equal(r.proto, -1);
    assert_int_equal(r.bytes, 0);
    assert_int_equal(r.action, FL_ACT_NONE);
    assert_int_equal(parse(&f, "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA", &r),
                     FL_E_NONE);
    assert_int_equal(r.status, FL_SKIPDATA);
    /* IPv6, CRLF */
    assert_int_equal(parse(&f, "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 "
                               "2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 REJECT OK\r",
                           &r), FL_E_NONE);
    assert_int_equal(r.src.af, IP_V6);
    assert_int_equal(r.action, FL_REJECT);
    /* account-id "unknown" (service-owned interfaces) is text */
    assert_int_equal(parse(&f, "2 unknown eni-1 10.0.0.1 10.0.0.2 1 2 17 1 1 1 2 ACCEPT OK", &r), FL_E_NONE);
    /* a bad srcport */
    assert_int_equal(parse(&f, "2 1 eni-1 10.0.0.1 10.0.0.2 x 2 17 1 1 1 2 ACCEPT OK", &r), FL_E_NUMBER);
}

static void test_bad_records(void **state)
{
    (void)state;
    fl_format f;
    fl_rec r;
    fl_default_format(&f);
    static const struct { const char *line; fl_error e; } bad[] = {
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT", FL_E_COLUMNS },      /* one short */
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK x", FL_E_COLUMNS }, /* one more */
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK ", FL_E_COLUMNS },  /* a trailing space */
        { "2 1 eni-1 10.0.0.1  10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_COLUMNS },  /* two spaces */
        { "", FL_E_COLUMNS },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 65536 6 1 1 1 2 ACCEPT OK", FL_E_NUMBER }, /* port out of range */
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 256 1 1 1 2 ACCEPT OK", FL_E_NUMBER },   /* protocol out of range */
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 x 1 1 2 ACCEPT OK", FL_E_NUMBER },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 -5 1 2 ACCEPT OK", FL_E_NUMBER },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 99999999999999999999999 1 2 ACCEPT OK", FL_E_NUMBER },
        { "2 1 eni-1 10.0.0.256 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.0.0 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.0.0.01 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.0.0.1 2001:db8::zz 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 accept OK", FL_E_ACTION },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT ok", FL_E_STATUS },
        /* the eight-at-a-time conversions: a bad digit in each eight-byte part */
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1125899906842624 1 2 ACCEPT OK", FL_E_NUMBER }, /* 2^50 */
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1234567:9 1 2 ACCEPT OK", FL_E_NUMBER },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 12345678/ 1 2 ACCEPT OK", FL_E_NUMBER },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 17641500a1 ACCEPT OK", FL_E_NUMBER },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 \xff" "7641500 ACCEPT OK", FL_E_NUMBER },
        { "2 1 eni-1 256.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 1.2.3.4.5 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 1..2.3 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 .1.2.3 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 1.2.3. 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 1.2.3.1000 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 1.2.3.a 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        /* the same, long enough to pass the length check (7 to 15 characters) */
        { "2 1 eni-1 10..20.30 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 .10.20.30 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.20.30. 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.20.30.40. 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.20.30..4 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.200.3000 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.20.30.040 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.20.30.256 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.20.30.4\t 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS },
        { "2 1 eni-1 10.20.30.40.5 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK", FL_E_ADDRESS }, /* four dots */
        /* words compared whole: the last character counts */
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPX OK", FL_E_ACTION },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 REJECX OK", FL_E_ACTION },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OX", FL_E_STATUS },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT NODATX", FL_E_STATUS },
        { "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT SKIPDATX", FL_E_STATUS },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fl_error e = parse(&f, bad[i].line, &r);
        if (e != bad[i].e)
            fail_msg("\"%s\": got %s, expected %s", bad[i].line, fl_error_name(e), fl_error_name(bad[i].e));
    }
    /* a number past its bound is not stored */
    assert_int_equal(parse(&f, "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 99999999999 2 ACCEPT OK", &r), FL_E_NUMBER);
    assert_true(r.start == -1);
}

/* Numbers of every length the eight-byte conversion splits differently,
 * and addresses at the edges, against their values. */
static void test_conversions(void **state)
{
    (void)state;
    fl_format f;
    fl_rec r;
    fl_default_format(&f);
    static const struct { const char *bytes; uint64_t v; } nums[] = {
        { "0", 0 }, { "7", 7 }, { "12345678", 12345678 }, { "123456789", 123456789 },
        { "1000000000000001", 1000000000000001 }, { "1125899906842623", 1125899906842623 },
        { "00000000000000000000000042", 42 }, /* leading zeros, any number of them */
    };
    char line[256];
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        snprintf(line, sizeof line, "2 1 eni-1 255.255.255.255 0.0.0.0 65535 0 255 1 %s 1764150001 1764150061 ACCEPT OK",
                 nums[i].bytes);
        assert_int_equal(parse(&f, line, &r), FL_E_NONE);
        assert_int_equal(r.bytes, nums[i].v);
        assert_int_equal(r.start, 1764150001);
        assert_int_equal(r.sport, 65535);
        assert_int_equal(r.dport, 0);
        assert_int_equal(r.proto, 255);
        assert_memory_equal(r.src.b, "\xff\xff\xff\xff\0\0\0\0\0\0\0\0\0\0\0\0", 16);
        assert_memory_equal(r.dst.b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    }
    /* every length up to 16 digits (one conversion, or two of which the
     * first is partial): random values, then a bad character at each place */
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (int len = 1; len <= 16; len++) {
        for (int k = 0; k < 50; k++) {
            char digits[17];
            for (int i = 0; i < len; i++)
                digits[i] = (char)('0' + xorshift64(&seed) % 10);
            digits[len] = '\0';
            if (len == 16)
                digits[0] = '0'; /* (bytes stay below 2^50) */
            snprintf(line, sizeof line, "2 1 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 %s 1 2 ACCEPT OK", digits);
            assert_int_equal(parse(&f, line, &r), FL_E_NONE);
            assert_true(r.bytes == strtoull(digits, NULL, 10));
            int at = (int)(xorshift64(&seed) % (uint64_t)len);
            digits[at] = "/:a \x80"[xorshift64(&seed) % 5];
            if (digits[at] == ' ')
                digits[at] = '.';
            snprintf(line, sizeof line, "2 1 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 %s 1 2 ACCEPT OK", digits);
            assert_int_equal(parse(&f, line, &r), FL_E_NUMBER);
        }
    }
    /* a long line, with its ENI text pointing into it (not into a copy) */
    char big[3000];
    fl_format g;
    const char *bad;
    assert_true(fl_parse_format("version x interface-id", 22, &g, &bad));
    memset(big, 'a', sizeof big);
    memcpy(big, "2 ", 2);
    memcpy(big + 2 + 2500, " eni-7", 6);
    assert_int_equal(fl_parse(&g, big, 2 + 2500 + 6, &r), FL_E_NONE);
    assert_ptr_equal(r.eni.p, big + 2 + 2500 + 1);
    assert_int_equal(r.eni.n, 5);
}

static void test_custom_formats(void **state)
{
    (void)state;
    fl_format f;
    fl_rec r;
    const char *bad;
    /* a header line (S3) with v3-v8 fields and one AWS may add later */
    const char *h = "version vpc-id subnet-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr protocol bytes "
                    "action log-status az-id flow-direction traffic-path pkt-dst-aws-service reject-reason "
                    "encryption-status";
    assert_int_equal(fl_is_header(h, strlen(h)), 1);
    assert_true(fl_parse_format(h, strlen(h), &f, &bad));
    assert_int_equal(f.ncols, 18);
    assert_int_equal(f.unknown, 1);
    assert_int_equal(f.col[17], FL_SKIP);
    assert_int_equal(parse(&f, "5 vpc-1 subnet-1 eni-1 10.0.1.5 10.0.0.9 10.0.1.5 52.216.1.2 6 1200 ACCEPT OK use1-az4 "
                               "egress 1 S3 - 0", &r), FL_E_NONE);
    assert_int_equal(r.bytes, 1200);
    assert_int_equal(r.dst.b[3], 9);
    assert_false(r.bpa);
    assert_int_equal(r.dport, -1); /* not in this format */
    assert_int_equal(parse(&f, "5 vpc-1 subnet-1 eni-1 198.51.100.7 10.0.0.9 198.51.100.7 10.0.0.9 6 60 REJECT OK "
                               "use1-az4 ingress - - BPA 0", &r), FL_E_NONE);
    assert_true(r.bpa);
    assert_int_equal(r.action, FL_REJECT);
    /* the LogFormat syntax */
    const char *lf = "${version} ${interface-id} ${srcaddr} ${bytes}";
    assert_true(fl_parse_format(lf, strlen(lf), &f, &bad));
    assert_int_equal(f.ncols, 4);
    assert_int_equal(f.col[1], FL_ENI);
    /* not headers: a record, a dash, an empty line */
    assert_int_equal(fl_is_header("2 123 eni-1", 11), 0);
    assert_int_equal(fl_is_header("- x", 3), 0);
    assert_int_equal(fl_is_header("", 0), 0);
    assert_int_equal(fl_is_header("resource-id version", 19), 1); /* an unknown name first */
    assert_int_equal(fl_is_header("version Account", 15), -1);    /* broken */
    /* not field names */
    assert_false(fl_parse_format("version Account", 15, &f, &bad));
    assert_string_equal(bad, "Account");
    assert_false(fl_parse_format("   ", 3, &f, &bad));
}

static void test_fmap_counts_and_prunes(void **state)
{
    (void)state;
    fmap m;
    fmap_init(&m, 8, 0);
    for (uint64_t k = 0; k < 5000; k++) {
        fmap_val *v = fmap_get(&m, &k, fmap_hash(&m, &k));
        assert_non_null(v);
        v->records++;
        v->bytes += k; /* key k counts k bytes */
    }
    uint64_t again = 4999;
    fmap_val *v = fmap_get(&m, &again, fmap_hash(&m, &again));
    v->bytes += 1;
    assert_int_equal(m.n, 5000);
    fmap_val lost;
    fmap_prune(&m, &lost);
    /* the median is 2500, in the bucket 2304-2559: keys 0-2559 go, the
     * largest of them 2559 bytes */
    assert_int_equal(m.n, 2440);
    assert_int_equal(lost.bytes, 2559);
    for (uint64_t k = 2560; k < 5000; k++) {
        fmap_val *x = fmap_get(&m, &k, fmap_hash(&m, &k));
        assert_int_equal(x->bytes, k + (k == 4999));
        assert_int_equal(x->records, 1);
    }
    assert_int_equal(m.n, 2440); /* all found, none added */
    /* another table has another seed, the same contents */
    fmap o;
    fmap_init(&o, 8, 0);
    uint64_t k = 3000;
    fmap_get(&o, &k, fmap_hash(&o, &k))->bytes = 7;
    assert_non_null(fmap_find(&o, &k, fmap_hash(&o, &k)));
    assert_int_equal(fmap_find(&m, &k, fmap_hash(&m, &k))->bytes, 3000);
    fmap_release(&m);
    fmap_release(&o);
}

/* An interface id as a key: its first 32 bytes, zero-padded, for every
 * length (the copy goes eight bytes at a time with an overlapping tail). */
static void test_eni_keys(void **state)
{
    (void)state;
    char id[41];
    for (int i = 0; i < 40; i++)
        id[i] = (char)('a' + i % 26);
    for (size_t n = 0; n <= 40; n++) {
        uint8_t key[FLOWS_ENI_KEY + 8], want[FLOWS_ENI_KEY + 8];
        memset(key, 0xAA, sizeof key);
        memset(want, 0, FLOWS_ENI_KEY);
        memset(want + FLOWS_ENI_KEY, 0xAA, 8);
        memcpy(want, id, n < FLOWS_ENI_KEY ? n : FLOWS_ENI_KEY);
        flows_eni_key(key, id, n);
        assert_memory_equal(key, want, sizeof key); /* (nothing written past the key) */
    }
}

/* Counters saturate instead of wrapping (a crafted input can sum past 2^64). */
static void test_counters_saturate(void **state)
{
    (void)state;
    uint64_t a = 5;
    flows_add(&a, 7);
    assert_true(a == 12);
    a = UINT64_MAX - 3;
    flows_add(&a, 3);
    assert_true(a == UINT64_MAX);
    a = UINT64_MAX - 3;
    flows_add(&a, 4);
    assert_true(a == UINT64_MAX);
    flows_add(&a, UINT64_MAX);
    assert_true(a == UINT64_MAX);
}

/* A table ranked by records (as the REJECT patterns are) prunes by
 * records, whatever its bytes say. */
static void test_fmap_prune_by_records(void **state)
{
    (void)state;
    fmap m;
    fmap_init(&m, 8, 0);
    m.rank = 0;
    for (uint64_t k = 0; k < 100; k++) {
        fmap_val *v = fmap_get(&m, &k, fmap_hash(&m, &k));
        v->records = k + 1;
        v->bytes = 1000 - k; /* (the opposite order) */
    }
    fmap_val lost;
    fmap_prune(&m, &lost);
    /* the 51st smallest count is 51, in the bucket 48-51 */
    assert_int_equal(m.n, 49);
    assert_int_equal(lost.records, 51);
    for (uint64_t k = 0; k < 100; k++) {
        const fmap_val *x = fmap_find(&m, &k, fmap_hash(&m, &k));
        if (k + 1 <= 51)
            assert_null(x);
        else
            assert_true(x && x->records == k + 1 && x->bytes == 1000 - k);
    }
    fmap_release(&m);
}

/* Buckets: exact below 16, eight per octave above, never decreasing. */
static void test_fmap_buckets(void **state)
{
    (void)state;
    for (uint64_t x = 0; x < 16; x++)
        assert_int_equal(fmap_bucket(x), x);
    assert_int_equal(fmap_bucket(16), 16);
    assert_int_equal(fmap_bucket(17), 16); /* 16-17 */
    assert_int_equal(fmap_bucket(18), 17);
    assert_int_equal(fmap_bucket(31), 23);
    assert_int_equal(fmap_bucket(32), 24);
    assert_int_equal(fmap_bucket(UINT64_MAX), FMAP_BUCKETS - 1);
    for (uint32_t b = 0; b < FMAP_BUCKETS; b++) { /* the threshold a prune compares with */
        assert_int_equal(fmap_bucket(fmap_bucket_max(b)), b);
        if (b + 1 < FMAP_BUCKETS)
            assert_int_equal(fmap_bucket(fmap_bucket_max(b) + 1), b + 1);
    }
    assert_true(fmap_bucket_max(FMAP_BUCKETS - 1) == UINT64_MAX);
    uint32_t last = 0;
    for (uint64_t x = 1; x < (1u << 20); x++) {
        assert_true(fmap_bucket(x) == last || fmap_bucket(x) == last + 1);
        last = fmap_bucket(x);
    }
    for (int e = 20; e < 64; e++) { /* around each power of two */
        uint64_t p = 1ull << e;
        assert_int_equal(fmap_bucket(p), fmap_bucket(p - 1) + 1);
        assert_int_equal(fmap_bucket(p + (p >> 3)), fmap_bucket(p) + 1);
        assert_int_equal(fmap_bucket(p + (p >> 3) - 1), fmap_bucket(p));
    }
}

/* A histogram kept through fmap_hist_add prunes exactly as one counted
 * again from the slots (fmap_get leaves it to be counted). */
static void test_fmap_kept_histogram(void **state)
{
    (void)state;
    fmap kept, counted;
    fmap_init(&kept, 8, 0);
    fmap_init(&counted, 8, 0);
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 20000; i++) {
            xorshift64(&x);
            uint64_t k = x % 6000, add = x >> 40; /* repeated keys, counts over six orders of magnitude */
            uint64_t h = fmap_hash(&kept, &k);
            fmap_val *v = fmap_upsert(&kept, &k, h, UINT32_MAX);
            assert_non_null(v);
            fmap_hist_add(&kept, v, 2, add);
            v->bytes += add;
            v->records++;
            fmap_val *w = fmap_get(&counted, &k, fmap_hash(&counted, &k));
            w->bytes += add;
            w->records++;
        }
        assert_true(kept.hist_ok == (round > 0)); /* kept from the first prune on */
        assert_false(counted.hist_ok);
        fmap_val lost_kept, lost_counted;
        fmap_prune(&kept, &lost_kept);
        fmap_prune(&counted, &lost_counted);
        assert_int_equal(kept.n, counted.n);
        assert_true(kept.floor == counted.floor && kept.floor > 0);
        assert_true(kept.n > 0 && kept.n <= 3000);
        assert_memory_equal(&lost_kept, &lost_counted, sizeof lost_kept);
        assert_memory_equal(kept.hist, counted.hist, sizeof kept.hist); /* both as after a count */
        for (uint32_t i = 0; i < kept.cap; i++)
            if (fmap_used(&kept, i)) {
                const fmap_val *c = fmap_find(&counted, fmap_key(&kept, i), fmap_hash(&counted, fmap_key(&kept, i)));
                assert_non_null(c);
                assert_int_equal(c->bytes, fmap_val_at(&kept, i)->bytes);
                assert_int_equal(c->missed, fmap_val_at(&kept, i)->missed);
                assert_true(fmap_ranked(c, 2) > kept.floor);
            }
    }
    fmap_release(&kept);
    fmap_release(&counted);
}

/* A key a prune dropped enters again at the table's floor: its `missed`
 * is the floor, its rank value counts it, and the histogram places a new
 * key at height 0. A prune whose limit is 0 still leaves a floor of 1, so
 * that `missed` 0 means "never dropped". */
static void test_fmap_floor(void **state)
{
    (void)state;
    fmap m;
    fmap_init(&m, 8, 0);
    for (uint64_t k = 0; k < 100; k++)
        fmap_get(&m, &k, fmap_hash(&m, &k))->bytes = k;
    fmap_val lost;
    fmap_prune(&m, &lost);
    /* the 51st smallest is 50, in the bucket 48-51 */
    assert_int_equal(m.floor, 51);
    assert_int_equal(m.n, 48);
    uint64_t k = 7; /* dropped */
    uint64_t h = fmap_hash(&m, &k);
    assert_null(fmap_find(&m, &k, h));
    fmap_val *v = fmap_upsert(&m, &k, h, UINT32_MAX);
    assert_true(v && v->missed == 51 && v->bytes == 0 && fmap_ranked(v, 2) == 51);
    assert_int_equal(m.hist[0], 1); /* a new key: height 0 */
    fmap_hist_add(&m, v, 2, 3);
    v->bytes = 3;
    assert_int_equal(m.hist[0], 0);
    assert_int_equal(m.hist[3], 2); /* with key 54 */
    uint64_t kept = 99; /* never dropped */
    assert_int_equal(fmap_find(&m, &kept, fmap_hash(&m, &kept))->missed, 0);
    /* survivors counted at their heights above the new floor: 52-99 -> 1-48 */
    uint32_t sum = 0;
    for (uint32_t b = 0; b < FMAP_BUCKETS; b++)
        sum += m.hist[b];
    assert_int_equal(sum, m.n);
    assert_int_equal(m.hist[1], 1);
    fmap_release(&m);

    fmap z;
    fmap_init(&z, 8, 0);
    for (uint64_t i = 0; i < 10; i++)
        fmap_get(&z, &i, fmap_hash(&z, &i))->packets = 5; /* no bytes at all */
    fmap_prune(&z, &lost);
    assert_int_equal(z.n, 0);
    assert_int_equal(z.floor, 1);
    assert_int_equal(lost.packets, 5);
    uint64_t again = 3;
    assert_int_equal(fmap_get(&z, &again, fmap_hash(&z, &again))->missed, 1);
    fmap_release(&z);
}

/* Counts near 2^64 (crafted partials, or a crafted log's saturating sums)
 * never keep a prune from dropping more than half the keys: heights come
 * from saturated rank values, and an update whose sum saturates gives the
 * kept histogram up. */
static void test_fmap_prune_saturated(void **state)
{
    (void)state;
    fmap m;
    fmap_init(&m, 8, 0);
    for (uint64_t k = 0; k < 300; k++)
        fmap_get(&m, &k, fmap_hash(&m, &k))->bytes = k;
    fmap_val lost;
    fmap_prune(&m, &lost); /* (a floor, and the histogram kept) */
    uint64_t floor = m.floor;
    assert_true(floor > 0 && m.hist_ok);
    for (uint64_t k = 1000; k < 1400; k++) { /* more than half of the keys: saturated */
        fmap_val *v = fmap_upsert(&m, &k, fmap_hash(&m, &k), UINT32_MAX);
        assert_non_null(v);
        fmap_hist_add(&m, v, 2, UINT64_MAX - 1); /* (a rank value past 2^64 with its missed) */
        v->bytes = UINT64_MAX - 1;
        m.hist_ok = 1; /* (as if it had been counted again) */
        fmap_hist_add(&m, v, 2, 5); /* a sum that saturates: the histogram given up */
        v->bytes = UINT64_MAX;
        assert_false(m.hist_ok);
    }
    uint32_t n = m.n;
    fmap_prune(&m, &lost);
    assert_true(m.n <= n / 2);
    assert_true(m.floor > floor);
    fmap_release(&m);
}

/* A partial whose bounds no run could give is refused: an entry missing
 * more than its table's floor, or a floor in a table never pruned. */
static mlvpc_status merge_tampered(int how)
{
    char log[] = "/tmp/mlvpc-test-flows-XXXXXX", part[] = "/tmp/mlvpc-test-part-XXXXXX";
    int fd = mkstemp(log), pd = mkstemp(part);
    assert_true(fd >= 0 && pd >= 0);
    const char text[] = "2 123456789012 eni-0a1b2c3d4e5f60001 10.0.1.5 10.0.2.7 44321 443 6 10 8400 1764150000 "
                        "1764150060 ACCEPT OK\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    mlvpc_diag err;
    mlvpc_flows_opts o = { .since = -1, .until = -1, .threads = 1 };
    mlvpc_flows *f = mlvpc_flows_new(&o, &err);
    assert_int_equal(mlvpc_flows_add(f, log, &err), MLVPC_OK);
    fmap *m = &f->t[FT_SRC];
    for (uint32_t i = 0; i < m->cap; i++)
        if (fmap_used(m, i)) {
            if (how == 1)
                fmap_val_at(m, i)->missed = 5; /* floor 0 */
            if (how == 2)
                m->floor = 5; /* prunes 0 */
            if (how == 3)
                m->floor = 5, f->prunes[FT_SRC] = 1, fmap_val_at(m, i)->missed = 5; /* consistent */
        }
    FILE *out = fdopen(pd, "wb");
    assert_int_equal(mlvpc_flows_write_partial(f, out, &err), MLVPC_OK);
    fclose(out);
    mlvpc_flows_free(f);
    f = mlvpc_flows_new(&o, &err);
    mlvpc_status st = mlvpc_flows_merge(f, part, &err);
    mlvpc_flows_free(f);
    unlink(log);
    unlink(part);
    return st;
}

static void test_partial_bounds_checked(void **state)
{
    (void)state;
    assert_int_equal(merge_tampered(0), MLVPC_OK);
    assert_int_equal(merge_tampered(1), MLVPC_ERR_SYNTAX);
    assert_int_equal(merge_tampered(2), MLVPC_ERR_SYNTAX);
    assert_int_equal(merge_tampered(3), MLVPC_OK);
}

/* One bounded table over a stream: counts of a key, and the truth. */
typedef struct bounded {
    fmap m;
    uint64_t truth[4096];
} bounded;

static void bounded_add(bounded *b, uint64_t k, uint64_t bytes, uint32_t bound)
{
    uint64_t h = fmap_hash(&b->m, &k);
    fmap_val *v = fmap_upsert(&b->m, &k, h, bound);
    if (!v) {
        fmap_val lost;
        fmap_prune(&b->m, &lost);
        v = fmap_upsert(&b->m, &k, h, bound);
    }
    assert_non_null(v);
    fmap_hist_add(&b->m, v, 2, bytes);
    v->bytes += bytes;
    v->records++;
    b->truth[k] += bytes;
}

/* Every key a bounded table holds is low by at most its `missed`, and
 * exact when that is 0; every key it does not hold had at most the floor
 * (Misra and Gries's bound). */
static void assert_within(const fmap *m, const uint64_t *truth, size_t nkeys)
{
    for (uint64_t k = 0; k < nkeys; k++) {
        const fmap_val *v = fmap_find(m, &k, fmap_hash(m, &k));
        if (!v) {
            assert_true(truth[k] <= m->floor);
            continue;
        }
        assert_true(v->bytes <= truth[k]);
        assert_true(truth[k] - v->bytes <= v->missed);
    }
}

static void test_fmap_floor_bounds(void **state)
{
    (void)state;
    static bounded b, part[3];
    uint64_t x = 2463534242ull;
    fmap_init(&b.m, 8, 0);
    for (int p = 0; p < 3; p++)
        fmap_init(&part[p].m, 8, 0);
    uint64_t total = 0;
    for (int i = 0; i < 200000; i++) {
        xorshift64(&x);
        /* half the records for 16 heavy hitters, half for 4,096 keys; byte
         * counts over six orders of magnitude */
        uint64_t k = (x >> 8) % 2 ? (x >> 16) % 16 : (x >> 16) % 4096;
        uint64_t bytes = 1 + (x >> 44) % 1000 * ((x >> 20) % 7 == 0 ? 1000 : 1);
        total += bytes;
        bounded_add(&b, k, bytes, 256);
        bounded_add(&part[i / 70000], k, bytes, 256); /* a split of the same stream */
    }
    assert_true(b.m.floor > 0);
    assert_true(b.m.floor <= 3 * total / 256); /* near 2 x total / keys held */
    assert_within(&b.m, b.truth, 4096);
    for (uint64_t k = 0; k < 16; k++) { /* the heavy hitters: held, and exact */
        const fmap_val *v = fmap_find(&b.m, &k, fmap_hash(&b.m, &k));
        assert_true(v && v->missed == 0 && v->bytes == b.truth[k]);
    }
    /* merged: the parts' bounds add up, and hold for the whole stream */
    for (int p = 1; p < 3; p++) {
        fmap *s = &part[p].m;
        fmap_merge_begin(&part[0].m, s->floor);
        for (uint32_t i = 0; i < s->cap; i++)
            if (fmap_used(s, i))
                assert_non_null(fmap_merge_key(&part[0].m, fmap_key(s, i), fmap_hash(&part[0].m, fmap_key(s, i)),
                                               fmap_val_at(s, i), s->floor));
        fmap_merge_end(&part[0].m, s->floor);
        for (int k = 0; k < 4096; k++)
            part[0].truth[k] += part[p].truth[k];
    }
    assert_within(&part[0].m, part[0].truth, 4096);
    uint64_t floor = part[0].m.floor;
    fmap_val lost;
    while (part[0].m.n > 256)
        fmap_prune(&part[0].m, &lost);
    assert_true(part[0].m.floor > floor);
    assert_within(&part[0].m, part[0].truth, 4096);
    fmap_release(&b.m);
    for (int p = 0; p < 3; p++)
        fmap_release(&part[p].m);
}

/* A table without the `extra` counter: slots a word shorter (an address
 * key's fill one cache line), and neither updates, prunes nor merges
 * touch the word where `extra` would be, which holds the key. */
static void test_fmap_without_extra(void **state)
{
    (void)state;
    fmap a, b;
    fmap_init(&a, 17, 0);
    fmap_init(&b, 17, 1);
    assert_int_equal(a.stride, 64);
    assert_int_equal(b.stride, 72);
    fmap_init(&b, 17, 0);
    uint64_t key[3];
    for (uint64_t k = 0; k < 3000; k++) {
        key[0] = ~k, key[1] = k * 0x9E3779B97F4A7C15ull, key[2] = k & 0xff; /* (no zero word) */
        fmap_val *v = fmap_get(&a, key, fmap_hash(&a, key));
        v->bytes = k;
        v->records = 1;
        fmap_val x = { 1, 2, k, 0, 12345 }; /* an `extra` the table has no room for */
        assert_non_null(fmap_merge_key(&b, key, fmap_hash(&b, key), &x, 0));
    }
    fmap_val lost;
    fmap_prune(&a, &lost);
    fmap_merge_begin(&a, b.floor);
    for (uint32_t i = 0; i < b.cap; i++)
        if (fmap_used(&b, i))
            assert_non_null(fmap_merge_key(&a, fmap_key(&b, i), fmap_hash(&a, fmap_key(&b, i)), fmap_val_at(&b, i), 0));
    fmap_merge_end(&a, b.floor);
    assert_int_equal(a.n, 3000);
    for (uint64_t k = 0; k < 3000; k++) {
        key[0] = ~k, key[1] = k * 0x9E3779B97F4A7C15ull, key[2] = k & 0xff;
        const fmap_val *v = fmap_find(&a, key, fmap_hash(&a, key));
        assert_non_null(v);
        assert_int_equal(v->bytes, k <= a.floor ? k : 2 * k);
    }
    for (uint32_t i = 0; i < a.cap; i++)
        if (fmap_used(&a, i)) {
            uint64_t k0;
            memcpy(&k0, fmap_key(&a, i), 8);
            assert_true(k0 >= ~(uint64_t)2999); /* every key intact */
        }
    fmap_release(&a);
    fmap_release(&b);
}

/* Keys whose homes crowd a few slots on both sides of the table's end:
 * long clusters that wrap, so a prune must move survivors back across it. */
static uint64_t crowded(uint64_t k) { return (k % 7 < 4 ? 1020 + k % 4 : 1 + k % 3) << 32 | (k << 1 | 1); }

/* The prune's bitmap of used slots agrees with the slots. */
static void assert_used_bits(const fmap *m)
{
    for (uint32_t i = 0; i < m->cap; i++)
        assert_int_equal(!!(m->used[i >> 6] >> (i & 63) & 1), fmap_used(m, i));
}

static void test_fmap_prune_keeps_probe_sequences(void **state)
{
    (void)state;
    fmap m;
    fmap_init(&m, 8, 0);
    for (uint64_t k = 0; k < 500; k++) /* (500 keys: the table stays at 1024 slots) */
        fmap_get(&m, &k, crowded(k))->bytes = k % 100;
    assert_int_equal(m.cap, 1024);
    fmap_val lost;
    fmap_prune(&m, &lost);
    /* the median of 0-99 five times (the 251st smallest) is 50, in the
     * bucket 48-51 */
    assert_int_equal(lost.bytes, 51);
    assert_int_equal(m.n, 240);
    for (uint64_t k = 0; k < 500; k++) {
        const fmap_val *x = fmap_find(&m, &k, crowded(k));
        if (k % 100 <= 51)
            assert_null(x);
        else
            assert_true(x && x->bytes == k % 100);
    }
    assert_used_bits(&m);
    /* prunes whose scan starts at each of the first 130 places (after the
     * first empty slot): slots 0 to first-1 used, `first` empty, clusters
     * after it */
    for (uint32_t first = 0; first < 130; first++) {
        fmap t;
        fmap_init(&t, 8, 0);
        for (uint64_t k = 0; k < 500; k++) {
            uint64_t home = k < first ? k : first + 1 + (2 * (k - first)) % 800;
            fmap_get(&t, &k, home << 32 | (k << 1 | 1))->bytes = k % 7;
        }
        assert_false(fmap_used(&t, first));
        uint32_t n = t.n;
        fmap_prune(&t, &lost);
        assert_true(t.n < n);
        assert_used_bits(&t);
        for (uint64_t k = 0; k < 500; k++) {
            uint64_t home = k < first ? k : first + 1 + (2 * (k - first)) % 800;
            const fmap_val *x = fmap_find(&t, &k, home << 32 | (k << 1 | 1));
            assert_true(k % 7 <= lost.bytes ? x == NULL : x && x->bytes == k % 7);
        }
        fmap_release(&t);
    }
    fmap_release(&m);
}

/* The inline path: a lookup that misses names the slot an insert may use,
 * and the insert refuses when the table must grow or is at its bound. */
static void test_fmap_lookup_and_insert_at(void **state)
{
    (void)state;
    fmap m;
    fmap_init(&m, 17, 1); /* three words, as an address key; with extra */
    uint32_t at;
    uint64_t k[2][4] = { { 1, 2, 3, 0 }, { 1, 2, 4, 0 } };
    assert_null(fmap_lookup(&m, k[0], fmap_hash(&m, k[0]), 3, 1, &at));
    assert_null(fmap_insert_at(&m, k[0], fmap_hash(&m, k[0]), 3, 1, at, 100)); /* no slots yet: grow first */
    fmap_upsert(&m, k[0], fmap_hash(&m, k[0]), 100)->bytes = 5;
    assert_null(fmap_lookup(&m, k[1], fmap_hash(&m, k[1]), 3, 1, &at)); /* differs in the last word only */
    assert_null(fmap_insert_at(&m, k[1], fmap_hash(&m, k[1]), 3, 1, at, 1)); /* at the bound */
    fmap_val *v = fmap_insert_at(&m, k[1], fmap_hash(&m, k[1]), 3, 1, at, 100);
    assert_non_null(v);
    assert_int_equal(v->records, 0);
    v->bytes = 7;
    assert_int_equal(fmap_lookup(&m, k[0], fmap_hash(&m, k[0]), 3, 1, &at)->bytes, 5);
    assert_int_equal(fmap_lookup(&m, k[1], fmap_hash(&m, k[1]), 3, 1, &at)->bytes, 7);
    assert_int_equal(fmap_find(&m, k[1], fmap_hash(&m, k[1]))->bytes, 7); /* the same key to the other path */
    assert_int_equal(m.n, 2);
    /* filled through insert_at until it refuses (half full), then grown by upsert */
    uint32_t cap = m.cap, n = m.n;
    for (uint64_t i = 10;; i++) {
        uint64_t key[4] = { i, 0, 0, 0 };
        uint64_t h = fmap_hash(&m, key);
        assert_null(fmap_lookup(&m, key, h, 3, 1, &at));
        if (!fmap_insert_at(&m, key, h, 3, 1, at, UINT32_MAX)) {
            assert_true((m.n + 1) * 2 > cap);
            assert_non_null(fmap_upsert(&m, key, h, UINT32_MAX));
            assert_int_equal(m.cap, 2 * cap);
            break;
        }
        n++;
    }
    assert_int_equal(m.n, n + 1);
    fmap_release(&m);
}

/* Every range of flows_private_addr at both edges, with the addresses
 * just outside it (each pair differs in one address). */
static void test_private_addresses(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out_below, *out_above;
    } ranges[] = {
        { "10.0.0.0", "9.255.255.255", "11.0.0.0" },
        { "10.255.255.255", "9.255.255.255", "11.0.0.0" },
        { "172.16.0.0", "172.15.255.255", "172.32.0.0" },
        { "172.31.255.255", "172.15.255.255", "172.32.0.0" },
        { "192.168.0.0", "192.167.255.255", "192.169.0.0" },
        { "192.168.255.255", "192.167.255.255", "192.169.0.0" },
        { "100.64.0.0", "100.63.255.255", "100.128.0.0" }, /* RFC 6598 */
        { "100.127.255.255", "100.63.255.255", "100.128.0.0" },
        { "127.0.0.1", "126.255.255.255", "128.0.0.0" },
        { "169.254.0.0", "169.253.255.255", "169.255.0.0" },
        { "169.254.255.255", "169.253.255.255", "169.255.0.0" },
        { "fc00::", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::" },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe00::" },
        { "fe80::", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::" },
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::" },
    };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
        ip_addr in, below, above;
        assert_true(ip_parse_addr(ranges[i].in, &in));
        assert_true(ip_parse_addr(ranges[i].out_below, &below));
        assert_true(ip_parse_addr(ranges[i].out_above, &above));
        if (!flows_private_addr(&in) || flows_private_addr(&below) || flows_private_addr(&above))
            fail_msg("range of %s: %s %d, %s %d, %s %d", ranges[i].in, ranges[i].in, flows_private_addr(&in),
                     ranges[i].out_below, flows_private_addr(&below), ranges[i].out_above, flows_private_addr(&above));
    }
    /* the family decides: IPv6 addresses that start as a private IPv4 one
     * does, and an absent address */
    static const char *const public6[] = { "a00::1", "ac10::", "c0a8::", "6440::", "7f00::1", "a9fe::" };
    for (size_t i = 0; i < sizeof public6 / sizeof *public6; i++) {
        ip_addr a;
        assert_true(ip_parse_addr(public6[i], &a));
        assert_false(flows_private_addr(&a));
    }
    ip_addr none;
    memset(&none, 0, sizeof none);
    none.b[0] = 10;
    assert_false(flows_private_addr(&none));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_records),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_custom_formats),
        cmocka_unit_test(test_fmap_counts_and_prunes),
        cmocka_unit_test(test_fmap_buckets),
        cmocka_unit_test(test_eni_keys),
        cmocka_unit_test(test_counters_saturate),
        cmocka_unit_test(test_fmap_prune_by_records),
        cmocka_unit_test(test_fmap_kept_histogram),
        cmocka_unit_test(test_fmap_floor),
        cmocka_unit_test(test_fmap_floor_bounds),
        cmocka_unit_test(test_fmap_prune_saturated),
        cmocka_unit_test(test_partial_bounds_checked),
        cmocka_unit_test(test_fmap_without_extra),
        cmocka_unit_test(test_fmap_prune_keeps_probe_sequences),
        cmocka_unit_test(test_fmap_lookup_and_insert_at),
        cmocka_unit_test(test_private_addresses),
    };
    return cmocka_run_group_tests_name("flowlog", tests, NULL, NULL);
}
