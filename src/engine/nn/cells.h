/* cells.h (internal) — the element-wise part of one time step of a recurrent cell.
 *
 * The matrix products (input part gx = X·W_ihᵀ + b_ih for all packed steps at once, the
 * recurrent part gh = h_prev·W_hhᵀ (+ b_hh) per step) are done by the layer driver in
 * model.c; a cell only combines them.  G is the number of gate blocks of H columns
 * (RNN 1, GRU 3 in order r,z,n, LSTM 4 in order i,f,g,o — PyTorch's orders).
 */
#ifndef CS_CELLS_H
#define CS_CELLS_H

/* "The iterations of the next loop are independent" (the restrict rows do not overlap),
 * in each compiler's spelling. */
#if defined(__clang__)
#define CS_IVDEP _Pragma("clang loop vectorize(assume_safety)")
#else
#define CS_IVDEP _Pragma("GCC ivdep")
#endif

typedef struct cs_cell_ops {
    const char *name;
    int G;          /* gate blocks */
    int sep_bias;   /* 1: a separate recurrent bias b_hh (GRU); else a single bias */
    int has_c;      /* 1: a cell state (LSTM) */
    int sep_dgh;    /* 1: d(recurrent pre-activation) differs from d(input pre-activation) */
    /* Forward, n rows.  gx[n,GH], gh[n,GH] pre-activations; hp[n,H] previous hidden
     * (zero rows where there is none), cp[n,H] previous cell (LSTM, else NULL).
     * Writes act[n,GH] (cached activations), h[n,H] with row stride ldh, c[n,H] (LSTM). */
    void (*fwd)(int n, int H, const float *gx, const float *gh, const float *hp, const float *cp,
                float *act, float *h, int ldh, float *c);
    /* Backward, n rows.  dh[n,H] (stride ldd): total dL/dh of this step; dc[n,H]: dL/dc
     * arriving from the next step (LSTM).  Writes dgx[n,GH] = dL/d(input pre-activation),
     * dgh[n,GH] = dL/d(recurrent pre-activation) (only when sep_dgh), dhp[n,H] = the
     * element-wise part of dL/dh_prev (the driver adds dgh·W_hh), dcp[n,H] = dL/dc_prev. */
    void (*bwd)(int n, int H, const float *dh, int ldd, const float *dc, const float *act,
                const float *gh, const float *hp, const float *cp, const float *c,
                float *dgx, float *dgh, float *dhp, float *dcp);
} cs_cell_ops;

extern const cs_cell_ops cs_cell_rnn_ops, cs_cell_gru_ops, cs_cell_lstm_ops;

#endif
