/*
 * libbill: power factor and the power-factor adjustment (功率因数调整电费).
 *
 * The monthly power factor is PF = kWh / sqrt(kWh^2 + kvarh^2), rounded
 * half-up to two decimals. bill_pf_compute() finds it exactly, by comparing
 * squares of integers: no square root and no floating point, so the result
 * is the same on every machine.
 *
 * The adjustment is a percentage of a base charge, read from a table indexed
 * by the rounded PF (0.00 .. 1.00 in steps of 0.01). A bill_pf_table is data:
 * bill_pf_table_create_standard() builds the 1983 rules (水利电力部、国家物价局
 * 《功率因数调整电费办法》) for the standards 0.90, 0.85 and 0.80 as given in
 * the project's domain brief; bill_pf_table_load() reads a utility's own
 * table, so a caller can correct any value. Percentages are positive for a
 * surcharge and negative for a rebate, e.g. "-0.75" means -0.75 %.
 */
#ifndef BILL_POWERFACTOR_H
#define BILL_POWERFACTOR_H

#include "common.h"
#include "errors.h"
#include "decimal.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * *out = kwh / sqrt(kwh^2 + kvarh^2), rounded half-up to two decimals
 * (scale 2), exactly. kwh must be >= 0; the sign of kvarh is ignored
 * (leading or lagging reactive energy counts the same). With kvarh = 0 the
 * PF is 1.00; with kwh = 0 and kvarh = 0 there is no power factor and the
 * call fails with BILL_ERANGE (a caller then applies no adjustment).
 */
BILL_EXTERN int bill_pf_compute(bill_dec *out, const bill_dec *kwh, const bill_dec *kvarh);

/** A power-factor adjustment table: percent for each PF from 0.00 to 1.00. */
typedef struct bill_pf_table bill_pf_table;

/**
 * The 1983 table for standard 0.90, 0.85 or 0.80 (given as decimal text,
 * "0.90"); BILL_ERANGE for another standard.
 */
BILL_EXTERN int bill_pf_table_create_standard(bill_pf_table **out, const char *standard);
/**
 * A table from text, one rule a line: "PF PERCENT" or "PF_FROM-PF_TO PERCENT"
 * (e.g. "0.95-1.00 -0.75"); '#' starts a comment. Every PF from 0.00 to 1.00
 * must be covered exactly once, and `standard` (the PF with 0 %) must be
 * given, else BILL_ESYNTAX or ERULE naming the line or the missing value.
 */
BILL_EXTERN int bill_pf_table_load(bill_pf_table **out, const char *standard,
                                   const char *text, size_t len);
BILL_EXTERN void bill_pf_table_free(bill_pf_table *t);
/** The standard of the table (scale 2). */
BILL_EXTERN int bill_pf_table_standard(bill_dec *out, const bill_pf_table *t);
/**
 * *out = the adjustment for `pf` (rounded to two decimals first,
 * half-up, if it has more), e.g. +25.00 for PF 0.60 at standard 0.90.
 */
BILL_EXTERN int bill_pf_table_percent(bill_dec *out, const bill_pf_table *t, const bill_dec *pf);

#ifdef __cplusplus
}
#endif
#endif /* BILL_POWERFACTOR_H */
