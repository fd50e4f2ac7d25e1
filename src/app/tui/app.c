/* app.c — placeholder until its area lands (see HACKING.md). */
#include <stdio.h>
#include "app/commands.h"
int cmd_tui(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "clickseq %s: not built yet\n", argv[0]);
    return 1;
}
