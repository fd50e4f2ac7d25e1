/* commands.h — the program's subcommands.  Each takes the arguments after its name
 * (argv[0] is the command name) and returns the process exit code:
 * 0 ok, 1 runtime failure, 2 usage or input error. */
#ifndef CLICKSEQ_COMMANDS_H
#define CLICKSEQ_COMMANDS_H

int cmd_inspect(int argc, char **argv);   /* cmd_inspect.c   */
int cmd_simulate(int argc, char **argv);  /* cmd_simulate.c  */
int cmd_train(int argc, char **argv);     /* cmd_train.c     */
int cmd_eval(int argc, char **argv);      /* cmd_eval.c      */
int cmd_predict(int argc, char **argv);   /* cmd_eval.c      */
int cmd_compare(int argc, char **argv);   /* cmd_runs.c      */
int cmd_replay(int argc, char **argv);    /* cmd_runs.c      */
int cmd_sweep(int argc, char **argv);     /* cmd_sweep.c     */
int cmd_study(int argc, char **argv);     /* cmd_study.c     */
int cmd_early(int argc, char **argv);     /* cmd_early.c     */
int cmd_tui(int argc, char **argv);       /* tui/app.c: the workbench */

#endif
