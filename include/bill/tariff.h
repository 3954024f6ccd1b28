/*
 * libbill: tariffs, usage and itemized bills.
 *
 * A tariff is loaded once from JSON ("format": "libbill-tariff/1", described
 * in docs/tariff-design.md) into a compiled, read-only form: every price and
 * threshold is an exact decimal read from its text, never through binary
 * floating point. A usage handle holds what was consumed in one billing
 * period; bill_tariff_compute() turns the two into a bill, a reusable result
 * handle whose line array is kept between computations, so that billing many
 * accounts in a loop allocates nothing once the bill has grown to size.
 *
 *     bill_tariff *t;  bill_usage *u;  bill_bill *b;
 *     bill_tariff_load(&t, json, len, "tariff.json");
 *     bill_usage_create(&u);  bill_bill_create(&b);
 *     bill_usage_load(u, usage_json, usage_len, "usage.json");
 *     bill_tariff_compute(t, u, b);
 *     char *text = bill_bill_to_text(b);  ...  bill_free(text);
 *
 * Lifetimes: a bill refers to the tariff it was computed with (charge ids,
 * names); keep the tariff alive while the bill is read or rendered.
 *
 * Threads: a loaded tariff is immutable; several threads may compute with one
 * tariff at once, each with its own usage and bill handles.
 *
 * Errors: BILL_OK or a negative bill_status; bill_errmsg() has the detail.
 * Loader errors read "<source>:<line>:<col>: <reason> (at <JSON path>)".
 */
#ifndef BILL_TARIFF_H
#define BILL_TARIFF_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"
#include "calendar.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A compiled tariff (opaque, immutable once loaded). */
typedef struct bill_tariff bill_tariff;
/** The usage of one account in one billing period (opaque). */
typedef struct bill_usage bill_usage;
/** An itemized bill, reusable across computations (opaque). */
typedef struct bill_bill bill_bill;

/** Limits of the compiled form (a tariff exceeding them is rejected with BILL_ERANGE). */
#define BILL_TARIFF_MAX_TIERS 8        /* thresholds per tier table (so 9 tiers) */
#define BILL_TARIFF_MAX_COMPONENTS 8   /* price components of one energy charge */
#define BILL_TARIFF_MAX_TOU 8          /* TOU periods of one energy charge or usage */
#define BILL_NAME_MAX 32               /* longest class or TOU period name, with the NUL */

/* ---- tariffs ---------------------------------------------------------------- */

/**
 * Load and compile a tariff from `len` bytes of JSON (len = (size_t)-1 for a
 * NUL-terminated string). `source` names the text in error messages (a file
 * name; NULL gives "<json>"). The document is validated strictly: unknown
 * fields, wrong types, negative or unordered thresholds, unknown rounding
 * modes, versions whose effective dates do not increase, and the other rules
 * of docs/tariff-design.md fail with BILL_ESYNTAX, BILL_ERANGE, BILL_ERULE,
 * BILL_EDATE or BILL_ECURRENCY and a message naming the JSON path.
 * The optional top-level "split_scale" (an integer 0..6, default 2; else
 * BILL_ERANGE or BILL_ESYNTAX naming $.split_scale) is the least scale at
 * which a quantity is shared by days over segments (bill_tariff_compute).
 * On failure *out is NULL.
 */
BILL_EXTERN int bill_tariff_load(bill_tariff **out, const char *json, size_t len,
                                 const char *source);
/** Free a tariff. NULL is a no-op. */
BILL_EXTERN void bill_tariff_free(bill_tariff *t);
/** The tariff's "id" (never NULL). */
BILL_EXTERN const char *bill_tariff_id(const bill_tariff *t);
/** The tariff's "name" ("" when absent; never NULL). */
BILL_EXTERN const char *bill_tariff_name(const bill_tariff *t);
/** The ISO 4217 currency code ("CNY"). */
BILL_EXTERN const char *bill_tariff_currency(const bill_tariff *t);
/** Number of versions (>= 1). */
BILL_EXTERN size_t bill_tariff_version_count(const bill_tariff *t);
/** Effective date of version i (0-based, in increasing order); BILL_EINVAL when out of range. */
BILL_EXTERN int bill_tariff_version_effective(bill_date *out, const bill_tariff *t, size_t i);

