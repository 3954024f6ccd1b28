/*
 * bindings/bill.i: the SWIG interface of libbill, shared by the Python and
 * Java bindings. It wraps the public headers as they are; what changes per
 * language is only how values cross the boundary, in one typemap file per
 * language:
 *
 *   bindings/python/bill_python.i   (module bill._bill + bill/bill.py)
 *   bindings/java/bill_java.i       (classes in org.libbill.jni)
 *
 * The raw module this produces is not the API people use: the idiomatic
 * layers (bindings/python/bill/*.py, bindings/java/src/org/libbill/*.java)
 * sit on top. Neither layer computes anything: every operation is one call
 * into the C library.
 *
 * Conventions every language file implements, by type and parameter name:
 *   const bill_dec *          an amount in: Decimal/str/int, BigDecimal (as text)
 *   bill_dec *r, *out         an amount out (the scientific text, so the scale survives)
 *   (bill_dec *parts, size_t n), const bill_dec *ratios   allocation
 *   (const bill_dec *kwh, size_t n)   a sequence of amounts in (interval data)
 *   const bill_calendar *cal  a calendar borrowed by a usage (None/null allowed)
 *   const bill_money *        (amount, currency) in; bill_money *r, *m out
 *   bill_date, bill_datetime, bill_period   datetime.date / java.time.LocalDate ...
 *   (const char *text, size_t len)          a whole string with its length
 *   bill_calendar **out, bill_calendar *self, bill_calendar *cal (free)
 *   const bill_currency **out               a pointer into the static table
 *   bill_tariff/bill_usage/bill_bill **out, const bill_tariff *t, (const) bill_usage *u,
 *   (const) bill_bill *b, bill_<x> *handle (Python free)   the tariff handles
 *   bill_line_view *out                     one bill line, copied at once
 *   const char **out                        a name inside a handle (bill_tariff_tou_period)
 *   bill_whatif **out, (const) bill_whatif *w   the what-if handle
 *   (const bill_usage *const *usages, size_t n) a list of usages (Python sequence, Java array)
 *   bill_batch **out, (const) bill_batch *b     the batch handle
 *   bill_usage *out, bill_bill *out   a usage/bill handle filled by the batch (closed: ESTATE)
 *   (const long long *values, size_t n), (const int32_t *persons, size_t n)
 *                             integer columns (Python sequence of int, Java long[]/int[])
 *   int BILL_STATUS           BILL_OK -> nothing, negative -> exception
 *   int BILL_COUNT            >= 0 -> the value, negative -> exception
 *   int BILL_PLAIN            the int as it is (SWIG's default int)
 *   char *BILL_NEWSTR         a string to bill_free; NULL -> exception
 *   int *BILL_OUT, long long *BILL_OUT   plain output parameters
 *
 * Every function returning int must be classified below as a status, a count
 * or a plain value: an unclassified one does not compile (see the end of the
 * classification), so a new status function can never silently return codes.
 */
#if defined(SWIGPYTHON)
%module(package="bill") bill
#else
%module bill
#endif

%{
#include "bill.h"
#include <stdlib.h>
#include <string.h>
%}

%include <stdint.i>
%include <typemaps.i>

#if defined(SWIGPYTHON)
%include "bindings/python/bill_python.i"
#elif defined(SWIGJAVA)
%include "bindings/java/bill_java.i"
#else
#error "libbill has bindings for Python and Java only"
#endif

/* ---- classification of int returns ---------------------------------------- */

