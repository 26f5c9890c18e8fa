/* VPC Flow Logs records (flowlog.h). */
#include "flowlog.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* The columns of the default format (default_fields), as fl_field. */
static const uint8_t v2_cols[] = { FL_VERSION, FL_ACCOUNT, FL_ENI, FL_SRCADDR, FL_DSTADDR, FL_SRCPORT, FL_DSTPORT,
                                   FL_PROTOCOL, FL_PACKETS, FL_BYTES, FL_START, FL_END, FL_ACTION, FL_STATUS };

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
    f->v2 = f->ncols == sizeof v2_cols && memcmp(f->col, v2_cols, sizeof v2_cols) == 0;
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

/*
 * Numbers and addresses are converted eight bytes at a time (SWAR): a
 * field is read from a copy of its line followed by zero padding (see
 * fl_parse), so loads may run past the field. The branch-free conversion
 * is the classic one for eight ASCII digits: pairs, then quads, then the
 * two halves, each step one multiplication.
 */
static inline uint64_t load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w); /* the first character in the low byte */
#endif
    return w;
}

/* Bit i set when p[i] == c, for i < 16. */
static inline unsigned mask16(const char *p, char c)
{
#if defined(__SSE2__)
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8(c)));
#else
    unsigned m = 0;
    for (int i = 0; i < 16; i++)
        m |= (unsigned)(p[i] == c) << i;
    return m;
#endif
}

/* Bit i set when p[i] == c, for i < 64. */
static inline uint64_t mask64(const char *p, char c)
{
    return (uint64_t)mask16(p, c) | (uint64_t)mask16(p + 16, c) << 16 | (uint64_t)mask16(p + 32, c) << 32 |
           (uint64_t)mask16(p + 48, c) << 48;
}

/* The value of the n (1 to 8) digits at p; false when one is no digit.
 * The field is shifted to the top of the word (what follows it falls off)
 * and the places it leaves are filled with '0'. */
static inline __attribute__((always_inline)) bool digits8(const char *p, unsigned n, uint64_t *v)
{
    static const uint64_t zeros[9] = { 0, 0x30303030303030ull, 0x303030303030ull, 0x3030303030ull, 0x30303030ull,
                                       0x303030ull, 0x3030ull, 0x30ull, 0 };
    uint64_t w = load8(p) << (8 * (8 - n)) | zeros[n];
    /* a digit is 0x30-0x39: high nibble 3, and still 3 after adding 6 (a
     * carry out of a byte comes only from a byte that is no digit) */
    if (((w & 0xF0F0F0F0F0F0F0F0ull) ^ 0x3030303030303030ull) |
        (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) ^ 0x3030303030303030ull))
        return false;
    w &= 0x0F0F0F0F0F0F0F0Full;
    w = (w * 2561) >> 8;                              /* 10 * 2^8 + 1 */
    w = ((w & 0x00FF00FF00FF00FFull) * 6553601) >> 16; /* 100 * 2^16 + 1 */
    *v = ((w & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32; /* 10000 * 2^32 + 1 */
    return true;
}

/* Decimal digits into *v. Every field read is bounded far below 10^19, so
 * a value of more significant digits is refused without computing it. */
static inline __attribute__((always_inline)) bool u64_of(const char *p, size_t n, uint64_t *v)
{
    if (n - 1 < 8)
        return digits8(p, (unsigned)n, v); /* (the common case: one conversion) */
    if (n - 1 < 16) { /* (times: ten digits) */
        uint64_t hi, lo;
        if (!digits8(p, (unsigned)n - 8, &hi) || !digits8(p + n - 8, 8, &lo))
            return false;
        *v = hi * 100000000 + lo;
        return true;
    }
    while (n > 19 && *p == '0')
        p++, n--;
    if (!n || n > 19)
        return false;
    uint64_t x = 0, part;
    unsigned first = (unsigned)(n % 8 ? n % 8 : 8);
    if (!digits8(p, first, &x))
        return false;
    for (size_t i = first; i < n; i += 8) {
        if (!digits8(p + i, 8, &part))
            return false;
        x = x * 100000000 + part;
    }
    *v = x;
    return true;
}

/* A bounded number or "-" (absent: *v = -1); *v unchanged when false. */
static inline __attribute__((always_inline)) bool num_of(const char *p, size_t n, uint64_t max, int64_t *v)
{
    uint64_t x;
    if (u64_of(p, n, &x)) {
        if (x > max)
            return false;
        *v = (int64_t)x;
        return true;
    }
    if (!is_dash(p, n)) /* (checked only when the digits fail) */
        return false;
    *v = -1;
    return true;
}

/* Bit i set when p[i] is a decimal digit, for i < 16. */
static inline unsigned digits16(const char *p)
{
#if defined(__SSE2__)
    /* c - '0' below 10 as an unsigned byte: flipped into a signed compare */
    __m128i d = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8('0'));
    __m128i flip = _mm_set1_epi8((char)0x80);
    return (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_xor_si128(d, flip), _mm_set1_epi8((char)(0x80 + 10))));
