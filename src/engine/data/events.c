/* events.c — the columnar event store: init, free, append, and the name tables of
 * formats and ledger reasons.  The CSV loaders (csvload.c) fill it through
 * cs_events_append. */
#include "clickseq/events.h"
#include "engine/data/events_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "engine/core/freeall.h"

const char *const cs_format_names[] = {"auto", "rees46", "yoochoose", "generic", "features", NULL};
#define N_FORMATS (sizeof cs_format_names / sizeof *cs_format_names - 1)

const char *cs_format_name(cs_format f)
{
    return (unsigned)f < N_FORMATS ? cs_format_names[f] : "?";
}

int cs_format_parse(const char *s)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (!strcasecmp(s, cs_format_names[i]))
            return (int)i;
    return -1;
}

const char *cs_skip_reason_name(cs_skip_reason r)
{
    static const char *const names[CS_SKIP_NREASONS] = {
        "wrong column count", "bad timestamp", "bad number", "bad quoting",
        "NUL byte", "field too long", "missing required field", "unknown event type"};
    return (unsigned)r < CS_SKIP_NREASONS ? names[r] : "?";
}

const char *cs_drop_reason_name(cs_drop_reason r)
{
    static const char *const names[CS_DROP_NREASONS] = {
        "no event before the purchase", "too short (length <= 1)", "longer than max length"};
    return (unsigned)r < CS_DROP_NREASONS ? names[r] : "?";
}

cs_ledger *cs_ledger_or(cs_ledger *led, cs_ledger *scratch)
{
    if (led)
        return led;
    memset(scratch, 0, sizeof *scratch);
    return scratch;
}

int cs_ledger_balanced(const cs_ledger *l)
{
    long skipped = 0, dropped = 0;
    for (int i = 0; i < CS_SKIP_NREASONS; i++)
        skipped += l->skipped[i];
    for (int i = 0; i < CS_DROP_NREASONS; i++)
        dropped += l->sessions_dropped[i];
    return l->rows_read == l->rows_used + l->rows_skipped && skipped == l->rows_skipped &&
           l->sessions_seen == l->sessions_kept + dropped;
}

/* The six intern tables of a store, for creating and freeing them together. */
#define N_TABLES 6
static void intern_tables(cs_events *ev, cs_intern **t[N_TABLES])
{
    t[0] = &ev->sessions;
    t[1] = &ev->types;
    t[2] = &ev->items;
    t[3] = &ev->categories;
    t[4] = &ev->brands;
    t[5] = &ev->users;
}

cs_status cs_events_init(cs_events *ev)
{
    memset(ev, 0, sizeof *ev);
    cs_intern **t[N_TABLES];
    intern_tables(ev, t);
    for (int i = 0; i < N_TABLES; i++)
        if (!(*t[i] = cs_intern_new())) {
            cs_events_free(ev);
            return CS_ENOMEM;
        }
    return CS_OK;
}

void cs_events_free(cs_events *ev)
{
    CS_FREE_ALL(ev->session, ev->time_ms, ev->type, ev->item, ev->category, ev->brand,
                ev->user, ev->price);
    cs_intern **t[N_TABLES];
    intern_tables(ev, t);
    for (int i = 0; i < N_TABLES; i++)
        cs_intern_free(*t[i]);
    memset(ev, 0, sizeof *ev);
}

#define GROW(ptr, cap)                                                  \
    do {                                                                \
        void *p_ = realloc((ptr), (cap) * sizeof *(ptr));               \
        if (!p_)                                                        \
            return CS_ENOMEM;                                           \
        (ptr) = p_;                                                     \
    } while (0)

cs_status cs_events_reserve(cs_events *ev, size_t need)
{
    if (need <= ev->cap)
        return CS_OK;
    size_t cap = ev->cap ? ev->cap : 4096;
    while (cap < need)
        cap += cap / 2 + 1;
    GROW(ev->session, cap);
    GROW(ev->time_ms, cap);
    GROW(ev->type, cap);
    GROW(ev->item, cap);
    GROW(ev->category, cap);
    GROW(ev->brand, cap);
    GROW(ev->user, cap);
    GROW(ev->price, cap);
    ev->cap = cap;
    return CS_OK;
}

/* Remember the ids of the event types clickseq knows by name (rees46 and yoochoose
 * spellings), so features and the simulator can find carts and removals. */
static void note_known_type(cs_events *ev, uint16_t id, const char *s)
{
    if (!strcasecmp(s, "purchase") || !strcasecmp(s, "buy"))
        ev->purchase_type = ev->purchase_type ? ev->purchase_type : id;
    else if (!strcasecmp(s, "cart"))
        ev->cart_type = id;
    else if (!strcasecmp(s, "remove_from_cart"))
        ev->remove_type = id;
    else if (!strcasecmp(s, "view") || !strcasecmp(s, "click"))
        ev->view_type = ev->view_type ? ev->view_type : id;
}

static uint32_t intern_opt(cs_intern *t, const char *s)
{
    return s ? cs_intern_id(t, s, strlen(s)) : 0;
}

int cs_events_type_id(cs_events *ev, const char *type, size_t len)
{
    uint32_t before = cs_intern_count(ev->types);
    uint32_t t = cs_intern_id(ev->types, type, len);
    if (t == UINT32_MAX)
        return -2;
    if (t > UINT16_MAX - 1)
        return -1; /* more than 65534 distinct event types is not a clickstream */
    if (t > before)
        note_known_type(ev, (uint16_t)t, cs_intern_str(ev->types, t));
    return (int)t;
}

cs_status cs_events_append(cs_events *ev, const char *session, int64_t time_ms, const char *type,
                           const char *item, const char *category, const char *brand, float price,
                           const char *user)
{
    if (!type || !*type || !session || !*session)
        return CS_EINPUT;
    if (cs_events_reserve(ev, ev->n + 1) != CS_OK)
        return CS_ENOMEM;
    int t = cs_events_type_id(ev, type, strlen(type));
    if (t < 0)
        return t == -2 ? CS_ENOMEM : CS_EINPUT;
    uint32_t ids[5] = {intern_opt(ev->sessions, session), intern_opt(ev->items, item),
                       intern_opt(ev->categories, category), intern_opt(ev->brands, brand),
                       intern_opt(ev->users, user)};
    for (int i = 0; i < 5; i++)
        if (ids[i] == UINT32_MAX)
            return CS_ENOMEM;
    cs_events_put(ev, ids, time_ms, (uint16_t)t, price);
    return CS_OK;
}
