/*
 * libbill internal: a strict JSON reader that keeps numbers as exact text.
 * See json.h for the accepted language, limits, paths and messages.
 *
 * How it works. One pass over the input with an explicit stack of open
 * containers (no recursion). A finished value is pushed, as a node struct,
 * onto a "pending" stack; when a container closes, its children (the top
 * `count` pending nodes) are copied into the document's arena as one
 * contiguous array, so element i of any container is kids[i]. Parent
 * pointers of those children are set when the container itself reaches its
 * final place (when its own parent closes, or at the end for the top-level
 * value), so each node is copied once or twice and patched once: O(n).
 *
 * The arena is a list of large blocks (the first one sized from the input),
 * holding the document header, the node arrays and the decoded strings and
 * number texts; billi_json_free releases the blocks. The pending stack and a
 * scratch buffer for unescaping are temporary and freed before returning.
 *
 * Columns are counted in code points, incrementally: the parser asks for
 * the column of increasing positions, so the counting is linear overall.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- nodes and documents ------------------------------------------------------ */

struct billi_json_node {
    billi_json_node *parent;    /* NULL for the top-level value */
    const char *key;            /* member key (NUL-terminated) when parent is an object */
    union {
        const char *text;       /* string (decoded) or number (exact text), NUL-terminated */
        billi_json_node *kids;  /* children of an array or object, in order */
    } u;
    uint32_t len;               /* bytes of text, or number of children */
    uint32_t key_len;
    uint32_t index;             /* position in the parent */
    uint32_t line, col;         /* where the value starts */
    uint32_t key_line, key_col; /* where the member's key starts */
    uint8_t type;               /* billi_json_type */
    uint8_t boolean;
};

typedef struct billi_json_chunk {
    struct billi_json_chunk *next;
    size_t cap, used;
} billi_json_chunk;

/* payload starts after the header, rounded up for any node alignment */
#define CHUNK_HDR ((sizeof(billi_json_chunk) + 15) & ~(size_t)15)
#define CHUNK_MAX_GROWTH ((size_t)64 << 20)

struct billi_json_doc {
    billi_json_node root;       /* first: nodes find their document from it */
    const char *source;
    billi_json_chunk *chunks;   /* every block of the arena, this one included */
    size_t node_count;
};

/* Objects up to this many members check duplicates as keys arrive; larger
 * ones are checked once more, by sorting, when they close. */
#define DUP_LINEAR 16
/* Longest path, key or token quoted inside a message. */
#define MSG_PATH_MAX 192
#define MSG_QUOTE_MAX 64
#define MSG_SOURCE_FMT "%.120s"

/* ---- the parser's state ---------------------------------------------------------- */

typedef struct json_frame {
    size_t start;             /* index in pending of the first child */
    size_t count;             /* children finished so far */
    const char *key;          /* key of the member being read (objects) */
    uint32_t key_len, key_line, key_col;
    uint32_t line, col;       /* of the opening bracket */
    uint8_t is_obj;
    uint8_t in_value;         /* a child value is being read: it is part of the path */
} json_frame;

typedef struct json_parser {
    const unsigned char *s;
    size_t n, pos;
    uint32_t line;            /* line of pos */
    size_t line_start;        /* offset where that line starts */
    size_t col_pos;           /* column cache: col_cnt is the column at col_pos */
    uint32_t col_cnt;
    const char *source;
    unsigned depth, max_depth;
    billi_json_chunk *chunks; /* arena, newest block first */
    size_t next_chunk;
    billi_json_node *pend;    /* finished values waiting for their container to close */
    size_t npend, cap_pend;
    char *scratch;            /* decoded text of a string with escapes */
    size_t scratch_len, scratch_cap;
    size_t nodes;
    json_frame frames[BILLI_JSON_MAX_DEPTH];
} json_parser;

/* ---- small helpers ---------------------------------------------------------------- */

static int is_digit(unsigned c) { return c - '0' < 10u; }
static int is_alpha(unsigned c) { return (c | 0x20) - 'a' < 26u; }
static int is_ident(unsigned c) { return is_alpha(c) || is_digit(c) || c == '_'; }

static int hex_val(unsigned c)
{
    if (is_digit(c))
        return (int)(c - '0');
    c |= 0x20;
    if (c - 'a' < 6u)
        return (int)(c - 'a' + 10);
    return -1;
}

/* Four hex digits at s (which has at least 4 bytes): the value, or -1. */
static long hex4(const unsigned char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_val(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Length of the valid UTF-8 sequence starting at s (avail bytes there), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0; /* continuation byte or overlong 2-byte form */
    if (c < 0xE0)
        return avail >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
            return 0; /* overlong, or a UTF-16 surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
            return 0; /* overlong, or above U+10FFFF */
        return 4;
    }
    return 0;
}

