/* csvfield.c — RFC 4180 fields (see csvfield.h). */
#include "clickseq/csvfield.h"

#include <string.h>

void cs_csv_field(const char *s, cs_put_fn put, void *ud)
{
    if (!strpbrk(s, ",\"\n\r")) {
        put(ud, s, strlen(s));
        return;
    }
    put(ud, "\"", 1);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        put(ud, s, (size_t)(q - s + 1));   /* up to and including the quote... */
        put(ud, "\"", 1);                  /* ...which is doubled */
    }
    put(ud, s, strlen(s));
    put(ud, "\"", 1);
}
