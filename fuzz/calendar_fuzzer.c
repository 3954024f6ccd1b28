/*
 * Fuzz harness for bill_calendar_load.
 *
 * A calendar is set up with a weekend (chosen from the input's length) and a
 * few entries of its own, then the input is loaded into it (len = size, no
 * NUL). Before and after, the harness asks the calendar about every date the
 * input mentions and some fixed dates. The load is all or nothing:
 *   - on failure, every answer is the same as before, and the handle has a
 *     message;
 *   - on success, every line the harness recognises for sure
 *     ("YYYY-MM-DD holiday[ name]" or "YYYY-MM-DD working") is in effect,
 *     and no date was accepted as both a holiday and a working day.
 * Loading the same text a second time must change nothing. The
 * working-day arithmetic is run over the result (it must terminate and agree
 * with the day types). A violated invariant calls abort().
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
            fprintf(stderr, "calendar_fuzzer: invariant failed at line %d: %s\n",  \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

#define MAX_DATES 256

/* What the calendar says about a set of dates. */
struct answers {
    size_t n;
    int type[MAX_DATES];
    int working[MAX_DATES];
    char *name[MAX_DATES];   /* copies; NULL when not a holiday */
    unsigned weekend;
    int32_t wdays;           /* working days in 2025 */
    int add_st;
    bill_date add_out;       /* 10 working days after 2025-09-26 */
};

static bill_date mkdate(int y, int m, int d)
{
    bill_date out = {0};
    CHECK(bill_date_from_ymd(&out, y, m, d) == BILL_OK);
    return out;
}

static void ask(const bill_calendar *cal, const bill_date *dates, size_t n, struct answers *a)
{
    a->n = n;
    for (size_t i = 0; i < n; i++) {
        a->type[i] = bill_calendar_day_type(cal, dates[i]);
        CHECK(a->type[i] == BILL_DAY_WORKING || a->type[i] == BILL_DAY_WEEKEND ||
              a->type[i] == BILL_DAY_HOLIDAY);
        a->working[i] = bill_calendar_is_working_day(cal, dates[i]);
        CHECK(a->working[i] == (a->type[i] == BILL_DAY_WORKING));
        const char *name = bill_calendar_holiday_name(cal, dates[i]);
        CHECK((name != NULL) == (a->type[i] == BILL_DAY_HOLIDAY));
        if (name) {
            a->name[i] = malloc(strlen(name) + 1);
            CHECK(a->name[i] != NULL);
            strcpy(a->name[i], name);
        } else {
            a->name[i] = NULL;
        }
    }
    a->weekend = bill_calendar_weekend(cal);
    bill_period y2025 = {mkdate(2025, 1, 1), mkdate(2026, 1, 1)};
    a->wdays = bill_calendar_working_days(cal, y2025);
    CHECK(a->wdays >= 0 && a->wdays <= 365);
    a->add_out.day = 0;
    a->add_st = bill_calendar_add_working_days(cal, &a->add_out, mkdate(2025, 9, 26), 10);
}

static void forget(struct answers *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->name[i]);
    a->n = 0;
}

static void same(const struct answers *a, const struct answers *b)
{
    CHECK(a->n == b->n);
    for (size_t i = 0; i < a->n; i++) {
        CHECK(a->type[i] == b->type[i]);
        CHECK(a->working[i] == b->working[i]);
        CHECK((a->name[i] == NULL) == (b->name[i] == NULL));
        if (a->name[i])
            CHECK(strcmp(a->name[i], b->name[i]) == 0);
    }
    CHECK(a->weekend == b->weekend);
    CHECK(a->wdays == b->wdays);
    CHECK(a->add_st == b->add_st);
    if (a->add_st == BILL_OK)
        CHECK(a->add_out.day == b->add_out.day);
}

/* The lines the harness is sure about. */
enum { KIND_HOLIDAY = 1, KIND_WORKING = 2 };
struct entry {
    bill_date date;
    int kind;
};

static size_t recognise(const uint8_t *s, size_t n, struct entry *out, size_t max)
{
    size_t count = 0, i = 0;
    while (i < n && count < max) {
        size_t end = i;
        while (end < n && s[end] != '\n')
            end++;
        size_t len = end - i;
        bill_date d;
        if (len >= 18 && s[i + 10] == ' ' && bill_date_parse(&d, (const char *)s + i, 10) == BILL_OK) {
            const uint8_t *w = s + i + 11;
            size_t rest = len - 11;
            if (rest == 7 && memcmp(w, "working", 7) == 0) {
                out[count].date = d;
                out[count++].kind = KIND_WORKING;
            } else if (memcmp(w, "holiday", 7) == 0 && (rest == 7 || w[7] == ' ')) {
                out[count].date = d;
                out[count++].kind = KIND_HOLIDAY;
            }
        }
        i = end + 1;
    }
    return count;
}

