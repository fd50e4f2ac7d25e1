/* runname.c — the run name rule (runname.h). */
#include "clickseq/runname.h"

#include <string.h>

#include "clickseq/quote.h"

cs_status cs_run_name_check(const char *name, cs_error *err)
{
    char shown[200];
    size_t n = strlen(name);
    cs_show_str(shown, sizeof shown, name);
    if (n == 0)
        return cs_error_fmt(err, CS_EINPUT, "empty (a run name needs 1 to %d bytes)", CS_RUN_NAME_MAX);
    if (n > CS_RUN_NAME_MAX)
        return cs_error_fmt(err, CS_EINPUT, "'%s' is too long (%zu bytes, at most %d)", shown,
                            n, CS_RUN_NAME_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok)
            return cs_error_fmt(err, CS_EINPUT,
                                "'%s' may hold only letters, digits, '.', '_' and '-'", shown);
    }
    if (name[0] == '.')
        return cs_error_fmt(err, CS_EINPUT, "'%s' must not start with '.'", shown);
    if (name[0] == '-')
        return cs_error_fmt(err, CS_EINPUT, "'%s' must not start with '-'", shown);
    return CS_OK;
}
