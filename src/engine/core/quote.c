/* quote.c — stored and shown strings (quote.h). */
#include "clickseq/quote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int needs_quote(const char *s, const char *special)
{
    size_t n = strlen(s);
    if (!n)
        return 0;
    if (s[0] == '"' || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (special && strchr(special, *p)))
            return 1;
    return 0;
}

char *cs_quote_value(const char *s, const char *special)
{
    if (!needs_quote(s, special))
        return strdup(s);
    size_t n = strlen(s);
    char *out = malloc(4 * n + 3), *o = out;
    if (!out)
        return NULL;
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '\\' || c == '"') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            *o++ = '\\';
            *o++ = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else if (c < 0x20 || c == 0x7f) {
            o += sprintf(o, "\\x%02x", c);
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int cs_unquote_value(const char *s, char **out, const char **end)
{
    *out = NULL;
    if (s[0] != '"')
        return -1;
    char *buf = malloc(strlen(s)), *o = buf;
    if (!buf)
        return -1;
    const char *p = s + 1;
    for (; *p && *p != '"'; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        p++;
        int h, l;
        switch (*p) {
        case '\\': case '"': *o++ = *p; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'x':
            if ((h = hexval(p[1])) < 0 || (l = hexval(p[2])) < 0 || (h == 0 && l == 0)) {
                free(buf);
                return -1;
            }
            *o++ = (char)(h * 16 + l);
            p += 2;
            break;
        default: /* a bad escape, or the value ends after the backslash */
            free(buf);
            return -1;
        }
    }
    if (*p != '"') {
        free(buf);
        return -1;
    }
    *o = '\0';
    *out = buf;
    *end = p + 1;
    return 0;
}

const char *cs_show_str(char *buf, size_t cap, const char *s)
{
    size_t o = 0;
    if (!cap)
        return buf;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char tmp[8];
        size_t k;
        if (*p == '\n' || *p == '\t' || *p == '\r')
            k = (size_t)snprintf(tmp, sizeof tmp, "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
        else if (*p < 0x20 || *p == 0x7f)
            k = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", *p);
        else {
            tmp[0] = (char)*p;
            k = 1;
        }
        if (o + k + 4 > cap) { /* room for "..." and the NUL */
            if (cap >= 4) {
                o = o + 3 < cap ? o : cap - 4;
                memcpy(buf + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(buf + o, tmp, k);
        o += k;
    }
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}
