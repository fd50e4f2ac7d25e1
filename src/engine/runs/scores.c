/* scores.c — scores.csv: a run's test-set scores (see scores.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/runstore.h"
#include "clickseq/scores.h"
#include "engine/core/freeall.h"

#define SCORES_HEADER "index,label,score"

void cs_scores_free(cs_scores *s)
{
    if (!s)
        return;
    CS_FREE_ALL(s->index, s->label, s->prob);
    memset(s, 0, sizeof *s);
}

char *cs_scores_text(const cs_scores *s, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fprintf(f, "# clickseq test scores: one line per test session in split order\n");
    fprintf(f, "# n = %zu, test_key = %016" PRIx64 "\n", s->n, s->key);
    fprintf(f, "%s\n", SCORES_HEADER);
    for (size_t i = 0; i < s->n; i++)
        fprintf(f, "%zu,%d,%.9g\n", s->index[i], s->label[i] ? 1 : 0, (double)s->prob[i]);
    if (fflush(f) != 0 || ferror(f)) {
        fclose(f);
        free(buf);
        return NULL;
    }
    uint32_t crc = cs_crc32(buf, *len);
    fprintf(f, "# crc32 = %08" PRIx32 "\n", crc);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    return buf;
}

cs_status cs_scores_write(const char *path, const cs_scores *s, cs_error *err)
{
    size_t len = 0;
    char *t = cs_scores_text(s, &len);
    if (!t)
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
    cs_status st = cs_write_atomic(path, t, len, err);
    free(t);
    return st;
}

static cs_status damaged(const char *path, long line, int col, const char *what, cs_error *err)
{
    return cs_error_set(err, CS_EINPUT, path, line, col, "damaged scores file (%s)", what);
}

/* A whole decimal number (no sign, no spaces) into *v; returns the end or NULL. */
static const char *parse_size(const char *p, size_t *v)
{
    if (*p < '0' || *p > '9')
        return NULL;
    size_t x = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (x > (SIZE_MAX - 9) / 10)
            return NULL;
        x = x * 10 + (size_t)(*p - '0');
    }
    *v = x;
    return p;
}

cs_status cs_scores_read(const char *path, cs_scores *s, cs_error *err)
{
    memset(s, 0, sizeof *s);
    char *text = NULL;
    size_t n = 0;
    cs_status st = cs_slurp(path, CS_SCORES_MAX_BYTES, &text, &n, err);
    if (st != CS_OK)
        return st;
    if (n == 0 || text[n - 1] != '\n' || memchr(text, '\0', n)) {
        free(text);
        return damaged(path, 0, 0, "empty, NUL byte or incomplete last line", err);
    }
    /* the checksum line is the last one and covers every byte before it */
    char *last = text + n - 1;
    while (last > text && last[-1] != '\n')
        last--;
    unsigned crc_file;
    char tail;
    if (sscanf(last, "# crc32 = %8x%c", &crc_file, &tail) != 2 || tail != '\n') {
        free(text);
        return damaged(path, 0, 0, "no checksum line at the end", err);
    }
    if (cs_crc32(text, (size_t)(last - text)) != (uint32_t)crc_file) {
        free(text);
        return damaged(path, 0, 0, "checksum mismatch", err);
    }
    *last = '\0';
    long lineno = 0;
    size_t want = 0, k = 0;
    unsigned long long key = 0;
    char *p = text;
    for (; *p && st == CS_OK; lineno++) {
        char *nl = strchr(p, '\n');
        *nl = '\0';
        long ln = lineno + 1;
        if (ln == 1) {
            if (strncmp(p, "# clickseq test scores", 22))
                st = cs_error_set(err, CS_EINPUT, path, 1, 1, "not a clickseq scores file");
        } else if (ln == 2) {
            int used = 0;
            if (sscanf(p, "# n = %zu, test_key = %16llx%n", &want, &key, &used) != 2 || p[used] ||
                want > CS_SCORES_MAX_BYTES / 6)
                st = damaged(path, 2, 1, "bad count line", err);
            else {
                s->index = malloc((want ? want : 1) * sizeof *s->index);
                s->label = malloc(want ? want : 1);
                s->prob = malloc((want ? want : 1) * sizeof *s->prob);
                if (!s->index || !s->label || !s->prob)
                    st = cs_error_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
            }
        } else if (ln == 3) {
            if (strcmp(p, SCORES_HEADER))
                st = damaged(path, 3, 1, "unexpected header", err);
        } else if (k >= want)
            st = damaged(path, ln, 1, "more lines than the count says", err);
        else {
            size_t idx, lab;
            const char *q = parse_size(p, &idx);
            if (!q || *q != ',')
                st = damaged(path, ln, 1, "bad index", err);
            else if (!(q = parse_size(q + 1, &lab)) || *q != ',' || lab > 1)
                st = damaged(path, ln, 2, "label is not 0 or 1", err);
            else {
                char *end;
                errno = 0;
                float v = strtof(q + 1, &end);
                if (end == q + 1 || *end || !(v >= 0.0f && v <= 1.0f))
                    st = damaged(path, ln, 3, "score is not a probability", err);
                else {
                    s->index[k] = idx;
                    s->label[k] = (uint8_t)lab;
                    s->prob[k] = v;
                    k++;
                }
            }
        }
        p = nl + 1;
    }
    if (st == CS_OK && (lineno < 3 || k != want))
        st = damaged(path, 0, 0, "fewer lines than the count says", err);
    free(text);
    if (st != CS_OK) {
        cs_scores_free(s);
        return st;
    }
    s->n = want;
    s->key = (uint64_t)key;
    return CS_OK;
}
