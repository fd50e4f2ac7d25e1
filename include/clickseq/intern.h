/* intern.h — string interning: each distinct string is stored once and gets a dense
 * uint32 id starting at 1 (0 means missing).  Open addressing, FNV-1a hash; strings
 * live in large arena blocks, so 20 M lookups allocate almost nothing. */
#ifndef CLICKSEQ_INTERN_H
#define CLICKSEQ_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct cs_intern cs_intern;

cs_intern *cs_intern_new(void);
void cs_intern_free(cs_intern *t);
/* Id of the string (len bytes, need not be NUL-terminated); adds it if new.
 * Returns 0 for an empty string, UINT32_MAX on allocation failure. */
uint32_t cs_intern_id(cs_intern *t, const char *s, size_t len);
/* Id if present, else 0. */
uint32_t cs_intern_find(const cs_intern *t, const char *s, size_t len);
/* The string of an id (NUL-terminated), "" for 0. */
const char *cs_intern_str(const cs_intern *t, uint32_t id);
/* Number of distinct non-empty strings (ids run 1..count). */
uint32_t cs_intern_count(const cs_intern *t);
size_t cs_intern_bytes(const cs_intern *t);

/* Batch lookups (the CSV loader): a lookup in a large table costs two cache misses (slot,
 * string), so a batch first hashes every key and prefetches its slot, then prefetches
 * the strings those slots point to, then looks them up with the hash it already has. */
uint32_t cs_intern_hash(const char *s, size_t len);
void cs_intern_prefetch_slot(const cs_intern *t, uint32_t hash);
void cs_intern_prefetch_str(const cs_intern *t, uint32_t hash);
/* cs_intern_id with the hash from cs_intern_hash. */
uint32_t cs_intern_id_h(cs_intern *t, const char *s, size_t len, uint32_t hash);

#endif
