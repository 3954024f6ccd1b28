/*
 * Fuzz harness for bill_dec_parse and the operations on what it accepts.
 *
 * The input is handed to bill_dec_parse as it is (len = size, no NUL). The
 * harness carries its own small reading of the documented grammar and checks
 * the parser against it: invalid text must be rejected, valid text within the
 * limits accepted with the right scale, sign and digits, and both text forms
 * (plain and scientific) must match what the grammar says they are. On every
 * accepted value it then checks algebraic invariants of the arithmetic and
 * rounding. Any violated invariant calls abort(), so libFuzzer and the replay
 * driver report it as a crash.
 */
#include "bill.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "decimal_fuzzer: invariant failed at line %d: %s\n",   \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* ---- the grammar, read independently of the library ------------------------ */

struct ref {
    int ok;            /* the text matches the grammar */
    int neg;           /* a '-' sign */
    size_t ndigits;    /* coefficient digits as written, leading zeros included */
    char *sig;         /* coefficient without leading zeros ("0" for zero), NUL-terminated */
    size_t nsig;
    int64_t scale;     /* fraction digits minus the exponent */
};

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/*
 *   [sign] digits [ "." [digits] ] [exponent]
 * | [sign] "." digits [exponent]
 *   exponent = ("e" | "E") [sign] 1*9digits
 */
static void ref_read(struct ref *r, const uint8_t *s, size_t n)
{
    size_t i = 0, int_start, int_len, frac_start = 0, frac_len = 0;
    int64_t exp = 0;

    memset(r, 0, sizeof *r);
    if (i < n && (s[i] == '+' || s[i] == '-'))
        r->neg = s[i++] == '-';
    int_start = i;
    while (i < n && is_digit(s[i]))
        i++;
    int_len = i - int_start;
    if (i < n && s[i] == '.') {
        i++;
        frac_start = i;
        while (i < n && is_digit(s[i]))
            i++;
        frac_len = i - frac_start;
    }
    if (int_len + frac_len == 0)
        return;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0;
        size_t ed = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        while (i < n && is_digit(s[i])) {
            if (ed < 9)
                exp = exp * 10 + (s[i] - '0');
            i++;
            ed++;
        }
        if (ed < 1 || ed > 9)
            return;
        if (eneg)
            exp = -exp;
    }
    if (i != n)
        return;

    r->ok = 1;
    r->ndigits = int_len + frac_len;
    r->scale = (int64_t)frac_len - exp;
    r->sig = malloc(r->ndigits + 1);
    CHECK(r->sig != NULL);
    for (size_t k = 0; k < int_len; k++)
        if (r->nsig > 0 || s[int_start + k] != '0')
            r->sig[r->nsig++] = (char)s[int_start + k];
    for (size_t k = 0; k < frac_len; k++)
        if (r->nsig > 0 || s[frac_start + k] != '0')
            r->sig[r->nsig++] = (char)s[frac_start + k];
    if (r->nsig == 0)
        r->sig[r->nsig++] = '0';
    r->sig[r->nsig] = '\0';
    if (r->sig[0] == '0')
        r->neg = 0;     /* there is no negative zero */
}

/* A growable string for the expected texts. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        CHECK(b->p != NULL);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_zeros(struct sbuf *b, int64_t n)
{
    for (int64_t k = 0; k < n; k++)
        sb_putn(b, "0", 1);
}

/*
 * Expected plain text; returns 0 when the documentation leaves it open (a
 * zero with a negative scale: "0" or "000").
 */
static int ref_plain(const struct ref *r, struct sbuf *out)
{
    int64_t scale = r->scale, len = (int64_t)r->nsig;
    int zero = r->sig[0] == '0';

    out->len = 0;
    sb_puts(out, "");
    if (zero && scale < 0)
        return 0;
    if (r->neg)
        sb_puts(out, "-");
    if (scale <= 0) {
        sb_putn(out, r->sig, r->nsig);
        sb_zeros(out, -scale);
    } else if (len > scale) {
        sb_putn(out, r->sig, (size_t)(len - scale));
        sb_puts(out, ".");
        sb_putn(out, r->sig + (len - scale), (size_t)scale);
    } else {
        sb_puts(out, "0.");
        sb_zeros(out, scale - len);
        sb_putn(out, r->sig, r->nsig);
    }
    return 1;
}

