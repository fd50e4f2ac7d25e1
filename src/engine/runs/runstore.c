/* runstore.c — run directories (see runstore.h).
 *
 * Crash safety: every file goes through cs_write_atomic (tmp, fsync, rename, fsync dir);
 * the run directory is first filled under a hidden temporary name in the same parent and
 * then renamed to its final name with one rename(2), after which the parent is fsynced.
 * A reader therefore sees either no run or a complete one. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/files.h"
#include "clickseq/quote.h"
#include "clickseq/rundir.h"
#include "engine/runs/runstore_int.h"

/* ------------------------------------------------------------------ text files */

#define HISTORY_HEADER "epoch,train_loss,valid_loss,accuracy,precision,recall,f1,roc_auc,pr_auc," \
                       "threshold,tp,fp,tn,fn,seconds,events_per_s"
#define BATCHES_HEADER "epoch,batch,loss"
/* their whole-number columns: epoch, tp, fp, tn, fn / epoch, batch */
#define HISTORY_INTS (1u << 0 | 1u << 10 | 1u << 11 | 1u << 12 | 1u << 13)
#define BATCHES_INTS (1u << 0 | 1u << 1)

/* "key = a,b,..." with every element quoted where it would not read back raw ("a,b",
 * "x\ny"): 0, or -1 when out of memory. */
static int put_list(FILE *f, const char *key, const char *const *v, int n)
{
    int bad = 0;
    fprintf(f, "%s = ", key);
    for (int i = 0; v && i < n; i++) {
        char *q = cs_quote_value(v[i] ? v[i] : "", ",");
        bad |= !q;
        fprintf(f, "%s%s", i ? "," : "", q ? q : "");
        free(q);
    }
    fprintf(f, "\n");
    return bad ? -1 : 0;
}

/* A run file's text built in memory (*buf, *len once closed), its header line first. */
static FILE *text_open(char **buf, size_t *len, const char *header)
{
    *buf = NULL;
    FILE *f = open_memstream(buf, len);
    if (f && header)
        fprintf(f, "%s\n", header);
    return f;
}

static char *config_text(const cs_run_config *cfg, const cs_train_result *res,
                         const cs_run_save_info *info, size_t *len)
{
    char *buf;
    FILE *f = text_open(&buf, len, NULL);
    if (!f)
        return NULL;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "# clickseq run configuration: every parameter, so the run can be repeated\n");
    fprintf(f, "clickseq_version = %s\n", PACKAGE_VERSION);
    fprintf(f, "created = %s\n", when);
    fprintf(f, "data_fingerprint = %016llx\n", (unsigned long long)info->fingerprint);
    fprintf(f, "nparams = %zu\n", info->weights ? info->weights->nparams : info->nparams);
    fprintf(f, "model_view = %d\n", (int)cfg->model.view);
    fprintf(f, "n_types = %d\n", cfg->model.n_types);
    fprintf(f, "n_feat = %d\n", cfg->model.n_feat);
    int qbad = put_list(f, "type_names", info->type_names, info->n_type_names);
    qbad |= put_list(f, "feat_names", info->feat_names, info->n_feat_names);
    char *params = cs_run_config_format(cfg);
    if (params)
        fputs(params, f);
    free(params);
    int bad = ferror(f) || !params || qbad;
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void put_metrics_row(FILE *f, const cs_epoch *e)
{
    const cs_metrics *m = &e->valid;
    fprintf(f, "%d,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%ld,%ld,%ld,%ld,%.6g,%.6g\n",
            e->epoch, e->train_loss, e->valid_loss, m->accuracy, m->precision, m->recall, m->f1,
            m->roc_auc, m->pr_auc, m->threshold, m->cm.tp, m->cm.fp, m->cm.tn, m->cm.fn, e->seconds,
            e->events_per_s);
}

static char *history_text(const cs_train_result *res, size_t *len)
{
    char *buf;
    FILE *f = text_open(&buf, len, HISTORY_HEADER);
    if (!f)
        return NULL;
    for (size_t i = 0; i < res->n_hist; i++)
        put_metrics_row(f, &res->hist[i]);
    fclose(f);
    return buf;
}

static char *batches_text(const cs_train_result *res, size_t *len)
{
    char *buf;
    FILE *f = text_open(&buf, len, BATCHES_HEADER);
    if (!f)
        return NULL;
    int ep = -1;
    long b = 0;
    for (size_t i = 0; i < res->n_batch_loss; i++) {
        int e = res->batch_epoch ? res->batch_epoch[i] : 1;
        b = e == ep ? b + 1 : 1;
        ep = e;
        fprintf(f, "%d,%ld,%.9g\n", e, b, res->batch_loss[i]);
    }
    fclose(f);
    return buf;
}

static void put_test(FILE *f, const char *k, double v) { fprintf(f, "test_%s = %.10g\n", k, v); }

static char *summary_text(const cs_train_result *res, size_t *len)
{
    char *buf;
    FILE *f = text_open(&buf, len, NULL);
    if (!f)
        return NULL;
    const cs_metrics *m = &res->test;
    fprintf(f, "threshold = %.17g\n", res->threshold);
    fprintf(f, "best_epoch = %d\n", res->best_epoch);
    fprintf(f, "epochs_run = %zu\n", res->n_hist);
    fprintf(f, "stopped = %d\n", res->stopped);
    fprintf(f, "status = %s\n", cs_run_status_name(res->status));
    fprintf(f, "seconds = %.6g\n", res->seconds);
    fprintf(f, "has_test = %d\n", res->has_test);
    fprintf(f, "test_n = %ld\ntest_positives = %ld\n", m->n, m->positives);
    fprintf(f, "test_tp = %ld\ntest_fp = %ld\ntest_tn = %ld\ntest_fn = %ld\n", m->cm.tp, m->cm.fp,
            m->cm.tn, m->cm.fn);
    put_test(f, "accuracy", m->accuracy);
    put_test(f, "precision", m->precision);
    put_test(f, "recall", m->recall);
    put_test(f, "f1", m->f1);
    put_test(f, "roc_auc", m->roc_auc);
    put_test(f, "pr_auc", m->pr_auc);
    put_test(f, "loss", m->loss);
    fclose(f);
    return buf;
}

