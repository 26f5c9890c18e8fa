/* VPC Flow Logs records (flowlog.h). */
#include "flowlog.h"

#include <string.h>

/* Every field of versions 2 to 8 (flow-log-records.html "Available fields"),
 * with what the aggregation reads from it; FL_SKIP for the ones it does not. */
static const struct {
    const char *name;
    fl_field f;
} names[] = {
    { "version", FL_VERSION }, { "account-id", FL_ACCOUNT }, { "interface-id", FL_ENI },
    { "srcaddr", FL_SRCADDR }, { "dstaddr", FL_DSTADDR }, { "srcport", FL_SRCPORT }, { "dstport", FL_DSTPORT },
    { "protocol", FL_PROTOCOL }, { "packets", FL_PACKETS }, { "bytes", FL_BYTES }, { "start", FL_START },
    { "end", FL_END }, { "action", FL_ACTION }, { "log-status", FL_STATUS }, { "vpc-id", FL_VPC },
    { "subnet-id", FL_SUBNET }, { "instance-id", FL_INSTANCE }, { "tcp-flags", FL_TCP_FLAGS }, { "type", FL_TYPE },
    { "pkt-srcaddr", FL_PKT_SRCADDR }, { "pkt-dstaddr", FL_PKT_DSTADDR }, { "region", FL_REGION },
    { "az-id", FL_AZ_ID }, { "sublocation-type", FL_SUBLOC_TYPE }, { "sublocation-id", FL_SUBLOC_ID },
    { "pkt-src-aws-service", FL_PKT_SRC_SERVICE }, { "pkt-dst-aws-service", FL_PKT_DST_SERVICE },
    { "flow-direction", FL_DIRECTION }, { "traffic-path", FL_TRAFFIC_PATH }, { "reject-reason", FL_REJECT_REASON },
    { "ecs-cluster-arn", FL_SKIP }, { "ecs-cluster-name", FL_SKIP }, { "ecs-container-instance-arn", FL_SKIP },
    { "ecs-container-instance-id", FL_SKIP }, { "ecs-container-id", FL_SKIP }, { "ecs-second-container-id", FL_SKIP },
    { "ecs-service-name", FL_SKIP }, { "ecs-task-definition-arn", FL_SKIP }, { "ecs-task-arn", FL_SKIP },
    { "ecs-task-id", FL_SKIP },
};

static const char default_fields[] = "version account-id interface-id srcaddr dstaddr srcport dstport protocol "
                                     "packets bytes start end action log-status";

void fl_default_format(fl_format *f)
{
    const char *bad;
    fl_parse_format(default_fields, sizeof default_fields - 1, f, &bad);
}

static fl_field field_of(const char *w, size_t n, bool *known);

static bool name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool fl_parse_format(const char *s, size_t len, fl_format *f, const char **bad)
{
    memset(f, 0, sizeof *f);
    size_t i = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == ',' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i == len)
            break;
        size_t b = i;
        while (i < len && s[i] != ' ' && s[i] != ',' && s[i] != '\t' && s[i] != '\r')
            i++;
        const char *w = s + b;
        size_t n = i - b;
        if (n > 3 && w[0] == '$' && w[1] == '{' && w[n - 1] == '}') { /* ${field} as in a LogFormat */
            w += 2;
            n -= 3;
        }
        bool ok = n > 0 && f->ncols < FL_MAX_COLUMNS;
        for (size_t k = 0; k < n && ok; k++)
            ok = name_char(w[k]);
        if (!ok) {
            *bad = s + b;
            return false;
        }
        bool known;
        fl_field fld = field_of(w, n, &known);
        f->unknown += !known;
        if (fld != FL_SKIP && f->has[fld])
            fld = FL_SKIP; /* a repeated field: the first column counts */
        f->col[f->ncols++] = (uint8_t)fld;
        f->has[fld] = fld != FL_SKIP;
    }
    if (!f->ncols) {
        *bad = s;
        return false;
    }
    return true;
}

/* The field a name is (FL_SKIP for a known one not read); *known false for
 * a name no version defines. */
