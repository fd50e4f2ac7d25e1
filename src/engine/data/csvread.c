/* csvread.c — streaming CSV rows through libcsv with line numbers (see csvread.h).
 *
 * libcsv gives no positions, so lines are counted from what it reports: with
 * CSV_REPALL_NL every unquoted CR and LF reaches the row callback (cb2), and newlines
 * inside quoted fields are counted in the field callback (cb1).  Scanning every field for
 * newlines and NUL bytes would cost on the hot path, so it is done only for fields in a
 * block that holds a quote or a NUL byte (memchr on the whole block first), or that
 * started in such a block. */
#include "engine/data/csvread.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clickseq/events.h"
#include "engine/core/freeall.h"
#include "engine/core/grow.h"

#define BLOCK ((unsigned)CSV_SEGMENT)
#define KEEP_NONE ((size_t)-1)   /* see parse_region */
#define KEEP_LOST ((size_t)-2)
#define RETAIN_MAX ((size_t)64 << 20)
#define SHOW_MAX 64

/* libcsv's field buffer grows through realloc_func, which has no context argument: the
 * cap for the current thread's parse lives here (a parse never leaves its thread). */
static _Thread_local size_t field_cap;

static void *capped_realloc(void *p, size_t n)
{
    if (n > field_cap)
        return NULL;
    return realloc(p, n);
}

struct csv_reader {
    struct csv_parser p;
    csv_row_fn fn;
    void *ctx;
    cs_status stop;        /* first non-OK status from fn; later callbacks do nothing */
    char *buf;             /* the current row's fields, NUL-terminated, back to back */
    size_t buf_len, buf_cap;
    size_t *off, *lens;
    const char **ptrs;
    size_t nfields;        /* fields so far in the current row */
    long line;             /* physical line of the parse position */
    long row_line;         /* line where the current row started */
    int cr_pending;        /* the last terminator was a CR (a following LF is the same line end) */
    int scan;              /* look inside fields for newlines and NUL bytes */
    size_t max_field_len;
    int bad;               /* first structural problem in the row, or -1 */
    size_t bad_col, bad_off, bad_len;
    size_t keep;           /* where to resume if the current row fails (see parse_region) */
    int keep_cr;           /* ... and that point follows a CR that may have its LF after it */
    /* fast path: a batch of rows whose fields point into the read buffer */
    csv_row batch[CSV_BATCH];
    size_t bstart[CSV_BATCH], nbatch;
    const char **fptr;
    size_t *flen, nflat, fcap, flcap;
    size_t est_rows;
    long rows;
    int force_libcsv;
    int (*progress)(void *ctx, size_t bytes);
    /* input */
    int fd, seekable;      /* seekable: read with pread from pos (a part of the file) */
    const char *path;
    char delim;
    size_t fsize;          /* size of a regular file (0 otherwise) */
    size_t pos;            /* file offset of the next read */
    int eof, finished;     /* end of file reached; end-of-file handling done */
    int at_start;          /* nothing read yet and reading from offset 0 (BOM, estimate) */
    int resync;            /* skip to after the next line end (see parse_region) */
    int p_ok;              /* the libcsv parser is initialised */
    unsigned char *b;      /* read buffer: carry bytes kept at the front, then a piece */
    size_t cap, carry, fed; /* carry: a partial line or an open row's tail; fed: of those, seen by libcsv */
    size_t bytes;          /* bytes read */
    csv_segs *segs;        /* parts: segment hashes shared with the other parts */
    uint64_t fold;         /* sequential: the fingerprint so far */
    size_t nfold;
};
typedef struct csv_reader reader;

char csv_default_delim(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n >= 4 && (!strcasecmp(path + n - 4, ".tsv") || !strcasecmp(path + n - 4, ".tab")))
        return '\t';
    return ',';
}

