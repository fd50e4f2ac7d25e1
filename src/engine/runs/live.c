/* live.c — live records of runs still training (see live.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/files.h"
#include "clickseq/live.h"
#include "clickseq/rundir.h"
#include "clickseq/runfind.h"

#define LIVE_MAGIC "clickseq-live"
#define LIVE_SUFFIX ".live"
/* history.csv's columns (rundir.h) */
#define LIVE_HISTORY_HEADER "epoch,train_loss,valid_loss,accuracy,precision,recall,f1,roc_auc,pr_auc," \
                            "threshold,tp,fp,tn,fn,seconds,events_per_s"

void cs_live_free(cs_live *l)
{
    if (!l)
        return;
    free(l->hist);
    free(l->batch_loss);
    memset(l, 0, sizeof *l);
}

int cs_live_path(const char *run_dir, char *out, size_t n)
{
    size_t len = strlen(run_dir);
    while (len > 1 && run_dir[len - 1] == '/')
        len--;
    const char *base = run_dir;
    for (size_t i = 0; i < len; i++)
        if (run_dir[i] == '/')
            base = run_dir + i + 1;
    size_t dlen = (size_t)(base - run_dir), blen = len - dlen;
    if (blen == 0 || dlen + blen + sizeof "." LIVE_SUFFIX > n)
        return -1;
    snprintf(out, n, "%.*s.%.*s" LIVE_SUFFIX, (int)dlen, run_dir, (int)blen, base);
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void my_pidns(char *out, size_t n)
{
    ssize_t k = readlink("/proc/self/ns/pid", out, n - 1);
    if (k <= 0)
        snprintf(out, n, "-");
    else
        out[k] = '\0';
}

static void my_host(char *out, size_t n)
{
    if (gethostname(out, n) != 0 || !out[0])
        snprintf(out, n, "-");
    out[n - 1] = '\0';
    for (char *p = out; *p; p++)   /* one word on the line */
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            *p = '_';
}

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

cs_status cs_live_write(const char *run_dir, const cs_live_meta *meta, const cs_snapshot *s,
                        cs_error *err)
{
    char path[1100], host[256], ns[64], desc[256];
    if (cs_live_path(run_dir, path, sizeof path) != 0)
        return cs_error_set(err, CS_EINPUT, run_dir, 0, 0, "path too long for its live record");
    my_host(host, sizeof host);
    my_pidns(ns, sizeof ns);
    snprintf(desc, sizeof desc, "%s", meta && meta->desc ? meta->desc : "");
    for (char *p = desc; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    char name[64];
    snprintf(name, sizeof name, "%s", base_of(run_dir));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for a live record");
    cs_run_state st = s ? s->state : meta ? meta->state : CS_RUN_LOADING;
    double t = now_s();
    fprintf(f, LIVE_MAGIC " %d\nrun = %s\npid = %ld\nhost = %s\npidns = %s\nstarted = %.3f\n"
               "heartbeat = %.3f\nstate = %s\n", CS_LIVE_FORMAT, name, (long)getpid(), host, ns,
            meta && meta->started > 0 ? meta->started : t, t, cs_run_state_name(st));
    fprintf(f, "epoch = %d\nepochs = %d\nbatch = %ld\nbatches = %ld\nelapsed = %.6g\neta = %.6g\n"
               "events_per_s = %.6g\nnparams = %zu\ndesc = %s\n",
            s ? s->epoch : 0, s ? s->epochs : 0, s ? s->batch : 0, s ? s->batches : 0,
            s && isfinite(s->elapsed_s) ? s->elapsed_s : 0, s && isfinite(s->eta_s) ? s->eta_s : 0,
            s && isfinite(s->events_per_s) ? s->events_per_s : 0, s ? s->nparams : 0, desc);
    size_t nh = s ? s->n_hist : 0;
    fprintf(f, "history = %zu\n" LIVE_HISTORY_HEADER "\n", nh);
    for (size_t i = 0; i < nh; i++) {
        const cs_epoch *e = &s->hist[i];
        const cs_metrics *m = &e->valid;
        fprintf(f, "%d,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%ld,%ld,%ld,%ld,%.6g,%.6g\n",
                e->epoch, e->train_loss, e->valid_loss, m->accuracy, m->precision, m->recall, m->f1,
                m->roc_auc, m->pr_auc, m->threshold, m->cm.tp, m->cm.fp, m->cm.tn, m->cm.fn,
                e->seconds, e->events_per_s);
    }
    size_t total = s ? s->n_batch_loss : 0;
    size_t first = total > CS_LIVE_BATCHES ? total - CS_LIVE_BATCHES : 0;
    fprintf(f, "batch_losses = %zu %zu %zu\n", first, total - first, total);
    for (size_t i = first; i < total; i++)
        fprintf(f, "%.9g\n", s->batch_loss[i]);
    fputs("end\n", f);
    if (fclose(f) != 0 || !buf) {
        free(buf);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for a live record");
    }
    cs_status r = cs_write_atomic(path, buf, len, err);
    free(buf);
    return r;
}

void cs_live_remove(const char *run_dir)
{
    char path[1100];
    cs_error e;
    if (cs_live_path(run_dir, path, sizeof path) == 0 && unlink(path) == 0)
        cs_fsync_dir_of(path, &e);
}

/* ------------------------------------------------------------------ reading */

typedef struct reader {
    const char *path;
    char *p, *end;     /* the rest of the text */
    long line;
    char *cur;         /* the current line (NUL-terminated) */
} reader;

static int next_line(reader *r)
{
    if (r->p >= r->end)
        return 0;
    char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (!nl)
        return 0;
    *nl = '\0';
    if (nl > r->p && nl[-1] == '\r')
        nl[-1] = '\0';
    r->cur = r->p;
    r->p = nl + 1;
    r->line++;
    return 1;
}

/* "key = value" with key expected: the value, or NULL (then err is set). */
static const char *kv(reader *r, const char *key, cs_error *err)
{
    if (!next_line(r)) {
        cs_error_set(err, CS_EINPUT, r->path, r->line + 1, 1, "damaged live record: '%s' missing", key);
        return NULL;
    }
    size_t k = strlen(key);
    if (strncmp(r->cur, key, k) || strncmp(r->cur + k, " = ", 3)) {
        cs_error_set(err, CS_EINPUT, r->path, r->line, 1, "damaged live record: '%s' expected", key);
        return NULL;
    }
    return r->cur + k + 3;
}

/* a number in [lo, hi] (whole when integer) */
static int num_in(const char *v, double lo, double hi, int integer, double *out)
{
    char *e;
    errno = 0;
    double d = strtod(v, &e);
    if (e == v || *e || errno == ERANGE || !isfinite(d) || d < lo || d > hi ||
        (integer && d != floor(d)))
        return 0;
    *out = d;
    return 1;
}

static cs_status num_kv(reader *r, const char *key, double lo, double hi, int integer, double *out,
                        cs_error *err)
{
    const char *v = kv(r, key, err);
    if (!v)
        return CS_EINPUT;
    if (!num_in(v, lo, hi, integer, out))
        return cs_error_set(err, CS_EINPUT, r->path, r->line, (long)strlen(key) + 4,
                            "damaged live record: %s '%.40s' is not a %s in %g..%g", key, v,
                            integer ? "whole number" : "number", lo, hi);
    return CS_OK;
}

static cs_status str_kv(reader *r, const char *key, char *out, size_t n, int allow_empty,
                        cs_error *err)
{
    const char *v = kv(r, key, err);
    if (!v)
        return CS_EINPUT;
    if ((!allow_empty && !*v) || strlen(v) >= n)
        return cs_error_set(err, CS_EINPUT, r->path, r->line, (long)strlen(key) + 4,
                            "damaged live record: %s is %s", key, *v ? "too long" : "empty");
    for (const char *c = v; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return cs_error_set(err, CS_EINPUT, r->path, r->line, (long)(c - r->cur) + 1,
                                "damaged live record: a control character in %s", key);
    snprintf(out, n, "%s", v);
    return CS_OK;
}

static int state_of(const char *s, cs_run_state *out)
{
    for (int i = CS_RUN_IDLE; i <= CS_RUN_FAILED; i++)
        if (!strcmp(s, cs_run_state_name((cs_run_state)i))) {
            *out = (cs_run_state)i;
            return 1;
        }
    return 0;
}

/* one history row: 16 numbers (the whole-number columns checked) */
static int history_fields(char *line, double *v)
{
    static const unsigned ints = 1u << 0 | 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13;
    char *p = line;
    for (int i = 0; i < 16; i++) {
        char *comma = strchr(p, ',');
        if ((comma == NULL) != (i == 15))
            return i + 1;
        if (comma)
            *comma = '\0';
        char *e;
        v[i] = strtod(p, &e);
        if (e == p || *e || ((ints >> i & 1) && (!isfinite(v[i]) || v[i] != floor(v[i]) || v[i] < 0 ||
                                                  v[i] > 1e15)))
            return i + 1;
        p = comma ? comma + 1 : p;
    }
    return 0;
}

static cs_status parse_body(reader *r, cs_live *l, cs_error *err)
{
    double d;
    cs_status s;
    if (!next_line(r) || strcmp(r->cur, LIVE_MAGIC " 1"))
        return cs_error_set(err, CS_EINPUT, r->path, 1, 1, "not a clickseq live record (format %d)",
                            CS_LIVE_FORMAT);
    if ((s = str_kv(r, "run", l->name, sizeof l->name, 0, err)))
        return s;
    if (strchr(l->name, '/') || l->name[0] == '.')
        return cs_error_set(err, CS_EINPUT, r->path, r->line, 7, "damaged live record: bad run name");
    if ((s = num_kv(r, "pid", 1, 4194304.0 * 1024, 1, &d, err)))
        return s;
    l->pid = (long)d;
    if ((s = str_kv(r, "host", l->host, sizeof l->host, 0, err)) ||
        (s = str_kv(r, "pidns", l->pidns, sizeof l->pidns, 0, err)) ||
        (s = num_kv(r, "started", 0, 1e11, 0, &l->started, err)) ||
        (s = num_kv(r, "heartbeat", 0, 1e11, 0, &l->heartbeat, err)))
        return s;
    const char *v = kv(r, "state", err);
    if (!v)
        return CS_EINPUT;
    if (!state_of(v, &l->state))
        return cs_error_set(err, CS_EINPUT, r->path, r->line, 9, "damaged live record: unknown state '%.20s'", v);
    if ((s = num_kv(r, "epoch", 0, CS_LIVE_HISTORY_MAX, 1, &d, err)))
        return s;
    l->epoch = (int)d;
    if ((s = num_kv(r, "epochs", 0, CS_LIVE_HISTORY_MAX, 1, &d, err)))
        return s;
    l->epochs = (int)d;
    if ((s = num_kv(r, "batch", 0, 1e12, 1, &d, err)))
        return s;
    l->batch = (long)d;
    if ((s = num_kv(r, "batches", 0, 1e12, 1, &d, err)))
        return s;
    l->batches = (long)d;
    if ((s = num_kv(r, "elapsed", 0, 1e10, 0, &l->elapsed_s, err)) ||
        (s = num_kv(r, "eta", 0, 1e12, 0, &l->eta_s, err)) ||
        (s = num_kv(r, "events_per_s", 0, 1e15, 0, &l->events_per_s, err)) ||
        (s = num_kv(r, "nparams", 0, 1e15, 1, &d, err)))
        return s;
    l->nparams = (size_t)d;
    if ((s = str_kv(r, "desc", l->desc, sizeof l->desc, 1, err)) ||
        (s = num_kv(r, "history", 0, CS_LIVE_HISTORY_MAX, 1, &d, err)))
        return s;
    size_t nh = (size_t)d;
    if (!next_line(r) || strcmp(r->cur, LIVE_HISTORY_HEADER))
        return cs_error_set(err, CS_EINPUT, r->path, r->line, 1, "damaged live record: the history header expected");
    /* every row is at least 32 bytes: a count the file cannot hold is refused before
     * anything is allocated */
    if (nh > (size_t)(r->end - r->p) / 32)
        return cs_error_set(err, CS_EINPUT, r->path, r->line - 1, 11,
                            "damaged live record: %zu history rows announced, the file is too short", nh);
    l->hist = nh ? calloc(nh, sizeof *l->hist) : NULL;
    if (nh && !l->hist)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; i < nh; i++) {
        double row[16];
        int got = next_line(r);
        if (!got || !strncmp(r->cur, "batch_losses", 12))
            return cs_error_set(err, CS_EINPUT, r->path, got ? r->line : r->line + 1, 1,
                                "damaged live record: history row %zu of %zu missing", i + 1, nh);
        int col = history_fields(r->cur, row);
        if (col)
            return cs_error_set(err, CS_EINPUT, r->path, r->line, col, "damaged live record: bad or missing number");
        if (row[0] != (double)(i + 1))
            return cs_error_set(err, CS_EINPUT, r->path, r->line, 1, "damaged live record: epoch %zu expected", i + 1);
        cs_epoch_from_row(row, &l->hist[i]);
        l->n_hist++;
    }
    if (!next_line(r) || strncmp(r->cur, "batch_losses = ", 15))
        return cs_error_set(err, CS_EINPUT, r->path, r->line, 1, "damaged live record: 'batch_losses' expected");
    double first, count, total;
    char a[32], b[32], c[32], extra;
    if (sscanf(r->cur + 15, "%31s %31s %31s %c", a, b, c, &extra) != 3 || !num_in(a, 0, 1e15, 1, &first) ||
        !num_in(b, 0, CS_LIVE_BATCHES, 1, &count) || !num_in(c, 0, 1e15, 1, &total) || first + count != total)
        return cs_error_set(err, CS_EINPUT, r->path, r->line, 16,
                            "damaged live record: 'batch_losses = FIRST COUNT TOTAL' (COUNT <= %d, FIRST + COUNT = TOTAL)",
                            CS_LIVE_BATCHES);
    l->batch_first = (size_t)first;
    l->batch_total = (size_t)total;
    size_t nb = (size_t)count;
    l->batch_loss = nb ? malloc(nb * sizeof *l->batch_loss) : NULL;
    if (nb && !l->batch_loss)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; i < nb; i++) {
        if (!next_line(r))
            return cs_error_set(err, CS_EINPUT, r->path, r->line + 1, 1, "damaged live record: batch loss %zu missing", i + 1);
        char *e;
        double x = strtod(r->cur, &e);
        if (e == r->cur || *e)
            return cs_error_set(err, CS_EINPUT, r->path, r->line, 1, "damaged live record: bad batch loss");
        l->batch_loss[l->n_batch++] = (float)x;
    }
    if (!next_line(r) || strcmp(r->cur, "end") || r->p != r->end)
        return cs_error_set(err, CS_EINPUT, r->path, r->line + (r->p == r->end && strcmp(r->cur, "end")), 1,
                            "damaged live record: 'end' expected as the last line");
    return CS_OK;
}

cs_status cs_live_parse(const char *path, const char *text, size_t n, cs_live *out, cs_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    if (n == 0 || text[n - 1] != '\n' || memchr(text, '\0', n))
        return cs_error_set(err, CS_EINPUT, path, 0, 0,
                            "damaged live record (empty, NUL byte or incomplete last line)");
    char *copy = malloc(n);
    if (!copy)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    memcpy(copy, text, n);
    reader r = {path, copy, copy + n, 0, copy};
    cs_status s = parse_body(&r, out, err);
    free(copy);
    if (s == CS_OK) {   /* the run's final place: the record's folder + run name */
        const char *slash = strrchr(path, '/');
        int dl = slash ? (int)(slash - path + 1) : 0;
        if ((size_t)dl + strlen(out->name) >= sizeof out->run)
            s = cs_error_set(err, CS_EINPUT, path, 0, 0, "path too long");
        else
            snprintf(out->run, sizeof out->run, "%.*s%s", dl, path, out->name);
    }
    if (s != CS_OK) {
        cs_live_free(out);
        snprintf(out->path, sizeof out->path, "%s", path);
    }
    return s;
}

cs_status cs_live_read(const char *path, cs_live *out, cs_error *err)
{
    char *text;
    size_t n;
    memset(out, 0, sizeof *out);
    cs_status s = cs_slurp(path, CS_LIVE_MAX, &text, &n, err);
    if (s != CS_OK)
        return s;
    s = cs_live_parse(path, text, n, out, err);
    free(text);
    return s;
}

int cs_live_stale(const cs_live *l, double now, char *why, size_t n)
{
    char host[256], ns[64];
    my_host(host, sizeof host);
    my_pidns(ns, sizeof ns);
    if (!strcmp(host, l->host) && strcmp(ns, "-") && !strcmp(ns, l->pidns) && l->pid > 0 &&
        kill((pid_t)l->pid, 0) != 0 && errno == ESRCH) {
        if (why)
            snprintf(why, n, "writer gone (pid %ld on %s)", l->pid, l->host);
        return 1;
    }
    double age = now - l->heartbeat;
    if (age > CS_LIVE_STALE_S) {
        if (why)
            snprintf(why, n, "no heartbeat for %.0f s (pid %ld on %s)", age, l->pid, l->host);
        return 1;
    }
    if (why)
        snprintf(why, n, "heartbeat %.0f s ago", age < 0 ? 0 : age);
    return 0;
}

/* ------------------------------------------------------------------ finding */

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const cs_live_entry *)a)->path, ((const cs_live_entry *)b)->path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static cs_status add_entry(const char *dir, const char *fname, const struct stat *st,
                           cs_live_entry **out, size_t *n, cs_error *err)
{
    size_t fl = strlen(fname), sl = sizeof LIVE_SUFFIX - 1;
    cs_live_entry e;
    memset(&e, 0, sizeof e);
    if (snprintf(e.path, sizeof e.path, "%s/%s", dir, fname) >= (int)sizeof e.path ||
        snprintf(e.run, sizeof e.run, "%s/%.*s", dir, (int)(fl - 1 - sl), fname + 1) >= (int)sizeof e.run)
        return CS_OK;
    if (cs_is_run_dir(e.run))
        return CS_OK;   /* saved already: the run itself is shown, not its record */
    e.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    e.ino = (uint64_t)st->st_ino;
    e.size = (int64_t)st->st_size;
    cs_live_entry *g = realloc(*out, (*n + 1) * sizeof *g);
    if (!g)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory listing live runs");
    *out = g;
    g[(*n)++] = e;
    return CS_OK;
}

