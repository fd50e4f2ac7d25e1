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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/runstore.h"

/* ------------------------------------------------------------------ checksums */

uint32_t cs_crc32(const void *data, size_t n)
{
    static uint32_t table[256];
    static int ready;   /* benign race: every thread computes the same table */
    if (!ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = 1;
    }
    const unsigned char *p = data;
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t cs_model_config_hash(const cs_model_config *m)
{
    cs_run_config c;
    cs_run_config_init(&c);
    c.model = *m;
    uint64_t h = 0xcbf29ce484222325ULL;
    char line[256], v[128];
    for (size_t i = 0; i < cs_param_count(); i++) {
        const cs_param *p = cs_param_at(i);
        /* dropout changes training, not the layout */
        if (p->group != 1 || !strcmp(p->name, "dropout"))
            continue;
        cs_param_get(&c, p->name, v, sizeof v);
        snprintf(line, sizeof line, "%s=%s\n", p->name, v);
        h = fnv1a(h, line);
    }
    snprintf(line, sizeof line, "view=%d\nn_types=%d\nn_feat=%d\n", (int)m->view, m->n_types, m->n_feat);
    return fnv1a(h, line);
}

/* ------------------------------------------------------------------ atomic files */

static cs_status fsync_dir_of(const char *path, cs_error *err)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return cs_error_set(err, CS_EIO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
    int r = fsync(fd);
    close(fd);
    if (r != 0 && errno != EINVAL)
        return cs_error_set(err, CS_EIO, dir, 0, 0, "fsync failed: %s", strerror(errno));
    return CS_OK;
}

cs_status cs_write_atomic(const char *path, const void *buf, size_t n, cs_error *err)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return cs_error_set(err, CS_EIO, tmp, 0, 0, "cannot create: %s", strerror(errno));
    const char *p = buf;
    size_t left = n;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            return cs_error_set(err, CS_EIO, tmp, 0, 0, "write failed: %s", strerror(e));
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return cs_error_set(err, CS_EIO, tmp, 0, 0, "fsync/close failed: %s", strerror(e));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return cs_error_set(err, CS_EIO, path, 0, 0, "rename failed: %s", strerror(e));
    }
    return fsync_dir_of(path, err);
}

/* Read a whole file (NUL-terminated for text use).  *n excludes the NUL. */
static cs_status slurp(const char *path, char **out, size_t *n, cs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cs_error_set(err, errno == ENOENT ? CS_EINPUT : CS_EIO, path, 0, 0,
                            "cannot open: %s", strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (len < cap)
            break;
        char *g = realloc(buf, cap * 2 + 1);
        if (!g) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = g;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "out of memory reading the file");
    if (bad) {
        free(buf);
        return cs_error_set(err, CS_EIO, path, 0, 0, "read error");
    }
    buf[len] = '\0';
    *out = buf;
    *n = len;
    return CS_OK;
}

/* ------------------------------------------------------------------ model.bin */

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static void put_floats(unsigned char *p, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put_u32(p + 4 * i, u);
    }
}
static void get_floats(const unsigned char *p, float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u = get_u32(p + 4 * i);
        memcpy(&x[i], &u, 4);
    }
}

/* magic 8 | format u32 | config hash u64 | nparams u64 | n_norm u64 | ... | crc u32 */
#define HDR 36

void cs_weights_free(cs_weights *w)
{
    if (!w)
        return;
    free(w->w);
    free(w->norm_mean);
    free(w->norm_std);
    memset(w, 0, sizeof *w);
}

cs_status cs_weights_write(const char *path, const cs_weights *w, cs_error *err)
{
    size_t n = HDR + 4 * (w->nparams + 2 * w->n_norm) + 4;
    unsigned char *b = malloc(n);
    if (!b)
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
    memcpy(b, CS_MODEL_MAGIC, 8);
    put_u32(b + 8, CS_MODEL_FORMAT);
    put_u64(b + 12, w->config_hash);
    put_u64(b + 20, w->nparams);
    put_u64(b + 28, w->n_norm);
    unsigned char *p = b + HDR;
    put_floats(p, w->norm_mean, w->n_norm);
    put_floats(p + 4 * w->n_norm, w->norm_std, w->n_norm);
    put_floats(p + 8 * w->n_norm, w->w, w->nparams);
    put_u32(b + n - 4, cs_crc32(b, n - 4));
    cs_status s = cs_write_atomic(path, b, n, err);
    free(b);
    return s;
}

