/*
 * Fuzz harness for the internal JSON reader (libbill/json.c).
 *
 * The input is handed to billi_json_parse as it is (len = size, no NUL).
 * The harness checks the parser against its own small recursive reading of
 * RFC 8259 (with the reader's extra rules: no duplicate keys, nesting of at
 * most BILLI_JSON_MAX_DEPTH): both must accept or reject the same inputs.
 * On a rejection the status and the shape of the message are checked. On an
 * accepted document it walks the whole tree and checks:
 *   - parent, index, key lookup and the document agree for every node;
 *   - every path renders, fully and truncated (snprintf-like), and extends
 *     its parent's path;
 *   - every line:column points at the first character of its value (or
 *     key) in the input, and positions increase in document order;
 *   - number texts follow the JSON grammar, strings are valid UTF-8;
 *   - the node count is right;
 *   - the getters, billi_json_check_keys and billi_json_fail either succeed
 *     or fail with a message;
 *   - writing the tree back out as JSON and reading that gives the same tree.
 * Any broken invariant calls abort(), which libFuzzer and the replay driver
 * report as a crash.
 */
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "json_fuzzer: invariant failed at line %d: %s\n",      \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* ---- an independent reference reader (accept / reject only) ------------------ */

enum { REF_OK = 0, REF_BAD = 1, REF_DEEP = 2 };

typedef struct ref {
    const unsigned char *s;
    size_t n, i;
} ref;

static void ref_ws(ref *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' ||
                           r->s[r->i] == '\r'))
        r->i++;
}

static int ref_digit(const ref *r)
{
    return r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9';
}

