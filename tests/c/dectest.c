/*
 * Runs the applicable cases of the IBM General Decimal Arithmetic test suite
 * (the decTest files Python ships in test/decimaltestdata) against libbill's
 * decimals.
 *
 *     dectest [DIR] [-v] [-s]     (-v: every failure, -s: every skipped case and why)
 *
 * A case is applicable when its operation maps onto libbill, every operand
 * is a finite number within libbill's limits, the expected result is finite
 * and not a negative zero (libbill has no signed zero), its exponent is in
 * libbill's scale range, the rounding mode exists in Java, and none of the
 * conditions Overflow, Underflow, Subnormal, Clamped, Invalid_operation,
 * Division_impossible, Division_undefined (nor the subset-arithmetic ones)
 * is expected: libbill has no exponent limits, so those results differ by
 * design (for the same reason a result that clamp: 1 would fold down is
 * skipped too). Division_by_zero cases run and must fail with BILL_EDIVZERO.
 *
 * Mapping: add/subtract/multiply/fma = exact operation, then
 * bill_dec_round_prec(precision, rounding); divide = bill_dec_div_prec;
 * divideint = bill_dec_div to scale 0, DOWN; quantize/rescale =
 * bill_dec_rescale (a result longer than the precision is GDA's
 * Invalid_operation: skipped); compare/comparesig = bill_dec_cmp;
 * plus/minus/abs = (neg/abs then) round_prec; copy/copyabs/copynegate =
 * exact; reduce = round_prec then bill_dec_trim; tointegral(x) = rescale to
 * 0 when the scale is positive; tosci/apply = bill_dec_parse then round_prec,
 * and its Conversion_syntax cases must be rejected by the parser. Results are
 * compared with bill_dec_to_sci_str as strings, so exponents must match too.
 */
#include "bill.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16
#define MAX_FAILURES_SHOWN 30
/* bill_dec_div_prec's largest precision */
#define DIV_MAX_PRECISION 1000000

static const char *const files[] = {
    /* the core files */
    "add", "subtract", "multiply", "divide", "quantize", "rounding", "compare",
    /* further files whose operations map */
    "abs", "minus", "plus", "copy", "copyabs", "copynegate", "fma", "divideint", "rescale",
    "reduce", "tointegral", "tointegralx", "base", "randoms", "inexact",
    /* decDouble and decQuad formats */
    "ddAdd", "ddSubtract", "ddMultiply", "ddDivide", "ddDivideInt", "ddQuantize", "ddCompare",
    "ddCompareSig", "ddAbs", "ddMinus", "ddPlus", "ddCopy", "ddCopyAbs", "ddCopyNegate", "ddFMA",
    "ddReduce", "ddToIntegral", "ddBase",
    "dqAdd", "dqSubtract", "dqMultiply", "dqDivide", "dqDivideInt", "dqQuantize", "dqCompare",
    "dqCompareSig", "dqAbs", "dqMinus", "dqPlus", "dqCopy", "dqCopyAbs", "dqCopyNegate", "dqFMA",
    "dqReduce", "dqToIntegral", "dqBase",
};
#define NCORE 7

typedef struct context {
    long precision;
    int rounding; /* a bill_rounding, or -1 for modes Java lacks */
    int extended;
    int clamp;
    long max_exponent;
} context;

typedef struct counts {
    long run, passed, failed, skipped;
} counts;

static int verbose, show_skips;
static long failures_shown;

/* ---- tokenising ---------------------------------------------------------- */

/*
 * Splits a line into tokens in place: blanks separate, '...' and "..."
 * quote (a doubled quote inside is one quote), "--" outside quotes starts a
 * comment. Returns the count, or -1 for an unterminated quote.
 */
