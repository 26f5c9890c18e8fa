/* mlvpc reach INPUT... --from REF --to REF [--proto P] [--port N|N-M] [--format text|json]
 * mlvpc reach INPUT... --batch FILE */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: mlvpc reach INPUT... --from REF --to REF [--proto P] [--port N|N-M] [--format text|json]\n"
    "       mlvpc reach INPUT... --batch FILE\n"
    "\n"
    "Decide whether REF --from can open a connection to REF --to, as AWS would:\n"
    "security groups, network ACLs both ways, route tables, gateways, NAT,\n"
    "endpoints, peering, DNS for service names and SageMaker network modes.\n"
    "\n"
    "REF: an ENI, instance or interface endpoint id; an IP address; notebook:NAME,\n"
    "domain:ID, training-job:NAME, processing-job:NAME, tuning-job:NAME, automl-job:NAME,\n"
    "monitoring-schedule:NAME, monitoring-job-definition:NAME, model:NAME,\n"
    "endpoint:NAME (sources); internet (either end); service:NAME (s3,\n"
    "sagemaker.api, sts, ...; destinations).\n"
    "\n"
    "  --from REF          source\n"
    "  --to REF            destination\n"
    "  --proto P           tcp (default), udp, icmp, icmpv6, all or a number\n"
    "  --port N|N-M        destination ports (default 443; tcp and udp)\n"
    "  -f, --format FMT    text (default) or json (docs/reach-json.md)\n"
    "  --batch FILE        one query per line (\"FROM TO [PROTO [PORTS]]\"; # starts a comment);\n"
    "                      answers as JSON lines; the model is loaded once\n"
    "      --region R, --account ID, -q/--quiet as for show\n"
    "\n"
    "exit: 0 reachable, 1 unreachable, 3 indeterminate, 2 usage or input error\n"
    "      (--batch: the worst answer: 2 > 1 > 3 > 0)\n";

static int exit_of(mlvpc_verdict v)
{
    return v == MLVPC_REACHABLE ? EXIT_CLEAN : v == MLVPC_UNREACHABLE ? EXIT_FINDINGS : EXIT_INDETERMINATE;
}

/* Rank of exit codes for a batch: usage/input error, then unreachable, indeterminate, reachable. */
static int worse(int a, int b)
{
    static const int rank[] = { [EXIT_CLEAN] = 0, [EXIT_FINDINGS] = 2, [EXIT_USAGE_INPUT] = 3, [EXIT_INDETERMINATE] = 1 };
    return rank[b] > rank[a] ? b : a;
}

static int run_batch(mlvpc_reach *r, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        cli_error("reach: cannot open \"%s\"", path);
        return EXIT_USAGE_INPUT;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0;
    int rc = EXIT_CLEAN;
    while ((len = getline(&line, &cap, f)) != -1) {
        lineno++;
        if (strlen(line) != (size_t)len) {
            cli_error("%s:%u: NUL byte in the line", path, lineno);
            rc = worse(rc, EXIT_USAGE_INPUT);
            continue;
        }
        char *hash = strchr(line, '#'); /* a comment runs to the end of the line */
        if (hash)
            *hash = '\0';
        char *field[5] = { 0 }, *save = NULL;
        int n = 0;
        for (char *tok = strtok_r(line, " \t\r\n", &save); tok && n < 5; tok = strtok_r(NULL, " \t\r\n", &save))
            field[n++] = tok;
        if (n == 0)
            continue;
        if (n < 2 || n > 4) {
            cli_error("%s:%u: expected \"FROM TO [PROTO [PORTS]]\"", path, lineno);
            rc = worse(rc, EXIT_USAGE_INPUT);
            continue;
        }
        mlvpc_reach_query q = { .from = field[0], .to = field[1], .proto = field[2], .ports = field[3] };
        mlvpc_verdict v;
        mlvpc_diag err;
        if (mlvpc_reach_run(r, &q, MLVPC_FORMAT_JSON_LINE, stdout, &v, &err) != MLVPC_OK) {
            cli_error("%s:%u: %s", path, lineno, err.text);
            rc = worse(rc, EXIT_USAGE_INPUT);
            continue;
        }
        rc = worse(rc, exit_of(v));
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int cmd_reach(int argc, char **argv)
{
    enum { O_FROM = 256, O_TO, O_PROTO, O_PORT, O_BATCH, O_REGION, O_ACCOUNT };
    static const struct option longopts[] = {
        { "from", required_argument, NULL, O_FROM }, { "to", required_argument, NULL, O_TO },
        { "proto", required_argument, NULL, O_PROTO }, { "port", required_argument, NULL, O_PORT },
        { "batch", required_argument, NULL, O_BATCH }, { "format", required_argument, NULL, 'f' },
        { "region", required_argument, NULL, O_REGION }, { "account", required_argument, NULL, O_ACCOUNT },
        { "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    cli_inputs in = { 0 };
    mlvpc_reach_query q = { 0 };
    const char *batch = NULL;
    int fmt = MLVPC_FORMAT_TEXT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:qh", longopts, NULL)) != -1) {
        switch (c) {
        case O_FROM: q.from = optarg; break;
        case O_TO: q.to = optarg; break;
        case O_PROTO: q.proto = optarg; break;
        case O_PORT: q.ports = optarg; break;
        case O_BATCH: batch = optarg; break;
        case O_REGION: in.opts.region = optarg; break;
        case O_ACCOUNT: in.opts.account = optarg; break;
        case 'q': in.quiet = 1; break;
        case 'f':
            if ((fmt = cli_format(optarg)) < 0) {
                cli_error("reach: unknown format \"%s\" (expected text or json)", optarg);
                return EXIT_USAGE_INPUT;
            }
            break;
        case 'h': fputs(usage, stdout); return EXIT_CLEAN;
        default: fputs(usage, stderr); return EXIT_USAGE_INPUT;
        }
    }
    in.paths = (const char **)argv + optind;
    in.npaths = argc - optind;
    if (in.npaths == 0 || (!batch && (!q.from || !q.to)) || (batch && (q.from || q.to))) {
        cli_error(in.npaths == 0 ? "reach: no input given"
                  : batch        ? "reach: --batch takes its queries from the file, not --from/--to"
                                 : "reach: --from and --to are required");
        fputs(usage, stderr);
        return EXIT_USAGE_INPUT;
    }
    mlvpc_model *m = cli_load(&in);
    if (!m)
        return EXIT_USAGE_INPUT;
    mlvpc_reach *r = mlvpc_reach_new(m);
    int rc;
    if (!r) {
        cli_error("out of memory");
        rc = EXIT_USAGE_INPUT;
    } else if (batch) {
        rc = run_batch(r, batch);
    } else {
        mlvpc_verdict v;
        mlvpc_diag err;
        if (mlvpc_reach_run(r, &q, (mlvpc_format)fmt, stdout, &v, &err) != MLVPC_OK) {
            cli_diag(&err);
            rc = EXIT_USAGE_INPUT;
        } else {
            rc = exit_of(v);
        }
    }
    mlvpc_reach_free(r);
    mlvpc_model_free(m);
    return rc;
}