static int is_record_name(const char *s)
{
    size_t k = strlen(s), sl = sizeof LIVE_SUFFIX - 1;
    return s[0] == '.' && k > sl + 1 && !strcmp(s + k - sl, LIVE_SUFFIX) && !strstr(s, ".tmp-");
}

static cs_status walk(const char *dir, int depth, cs_live_entry **out, size_t *n, cs_error *err)
{
    if (cs_is_run_dir(dir))
        return CS_OK;
    DIR *d = opendir(dir);
    if (!d)
        return CS_OK;
    char **subs = NULL;
    size_t ns = 0, cap = 0;
    cs_status s = CS_OK;
    struct dirent *e;
    while (s == CS_OK && (e = readdir(d))) {
        char p[1200];
        struct stat st;
        int rec = is_record_name(e->d_name);
        if ((e->d_name[0] == '.' && !rec) || snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p ||
            lstat(p, &st) != 0)
            continue;
        if (rec) {
            if (S_ISREG(st.st_mode))
                s = add_entry(dir, e->d_name, &st, out, n, err);
            continue;
        }
        if (depth <= 0 || !S_ISDIR(st.st_mode))
            continue;
        if (ns == cap) {
            cap = cap ? 2 * cap : 16;
            char **g = realloc(subs, cap * sizeof *g);
            if (!g) {
                s = cs_error_fmt(err, CS_ENOMEM, "out of memory listing %s", dir);
                break;
            }
            subs = g;
        }
        if (!(subs[ns] = strdup(p)))
            s = cs_error_fmt(err, CS_ENOMEM, "out of memory listing %s", dir);
        else
            ns++;
    }
    closedir(d);
    if (ns)
        qsort(subs, ns, sizeof *subs, cmp_str);
    for (size_t i = 0; i < ns && s == CS_OK; i++)
        s = walk(subs[i], depth - 1, out, n, err);
    for (size_t i = 0; i < ns; i++)
        free(subs[i]);
    free(subs);
    return s;
}

cs_status cs_live_find(const char *root, int max_depth, cs_live_entry **out, size_t *n,
                       cs_error *err)
{
    struct stat st;
    if (stat(root, &st) != 0)
        return cs_error_set(err, CS_EINPUT, root, 0, 0, "cannot open: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cs_error_set(err, CS_EINPUT, root, 0, 0, "not a directory");
    size_t before = *n;
    cs_status s = walk(root, max_depth, out, n, err);
    if (s == CS_OK && *n > before)
        qsort(*out + before, *n - before, sizeof **out, cmp_entry);
    return s;
}
