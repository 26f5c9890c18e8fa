/*
 * The audit: its public contracts (handles, options, waivers, profile,
 * failing counts, report order) and the catalogue's invariants, on the
 * bundled examples. Rule verdicts themselves are pinned by the paired
 * fixtures (tests/audit) and the golden reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analyses/audit.h"
#include "inputs/waivers.h"

#define INSECURE "examples/sagemaker-insecure"
#define SECURE "examples/sagemaker-secure"

static mlvpc_model *load(const char *dir)
{
    mlvpc_model *m = mlvpc_model_new();
    assert_non_null(m);
    assert_int_equal(mlvpc_model_load(m, dir, NULL, NULL), MLVPC_OK);
    assert_int_equal(mlvpc_model_finish(m, NULL), MLVPC_OK);
    return m;
}

static mlvpc_audit *run(const mlvpc_model *m, const mlvpc_audit_opts *o)
{
    mlvpc_diag err;
    mlvpc_audit *a = mlvpc_audit_new(m, o, &err);
    assert_non_null(a);
    assert_int_equal(mlvpc_audit_run(a, &err), MLVPC_OK);
    return a;
}

/* Findings of rule id (any status) on resource res (NULL: any). */
static size_t count(const mlvpc_audit *a, const char *id, const char *res)
{
    size_t n = 0;
    for (size_t i = 0; i < mlvpc_audit_finding_count(a); i++) {
        mlvpc_finding f;
        assert_int_equal(mlvpc_audit_finding(a, i, &f), MLVPC_OK);
        n += strcmp(f.rule, id) == 0 && (!res || strcmp(f.resource, res) == 0);
    }
    return n;
}

static void test_catalogue_is_complete_and_unique(void **state)
{
    (void)state;
    /* rules.md v1 has 40 rules; ids unique, metadata complete. */
    assert_int_equal(au_nrules, 40);
    for (size_t i = 0; i < au_nrules; i++) {
        const au_rule *r = au_rules[i];
        assert_non_null(r->check);
        assert_true(r->id && r->title && r->condition && r->rationale && r->fix && r->fix_cfn && r->fix_tf &&
                    r->refs && r->group && r->levels);
        assert_ptr_equal(au_rule_find(r->id), r);
        assert_non_null(strstr(r->levels, mlvpc_level_name(r->level)));
        for (size_t k = i + 1; k < au_nrules; k++)
            assert_string_not_equal(r->id, au_rules[k]->id);
    }
    assert_null(au_rule_find("NO-SUCH-RULE"));
}

static void test_levels(void **state)
{
    (void)state;
    assert_string_equal(mlvpc_level_name(MLVPC_CRITICAL), "critical");
    assert_string_equal(mlvpc_level_name(MLVPC_INFO), "info");
    assert_null(mlvpc_level_name((mlvpc_level)9));
    assert_int_equal(mlvpc_level_parse("medium"), MLVPC_MEDIUM);
    assert_int_equal(mlvpc_level_parse("severe"), -1);
    assert_int_equal(mlvpc_level_parse(NULL), -1);
}

static void test_handles_and_usage(void **state)
{
    (void)state;
    mlvpc_audit_free(NULL);
    mlvpc_diag err;
    mlvpc_model *m = mlvpc_model_new();
    assert_null(mlvpc_audit_new(m, NULL, &err)); /* not finished */
    assert_int_equal(err.status, MLVPC_ERR_USAGE);
    mlvpc_model_finish(m, NULL);
    mlvpc_audit_opts o = { .rules = "SG-WORLD-INGRESS,NOPE" };
    assert_null(mlvpc_audit_new(m, &o, &err));
    assert_non_null(strstr(err.text, "\"NOPE\""));
    mlvpc_audit *a = run(m, NULL);
    assert_int_equal(mlvpc_audit_finding_count(a), 0);
    assert_int_equal(mlvpc_audit_run(a, &err), MLVPC_ERR_USAGE); /* once */
    mlvpc_finding f;
    assert_int_equal(mlvpc_audit_finding(a, 0, &f), MLVPC_ERR_USAGE);
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(mlvpc_audit_write(a, MLVPC_FORMAT_JSON_LINE, null, &err), MLVPC_ERR_USAGE);
    assert_int_equal(mlvpc_audit_write(a, MLVPC_FORMAT_SARIF, null, &err), MLVPC_OK);
    fclose(null);
    mlvpc_audit_free(a);
    mlvpc_model_free(m);
    assert_int_equal(mlvpc_rule_explain("NOPE", stdout, &err), MLVPC_ERR_NOT_FOUND);
}

