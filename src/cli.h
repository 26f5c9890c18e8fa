/*
 * Shared pieces of the mlvpc command line. The CLI uses only the public API
 * (include/mlvpc/mlvpc.h); it is the only place that prints diagnostics and
 * chooses exit codes.
 */
#ifndef MLVPC_CLI_H
#define MLVPC_CLI_H

#include <mlvpc/mlvpc.h>

/* Exit codes of every command (README "Exit codes"). */
enum {
    EXIT_CLEAN = 0,        /* success / clean / reachable */
    EXIT_FINDINGS = 1,     /* findings / unreachable */
    EXIT_USAGE_INPUT = 2,  /* usage or input error */
    EXIT_INDETERMINATE = 3 /* indeterminate */
};

/* "mlvpc: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a located diagnostic: "mlvpc: file:line:col: path: text". */
void cli_diag(const mlvpc_diag *d);

/* Options shared by commands that read inputs. */
typedef struct cli_inputs {
    const char **paths;
    int npaths;
    mlvpc_load_opts opts;
    int quiet; /* do not print warnings */
} cli_inputs;

/* Load and finish a model from inputs; prints errors. NULL on failure. */
mlvpc_model *cli_load(const cli_inputs *in);
/* Parse --format: "text" or "json". -1 when invalid. */
int cli_format(const char *s);

int cmd_show(int argc, char **argv);
int cmd_reach(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_flows(int argc, char **argv);

#endif
