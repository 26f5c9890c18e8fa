/* mlvpc: command dispatch. One file per subcommand (cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    { "show", cmd_show, "print the resolved network model" },
    { "reach", cmd_reach, "decide whether a source reaches a destination, hop by hop" },
    { "audit", cmd_audit, "check the inputs against every rule of the catalogue" },
    { "rules", cmd_rules, "list the rule catalogue" },
    { "explain", cmd_explain, "print one rule in full" },
    { "flows", cmd_flows, "aggregate VPC Flow Logs (plain, gzip, directories, stdin)" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: mlvpc [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'mlvpc COMMAND --help' describes a command.\n"
               "exit codes: 0 success/clean/reachable, 1 findings/unreachable,\n"
               "            2 usage or input error, 3 indeterminate\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("mlvpc %s\n", MLVPC_VERSION);
        return EXIT_CLEAN;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    cli_error("unknown command \"%s\"", argv[1]);
    usage(stderr);
    return EXIT_USAGE_INPUT;
}
