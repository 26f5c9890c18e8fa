#include "jsonw.h"

void jw_init(jw *w, FILE *f)
{
    *w = (jw){ .f = f };
}

static void put(jw *w, const char *s)
{
    if (fputs(s, w->f) == EOF)
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
        for (int i = 0; !w->compact && i < w->depth; i++)
            put(w, "  ");
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

static void quoted(jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (putc('"', w->f) == EOF)
        w->failed = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = NULL;
        char buf[7];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (*p < 0x20) {
                buf[0] = '\\'; buf[1] = 'u'; buf[2] = '0'; buf[3] = '0';
                buf[4] = hex[*p >> 4]; buf[5] = hex[*p & 15]; buf[6] = '\0';
                esc = buf;
            }
        }
        if (esc)
            put(w, esc);
        else if (putc(*p, w->f) == EOF)
            w->failed = true;
    }
    if (putc('"', w->f) == EOF)
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
    if (fprintf(w->f, "%lld", (long long)v) < 0)
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