const char *csv_show(char *buf, size_t cap, const char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i >= SHOW_MAX) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c == '\n' || c == '\t' || c == '\r') {
            buf[o++] = '\\';
            buf[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = '\0';
    return buf;
}

cs_status csv_bad_first_row(const char *path, const csv_row *r, cs_error *err)
{
    char shown[300];
    return cs_error_set(err, CS_EINPUT, path, r->line, (long)r->bad_col, "first row: %s in field %zu: '%s'",
                        cs_skip_reason_name((cs_skip_reason)r->bad), r->bad_col,
                        csv_show(shown, sizeof shown, r->bad_val, r->bad_len));
}

uint64_t csv_hash_bytes(uint64_t h, const void *p, size_t n)
{
    return cs_fnv64_words(h, p, n);
}

static void mark_bad(reader *r, int reason, size_t col, size_t off, size_t len)
{
    if (r->bad >= 0)
        return;
    r->bad = reason;
    r->bad_col = col;
    r->bad_off = off;
    r->bad_len = len;
}

static long count_lf(const char *s, size_t n)
{
    long k = 0;
    for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
        k++;
    return k;
}

/* Line ends inside a quoted field: LF, CRLF and a lone CR, as outside quotes. */
static long count_line_ends(const char *s, size_t n)
{
    long k = count_lf(s, n);
    for (const char *c = s, *e = s + n; (c = memchr(c, '\r', (size_t)(e - c))) != NULL; c++)
        if (c + 1 == e || c[1] != '\n')
            k++;
    return k;
}

/* Store a field (or its first SHOW_MAX bytes if it is too long) in the row buffer. */
static void cb1(void *field, size_t len, void *data)
{
    reader *r = data;
    if (r->stop)
        return;
    const char *s = field ? field : "";
    size_t idx = r->nfields++;
    r->cr_pending = 0;
    if (r->scan) {
        r->line += count_line_ends(s, len);
        if (memchr(s, '\0', len))
            mark_bad(r, CS_SKIP_NUL, idx + 1, r->buf_len, len < SHOW_MAX ? len : SHOW_MAX);
    }
    size_t keep = len;
    if (len > r->max_field_len) {
        keep = len < SHOW_MAX + 1 ? len : SHOW_MAX + 1;
        mark_bad(r, CS_SKIP_LONG_FIELD, idx + 1, r->buf_len, keep);
    }
    if (idx >= CSV_MAX_FIELDS)
        return;
    if (cs_grow((void **)&r->buf, &r->buf_cap, r->buf_len + keep + 1, 1) < 0) {
        r->stop = CS_ENOMEM;
        return;
    }
    memcpy(r->buf + r->buf_len, s, keep);
    r->buf[r->buf_len + keep] = '\0';
    r->off[idx] = r->buf_len;
    r->lens[idx] = keep;
    r->buf_len += keep + 1;
}

static void deliver(reader *r)
{
    size_t n = r->nfields < CSV_MAX_FIELDS ? r->nfields : CSV_MAX_FIELDS;
    for (size_t i = 0; i < n; i++)
        r->ptrs[i] = r->buf + r->off[i];
    csv_row row = {.line = r->row_line, .n = r->nfields, .f = r->ptrs, .len = r->lens,
                   .bad = r->bad, .bad_col = r->bad_col, .est_rows = r->est_rows};
    if (r->bad >= 0) {
        row.bad_val = r->buf + r->bad_off;
        row.bad_len = r->bad_len;
    }
    r->rows++;
    r->stop = r->fn(r->ctx, &row, 1);
}

static void reset_row(reader *r)
{
    r->nfields = 0;
    r->buf_len = 0;
    r->bad = -1;
    r->row_line = r->line;
    r->keep = KEEP_NONE;
}

static void cb2(int c, void *data)
{
    reader *r = data;
    if (r->stop)
        return;
    if (r->nfields > 0)
        deliver(r);
    if (c == '\r') {
        r->line++;
        r->cr_pending = 1;
    } else if (c == '\n') {
        if (r->cr_pending && r->nfields == 0)
            r->cr_pending = 0;
        else
            r->line++;
    }
    reset_row(r);
}

static int parser_init(reader *r, char delim)
{
    if (csv_init(&r->p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
        return -1;
    csv_set_delim(&r->p, (unsigned char)delim);
    csv_set_realloc_func(&r->p, capped_realloc);
    csv_set_blk_size(&r->p, 4096);
    return 0;
}

/* Report the field libcsv was in the middle of (its partial content, plus the byte it
 * stopped at, if any) as a bad row.  Returns 0 if reading may go on (the row was skipped). */
static int report_partial(reader *r, int reason, int stop_byte)
{
    /* as much as the fast path shows of a long field (SHOW_MAX + 1: "..." follows) */
    size_t plen = r->p.entry_pos < SHOW_MAX + 1 ? r->p.entry_pos : SHOW_MAX + 1;
    size_t col = r->nfields + 1;
    if (cs_grow((void **)&r->buf, &r->buf_cap, r->buf_len + plen + 2, 1) < 0) {
        r->stop = CS_ENOMEM;
        return -1;
    }
    size_t off = r->buf_len;
    if (plen)
        memcpy(r->buf + off, r->p.entry_buf, plen);
    size_t vlen = plen;
    if (stop_byte >= 0)
        r->buf[off + vlen++] = (char)stop_byte;
    r->buf[off + vlen] = '\0';
    r->buf_len += vlen + 1;
    if (r->p.entry_pos)
        r->line += count_line_ends((const char *)r->p.entry_buf, r->p.entry_pos);
    r->bad = -1; /* this problem is the one to report */
    mark_bad(r, reason, col, off, vlen);
    if (col - 1 < CSV_MAX_FIELDS) { /* the partial field is the row's last */
        r->off[col - 1] = off;
        r->lens[col - 1] = vlen;
    }
    r->nfields = col;
    deliver(r);
    return r->stop ? -1 : 0;
}

/* libcsv stopped inside the block: bad quoting, or the field outgrew its cap (a real
 * allocation failure is told apart by the cap not being reached). */
static int parse_failure(reader *r, const unsigned char *blk, size_t at, size_t len)
{
    int st = csv_error(&r->p);
    if (st != CSV_EPARSE && r->p.entry_size + 1 <= field_cap) {
        r->stop = CS_ENOMEM;
        return -1;
    }
    if (st == CSV_EPARSE)
        return report_partial(r, CS_SKIP_QUOTING, at < len ? blk[at] : -1);
    return report_partial(r, CS_SKIP_LONG_FIELD, -1);
}

static size_t fill(int fd, unsigned char *b, size_t cap, int *eof, int *e)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t k = read(fd, b + n, cap - n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            *e = errno;
            return n;
        }
        if (k == 0) {
            *eof = 1;
            break;
        }
        n += (size_t)k;
    }
    return n;
}

/* Where to resume after a row that fails.  Every physical line must end up either in a
 * row or counted as skipped, so a failing row is one skipped row and reading resumes at
 * the line after the one where it started (a stray opening quote swallows the lines that
 * follow into its field: those lines are read again as rows of their own).  r->keep is
 * the offset, in the region being parsed, of the start of that line: set at the first
 * line feed inside the row (only a quoted field holds one), KEEP_NONE while the row is on
 * its first line (then reading resumes at the next line end after the failure), and
 * KEEP_LOST if the row outgrew RETAIN_MAX bytes and its start was let go. */

static int row_open(const reader *r)
{
    return r->p.pstate != 0; /* libcsv is inside a row (a field started or pending) */
}

/* Start over with a fresh parser at the line after the failed row's first line. */
static int rewind_row(reader *r, char delim, long row_line, int after_cr)
{
    csv_free(&r->p);
    if (parser_init(r, delim) < 0) {
        r->stop = CS_ENOMEM;
        return -1;
    }
    r->line = row_line + 1;
    r->cr_pending = after_cr; /* an LF that follows is the same line end */
    reset_row(r);
    return 0;
}

/* Parse s[from..n), fed to libcsv one line (up to and including its LF) at a time so that
 * line starts are known; handle failures and resynchronisation.  *resync: skip to after
 * the next line end (LF, CR or CRLF) before parsing (carried across blocks). */
static void parse_region(reader *r, char delim, const unsigned char *s, size_t n, size_t from,
                         int *resync)
{
    size_t pos = from;
    while (pos < n && !r->stop) {
        if (*resync) {
            size_t i = pos;
            while (i < n && s[i] != '\n' && s[i] != '\r')
                i++;
            if (i == n)
                return;
            r->cr_pending = 0;
            if (s[i] == '\r') {
                if (i + 1 < n && s[i + 1] == '\n')
                    i++;
                else if (i + 1 == n)
                    r->cr_pending = 1; /* an LF starting the next block ends the same line */
            }
            pos = i + 1;
            r->line++;
            reset_row(r);
            *resync = 0;
            continue;
        }
        /* the next line: up to an LF, a CRLF or a lone CR */
        const unsigned char *le = memchr(s + pos, '\n', n - pos);
        const unsigned char *cr = memchr(s + pos, '\r', (le ? (size_t)(le - s) : n) - pos);
        if (cr)
            le = cr + 1 < s + n && cr[1] == '\n' ? cr + 1 : cr;
        size_t end = le ? (size_t)(le - s) + 1 : n;
        size_t k = csv_parse(&r->p, s + pos, end - pos, cb1, cb2, r);
        if (r->stop)
            return;
        if (pos + k == end) {
            pos = end;
            if (le && row_open(r) && r->keep == KEEP_NONE) {
                r->keep = pos; /* the row's first line ended inside a quoted field */
                r->keep_cr = *le == '\r';
            }
            continue;
        }
        long row_line = r->row_line;
        size_t keep = r->keep;
        int keep_cr = r->keep_cr;
        if (parse_failure(r, s, pos + k, n) < 0)
            return;
        if (keep != KEEP_NONE && keep != KEEP_LOST) {
            if (rewind_row(r, delim, row_line, keep_cr) < 0)
                return;
            pos = keep;
            continue;
        }
        /* the row failed on its first line (or its start was let go): resume after the
         * line end that follows the failure */
        csv_free(&r->p);
        if (parser_init(r, delim) < 0) {
            r->stop = CS_ENOMEM;
            return;
        }
        pos += k;
        *resync = 1;
    }
}

/* ---- the fast path ----------------------------------------------------------------------
 * libcsv looks at every byte through a state machine (about 100 MB/s here), which alone
 * would cap a rees46 load near 0.8 M rows/s.  Most event files hold no quote at all, and
 * for those the grammar is trivial, so complete lines of a quote-free, NUL-free region
 * are split here with memchr, in place (fields are NUL-terminated inside the read
 * buffer), with exactly libcsv's rules for unquoted fields: blank lines are not rows,
 * surrounding spaces and tabs are trimmed, CRLF ends a line (a lone CR, which libcsv
 * treats as a line end too, sends the region to libcsv instead).  Anything else — a
 * quote, a NUL byte, a lone CR, a line longer than the buffer, libcsv in the middle of a
 * row — goes through libcsv.  fuzz/ checks both paths give the same rows.  Tests and the
 * fuzzer can force libcsv for everything (csv_opts.force_libcsv). */

static int is_blank_line(const char *s, const char *e, char delim)
{
    for (; s < e; s++)
        if (!(*s == ' ' || (*s == '\t' && delim != '\t')))
            return 0;
    return 1;
}

static void fast_flush(reader *r)
{
    for (size_t i = 0; i < r->nbatch; i++) {
        r->batch[i].f = r->fptr + r->bstart[i];
        r->batch[i].len = r->flen + r->bstart[i];
    }
    if (r->nbatch && !r->stop) {
        r->rows += (long)r->nbatch;
        r->stop = r->fn(r->ctx, r->batch, r->nbatch);
    }
    r->nbatch = 0;
    r->nflat = 0;
}

/* Split one line (s..e, without its terminator) into a row of the batch. */
static void fast_line(reader *r, char *s, char *e, char delim)
{
    if (is_blank_line(s, e, delim))
        return;
    csv_row *row = &r->batch[r->nbatch];
    *row = (csv_row){.line = r->row_line, .bad = -1, .est_rows = r->est_rows};
    r->bstart[r->nbatch] = r->nflat;
    for (char *f = s;;) {
        char *d = f;
        while (d < e && *d != delim) /* fields are short: a byte loop beats a memchr call */
            d++;
        char *fe = d, *a = f, *b = fe;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        *b = '\0'; /* b is at most fe: a delimiter, CR, LF or the spare byte at the end */
        size_t idx = row->n++, len = (size_t)(b - a);
        if (idx < CSV_MAX_FIELDS) {
            if (r->nflat == r->fcap &&
                (cs_grow((void **)&r->fptr, &r->fcap, r->nflat + 1, sizeof *r->fptr) < 0 ||
                 cs_grow((void **)&r->flen, &r->flcap, r->fcap, sizeof *r->flen) < 0)) {
                r->stop = CS_ENOMEM;
                return;
            }
            r->fptr[r->nflat] = a;
            r->flen[r->nflat++] = len;
        }
        if (len > r->max_field_len && row->bad < 0) {
            row->bad = CS_SKIP_LONG_FIELD;
            row->bad_col = idx + 1;
            row->bad_val = a;
            row->bad_len = len < SHOW_MAX + 1 ? len : SHOW_MAX + 1;
        }
        if (d == e)
            break;
        f = d + 1;
    }
    if (++r->nbatch == CSV_BATCH)
        fast_flush(r);
}

/* Lines of s[0..n) (the last one may lack its LF only at end of file). */
static void fast_lines(reader *r, char *s, size_t n, char delim)
{
    char *end = s + n;
    while (s < end && !r->stop) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *le = nl ? nl : end, *ce = le;
        if (ce > s && ce[-1] == '\r')
            ce--;
        r->row_line = r->line;
        fast_line(r, s, ce, delim);
        if (nl)
            r->line++;
        s = le + 1;
    }
    fast_flush(r);
    r->row_line = r->line;
}

