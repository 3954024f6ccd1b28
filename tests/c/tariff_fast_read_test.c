/*
 * Reading a bill after the fast path, in every order. One bill handle is reused
 * for every example tariff against every example usage (and usages too big for
 * int64), so fast and general bills alternate in it, across tariffs with
 * different line counts; the handle is also switched onto the general path
 * every third time. After each computation the bill is read through every
 * getter and renderer in one of the 120 orders of five groups (totals, line
 * views, explanations, text, JSON), most times just after another bill (a fast
 * large-industry bill, or a general one with big amounts) was computed into the
 * handle and read whole; what each group gives must equal what a
 * fresh general-path bill of the same usage gives, whatever was read before it.
 * The line views (bill_line_view pointers into the bill) are read again at the
 * end, after everything else: they must still hold the same values (tariff.h:
 * they stay valid until the bill is computed again or freed).
 */
#define _POSIX_C_SOURCE 200809L

#include "test.h"

#include <dirent.h>

/* tariff_fast.c, for tests only (hidden symbols, linked from libbill.a) */
void billi_bill_set_general_only(bill_bill *b, int on);
int billi_bill_used_fast(const bill_bill *b);

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *s, const char *x)
{
    size_t k = strlen(x);
    if (s->oom)
        return;
    if (s->n + k + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->n + k + 1)
            cap *= 2;
        char *g = realloc(s->p, cap);
        if (!g) {
            s->oom = 1;
            return;
        }
        s->p = g;
        s->cap = cap;
    }
    memcpy(s->p + s->n, x, k + 1);
    s->n += k;
}

static void sb_dec(sbuf *s, const bill_dec *d)
{
    char buf[128];
    if (bill_dec_format(d, buf, sizeof buf) != BILL_OK)
        snprintf(buf, sizeof buf, "<unformattable>");
    sb_add(s, buf);
    sb_add(s, "|");
}

static void sb_own(sbuf *s, char *x)
{
    sb_add(s, x ? x : "<NULL>");
    sb_add(s, "\n");
    bill_free(x);
}

#define NGROUPS 5
#define MAXLINES 128

/* What group g of the reads gives, appended to s; views: the line views read (group 1). */
static void read_group(sbuf *s, const bill_bill *b, int g, bill_line_view *views, size_t *nviews)
{
    bill_dec d = BILL_DEC_INIT;
    size_t n = bill_bill_line_count(b);
    char num[32];
    snprintf(num, sizeof num, "%zu lines|", n);
    sb_add(s, num);
    switch (g) {
    case 0:
        CHECK_OK(bill_bill_subtotal(&d, b));
        sb_dec(s, &d);
        CHECK_OK(bill_bill_tax(&d, b));
        sb_dec(s, &d);
        CHECK_OK(bill_bill_total(&d, b));
        sb_dec(s, &d);
        sb_add(s, bill_bill_tax_included(b) ? "included" : "added");
        break;
    case 1:
        *nviews = 0;
        for (size_t i = 0; i < n; i++) {
            bill_line_view v;
            CHECK_OK(bill_bill_line(&v, b, i));
            if (i < MAXLINES)
                views[(*nviews)++] = v;
            char k[32];
            snprintf(k, sizeof k, "%d|", (int)v.kind);
            sb_add(s, k);
            sb_add(s, v.charge);
            sb_add(s, "|");
            sb_add(s, v.component);
            sb_add(s, "|");
            sb_add(s, v.band);
            sb_add(s, "|");
            sb_add(s, v.unit);
            sb_add(s, "|");
            sb_dec(s, v.quantity);
            sb_dec(s, v.unit_price);
            sb_dec(s, v.amount);
            char seg[32];
            bill_date_format(v.segment.start, seg, sizeof seg);
            sb_add(s, seg);
            sb_add(s, "/");
            bill_date_format(v.segment.end, seg, sizeof seg);
            sb_add(s, seg);
            sb_add(s, "\n");
        }
        CHECK_ERR(bill_bill_line(&(bill_line_view){0}, b, n), BILL_EINVAL);
        break;
    case 2:
        for (size_t i = 0; i < n; i++)
            sb_own(s, bill_bill_line_explain(b, i));
        CHECK(bill_bill_line_explain(b, n) == NULL);
        break;
    case 3:
        sb_own(s, bill_bill_to_text(b));
        break;
    default:
        sb_own(s, bill_bill_to_json(b));
        break;
    }
    bill_dec_clear(&d);
}