static fl_field field_of(const char *w, size_t n, bool *known)
{
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strlen(names[k].name) == n && memcmp(names[k].name, w, n) == 0) {
            *known = true;
            return names[k].f;
        }
    *known = false;
    return FL_SKIP;
}

int fl_is_header(const char *s, size_t len)
{
    /* every word a field name (known or not: AWS adds fields), one at least
     * known; a record's values are never all such words */
    bool any = false, first_known = false, bad = false;
    size_t i = 0;
    for (int word = 0; i < len && s[i] != '\r'; word++) {
        size_t b = i;
        while (i < len && s[i] != ' ' && s[i] != '\r')
            i++;
        const char *w = s + b;
        size_t n = i - b;
        if (n > 3 && w[0] == '$' && w[1] == '{' && w[n - 1] == '}')
            w += 2, n -= 3;
        for (size_t k = 0; k < n; k++)
            bad = bad || !name_char(w[k]);
        bool known;
        field_of(w, n, &known);
        any = any || known;
        first_known = first_known || (word == 0 && known);
        if (i < len && s[i] == ' ')
            i++;
    }
    return bad ? (first_known ? -1 : 0) : any;
}

const char *fl_error_name(fl_error e)
{
    static const char *const n[FL_E_COUNT] = {
        [FL_E_NONE] = "none", [FL_E_COLUMNS] = "wrong number of fields", [FL_E_NUMBER] = "bad number",
        [FL_E_ADDRESS] = "bad address", [FL_E_ACTION] = "bad action", [FL_E_STATUS] = "bad log-status",
        [FL_E_LONG] = "line too long", [FL_E_HEADER] = "bad header line",
        [FL_E_PARQUET] = "Parquet file (not read: deliver flow logs as text)",
    };
    return e < FL_E_COUNT ? n[e] : "?";
}

/* ------------------------------------------------------------------ fields */

const char *fl_error_id(fl_error e)
{
    static const char *const n[FL_E_COUNT] = {
        [FL_E_NONE] = "none", [FL_E_COLUMNS] = "wrong_field_count", [FL_E_NUMBER] = "bad_number",
        [FL_E_ADDRESS] = "bad_address", [FL_E_ACTION] = "bad_action", [FL_E_STATUS] = "bad_log_status",
        [FL_E_LONG] = "line_too_long", [FL_E_HEADER] = "bad_header", [FL_E_PARQUET] = "parquet_file",
    };
    return e < FL_E_COUNT ? n[e] : "?";
}

static bool is_dash(const char *p, size_t n) { return n == 1 && p[0] == '-'; }

/* Decimal digits into *v (at most 20 digits, checked against overflow). */
static bool u64_of(const char *p, size_t n, uint64_t *v)
{
    if (!n || n > 20)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (d > 9 || x > (UINT64_MAX - d) / 10)
            return false;
        x = x * 10 + d;
    }
    *v = x;
    return true;
}

/* A bounded number or "-" (absent: *v = -1). */
static bool num_of(const char *p, size_t n, uint64_t max, int64_t *v)
{
    uint64_t x;
    if (is_dash(p, n)) {
        *v = -1;
        return true;
    }
    if (!u64_of(p, n, &x) || x > max)
        return false;
    *v = (int64_t)x;
    return true;
}

static bool ipv4_of(const char *p, size_t n, ip_addr *a)
{
    unsigned part = 0, digits = 0, dots = 0;
    uint8_t b[4];
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= '0' && c <= '9') {
            if (digits && part == 0)
                return false; /* leading zero */
            part = part * 10 + (unsigned)(c - '0');
            if (++digits > 3 || part > 255)
                return false;
        } else if (c == '.' && digits && dots < 3) {
            b[dots++] = (uint8_t)part;
            part = digits = 0;
        } else {
            return false;
        }
    }
    if (dots != 3 || !digits)
        return false;
    b[3] = (uint8_t)part;
    memset(a, 0, sizeof *a);
    a->af = IP_V4;
    memcpy(a->b, b, 4);
    return true;
}

static bool addr_of(const char *p, size_t n, ip_addr *a)
{
    if (is_dash(p, n)) {
        a->af = 0;
        return true;
    }
    if (n <= 15 && ipv4_of(p, n, a))
        return true;
    char buf[48];
    if (n < 2 || n >= sizeof buf || !memchr(p, ':', n))
        return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return ip_parse_addr(buf, a) && a->af == IP_V6;
}

