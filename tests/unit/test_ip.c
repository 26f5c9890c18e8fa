/* Unit tests of addresses and prefixes (lib/util/ip.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/ip.h"

static void test_parse_prefix(void **state)
{
    (void)state;
    ip_prefix p;
    char buf[IP_STR_MAX];
    assert_true(ip_parse_prefix("10.0.0.0/16", &p));
    assert_int_equal(p.a.af, IP_V4);
    assert_int_equal(p.len, 16);
    assert_string_equal(ip_prefix_str(&p, buf), "10.0.0.0/16");
    assert_true(ip_parse_prefix("10.1.2.3/8", &p)); /* host bits cleared */
    assert_string_equal(ip_prefix_str(&p, buf), "10.0.0.0/8");
    assert_true(ip_parse_prefix("0.0.0.0/0", &p));
    assert_true(ip_prefix_is_default(&p));
    assert_true(ip_parse_prefix("2600:1f18:abcd::/56", &p));
    assert_int_equal(p.a.af, IP_V6);
    assert_string_equal(ip_prefix_str(&p, buf), "2600:1f18:abcd::/56");
    assert_true(ip_parse_prefix("::/0", &p));
    assert_true(ip_prefix_is_default(&p));
    static const char *const bad[] = { "10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/1a",
                                       "::/129", "x/1", "10.0.0.0/-1", "256.0.0.0/8", "" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (ip_parse_prefix(bad[i], &p))
            fail_msg("accepted \"%s\"", bad[i]);
}

static void test_contains(void **state)
{
    (void)state;
    ip_prefix p, q;
    ip_addr a;
    assert_true(ip_parse_prefix("10.0.0.0/16", &p));
    assert_true(ip_parse_addr("10.0.255.255", &a));
    assert_true(ip_prefix_contains(&p, &a));
    assert_true(ip_parse_addr("10.1.0.0", &a));
    assert_false(ip_prefix_contains(&p, &a));
    assert_true(ip_parse_addr("::ffff:10.0.0.1", &a)); /* other family never matches */
    assert_false(ip_prefix_contains(&p, &a));
    assert_true(ip_parse_prefix("10.0.0.0/23", &p));
    assert_true(ip_parse_addr("10.0.1.7", &a));
    assert_true(ip_prefix_contains(&p, &a));
    assert_true(ip_parse_addr("10.0.2.0", &a));
    assert_false(ip_prefix_contains(&p, &a));
    assert_true(ip_parse_prefix("10.0.0.0/8", &p));
    assert_true(ip_parse_prefix("10.20.0.0/16", &q));
    assert_true(ip_prefix_covers(&p, &q));
    assert_false(ip_prefix_covers(&q, &p));
    assert_true(ip_parse_prefix("0.0.0.0/0", &p));
    assert_true(ip_prefix_covers(&p, &q));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_prefix),
        cmocka_unit_test(test_contains),
    };
    return cmocka_run_group_tests_name("ip", tests, NULL, NULL);
}
