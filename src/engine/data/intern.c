/* intern.c — string interning (see intern.h).
 *
 * Open addressing with linear probing over a power-of-two table kept at most half full.
 * Each slot holds the 32-bit hash, the length and the string pointer, and the id is
 * stored in the arena just before the string, so a lookup that hits touches the slot and
 * the string only (the loader does two such lookups of large tables per row, and cache
 * misses are what they cost).  The strings live
 * NUL-terminated in large arena blocks, so a lookup of an existing string allocates
 * nothing.  The hash reads 8 bytes at a time (a multiply-xorshift mix): the loader hashes
 * every session, item, category, brand and user field, so this is on the hot path. */
#include "clickseq/intern.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK (2u << 20)
#define HUGE_PAGE (2u << 20)
#define FIRST_BLOCK (64u << 10)

/* Large tables are probed at random: ask for transparent huge pages (when the system
 * allows them on request), or every probe also pays a page walk.  Zeroed memory. */
static void *alloc_table(size_t bytes, int zero)
{
    if (bytes < HUGE_PAGE)
        return zero ? calloc(1, bytes) : malloc(bytes);
    size_t sz = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = aligned_alloc(HUGE_PAGE, sz);
    if (!p)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, sz, MADV_HUGEPAGE);
#endif
    if (zero)
        memset(p, 0, bytes);
    return p;
}

typedef struct block {
    struct block *next;
    size_t used, cap;
    char data[];
} block;

/* A slot: the hash and length to compare, and the string itself, whose id sits in the
 * 4 bytes before it in the arena — a probe that hits costs two cache lines. */
typedef struct slot {
    uint32_t hash;
    uint32_t len;
    const char *str;      /* NULL = empty slot */
} slot;

struct cs_intern {
    slot *slots;
    const char **strs;    /* string of each id (index id) */
    size_t nslots;        /* power of two, at most half full */
    uint32_t count;       /* ids 1..count */
    size_t cap_ids;
    block *blocks;
    size_t bytes;
};

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline uint32_t load4(const unsigned char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

/* Word-at-a-time hash; the last (partial) word is read as an overlapping 8- or 4-byte
 * load, so there is no byte loop and no call (the length is mixed in first, so the
 * overlap cannot make two lengths collide systematically). */
static inline uint32_t hash_bytes(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL);
    if (len >= 8) {
        const unsigned char *end = p + len - 8;
        for (; p < end; p += 8) {
            h = (h ^ load8(p)) * 0xbf58476d1ce4e5b9ULL;
            h ^= h >> 29;
        }
        h = (h ^ load8(end)) * 0x94d049bb133111ebULL;
    } else if (len >= 4) {
        h = (h ^ (load4(p) | (uint64_t)load4(p + len - 4) << 32)) * 0x94d049bb133111ebULL;
    } else if (len) {
        h = (h ^ (p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16)) * 0x94d049bb133111ebULL;
    }
    uint32_t r = (uint32_t)mix(h);
    return r ? r : 1;
}

/* Equality of two byte strings of the same length; short ones without a call. */
static inline int same_bytes(const char *a, const char *b, size_t len)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    if (len >= 8 && len <= 16)
        return load8(x) == load8(y) && load8(x + len - 8) == load8(y + len - 8);
    if (len >= 4 && len < 8)
        return load4(x) == load4(y) && load4(x + len - 4) == load4(y + len - 4);
    return memcmp(a, b, len) == 0;
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
    if (!t->slots || !t->strs) {
        cs_intern_free(t);
        return NULL;
    }
    t->strs[0] = "";
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
    free(t);
}

static inline uint32_t id_of(const char *str)
{
    uint32_t id;
    memcpy(&id, str - 4, 4);
    return id;
}

static inline uint32_t lookup(const cs_intern *t, const char *s, size_t len, uint32_t h,
                              size_t *pos)
{
    size_t mask = t->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const slot *sl = &t->slots[i];
        if (!sl->str) {
            *pos = i;
            return 0;
        }
        if (sl->hash == h && sl->len == len && same_bytes(sl->str, s, len))
            return id_of(sl->str);
    }
}

