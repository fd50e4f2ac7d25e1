/* csvread.h — internal to the engine: stream the rows of a CSV/TSV file through libcsv.
 *
 * One pass over the file in 1 MiB blocks; the row callback gets each non-blank row with
 * the physical line where it starts (1-based, LF and lone CR count as line ends, CRLF as
 * one; newlines inside quoted fields count too).  A UTF-8 BOM is dropped.  Unquoted fields
 * lose surrounding spaces and tabs (libcsv's rule).  Blank lines are not rows.
 *
 * Structural problems the reader finds itself — bad quoting (libcsv strict mode, including
 * an unterminated quote at end of file), a NUL byte, a field longer than max_field_len —
 * are passed to the callback as a row with `bad` set to the cs_skip_reason and bad_col /
 * bad_val describing the first one; the callback decides to stop (error) or to skip.
 * After a bad row the reader resynchronises at the line after the one where the row began
 * (a stray opening quote swallows the lines that follow into its field until the field
 * limit, a bad quote or the end of the file: those lines are read again as rows of their
 * own), so every physical line is either in a row or in a bad one; the bytes of an open
 * row from its second line on are kept for that (up to 64 MiB; beyond, the reader resumes
 * after the failure).  Line ends are LF, CRLF and lone CR, inside quotes too.
 *
 * Memory: the row's fields are copied into one buffer that grows to the longest row and
 * is reused; nothing is allocated per row.  libcsv's field buffer is capped just above
 * max_field_len, so a runaway quoted field cannot swallow the whole file into memory. */
#ifndef CS_CSVREAD_H
#define CS_CSVREAD_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/hash.h"

#define CSV_MAX_FIELDS 1024  /* fields stored per row; more are counted, not kept */

typedef struct csv_row {
    long line;            /* physical line (1-based) where the row starts */
    size_t n;             /* number of fields in the row */
    const char **f;       /* min(n, CSV_MAX_FIELDS) fields, NUL-terminated copies */
    const size_t *len;
    int bad;              /* -1, or the cs_skip_reason of a structural problem */
    size_t bad_col;       /* 1-based field of that problem */
    const char *bad_val;  /* (part of) the offending value */
    size_t bad_len;
    size_t est_rows;      /* estimate of the rows in the file (from the first block) */
} csv_row;

/* Rows come in batches (of 1 through libcsv, up to CSV_BATCH on the fast path) so that
 * the caller can prefetch what the batch will look up.  Return CS_OK to go on; any other
 * status stops the read and is returned by csv_read (rows after the failing one in the
 * batch are then ignored). */
#define CSV_BATCH 64
typedef cs_status (*csv_row_fn)(void *ctx, const csv_row *rows, size_t n);

/* The fingerprint of a file: each 1 MiB segment (at offsets 0, 1 Mi, 2 Mi, ...) hashed
 * with FNV-1a 64 over its 8-byte words (then the tail bytes), from CSV_HASH_INIT; the
 * segment hashes folded in order with csv_fp_fold (a file of at most 1 MiB: the hash of
 * its bytes; an empty file: CSV_HASH_INIT).  Segments make it computable in parts. */
#define CSV_SEGMENT ((size_t)1 << 20)
uint64_t csv_fp_fold(uint64_t fp, size_t j, uint64_t seg);

typedef struct csv_info {
    uint64_t fingerprint; /* see above */
    size_t bytes;
    long rows;            /* rows passed to the callback (header included) */
} csv_info;

/* How to read: delim 0 picks csv_default_delim(path); max_field_len 0 means 4096;
 * force_libcsv sends every block through libcsv (tests and fuzzers check both paths
 * agree).  progress (may be NULL) is called after each block with the bytes read so far;
 * non-zero stops the read with CS_ECANCEL. */
typedef struct csv_opts {
    char delim;
    size_t max_field_len;
    int force_libcsv;
    csv_row_fn fn;
    void *ctx;
    int (*progress)(void *ctx, size_t bytes);
    size_t est_rows;   /* rows the file is thought to hold (csv_row.est_rows); 0: estimate */
} csv_opts;

/* Read path from start to end.  Missing file or a directory -> CS_EINPUT naming the path. */
cs_status csv_read(const char *path, const csv_opts *o, csv_info *info, cs_error *err);

/* ---- reading a file in parts (the parallel loader, csvload.c) ----
 * A reader starts at byte `from` of fd (which must be the start of a row for its rows to be
 * right; 0 is the start of the file, where a BOM is dropped) with line numbers counted from
 * 1, and parses up to a byte `to` that follows a line feed; it can then be run on to a
 * later `to`, carrying its state (an open quoted field, a resync), as if never stopped.
 * Reaching the end of the file (fsize) finishes it.  seekable 0: read with read() from the
 * current position to the end (to is ignored), hashing the fingerprint as it goes;
 * seekable 1: pread from `from`, storing the hash of every segment it reads whole into
 * segs (the caller hashes the rest). */
typedef struct csv_segs {
    size_t n;             /* segments of the file */
    uint64_t *hash;
    unsigned char *done;  /* hash[j] is set */
} csv_segs;
typedef struct csv_reader csv_reader;
csv_reader *csv_reader_new(const csv_opts *o, const char *path, int fd, int seekable, size_t fsize,
                           size_t from, csv_segs *segs);
cs_status csv_reader_run(csv_reader *r, size_t to, cs_error *err);
/* Stopped at a row boundary: no row open, nothing carried, no resync pending (the next
 * byte starts a row exactly as a fresh reader would take it). */
int csv_reader_clean(const csv_reader *r);
/* Send the rows from now on to fn/ctx (progress too), with line numbers moved by line_add. */
void csv_reader_retarget(csv_reader *r, csv_row_fn fn, void *ctx, int (*progress)(void *, size_t),
                         long line_add);
long csv_reader_lines(const csv_reader *r);   /* line ends passed so far */
size_t csv_reader_est_rows(const csv_reader *r);
/* bytes read, rows delivered; fingerprint only for a sequential (seekable 0) reader */
void csv_reader_info(const csv_reader *r, csv_info *info);
void csv_reader_free(csv_reader *r);
/* '\t' for a name ending in .tsv or .tab (any case), else ','. */
char csv_default_delim(const char *path);
/* The first row (header or not) is structurally bad: an error, skip mode or not, since
 * the columns cannot be known.  Returns CS_EINPUT. */
cs_status csv_bad_first_row(const char *path, const csv_row *r, cs_error *err);
/* Copy a value into buf for a message: non-printable bytes escaped (\n, \t, \xNN),
 * shortened with "..." beyond about 60 bytes.  Returns buf. */
const char *csv_show(char *buf, size_t cap, const char *s, size_t len);
/* Continue an FNV-1a 64 word-wise hash (used for fingerprints). */
uint64_t csv_hash_bytes(uint64_t h, const void *p, size_t n);
#define CSV_HASH_INIT CS_FNV64_INIT

#endif
