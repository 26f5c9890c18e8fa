/* Reading flow-log files (flowread.h). */
#include "flowread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>

#include "../util/dirlist.h"

enum { CHUNK = 4 << 20, PROGRESS_EVERY = 16 << 20, MAX_DEPTH = 32 };

/* A gzip file up to WHOLE_IN compressed and WHOLE_OUT of text (S3 delivers
 * files of at most 75 MB) is inflated at once with libdeflate, twice as
 * fast as zlib's stream here; larger ones, pipes, and any file libdeflate
 * cannot read whole go through zlib's stream, which also words the errors. */
enum { WHOLE_IN = 64 << 20, WHOLE_OUT = 256 << 20 };

typedef struct rd {
    fl_sink *s;
    const fl_format *given;
    fl_format fmt; /* the current file's */
    const char *file;
    uint64_t line;
    bool skipping; /* inside an over-long line */
    bool skip_file; /* a file that is no text flow log (Parquet) */
    char *buf;     /* CHUNK + FL_MAX_LINE + 1: text, the tail of a line carried over (and its CR);
                      then FL_PAD bytes that a line's parse may read (all initialised) */
    size_t have;
    fl_scratch *whole; /* a whole gzip file and its text (read_gzip_whole): the sink's, or the read's own */
    uint64_t since_progress;
    mlvpc_diag *err;
} rd;

static mlvpc_status io_err(rd *r, const char *path, const char *what, const char *why)
{
    if (r->err) {
        memset(r->err, 0, sizeof *r->err);
        r->err->status = MLVPC_ERR_IO;
        snprintf(r->err->file, sizeof r->err->file, "%s", path);
        snprintf(r->err->text, sizeof r->err->text, "%s: %s", what, why);
    }
    return MLVPC_ERR_IO;
}

/* A file's first line, *p and *n past a UTF-8 byte order mark: true when
 * it starts a Parquet object, which is then counted once and skipped whole. */
static bool parquet_start(rd *r, const char **p, size_t *n)
{
    if (*n >= 3 && memcmp(*p, "\xef\xbb\xbf", 3) == 0) {
        *p += 3; /* a UTF-8 byte order mark */
        *n -= 3;
    }
    if (*n < 4 || memcmp(*p, "PAR1", 4) != 0)
        return false;
    r->s->bad(r->s->ctx, FL_E_PARQUET, r->file, r->line, "PAR1", 4);
    r->skip_file = true; /* every further byte of it is binary */
    return true;
}

/* A line's length without the CR of a CRLF end: what FL_MAX_LINE bounds
 * (the parser drops that CR too). */
static size_t text_len(const char *p, size_t n) { return n && p[n - 1] == '\r' ? n - 1 : n; }

static void one_line(rd *r, const char *p, size_t n)
{
    if (r->skip_file)
        return; /* (a Parquet object's bytes are no lines: not counted) */
    r->line++;
    r->s->lines++;
    if (r->line == 1 && parquet_start(r, &p, &n))
        return;
    int header = r->line == 1 ? fl_is_header(p, n) : 0;
    if (header) {
        const char *bad;
        fl_format f;
        if (header > 0 && fl_parse_format(p, n, &f, &bad)) {
            r->fmt = f;
            r->s->headers++;
        } else {
            r->s->bad(r->s->ctx, FL_E_HEADER, r->file, r->line, p, n);
        }
        return;
    }
    if (!text_len(p, n))
        return; /* an empty line (a file's last newline doubled): nothing to count */
    if (text_len(p, n) > FL_MAX_LINE) {
        r->s->bad(r->s->ctx, FL_E_LONG, r->file, r->line, p, 80);
        return;
    }
    fl_rec rec;
    fl_error e = fl_parse_padded(&r->fmt, p, n, &rec);
    if (e)
        r->s->bad(r->s->ctx, e, r->file, r->line, p, n);
    else
        r->s->record(r->s->ctx, &rec);
}

/* The start of a line that has passed FL_MAX_LINE before its newline came:
 * counted and reported once, the rest of it skipped as it comes (a first
 * line may still be a Parquet object's start). */
static void long_line(rd *r, const char *p, size_t n)
{
    r->line++;
    r->s->lines++;
    r->skipping = true;
    if (r->line == 1 && parquet_start(r, &p, &n))
        return;
    r->s->bad(r->s->ctx, FL_E_LONG, r->file, r->line, p, 80);
}

/* The complete lines of buf[0..have); the rest moves to the front. At the
 * end of a file (`last`), the rest is a line too. The rest kept is at most
 * FL_MAX_LINE bytes and a CR (the buffer has room for it). */