/* Functions returning BILL_OK or a negative bill_status. */
%apply int BILL_STATUS {
    int bill_rounding_parse,
    int bill_dec_parse,
    int bill_dec_get_i64,
    int bill_dec_to_units,
    int bill_dec_add, int bill_dec_sub, int bill_dec_mul, int bill_dec_neg, int bill_dec_abs,
    int bill_dec_div, int bill_dec_div_prec, int bill_dec_rescale, int bill_dec_round_prec,
    int bill_dec_trim,
    int bill_dec_allocate,
    int bill_currency_find,
    int bill_money_set, int bill_money_parse,
    int bill_money_add, int bill_money_sub, int bill_money_mul, int bill_money_neg,
    int bill_money_cmp, int bill_money_round, int bill_money_allocate,
    int bill_date_from_ymd, int bill_date_parse, int bill_date_add_days, int bill_date_add_months,
    int bill_period_make, int bill_period_parse, int bill_period_intersect,
    int bill_datetime_make, int bill_datetime_parse, int bill_datetime_add_minutes,
    int bill_calendar_create,
    int bill_pf_compute,
    int bill_pf_table_create_standard, int bill_pf_table_load,
    int bill_pf_table_standard, int bill_pf_table_percent,
    int bill_tariff_load, int bill_tariff_version_effective, int bill_tariff_tou_period,
    int bill_usage_create, int bill_usage_set_period, int bill_usage_set_class,
    int bill_usage_set_household_size, int bill_usage_set_kwh, int bill_usage_set_tou_kwh,
    int bill_usage_set_ytd_kwh, int bill_usage_set_exported_kwh, int bill_usage_set_reading,
    int bill_usage_set_tou_reading,
    int bill_usage_set_opened, int bill_usage_load,
    int bill_usage_set_capacity_kva, int bill_usage_add_suspended, int bill_usage_set_declared_kw,
    int bill_usage_set_max_demand_kw, int bill_usage_set_kvarh, int bill_usage_set_pf_standard,
    int bill_usage_set_intervals, int bill_usage_set_calendar, int bill_usage_set_tou_max_demand_kw,
    int bill_usage_add_prior_peak,
    int bill_bill_create, int bill_tariff_compute, int bill_bill_line,
    int bill_bill_subtotal, int bill_bill_tax, int bill_bill_total,
    int bill_usage_set_option,
    int bill_whatif_create, int bill_whatif_set_option, int bill_whatif_set_declared_kw,
    int bill_whatif_run, int bill_whatif_total, int bill_whatif_saving, int bill_whatif_bill_total,
    int bill_whatif_best_declared_kw, int bill_whatif_best_kw, int bill_whatif_best_total,
    int bill_whatif_current_total,
    int bill_store_open, int bill_store_set_busy_timeout,
    int bill_store_begin, int bill_store_commit, int bill_store_rollback,
    int bill_account_create, int bill_account_set_class, int bill_account_set_household_size,
    int bill_account_set_capacity_kva, int bill_account_set_declared_kw,
    int bill_account_set_pf_standard, int bill_account_set_protection, int bill_account_set_tariff,
    int bill_account_capacity_kva, int bill_account_declared_kw,
    int bill_registry_add_account, int bill_registry_update_account, int bill_registry_get_account,
    int bill_meter_create, int bill_meter_set_digits, int bill_meter_set_multiplier,
    int bill_meter_set_installed, int bill_meter_set_removed, int bill_meter_add_register,
    int bill_meter_multiplier,
    int bill_registry_add_meter, int bill_registry_update_meter, int bill_registry_get_meter,
    int bill_registry_remove_meter, int bill_registry_set_multiplier, int bill_registry_multiplier_on,
    int bill_registry_link, int bill_registry_end_link, int bill_registry_add_sub,
    int bill_registry_end_sub, int bill_registry_meter_accounts, int bill_registry_account_meters,
    int bill_registry_subs, int bill_link_list_ratio, int bill_link_list_split,
    int billb_registry_link_shared,
    int bill_register_check, int bill_register_advance, int bill_interval_demand_kw,
    int bill_meter_csv_create, int bill_meter_csv_feed, int bill_meter_csv_finish,
    int bill_meter_csv_value, int bill_meter_csv_time,
    int bill_determinants_create, int bill_determinants_set_period, int bill_determinants_add_meter,
    int bill_determinants_add_register, int bill_determinants_add_multiplier,
    int bill_determinants_add_reading, int bill_determinants_set_tou_map,
    int bill_determinants_compute, int bill_determinants_value, int bill_determinants_to_usage,
    int bill_store_determinants, int billb_determinants_add_segment, int billb_billing_run,
    int bill_importer_create, int bill_importer_set_now, int bill_importer_set_batch_rows,
    int bill_importer_feed, int bill_importer_finish, int bill_importer_read_file,
    int bill_store_count_readings,
    int bill_verify_feed, int bill_verify_finish, int bill_verify_add_file, int bill_verify_add_row,
    int bill_verify_run, int billb_verify_create, int billb_anomalies_find,
    int bill_batch_create, int bill_batch_set_class, int bill_batch_set_pf_standard,
    int bill_batch_compute, int bill_batch_total, int bill_batch_subtotal, int bill_batch_tax,
    int bill_batch_usage, int bill_batch_bill,
    int bill_batch_set_kwh, int bill_batch_set_tou_kwh, int bill_batch_set_ytd_kwh,
    int bill_batch_set_capacity_kva, int bill_batch_set_declared_kw,
    int bill_batch_set_max_demand_kw, int bill_batch_set_kvarh, int bill_batch_set_household_size,
    int bill_batch_set_classes,
    int billb_batch_set_kwh, int billb_batch_set_tou_kwh, int billb_batch_set_ytd_kwh,
    int billb_batch_set_capacity_kva, int billb_batch_set_declared_kw,
    int billb_batch_set_max_demand_kw, int billb_batch_set_kvarh,
    int billb_batch_set_household_size, int billb_batch_set_classes,
    /* bill_calendar methods (see %extend below) */
    int set_weekend, int add_holiday, int add_working_day, int load, int add_working_days
};

/* Functions returning a count or a small enum value, or a negative bill_status. */
%apply int BILL_COUNT {
    int day_type, int is_working_day, int32_t working_days,
    int bill_whatif_add_candidate, int bill_whatif_candidate,
    int bill_meter_csv_next,
    int bill_store_add_reading, int bill_store_add_interval,   /* 0 stored, 1 duplicate */
    int bill_verify_row_class, int bill_verify_account_class, int bill_anomalies_kind
};

