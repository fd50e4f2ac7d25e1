/* quitask.h — the quit prompt (SCR_QUIT): `q` (or ^C, or :quit) while a run trains asks
 * whether to stop and save it, keep training, or quit without saving it (quitask.c). */
#ifndef CLICKSEQ_TUI_QUITASK_H
#define CLICKSEQ_TUI_QUITASK_H

#include "app/tui/screen.h"

typedef struct tui_quit_state {
    tui_screen_id back;        /* the screen the prompt was opened over */
} tui_quit_state;

extern const tui_screen tui_quit_screen;
tui_quit_state *tui_quit(void);
/* :quit / q / ^C: R_QUIT at once when nothing is training, else the prompt (R_REDRAW). */
int tui_quit_ask(tui_app *a);

#endif