/* After a successful load: the recognised lines hold, and no date is both. */
static void check_loaded(const bill_calendar *cal, const struct entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int t = bill_calendar_day_type(cal, e[i].date);
        if (e[i].kind == KIND_HOLIDAY) {
            CHECK(t == BILL_DAY_HOLIDAY);
        } else {
            CHECK(t == BILL_DAY_WORKING);
            for (size_t j = 0; j < n; j++)
                CHECK(!(e[j].kind == KIND_HOLIDAY && e[j].date.day == e[i].date.day));
        }
    }
}

/* The working-day arithmetic agrees with the day types. */
static void check_arith(const bill_calendar *cal, bill_date from)
{
    static const int32_t steps[] = {0, 1, 10, -10};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        int32_t n = steps[k];
        bill_date out = {0};
        int st = bill_calendar_add_working_days(cal, &out, from, n);
        if (st != BILL_OK) {
            CHECK(st < 0);
            continue;
        }
        CHECK(bill_date_is_valid(out));
        CHECK(bill_calendar_is_working_day(cal, out));
        if (n == 0) {
            CHECK(bill_date_diff(from, out) >= 0);
            continue;
        }
        /* n working days strictly between from and out, counting out itself */
        bill_period p;
        if (n > 0) {
            CHECK(bill_date_diff(from, out) > 0);
            bill_date s;
            CHECK(bill_date_add_days(&s, from, 1) == BILL_OK);
            bill_date e;
            CHECK(bill_date_add_days(&e, out, 1) == BILL_OK || out.day == 2932896);
            if (out.day == 2932896)
                continue;
            CHECK(bill_period_make(&p, s, e) == BILL_OK);
            CHECK(bill_calendar_working_days(cal, p) == n);
        } else {
            CHECK(bill_date_diff(from, out) < 0);
            CHECK(bill_period_make(&p, out, from) == BILL_OK);
            CHECK(bill_calendar_working_days(cal, p) == -n);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned weekends[] = {0x60, 0x40, 0x30, 0x00, 0x7f};
    bill_calendar *cal = NULL;
    bill_date dates[MAX_DATES];
    size_t nd = 0;
    struct answers before, after;
    struct entry *entries = NULL;
    size_t ne = 0;

    CHECK(bill_calendar_create(&cal) == BILL_OK && cal != NULL);
    CHECK(bill_calendar_weekend(cal) == 0x60);
    /* a weekend chosen by the length; all-week weekends may be refused */
    (void)bill_calendar_set_weekend(cal, weekends[size % 5]);
    /* baseline entries; some may be refused under an unusual weekend */
    (void)bill_calendar_add_holiday(cal, mkdate(2025, 1, 1), "New Year");
    (void)bill_calendar_add_holiday(cal, mkdate(2025, 10, 1), NULL);
    (void)bill_calendar_add_working_day(cal, mkdate(2025, 1, 26));
    (void)bill_calendar_add_working_day(cal, mkdate(2025, 9, 28));

    /* the dates to ask about: fixed ones and every date the input mentions */
    dates[nd++] = mkdate(2025, 1, 1);
    dates[nd++] = mkdate(2025, 1, 26);
    dates[nd++] = mkdate(2025, 9, 28);
    dates[nd++] = mkdate(2025, 10, 1);
    dates[nd++] = mkdate(2025, 10, 4);
    dates[nd++] = mkdate(2025, 10, 6);
    dates[nd++] = mkdate(1, 1, 1);
    dates[nd++] = mkdate(9999, 12, 31);
    for (size_t i = 0; i + 10 <= size && nd < MAX_DATES; i++) {
        bill_date d;
        if (data[i] >= '0' && data[i] <= '9' &&
            bill_date_parse(&d, (const char *)data + i, 10) == BILL_OK)
            dates[nd++] = d;
    }

    ask(cal, dates, nd, &before);
    int st = bill_calendar_load(cal, (const char *)data, size);
    ask(cal, dates, nd, &after);

    if (st != BILL_OK) {
        CHECK(st < 0);
        CHECK(bill_calendar_errmsg(cal) != NULL && bill_calendar_errmsg(cal)[0] != '\0');
        same(&before, &after);
    } else {
        entries = malloc((size / 18 + 1) * sizeof *entries);
        CHECK(entries != NULL);
        ne = recognise(data, size, entries, size / 18 + 1);
        check_loaded(cal, entries, ne);
        CHECK(after.weekend == before.weekend);

        /* a second load of the same text: all or nothing again */
        struct answers again;
        st = bill_calendar_load(cal, (const char *)data, size);
        ask(cal, dates, nd, &again);
        if (st == BILL_OK)
            check_loaded(cal, entries, ne);
        same(&after, &again);   /* loading the same text twice changes nothing */
        forget(&again);
    }

    check_arith(cal, mkdate(2025, 9, 26));
    /* a week without working days makes each search run to the end of time: once is enough */
    if (bill_calendar_weekend(cal) != 0x7f)
        for (size_t i = 0; i < nd && i < 16; i++)
            check_arith(cal, dates[i]);

    forget(&before);
    forget(&after);
    free(entries);
    bill_calendar_free(cal);
    return 0;
}