/* Functions whose int is a value (negative values are legitimate: signs, comparisons). */
%apply int BILL_PLAIN {
    int bill_version_number,
    int bill_status_family_of, int bill_status_count, int bill_status_at, int bill_errcode,
    int32_t bill_dec_scale, int bill_dec_sign, int bill_dec_is_zero, int32_t bill_dec_precision,
    int bill_dec_is_compact, int bill_dec_cmp, int bill_dec_identical,
    int bill_is_leap_year, int bill_days_in_month, int bill_date_is_valid,
    int bill_date_weekday, int bill_date_day_of_year, int32_t bill_date_diff, int bill_date_cmp,
    int32_t bill_period_days, int bill_period_contains, int32_t bill_period_overlap_days,
    int bill_datetime_minute_of_day,
    int bill_bill_tax_included,
    int bill_whatif_status,         /* BILL_OK or the failed candidate's status, as a value */
    int bill_store_schema_version, int bill_store_is_readonly, int bill_store_in_transaction,
    int bill_account_household_size, int bill_meter_digits, int bill_meter_status,
    int bill_meter_register_count, int bill_meter_register_kind, int bill_meter_register_digits,
    int bill_link_list_count,
    int bill_meter_csv_status, int bill_meter_csv_has_time, int bill_meter_csv_kind,
    int bill_meter_csv_minutes,
    int bill_determinants_kind, int bill_determinants_estimated, int bill_determinants_any_estimated,
    int bill_determinants_days, int bill_billing_report_skipped_status,
    int bill_importer_already_imported,
    int bill_batch_status,          /* BILL_OK or the account's status, as a value */
    /* bill_currency fields */
    int numeric, int minor_units
};

/* Anything else returning int is an error in this file: classify it above. */
%typemap(out) int %{
#error "bindings/bill.i: classify the int returned by $symname (BILL_STATUS, BILL_COUNT or BILL_PLAIN)"
%}

/* Strings the library allocates; freed with bill_free once converted. */
%apply char *BILL_NEWSTR { char *bill_dec_to_str, char *bill_dec_to_sci_str, char *bill_money_to_str };
%apply char *BILL_NEWSTR { char *bill_bill_line_explain, char *bill_bill_to_text, char *bill_bill_to_json };
%apply char *BILL_NEWSTR { char *bill_registry_account_refs, char *bill_registry_meter_serials };
%apply char *BILL_NEWSTR { char *bill_store_bill_json };
%newobject bill_store_bill_json;
%apply char *BILL_NEWSTR { char *billb_verify_report, char *billb_anomalies_report };
%newobject billb_verify_report;
%newobject billb_anomalies_report;
%newobject bill_registry_account_refs;
%newobject bill_registry_meter_serials;
%apply char *BILL_NEWSTR { char *bill_store_import_exceptions };
%newobject bill_store_import_exceptions;
%newobject bill_bill_line_explain;
%newobject bill_bill_to_text;
%newobject bill_bill_to_json;
%newobject bill_dec_to_str;
%newobject bill_dec_to_sci_str;
%newobject bill_money_to_str;

/* Output parameters of plain C types. */
%apply int *BILL_OUT { int *out };                          /* bill_rounding_parse, bill_money_cmp */
%apply int *BILL_OUT { int *year, int *month, int *day };   /* bill_date_to_ymd */
%apply long long *BILL_OUT { int64_t *coef };               /* bill_dec_get_i64 */
%apply int *BILL_OUT { int32_t *scale };
%apply long long *BILL_OUT { int64_t *out };                /* bill_dec_to_units */
%apply bill_dec *out { bill_dec *energy };                  /* bill_register_advance */
%apply int *BILL_OUT { int *kind };

/* The JSON documents of bill_tariff_load and bill_usage_load: a whole string with its length. */
%apply (const char *text, size_t len) { (const char *json, size_t len) };

/* ---- what is not wrapped ----------------------------------------------------- */

/* Memory management and buffers: the bindings own every value they create. */
%ignore bill_free;
%ignore bill_dec_init;
%ignore bill_dec_clear;
%ignore bill_dec_copy;
%ignore bill_dec_set_i64;
%ignore bill_dec_format;
%ignore bill_money_init;
%ignore bill_money_clear;
%ignore bill_money_copy;
%ignore bill_date_format;
%ignore bill_datetime_format;

/* Value structs cross the boundary through the typemaps, never as objects. */
%ignore bill_dec::coef_;
%ignore bill_dec::scale_;
%ignore bill_dec::flags_;
%ignore bill_dec::big_;
%ignore bill_dec;
%ignore bill_money::amount;
%ignore bill_money::currency;
%ignore bill_money;
%ignore bill_date;
%ignore bill_datetime;
%ignore bill_period;
/* A bill line crosses as a whole through the `bill_line_view *out` typemaps. */
%ignore bill_line_view;

