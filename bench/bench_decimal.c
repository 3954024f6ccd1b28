/*
 * Decimal throughput: libbill's bill_dec beside raw GMP on the same values.
 *
 * For small values (prices like 0.5283, quantities like 3120.45, amounts with
 * two decimals: all under 18 digits) and large ones (40 digits, 10 after the
 * point), it times parse, add, multiply, multiply-and-round (to 2 decimals,
 * HALF_UP), divide-with-rounding (to 4 decimals, HALF_UP) and format, on
 * arrays of pre-built values so that only the operation is timed. The raw GMP
 * column does what a careful programmer would do by hand: integers already
 * scaled to a common exponent, mpz_add / mpz_mul / mpz_tdiv_qr with manual
 * HALF_UP rounding, mpz_set_str / mpz_get_str with the point removed or
 * inserted. Before timing, the two columns' results are compared value by
 * value; a mismatch is reported and fails the run.
 *
 * Output: one table row per operation and size, with millions of operations
 * per second (double is used only to print rates, never on a value).
 * Usage: bench_decimal [seconds-per-measurement]   (default 0.25)
 */
#define _POSIX_C_SOURCE 199309L

#include "bill.h"

#include <gmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 4096
#define TXT 64

static double min_seconds = 0.25;
static volatile int64_t sink;

/* ---- deterministic pseudo-random numbers --------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static uint64_t rng_below(uint64_t n) { return rng() % n; }

/* ---- one data set: operands as text, as bill_dec and as scaled mpz -------------- */

struct set {
    const char *name;
    int sa, sb;                 /* scales of a and b */
    char a_txt[N][TXT];         /* parse and format use a */
    size_t a_len[N];
    bill_dec a[N], b[N];        /* add: a + b; mul: a * b; div: a / b */
    mpz_t za[N], zb[N];
    int mul_sa, mul_sb;         /* the operands of the multiplications (scales) */
    bill_dec ma[N], mb[N];
    mpz_t zma[N], zmb[N];
};

static struct set small_set, large_set;

/* Results, reused pass after pass (as an application would). */
static bill_dec res[N];
static mpz_t zres[N], zrem[N];
static char out_txt[N][2 * TXT];

/* Integers 10^k used by the raw GMP code, built once. */
static mpz_t pow10_tab[64];

static void parse_or_die(bill_dec *d, const char *s)
{
    if (bill_dec_parse(d, s, (size_t)-1) != BILL_OK) {
        fprintf(stderr, "bench: cannot parse '%s': %s\n", s, bill_errmsg());
        exit(1);
    }
}

/* Text of digits with `frac` digits after the point (and a sign if neg). */
static void make_text(char *out, int neg, int int_digits, int frac, int nonzero_lead)
{
    char *o = out;
    if (neg)
        *o++ = '-';
    for (int i = 0; i < int_digits; i++)
        *o++ = (char)('0' + ((i == 0 && nonzero_lead) ? 1 + rng_below(9) : rng_below(10)));
    if (int_digits == 0)
        *o++ = '0';
    if (frac > 0) {
        *o++ = '.';
        for (int i = 0; i < frac; i++)
            *o++ = (char)('0' + rng_below(10));
    }
    *o = '\0';
}

/* The raw GMP side of parsing: drop the point, read the integer, note the scale. */
static int gmp_parse(mpz_t z, const char *s)
{
    char tmp[TXT];
    char *o = tmp;
    int scale = 0, after = 0;
    for (; *s; s++) {
        if (*s == '.') {
            after = 1;
            continue;
        }
        *o++ = *s;
        scale += after;
    }
    *o = '\0';
    mpz_set_str(z, tmp, 10);
    return scale;
}

/* The raw GMP side of formatting: digits, then the point put back in. */
static size_t gmp_format(char *out, const mpz_t z, int scale)
{
    char tmp[2 * TXT];
    mpz_get_str(tmp, 10, z);
    const char *d = tmp;
    char *o = out;
    if (*d == '-') {
        *o++ = '-';
        d++;
    }
    size_t n = strlen(d);
    if (scale <= 0) {
        memcpy(o, d, n);
        o += n;
    } else if (n > (size_t)scale) {
        memcpy(o, d, n - scale);
        o += n - scale;
        *o++ = '.';
        memcpy(o, d + n - scale, scale);
        o += scale;
    } else {
        *o++ = '0';
        *o++ = '.';
        memset(o, '0', scale - n);
        o += scale - n;
        memcpy(o, d, n);
        o += n;
    }
    *o = '\0';
    return (size_t)(o - out);
}

/* q = n / d rounded HALF_UP (r is scratch). */
static inline void gmp_div_half_up(mpz_t q, mpz_t r, const mpz_t n, const mpz_t d)
{
    mpz_tdiv_qr(q, r, n, d);
    if (mpz_sgn(r) != 0) {
        mpz_mul_2exp(r, r, 1);
        if (mpz_cmpabs(r, d) >= 0) {
            if ((mpz_sgn(n) < 0) != (mpz_sgn(d) < 0))
                mpz_sub_ui(q, q, 1);
            else
                mpz_add_ui(q, q, 1);
        }
    }
}

