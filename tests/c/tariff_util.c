/* Helpers shared by the tariff test suites (see tariff_util.h). */
#include "test.h"
#include "tariff_util.h"

char *tu_sq(const char *text)
{
    size_t n = strlen(text);
    char *r = malloc(n + 1);
    if (!r)
        abort();
    for (size_t i = 0; i <= n; i++)
        r[i] = text[i] == '\'' ? '"' : text[i];
    return r;
}

bill_tariff *tu_load(const char *text)
{
    char *j = tu_sq(text);
    bill_tariff *t = NULL;
    int rc = bill_tariff_load(&t, j, (size_t)-1, "t.json");
    if (rc != BILL_OK)
        TEST_FAIL_("tariff load failed: %s", bill_errmsg());
    else
        test_passed++;
    free(j);
    return t;
}

void tu_reject(const char *text, int code, const char *want)
{
    char *j = tu_sq(text);
    bill_tariff *t = (bill_tariff *)&t; /* must come back NULL on failure */
    int rc = bill_tariff_load(&t, j, (size_t)-1, "t.json");
    if (rc != code)
        TEST_FAIL_("load returned %s, expected %s (%s) for %.160s", bill_status_name(rc),
                   bill_status_name(code), rc ? bill_errmsg() : "", text);
    else
        test_passed++;
    if (rc != BILL_OK && strstr(bill_errmsg(), want) == NULL)
        TEST_FAIL_("message \"%s\" does not contain \"%s\"", bill_errmsg(), want);
    else
        test_passed++;
    CHECK(rc == BILL_OK || t == NULL);
    if (rc == BILL_OK)
        bill_tariff_free(t);
    free(j);
}

int tu_usage(bill_usage *u, const char *text)
{
    char *j = tu_sq(text);
    int rc = bill_usage_load(u, j, (size_t)-1, "u.json");
    free(j);
    return rc;
}

const char *tu_dstr(const bill_dec *d)
{
    static char buf[8][128];
    static int k;
    k = (k + 1) % 8;
    bill_dec_format(d, buf[k], sizeof buf[k]);
    return buf[k];
}

bill_tariff *tu_example_tariff(const char *name)
{
    /* BILL_TEST_DATA is <root>/tests/data */
    char path[1400];
    size_t rl = strlen(BILL_TEST_DATA) - strlen("/tests/data");
    snprintf(path, sizeof path, "%.*s/examples/tariffs/%s", (int)rl, BILL_TEST_DATA, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        TEST_FAIL_("cannot open %s", path);
        return NULL;
    }
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    bill_tariff *t = NULL;
    if (bill_tariff_load(&t, buf, len, name) != BILL_OK) {
        TEST_FAIL_("%s: %s", name, bill_errmsg());
        return NULL;
    }
    test_passed++;
    return t;
}

static uint64_t tu_state = 88172645463325252ULL;

void tu_seed(uint64_t seed)
{
    tu_state = seed ? seed : 88172645463325252ULL;
}

uint64_t tu_rnd(void)
{
    tu_state ^= tu_state << 13;
    tu_state ^= tu_state >> 7;
    tu_state ^= tu_state << 17;
    return tu_state;
}

int64_t tu_below(int64_t n)
{
    return (int64_t)(tu_rnd() % (uint64_t)n);
}

int tu_chance(int percent)
{
    return tu_below(100) < percent;
}

const char *const tu_example_names[] = {"cn-residential-annual-tou.json", "cn-commercial-tou.json",
                                        "cn-residential-annual.json",
                                        "cn-residential-monthly-seasonal.json",
                                        "cn-large-industry.json", "cn-residential-solar.json",
                                        "us-tou-demand.json", "cn-large-industry-options.json"};
const size_t tu_example_count = sizeof tu_example_names / sizeof tu_example_names[0];
