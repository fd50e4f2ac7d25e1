/* fanout.h (internal) — run one function on several threads at once and wait for all:
 * fn(ctx, t, nt) for t = 0 .. nt-1, t = 0 on the calling thread.  If a thread cannot be
 * started its share runs on the caller, so the work is always done (just less in
 * parallel).  For the data-parallel loops of the loader and the sessioniser; the thread
 * count always comes from the caller's options. */
#ifndef CS_FANOUT_H
#define CS_FANOUT_H

#include <stddef.h>
#include <stdint.h>

typedef void (*cs_fanout_fn)(void *ctx, int t, int nt);
void cs_fanout(int nt, cs_fanout_fn fn, void *ctx);
/* The count to use for a request: n > 0 as given (at most 64), 0 one per online CPU. */
int cs_fanout_threads(int requested);
/* Thread t's share [*g0, *g1) of n groups laid out one after another, group g starting at
 * offset start[g] (non-decreasing) of `total` items: the groups that start in t's even
 * share of the items, so threads get about as many items each (the last takes the rest). */
void cs_fanout_groups(const size_t *start, size_t n, size_t total, int t, int nt, size_t *g0,
                      size_t *g1);
/* The same for 32-bit offsets (the grouping's, group.h). */
void cs_fanout_groups32(const uint32_t *start, size_t n, size_t total, int t, int nt, size_t *g0,
                        size_t *g1);

#endif