int billi_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_len(u + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

static size_t utf8_encode(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Describe the character at s for a message: 'x', U+00E9 'é', U+0001, byte 0xff. */
static void describe_char(char *buf, size_t cap, const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    if (c >= 0x20 && c < 0x7F) {
        snprintf(buf, cap, "'%c'", (char)c);
    } else if (c < 0x80) {
        snprintf(buf, cap, "U+%04X", c);
    } else {
        size_t k = utf8_len(s, avail);
        if (k == 0) {
            snprintf(buf, cap, "byte 0x%02x (invalid UTF-8)", c);
        } else {
            unsigned long cp = c & (0x7Fu >> k);
            for (size_t i = 1; i < k; i++)
                cp = (cp << 6) | (s[i] & 0x3Fu);
            snprintf(buf, cap, "U+%04lX '%.*s'", cp, (int)k, (const char *)s);
        }
    }
}

/* ---- text builder for paths (snprintf-like: counts everything, writes what fits) ---- */

typedef struct sbuf {
    char *buf;
    size_t cap, len;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (b->cap > 0 && b->len < b->cap - 1) {
        size_t room = b->cap - 1 - b->len;
        memcpy(b->buf + b->len, s, n < room ? n : room);
    }
    b->len += n;
}

static void sb_finish(sbuf *b)
{
    if (b->cap > 0)
        b->buf[b->len < b->cap ? b->len : b->cap - 1] = '\0';
}

static int key_is_ident(const char *k, size_t n)
{
    if (n == 0 || is_digit((unsigned char)k[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_ident((unsigned char)k[i]))
            return 0;
    return 1;
}

/* ".key" or ["key"], the key escaped as in a JSON string */
static void put_key(sbuf *b, const char *k, size_t n)
{
    if (key_is_ident(k, n)) {
        sb_put(b, ".", 1);
        sb_put(b, k, n);
        return;
    }
    sb_put(b, "[\"", 2);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F)
            continue;
        sb_put(b, k + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"':  sb_put(b, "\\\"", 2); break;
        case '\\': sb_put(b, "\\\\", 2); break;
        case '\n': sb_put(b, "\\n", 2); break;
        case '\t': sb_put(b, "\\t", 2); break;
        case '\r': sb_put(b, "\\r", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            sb_put(b, esc, 6);
        }
    }
    sb_put(b, k + run, n - run);
    sb_put(b, "\"]", 2);
}

static void put_index(sbuf *b, size_t i)
{
    char t[32];
    int k = snprintf(t, sizeof t, "[%zu]", i);
    sb_put(b, t, (size_t)k);
}

/* Make a rendered path fit a message buffer: cut at a character boundary and add "...". */
static void fit_path(sbuf *b)
{
    if (b->len < b->cap) {
        sb_finish(b);
        return;
    }
    size_t cut = b->cap - 4;
    while (cut > 0 && ((unsigned char)b->buf[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(b->buf + cut, "...", 4);
}

/* ---- the arena ----------------------------------------------------------------------- */

static void chunks_free(billi_json_chunk *c)
{
    while (c) {
        billi_json_chunk *next = c->next;
        free(c);
        c = next;
    }
}

static void *arena_alloc(json_parser *p, size_t size, size_t align)
{
    billi_json_chunk *c = p->chunks;
    if (c) {
        size_t off = (c->used + align - 1) & ~(align - 1);
        if (off <= c->cap && size <= c->cap - off) {
            c->used = off + size;
            return (char *)c + CHUNK_HDR + off;
        }
    }
    int own_block = c && size > p->next_chunk / 2;
    size_t cap = own_block || size > p->next_chunk ? size : p->next_chunk;
    if (cap > SIZE_MAX - CHUNK_HDR)
        return NULL;
    billi_json_chunk *nc = malloc(CHUNK_HDR + cap);
    if (!nc)
        return NULL;
    nc->cap = cap;
    nc->used = size;
    if (own_block) {
        /* a big array gets a block of its own; the current one keeps filling */
        nc->next = c->next;
        c->next = nc;
    } else {
        nc->next = c;
        p->chunks = nc;
        if (p->next_chunk < CHUNK_MAX_GROWTH)
            p->next_chunk *= 2;
    }
    return (char *)nc + CHUNK_HDR;
}

/* ---- positions and errors --------------------------------------------------------------- */

/* Column (from 1, in code points) of offset pos of the current line. */
static uint32_t col_of(json_parser *p, size_t pos)
{
    if (p->col_pos < p->line_start || p->col_pos > pos) {
        p->col_pos = p->line_start;
        p->col_cnt = 1;
    }
    uint32_t c = p->col_cnt;
    for (size_t i = p->col_pos; i < pos; i++)
        c += (p->s[i] & 0xC0) != 0x80;
    p->col_pos = pos;
    p->col_cnt = c;
    return c;
}

/* The path of what the parser is reading: the open containers and, for each
 * one reading a child, that child's key or index. */
static void frames_path(const json_parser *p, char *buf, size_t cap)
{
    sbuf b = {buf, cap, 0};
    sb_put(&b, "$", 1);
    for (unsigned d = 0; d < p->depth; d++) {
        const json_frame *f = &p->frames[d];
        if (!f->in_value)
            break;
        if (f->is_obj)
            put_key(&b, f->key, f->key_len);
        else
            put_index(&b, f->count);
    }
    fit_path(&b);
}

static int perr_at(json_parser *p, int code, uint32_t line, uint32_t col, const char *fmt, ...)
    BILLI_PRINTF(5, 6);

static int perr_at(json_parser *p, int code, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char what[256], path[MSG_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    frames_path(p, path, sizeof path);
    return billi_error(code, MSG_SOURCE_FMT ":%u:%u: %s (at %s)", p->source, (unsigned)line,
                       (unsigned)col, what, path);
}

#define PERR(p, ...) perr_at((p), BILL_ESYNTAX, (p)->line, col_of((p), (p)->pos), __VA_ARGS__)
#define PERR_POS(p, pos, ...) perr_at((p), BILL_ESYNTAX, (p)->line, col_of((p), (pos)), __VA_ARGS__)

static int oom(json_parser *p)
{
    return billi_error(BILL_ENOMEM, MSG_SOURCE_FMT ": out of memory reading JSON", p->source);
}

/* ---- lexing ------------------------------------------------------------------------------- */

static void skip_ws(json_parser *p)
{
    const unsigned char *s = p->s;
    size_t i = p->pos, n = p->n;
    while (i < n) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
        } else if (c == '\n') {
            i++;
            p->line++;
            p->line_start = i;
        } else {
            break;
        }
    }
    p->pos = i;
}

static int scratch_put(json_parser *p, const void *src, size_t n)
{
    if (n == 0)
        return BILL_OK;
    if (n > p->scratch_cap - p->scratch_len) {
        size_t cap = p->scratch_cap ? p->scratch_cap : 256;
        while (cap - p->scratch_len < n)
            cap *= 2;
        char *nb = realloc(p->scratch, cap);
        if (!nb)
            return oom(p);
        p->scratch = nb;
        p->scratch_cap = cap;
    }
    memcpy(p->scratch + p->scratch_len, src, n);
    p->scratch_len += n;
    return BILL_OK;
}

/* Copy n bytes into the arena, NUL-terminated. */
static const char *arena_text(json_parser *p, const void *src, size_t n)
{
    char *d = arena_alloc(p, n + 1, 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, src, n);
    d[n] = '\0';
    return d;
}

/*
 * Read the string whose opening quote is at p->pos (line/col given) into the
 * arena: *out, *out_len. Leaves p->pos after the closing quote.
 */
static int parse_string(json_parser *p, uint32_t qline, uint32_t qcol,
                        const char **out, uint32_t *out_len)
{
    const unsigned char *s = p->s;
    size_t n = p->n, i = p->pos + 1, seg = i;
    int escaped = 0;
    p->scratch_len = 0;
    for (;;) {
        while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
            i++;
        if (i >= n)
            return perr_at(p, BILL_ESYNTAX, qline, qcol, "unterminated string");
        unsigned c = s[i];
        if (c == '"')
            break;
        if (c < 0x20)
            return PERR_POS(p, i, "control character U+%04X in a string must be escaped "
                            "(\\n, \\t, \\u%04X)", c, c);
        if (c >= 0x80) {
            size_t k = utf8_len(s + i, n - i);
            if (k == 0)
                return PERR_POS(p, i, "invalid UTF-8 in a string (byte 0x%02x)", c);
            i += k;
            continue;
        }
        /* a backslash: flush the plain run, decode the escape */
        if (scratch_put(p, s + seg, i - seg))
            return BILL_ENOMEM;
        escaped = 1;
        if (i + 1 >= n)
            return perr_at(p, BILL_ESYNTAX, qline, qcol, "unterminated string");
        char dec[4];
        size_t dlen = 1, used = 2;
        switch (s[i + 1]) {
        case '"':  dec[0] = '"'; break;
        case '\\': dec[0] = '\\'; break;
        case '/':  dec[0] = '/'; break;
        case 'b':  dec[0] = '\b'; break;
        case 'f':  dec[0] = '\f'; break;
        case 'n':  dec[0] = '\n'; break;
        case 'r':  dec[0] = '\r'; break;
        case 't':  dec[0] = '\t'; break;
        case 'u': {
            long cp = i + 6 <= n ? hex4(s + i + 2) : -1;
            if (cp < 0) {
                int k = 2; /* quote the printable characters of "\uXXXX" */
                while (k < 6 && i + (size_t)k < n && s[i + k] > 0x20 && s[i + k] < 0x7F &&
                       s[i + k] != '"' && s[i + k] != '\\')
                    k++;
                return PERR_POS(p, i, "invalid escape '%.*s': \\u needs four hex digits", k,
                                (const char *)s + i);
            }
            used = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = -1;
                if (i + 12 <= n && s[i + 6] == '\\' && s[i + 7] == 'u')
                    lo = hex4(s + i + 8);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return PERR_POS(p, i, "lone surrogate \\u%04lX: a high surrogate must be "
                                    "followed by a low one (\\uDC00-\\uDFFF)", cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                used = 12;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return PERR_POS(p, i, "lone surrogate \\u%04lX: a low surrogate must follow "
                                "a high one (\\uD800-\\uDBFF)", cp);
            }
            dlen = utf8_encode((unsigned long)cp, dec);
            break;
        }
        default: {
            char d[48];
            describe_char(d, sizeof d, s + i + 1, n - i - 1);
            return PERR_POS(p, i, "invalid escape in a string: '\\' followed by %s", d);
        }
        }
        if (scratch_put(p, dec, dlen))
            return BILL_ENOMEM;
        i += used;
        seg = i;
    }
    const char *text;
    size_t len;
    if (escaped) {
        if (scratch_put(p, s + seg, i - seg))
            return BILL_ENOMEM;
        len = p->scratch_len;
        text = arena_text(p, p->scratch, len);
    } else {
        len = i - (p->pos + 1);
        text = arena_text(p, s + p->pos + 1, len);
    }
    if (!text)
        return oom(p);
    *out = text;
    *out_len = (uint32_t)len;
    p->pos = i + 1;
    return BILL_OK;
}

/* A bad token in place of a value: say what it looks like. */
static int bad_value(json_parser *p)
{
    const unsigned char *s = p->s;
    size_t n = p->n, i = p->pos;
    if (i >= n)
        return PERR(p, "unexpected end of input, expected a value");
    unsigned c = s[i];
    char tok[MSG_QUOTE_MAX];
    if (is_alpha(c) || c == '_') {
        size_t e = i;
        while (e < n && is_ident(s[e]) && e - i < 40)
            e++;
        billi_quote(tok, sizeof tok, (const char *)s + i, e - i);
        size_t k = e - i;
        char low[12] = {0};
        for (size_t j = 0; j < k && j < sizeof low - 1; j++)
            low[j] = (char)(s[i + j] | 0x20);
        if ((k == 3 && strcmp(low, "nan") == 0) || (k == 8 && strncmp(low, "infinity", 8) == 0) ||
            (k == 3 && strcmp(low, "inf") == 0))
            return PERR(p, "'%s' is not allowed: JSON has no NaN or Infinity", tok);
        if (c == 't' || c == 'f' || c == 'n' || (k == 4 && strcmp(low, "true") == 0) ||
            (k == 5 && strcmp(low, "false") == 0) || (k == 4 && strcmp(low, "null") == 0) ||
            (k == 4 && strcmp(low, "none") == 0))
            return PERR(p, "invalid literal '%s' (expected true, false or null)", tok);
        return PERR(p, "invalid value '%s' (strings must be in double quotes)", tok);
    }
    switch (c) {
    case '/':
    case '#':
        return PERR(p, "comments are not allowed in JSON");
    case '\'':
        return PERR(p, "strings must be in double quotes, not single quotes");
    case '+':
        return PERR(p, "a number must not start with '+'");
    case '.':
        return PERR(p, "a number must start with a digit, not '.'");
    default: {
        char d[48];
        describe_char(d, sizeof d, s + i, n - i);
        return PERR(p, "expected a value, found %s", d);
    }
    }
}

/* The number at p->pos: validate the JSON grammar, keep the text. */
static int parse_number(json_parser *p, billi_json_node *nd)
{
    const unsigned char *s = p->s;
    size_t n = p->n, st = p->pos, i = st;
    char tok[MSG_QUOTE_MAX];
    if (s[i] == '-') {
        i++;
        if (i >= n || !is_digit(s[i])) {
            if (i < n && (s[i] == 'I' || s[i] == 'i' || s[i] == 'N' || s[i] == 'n'))
                return PERR(p, "JSON has no NaN or Infinity");
            return PERR_POS(p, i, "expected a digit after '-'");
        }
    }
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i])) {
            size_t e = i;
            while (e < n && is_digit(s[e]))
                e++;
            billi_quote(tok, sizeof tok, (const char *)s + st, e - st);
            return PERR(p, "leading zeros are not allowed in numbers ('%s')", tok);
        }
    } else {
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !is_digit(s[i]))
            return PERR_POS(p, i, "expected a digit after the decimal point");
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || !is_digit(s[i]))
            return PERR_POS(p, i, "expected a digit in the exponent");
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (is_ident(s[i]) || s[i] == '.' || s[i] == '+' || s[i] == '-')) {
        size_t e = i;
        while (e < n && (is_ident(s[e]) || s[e] == '.' || s[e] == '+' || s[e] == '-'))
            e++;
        billi_quote(tok, sizeof tok, (const char *)s + st, e - st);
        return PERR(p, "invalid number '%s'", tok);
    }
    nd->type = BILLI_JSON_NUMBER;
    nd->u.text = arena_text(p, s + st, i - st);
    if (!nd->u.text)
        return oom(p);
    nd->len = (uint32_t)(i - st);
    p->pos = i;
    return BILL_OK;
}

