/* weights_cmp.c — test helper: compare two model.bin files element by element.
 *   weights_cmp A/model.bin B/model.bin TOL
 * prints the largest difference relative to max(|a|, |b|, 1e-2 * max|w|) (the floor keeps
 * weights that pass through zero from dividing by nothing) and exits 0 when it is <= TOL,
 * 1 when it is larger or the layouts differ, 2 on a read error.  Also prints how many
 * elements differ at all (0 means bit-identical) and max|a - b| / max|a|. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "clickseq/weights.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: weights_cmp A/model.bin B/model.bin TOL\n");
        return 2;
    }
    cs_weights a, b;
    cs_error err;
    if (cs_weights_read(argv[1], &a, &err) || cs_weights_read(argv[2], &b, &err)) {
        fprintf(stderr, "weights_cmp: %s\n", err.msg);
        return 2;
    }
    double tol = atof(argv[3]);
    if (a.nparams != b.nparams || a.config_hash != b.config_hash) {
        printf("layouts differ: %zu vs %zu parameters\n", a.nparams, b.nparams);
        return 1;
    }
    double wmax = 0;
    for (size_t i = 0; i < a.nparams; i++)
        wmax = fmax(wmax, fabs(a.w[i]));
    double worst = 0;
    size_t at = 0, differ = 0;
    for (size_t i = 0; i < a.nparams; i++) {
        double d = fabs((double)a.w[i] - (double)b.w[i]);
        double scale = fmax(fmax(fabs(a.w[i]), fabs(b.w[i])), 1e-2 * wmax);
        double r = scale > 0 ? d / scale : d;
        differ += a.w[i] != b.w[i];
        if (!(r <= worst)) {
            worst = r;
            at = i;
        }
    }
    double dmax = 0;
    for (size_t i = 0; i < a.nparams; i++)
        dmax = fmax(dmax, fabs((double)a.w[i] - (double)b.w[i]));
    printf("%zu parameters, %zu differ, worst relative difference %.3g at %zu (%.9g vs %.9g), "
           "max|a-b|/max|a| %.3g\n", a.nparams, differ, worst, at, a.nparams ? a.w[at] : 0.0,
           a.nparams ? b.w[at] : 0.0, wmax > 0 ? dmax / wmax : dmax);
    int rc = worst <= tol ? 0 : 1;
    cs_weights_free(&a);
    cs_weights_free(&b);
    return rc;
}
