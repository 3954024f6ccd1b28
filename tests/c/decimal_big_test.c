/*
 * Tests for the big-coefficient paths of the exact decimals (libbill/decimal.c):
 * add, subtract and multiply of values beyond 64 bits (the inline loops for
 * up to four limbs and GMP beyond), every aliasing of result and operands,
 * the move to big and back to compact, negative values and different scales.
 * Results are compared with the same arithmetic done on GMP integers.
 */
#include "test.h"

#include <gmp.h>
#include <stdint.h>

/* ---- helpers --------------------------------------------------------------------- */

static uint64_t big_rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t big_rng(void)
{
    uint64_t x = big_rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return big_rng_state = x;
}

/* d = z × 10^-scale, built through its text ("digitsE-scale"). */
static void set_from_z(bill_dec *d, mpz_srcptr z, int scale)
{
    char *digits = mpz_get_str(NULL, 10, z);
    size_t n = strlen(digits) + 32;
    char *text = malloc(n);
    void (*freefunc)(void *, size_t);
    snprintf(text, n, "%sE%d", digits, -scale);
    if (bill_dec_parse(d, text, (size_t)-1) != BILL_OK) {
        test_failed++;
        printf("FAIL %s: cannot parse %s: %s\n", test_current, text, bill_errmsg());
    }
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(digits, strlen(digits) + 1);
    free(text);
}

/* Whether a coefficient is held compact: |z| < 2^63. */
static int big_fits_compact(mpz_srcptr z) { return mpz_sizeinbase(z, 2) <= 63; }

/*
 * got is exactly z × 10^-scale (same value and scale), held compact exactly
 * when the coefficient fits in int64 (INT64_MIN excluded).
 */
static int check_big_(const bill_dec *got, mpz_srcptr z, int scale, const char *what, int line)
{
    bill_dec want = BILL_DEC_INIT;
    int ok;
    set_from_z(&want, z, scale);
    ok = bill_dec_identical(got, &want) &&
         bill_dec_is_compact(got) == big_fits_compact(z);
    if (ok) {
        test_passed++;
    } else {
        char *g = bill_dec_to_sci_str(got), *w = bill_dec_to_sci_str(&want);
        test_failed++;
        printf("FAIL %s (%s:%d): %s gave %s (scale %ld, compact %d), expected %s (scale %d, "
               "compact %d)\n", test_current, __FILE__, line, what, g ? g : "(null)",
               (long)bill_dec_scale(got), bill_dec_is_compact(got), w ? w : "(null)", scale,
               big_fits_compact(z));
        bill_free(g);
        bill_free(w);
    }
    bill_dec_clear(&want);
    return ok;
}
#define CHECK_BIG(got, z, scale, what) check_big_((got), (z), (scale), (what), __LINE__)

static void parse_into(bill_dec *d, const char *text)
{
    if (bill_dec_parse(d, text, (size_t)-1) != BILL_OK) {
        test_failed++;
        printf("FAIL %s: cannot parse %s: %s\n", test_current, text, bill_errmsg());
    }
}

/* A random integer of 0..limbs 64-bit words with a random sign; some edge values. */
static void random_z(mpz_ptr z, int limbs)
{
    uint64_t w[8];
    int kind = (int)(big_rng() % 16);
    for (int i = 0; i < limbs; i++)
        w[i] = big_rng();
    mpz_import(z, (size_t)limbs, -1, sizeof w[0], 0, 0, w);
    switch (kind) {
    case 0: /* all ones: the carries run through every limb */
        mpz_set_ui(z, 1);
        mpz_mul_2exp(z, z, (mp_bitcnt_t)(64 * limbs));
        mpz_sub_ui(z, z, 1);
        break;
    case 1: /* a power of two (2^63 is the smallest big value) */
        mpz_set_ui(z, 1);
        mpz_mul_2exp(z, z, (mp_bitcnt_t)(limbs > 0 ? 64 * limbs - 1 : 0));
        break;
    case 2: /* small */
        mpz_set_ui(z, (unsigned long)(big_rng() % 1000));
        break;
    default:
        break;
    }
    if (big_rng() & 1)
        mpz_neg(z, z);
}

/* How r relates to the operands in one binary operation. */
enum {
    ALIAS_NONE_FRESH, /* r is a separate compact zero */
    ALIAS_NONE_ROOMY, /* r is a separate big value with plenty of room */
    ALIAS_NONE_TIGHT, /* r is a separate big value of two limbs */
    ALIAS_R_A,        /* r == a */
    ALIAS_R_B,        /* r == b */
    ALIAS_A_B,        /* a == b, r separate */
    ALIAS_R_A_B,      /* r == a == b */
    ALIAS_COUNT
};

