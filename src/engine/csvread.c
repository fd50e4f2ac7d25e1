/* csvread.c — streaming CSV rows through libcsv with line numbers (see csvread.h).
 *
 * libcsv gives no positions, so lines are counted from what it reports: with
 * CSV_REPALL_NL every unquoted CR and LF reaches the row callback (cb2), and newlines
 * inside quoted fields are counted in the field callback (cb1).  Scanning every field for
 * newlines and NUL bytes would cost on the hot path, so it is done only for fields in a
 * block that holds a quote or a NUL byte (memchr on the whole block first), or that
 * started in such a block. */
#include "csvread.h"

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

#define BLOCK (1u << 20)
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

typedef struct reader {
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
    size_t est_rows;
    long rows;
} reader;

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

uint64_t csv_hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 1099511628211ULL;
    }
    for (; n; s++, n--)
        h = (h ^ *s) * 1099511628211ULL;
    return h;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
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
        r->line += count_lf(s, len);
        if (memchr(s, '\0', len))
            mark_bad(r, CS_SKIP_NUL, idx + 1, r->buf_len, len < SHOW_MAX ? len : SHOW_MAX);
    }
    size_t keep = len;
    if (len > r->max_field_len) {
        keep = SHOW_MAX + 1;
        mark_bad(r, CS_SKIP_LONG_FIELD, idx + 1, r->buf_len, keep);
    }
    if (idx >= CSV_MAX_FIELDS)
        return;
    if (grow((void **)&r->buf, &r->buf_cap, r->buf_len + keep + 1, 1) < 0) {
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
    r->stop = r->fn(r->ctx, &row);
}

static void reset_row(reader *r)
{
    r->nfields = 0;
    r->buf_len = 0;
    r->bad = -1;
    r->row_line = r->line;
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
    size_t plen = r->p.entry_pos < SHOW_MAX ? r->p.entry_pos : SHOW_MAX;
    size_t col = r->nfields + 1;
    if (grow((void **)&r->buf, &r->buf_cap, r->buf_len + plen + 2, 1) < 0) {
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
        r->line += count_lf((const char *)r->p.entry_buf, r->p.entry_pos);
    r->bad = -1; /* this problem is the one to report */
    mark_bad(r, reason, col, off, vlen);
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

/* Parse one block, handling failures and resynchronisation.  *resync: skip to after the
 * next LF before parsing (carried across blocks). */
static void parse_block(reader *r, char delim, const unsigned char *b, size_t n, int *resync)
{
    size_t pos = 0;
    while (pos < n && !r->stop) {
        if (*resync) {
            const unsigned char *lf = memchr(b + pos, '\n', n - pos);
            if (!lf)
                return;
            pos = (size_t)(lf - b) + 1;
            r->line++;
            r->cr_pending = 0;
            reset_row(r);
            *resync = 0;
            continue;
        }
        size_t k = csv_parse(&r->p, b + pos, n - pos, cb1, cb2, r);
        if (r->stop || pos + k == n)
            return;
        if (parse_failure(r, b, pos + k, n) < 0)
            return;
        /* start afresh after the next line feed */
        csv_free(&r->p);
        if (parser_init(r, delim) < 0) {
            r->stop = CS_ENOMEM;
            return;
        }
        pos += k;
        *resync = 1;
    }
}

static cs_status read_fd(reader *r, int fd, const char *path, char delim, csv_info *info,
                         cs_error *err)
{
    unsigned char *b = malloc(BLOCK);
    if (!b)
        return cs_error_fmt(err, CS_ENOMEM, "%s: out of memory", path);
    struct stat st;
    size_t fsize = fstat(fd, &st) == 0 ? (size_t)st.st_size : 0;
    int eof = 0, e = 0, first = 1, resync = 0;
    uint64_t h = CSV_HASH_INIT;
    while (!eof && !r->stop) {
        size_t n = fill(fd, b, BLOCK, &eof, &e);
        if (e) {
            free(b);
            return cs_error_set(err, CS_EIO, path, 0, 0, "read error: %s", strerror(e));
        }
        h = csv_hash_bytes(h, b, n);
        info->bytes += n;
        size_t start = 0;
        if (first) {
            if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
                start = 3;
            long lines = count_lf((const char *)b, n);
            r->est_rows = lines > 0 && n == BLOCK ? (size_t)((double)fsize / ((double)n / lines)) + 1
                                                  : (size_t)lines + 1;
            first = 0;
        }
        int carry = r->scan && (r->p.pstate >= 2);
        r->scan = carry || memchr(b + start, '"', n - start) || memchr(b + start, '\0', n - start);
        parse_block(r, delim, b + start, n - start, &resync);
    }
    free(b);
    if (!r->stop && !resync) {
        if (csv_fini(&r->p, cb1, cb2, r) != 0 && !r->stop)
            report_partial(r, CS_SKIP_QUOTING, -1); /* unterminated quote at end of file */
    }
    info->fingerprint = h;
    info->rows = r->rows;
    return r->stop;
}

cs_status csv_read(const char *path, char delim, size_t max_field_len, csv_row_fn fn, void *ctx,
                   csv_info *info, cs_error *err)
{
    memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return cs_error_set(err, CS_EIO, path, 0, 0, "is a directory, not a data file");
    }
    reader r = {.fn = fn, .ctx = ctx, .line = 1, .row_line = 1, .bad = -1,
                .max_field_len = max_field_len ? max_field_len : 4096};
    if (!delim)
        delim = csv_default_delim(path);
    field_cap = r.max_field_len + 4096 + 2;
    r.off = malloc(CSV_MAX_FIELDS * sizeof *r.off);
    r.lens = malloc(CSV_MAX_FIELDS * sizeof *r.lens);
    r.ptrs = malloc(CSV_MAX_FIELDS * sizeof *r.ptrs);
    cs_status s;
    if (!r.off || !r.lens || !r.ptrs || parser_init(&r, delim) < 0) {
        s = cs_error_fmt(err, CS_ENOMEM, "%s: out of memory", path);
    } else {
        s = read_fd(&r, fd, path, delim, info, err);
        if (s == CS_ENOMEM && err && err->code != CS_ENOMEM)
            cs_error_fmt(err, CS_ENOMEM, "%s: out of memory", path);
    }
    csv_free(&r.p);
    free(r.buf);
    free(r.off);
    free(r.lens);
    free(r.ptrs);
    close(fd);
    return s;
}