/* ------------------------------------------------------------------ save */

static void remove_tree_flat(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[2400];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static cs_status save_file(const char *dir, const char *name, char *text, size_t len, cs_error *err)
{
    char p[2200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    if (!text)
        return cs_error_set(err, CS_ENOMEM, p, 0, 0, "out of memory");
    cs_status s = cs_write_atomic(p, text, len, err);
    free(text);
    return s;
}

static int dir_nonempty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : 1;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n > 0;
}

/* ------------------------------------------------------------------ the target */

/* The longest run directory path save_run accepts, and the longest last component: the
 * run is built as ".NAME.tmp-PID-XXXXXX" next to it, which must fit NAME_MAX (255). */
#define RUN_PATH_MAX 900
#define RUN_BASE_MAX (255 - 20)   /* "." NAME ".tmp-" PID (7 digits at most) "-XXXXXX" */

/* prefix <- the first n bytes of path */
static void prefix_of(char *out, size_t cap, const char *path, size_t n)
{
    snprintf(out, cap, "%.*s", (int)(n < cap - 1 ? n : cap - 1), path);
}

cs_status cs_run_dir_check(const char *dir, int need_empty, size_t reserve, cs_error *err)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    if (dl == 0)
        return cs_error_fmt(err, CS_EINPUT, "the run directory name is empty");
    char path[RUN_PATH_MAX + 64], pre[RUN_PATH_MAX + 64];
    if (dl + reserve > RUN_PATH_MAX)
        return cs_error_fmt(err, CS_EINPUT, "%.200s...: path too long (%zu bytes; at most %zu%s)", dir,
                            dl, RUN_PATH_MAX - reserve, reserve ? " here, leaving room for the run names" : "");
    prefix_of(path, sizeof path, dir, dl);
    /* every component fits a name; the last leaves room for the temporary's */
    for (size_t i = 0; i < dl;) {
        size_t j = i;
        while (j < dl && path[j] != '/')
            j++;
        size_t len = j - i, lim = j == dl && need_empty ? (size_t)RUN_BASE_MAX : 255;
        if (len > lim)
            return cs_error_set(err, CS_EINPUT, path, 0, 0, "name too long ('%.20s...' is %zu bytes; at "
                                "most %zu%s)", path + i, len, lim,
                                lim < 255 ? ", which leaves room for the hidden name it is built under" : "");
        i = j + 1;
    }
    /* the existing part: each parent a directory, the nearest existing one writable */
    struct stat st;
    size_t exist = 0;   /* length of the longest existing prefix that is a directory */
    for (size_t j = 1; j <= dl; j++) {
        if (j < dl && path[j] != '/')
            continue;
        prefix_of(pre, sizeof pre, path, j);
        if (stat(pre, &st) != 0) {
            if (errno == ENOENT)
                break;   /* the rest is created */
            return cs_error_set(err, CS_EINPUT, pre, 0, 0, "cannot use it for %s: %s", path,
                                strerror(errno));
        }
        if (!S_ISDIR(st.st_mode)) {
            if (j == dl)
                return cs_error_set(err, CS_EINPUT, path, 0, 0, "exists and is not a directory");
            return cs_error_set(err, CS_EINPUT, pre, 0, 0, "is not a directory, so %s cannot be "
                                "created in it", path);
        }
        exist = j;
    }
    if (exist == dl) {   /* the directory itself is there */
        if (need_empty && dir_nonempty(path)) {
            cs_run r;
            cs_error e;
            int is_run = cs_run_load(path, 0, &r, &e) == CS_OK;
            if (is_run)
                cs_run_free(&r);
            return cs_error_set(err, CS_EINPUT, path, 0, 0, "%s (choose another --out)",
                                is_run ? "already holds a run" : "already exists and is not empty");
        }
        if (!need_empty)   /* a folder of runs: they are made in it */
            return access(path, W_OK | X_OK) == 0 ? CS_OK
                   : cs_error_set(err, CS_EINPUT, path, 0, 0, "cannot write in it: %s", strerror(errno));
    }
    /* the run is built next to it (or its missing parents are created) in that directory */
    size_t at = exist;
    if (exist == dl) {   /* the parent of dir */
        at = dl;
        while (at > 0 && path[at - 1] != '/')
            at--;
        while (at > 1 && path[at - 1] == '/')
            at--;
    }
    if (at == 0)
        snprintf(pre, sizeof pre, "%s", path[0] == '/' ? "/" : ".");
    else
        prefix_of(pre, sizeof pre, path, at);
    if (access(pre, W_OK | X_OK) != 0)
        return cs_error_set(err, CS_EINPUT, pre, 0, 0, "cannot create %s there: %s", path, strerror(errno));
    return CS_OK;
}

/* Move the finished temporary directory tmp to dst unless dst exists: 0, or the errno
 * (EEXIST / ENOTEMPTY when the name is taken).  renameat2(RENAME_NOREPLACE) claims the
 * name in one step; where it is missing (or the file system refuses it) mkdir claims the
 * name first (it fails on an existing entry) and rename then replaces the empty directory
 * this process owns.  Either way two savers never take the same name, and a plain rename
 * never replaces another saver's (possibly still empty) directory. */
