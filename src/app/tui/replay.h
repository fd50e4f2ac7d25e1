/* replay.h — the replay screen: a saved run played back epoch by epoch (replay.c). */
#ifndef CLICKSEQ_TUI_REPLAY_H
#define CLICKSEQ_TUI_REPLAY_H

#include "app/tui/engine.h"
#include "app/tui/screen.h"

typedef struct tui_replay_state {
    tui_run run;              /* owned when have */
    int have, paused;
    double pos, speed;        /* epochs shown (fractional), epochs per second */
} tui_replay_state;

extern const tui_screen tui_replay_screen;
tui_replay_state *tui_replay(void);
/* Load the run and play it at speed epochs/s: reaction bits. */
int tui_replay_open(tui_app *a, const char *name, double speed);

#endif