static void build_small(struct set *s)
{
    char t[TXT];
    s->name = "small";
    s->sa = 2;
    s->sb = 2;
    s->mul_sa = 4;
    s->mul_sb = 2;
    for (int i = 0; i < N; i++) {
        /* an amount: up to 99999.99 */
        snprintf(t, sizeof t, "%d.%02d", (int)rng_below(100000), (int)rng_below(100));
        strcpy(s->a_txt[i], t);
        s->a_len[i] = strlen(t);
        parse_or_die(&s->a[i], t);
        gmp_parse(s->za[i], t);
        /* a quantity: 1.00 .. 9999.99 kWh */
        snprintf(t, sizeof t, "%d.%02d", 1 + (int)rng_below(9999), (int)rng_below(100));
        parse_or_die(&s->b[i], t);
        parse_or_die(&s->mb[i], t);
        gmp_parse(s->zb[i], t);
        gmp_parse(s->zmb[i], t);
        /* a price: 0.3000 .. 0.9999 per kWh */
        snprintf(t, sizeof t, "0.%04d", 3000 + (int)rng_below(7000));
        parse_or_die(&s->ma[i], t);
        gmp_parse(s->zma[i], t);
    }
}

static void build_large(struct set *s)
{
    char t[TXT];
    s->name = "large";
    s->sa = 10;
    s->sb = 10;
    s->mul_sa = 10;
    s->mul_sb = 10;
    for (int i = 0; i < N; i++) {
        make_text(t, rng_below(4) == 0, 30, 10, 1);   /* 40 digits, a quarter negative */
        strcpy(s->a_txt[i], t);
        s->a_len[i] = strlen(t);
        parse_or_die(&s->a[i], t);
        parse_or_die(&s->ma[i], t);
        gmp_parse(s->za[i], t);
        gmp_parse(s->zma[i], t);
        make_text(t, rng_below(4) == 0, 30, 10, 1);
        parse_or_die(&s->b[i], t);
        parse_or_die(&s->mb[i], t);
        gmp_parse(s->zb[i], t);
        gmp_parse(s->zmb[i], t);
    }
}

/* ---- the timed passes ------------------------------------------------------------- */

static struct set *cur;