#else
    unsigned m = 0;
    for (int i = 0; i < 16; i++)
        m |= (unsigned)(p[i] >= '0' && p[i] <= '9') << i;
    return m;
#endif
}

/* The value of the n (1 to 3) digits at p (already checked to be digits;
 * the bytes after them may be anything), which may be more than 255. */
static inline __attribute__((always_inline)) uint32_t octet(const char *p, unsigned n)
{
    uint32_t w = ((uint32_t)load8(p) & 0x0F0F0Fu) << (8 * (3 - n)); /* hundreds, tens, units in bytes 0-2 */
    return (w & 0xFF) * 100 + (w >> 8 & 0xFF) * 10 + (w >> 16 & 0xFF);
}

/* Dotted-quad IPv4 (no leading zeros), checked whole from masks of its
 * sixteen bytes: every character a digit or a dot, three dots, each part
 * starting with a digit, no part of four digits or more, no part that is a
 * 0 followed by a digit. Then each part is converted on its own. */
static inline __attribute__((always_inline)) bool ipv4_of(const char *p, size_t n, ip_addr *a)
{
    if (n < 7 || n > 15)
        return false;
    unsigned live = (1u << n) - 1, dots = mask16(p, '.') & live, dig = digits16(p) & live;
    unsigned starts = 1u | dots << 1; /* (a dot at the end starts a part at n: no digit there) */
    if ((dots | dig) != live || (starts & ~dig) || (dig & dig >> 1 & dig >> 2 & dig >> 3) ||
        (starts & mask16(p, '0') & dig >> 1))
        return false;
    unsigned e1 = (unsigned)__builtin_ctz(dots);
    dots &= dots - 1;
    if (!dots)
        return false;
    unsigned e2 = (unsigned)__builtin_ctz(dots);
    dots &= dots - 1;
    if (!dots || (dots & (dots - 1)))
        return false; /* two dots, or four */
    unsigned e3 = (unsigned)__builtin_ctz(dots);
    uint32_t o0 = octet(p, e1), o1 = octet(p + e1 + 1, e2 - e1 - 1), o2 = octet(p + e2 + 1, e3 - e2 - 1),
             o3 = octet(p + e3 + 1, (unsigned)n - e3 - 1);
    if ((o0 | o1 | o2 | o3) > 255)
        return false;
    uint64_t zero = 0;
    a->af = IP_V4;
    a->b[0] = (uint8_t)o0, a->b[1] = (uint8_t)o1, a->b[2] = (uint8_t)o2, a->b[3] = (uint8_t)o3;
    memcpy(a->b + 4, &zero, 8);
    memcpy(a->b + 12, &zero, 4);
    return true;
}

/* Bit i set when p[i] is a hexadecimal digit, for i < 16. */
static inline unsigned hex16(const char *p)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p), flip = _mm_set1_epi8((char)0x80);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0')), l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i isd = _mm_cmplt_epi8(_mm_xor_si128(d, flip), _mm_set1_epi8((char)(0x80 + 10)));
    __m128i isl = _mm_cmplt_epi8(_mm_xor_si128(l, flip), _mm_set1_epi8((char)(0x80 + 6)));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(isd, isl));
#else
    unsigned m = 0;
    for (int i = 0; i < 16; i++) {
        unsigned c = (unsigned char)p[i];
        m |= (unsigned)(c - '0' < 10 || (c | 0x20) - 'a' < 6) << i;
    }
    return m;
#endif
}

/* The value of the n (1 to 4) hexadecimal digits at p (already checked).
 * A digit's value is its low nibble, plus 9 for a letter (bit 6 set). */
static inline uint16_t group_of(const char *p, unsigned n)
{
    uint32_t w = (uint32_t)load8(p);
    w = ((w & 0x0F0F0F0Fu) + 9 * (w >> 6 & 0x01010101u)) << (8 * (4 - n)); /* right-aligned in bytes 0-3 */
    uint32_t x = (w & 0x000F000Fu) << 4 | (w >> 8 & 0x000F000Fu);            /* pairs in bytes 0 and 2 */
    return (uint16_t)((x & 0xFF) << 8 | (x >> 16 & 0xFF));
}

/* An IPv6 address in the text form of RFC 4291 2.2, as inet_pton reads it:
 * eight groups of one to four hexadecimal digits, or fewer around one "::",
 * the last two of them possibly a dotted quad. The characters are checked
 * and the colons found sixteen bytes at a time. */
