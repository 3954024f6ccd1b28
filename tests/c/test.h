/*
 * A tiny unit-test harness: CHECK macros count passes and failures, each
 * suite is a function, tests/c/main.c runs them all and prints the closing
 * line "N passed, N failed" that CI reads.
 */
#ifndef BILL_TEST_H
#define BILL_TEST_H

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "bill.h"

extern int test_passed, test_failed;
extern const char *test_current;

#define TEST_FAIL_(fmt, ...)                                                     \
    do {                                                                         \
        test_failed++;                                                           \
        printf("FAIL %s (%s:%d): " fmt "\n", test_current, __FILE__, __LINE__,   \
               __VA_ARGS__);                                                     \
    } while (0)

/** A boolean condition. */
#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) test_passed++;                                                 \
        else TEST_FAIL_("%s", #cond);                                            \
    } while (0)

/** Two integers are equal. */
#define CHECK_INT(got, want)                                                     \
    do {                                                                         \
        long long g_ = (long long)(got), w_ = (long long)(want);                 \
        if (g_ == w_) test_passed++;                                             \
        else TEST_FAIL_("%s == %lld, expected %lld", #got, g_, w_);              \
    } while (0)

/** Two strings are equal (NULL-safe). */
#define CHECK_STR(got, want)                                                     \
    do {                                                                         \
        const char *g_ = (got), *w_ = (want);                                    \
        if (g_ && w_ && strcmp(g_, w_) == 0) test_passed++;                      \
        else TEST_FAIL_("%s == \"%s\", expected \"%s\"", #got,                   \
                        g_ ? g_ : "(null)", w_ ? w_ : "(null)");                 \
    } while (0)

/** A call returns BILL_OK; prints bill_errmsg() otherwise. */
#define CHECK_OK(call)                                                           \
    do {                                                                         \
        int rc_ = (call);                                                        \
        if (rc_ == BILL_OK) test_passed++;                                       \
        else TEST_FAIL_("%s returned %s: %s", #call, bill_status_name(rc_),      \
                        bill_errmsg());                                          \
    } while (0)

/** A call fails with the given status code. */
#define CHECK_ERR(call, code)                                                    \
    do {                                                                         \
        int rc_ = (call);                                                        \
        if (rc_ == (code)) test_passed++;                                        \
        else TEST_FAIL_("%s returned %s, expected %s", #call,                    \
                        bill_status_name(rc_), bill_status_name(code));          \
    } while (0)

/** Run one test function (a static void f(void)). */
#define RUN(fn)                                                                  \
    do {                                                                         \
        test_current = #fn;                                                      \
        fn();                                                                    \
    } while (0)

/* Suites, one per module; each tests/c/<module>_test.c defines one. */
void suite_errors(void);
void suite_decimal(void);
void suite_decimal_big(void);
void suite_money(void);
void suite_date(void);
void suite_calendar(void);
void suite_powerfactor(void);
void suite_json(void);
void suite_tariff_demand(void);
void suite_tariff_fast(void);
void suite_tariff_tou_readings(void);
void suite_tariff_fast_lines(void);
void suite_tariff_fast_read(void);
void suite_tariff_turbo(void);
void suite_batch(void);
void suite_tariff(void);
void suite_tariff_feedin(void);
void suite_whatif(void);
void suite_store(void);
void suite_registry(void);
void suite_determinants(void);
void suite_billing(void);
void suite_verify(void);
void suite_csv(void);
void suite_meter(void);
void suite_readings_csv(void);
void suite_import(void);
void suite_billing_batch(void);
void suite_billing_ytd(void);
void suite_billing_intervals(void);
void suite_billing_recovery(void);
void suite_tariff_split_scale(void);

#endif
