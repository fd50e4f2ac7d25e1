/* canvas.h — a grid of character cells that the workbench draws into.
 *
 * All drawing code (plots, tables, the confusion matrix, panes) writes into a canvas,
 * never into ncurses: that keeps it pure and unit-testable (tests read rows back as
 * UTF-8).  crt.c copies a canvas to the screen.  Writes outside the canvas are clipped.
 * Each cell holds one column-wide character; wide (2-column) characters are not used by
 * the drawing code, and strings are clipped at the cell level.
 */
#ifndef CLICKSEQ_TUI_CANVAS_H
#define CLICKSEQ_TUI_CANVAS_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Colour roles; crt.c maps them to colour pairs (or to attributes in monochrome). */
enum tui_color {
    TC_NORMAL = 0, TC_BORDER, TC_TITLE, TC_DIM, TC_GOOD, TC_BAD, TC_WARN, TC_SEL, TC_HEAD,
    TC_S1, TC_S2, TC_S3, TC_S4, /* series colours, distinct in compare */
    TC_COUNT
};
enum tui_attr { TA_BOLD = 1, TA_REVERSE = 2, TA_UNDERLINE = 4 };

typedef struct tui_cell {
    wchar_t ch;
    uint8_t color, attr;
} tui_cell;

typedef struct tui_canvas {
    int w, h;
    int unicode;      /* 0: ASCII only (plots fall back to blocks/ASCII, boxes to +-|) */
    tui_cell *c;      /* w * h, row-major (owned) */
} tui_canvas;

typedef struct tui_rect { int x, y, w, h; } tui_rect;

/* Returns 0, or -1 when out of memory. */
int tui_canvas_init(tui_canvas *cv, int w, int h, int unicode);
void tui_canvas_free(tui_canvas *cv);
void tui_canvas_clear(tui_canvas *cv);
void tui_canvas_fill(tui_canvas *cv, tui_rect r, wchar_t ch, int color, int attr);
tui_cell *tui_canvas_at(tui_canvas *cv, int x, int y); /* NULL when outside */
void tui_putc(tui_canvas *cv, int x, int y, wchar_t ch, int color, int attr);
/* Put a UTF-8 string at (x, y), at most maxw columns (maxw < 0: to the edge).
 * Returns the columns written. */
int tui_puts(tui_canvas *cv, int x, int y, int maxw, const char *s, int color, int attr);
/* A label that may not fit (a run name): as tui_puts, but a cut shows as a last "…" ("~"
 * without Unicode), never as a shorter word ("gru-h6" for gru-h64).  Returns the columns. */
int tui_puts_cut(tui_canvas *cv, int x, int y, int maxw, const char *s, int color, int attr);
/* The first of n texts that fits maxw columns (each carries every number; the later ones
 * drop words), else the last one cut with tui_puts_cut.  Returns the columns. */
int tui_puts_fit(tui_canvas *cv, int x, int y, int maxw, const char *const *v, int n, int color, int attr);
int tui_printf(tui_canvas *cv, int x, int y, int maxw, int color, int attr, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* A box with a title in the top border; the title is clipped to fit. */
void tui_box(tui_canvas *cv, tui_rect r, const char *title, int color);
/* Row y as UTF-8 into buf (trailing spaces kept); returns buf.  For tests and captures. */
char *tui_canvas_row(const tui_canvas *cv, int y, char *buf, size_t n);
/* Does any row of r contain the UTF-8 text? (tests) */
int tui_canvas_find(const tui_canvas *cv, const char *text);

/* Display columns of a UTF-8 string (wcwidth per character, invalid bytes count 1). */
int tui_strwidth(const char *s);
/* Format a number compactly into buf: 0.512, 12.3, 1.2k, 3.4M, 1e-3. */
char *tui_fmt_num(double v, char *buf, size_t n);
/* Seconds as 0:09, 12:34, 1:02:03. */
char *tui_fmt_dur(double s, char *buf, size_t n);

#endif