/**
 * The TOU period ("peak") of TOU charge `charge_id` (energy, or demand priced
 * by TOU period) at local time `at` on
 * a day of type `day_type` (a bill_day_type of calendar.h: working, weekend or
 * holiday, as the caller's calendar says), from the schedule the charge names
 * in the version in effect on that date. *out points into the tariff.
 * BILL_ERULE before the first version; BILL_ENOTFOUND when that version has
 * no such charge or the charge has no schedule; BILL_EINVAL for a bad
 * day_type.
 */
BILL_EXTERN int bill_tariff_tou_period(const char **out, const bill_tariff *t,
                                       const char *charge_id, bill_datetime at, int day_type);

/* ---- usage ------------------------------------------------------------------- */

/**
 * A new, empty usage handle: no period, class "residential", household of 1,
 * 0 kWh, no TOU kWh, year-to-date 0, no export, no opening date.
 */
BILL_EXTERN int bill_usage_create(bill_usage **out);
/** Free a usage handle. NULL is a no-op. */
BILL_EXTERN void bill_usage_free(bill_usage *u);
/** Back to the state bill_usage_create() gives (keeps its memory). */
BILL_EXTERN void bill_usage_reset(bill_usage *u);

/** Longest billing period accepted, in days (three years and a bit). */
#define BILL_USAGE_MAX_DAYS 1100

/**
 * The billing period [start, end): BILL_EDATE unless start < end, BILL_ERANGE
 * when longer than BILL_USAGE_MAX_DAYS.
 */
BILL_EXTERN int bill_usage_set_period(bill_usage *u, bill_period p);
/**
 * The customer class ("residential", "commercial", "agricultural", ...):
 * 1 to BILL_NAME_MAX-1 bytes of letters, digits, '_' or '-'.
 */
BILL_EXTERN int bill_usage_set_class(bill_usage *u, const char *cls);
/** Number of persons in the household (1..1000), for large-household quotas. */
BILL_EXTERN int bill_usage_set_household_size(bill_usage *u, int persons);
/**
 * Total kWh of the period (>= 0). When TOU kWh are set too, their sum must
 * equal this total (checked by bill_tariff_compute); when only TOU kWh are
 * set, the total is their sum.
 */
BILL_EXTERN int bill_usage_set_kwh(bill_usage *u, const bill_dec *kwh);
/**
 * kWh of one TOU period from its register ("peak", "flat", "valley",
 * "critical", "deep_valley", or any name the tariff uses; >= 0). Setting a
 * period again replaces its value; at most BILL_TARIFF_MAX_TOU periods.
 */
BILL_EXTERN int bill_usage_set_tou_kwh(bill_usage *u, const char *period, const bill_dec *kwh);
/** Forget all TOU kWh. */
BILL_EXTERN void bill_usage_clear_tou(bill_usage *u);
/** kWh already billed this calendar year before the period (annual tiers), >= 0. */
BILL_EXTERN int bill_usage_set_ytd_kwh(bill_usage *u, const bill_dec *kwh);
/**
 * Exported kWh of the period (solar), >= 0. Priced by a "feed_in" charge of
 * the tariff: netted against the imported kWh ("net_metering") or credited
 * in full ("net_billing"), see docs/tariff-design.md; ignored by a tariff
 * without one. With several segments (a version change inside the period)
 * the exported kWh are shared by days at the split scale, like the imports
 * (see bill_tariff_compute).
 */
BILL_EXTERN int bill_usage_set_exported_kwh(bill_usage *u, const bill_dec *kwh);
/**
 * A meter reading inside the period: `kwh` used from the period's start up to
 * the start of day `at`, on the total register. When a tariff version changes
 * (or, for annual tiers, a year begins) on `at`, the usage is split there by
 * this reading instead of pro rata by days. bill_tariff_compute() checks that
 * `at` is such a split date and that readings do not decrease or exceed the
 * total (BILL_ERULE). A usage with TOU kWh is split by its TOU registers
 * (bill_usage_set_tou_reading): a total reading is then only a check, and
 * must come with the TOU readings of its date and equal their sum
 * (BILL_ERULE). Setting a date again replaces its value; at most 8 readings.
 */
