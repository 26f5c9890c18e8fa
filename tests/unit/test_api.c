/* The public API's contracts (include/mlvpc/mlvpc.h), through the API only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <mlvpc/mlvpc.h>

static void test_free_null_and_empty_model(void **state)
{
    (void)state;
    mlvpc_model_free(NULL);
    mlvpc_model *m = mlvpc_model_new();
    assert_non_null(m);
    assert_int_equal(mlvpc_model_resource_count(m), 0);
    assert_int_equal(mlvpc_model_finish(m, NULL), MLVPC_OK);
    mlvpc_model_free(m);
}

static void test_finish_twice_and_load_after_finish(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    assert_int_equal(mlvpc_model_finish(m, &err), MLVPC_OK);
    assert_int_equal(mlvpc_model_finish(m, &err), MLVPC_ERR_USAGE);
    assert_non_null(strstr(err.text, "already finished"));
    assert_int_equal(mlvpc_model_load(m, "tests/data/bad/mixed", NULL, &err), MLVPC_ERR_USAGE);
    mlvpc_model_free(m);
}

static void test_show_needs_finished_model(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(mlvpc_show_write(m, MLVPC_FORMAT_JSON, f, &err), MLVPC_ERR_USAGE);
    mlvpc_model_finish(m, NULL);
    assert_int_equal(mlvpc_show_write(m, MLVPC_FORMAT_JSON, f, &err), MLVPC_OK);
    fclose(f);
    mlvpc_model_free(m);
}

static void test_missing_path_is_io_error(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    assert_int_equal(mlvpc_model_load(m, "tests/data/no/such/file.json", NULL, &err), MLVPC_ERR_IO);
    assert_string_equal(err.file, "tests/data/no/such/file.json");
    assert_non_null(strstr(err.text, "cannot open"));
    assert_int_equal(err.severity, MLVPC_SEV_ERROR);
    mlvpc_model_free(m);
}

static void test_diag_format(void **state)
{
    (void)state;
    mlvpc_diag d = { .status = MLVPC_ERR_SCHEMA, .line = 12, .column = 5 };
    strcpy(d.file, "file.json");
    strcpy(d.path, "$.Subnets[0].CidrBlock");
    strcpy(d.text, "expected \"CidrBlock\" string");
    char buf[256];
    assert_string_equal(mlvpc_diag_format(&d, buf, sizeof buf),
                        "file.json:12:5: $.Subnets[0].CidrBlock: expected \"CidrBlock\" string");
    d.line = 0;
    d.path[0] = '\0';
    assert_string_equal(mlvpc_diag_format(&d, buf, sizeof buf), "file.json: expected \"CidrBlock\" string");
    char tiny[8];
    assert_string_equal(mlvpc_diag_format(&d, tiny, sizeof tiny), "file.js"); /* truncated, terminated */
    assert_string_equal(mlvpc_status_str(MLVPC_ERR_SYNTAX), "syntax error");
    assert_string_equal(mlvpc_status_str((mlvpc_status)99), "unknown status");
}

static void test_directory_walk(void **state)
{
    (void)state;
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag err;
    assert_int_equal(mlvpc_model_load(m, "tests/data/aws-cli/batfish-test-multi-account", NULL, &err), MLVPC_OK);
    assert_int_equal(mlvpc_model_finish(m, &err), MLVPC_OK);
    assert_int_equal(mlvpc_model_resource_count(m), 2);
    mlvpc_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_null_and_empty_model),
        cmocka_unit_test(test_finish_twice_and_load_after_finish),
        cmocka_unit_test(test_show_needs_finished_model),
        cmocka_unit_test(test_missing_path_is_io_error),
        cmocka_unit_test(test_diag_format),
        cmocka_unit_test(test_directory_walk),
    };
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
