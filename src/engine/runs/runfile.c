/* runfile.c — the run store's low-level files (runstore.h): CRC-32, the model-config
 * hash, atomic writes (tmp, fsync, rename, fsync dir), model.bin, and weights <-> model. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/runstore.h"
#include "engine/runs/runstore_int.h"

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

static uint64_t config_hash(const cs_model_config *m)
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

/* The hash of the layout as cs_model_new sees it: hidden sizes past the used layers (all
 * of them for LOGREG) are zero there, so they are zeroed here too.  Without this the
 * weights of a logreg run (hashed from the model) never matched its config.txt (hashed
 * from the configured, unused hidden size): such runs could not be loaded. */
uint64_t cs_model_config_hash(const cs_model_config *m)
{
    cs_model_config c = *m;
    for (int l = c.cell == CS_CELL_LOGREG ? 0 : c.layers; l >= 0 && l < CS_MAX_LAYERS; l++)
        c.hidden[l] = 0;
    return config_hash(&c);
}

/* The hash as version 0.1.0 computed it before that fix (no zeroing), which the run store
 * still accepts so that runs saved from the configuration (sweeps) stay readable. */
uint64_t cs_model_config_hash_raw(const cs_model_config *m)
{
    return config_hash(m);
}

/* ------------------------------------------------------------------ atomic files */

cs_status cs_fsync_dir_of(const char *path, cs_error *err)
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

/* Temporaries are hidden siblings of their target, named ".BASE.tmp-PID-XXXXXX" (files
 * and run directories alike), so that a listing never shows them, two writers never share
 * one, and a later writer can tell whether the one that made it is still running. */
static int split_path(const char *path, char *dir, size_t dn, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!**base)
        return -1;
    if (!slash)
        snprintf(dir, dn, ".");
    else
        snprintf(dir, dn, "%.*s", (int)(slash == path ? 1 : slash - path), path);
    return 0;
}

int cs_temp_name(char *out, size_t n, const char *path)
{
    char dir[1024];
    const char *base;
    if (split_path(path, dir, sizeof dir, &base) != 0)
        return -1;
    int k = snprintf(out, n, "%s/.%s.tmp-%ld-XXXXXX", dir, base, (long)getpid());
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* ".NAME.tmp-PID-XXXXXX" -> PID, else 0. */
static long temp_owner(const char *name)
{
    if (name[0] != '.')
        return 0;
    const char *t = strstr(name, ".tmp-");
    const char *last = NULL;
    for (; t; t = strstr(t + 1, ".tmp-"))
        last = t;
    if (!last || last == name)
        return 0;
    char *end;
    long pid = strtol(last + 5, &end, 10);
    if (pid <= 0 || end == last + 5 || *end != '-' || strlen(end + 1) != 6)
        return 0;
    return pid;
}

/* Remove a stale temporary: a file, or a flat directory of files (a run being built).
 * Never follows symbolic links. */
static void remove_temp(const char *p, const struct stat *st)
{
    if (!S_ISDIR(st->st_mode)) {
        unlink(p);
        return;
    }
    DIR *d = opendir(p);
    if (d) {
        struct dirent *e;
        char q[2600];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(q, sizeof q, "%s/%s", p, e->d_name);
                unlink(q);   /* fails harmlessly on anything that is not a file */
            }
        closedir(d);
    }
    rmdir(p);
}

size_t cs_clean_stale_temps(const char *dir, double min_age_s)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_owner(e->d_name);
        if (pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;   /* its writer may still be running (or belongs to another user) */
        char p[2200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (lstat(p, &st) != 0 || difftime(now, st.st_mtime) < min_age_s)
            continue;   /* young: maybe a writer in another pid namespace sharing the dir */
        remove_temp(p, &st);
        n++;
    }
    closedir(d);
    return n;
}

cs_status cs_atomic_open(cs_atomic_file *af, const char *path, cs_error *err)
{
    memset(af, 0, sizeof *af);
    char dir[1024];
    const char *base;
    if (strlen(path) >= sizeof af->path || split_path(path, dir, sizeof dir, &base) != 0 ||
        cs_temp_name(af->tmp, sizeof af->tmp, path) != 0)
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "not a usable file name");
    snprintf(af->path, sizeof af->path, "%s", path);
    cs_clean_stale_temps(dir, CS_STALE_TEMP_AGE);
    int fd = mkstemp(af->tmp);
    if (fd < 0)
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot create a file there: %s", strerror(errno));
    fchmod(fd, 0644);   /* mkstemp makes it private; outputs are ordinary files */
    af->f = fdopen(fd, "w");
    if (!af->f) {
        int e = errno;
        close(fd);
        unlink(af->tmp);
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "cannot open a stream: %s", strerror(e));
    }
    return CS_OK;
}

void cs_atomic_abort(cs_atomic_file *af)
{
    if (af->f) {
        fclose(af->f);
        unlink(af->tmp);
    }
    af->f = NULL;
}

cs_status cs_atomic_commit(cs_atomic_file *af, cs_error *err)
{
    if (!af->f)
        return cs_error_set(err, CS_ERUNTIME, af->path, 0, 0, "not open");
    int bad = ferror(af->f) || fflush(af->f) != 0 || fsync(fileno(af->f)) != 0;
    int e = errno;
    bad |= fclose(af->f) != 0;
    af->f = NULL;
    if (bad) {
        unlink(af->tmp);
        return cs_error_set(err, CS_EIO, af->path, 0, 0, "write failed: %s", strerror(e ? e : errno));
    }
    if (rename(af->tmp, af->path) != 0) {
        e = errno;
        unlink(af->tmp);
        return cs_error_set(err, CS_EIO, af->path, 0, 0, "rename failed: %s", strerror(e));
    }
    return cs_fsync_dir_of(af->path, err);
}

cs_status cs_write_atomic(const char *path, const void *buf, size_t n, cs_error *err)
{
    cs_atomic_file af;
    cs_status s = cs_atomic_open(&af, path, err);
    if (s != CS_OK)
        return s;
    if (n && fwrite(buf, 1, n, af.f) != n) {
        int e = errno;
        cs_atomic_abort(&af);
        return cs_error_set(err, CS_EIO, path, 0, 0, "write failed: %s", strerror(e));
    }
    return cs_atomic_commit(&af, err);
}

/* Read a whole file (NUL-terminated for text use).  *n excludes the NUL. */
cs_status cs_slurp(const char *path, char **out, size_t *n, cs_error *err)
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
    cs_status s = cs_slurp(path, &buf, &n, err);
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