BILL_EXTERN int bill_usage_set_reading(bill_usage *u, bill_date at, const bill_dec *kwh);
/**
 * A reading of TOU register `period` ("peak") inside the period: `kwh` (>= 0)
 * of that register from the period's start up to the start of day `at`. A
 * usage with TOU kWh that spans a split date (a tariff version change, or
 * 1 January for annual tiers) is split there register by register: segment
 * kWh are the differences between the readings (the period's start counting
 * 0, its end the register's TOU kWh); between split dates without readings
 * the kWh are still shared by days. bill_tariff_compute() checks (BILL_ERULE,
 * naming the date and the register) that `at` is a split date, that the
 * usage has TOU kWh, that a date with TOU readings has a value for every TOU
 * register of the usage and for no other (a missing register is an error,
 * never pro rata), that each register's readings do not decrease from date to
 * date nor exceed its TOU kWh, and that a total reading on the same date
 * (bill_usage_set_reading) equals the sum of the TOU values. Setting a
 * register again on a date replaces its value. Errors here: BILL_ESYNTAX (a
 * bad period name), BILL_EDATE, BILL_ERANGE (a negative or oversized value;
 * more than 8 dates, or more than BILL_TARIFF_MAX_TOU registers on a date).
 */
BILL_EXTERN int bill_usage_set_tou_reading(bill_usage *u, bill_date at, const char *period,
                                           const bill_dec *kwh);

/**
 * The date the account opened (or moved in), when it is inside the year of
 * the period: annual tier quotas are then prorated as the tariff says. It
 * must not be after the period's start (bill_tariff_compute: BILL_ERULE, a
 * bill cannot cover days before the account existed).
 */
BILL_EXTERN int bill_usage_set_opened(bill_usage *u, bill_date opened);

/* ---- two-part tariffs and power factor (large customers) ---- */

/** Installed capacity in kVA (>= 0), for "capacity" charges and the demand floor. */
BILL_EXTERN int bill_usage_set_capacity_kva(bill_usage *u, const bill_dec *kva);
/**
 * `kva` of the installed capacity suspended (暂停) over the days [p.start,
 * p.end); the part inside the billing period is credited by days. At most 8.
 */
BILL_EXTERN int bill_usage_add_suspended(bill_usage *u, bill_period p, const bill_dec *kva);
/** Forget all suspended capacity. */
BILL_EXTERN void bill_usage_clear_suspended(bill_usage *u);
/** Declared (contracted) maximum demand in kW (>= 0). */
BILL_EXTERN int bill_usage_set_declared_kw(bill_usage *u, const bill_dec *kw);
/** Actual maximum demand of the period in kW (>= 0), from the demand register. */
BILL_EXTERN int bill_usage_set_max_demand_kw(bill_usage *u, const bill_dec *kw);
/** Reactive energy of the period in kvarh (>= 0), for the power factor. */
BILL_EXTERN int bill_usage_set_kvarh(bill_usage *u, const bill_dec *kvarh);
/** The account's power-factor standard: "0.90", "0.85" or "0.80" (BILL_ERANGE otherwise). */
BILL_EXTERN int bill_usage_set_pf_standard(bill_usage *u, const char *standard);

/* ---- tariff options ---- */

/**
 * Choose `value` for the tariff option `name` ("basic_charge" = "capacity"):
 * a tariff version may offer options ("options" in the JSON) and make charges
 * depend on them ("when"); options the usage does not choose take the
 * tariff's default. Names and values: 1 to BILL_NAME_MAX-1 letters, digits,
 * '_' or '-' (BILL_ESYNTAX); at most 8 options (BILL_ERANGE); choosing an
 * option again replaces its value. Whether the tariff offers the option and
 * the value is checked by bill_tariff_compute(): BILL_ERULE naming them.
 */
BILL_EXTERN int bill_usage_set_option(bill_usage *u, const char *name, const char *value);
/** Forget all option choices (the tariff's defaults apply). */
BILL_EXTERN void bill_usage_clear_options(bill_usage *u);

