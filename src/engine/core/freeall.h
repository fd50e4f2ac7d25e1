/* freeall.h (internal) — free a list of buffers in one call, for the engine's _free
 * functions (which own several parallel arrays each):
 *     CS_FREE_ALL(s->index, s->label, s->prob);
 * Any of them may be NULL.  cs_free_strs frees an owned array of n strings and the
 * array itself. */
#ifndef CS_FREEALL_H
#define CS_FREEALL_H

#include <stddef.h>
#include <stdlib.h>

static inline void cs_free_each(void *const *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i]);
}

#define CS_FREE_ALL(...)                                                               \
    cs_free_each((void *const[]){__VA_ARGS__},                                         \
                 sizeof((void *const[]){__VA_ARGS__}) / sizeof(void *))

static inline void cs_free_strs(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

#endif
