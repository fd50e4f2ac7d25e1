/* csvfield.h — one CSV field as RFC 4180 writes it (core layer), for every CSV clickseq
 * writes with user text in it (results tables, session ids, run names). */
#ifndef CLICKSEQ_CSVFIELD_H
#define CLICKSEQ_CSVFIELD_H

#include <stddef.h>

/* Where the bytes go: a stream, a growing buffer... */
typedef void (*cs_put_fn)(void *ud, const char *p, size_t n);

/* s as it is when it holds no comma, double quote, CR or LF; else in double quotes with
 * each inner double quote doubled. */
void cs_csv_field(const char *s, cs_put_fn put, void *ud);

#endif