/* true, false or null at p->pos */
static int parse_literal(json_parser *p, billi_json_node *nd)
{
    static const struct { const char *word; size_t len; uint8_t type, value; } lits[] = {
        {"true", 4, BILLI_JSON_BOOL, 1},
        {"false", 5, BILLI_JSON_BOOL, 0},
        {"null", 4, BILLI_JSON_NULL, 0},
    };
    size_t avail = p->n - p->pos;
    for (size_t k = 0; k < sizeof lits / sizeof lits[0]; k++) {
        size_t l = lits[k].len;
        if (avail >= l && memcmp(p->s + p->pos, lits[k].word, l) == 0 &&
            (avail == l || !is_ident(p->s[p->pos + l]))) {
            nd->type = lits[k].type;
            nd->boolean = lits[k].value;
            p->pos += l;
            return BILL_OK;
        }
    }
    return bad_value(p);
}

/* ---- containers ------------------------------------------------------------------------------ */

static int cmp_members(const void *a, const void *b)
{
    const billi_json_node *x = *(const billi_json_node *const *)a;
    const billi_json_node *y = *(const billi_json_node *const *)b;
    size_t m = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, m);
    if (c)
        return c;
    if (x->key_len != y->key_len)
        return x->key_len < y->key_len ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int duplicate_error(json_parser *p, const billi_json_node *first, const char *key,
                           uint32_t key_len, uint32_t line, uint32_t col)
{
    char q[MSG_QUOTE_MAX];
    billi_quote(q, sizeof q, key, key_len);
    return perr_at(p, BILL_ESYNTAX, line, col, "duplicate key '%s' (first at %u:%u)", q,
                   (unsigned)first->key_line, (unsigned)first->key_col);
}

