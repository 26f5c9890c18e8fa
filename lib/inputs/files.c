/*
 * mlvpc_model_load(): read files and directories into a model.
 *
 * A directory is walked recursively in name order (so results never depend
 * on readdir order). Account and region come from the Batfish layout:
 * `.../accounts/<account>/<region>/file.json` or `.../<region>/file.json`.
 * Files whose content no loader recognises are recorded as skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfn.h"
#include "tf.h"
#include "../util/dirlist.h"
#include "load.h"

enum {
    LOAD_MAX_FILE = 2047u * 1024 * 1024, /* bounded input: 2 GiB per JSON file */
    LOAD_MAX_DEPTH = 32                  /* directory nesting */
};

static void set_err(mlvpc_diag *err, mlvpc_status st, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void set_err(mlvpc_diag *err, mlvpc_status st, const char *file, const char *fmt, ...)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->status = st;
    err->severity = MLVPC_SEV_ERROR;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
}

/*
 * The buffer files are read into, reused across the files of one load so
 * that a directory of large describe outputs touches fresh memory only once
 * per size step. Large buffers are asked for as transparent huge pages: the
 * read and the in-place parse touch every byte, and 4 KiB faults showed up
 * in profiles.
 */
typedef struct readbuf {
    char *p;
    size_t cap; /* usable bytes, one more than the largest file it can hold */
} readbuf;

enum { HUGE_MIN = 4u << 20 };

static void readbuf_release(readbuf *b)
{
    if (b->p)
        munmap(b->p, b->cap);
    b->p = NULL;
    b->cap = 0;
}

static bool readbuf_reserve(readbuf *b, size_t need)
{
    if (need <= b->cap)
        return true;
    size_t cap = need < 64 * 1024 ? 64 * 1024 : need;
    cap = (cap + ((size_t)2 << 20) - 1) & ~(((size_t)2 << 20) - 1); /* whole huge pages */
    void *p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return false;
#ifdef MADV_HUGEPAGE
    if (cap >= HUGE_MIN)
        (void)madvise(p, cap, MADV_HUGEPAGE); /* advice only: ignore failure */
#endif
    readbuf_release(b);
    b->p = p;
    b->cap = cap;
    return true;
}

