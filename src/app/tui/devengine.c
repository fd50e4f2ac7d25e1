/* devengine.c — DEVELOPMENT-ONLY implementation of engine.h (see there).
 *
 * A stand-in for the train/sessions/nn areas so the workbench could be built and tested
 * before they landed: a parameter table over cs_run_config, a data summary that really
 * reads the CSV (rows, sessions, positives, lengths) but no dataset, and a SIMULATED
 * trainer: it burns CPU in proportion to the model size and publishes curves and
 * confusion matrices that behave like training (losses fall, F1 rises, LSTM/GRU above
 * RNN), with cs_monitor's semantics.  Replace with the real engine; do not ship.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/tui/engine.h"
#include "clickseq/rng.h"

/* ======================= parameter table ======================= */
static const char *const cells[] = {"rnn", "gru", "lstm", NULL};
static const char *const optims[] = {"adam", "sgd", NULL};
static const char *const bools[] = {"no", "yes", NULL};
static const char *const policies[] = {"truncate", "filter", NULL};
static const char *const splits[] = {"time", "random", "stratified", NULL};
static const char *const formats[] = {"auto", "rees46", "yoochoose", "generic", "features", NULL};

static const cs_param params[] = {
    {"format", CS_P_ENUM, "data format", formats, 0, 0, 0},
    {"max_len", CS_P_INT, "longest session kept (0 = all)", NULL, 0, 100000, 0},
    {"policy", CS_P_ENUM, "longer sessions: truncate (keep last) or filter", policies, 0, 0, 0},
    {"split", CS_P_ENUM, "train/valid/test split", splits, 0, 0, 0},
    {"cell", CS_P_ENUM, "recurrent cell", cells, 0, 0, 1},
    {"layers", CS_P_INT, "stacked layers", NULL, 1, 4, 1},
    {"hidden", CS_P_INT, "hidden units per layer", NULL, 1, 4096, 1},
    {"bidir", CS_P_BOOL, "bidirectional", bools, 0, 1, 1},
    {"embed", CS_P_INT, "event-type embedding size (0 = one-hot)", NULL, 0, 512, 1},
    {"dropout", CS_P_DOUBLE, "dropout between layers", NULL, 0, 0.9, 1},
    {"optim", CS_P_ENUM, "optimizer", optims, 0, 0, 2},
    {"lr", CS_P_DOUBLE, "learning rate", NULL, 1e-6, 1, 2},
    {"batch", CS_P_INT, "sessions per batch", NULL, 1, 65536, 2},
    {"epochs", CS_P_INT, "epochs", NULL, 1, 10000, 2},
    {"patience", CS_P_INT, "early stopping patience (0 = off)", NULL, 0, 1000, 2},
    {"pos_weight", CS_P_DOUBLE, "positive class weight (-1 = auto)", NULL, -1, 1000, 2},
    {"clip", CS_P_DOUBLE, "gradient norm clip (0 = off)", NULL, 0, 1000, 2},
    {"seed", CS_P_U64, "random seed", NULL, 0, 0, 2},
};
#define NPARAMS (sizeof params / sizeof params[0])

void tui_eng_config_init(cs_run_config *c)
{
    memset(c, 0, sizeof *c);
    c->header = -1;
    c->ds.view = CS_VIEW_SEQUENCE;
    c->ds.max_len = 300;
    c->ds.policy = CS_LEN_TRUNCATE;
    c->ds.min_len = 1;
    c->split = CS_SPLIT_TIME;
    c->train_frac = 0.70;
    c->valid_frac = 0.15;
    c->model.cell = CS_CELL_GRU;
    c->model.layers = 1;
    c->model.hidden[0] = 64;
    c->model.emb_type = 16;
    c->model.use_dwell = c->model.use_price = 1;
    c->optim = CS_OPT_ADAM;
    c->lr = 1e-3;
    c->momentum = 0.9;
    c->epochs = 20;
    c->batch = 256;
    c->pos_weight = -1;
    c->patience = 5;
    c->tune_threshold = 1;
    c->threshold = 0.5;
    c->seed = 42;
    c->threads = 1;
}

size_t tui_eng_param_count(void) { return NPARAMS; }
const cs_param *tui_eng_param_at(size_t i) { return i < NPARAMS ? &params[i] : NULL; }

const cs_param *tui_eng_param_find(const char *name)
{
    for (size_t i = 0; i < NPARAMS; i++)
        if (!strcmp(params[i].name, name))
            return &params[i];
    return NULL;
}

static int choice_index(const cs_param *p, const char *v)
{
    for (int i = 0; p->choices[i]; i++)
        if (!strcasecmp(p->choices[i], v))
            return i;
    if (p->type == CS_P_BOOL) {
        if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "off")) return 0;
        if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "on")) return 1;
    }
    return -1;
}