/* Duplicates among the members of a large object, found by sorting. */
static int check_duplicates_sorted(json_parser *p, const json_frame *f)
{
    const billi_json_node **v = malloc(f->count * sizeof *v);
    if (!v)
        return oom(p);
    for (size_t j = 0; j < f->count; j++)
        v[j] = &p->pend[f->start + j];
    qsort(v, f->count, sizeof *v, cmp_members);
    /* equal keys are now in runs ordered by position; the second member of
     * a run is its first repeat: report the repeat that comes first */
    const billi_json_node *first = NULL, *again = NULL;
    size_t run = 0;
    for (size_t j = 1; j < f->count; j++) {
        const billi_json_node *a = v[run], *b = v[j];
        if (a->key_len != b->key_len || memcmp(a->key, b->key, a->key_len) != 0) {
            run = j;
        } else if (j == run + 1 && (!again || b->index < again->index)) {
            first = a;
            again = b;
        }
    }
    int rc = BILL_OK;
    if (again)
        rc = duplicate_error(p, first, again->key, again->key_len, again->key_line,
                             again->key_col);
    free(v);
    return rc;
}

/* Read a member key at p->pos (whitespace skipped) and the ':' after it. */
static int read_key(json_parser *p, json_frame *f, int after_comma)
{
    const unsigned char *s = p->s;
    if (p->pos >= p->n)
        return PERR(p, "unexpected end of input: object opened at %u:%u is not closed",
                    (unsigned)f->line, (unsigned)f->col);
    unsigned c = s[p->pos];
    if (c != '"') {
        if (is_alpha(c) || c == '_' || is_digit(c))
            return PERR(p, "object keys must be strings in double quotes");
        if (c == '\'')
            return PERR(p, "strings must be in double quotes, not single quotes");
        if (c == '/' || c == '#')
            return PERR(p, "comments are not allowed in JSON");
        char d[48];
        describe_char(d, sizeof d, s + p->pos, p->n - p->pos);
        return PERR(p, after_comma ? "expected a string key, found %s"
                                   : "expected a string key or '}', found %s", d);
    }
    uint32_t kline = p->line, kcol = col_of(p, p->pos);
    const char *key;
    uint32_t klen;
    int rc = parse_string(p, kline, kcol, &key, &klen);
    if (rc)
        return rc;
    if (f->count < DUP_LINEAR) {
        for (size_t j = f->start; j < p->npend; j++) {
            const billi_json_node *m = &p->pend[j];
            if (m->key_len == klen && memcmp(m->key, key, klen) == 0)
                return duplicate_error(p, m, key, klen, kline, kcol);
        }
    }
    skip_ws(p);
    if (p->pos >= p->n || s[p->pos] != ':') {
        char q[MSG_QUOTE_MAX];
        billi_quote(q, sizeof q, key, klen);
        return PERR(p, "expected ':' after key '%s'", q);
    }
    p->pos++;
    f->key = key;
    f->key_len = klen;
    f->key_line = kline;
    f->key_col = kcol;
    f->in_value = 1;
    return BILL_OK;
}

/* A finished value becomes the next child of the innermost open container. */
static int push_child(json_parser *p, json_frame *f, billi_json_node *nd)
{
    if (p->npend == p->cap_pend) {
        size_t cap = p->cap_pend ? p->cap_pend * 2 : 64;
        if (cap > SIZE_MAX / sizeof *p->pend)
            return oom(p);
        billi_json_node *np = realloc(p->pend, cap * sizeof *np);
        if (!np)
            return oom(p);
        p->pend = np;
        p->cap_pend = cap;
    }
    nd->index = (uint32_t)f->count;
    if (f->is_obj) {
        nd->key = f->key;
        nd->key_len = f->key_len;
        nd->key_line = f->key_line;
        nd->key_col = f->key_col;
    }
    p->pend[p->npend++] = *nd;
    f->count++;
    f->in_value = 0;
    return BILL_OK;
}

