#include "jsonw.h"
#include <string.h>

void jw_init(jw *w, FILE *f)
{
    *w = (jw){ .f = f };
}

static void put(jw *w, const char *s)
{
    if (fputs_unlocked(s, w->f) == EOF)
        w->failed = true;
}

/* Separator and indentation before a value or key at the current level. */
static void pre(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->compact)
            put(w, w->has_items[w->depth - 1] ? "," : "");
        else
            put(w, w->has_items[w->depth - 1] ? ",\n" : "\n");
        w->has_items[w->depth - 1] = true;
        static const char spaces[2 * JW_MAX_DEPTH + 1] = { [0 ... 2 * JW_MAX_DEPTH - 1] = ' ' };
        size_t n = 2 * (size_t)w->depth;
        if (!w->compact && fwrite_unlocked(spaces, 1, n, w->f) != n)
            w->failed = true;
    }
}

static void open_level(jw *w, const char *c)
{
    pre(w);
    put(w, c);
    if (w->depth < JW_MAX_DEPTH)
        w->has_items[w->depth] = false;
    w->depth++;
}

static void close_level(jw *w, const char *c)
{
    w->depth--;
    if (!w->compact && w->depth < JW_MAX_DEPTH && w->has_items[w->depth]) {
        put(w, "\n");
        for (int i = 0; i < w->depth; i++)
            put(w, "  ");
    }
    put(w, c);
}

void jw_obj(jw *w) { open_level(w, "{"); }
void jw_obj_end(jw *w) { close_level(w, "}"); }
void jw_arr(jw *w) { open_level(w, "["); }
void jw_arr_end(jw *w) { close_level(w, "]"); }

/* (The _unlocked stdio calls: a writer owns its stream; reports run to tens
 * of MB.) Characters that need no escape are written in runs, the rest
 * one escape at a time. */
static void quoted(jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (putc_unlocked('"', w->f) == EOF)
        w->failed = true;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        if (p > run && fwrite_unlocked(run, 1, (size_t)(p - run), w->f) != (size_t)(p - run))
            w->failed = true;
        if (!*p)
            break;
        const char *esc;
        char buf[7];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            buf[0] = '\\'; buf[1] = 'u'; buf[2] = '0'; buf[3] = '0';
            buf[4] = hex[*p >> 4]; buf[5] = hex[*p & 15]; buf[6] = '\0';
            esc = buf;
        }
        put(w, esc);
        p++;
    }
    if (putc_unlocked('"', w->f) == EOF)
        w->failed = true;
}

void jw_key(jw *w, const char *key)
{
    pre(w);
    quoted(w, key);
    put(w, w->compact ? ":" : ": ");
    w->after_key = true;
}

void jw_str(jw *w, const char *s)
{
    pre(w);
    if (s)
        quoted(w, s);
    else
        put(w, "null");
}

void jw_int(jw *w, int64_t v)
{
    pre(w);
    char buf[24], *e = buf + sizeof buf, *p = e;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    if (fwrite_unlocked(p, 1, (size_t)(e - p), w->f) != (size_t)(e - p))
        w->failed = true;
}

void jw_uint(jw *w, uint64_t u)
{
    pre(w);
    char buf[24], *e = buf + sizeof buf, *p = e;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (fwrite_unlocked(p, 1, (size_t)(e - p), w->f) != (size_t)(e - p))
        w->failed = true;
}

void jw_num(jw *w, double v)
{
    pre(w);
    char buf[64];
    if (!(v == v) || v > 1e300 || v < -1e300) { /* NaN and infinities are not JSON */
        snprintf(buf, sizeof buf, "null");
    } else {
        snprintf(buf, sizeof buf, "%.6f", v);
        char *e = buf + strlen(buf);
        while (e[-1] == '0')
            *--e = '\0';
        if (e[-1] == '.')
            e[-1] = '\0';
    }
    if (fputs(buf, w->f) == EOF)
        w->failed = true;
}

void jw_bool(jw *w, bool v)
{
    pre(w);
    put(w, v ? "true" : "false");
}

void jw_null(jw *w)
{
    pre(w);
    put(w, "null");
}

bool jw_finish(jw *w)
{
    put(w, "\n");
    if (fflush(w->f) == EOF)
        w->failed = true;
    return !w->failed;
}
