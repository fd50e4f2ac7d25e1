/* compare.h — the compare screen: 2 to 4 saved runs side by side (compare.c). */
#ifndef CLICKSEQ_TUI_COMPARE_H
#define CLICKSEQ_TUI_COMPARE_H

#include "app/tui/engine.h"
#include "app/tui/screen.h"

#define TUI_CMP_MAX 4
typedef struct tui_compare_state {
    tui_run run[TUI_CMP_MAX];     /* loaded with their histories (owned) */
    int n;
    int metric;                   /* 0 loss, 1 F1, 2 PR-AUC */
} tui_compare_state;

extern const tui_screen tui_compare_screen;
tui_compare_state *tui_compare(void);
/* Load the n (2..4) runs and show them: reaction bits (a message when one cannot be read). */
int tui_compare_open(tui_app *a, const char *const *names, int n);

#endif