static fl_text text_of(const char *p, size_t n)
{
    return is_dash(p, n) ? (fl_text){ NULL, 0 } : (fl_text){ p, (uint32_t)n };
}

static bool word_is(const char *p, size_t n, const char *w) { return n == strlen(w) && memcmp(p, w, n) == 0; }

/* One column's value into r. */
static fl_error field(fl_field f, const char *p, size_t n, fl_rec *r)
{
    int64_t v;
    switch (f) {
    case FL_SRCADDR: return addr_of(p, n, &r->src) ? FL_E_NONE : FL_E_ADDRESS;
    case FL_DSTADDR: return addr_of(p, n, &r->dst) ? FL_E_NONE : FL_E_ADDRESS;
    case FL_SRCPORT:
        if (!num_of(p, n, 65535, &v))
            return FL_E_NUMBER;
        r->sport = (int32_t)v;
        return FL_E_NONE;
    case FL_DSTPORT:
        if (!num_of(p, n, 65535, &v))
            return FL_E_NUMBER;
        r->dport = (int32_t)v;
        return FL_E_NONE;
    case FL_PROTOCOL:
        if (!num_of(p, n, 255, &v))
            return FL_E_NUMBER;
        r->proto = (int16_t)v;
        return FL_E_NONE;
    case FL_PACKETS: /* (beyond 2^50 a window cannot count: 100 Gb/s for 10 minutes is 2^43 bytes) */
        return is_dash(p, n) || (u64_of(p, n, &r->packets) && r->packets < (1ull << 50)) ? FL_E_NONE : FL_E_NUMBER;
    case FL_BYTES:
        return is_dash(p, n) || (u64_of(p, n, &r->bytes) && r->bytes < (1ull << 50)) ? FL_E_NONE : FL_E_NUMBER;
    case FL_START: return num_of(p, n, INT32_MAX * 4ull, &r->start) ? FL_E_NONE : FL_E_NUMBER;
    case FL_END: return num_of(p, n, INT32_MAX * 4ull, &r->end) ? FL_E_NONE : FL_E_NUMBER;
    case FL_ACTION:
        r->action = word_is(p, n, "ACCEPT") ? FL_ACCEPT : word_is(p, n, "REJECT") ? FL_REJECT : FL_ACT_NONE;
        return r->action || is_dash(p, n) ? FL_E_NONE : FL_E_ACTION;
    case FL_STATUS:
        if (word_is(p, n, "OK"))
            r->status = FL_OK;
        else if (word_is(p, n, "NODATA"))
            r->status = FL_NODATA;
        else if (word_is(p, n, "SKIPDATA"))
            r->status = FL_SKIPDATA;
        else
            return FL_E_STATUS;
        return FL_E_NONE;
    case FL_ENI: r->eni = text_of(p, n); return FL_E_NONE;
    case FL_REJECT_REASON: r->bpa = word_is(p, n, "BPA"); return FL_E_NONE;
    default: return FL_E_NONE; /* read by nothing */
    }
}

fl_error fl_parse(const fl_format *f, const char *line, size_t len, fl_rec *r)
{
    static const fl_rec blank = { .proto = -1, .sport = -1, .dport = -1, .start = -1, .end = -1 };
    *r = blank;
    if (len && line[len - 1] == '\r')
        len--; /* CRLF line ends */
    const char *p = line, *end = line + len;
    unsigned c = 0;
    bool at_end = false;
    while (c < f->ncols && !at_end) {
        const char *q = memchr(p, ' ', (size_t)(end - p));
        if (!q)
            q = end;
        if (q == p)
            return FL_E_COLUMNS; /* an empty field (two spaces, a trailing space, an empty line) */
        if (f->col[c] != FL_SKIP) {
            fl_error e = field((fl_field)f->col[c], p, (size_t)(q - p), r);
            if (e)
                return e;
        }
        c++;
        at_end = q == end;
        p = q + 1;
    }
    if (c != f->ncols || !at_end)
        return FL_E_COLUMNS;
    return FL_E_NONE;
}