/* Read a whole file into b, followed by one spare byte. */
static mlvpc_status read_file(readbuf *b, const char *path, size_t *size, mlvpc_diag *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_err(err, MLVPC_ERR_IO, path, "cannot open: %s", strerror(errno));
        return MLVPC_ERR_IO;
    }
    struct stat st;
    mlvpc_status rc = MLVPC_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        set_err(err, MLVPC_ERR_IO, path, "%s", "not a regular file");
        rc = MLVPC_ERR_IO;
    } else if ((unsigned long long)st.st_size > LOAD_MAX_FILE) {
        set_err(err, MLVPC_ERR_LIMIT, path, "%s", "file larger than 2 GiB");
        rc = MLVPC_ERR_LIMIT;
    } else if (!readbuf_reserve(b, (size_t)st.st_size + 1)) {
        set_err(err, MLVPC_ERR_NOMEM, path, "%s", "out of memory");
        rc = MLVPC_ERR_NOMEM;
    }
    size_t n = rc == MLVPC_OK ? (size_t)st.st_size : 0, got = 0;
    while (rc == MLVPC_OK && got < n) {
        ssize_t r = read(fd, b->p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            set_err(err, MLVPC_ERR_IO, path, "read error: %s",
                    r < 0 ? strerror(errno) : "file shrank while reading");
            rc = MLVPC_ERR_IO;
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (rc == MLVPC_OK) {
        b->p[n] = '\0';
        *size = n;
    }
    return rc;
}

static bool is_region(const char *s, size_t n)
{
    /* e.g. us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4 */
    if (n < 9 || n > 20 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z' || s[2] != '-')
        return false;
    if (s[n - 1] < '0' || s[n - 1] > '9' || s[n - 2] != '-')
        return false;
    for (size_t i = 3; i < n - 2; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
            return false;
    return true;
}

/* Account and region from the directory part of path (the nearest wins). */
static void layout_of(mlvpc_model *m, const char *path, uint32_t *account, uint32_t *region)
{
    const char *seg = path, *prev = NULL, *prev2 = NULL;
    size_t prevlen = 0, prev2len = 0;
    for (const char *p = path;; p++) {
        if (*p != '/' && *p)
            continue;
        if (!*p)
            break; /* the file name itself */
        size_t len = (size_t)(p - seg);
        if (is_region(seg, len))
            *region = model_sym(m, seg, len);
        if (prev2 && prev2len == 8 && strncmp(prev2, "accounts", 8) == 0 && prev)
            *account = model_sym(m, prev, prevlen);
        prev2 = prev;
        prev2len = prevlen;
        prev = seg;
        prevlen = len;
        seg = p + 1;
    }
}

static char *dup_path(mlvpc_model *m, const char *path) { return arena_strdup(&m->ar, path); }

static mlvpc_status note_skipped(mlvpc_model *m, const char *path)
{
    uint32_t idx;
    char *p = dup_path(m, path);
    if (!p || vec_push(&m->skipped, sizeof(const char *), &idx) != 0)
        return MLVPC_ERR_NOMEM;
    *VEC_AT(m->skipped, const char *, idx) = p;
    return MLVPC_OK;
}

/* Drop the resources of kind k from index `keep` on, and their symbols' definitions. */
static void rollback(mlvpc_model *m, mv_kind k, uint32_t keep)
{
    for (uint32_t i = keep; i < m->tab[k].n; i++) {
        intern_sym *s = &m->syms.syms[model_res(m, k, i)->id];
        if (s->kind == (uint32_t)k && s->idx == i)
            s->kind = 0;
    }
    m->tab[k].n = keep;
}

/* A file to read as YAML: not JSON by its name, and not starting like JSON. */
static bool looks_yaml(const char *path, const char *buf, size_t size)
{
    size_t n = strlen(path);
    if (n >= 5 && strcmp(path + n - 5, ".json") == 0)
        return false;
    size_t i = 0;
    while (i < size && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    return i < size && buf[i] != '{' && buf[i] != '[';
}

/* An interpreted input (a CloudFormation template, Terraform): true when t is one. */
static bool load_interpreted(mlvpc_model *m, const tnode *t, uint32_t fidx, uint32_t region, uint32_t account,
                             mlvpc_diag *err, mlvpc_status *st)
{
    if (cfn_is_template(t)) {
        VEC_AT(m->files, mv_file, fidx)->format = MF_CLOUDFORMATION;
        *st = cfn_load(m, t, fidx, region, account, err);
        return true;
    }
    if (tf_is_terraform(t)) {
        VEC_AT(m->files, mv_file, fidx)->format = MF_TERRAFORM;
        *st = tf_load(m, t, fidx, region, account, err);
        return true;
    }
    return false;
}

mlvpc_status inputs_load_buffer(mlvpc_model *m, const char *path, char *buf, size_t size,
                                const mlvpc_load_opts *opts, mlvpc_diag *err)
{
    uint32_t fidx;
    char *stored = dup_path(m, path);
    if (!stored || vec_push(&m->files, sizeof(mv_file), &fidx) != 0) {
        set_err(err, MLVPC_ERR_NOMEM, path, "%s", "out of memory");
        return MLVPC_ERR_NOMEM;
    }
    *VEC_AT(m->files, mv_file, fidx) = (mv_file){ .path = stored, .format = MF_AWSCLI };
    jdoc d;
    ld L = { .m = m, .d = &d, .file = fidx, .path = stored, .err = err };
    if (opts && opts->account)
        L.account = model_sym(m, opts->account, strlen(opts->account));
    if (opts && opts->region)
        L.region = model_sym(m, opts->region, strlen(opts->region));
    layout_of(m, path, &L.account, &L.region);
    uint32_t before[MK_COUNT], attrs_before = m->vpc_attrs.n, tags_before = m->sm_tags.n;
    for (int k = 0; k < MK_COUNT; k++)
        before[k] = m->tab[k].n;

    int rc = 0, recognised = 0;
    mlvpc_status st = MLVPC_OK;
    memset(&d, 0, sizeof d);
    if (looks_yaml(path, buf, size)) {
        /* CloudFormation in YAML; nothing else comes as YAML. */
        tnode *t = tree_yaml(&m->ar, stored, buf, size, err);
        if (!t && !memmem(buf, size, "Resources", 9)) {
            /* YAML that cannot be a template (mkdocs, Helm, ...) that
             * libyaml or the template rules refuse: not ours, skipped. */
            if (err)
                memset(err, 0, sizeof *err);
        } else if (!t)
            st = err ? err->status : MLVPC_ERR_SYNTAX;
        else
            recognised = load_interpreted(m, t, fidx, L.region, L.account, err, &st);
    } else if ((rc = json_parse_stream(&d, buf, size, JSON_MAX_DEPTH, awscli_stream_elem, &L)) == -4 ||
               (rc == 0 && !L.failed && ((recognised = awscli_load_doc(&L)), L.failed))) {
        /* (EC2 describe lists are loaded element by element while parsing.) */
        st = L.st;
    } else if (rc == 0 && !recognised) {
        tnode *t = tree_from_jdoc(&m->ar, &d, tf_unread_keys(&d));
        if (t)
            recognised = load_interpreted(m, t, fidx, L.region, L.account, err, &st);
    } else if (rc != 0) {
        st = rc == -2 ? MLVPC_ERR_NOMEM : rc == -3 ? MLVPC_ERR_LIMIT : MLVPC_ERR_SYNTAX;
        set_err(err, st, path, "%s", d.err);
        if (err && rc != -2)
            json_linecol(&d, d.err_off, &err->line, &err->column);
    }
    if (st != MLVPC_OK) {
        /* All or nothing per file: resources of a file that failed half-way
         * are removed, so the model keeps only what earlier inputs added. */
        for (int k = 0; k < MK_COUNT; k++)
            rollback(m, (mv_kind)k, before[k]);
        m->vpc_attrs.n = attrs_before;
        m->sm_tags.n = tags_before;
    } else if (!recognised) {
        st = note_skipped(m, path);
    }
    json_release(&d);
    return st;
}

/* One mlvpc_model_load call. */
typedef struct walk {
    mlvpc_model *m;
    const mlvpc_load_opts *opts;
    mlvpc_diag *err;
    readbuf buf;
} walk;

static mlvpc_status load_file(walk *w, const char *path)
{
    size_t size;
    mlvpc_status st = read_file(&w->buf, path, &size, w->err);
    if (st != MLVPC_OK)
        return st;
    return inputs_load_buffer(w->m, path, w->buf.p, size, w->opts, w->err);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Files a directory walk reads: JSON, and YAML (CloudFormation templates). */
static bool is_input_name(const char *name)
{
    return ends_with(name, ".json") || ends_with(name, ".yaml") || ends_with(name, ".yml");
}

static mlvpc_status load_dir(walk *w, const char *dir, int depth)
{
    mlvpc_model *m = w->m;
    mlvpc_diag *err = w->err;
    if (depth > LOAD_MAX_DEPTH) {
        set_err(err, MLVPC_ERR_LIMIT, dir, "%s", "directories nested too deeply");
        return MLVPC_ERR_LIMIT;
    }
    char **names;
    size_t n;
    int rc = dirlist(dir, &names, &n);
    if (rc) {
        mlvpc_status st = rc == ENOMEM ? MLVPC_ERR_NOMEM : MLVPC_ERR_IO;
        set_err(err, st, dir, "cannot open directory: %s", strerror(rc));
        return st;
    }
    mlvpc_status st = MLVPC_OK;
    for (size_t i = 0; i < n && st == MLVPC_OK; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *full = malloc(len);
        if (!full) {
            st = MLVPC_ERR_NOMEM;
            break;
        }
        snprintf(full, len, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", names[i]);
        struct stat sb;
        if (stat(full, &sb) != 0) {
            set_err(err, MLVPC_ERR_IO, full, "cannot stat: %s", strerror(errno));
            st = MLVPC_ERR_IO;
        } else if (S_ISDIR(sb.st_mode)) {
            st = load_dir(w, full, depth + 1);
        } else if (S_ISREG(sb.st_mode) && is_input_name(names[i])) {
            st = load_file(w, full);
        } else {
            st = note_skipped(m, full);
        }
        free(full);
    }
    dirlist_free(names, n);
    if (st == MLVPC_ERR_NOMEM && err && err->status != MLVPC_ERR_NOMEM)
        set_err(err, st, dir, "%s", "out of memory");
    return st;
}

/* Size of the largest *.json file under dir (best effort: errors are left
 * for the real walk to report). */
static void largest_json(const char *dir, int depth, size_t *largest)
{
    DIR *d = depth <= LOAD_MAX_DEPTH ? opendir(dir) : NULL;
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096];
        int n = snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (n < 0 || (size_t)n >= sizeof full || stat(full, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            largest_json(full, depth + 1, largest);
        else if (S_ISREG(sb.st_mode) && is_input_name(e->d_name) && (size_t)sb.st_size > *largest)
            *largest = (size_t)sb.st_size;
    }
    closedir(d);
}

mlvpc_status mlvpc_model_load(mlvpc_model *m, const char *path, const mlvpc_load_opts *opts, mlvpc_diag *err)
{
    if (!m || !path || m->finished) {
        set_err(err, MLVPC_ERR_USAGE, path, "%s",
                m && m->finished ? "cannot load into a finished model" : "no model or path given");
        return MLVPC_ERR_USAGE;
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        set_err(err, MLVPC_ERR_IO, path, "cannot open: %s", strerror(errno));
        return MLVPC_ERR_IO;
    }
    walk w = { .m = m, .opts = opts, .err = err };
    /* Size the read buffer for the largest file once, so that its pages are
     * faulted in and zeroed once rather than at every growth step. */
    size_t largest = 0;
    if (S_ISDIR(sb.st_mode))
        largest_json(path, 0, &largest);
    if (largest && largest <= LOAD_MAX_FILE)
        (void)readbuf_reserve(&w.buf, largest + 1); /* on failure, each file tries again */
    mlvpc_status st = S_ISDIR(sb.st_mode) ? load_dir(&w, path, 0) : load_file(&w, path);
    readbuf_release(&w.buf);
    return st;
}