/* The views of group 1 formatted again (after every other read). */
static void reread_views(sbuf *s, const bill_line_view *views, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sb_add(s, views[i].charge);
        sb_add(s, views[i].component);
        sb_add(s, views[i].band);
        sb_add(s, views[i].unit);
        sb_dec(s, views[i].quantity);
        sb_dec(s, views[i].unit_price);
        sb_dec(s, views[i].amount);
    }
}

/* The k-th of the 120 orders of 0..4 into order[]. */
static void nth_order(int *order, int k)
{
    int pool[NGROUPS] = {0, 1, 2, 3, 4}, left = NGROUPS;
    for (int i = 0; i < NGROUPS; i++) {
        int f = 1;
        for (int j = 2; j < left; j++)
            f *= j;
        int pick = k / f;
        k %= f;
        order[i] = pool[pick];
        for (int j = pick; j + 1 < left; j++)
            pool[j] = pool[j + 1];
        left--;
    }
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1400];
    size_t rl = strlen(BILL_TEST_DATA) - strlen("/tests/data");
    snprintf(path, sizeof path, "%.*s/examples/%s/%s", (int)rl, BILL_TEST_DATA, dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 17);
    size_t n = buf ? fread(buf, 1, (1 << 17) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static int list_dir(const char *dir, char names[][256], int max)
{
    char path[1400];
    size_t rl = strlen(BILL_TEST_DATA) - strlen("/tests/data");
    snprintf(path, sizeof path, "%.*s/examples/%s", (int)rl, BILL_TEST_DATA, dir);
    DIR *d = opendir(path);
    int n = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < max;) {
        size_t k = strlen(e->d_name);
        if (k > 5 && k < 256 && strcmp(e->d_name + k - 5, ".json") == 0)
            snprintf(names[n++], 256, "%s", e->d_name);
    }
    closedir(d);
    /* a fixed order: insertion sort */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char tmp[256];
            memcpy(tmp, names[j], 256);
            memcpy(names[j], names[j - 1], 256);
            memcpy(names[j - 1], tmp, 256);
        }
    return n;
}

/* usages too big for int64 (the general path), beside the example files */
static const char *const extra_usage[] = {
    "{\"period\": \"2025-06-01/2025-07-01\", \"class\": \"large_industry\","
    " \"capacity_kva\": \"3150\", \"declared_kw\": \"2000\", \"max_demand_kw\": \"2150\","
    " \"tou_kwh\": {\"critical\": \"600001234567.123456789012\", \"peak\": \"300000\","
    " \"flat\": \"400000\", \"valley\": \"440000987654.987654321098\"},"
    " \"kvarh\": \"712000\", \"pf_standard\": \"0.90\"}",
    "{\"period\": \"2025-06-01/2025-07-01\", \"class\": \"residential\","
    " \"tou_kwh\": {\"peak\": \"999999999999999.999999999999\", \"valley\": \"120\"},"
    " \"ytd_kwh\": \"2761\"}",
    "{\"period\": \"2025-06-01/2025-07-01\", \"class\": \"commercial\","
    " \"tou_kwh\": {\"critical\": \"0\", \"peak\": \"0\", \"flat\": \"10\", \"valley\": \"0\"}}",
};

