/* mlvpc show INPUT... [--format text|json] */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char usage[] =
    "usage: mlvpc show INPUT... [--format text|json] [--region REGION] [--account ID] [--quiet]\n"
    "\n"
    "Print the resolved network model: per VPC its subnets (AZ, public or private\n"
    "and why, effective route table and network ACL, network interfaces),\n"
    "security groups with normalised rules, network ACLs, gateways, endpoints,\n"
    "peering and flow logs; then SageMaker resources with their placements.\n"
    "\n"
    "INPUT is a JSON or YAML file (AWS CLI describe-* output, CloudFormation\n"
    "template) or a directory of them, e.g. a snapshot laid out as\n"
    "aws_configs/[accounts/ID/]REGION/*.json.\n"
    "\n"
    "  -f, --format FMT   text (default) or json (docs/show-json.md)\n"
    "      --region R     region for inputs whose layout names none\n"
    "      --account ID   account for inputs that name none\n"
    "  -q, --quiet        do not print warnings about the input\n"
    "  -h, --help         show this help\n";

int cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' }, { "region", required_argument, NULL, 'r' },
        { "account", required_argument, NULL, 'a' }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    cli_inputs in = { 0 };
    int fmt = MLVPC_FORMAT_TEXT, c;
    optind = 1;
    /* GNU getopt permutes argv, so options may follow the inputs. */
    while ((c = getopt_long(argc, argv, "f:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((fmt = cli_format(optarg)) < 0) {
                cli_error("show: unknown format \"%s\" (expected text or json)", optarg);
                return EXIT_USAGE_INPUT;
            }
            break;
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
        cli_error("show: no input given");
        fputs(usage, stderr);
        return EXIT_USAGE_INPUT;
    }
    mlvpc_model *m = cli_load(&in);
    if (!m)
        return EXIT_USAGE_INPUT;
    mlvpc_diag err;
    mlvpc_status st = mlvpc_show_write(m, (mlvpc_format)fmt, stdout, &err);
    mlvpc_model_free(m);
    if (st != MLVPC_OK) {
        cli_diag(&err);
        return EXIT_USAGE_INPUT;
    }
    return EXIT_CLEAN;
}