static int claim_rename(const char *tmp, const char *dst)
{
#ifdef HAVE_RENAMEAT2
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return errno;
#endif
    if (mkdir(dst, 0755) != 0)
        return errno;
    if (rename(tmp, dst) != 0) {
        int e = errno;
        rmdir(dst);
        return e;
    }
    return 0;
}

static int taken(int e) { return e == EEXIST || e == ENOTEMPTY; }

/* A failure writing into the hidden temporary directory is told about the run the caller
 * named: "RUN: cannot save config.txt: write failed: No space left on device". */
static void name_the_run(cs_error *err, const char *tmp, const char *final)
{
    size_t tl = strlen(tmp);
    if (!err || strncmp(err->msg, tmp, tl) != 0)
        return;
    char rest[sizeof err->msg];
    snprintf(rest, sizeof rest, "%s", err->msg + tl + (err->msg[tl] == '/'));
    snprintf(err->msg, sizeof err->msg, "%.400s: cannot save %.600s", final, rest);
}

/* Fill a temporary directory next to final and move it into place: as final, or (unique)
 * as the first of final, final-2, final-3 ... that is free when it is claimed. */
static cs_status save_run(const char *dir, const cs_run_config *cfg, const cs_train_result *res,
                          const cs_run_save_info *info, int unique, char *saved, size_t saved_n,
                          cs_error *err)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    if (dl == 0 || dl > RUN_PATH_MAX)
        return cs_error_fmt(err, CS_EINPUT, "run directory name '%.200s' is empty or too long", dir);
    char final[1024], parent[1024], tmp[2100], cand[1100];
    snprintf(final, sizeof final, "%.*s", (int)dl, dir);
    if (!unique && dir_nonempty(final))
        return cs_error_set(err, CS_EINPUT, final, 0, 0, "run directory already exists and is not empty");
    const char *slash = strrchr(final, '/');
    if (slash)
        snprintf(parent, sizeof parent, "%.*s", (int)(slash == final ? 1 : slash - final), final);
    else
        snprintf(parent, sizeof parent, ".");
    const char *base = slash ? slash + 1 : final;
    size_t plen = (size_t)(base - final);
    cs_clean_stale_temps(parent, CS_STALE_TEMP_AGE);   /* runs a kill left half-built */
    if (cs_temp_name(tmp, sizeof tmp, final) != 0)
        return cs_error_set(err, CS_EINPUT, final, 0, 0, "run directory name is too long");
    if (!mkdtemp(tmp))
        return cs_error_set(err, CS_EIO, parent, 0, 0, "cannot create a directory there: %s",
                            strerror(errno));
    chmod(tmp, 0755);   /* mkdtemp makes it private; a run is an ordinary directory */
    size_t len = 0;
    cs_status s;
    char *t = config_text(cfg, res, info, &len);
    if ((s = save_file(tmp, "config.txt", t, len, err)) != CS_OK)
        goto fail;
    t = history_text(res, &len);
    if ((s = save_file(tmp, "history.csv", t, len, err)) != CS_OK)
        goto fail;
    t = batches_text(res, &len);
    if ((s = save_file(tmp, "batches.csv", t, len, err)) != CS_OK)
        goto fail;
    if (info->weights) {
        char p[2200];
        snprintf(p, sizeof p, "%s/model.bin", tmp);
        if ((s = cs_weights_write(p, info->weights, err)) != CS_OK)
            goto fail;
    }
    if (info->model_file) {
        char p[2200];
        snprintf(p, sizeof p, "%s/%s", tmp, info->model_file);
        if ((s = cs_write_atomic(p, info->model_bytes, info->model_size, err)) != CS_OK)
            goto fail;
    }
    if (res->test_prob && res->n_test) {
        cs_scores sc = {res->n_test, res->test_index, res->test_label, res->test_prob, res->test_key};
        char p[2200];
        snprintf(p, sizeof p, "%s/" CS_SCORES_FILE, tmp);
        if ((s = cs_scores_write(p, &sc, err)) != CS_OK)
            goto fail;
    }
    /* summary last: its presence marks a finished write inside the temporary dir */
    t = summary_text(res, &len);
    if ((s = save_file(tmp, "summary.txt", t, len, err)) != CS_OK)
        goto fail;
    for (int k = 1;; k++) {
        if (k == 1)
            snprintf(cand, sizeof cand, "%s", final);
        else {   /* NAME-k, the name cut so that it still fits a run name (63 bytes) */
            char suf[16];
            int sl = snprintf(suf, sizeof suf, "-%d", k);
            int keep = (int)strlen(base) + sl > 63 ? 63 - sl : (int)strlen(base);
            snprintf(cand, sizeof cand, "%.*s%.*s%s", (int)plen, final, keep, base, suf);
        }
        int e = claim_rename(tmp, cand);
        if (e == 0)
            break;
        if (taken(e) && !unique && k == 1 && !dir_nonempty(cand) && rmdir(cand) == 0) {
            e = claim_rename(tmp, cand);   /* an empty directory named by the caller */
            if (e == 0)
                break;
        }
        if (!taken(e) || !unique || k >= 10000) {
            s = cs_error_set(err, CS_EIO, cand, 0, 0, "cannot move the run into place: %s",
                             taken(e) && !unique ? "the directory already exists" : strerror(e));
            goto fail;
        }
    }
    if (saved)
        snprintf(saved, saved_n, "%s", cand);
    return cs_fsync_dir_of(cand, err);