cs_status cs_weights_read(const char *path, cs_weights *w, cs_error *err)
{
    memset(w, 0, sizeof *w);
    char *buf;
    size_t n;
    cs_status s = slurp(path, &buf, &n, err);
    if (s != CS_OK)
        return s;
    const unsigned char *b = (const unsigned char *)buf;
    if (n < 8 || memcmp(b, CS_MODEL_MAGIC, 8) != 0) {
        free(buf);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "not a clickseq model file (bad magic)");
    }
    if (n < HDR + 4) {
        free(buf);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "truncated model file (%zu bytes)", n);
    }
    uint32_t fmt = get_u32(b + 8);
    if (fmt != CS_MODEL_FORMAT) {
        free(buf);
        return cs_error_set(err, CS_EINPUT, path, 0, 0,
                            "model format version %u is not supported (this clickseq reads %d)",
                            fmt, CS_MODEL_FORMAT);
    }
    uint64_t np = get_u64(b + 20), nn = get_u64(b + 28);
    if (np > ((uint64_t)1 << 34) || nn > ((uint64_t)1 << 30) ||
        n != HDR + 4 * (np + 2 * nn) + 4) {
        free(buf);
        return cs_error_set(err, CS_EINPUT, path, 0, 0,
                            "truncated or damaged model file (%zu bytes; header says %llu weights)",
                            n, (unsigned long long)np);
    }
    if (get_u32(b + n - 4) != cs_crc32(b, n - 4)) {
        free(buf);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "damaged model file (checksum mismatch)");
    }
    w->config_hash = get_u64(b + 12);
    w->nparams = np;
    w->n_norm = nn;
    w->w = malloc(np ? 4 * np : 1);
    w->norm_mean = malloc(nn ? 4 * nn : 1);
    w->norm_std = malloc(nn ? 4 * nn : 1);
    if (!w->w || !w->norm_mean || !w->norm_std) {
        free(buf);
        cs_weights_free(w);
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
    }
    get_floats(b + HDR, w->norm_mean, nn);
    get_floats(b + HDR + 4 * nn, w->norm_std, nn);
    get_floats(b + HDR + 8 * nn, w->w, np);
    free(buf);
    return CS_OK;
}

/* ------------------------------------------------------------------ text files */

#define HISTORY_HEADER "epoch,train_loss,valid_loss,accuracy,precision,recall,f1,roc_auc,pr_auc," \
                       "threshold,tp,fp,tn,fn,seconds,events_per_s"
#define BATCHES_HEADER "epoch,batch,loss"

static char *config_text(const cs_run_config *cfg, const cs_train_result *res,
                         const cs_run_save_info *info, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
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
    fprintf(f, "type_names = ");
    for (int i = 0; info->type_names && i < info->n_type_names; i++)
        fprintf(f, "%s%s", i ? "," : "", info->type_names[i]);
    fprintf(f, "\n");
    char *params = cs_run_config_format(cfg);
    if (params)
        fputs(params, f);
    free(params);
    int bad = ferror(f) || !params;
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
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fprintf(f, "%s\n", HISTORY_HEADER);
    for (size_t i = 0; i < res->n_hist; i++)
        put_metrics_row(f, &res->hist[i]);
    fclose(f);
    return buf;
}

static char *batches_text(const cs_train_result *res, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fprintf(f, "%s\n", BATCHES_HEADER);
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
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    const cs_metrics *m = &res->test;
    fprintf(f, "threshold = %.17g\n", res->threshold);
    fprintf(f, "best_epoch = %d\n", res->best_epoch);
    fprintf(f, "epochs_run = %zu\n", res->n_hist);
    fprintf(f, "stopped = %d\n", res->stopped);
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

cs_status cs_run_save(const char *dir, const cs_run_config *cfg, const cs_train_result *res,
                      const cs_run_save_info *info, cs_error *err)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    if (dl == 0 || dl > 900)
        return cs_error_fmt(err, CS_EINPUT, "run directory name '%s' is empty or too long", dir);
    char final[1024], parent[1024], tmp[2100];
    snprintf(final, sizeof final, "%.*s", (int)dl, dir);
    if (dir_nonempty(final))
        return cs_error_set(err, CS_EINPUT, final, 0, 0, "run directory already exists and is not empty");
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    if (slash)
        snprintf(parent, sizeof parent, "%.*s", (int)(slash == final ? 1 : slash - final), final);
    else
        snprintf(parent, sizeof parent, ".");
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp-XXXXXX", parent, base);
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
    /* summary last: its presence marks a finished write inside the temporary dir */
    t = summary_text(res, &len);
    if ((s = save_file(tmp, "summary.txt", t, len, err)) != CS_OK)
        goto fail;
    if (rename(tmp, final) != 0) {
        s = cs_error_set(err, CS_EIO, final, 0, 0, "cannot move the run into place: %s", strerror(errno));
        goto fail;
    }
    return fsync_dir_of(final, err);
fail:
    remove_tree_flat(tmp);
    return s;
}

