/* error.c — located error messages (see error.h). */
#include "clickseq/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static cs_status error_vset(cs_error *err, cs_status code, const char *file, long line, long col,
                            const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
static cs_status error_vset(cs_error *err, cs_status code, const char *file, long line, long col,
                            const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    size_t n = 0, cap = sizeof err->msg;
    err->msg[0] = '\0';
    if (file) {
        int k;
        if (line > 0 && col > 0)
            k = snprintf(err->msg, cap, "%s:%ld:%ld: ", file, line, col);
        else if (line > 0)
            k = snprintf(err->msg, cap, "%s:%ld: ", file, line);
        else
            k = snprintf(err->msg, cap, "%s: ", file);
        n = k < 0 ? 0 : ((size_t)k < cap ? (size_t)k : cap - 1);
    }
    vsnprintf(err->msg + n, cap - n, fmt, ap);
    return code;
}

cs_status cs_error_set(cs_error *err, cs_status code, const char *file, long line, long col,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cs_status s = error_vset(err, code, file, line, col, fmt, ap);
    va_end(ap);
    return s;
}

cs_status cs_error_fmt(cs_error *err, cs_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cs_status s = error_vset(err, code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return s;
}

void cs_error_clear(cs_error *err)
{
    if (err) {
        err->code = CS_OK;
        err->msg[0] = '\0';
    }
}

int cs_status_exit_code(cs_status s)
{
    switch (s) {
    case CS_OK:
    case CS_ECANCEL:
        return 0;
    case CS_EINPUT:
        return 2;
    default:
        return 1;
    }
}