static void lines(rd *r, bool last)
{
    char *p = r->buf, *end = r->buf + r->have;
    for (;;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        if (r->skipping)
            r->skipping = false; /* the end of an over-long line */
        else
            one_line(r, p, (size_t)(nl - p));
        p = nl + 1;
    }
    size_t rest = (size_t)(end - p);
    if (r->skip_file)
        rest = 0; /* (nothing of a Parquet object is kept) */
    else if (last && rest && !r->skipping)
        one_line(r, p, rest);
    else if (!last && !r->skipping && text_len(p, rest) > FL_MAX_LINE)
        long_line(r, p, rest);
    if (last || r->skipping)
        rest = 0;
    memmove(r->buf, p, rest);
    r->have = rest;
}

static void progress(rd *r, size_t n, bool force)
{
    r->s->in_bytes += n;
    r->since_progress += n;
    if (r->s->progress && (force || r->since_progress >= PROGRESS_EVERY)) {
        r->s->progress(r->s->ctx, r->s->in_bytes);
        r->since_progress = 0;
    }
}

static mlvpc_status read_plain(rd *r, int fd, const char *path, const char *first, size_t nfirst)
{
    memcpy(r->buf, first, nfirst);
    r->have = nfirst;
    r->s->text_bytes += nfirst;
    for (;;) {
        ssize_t got = read(fd, r->buf + r->have, CHUNK);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return io_err(r, path, "cannot read", strerror(errno));
        progress(r, (size_t)got, false);
        r->have += (size_t)got;
        r->s->text_bytes += (size_t)got;
        lines(r, got == 0);
        if (got == 0)
            return MLVPC_OK;
    }
}

/* Room for `need` bytes at *p (capacity *cap, grown by doubling up to
 * `most`, kept between files so that their pages are touched once); false
 * when out of memory. */
static bool room(char **p, size_t *cap, size_t need, size_t most)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : need;
    while (c < need)
        c *= 2;
    c = c < most ? c : most;
    c = c > need ? c : need;
    char *q = realloc(*p, c);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* The members of in[0..n) inflated into r->whole->text with FL_PAD zeroed bytes
 * after them (their length), when nothing but zero padding follows them;
 * -1 when libdeflate cannot (bad data, more than WHOLE_OUT, out of memory:
 * the stream reader then decides). */
static long inflate_whole(rd *r, const unsigned char *in, size_t n)
{
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t cap = n < WHOLE_OUT / 8 ? 8 * n : WHOLE_OUT, at = 0, pos = 0;
    if (n >= 4) { /* the last member's size (mod 2^32): the whole text when there is one member */
        size_t isize = (size_t)in[n - 4] | (size_t)in[n - 3] << 8 | (size_t)in[n - 2] << 16 | (size_t)in[n - 1] << 24;
        if (isize > WHOLE_OUT) { /* (more than is inflated at once: the stream, without growing a buffer first) */
            libdeflate_free_decompressor(d);
            return -1;
        }
        cap = isize ? isize : cap;
    }
    fl_scratch *w = r->whole;
    bool ok = d && room(&w->text, &w->text_cap, cap + FL_PAD, WHOLE_OUT + FL_PAD);
    while (ok && pos < n) {
        if (in[pos] != 0x1f) { /* after the last member: zero padding only */
            while (pos < n && in[pos] == 0)
                pos++;
            ok = pos == n;
            break;
        }
        if (n - pos < 18 || (in[pos + 3] & 2)) {
            ok = false; /* too short for a member, or a header CRC (which libdeflate skips unchecked) */
            break;
        }
        size_t used, got;
        enum libdeflate_result res =
            libdeflate_gzip_decompress_ex(d, in + pos, n - pos, w->text + at, cap - at, &used, &got);
        if (res == LIBDEFLATE_INSUFFICIENT_SPACE && cap < WHOLE_OUT) {
            cap = cap * 2 < WHOLE_OUT ? cap * 2 : WHOLE_OUT;
            ok = room(&w->text, &w->text_cap, cap + FL_PAD, WHOLE_OUT + FL_PAD);
            continue; /* the same member again, with room */
        }
        ok = res == LIBDEFLATE_SUCCESS;
        pos += used;
        at += got;
    }
    libdeflate_free_decompressor(d);
    if (!ok)
        return -1;
    memset(w->text + at, 0, FL_PAD);
    return (long)at;
}

/* A regular gzip file of at most WHOLE_IN read and inflated at once; 1 when
 * done, 0 when the stream reader must read it (from the start: nothing has
 * been counted), -1 on a read error (set). */