/* ------------------------------------------------------------------ load */

void cs_run_free(cs_run *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_type_names; i++)
        free(r->type_names[i]);
    free(r->type_names);
    free(r->hist);
    free(r->batch_loss);
    free(r->batch_epoch);
    cs_weights_free(&r->weights);
    memset(r, 0, sizeof *r);
}

static cs_status parse_type_names(cs_run *r, const char *v)
{
    if (!*v)
        return CS_OK;
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

typedef cs_status (*kv_fn)(cs_run *r, const char *key, const char *val, const char *file, long line,
                           cs_error *err);

static cs_status each_kv(const char *path, cs_run *r, kv_fn fn, cs_error *err)
{
    char *text;
    size_t n;
    cs_status s = slurp(path, &text, &n, err);
    if (s != CS_OK)
        return s;
    if (memchr(text, '\0', n)) {
        free(text);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "damaged file (NUL byte)");
    }
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
            s = fn(r, key, val, path, lineno, err);
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

static cs_status config_kv(cs_run *r, const char *key, const char *val, const char *file, long line,
                           cs_error *err)
{
    double d;
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
    } else if (!strcmp(key, "nparams") || !strcmp(key, "model_view") || !strcmp(key, "n_types") ||
               !strcmp(key, "n_feat")) {
        if (num(val, &d) || d < 0 || d > 1e12 || d != floor(d))
            return cs_error_set(err, CS_EINPUT, file, line, 1, "%s: '%s' is not a count", key, val);
        if (key[0] == 'm')
            r->cfg.model.view = d ? CS_VIEW_FEATURES : CS_VIEW_SEQUENCE;
        else if (!strcmp(key, "n_types"))
            r->cfg.model.n_types = (int)d;
        else if (!strcmp(key, "n_feat"))
            r->cfg.model.n_feat = (int)d;
        else
            r->nparams = (size_t)d;
    } else {
        cs_error e;
        if (cs_param_set(&r->cfg, key, val, &e) != CS_OK)
            return cs_error_set(err, CS_EINPUT, file, line, 1, "%s", e.msg);
    }
    return CS_OK;
}

static cs_status summary_kv(cs_run *r, const char *key, const char *val, const char *file, long line,
                            cs_error *err)
{
    double d;
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
 * first bad field, or 0. */
static int csv_numbers(char *line, double *v, int nf)
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
        if (*end)
            return i + 1;
        p = comma ? comma + 1 : p;
    }
    return 0;
}

/* Read a CSV of numbers with a fixed header; calls row() per data line. */
static cs_status read_csv(const char *path, const char *header, int nf, cs_run *r,
                          cs_status (*row)(cs_run *, const double *, cs_error *), cs_error *err)
{
    char *text;
    size_t n;
    cs_status s = slurp(path, &text, &n, err);
    if (s != CS_OK)
        return s;
    if (n == 0 || text[n - 1] != '\n' || memchr(text, '\0', n)) {
        free(text);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "damaged file (empty, NUL byte or incomplete last line)");
    }
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
            int col = csv_numbers(p, v, nf);
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

