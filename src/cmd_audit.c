/* mlvpc audit INPUT... — every rule of the catalogue over the inputs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: mlvpc audit INPUT... [--format text|json|sarif] [-o FILE] [--profile dev|prod]\n"
    "                   [--fail-on SEVERITY] [--fail-on-indeterminate] [--waivers FILE]\n"
    "                   [--require-tags KEY,...] [--rules ID,...] [--skip-rules ID,...]\n"
    "                   [--region REGION] [--account ID] [--quiet]\n"
    "\n"
    "Check the inputs against every rule of the catalogue ('mlvpc rules'). Each\n"
    "finding names the rule, severity, status (fail or indeterminate), resource,\n"
    "evidence (for reachability rules, the path), fix and source location.\n"
    "\n"
    "  -f, --format FMT          text (default), json (docs/audit-json.md) or sarif (2.1.0)\n"
    "  -o, --output FILE         write the report to FILE instead of standard output\n"
    "      --profile P           prod (default) or dev: below high is reported as info\n"
    "      --fail-on SEV         exit 1 when a finding is at SEV or above: critical, high,\n"
    "                            medium, low (default) or info\n"
    "      --fail-on-indeterminate  indeterminate findings count for --fail-on too\n"
    "      --waivers FILE        YAML or JSON list of {rule, resource (glob), reason, expires}\n"
    "      --require-tags KEYS   tag keys TAGS-REQUIRED asks for (default Environment,Owner)\n"
    "      --rules IDS           run only these rules (comma-separated)\n"
    "      --skip-rules IDS      do not run these rules\n"
    "      --region R            region for inputs whose layout names none\n"
    "      --account ID          account for inputs that name none\n"
    "  -q, --quiet               do not print warnings about the input\n"
    "  -h, --help                show this help\n"
    "\n"
    "Colour is used when standard output is a terminal and NO_COLOR is not set.\n"
    "Waiver expiry uses today's date (UTC), or SOURCE_DATE_EPOCH when it is set.\n"
    "exit codes: 0 no failing finding, 1 failing findings, 2 usage or input error\n";

static int parse_format(const char *s)
{
    if (strcmp(s, "sarif") == 0)
        return MLVPC_FORMAT_SARIF;
    return cli_format(s);
}

/* Today (UTC) as YYYY-MM-DD; SOURCE_DATE_EPOCH makes runs reproducible. */
static void today(char buf[16])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 16, "%Y-%m-%d", &tm);
}

enum { O_PROFILE = 256, O_FAIL_ON, O_FAIL_INDET, O_WAIVERS, O_TAGS, O_RULES, O_SKIP };

int cmd_audit(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
        { "profile", required_argument, NULL, O_PROFILE }, { "fail-on", required_argument, NULL, O_FAIL_ON },
        { "fail-on-indeterminate", no_argument, NULL, O_FAIL_INDET },
        { "waivers", required_argument, NULL, O_WAIVERS }, { "require-tags", required_argument, NULL, O_TAGS },
        { "rules", required_argument, NULL, O_RULES }, { "skip-rules", required_argument, NULL, O_SKIP },
        { "region", required_argument, NULL, 'r' }, { "account", required_argument, NULL, 'a' },
        { "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    cli_inputs in = { 0 };
    mlvpc_audit_opts ao = { 0 };
    int fmt = MLVPC_FORMAT_TEXT, fail_on = MLVPC_LOW, indet = 0, c;
    const char *output = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((fmt = parse_format(optarg)) < 0) {
                cli_error("audit: unknown format \"%s\" (expected text, json or sarif)", optarg);
                return EXIT_USAGE_INPUT;
            }
            break;
        case 'o': output = optarg; break;
        case O_PROFILE:
            if (strcmp(optarg, "prod") != 0 && strcmp(optarg, "dev") != 0) {
                cli_error("audit: unknown profile \"%s\" (expected dev or prod)", optarg);
                return EXIT_USAGE_INPUT;
            }
            ao.profile = strcmp(optarg, "dev") == 0 ? MLVPC_PROFILE_DEV : MLVPC_PROFILE_PROD;
            break;
        case O_FAIL_ON:
            if ((fail_on = mlvpc_level_parse(optarg)) < 0) {
                cli_error("audit: unknown severity \"%s\" (expected critical, high, medium, low or info)", optarg);
                return EXIT_USAGE_INPUT;
            }
            break;
        case O_FAIL_INDET: indet = 1; break;
        case O_WAIVERS: ao.waivers = optarg; break;
        case O_TAGS: ao.require_tags = optarg; break;
        case O_RULES: ao.rules = optarg; break;
        case O_SKIP: ao.skip_rules = optarg; break;
        case 'r': in.opts.region = optarg; break;
        case 'a': in.opts.account = optarg; break;
        case 'q': in.quiet = 1; break;
        case 'h': fputs(usage, stdout); return EXIT_CLEAN;
        default: fputs(usage, stderr); return EXIT_USAGE_INPUT;
        }
    }
    in.paths = (const char **)argv + optind;
    in.npaths = argc - optind;
    if (in.npaths == 0) {
        cli_error("audit: no input given");
        fputs(usage, stderr);
        return EXIT_USAGE_INPUT;
    }
    char date[16];
    today(date);
    ao.today = date;
    ao.inputs = in.paths;
    ao.ninputs = (size_t)in.npaths;
    char cwd[4096];
    ao.source_root = getcwd(cwd, sizeof cwd);
    ao.color = !output && fmt == MLVPC_FORMAT_TEXT && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

    mlvpc_model *m = cli_load(&in);
    if (!m)
        return EXIT_USAGE_INPUT;
    mlvpc_diag err;
    mlvpc_audit *a = mlvpc_audit_new(m, &ao, &err);
    int rc = EXIT_USAGE_INPUT;
    FILE *f = NULL;
    if (!a || mlvpc_audit_run(a, &err) != MLVPC_OK) {
        cli_diag(&err);
        goto out;
    }
    if (output && !(f = fopen(output, "w"))) {
        cli_error("audit: cannot write \"%s\"", output);
        goto out;
    }
    if (mlvpc_audit_write(a, (mlvpc_format)fmt, f ? f : stdout, &err) != MLVPC_OK) {
        cli_diag(&err);
        goto out;
    }
    if (f && fclose(f) != 0) {
        f = NULL;
        cli_error("audit: cannot write \"%s\"", output);
        goto out;
    }
    f = NULL;
    if (mlvpc_audit_expired_waivers(a) && (output || fmt != MLVPC_FORMAT_TEXT))
        cli_error("audit: %zu waiver(s) in \"%s\" have expired and waive nothing", mlvpc_audit_expired_waivers(a),
                  ao.waivers);
    rc = mlvpc_audit_failing(a, (mlvpc_level)fail_on, indet) ? EXIT_FINDINGS : EXIT_CLEAN;
out:
    if (f)
        fclose(f);
    mlvpc_audit_free(a);
    mlvpc_model_free(m);
    return rc;
}