static int tokenize(char *line, char **tok, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (!*p || (p[0] == '-' && p[1] == '-'))
            break;
        if (n == max)
            return -1;
        if (*p == '\'' || *p == '"') {
            char q = *p++, *out = p;
            tok[n++] = out;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == q) {
                    if (p[1] == q) {
                        *out++ = q;
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *out++ = *p++;
            }
            if (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                return -1;
            if (*p)
                p++;
            *out = '\0';
        } else {
            tok[n++] = p;
            while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
                p++;
            if (*p)
                *p++ = '\0';
        }
    }
    return n;
}

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static int map_rounding(const char *name)
{
    static const struct {
        const char *gda;
        int mode;
    } m[] = {
        {"half_up", BILL_ROUND_HALF_UP},   {"half_even", BILL_ROUND_HALF_EVEN},
        {"half_down", BILL_ROUND_HALF_DOWN}, {"up", BILL_ROUND_UP},
        {"down", BILL_ROUND_DOWN},         {"ceiling", BILL_ROUND_CEILING},
        {"floor", BILL_ROUND_FLOOR},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (ieq(name, m[i].gda))
            return m[i].mode;
    return -1; /* 05up */
}

/*
 * An independent check of the number syntax (any number of exponent digits):
 * [sign] (digits ["." [digits]] | "." digits) [("e"|"E") [sign] digits].
 * *exp_digits gets the exponent's digit count.
 */
static int looks_numeric(const char *s, size_t *exp_digits)
{
    size_t i = 0, a = 0, b = 0, e = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (isdigit((unsigned char)s[i]))
        i++, a++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++, b++;
    }
    if (a + b == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-')
            i++;
        while (isdigit((unsigned char)s[i]))
            i++, e++;
        if (e == 0)
            return 0;
    }
    *exp_digits = e;
    return s[i] == '\0';
}

/* ---- one case ------------------------------------------------------------ */

enum { SKIP = -1, FAIL = 0, PASS = 1 };

/* why the last case was skipped, for -s */
static const char *skip_why = "";
#define SKIP_(reason) (skip_why = (reason), SKIP)

static int has_condition(char **cond, int ncond, const char *name)
{
    for (int i = 0; i < ncond; i++)
        if (ieq(cond[i], name))
            return 1;
    return 0;
}

/* Operand parse: PASS (parsed), SKIP (not applicable), FAIL (parser disagrees). */
static int parse_operand(bill_dec *d, const char *text, char *why, size_t whycap)
{
    size_t ed = 0;
    int numeric = looks_numeric(text, &ed);
    int rc = bill_dec_parse(d, text, (size_t)-1);
    if (rc == BILL_OK) {
        if (numeric)
            return PASS;
        snprintf(why, whycap, "parser accepted non-number '%s'", text);
        return FAIL;
    }
    if (!numeric)
        return SKIP_("operand is not a finite number"); /* NaN, Infinity, #encodings */
    if (rc == BILL_ERANGE || (rc == BILL_ESYNTAX && ed > 9))
        return SKIP_("operand beyond libbill's limits");
    snprintf(why, whycap, "parser rejected '%s': %s", text, bill_errmsg());
    return FAIL;
}

typedef struct testcase {
    const char *id, *op;
    char **args;
    int nargs;
    const char *expect;
    char **cond;
    int ncond;
} testcase;

static int op_arity(const char *op)
{
    static const struct {
        const char *name;
        int arity;
    } ops[] = {
        {"add", 2},      {"subtract", 2},    {"multiply", 2}, {"divide", 2},
        {"divideint", 2}, {"quantize", 2},   {"rescale", 2},  {"compare", 2},
        {"comparesig", 2}, {"fma", 3},       {"plus", 1},     {"minus", 1},
        {"abs", 1},      {"copy", 1},        {"copyabs", 1},  {"copynegate", 1},
        {"reduce", 1},   {"tointegral", 1},  {"tointegralx", 1}, {"tosci", 1},
        {"apply", 1},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ieq(op, ops[i].name))
            return ops[i].arity;
    return -1;
}

