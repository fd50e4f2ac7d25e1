/* test_dataset_fixtures.h — tiny hand-made event sets for the sessions tests. */
#ifndef TEST_DATASET_FIXTURES_H
#define TEST_DATASET_FIXTURES_H

#include <math.h>
#include <string.h>

#include "clickseq/dataset.h"
#include "clickseq/events.h"

typedef struct fx_event {
    const char *session;
    long long t_s;     /* seconds since the epoch */
    const char *type;
    const char *item, *category, *brand;
    float price;       /* NAN = missing */
    const char *user;
} fx_event;

static inline void fx_load(cs_events *ev, const fx_event *e, size_t n)
{
    assert_int_equal(cs_events_init(ev), CS_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cs_events_append(ev, e[i].session, e[i].t_s * 1000, e[i].type, e[i].item,
                                          e[i].category, e[i].brand, e[i].price, e[i].user),
                         CS_OK);
}

/* fx_load, and default dataset options in o. */
static inline void fx_begin(cs_events *ev, const fx_event *e, size_t n, cs_dataset_opts *o)
{
    fx_load(ev, e, n);
    cs_dataset_opts_init(o);
}

/* Sessionise ev with o (NULL = the defaults) into ds, the ledger (may be NULL) zeroed
 * first; it must succeed. */
static inline void fx_dataset(cs_dataset *ds, const cs_events *ev, const cs_dataset_opts *o,
                              cs_ledger *led)
{
    if (led)
        memset(led, 0, sizeof *led);
    assert_int_equal(cs_dataset_from_events(ds, ev, o, led, NULL), CS_OK);
}

/* Index of the kept session with this name, or -1. */
static inline long fx_find(const cs_dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->n; i++)
        if (ds->session_names && !strcmp(ds->session_names[i], name))
            return (long)i;
    return -1;
}

#endif
