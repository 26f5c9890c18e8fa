/* mlvpc rules [--format text|json|markdown] and mlvpc explain ID. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char rules_usage[] =
    "usage: mlvpc rules [--format text|json|markdown]\n"
    "\n"
    "List the rule catalogue: id, severity, kind (graph: joins resources; reach:\n"
    "asks the reachability engine) and title. 'markdown' writes docs/rules.md.\n";

static const char explain_usage[] =
    "usage: mlvpc explain RULE-ID\n"
    "\n"
    "Print one rule in full: severity, the exact condition, why it matters, the fix\n"
    "(with the CloudFormation and Terraform property) and references.\n";

int cmd_rules(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    int fmt = MLVPC_FORMAT_TEXT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "markdown") == 0)
                fmt = MLVPC_FORMAT_MARKDOWN;
            else if ((fmt = cli_format(optarg)) < 0) {
                cli_error("rules: unknown format \"%s\" (expected text, json or markdown)", optarg);
                return EXIT_USAGE_INPUT;
            }
            break;
        case 'h': fputs(rules_usage, stdout); return EXIT_CLEAN;
        default: fputs(rules_usage, stderr); return EXIT_USAGE_INPUT;
        }
    }
    if (optind < argc) {
        cli_error("rules: unexpected argument \"%s\"", argv[optind]);
        return EXIT_USAGE_INPUT;
    }
    mlvpc_diag err;
    if (mlvpc_rules_write((mlvpc_format)fmt, stdout, &err) != MLVPC_OK) {
        cli_diag(&err);
        return EXIT_USAGE_INPUT;
    }
    return EXIT_CLEAN;
}

int cmd_explain(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(explain_usage, stdout);
        return EXIT_CLEAN;
    }
    if (argc != 2) {
        cli_error("explain: expected one rule id");
        fputs(explain_usage, stderr);
        return EXIT_USAGE_INPUT;
    }
    mlvpc_diag err;
    if (mlvpc_rule_explain(argv[1], stdout, &err) != MLVPC_OK) {
        cli_diag(&err);
        return EXIT_USAGE_INPUT;
    }
    return EXIT_CLEAN;
}
