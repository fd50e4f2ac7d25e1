/* fuzz_run.c — libFuzzer harness for the run-file readers (runstore.c, runfile.c; see
 * fuzz/run.sh).  Built once per file with -DRUNFILE='"config.txt"' (or summary.txt,
 * history.csv, batches.csv, model.bin, or ".live": a live record) and -DTEMPLATE='"<src>/tests/fixtures/runs/seq"'.
 *
 * Each input becomes that one file of an otherwise valid run (the template's other
 * files, copied once into a private directory under /dev/shm), then:
 *   - cs_run_load(CS_RUN_ALL) and, when it succeeds, cs_run_model_new;
 *   - cs_run_list of the parent: the run is either listed or counted bad, never lost;
 *   - config.txt: cs_run_config_parse of the text; an accepted text that also passes
 *     cs_run_config_check must reach a fixed point: format(parse(x)) parses back to the
 *     same formatted text (an unchecked one, e.g. layers 3 with hidden 2,3, need not);
 *   - model.bin: cs_weights_read; an accepted file must be written back byte for byte
 *     identical by cs_weights_write (the format has exactly one encoding); each input is
 *     also tried with its CRC-32 recomputed, to get past the checksum;
 *   - ".live" (RUNFILE): the input is the live record ROOT/.wip.live of a run not saved
 *     yet: cs_live_read; an accepted record keeps its invariants (counts, batch range,
 *     its run's place) and, written back through a snapshot by cs_live_write, reads back
 *     with the same history and batch losses; cs_live_find of ROOT lists it once.
 * ASan/LSan/UBSan report crashes, leaks and undefined behaviour; the checks above abort. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clickseq/live.h"
#include "clickseq/runstore.h"

#ifndef RUNFILE
#error "build with -DRUNFILE='\"config.txt\"' (see fuzz/run.sh)"
#endif
#ifndef TEMPLATE
#error "build with -DTEMPLATE='\"<srcdir>/tests/fixtures/runs/seq\"'"
#endif

static char root[256], rundir[300], target[400], scratch[400];

static void put(const char *path, const void *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || (n && write(fd, data, n) != (ssize_t)n) || close(fd) != 0)
        abort();
}

static void copy_template(void)
{
    static const char *const files[] = {"config.txt", "summary.txt", "history.csv", "batches.csv",
                                        "model.bin"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char src[512], dst[512];
        snprintf(src, sizeof src, "%s/%s", TEMPLATE, files[i]);
        snprintf(dst, sizeof dst, "%s/%s", rundir, files[i]);
        FILE *f = fopen(src, "rb");
        if (!f)
            abort();
        char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        put(dst, buf, n);
    }
}

static void cleanup(void)
{
    static const char *const files[] = {"config.txt", "summary.txt", "history.csv", "batches.csv",
                                        "model.bin"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", rundir, files[i]);
        unlink(p);
    }
    unlink(scratch);
    if (!strcmp(RUNFILE, ".live")) {
        char p[512];
        unlink(target);
        snprintf(p, sizeof p, "%s/.back.live", root);
        unlink(p);
    }
    rmdir(rundir);
    rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* libFuzzer ends with _Exit (no atexit) when its time is up: run.sh passes a scratch
     * directory it removes afterwards */
    const char *base = getenv("CLICKSEQ_FUZZ_TMP");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(root, sizeof root, "%s/clickseq-fuzz-run-XXXXXX", base);
    if (!mkdtemp(root))
        abort();
    snprintf(rundir, sizeof rundir, "%s/run", root);
    if (!strcmp(RUNFILE, ".live"))
        snprintf(target, sizeof target, "%s/.wip.live", root);
    else
        snprintf(target, sizeof target, "%s/%s", rundir, RUNFILE);
    snprintf(scratch, sizeof scratch, "%s/weights.out", root);
    if (mkdir(rundir, 0755) != 0)
        abort();
    copy_template();
    atexit(cleanup);
    return 0;
}

static void config_fixed_point(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    cs_run_config a, b;
    cs_run_config_init(&a);
    cs_error err;
    if (cs_run_config_parse(&a, text, "config.txt", 1, &err) == CS_OK &&
        cs_run_config_check(&a, &err) == CS_OK) {
        char *fa = cs_run_config_format(&a);
        cs_run_config_init(&b);
        if (!fa || cs_run_config_parse(&b, fa, "formatted", 0, &err) != CS_OK) {
            fprintf(stderr, "formatted config does not parse: %s\n", err.msg);
            abort();
        }
        char *fb = cs_run_config_format(&b);
        if (!fb || strcmp(fa, fb)) {
            fprintf(stderr, "config text is not a fixed point:\n%s\n----\n%s\n", fa, fb ? fb : "");
            abort();
        }
        free(fa);
        free(fb);
    } else if (err.code != CS_EINPUT) {
        abort();
    } else {
        free(cs_run_config_format(&a));   /* an unchecked config still formats */
    }
    free(text);
}