/* Where each parameter lives: numeric through a double, enums through an index. */
static double *dfield(cs_run_config *c, const char *n)
{
    if (!strcmp(n, "dropout")) return NULL;
    if (!strcmp(n, "lr")) return &c->lr;
    if (!strcmp(n, "pos_weight")) return &c->pos_weight;
    if (!strcmp(n, "clip")) return &c->clip;
    return NULL;
}

static int *ifield(cs_run_config *c, const char *n)
{
    if (!strcmp(n, "max_len")) return &c->ds.max_len;
    if (!strcmp(n, "layers")) return &c->model.layers;
    if (!strcmp(n, "hidden")) return &c->model.hidden[0];
    if (!strcmp(n, "embed")) return &c->model.emb_type;
    if (!strcmp(n, "batch")) return &c->batch;
    if (!strcmp(n, "epochs")) return &c->epochs;
    if (!strcmp(n, "patience")) return &c->patience;
    if (!strcmp(n, "bidir")) return &c->model.bidir;
    return NULL;
}

static int get_enum(const cs_run_config *c, const char *n)
{
    if (!strcmp(n, "cell")) return (int)c->model.cell;
    if (!strcmp(n, "optim")) return (int)c->optim;
    if (!strcmp(n, "policy")) return (int)c->ds.policy;
    if (!strcmp(n, "split")) return (int)c->split;
    if (!strcmp(n, "format")) return (int)c->format;
    if (!strcmp(n, "bidir")) return c->model.bidir;
    return 0;
}

static void set_enum(cs_run_config *c, const char *n, int v)
{
    if (!strcmp(n, "cell")) c->model.cell = (cs_cell_kind)v;
    else if (!strcmp(n, "optim")) c->optim = (cs_optim_kind)v;
    else if (!strcmp(n, "policy")) c->ds.policy = (cs_len_policy)v;
    else if (!strcmp(n, "split")) c->split = (cs_split_kind)v;
    else if (!strcmp(n, "format")) c->format = (cs_format)v;
    else if (!strcmp(n, "bidir")) c->model.bidir = v;
}

cs_status tui_eng_param_set(cs_run_config *c, const char *name, const char *value, cs_error *err)
{
    const cs_param *p = tui_eng_param_find(name);
    if (!p)
        return cs_error_fmt(err, CS_EINPUT, "unknown parameter '%s'", name);
    if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) {
        int i = choice_index(p, value);
        if (i < 0)
            return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not one of the choices", name, value);
        set_enum(c, name, i);
        return CS_OK;
    }
    char *end;
    errno = 0;
    if (p->type == CS_P_U64) {
        unsigned long long u = strtoull(value, &end, 10);
        if (end == value || *end || errno || value[0] == '-')
            return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not a non-negative integer", name, value);
        c->seed = u;
        return CS_OK;
    }
    double v = strtod(value, &end);
    if (end == value || *end || errno || !isfinite(v))
        return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not a number", name, value);
    if (p->type == CS_P_INT && v != floor(v))
        return cs_error_fmt(err, CS_EINPUT, "%s: '%s' is not an integer", name, value);
    if (v < p->min || v > p->max)
        return cs_error_fmt(err, CS_EINPUT, "%s: %s is out of range [%g, %g]", name, value, p->min,
                            p->max);
    if (!strcmp(name, "dropout")) c->model.dropout = (float)v;
    else if (p->type == CS_P_INT) {
        *ifield(c, name) = (int)v;
        if (!strcmp(name, "hidden") || !strcmp(name, "layers"))
            for (int l = 1; l < CS_MAX_LAYERS; l++)
                c->model.hidden[l] = l < c->model.layers ? c->model.hidden[0] : 0;
    } else *dfield(c, name) = v;
    return CS_OK;
}

void tui_eng_param_get(const cs_run_config *c, const char *name, char *buf, size_t n)
{
    const cs_param *p = tui_eng_param_find(name);
    cs_run_config *m = (cs_run_config *)c;   /* the field helpers only read through it */
    if (!p) snprintf(buf, n, "?");
    else if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) snprintf(buf, n, "%s", p->choices[get_enum(c, name)]);
    else if (p->type == CS_P_U64) snprintf(buf, n, "%llu", (unsigned long long)c->seed);
    else if (!strcmp(name, "dropout")) snprintf(buf, n, "%g", c->model.dropout);
    else if (p->type == CS_P_INT) snprintf(buf, n, "%d", *ifield(m, name));
    else snprintf(buf, n, "%g", *dfield(m, name));
}

cs_status tui_eng_param_cycle(cs_run_config *c, const char *name, int dir, cs_error *err)
{
    const cs_param *p = tui_eng_param_find(name);
    if (!p || (p->type != CS_P_ENUM && p->type != CS_P_BOOL))
        return cs_error_fmt(err, CS_EINPUT, "'%s' has no choices", name);
    int k = 0;
    while (p->choices[k]) k++;
    set_enum(c, name, ((get_enum(c, name) + dir) % k + k) % k);
    return CS_OK;
}