static void lb_parse(void)
{
    for (int i = 0; i < N; i++)
        bill_dec_parse(&res[i], cur->a_txt[i], cur->a_len[i]);
}
static void gm_parse(void)
{
    int acc = 0;
    for (int i = 0; i < N; i++)
        acc += gmp_parse(zres[i], cur->a_txt[i]);
    sink += acc;
}
static void lb_add(void)
{
    for (int i = 0; i < N; i++)
        bill_dec_add(&res[i], &cur->a[i], &cur->b[i]);
}
static void gm_add(void)
{
    for (int i = 0; i < N; i++)
        mpz_add(zres[i], cur->za[i], cur->zb[i]);
}
static void lb_mul(void)
{
    for (int i = 0; i < N; i++)
        bill_dec_mul(&res[i], &cur->ma[i], &cur->mb[i]);
}
static void gm_mul(void)
{
    for (int i = 0; i < N; i++)
        mpz_mul(zres[i], cur->zma[i], cur->zmb[i]);
}
static void lb_mulround(void)
{
    for (int i = 0; i < N; i++) {
        bill_dec_mul(&res[i], &cur->ma[i], &cur->mb[i]);
        bill_dec_rescale(&res[i], &res[i], 2, BILL_ROUND_HALF_UP);
    }
}
static void gm_mulround(void)
{
    const mpz_srcptr p = pow10_tab[cur->mul_sa + cur->mul_sb - 2];
    for (int i = 0; i < N; i++) {
        mpz_mul(zrem[i], cur->zma[i], cur->zmb[i]);
        gmp_div_half_up(zres[i], zrem[i], zrem[i], p);
    }
}
static void lb_div(void)
{
    for (int i = 0; i < N; i++)
        bill_dec_div(&res[i], &cur->a[i], &cur->b[i], 4, BILL_ROUND_HALF_UP);
}
static void gm_div(void)
{
    /* a * 10^(4 + sb - sa) / b */
    const mpz_srcptr p = pow10_tab[4 + cur->sb - cur->sa];
    for (int i = 0; i < N; i++) {
        mpz_mul(zrem[i], cur->za[i], p);
        gmp_div_half_up(zres[i], zrem[i], zrem[i], cur->zb[i]);
    }
}
static void lb_format(void)
{
    size_t acc = 0;
    for (int i = 0; i < N; i++)
        acc += bill_dec_format(&cur->a[i], out_txt[i], sizeof out_txt[i]);
    sink += (int64_t)acc;
}
static void gm_format(void)
{
    size_t acc = 0;
    for (int i = 0; i < N; i++)
        acc += gmp_format(out_txt[i], cur->za[i], cur->sa);
    sink += (int64_t)acc;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Millions of operations per second for a pass function. */
static double measure(void (*pass)(void))
{
    pass();   /* warm up: results reach their final size */
    long passes = 0;
    double t0 = now(), t;
    do {
        pass();
        passes++;
        sink += bill_dec_sign(&res[passes & (N - 1)]) + mpz_sgn(zres[passes & (N - 1)]);
        t = now();
    } while (t - t0 < min_seconds);
    return (double)passes * N / (t - t0) / 1e6;
}

/* ---- agreement of the two columns ---------------------------------------------------- */

static int compare_results(const char *op, int scale)
{
    char lb[2 * TXT], gm[2 * TXT];
    for (int i = 0; i < N; i++) {
        bill_dec_format(&res[i], lb, sizeof lb);
        gmp_format(gm, zres[i], scale);
        if (strcmp(lb, gm) != 0) {
            fprintf(stderr, "bench: %s %s: libbill gives %s, raw GMP %s (operands #%d)\n",
                    op, cur->name, lb, gm, i);
            return 1;
        }
    }
    return 0;
}

static int verify(void)
{
    int bad = 0;
    lb_parse(); gm_parse();
    bad |= compare_results("parse", cur->sa);
    lb_add(); gm_add();
    bad |= compare_results("add", cur->sa > cur->sb ? cur->sa : cur->sb);
    lb_mul(); gm_mul();
    bad |= compare_results("mul", cur->mul_sa + cur->mul_sb);
    lb_mulround(); gm_mulround();
    bad |= compare_results("mul+round", 2);
    lb_div(); gm_div();
    bad |= compare_results("div+round", 4);
    lb_format(); gm_format();
    for (int i = 0; i < N; i++) {
        char gm[2 * TXT];
        gmp_format(gm, cur->za[i], cur->sa);
        if (strcmp(gm, cur->a_txt[i]) != 0 || strcmp(out_txt[i], cur->a_txt[i]) != 0) {
            fprintf(stderr, "bench: format %s: '%s' came back as '%s'\n", cur->name,
                    cur->a_txt[i], out_txt[i]);
            bad = 1;
            break;
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*lb)(void);
        void (*gm)(void);
    } ops[] = {
        {"parse", lb_parse, gm_parse},       {"add", lb_add, gm_add},
        {"mul", lb_mul, gm_mul},             {"mul+round", lb_mulround, gm_mulround},
        {"div+round", lb_div, gm_div},       {"format", lb_format, gm_format},
    };
    if (argc > 1)
        min_seconds = atof(argv[1]);

    for (int k = 0; k < 64; k++) {
        mpz_init(pow10_tab[k]);
        mpz_ui_pow_ui(pow10_tab[k], 10, (unsigned long)k);
    }
    for (int i = 0; i < N; i++) {
        bill_dec_init(&res[i]);
        mpz_init(zres[i]);
        mpz_init(zrem[i]);
        for (int s = 0; s < 2; s++) {
            struct set *st = s ? &large_set : &small_set;
            bill_dec_init(&st->a[i]); bill_dec_init(&st->b[i]);
            bill_dec_init(&st->ma[i]); bill_dec_init(&st->mb[i]);
            mpz_init(st->za[i]); mpz_init(st->zb[i]);
            mpz_init(st->zma[i]); mpz_init(st->zmb[i]);
        }
    }
    build_small(&small_set);
    build_large(&large_set);

    int bad = 0;
    for (int s = 0; s < 2; s++) {
        cur = s ? &large_set : &small_set;
        bad |= verify();
    }
    if (bad) {
        fprintf(stderr, "bench: libbill and raw GMP disagree; not timing\n");
        return 1;
    }

    printf("libbill %s decimal vs raw GMP %s: %d values per array, %.2f s per measurement\n",
           bill_version(), gmp_version, N, min_seconds);
    printf("(results of both columns compared value by value first: they agree)\n\n");
    printf("%-12s %-6s %15s %15s %8s\n", "operation", "size", "libbill Mops/s",
           "raw GMP Mops/s", "ratio");
    for (int s = 0; s < 2; s++) {
        cur = s ? &large_set : &small_set;
        for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
            double lb = measure(ops[k].lb);
            double gm = measure(ops[k].gm);
            printf("%-12s %-6s %15.2f %15.2f %8.2f\n", ops[k].name, cur->name, lb, gm, lb / gm);
            fflush(stdout);
        }
    }
    printf("\nratio = libbill / raw GMP (above 1: libbill is faster)\n");

    for (int i = 0; i < N; i++) {
        bill_dec_clear(&res[i]);
        mpz_clear(zres[i]);
        mpz_clear(zrem[i]);
        for (int s = 0; s < 2; s++) {
            struct set *st = s ? &large_set : &small_set;
            bill_dec_clear(&st->a[i]); bill_dec_clear(&st->b[i]);
            bill_dec_clear(&st->ma[i]); bill_dec_clear(&st->mb[i]);
            mpz_clear(st->za[i]); mpz_clear(st->zb[i]);
            mpz_clear(st->zma[i]); mpz_clear(st->zmb[i]);
        }
    }
    for (int k = 0; k < 64; k++)
        mpz_clear(pow10_tab[k]);
    return 0;
}
