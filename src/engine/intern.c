/* intern.c — string interning (see intern.h).
 *
 * Open addressing with linear probing over a power-of-two table kept at most half full.
 * Each slot holds the 32-bit hash and the id together, so a probe compares hashes without
 * touching the string arrays; only a hash match looks at the string.  The strings live
 * NUL-terminated in large arena blocks, so a lookup of an existing string allocates
 * nothing.  The hash reads 8 bytes at a time (a multiply-xorshift mix): the loader hashes
 * every session, item, category, brand and user field, so this is on the hot path. */
#include "clickseq/intern.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (1u << 20)

typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

struct cs_intern {
    uint64_t *slots;      /* 0 = empty, else (hash << 32) | id */
    const char **strs;    /* string of each id (index id) */
    uint32_t *lens;
    size_t nslots;        /* power of two */
    uint32_t count;       /* ids 1..count */
    size_t cap_ids;
    block *blocks;
    size_t bytes;
};

static inline uint64_t load_tail(const unsigned char *p, size_t n)
{
    uint64_t w = 0;
    memcpy(&w, p, n);
    return w;
}

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

static uint32_t hash_bytes(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 29;
        p += 8;
        len -= 8;
    }
    if (len)
        h = (h ^ load_tail(p, len)) * 0x94d049bb133111ebULL;
    uint32_t r = (uint32_t)mix(h);
    return r ? r : 1; /* a slot value is never 0 anyway (id >= 1), but keep hashes nonzero */
}

cs_intern *cs_intern_new(void)
{
    cs_intern *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nslots = 64;
    t->cap_ids = 32;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    t->strs = malloc(t->cap_ids * sizeof *t->strs);
    t->lens = malloc(t->cap_ids * sizeof *t->lens);
    if (!t->slots || !t->strs || !t->lens) {
        cs_intern_free(t);
        return NULL;
    }
    t->strs[0] = "";
    t->lens[0] = 0;
    return t;
}

void cs_intern_free(cs_intern *t)
{
    if (!t)
        return;
    for (block *b = t->blocks, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(t->slots);
    free(t->strs);
    free(t->lens);
    free(t);
}

static inline uint32_t lookup(const cs_intern *t, const char *s, size_t len, uint32_t h,
                              size_t *slot)
{
    size_t mask = t->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t v = t->slots[i];
        if (v == 0) {
            *slot = i;
            return 0;
        }
        if ((uint32_t)(v >> 32) == h) {
            uint32_t id = (uint32_t)v;
            if (t->lens[id] == len && memcmp(t->strs[id], s, len) == 0)
                return id;
        }
    }
}

static int grow_slots(cs_intern *t)
{
    size_t n = t->nslots * 2;
    uint64_t *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t k = 0; k < t->nslots; k++) {
        uint64_t v = t->slots[k];
        if (!v)
            continue;
        size_t i = (v >> 32) & (n - 1);
        while (s[i])
            i = (i + 1) & (n - 1);
        s[i] = v;
    }
    free(t->slots);
    t->slots = s;
    t->nslots = n;
    return 0;
}

static int grow_ids(cs_intern *t)
{
    size_t n = t->cap_ids * 2;
    const char **s = realloc(t->strs, n * sizeof *s);
    if (!s)
        return -1;
    t->strs = s;
    uint32_t *l = realloc(t->lens, n * sizeof *l);
    if (!l)
        return -1;
    t->lens = l;
    t->cap_ids = n;
    return 0;
}

static char *arena_copy(cs_intern *t, const char *s, size_t len)
{
    block *b = t->blocks;
    if (!b || b->cap - b->used < len + 1) {
        size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
        block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = t->blocks;
        nb->used = 0;
        nb->cap = cap;
        t->blocks = b = nb;
        t->bytes += sizeof *nb + cap;
    }
    char *p = b->data + b->used;
    memcpy(p, s, len);
    p[len] = '\0';
    b->used += len + 1;
    return p;
}

uint32_t cs_intern_id(cs_intern *t, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (len > UINT32_MAX - 1)
        return UINT32_MAX;
    uint32_t h = hash_bytes(s, len);
    size_t slot = 0;
    uint32_t id = lookup(t, s, len, h, &slot);
    if (id)
        return id;
    if (t->count == UINT32_MAX - 1)
        return UINT32_MAX;
    if ((size_t)(t->count + 1) * 2 >= t->nslots) {
        if (grow_slots(t) < 0)
            return UINT32_MAX;
        lookup(t, s, len, h, &slot);
    }
    if ((size_t)t->count + 1 >= t->cap_ids && grow_ids(t) < 0)
        return UINT32_MAX;
    char *copy = arena_copy(t, s, len);
    if (!copy)
        return UINT32_MAX;
    id = ++t->count;
    t->strs[id] = copy;
    t->lens[id] = (uint32_t)len;
    t->slots[slot] = ((uint64_t)h << 32) | id;
    return id;
}

uint32_t cs_intern_find(const cs_intern *t, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t slot;
    return lookup(t, s, len, hash_bytes(s, len), &slot);
}

const char *cs_intern_str(const cs_intern *t, uint32_t id)
{
    return id <= t->count ? t->strs[id] : "";
}

uint32_t cs_intern_count(const cs_intern *t) { return t->count; }

size_t cs_intern_bytes(const cs_intern *t)
{
    return t->bytes + t->nslots * sizeof(uint64_t) +
           t->cap_ids * (sizeof(uint32_t) + sizeof(char *));
}