static void weights_round_trip(const uint8_t *data, size_t size)
{
    cs_weights w;
    cs_error err;
    if (cs_weights_read(target, &w, &err) != CS_OK) {
        if (err.code != CS_EINPUT)
            abort();
        return;
    }
    if (cs_weights_write(scratch, &w, &err) != CS_OK)
        abort();
    cs_weights_free(&w);
    FILE *f = fopen(scratch, "rb");
    if (!f)
        abort();
    uint8_t *back = malloc(size + 1);
    size_t n = back ? fread(back, 1, size + 1, f) : 0;
    fclose(f);
    if (n != size || memcmp(back, data, size)) {
        fprintf(stderr, "model.bin accepted but written back differently (%zu vs %zu bytes)\n", n, size);
        abort();
    }
    free(back);
}

static void load_once(const uint8_t *data, size_t size);

/* the live record: read, check, write back, read again */
static void live_once(const uint8_t *data, size_t size)
{
    put(target, data, size);
    cs_live l, b;
    cs_error err;
    cs_status s = cs_live_read(target, &l, &err);
    if (s != CS_OK) {
        if (s != CS_EINPUT || l.hist || l.batch_loss)
            abort();
    } else {
        char want[600];
        snprintf(want, sizeof want, "%s/%s", root, l.name);
        if ((l.n_hist && !l.hist) || (l.n_batch && !l.batch_loss) || l.n_batch > CS_LIVE_BATCHES ||
            l.batch_first + l.n_batch != l.batch_total || strcmp(l.run, want))
            abort();
        cs_snapshot snap;   /* the record as a monitor snapshot of the whole run */
        memset(&snap, 0, sizeof snap);
        snap.state = l.state;
        snap.epoch = l.epoch;
        snap.epochs = l.epochs;
        snap.batch = l.batch;
        snap.batches = l.batches;
        snap.nparams = l.nparams;
        snap.hist = l.hist;
        snap.n_hist = l.n_hist;
        snap.n_batch_loss = l.n_batch;
        snap.batch_loss = l.batch_loss;
        char back[600];
        snprintf(back, sizeof back, "%s/back", root);
        cs_live_meta meta = {l.started, l.desc, l.state};
        if (cs_live_write(back, &meta, &snap, &err) != CS_OK) {
            fprintf(stderr, "an accepted record does not write back: %s\n", err.msg);
            abort();
        }
        char bpath[700];
        cs_live_path(back, bpath, sizeof bpath);
        if (cs_live_read(bpath, &b, &err) != CS_OK) {
            fprintf(stderr, "a record written back does not read: %s\n", err.msg);
            abort();
        }
        if (b.n_hist != l.n_hist || b.n_batch != l.n_batch || b.state != l.state || b.epochs != l.epochs ||
            strcmp(b.desc, l.desc))
            abort();
        for (size_t i = 0; i < l.n_batch; i++)
            if (memcmp(&b.batch_loss[i], &l.batch_loss[i], sizeof(float)) && !(isnan(b.batch_loss[i]) && isnan(l.batch_loss[i])))
                abort();
        for (size_t i = 0; i < l.n_hist; i++)
            if (b.hist[i].epoch != l.hist[i].epoch || b.hist[i].valid.cm.tp != l.hist[i].valid.cm.tp)
                abort();
        cs_live_free(&b);
        unlink(bpath);
        cs_live_free(&l);
    }
    cs_live_entry *e = NULL;
    size_t n = 0;
    if (cs_live_find(root, 4, &e, &n, &err) != CS_OK || n != 1)
        abort();
    free(e);
}

/* model.bin: a checksum guards the file, so mutations rarely get past it; load a copy
 * with the CRC-32 recomputed too, which lets the fuzzer reach the header checks and the
 * model build behind it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!strcmp(RUNFILE, ".live")) {
        live_once(data, size);
        return 0;
    }
    load_once(data, size);
    if (!strcmp(RUNFILE, "model.bin") && size >= 8) {
        uint8_t *fixed = malloc(size);
        if (!fixed)
            abort();
        memcpy(fixed, data, size);
        uint32_t c = cs_crc32(fixed, size - 4);
        for (int i = 0; i < 4; i++)
            fixed[size - 4 + i] = (uint8_t)(c >> (8 * i));
        load_once(fixed, size);
        free(fixed);
    }
    return 0;
}

static void load_once(const uint8_t *data, size_t size)
{
    put(target, data, size);
    cs_run r;
    cs_error err;
    cs_status s = cs_run_load(rundir, CS_RUN_ALL, &r, &err);
    if (s == CS_OK) {
        if ((r.n_hist && !r.hist) || (r.n_batch && (!r.batch_loss || !r.batch_epoch)))
            abort();
        cs_model *m;
        if (cs_run_model_new(&r, &m, &err) == CS_OK)
            cs_model_free(m);
        cs_run_free(&r);
    } else if (s != CS_EINPUT) {
        fprintf(stderr, "unexpected status %d: %s\n", (int)s, err.msg);
        abort();
    }
    cs_run *runs;
    size_t n, n_bad;
    if (cs_run_list(root, CS_RUN_ALL, &runs, &n, &n_bad, &err) != CS_OK || n + n_bad != 1 ||
        (n == 1) != (s == CS_OK))
        abort();
    cs_run_list_free(runs, n);
    if (!strcmp(RUNFILE, "config.txt"))
        config_fixed_point(data, size);
    if (!strcmp(RUNFILE, "model.bin"))
        weights_round_trip(data, size);
}
