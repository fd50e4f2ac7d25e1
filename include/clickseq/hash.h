/* hash.h — checksums and hashes (core layer).  Stored values depend on them (model.bin's
 * CRC, run fingerprints, config hashes, hashed strings): they never change. */
#ifndef CLICKSEQ_HASH_H
#define CLICKSEQ_HASH_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of data[0..n-1]; thread-safe. */
uint32_t cs_crc32(const void *data, size_t n);

/* FNV-1a, the hash of every stored fingerprint and key (data fingerprints, dataset
 * fingerprints, model-config hashes, test keys, hashed strings).  Start from the INIT
 * value, feed pieces in order; the helpers below are the only ways pieces are fed. */
#define CS_FNV64_INIT 0xcbf29ce484222325ULL
#define CS_FNV64_PRIME 0x100000001b3ULL
#define CS_FNV32_INIT 2166136261u
#define CS_FNV32_PRIME 16777619u

/* One byte. */
static inline uint64_t cs_fnv64_byte(uint64_t h, unsigned char b)
{
    return (h ^ b) * CS_FNV64_PRIME;
}
/* The bytes of a NUL-terminated string (not the NUL). */
static inline uint64_t cs_fnv64_str(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = cs_fnv64_byte(h, *p);
    return h;
}
/* The 8 bytes of v, least significant first (the same on every machine). */
static inline uint64_t cs_fnv64_u64(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        h = cs_fnv64_byte(h, (unsigned char)(v >> (8 * i)));
    return h;
}
/* The word-at-a-time variant the CSV reader fingerprints files with (fast on large
 * files): each whole 8-byte word of p as one step (loaded in the machine's byte order),
 * then the remaining bytes one by one. */
static inline uint64_t cs_fnv64_words(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        __builtin_memcpy(&w, s, 8);
        h = (h ^ w) * CS_FNV64_PRIME;
    }
    for (; n; s++, n--)
        h = cs_fnv64_byte(h, *s);
    return h;
}
/* FNV-1a 32 of a NUL-terminated string. */
static inline uint32_t cs_fnv32_str(const char *s)
{
    uint32_t x = CS_FNV32_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        x = (x ^ *p) * CS_FNV32_PRIME;
    return x;
}

#endif
