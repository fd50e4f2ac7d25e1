/* events_int.h — internal to the engine: helpers the loaders share with the event store. */
#ifndef CS_EVENTS_INT_H
#define CS_EVENTS_INT_H

#include "clickseq/events.h"

/* Make room for need events in every column (capacity grows by half). */
cs_status cs_events_reserve(cs_events *ev, size_t need);
/* Intern an event type and remember the well-known ones (purchase/buy, cart,
 * remove_from_cart, view/click).  Returns the id (>= 1), -1 if there would be more than
 * 65534 types, -2 if out of memory.  len must be > 0. */
int cs_events_type_id(cs_events *ev, const char *type, size_t len);
/* Append one event (room reserved): ids are the interned session, item, category, brand
 * and user. */
static inline void cs_events_put(cs_events *ev, const uint32_t ids[5], int64_t time_ms,
                                 uint16_t type, float price)
{
    size_t k = ev->n++;
    ev->session[k] = ids[0];
    ev->time_ms[k] = time_ms;
    ev->type[k] = type;
    ev->item[k] = ids[1];
    ev->category[k] = ids[2];
    ev->brand[k] = ids[3];
    ev->user[k] = ids[4];
    ev->price[k] = price;
}

/* Events [n0, n) have users but no sessions yet: give each a synthetic session (see
 * gapsess.c; grouping on `threads` threads, group.h).  CS_ENOMEM on allocation failure. */
cs_status cs_events_cut_sessions(cs_events *ev, size_t n0, long long gap_ms, int threads);

#endif