static __attribute__((noinline)) bool ipv6_of(const char *p, size_t n, ip_addr *a)
{
    if (n < 2 || n > 45)
        return false;
    uint64_t live = (1ull << n) - 1, col = mask64(p, ':') & live, dot = mask64(p, '.') & live;
    uint64_t hex = ((uint64_t)hex16(p) | (uint64_t)hex16(p + 16) << 16 | (uint64_t)hex16(p + 32) << 32) & live;
    if ((col | dot | hex) != live || !col)
        return false;
    size_t quad = n; /* where a dotted quad starts: after the last colon, when there are dots */
    if (dot) {
        quad = 64 - (size_t)__builtin_clzll(col);
        if (dot & ((1ull << quad) - 1))
            return false; /* a dot before the last colon */
    }
    uint16_t g[8];
    int ng = 0, gap = -1;
    size_t i = 0;
    if (p[0] == ':') {
        if (p[1] != ':')
            return false;
        gap = 0;
        i = 2;
        col &= ~3ull;
    }
    while (i < n) {
        if (i == quad) {
            ip_addr q;
            if (ng > 6 || !ipv4_of(p + i, n - i, &q))
                return false;
            g[ng++] = (uint16_t)(q.b[0] << 8 | q.b[1]);
            g[ng++] = (uint16_t)(q.b[2] << 8 | q.b[3]);
            break;
        }
        size_t end = col ? (size_t)__builtin_ctzll(col) : n;
        if (end == i || end - i > 4 || ng == 8)
            return false;
        g[ng++] = group_of(p + i, (unsigned)(end - i));
        if (end == n)
            break;
        col &= col - 1;
        i = end + 1;
        if (i == n)
            return false; /* a colon that ends the address */
        if (p[i] == ':') {
            if (gap >= 0)
                return false; /* a second "::" */
            gap = ng;
            col &= col - 1;
            i++;
        }
    }
    if (gap < 0 ? ng != 8 : ng > 7)
        return false;
    memset(a, 0, sizeof *a);
    a->af = IP_V6;
    int tail = gap < 0 ? 0 : ng - gap; /* the groups after "::" go to the end */
    for (int k = 0; k < ng; k++) {
        int at = k < ng - tail ? k : 8 - (ng - k);
        a->b[2 * at] = (uint8_t)(g[k] >> 8);
        a->b[2 * at + 1] = (uint8_t)g[k];
    }
    return true;
}

static inline __attribute__((always_inline)) bool addr_of(const char *p, size_t n, ip_addr *a)
{
    if (is_dash(p, n)) {
        a->af = 0;
        return true;
    }
    return (n <= 15 && ipv4_of(p, n, a)) || ipv6_of(p, n, a);
}

static fl_text text_of(const char *p, size_t n)
{
    return is_dash(p, n) ? (fl_text){ NULL, 0 } : (fl_text){ p, (uint32_t)n };
}

/* Whether the n characters at p (padded) are the word of wn <= 8
 * characters whose little-endian value is `want`: one load, one compare. */
static inline __attribute__((always_inline)) bool word_is(const char *p, size_t n, uint64_t want, size_t wn)
{
    uint64_t keep = wn == 8 ? ~0ull : (1ull << (8 * wn)) - 1;
    return n == wn && ((load8(p) ^ want) & keep) == 0;
}

/* The little-endian value of a word literal of at most 8 characters: the
 * literal is extended by seven NULs, so each of bytes 0-7 can be indexed. */
#define LE8_AT(w, i) ((uint64_t)(uint8_t)(w "\0\0\0\0\0\0\0")[i] << (8 * (i)))
#define LE8(w) (LE8_AT(w, 0) | LE8_AT(w, 1) | LE8_AT(w, 2) | LE8_AT(w, 3) | LE8_AT(w, 4) | LE8_AT(w, 5) | \
                LE8_AT(w, 6) | LE8_AT(w, 7))

/* (a word of more than 8 characters does not compile: LE8 would cut it) */
#define WORD_IS(p, n, w) (sizeof(char[sizeof(w) <= 9 ? 1 : -1]) && word_is((p), (n), LE8(w), sizeof(w) - 1))

