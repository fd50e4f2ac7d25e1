/* events.h — reading click events from CSV/TSV into a columnar store.
 *
 * Contract (owned by src/engine/events.c, csvload.c, timeparse.c, intern.c):
 *  - Loading is streaming through libcsv; one pass; memory is the columns below plus the
 *    interned strings: 34 bytes an event + the distinct strings (20 M events: 0.8 GB; with
 *    the sessionising that consumes them, 0.93 GB at the peak, dataset.h).
 *  - Every string column (session, item, category, brand, user, event type) is interned:
 *    the column holds a uint32 id, id 0 always means "missing/empty".
 *  - Purchases are events too: a yoochoose buys file is appended as events whose type is
 *    the purchase type; an outcomes file likewise.  Sessionising (dataset.h) then uses
 *    only the events strictly before each session's first purchase as inputs.
 *  - Every row read is either used or skipped-and-counted in the ledger; with
 *    skip_bad_rows off, the first bad row is an error naming file:line:col and the value.
 */
#ifndef CLICKSEQ_EVENTS_H
#define CLICKSEQ_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/intern.h"

typedef enum cs_format {
    CS_FMT_AUTO = 0,  /* guess from the header line */
    CS_FMT_REES46,    /* event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session */
    CS_FMT_YOOCHOOSE, /* clicks: session,timestamp,item,category (+ buys file: session,timestamp,item,price,quantity) */
    CS_FMT_GENERIC,   /* column mapping given by the user */
    CS_FMT_FEATURES   /* one row per session: see table.h, not events */
} cs_format;

/* The formats' names in enum order, NULL-terminated (the parameter table's choices). */
extern const char *const cs_format_names[];
const char *cs_format_name(cs_format f);
/* Parse "rees46", "yoochoose", "generic", "features", "auto"; returns -1 if unknown. */
int cs_format_parse(const char *s);

/* Reasons a row is skipped (with skip_bad_rows) — each counted in the ledger. */
typedef enum cs_skip_reason {
    CS_SKIP_COLUMNS = 0,   /* wrong number of fields */
    CS_SKIP_TIME,          /* unparsable timestamp */
    CS_SKIP_NUMBER,        /* unparsable number (price, quantity, feature) */
    CS_SKIP_QUOTING,       /* malformed quoting */
    CS_SKIP_NUL,           /* NUL byte in a field */
    CS_SKIP_LONG_FIELD,    /* field longer than the limit */
    CS_SKIP_MISSING,       /* required field empty (session, time, event) */
    CS_SKIP_UNKNOWN_EVENT, /* event type not in the accepted set (generic mapping with --events) */
    CS_SKIP_NREASONS
} cs_skip_reason;
const char *cs_skip_reason_name(cs_skip_reason r);

/* Reasons a session is dropped when building a dataset (dataset.h fills these). */
typedef enum cs_drop_reason {
    CS_DROP_EMPTY_BEFORE_PURCHASE = 0, /* honest mode: no event before the first purchase */
    CS_DROP_TOO_SHORT,                 /* length <= 1 (study rule, seed-compatible mode) */
    CS_DROP_TOO_LONG,                  /* longer than max length with policy filter */
    CS_DROP_NREASONS
} cs_drop_reason;
const char *cs_drop_reason_name(cs_drop_reason r);

typedef struct cs_ledger {
    long rows_read;     /* data rows seen (header excluded), over all files */
    long rows_used;
    long rows_skipped;  /* == sum of skipped[] */
    long skipped[CS_SKIP_NREASONS];
    long sessions_seen;
    long sessions_kept;
    long sessions_dropped[CS_DROP_NREASONS];
    long events_after_purchase; /* events at or after the first purchase, not used as inputs */
    long events_truncated;      /* events cut by the truncate length policy */
    long purchase_events;       /* purchase events removed from the inputs */
} cs_ledger;
/* rows_read == rows_used + rows_skipped and sessions_seen == kept + sum(dropped). */
int cs_ledger_balanced(const cs_ledger *l);
/* led, or scratch zeroed when led is NULL: a call given no ledger counts into its own. */
cs_ledger *cs_ledger_or(cs_ledger *led, cs_ledger *scratch);

/* Columns a generic mapping can name; also used by the presets internally. */
typedef enum cs_field {
    CS_F_SESSION = 0, CS_F_TIME, CS_F_EVENT, CS_F_ITEM, CS_F_CATEGORY, CS_F_BRAND,
    CS_F_PRICE, CS_F_USER, CS_F_NFIELDS
} cs_field;

/* Progress of a load, for cs_load_opts.progress: bytes of the input file(s) parsed so far
 * out of bytes_total (the events file plus the outcomes file), and the data rows read so
 * far (used + skipped).  bytes_done reaches bytes_total on the last call of a load that
 * succeeds. */
