/* rl.h — GNU Readline inside the ncurses screen, through the callback interface
 * (DESIGN.md §10).  Readline never touches the terminal: keys read by ncurses are fed
 * to it one byte at a time, and the line (rl_line_buffer, rl_point) is drawn by the
 * workbench into its own command row.  History lives in a file. */
#ifndef CLICKSEQ_TUI_RL_H
#define CLICKSEQ_TUI_RL_H

#include <stddef.h>

/* Candidates for the completion of a kind of word (commands, parameter names, values,
 * cells, runs...): the workbench provides them.  Return a NULL-terminated array of
 * strings that stays valid until the next call. */
typedef const char *const *(*tui_rl_candidates)(int kind, const char *param, void *ctx);

/* history: path of the history file ("" = $CLICKSEQ_HISTORY or ~/.clickseq_history). */
void tui_rl_init(const char *history, tui_rl_candidates cand, void *ctx);
void tui_rl_done(void);             /* writes the history */
void tui_rl_begin(void);            /* a fresh line */
/* Feed one key from ncurses (is_fn: a KEY_* code).  Returns 1 when the line is finished
 * (Enter): the line is then in *line (malloc'd, caller frees), or 2 when cancelled
 * (Esc, ^C, ^G on an empty line... ), 0 otherwise. */
int tui_rl_feed(int key, int is_fn, char **line);
/* The line being edited and the cursor position in display columns. */
const char *tui_rl_text(int *cursor_col);
/* The last completion listing ("" when none), e.g. "gru  lstm  rnn". */
const char *tui_rl_hint(void);

#endif
