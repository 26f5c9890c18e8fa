/* mlvpc flows FILE|DIR|-... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: mlvpc flows FILE|DIR|-... [--fields \"version account-id ...\"] [--format text|json]\n"
    "                   [--top N] [--since TIME] [--until TIME] [--model INPUT]... [--ip-ranges FILE]\n"
    "                   [--prices FILE]\n"
    "                   [--region R] [--account ID] [--partial OUT] [--threads N] [--files-from LIST]\n"
    "                   [--quiet]\n"
    "       mlvpc flows merge PARTIAL... [--files-from LIST] [--format text|json] [--top N] [--model INPUT]...\n"
    "                   [--prices FILE] [--partial OUT]\n"
    "\n"
    "Aggregate VPC Flow Logs: totals, records by action, top talkers by bytes and\n"
    "by packets (sources, destinations, pairs), protocols and destination ports,\n"
    "REJECT records by source, destination and port, and interfaces. Figures are\n"
    "exact while a table holds at most 262,144 keys; past that the report states\n"
    "how low each row may be (\"missed\" 0: exact) and the most a key it left out\n"
    "can have had. Unusable records are counted by reason and the first few shown\n"
    "with their file and line.\n"
    "\n"
    "Inputs are plain or gzip files (as S3 delivers them), directories (walked\n"
    "recursively in name order, e.g. AWSLogs/ACCOUNT/vpcflowlogs/REGION/...), or\n"
    "- for standard input. A file's header line gives its fields; files without\n"
    "one (CloudWatch Logs exports) use --fields, else the default format.\n"
    "\n"
    "  -F, --fields LIST  field names of files without a header line, as in the\n"
    "                     flow log's LogFormat (with or without ${...}; spaces or\n"
    "                     commas between them)\n"
    "  -f, --format FMT   text (default) or json (docs/flows-json.md)\n"
    "  -n, --top N        rows per top list (default 10)\n"
    "      --since TIME   only records whose window ends at or after TIME\n"
    "      --until TIME   only records whose window starts before TIME\n"
    "                     (TIME: 2026-11-26T10:00:00Z, 2026-11-26, or epoch seconds)\n"
    "  -m, --model INPUT  join to the network model of INPUT (as for show; repeat for\n"
    "                     several): interfaces named after what they belong to,\n"
    "                     SageMaker internet egress, cross-AZ traffic and its cost,\n"
    "                     interface endpoints without traffic\n"
    "      --ip-ranges FILE  AWS's ip-ranges.json: NAT gateway traffic with AWS services\n"
    "                     and what endpoints would save (with --model)\n"
    "      --prices FILE  the price table of cost estimates (default: data/prices.json's)\n"
    "      --region R, --account ID  for model inputs whose layout names none\n"
    "  -p, --partial OUT  write the aggregate state to OUT (- for standard output)\n"
    "                     instead of the report, for `flows merge` (the reduce step\n"
    "                     when mlvpc is the map step of another engine)\n"
    "  -j, --threads N    files read at once (default: one per core)\n"
    "      --files-from LIST  also read the inputs listed in LIST, one path per line\n"
    "                     (- for standard input), as engines that pipe give a shard\n"
    "  -q, --quiet        no progress on standard error\n"
    "  -h, --help         show this help\n"
    "\n"
    "Progress (bytes and records per second, percentage and ETA) goes to standard\n"
    "error when it is a terminal.\n"
    "\n"
    "flows merge reads partials (- for standard input) and prints the report of\n"
    "all of them, the same as one run over all their inputs; with --partial it\n"
    "writes their merged partial instead (merges nest).\n";

/* TIME as epoch seconds; -1 when it is none of the accepted forms. */
static int64_t parse_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char *end;
    if (strspn(s, "0123456789") == strlen(s) && *s) {
        long long v = strtoll(s, &end, 10);
        return *end || v < 0 ? -1 : (int64_t)v;
    }
    const char *rest = strptime(s, "%Y-%m-%d", &tm);
    if (rest && *rest == 'T')
        rest = strptime(rest + 1, "%H:%M:%S", &tm);
    if (!rest || (*rest && strcmp(rest, "Z") != 0))
        return -1;
    time_t t = timegm(&tm);
    return t < 0 ? -1 : (int64_t)t;
}

typedef struct prog {
    struct timespec start, last;
    int shown;
} prog;

