/* Unit tests of the in-situ JSON reader (lib/inputs/json.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inputs/json.h"

typedef struct parsed {
    jdoc d;
    char *buf;
    int rc;
} parsed;

static parsed parse(const char *text)
{
    parsed p;
    size_t n = strlen(text);
    p.buf = malloc(n + 1);
    memcpy(p.buf, text, n);
    p.rc = json_parse(&p.d, p.buf, n, JSON_MAX_DEPTH);
    return p;
}

static void done(parsed *p)
{
    json_release(&p->d);
    free(p->buf);
}

static void test_object_tape(void **state)
{
    (void)state;
    parsed p = parse("{\"a\": [1, 2, {\"b\": \"x\"}], \"c\": null, \"d\": true}");
    assert_int_equal(p.rc, 0);
    assert_int_equal(json_type(&p.d, 0), J_OBJ);
    assert_int_equal(p.d.t[0].count, 3);
    assert_int_equal(p.d.t[0].next, p.d.n);
    uint32_t a = json_get(&p.d, 0, "a");
    assert_int_equal(json_type(&p.d, a), J_ARR);
    assert_int_equal(p.d.t[a].count, 3);
    uint32_t third = json_next(&p.d, json_next(&p.d, json_child(a)));
    assert_int_equal(json_type(&p.d, third), J_OBJ);
    assert_string_equal(json_str(&p.d, json_get(&p.d, third, "b")), "x");
    assert_int_equal(json_type(&p.d, json_get(&p.d, 0, "c")), J_NULL);
    assert_int_equal(json_type(&p.d, json_get(&p.d, 0, "d")), J_TRUE);
    assert_int_equal(json_get(&p.d, 0, "missing"), 0);
    assert_int_equal(json_get(&p.d, a, "a"), 0); /* not an object */
    done(&p);
}

static void test_string_escapes(void **state)
{
    (void)state;
    parsed p = parse("[\"a\\\"b\\\\c\\/d\\n\\t\", \"\\u00e9\", \"\\ud83d\\ude00\", \"caf\xc3\xa9\", \"\"]");
    assert_int_equal(p.rc, 0);
    uint32_t s = json_child(0);
    assert_string_equal(json_str(&p.d, s), "a\"b\\c/d\n\t");
    assert_int_equal(p.d.t[s].len, 9);
    s = json_next(&p.d, s);
    assert_string_equal(json_str(&p.d, s), "\xc3\xa9");
    s = json_next(&p.d, s);
    assert_string_equal(json_str(&p.d, s), "\xf0\x9f\x98\x80");
    s = json_next(&p.d, s);
    assert_string_equal(json_str(&p.d, s), "caf\xc3\xa9");
    s = json_next(&p.d, s);
    assert_string_equal(json_str(&p.d, s), "");
    done(&p);
}

static void test_numbers(void **state)
{
    (void)state;
    parsed p = parse("[0, -1, 65535, 9223372036854775807, -9223372036854775808, 1.5, 2e3, 9223372036854775808]");
    assert_int_equal(p.rc, 0);
    int64_t v;
    uint32_t i = json_child(0);
    assert_true(json_int(&p.d, i, &v));
    assert_int_equal(v, 0);
    i = json_next(&p.d, i);
    assert_true(json_int(&p.d, i, &v));
    assert_int_equal(v, -1);
    i = json_next(&p.d, i);
    assert_true(json_int(&p.d, i, &v));
    assert_int_equal(v, 65535);
    i = json_next(&p.d, i);
    assert_true(json_int(&p.d, i, &v));
    assert_true(v == INT64_MAX);
    i = json_next(&p.d, i);
    assert_true(json_int(&p.d, i, &v));
    assert_true(v == INT64_MIN);
    i = json_next(&p.d, i);
    assert_false(json_int(&p.d, i, &v)); /* fraction */
    i = json_next(&p.d, i);
    assert_false(json_int(&p.d, i, &v)); /* exponent */
    i = json_next(&p.d, i);
    assert_false(json_int(&p.d, i, &v)); /* overflow */
    done(&p);
}

typedef struct bad_case {
    const char *text;
    unsigned line, col;
    const char *msg;
} bad_case;

static void test_errors_located(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        { "", 1, 1, "empty input" },
        { "[1,]", 1, 4, "expected a value" },
        { "{\"a\":1,}", 1, 8, "expected '\"'" },
        { "{\"a\" 1}", 1, 6, "expected ':'" },
        { "[\n  1\n  2]", 3, 3, "expected ',' or ']'" },
        { "{\n \"k\": tru}", 2, 7, "invalid literal" },
        { "\"abc", 1, 1, "unterminated string" },
        { "[\"a\tb\"]", 1, 4, "control character" },
        { "[\"\\x\"]", 1, 3, "invalid escape" },
        { "[\"\\ud800\"]", 1, 3, "unpaired surrogate" },
        { "[\"\xc3\x28\"]", 1, 3, "invalid UTF-8" },
        { "[\"\xed\xa0\x80\"]", 1, 3, "invalid UTF-8" }, /* encoded surrogate */
        { "[01]", 1, 3, "expected ','" },
        { "[1.]", 1, 4, "digit expected" },
        { "[-]", 1, 2, "invalid number" },
        { "{} x", 1, 4, "unexpected data" },
        { "[1", 1, 3, "unexpected end" },
        { "\xff\xfe[", 1, 1, "UTF-16" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        parsed p = parse(cases[i].text);
        unsigned line, col;
        assert_int_not_equal(p.rc, 0);
        json_linecol(&p.d, p.d.err_off, &line, &col);
        if (line != cases[i].line || col != cases[i].col || !strstr(p.d.err, cases[i].msg))
            fail_msg("case %zu (%s): got %u:%u %s, want %u:%u %s", i, cases[i].text, line, col, p.d.err,
                     cases[i].line, cases[i].col, cases[i].msg);
        done(&p);
    }
}