/* Expected scientific text: the to-sci-string of the specification (Python's str()). */
static void ref_sci(const struct ref *r, struct sbuf *out)
{
    int64_t exp = -r->scale, len = (int64_t)r->nsig;
    int64_t left = exp + len, dot;
    char ebuf[32];

    out->len = 0;
    sb_puts(out, "");
    if (r->neg)
        sb_puts(out, "-");
    dot = (exp <= 0 && left > -6) ? left : 1;
    if (dot <= 0) {
        sb_puts(out, "0.");
        sb_zeros(out, -dot);
        sb_putn(out, r->sig, r->nsig);
    } else if (dot >= len) {
        sb_putn(out, r->sig, r->nsig);
        sb_zeros(out, dot - len);
    } else {
        sb_putn(out, r->sig, (size_t)dot);
        sb_puts(out, ".");
        sb_putn(out, r->sig + dot, (size_t)(len - dot));
    }
    if (left != dot) {
        snprintf(ebuf, sizeof ebuf, "E%+lld", (long long)(left - dot));
        sb_puts(out, ebuf);
    }
}

/* ---- helpers ---------------------------------------------------------------- */

static void parse_ok(bill_dec *d, const char *text)
{
    CHECK(bill_dec_parse(d, text, (size_t)-1) == BILL_OK);
}

/* The plain text of d in a new buffer, checking the snprintf-like contract. */
static char *format_all(const bill_dec *d)
{
    char small[8];
    size_t need = bill_dec_format(d, small, sizeof small);
    CHECK(need > 0);
    if (need < sizeof small)
        CHECK(strlen(small) == need);
    else
        CHECK(strlen(small) < sizeof small);   /* cut short, but NUL-terminated */
    char *buf = malloc(need + 1);
    CHECK(buf != NULL);
    CHECK(bill_dec_format(d, buf, need + 1) == need);
    CHECK(strlen(buf) == need);
    return buf;
}

/* A failed call leaves its output alone and records the failure. */
static void check_failed(int st, const bill_dec *out, const bill_dec *before)
{
    CHECK(st < 0);
    CHECK(bill_dec_identical(out, before));
    CHECK(bill_dec_scale(out) == bill_dec_scale(before));
    CHECK(bill_errcode() == st);
    CHECK(bill_errmsg() != NULL && bill_errmsg()[0] != '\0');
}

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }

/* ---- rounding to scale 2 with every mode --------------------------------------- */