static int grow_slots(cs_intern *t)
{
    size_t n = t->nslots * 2;
    slot *s = alloc_table(n * sizeof *s, 1);
    if (!s)
        return -1;
    for (size_t k = 0; k < t->nslots; k++) {
        if (!t->slots[k].str)
            continue;
        size_t i = t->slots[k].hash & (n - 1);
        while (s[i].str)
            i = (i + 1) & (n - 1);
        s[i] = t->slots[k];
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
    t->cap_ids = n;
    return 0;
}

/* Copy the string after its 4-byte id into the arena; returns the string. */
static char *arena_copy(cs_intern *t, const char *s, size_t len, uint32_t id)
{
    block *b = t->blocks;
    size_t need = len + 5;
    if (!b || b->cap - b->used < need) {
        /* the first block is small (most tables are), later ones huge-page sized */
        size_t blk = t->blocks ? ARENA_BLOCK : FIRST_BLOCK;
        int own = need + sizeof *b > blk; /* a string of its own */
        size_t cap = own ? need : blk - sizeof *b;
        block *nb = own || blk < HUGE_PAGE ? malloc(sizeof *nb + cap) : alloc_table(blk, 0);
        if (!nb)
            return NULL;
        nb->next = t->blocks;
        nb->used = 0;
        nb->cap = cap;
        t->blocks = b = nb;
        t->bytes += sizeof *nb + cap;
    }
    char *p = b->data + b->used;
    memcpy(p, &id, 4);
    memcpy(p + 4, s, len);
    p[4 + len] = '\0';
    b->used += need;
    return p + 4;
}

uint32_t cs_intern_hash(const char *s, size_t len) { return hash_bytes(s, len); }

void cs_intern_prefetch_slot(const cs_intern *t, uint32_t hash)
{
    __builtin_prefetch(&t->slots[hash & (t->nslots - 1)]);
}

void cs_intern_prefetch_str(const cs_intern *t, uint32_t hash)
{
    const slot *sl = &t->slots[hash & (t->nslots - 1)];
    if (sl->str && sl->hash == hash)
        __builtin_prefetch(sl->str);
}

uint32_t cs_intern_id(cs_intern *t, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    return cs_intern_id_h(t, s, len, hash_bytes(s, len));
}

uint32_t cs_intern_id_h(cs_intern *t, const char *s, size_t len, uint32_t h)
{
    if (len == 0)
        return 0;
    if (len > UINT32_MAX - 1)
        return UINT32_MAX;
    size_t pos = 0;
    uint32_t id = lookup(t, s, len, h, &pos);
    if (id)
        return id;
    if (t->count == UINT32_MAX - 1)
        return UINT32_MAX;
    if ((size_t)(t->count + 1) * 2 >= t->nslots) {
        if (grow_slots(t) < 0)
            return UINT32_MAX;
        lookup(t, s, len, h, &pos);
    }
    if ((size_t)t->count + 1 >= t->cap_ids && grow_ids(t) < 0)
        return UINT32_MAX;
    char *copy = arena_copy(t, s, len, t->count + 1);
    if (!copy)
        return UINT32_MAX;
    id = ++t->count;
    t->strs[id] = copy;
    t->slots[pos] = (struct slot){h, (uint32_t)len, copy};
    return id;
}

uint32_t cs_intern_find(const cs_intern *t, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t pos;
    return lookup(t, s, len, hash_bytes(s, len), &pos);
}

const char *cs_intern_str(const cs_intern *t, uint32_t id)
{
    return id <= t->count ? t->strs[id] : "";
}

uint32_t cs_intern_count(const cs_intern *t) { return t->count; }

size_t cs_intern_bytes(const cs_intern *t)
{
    return t->bytes + t->nslots * sizeof(slot) + t->cap_ids * sizeof(char *);
}
