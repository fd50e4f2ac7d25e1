/* error.h — status codes and located error messages for the engine.
 *
 * The engine never prints and never exits.  A call that can fail returns a cs_status
 * and, on failure, fills the caller's cs_error with one line that names where the
 * problem is, e.g. "sessions.csv:212:4: timestamp '2014-13-01' is not a valid time".
 * Exit codes of the program follow the status: input/usage -> 2, everything else -> 1.
 */
#ifndef CLICKSEQ_ERROR_H
#define CLICKSEQ_ERROR_H

#include <stddef.h>

typedef enum cs_status {
    CS_OK = 0,
    CS_EINPUT,    /* bad data or bad arguments: the user can fix it (exit 2) */
    CS_EIO,       /* a file could not be read or written (exit 1) */
    CS_ENOMEM,    /* allocation failed (exit 1) */
    CS_ERUNTIME,  /* anything else that went wrong at run time, e.g. divergence (exit 1) */
    CS_ECANCEL    /* the caller asked to stop (not an error for the user) */
} cs_status;

typedef struct cs_error {
    cs_status code;
    char msg[1024];   /* complete one-line message, location first when there is one */
} cs_error;

/* Fill err (may be NULL) with a message; returns code so callers can `return cs_error_set(...)`.
 * file may be NULL; line/col <= 0 are omitted from the location. */
cs_status cs_error_set(cs_error *err, cs_status code, const char *file, long line, long col,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Shorthand without a location. */
cs_status cs_error_fmt(cs_error *err, cs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cs_error_clear(cs_error *err);
/* Exit code for a status: 0, 2 for CS_EINPUT, 1 otherwise. */
int cs_status_exit_code(cs_status s);

#endif