static const char *const alias_names[ALIAS_COUNT] = {
    "r fresh", "r roomy", "r tight", "r == a", "r == b", "a == b", "r == a == b",
};

typedef int (*binop)(bill_dec *, const bill_dec *, const bill_dec *);

/* The exact result of a op b on coefficients x (scale sx) and y (scale sy). */
static int expected(mpz_ptr out, int op, mpz_srcptr x, int sx, mpz_srcptr y, int sy)
{
    mpz_t X, Y, p;
    int s = sx > sy ? sx : sy;
    if (op == 2) {
        mpz_mul(out, x, y);
        return sx + sy;
    }
    mpz_init(X);
    mpz_init(Y);
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, (unsigned long)(s - sx));
    mpz_mul(X, x, p);
    mpz_ui_pow_ui(p, 10, (unsigned long)(s - sy));
    mpz_mul(Y, y, p);
    if (op == 0)
        mpz_add(out, X, Y);
    else
        mpz_sub(out, X, Y);
    mpz_clear(X);
    mpz_clear(Y);
    mpz_clear(p);
    return s;
}

/* One operation in one aliasing; checks the result and that a, b are unchanged where they should be. */
static void run_alias(int op, int alias, mpz_srcptr x, int sx, mpz_srcptr y, int sy)
{
    static const binop fns[3] = {bill_dec_add, bill_dec_sub, bill_dec_mul};
    static const char *const names[3] = {"add", "sub", "mul"};
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT, r = BILL_DEC_INIT;
    mpz_t want;
    mpz_srcptr yy = y;
    int s, rc;
    char what[64];
    if (alias == ALIAS_A_B || alias == ALIAS_R_A_B) {
        yy = x;
        sy = sx;
    }
    mpz_init(want);
    s = expected(want, op, x, sx, yy, sy);
    snprintf(what, sizeof what, "%s (%s)", names[op], alias_names[alias]);
    set_from_z(&a, x, sx);
    set_from_z(&b, yy, sy);
    switch (alias) {
    case ALIAS_NONE_ROOMY:
        parse_into(&r, "-123456789012345678901234567890123456789012345678901234567890"
                       "1234567890123456789012345678901234567890123456789012345678901234567890"
                       "12345678901234567890123456789012345678901234567890.5");
        break;
    case ALIAS_NONE_TIGHT:
        parse_into(&r, "99999999999999999999.99");
        break;
    default:
        break;
    }
    switch (alias) {
    case ALIAS_R_A:
        rc = fns[op](&a, &a, &b);
        CHECK_BIG(&a, want, s, what);
        CHECK_BIG(&b, yy, sy, what); /* b unchanged */
        break;
    case ALIAS_R_B:
        rc = fns[op](&b, &a, &b);
        CHECK_BIG(&b, want, s, what);
        CHECK_BIG(&a, x, sx, what);
        break;
    case ALIAS_A_B:
        rc = fns[op](&r, &a, &a);
        CHECK_BIG(&r, want, s, what);
        CHECK_BIG(&a, x, sx, what);
        break;
    case ALIAS_R_A_B:
        rc = fns[op](&a, &a, &a);
        CHECK_BIG(&a, want, s, what);
        break;
    default:
        rc = fns[op](&r, &a, &b);
        CHECK_BIG(&r, want, s, what);
        CHECK_BIG(&a, x, sx, what);
        CHECK_BIG(&b, yy, sy, what);
        break;
    }
    CHECK_INT(rc, BILL_OK);
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
    mpz_clear(want);
}

/* ---- tests ----------------------------------------------------------------------- */

/* Random operands of 0..6 limbs, same and different scales, every aliasing, against GMP. */
static void test_big_random_against_gmp(void)
{
    static const int scales[] = {0, 2, 10, 19, -3};
    mpz_t x, y;
    mpz_init(x);
    mpz_init(y);
    for (int round = 0; round < 600; round++) {
        int xl = (int)(big_rng() % 7), yl = (int)(big_rng() % 7);
        int sx = scales[big_rng() % 5];
        int sy = (big_rng() % 3) ? sx : scales[big_rng() % 5]; /* mostly equal scales */
        random_z(x, xl);
        if (round % 5 == 0) { /* y close to ±x: differences that cancel to compact or zero */
            mpz_set(y, x);
            if (big_rng() & 1)
                mpz_neg(y, y);
            long d = (long)(big_rng() % 7) - 3;
            if (d >= 0)
                mpz_add_ui(y, y, (unsigned long)d);
            else
                mpz_sub_ui(y, y, (unsigned long)-d);
            sy = sx;
        } else {
            random_z(y, yl);
        }
        for (int op = 0; op < 3; op++)
            for (int alias = 0; alias < ALIAS_COUNT; alias++)
                run_alias(op, alias, x, sx, y, sy);
    }
    mpz_clear(x);
    mpz_clear(y);
}