static double secs(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t records)
{
    prog *p = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->shown && secs(&p->last, &now) < 0.25)
        return;
    p->last = now;
    p->shown = 1;
    double el = secs(&p->start, &now);
    double mbs = el > 0 ? (double)done / 1e6 / el : 0, rps = el > 0 ? (double)records / el : 0;
    if (total && done <= total) {
        double eta = mbs > 0 ? (double)(total - done) / 1e6 / mbs : 0;
        fprintf(stderr, "\r%.1f of %.1f MB (%.0f%%), %.0f MB/s, %.0f records/s, ETA %.0f s   ",
                (double)done / 1e6, (double)total / 1e6, 100.0 * (double)done / (double)total, mbs, rps, eta);
    } else {
        fprintf(stderr, "\r%.1f MB, %.0f MB/s, %.0f records/s   ", (double)done / 1e6, mbs, rps);
    }
}

/* The inputs listed in `list` ("-": standard input), one path per line;
 * empty lines are skipped. */
static mlvpc_status add_listed(mlvpc_flows *f, const char *list, int merge, mlvpc_diag *err)
{
    FILE *in = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
    if (!in) {
        memset(err, 0, sizeof *err);
        err->status = MLVPC_ERR_IO;
        snprintf(err->file, sizeof err->file, "%s", list);
        snprintf(err->text, sizeof err->text, "cannot open the list of inputs");
        return MLVPC_ERR_IO;
    }
    char line[4096];
    unsigned long n = 0;
    mlvpc_status st = MLVPC_OK;
    while (st == MLVPC_OK && fgets(line, sizeof line, in)) {
        n++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            memset(err, 0, sizeof *err);
            err->status = MLVPC_ERR_LIMIT;
            snprintf(err->file, sizeof err->file, "%s", list);
            err->line = (unsigned)n;
            snprintf(err->text, sizeof err->text, "a path longer than %zu bytes", sizeof line - 2);
            st = MLVPC_ERR_LIMIT;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len)
            st = merge ? mlvpc_flows_merge(f, line, err) : mlvpc_flows_add(f, line, err);
    }
    if (in != stdin)
        fclose(in);
    return st;
}