const char *tui_eng_split_name(cs_split_kind k) { return splits[k <= CS_SPLIT_STRATIFIED ? k : 0]; }
const char *tui_eng_cell_name(int cell) { return cell >= 0 && cell <= 2 ? cells[cell] : "?"; }
const char *tui_eng_state_name(cs_run_state s)
{
    static const char *const names[] = {"idle", "loading", "running", "paused", "done", "stopped", "failed"};
    return s <= CS_RUN_FAILED ? names[s] : "?";
}

size_t tui_eng_nparams(const cs_run_config *c)
{
    /* the real count comes from the model; this follows the PyTorch formulas */
    int gates = c->model.cell == CS_CELL_LSTM ? 4 : c->model.cell == CS_CELL_GRU ? 3 : 1;
    int dirs = c->model.bidir ? 2 : 1;
    size_t in = (size_t)(c->model.emb_type ? c->model.emb_type : 5) + 2, total = 0;
    total += c->model.emb_type ? 5u * (size_t)c->model.emb_type : 0;
    for (int l = 0; l < c->model.layers; l++) {
        size_t h = (size_t)c->model.hidden[l];
        size_t bias = c->model.cell == CS_CELL_GRU ? 2 * h : h;
        total += (size_t)dirs * (size_t)gates * (h * in + h * h + bias);
        in = h * (size_t)dirs;
    }
    return total + in + 1;
}

/* ======================= data summary ======================= */
typedef struct sess { uint64_t key; int len; int pos; } sess;

static uint64_t hash_str(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h | 1;
}

static int len_bin(int len)
{
    int b = 0;
    for (int lim = 1; b < TUI_LEN_BINS - 1 && len > lim; lim *= 2) b++;
    return b;
}

static void simulated_summary(tui_data_info *info)
{
    memset(info, 0, sizeof *info);
    snprintf(info->name, sizeof info->name, "demo-shop (simulated)");
    info->simulated = 1;
    info->sessions = 20000;
    info->positives = 1420;
    info->rows_read = info->rows_used = 187000;
    static const long h[TUI_LEN_BINS] = {0, 2100, 3900, 4800, 4200, 2600, 1300, 700, 300, 80, 20, 0};
    memcpy(info->len_hist, h, sizeof h);
    info->mean_len = 9.35;
}

/* Column of the header whose name contains one of the needles; -1 if none. */
static int find_col(char *hdr, const char *a, const char *b)
{
    int col = 0;
    for (char *p = hdr; ; col++) {
        char *e = strpbrk(p, ",\t\n\r");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        if ((a && strstr(name, a)) || (b && strstr(name, b)))
            return col;
        if (!e || *e == '\n' || *e == '\r') return -1;
        p = e + 1;
    }
}

static const char *field(const char *line, int col, size_t *n)
{
    const char *p = line;
    for (int i = 0; i < col; i++) {
        p = strpbrk(p, ",\t");
        if (!p) { *n = 0; return ""; }
        p++;
    }
    const char *e = strpbrk(p, ",\t\r\n");
    *n = e ? (size_t)(e - p) : strlen(p);
    return p;
}

