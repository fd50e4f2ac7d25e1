/* rl.c — Readline's callback interface driven by ncurses keys (see rl.h).
 *
 * Readline is kept off the terminal and signals (rl_catch_signals = 0, no terminal
 * preparation, output to /dev/null, our own redisplay); it reads from rl_getc_function,
 * which returns the byte we are feeding.  Wide characters arrive from ncurses as code
 * points and are fed as their UTF-8 bytes; function keys are mapped to Readline
 * commands directly.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <ncurses.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "app/tui/cmdline.h"
#include "app/tui/rl.h"

static int pending = EOF;         /* the byte rl_getc returns */
static char *done_line;           /* set by the line handler */
static int line_done;
static char hist_path[1024];
static char hint[512];
static tui_rl_candidates cand_fn;
static void *cand_ctx;
static FILE *devnull;

static int rl_getc_cb(FILE *f)
{
    (void)f;
    int c = pending;
    pending = EOF;
    return c;
}

static int rl_input_available_cb(void) { return pending != EOF; }
static void rl_redisplay_cb(void) { /* the workbench draws rl_line_buffer itself */ }
static void rl_prep_cb(int meta) { (void)meta; }
static void rl_deprep_cb(void) {}

static void line_handler(char *line)
{
    done_line = line;     /* NULL on EOF (^D on an empty line) */
    line_done = 1;
    rl_callback_handler_remove();
}

/* ---- completion ---- */
static const char *const *gen_list;
static char *generator(const char *text, int state)
{
    static size_t i, len;
    if (!state) { i = 0; len = strlen(text); }
    while (gen_list && gen_list[i]) {
        const char *s = gen_list[i++];
        if (!strncmp(s, text, len))
            return strdup(s);
    }
    return NULL;
}

static char **attempt(const char *text, int start, int end)
{
    (void)end;
    char before[1024], param[64] = "";
    snprintf(before, sizeof before, "%.*s", start, rl_line_buffer);
    int kind = tui_complete_kind(before, param, sizeof param);
    hint[0] = '\0';
    if (kind == COMPL_FILE)
        return NULL;       /* Readline's own file-name completion */
    rl_attempted_completion_over = 1;
    if (kind == COMPL_NONE || !cand_fn)
        return NULL;
    gen_list = cand_fn(kind, param, cand_ctx);
    if (kind == COMPL_PARAM && strncmp(before, "sweep", 5) == 0)
        rl_completion_append_character = '=';
    return rl_completion_matches(text, generator);
}

/* Ambiguous completions are listed in the hint row instead of being printed. */
static void display_matches(char **matches, int n, int maxlen)
{
    (void)maxlen;
    size_t k = 0;
    hint[0] = '\0';
    for (int i = 1; i <= n && k + 2 < sizeof hint; i++) {
        int w = snprintf(hint + k, sizeof hint - k, "%s%s", i > 1 ? "  " : "", matches[i]);
        if (w < 0) break;
        k += (size_t)w;
    }
    if (k >= sizeof hint) hint[sizeof hint - 1] = '\0';
}

void tui_rl_init(const char *history, tui_rl_candidates cand, void *ctx)
{
    cand_fn = cand;
    cand_ctx = ctx;
    const char *env = getenv("CLICKSEQ_HISTORY"), *home = getenv("HOME");
    if (history && *history) snprintf(hist_path, sizeof hist_path, "%s", history);
    else if (env && *env) snprintf(hist_path, sizeof hist_path, "%s", env);
    else snprintf(hist_path, sizeof hist_path, "%s/.clickseq_history", home ? home : ".");
    devnull = fopen("/dev/null", "w");
    rl_instream = stdin;
    rl_outstream = devnull;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = rl_prep_cb;
    rl_deprep_term_function = rl_deprep_cb;
    rl_getc_function = rl_getc_cb;
    rl_input_available_hook = rl_input_available_cb;
    rl_redisplay_function = rl_redisplay_cb;
    rl_attempted_completion_function = attempt;
    rl_completion_display_matches_hook = display_matches;
    rl_readline_name = "clickseq";
    rl_bind_key('\t', rl_complete);
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("bell-style", "none");
    using_history();
    stifle_history(1000);
    read_history(hist_path);
}

void tui_rl_done(void)
{
    write_history(hist_path);
    if (devnull) fclose(devnull);
    devnull = NULL;
}

void tui_rl_begin(void)
{
    line_done = 0;
    done_line = NULL;
    hint[0] = '\0';
    rl_callback_handler_install("", line_handler);
}

static void feed_byte(int c)
{
    pending = c;
    rl_callback_read_char();
}

int tui_rl_feed(int key, int is_fn, char **line)
{
    *line = NULL;
    if (is_fn) {
        switch (key) {
        case KEY_LEFT: rl_backward_char(1, 0); break;
        case KEY_RIGHT: rl_forward_char(1, 0); break;
        case KEY_UP: rl_get_previous_history(1, 0); break;
        case KEY_DOWN: rl_get_next_history(1, 0); break;
        case KEY_HOME: rl_beg_of_line(1, 0); break;
        case KEY_END: rl_end_of_line(1, 0); break;
        case KEY_BACKSPACE:
            if (rl_end == 0) { rl_callback_handler_remove(); return 2; }
            rl_rubout(1, 0);
            break;
        case KEY_DC: rl_delete(1, 0); break;
        case KEY_ENTER: feed_byte('\r'); break;
        default: break;
        }
    } else if (key == 27 || key == 3 || key == 7) {   /* Esc, ^C, ^G: cancel */
        rl_callback_handler_remove();
        return 2;
    } else if (key == 127 || key == 8) {
        if (rl_end == 0) { rl_callback_handler_remove(); return 2; }
        rl_rubout(1, 0);
    } else if (key < 0x80) {
        feed_byte(key == '\n' ? '\r' : key);
    } else {
        char mb[8];
        mbstate_t ps;
        memset(&ps, 0, sizeof ps);
        size_t n = wcrtomb(mb, (wchar_t)key, &ps);
        for (size_t i = 0; n != (size_t)-1 && i < n; i++)
            feed_byte((unsigned char)mb[i]);
    }
    if (line_done) {
        if (!done_line) return 2;
        if (*done_line) add_history(done_line);
        *line = done_line;
        return 1;
    }
    return 0;
}

const char *tui_rl_text(int *cursor_col)
{
    const char *b = rl_line_buffer ? rl_line_buffer : "";
    /* display column of rl_point: count the characters before it */
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    int col = 0;
    for (int i = 0; i < rl_point && b[i];) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, b + i, (size_t)(rl_point - i), &ps);
        if (n == 0 || n == (size_t)-1 || n == (size_t)-2) { i++; col++; continue; }
        i += (int)n;
        col++;
    }
    *cursor_col = col;
    return b;
}

const char *tui_rl_hint(void) { return hint; }