/* Runs one case: PASS, FAIL (with *got/why filled in) or SKIP. */
static int run_case(const context *ctx, const testcase *t, char *got, size_t gotcap, char *why,
                    size_t whycap)
{
    static const char *const excluded[] = {
        "Overflow", "Underflow", "Subnormal", "Clamped", "Invalid_operation",
        "Division_impossible", "Division_undefined", "Invalid_context",
        "Insufficient_storage", "Lost_digits",
    };
    bill_dec x[3] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec r = BILL_DEC_INIT, want = BILL_DEC_INIT;
    int arity = op_arity(t->op), verdict = SKIP, rc = BILL_OK, prc;
    int divzero = has_condition(t->cond, t->ncond, "Division_by_zero");
    int syntax = has_condition(t->cond, t->ncond, "Conversion_syntax");
    int mode = ctx->rounding;
    int prec = ctx->precision > 0x7fffffffL ? 0x7fffffff : (int)ctx->precision;
    const char *op = t->op;

    got[0] = why[0] = '\0';
    if (arity < 0 || t->nargs != arity)
        return SKIP_("operation does not map");
    if (mode < 0)
        return SKIP_("rounding mode 05up");
    if (!ctx->extended)
        return SKIP_("subset arithmetic");
    for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++)
        if (has_condition(t->cond, t->ncond, excluded[i]))
            return SKIP_(excluded[i]);

    /* conversions with a syntax error must be rejected */
    if (syntax) {
        if (!(ieq(op, "tosci") || ieq(op, "apply")))
            return SKIP_("NaN operand");
        if (strchr(t->args[0], '#'))
            return SKIP_("operand is an encoding");
        rc = bill_dec_parse(&r, t->args[0], (size_t)-1);
        if (rc == BILL_ESYNTAX)
            return PASS;
        snprintf(got, gotcap, "%s", rc == BILL_OK ? "(accepted)" : bill_status_name(rc));
        snprintf(why, whycap, "parser should reject '%s'", t->args[0]);
        bill_dec_clear(&r);
        return FAIL;
    }

    /* the expected result must be a finite, non-negative-zero number in range */
    if (!divzero) {
        size_t ed;
        if (!(ieq(op, "compare") || ieq(op, "comparesig"))) {
            if (!looks_numeric(t->expect, &ed))
                return SKIP_("result is not a finite number");
            if (bill_dec_parse(&want, t->expect, (size_t)-1) != BILL_OK)
                return SKIP_("result beyond libbill's limits");
            if (t->expect[0] == '-' && bill_dec_is_zero(&want)) {
                bill_dec_clear(&want);
                return SKIP_("result is a negative zero");
            }
            bill_dec_clear(&want);
        } else if (strcmp(t->expect, "-1") && strcmp(t->expect, "0") && strcmp(t->expect, "1")) {
            return SKIP_("comparison result is NaN");
        }
    }

    for (int i = 0; i < t->nargs; i++) {
        prc = parse_operand(&x[i], t->args[i], why, whycap);
        if (prc != PASS) {
            verdict = prc;
            if (prc == FAIL)
                snprintf(got, gotcap, "(parse error)");
            goto done;
        }
    }

    if (ieq(op, "add") || ieq(op, "subtract") || ieq(op, "multiply")) {
        rc = ieq(op, "add") ? bill_dec_add(&r, &x[0], &x[1])
           : ieq(op, "subtract") ? bill_dec_sub(&r, &x[0], &x[1])
           : bill_dec_mul(&r, &x[0], &x[1]);
        if (rc == BILL_OK)
            rc = bill_dec_round_prec(&r, &r, prec, mode);
    } else if (ieq(op, "fma")) {
        rc = bill_dec_mul(&r, &x[0], &x[1]);
        if (rc == BILL_OK)
            rc = bill_dec_add(&r, &r, &x[2]);
        if (rc == BILL_OK)
            rc = bill_dec_round_prec(&r, &r, prec, mode);
    } else if (ieq(op, "divide")) {
        if (prec > DIV_MAX_PRECISION) {
            verdict = SKIP_("precision beyond bill_dec_div_prec's limit");
            goto done;
        }
        rc = bill_dec_div_prec(&r, &x[0], &x[1], prec, mode);
    } else if (ieq(op, "divideint")) {
        rc = bill_dec_div(&r, &x[0], &x[1], 0, BILL_ROUND_DOWN);
    } else if (ieq(op, "quantize") || ieq(op, "rescale")) {
        int32_t scale;
        if (ieq(op, "quantize")) {
            scale = bill_dec_scale(&x[1]);
        } else {
            int64_t e;
            int32_t s;
            if (bill_dec_get_i64(&x[1], &e, &s) != BILL_OK || s != 0 || e > 100000000 ||
                e < -100000000) {
                verdict = SKIP_("rescale exponent is not an integer");
                goto done;
            }
            scale = (int32_t)-e;
        }
        if (scale > 100000 || scale < -100000) {
            verdict = SKIP_("scale beyond libbill's limits");
            goto done;
        }
        rc = bill_dec_rescale(&r, &x[0], scale, mode);
        if (rc == BILL_OK && bill_dec_precision(&r) > prec) {
            verdict = SKIP_("quantized result longer than the precision (Invalid_operation)");
            goto done;
        }
    } else if (ieq(op, "compare") || ieq(op, "comparesig")) {
        snprintf(got, gotcap, "%d", bill_dec_cmp(&x[0], &x[1]));
        if (strcmp(got, t->expect) == 0)
            verdict = PASS;
        else {
            verdict = FAIL;
            snprintf(why, whycap, "wrong comparison");
        }
        goto done;
    } else if (ieq(op, "plus") || ieq(op, "tosci") || ieq(op, "apply")) {
        rc = bill_dec_round_prec(&r, &x[0], prec, mode);
    } else if (ieq(op, "minus") || ieq(op, "copynegate")) {
        rc = bill_dec_neg(&r, &x[0]);
        if (rc == BILL_OK && ieq(op, "minus"))
            rc = bill_dec_round_prec(&r, &r, prec, mode);
    } else if (ieq(op, "abs") || ieq(op, "copyabs")) {
        rc = bill_dec_abs(&r, &x[0]);
        if (rc == BILL_OK && ieq(op, "abs"))
            rc = bill_dec_round_prec(&r, &r, prec, mode);
    } else if (ieq(op, "copy")) {
        rc = bill_dec_copy(&r, &x[0]);
    } else if (ieq(op, "reduce")) {
        rc = bill_dec_round_prec(&r, &x[0], prec, mode);
        if (rc == BILL_OK)
            rc = bill_dec_trim(&r, &r, -100000);
    } else if (ieq(op, "tointegral") || ieq(op, "tointegralx")) {
        if (bill_dec_scale(&x[0]) > 0)
            rc = bill_dec_rescale(&r, &x[0], 0, mode);
        else
            rc = bill_dec_copy(&r, &x[0]);
    } else {
        verdict = SKIP_("operation does not map");
        goto done;
    }

    if (divzero) {
        if (rc == BILL_EDIVZERO) {
            verdict = PASS;
        } else {
            verdict = FAIL;
            snprintf(got, gotcap, "%s", bill_status_name(rc));
            snprintf(why, whycap, "expected EDIVZERO");
        }
        goto done;
    }
    if (rc != BILL_OK) {
        verdict = FAIL;
        snprintf(got, gotcap, "%s", bill_status_name(rc));
        snprintf(why, whycap, "%s", bill_errmsg());
        goto done;
    }
    /*
     * With clamp: 1 an exponent above Emax - (precision - 1) is folded down
     * (padding the coefficient with zeros), silently for some operations:
     * a consequence of the exponent limits libbill does not have.
     */
    if (ctx->clamp && -(long)bill_dec_scale(&r) > ctx->max_exponent - (ctx->precision - 1)) {
        verdict = SKIP_("result would be clamped");
        goto done;
    }
    {
        char *s = bill_dec_to_sci_str(&r);
        snprintf(got, gotcap, "%s", s ? s : "(null)");
        verdict = (s && strcmp(s, t->expect) == 0) ? PASS : FAIL;
        bill_free(s);
    }