/* The calendar functions become methods of the handle (%extend below). */
%ignore bill_calendar_set_weekend;
%ignore bill_calendar_weekend;
%ignore bill_calendar_add_holiday;
%ignore bill_calendar_add_working_day;
%ignore bill_calendar_load;
%ignore bill_calendar_day_type;
%ignore bill_calendar_is_working_day;
%ignore bill_calendar_holiday_name;
%ignore bill_calendar_working_days;
%ignore bill_calendar_add_working_days;
%ignore bill_calendar_errmsg;
#if defined(SWIGJAVA)
/* Java frees through the proxy's delete() (Calendar.close(), PowerFactorTable.close()). */
%ignore bill_calendar_free;
%ignore bill_pf_table_free;
#endif
/* Tariff, usage and bill handles: see their %extend at the end. */
%ignore bill_tariff_free;
%ignore bill_usage_free;
%ignore bill_bill_free;
%ignore bill_whatif_free;
/* The meter-data CSV reader: see its %extend at the end. */
%ignore bill_meter_csv_free;

/* ---- the headers --------------------------------------------------------------- */

%include "bill/common.h"
%include "bill/errors.h"
%include "bill/decimal.h"

/* The currency table is static and read-only. */
%nodefaultctor bill_currency;
%nodefaultdtor bill_currency;
%immutable;
%include "bill/money.h"
%mutable;

%include "bill/date.h"
%include "bill/calendar.h"

/*
 * The calendar handle. SWIG sees an (empty) struct so that it can attach
 * methods; C still sees the opaque type. The methods are prototypes only, so
 * SWIG calls the existing bill_calendar_<method> functions rather than
 * generating helpers of the same names. Handles come from
 * bill_calendar_create (no constructor).
 */
%nodefaultctor bill_calendar;
struct bill_calendar {};
%extend bill_calendar {
    ~bill_calendar() { bill_calendar_free($self); }
    int set_weekend(unsigned mask);
    unsigned weekend();
    int add_holiday(bill_date d, const char *name);
    int add_working_day(bill_date d);
    int load(const char *text, size_t len);
    int day_type(bill_date d);
    int is_working_day(bill_date d);
    const char *holiday_name(bill_date d);
    int32_t working_days(bill_period p);
    int add_working_days(bill_date *out, bill_date d, int32_t n);
    const char *errmsg();
}

/*
 * The power-factor table handle. Its functions take the output first and the
 * table second (bill_pf_table_standard(out, t)), so they stay functions of
 * the raw module rather than methods: the proxy class only owns the handle
 * (its destructor frees it) and is passed as `t`. Tables come from
 * bill_pf_table_create_standard / bill_pf_table_load (no constructor); a
 * closed table passed as `t` raises StateError/StateException (ESTATE).
 */
%nodefaultctor bill_pf_table;
struct bill_pf_table {};
%extend bill_pf_table {
    ~bill_pf_table() { bill_pf_table_free($self); }
}
%include "bill/powerfactor.h"

/*
 * Tariffs, usages and bills (include/bill/tariff.h). Like the power-factor
 * table, their functions take the handle as an argument (bill_tariff_compute(t,
 * u, b), bill_bill_line(out, b, i)), so they stay functions of the raw module;
 * each struct only gets the destructor, which gives the owning proxy class.
 * The handles cross by parameter name: `bill_tariff **out` (and usage, bill)
 * make a new owning proxy; `const bill_tariff *t`, `bill_usage *u`,
 * `const bill_usage *u`, `bill_bill *b` and `const bill_bill *b` raise
 * StateError/StateException (ESTATE) for a closed proxy. Java frees through the
 * proxy's delete(); Python through bill_tariff_free / bill_usage_free /
 * bill_bill_free, whose argument is renamed `handle` here (the C names take
 * `u` and `b` like the setters and bill_tariff_compute) so that their typemap
 * releases the proxy. Both idiomatic layers copy the bill into an immutable
 * Bill right after bill_tariff_compute and free the bill handle at once.
 */
%nodefaultctor bill_tariff;
struct bill_tariff {};
%extend bill_tariff {
    ~bill_tariff() { bill_tariff_free($self); }
}
%nodefaultctor bill_usage;
struct bill_usage {};
%extend bill_usage {
    ~bill_usage() { bill_usage_free($self); }
}
%nodefaultctor bill_bill;
struct bill_bill {};
%extend bill_bill {
    ~bill_bill() { bill_bill_free($self); }
}
%include "bill/tariff.h"
#if defined(SWIGPYTHON)
%{
static void billpy_tariff_free(bill_tariff *handle) { bill_tariff_free(handle); }
static void billpy_usage_free(bill_usage *handle) { bill_usage_free(handle); }
static void billpy_bill_free(bill_bill *handle) { bill_bill_free(handle); }
%}
%rename(bill_tariff_free) billpy_tariff_free;
%rename(bill_usage_free) billpy_usage_free;
%rename(bill_bill_free) billpy_bill_free;
void billpy_tariff_free(bill_tariff *handle);
void billpy_usage_free(bill_usage *handle);
void billpy_bill_free(bill_bill *handle);
#endif

