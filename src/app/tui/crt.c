/* crt.c — terminal setup and teardown, colours, signals, input (see crt.h). */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ncurses.h>

#include "app/tui/crt.h"

static volatile sig_atomic_t got_signal;
static tui_crt *active_crt;

static void on_signal(int sig)
{
    got_signal = sig;    /* only a flag: the loop quits and restores the terminal */
}

int tui_crt_signalled(void) { return got_signal; }

/* Restores the terminal if the program leaves through exit() with the screen up. */
static void at_exit_restore(void)
{
    if (active_crt)
        tui_crt_done(active_crt);
}

static void init_colors(tui_crt *t)
{
    const char *nc = getenv("NO_COLOR");
    t->color = has_colors() && !(nc && *nc);
    if (!t->color)
        return;
    start_color();
    use_default_colors();
    struct { int role, fg; } pairs[] = {
        {TC_BORDER, COLOR_BLUE}, {TC_TITLE, COLOR_CYAN}, {TC_DIM, -1}, {TC_GOOD, COLOR_GREEN},
        {TC_BAD, COLOR_RED}, {TC_WARN, COLOR_YELLOW}, {TC_SEL, COLOR_BLACK}, {TC_HEAD, COLOR_WHITE},
        {TC_S1, COLOR_CYAN}, {TC_S2, COLOR_MAGENTA}, {TC_S3, COLOR_YELLOW}, {TC_S4, COLOR_GREEN},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        init_pair((short)pairs[i].role, (short)pairs[i].fg,
                  pairs[i].role == TC_SEL ? COLOR_CYAN : -1);
}

int tui_crt_init(tui_crt *t, char *msg, size_t n)
{
    memset(t, 0, sizeof *t);
    setlocale(LC_ALL, "");
    t->unicode = !strcmp(nl_langinfo(CODESET), "UTF-8");
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    if (!isatty(0) || !isatty(1)) {
        snprintf(msg, n, "the workbench needs a terminal (use the headless commands: clickseq --help)");
        return -1;
    }
    if (!newterm(NULL, stdout, stdin)) {
        snprintf(msg, n, "cannot initialise the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
        return -1;
    }
    t->active = 1;
    active_crt = t;
    static int registered;
    if (!registered++)
        atexit(at_exit_restore);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    raw();      /* ^C arrives as a key: it cancels the command line, or quits */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    init_colors(t);
    getmaxyx(stdscr, t->h, t->w);
    return 0;
}

void tui_crt_done(tui_crt *t)
{
    if (!t->active)
        return;
    t->active = 0;
    curs_set(1);
    endwin();
    fflush(stdout);
    active_crt = NULL;
}

void tui_crt_suspend(tui_crt *t)
{
    if (!t->active) return;
    curs_set(1);
    endwin();   /* the shell's screen and modes back */
    fflush(stdout);
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &old);
    kill(getpid(), SIGTSTP);   /* stops here until SIGCONT (fg) */
    sigaction(SIGTSTP, &old, NULL);
    reset_prog_mode();
    clearok(curscr, TRUE);   /* the next show repaints every cell */
    refresh();
    getmaxyx(stdscr, t->h, t->w);   /* the terminal may have been resized meanwhile */
}

int tui_crt_getkey(tui_crt *t, int timeout_ms, int *key, int *is_fn)
{
    wint_t ch;
    timeout(timeout_ms);
    int r = get_wch(&ch);
    if (r == ERR)
        return 0;
    *key = (int)ch;
    *is_fn = r == KEY_CODE_YES;
    if (*is_fn && ch == KEY_RESIZE)
        getmaxyx(stdscr, t->h, t->w);
    return 1;
}

static attr_t cell_attr(const tui_crt *t, const tui_cell *c)
{
    attr_t a = A_NORMAL;
    if (c->attr & TA_BOLD) a |= A_BOLD;
    if (c->attr & TA_REVERSE) a |= A_REVERSE;
    if (c->attr & TA_UNDERLINE) a |= A_UNDERLINE;
    if (!t->color) {       /* monochrome: roles become attributes */
        if (c->color == TC_SEL) a |= A_REVERSE;
        if (c->color == TC_TITLE || c->color == TC_HEAD) a |= A_BOLD;
        if (c->color == TC_DIM) a |= A_DIM;
        if (c->color == TC_BAD) a |= A_UNDERLINE;
    } else if (c->color == TC_DIM) {
        a |= A_DIM;
    }
    return a;
}

void tui_crt_show(tui_crt *t, const tui_canvas *cv, int cx, int cy)
{
    for (int y = 0; y < cv->h && y < t->h; y++) {
        for (int x = 0; x < cv->w && x < t->w; x++) {
            const tui_cell *c = &cv->c[(size_t)y * (size_t)cv->w + (size_t)x];
            wchar_t s[2] = {c->ch ? c->ch : L' ', 0};
            cchar_t cc;
            short pair = t->color ? (short)c->color : 0;
            setcchar(&cc, s, cell_attr(t, c), pair, NULL);
            if (y == t->h - 1 && x == t->w - 1)
                mvins_wch(y, x, &cc);     /* the last cell: adding would scroll */
            else
                mvadd_wch(y, x, &cc);
        }
    }
    if (cx >= 0) {
        curs_set(1);
        move(cy, cx);
    } else {
        curs_set(0);
    }
    refresh();
}