cs_status tui_eng_data_load(const cs_run_config *cfg, tui_data_info *info, cs_error *err)
{
    if (!cfg->data[0] || !strcmp(cfg->data, "demo")) {
        simulated_summary(info);
        return CS_OK;
    }
    FILE *f = fopen(cfg->data, "r");
    if (!f)
        return cs_error_set(err, CS_EIO, cfg->data, 0, 0, "cannot open: %s", strerror(errno));
    memset(info, 0, sizeof *info);
    const char *slash = strrchr(cfg->data, '/');
    snprintf(info->name, sizeof info->name, "%.127s", slash ? slash + 1 : cfg->data);
    char line[8192];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return cs_error_set(err, CS_EINPUT, cfg->data, 1, 0, "empty file");
    }
    int scol = find_col(line, "session", NULL), tcol = find_col(line, "event_type", NULL);
    int lcol = find_col(line, "Revenue", "label");
    size_t cap = 1u << 16, used = 0;
    sess *tab = calloc(cap, sizeof *tab);
    cs_status st = CS_OK;
    while (tab && fgets(line, sizeof line, f)) {
        info->rows_read++;
        size_t n;
        const char *s = scol >= 0 ? field(line, scol, &n) : line;
        if (scol < 0) n = (size_t)info->rows_read;   /* one row, one session (tables) */
        uint64_t k = scol >= 0 ? hash_str(s, n) : hash_str((const char *)&n, sizeof n);
        if (used * 2 >= cap) {   /* grow the open-addressing table */
            sess *nt = calloc(cap * 2, sizeof *nt);
            if (!nt) { st = cs_error_fmt(err, CS_ENOMEM, "out of memory"); break; }
            for (size_t i = 0; i < cap; i++)
                if (tab[i].key) {
                    size_t j = tab[i].key & (cap * 2 - 1);
                    while (nt[j].key) j = (j + 1) & (cap * 2 - 1);
                    nt[j] = tab[i];
                }
            free(tab); tab = nt; cap *= 2;
        }
        size_t j = k & (cap - 1);
        while (tab[j].key && tab[j].key != k) j = (j + 1) & (cap - 1);
        if (!tab[j].key) { tab[j].key = k; used++; }
        tab[j].len++;
        if (tcol >= 0) {
            const char *t = field(line, tcol, &n);
            if (n == 8 && !memcmp(t, "purchase", 8)) tab[j].pos = 1;
        }
        if (lcol >= 0) {
            const char *t = field(line, lcol, &n);
            if ((n == 4 && !strncasecmp(t, "true", 4)) || (n == 1 && t[0] == '1')) tab[j].pos = 1;
        }
    }
    fclose(f);
    if (!tab && st == CS_OK)
        st = cs_error_fmt(err, CS_ENOMEM, "out of memory");
    if (st == CS_OK) {
        info->rows_used = info->rows_read;
        double sum = 0;
        for (size_t i = 0; i < cap; i++)
            if (tab[i].key) {
                info->sessions++;
                info->positives += tab[i].pos;
                info->len_hist[len_bin(tab[i].len)]++;
                sum += tab[i].len;
            }
        info->mean_len = info->sessions ? sum / (double)info->sessions : 0;
    }
    free(tab);
    return st;
}

/* ======================= monitor ======================= */
struct tui_mon {
    pthread_mutex_t mu;
    cs_snapshot s;             /* the published state (owned) */
    int pause_req, stop_req;
};

tui_mon *tui_mon_new(void)
{
    tui_mon *m = calloc(1, sizeof *m);
    if (m)
        pthread_mutex_init(&m->mu, NULL);
    return m;
}

void tui_snapshot_free(cs_snapshot *s)
{
    free(s->hist);
    free(s->batch_loss);
    memset(s, 0, sizeof *s);
}

void tui_mon_free(tui_mon *m)
{
    if (!m) return;
    tui_snapshot_free(&m->s);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static int grow(void **p, size_t *cap, size_t need, size_t elt)
{
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need) nc *= 2;
    void *q = realloc(*p, nc * elt);
    if (!q) return -1;
    *p = q;
    *cap = nc;
    return 0;
}

int tui_mon_read(tui_mon *m, cs_snapshot *out)
{
    int changed = 0;
    pthread_mutex_lock(&m->mu);
    if (m->s.version != out->version &&
        !grow((void **)&out->hist, &out->cap_hist, m->s.n_hist, sizeof *out->hist) &&
        !grow((void **)&out->batch_loss, &out->cap_batch_loss, m->s.n_batch_loss, sizeof(float))) {
        cs_epoch *h = out->hist; float *b = out->batch_loss;
        size_t ch = out->cap_hist, cb = out->cap_batch_loss;
        *out = m->s;
        out->hist = h; out->batch_loss = b; out->cap_hist = ch; out->cap_batch_loss = cb;
        if (m->s.n_hist) memcpy(h, m->s.hist, m->s.n_hist * sizeof *h);
        if (m->s.n_batch_loss) memcpy(b, m->s.batch_loss, m->s.n_batch_loss * sizeof *b);
        changed = 1;
    }
    pthread_mutex_unlock(&m->mu);
    return changed;
}

void tui_mon_pause(tui_mon *m) { pthread_mutex_lock(&m->mu); m->pause_req = 1; pthread_mutex_unlock(&m->mu); }
void tui_mon_resume(tui_mon *m) { pthread_mutex_lock(&m->mu); m->pause_req = 0; pthread_mutex_unlock(&m->mu); }
void tui_mon_stop(tui_mon *m) { pthread_mutex_lock(&m->mu); m->stop_req = 1; pthread_mutex_unlock(&m->mu); }

void tui_run_free(tui_run *r)
{
    free(r->hist);
    free(r->batch_loss);
    r->hist = NULL; r->batch_loss = NULL;
    r->n_hist = r->n_batch_loss = 0;
}

/* ======================= simulated trainer ======================= */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Metrics of scores against labels at the F1-best threshold (small, O(n log n)). */
typedef struct scored { float p; uint8_t y; } scored;
static int by_p_desc(const void *a, const void *b)
{
    float x = ((const scored *)a)->p, y = ((const scored *)b)->p;
    return (x < y) - (x > y);
}