/* ---- interval data and demand by TOU period ---- */

/** Most intervals a usage may carry (BILL_USAGE_MAX_DAYS days of 15 minutes). */
#define BILL_USAGE_MAX_INTERVALS (BILL_USAGE_MAX_DAYS * 96)
/** Most prior monthly peaks a usage may carry (the longest ratchet look-back). */
#define BILL_USAGE_MAX_PRIOR_PEAKS 36

/**
 * Interval data: n consecutive kWh values of `minutes` minutes each (15, 30
 * or 60), the first starting at local civil time `start` (no daylight-saving
 * shifts: every day has 24 hours). The values are copied into storage the
 * usage owns and grows as needed (kept by bill_usage_reset, so reloading
 * usages of the same size allocates nothing; freed by bill_usage_free).
 * Setting intervals again replaces them; n = 0 forgets them.
 *
 * With intervals, bill_tariff_compute() takes the total kWh as their sum (a
 * kWh set as well must equal it; TOU kWh registers and readings are then
 * refused with BILL_ERULE), assigns each interval to the TOU period of each
 * TOU charge's schedule by its start time and the day type (see
 * bill_usage_set_calendar), splits the period at version changes exactly by
 * the intervals, and takes maximum demands (kW = kWh × 60 / minutes) from
 * them where no demand register was set. The intervals must cover the
 * billing period exactly: the first must start at the period's first day
 * 00:00 and the last end at its end (else BILL_ERULE naming the interval's
 * index and time), and an interval longer than a schedule's granularity
 * must not straddle a change of TOU period (BILL_ERULE).
 * Errors here: BILL_EINVAL (NULL kwh with n > 0), BILL_ERANGE (minutes not
 * 15, 30 or 60; n above BILL_USAGE_MAX_INTERVALS; a negative or oversized
 * value, the message naming its index), BILL_ENOMEM. On failure the usage's
 * previous intervals are kept, except after BILL_ENOMEM while copying (then
 * the usage has none).
 */
BILL_EXTERN int bill_usage_set_intervals(bill_usage *u, bill_datetime start, int minutes,
                                         const bill_dec *kwh, size_t n);
/** Number of intervals the usage carries (0 without interval data). */
BILL_EXTERN size_t bill_usage_interval_count(const bill_usage *u);
/**
 * The calendar that gives the day type (working, weekend, holiday) of each
 * day of interval data. Borrowed: it must stay alive and unchanged while the
 * usage is computed; NULL (the default) uses the default calendar rules,
 * Saturday and Sunday weekends and no holidays. bill_usage_reset forgets it.
 */
BILL_EXTERN int bill_usage_set_calendar(bill_usage *u, const bill_calendar *cal);
/**
 * Maximum demand in kW (>= 0) measured in TOU period `period` ("on_peak"),
 * from the meter's TOU demand registers, for demand charges priced by TOU
 * period. Setting a period again replaces its value; at most
 * BILL_TARIFF_MAX_TOU periods. Registers win over interval data.
 */
BILL_EXTERN int bill_usage_set_tou_max_demand_kw(bill_usage *u, const char *period,
                                                 const bill_dec *kw);
/** Forget all TOU maximum demands. */
BILL_EXTERN void bill_usage_clear_tou_max_demand(bill_usage *u);
/**
 * The peak demand (kW >= 0) of an earlier billing month, for demand
 * ratchets: `month` is any day of that month (the month is what counts).
 * Setting a month again replaces its value; at most
 * BILL_USAGE_MAX_PRIOR_PEAKS months (BILL_ERANGE). Only months inside a
 * ratchet's look-back window (the N calendar months before the month the
 * billing period starts in) count.
 */
BILL_EXTERN int bill_usage_add_prior_peak(bill_usage *u, bill_date month, const bill_dec *kw);
/** Forget all prior peaks. */
BILL_EXTERN void bill_usage_clear_prior_peaks(bill_usage *u);