fail:
    remove_tree_flat(tmp);
    name_the_run(err, tmp, final);
    return s;
}

cs_status cs_run_save(const char *dir, const cs_run_config *cfg, const cs_train_result *res,
                      const cs_run_save_info *info, cs_error *err)
{
    return save_run(dir, cfg, res, info, 0, NULL, 0, err);
}

cs_status cs_run_save_unique(const char *dir, const cs_run_config *cfg, const cs_train_result *res,
                             const cs_run_save_info *info, char *saved, size_t n, cs_error *err)
{
    return save_run(dir, cfg, res, info, 1, saved, n, err);
}

/* ------------------------------------------------------------------ load */

static void free_list(char ***v, int *n)
{
    for (int i = 0; *v && i < *n; i++)
        free((*v)[i]);
    free(*v);
    *v = NULL;
    *n = 0;
}

void cs_run_free(cs_run *r)
{
    if (!r)
        return;
    free_list(&r->type_names, &r->n_type_names);
    free_list(&r->feat_names, &r->n_feat_names);
    free(r->hist);
    free(r->batch_loss);
    free(r->batch_epoch);
    cs_weights_free(&r->weights);
    cs_scores_free(&r->scores);
    memset(r, 0, sizeof *r);
}

/* The list as written since names are quoted: elements split at commas outside quotes,
 * a quoted element decoded, into *out (n elements).  -1 if it does not read so (a bad
 * quoted element), -2 when out of memory; *out may then hold a part (free_list). */
static int split_quoted_list(char ***out, int *nout, const char *v)
{
    int n = 1;
    for (const char *p = v; *p; p++)
        n += *p == ',';   /* at least as many elements as there are commas, plus one */
    *out = calloc((size_t)n, sizeof **out);
    if (!*out)
        return -2;
    for (int i = 0;; i++) {
        char *e;
        if (*v == '"') {
            const char *end;
            if (cs_unquote_value(v, &e, &end) != 0 || (*end && *end != ','))
                return e ? (free(e), -1) : -1;
            v = end;
        } else {
            size_t k = strcspn(v, ",");
            e = strndup(v, k);
            v += k;
        }
        if (!e)
            return -2;
        (*out)[i] = e;
        *nout = i + 1;
        if (!*v)
            return 0;
        v++; /* the comma */
    }
}

/* type_names: quoted elements (quote.h) since clickseq quotes them; a list written before
 * that (every element raw) that does not read as quoted is split at every comma. */
static cs_status parse_type_names(cs_run *r, const char *v)
{
    free_list(&r->type_names, &r->n_type_names);   /* a repeated key replaces the list */
    if (!*v)
        return CS_OK;
    int q = split_quoted_list(&r->type_names, &r->n_type_names, v);
    if (q == 0)
        return CS_OK;
    free_list(&r->type_names, &r->n_type_names);
    if (q == -2)
        return CS_ENOMEM;
    int n = 1;
    for (const char *p = v; *p; p++)
        n += *p == ',';
    r->type_names = calloc((size_t)n, sizeof *r->type_names);
    if (!r->type_names)
        return CS_ENOMEM;
    for (int i = 0; i < n; i++) {
        size_t k = strcspn(v, ",");
        r->type_names[i] = strndup(v, k);
        if (!r->type_names[i])
            return CS_ENOMEM;
        r->n_type_names = i + 1;
        v += k + (v[k] ? 1 : 0);
    }
    return CS_OK;
}

/* feat_names (written quoted from the start): CS_EINPUT for a bad quoted element. */
static cs_status parse_feat_names(cs_run *r, const char *v)
{
    free_list(&r->feat_names, &r->n_feat_names);
    if (!*v)
        return CS_OK;
    int q = split_quoted_list(&r->feat_names, &r->n_feat_names, v);
    if (q != 0)
        free_list(&r->feat_names, &r->n_feat_names);
    return q == 0 ? CS_OK : q == -2 ? CS_ENOMEM : CS_EINPUT;
}

/* A run file's text (at most max bytes; cs_slurp's regular-file check), refused when it
 * holds a NUL byte -- or, with whole_lines, when it is empty or its last line is cut. */
static cs_status slurp_text(const char *path, size_t max, int whole_lines, char **text, size_t *n,
                            cs_error *err)
{
    cs_status s = cs_slurp(path, max, text, n, err);
    if (s != CS_OK)
        return s;
    const char *t = *text;
    if (whole_lines && (*n == 0 || t[*n - 1] != '\n' || memchr(t, '\0', *n))) {
        free(*text);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "damaged file (empty, NUL byte or incomplete last line)");
    }
    if (!whole_lines && memchr(t, '\0', *n)) {
        free(*text);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "damaged file (NUL byte)");
    }
    return CS_OK;
}

/* Which keys a file held (index per file kind), to tell a complete file from a damaged one
 * that lost whole lines: the writers always write every key. */
#define MAX_KEYS 256
typedef cs_status (*kv_fn)(cs_run *r, unsigned char *seen, const char *key, const char *val,
                           const char *file, long line, cs_error *err);

static cs_status each_kv(const char *path, size_t max, cs_run *r, unsigned char *seen, kv_fn fn,
                         cs_error *err)
{
    char *text;
    size_t n;
    cs_status s = slurp_text(path, max, 0, &text, &n, err);
    if (s != CS_OK)
        return s;
    if (n > 0 && text[n - 1] != '\n') {   /* our writer ends every line: a torn file */
        free(text);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "damaged file (incomplete last line)");
    }
    long lineno = 0;
    for (char *p = text; *p && s == CS_OK;) {
        char *nl = strchr(p, '\n');
        *nl = '\0';
        lineno++;
        char *key, *val;
        if (cs_config_line(p, &key, &val) != CS_OK)
            s = cs_error_set(err, CS_EINPUT, path, lineno, 1, "expected 'key = value'");
        else if (key)
            s = fn(r, seen, key, val, path, lineno, err);
        p = nl + 1;
    }
    free(text);
    return s;
}