/* x / 10^k rounded by mode into q; 0, or -1 when inexact and the mode is UNNECESSARY. */
static int expected_div_p10(mpz_ptr q, mpz_srcptr x, unsigned long k, int mode)
{
    mpz_t p, rem;
    int inc = 0, sign = mpz_sgn(x), rc = 0;
    mpz_init(p);
    mpz_init(rem);
    mpz_ui_pow_ui(p, 10, k);
    mpz_tdiv_qr(q, rem, x, p);
    if (mpz_sgn(rem) != 0) {
        int half, odd = mpz_odd_p(q);
        mpz_abs(rem, rem);
        mpz_mul_2exp(rem, rem, 1);
        half = mpz_cmp(rem, p);
        half = half < 0 ? -1 : half > 0;
        switch (mode) {
        case BILL_ROUND_UP: inc = 1; break;
        case BILL_ROUND_DOWN: inc = 0; break;
        case BILL_ROUND_CEILING: inc = sign > 0; break;
        case BILL_ROUND_FLOOR: inc = sign < 0; break;
        case BILL_ROUND_HALF_UP: inc = half >= 0; break;
        case BILL_ROUND_HALF_DOWN: inc = half > 0; break;
        case BILL_ROUND_HALF_EVEN: inc = half > 0 || (half == 0 && odd); break;
        default: rc = -1; break;
        }
        if (inc)
            (sign > 0 ? mpz_add_ui : mpz_sub_ui)(q, q, 1);
    }
    mpz_clear(p);
    mpz_clear(rem);
    return rc;
}

/*
 * Big values rescaled down by 10^1 .. 10^25 (one-limb powers of ten by their
 * tabled reciprocals, larger ones by GMP) in every mode, in place and not,
 * against GMP; UNNECESSARY fails on an inexact result and leaves r unchanged.
 */
static void test_big_rescale_against_gmp(void)
{
    mpz_t x, q;
    mpz_init(x);
    mpz_init(q);
    for (int round = 0; round < 400; round++) {
        int sx = 30;
        unsigned long k = 1 + (unsigned long)(big_rng() % 25);
        int mode = (int)(big_rng() % 8);
        int rc = 0;
        random_z(x, 1 + (int)(big_rng() % 6));
        if (round % 4 == 0) { /* exact halves and exact multiples */
            mpz_t p;
            mpz_init(p);
            mpz_ui_pow_ui(p, 10, k);
            mpz_tdiv_q(x, x, p);
            mpz_mul(x, x, p);
            if (round % 8 == 0) {
                mpz_tdiv_q_ui(p, p, 2);
                (mpz_sgn(x) < 0 ? mpz_sub : mpz_add)(x, x, p);
            }
            mpz_clear(p);
        }
        rc = expected_div_p10(q, x, k, mode);
        for (int in_place = 0; in_place < 2; in_place++) {
            bill_dec a = BILL_DEC_INIT, r = BILL_DEC_INIT;
            bill_dec *out = in_place ? &a : &r;
            char what[80];
            snprintf(what, sizeof what, "rescale by 10^-%lu, mode %d%s", k, mode,
                     in_place ? ", in place" : "");
            set_from_z(&a, x, sx);
            parse_into(&r, "-7777777777777777777777777777777.7");
            if (rc < 0) {
                CHECK_ERR(bill_dec_rescale(out, &a, sx - (int)k, mode), BILL_EROUNDING);
                CHECK_BIG(&a, x, sx, what); /* unchanged */
                if (!in_place) {
                    char t[64];
                    bill_dec_format(&r, t, sizeof t);
                    CHECK_STR(t, "-7777777777777777777777777777777.7");
                }
            } else {
                CHECK_OK(bill_dec_rescale(out, &a, sx - (int)k, mode));
                CHECK_BIG(out, q, sx - (int)k, what);
            }
            bill_dec_clear(&a);
            bill_dec_clear(&r);
        }
    }
    mpz_clear(x);
    mpz_clear(q);
}