static void sim_metrics(scored *v, size_t n, cs_metrics *m)
{
    qsort(v, n, sizeof *v, by_p_desc);
    long P = 0;
    for (size_t i = 0; i < n; i++) P += v[i].y;
    long tp = 0, fp = 0, btp = 0, bfp = 0;
    double bestf = -1, thr = 0.5, ap = 0, auc = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].y) { tp++; ap += (double)tp / (double)(tp + fp); }
        else { fp++; auc += (double)tp; }
        double f = 2.0 * tp / (double)(P + tp + fp);
        if ((i + 1 == n || v[i + 1].p != v[i].p) && f > bestf) {
            bestf = f; thr = v[i].p; btp = tp; bfp = fp;
        }
    }
    memset(m, 0, sizeof *m);
    m->n = (long)n; m->positives = P;
    m->cm.tp = btp; m->cm.fp = bfp; m->cm.fn = P - btp; m->cm.tn = (long)n - P - bfp;
    m->threshold = thr;
    m->precision = btp + bfp ? (double)btp / (double)(btp + bfp) : 0;
    m->recall = P ? (double)btp / (double)P : 0;
    m->f1 = bestf;
    m->accuracy = (double)(m->cm.tp + m->cm.tn) / (double)n;
    m->pr_auc = P ? ap / (double)P : NAN;
    m->roc_auc = P && P < (long)n ? auc / ((double)P * (double)((long)n - P)) : NAN;
    m->loss = NAN;
}

static void publish(tui_mon *m, const cs_snapshot *s, const cs_epoch *e, const float *bl, size_t nbl)
{
    pthread_mutex_lock(&m->mu);
    uint64_t v = m->s.version + 1;
    cs_epoch *h = m->s.hist; float *b = m->s.batch_loss;
    size_t nh = m->s.n_hist, ch = m->s.cap_hist, cb = m->s.cap_batch_loss, nb = m->s.n_batch_loss;
    m->s = *s;
    m->s.version = v;
    m->s.hist = h; m->s.n_hist = nh; m->s.cap_hist = ch;
    m->s.batch_loss = b; m->s.n_batch_loss = nb; m->s.cap_batch_loss = cb;
    if (e && !grow((void **)&m->s.hist, &m->s.cap_hist, nh + 1, sizeof *e))
        m->s.hist[m->s.n_hist++] = *e;
    if (nbl && !grow((void **)&m->s.batch_loss, &m->s.cap_batch_loss, nb + nbl, sizeof(float))) {
        memcpy(m->s.batch_loss + nb, bl, nbl * sizeof(float));
        m->s.n_batch_loss += nbl;
    }
    pthread_mutex_unlock(&m->mu);
}

static void requests(tui_mon *m, int *pause, int *stop)
{
    pthread_mutex_lock(&m->mu);
    *pause = m->pause_req;
    *stop = m->stop_req;
    pthread_mutex_unlock(&m->mu);
}

/* CPU work standing in for one batch: n multiply-adds (dependent chains in 4 lanes, so
 * the compiler cannot fold them away). */
static float burn(double n, cs_rng *rng)
{
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0, w = 0.999f - (float)cs_rng_uniform(rng) * 1e-4f;
    for (long i = 0; i < (long)(n / 4); i++) {
        a0 = a0 * w + 1.0f; a1 = a1 * w + 0.5f; a2 = a2 * w + 0.25f; a3 = a3 * w + 0.125f;
    }
    return a0 + a1 + a2 + a3;
}