static int num(const char *v, double *out)
{
    char *end;
    if (!*v)
        return -1;
    *out = strtod(v, &end);
    return *end ? -1 : 0;
}

/* A whole number in 0..INT_MAX: what the run files' counts, epochs and flags hold. */
static int whole(double d)
{
    return d >= 0 && d <= INT_MAX && d == floor(d);
}

/* config.txt: these run keys, then every parameter of the table (index N_RUN_KEYS + i). */
static const char *const run_keys[] = {"clickseq_version", "created", "data_fingerprint", "nparams",
                                       "model_view", "n_types", "n_feat", "type_names"};
#define N_RUN_KEYS (sizeof run_keys / sizeof *run_keys)

static int key_index(const char *key)
{
    for (size_t i = 0; i < N_RUN_KEYS; i++)
        if (!strcmp(key, run_keys[i]))
            return (int)i;
    const cs_param *p = cs_param_find(key);
    for (size_t i = 0; p && i < cs_param_count() && N_RUN_KEYS + i < MAX_KEYS; i++)
        if (cs_param_at(i) == p)
            return (int)(N_RUN_KEYS + i);
    return -1;
}

static cs_status config_kv(cs_run *r, unsigned char *seen, const char *key, const char *val,
                           const char *file, long line, cs_error *err)
{
    double d;
    int ki = key_index(key);
    if (ki >= 0)
        seen[ki] = 1;
    if (!strcmp(key, "clickseq_version"))
        snprintf(r->version, sizeof r->version, "%s", val);
    else if (!strcmp(key, "created"))
        snprintf(r->created, sizeof r->created, "%s", val);
    else if (!strcmp(key, "data_fingerprint")) {
        char *end;
        r->fingerprint = strtoull(val, &end, 16);
        if (*end || !*val)
            return cs_error_set(err, CS_EINPUT, file, line, 1, "data_fingerprint '%s' is not hex", val);
    } else if (!strcmp(key, "type_names")) {
        if (parse_type_names(r, val) != CS_OK)
            return cs_error_set(err, CS_ENOMEM, file, line, 1, "out of memory");
    } else if (!strcmp(key, "feat_names")) {   /* optional: runs saved before it have none */
        cs_status fs = parse_feat_names(r, val);
        if (fs != CS_OK)
            return cs_error_set(err, fs, file, line, 1, fs == CS_ENOMEM ? "out of memory"
                                : "feat_names: bad quoted element");
    } else if (!strcmp(key, "nparams") || !strcmp(key, "model_view") || !strcmp(key, "n_types") ||
               !strcmp(key, "n_feat")) {
        int is_np = !strcmp(key, "nparams");   /* a size_t; the others become ints */
        if (num(val, &d) || d < 0 || d > 1e12 || d != floor(d) || (!is_np && !whole(d)))
            return cs_error_set(err, CS_EINPUT, file, line, 1, "%s: '%s' is not a count", key, val);
        /* the ranges a model can have (cs_model_config_check; model.bin's reader caps
         * nparams at 2^34): a crafted value is refused here, naming the line */
        double hi = is_np ? 17179869184.0 : key[0] == 'm' ? 2 : !strcmp(key, "n_types") ? 65535 : 1 << 20;
        if (d > hi && key[0] == 'm')
            return cs_error_set(err, CS_EINPUT, file, line, 1,
                                "%s: '%s' is not 0 (sequence), 1 (features) or 2 (hybrid)", key, val);
        if (d > hi)
            return cs_error_set(err, CS_EINPUT, file, line, 1, "%s: %s is out of range 0..%.0f",
                                key, val, hi);
        if (key[0] == 'm')
            r->cfg.model.view = (cs_view)(int)d;
        else if (!strcmp(key, "n_types"))
            r->cfg.model.n_types = (int)d;
        else if (!strcmp(key, "n_feat"))
            r->cfg.model.n_feat = (int)d;
        else
            r->nparams = (size_t)d;
    } else {
        cs_error e;
        char *uq = NULL;
        cs_status qs = cs_config_value(val, &uq);
        if (qs == CS_ENOMEM)
            return cs_error_set(err, qs, file, line, 1, "out of memory");
        if (qs != CS_OK)
            return cs_error_set(err, qs, file, line, 1, "%s: bad quoted value", key);
        cs_status ps = cs_param_set(&r->cfg, key, uq ? uq : val, &e);
        free(uq);
        if (ps != CS_OK)
            return cs_error_set(err, CS_EINPUT, file, line, 1, "%s", e.msg);
    }
    return CS_OK;
}

#define N_SUMMARY_KEYS 19