/* One column's value into r. */
static inline __attribute__((always_inline)) fl_error field(fl_field f, const char *p, size_t n, fl_rec *r)
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
        return (u64_of(p, n, &r->packets) ? r->packets < (1ull << 50) : is_dash(p, n)) ? FL_E_NONE : FL_E_NUMBER;
    case FL_BYTES:
        return (u64_of(p, n, &r->bytes) ? r->bytes < (1ull << 50) : is_dash(p, n)) ? FL_E_NONE : FL_E_NUMBER;
    case FL_START: return num_of(p, n, INT32_MAX * 4ull, &r->start) ? FL_E_NONE : FL_E_NUMBER;
    case FL_END: return num_of(p, n, INT32_MAX * 4ull, &r->end) ? FL_E_NONE : FL_E_NUMBER;
    case FL_ACTION:
        r->action = WORD_IS(p, n, "ACCEPT") ? FL_ACCEPT : WORD_IS(p, n, "REJECT") ? FL_REJECT : FL_ACT_NONE;
        return r->action || is_dash(p, n) ? FL_E_NONE : FL_E_ACTION;
    case FL_STATUS:
        if (WORD_IS(p, n, "OK"))
            r->status = FL_OK;
        else if (WORD_IS(p, n, "NODATA"))
            r->status = FL_NODATA;
        else if (WORD_IS(p, n, "SKIPDATA"))
            r->status = FL_SKIPDATA;
        else
            return FL_E_STATUS;
        return FL_E_NONE;
    case FL_ENI: r->eni = text_of(p, n); return FL_E_NONE;
    case FL_REJECT_REASON: r->bpa = WORD_IS(p, n, "BPA"); return FL_E_NONE;
    default: return FL_E_NONE; /* read by nothing */
    }
}

enum { CUTS = FL_MAX_COLUMNS + 64 }; /* (room for a whole block past the columns) */

/* The offsets of the spaces of s[0..len) into cut (CUTS entries) while
 * there are at most max; their count, or max + 1 when there are more. s is
 * padded: loads may pass len by 63 bytes. */
static unsigned spaces(const char *s, size_t len, uint32_t *cut, unsigned max)
{
    unsigned n = 0;
    for (size_t i = 0; i < len; i += 64) {
        uint64_t m = mask64(s + i, ' ');
        if (len - i < 64)
            m &= (1ull << (len - i)) - 1;
        for (; m; m &= m - 1)
            cut[n++] = (uint32_t)(i + (unsigned)__builtin_ctzll(m));
        if (n > max)
            return max + 1;
    }
    return n;
}

/* The columns' values into r, in column order (the first bad one is the
 * line's error). Inlined for the default format: its loop unrolled, each
 * column's field a constant, so no column costs a dispatch. */
static inline __attribute__((always_inline)) fl_error columns(const uint8_t *col, unsigned ncols, const char *line,
                                                              const uint32_t *cut, fl_rec *r)
{
    uint32_t at = 0;
#if defined(__GNUC__) && !defined(__clang__) /* (clang unrolls the constant loop itself, and warns here
                                                 about the other) */
#pragma GCC unroll 16
#endif
    for (unsigned c = 0; c < ncols; c++) {
        uint32_t end = cut[c];
        if (end == at)
            return FL_E_COLUMNS; /* an empty field (two spaces, a trailing space, an empty line) */
        if (col[c] != FL_SKIP) {
            fl_error e = field((fl_field)col[c], line + at, end - at, r);
            if (e)
                return e;
        }
        at = end + 1;
    }
    return FL_E_NONE;
}

fl_error fl_parse_padded(const fl_format *f, const char *line, size_t len, fl_rec *r)
{
    /* (field by field: a whole-struct copy compiles to a slow string instruction) */
    r->status = FL_OK, r->action = FL_ACT_NONE, r->bpa = false;
    r->proto = -1, r->sport = r->dport = -1;
    r->packets = r->bytes = 0;
    r->start = r->end = -1;
    r->src.af = r->dst.af = 0;
    r->eni.p = NULL, r->eni.n = 0;
    if (len && line[len - 1] == '\r')
        len--; /* CRLF line ends */
    if (len > FL_MAX_LINE)
        return FL_E_LONG;
    uint32_t cut[CUTS];
    if (!f->ncols || spaces(line, len, cut, f->ncols - 1u) != f->ncols - 1u)
        return FL_E_COLUMNS;
    cut[f->ncols - 1] = (uint32_t)len;
    return f->v2 ? columns(v2_cols, sizeof v2_cols, line, cut, r) : columns(f->col, f->ncols, line, cut, r);
}

fl_error fl_parse(const fl_format *f, const char *line, size_t len, fl_rec *r)
{
    char *buf = malloc(len + FL_PAD);
    if (!buf)
        return FL_E_LONG; /* (out of memory: counted, not read) */
    memcpy(buf, line, len);
    memset(buf + len, 0, FL_PAD);
    fl_error e = fl_parse_padded(f, buf, len, r);
    if (r->eni.p)
        r->eni.p = line + (r->eni.p - buf); /* into the caller's line */
    free(buf);
    return e;
}