cs_status tui_eng_train(const cs_run_config *cfg, tui_mon *mon, tui_run *run, cs_error *err)
{
    cs_snapshot s;
    memset(&s, 0, sizeof s);
    s.state = CS_RUN_LOADING;
    s.epochs = cfg->epochs;
    snprintf(s.message, sizeof s.message, "loading %.240s", cfg->data[0] ? cfg->data : "demo");
    publish(mon, &s, NULL, NULL, 0);
    tui_data_info info;
    cs_status st = tui_eng_data_load(cfg, &info, err);
    if (st != CS_OK) {
        s.state = CS_RUN_FAILED;
        snprintf(s.message, sizeof s.message, "%.255s", err->msg);
        publish(mon, &s, NULL, NULL, 0);
        return st;
    }
    memset(run, 0, sizeof *run);
    run->cfg = *cfg;
    run->nparams = tui_eng_nparams(cfg);
    if (cfg->name[0]) snprintf(run->name, sizeof run->name, "%s", cfg->name);
    else snprintf(run->name, sizeof run->name, "%s-h%d", cells[cfg->model.cell > 2 ? 1 : cfg->model.cell], cfg->model.hidden[0]);
    cs_rng rng;
    cs_rng_seed(&rng, cfg->seed);
    long ntrain = (long)(info.sessions * cfg->train_frac);
    if (ntrain < 1) ntrain = 1;
    long batches = (ntrain + cfg->batch - 1) / cfg->batch;
    if (batches > 400) batches = 400;       /* bounded: a development stand-in */
    size_t nval = 2000;
    scored *val = malloc(nval * sizeof *val);
    float *bl = malloc((size_t)batches * sizeof *bl);
    uint8_t *lab = malloc(nval);
    float *noise = malloc(nval * sizeof *noise);
    if (!val || !bl || !lab || !noise) {
        free(val); free(bl); free(lab); free(noise);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    }
    double rate = info.sessions ? (double)info.positives / (double)info.sessions : 0.07;
    if (rate <= 0.005 || rate >= 0.995) rate = 0.07;
    for (size_t i = 0; i < nval; i++) {
        lab[i] = cs_rng_uniform(&rng) < rate;
        noise[i] = (float)cs_rng_normal(&rng);
    }
    double skill = cfg->model.cell == CS_CELL_LSTM ? 2.3 : cfg->model.cell == CS_CELL_GRU ? 2.2 : 1.6;
    skill *= 1.0 + 0.1 * log2((double)cfg->model.hidden[0] / 64.0 + 1.0);
    double speed = cfg->lr / 1e-3, t0 = now_s();
    int gates = cfg->model.cell == CS_CELL_LSTM ? 4 : cfg->model.cell == CS_CELL_GRU ? 3 : 1;
    /* about the multiply-adds of a recurrent layer over a batch: events x gates x h x (h + in) */
    double h = cfg->model.hidden[0] * (cfg->model.bidir ? 2.0 : 1.0);
    double madds = info.mean_len * cfg->batch * gates * h * (h + 24) * cfg->model.layers * 3 / 8;
    long events = (long)(info.mean_len * (double)cfg->batch);
    s.nparams = run->nparams;
    volatile float sink = 0;
    int best = 0, stop = 0, pause = 0;
    double best_pr = -1;
    for (int e = 1; e <= cfg->epochs && !stop; e++) {
        double te = now_s(), lsum = 0;
        for (long b = 0; b < batches; b++) {
            requests(mon, &pause, &stop);
            while (pause && !stop) {
                if (s.state != CS_RUN_PAUSED) { s.state = CS_RUN_PAUSED; publish(mon, &s, NULL, NULL, 0); }
                struct timespec ts = {0, 20 * 1000000L};
                nanosleep(&ts, NULL);
                requests(mon, &pause, &stop);
            }
            if (stop) break;
            sink += burn(madds, &rng);
            double prog = (e - 1 + (double)b / (double)batches) * speed;
            float l = (float)(0.25 + 0.45 * exp(-prog / 3.0) + 0.04 * cs_rng_normal(&rng));
            bl[b] = l;
            lsum += l;
            double el = now_s() - t0;
            s.state = CS_RUN_RUNNING;
            s.epoch = e; s.batch = b + 1; s.batches = batches;
            s.elapsed_s = el;
            double done = (e - 1) + (double)(b + 1) / (double)batches;
            s.eta_s = el / done * (cfg->epochs - done);
            s.events_per_s = (double)events * done * (double)batches / el;
            snprintf(s.message, sizeof s.message, "training %s", run->name);
            publish(mon, &s, NULL, &bl[b], 1);
        }
        if (stop) break;
        double q = skill * (1 - exp(-e * speed / 2.5));
        for (size_t i = 0; i < nval; i++) {
            double z = -2.2 + (lab[i] ? q : 0) + noise[i];
            val[i].p = (float)(1 / (1 + exp(-z)));
            val[i].y = lab[i];
        }
        cs_epoch ep;
        memset(&ep, 0, sizeof ep);
        ep.epoch = e;
        ep.train_loss = lsum / (double)batches;
        ep.valid_loss = ep.train_loss + 0.03 + 0.002 * e * e / cfg->epochs;
        sim_metrics(val, nval, &ep.valid);
        ep.seconds = now_s() - te;
        ep.events_per_s = (double)events * (double)batches / (ep.seconds > 0 ? ep.seconds : 1e-9);
        if (ep.valid.pr_auc > best_pr) { best_pr = ep.valid.pr_auc; best = e; run->test = ep.valid; run->threshold = ep.valid.threshold; }
        cs_epoch *nh = realloc(run->hist, (size_t)e * sizeof *nh);
        float *nb = realloc(run->batch_loss, (size_t)(e * batches) * sizeof *nb);
        if (nh) { run->hist = nh; run->hist[e - 1] = ep; run->n_hist = (size_t)e; }
        if (nb) { run->batch_loss = nb; memcpy(nb + (e - 1) * batches, bl, (size_t)batches * sizeof *bl); run->n_batch_loss = (size_t)(e * batches); }
        publish(mon, &s, &ep, NULL, 0);
        if (cfg->patience && e - best >= cfg->patience) break;
    }
    (void)sink;
    run->best_epoch = best;
    run->stopped = stop;
    run->seconds = now_s() - t0;
    s.state = stop ? CS_RUN_STOPPED : CS_RUN_DONE;
    s.test = run->test;
    s.has_test = best > 0;
    snprintf(s.message, sizeof s.message, "%s %s after %zu epochs", run->name,
             stop ? "stopped" : "done", run->n_hist);
    publish(mon, &s, NULL, NULL, 0);
    free(val); free(bl); free(lab); free(noise);
    return CS_OK;
}

