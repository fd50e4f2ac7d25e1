/* grow.h (internal) — an array that grows by doubling, for the engine's append-only
 * buffers.  *p (element size elem, capacity *cap elements) is grown to hold at least need
 * elements; a size that would overflow counts as out of memory.  Returns 0, or -1 with
 * *p and *cap unchanged. */
#ifndef CS_GROW_H
#define CS_GROW_H

#include <stdint.h>
#include <stdlib.h>

static inline int cs_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (elem && c > SIZE_MAX / elem)
        return -1;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

#endif
