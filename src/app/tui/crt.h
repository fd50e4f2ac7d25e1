/* crt.h — the only module that talks to the terminal (ncurses): setup and teardown,
 * colours (with a monochrome fallback and NO_COLOR), signals, input, and copying a
 * canvas to the screen.  Signal handlers only set flags; the loop acts on them. */
#ifndef CLICKSEQ_TUI_CRT_H
#define CLICKSEQ_TUI_CRT_H

#include "app/tui/canvas.h"

typedef struct tui_crt {
    int w, h;
    int color;       /* colours in use */
    int unicode;     /* the locale is UTF-8: braille and box drawing */
    int active;
} tui_crt;

/* Returns 0, or -1 (with a message in msg) when there is no usable terminal. */
int tui_crt_init(tui_crt *t, char *msg, size_t n);
/* Restore the terminal; safe to call twice. */
void tui_crt_done(tui_crt *t);
/* Wait up to timeout_ms for a key; returns 1 and fills *key / *is_fn (a KEY_* code)
 * or 0 on timeout.  KEY_RESIZE updates t->w, t->h. */
/* Ctrl-Z (raw mode: it arrives as a key): restore the terminal, stop the process (job
 * control: the shell's fg resumes it), then take the screen back; the caller redraws. */
void tui_crt_suspend(tui_crt *t);
int tui_crt_getkey(tui_crt *t, int timeout_ms, int *key, int *is_fn);
/* Copy the canvas to the screen and refresh; the cursor is put at (cx, cy) and shown
 * when cx >= 0. */
void tui_crt_show(tui_crt *t, const tui_canvas *cv, int cx, int cy);
/* A termination signal (SIGINT, SIGTERM, SIGHUP) arrived: the loop should quit. */
int tui_crt_signalled(void);   /* the signal number (SIGINT, SIGTERM, SIGHUP), 0 if none */

#endif