typedef struct cs_load_progress {
    size_t bytes_done, bytes_total;
    long rows;
} cs_load_progress;
/* Called from the thread that called cs_events_load (never from a parsing thread): once
 * at the start, then at most every 100 ms or so, and once at the end.  Return 0 to go on;
 * anything else stops the load with CS_ECANCEL. */
typedef int (*cs_load_progress_fn)(void *ctx, const cs_load_progress *p);

typedef struct cs_load_opts {
    cs_format format;
    const char *path;           /* events (or clicks) file */
    const char *outcomes_path;  /* yoochoose buys file, or a generic outcomes file (session[,time]) */
    int header;                 /* 1 header, 0 none, -1 decide by preset/auto-detection */
    char delim;                 /* 0: '\t' for *.tsv, else ',' */
    const char *map;            /* generic: "session=user_session,time=event_time,event=event_type"
                                   or 1-based positions "session=1,time=2" */
    const char *purchase_event; /* generic: event value that means purchase (default "purchase") */
    long long session_gap_ms;   /* no session column: cut per user after this gap (default 30 min) */
    int skip_bad_rows;
    size_t max_field_len;       /* default 4096 */
    int threads;                /* parsing threads: 0 = one per online CPU (default), 1 = none;
                                   the result is the same for every count */
    cs_load_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    /* for tests and fuzzers: */
    int force_libcsv;           /* every block through libcsv (no quote-free fast path) */
    size_t part_bytes;          /* size of the parts parsed in parallel; 0 = automatic */
} cs_load_opts;
void cs_load_opts_init(cs_load_opts *o);

typedef struct cs_events {
    size_t n, cap;
    uint32_t *session;  /* interned in sessions */
    int64_t *time_ms;   /* milliseconds since the Unix epoch, UTC */
    uint16_t *type;     /* interned in types (ids are small) */
    uint32_t *item, *category, *brand, *user; /* interned; 0 = missing */
    float *price;       /* NaN = missing */
    cs_intern *sessions, *types, *items, *categories, *brands, *users;
    uint16_t purchase_type;  /* type id meaning purchase, 0 if none */
    uint16_t cart_type, remove_type, view_type; /* well-known types when present, else 0 */
    char source[512];        /* the file name(s), for messages and fingerprints */
    uint64_t fingerprint;    /* hash of the bytes read (FNV-1a 64 over 8-byte words), for run configs */
} cs_events;

cs_status cs_events_init(cs_events *ev);
void cs_events_free(cs_events *ev);
/* Append one event from strings (used by the loaders, the simulator and tests).
 * type must be non-empty; item/category/brand/user may be NULL or "". */
cs_status cs_events_append(cs_events *ev, const char *session, int64_t time_ms, const char *type,
                           const char *item, const char *category, const char *brand, float price,
                           const char *user);
/* Load a file according to opts, appending to ev and counting into led. */
cs_status cs_events_load(cs_events *ev, const cs_load_opts *opts, cs_ledger *led, cs_error *err);

/* One shard of a load spread over several processes (the distributed loader, dist.h): only
 * the rows whose line starts in the shard-th of shards line-aligned byte ranges of the events
 * file and of the yoochoose buys file are parsed (each range after the first line, read
 * alone for the column layout), appended to ev in file order (events file first) and
 * counted into led; the shards' ledgers add up to a one-process load's.  No fingerprint is
 * computed (no process reads the whole file) and the whole-file checks (empty file, no
 * usable rows) are the caller's.  info->whole is set (a reason) when this load cannot be
 * sharded exactly: no session column (sessions cut by a gap), a generic outcomes file, a
 * quoted field spanning a range boundary, a file that is not regular; the caller then loads
 * the whole file.  Line numbers of a shard's messages count from its range's start. */
typedef struct cs_shard_info {
    const char *whole;        /* NULL: sharded; else why the load must be whole */
    size_t n_events_file;     /* ev's first n_events_file new events are the events file's */
} cs_shard_info;
cs_status cs_events_load_shard(cs_events *ev, const cs_load_opts *o, int shard, int shards,
                               cs_ledger *led, cs_shard_info *info, cs_error *err);

/* Timestamps: ISO 8601 date-time with 'T' or ' ', optional fraction, optional 'Z',
 * '+hh:mm' offset or ' UTC'; or an integer of epoch seconds (<= 11 digits) or
 * milliseconds (12–13 digits).  Returns 0 and *out_ms on success, -1 on failure. */
int cs_parse_time(const char *s, size_t len, int64_t *out_ms);
/* Strict numbers: the whole field must parse, no overflow, finite. 0 ok, -1 bad. */
int cs_parse_double(const char *s, size_t len, double *out);
int cs_parse_i64(const char *s, size_t len, long long *out);

#endif
