/* scores.h — a run's test-set scores (scores.csv in the run directory), kept so runs can
 * be compared (paired bootstrap, compare.h) without re-evaluating them.
 *
 *   # clickseq test scores: one line per test session in split order
 *   # n = 612, test_key = 0123456789abcdef
 *   index,label,score
 *   17,0,0.0123456789          dataset index, label 0/1, probability (%.9g: the float exactly)
 *   ...
 *   # crc32 = 89abcdef         CRC-32 of every byte before this line
 *
 * Written atomically like the other run files; read with a size cap (CS_SCORES_MAX_BYTES)
 * from a regular file only; the checksum, the count and every field are checked, and a
 * damaged file is a CS_EINPUT error naming the file (and line and column).  Runs saved
 * before scores.csv existed simply have none (cs_run.has_scores = 0). */
#ifndef CLICKSEQ_SCORES_H
#define CLICKSEQ_SCORES_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"

#define CS_SCORES_FILE "scores.csv"
#define CS_SCORES_MAX_BYTES ((size_t)1 << 30)

typedef struct cs_scores {
    size_t n;
    size_t *index;       /* dataset index of each test session */
    uint8_t *label;      /* 0/1 */
    float *prob;         /* the model's probability */
    uint64_t key;        /* cs_train_result.test_key: same key = same test sessions */
} cs_scores;

/* The file's text (malloc'd, *len bytes): what cs_scores_write writes. */
char *cs_scores_text(const cs_scores *s, size_t *len);
cs_status cs_scores_write(const char *path, const cs_scores *s, cs_error *err);
/* Read path into s (zeroed first; freed on error). */
cs_status cs_scores_read(const char *path, cs_scores *s, cs_error *err);
void cs_scores_free(cs_scores *s);

#endif