/* Children of a node that has reached its final place point back to it. */
static void adopt(billi_json_node *nd)
{
    if (nd->type == BILLI_JSON_ARRAY || nd->type == BILLI_JSON_OBJECT)
        for (uint32_t j = 0; j < nd->len; j++)
            nd->u.kids[j].parent = nd;
}

/* Close the innermost container: *nd becomes its node. */
static int close_container(json_parser *p, billi_json_node *nd)
{
    json_frame *f = &p->frames[p->depth - 1];
    memset(nd, 0, sizeof *nd);
    nd->type = f->is_obj ? BILLI_JSON_OBJECT : BILLI_JSON_ARRAY;
    nd->line = f->line;
    nd->col = f->col;
    nd->len = (uint32_t)f->count;
    if (f->count > 0) {
        if (f->is_obj && f->count > DUP_LINEAR) {
            int rc = check_duplicates_sorted(p, f);
            if (rc)
                return rc;
        }
        if (f->count > SIZE_MAX / sizeof(billi_json_node))
            return oom(p);
        billi_json_node *kids =
            arena_alloc(p, f->count * sizeof *kids, _Alignof(billi_json_node));
        if (!kids)
            return oom(p);
        memcpy(kids, p->pend + f->start, f->count * sizeof *kids);
        for (size_t j = 0; j < f->count; j++)
            adopt(&kids[j]);
        nd->u.kids = kids;
    }
    p->npend = f->start;
    p->depth--;
    return BILL_OK;
}

/* The whole value at p->pos; the top-level node goes to *root. */
static int parse_value_tree(json_parser *p, billi_json_node *root)
{
    const unsigned char *s = p->s;
    billi_json_node nd;
    int rc;
    for (;;) {
        /* a value is expected here */
        skip_ws(p);
        if (p->pos >= p->n) {
            if (p->depth == 0)
                return PERR(p, "empty document");
            const json_frame *f = &p->frames[p->depth - 1];
            return PERR(p, "unexpected end of input: %s opened at %u:%u is not closed",
                        f->is_obj ? "object" : "array", (unsigned)f->line, (unsigned)f->col);
        }
        memset(&nd, 0, sizeof nd);
        nd.line = p->line;
        nd.col = col_of(p, p->pos);
        unsigned c = s[p->pos];
        switch (c) {
        case '{':
        case '[': {
            if (p->depth >= p->max_depth)
                return perr_at(p, BILL_ERANGE, nd.line, nd.col,
                               "nesting deeper than %u arrays and objects", p->max_depth);
            json_frame *f = &p->frames[p->depth++];
            memset(f, 0, sizeof *f);
            f->start = p->npend;
            f->is_obj = c == '{';
            f->line = nd.line;
            f->col = nd.col;
            p->pos++;
            skip_ws(p);
            if (p->pos < p->n && s[p->pos] == (f->is_obj ? '}' : ']')) {
                p->pos++;
                rc = close_container(p, &nd);
                if (rc)
                    return rc;
                break; /* an empty container is a finished value */
            }
            if (f->is_obj) {
                rc = read_key(p, f, 0);
                if (rc)
                    return rc;
            } else {
                f->in_value = 1;
            }
            continue; /* read the first child */
        }
        case '"': {
            rc = parse_string(p, nd.line, nd.col, &nd.u.text, &nd.len);
            if (rc)
                return rc;
            nd.type = BILLI_JSON_STRING;
            break;
        }
        case 't':
        case 'f':
        case 'n':
            rc = parse_literal(p, &nd);
            if (rc)
                return rc;
            break;
        default:
            if (c == '-' || is_digit(c)) {
                rc = parse_number(p, &nd);
                if (rc)
                    return rc;
                break;
            }
            return bad_value(p);
        }

        /* nd is a finished value: hand it to its container, then read what
         * follows it; each closing bracket finishes one more value */
        for (;;) {
            p->nodes++;
            if (p->depth == 0) {
                *root = nd;
                return BILL_OK;
            }
            json_frame *f = &p->frames[p->depth - 1];
            rc = push_child(p, f, &nd);
            if (rc)
                return rc;
            skip_ws(p);
            char closer = f->is_obj ? '}' : ']';
            if (p->pos >= p->n)
                return PERR(p, "unexpected end of input: %s opened at %u:%u is not closed",
                            f->is_obj ? "object" : "array", (unsigned)f->line, (unsigned)f->col);
            c = s[p->pos];
            if (c == ',') {
                uint32_t cl = p->line, cc = col_of(p, p->pos);
                p->pos++;
                skip_ws(p);
                if (p->pos < p->n && s[p->pos] == (unsigned char)closer)
                    return perr_at(p, BILL_ESYNTAX, cl, cc, "trailing comma before '%c'", closer);
                if (f->is_obj) {
                    rc = read_key(p, f, 1);
                    if (rc)
                        return rc;
                } else {
                    f->in_value = 1;
                }
                break; /* read the next child */
            }
            if (c == (unsigned char)closer) {
                p->pos++;
                rc = close_container(p, &nd);
                if (rc)
                    return rc;
                continue; /* the container is a finished value */
            }
            if (c == '/' || c == '#')
                return PERR(p, "comments are not allowed in JSON");
            char d[48];
            describe_char(d, sizeof d, s + p->pos, p->n - p->pos);
            if (f->is_obj) {
                const billi_json_node *last = &p->pend[p->npend - 1];
                char q[MSG_QUOTE_MAX];
                billi_quote(q, sizeof q, last->key, last->key_len);
                return PERR(p, "expected ',' or '}' after member '%s', found %s", q, d);
            }
            return PERR(p, "expected ',' or ']' after element %zu, found %s", f->count - 1, d);
        }
    }
}

