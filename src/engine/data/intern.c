/* intern.c — string interning (see intern.h).
 *
 * Open addressing with linear probing over a power-of-two table kept at most half full.
 * A slot is 8 bytes: the string's 32-bit hash and a 32-bit reference to its entry in the
 * arena (0 = empty slot); an entry is the id (4 bytes), the length (4 bytes), then the
 * bytes and a NUL.  So a lookup that hits touches the slot and the entry only (the loader
 * does two such lookups of large tables per row, and cache misses are what they cost),
 * and a table of 1.9 M session ids holds 32 MB of slots instead of 64.  Ids map to
 * references (4 bytes each) for cs_intern_str.  Entries live in arena blocks that never
 * move (a string pointer stays valid while the table lives): a reference is the block's
 * index (REF_BLOCK_BITS) and the offset in it (REF_OFF_BITS), so a table holds at most
 * 2048 blocks, 4 GB of strings.  Tables and blocks of 2 MB and more are mapped on their
 * own (mmap, with transparent huge pages asked for) and unmapped when freed: a parallel
 * load makes and frees a table per part, and freed heap memory did not go back to the
 * system (a 20 M-event load peaked ~200 MB above its result).  The hash reads 8 bytes at a
 * time (a multiply-xorshift mix): the loader hashes every session, item, category, brand
 * and user field, so this is on the hot path. */
#include "clickseq/intern.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK (2u << 20)
#define HUGE_PAGE (2u << 20)
#define FIRST_BLOCK (64u << 10)
#define REF_OFF_BITS 21                      /* offsets inside a block (< ARENA_BLOCK) */
#define REF_MAX_BLOCKS (1u << (32 - REF_OFF_BITS))
#define ENTRY_HEAD 8                         /* id, length */

/* Memory of `bytes`: mapped on its own when large (returned to the system by big_free),
 * else from malloc.  Zeroed when zero (mappings always are). */
static void *big_alloc(size_t bytes, int zero)
{
    if (bytes < HUGE_PAGE)
        return zero ? calloc(1, bytes) : malloc(bytes);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);   /* large tables are probed at random */
#endif
    return p;
}

static void big_free(void *p, size_t bytes)
{
    if (!p)
        return;
    if (bytes < HUGE_PAGE)
        free(p);
    else
        munmap(p, bytes);
}

typedef struct block {
    size_t used, cap, bytes;   /* bytes: the allocation, header included */
    char data[];
} block;

struct cs_intern {
    uint64_t *slots;      /* hash << 32 | ref; 0 = empty */
    uint32_t *refs;       /* entry of each id (index id; refs[0] unused) */
    size_t nslots;        /* power of two, at most half full */
    uint32_t count;       /* ids 1..count */
    size_t cap_ids;
    block **blocks;       /* index = the reference's block part */
    uint32_t nblocks, cap_blocks;
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

static inline const char *entry_of(const cs_intern *t, uint32_t ref)
{
    return t->blocks[ref >> REF_OFF_BITS]->data + (ref & ((1u << REF_OFF_BITS) - 1));
}

static inline uint32_t u32_at(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

cs_intern *cs_intern_new(void)
{
    cs_intern *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nslots = 64;
    t->cap_ids = 32;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    t->refs = malloc(t->cap_ids * sizeof *t->refs);
    if (!t->slots || !t->refs) {
        cs_intern_free(t);
        return NULL;
    }
    t->refs[0] = 0;
    return t;
}

void cs_intern_free(cs_intern *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; i < t->nblocks; i++)
        big_free(t->blocks[i], t->blocks[i]->bytes);
    free(t->blocks);
    big_free(t->slots, t->nslots * sizeof *t->slots);
    free(t->refs);
    free(t);
}

/* The id of s, or 0 with *pos = the empty slot where it would go. */
static inline uint32_t lookup(const cs_intern *t, const char *s, size_t len, uint32_t h,
                              size_t *pos)
{
    size_t mask = t->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t v = t->slots[i];
        if (!v) {
            *pos = i;
            return 0;
        }
        if ((uint32_t)(v >> 32) != h)
            continue;
        const char *e = entry_of(t, (uint32_t)v);
        if (u32_at(e + 4) == len && same_bytes(e + ENTRY_HEAD, s, len))
            return u32_at(e);
    }
}