done:
    for (int i = 0; i < 3; i++)
        bill_dec_clear(&x[i]);
    bill_dec_clear(&r);
    return verdict;
}

/* ---- one file ------------------------------------------------------------ */

static int run_file(const char *dir, const char *name, counts *c)
{
    char path[4096], line[8192], got[256], why[512];
    context ctx = {9, BILL_ROUND_HALF_UP, 1, 0, 999999999L};
    FILE *f;
    long lineno = 0;

    snprintf(path, sizeof path, "%s/%s.decTest", dir, name);
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        char copy[8192];
        char *tok[MAX_TOKENS];
        int n, arrow = -1;
        lineno++;
        memcpy(copy, line, sizeof copy);
        n = tokenize(line, tok, MAX_TOKENS);
        if (n <= 0)
            continue;
        /* directives: "keyword: value" */
        {
            size_t len = strlen(tok[0]);
            if (len > 1 && tok[0][len - 1] == ':' && n >= 2) {
                tok[0][len - 1] = '\0';
                if (ieq(tok[0], "precision"))
                    ctx.precision = strtol(tok[1], NULL, 10);
                else if (ieq(tok[0], "rounding"))
                    ctx.rounding = map_rounding(tok[1]);
                else if (ieq(tok[0], "extended"))
                    ctx.extended = atoi(tok[1]);
                else if (ieq(tok[0], "clamp"))
                    ctx.clamp = atoi(tok[1]);
                else if (ieq(tok[0], "maxexponent"))
                    ctx.max_exponent = strtol(tok[1], NULL, 10);
                /* minExponent, version, dectest: no effect here */
                continue;
            }
        }
        for (int i = 0; i < n; i++)
            if (strcmp(tok[i], "->") == 0) {
                arrow = i;
                break;
            }
        if (arrow < 2 || arrow + 1 >= n) {
            fprintf(stderr, "%s:%ld: unreadable line: %s", path, lineno, copy);
            continue;
        }
        {
            testcase t;
            int v;
            t.id = tok[0];
            t.op = tok[1];
            t.args = tok + 2;
            t.nargs = arrow - 2;
            t.expect = tok[arrow + 1];
            t.cond = tok + arrow + 2;
            t.ncond = n - arrow - 2;
            v = run_case(&ctx, &t, got, sizeof got, why, sizeof why);
            if (v == SKIP) {
                c->skipped++;
                if (show_skips)
                    printf("  SKIP %s %s: %s\n", t.id, t.op, skip_why);
                continue;
            }
            c->run++;
            if (v == PASS) {
                c->passed++;
                continue;
            }
            c->failed++;
            if (verbose || failures_shown < MAX_FAILURES_SHOWN) {
                failures_shown++;
                printf("  FAIL %s %s", t.id, t.op);
                for (int i = 0; i < t.nargs; i++)
                    printf(" '%s'", t.args[i]);
                printf(" -> expected '%s', got '%s' (precision %ld, %s)%s%s\n", t.expect, got,
                       ctx.precision, bill_rounding_name(ctx.rounding), why[0] ? ": " : "", why);
            }
        }
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = "/usr/lib/python3.11/test/decimaltestdata";
    counts total = {0, 0, 0, 0};
    int missing_core = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "-s") == 0)
            show_skips = 1;
        else
            dir = argv[i];
    }
    printf("dectest: %s\n", dir);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        counts c = {0, 0, 0, 0};
        if (run_file(dir, files[i], &c) != 0) {
            if (i < NCORE) {
                printf("%-14s missing: %s\n", files[i], strerror(errno));
                missing_core++;
            }
            continue;
        }
        printf("%-14s %6ld run, %6ld passed, %4ld failed, %6ld skipped\n", files[i], c.run,
               c.passed, c.failed, c.skipped);
        total.run += c.run;
        total.passed += c.passed;
        total.failed += c.failed;
        total.skipped += c.skipped;
    }
    if (total.failed > failures_shown)
        printf("(%ld more failures not shown; -v shows all)\n", total.failed - failures_shown);
    printf("dectest: %ld run, %ld passed, %ld failed, %ld skipped (not applicable)\n", total.run,
           total.passed, total.failed, total.skipped);
    if (missing_core)
        printf("dectest: %d core test files missing from %s\n", missing_core, dir);
    printf("%ld passed, %ld failed\n", total.passed, total.failed + missing_core);
    return (total.failed || missing_core || total.run == 0) ? 1 : 0;
}