/* Big results that fit in int64 again become compact; INT64_MIN stays big. */
static void test_big_back_to_compact(void)
{
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT, r = BILL_DEC_INIT;
    char t[128];
    parse_into(&a, "340282366920938463463374607431768211456.25"); /* 2^128 + 0.25 */
    parse_into(&b, "340282366920938463463374607431768211455.00");
    CHECK(!bill_dec_is_compact(&a));
    CHECK_OK(bill_dec_sub(&r, &a, &b));
    CHECK(bill_dec_is_compact(&r));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "1.25");
    CHECK_INT(bill_dec_scale(&r), 2);
    /* in place, the result's block is given back */
    CHECK_OK(bill_dec_copy(&r, &a));
    CHECK(!bill_dec_is_compact(&r));
    CHECK_OK(bill_dec_sub(&r, &r, &b));
    CHECK(bill_dec_is_compact(&r));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "1.25");
    /* x - x is a compact zero at x's scale, also all in place */
    CHECK_OK(bill_dec_sub(&a, &a, &a));
    CHECK(bill_dec_is_compact(&a));
    CHECK(bill_dec_is_zero(&a));
    CHECK_INT(bill_dec_scale(&a), 2);
    /* -(2^64) + (2^64 + 5) = 5, both of two limbs */
    parse_into(&a, "-18446744073709551616");
    parse_into(&b, "18446744073709551621");
    CHECK_OK(bill_dec_add(&r, &a, &b));
    CHECK(bill_dec_is_compact(&r));
    CHECK_INT(bill_dec_sign(&r), 1);
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "5");
    /* 2^63 is the smallest big value, 2^63 - 1 compact again */
    parse_into(&a, "9223372036854775808");
    CHECK(!bill_dec_is_compact(&a));
    bill_dec_set_i64(&b, 1, 0);
    CHECK_OK(bill_dec_sub(&r, &a, &b));
    CHECK(bill_dec_is_compact(&r));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "9223372036854775807");
    /* -(2^63) (INT64_MIN) stays big: compact values never hold it */
    parse_into(&b, "-18446744073709551616");
    CHECK_OK(bill_dec_add(&r, &a, &b)); /* 2^63 - 2^64 */
    CHECK(!bill_dec_is_compact(&r));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "-9223372036854775808");
    /* compact + compact overflowing to big, then back */
    bill_dec_set_i64(&a, INT64_MAX, 3);
    CHECK_OK(bill_dec_add(&r, &a, &a));
    CHECK(!bill_dec_is_compact(&r));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "18446744073709551.614");
    CHECK_OK(bill_dec_sub(&r, &r, &a));
    CHECK(bill_dec_is_compact(&r));
    CHECK_INT(bill_dec_cmp(&r, &a), 0);
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
}

/* Carries that lengthen the result past the room of its block; products that double it. */
static void test_big_growth(void)
{
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT, r = BILL_DEC_INIT;
    char t[256];
    /* 2^256 - 1 (four limbs) + 1: five limbs, the block must grow */
    parse_into(&a, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    bill_dec_set_i64(&b, 1, 0);
    CHECK_OK(bill_dec_copy(&r, &a));
    CHECK_OK(bill_dec_add(&r, &r, &b));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "115792089237316195423570985008687907853269984665640564039457584007913129639936");
    /* (2^256 - 1) + (2^256 - 1) in place, both operands the result */
    CHECK_OK(bill_dec_copy(&r, &a));
    CHECK_OK(bill_dec_add(&r, &r, &r));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "231584178474632390847141970017375815706539969331281128078915168015826259279870");
    /* squares in place: four limbs to eight, then to sixteen (GMP's path) */
    CHECK_OK(bill_dec_copy(&r, &a));
    CHECK_OK(bill_dec_mul(&r, &r, &r));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "13407807929942597099574024998205846127479365820592393377723561443721764030073"
                 "315392623399665776056285720014482370779510884422601683867654778417822746804225");
    CHECK_OK(bill_dec_mul(&r, &r, &b)); /* × 1: unchanged */
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "13407807929942597099574024998205846127479365820592393377723561443721764030073"
                 "315392623399665776056285720014482370779510884422601683867654778417822746804225");
    /* a negative times a big value of another size, at summed scales */
    parse_into(&a, "-12345678901234567890123.456");
    parse_into(&b, "98765432109876543210987654321098765432.1");
    CHECK_OK(bill_dec_mul(&r, &a, &b));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "-1219326311370217952261850249411522624941030329862978204454185.3376");
    CHECK_INT(bill_dec_scale(&r), 4);
    CHECK_OK(bill_dec_mul(&r, &b, &a)); /* the other order */
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "-1219326311370217952261850249411522624941030329862978204454185.3376");
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
}