/**
 * Replace the contents of `u` with a usage read from JSON:
 *     {"period": "2025-06-01/2025-07-01", "class": "residential",
 *      "household_size": 3, "kwh": "420",
 *      "tou_kwh": {"peak": "300", "valley": "120"}, "ytd_kwh": "2761",
 *      "exported_kwh": "0", "opened": "2025-03-15",
 *      "readings": [{"date": "2025-06-16", "kwh": "150"}],
 *      (or, with TOU kWh: [{"date": "2025-06-16",
 *                           "tou_kwh": {"peak": "100", "valley": "50"}}],
 *       "kwh" being optional then, and checked against their sum),
 *      "capacity_kva": "3150", "declared_kw": "1800", "max_demand_kw": "1950",
 *      "suspended": [{"kva": "630", "from": "2025-06-11", "to": "2025-06-21"}],
 *      "kvarh": "250000", "pf_standard": "0.90",
 *      "options": {"basic_charge": "contracted_demand"},
 *      "intervals": {"start": "2025-07-01T00:00", "minutes": 15,
 *                    "kwh": ["0.25", "0.31", ...]},
 *      "tou_max_demand_kw": {"on_peak": "480"},
 *      "prior_peaks_kw": [{"month": "2025-06", "kw": "480"}]}
 * ("to" is exclusive, like a period's end). A calendar for interval data is
 * not part of the JSON: set it with bill_usage_set_calendar after loading
 * (loading resets it).
 * "period" is required, everything else optional; quantities are JSON
 * numbers or decimal strings, read exactly. Unknown fields are rejected;
 * errors name the JSON path. On failure `u` is left reset.
 */
BILL_EXTERN int bill_usage_load(bill_usage *u, const char *json, size_t len, const char *source);

/* ---- computing a bill ---------------------------------------------------------- */

/** A new, empty bill. Reuse it for many computations. */
BILL_EXTERN int bill_bill_create(bill_bill **out);
/** Free a bill. NULL is a no-op. */
BILL_EXTERN void bill_bill_free(bill_bill *b);

/**
 * Compute the bill of usage `u` under tariff `t` into `b` (its previous
 * contents are replaced). A period that spans version changes (or, for
 * annual tiers, a new year) is split into segments pro rata by days: the
 * total kWh, each TOU kWh and the exported kWh are allocated exactly
 * (bill_dec_allocate, largest fractions first, equal fractions to the
 * earlier segment), so the parts add up to the value given, at the split
 * scale max(Q, s): Q the tariff's "split_scale" (0..6, default 2), s the
 * value's decimals with trailing zeros removed. So the parts, the lines that
 * show them and the bill depend on the value only, never on how it is
 * written: "769", "769.00" and "769.000" kWh over 1 + 5 days all give
 * 128.17 + 640.83 kWh, and a value with more decimals than Q keeps them
 * ("769.125": 128.188 + 640.937). Quantities not shared keep the value as
 * written: a one-segment bill, a segment between two readings (their
 * difference), the kWh of interval data (each segment sums its own
 * intervals), the kvarh and demands (never split). Readings given at the
 * split dates are used instead of days where present: of the total register
 * (bill_usage_set_reading) for a usage without TOU kWh, of every TOU
 * register (bill_usage_set_tou_reading) for a usage with TOU kWh. Energy
 * charges without TOU price the total kWh (with TOU kWh, their sum), so one
 * TOU usage bills under a TOU and a flat
 * tariff alike. Charges with "when" apply only under the usage's option
 * choices (bill_usage_set_option). Errors: BILL_EINVAL for NULL arguments,
 * BILL_ESTATE when the usage has no period, BILL_ERULE when the usage does not
 * fit the tariff (a period before the first version, TOU kWh missing for a
 * TOU tariff, a TOU period the tariff does not know, TOU kWh not adding up to
 * the total, a reading not at a split date or not between 0 and the total,
 * TOU readings without TOU kWh, missing a TOU register, decreasing, above the
 * register's kWh or not adding up to a total reading of their date, a total
 * reading with TOU kWh but no TOU readings on its date, an option or option
 * value the version in effect does not offer;
 * interval data that does not cover the period exactly or straddles a TOU
 * period change, or comes with TOU kWh or readings; a demand priced by TOU
 * period without its register or intervals).
 * On failure the bill is empty.
 */