static int read_gzip_whole(rd *r, int fd, const char *path, const char *first, size_t nfirst, mlvpc_status *st)
{
    struct stat sb;
    fl_scratch *w = r->whole;
    /* (at least a member's 18 bytes: procfs and FUSE files may say 0) */
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < 18 || sb.st_size > WHOLE_IN ||
        lseek(fd, 0, SEEK_CUR) != 2 || !room(&w->gz, &w->gz_cap, (size_t)sb.st_size + 1, WHOLE_IN + 1))
        return 0;
    size_t n = (size_t)sb.st_size, have = nfirst;
    memcpy(w->gz, first, nfirst);
    while (have <= n) { /* (one byte more than its size: a file that grew is read by the stream) */
        ssize_t got = read(fd, w->gz + have, n + 1 - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            *st = io_err(r, path, "cannot read", strerror(errno));
            return -1;
        }
        if (got == 0)
            break;
        have += (size_t)got;
    }
    long len = have == n ? inflate_whole(r, (const unsigned char *)w->gz, n) : -1;
    if (len < 0) {
        if (lseek(fd, 2, SEEK_SET) == 2)
            return 0;
        *st = io_err(r, path, "cannot read", strerror(errno));
        return -1;
    }
    progress(r, n - nfirst, false);
    r->s->text_bytes += (size_t)len;
    char *buf = r->buf;
    r->buf = w->text;
    r->have = (size_t)len;
    lines(r, true);
    r->buf = buf;
    r->have = 0;
    *st = MLVPC_OK;
    return 1;
}

static mlvpc_status read_gzip(rd *r, int fd, const char *path, const char *first, size_t nfirst)
{
    mlvpc_status whole;
    int done = read_gzip_whole(r, fd, path, first, nfirst, &whole);
    if (done)
        return whole;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return io_err(r, path, "cannot inflate", "out of memory");
    unsigned char *in = malloc(CHUNK);
    if (!in) {
        inflateEnd(&z);
        return io_err(r, path, "cannot inflate", "out of memory");
    }
    memcpy(in, first, nfirst);
    size_t nin = nfirst;
    bool eof = false, member_end = false;
    mlvpc_status st = MLVPC_OK;
    r->have = 0;
    while (st == MLVPC_OK) {
        if (z.avail_in == 0 && !eof) {
            bool counted = nin > 0; /* the magic bytes, counted by read_fd */
            ssize_t got = nin ? (ssize_t)nin : read(fd, in, CHUNK);
            nin = 0;
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0) {
                st = io_err(r, path, "cannot read", strerror(errno));
                break;
            }
            if (!counted)
                progress(r, (size_t)got, false);
            eof = got == 0;
            z.next_in = in;
            z.avail_in = (uInt)got;
        }
        if (member_end) {
            if (z.avail_in == 0 && eof)
                break; /* the end of the last member */
            if (z.avail_in && z.next_in[0] != 0x1f) {
                /* not another member: zero padding is ignored (as gzip does), anything else is an error */
                bool zeros = true;
                for (uInt k = 0; k < z.avail_in && zeros; k++)
                    zeros = z.next_in[k] == 0;
                if (!zeros) {
                    st = io_err(r, path, "corrupt gzip data", "trailing garbage after the last member");
                    break;
                }
                z.avail_in = 0;
                continue;
            }
            if (inflateReset(&z) != Z_OK) {
                st = io_err(r, path, "cannot inflate", "reset failed");
                break;
            }
            member_end = false;
        }
        z.next_out = (unsigned char *)r->buf + r->have;
        z.avail_out = (uInt)(CHUNK + FL_MAX_LINE - r->have);
        int zr = inflate(&z, Z_NO_FLUSH);
        size_t out = (size_t)(z.next_out - (unsigned char *)r->buf) - r->have;
        r->have += out;
        r->s->text_bytes += out;
        if (zr == Z_STREAM_END)
            member_end = true; /* S3 objects may hold several members */
        else if (zr == Z_BUF_ERROR && z.avail_in == 0 && eof) {
            st = io_err(r, path, "corrupt gzip data", "the stream ends early");
            break;
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            st = io_err(r, path, "corrupt gzip data", z.msg ? z.msg : "inflate failed");
            break;
        }
        lines(r, false);
    }
    if (st == MLVPC_OK)
        lines(r, true);
    progress(r, 0, true);
    inflateEnd(&z);
    free(in);
    return st;
}