static void check_rescale_modes(const bill_dec *x, int32_t scale)
{
    bill_dec r[8], unit = BILL_DEC_INIT, t = BILL_DEC_INIT, twice = BILL_DEC_INIT,
             mid = BILL_DEC_INIT;
    int st[8];

    for (int m = 0; m < 8; m++) {
        bill_dec_init(&r[m]);
        st[m] = bill_dec_rescale(&r[m], x, scale, m);
    }
    if (st[BILL_ROUND_FLOOR] == BILL_ERANGE) {
        /* too many digits at that scale for this build: all modes agree */
        for (int m = 0; m < 8; m++)
            CHECK(st[m] == BILL_ERANGE || (m == BILL_ROUND_UNNECESSARY && st[m] == BILL_EROUNDING));
        goto done;
    }
    for (int m = 0; m < BILL_ROUND_UNNECESSARY; m++) {
        CHECK(st[m] == BILL_OK);
        CHECK(bill_dec_scale(&r[m]) == scale);
    }
    const bill_dec *fl = &r[BILL_ROUND_FLOOR], *ce = &r[BILL_ROUND_CEILING];
    CHECK(bill_dec_cmp(fl, x) <= 0);
    CHECK(bill_dec_cmp(ce, x) >= 0);
    CHECK(bill_dec_set_i64(&unit, 1, scale) == BILL_OK);
    CHECK(bill_dec_sub(&t, ce, fl) == BILL_OK);
    int exact = bill_dec_is_zero(&t);
    if (exact) {
        CHECK(bill_dec_cmp(fl, x) == 0);
        CHECK(st[BILL_ROUND_UNNECESSARY] == BILL_OK);
        CHECK(bill_dec_identical(&r[BILL_ROUND_UNNECESSARY], fl));
        for (int m = 0; m < BILL_ROUND_UNNECESSARY; m++)
            CHECK(bill_dec_identical(&r[m], fl));
        goto done;
    }
    CHECK(bill_dec_cmp(&t, &unit) == 0);
    CHECK(st[BILL_ROUND_UNNECESSARY] == BILL_EROUNDING);

    int pos = bill_dec_sign(x) > 0;
    const bill_dec *away = pos ? ce : fl, *toward = pos ? fl : ce;
    CHECK(bill_dec_identical(&r[BILL_ROUND_UP], away));
    CHECK(bill_dec_identical(&r[BILL_ROUND_DOWN], toward));

    /* compare 2x with floor + ceiling to find the nearer neighbour */
    CHECK(bill_dec_add(&mid, fl, ce) == BILL_OK);
    CHECK(bill_dec_add(&twice, x, x) == BILL_OK);
    int c = bill_dec_cmp(&twice, &mid);
    if (c != 0) {
        const bill_dec *near = c < 0 ? fl : ce;
        CHECK(bill_dec_identical(&r[BILL_ROUND_HALF_UP], near));
        CHECK(bill_dec_identical(&r[BILL_ROUND_HALF_DOWN], near));
        CHECK(bill_dec_identical(&r[BILL_ROUND_HALF_EVEN], near));
    } else {
        CHECK(bill_dec_identical(&r[BILL_ROUND_HALF_UP], away));
        CHECK(bill_dec_identical(&r[BILL_ROUND_HALF_DOWN], toward));
        /* the even neighbour: its last digit, i.e. (value / unit) mod 2 */
        bill_dec q = BILL_DEC_INIT, two = BILL_DEC_INIT, h = BILL_DEC_INIT;
        const bill_dec *e = &r[BILL_ROUND_HALF_EVEN];
        CHECK(bill_dec_identical(e, fl) || bill_dec_identical(e, ce));
        CHECK(bill_dec_set_i64(&two, 2, 0) == BILL_OK);
        CHECK(bill_dec_div(&q, e, &unit, 0, BILL_ROUND_UNNECESSARY) == BILL_OK);
        CHECK(bill_dec_div(&h, &q, &two, 0, BILL_ROUND_UNNECESSARY) == BILL_OK);
        bill_dec_clear(&q);
        bill_dec_clear(&two);
        bill_dec_clear(&h);
    }
done:
    for (int m = 0; m < 8; m++)
        bill_dec_clear(&r[m]);
    bill_dec_clear(&unit);
    bill_dec_clear(&t);
    bill_dec_clear(&twice);
    bill_dec_clear(&mid);
}

/* ---- arithmetic with fixed operands ----------------------------------------------- */