static void test_secure_example_is_clean_at_medium(void **state)
{
    (void)state;
    mlvpc_model *m = load(SECURE);
    mlvpc_audit *a = run(m, NULL);
    assert_int_equal(mlvpc_audit_failing(a, MLVPC_MEDIUM, 1), 0);
    /* What remains are low findings and tags the snapshot cannot show. */
    for (size_t i = 0; i < mlvpc_audit_finding_count(a); i++) {
        mlvpc_finding f;
        mlvpc_audit_finding(a, i, &f);
        assert_true(f.level >= MLVPC_LOW);
    }
    mlvpc_audit_free(a);
    mlvpc_model_free(m);
}

static void test_insecure_example_findings(void **state)
{
    (void)state;
    mlvpc_model *m = load(INSECURE);
    mlvpc_audit *a = run(m, NULL);
    /* The documented mistakes of examples/README.md, one each. */
    assert_int_equal(count(a, "NB-DIRECT-INTERNET", "notebook:ds-sandbox-nb"), 1);
    assert_int_equal(count(a, "DOMAIN-VPC-ONLY", "domain:d-2r40i4efjcab"), 1);
    assert_int_equal(count(a, "SG-WORLD-INGRESS", "sg-064b64f634770bc8a"), 1);
    assert_int_equal(count(a, "NAT-BROKEN", "rtb-02310035de62524b0"), 1);
    assert_int_equal(count(a, "NAT-PER-AZ", "subnet-02be7f019d1ab2699"), 1);
    assert_int_equal(count(a, "EP-MULTI-INSTANCE", "endpoint-config:churn-ab-config"), 2);
    assert_int_equal(count(a, "EP-MULTI-AZ", "endpoint:churn-live"), 1);
    assert_int_equal(count(a, "VPC-FLOW-LOGS", NULL), 1);
    assert_int_equal(count(a, "ROUTE-BLACKHOLE", "rtb-008a602c2ccd587c5"), 1);
    /* Not applicable here: no VPC-only workload, no private DNS endpoint. */
    assert_int_equal(count(a, "VPCE-REQUIRED", NULL), 0);
    assert_int_equal(count(a, "SM-NO-SERVICE-PATH", NULL), 0);
    assert_int_equal(count(a, "VPC-DNS-FOR-ENDPOINTS", NULL), 0);
    /* Report order: severities never increase within a resource. */
    for (size_t i = 1; i < mlvpc_audit_finding_count(a); i++) {
        mlvpc_finding p, f;
        mlvpc_audit_finding(a, i - 1, &p);
        mlvpc_audit_finding(a, i, &f);
        if (strcmp(p.resource, f.resource) == 0)
            assert_true(p.level <= f.level);
    }
    mlvpc_finding f;
    mlvpc_audit_finding(a, 0, &f);
    assert_int_equal(f.level, MLVPC_CRITICAL); /* most severe resource first */
    assert_non_null(f.file);
    assert_true(f.line > 0 && f.column > 0);
    mlvpc_audit_free(a);
    mlvpc_model_free(m);
}

static void test_rule_selection_and_profile(void **state)
{
    (void)state;
    mlvpc_model *m = load(INSECURE);
    mlvpc_audit_opts o = { .rules = "SG-WORLD-INGRESS, NB-ROOT-ACCESS", .skip_rules = "NB-ROOT-ACCESS" };
    mlvpc_audit *a = run(m, &o);
    for (size_t i = 0; i < mlvpc_audit_finding_count(a); i++) {
        mlvpc_finding f;
        mlvpc_audit_finding(a, i, &f);
        assert_string_equal(f.rule, "SG-WORLD-INGRESS");
    }
    assert_int_equal(mlvpc_audit_finding_count(a), 1);
    mlvpc_audit_free(a);

    /* dev: below high becomes info; high and critical stay. */
    mlvpc_audit_opts dev = { .profile = MLVPC_PROFILE_DEV, .rules = "NB-ROOT-ACCESS,NB-DIRECT-INTERNET" };
    a = run(m, &dev);
    assert_int_equal(mlvpc_audit_finding_count(a), 2);
    mlvpc_finding f;
    mlvpc_audit_finding(a, 0, &f);
    assert_string_equal(f.rule, "NB-DIRECT-INTERNET");
    assert_int_equal(f.level, MLVPC_HIGH);
    mlvpc_audit_finding(a, 1, &f);
    assert_int_equal(f.level, MLVPC_INFO);
    assert_int_equal(mlvpc_audit_failing(a, MLVPC_LOW, 0), 1);
    mlvpc_audit_free(a);

    /* prod raises SM-INTERNET-REACHABLE to high for jobs and models; under dev it is medium, so info. */
    mlvpc_audit_opts r = { .rules = "SM-INTERNET-REACHABLE" };
    for (int p = 0; p < 2; p++) {
        r.profile = p ? MLVPC_PROFILE_DEV : MLVPC_PROFILE_PROD;
        a = run(m, &r);
        for (size_t i = 0; i < mlvpc_audit_finding_count(a); i++) {
            mlvpc_audit_finding(a, i, &f);
            bool job = strstr(f.type, "job") || strstr(f.type, "monitoring") || strcmp(f.type, "model") == 0;
            assert_int_equal(f.level, p ? MLVPC_INFO : (job ? MLVPC_HIGH : MLVPC_MEDIUM));
        }
        mlvpc_audit_free(a);
    }
    mlvpc_model_free(m);
}