static mlvpc_status read_fd(rd *r, int fd, const char *path)
{
    char first[2];
    size_t n = 0;
    while (n < 2) {
        ssize_t got = read(fd, first + n, 2 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return io_err(r, path, "cannot read", strerror(errno));
        if (got == 0)
            break;
        n += (size_t)got;
    }
    r->file = path;
    r->line = 0;
    r->skipping = false;
    r->skip_file = false;
    r->fmt = *r->given;
    r->s->files++;
    progress(r, n, false);
    bool gz = n == 2 && (unsigned char)first[0] == 0x1f && (unsigned char)first[1] == 0x8b;
    mlvpc_status st = gz ? read_gzip(r, fd, path, first, n) : read_plain(r, fd, path, first, n);
    progress(r, 0, true);
    return st;
}

static mlvpc_status read_path(rd *r, const char *path, int depth)
{
    if (strcmp(path, "-") == 0)
        return read_fd(r, 0, "(standard input)");
    struct stat sb;
    if (stat(path, &sb) != 0)
        return io_err(r, path, "cannot open", strerror(errno));
    if (!S_ISDIR(sb.st_mode)) {
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            return io_err(r, path, "cannot open", strerror(errno));
        mlvpc_status st = read_fd(r, fd, path);
        close(fd);
        return st;
    }
    if (depth > MAX_DEPTH)
        return io_err(r, path, "cannot read", "directories nested too deeply");
    char **names;
    size_t n;
    int rc = dirlist(path, &names, &n);
    if (rc)
        return io_err(r, path, "cannot open directory", strerror(rc));
    mlvpc_status st = MLVPC_OK;
    for (size_t i = 0; i < n && st == MLVPC_OK; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = malloc(len);
        if (!full) {
            st = io_err(r, path, "cannot read", "out of memory");
            break;
        }
        snprintf(full, len, "%s/%s", path, names[i]);
        st = read_path(r, full, depth + 1);
        free(full);
    }
    dirlist_free(names, n);
    return st;
}

static uint64_t size_of(const char *path, int depth)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || depth > MAX_DEPTH)
        return 0;
    if (!S_ISDIR(sb.st_mode))
        return (uint64_t)sb.st_size;
    char **names;
    size_t n;
    uint64_t total = 0;
    if (dirlist(path, &names, &n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char full[4096];
        if ((size_t)snprintf(full, sizeof full, "%s/%s", path, names[i]) < sizeof full)
            total += size_of(full, depth + 1);
    }
    dirlist_free(names, n);
    return total;
}

uint64_t fl_input_size(const char *path) { return size_of(path, 0); }

typedef struct flist {
    char **v;
    size_t n, cap;
} flist;

static int list_push(flist *l, const char *p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    return (l->v[l->n] = strdup(p)) ? (l->n++, 0) : ENOMEM;
}

/* bad: where a failure happened (a copy: the path may be freed). */
static int list_path(flist *l, const char *path, int depth, char *bad, size_t bsize)
{
    struct stat sb;
    int rc = 0;
    if (stat(path, &sb) != 0)
        rc = errno;
    else if (!S_ISDIR(sb.st_mode))
        return list_push(l, path);
    else if (depth > MAX_DEPTH)
        rc = ELOOP;
    if (rc) {
        snprintf(bad, bsize, "%s", path);
        return rc;
    }
    char **names;
    size_t n;
    rc = dirlist(path, &names, &n);
    if (rc)
        snprintf(bad, bsize, "%s", path);
    for (size_t i = 0; i < n && !rc; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = malloc(len);
        if (!full) {
            rc = ENOMEM;
            break;
        }
        snprintf(full, len, "%s/%s", path, names[i]);
        rc = list_path(l, full, depth + 1, bad, bsize);
        free(full);
    }
    dirlist_free(names, n);
    return rc;
}

void fl_files_free(char **files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
}

mlvpc_status fl_list_files(const char *path, char ***files, size_t *n, mlvpc_diag *err)
{
    flist l = { 0 };
    char bad[sizeof err->file];
    snprintf(bad, sizeof bad, "%.*s", (int)sizeof bad - 1, path);
    int rc = list_path(&l, path, 0, bad, sizeof bad);
    if (rc) {
        rd r = { .err = err };
        struct stat sb;
        bool dir = stat(bad, &sb) == 0 && S_ISDIR(sb.st_mode);
        mlvpc_status st = io_err(&r, bad, rc == ENOMEM ? "out of memory" : dir ? "cannot open directory" : "cannot open",
                                 strerror(rc));
        fl_files_free(l.v, l.n);
        return st;
    }
    *files = l.v;
    *n = l.n;
    return MLVPC_OK;
}

void fl_scratch_free(fl_scratch *s)
{
    free(s->gz);
    free(s->text);
    memset(s, 0, sizeof *s);
}

mlvpc_status fl_read(const char *path, const fl_format *fields, fl_sink *s, mlvpc_diag *err)
{
    rd r = { .s = s, .given = fields, .err = err };
    r.buf = calloc(1, CHUNK + FL_MAX_LINE + 1 + FL_PAD); /* (zeroed: parses may read past `have`) */
    if (!r.buf) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->status = MLVPC_ERR_NOMEM;
            snprintf(err->file, sizeof err->file, "%s", path);
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        return MLVPC_ERR_NOMEM;
    }
    fl_scratch own = { 0 };
    r.whole = s->scratch ? s->scratch : &own;
    mlvpc_status st = read_path(&r, path, 0);
    free(r.buf);
    fl_scratch_free(&own);
    return st;
}
