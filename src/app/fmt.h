/* fmt.h — text formats shared by the headless commands and the workbench (app layer;
 * no dependencies, so the workbench's pure drawing code and its tests can link it). */
#ifndef CLICKSEQ_APP_FMT_H
#define CLICKSEQ_APP_FMT_H

#include <stddef.h>

/* A duration as M:SS, or H:MM:SS from an hour on; "--:--" when unknown (NaN, negative or
 * absurdly large).  Returns buf. */
char *app_fmt_dur(double s, char *buf, size_t n);

/* A size in bytes, decimal units: "812 B", "45.3 kB", "312.4 MB", "1.05 GB".  Returns buf. */
char *app_fmt_bytes(double bytes, char *buf, size_t n);

/* The words of a load's progress line, shortest last: "312.4 MB / 1.05 GB  30%  1.2M
 * rows/s  ETA 0:03" (bytes_total 0: not known yet; eta_s < 0: "ETA -").  variant 0 is the
 * longest, 3 the shortest ("30% 1.05 GB"); parsed: the file is read, the sessions are being
 * built.  Returns buf. */
char *app_fmt_load(size_t bytes_done, size_t bytes_total, double rows_per_s, double eta_s,
                   int parsed, int variant, char *buf, size_t n);

#endif