static cs_status summary_kv(cs_run *r, unsigned char *seen, const char *key, const char *val,
                            const char *file, long line, cs_error *err)
{
    double d;
    if (!strcmp(key, "status")) {   /* optional: runs saved before it say only "stopped" */
        if (cs_run_status_parse(val, &r->status) != 0)
            return cs_error_set(err, CS_EINPUT, file, line, 1, "status: '%s' is not one of done, "
                                "stopped, diverged, interrupted", val);
        r->has_status = 1;
        return CS_OK;
    }
    if (num(val, &d))
        return cs_error_set(err, CS_EINPUT, file, line, 1, "%s: '%s' is not a number", key, val);
    cs_metrics *m = &r->test;
    static const char *const keys[] = {"threshold", "best_epoch", "epochs_run", "stopped", "seconds",
                                       "has_test", "test_n", "test_positives", "test_tp", "test_fp",
                                       "test_tn", "test_fn", "test_accuracy", "test_precision",
                                       "test_recall", "test_f1", "test_roc_auc", "test_pr_auc",
                                       "test_loss", NULL};
    int k = 0;
    while (keys[k] && strcmp(keys[k], key))
        k++;
    if (k < N_SUMMARY_KEYS)
        seen[k] = 1;
    /* counts and flags must be whole numbers that fit (a damaged file must not reach a
     * cast that overflows, which is undefined behaviour) */
    if (k >= 1 && k <= 11 && k != 4 && !whole(d))
        return cs_error_set(err, CS_EINPUT, file, line, 1, "%s: '%s' is not a count", key, val);
    switch (k) {
    case 0: r->threshold = d; m->threshold = d; break;
    case 1: r->best_epoch = (int)d; break;
    case 2: r->epochs_run = (int)d; break;
    case 3: r->stopped = (int)d; break;
    case 4: r->seconds = d; break;
    case 5: r->has_test = (int)d; break;
    case 6: m->n = (long)d; break;
    case 7: m->positives = (long)d; break;
    case 8: m->cm.tp = (long)d; break;
    case 9: m->cm.fp = (long)d; break;
    case 10: m->cm.tn = (long)d; break;
    case 11: m->cm.fn = (long)d; break;
    case 12: m->accuracy = d; break;
    case 13: m->precision = d; break;
    case 14: m->recall = d; break;
    case 15: m->f1 = d; break;
    case 16: m->roc_auc = d; break;
    case 17: m->pr_auc = d; break;
    case 18: m->loss = d; break;
    default:
        return cs_error_set(err, CS_EINPUT, file, line, 1, "unknown key '%s'", key);
    }
    return CS_OK;
}

/* Split a CSV line of numbers into exactly nf doubles; returns the 1-based column of the
 * first bad field, or 0.  Columns in intmask (bit i = column i + 1) must be whole(). */
static int csv_numbers(char *line, double *v, int nf, unsigned intmask)
{
    char *p = line;
    for (int i = 0; i < nf; i++) {
        char *end;
        char *comma = strchr(p, ',');
        if ((comma == NULL) != (i == nf - 1))
            return i + 1;
        if (comma)
            *comma = '\0';
        if (!*p)
            return i + 1;
        v[i] = strtod(p, &end);
        if (*end || ((intmask >> i & 1) && !whole(v[i])))
            return i + 1;
        p = comma ? comma + 1 : p;
    }
    return 0;
}

/* Read a CSV of numbers with a fixed header; calls row() per data line. */
static cs_status read_csv(const char *path, size_t max, const char *header, int nf, unsigned intmask,
                          cs_run *r, cs_status (*row)(cs_run *, const double *, cs_error *),
                          cs_error *err)
{
    char *text;
    size_t n;
    cs_status s = slurp_text(path, max, 1, &text, &n, err);
    if (s != CS_OK)
        return s;
    long lineno = 0;
    double v[32];
    for (char *p = text; *p && s == CS_OK;) {
        char *nl = strchr(p, '\n');
        *nl = '\0';
        lineno++;
        if (nl > p && nl[-1] == '\r')
            nl[-1] = '\0';
        if (lineno == 1) {
            if (strcmp(p, header))
                s = cs_error_set(err, CS_EINPUT, path, 1, 1, "unexpected header (not a clickseq run file)");
        } else {
            int col = csv_numbers(p, v, nf, intmask);
            if (col)
                s = cs_error_set(err, CS_EINPUT, path, lineno, col, "bad or missing number");
            else
                s = row(r, v, err);
        }
        p = nl + 1;
    }
    free(text);
    return s;
}

/* history.csv holds one row per epoch run: its header and at most that many rows of the
 * writer's format (under 400 bytes each), and never more rows than the epochs limit. */
static size_t history_max(int epochs_run)
{
    const cs_param *p = cs_param_find("epochs");
    double lim = p ? p->max : 100000;
    double e = epochs_run < 0 ? 0 : epochs_run > lim ? lim : epochs_run;
    return sizeof HISTORY_HEADER + 16 + (size_t)e * CS_RUN_HISTORY_ROW_MAX;
}

void cs_epoch_from_row(const double *v, cs_epoch *e)
{
    memset(e, 0, sizeof *e);
    e->epoch = (int)v[0];
    e->train_loss = v[1];
    e->valid_loss = v[2];
    cs_metrics *m = &e->valid;
    m->accuracy = v[3];
    m->precision = v[4];
    m->recall = v[5];
    m->f1 = v[6];
    m->roc_auc = v[7];
    m->pr_auc = v[8];
    m->threshold = v[9];
    m->cm.tp = (long)v[10];
    m->cm.fp = (long)v[11];
    m->cm.tn = (long)v[12];
    m->cm.fn = (long)v[13];
    m->n = m->cm.tp + m->cm.fp + m->cm.tn + m->cm.fn;
    m->positives = m->cm.tp + m->cm.fn;
    m->loss = v[2];
    e->seconds = v[14];
    e->events_per_s = v[15];
}

static cs_status history_row(cs_run *r, const double *v, cs_error *err)
{
    cs_epoch *h = realloc(r->hist, (r->n_hist + 1) * sizeof *h);
    if (!h)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    r->hist = h;
    cs_epoch_from_row(v, &h[r->n_hist++]);
    return CS_OK;
}

