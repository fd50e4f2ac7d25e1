/* canvas.c — the character-cell grid all drawing goes through (see canvas.h). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/fmt.h"
#include "app/tui/canvas.h"

int tui_canvas_init(tui_canvas *cv, int w, int h, int unicode)
{
    cv->w = w > 0 ? w : 1;
    cv->h = h > 0 ? h : 1;
    cv->unicode = unicode;
    cv->c = calloc((size_t)cv->w * (size_t)cv->h, sizeof *cv->c);
    if (!cv->c)
        return -1;
    tui_canvas_clear(cv);
    return 0;
}

void tui_canvas_free(tui_canvas *cv)
{
    free(cv->c);
    cv->c = NULL;
    cv->w = cv->h = 0;
}

void tui_canvas_clear(tui_canvas *cv)
{
    tui_rect all = {0, 0, cv->w, cv->h};
    tui_canvas_fill(cv, all, L' ', TC_NORMAL, 0);
}

tui_cell *tui_canvas_at(tui_canvas *cv, int x, int y)
{
    if (x < 0 || y < 0 || x >= cv->w || y >= cv->h)
        return NULL;
    return &cv->c[(size_t)y * (size_t)cv->w + (size_t)x];
}

void tui_putc(tui_canvas *cv, int x, int y, wchar_t ch, int color, int attr)
{
    tui_cell *c = tui_canvas_at(cv, x, y);
    if (!c)
        return;
    if (!cv->unicode && ch > 127)
        ch = L'?';
    c->ch = ch;
    c->color = (uint8_t)color;
    c->attr = (uint8_t)attr;
}

void tui_canvas_fill(tui_canvas *cv, tui_rect r, wchar_t ch, int color, int attr)
{
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            tui_putc(cv, x, y, ch, color, attr);
}

/* Decode one UTF-8 character; invalid bytes decode as U+FFFD, consuming one byte. */
static int utf8_next(const char *s, wchar_t *out)
{
    const unsigned char *u = (const unsigned char *)s;
    int n;
    wchar_t c;
    if (u[0] < 0x80) { *out = u[0]; return 1; }
    if ((u[0] & 0xE0) == 0xC0) { n = 2; c = u[0] & 0x1F; }
    else if ((u[0] & 0xF0) == 0xE0) { n = 3; c = u[0] & 0x0F; }
    else if ((u[0] & 0xF8) == 0xF0) { n = 4; c = u[0] & 0x07; }
    else { *out = 0xFFFD; return 1; }
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) { *out = 0xFFFD; return 1; }
        c = (c << 6) | (u[i] & 0x3F);
    }
    *out = c;
    return n;
}

int tui_strwidth(const char *s)
{
    int w = 0;
    while (*s) {
        wchar_t c;
        s += utf8_next(s, &c);
        int cw = wcwidth(c);
        w += cw < 0 ? 1 : cw;
    }
    return w;
}

int tui_puts(tui_canvas *cv, int x, int y, int maxw, const char *s, int color, int attr)
{
    int col = 0;
    if (maxw < 0)
        maxw = cv->w - x;
    while (*s && col < maxw) {
        wchar_t c;
        s += utf8_next(s, &c);
        int cw = wcwidth(c);
        if (cw == 0)
            continue;   /* combining marks are dropped: one character per cell */
        if (cw == 2) {  /* wide: shown as one cell so columns stay aligned */
            c = cv->unicode ? L'…' : L'?';
        }
        tui_putc(cv, x + col, y, c, color, attr);
        col++;
    }
    return col;
}

int tui_puts_cut(tui_canvas *cv, int x, int y, int maxw, const char *s, int color, int attr)
{
    if (maxw < 0) maxw = cv->w - x;
    if (maxw <= 0) return 0;
    if (tui_strwidth(s) <= maxw) return tui_puts(cv, x, y, maxw, s, color, attr);
    int col = tui_puts(cv, x, y, maxw - 1, s, color, attr);
    tui_putc(cv, x + col, y, cv->unicode ? L'…' : L'~', color, attr);
    return col + 1;
}

