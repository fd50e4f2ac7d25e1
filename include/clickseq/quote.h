/* quote.h — strings stored in text files and shown to a terminal.
 *
 * Stored values ("key = value" lines of config.txt, and the elements of a stored list such
 * as type_names) are written as they are when that reads back exactly, else quoted:
 *   "..." with \\ \" \n \r \t and \xNN for the other control bytes.
 * A value is quoted when it has a control byte, leading or trailing blanks, starts with '"'
 * or holds one of the `special` bytes (',' for list elements); an empty value stays empty.  Files written before quoting existed hold raw values; a
 * raw value that does not start with '"' reads back unchanged. */
#ifndef CLICKSEQ_QUOTE_H
#define CLICKSEQ_QUOTE_H

#include <stddef.h>

/* The stored form of s (malloc'd; NULL when out of memory). */
char *cs_quote_value(const char *s, const char *special);
/* Read a quoted value starting at s[0] == '"': the decoded text (malloc'd) in *out and the
 * byte after the closing quote in *end.  Returns 0, or -1 for a bad quoted value (no
 * closing quote, a bad escape, an escaped NUL) or when out of memory (*out NULL both ways). */
int cs_unquote_value(const char *s, char **out, const char **end);
/* s for a terminal or a message: control bytes and DEL escaped (\n, \t, \r, \xNN), the
 * rest as is; at most cap - 1 bytes, cut with "..." if longer.  Returns buf. */
const char *cs_show_str(char *buf, size_t cap, const char *s);

#endif