/* One UTF-8 encoded character of 2-4 bytes at r->i: decode and range-check it. */
static int ref_utf8(ref *r)
{
    unsigned c = r->s[r->i];
    unsigned long cp, min;
    size_t k;
    if (c >= 0xC0 && c < 0xE0) {
        k = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c < 0xF0) {
        k = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c < 0xF8) {
        k = 3; cp = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (r->n - r->i <= k)
        return 0;
    for (size_t j = 1; j <= k; j++) {
        if ((r->s[r->i + j] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (r->s[r->i + j] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    r->i += k + 1;
    return 1;
}

static long ref_hex4(const ref *r, size_t at)
{
    long v = 0;
    if (at + 4 > r->n)
        return -1;
    for (size_t j = at; j < at + 4; j++) {
        char c = (char)r->s[j];
        const char *h = strchr("0123456789abcdef", c >= 'A' && c <= 'F' ? c + 32 : c);
        if (!c || !h)
            return -1;
        v = v * 16 + (h - "0123456789abcdef");
    }
    return v;
}

/* A string at r->i (the quote): decoded into a new buffer *out (bytes *len). */
static int ref_string(ref *r, char **out, size_t *len)
{
    char *buf = malloc(r->n - r->i + 1);
    size_t o = 0;
    CHECK(buf != NULL);
    r->i++;
    for (;;) {
        if (r->i >= r->n)
            goto bad;
        unsigned c = r->s[r->i];
        if (c == '"') {
            r->i++;
            break;
        }
        if (c < 0x20)
            goto bad;
        if (c >= 0x80) {
            size_t st = r->i;
            if (!ref_utf8(r))
                goto bad;
            memcpy(buf + o, r->s + st, r->i - st);
            o += r->i - st;
            continue;
        }
        if (c != '\\') {
            buf[o++] = (char)c;
            r->i++;
            continue;
        }
        if (r->i + 1 >= r->n)
            goto bad;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *e = r->s[r->i + 1] ? strchr(from, r->s[r->i + 1]) : NULL;
        if (e) {
            buf[o++] = to[e - from];
            r->i += 2;
            continue;
        }
        if (r->s[r->i + 1] != 'u')
            goto bad;
        long cp = ref_hex4(r, r->i + 2);
        if (cp < 0)
            goto bad;
        r->i += 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            goto bad;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (r->i + 1 >= r->n || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
                goto bad;
            long lo = ref_hex4(r, r->i + 2);
            if (lo < 0xDC00 || lo > 0xDFFF)
                goto bad;
            r->i += 6;
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00);
        }
        if (cp < 0x80) {
            buf[o++] = (char)cp;
        } else if (cp < 0x800) {
            buf[o++] = (char)(0xC0 | (cp >> 6));
            buf[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            buf[o++] = (char)(0xE0 | (cp >> 12));
            buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            buf[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            buf[o++] = (char)(0xF0 | (cp >> 18));
            buf[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            buf[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            buf[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    *out = buf;
    *len = o;
    return REF_OK;
bad:
    free(buf);
    return REF_BAD;
}

static int ref_number(ref *r)
{
    if (r->s[r->i] == '-')
        r->i++;
    if (!ref_digit(r))
        return REF_BAD;
    if (r->s[r->i] == '0') {
        r->i++;
    } else {
        while (ref_digit(r))
            r->i++;
    }
    if (r->i < r->n && r->s[r->i] == '.') {
        r->i++;
        if (!ref_digit(r))
            return REF_BAD;
        while (ref_digit(r))
            r->i++;
    }
    if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
            r->i++;
        if (!ref_digit(r))
            return REF_BAD;
        while (ref_digit(r))
            r->i++;
    }
    return REF_OK;
}

/* A value; `depth` containers are open around it. Recursion stops at the limit. */
static int ref_value(ref *r, int depth)
{
    ref_ws(r);
    if (r->i >= r->n)
        return REF_BAD;
    unsigned c = r->s[r->i];
    if (c == '"') {
        char *s;
        size_t l;
        int rc = ref_string(r, &s, &l);
        if (rc == REF_OK)
            free(s);
        return rc;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return ref_number(r);
    static const char *const lits[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t l = strlen(lits[k]);
        if (r->n - r->i >= l && memcmp(r->s + r->i, lits[k], l) == 0) {
            r->i += l;
            return REF_OK;
        }
    }
    if (c != '[' && c != '{')
        return REF_BAD;
    if (depth >= BILLI_JSON_MAX_DEPTH)
        return REF_DEEP;
    r->i++;
    ref_ws(r);
    if (r->i < r->n && r->s[r->i] == (c == '[' ? ']' : '}')) {
        r->i++;
        return REF_OK;
    }
    char **keys = NULL;
    size_t *klens = NULL, nkeys = 0;
    int rc = REF_OK;
    for (;;) {
        if (c == '{') {
            ref_ws(r);
            char *k;
            size_t kl;
            if (r->i >= r->n || r->s[r->i] != '"' || ref_string(r, &k, &kl) != REF_OK) {
                rc = REF_BAD;
                break;
            }
            for (size_t j = 0; j < nkeys && rc == REF_OK; j++)
                if (klens[j] == kl && memcmp(keys[j], k, kl) == 0)
                    rc = REF_BAD;
            keys = realloc(keys, (nkeys + 1) * sizeof *keys);
            klens = realloc(klens, (nkeys + 1) * sizeof *klens);
            CHECK(keys && klens);
            keys[nkeys] = k;
            klens[nkeys++] = kl;
            if (rc != REF_OK)
                break;
            ref_ws(r);
            if (r->i >= r->n || r->s[r->i] != ':') {
                rc = REF_BAD;
                break;
            }
            r->i++;
        }
        rc = ref_value(r, depth + 1);
        if (rc != REF_OK)
            break;
        ref_ws(r);
        if (r->i < r->n && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->s[r->i] == (c == '[' ? ']' : '}'))
            r->i++;
        else
            rc = REF_BAD;
        break;
    }
    for (size_t j = 0; j < nkeys; j++)
        free(keys[j]);
    free(keys);
    free(klens);
    return rc;
}

static int ref_document(const uint8_t *data, size_t size)
{
    ref r = {data, size, 0};
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.i = 3;
    int rc = ref_value(&r, 0);
    if (rc != REF_OK)
        return rc;
    ref_ws(&r);
    return r.i == r.n ? REF_OK : REF_BAD;
}

/* ---- independent checks of what the reader returns ---------------------------- */

static int valid_number_text(const char *t, size_t len)
{
    ref r = {(const unsigned char *)t, len, 0};
    return len > 0 && ref_number(&r) == REF_OK && r.i == len;
}

static int valid_utf8(const char *t, size_t len)
{
    ref r = {(const unsigned char *)t, len, 0};
    while (r.i < r.n) {
        if (r.s[r.i] < 0x80)
            r.i++;
        else if (!ref_utf8(&r))
            return 0;
    }
    return 1;
}

/* Offsets of the characters of the input, by line: (line, col) -> offset. */
typedef struct positions {
    size_t *cp_off;      /* offset of each character (code point) */
    size_t *line_first;  /* index in cp_off of each line's first character (line 1 at [1]) */
    size_t ncp, nlines;
} positions;

static void positions_init(positions *p, const uint8_t *data, size_t size)
{
    size_t start = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    p->cp_off = malloc((size + 1) * sizeof *p->cp_off);
    p->line_first = malloc((size + 2) * sizeof *p->line_first);
    CHECK(p->cp_off && p->line_first);
    p->ncp = 0;
    p->nlines = 1;
    p->line_first[1] = 0;
    for (size_t i = start; i < size; i++) {
        if ((data[i] & 0xC0) != 0x80)
            p->cp_off[p->ncp++] = i;
        if (data[i] == '\n')
            p->line_first[++p->nlines] = p->ncp;
    }
}

static size_t offset_at(const positions *p, unsigned line, unsigned col)
{
    CHECK(line >= 1 && line <= p->nlines && col >= 1);
    size_t k = p->line_first[line] + col - 1;
    CHECK(k < p->ncp);
    CHECK(line == p->nlines || k < p->line_first[line + 1]);
    return p->cp_off[k];
}

/* ---- the walk ------------------------------------------------------------------ */

typedef struct walk {
    const uint8_t *data;
    size_t size;
    const billi_json_doc *doc;
    positions pos;
    unsigned last_line, last_col; /* position of the previous value or key */
    size_t nodes;
} walk;

static void after_last(walk *w, unsigned line, unsigned col)
{
    CHECK(line > w->last_line || (line == w->last_line && col > w->last_col));
    w->last_line = line;
    w->last_col = col;
}

static char *path_alloc(const billi_json_node *n)
{
    size_t len = billi_json_path(n, NULL, 0);
    char *buf = malloc(len + 1);
    CHECK(buf != NULL);
    CHECK(billi_json_path(n, buf, len + 1) == len);
    CHECK(strlen(buf) == len);
    CHECK(buf[0] == '$');
    /* a shorter buffer gets a prefix and the same answer */
    char small[7];
    CHECK(billi_json_path(n, small, sizeof small) == len);
    CHECK(strncmp(small, buf, strlen(small)) == 0);
    CHECK(strlen(small) == (len < sizeof small ? len : sizeof small - 1));
    return buf;
}

static void exercise_getters(const billi_json_node *obj)
{
    static const char *const allowed[] = {"id", "price", "type", "tiers", NULL};
    int rc = billi_json_check_keys(obj, allowed, "thing");
    CHECK(rc == BILL_OK || (rc == BILL_ESYNTAX && strstr(bill_errmsg(), "unknown field '")));
    for (size_t i = 0; i < billi_json_size(obj) && i < 8; i++) {
        size_t klen;
        const char *key = billi_json_key(billi_json_at(obj, i), &klen);
        CHECK(key != NULL);
        if (strlen(key) != klen)
            continue; /* a key with NUL cannot be named by the getters */
        bill_dec d = BILL_DEC_INIT;
        int64_t iv;
        int b;
        const char *s;
        size_t sl;
        bill_date dt;
        const billi_json_node *node;
        int rcs[] = {
            billi_json_get_dec(obj, key, 1, &d),
            billi_json_get_int(obj, key, 1, -1000, 1000, &iv),
            billi_json_get_bool(obj, key, 1, &b),
            billi_json_get_string(obj, key, 1, &s, &sl),
            billi_json_get_date(obj, key, 1, &dt),
            billi_json_get_array(obj, key, 1, &node),
            billi_json_get_object(obj, key, 1, &node),
            billi_json_get(obj, key, 1, &node),
        };
        bill_dec_clear(&d);
        for (size_t k = 0; k < sizeof rcs / sizeof rcs[0]; k++)
            CHECK(rcs[k] == BILL_OK || (rcs[k] < 0 && bill_errmsg()[0] != '\0'));
        CHECK(rcs[7] == BILL_OK && node == billi_json_at(obj, i));
    }
    CHECK(billi_json_get_dec(obj, "no such key\x01", 0, &(bill_dec)BILL_DEC_INIT) == BILL_OK);
    CHECK(billi_json_get_int(obj, "no such key\x01", 1, 0, 1, &(int64_t){0}) == BILL_ESYNTAX);
}

static void walk_node(walk *w, const billi_json_node *n, const char *parent_path, int depth)
{
    CHECK(depth <= BILLI_JSON_MAX_DEPTH);
    w->nodes++;
    CHECK(billi_json_doc_of(n) == w->doc);
    billi_json_type t = billi_json_typeof(n);
    CHECK(t >= BILLI_JSON_NULL && t <= BILLI_JSON_OBJECT);

    /* family */
    const billi_json_node *parent = billi_json_parent(n);
    char *path = path_alloc(n);
    if (!parent) {
        CHECK(strcmp(path, "$") == 0);
        CHECK(n == billi_json_root(w->doc));
    } else {
        CHECK(billi_json_at(parent, billi_json_index(n)) == n);
        CHECK(strncmp(path, parent_path, strlen(parent_path)) == 0);
        CHECK(strlen(path) > strlen(parent_path));
        size_t klen;
        const char *key = billi_json_key(n, &klen);
        if (billi_json_typeof(parent) == BILLI_JSON_OBJECT) {
            CHECK(key != NULL && key[klen] == '\0');
            CHECK(billi_json_findn(parent, key, klen) == n); /* keys are unique */
            CHECK(valid_utf8(key, klen));
            unsigned kl = billi_json_key_line(n), kc = billi_json_key_col(n);
            after_last(w, kl, kc);
            CHECK(w->data[offset_at(&w->pos, kl, kc)] == '"');
        } else {
            CHECK(key == NULL && klen == 0);
            char seg[32];
            snprintf(seg, sizeof seg, "[%zu]", billi_json_index(n));
            CHECK(strcmp(path + strlen(parent_path), seg) == 0);
        }
    }

    /* where it starts */
    unsigned line = billi_json_line(n), col = billi_json_col(n);
    after_last(w, line, col);
    unsigned char first = w->data[offset_at(&w->pos, line, col)];

    size_t len;
    const char *text;
    switch (t) {
    case BILLI_JSON_NULL:
        CHECK(first == 'n' && billi_json_is_null(n) && billi_json_bool(n) == -1);
        break;
    case BILLI_JSON_BOOL:
        CHECK(first == (billi_json_bool(n) ? 't' : 'f'));
        break;
    case BILLI_JSON_NUMBER: {
        CHECK(first == '-' || (first >= '0' && first <= '9'));
        text = billi_json_number(n, &len);
        CHECK(text && strlen(text) == len && valid_number_text(text, len));
        CHECK(memcmp(w->data + offset_at(&w->pos, line, col), text, len) == 0); /* exact */
        bill_dec d = BILL_DEC_INIT;
        int rc = billi_json_to_dec(n, &d);
        CHECK(rc == BILL_OK || rc == BILL_ESYNTAX || rc == BILL_ERANGE);
        bill_dec_clear(&d);
        int64_t v;
        rc = billi_json_to_int(n, INT64_MIN, INT64_MAX, &v);
        CHECK(rc == BILL_OK || rc == BILL_ESYNTAX || rc == BILL_ERANGE);
        if (rc == BILL_OK) {
            char back[32];
            snprintf(back, sizeof back, "%lld", (long long)v);
            CHECK(strcmp(back, text) == 0 || (v == 0 && strcmp(text, "-0") == 0));
        }
        break;
    }
    case BILLI_JSON_STRING:
        CHECK(first == '"');
        text = billi_json_string(n, &len);
        CHECK(text && text[len] == '\0' && valid_utf8(text, len));
        break;
    case BILLI_JSON_ARRAY:
    case BILLI_JSON_OBJECT:
        CHECK(first == (t == BILLI_JSON_ARRAY ? '[' : '{'));
        CHECK(billi_json_at(n, billi_json_size(n)) == NULL);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            const billi_json_node *c = billi_json_at(n, i);
            CHECK(c && billi_json_parent(c) == n && billi_json_index(c) == i);
            walk_node(w, c, path, depth + 1);
        }
        if (t == BILLI_JSON_OBJECT)
            exercise_getters(n);
        break;
    }
    CHECK(billi_json_fail(n, BILL_ERULE, "rule %d", 1) == BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "fuzz:") == bill_errmsg());
    free(path);
}

/* ---- writing the tree back out -------------------------------------------------- */

typedef struct out {
    char *buf;
    size_t len, cap;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len + n > o->cap) {
        o->cap = (o->len + n) * 2 + 64;
        o->buf = realloc(o->buf, o->cap);
        CHECK(o->buf != NULL);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void put_string(out *o, const char *s, size_t n)
{
    put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(o, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04X", c);
            put(o, esc, 6);
        } else {
            put(o, s + i, 1);
        }
    }
    put(o, "\"", 1);
}

static void write_node(out *o, const billi_json_node *n)
{
    size_t len;
    const char *t;
    switch (billi_json_typeof(n)) {
    case BILLI_JSON_NULL: put(o, "null", 4); break;
    case BILLI_JSON_BOOL: put(o, billi_json_bool(n) ? "true" : "false", billi_json_bool(n) ? 4 : 5); break;
    case BILLI_JSON_NUMBER: t = billi_json_number(n, &len); put(o, t, len); break;
    case BILLI_JSON_STRING: t = billi_json_string(n, &len); put_string(o, t, len); break;
    case BILLI_JSON_ARRAY:
    case BILLI_JSON_OBJECT: {
        int obj = billi_json_typeof(n) == BILLI_JSON_OBJECT;
        put(o, obj ? "{" : "[", 1);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            const billi_json_node *c = billi_json_at(n, i);
            if (i)
                put(o, ",\n", 2);
            if (obj) {
                t = billi_json_key(c, &len);
                put_string(o, t, len);
                put(o, ":", 1);
            }
            write_node(o, c);
        }
        put(o, obj ? "}" : "]", 1);
        break;
    }
    }
}

static void same_tree(const billi_json_node *a, const billi_json_node *b)
{
    size_t la, lb;
    CHECK(billi_json_typeof(a) == billi_json_typeof(b));
    CHECK(billi_json_size(a) == billi_json_size(b));
    CHECK(billi_json_bool(a) == billi_json_bool(b));
    const char *ka = billi_json_key(a, &la), *kb = billi_json_key(b, &lb);
    CHECK(la == lb && (!ka) == (!kb) && (!ka || memcmp(ka, kb, la) == 0));
    const char *ta = billi_json_typeof(a) == BILLI_JSON_NUMBER ? billi_json_number(a, &la)
                                                               : billi_json_string(a, &la);
    const char *tb = billi_json_typeof(b) == BILLI_JSON_NUMBER ? billi_json_number(b, &lb)
                                                               : billi_json_string(b, &lb);
    CHECK(la == lb && (!ta) == (!tb) && (!ta || memcmp(ta, tb, la) == 0));
    for (size_t i = 0; i < billi_json_size(a); i++)
        same_tree(billi_json_at(a, i), billi_json_at(b, i));
}

/* ---- the entry point ----------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    billi_json_doc *doc = (billi_json_doc *)(uintptr_t)1;
    int rc = billi_json_parse(&doc, (const char *)data, size, "fuzz");
    int want = ref_document(data, size);

    if (rc != BILL_OK) {
        CHECK(doc == NULL);
        CHECK(rc == BILL_ESYNTAX || rc == BILL_ERANGE || rc == BILL_ENOMEM);
        CHECK(want != REF_OK);
        const char *msg = bill_errmsg();
        /* not always want == REF_DEEP: in a large object the reader finds
         * duplicate keys when the object closes, the reference as they come */
        CHECK(rc != BILL_ERANGE || strstr(msg, ": nesting deeper than ") != NULL);
        CHECK(strncmp(msg, "fuzz:", 5) == 0);
        CHECK(strlen(msg) < BILLI_ERRMSG_MAX);
        if (rc == BILL_ESYNTAX)
            CHECK(strstr(msg, " (at $") != NULL);
        return 0;
    }
    CHECK(want == REF_OK);
    CHECK(doc != NULL);
    CHECK(strcmp(billi_json_source(doc), "fuzz") == 0);

    walk w;
    memset(&w, 0, sizeof w);
    w.data = data;
    w.size = size;
    w.doc = doc;
    positions_init(&w.pos, data, size);
    walk_node(&w, billi_json_root(doc), "", 0);
    CHECK(w.nodes == billi_json_node_count(doc));
    free(w.pos.cp_off);
    free(w.pos.line_first);

    /* write it out and read it again: the same tree */
    out o = {NULL, 0, 0};
    write_node(&o, billi_json_root(doc));
    billi_json_doc *again = NULL;
    rc = billi_json_parse(&again, o.buf, o.len, "fuzz-again");
    CHECK(rc == BILL_OK);
    same_tree(billi_json_root(doc), billi_json_root(again));
    CHECK(billi_json_node_count(again) == billi_json_node_count(doc));
    billi_json_free(again);
    free(o.buf);

    billi_json_free(doc);
    return 0;
}
