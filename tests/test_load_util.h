/* test_load_util.h — load options for the loader tests (test_csv, test_hardening). */
#ifndef TEST_LOAD_UTIL_H
#define TEST_LOAD_UTIL_H

#include "clickseq/events.h"

/* The defaults, then these: a format, an outcomes file and a mapping (NULL: none), the
 * header rule (-1: guess, 0: none, 1: a header row) and skip mode. */
static inline cs_load_opts tu_load_opts(const char *path, cs_format fmt, const char *outcomes,
                                        const char *map, int header, int skip)
{
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = path;
    o.format = fmt;
    o.outcomes_path = outcomes;
    o.map = map;
    o.header = header;
    o.skip_bad_rows = skip;
    return o;
}

#endif