/* Different scales: the operand with the smaller scale is scaled up first. */
static void test_big_scales(void)
{
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT, r = BILL_DEC_INIT;
    char t[128];
    parse_into(&a, "123456789012345678901234567890.5");
    parse_into(&b, "-0.000000000000000000000000000001");
    CHECK_OK(bill_dec_add(&r, &a, &b));
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "123456789012345678901234567890.499999999999999999999999999999");
    CHECK_INT(bill_dec_scale(&r), 30);
    CHECK_OK(bill_dec_sub(&a, &a, &b)); /* in place */
    bill_dec_format(&a, t, sizeof t);
    CHECK_STR(t, "123456789012345678901234567890.500000000000000000000000000001");
    CHECK_OK(bill_dec_sub(&b, &a, &a)); /* zero keeps the scale */
    CHECK(bill_dec_is_zero(&b));
    CHECK_INT(bill_dec_scale(&b), 30);
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
}

/* Errors leave the result unchanged, also when it is big. */
static void test_big_errors(void)
{
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT, r = BILL_DEC_INIT;
    char t[128];
    parse_into(&a, "123456789012345678901234567890E-99999");
    parse_into(&b, "-98765432109876543210987654321098765432E-2");
    parse_into(&r, "55555555555555555555555555555.5");
    CHECK_ERR(bill_dec_mul(&r, &a, &b), BILL_ERANGE);
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "55555555555555555555555555555.5");
    CHECK_ERR(bill_dec_add(&r, NULL, &b), BILL_EINVAL);
    CHECK_ERR(bill_dec_mul(NULL, &a, &b), BILL_EINVAL);
    bill_dec_format(&r, t, sizeof t);
    CHECK_STR(t, "55555555555555555555555555555.5");
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
}

/*
 * Parts that were compact, small big values or roomy big values receive big
 * shares from bill_dec_allocate, then serve as results and operands: the
 * blocks it hands over must be sized and described correctly.
 */
static void test_big_allocate_then_reuse(void)
{
    bill_dec parts[4] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec total = BILL_DEC_INIT, sum = BILL_DEC_INIT, t = BILL_DEC_INIT;
    char s[256];
    parse_into(&parts[1], "18446744073709551616");   /* big, one limb of room to spare */
    parse_into(&parts[2], "-1" "000000000000000000000000000000000000000000000000000000000000"
                          "000000000000000000000000000000000000000000000000000000000000"); /* roomy */
    bill_dec_set_i64(&parts[3], 42, 0);
    parse_into(&total, "123456789012345678901234567890123456789012345678901234567890.03");
    CHECK_OK(bill_dec_allocate(parts, 4, &total, NULL, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_OK(bill_dec_add(&sum, &parts[0], &parts[1]));
    CHECK_OK(bill_dec_add(&sum, &sum, &parts[2]));
    CHECK_OK(bill_dec_add(&sum, &sum, &parts[3]));
    CHECK_INT(bill_dec_identical(&sum, &total), 1);
    bill_dec_format(&parts[3], s, sizeof s);
    CHECK_STR(s, "30864197253086419725308641972530864197253086419725308641972.50");
    bill_dec_format(&parts[0], s, sizeof s);
    CHECK_STR(s, "30864197253086419725308641972530864197253086419725308641972.51");
    CHECK_OK(bill_dec_mul(&t, &parts[3], &parts[3]));
    for (int i = 0; i < 4; i++) { /* each part as the result, in place, growing and shrinking */
        CHECK_OK(bill_dec_mul(&parts[i], &parts[i], &parts[i]));
        CHECK_OK(bill_dec_sub(&parts[i], &parts[i], &t));
    }
    for (int i = 0; i < 3; i++) { /* (b + 0.01)^2 - b^2 */
        bill_dec_format(&parts[i], s, sizeof s);
        CHECK_STR(s, "617283945061728394506172839450617283945061728394506172839.4501");
        CHECK(!bill_dec_is_compact(&parts[i]));
    }
    bill_dec_format(&parts[3], s, sizeof s);
    CHECK_STR(s, "0.0000");
    CHECK(bill_dec_is_compact(&parts[3]));
    for (int i = 0; i < 4; i++)
        bill_dec_clear(&parts[i]);
    bill_dec_clear(&total);
    bill_dec_clear(&sum);
    bill_dec_clear(&t);
}

void suite_decimal_big(void)
{
    RUN(test_big_random_against_gmp);
    RUN(test_big_rescale_against_gmp);
    RUN(test_big_back_to_compact);
    RUN(test_big_growth);
    RUN(test_big_scales);
    RUN(test_big_errors);
    RUN(test_big_allocate_then_reuse);
}