static void test_fast_read_every_order(void)
{
    static char tnames[16][256], unames[32][256];
    int nt = list_dir("tariffs", tnames, 16), nu = list_dir("usage", unames, 32);
    int nextra = (int)(sizeof extra_usage / sizeof extra_usage[0]);
    bill_bill *b = NULL, *g = NULL;
    bill_usage *u = NULL, *iu[2] = {NULL, NULL};
    bill_tariff *it[2] = {NULL, NULL};
    static bill_line_view views[MAXLINES];
    int compared = 0, fast = 0, general = 0, step = 0;
    CHECK(nt >= 5 && nu >= 5);
    if (bill_bill_create(&b) != BILL_OK || bill_bill_create(&g) != BILL_OK ||
        bill_usage_create(&u) != BILL_OK) {
        TEST_FAIL_("%s", "setup");
        goto out;
    }
    billi_bill_set_general_only(g, 1);
    /* the bills computed in between: large industry (fast, many lines), residential with
     * a kWh too big for int64 (general, big amounts) */
    {
        static const char *const tf[2] = {"cn-large-industry.json", "cn-residential-annual-tou.json"};
        for (int k = 0; k < 2; k++) {
            size_t len;
            char *tj = slurp("tariffs", tf[k], &len);
            char *uj = k == 0 ? slurp("usage", "large-industry-june.json", &len) : NULL;
            const char *us = k == 0 ? uj : extra_usage[1];
            if (!tj || bill_tariff_load(&it[k], tj, strlen(tj), tf[k]) != BILL_OK ||
                bill_usage_create(&iu[k]) != BILL_OK || !us ||
                bill_usage_load(iu[k], us, strlen(us), "interloper") != BILL_OK)
                TEST_FAIL_("interloper %d: %s", k, bill_errmsg());
            free(tj);
            free(uj);
        }
    }
    for (int ti = 0; ti < nt; ti++) {
        size_t tlen;
        char *tj = slurp("tariffs", tnames[ti], &tlen);
        bill_tariff *t = NULL;
        if (!tj || bill_tariff_load(&t, tj, tlen, tnames[ti]) != BILL_OK) {
            TEST_FAIL_("loading %s: %s", tnames[ti], bill_errmsg());
            free(tj);
            continue;
        }
        free(tj);
        for (int ui = 0; ui < nu + nextra; ui++) {
            size_t ulen;
            char *uj = ui < nu ? slurp("usage", unames[ui], &ulen) : NULL;
            const char *src = ui < nu ? uj : extra_usage[ui - nu];
            int lrc = src ? bill_usage_load(u, src, strlen(src), "usage") : BILL_EINVAL;
            free(uj);
            if (lrc != BILL_OK || bill_tariff_compute(t, u, g) != BILL_OK)
                continue; /* not a bill of this tariff (errors: tariff_fast_test.c) */
            /* the reference: every group read once from the general bill */
            sbuf ref[NGROUPS] = {{0}};
            size_t nref = 0;
            for (int k = 0; k < NGROUPS; k++)
                read_group(&ref[k], g, k, views, &nref);
            sbuf refviews = {0};
            reread_views(&refviews, views, nref);
            for (int k = 0; k < 120; k++, step++) {
                int order[NGROUPS];
                nth_order(order, k);
                /* another bill first, read whole: what it leaves in the handle must not show */
                if (it[step % 2] && iu[step % 2] && step % 5 != 4) {
                    billi_bill_set_general_only(b, 0);
                    CHECK_OK(bill_tariff_compute(it[step % 2], iu[step % 2], b));
                    bill_free(bill_bill_to_json(b));
                    size_t nx = 0;
                    sbuf x = {0};
                    read_group(&x, b, 1, views, &nx);
                    free(x.p);
                }
                billi_bill_set_general_only(b, step % 3 == 2);
                if (bill_tariff_compute(t, u, b) != BILL_OK) {
                    TEST_FAIL_("%s + %d: %s", tnames[ti], ui, bill_errmsg());
                    break;
                }
                if (billi_bill_used_fast(b))
                    fast++;
                else
                    general++;
                sbuf got[NGROUPS] = {{0}};
                size_t nv = 0;
                for (int i = 0; i < NGROUPS; i++)
                    read_group(&got[order[i]], b, order[i], views, &nv);
                /* everything once more, in the same order: reading changes nothing */
                for (int i = 0; i < NGROUPS; i++) {
                    sbuf again = {0};
                    size_t nv2 = 0;
                    static bill_line_view views2[MAXLINES];
                    read_group(&again, b, order[i], order[i] == 1 ? views2 : views, order[i] == 1 ? &nv2 : &nv);
                    CHECK(again.p && got[order[i]].p && strcmp(again.p, got[order[i]].p) == 0);
                    free(again.p);
                }
                for (int i = 0; i < NGROUPS; i++) {
                    CHECK(!got[i].oom && got[i].p && ref[i].p);
                    if (got[i].p && ref[i].p && strcmp(got[i].p, ref[i].p) != 0) {
                        TEST_FAIL_("%s + usage %d, order %d, group %d differs:\n%s\n---\n%s",
                                   tnames[ti], ui, k, i, got[i].p, ref[i].p);
                        k = 120;
                    }
                    free(got[i].p);
                }
                /* the views read first still point at the same values */
                sbuf vv = {0};
                reread_views(&vv, views, nv);
                CHECK(nv == nref && vv.p != NULL && refviews.p != NULL && strcmp(vv.p, refviews.p) == 0);
                free(vv.p);
                compared++;
            }
            for (int k = 0; k < NGROUPS; k++)
                free(ref[k].p);
            free(refviews.p);
        }
        bill_tariff_free(t);
    }
    /* both paths were exercised, in the same handle */
    CHECK(compared > 1000);
    CHECK(fast > 500);
    CHECK(general > 500);
out:
    for (int k = 0; k < 2; k++) {
        bill_usage_free(iu[k]);
        bill_tariff_free(it[k]);
    }
    bill_usage_free(u);
    bill_bill_free(b);
    bill_bill_free(g);
}

void suite_tariff_fast_read(void)
{
    RUN(test_fast_read_every_order);
}