static void check_arith(const bill_dec *x, const bill_dec *f)
{
    bill_dec s = BILL_DEC_INIT, d = BILL_DEC_INIT, m = BILL_DEC_INIT, m2 = BILL_DEC_INIT,
             t = BILL_DEC_INIT, y = BILL_DEC_INIT, q = BILL_DEC_INIT, lo = BILL_DEC_INIT,
             bound = BILL_DEC_INIT, half = BILL_DEC_INIT;
    int32_t sx = bill_dec_scale(x), sf = bill_dec_scale(f);

    /* add and subtract never change the range of the scale */
    CHECK(bill_dec_add(&s, x, f) == BILL_OK);
    CHECK(bill_dec_scale(&s) == max32(sx, sf));
    CHECK(bill_dec_sub(&t, &s, f) == BILL_OK);
    CHECK(bill_dec_cmp(&t, x) == 0);
    CHECK(bill_dec_sub(&d, x, f) == BILL_OK);
    CHECK(bill_dec_scale(&d) == max32(sx, sf));
    CHECK(bill_dec_add(&t, &d, f) == BILL_OK);
    CHECK(bill_dec_cmp(&t, x) == 0);
    /* add commutes, and an aliased result is the same */
    CHECK(bill_dec_add(&t, f, x) == BILL_OK);
    CHECK(bill_dec_identical(&t, &s));
    CHECK(bill_dec_copy(&y, x) == BILL_OK);
    CHECK(bill_dec_add(&y, &y, f) == BILL_OK);
    CHECK(bill_dec_identical(&y, &s));

    /* multiply: scale is the sum, unless that leaves the range */
    int64_t ms = (int64_t)sx + sf;
    int st = bill_dec_mul(&m, x, f);
    if (ms > BILL_DEC_MAX_SCALE || ms < -BILL_DEC_MAX_SCALE) {
        CHECK(st == BILL_ERANGE);
    } else {
        CHECK(st == BILL_OK);
        CHECK(bill_dec_scale(&m) == (int32_t)ms);
        CHECK(bill_dec_sign(&m) == bill_dec_sign(x) * bill_dec_sign(f));
        CHECK(bill_dec_mul(&m2, f, x) == BILL_OK);
        CHECK(bill_dec_identical(&m, &m2));
        CHECK(bill_dec_copy(&y, x) == BILL_OK);
        CHECK(bill_dec_mul(&y, &y, f) == BILL_OK);
        CHECK(bill_dec_identical(&y, &m));
    }

    /* divide to scale 4, HALF_UP: |x - q*f| <= |f| * 0.00005 */
    if (!bill_dec_is_zero(f)) {
        st = bill_dec_div(&q, x, f, 4, BILL_ROUND_HALF_UP);
        if (st == BILL_OK) {
            CHECK(bill_dec_scale(&q) == 4);
            CHECK(bill_dec_mul(&lo, &q, f) == BILL_OK);
            CHECK(bill_dec_sub(&lo, x, &lo) == BILL_OK);
            CHECK(bill_dec_abs(&lo, &lo) == BILL_OK);
            CHECK(bill_dec_set_i64(&half, 5, 5) == BILL_OK);
            CHECK(bill_dec_abs(&bound, f) == BILL_OK);
            CHECK(bill_dec_mul(&bound, &bound, &half) == BILL_OK);
            CHECK(bill_dec_cmp(&lo, &bound) <= 0);
        } else {
            CHECK(st == BILL_ERANGE);
        }
    }

    bill_dec_clear(&s); bill_dec_clear(&d); bill_dec_clear(&m); bill_dec_clear(&m2);
    bill_dec_clear(&t); bill_dec_clear(&y); bill_dec_clear(&q); bill_dec_clear(&lo);
    bill_dec_clear(&bound); bill_dec_clear(&half);
}

/* ---- allocation of the value rounded to cents ---------------------------------------- */

static void check_allocate(const bill_dec *x, int rule)
{
    bill_dec total = BILL_DEC_INIT, sum = BILL_DEC_INIT, parts[3], ratios[3];
    for (int i = 0; i < 3; i++) {
        bill_dec_init(&parts[i]);
        bill_dec_init(&ratios[i]);
    }
    if (bill_dec_rescale(&total, x, 2, BILL_ROUND_HALF_EVEN) != BILL_OK)
        goto done;
    if (bill_dec_precision(&total) > 200)
        goto done;   /* keep each run quick */

    /* equal parts */
    CHECK(bill_dec_allocate(parts, 3, &total, NULL, 2, rule) == BILL_OK);
    bill_dec_init(&sum);
    for (int i = 0; i < 3; i++) {
        CHECK(bill_dec_scale(&parts[i]) == 2);
        CHECK(bill_dec_add(&sum, &sum, &parts[i]) == BILL_OK);
    }
    CHECK(bill_dec_cmp(&sum, &total) == 0);

    /* ratios |x| : 1 : 0 */
    CHECK(bill_dec_abs(&ratios[0], x) == BILL_OK);
    CHECK(bill_dec_set_i64(&ratios[1], 1, 0) == BILL_OK);
    CHECK(bill_dec_set_i64(&ratios[2], 0, 0) == BILL_OK);
    if (bill_dec_precision(&ratios[0]) <= 200) {
        CHECK(bill_dec_allocate(parts, 3, &total, ratios, 2, rule) == BILL_OK);
        bill_dec_clear(&sum);
        for (int i = 0; i < 3; i++)
            CHECK(bill_dec_add(&sum, &sum, &parts[i]) == BILL_OK);
        CHECK(bill_dec_cmp(&sum, &total) == 0);
    }
done:
    for (int i = 0; i < 3; i++) {
        bill_dec_clear(&parts[i]);
        bill_dec_clear(&ratios[i]);
    }
    bill_dec_clear(&total);
    bill_dec_clear(&sum);
}