static int grow_slots(cs_intern *t)
{
    size_t n = t->nslots * 2;
    uint64_t *s = big_alloc(n * sizeof *s, 1);
    if (!s)
        return -1;
    for (size_t k = 0; k < t->nslots; k++) {
        uint64_t v = t->slots[k];
        if (!v)
            continue;
        size_t i = (uint32_t)(v >> 32) & (n - 1);
        while (s[i])
            i = (i + 1) & (n - 1);
        s[i] = v;
    }
    big_free(t->slots, t->nslots * sizeof *t->slots);
    t->slots = s;
    t->nslots = n;
    return 0;
}

static int grow_ids(cs_intern *t)
{
    size_t n = t->cap_ids * 2;
    uint32_t *r = realloc(t->refs, n * sizeof *r);
    if (!r)
        return -1;
    t->refs = r;
    t->cap_ids = n;
    return 0;
}

/* Copy the entry (id, length, bytes, NUL) into the arena; returns its reference, or
 * UINT32_MAX when out of memory or of block indices. */
static uint32_t arena_copy(cs_intern *t, const char *s, size_t len, uint32_t id)
{
    block *b = t->nblocks ? t->blocks[t->nblocks - 1] : NULL;
    size_t need = len + ENTRY_HEAD + 1;
    if (!b || b->cap - b->used < need) {
        if (t->nblocks == REF_MAX_BLOCKS)
            return UINT32_MAX;
        if (t->nblocks == t->cap_blocks) {
            uint32_t nc = t->cap_blocks ? t->cap_blocks * 2 : 8;
            block **nbs = realloc(t->blocks, nc * sizeof *nbs);
            if (!nbs)
                return UINT32_MAX;
            t->blocks = nbs;
            t->cap_blocks = nc;
        }
        /* the first block is small (most tables are), later ones huge-page sized; a
         * string longer than a block gets one of its own (at offset 0) */
        size_t blk = t->nblocks ? ARENA_BLOCK : FIRST_BLOCK;
        size_t cap = need + sizeof *b > blk ? need : blk - sizeof *b;
        size_t bytes = sizeof *b + cap;
        block *nb = big_alloc(bytes, 0);
        if (!nb)
            return UINT32_MAX;
        nb->used = 0;
        nb->cap = cap;
        nb->bytes = bytes;
        t->blocks[t->nblocks++] = b = nb;
        t->bytes += bytes;
    }
    char *p = b->data + b->used;
    uint32_t l32 = (uint32_t)len;
    memcpy(p, &id, 4);
    memcpy(p + 4, &l32, 4);
    memcpy(p + ENTRY_HEAD, s, len);
    p[ENTRY_HEAD + len] = '\0';
    uint32_t ref = (t->nblocks - 1) << REF_OFF_BITS | (uint32_t)b->used;
    b->used += need;
    return ref;
}

uint32_t cs_intern_hash(const char *s, size_t len) { return hash_bytes(s, len); }

void cs_intern_prefetch_slot(const cs_intern *t, uint32_t hash)
{
    __builtin_prefetch(&t->slots[hash & (t->nslots - 1)]);
}

void cs_intern_prefetch_str(const cs_intern *t, uint32_t hash)
{
    uint64_t v = t->slots[hash & (t->nslots - 1)];
    if (v && (uint32_t)(v >> 32) == hash)
        __builtin_prefetch(entry_of(t, (uint32_t)v));
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
    if (len > UINT32_MAX - ENTRY_HEAD - 1)
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
    uint32_t ref = arena_copy(t, s, len, t->count + 1);
    if (ref == UINT32_MAX)
        return UINT32_MAX;
    id = ++t->count;
    t->refs[id] = ref;
    t->slots[pos] = (uint64_t)h << 32 | ref;
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
    return id >= 1 && id <= t->count ? entry_of(t, t->refs[id]) + ENTRY_HEAD : "";
}

uint32_t cs_intern_count(const cs_intern *t) { return t->count; }

size_t cs_intern_bytes(const cs_intern *t)
{
    return t->bytes + t->nslots * sizeof *t->slots + t->cap_ids * sizeof *t->refs +
           t->cap_blocks * sizeof *t->blocks;
}
