/* sniff.h — what the first line of a CSV/TSV file says about it, before a load: the
 * delimiter (`,` `;` tab `|`, counted outside quotes), the columns, and whether it is a
 * features table (a column named like the table's label).  The pipeline uses it when the
 * delimiter or the format is auto; the workbench and `inspect` report what was guessed. */
#ifndef CLICKSEQ_SNIFF_H
#define CLICKSEQ_SNIFF_H

#include <stddef.h>

#include "clickseq/error.h"

typedef struct cs_sniff {
    char delim;          /* the delimiter: the most frequent candidate in the first line,
                            else the default by extension (tab for .tsv/.tab, else ',') */
    int sniffed;         /* 1: found in the first line; 0: the default (nothing to count) */
    int ncols;           /* fields of the first line with that delimiter */
    int label_col;       /* 0-based column named exactly `label`, or -1 */
    char line[256];      /* the first line (no BOM, no line end), cut to fit */
} cs_sniff;

/* Read the first line of path (at most 64 KiB) and fill s.  label may be NULL
 * (then label_col is -1).  CS_EIO with a message naming the file when it cannot be read. */
cs_status cs_sniff_file(const char *path, const char *label, cs_sniff *s, cs_error *err);
/* The delimiter of one line of n bytes (quotes respected); fallback when none occurs.
 * *found (may be NULL) is set to 1 when a candidate was counted. */
char cs_sniff_delim(const char *line, size_t n, char fallback, int *found);
/* "','", "';'", "tab", "'|'" ... for messages. */
const char *cs_delim_name(char d);

#endif