static cs_status history_row(cs_run *r, const double *v, cs_error *err)
{
    cs_epoch *h = realloc(r->hist, (r->n_hist + 1) * sizeof *h);
    if (!h)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    r->hist = h;
    cs_epoch *e = &h[r->n_hist++];
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

cs_status cs_run_load(const char *dir, unsigned what, cs_run *r, cs_error *err)
{
    memset(r, 0, sizeof *r);
    cs_run_config_init(&r->cfg);
    snprintf(r->path, sizeof r->path, "%s", dir);
    size_t dl = strlen(r->path);
    while (dl > 1 && r->path[dl - 1] == '/')
        r->path[--dl] = '\0';
    const char *slash = strrchr(r->path, '/');
    snprintf(r->name, sizeof r->name, "%s", slash ? slash + 1 : r->path);
    char p[1200];
    struct stat st;
    if (stat(r->path, &st) != 0 || !S_ISDIR(st.st_mode))
        return cs_error_set(err, CS_EINPUT, r->path, 0, 0, "not a run directory");
    cs_status s;
    snprintf(p, sizeof p, "%s/config.txt", r->path);
    if ((s = each_kv(p, r, config_kv, err)) != CS_OK)
        goto fail;
    if (!r->version[0]) {
        s = cs_error_set(err, CS_EINPUT, p, 0, 0, "not a clickseq run configuration (no clickseq_version)");
        goto fail;
    }
    snprintf(p, sizeof p, "%s/summary.txt", r->path);
    if ((s = each_kv(p, r, summary_kv, err)) != CS_OK)
        goto fail;
    if (what & CS_RUN_HISTORY) {
        snprintf(p, sizeof p, "%s/history.csv", r->path);
        if ((s = read_csv(p, HISTORY_HEADER, 16, r, history_row, err)) != CS_OK)
            goto fail;
    }
    if (what & CS_RUN_BATCHES) {
        snprintf(p, sizeof p, "%s/batches.csv", r->path);
        if ((s = read_csv(p, BATCHES_HEADER, 3, r, batch_row, err)) != CS_OK)
            goto fail;
    }
    if (what & CS_RUN_WEIGHTS) {
        snprintf(p, sizeof p, "%s/model.bin", r->path);
        if ((s = cs_weights_read(p, &r->weights, err)) != CS_OK)
            goto fail;
        if (r->weights.nparams != r->nparams) {
            s = cs_error_set(err, CS_EINPUT, p, 0, 0, "holds %zu weights but config.txt says %zu",
                             r->weights.nparams, r->nparams);
            goto fail;
        }
        if (r->weights.config_hash != cs_model_config_hash(&r->cfg.model)) {
            s = cs_error_set(err, CS_EINPUT, p, 0, 0,
                             "was saved for a different model configuration than config.txt");
            goto fail;
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

/* ------------------------------------------------------------------ models */

void cs_weights_of_model(cs_model *m, cs_weights *w)
{
    const cs_model_config *c = cs_model_config_of(m);
    memset(w, 0, sizeof *w);
    w->config_hash = cs_model_config_hash(c);
    w->nparams = cs_model_nparams(m);
    w->w = cs_model_params(m);
    if (c->view == CS_VIEW_FEATURES) {
        w->n_norm = (size_t)c->n_feat;
        w->norm_mean = cs_model_norm_mean(m);
        w->norm_std = cs_model_norm_std(m);
    }
}

cs_status cs_run_model_new(const cs_run *run, cs_model **out, cs_error *err)
{
    *out = NULL;
    if (!run->weights.w)
        return cs_error_fmt(err, CS_ERUNTIME, "%s: the weights were not loaded", run->path);
    cs_model_config mc = run->cfg.model;
    for (int l = mc.layers; l < CS_MAX_LAYERS; l++)
        mc.hidden[l] = 0;
    cs_model *m = cs_model_new(&mc, run->cfg.seed, err);
    if (!m)
        return err ? err->code : CS_ERUNTIME;
    const cs_weights *w = &run->weights;
    size_t nn = mc.view == CS_VIEW_FEATURES ? (size_t)mc.n_feat : 0;
    size_t np = cs_model_nparams(m);
    if (np != w->nparams || w->n_norm != nn) {
        cs_model_free(m);
        return cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                            "model.bin holds %zu weights but the configured model has %zu",
                            w->nparams, np);
    }
    memcpy(cs_model_params(m), w->w, w->nparams * sizeof *w->w);
    if (nn) {
        memcpy(cs_model_norm_mean(m), w->norm_mean, nn * sizeof(float));
        memcpy(cs_model_norm_std(m), w->norm_std, nn * sizeof(float));
    }
    *out = m;
    return CS_OK;
}