static void test_depth_limit(void **state)
{
    (void)state;
    char deep[2 * JSON_MAX_DEPTH + 8];
    memset(deep, '[', JSON_MAX_DEPTH + 1);
    memset(deep + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
    deep[2 * JSON_MAX_DEPTH + 2] = '\0';
    parsed p = parse(deep);
    assert_int_equal(p.rc, -3);
    assert_non_null(strstr(p.d.err, "too deep"));
    done(&p);
    deep[JSON_MAX_DEPTH] = ']'; /* exactly JSON_MAX_DEPTH levels */
    deep[2 * JSON_MAX_DEPTH] = '\0';
    p = parse(deep);
    assert_int_equal(p.rc, 0);
    done(&p);
}

static void test_linecol_after_decoding(void **state)
{
    (void)state;
    /* Escaped newlines decode to real ones in place; positions must not move. */
    parsed p = parse("{\"a\": \"x\\ny\\nz\",\n \"b\": 1}");
    assert_int_equal(p.rc, 0);
    unsigned line, col;
    uint32_t b = json_get(&p.d, 0, "b");
    json_linecol(&p.d, p.d.t[b].off, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 7);
    done(&p);
}

static void test_bom_and_whitespace(void **state)
{
    (void)state;
    parsed p = parse("\xef\xbb\xbf \r\n\t{}\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(json_type(&p.d, 0), J_OBJ);
    done(&p);
}

/* Objects large enough for json_get's lookup table answer as the scan does. */
static void test_get_large_objects(void **state)
{
    (void)state;
    char text[2048] = "[{";
    for (int i = 0; i < 30; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "\"Key%02d\": %d, ", i, i);
    strcat(text, "\"Key05\": 99, \"Z\": {\"a\": 1}}, {");
    for (int i = 0; i < 20; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s\"Other%02d\": %d", i ? ", " : "", i, 100 + i);
    strcat(text, "}]");
    parsed p = parse(text);
    assert_int_equal(p.rc, 0);
    uint32_t a = json_child(0), b = json_next(&p.d, a);
    int64_t v;
    for (int round = 0; round < 2; round++) { /* alternate objects: both stay cached */
        for (int i = 0; i < 30; i++) {
            char k[16];
            snprintf(k, sizeof k, "Key%02d", i);
            assert_true(json_int(&p.d, json_get(&p.d, a, k), &v));
            assert_int_equal(v, i); /* the first of duplicate keys */
        }
        assert_true(json_int(&p.d, json_get(&p.d, b, "Other07"), &v));
        assert_int_equal(v, 107);
        assert_int_equal(json_get(&p.d, a, "Other07"), 0);
        assert_int_equal(json_get(&p.d, b, "Key07"), 0);
        assert_int_equal(json_get(&p.d, a, "Key"), 0);
        assert_int_equal(json_type(&p.d, json_get(&p.d, a, "Z")), J_OBJ);
    }
    done(&p);
}

typedef struct seen {
    uint32_t index[8];
    int n;
} seen;

/* Consume elements of "a" (recording their index), keep those of "b". */
static int consume_a(void *ctx, jdoc *d, uint32_t key, uint32_t elem, uint32_t index)
{
    seen *s = ctx;
    (void)elem;
    if (strcmp(json_str(d, key), "a") != 0)
        return 0;
    if (s->n < 8)
        s->index[s->n++] = index;
    return 1;
}

static void test_stream_consumes_elements(void **state)
{
    (void)state;
    const char *text = "{\"a\": [1, {\"x\": [2]}, 3], \"b\": [4, 5], \"c\": 6}";
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    memcpy(buf, text, n);
    jdoc d;
    seen s = { .n = 0 };
    assert_int_equal(json_parse_stream(&d, buf, n, JSON_MAX_DEPTH, consume_a, &s), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.index[0], 0);
    assert_int_equal(s.index[1], 1);
    assert_int_equal(s.index[2], 2);
    /* "a" looks empty and the tape stays consistent; "b" is intact */
    uint32_t a = json_get(&d, 0, "a"), b = json_get(&d, 0, "b");
    assert_int_equal(d.t[a].count, 0);
    assert_int_equal(d.t[a].next, a + 1);
    assert_int_equal(d.t[b].count, 2);
    assert_int_equal(d.t[0].count, 3);
    assert_int_equal(d.t[0].next, d.n);
    int64_t v;
    assert_true(json_int(&d, json_get(&d, 0, "c"), &v));
    assert_int_equal(v, 6);
    json_release(&d);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object_tape),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_errors_located),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_linecol_after_decoding),
        cmocka_unit_test(test_bom_and_whitespace),
        cmocka_unit_test(test_stream_consumes_elements),
        cmocka_unit_test(test_get_large_objects),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
