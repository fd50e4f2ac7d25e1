/* settings.h — the honest `:set` and the settings file (pure: no terminal, no tui_app).
 *
 * tui_set changes one parameter the way the form and `:set` do, and says what it did:
 *   - what else the change changed ("hidden = 40,80 (layers 2)", "layers = 1 (hidden
 *     40,80 -> 40)");
 *   - combinations refused with the reason, before training (cs_run_config_check: mlp /
 *     logreg only in the features view, min-len above max-len, train + valid >= 1);
 *   - threads bounded by the cores of this machine, with a note;
 *   - a path parameter (data, outcomes) must name a readable file;
 *   - an unknown name gets "did you mean".
 *
 * The settings file: "name = value" lines (values quoted as config.txt quotes them, '#'
 * comments), $XDG_CONFIG_HOME/clickseq/config or ~/.config/clickseq/config.  Written
 * atomically (files.h) by `:save-settings` and on quit; read at start (bad lines are
 * reported as FILE:LINE: and ignored, never fatal); `--no-config` ignores it. */
#ifndef CLICKSEQ_TUI_SETTINGS_H
#define CLICKSEQ_TUI_SETTINGS_H

#include <stddef.h>

#include "clickseq/params.h"

/* Set name = value in cfg as described above.  Returns 0 (msg: "NAME = VALUE" and what
 * else changed or a note) or -1 (cfg unchanged, msg: why). */
int tui_set(cs_run_config *cfg, const char *name, const char *value, char *msg, size_t n);
/* The form's Left/Right: one step of the parameter table's rule (cs_param_step) through
 * tui_set; an enum skips the choices tui_set refuses here (the cells of another view).
 * Returns 0 / -1 as tui_set. */
int tui_step(cs_run_config *cfg, const char *name, int dir, char *msg, size_t n);
/* The cores of this machine (at least 1). */
int tui_cores(void);
/* 1 when the parameter names a file to read (data, outcomes): completed as a path. */
int tui_param_is_path(const char *name);

/* The settings file's path: $XDG_CONFIG_HOME/clickseq/config when XDG_CONFIG_HOME is an
 * absolute path, else $HOME/.config/clickseq/config.  -1 when neither is set. */
int tui_settings_path(char *out, size_t n);
/* Read path into cfg (each line through tui_set).  Returns the number of bad lines (0
 * also when the file does not exist); msg gets the first "PATH:LINE: why (ignored)" and
 * a count of the others.  Parameters named in the file get their bit in *named (the
 * parameter's index), when named is not NULL. */
int tui_settings_read(const char *path, cs_run_config *cfg, unsigned long long *named,
                      char *msg, size_t n);
/* Write cfg's settings to path atomically (the directory made when missing): every
 * parameter that differs from the defaults except the run name; the data file unless it
 * is skip_data (the bundled demo).  Returns 0, or -1 with msg. */
int tui_settings_write(const char *path, const cs_run_config *cfg, const char *skip_data,
                       char *msg, size_t n);

#endif