/*
 * What-if comparisons (include/bill/whatif.h): a handle like the tariff's,
 * functions taking it as `w`; the usages of bill_whatif_run and
 * bill_whatif_best_declared_kw cross as one list.
 */
%nodefaultctor bill_whatif;
struct bill_whatif {};
%extend bill_whatif {
    ~bill_whatif() { bill_whatif_free($self); }
}
%include "bill/whatif.h"
#if defined(SWIGPYTHON)
%{
static void billpy_whatif_free(bill_whatif *handle) { bill_whatif_free(handle); }
%}
%rename(bill_whatif_free) billpy_whatif_free;
void billpy_whatif_free(bill_whatif *handle);
#endif

/*
 * The store and the registry (include/bill/store.h, registry.h). Like the
 * tariff handles, their functions take the handle as an argument, so they
 * stay functions of the raw module; each struct only gets the destructor.
 * Handles cross by parameter name: `bill_store **out` (and account, meter,
 * link list) make a new owning proxy; `bill_store *s`, `const bill_store *s`,
 * `(const) bill_account *a`, `(const) bill_meter *m` and `const
 * bill_link_list *l` raise StateError/StateException for a closed proxy.
 * Java frees through delete(); Python through bill_store_close,
 * bill_account_free, bill_meter_free and bill_link_list_free, renamed here to
 * take `handle`. bill_registry_link_shared takes C arrays; the bindings call
 * billb_registry_link_shared instead, which takes the references and the
 * ratios as lines of text (one per account) and parses them.
 */
%ignore bill_store_close;
%ignore bill_account_free;
%ignore bill_meter_free;
%ignore bill_link_list_free;
%ignore bill_registry_link_shared;
%nodefaultctor bill_store;
struct bill_store {};
%extend bill_store {
    ~bill_store() { bill_store_close($self); }
}
%nodefaultctor bill_account;
struct bill_account {};
%extend bill_account {
    ~bill_account() { bill_account_free($self); }
}
%nodefaultctor bill_meter;
struct bill_meter {};
%extend bill_meter {
    ~bill_meter() { bill_meter_free($self); }
}
%nodefaultctor bill_link_list;
struct bill_link_list {};
%extend bill_link_list {
    ~bill_link_list() { bill_link_list_free($self); }
}
%include "bill/store.h"
%include "bill/registry.h"