int cmd_flows(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "fields", required_argument, NULL, 'F' }, { "format", required_argument, NULL, 'f' },
        { "top", required_argument, NULL, 'n' },    { "since", required_argument, NULL, 's' },
        { "until", required_argument, NULL, 'u' },  { "quiet", no_argument, NULL, 'q' },
        { "partial", required_argument, NULL, 'p' }, { "help", no_argument, NULL, 'h' },
        { "model", required_argument, NULL, 'm' },  { "prices", required_argument, NULL, 'P' },
        { "region", required_argument, NULL, 'r' }, { "account", required_argument, NULL, 'a' },
        { "ip-ranges", required_argument, NULL, 'I' }, { "threads", required_argument, NULL, 'j' },
        { "files-from", required_argument, NULL, 'L' },
        { NULL, 0, NULL, 0 },
    };
    mlvpc_flows_opts o = { .since = -1, .until = -1 };
    int fmt = MLVPC_FORMAT_TEXT, c, quiet = 0, merge = argc > 1 && strcmp(argv[1], "merge") == 0;
    const char *partial = NULL, *prices = NULL, *ranges = NULL, *files_from = NULL, *models[64];
    int nmodels = 0;
    cli_inputs in = { 0 };
    char *end;
    if (merge) {
        argc--;
        argv++;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, merge ? "F:f:n:p:m:qh" : "F:f:n:p:m:j:qh", longopts, NULL)) != -1) {
        if (merge && (c == 'F' || c == 's' || c == 'u' || c == 'q')) {
            cli_error("flows merge: --%s is an option of the runs that made the partials",
                      c == 'F' ? "fields" : c == 's' ? "since" : c == 'u' ? "until" : "quiet");
            return EXIT_USAGE_INPUT;
        }
        switch (c) {
        case 'p': partial = optarg; break;
        case 'm':
            if (nmodels == (int)(sizeof models / sizeof *models)) {
                cli_error("flows: at most 64 --model inputs");
                return EXIT_USAGE_INPUT;
            }
            models[nmodels++] = optarg;
            break;
        case 'P': prices = optarg; break;
        case 'I': ranges = optarg; break;
        case 'L': files_from = optarg; break;
        case 'j': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 64) {
                cli_error("flows: --threads expects a number from 1 to 64, got \"%s\"", optarg);
                return EXIT_USAGE_INPUT;
            }
            o.threads = (unsigned)v;
            break;
        }
        case 'r': in.opts.region = optarg; break;
        case 'a': in.opts.account = optarg; break;
        case 'F': o.fields = optarg; break;
        case 'f':
            if ((fmt = cli_format(optarg)) < 0) {
                cli_error("flows: unknown format \"%s\" (expected text or json)", optarg);
                return EXIT_USAGE_INPUT;
            }
            break;
        case 'n': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 100000) {
                cli_error("flows: --top expects a number from 1 to 100000, got \"%s\"", optarg);
                return EXIT_USAGE_INPUT;
            }
            o.top = (unsigned)v;
            break;
        }
        case 's':
        case 'u': {
            int64_t t = parse_time(optarg);
            if (t < 0) {
                cli_error("flows: --%s expects a time such as 2026-11-26T10:00:00Z, 2026-11-26 or epoch "
                          "seconds, got \"%s\"", c == 's' ? "since" : "until", optarg);
                return EXIT_USAGE_INPUT;
            }
            *(c == 's' ? &o.since : &o.until) = t;
            break;
        }
        case 'q': quiet = 1; break;
        case 'h': fputs(usage, stdout); return EXIT_CLEAN;
        default: fputs(usage, stderr); return EXIT_USAGE_INPUT;
        }
    }
    if (optind == argc && !files_from) {
        cli_error(merge ? "flows merge: no partial given" : "flows: no input given (a file, a directory, or - for standard input)");
        fputs(usage, stderr);
        return EXIT_USAGE_INPUT;
    }
    prog p = { 0 };
    clock_gettime(CLOCK_MONOTONIC, &p.start);
    if (!quiet && !merge && isatty(2)) {
        o.progress = on_progress;
        o.progress_ctx = &p;
    }
    mlvpc_diag err;
    mlvpc_flows *f = mlvpc_flows_new(&o, &err);
    if (!f) {
        cli_diag(&err);
        return EXIT_USAGE_INPUT;
    }
    mlvpc_model *m = NULL;
    if (nmodels) {
        in.paths = models;
        in.npaths = nmodels;
        in.quiet = quiet;
        if (!(m = cli_load(&in)) || mlvpc_flows_set_model(f, m, &err) != MLVPC_OK) {
            if (m)
                cli_diag(&err);
            mlvpc_model_free(m);
            mlvpc_flows_free(f);
            return EXIT_USAGE_INPUT;
        }
    }
    if (ranges && !m) {
        cli_error("flows: --ip-ranges needs --model (it tells which interfaces are NAT gateways)");
        mlvpc_flows_free(f);
        return EXIT_USAGE_INPUT;
    }
    if ((prices && mlvpc_flows_set_prices(f, prices, &err) != MLVPC_OK) ||
        (ranges && mlvpc_flows_set_ip_ranges(f, ranges, &err) != MLVPC_OK)) {
        cli_diag(&err);
        mlvpc_flows_free(f);
        mlvpc_model_free(m);
        return EXIT_USAGE_INPUT;
    }
    mlvpc_status st = MLVPC_OK;
    for (int i = optind; i < argc && st == MLVPC_OK; i++)
        st = merge ? mlvpc_flows_merge(f, argv[i], &err) : mlvpc_flows_add(f, argv[i], &err);
    if (files_from && st == MLVPC_OK)
        st = add_listed(f, files_from, merge, &err);
    if (p.shown)
        fputs("\r\033[K", stderr);
    if (st != MLVPC_OK) {
        cli_diag(&err);
        mlvpc_flows_free(f);
        mlvpc_model_free(m);
        return EXIT_USAGE_INPUT;
    }
    if (m && !partial && (st = mlvpc_flows_explain(f, &err)) != MLVPC_OK) {
        cli_diag(&err);
        mlvpc_flows_free(f);
        mlvpc_model_free(m);
        return EXIT_USAGE_INPUT;
    }
    if (partial) {
        FILE *out = strcmp(partial, "-") == 0 ? stdout : fopen(partial, "wb");
        if (!out) {
            cli_error("flows: cannot write \"%s\"", partial);
            mlvpc_flows_free(f);
            mlvpc_model_free(m);
            return EXIT_USAGE_INPUT;
        }
        st = mlvpc_flows_write_partial(f, out, &err);
        if (out != stdout && fclose(out) != 0 && st == MLVPC_OK) {
            cli_error("flows: cannot write \"%s\"", partial);
            st = MLVPC_ERR_IO;
            err.text[0] = '\0';
        }
    } else {
        st = mlvpc_flows_write(f, (mlvpc_format)fmt, stdout, &err);
    }
    mlvpc_flows_free(f);
    mlvpc_model_free(m);
    if (st != MLVPC_OK) {
        if (err.text[0])
            cli_diag(&err);
        return EXIT_USAGE_INPUT;
    }
    return EXIT_CLEAN;
}
