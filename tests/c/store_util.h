/*
 * Helpers shared by the store-backed test suites (billing, determinants,
 * verification): dates, periods and decimals from text, and readings put into
 * a store with plain SQL.
 */
#ifndef BILL_TEST_STORE_UTIL_H
#define BILL_TEST_STORE_UTIL_H

#include "bill.h"

/* The date, period or decimal of `text` (zero when it does not parse). */
bill_date su_date(const char *text);
bill_period su_period(const char *text);
/* Initialises *d with the value of `text`; returns d. */
bill_dec *su_dec(bill_dec *d, const char *text);
/*
 * A reading of register `code` of meter `serial` at `date` 00:00, put into the
 * store with plain SQL (the importer's checks are not wanted here): BILL_OK, or
 * BILL_ESTORE when no such register or the insert fails.
 */
int su_reading(bill_store *s, const char *serial, const char *code, const char *date,
               const char *value, int est);

#endif