/* ---- the entry point ---------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bill_dec x = BILL_DEC_INIT, sentinel = BILL_DEC_INIT, y = BILL_DEC_INIT,
             f = BILL_DEC_INIT, z = BILL_DEC_INIT;
    struct ref r;
    struct sbuf want = {0};

    parse_ok(&sentinel, "7.25");
    CHECK(bill_dec_copy(&x, &sentinel) == BILL_OK);
    int st = bill_dec_parse(&x, (const char *)data, size);
    ref_read(&r, data, size);

    if (st != BILL_OK) {
        CHECK(st == BILL_ESYNTAX || st == BILL_ERANGE);
        check_failed(st, &x, &sentinel);
        if (r.ok) {
            /* valid grammar: only the documented limits may reject it */
            int too_long = r.nsig > BILL_DEC_MAX_DIGITS || r.ndigits > BILL_DEC_MAX_DIGITS;
            int bad_scale = r.scale > BILL_DEC_MAX_SCALE || r.scale < -BILL_DEC_MAX_SCALE;
            CHECK(too_long || bad_scale);
        }
        goto out;
    }

    /* accepted: it must be valid text within the limits, read as the grammar says */
    CHECK(r.ok);
    CHECK(r.nsig <= BILL_DEC_MAX_DIGITS);
    CHECK(r.scale <= BILL_DEC_MAX_SCALE && r.scale >= -BILL_DEC_MAX_SCALE);
    int32_t sx = bill_dec_scale(&x);
    CHECK(sx == (int32_t)r.scale);
    CHECK(bill_dec_sign(&x) == (r.sig[0] == '0' ? 0 : r.neg ? -1 : 1));
    CHECK(bill_dec_is_zero(&x) == (r.sig[0] == '0'));
    CHECK(bill_dec_precision(&x) == (int32_t)r.nsig);

    /* plain text: as the grammar says, and it reads back as the same value */
    char *plain = format_all(&x);
    if (ref_plain(&r, &want))
        CHECK(strcmp(plain, want.p) == 0);
    char *plain2 = bill_dec_to_str(&x);
    CHECK(plain2 != NULL && strcmp(plain, plain2) == 0);
    bill_free(plain2);
    st = bill_dec_parse(&y, plain, (size_t)-1);
    if (st != BILL_OK) {
        /* only a plain text with more digits than the parser takes may fail */
        size_t nd = 0;
        for (const char *p = plain; *p; p++)
            nd += *p >= '0' && *p <= '9';
        CHECK(nd > BILL_DEC_MAX_DIGITS);
    } else if (sx >= 0) {
        CHECK(bill_dec_identical(&y, &x));
    } else {
        /* plain text has no exponent: trailing zeros come back at scale 0 */
        CHECK(bill_dec_cmp(&y, &x) == 0);
        CHECK(bill_dec_scale(&y) == 0);
    }
    free(plain);

    /* scientific text: exactly the specification's, and it keeps the scale */
    char *sci = bill_dec_to_sci_str(&x);
    CHECK(sci != NULL);
    ref_sci(&r, &want);
    CHECK(strcmp(sci, want.p) == 0);
    CHECK(bill_dec_parse(&y, sci, (size_t)-1) == BILL_OK);
    CHECK(bill_dec_cmp(&y, &x) == 0);
    CHECK(bill_dec_scale(&y) == sx);
    CHECK(bill_dec_identical(&y, &x));
    bill_free(sci);

    /* the int64 views agree with the value */
    if (bill_dec_is_compact(&x)) {
        int64_t c;
        int32_t sc;
        CHECK(bill_dec_get_i64(&x, &c, &sc) == BILL_OK);
        CHECK(sc == sx);
        CHECK(bill_dec_set_i64(&y, c, sc) == BILL_OK);
        CHECK(bill_dec_identical(&y, &x));
    }
    {
        int64_t units;
        if (bill_dec_to_units(&x, 2, &units) == BILL_OK) {
            CHECK(bill_dec_set_i64(&y, units, 2) == BILL_OK);
            CHECK(bill_dec_cmp(&y, &x) == 0);
        }
    }

    /* x - x == 0 at x's scale, x + 0 == x, -(-x) == x, |x| >= 0 */
    CHECK(bill_dec_sub(&y, &x, &x) == BILL_OK);
    CHECK(bill_dec_is_zero(&y) && bill_dec_sign(&y) == 0);
    CHECK(bill_dec_scale(&y) == sx);
    bill_dec_init(&z);
    CHECK(bill_dec_add(&y, &x, &z) == BILL_OK);
    CHECK(bill_dec_cmp(&y, &x) == 0);
    CHECK(bill_dec_scale(&y) == max32(sx, 0));
    CHECK(bill_dec_neg(&y, &x) == BILL_OK);
    CHECK(bill_dec_sign(&y) == -bill_dec_sign(&x));
    CHECK(bill_dec_neg(&y, &y) == BILL_OK);
    CHECK(bill_dec_identical(&y, &x));
    CHECK(bill_dec_abs(&y, &x) == BILL_OK);
    CHECK(bill_dec_sign(&y) >= 0 && bill_dec_scale(&y) == sx);

    /* arithmetic with a small and a large fixed operand */
    parse_ok(&f, "-12.3456");
    check_arith(&x, &f);
    parse_ok(&f, "98765432109876543210987654321.0123456789");
    check_arith(&x, &f);

    /* division by zero fails and leaves the result alone */
    CHECK(bill_dec_copy(&y, &sentinel) == BILL_OK);
    st = bill_dec_div(&y, &x, &z, 2, BILL_ROUND_HALF_UP);
    CHECK(st == BILL_EDIVZERO);
    check_failed(st, &y, &sentinel);

    /* rounding to cents with every mode, and to one digit fewer than x has */
    check_rescale_modes(&x, 2);
    if (sx > -BILL_DEC_MAX_SCALE)
        check_rescale_modes(&x, sx - 1);
    /* padding with zeros is exact */
    if (sx <= BILL_DEC_MAX_SCALE - 3) {
        CHECK(bill_dec_rescale(&y, &x, sx + 3, BILL_ROUND_UNNECESSARY) == BILL_OK);
        CHECK(bill_dec_cmp(&y, &x) == 0 && bill_dec_scale(&y) == sx + 3);
    }

    /* significant digits and trimming */
    st = bill_dec_round_prec(&y, &x, 5, BILL_ROUND_HALF_EVEN);
    if (st == BILL_OK) {
        CHECK(bill_dec_precision(&y) <= 5);
        CHECK(bill_dec_round_prec(&z, &y, 5, BILL_ROUND_UNNECESSARY) == BILL_OK);
        CHECK(bill_dec_identical(&z, &y));
        bill_dec_clear(&z);
    } else {
        /* only when dropping digits pushes the scale below the limit */
        CHECK(st == BILL_ERANGE);
        CHECK((int64_t)sx - (bill_dec_precision(&x) - 5) - 1 < -BILL_DEC_MAX_SCALE);   /* -1: a carry */
    }
    CHECK(bill_dec_trim(&y, &x, 0) == BILL_OK);
    CHECK(bill_dec_cmp(&y, &x) == 0);

    check_allocate(&x, (int)(size % 5));

out:
    if (r.sig)
        free(r.sig);
    free(want.p);
    bill_dec_clear(&x);
    bill_dec_clear(&sentinel);
    bill_dec_clear(&y);
    bill_dec_clear(&f);
    bill_dec_clear(&z);
    return 0;
}