int tui_puts_fit(tui_canvas *cv, int x, int y, int maxw, const char *const *v, int n, int color, int attr)
{
    if (maxw < 0) maxw = cv->w - x;
    int i = 0;
    while (i < n - 1 && tui_strwidth(v[i]) > maxw) i++;
    return tui_puts_cut(cv, x, y, maxw, v[i], color, attr);
}

int tui_printf(tui_canvas *cv, int x, int y, int maxw, int color, int attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return tui_puts(cv, x, y, maxw, buf, color, attr);
}

void tui_box(tui_canvas *cv, tui_rect r, const char *title, int color)
{
    if (r.w < 2 || r.h < 2)
        return;
    int u = cv->unicode;
    wchar_t hz = u ? L'─' : L'-', vt = u ? L'│' : L'|';
    tui_putc(cv, r.x, r.y, u ? L'┌' : L'+', color, 0);
    tui_putc(cv, r.x + r.w - 1, r.y, u ? L'┐' : L'+', color, 0);
    tui_putc(cv, r.x, r.y + r.h - 1, u ? L'└' : L'+', color, 0);
    tui_putc(cv, r.x + r.w - 1, r.y + r.h - 1, u ? L'┘' : L'+', color, 0);
    for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
        tui_putc(cv, x, r.y, hz, color, 0);
        tui_putc(cv, x, r.y + r.h - 1, hz, color, 0);
    }
    for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
        tui_putc(cv, r.x, y, vt, color, 0);
        tui_putc(cv, r.x + r.w - 1, y, vt, color, 0);
    }
    if (title && *title && r.w > 4) {
        tui_putc(cv, r.x + 1, r.y, L' ', color, 0);
        int n = tui_puts(cv, r.x + 2, r.y, r.w - 4, title, TC_TITLE, TA_BOLD);
        tui_putc(cv, r.x + 2 + n, r.y, L' ', color, 0);
    }
}

static size_t put_utf8(wchar_t c, char *out)
{
    unsigned long u = (unsigned long)c;
    if (u < 0x80) { out[0] = (char)u; return 1; }
    if (u < 0x800) { out[0] = (char)(0xC0 | (u >> 6)); out[1] = (char)(0x80 | (u & 0x3F)); return 2; }
    if (u < 0x10000) {
        out[0] = (char)(0xE0 | (u >> 12)); out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        out[2] = (char)(0x80 | (u & 0x3F)); return 3;
    }
    out[0] = (char)(0xF0 | (u >> 18)); out[1] = (char)(0x80 | ((u >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((u >> 6) & 0x3F)); out[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

char *tui_canvas_row(const tui_canvas *cv, int y, char *buf, size_t n)
{
    size_t k = 0;
    if (n == 0)
        return buf;
    for (int x = 0; y >= 0 && y < cv->h && x < cv->w; x++) {
        char tmp[4];
        size_t m = put_utf8(cv->c[(size_t)y * (size_t)cv->w + (size_t)x].ch, tmp);
        if (k + m + 1 > n)
            break;
        memcpy(buf + k, tmp, m);
        k += m;
    }
    buf[k] = '\0';
    return buf;
}

int tui_canvas_find(const tui_canvas *cv, const char *text)
{
    size_t n = (size_t)cv->w * 4 + 1;
    char *row = malloc(n);
    int found = 0;
    for (int y = 0; row && y < cv->h && !found; y++)
        found = strstr(tui_canvas_row(cv, y, row, n), text) != NULL;
    free(row);
    return found;
}

char *tui_fmt_num(double v, char *buf, size_t n)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (a == 0)
        snprintf(buf, n, "0");
    else if (a >= 1e6)
        snprintf(buf, n, "%.1fM", v / 1e6);
    else if (a >= 1e4)
        snprintf(buf, n, "%.0fk", v / 1e3);
    else if (a >= 100)
        snprintf(buf, n, "%.0f", v);
    else if (a >= 10)
        snprintf(buf, n, "%.1f", v);
    else if (a >= 0.01)
        snprintf(buf, n, "%.3g", v);
    else
        snprintf(buf, n, "%.0e", v);
    return buf;
}

char *tui_fmt_dur(double s, char *buf, size_t n)
{
    return app_fmt_dur(s, buf, n);
}