int billi_json_parse_limited(billi_json_doc **out, const char *text, size_t len,
                             const char *source_name, const billi_json_limits *limits)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    *out = NULL;
    BILLI_CHECK_ARG(text != NULL || len == 0, "text");
    if (len == (size_t)-1)
        len = strlen(text);
    const char *source = source_name ? source_name : "<json>";
    size_t max_bytes = BILLI_JSON_DEFAULT_MAX_BYTES;
    unsigned max_depth = BILLI_JSON_MAX_DEPTH;
    if (limits && limits->max_bytes)
        max_bytes = limits->max_bytes < BILLI_JSON_MAX_BYTES_CAP ? limits->max_bytes
                                                                 : BILLI_JSON_MAX_BYTES_CAP;
    if (limits && limits->max_depth && limits->max_depth < max_depth)
        max_depth = limits->max_depth;
    if (len > max_bytes)
        return billi_error(BILL_ERANGE,
                           MSG_SOURCE_FMT ": document of %zu bytes is over the limit of %zu bytes",
                           source, len, max_bytes);

    json_parser p;
    memset(&p, 0, sizeof p);
    p.s = (const unsigned char *)(text ? text : "");
    p.n = len;
    p.line = 1;
    p.col_cnt = 1;
    p.source = source;
    p.max_depth = max_depth;
    /* one block usually holds everything: nodes + text take ~2-6x the input */
    p.next_chunk = 4096 + (len < CHUNK_MAX_GROWTH ? 2 * len : CHUNK_MAX_GROWTH);

    billi_json_doc *doc = arena_alloc(&p, sizeof *doc, _Alignof(billi_json_doc));
    if (!doc)
        return oom(&p);
    memset(doc, 0, sizeof *doc);
    doc->source = arena_text(&p, source, strlen(source));
    if (!doc->source) {
        chunks_free(p.chunks);
        return oom(&p);
    }

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        p.pos = 3; /* byte-order mark: skipped, not counted as a column */
        p.line_start = p.col_pos = 3;
    }
    billi_json_node root;
    int rc = parse_value_tree(&p, &root);
    if (rc == BILL_OK) {
        skip_ws(&p);
        if (p.pos < p.n) {
            char d[48];
            describe_char(d, sizeof d, p.s + p.pos, p.n - p.pos);
            rc = PERR(&p, "unexpected %s after the end of the document", d);
        }
    }
    free(p.pend);
    free(p.scratch);
    if (rc) {
        chunks_free(p.chunks);
        return rc;
    }
    doc->root = root;
    adopt(&doc->root);
    doc->chunks = p.chunks;
    doc->node_count = p.nodes;
    *out = doc;
    return BILL_OK;
}

int billi_json_parse(billi_json_doc **out, const char *text, size_t len, const char *source_name)
{
    return billi_json_parse_limited(out, text, len, source_name, NULL);
}

void billi_json_free(billi_json_doc *doc)
{
    if (doc)
        chunks_free(doc->chunks);
}

const billi_json_node *billi_json_root(const billi_json_doc *doc)
{
    return doc ? &doc->root : NULL;
}

const char *billi_json_source(const billi_json_doc *doc)
{
    return doc ? doc->source : "<json>";
}

size_t billi_json_node_count(const billi_json_doc *doc)
{
    return doc ? doc->node_count : 0;
}

/* ---- node access ------------------------------------------------------------------------------ */

billi_json_type billi_json_typeof(const billi_json_node *n)
{
    return n ? (billi_json_type)n->type : BILLI_JSON_NULL;
}

const char *billi_json_type_name(int type)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};
    return type >= 0 && type < (int)(sizeof names / sizeof names[0]) ? names[type] : "?";
}

/* "a number", "an array", "null" */
static const char *type_with_article(int type)
{
    static const char *const names[] = {"null", "a boolean", "a number", "a string", "an array",
                                        "an object"};
    return type >= 0 && type < (int)(sizeof names / sizeof names[0]) ? names[type] : "?";
}

int billi_json_is_null(const billi_json_node *n)
{
    return n && n->type == BILLI_JSON_NULL;
}

static int is_container(const billi_json_node *n)
{
    return n && (n->type == BILLI_JSON_ARRAY || n->type == BILLI_JSON_OBJECT);
}

size_t billi_json_size(const billi_json_node *n)
{
    return is_container(n) ? n->len : 0;
}

const billi_json_node *billi_json_at(const billi_json_node *n, size_t i)
{
    return is_container(n) && i < n->len ? &n->u.kids[i] : NULL;
}

const billi_json_node *billi_json_findn(const billi_json_node *obj, const char *key,
                                        size_t key_len)
{
    if (!obj || obj->type != BILLI_JSON_OBJECT || !key)
        return NULL;
    for (uint32_t i = 0; i < obj->len; i++) {
        const billi_json_node *m = &obj->u.kids[i];
        if (m->key_len == key_len && memcmp(m->key, key, key_len) == 0)
            return m;
    }
    return NULL;
}

const billi_json_node *billi_json_find(const billi_json_node *obj, const char *key)
{
    return key ? billi_json_findn(obj, key, strlen(key)) : NULL;
}

const billi_json_node *billi_json_parent(const billi_json_node *n)
{
    return n ? n->parent : NULL;
}

size_t billi_json_index(const billi_json_node *n)
{
    return n ? n->index : 0;
}

const char *billi_json_key(const billi_json_node *n, size_t *len)
{
    if (!n || !n->parent || n->parent->type != BILLI_JSON_OBJECT) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = n->key_len;
    return n->key;
}

const char *billi_json_string(const billi_json_node *n, size_t *len)
{
    int ok = n && n->type == BILLI_JSON_STRING;
    if (len)
        *len = ok ? n->len : 0;
    return ok ? n->u.text : NULL;
}

const char *billi_json_number(const billi_json_node *n, size_t *len)
{
    int ok = n && n->type == BILLI_JSON_NUMBER;
    if (len)
        *len = ok ? n->len : 0;
    return ok ? n->u.text : NULL;
}

int billi_json_bool(const billi_json_node *n)
{
    return n && n->type == BILLI_JSON_BOOL ? n->boolean : -1;
}

unsigned billi_json_line(const billi_json_node *n) { return n ? n->line : 0; }
unsigned billi_json_col(const billi_json_node *n) { return n ? n->col : 0; }
unsigned billi_json_key_line(const billi_json_node *n) { return n ? n->key_line : 0; }
unsigned billi_json_key_col(const billi_json_node *n) { return n ? n->key_col : 0; }