/* ======================= run store ======================= */
/* dir/NAME/{config.txt, history.csv, batches.csv, summary.txt}; config.txt is
 * "key = value" lines of every parameter plus the run's facts. */
static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int bad = fputs(text, f) < 0;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

typedef struct sbuf { char *p; size_t n, cap; } sbuf;
static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) return;
        if (b->p && b->n + (size_t)k < b->cap) { b->n += (size_t)k; return; }
        size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)k;
        char *q = realloc(b->p, nc);
        if (!q) return;
        b->p = q; b->cap = nc;
    }
}

cs_status tui_runs_save(const char *dir, tui_run *run, cs_error *err)
{
    char tmp[1024], fin[1024], path[1100];
    mkdir(dir, 0777);
    for (int k = 1; ; k++) {
        char name[64];
        if (k == 1) snprintf(name, sizeof name, "%s", run->name);
        else snprintf(name, sizeof name, "%.56s-%d", run->name, k);
        snprintf(fin, sizeof fin, "%s/%s", dir, name);
        struct stat st;
        if (stat(fin, &st) != 0) { snprintf(run->name, sizeof run->name, "%s", name); break; }
        if (k > 999) return cs_error_set(err, CS_EIO, fin, 0, 0, "too many runs with this name");
    }
    snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%ld", dir, run->name, (long)getpid());
    if (mkdir(tmp, 0777) != 0)
        return cs_error_set(err, CS_EIO, tmp, 0, 0, "cannot create: %s", strerror(errno));
    sbuf b = {0};
    sb_printf(&b, "name = %s\n", run->name);
    for (size_t i = 0; i < NPARAMS; i++) {
        char v[128];
        tui_eng_param_get(&run->cfg, params[i].name, v, sizeof v);
        sb_printf(&b, "%s = %s\n", params[i].name, v);
    }
    sb_printf(&b, "data = %s\nnparams = %zu\nseconds = %.3f\nbest_epoch = %d\nthreshold = %.6f\n"
              "stopped = %d\n", run->cfg.data, run->nparams, run->seconds, run->best_epoch,
              run->threshold, run->stopped);
    snprintf(path, sizeof path, "%s/config.txt", tmp);
    int bad = !b.p || write_file(path, b.p);
    b.n = 0;
    sb_printf(&b, "epoch,train_loss,valid_loss,threshold,tp,fp,tn,fn,precision,recall,f1,roc_auc,"
                  "pr_auc,accuracy,seconds,events_per_s\n");
    for (size_t i = 0; i < run->n_hist; i++) {
        const cs_epoch *e = &run->hist[i];
        sb_printf(&b, "%d,%.6f,%.6f,%.6f,%ld,%ld,%ld,%ld,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f,%.0f\n",
                  e->epoch, e->train_loss, e->valid_loss, e->valid.threshold, e->valid.cm.tp,
                  e->valid.cm.fp, e->valid.cm.tn, e->valid.cm.fn, e->valid.precision,
                  e->valid.recall, e->valid.f1, e->valid.roc_auc, e->valid.pr_auc,
                  e->valid.accuracy, e->seconds, e->events_per_s);
    }
    snprintf(path, sizeof path, "%s/history.csv", tmp);
    bad |= !b.p || write_file(path, b.p);
    b.n = 0;
    sb_printf(&b, "batch,loss\n");
    for (size_t i = 0; i < run->n_batch_loss; i++)
        sb_printf(&b, "%zu,%.6f\n", i + 1, run->batch_loss[i]);
    snprintf(path, sizeof path, "%s/batches.csv", tmp);
    bad |= !b.p || write_file(path, b.p);
    b.n = 0;
    const cs_metrics *t = &run->test;
    sb_printf(&b, "tp = %ld\nfp = %ld\ntn = %ld\nfn = %ld\nprecision = %.6f\nrecall = %.6f\n"
              "f1 = %.6f\nroc_auc = %.6f\npr_auc = %.6f\naccuracy = %.6f\n", t->cm.tp, t->cm.fp,
              t->cm.tn, t->cm.fn, t->precision, t->recall, t->f1, t->roc_auc, t->pr_auc, t->accuracy);
    snprintf(path, sizeof path, "%s/summary.txt", tmp);
    bad |= !b.p || write_file(path, b.p);
    free(b.p);
    if (bad || rename(tmp, fin) != 0)
        return cs_error_set(err, CS_EIO, fin, 0, 0, "cannot write the run: %s", strerror(errno));
    return CS_OK;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ')) *--e = '\0';
    return s;
}