BILL_EXTERN int bill_tariff_compute(const bill_tariff *t, const bill_usage *u, bill_bill *b);

/** Kinds of bill lines. */
typedef enum bill_line_kind {
    BILL_LINE_FIXED = 0,   /* a fixed charge (per period, day or month) */
    BILL_LINE_ENERGY,      /* energy: flat, tier, TOU period, component, tier increment */
    BILL_LINE_PER_KWH,     /* a fund or surcharge per kWh */
    BILL_LINE_MINIMUM,     /* top-up to the minimum charge */
    BILL_LINE_TAX,         /* VAT added to VAT-exclusive prices */
    BILL_LINE_ROUNDING,    /* difference between the exact sum and the rounded total */
    BILL_LINE_CAPACITY,    /* two-part basic charge on installed kVA (suspensions: negative) */
    BILL_LINE_DEMAND,      /* two-part basic charge on demand kW, and its excess line */
    BILL_LINE_PF,          /* power-factor adjustment (a surcharge or a rebate) */
    BILL_LINE_CREDIT       /* feed-in credit for exported kWh (negative), or forfeited credit */
} bill_line_kind;

/**
 * One line of a bill, as views into the bill: pointers stay valid until the
 * bill is computed again or freed. Strings are never NULL ("" when empty).
 */
typedef struct bill_line_view {
    int kind;                     /* bill_line_kind */
    const char *charge;           /* the charge id from the tariff ("energy") */
    const char *component;        /* price component ("purchase"), "" if none */
    const char *band;             /* "tier 2", a TOU period name, or "" */
    const char *unit;             /* "kWh", "day", "month", "period" or "" */
    const bill_dec *quantity;
    const bill_dec *unit_price;
    const bill_dec *amount;       /* rounded with "line" rounding, exact with "total" */
    bill_period segment;          /* the part of the period the line prices */
} bill_line_view;

/** Number of lines of the bill (0 before the first successful computation). */
BILL_EXTERN size_t bill_bill_line_count(const bill_bill *b);
/** Line i (0-based) into *out; BILL_EINVAL when i is out of range. */
BILL_EXTERN int bill_bill_line(bill_line_view *out, const bill_bill *b, size_t i);
/**
 * The one-sentence explanation of line i ("kWh 2761-3120 of this year fall in
 * tier 1 at 0.5283"), rendered now; new string, free with bill_free. NULL
 * when i is out of range or memory runs out.
 */
BILL_EXTERN char *bill_bill_line_explain(const bill_bill *b, size_t i);

/** Sum of the charge lines (feed-in credits included), before tax and rounding lines. */
BILL_EXTERN int bill_bill_subtotal(bill_dec *out, const bill_bill *b);
/**
 * The VAT of the bill: the part included in the total for VAT-inclusive
 * prices (informative, not a line), or the amount of the tax line for
 * VAT-exclusive prices; 0 when the tariff declares no VAT rate.
 */
BILL_EXTERN int bill_bill_tax(bill_dec *out, const bill_bill *b);
/** 1 when the tax of bill_bill_tax() is included in the prices, else 0. */
BILL_EXTERN int bill_bill_tax_included(const bill_bill *b);
/**
 * The total; always exactly the sum of all lines. Negative when feed-in
 * credits exceed the charges, unless the tariff's feed_in charge says
 * "allow_negative_total": false (then the excess is forfeited on a credit line).
 */
BILL_EXTERN int bill_bill_total(bill_dec *out, const bill_bill *b);

/**
 * The bill as text for people, with an explanation under each line; new
 * string, free with bill_free. NULL if nothing was computed or memory ran out.
 */
BILL_EXTERN char *bill_bill_to_text(const bill_bill *b);
/**
 * The bill as JSON (amounts as decimal strings, keys in a fixed order, lines
 * with explanations): the same inputs give byte-identical output. New string,
 * free with bill_free; NULL if nothing was computed or memory ran out.
 */
BILL_EXTERN char *bill_bill_to_json(const bill_bill *b);

#ifdef __cplusplus
}
#endif
#endif /* BILL_TARIFF_H */
