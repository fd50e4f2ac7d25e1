/* runfile.c — model weights on disk (weights.h): the model-config hash, model.bin, and
 * weights <-> model.  (Atomic files: core/files.c; the CRC: core/hash.c.) */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/files.h"
#include "clickseq/hash.h"
#include "clickseq/rundir.h"
#include "clickseq/weights.h"
#include "engine/runs/runstore_int.h"
#include "engine/core/freeall.h"

static uint64_t config_hash(const cs_model_config *m)
{
    cs_run_config c;
    cs_run_config_init(&c);
    c.model = *m;
    uint64_t h = CS_FNV64_INIT;
    char line[256], v[128];
    for (size_t i = 0; i < cs_param_count(); i++) {
        const cs_param *p = cs_param_at(i);
        /* dropout changes training, not the layout; feat-hidden (added later) shapes only
         * the hybrid view, so it is hashed only there and every older hash stands */
        if (p->group != 1 || !strcmp(p->name, "dropout") ||
            (!strcmp(p->name, "feat-hidden") && m->view != CS_VIEW_HYBRID))
            continue;
        cs_param_get(&c, p->name, v, sizeof v);
        snprintf(line, sizeof line, "%s=%s\n", p->name, v);
        h = cs_fnv64_str(h, line);
    }
    snprintf(line, sizeof line, "view=%d\nn_types=%d\nn_feat=%d\n", (int)m->view, m->n_types, m->n_feat);
    h = cs_fnv64_str(h, line);
    if (m->history)   /* added with the history inputs: absent, the old definition stands */
        h = cs_fnv64_str(h, "history=1\n");
    return h;
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
    CS_FREE_ALL(w->w, w->norm_mean, w->norm_std);
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
    cs_status s = cs_slurp(path, CS_MODEL_MAX_BYTES, &buf, &n, err);
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
    if (CS_VIEW_HAS_FEAT(c->view)) {   /* features, hybrid: the training split's constants */
        w->n_norm = (size_t)c->n_feat;
        w->norm_mean = cs_model_norm_mean(m);
        w->norm_std = cs_model_norm_std(m);
    }
}

cs_status cs_run_model_new(const cs_run *run, cs_model **out, cs_error *err)
{
    *out = NULL;
    if (run->cfg.model.cell == CS_CELL_XGBOOST)
        return cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                            "an xgboost run has no network (its model is model.xgb)");
    if (!run->weights.w)
        return cs_error_fmt(err, CS_ERUNTIME, "%s: the weights were not loaded", run->path);
    cs_model_config mc = run->cfg.model;
    for (int l = mc.layers; l < CS_MAX_LAYERS; l++)
        mc.hidden[l] = 0;
    /* count first, build after: a config that does not match its weights (crafted: 16M
     * hash buckets for a 1 KB model.bin) is refused before the model is allocated */
    const cs_weights *w = &run->weights;
    size_t nn = CS_VIEW_HAS_FEAT(mc.view) ? (size_t)mc.n_feat : 0;
    size_t np;
    cs_status s = cs_model_config_nparams(&mc, &np, err);
    if (s != CS_OK)
        return s;
    if (np != w->nparams || w->n_norm != nn)
        return cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                            "model.bin holds %zu weights (%zu normaliser entries) but the "
                            "configured model has %zu (%zu)", w->nparams, w->n_norm, np, nn);
    cs_model *m = cs_model_new(&mc, run->cfg.seed, err);
    if (!m)
        return err ? err->code : CS_ERUNTIME;
    if (cs_model_nparams(m) != np) {   /* cs_model_config_nparams is the same layout */
        cs_model_free(m);
        return cs_error_fmt(err, CS_ERUNTIME, "%s: model layout mismatch", run->path);
    }
    memcpy(cs_model_params(m), w->w, w->nparams * sizeof *w->w);
    if (nn) {
        memcpy(cs_model_norm_mean(m), w->norm_mean, nn * sizeof(float));
        memcpy(cs_model_norm_std(m), w->norm_std, nn * sizeof(float));
    }
    *out = m;
    return CS_OK;
}

cs_status cs_run_remap_types(const cs_run *run, cs_dataset *ds, cs_error *err)
{
    if (!CS_VIEW_HAS_STEPS(ds->view) || ds->n_steps == 0)
        return CS_OK;
    if (run->n_type_names <= 0 || !run->type_names || !ds->type_names)
        return cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                            "the run lists no event types (config.txt type_names)");
    uint16_t *map = calloc((size_t)ds->n_types + 1, sizeof *map);
    if (!map)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    for (int t = 1; t <= ds->n_types; t++)
        for (int r = 0; r < run->n_type_names && !map[t]; r++)   /* [r] is id r + 1 */
            if (run->type_names[r] && ds->type_names[t] && !strcmp(run->type_names[r], ds->type_names[t]))
                map[t] = (uint16_t)(r + 1);
    cs_status st = CS_OK;
    for (size_t i = 0; i < ds->n_steps && !st; i++) {
        uint16_t t = ds->type[i];
        if (t == 0 || t > ds->n_types || !map[t])
            st = cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                              "event type '%s' in the data was not seen when the run was trained",
                              t && t <= ds->n_types && ds->type_names[t] ? ds->type_names[t] : "?");
        else
            ds->type[i] = map[t];
    }
    free(map);
    return st;
}
