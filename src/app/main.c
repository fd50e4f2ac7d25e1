/* main.c — command dispatch.  With no command (or only options) the workbench opens. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/commands.h"
#include "app/dist.h"

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command commands[] = {
    {"inspect", cmd_inspect, "print the data ledger and a summary of a data file"},
    {"simulate", cmd_simulate, "write a synthetic shop in rees46 format"},
    {"train", cmd_train, "train a model and save the run"},
    {"eval", cmd_eval, "evaluate a saved run on data"},
    {"predict", cmd_predict, "write session purchase probabilities as CSV"},
    {"compare", cmd_compare, "compare saved runs side by side"},
    {"replay", cmd_replay, "print a saved run's history epoch by epoch"},
    {"sweep", cmd_sweep, "train a grid of configurations and tabulate the results"},
    {"study", cmd_study, "reproduce the study's tables, seed-compatible and honest"},
    {"early", cmd_early, "evaluate a model on the first k events of each session"},
    {"tui", cmd_tui, "open the workbench (the default)"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: clickseq [--data FILE [--format FMT] [--outcomes FILE]]   open the workbench\n"
            "       clickseq [options] RUN|DIR...                               the workbench on these runs\n"
            "       clickseq COMMAND [options]                                  run headless\n"
            "\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n`clickseq COMMAND --help` lists a command's options; `man clickseq` has it all.\n"
               "Exit status: 0 ok, 1 runtime failure, 2 usage or input error.\n");
}

/* Under mpirun / srun (built with MPI) MPI is started around the command; only train and
 * sweep use several ranks, the others refuse to run N times. */
static int run_command(const command *c, int argc, char **argv)
{
    int rc = app_dist_init(&argc, &argv);
    if (rc)
        return rc;
    if (app_dist_size() > 1 && strcmp(c->name, "train") && strcmp(c->name, "sweep")) {
        if (app_dist_rank() == 0)
            fprintf(stderr, "clickseq: %s runs in one process; under mpirun only train and sweep "
                            "use several ranks (-np 1, or run it without mpirun)\n", c->name);
        return app_dist_finish(2);
    }
    return app_dist_finish(c->fn(argc - 1, argv + 1));
}

static int dispatch(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("clickseq %s\n", PACKAGE_VERSION);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return cmd_tui(argc, argv);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return run_command(&commands[i], argc, argv);
    /* clickseq RUN|DIR...: the workbench on runs anywhere (a folder named like a command
     * is reached as ./NAME) */
    struct stat st;
    if ((stat(argv[1], &st) == 0 && S_ISDIR(st.st_mode)) || strchr(argv[1], '/'))
        return cmd_tui(argc, argv);   /* (a missing path is named there) */
    fprintf(stderr, "clickseq: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}

/* Whatever a command printed must have reached standard output: a full disk, a closed
 * pipe with SIGPIPE ignored or any other write error is reported here, once, for every
 * command: exit 1.  A command that failed already said why (a failed write on stdout it
 * noticed itself included) and keeps its exit status. */
static int close_stdout(int rc)
{
    errno = 0;
    int bad = ferror(stdout);
    int e = errno;
    if (fflush(stdout) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad || rc != 0)
        return rc;
    if (e)
        fprintf(stderr, "clickseq: write error on standard output: %s\n", strerror(e));
    else
        fprintf(stderr, "clickseq: write error on standard output\n");
    return rc ? rc : 1;
}

int main(int argc, char **argv)
{
    return close_stdout(dispatch(argc, argv));
}
