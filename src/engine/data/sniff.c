/* sniff.c — the first line of a delimited file (see sniff.h). */
#include "clickseq/sniff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/data/csvread.h"

char cs_sniff_delim(const char *line, size_t n, char fallback, int *found)
{
    static const char cand[4] = {',', ';', '\t', '|'};
    size_t cnt[4] = {0, 0, 0, 0};
    int q = 0;
    for (size_t i = 0; i < n; i++) {
        if (line[i] == '"') { q = !q; continue; }
        if (q) continue;
        for (int k = 0; k < 4; k++)
            cnt[k] += line[i] == cand[k];
    }
    int best = -1;
    for (int k = 0; k < 4; k++)
        if (cnt[k] > 0 && (best < 0 || cnt[k] > cnt[best] || (cnt[k] == cnt[best] && cand[k] == fallback)))
            best = k;
    if (found) *found = best >= 0;
    return best >= 0 ? cand[best] : fallback;
}

const char *cs_delim_name(char d)
{
    switch (d) {
    case ',': return "','";
    case ';': return "';'";
    case '\t': return "tab";
    case '|': return "'|'";
    default: return "'?'";
    }
}

/* the 0-based column of the first line named name (quotes stripped, spaces trimmed) */
static int find_field(const char *line, size_t n, char delim, const char *name, int *ncols)
{
    int col = 0, hit = -1;
    size_t i = 0, nl = strlen(name);
    for (;;) {
        size_t a = i;
        int q = 0;
        while (i < n && (q || line[i] != delim)) { if (line[i] == '"') q = !q; i++; }
        size_t b = i;
        while (a < b && (line[a] == ' ' || line[a] == '\t' || line[a] == '"')) a++;
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t' || line[b - 1] == '"')) b--;
        if (hit < 0 && nl && b - a == nl && !memcmp(line + a, name, nl)) hit = col;
        col++;
        if (i >= n) break;
        i++;
    }
    *ncols = col;
    return hit;
}

cs_status cs_sniff_file(const char *path, const char *label, cs_sniff *s, cs_error *err)
{
    memset(s, 0, sizeof *s);
    s->label_col = -1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    enum { CAP = 65536 };   /* only the first line matters */
    char *buf = malloc(CAP), *b = buf;
    if (!buf) { fclose(f); return cs_error_fmt(err, CS_ENOMEM, "out of memory"); }
    size_t n = fread(buf, 1, CAP, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); return cs_error_set(err, CS_EIO, path, 0, 0, "cannot read"); }
    if (n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3)) { b += 3; n -= 3; }
    size_t e = 0;
    int q = 0;
    while (e < n && (q || (b[e] != '\n' && b[e] != '\r'))) { if (b[e] == '"') q = !q; e++; }
    char fallback = csv_default_delim(path);
    s->delim = cs_sniff_delim(b, e, fallback, &s->sniffed);
    int lc = find_field(b, e, s->delim, label ? label : "", &s->ncols);
    s->label_col = label && *label ? lc : -1;
    size_t c = e < sizeof s->line - 1 ? e : sizeof s->line - 1;
    memcpy(s->line, b, c);
    s->line[c] = '\0';
    free(buf);
    return CS_OK;
}
