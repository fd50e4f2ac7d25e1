/* hash.h — checksums and hashes (core layer).  Stored values depend on them (model.bin's
 * CRC, run fingerprints, config hashes, hashed strings): they never change. */
#ifndef CLICKSEQ_HASH_H
#define CLICKSEQ_HASH_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of data[0..n-1]; thread-safe. */
uint32_t cs_crc32(const void *data, size_t n);

#endif