%inline %{
/* bill_registry_link_shared with "\n"-separated references and ratio texts (2..64 of each). */
static int billb_registry_link_shared(bill_store *s, const char *serial, const char *references,
                                      const char *ratios, bill_date from, bill_date to)
{
    const char *refs[65];
    char *rcopy = NULL;
    bill_dec dec[65];
    size_t n = 0, m = 0, i;
    int rc = BILL_OK;
    if (!references || !ratios)
        return bill_registry_link_shared(s, serial, NULL, NULL, 0, from, to);
    rcopy = (char *)malloc(strlen(references) + 1);
    if (!rcopy)
        return BILL_ENOMEM;
    strcpy(rcopy, references);
    for (char *p = rcopy; *p && n < 65;) {
        char *nl = strchr(p, '\n');
        refs[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    for (const char *p = ratios; *p && m < 65 && rc == BILL_OK;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        bill_dec_init(&dec[m]);
        rc = bill_dec_parse(&dec[m++], p, len);
        if (!nl)
            break;
        p = nl + 1;
    }
    if (rc == BILL_OK && n != m)
        rc = BILL_EINVAL; /* the idiomatic layers always pass as many ratios as references */
    else if (rc == BILL_OK)
        rc = bill_registry_link_shared(s, serial, refs, dec, n, from, to);
    for (i = 0; i < m; i++)
        bill_dec_clear(&dec[i]);
    free(rcopy);
    return rc;
}
%}
#if defined(SWIGPYTHON)
%{
static void billpy_store_close(bill_store *handle) { bill_store_close(handle); }
static void billpy_account_free(bill_account *handle) { bill_account_free(handle); }
static void billpy_meter_free(bill_meter *handle) { bill_meter_free(handle); }
static void billpy_link_list_free(bill_link_list *handle) { bill_link_list_free(handle); }
%}
%rename(bill_store_close) billpy_store_close;
%rename(bill_account_free) billpy_account_free;
%rename(bill_meter_free) billpy_meter_free;
%rename(bill_link_list_free) billpy_link_list_free;
void billpy_store_close(bill_store *handle);
void billpy_account_free(bill_account *handle);
void billpy_meter_free(bill_meter *handle);
void billpy_link_list_free(bill_link_list *handle);
#endif

/*
 * Register arithmetic (include/bill/meter.h): pure functions. The outputs
 * `bill_dec *out, bill_dec *energy, int *kind` come back together; the
 * optional multiplier and largest rollover (NULL in C) are always given by
 * the idiomatic layers (1 and 0, which the C library reads as "none" and
 * "the default").
 */
%include "bill/meter.h"

/*
 * The meter-data CSV reader (include/bill/metercsv.h): like the tariff
 * handles, its functions take the reader as `r` (`bill_meter_csv *r`,
 * `const bill_meter_csv *r`: ESTATE once the proxy is closed) and stay
 * functions of the raw module; the struct only gets the destructor. Python
 * frees through bill_meter_csv_free(handle), Java through delete().
 */
%nodefaultctor bill_meter_csv;
struct bill_meter_csv {};
%extend bill_meter_csv {
    ~bill_meter_csv() { bill_meter_csv_free($self); }
}
%include "bill/metercsv.h"
#if defined(SWIGPYTHON)
%{
static void billpy_meter_csv_free(bill_meter_csv *handle) { bill_meter_csv_free(handle); }
%}
%rename(bill_meter_csv_free) billpy_meter_csv_free;
void billpy_meter_csv_free(bill_meter_csv *handle);
#endif

/*
 * Billing determinants and the billing run (include/bill/determinants.h,
 * billing.h). Like the store, functions stay functions of the raw module;
 * the structs only get the destructor. bill_determinants_add_segment and
 * bill_billing_run take C arrays; the bindings call billb_determinants_add_segment
 * (ratios as lines of decimal text, "" for a whole meter) and billb_billing_run
 * (a sequence of tariff handles; account references as lines of text, NULL
 * for every account). bill_determinants_get is not wrapped (use the index
 * functions).
 */
%ignore bill_determinants_free;
%ignore bill_determinants_add_segment;
%ignore bill_determinants_get;
%ignore bill_billing_report_free;
%ignore bill_billing_run;
/* a C callback: not wrapped (the billing run uses it inside the library) */
%ignore bill_store_determinants_each;
%ignore bill_determinants_each_fn;
%nodefaultctor bill_determinants;
struct bill_determinants {};
%extend bill_determinants {
    ~bill_determinants() { bill_determinants_free($self); }
}
%nodefaultctor bill_billing_report;
struct bill_billing_report {};
%extend bill_billing_report {
    ~bill_billing_report() { bill_billing_report_free($self); }
}
%include "bill/determinants.h"
%include "bill/billing.h"

%inline %{
/* bill_determinants_add_segment with the ratios as "\n"-separated decimal texts ("" or NULL: none). */
static int billb_determinants_add_segment(bill_determinants *d, const char *serial, bill_date from,
                                          bill_date to, int sign, const char *ratios,
                                          size_t share_index)
{
    bill_dec dec[65];
    size_t m = 0, i;
    int rc = BILL_OK;
    for (const char *p = ratios ? ratios : ""; *p && m < 65 && rc == BILL_OK;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        bill_dec_init(&dec[m]);
        rc = bill_dec_parse(&dec[m++], p, len);
        if (!nl)
            break;
        p = nl + 1;
    }
    if (rc == BILL_OK)
        rc = bill_determinants_add_segment(d, serial, from, to, sign, m ? dec : NULL, m,
                                           share_index);
    for (i = 0; i < m; i++)
        bill_dec_clear(&dec[i]);
    return rc;
}

/* bill_billing_run with the account references as "\n"-separated text (NULL: every account). */
static int billb_billing_run(bill_billing_report **out, bill_store *s, bill_period p,
                             const char *label, const bill_tariff *const *tariffs,
                             size_t ntariffs, const char *accounts)
{
    const char **refs = NULL;
    char *copy = NULL;
    size_t n = 0, cap = 1;
    int rc;
    if (!accounts)
        return bill_billing_run(out, s, p, label, tariffs, ntariffs, NULL, 0);
    for (const char *q = accounts; *q; q++)
        if (*q == '\n')
            cap++;
    refs = (const char **)malloc(cap * sizeof *refs);
    copy = (char *)malloc(strlen(accounts) + 1);
    if (!refs || !copy) {
        free(refs);
        free(copy);
        return BILL_ENOMEM;
    }
    strcpy(copy, accounts);
    for (char *q = copy; *q && n < cap;) {
        char *nl = strchr(q, '\n');
        refs[n++] = q;
        if (!nl)
            break;
        *nl = '\0';
        q = nl + 1;
    }
    rc = bill_billing_run(out, s, p, label, tariffs, ntariffs, refs, n);
    free(refs);
    free(copy);
    return rc;
}
%}
#if defined(SWIGPYTHON)
%{
static void billpy_determinants_free(bill_determinants *handle) { bill_determinants_free(handle); }
static void billpy_billing_report_free(bill_billing_report *handle) { bill_billing_report_free(handle); }
%}
%rename(bill_determinants_free) billpy_determinants_free;
%rename(bill_billing_report_free) billpy_billing_report_free;
void billpy_determinants_free(bill_determinants *handle);
void billpy_billing_report_free(bill_billing_report *handle);
#endif

/*
 * The importer of readings and intervals (include/bill/import.h): functions
 * of the raw module taking the importer as `imp` (ESTATE once the proxy is
 * closed); the struct only gets the destructor. Python frees through
 * bill_importer_free(handle), Java through delete().
 * bill_store_reading_before (two outputs) is C only for now.
 */
%ignore bill_importer_free;
%ignore bill_store_reading_before;
%nodefaultctor bill_importer;
struct bill_importer {};
%extend bill_importer {
    ~bill_importer() { bill_importer_free($self); }
}
%include "bill/import.h"
#if defined(SWIGPYTHON)
%{
static void billpy_importer_free(bill_importer *handle) { bill_importer_free(handle); }
%}
%rename(bill_importer_free) billpy_importer_free;
void billpy_importer_free(bill_importer *handle);
#endif

/*
 * Verification and anomalies (include/bill/verify.h): handle functions take
 * the handle as `v` / `a` and stay functions of the raw module. The option
 * structs and the report functions (char **out) are replaced by the billb_
 * helpers below: options as plain arguments, reports as new strings.
 */
%ignore bill_verify_free;
%ignore bill_anomalies_free;
%ignore bill_verify_create;
%ignore bill_anomalies_find;
%ignore bill_verify_options_init;
%ignore bill_anomaly_options_init;
%ignore bill_verify_options;
%ignore bill_anomaly_options;
%ignore bill_verify_to_csv;
%ignore bill_verify_to_json;
%ignore bill_anomalies_to_csv;
%ignore bill_anomalies_to_json;
%nodefaultctor bill_verify;
struct bill_verify {};
%extend bill_verify {
    ~bill_verify() { bill_verify_free($self); }
}
%nodefaultctor bill_anomalies;
struct bill_anomalies {};
%extend bill_anomalies {
    ~bill_anomalies() { bill_anomalies_free($self); }
}
%include "bill/verify.h"

%inline %{
/* bill_verify_create with the options as arguments (audit_date 0: the rows' own dates). */
static int billb_verify_create(bill_verify **out, bill_store *s, int scope,
                               const bill_dec *jump_factor, const bill_dec *jump_floor,
                               int audit_date, bill_date date)
{
    bill_verify_options o;
    bill_verify_options_init(&o);
    o.scope = scope;
    o.audit_date = audit_date;
    if (audit_date)
        o.date = date;
    if (jump_factor)
        o.jump_factor = *jump_factor; /* a view: create copies it */
    if (jump_floor)
        o.jump_floor = *jump_floor;
    return bill_verify_create(out, s, &o);
}

/* bill_anomalies_find with the options as arguments (from == to: no window). */
static int billb_anomalies_find(bill_anomalies **out, bill_store *s, int zero_periods,
                                const bill_dec *factor, int history, int min_history,
                                bill_date from, bill_date to)
{
    bill_anomaly_options o;
    bill_anomaly_options_init(&o);
    o.zero_periods = zero_periods;
    if (factor)
        o.factor = *factor;
    o.history = history;
    o.min_history = min_history;
    o.window.start = from;
    o.window.end = to;
    return bill_anomalies_find(out, s, &o);
}

/* The CSV (json = 0) or JSON report; NULL on error (bill_errmsg says why). */
static char *billb_verify_report(const bill_verify *v, int json)
{
    char *t = NULL;
    return (json ? bill_verify_to_json(&t, v) : bill_verify_to_csv(&t, v)) == BILL_OK ? t : NULL;
}

static char *billb_anomalies_report(const bill_anomalies *a, int json)
{
    char *t = NULL;
    return (json ? bill_anomalies_to_json(&t, a) : bill_anomalies_to_csv(&t, a)) == BILL_OK ? t
                                                                                          : NULL;
}
%}
#if defined(SWIGPYTHON)
%{
static void billpy_verify_free(bill_verify *handle) { bill_verify_free(handle); }
static void billpy_anomalies_free(bill_anomalies *handle) { bill_anomalies_free(handle); }
%}
%rename(bill_verify_free) billpy_verify_free;
%rename(bill_anomalies_free) billpy_anomalies_free;
void billpy_verify_free(bill_verify *handle);
void billpy_anomalies_free(bill_anomalies *handle);
#endif

/*
 * Batch billing (include/bill/batch.h): a handle like the tariff's, functions
 * taking it as `b` (ESTATE once the proxy is closed); the struct only gets the
 * destructor. Python frees through bill_batch_free(handle), Java through
 * delete(). The C column setters read bill_batch_size() values from a bare
 * array, so the bindings call the billb_batch_set_* helpers below instead:
 * they take the array with its length ((const long long *values, size_t n),
 * int64 as SWIG's stdint.i reads it: a Python sequence of int, a Java
 * long[]; household sizes likewise as int32) and refuse a length other than the batch's with BILL_EINVAL before
 * the setter reads anything. The classes of bill_batch_set_classes cross as
 * "\n"-separated lines, as the references of the billing run do.
 * bill_batch_usage/bill_batch_bill fill a usage/bill handle the caller
 * created (`bill_usage *out`, `bill_bill *out`).
 */
%ignore bill_batch_free;
%ignore bill_batch_set_kwh;
%ignore bill_batch_set_tou_kwh;
%ignore bill_batch_set_ytd_kwh;
%ignore bill_batch_set_capacity_kva;
%ignore bill_batch_set_declared_kw;
%ignore bill_batch_set_max_demand_kw;
%ignore bill_batch_set_kvarh;
%ignore bill_batch_set_household_size;
%ignore bill_batch_set_classes;
%nodefaultctor bill_batch;
struct bill_batch {};
%extend bill_batch {
    ~bill_batch() { bill_batch_free($self); }
}
%include "bill/batch.h"

%{
/* BILL_OK when a column of n values fits batch b, else BILL_EINVAL (nothing is read). */
static int billb_batch_fits(const bill_batch *b, size_t n)
{
    if (b && n != bill_batch_size(b)) {
        bill_error_clear();
        return BILL_EINVAL;
    }
    return BILL_OK;
}
%}
%{
/* SWIG's stdint.i reads int64_t as long long: the helpers take that and pass it on. */
typedef char billb_long_long_is_int64[sizeof(long long) == sizeof(int64_t) ? 1 : -1];
#define BILLB_BATCH_COLUMN(call) \
    (billb_batch_fits(b, n) != BILL_OK ? BILL_EINVAL : (call))
%}
%inline %{
static int billb_batch_set_kwh(bill_batch *b, const long long *values, size_t n, int32_t scale)
{ return BILLB_BATCH_COLUMN(bill_batch_set_kwh(b, (const int64_t *)values, scale)); }
static int billb_batch_set_ytd_kwh(bill_batch *b, const long long *values, size_t n, int32_t scale)
{ return BILLB_BATCH_COLUMN(bill_batch_set_ytd_kwh(b, (const int64_t *)values, scale)); }
static int billb_batch_set_capacity_kva(bill_batch *b, const long long *values, size_t n, int32_t scale)
{ return BILLB_BATCH_COLUMN(bill_batch_set_capacity_kva(b, (const int64_t *)values, scale)); }
static int billb_batch_set_declared_kw(bill_batch *b, const long long *values, size_t n, int32_t scale)
{ return BILLB_BATCH_COLUMN(bill_batch_set_declared_kw(b, (const int64_t *)values, scale)); }
static int billb_batch_set_max_demand_kw(bill_batch *b, const long long *values, size_t n, int32_t scale)
{ return BILLB_BATCH_COLUMN(bill_batch_set_max_demand_kw(b, (const int64_t *)values, scale)); }
static int billb_batch_set_kvarh(bill_batch *b, const long long *values, size_t n, int32_t scale)
{ return BILLB_BATCH_COLUMN(bill_batch_set_kvarh(b, (const int64_t *)values, scale)); }
static int billb_batch_set_tou_kwh(bill_batch *b, const char *period, const long long *values,
                                   size_t n, int32_t scale)
{ return BILLB_BATCH_COLUMN(bill_batch_set_tou_kwh(b, period, (const int64_t *)values, scale)); }
static int billb_batch_set_household_size(bill_batch *b, const int32_t *persons, size_t n)
{ return BILLB_BATCH_COLUMN(bill_batch_set_household_size(b, persons)); }

/* bill_batch_set_classes with one class per line ("\n"-separated, as many as accounts). */
static int billb_batch_set_classes(bill_batch *b, const char *classes)
{
    const char **cls;
    char *copy;
    size_t n = 0, cap = 1;
    int rc;
    if (!b || !classes)
        return bill_batch_set_classes(b, NULL);
    for (const char *q = classes; *q; q++)
        if (*q == '\n')
            cap++;
    if (cap != bill_batch_size(b))
        return billb_batch_fits(b, cap);
    cls = (const char **)malloc(cap * sizeof *cls);
    copy = (char *)malloc(strlen(classes) + 1);
    if (!cls || !copy) {
        free(cls);
        free(copy);
        return BILL_ENOMEM;
    }
    strcpy(copy, classes);
    for (char *q = copy; n < cap;) {
        char *nl = strchr(q, '\n');
        cls[n++] = q;
        if (!nl)
            break;
        *nl = '\0';
        q = nl + 1;
    }
    rc = bill_batch_set_classes(b, cls);
    free(cls);
    free(copy);
    return rc;
}
%}
#if defined(SWIGPYTHON)
%{
static void billpy_batch_free(bill_batch *handle) { bill_batch_free(handle); }
%}
%rename(bill_batch_free) billpy_batch_free;
void billpy_batch_free(bill_batch *handle);
#endif