/* Can s[0..n) go through the fast path?  Every CR must be followed by an LF. */
static int fast_ok(const char *s, size_t n)
{
    if (memchr(s, '"', n) || memchr(s, '\0', n))
        return 0;
    for (const char *c = s, *e = s + n; (c = memchr(c, '\r', (size_t)(e - c))) != NULL; c++)
        if (c + 1 >= e || c[1] != '\n')
            return 0;
    return 1;
}

static const char *last_lf(const char *s, size_t n)
{
    for (const char *c = s + n; c > s;)
        if (*--c == '\n')
            return c;
    return NULL;
}

/* Read the next piece of input into b + carry.  A piece never crosses a 1 MiB segment
 * boundary of the file (nor the end of the run), so a segment read whole in one piece is
 * hashed here: in order into r->fold when reading the whole file sequentially, into the
 * shared table r->segs when reading a part (the caller hashes the segments no part read
 * whole).  Returns the bytes read; sets r->eof at the end of the file, *e on a read error. */
static size_t next_piece(reader *r, size_t to, int *e)
{
    unsigned char *dst = r->b + r->carry;
    if (!r->seekable) {
        int eof = 0;
        size_t n = fill(r->fd, dst, BLOCK, &eof, e);
        if (eof)
            r->eof = 1;
        if (n > 0 && !*e) {
            uint64_t h = csv_hash_bytes(CSV_HASH_INIT, dst, n);
            r->fold = csv_fp_fold(r->fold, r->nfold++, h);
        }
        r->pos += n;
        return n;
    }
    size_t want = BLOCK - r->pos % BLOCK;
    if (want > to - r->pos)
        want = to - r->pos;
    size_t n = 0;
    while (n < want) {
        ssize_t k = pread(r->fd, dst + n, want - n, (off_t)(r->pos + n));
        if (k < 0) {
            if (errno == EINTR)
                continue;
            *e = errno;
            return n;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    if (r->pos % BLOCK == 0 && n > 0 && (n == BLOCK || n < want || r->pos + n >= r->fsize)) {
        size_t j = r->pos / BLOCK;
        if (r->segs && j < r->segs->n) {
            __atomic_store_n(&r->segs->hash[j], csv_hash_bytes(CSV_HASH_INIT, dst, n), __ATOMIC_RELAXED);
            __atomic_store_n(&r->segs->done[j], 1, __ATOMIC_RELEASE);
        }
    }
    r->pos += n;
    if (n < want || r->pos >= r->fsize)
        r->eof = 1;
    return n;
}

uint64_t csv_fp_fold(uint64_t fp, size_t j, uint64_t seg)
{
    return j == 0 ? seg : (fp ^ seg) * 1099511628211ULL;
}

cs_status csv_reader_run(csv_reader *r, size_t to, cs_error *err)
{
    field_cap = r->max_field_len + 4096 + 2; /* this thread's parse (see capped_realloc) */
    char delim = r->delim;
    while (!r->eof && !r->stop && (!r->seekable || r->pos < to)) {
        size_t piece = BLOCK; /* at most what next_piece reads */
        if (r->seekable && to - r->pos < piece)
            piece = to - r->pos;
        if (r->carry + piece + 1 > r->cap) {
            size_t cap = r->carry + piece + 1;
            if (cap < 2 * (size_t)BLOCK + 1 && (!r->seekable || to - r->pos > BLOCK))
                cap = 2 * (size_t)BLOCK + 1; /* room for a whole piece and a carried line */
            unsigned char *nb = realloc(r->b, cap);
            if (!nb)
                return cs_error_fmt(err, CS_ENOMEM, "%s: out of memory", r->path);
            r->b = nb;
            r->cap = cap;
        }
        int e = 0;
        size_t n = next_piece(r, to, &e);
        if (e)
            return cs_error_set(err, CS_EIO, r->path, 0, 0, "read error: %s", strerror(e));
        r->bytes += n;
        unsigned char *b = r->b;
        int eof = r->eof;
        size_t start = 0, len = r->carry + n;
        if (r->at_start) {
            if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
                start = 3;
            if (!r->est_rows) {
                long lines = count_lf((const char *)b, n);
                r->est_rows = lines > 0 && n == BLOCK ? (size_t)((double)r->fsize / ((double)n / lines)) + 1
                                                      : (size_t)lines + 1;
            }
            r->at_start = 0;
        }
        char *s = (char *)b + start;
        size_t sn = len - start;
        const char *lf = eof ? s + sn : last_lf(s, sn);
        size_t upto = lf ? (size_t)(lf - s) + (eof ? 0 : 1) : 0;
        if (!r->force_libcsv && !r->resync && r->p.pstate == 0 && upto > 0 && fast_ok(s, upto)) {
            if (r->cr_pending && s[0] == '\n') { /* libcsv saw the CR of this CRLF */
                s++;
                sn--;
                upto--;
            }
            r->cr_pending = 0;
            s[sn] = '\0'; /* the spare byte, for a last line without LF */
            fast_lines(r, s, upto, delim);
            r->carry = sn - upto;
            r->fed = 0;
            memmove(b, s + upto, r->carry);
        } else {
            int was_mid = r->p.pstate >= 2;
            r->scan = (was_mid && r->scan) || memchr(s, '"', sn) || memchr(s, '\0', sn);
            parse_region(r, delim, (unsigned char *)s, sn, r->fed, &r->resync);
            /* a row still open after a line end inside it: keep the bytes from the line
             * after its first, to read them again should the row fail */
            r->carry = r->fed = 0;
            if (!r->stop && !r->resync && row_open(r) && r->keep != KEEP_NONE && r->keep != KEEP_LOST) {
                if (sn - r->keep > RETAIN_MAX) {
                    r->keep = KEEP_LOST;
                } else {
                    r->carry = r->fed = sn - r->keep;
                    memmove(b, s + r->keep, r->carry);
                    r->keep = 0;
                }
            }
        }
        if (r->progress && !r->stop && r->progress(r->ctx, r->bytes))
            r->stop = CS_ECANCEL;
    }
    /* end of file: a quote still open is a bad row; its lines after the first are read
     * again (from the kept bytes at the front of b) */
    while (r->eof && !r->finished && !r->stop && !r->resync) {
        long row_line = r->row_line;
        size_t keep = r->keep;
        int keep_cr = r->keep_cr;
        if (csv_fini(&r->p, cb1, cb2, r) == 0 || r->stop)
            break;
        report_partial(r, CS_SKIP_QUOTING, -1);
        if (r->stop || keep == KEEP_NONE || keep == KEEP_LOST ||
            rewind_row(r, delim, row_line, keep_cr) < 0)
            break;
        parse_region(r, delim, r->b, r->carry, keep, &r->resync);
    }
    if (r->eof)
        r->finished = 1;
    if (r->stop == CS_ENOMEM && err && err->code != CS_ENOMEM)
        cs_error_fmt(err, CS_ENOMEM, "%s: out of memory", r->path);
    return r->stop;
}

csv_reader *csv_reader_new(const csv_opts *o, const char *path, int fd, int seekable, size_t fsize,
                           size_t from, csv_segs *segs)
{
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    *r = (reader){.fn = o->fn, .ctx = o->ctx, .line = 1, .row_line = 1, .bad = -1,
                  .max_field_len = o->max_field_len ? o->max_field_len : 4096,
                  .force_libcsv = o->force_libcsv, .progress = o->progress, .est_rows = o->est_rows,
                  .fd = fd, .seekable = seekable, .path = path, .fsize = fsize, .pos = from,
                  .at_start = from == 0, .segs = segs, .fold = CSV_HASH_INIT, .keep = KEEP_NONE};
    r->delim = o->delim ? o->delim : csv_default_delim(path);
    field_cap = r->max_field_len + 4096 + 2;
    r->off = malloc(CSV_MAX_FIELDS * sizeof *r->off);
    r->lens = malloc(CSV_MAX_FIELDS * sizeof *r->lens);
    r->ptrs = malloc(CSV_MAX_FIELDS * sizeof *r->ptrs);
    if (!r->off || !r->lens || !r->ptrs || parser_init(r, r->delim) < 0) {
        csv_reader_free(r);
        return NULL;
    }
    r->p_ok = 1;
    return r;
}

void csv_reader_free(csv_reader *r)
{
    if (!r)
        return;
    if (r->p_ok)
        csv_free(&r->p);
    CS_FREE_ALL(r->b, r->buf, r->off, r->lens, r->ptrs, r->fptr, r->flen, r);
}

int csv_reader_clean(const csv_reader *r)
{
    return !r->stop && !r->resync && r->p.pstate == 0 && r->nfields == 0 && r->carry == 0;
}

void csv_reader_retarget(csv_reader *r, csv_row_fn fn, void *ctx, int (*progress)(void *, size_t),
                         long line_add)
{
    r->fn = fn;
    r->ctx = ctx;
    r->progress = progress;
    r->line += line_add;
    r->row_line += line_add;
}

long csv_reader_lines(const csv_reader *r) { return r->line - 1; }

void csv_reader_info(const csv_reader *r, csv_info *info)
{
    info->bytes = r->bytes;
    info->rows = r->rows;
    info->fingerprint = r->fold;
}

size_t csv_reader_est_rows(const csv_reader *r) { return r->est_rows; }

cs_status csv_read(const char *path, const csv_opts *o, csv_info *info, cs_error *err)
{
    memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY);
    if (fd < 0) /* a file the user named that is not there is their input error (exit 2) */
        return cs_error_set(err, errno == ENOENT || errno == ENOTDIR ? CS_EINPUT : CS_EIO, path,
                            0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    int have = fstat(fd, &st) == 0;
    if (have && S_ISDIR(st.st_mode)) {
        close(fd);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "is a directory, not a data file");
    }
    csv_reader *r = csv_reader_new(o, path, fd, 0, have ? (size_t)st.st_size : 0, 0, NULL);
    cs_status s = r ? csv_reader_run(r, SIZE_MAX, err) : cs_error_fmt(err, CS_ENOMEM, "%s: out of memory", path);
    if (r)
        csv_reader_info(r, info);
    csv_reader_free(r);
    close(fd);
    return s;
}