static cs_status batch_row(cs_run *r, const double *v, cs_error *err)
{
    if ((r->n_batch & (r->n_batch + 1)) == 0) {   /* grow at powers of two */
        size_t cap = (r->n_batch + 1) * 2;
        float *l = realloc(r->batch_loss, cap * sizeof *l);
        if (l)
            r->batch_loss = l;
        int *e = realloc(r->batch_epoch, cap * sizeof *e);
        if (e)
            r->batch_epoch = e;
        if (!l || !e)
            return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    }
    r->batch_epoch[r->n_batch] = (int)v[0];
    r->batch_loss[r->n_batch++] = (float)v[2];
    return CS_OK;
}

/* Parameters added after runs were first saved: a config.txt without the line was written
 * before the parameter existed, and the run was trained with the value given here (not
 * today's default).  Returns 1 and applies it when p is one of them. */
static int legacy_value(cs_run_config *c, const cs_param *p)
{
    static const char *const legacy[][2] = {
        {"init", "torch"},        /* 0.1.0: PyTorch's initialisation only */
        {"forget-bias", "0"},     /* 0.1.0: the LSTM forget bias was not set */
        {"history-inputs", "no"}, /* before the history inputs, the hybrid view and the */
        {"feat-hidden", "0"},     /* embedding regularisation (issue 11) */
        {"emb-dropout", "0"},
        {"emb-decay", "0"},
    };
    for (size_t k = 0; p && k < sizeof legacy / sizeof legacy[0]; k++)
        if (!strcmp(p->name, legacy[k][0])) {
            cs_error e;
            return cs_param_set(c, legacy[k][0], legacy[k][1], &e) == CS_OK;
        }
    return 0;
}

/* config.txt describes a model (cs_model_config_check) whose parameter count is its
 * nparams line. */
static cs_status check_layout(const cs_run *r, cs_error *err)
{
    char cfgp[1200];
    snprintf(cfgp, sizeof cfgp, "%s/config.txt", r->path);
    cs_error e;
    size_t np;
    cs_status s = cs_model_config_nparams(&r->cfg.model, &np, &e);
    if (s == CS_ENOMEM)
        return cs_error_set(err, s, cfgp, 0, 0, "out of memory");
    if (s != CS_OK)
        return cs_error_set(err, CS_EINPUT, cfgp, 0, 0, "not a model this clickseq can build (%s)", e.msg);
    if (np != r->nparams)
        return cs_error_set(err, CS_EINPUT, cfgp, 0, 0,
                            "describes a model of %zu parameters, but its nparams line says %zu",
                            np, r->nparams);
    return CS_OK;
}