const billi_json_doc *billi_json_doc_of(const billi_json_node *n)
{
    if (!n)
        return NULL;
    while (n->parent)
        n = n->parent;
    return (const billi_json_doc *)(const void *)((const char *)n -
                                                  offsetof(billi_json_doc, root));
}

size_t billi_json_path(const billi_json_node *n, char *buf, size_t cap)
{
    sbuf b = {buf, cap, 0};
    if (n) {
        /* depth is at most BILLI_JSON_MAX_DEPTH containers above a node */
        const billi_json_node *chain[BILLI_JSON_MAX_DEPTH + 1];
        size_t k = 0;
        for (const billi_json_node *m = n; m->parent && k < BILLI_JSON_MAX_DEPTH + 1;
             m = m->parent)
            chain[k++] = m;
        sb_put(&b, "$", 1);
        while (k-- > 0) {
            const billi_json_node *m = chain[k];
            if (m->parent->type == BILLI_JSON_OBJECT)
                put_key(&b, m->key, m->key_len);
            else
                put_index(&b, m->index);
        }
    }
    sb_finish(&b);
    return b.len;
}

/* ---- errors about nodes ------------------------------------------------------------------------- */

static void msg_path(const billi_json_node *n, char *buf, size_t cap)
{
    sbuf b = {buf, cap, 0};
    b.len = billi_json_path(n, buf, cap);
    fit_path(&b);
}

/* "<source>:<line>:<col>: <text>" */
static int node_verror(const billi_json_node *n, uint32_t line, uint32_t col, int code,
                       const char *fmt, va_list ap)
{
    char what[384];
    vsnprintf(what, sizeof what, fmt, ap);
    if (!n)
        return billi_error(code, "%s", what);
    return billi_error(code, MSG_SOURCE_FMT ":%u:%u: %s", billi_json_doc_of(n)->source,
                       (unsigned)line, (unsigned)col, what);
}

static int node_error_at(const billi_json_node *n, uint32_t line, uint32_t col, int code,
                         const char *fmt, ...) BILLI_PRINTF(5, 6);

static int node_error_at(const billi_json_node *n, uint32_t line, uint32_t col, int code,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    node_verror(n, line, col, code, fmt, ap);
    va_end(ap);
    return code;
}

#define NODE_ERROR(n, code, ...) node_error_at((n), (n)->line, (n)->col, (code), __VA_ARGS__)

int billi_json_fail(const billi_json_node *n, int code, const char *fmt, ...)
{
    char what[320], path[MSG_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!n)
        return billi_error(code, "%s", what);
    msg_path(n, path, sizeof path);
    return NODE_ERROR(n, code, "%s (at %s)", what, path);
}

static int type_error(const billi_json_node *n, const char *expected)
{
    char path[MSG_PATH_MAX];
    msg_path(n, path, sizeof path);
    return NODE_ERROR(n, BILL_ESYNTAX, "expected %s at %s, found %s", expected, path,
                      type_with_article(n->type));
}

int billi_json_expect(const billi_json_node *n, billi_json_type type)
{
    BILLI_CHECK_ARG(n != NULL, "n");
    if (n->type == type)
        return BILL_OK;
    return type_error(n, type_with_article((int)type));
}

/* Levenshtein distance of two short byte strings (both <= 32 bytes). */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[33];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

int billi_json_check_keys(const billi_json_node *obj, const char *const *allowed,
                          const char *what)
{
    BILLI_CHECK_ARG(obj != NULL, "obj");
    BILLI_CHECK_ARG(allowed != NULL, "allowed");
    if (obj->type != BILLI_JSON_OBJECT)
        return type_error(obj, "an object");
    for (uint32_t i = 0; i < obj->len; i++) {
        const billi_json_node *m = &obj->u.kids[i];
        const char *best = NULL;
        size_t best_d = 3, k;
        for (k = 0; allowed[k]; k++) {
            size_t al = strlen(allowed[k]);
            if (al == m->key_len && memcmp(allowed[k], m->key, al) == 0)
                break;
            if (al <= 32 && m->key_len <= 32) {
                size_t d = edit_distance(m->key, m->key_len, allowed[k], al);
                if (d < best_d && d < al && d < m->key_len) {
                    best = allowed[k];
                    best_d = d;
                }
            }
        }
        if (allowed[k])
            continue; /* known */
        char list[200], q[MSG_QUOTE_MAX], path[MSG_PATH_MAX], hint[MSG_QUOTE_MAX + 24] = "";
        sbuf b = {list, sizeof list, 0};
        for (k = 0; allowed[k]; k++) {
            if (k)
                sb_put(&b, ", ", 2);
            sb_put(&b, allowed[k], strlen(allowed[k]));
        }
        if (k == 0)
            sb_put(&b, "none", 4);
        fit_path(&b);
        if (best)
            snprintf(hint, sizeof hint, "; did you mean '%.*s'?", MSG_QUOTE_MAX, best);
        billi_quote(q, sizeof q, m->key, m->key_len);
        msg_path(obj, path, sizeof path);
        return node_error_at(obj, m->key_line, m->key_col, BILL_ESYNTAX,
                             "unknown field '%s'%s%s at %s (allowed: %s%s)", q,
                             what ? " in " : "", what ? what : "", path, list, hint);
    }
    return BILL_OK;
}

/* ---- converting one node --------------------------------------------------------------------------- */

int billi_json_to_string(const billi_json_node *n, const char **str, size_t *len)
{
    BILLI_CHECK_ARG(n != NULL, "n");
    BILLI_CHECK_ARG(str != NULL, "str");
    if (n->type != BILLI_JSON_STRING)
        return type_error(n, "a string");
    if (memchr(n->u.text, '\0', n->len)) {
        char path[MSG_PATH_MAX];
        msg_path(n, path, sizeof path);
        return NODE_ERROR(n, BILL_ESYNTAX, "the string at %s contains a NUL character (\\u0000)",
                          path);
    }
    *str = n->u.text;
    if (len)
        *len = n->len;
    return BILL_OK;
}

/* A failed bill_*_parse on n's text: "invalid <what> '<text>' at <path> (<detail>)". */
static int conversion_error(const billi_json_node *n, int code, const char *what)
{
    char detail[BILLI_ERRMSG_MAX], q[MSG_QUOTE_MAX], path[MSG_PATH_MAX];
    snprintf(detail, sizeof detail, "%s", bill_errmsg()); /* before it is overwritten */
    billi_quote(q, sizeof q, n->u.text, n->len);
    msg_path(n, path, sizeof path);
    return NODE_ERROR(n, code, "invalid %s '%s' at %s (%.200s)", what, q, path, detail);
}

