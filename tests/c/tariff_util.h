/*
 * Helpers shared by the tariff test suites: tariffs and usages are written in
 * JSON with single quotes for readability and turned into JSON here.
 */
#ifndef BILL_TEST_TARIFF_UTIL_H
#define BILL_TEST_TARIFF_UTIL_H

#include "bill/tariff.h"

#include <stdint.h>

/* `text` with every ' turned into " (malloc'd; aborts when memory runs out). */
char *tu_sq(const char *text);
/* The tariff loaded from single-quoted JSON; counts a pass, or a failure (then NULL). */
bill_tariff *tu_load(const char *text);
/* The tariff must be rejected with `code` and a message containing `want` (a JSON path). */
void tu_reject(const char *text, int code, const char *want);
/* bill_usage_load of single-quoted JSON into u. */
int tu_usage(bill_usage *u, const char *text);
/* The decimal as text, in one of 8 rotating buffers (several may appear in one CHECK). */
const char *tu_dstr(const bill_dec *d);

/* examples/tariffs/<name> loaded (a pass counted), or a failure counted and NULL. Not
 * thread-safe. */
bill_tariff *tu_example_tariff(const char *name);

/* The example tariffs (examples/tariffs), energy-only ones first: the residential TOU, the
 * commercial, the residential annual and the monthly seasonal; then the two-part, solar and
 * US ones. */
extern const char *const tu_example_names[];
extern const size_t tu_example_count;

/* A small deterministic generator (xorshift64) for the randomized suites: tu_seed first. */
void tu_seed(uint64_t seed);
uint64_t tu_rnd(void);
/* 0 .. n-1 (n >= 1) */
int64_t tu_below(int64_t n);
/* 1 with the given chance in percent */
int tu_chance(int percent);

#endif
