/* fmt.h — text formats shared by the headless commands and the workbench (app layer;
 * no dependencies, so the workbench's pure drawing code and its tests can link it). */
#ifndef CLICKSEQ_APP_FMT_H
#define CLICKSEQ_APP_FMT_H

#include <stddef.h>

/* A duration as M:SS, or H:MM:SS from an hour on; "--:--" when unknown (NaN, negative or
 * absurdly large).  Returns buf. */
char *app_fmt_dur(double s, char *buf, size_t n);

#endif