int billi_json_to_dec(const billi_json_node *n, bill_dec *out)
{
    BILLI_CHECK_ARG(n != NULL, "n");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (n->type != BILLI_JSON_NUMBER && n->type != BILLI_JSON_STRING)
        return type_error(n, "a decimal (a number or a string)");
    int rc = bill_dec_parse(out, n->u.text, n->len);
    return rc == BILL_OK ? BILL_OK : conversion_error(n, rc, "decimal");
}

int billi_json_to_int(const billi_json_node *n, int64_t min, int64_t max, int64_t *out)
{
    BILLI_CHECK_ARG(n != NULL, "n");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (n->type != BILLI_JSON_NUMBER)
        return type_error(n, "an integer");
    const char *t = n->u.text;
    size_t i = t[0] == '-';
    char q[MSG_QUOTE_MAX], path[MSG_PATH_MAX];
    if (strspn(t + i, "0123456789") != n->len - i) {
        billi_quote(q, sizeof q, t, n->len);
        msg_path(n, path, sizeof path);
        return NODE_ERROR(n, BILL_ESYNTAX, "expected an integer at %s, found %s", path, q);
    }
    uint64_t mag = 0, lim = (uint64_t)INT64_MAX + 1;
    int neg = t[0] == '-', fits = 1;
    for (; i < n->len; i++) {
        unsigned d = (unsigned)(t[i] - '0');
        if (mag > (UINT64_MAX - d) / 10) {
            fits = 0;
            break;
        }
        mag = mag * 10 + d;
    }
    fits = fits && (neg ? mag <= lim : mag < lim);
    int64_t v = 0;
    if (fits)
        v = neg ? (mag == lim ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    if (!fits || v < min || v > max) {
        billi_quote(q, sizeof q, t, n->len);
        msg_path(n, path, sizeof path);
        return NODE_ERROR(n, BILL_ERANGE, "value %s at %s is out of range [%lld, %lld]", q, path,
                          (long long)min, (long long)max);
    }
    *out = v;
    return BILL_OK;
}

int billi_json_to_bool(const billi_json_node *n, int *out)
{
    BILLI_CHECK_ARG(n != NULL, "n");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (n->type != BILLI_JSON_BOOL)
        return type_error(n, "a boolean");
    *out = n->boolean;
    return BILL_OK;
}

int billi_json_to_date(const billi_json_node *n, bill_date *out)
{
    BILLI_CHECK_ARG(n != NULL, "n");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (n->type != BILLI_JSON_STRING)
        return type_error(n, "a date string");
    int rc = bill_date_parse(out, n->u.text, n->len);
    return rc == BILL_OK ? BILL_OK : conversion_error(n, rc, "date");
}

/* ---- getters ------------------------------------------------------------------------------------------ */

int billi_json_get(const billi_json_node *obj, const char *key, int required,
                   const billi_json_node **out)
{
    BILLI_CHECK_ARG(obj != NULL, "obj");
    BILLI_CHECK_ARG(key != NULL, "key");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (obj->type != BILLI_JSON_OBJECT)
        return type_error(obj, "an object");
    const billi_json_node *v = billi_json_find(obj, key);
    if (!v && required) {
        char q[MSG_QUOTE_MAX], path[MSG_PATH_MAX];
        billi_quote(q, sizeof q, key, strlen(key));
        msg_path(obj, path, sizeof path);
        return NODE_ERROR(obj, BILL_ESYNTAX, "missing field '%s' at %s", q, path);
    }
    *out = v;
    return BILL_OK;
}

int billi_json_get_string(const billi_json_node *obj, const char *key, int required,
                          const char **str, size_t *len)
{
    const billi_json_node *v = NULL;
    BILLI_CHECK_ARG(str != NULL, "str");
    int rc = billi_json_get(obj, key, required, &v);
    if (rc || !v)
        return rc;
    return billi_json_to_string(v, str, len);
}

int billi_json_get_dec(const billi_json_node *obj, const char *key, int required, bill_dec *out)
{
    const billi_json_node *v = NULL;
    BILLI_CHECK_ARG(out != NULL, "out");
    int rc = billi_json_get(obj, key, required, &v);
    if (rc || !v)
        return rc;
    return billi_json_to_dec(v, out);
}

int billi_json_get_int(const billi_json_node *obj, const char *key, int required, int64_t min,
                       int64_t max, int64_t *out)
{
    const billi_json_node *v = NULL;
    BILLI_CHECK_ARG(out != NULL, "out");
    int rc = billi_json_get(obj, key, required, &v);
    if (rc || !v)
        return rc;
    return billi_json_to_int(v, min, max, out);
}

int billi_json_get_bool(const billi_json_node *obj, const char *key, int required, int *out)
{
    const billi_json_node *v = NULL;
    BILLI_CHECK_ARG(out != NULL, "out");
    int rc = billi_json_get(obj, key, required, &v);
    if (rc || !v)
        return rc;
    return billi_json_to_bool(v, out);
}

int billi_json_get_date(const billi_json_node *obj, const char *key, int required,
                        bill_date *out)
{
    const billi_json_node *v = NULL;
    BILLI_CHECK_ARG(out != NULL, "out");
    int rc = billi_json_get(obj, key, required, &v);
    if (rc || !v)
        return rc;
    return billi_json_to_date(v, out);
}

static int get_typed(const billi_json_node *obj, const char *key, int required,
                     const billi_json_node **out, billi_json_type type)
{
    const billi_json_node *v = NULL;
    int rc = billi_json_get(obj, key, required, &v);
    if (rc)
        return rc;
    if (v && v->type != type)
        return type_error(v, type_with_article((int)type));
    *out = v;
    return BILL_OK;
}

int billi_json_get_array(const billi_json_node *obj, const char *key, int required,
                         const billi_json_node **out)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    return get_typed(obj, key, required, out, BILLI_JSON_ARRAY);
}

int billi_json_get_object(const billi_json_node *obj, const char *key, int required,
                          const billi_json_node **out)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    return get_typed(obj, key, required, out, BILLI_JSON_OBJECT);
}