cs_status tui_runs_load(const char *dir, const char *name, tui_run *run, cs_error *err)
{
    char path[1100], line[1024];
    memset(run, 0, sizeof *run);
    tui_eng_config_init(&run->cfg);
    snprintf(run->name, sizeof run->name, "%s", name);
    snprintf(path, sizeof path, "%s/%s/config.txt", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "no such run: %s", strerror(errno));
    for (long ln = 1; fgets(line, sizeof line, f); ln++) {
        char *eq = strchr(line, '=');
        if (!eq) continue;
        *eq = '\0';
        char *k = trim(line), *v = trim(eq + 1);
        if (tui_eng_param_find(k)) tui_eng_param_set(&run->cfg, k, v, NULL);
        else if (!strcmp(k, "nparams")) run->nparams = strtoul(v, NULL, 10);
        else if (!strcmp(k, "seconds")) run->seconds = strtod(v, NULL);
        else if (!strcmp(k, "best_epoch")) run->best_epoch = atoi(v);
        else if (!strcmp(k, "threshold")) run->threshold = strtod(v, NULL);
        else if (!strcmp(k, "stopped")) run->stopped = atoi(v);
        else if (!strcmp(k, "data")) snprintf(run->cfg.data, sizeof run->cfg.data, "%s", v);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/%s/history.csv", dir, name);
    if (!(f = fopen(path, "r")))
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "cannot open: %s", strerror(errno));
    size_t cap = 0;
    for (long ln = 1; fgets(line, sizeof line, f); ln++) {
        if (ln == 1) continue;
        cs_epoch e;
        memset(&e, 0, sizeof e);
        cs_metrics *m = &e.valid;
        int k = sscanf(line, "%d,%lf,%lf,%lf,%ld,%ld,%ld,%ld,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf",
                       &e.epoch, &e.train_loss, &e.valid_loss, &m->threshold, &m->cm.tp, &m->cm.fp,
                       &m->cm.tn, &m->cm.fn, &m->precision, &m->recall, &m->f1, &m->roc_auc,
                       &m->pr_auc, &m->accuracy, &e.seconds, &e.events_per_s);
        if (k != 16) {
            fclose(f);
            tui_run_free(run);
            return cs_error_set(err, CS_EINPUT, path, ln, 0, "expected 16 numbers, read %d", k);
        }
        m->n = m->cm.tp + m->cm.fp + m->cm.tn + m->cm.fn;
        m->positives = m->cm.tp + m->cm.fn;
        if (grow((void **)&run->hist, &cap, run->n_hist + 1, sizeof e)) break;
        run->hist[run->n_hist++] = e;
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/%s/batches.csv", dir, name);
    cap = 0;
    if ((f = fopen(path, "r"))) {
        size_t i;
        float l;
        if (fgets(line, sizeof line, f))
            while (fscanf(f, "%zu,%f\n", &i, &l) == 2 &&
                   !grow((void **)&run->batch_loss, &cap, run->n_batch_loss + 1, sizeof l))
                run->batch_loss[run->n_batch_loss++] = l;
        fclose(f);
    }
    if (run->best_epoch >= 1 && (size_t)run->best_epoch <= run->n_hist)
        run->test = run->hist[run->best_epoch - 1].valid;
    return CS_OK;
}

typedef struct named { char name[64]; double mtime; } named;
static int by_mtime(const void *a, const void *b)
{
    const named *x = a, *y = b;
    if (x->mtime != y->mtime) return x->mtime < y->mtime ? -1 : 1;
    return strcmp(x->name, y->name);
}

int tui_runs_list(const char *dir, char (*names)[64], int max)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    named *v = calloc((size_t)(max > 0 ? max : 1), sizeof *v);
    int n = 0;
    struct dirent *de;
    while (v && n < max && (de = readdir(d))) {
        if (de->d_name[0] == '.' || strlen(de->d_name) >= 64) continue;
        char p[1100];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s/history.csv", dir, de->d_name);
        if (stat(p, &st) != 0) continue;
        snprintf(v[n].name, sizeof v[n].name, "%s", de->d_name);
        v[n].mtime = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9;
        n++;
    }
    closedir(d);
    if (v) qsort(v, (size_t)n, sizeof *v, by_mtime);
    for (int i = 0; i < n; i++) memcpy(names[i], v[i].name, 64);
    free(v);
    return n;
}