static void test_waivers(void **state)
{
    (void)state;
    mlvpc_model *m = load(INSECURE);
    mlvpc_audit_opts o = { .waivers = "tests/data/audit/waivers.yaml", .today = "2026-01-01" };
    mlvpc_audit *a = run(m, &o);
    size_t waived = 0;
    for (size_t i = 0; i < mlvpc_audit_finding_count(a); i++) {
        mlvpc_finding f;
        mlvpc_audit_finding(a, i, &f);
        if (strcmp(f.rule, "TAGS-REQUIRED") == 0 || (strcmp(f.rule, "SG-WORLD-INGRESS") == 0 &&
                                                     strcmp(f.resource, "sg-064b64f634770bc8a") == 0))
            assert_non_null(f.waived), waived++;
        else
            assert_null(f.waived); /* the expired NB-ROOT-ACCESS waiver waives nothing */
    }
    assert_true(waived > 1);
    assert_int_equal(mlvpc_audit_expired_waivers(a), 1);
    assert_int_equal(mlvpc_audit_failing(a, MLVPC_CRITICAL, 1), 0); /* the only critical is waived */
    mlvpc_audit_free(a);

    /* The same file a day after the first waiver's expiry: it no longer waives. */
    o.today = "2100-01-01";
    a = run(m, &o);
    assert_int_equal(mlvpc_audit_expired_waivers(a), 2);
    assert_int_equal(mlvpc_audit_failing(a, MLVPC_CRITICAL, 0), 1);
    mlvpc_audit_free(a);
    mlvpc_model_free(m);
}

static void test_waiver_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
        unsigned line;
    } cases[] = {
        { "- rule: A\n  resource: b\n", "\"reason\"", 1 },
        { "- rule: A\n  resource: b\n  reason: c\n  expires: soon\n", "YYYY-MM-DD", 4 },
        { "- rule: A\n  resource: b\n  reason: c\n  owner: d\n", "unknown waiver key \"owner\"", 4 },
        { "- rule: A\n  rule: B\n  resource: b\n  reason: c\n", "duplicate \"rule\"", 2 },
        { "waivers: 3\n", "expected a list", 1 },
        { "- [a, b]\n", "expected a waiver mapping", 1 },
        { "- rule: [A]\n  resource: b\n  reason: c\n", "to be a string", 1 },
        { "[{\"rule\": \"A\", \"resource\": \"b\"}]", "\"reason\"", 1 },
        { "{\"waivers\": [1]}", "expected a waiver object", 1 },
        { "- rule: A\n\tresource: b\n", "", 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[256];
        size_t len = strlen(cases[i].text);
        memcpy(buf, cases[i].text, len + 1);
        arena ar;
        arena_init(&ar);
        waiver *w;
        uint32_t n;
        mlvpc_diag err;
        assert_int_not_equal(waivers_parse("w.yaml", buf, len, &ar, &w, &n, &err), MLVPC_OK);
        assert_string_equal(err.file, "w.yaml");
        assert_non_null(strstr(err.text, cases[i].want));
        assert_int_equal(err.line, cases[i].line);
        arena_release(&ar);
    }
    /* Both forms of the top level, and an empty file. */
    static const char *const ok[] = { "waivers:\n  - {rule: \"*\", resource: \"*\", reason: r}\n",
                                      "[{\"rule\": \"*\", \"resource\": \"*\", \"reason\": \"r\"}]", "" };
    for (size_t i = 0; i < 3; i++) {
        char buf[128];
        size_t len = strlen(ok[i]);
        memcpy(buf, ok[i], len + 1);
        arena ar;
        arena_init(&ar);
        waiver *w;
        uint32_t n;
        assert_int_equal(waivers_parse("w", buf, len, &ar, &w, &n, NULL), MLVPC_OK);
        assert_int_equal(n, i < 2 ? 1 : 0);
        arena_release(&ar);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_is_complete_and_unique),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_handles_and_usage),
        cmocka_unit_test(test_secure_example_is_clean_at_medium),
        cmocka_unit_test(test_insecure_example_findings),
        cmocka_unit_test(test_rule_selection_and_profile),
        cmocka_unit_test(test_waivers),
        cmocka_unit_test(test_waiver_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
