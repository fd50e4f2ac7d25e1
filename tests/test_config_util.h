/* test_config_util.h — run configurations for the tests, set by parameter name as a user
 * sets them (the command line, :set, config.txt): every setting must be accepted. */
#ifndef TEST_CONFIG_UTIL_H
#define TEST_CONFIG_UTIL_H

#include "clickseq/params.h"
#include "clickseq/runconfig.h"

typedef struct tu_setting {
    const char *name, *value;
} tu_setting;

/* c = the defaults, then the settings in order. */
static inline void tu_config(cs_run_config *c, const tu_setting *s, size_t n)
{
    cs_run_config_init(c);
    for (size_t i = 0; i < n; i++) {
        cs_error e;
        if (cs_param_set(c, s[i].name, s[i].value, &e) != CS_OK)
            fail_msg("%s = %s: %s", s[i].name, s[i].value, e.msg);
    }
}

/* TU_CONFIG(&c, {"epochs", "6"}, {"lr", "0.01"}) */
#define TU_CONFIG(c, ...)                                                                  \
    do {                                                                                   \
        static const tu_setting tu_s_[] = {__VA_ARGS__};                                   \
        tu_config((c), tu_s_, sizeof tu_s_ / sizeof *tu_s_);                               \
    } while (0)

#endif
