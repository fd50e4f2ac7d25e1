/* cmdline.h — the workbench's command language (the ':' line), parsed without Readline.
 *
 *   load FILE [FORMAT] [OUTCOMES] [NAME=VALUE...]
 *                           open a data file (format: rees46, yoochoose, features, auto;
 *                           the reading options start from their defaults, exec.c)
 *   set NAME VALUE          change a hyperparameter (names from the parameter table)
 *   train [CELL...] [seeds=N]  train now (with CELLs: queue one run per cell, N seeds each)
 *   queue CELL...           append runs with the current settings and these cells
 *   pause | resume | stop   control the running job
 *   save [NAME]             save the last finished run (again) under NAME
 *   save-settings           write the settings file (settings.h; also done on quit)
 *   preset NAME             start the settings from a preset (best, default, study-*): the
 *                           data options stay, the message line says what it set
 *   compare [RUN...]        compare saved runs, names, paths or folders of runs (none: the
 *                           marked runs); runs that differ only by seed form groups
 *   export FILE             compare: FILE.csv (histories), FILE.md (table), FILE.json
 *   library                 the runs library (every run below the runs directory)
 *   rename NEW | delete     library: rename / delete the selected run
 *   back                    back one screen (Esc)
 *   sweeps [DIR]            the sweep view: a results.csv below the runs directory (or DIR)
 *   replay [RUN [SPEED]]    replay a saved run (none: the selected one; SPEED epochs/s)
 *   sweep NAME=V1,V2 ... [seeds=N]   queue the grid (e.g. cell=rnn,gru,lstm hidden=32,64),
 *                           N seeds each; the results table is written when it is done
 *   early [RUN] [K]         early prediction of a saved run: F1 / PR-AUC for k = 1..K events
 *   mark [RUN]              mark/unmark a run for compare (none: the selected one)
 *   step N                  replay: N epochs forward (negative: back; 0: to the start)
 *   speed X                 replay: X epochs per second
 *   view [loss|metrics|data]   what the narrow layout shows in its plot pane
 *   focus [form|runs|plot]  move the keyboard focus (plot: Left/Right move its cursor)
 *   plot [x epoch|step|time | smooth W | log [on|off] | hide|show|toggle SERIES |
 *        cursor [on|off]]   how the loss and metrics plots look (none: show the settings)
 *   main                    back to the main screen
 *   help | quit
 * Words are split on blanks; "..." and '...' quote, backslash escapes (set name "a b").
 * Completion: a path for load, export, sweeps and `set data|outcomes`.
 */
#ifndef CLICKSEQ_TUI_CMDLINE_H
#define CLICKSEQ_TUI_CMDLINE_H

#include <stddef.h>

typedef enum tui_cmd_kind {
    CMD_NONE = 0, CMD_LOAD, CMD_SET, CMD_TRAIN, CMD_QUEUE, CMD_PAUSE, CMD_RESUME, CMD_STOP,
    CMD_SAVE, CMD_COMPARE, CMD_REPLAY, CMD_SWEEP, CMD_VIEW, CMD_FOCUS, CMD_MAIN, CMD_HELP,
    CMD_QUIT, CMD_MARK, CMD_STEP, CMD_SPEED, CMD_EARLY, CMD_PLOT, CMD_EXPORT, CMD_BACK, CMD_LIBRARY,
    CMD_RENAME, CMD_DELETE, CMD_SWEEPS, CMD_SAVE_SETTINGS, CMD_WATCH, CMD_PRESET
} tui_cmd_kind;

#define TUI_CMD_MAXARGS 16
#define TUI_CMD_ARGLEN 512

typedef struct tui_cmd {
    tui_cmd_kind kind;
    int argc;                                   /* arguments after the command word */
    char argv[TUI_CMD_MAXARGS][TUI_CMD_ARGLEN];
    double speed;                               /* replay, speed: epochs per second (default 2) */
    int step;                                   /* step: epochs */
    int k;                                      /* early: events (default 20) */
} tui_cmd;

/* Split line into words.  Returns the count, or -1 with msg on unbalanced quotes or too
 * many / too long words. */
int tui_cmd_split(const char *line, char words[][TUI_CMD_ARGLEN], int max, char *msg, size_t n);
/* Parse a command line.  Returns 0, or -1 with a one-line message in msg.  An empty
 * line parses as CMD_NONE.  Command words may be abbreviated to a unique prefix. */
int tui_cmd_parse(const char *line, tui_cmd *out, char *msg, size_t n);
const char *tui_cmd_name(tui_cmd_kind k);

/* Command words (NULL-terminated), for completion and help. */
extern const char *const tui_cmd_words[];

/* What the word under the cursor is, given the line up to the start of that word. */
typedef enum tui_compl_kind {
    COMPL_NONE = 0, COMPL_COMMAND, COMPL_PARAM, COMPL_VALUE, COMPL_CELL, COMPL_FILE, COMPL_RUN,
    COMPL_FORMAT, COMPL_VIEW, COMPL_FOCUS
} tui_compl_kind;
/* For COMPL_VALUE, param receives the parameter name (size n). */
tui_compl_kind tui_complete_kind(const char *before, char *param, size_t n);

#endif