cs_status cs_run_load(const char *dir, unsigned what, cs_run *r, cs_error *err)
{
    memset(r, 0, sizeof *r);
    cs_run_config_init(&r->cfg);
    snprintf(r->path, sizeof r->path, "%s", dir);
    size_t dl = strlen(r->path);
    while (dl > 1 && r->path[dl - 1] == '/')
        r->path[--dl] = '\0';
    const char *slash = strrchr(r->path, '/');
    snprintf(r->name, sizeof r->name, "%.63s", slash ? slash + 1 : r->path);
    char p[1200];
    struct stat st;
    if (stat(r->path, &st) != 0 || !S_ISDIR(st.st_mode))
        return cs_error_set(err, CS_EINPUT, r->path, 0, 0, "not a run directory");
    cs_status s;
    snprintf(p, sizeof p, "%s/config.txt", r->path);
    unsigned char seen[MAX_KEYS] = {0};
    if ((s = each_kv(p, CS_RUN_CONFIG_MAX, r, seen, config_kv, err)) != CS_OK)
        goto fail;
    if (!r->version[0]) {
        s = cs_error_set(err, CS_EINPUT, p, 0, 0, "not a clickseq run configuration (no clickseq_version)");
        goto fail;
    }
    for (size_t i = 0; i < N_RUN_KEYS + cs_param_count() && i < MAX_KEYS; i++)
        if (!seen[i] && i >= N_RUN_KEYS && legacy_value(&r->cfg, cs_param_at(i - N_RUN_KEYS)))
            seen[i] = 1;
    for (size_t i = 0; i < N_RUN_KEYS + cs_param_count() && i < MAX_KEYS; i++)
        if (!seen[i]) {
            s = cs_error_set(err, CS_EINPUT, p, 0, 0, "damaged file (no '%s' line)",
                             i < N_RUN_KEYS ? run_keys[i] : cs_param_at(i - N_RUN_KEYS)->name);
            goto fail;
        }
    /* the model's history inputs follow the data option (the dataset has them then) */
    r->cfg.model.history = r->cfg.ds.history && CS_VIEW_HAS_STEPS(r->cfg.model.view);
    if (CS_VIEW_HAS_STEPS(r->cfg.model.view) && r->n_type_names &&
        r->n_type_names != r->cfg.model.n_types) {   /* ids 1..n_types name the embedding rows */
        s = cs_error_set(err, CS_EINPUT, p, 0, 0, "damaged file (type_names lists %d event types, n_types is %d)",
                         r->n_type_names, r->cfg.model.n_types);
        goto fail;
    }
    if (r->n_feat_names && r->n_feat_names != r->cfg.model.n_feat) {   /* one name per input */
        s = cs_error_set(err, CS_EINPUT, p, 0, 0, "damaged file (feat_names lists %d features, n_feat is %d)",
                         r->n_feat_names, r->cfg.model.n_feat);
        goto fail;
    }
    snprintf(p, sizeof p, "%s/summary.txt", r->path);
    memset(seen, 0, sizeof seen);
    if ((s = each_kv(p, CS_RUN_SUMMARY_MAX, r, seen, summary_kv, err)) != CS_OK)
        goto fail;
    for (int i = 0; i < N_SUMMARY_KEYS; i++)
        if (!seen[i]) {
            s = cs_error_set(err, CS_EINPUT, p, 0, 0, "damaged file (a line is missing)");
            goto fail;
        }
    if (!r->has_status)
        r->status = r->stopped ? CS_STATUS_STOPPED : CS_STATUS_DONE;
    if (what & CS_RUN_HISTORY) {
        snprintf(p, sizeof p, "%s/history.csv", r->path);
        if ((s = read_csv(p, history_max(r->epochs_run), HISTORY_HEADER, 16, HISTORY_INTS, r,
                          history_row, err)) != CS_OK)
            goto fail;
        if (r->n_hist != (size_t)r->epochs_run) {   /* one row per epoch run */
            s = cs_error_set(err, CS_EINPUT, p, 0, 0,
                             "damaged file (%zu epochs, but summary.txt says %d were run)",
                             r->n_hist, r->epochs_run);
            goto fail;
        }
    }
    if (what & CS_RUN_BATCHES) {
        snprintf(p, sizeof p, "%s/batches.csv", r->path);
        if ((s = read_csv(p, CS_RUN_BATCHES_MAX, BATCHES_HEADER, 3, BATCHES_INTS, r, batch_row, err)) != CS_OK)
            goto fail;
    }
    if ((what & CS_RUN_WEIGHTS) && r->cfg.model.cell == CS_CELL_XGBOOST) {
        /* gradient boosting: no network, its booster is model.xgb (cs_xgb_run_load) */
        snprintf(p, sizeof p, "%s/config.txt", r->path);
        if (r->nparams != 0 || r->cfg.model.view != CS_VIEW_FEATURES || r->cfg.model.n_feat < 1) {
            s = cs_error_set(err, CS_EINPUT, p, 0, 0, "damaged file (an xgboost run has a features "
                             "view and no network parameters)");
            goto fail;
        }
    } else if (what & CS_RUN_WEIGHTS) {
        /* the model config.txt describes, counted without building it: a crafted config
         * must not make a caller allocate a huge model before the weights are checked */
        if ((s = check_layout(r, err)) != CS_OK)
            goto fail;
        snprintf(p, sizeof p, "%s/model.bin", r->path);
        if ((s = cs_weights_read(p, &r->weights, err)) != CS_OK)
            goto fail;
        if (r->weights.nparams != r->nparams) {
            s = cs_error_set(err, CS_EINPUT, p, 0, 0, "holds %zu weights but config.txt says %zu",
                             r->weights.nparams, r->nparams);
            goto fail;
        }
        if (r->weights.config_hash != cs_model_config_hash(&r->cfg.model) &&
            r->weights.config_hash != cs_model_config_hash_raw(&r->cfg.model)) {
            s = cs_error_set(err, CS_EINPUT, p, 0, 0,
                             "was saved for a different model configuration than config.txt");
            goto fail;
        }
    }
    if (what & CS_RUN_SCORES) {
        snprintf(p, sizeof p, "%s/" CS_SCORES_FILE, r->path);
        struct stat ss;
        if (lstat(p, &ss) == 0 || errno != ENOENT) {   /* absent: a run from before scores.csv */
            if ((s = cs_scores_read(p, &r->scores, err)) != CS_OK)
                goto fail;
            if (!r->has_test || r->scores.n != (size_t)r->test.n) {
                s = cs_error_set(err, CS_EINPUT, p, 0, 0, "holds %zu test sessions but summary.txt says %ld",
                                 r->scores.n, r->has_test ? r->test.n : 0L);
                goto fail;
            }
            r->has_scores = 1;
        }
    }
    return CS_OK;
fail:
    cs_run_free(r);
    return s;
}

/* ------------------------------------------------------------------ list */

static int cmp_run(const void *a, const void *b)
{
    return strcmp(((const cs_run *)a)->name, ((const cs_run *)b)->name);
}

void cs_run_list_free(cs_run *runs, size_t n)
{
    for (size_t i = 0; runs && i < n; i++)
        cs_run_free(&runs[i]);
    free(runs);
}

cs_status cs_run_list(const char *dir, unsigned what, cs_run **runs, size_t *n, size_t *n_bad,
                      cs_error *err)
{
    *runs = NULL;
    *n = 0;
    if (n_bad)
        *n_bad = 0;
    DIR *d = opendir(dir);
    if (!d)
        return cs_error_set(err, errno == ENOENT ? CS_EINPUT : CS_EIO, dir, 0, 0,
                            "cannot open directory: %s", strerror(errno));
    size_t cap = 0;
    struct dirent *e;
    cs_status s = CS_OK;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[1400];
        snprintf(p, sizeof p, "%s/%s/config.txt", dir, e->d_name);
        if (access(p, F_OK) != 0)
            continue;   /* not a run */
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            cs_run *g = realloc(*runs, cap * sizeof *g);
            if (!g) {
                s = cs_error_fmt(err, CS_ENOMEM, "out of memory listing %s", dir);
                break;
            }
            *runs = g;
        }
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        cs_error ignore;
        if (cs_run_load(p, what, &(*runs)[*n], &ignore) == CS_OK)
            (*n)++;
        else if (n_bad)
            (*n_bad)++;
    }
    closedir(d);
    if (s != CS_OK) {
        cs_run_list_free(*runs, *n);
        *runs = NULL;
        *n = 0;
        return s;
    }
    if (*n)
        qsort(*runs, *n, sizeof **runs, cmp_run);
    return CS_OK;
}

