/* progress.c — the headless commands' load progress on stderr (see progress.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/fmt.h"
#include "app/progress.h"
#include "clickseq/clock.h"

void app_loadbar_init(app_loadbar *b, int quiet, const char *path)
{
    memset(b, 0, sizeof *b);
    b->on = !quiet && isatty(2);
    const char *slash = path ? strrchr(path, '/') : NULL;
    snprintf(b->name, sizeof b->name, "%.127s", slash ? slash + 1 : path ? path : "");
    b->t0 = cs_now_s();
}

int app_loadbar_cb(void *ctx, const cs_load_progress *p)
{
    app_loadbar *b = ctx;
    if (!b || !b->on)
        return 0;
    double now = cs_now_s(), el = now - b->t0;
    int parsed = p->bytes_total && p->bytes_done >= p->bytes_total;
    /* the callback comes every ~100 ms; a line at most every 200 ms, and the last one */
    if (b->drawn && !parsed && now - b->last < 0.2)
        return 0;
    double rate = el > 0.05 ? (double)p->rows / el : 0, eta = -1;
    if (p->bytes_total && p->bytes_done * 100 >= p->bytes_total && el > 0.1)
        eta = el * (double)(p->bytes_total - p->bytes_done) / (double)p->bytes_done;
    char line[200];
    app_fmt_load(p->bytes_done, p->bytes_total, rate, eta, parsed, 0, line, sizeof line);
    fprintf(stderr, "\r\033[Kloading %s  %s", b->name, line);
    fflush(stderr);
    b->drawn = 1;
    b->last = now;
    return 0;
}

void app_loadbar_done(app_loadbar *b)
{
    if (b->on && b->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    b->drawn = 0;
}
