/*
 * libbill internal: the compiled form of tariffs, usage and bills, shared by
 * tariff.c (loader), tariff_usage.c, tariff_compute.c and tariff_render.c.
 */
#ifndef BILL_TARIFF_INTERNAL_H
#define BILL_TARIFF_INTERNAL_H

#include "internal.h"
#include "json.h"
#include "bill/tariff.h"
#include "bill/powerfactor.h"

enum { BILLI_APPLY_LINE = 0, BILLI_APPLY_TOTAL };
enum { BILLI_VAT_NONE = 0, BILLI_VAT_INCLUSIVE, BILLI_VAT_EXCLUSIVE };
enum { BILLI_CH_FIXED = 0, BILLI_CH_MINIMUM, BILLI_CH_ENERGY, BILLI_CH_PER_KWH, BILLI_CH_CAPACITY,
       BILLI_CH_DEMAND, BILLI_CH_PF, BILLI_CH_FEED_IN };
/* feed_in: how exported kWh meet imported kWh */
enum { BILLI_NET_METERING = 0, BILLI_NET_BILLING };
enum { BILLI_DEMAND_CONTRACTED = 0, BILLI_DEMAND_ACTUAL };
enum { BILLI_PER_PERIOD = 0, BILLI_PER_DAY, BILLI_PER_MONTH };
enum { BILLI_BASIS_MONTHLY = 0, BILLI_BASIS_ANNUAL };
enum { BILLI_BOUNDARY_LOWER = 0, BILLI_BOUNDARY_UPPER };
enum { BILLI_PRORATE_NONE = 0, BILLI_PRORATE_DAYS, BILLI_PRORATE_MONTHS };

#define BILLI_MAX_EXEMPT 16
/* A period may be split into at most this many segments (versions, years). */
#define BILLI_MAX_SEG 24
/* A tariff without "split_scale": quantities shared by days get at least 2 decimals. */
#define BILLI_SPLIT_SCALE_DEFAULT 2
/* Readings a usage may carry inside its period. */
#define BILLI_MAX_READINGS 8
/* Suspended capacity ranges a usage may carry. */
#define BILLI_MAX_SUSP 8
/* Charges a power-factor adjustment may take as its base. */
#define BILLI_MAX_PF_BASE 16
/* Options of a version (and choices of a usage), values of one option, conditions of a charge. */
#define BILLI_MAX_OPTIONS 8
#define BILLI_MAX_OPTION_VALUES 8
#define BILLI_MAX_WHEN 4

typedef struct billi_component {
    const char *name;
    bill_dec price;
    int tou;               /* scaled by the TOU ratio */
} billi_component;

typedef struct billi_tiers {
    int basis, boundary, proration;
    int nthr;                                   /* thresholds per table */
    bill_dec thr[12][BILL_TARIFF_MAX_TIERS];    /* [month-1][i]; annual: all rows equal */
    bill_dec inc[BILL_TARIFF_MAX_TIERS + 1];    /* price increment of tier i+1 */
    int lh_min_persons;                         /* 0: no large-household rule */
    bill_dec lh_extra;                          /* extra kWh per month on each threshold */
    int quota_scale, quota_mode;                /* rounding of prorated thresholds */
} billi_tiers;

typedef struct billi_charge {
    int type;
    const char *id;
    const char *name;                /* "" when absent */
    /* fixed, minimum */
    bill_dec amount;
    int per;
    /* energy */
    int ncomp;
    int plain;                       /* one component from "price" (shown without a name) */
    billi_component comp[BILL_TARIFF_MAX_COMPONENTS];
    bill_dec base;                   /* sum of the component prices */
    int has_tiers;
    billi_tiers tiers;
    int ntou;                        /* 0: no TOU */
    const char *tou_name[BILL_TARIFF_MAX_TOU];
    bill_dec tou_ratio[BILL_TARIFF_MAX_TOU];   /* ratios (tou_prices == 0) */
    int tou_prices;                  /* 1: "prices" given per period */
    int schedule;                    /* index in the version's schedules, -1 if none */
    bill_dec tou_price[BILL_TARIFF_MAX_TOU];   /* "prices": the TOU price of each period */
    bill_dec comp_tou[BILL_TARIFF_MAX_COMPONENTS][BILL_TARIFF_MAX_TOU]; /* price x ratio */
    /* per_kwh */
    bill_dec price;
    int nexempt;
    const char *exempt[BILLI_MAX_EXEMPT];
    /* capacity, demand: price per kVA or kW a month ("price") */
    int basis;                       /* demand: BILLI_DEMAND_* */
    bill_dec tolerance;              /* contracted: 1.05 */
    bill_dec excess_mult;            /* contracted: 2 */
    bill_dec min_fraction;           /* contracted: 0.40 of the installed capacity */
    /* power_factor */
    int nbase;
    const char *base_id[BILLI_MAX_PF_BASE];
    const char *pf_default;          /* the standard when the usage gives none ("" none) */
    struct bill_pf_table *pf_table;  /* the tariff's own table, or NULL */
    struct bill_pf_table *pf_std[3]; /* the 1983 tables for 0.90, 0.85, 0.80 */
    int require_kvarh;
    /* feed_in: "price" a kWh exported */
    int netting;                     /* BILLI_NET_* */
    int funds_gross;                 /* net metering: per_kwh funds on the gross import */
    int allow_negative;              /* the bill total may be below zero (default 1) */
    /* "when": the charge applies only when option when_opt[i] has value when_val[i] */
    int nwhen;
    int when_opt[BILLI_MAX_WHEN], when_val[BILLI_MAX_WHEN];
    /* demand by TOU period ("prices" + "schedule"; ntou above, tou_price) and ratchet */
    int has_ratchet;
    bill_dec ratchet_pct;            /* percent, 0..100 */
    int ratchet_months;              /* look-back, 1..36 */
    bill_dec ratchet_min;            /* minimum kW (0 when absent) */
} billi_charge;

/* An option a version offers ("basic_charge": capacity | contracted_demand | ...). */
typedef struct billi_option {
    const char *name;
    int nvalues;
    const char *value[BILLI_MAX_OPTION_VALUES];
    int def;                         /* index of the default value */
} billi_option;

/* A TOU schedule: [month][day type][slot of the day] -> period index. */
enum { BILLI_DAY_WORKING = 0, BILLI_DAY_WEEKEND, BILLI_DAY_HOLIDAY, BILLI_DAY_TYPES };
#define BILLI_MAX_SLOTS 96   /* 24 h at 15 minutes */

typedef struct billi_schedule {
    const char *name;
    int granularity;         /* minutes: 15, 30 or 60 */
    int nslots;
    int nperiods;
    const char *period[BILL_TARIFF_MAX_TOU];
    unsigned char slot[12][BILLI_DAY_TYPES][BILLI_MAX_SLOTS];
} billi_schedule;

typedef struct billi_version {
    bill_date effective;
    int nschedules;
    billi_schedule *schedules;
    int ncharges;
    billi_charge *charges;
    int has_annual;                  /* an energy charge with annual tiers */
    int feed_in;                     /* index of the feed_in charge, -1 if none */
    int noptions;
    billi_option options[BILLI_MAX_OPTIONS];
} billi_version;

typedef struct billi_fast billi_fast;   /* tariff_fast.c: the compiled plan */

/* A field added here (or to billi_charge) that changes bills: teach whitelist() in tariff_fast.c. */

struct bill_tariff {
    billi_json_doc *doc;             /* keeps the strings the compiled form points to */
    const char *id, *name;
    char currency[4];
    int round_mode, round_scale, round_apply;
    int split_scale;                 /* "split_scale": least scale of a quantity shared by days */
    int vat;
    bill_dec vat_rate;
    int nversions;
    billi_version *versions;
    billi_fast *fast;                /* NULL: every bill takes the general path */
    uint64_t uid;                    /* random at load: tells tariffs apart in a bill's caches
                                        (an address may be reused by a later tariff) */
};

/*
 * A field added here is ignored by the fast path: teach whitelist() in tariff_fast.c.
 * The fields every fast-path bill reads come first, those of two-part tariffs next (a
 * billing run reads each usage once, rarely from the cache: fewer cache lines per bill).
 */
struct bill_usage {
    int has_period;
    bill_period period;
    int household;
    int has_kwh;
    int ntou;
    int nreadings;                   /* readings inside the period, by date */
    int noptions;                    /* tariff options chosen (bill_usage_set_option) */
    int ntou_md;                     /* TOU maximum demand registers */
    int nprior;                      /* prior monthly peaks, by month */
    int has_opened;
    bill_date opened;
    size_t niv;                      /* intervals (tariff_interval.c, with iv_cap below) */
    bill_dec ytd;
    bill_dec exported;
    char cls[BILL_NAME_MAX];
    char tou_name[BILL_TARIFF_MAX_TOU][BILL_NAME_MAX];
    bill_dec tou_kwh[BILL_TARIFF_MAX_TOU];
    bill_dec kwh;
    /* two-part tariffs */
    int has_capacity;
    int has_declared;
    int has_max_demand;
    int has_kvarh;
    char pf_standard[8];             /* "0.90", "0.85", "0.80" or "" */
    bill_dec capacity_kva;
    bill_dec declared_kw;
    bill_dec max_demand_kw;
    bill_dec kvarh;
    int nsusp;
    bill_period susp[BILLI_MAX_SUSP];
    bill_dec susp_kva[BILLI_MAX_SUSP];
    bill_date reading_date[BILLI_MAX_READINGS];
    bill_dec reading_kwh[BILLI_MAX_READINGS];  /* kWh from the period's start */
    char opt_name[BILLI_MAX_OPTIONS][BILL_NAME_MAX];
    char opt_value[BILLI_MAX_OPTIONS][BILL_NAME_MAX];
    /* interval data (tariff_interval.c): storage grows, kept by reset */
    size_t iv_cap;
    bill_dec *iv_kwh;
    bill_datetime iv_start;
    int iv_minutes;
    const bill_calendar *cal;        /* borrowed; NULL: Saturday-Sunday weekends */
    char tou_md_name[BILL_TARIFF_MAX_TOU][BILL_NAME_MAX];
    bill_dec tou_md_kw[BILL_TARIFF_MAX_TOU];
    bill_date prior_month[BILL_USAGE_MAX_PRIOR_PEAKS];   /* first of the month */
    bill_dec prior_kw[BILL_USAGE_MAX_PRIOR_PEAKS];
    /* TOU register readings at split dates (bill_usage_set_tou_reading), by date; each date
     * carries up to BILL_TARIFF_MAX_TOU registers in the order they were set */
    int ntou_rd;
    bill_date tou_rd_date[BILLI_MAX_READINGS];
    int tou_rd_n[BILLI_MAX_READINGS];
    char tou_rd_name[BILLI_MAX_READINGS][BILL_TARIFF_MAX_TOU][BILL_NAME_MAX];
    bill_dec tou_rd_kwh[BILLI_MAX_READINGS][BILL_TARIFF_MAX_TOU];  /* kWh from the start */
};

/* What the explanation of a line says. */
enum {
    BILLI_EX_FIXED = 0, BILLI_EX_FLAT, BILLI_EX_TIER, BILLI_EX_TOU, BILLI_EX_TOU_FLAT,
    BILLI_EX_INCREMENT, BILLI_EX_PER_KWH, BILLI_EX_MINIMUM, BILLI_EX_TAX, BILLI_EX_ROUNDING,
    BILLI_EX_CAPACITY, BILLI_EX_SUSPENDED, BILLI_EX_DEMAND, BILLI_EX_EXCESS, BILLI_EX_PF,
    BILLI_EX_PF_NONE, BILLI_EX_CREDIT, BILLI_EX_FORFEIT, BILLI_EX_DEMAND_TOU
};

typedef struct billi_line {
    int kind;                /* bill_line_kind */
    int ex;                  /* BILLI_EX_* */
    const billi_charge *charge;
    const char *charge_id, *component, *band, *unit;
    bill_dec qty, price, amount;
    bill_dec lo, hi;         /* tier lines: the kWh range (lo, hi] */
    bill_dec aux;            /* TOU ratio, monthly amount, tax rate ... */
    int annual;              /* tier range counted over the year */
    int per;                 /* fixed: BILLI_PER_* */
    int flag;                /* demand: billed at the floor; PF: a rebate */
    bill_dec x, y;           /* capacity/demand: days, month days; PF: PF, standard */
    bill_period seg;
    bill_date ref;           /* demand ratchet: the month of the prior peak */
    uint64_t tid;            /* turbo path (tariff_fast.c): the template this line's fields
                                other than its values came from; 0: none */
} billi_line;

struct bill_bill {
    const bill_tariff *tariff;
    int computed;
    bill_period period;
    char cls[BILL_NAME_MAX];
    int nsegments;
    size_t n, cap;
    billi_line *lines;
    bill_dec subtotal, tax, total, sum;
    int tax_included;
    /* per-segment usage, kept between computations to avoid allocation */
    int seg_ver[BILLI_MAX_SEG];
    bill_period seg[BILLI_MAX_SEG];
    bill_dec seg_days[BILLI_MAX_SEG];
    bill_dec seg_kwh[BILLI_MAX_SEG];
    bill_dec seg_tou[BILLI_MAX_SEG][BILL_TARIFF_MAX_TOU];
    int tou_map[BILL_TARIFF_MAX_TOU];   /* scratch: charge period -> usage period */
    /* feed-in: exported kWh per segment, and the netted usage of the current segment */
    bill_dec seg_exp[BILLI_MAX_SEG];
    bill_dec net_kwh, offset, surplus;
    bill_dec net_tou[BILL_TARIFF_MAX_TOU];
    /* interval data: per-segment first interval, per-charge scratch sums and peaks */
    size_t seg_iv[BILLI_MAX_SEG + 1];
    bill_dec iv_tou[BILL_TARIFF_MAX_TOU];
    bill_dec iv_peak[BILL_TARIFF_MAX_TOU];
    int general_only;                   /* tests: never the fast path */
    int fast;                           /* the last bill came from the fast path: its lines and
                                           totals hold no big part (tariff_fast.c put()) */
    int fast_ymd_ok;                    /* fast path: fast_ymd is the date of fast_ymd_day */
    int32_t fast_ymd_day;
    int fast_ymd[3];
    /* turbo path (tariff_fast.c): line templates (billi_line.tid) and the period state are
     * valid while tb_epoch is unchanged; every bill not computed there increments it */
    int no_turbo;                       /* tests: never the turbo path */
    int turbo;                          /* the last bill came from the turbo path */
    uint64_t tb_epoch;
    struct billi_turbo_state *tstate;   /* NULL until the first turbo bill */
};

/* tariff_usage.c: 1 when s is a class or TOU period name (1 to BILL_NAME_MAX-1 letters,
 * digits, '_' or '-'), its length into *len when len is not NULL; else 0. */
int billi_usage_valid_name(const char *s, size_t *len);
/* tariff_usage.c: a quantity a usage may take (>= 0, at most 12 decimals and 15 integer
 * digits); `what` (and " index" when indexed) names it in the message. */
int billi_usage_check_qty(const bill_dec *v, const char *what, size_t index, int indexed);
/* tariff_usage.c: set the value of date `at` in date[]/val[] (sorted by date, *n of at most
 * max): replaced when the date is there, else inserted in order (BILL_ERANGE "at most max
 * <what>" when full). `v` is copied, already checked. */
int billi_usage_dated_set(bill_date *date, bill_dec *val, int *n, int max, bill_date at,
                          const bill_dec *v, const char *what);
/* tariff_interval.c: usage storage for intervals, demands and peaks; their JSON members */
void billi_usage_free_demand(bill_usage *u);
void billi_usage_reset_demand(bill_usage *u);
int billi_usage_load_demand(bill_usage *u, const billi_json_node *root);
/* tariff_interval.c: interval data against the billing period and schedules */
/* Check that the intervals cover the period exactly; sum them into *kwh. */
int billi_intervals_check(const bill_usage *u, bill_dec *kwh);
/* Set b->seg_iv and b->seg_kwh from the intervals (after split_segments). */
int billi_intervals_split(bill_bill *b, const bill_usage *u);
/* Day type of d by the usage's calendar (or Saturday-Sunday weekends). */
int billi_day_type(const bill_usage *u, bill_date d);
/*
 * Per TOU period of schedule sc (charge c's periods), the kWh (sum != NULL)
 * and the peak kW (peak != NULL) of the intervals of segment s; indexed by the
 * charge's TOU period. BILL_ERULE when an interval straddles a period change.
 */
int billi_intervals_tou(bill_bill *b, const bill_usage *u, int s, const billi_charge *c,
                        const billi_schedule *sc, bill_dec *sum, bill_dec *peak);
/* The peak kW of the intervals of segment s. */
int billi_intervals_peak(const bill_bill *b, const bill_usage *u, int s, bill_dec *out);

/* tariff_compute.c */
const char *billi_tier_band(int tier);  /* "tier 1" .. */
/*
 * Share `total` (>= 0) over n segments pro rata by `days` (bill_dec_allocate,
 * largest fractions first) at scale max(split_scale, s), s the scale of total
 * with its trailing zeros removed: the parts depend on the value only, never
 * on how it was written ("769", "769.00"), and add up to it exactly. With
 * n == 1 (a segment between two readings) the part is total itself, as
 * written: nothing is shared. Used by the general and the fast path alike
 * (their bills must be byte-identical).
 */
int billi_split_by_days(bill_dec *parts, int n, const bill_dec *total, const bill_dec *days,
                        int split_scale);

/* tariff_options.c */
/*
 * sel[i] = the value chosen for option i of version v: the usage's choice or
 * the default. BILL_ERULE naming the option when the usage chooses an option
 * the version does not offer, or a value it does not list.
 */
int billi_options_select(int *sel, const billi_version *v, const bill_usage *u);
/* 1 when every "when" condition of charge c holds under the choices sel[]. */
int billi_charge_applies(const billi_charge *c, const int *sel);
/* tariff_fast.c */
#define BILLI_FAST_NO 1   /* billi_fast_compute: not handled, use the general path */
/* The fast plan of a loaded tariff into t->fast (left NULL when out of memory). */
void billi_fast_compile(bill_tariff *t);
void billi_fast_free(billi_fast *f);
/* BILL_OK (the bill computed), BILLI_FAST_NO, or BILL_ENOMEM. */
int billi_fast_compute(const bill_tariff *t, const bill_usage *u, bill_bill *b);
/* Tests: with on != 0, bills into b always take the general path. */
void billi_bill_set_general_only(bill_bill *b, int on);
/* Tests: with on != 0, bills into b never take the turbo path (the fast path may). */
void billi_bill_set_no_turbo(bill_bill *b, int on);
/* Tests: 1 when the last bill computed into b came from the turbo path. */
int billi_bill_used_turbo(const bill_bill *b);
/* tariff_compute.c: the minimum line l names the minimum charge of the first of b's nseg
 * segments' versions that has one (l->charge NULL before). */
void billi_minimum_line(billi_line *l, const bill_tariff *t, const bill_bill *b, int nseg);
/* bill_bill_free: the turbo path's state of b. */
void billi_fast_bill_free(bill_bill *b);

/*
 * Batch billing (batch.c; the kernel in tariff_batch.c, over the turbo plan of
 * tariff_fast.c): the columns of a batch of n accounts, values as int64 coefficients at one
 * scale per column (checked: >= 0, as usage quantities).
 */
typedef struct billi_batch_in {
    size_t n;
    int ntou;
    char tou_name[BILL_TARIFF_MAX_TOU][BILL_NAME_MAX];
    const int64_t *tou[BILL_TARIFF_MAX_TOU];
    int32_t tou_s[BILL_TARIFF_MAX_TOU];
    const int64_t *kwh, *ytd;      /* NULL: not given (ytd 0) */
    int32_t kwh_s, ytd_s;
    int64_t tou_max[BILL_TARIFF_MAX_TOU], ytd_max;   /* the largest values, -1: not known */
    const int32_t *household;      /* NULL: not given */
    const char (*cls)[BILL_NAME_MAX];   /* one per account, or NULL: cls_all */
    char cls_all[BILL_NAME_MAX];
    /* two-part tariffs (NULL: not given) */
    const int64_t *cap, *decl, *maxd, *kvarh;
    int32_t cap_s, decl_s, maxd_s, kvarh_s;
    char pf_standard[8];                /* "" or "0.90", "0.85", "0.80" */
} billi_batch_in;

/* Per account results of the kernel: values (coefficient and scale) of the total,
 * subtotal and tax, and done[i] = 1 where the kernel computed them; trim[i] bit 0 (the
 * subtotal) and bit 1 (the tax): the value is shown with its trailing zeros dropped down to
 * the rounding scale (bill_dec_trim), as the bill shows it. */
typedef struct billi_batch_out {
    int64_t *total, *sub, *tax;
    int8_t *total_s, *sub_s, *tax_s;
    uint8_t *done, *trim;
} billi_batch_out;

/*
 * The accounts of `in` billed under t for period p column by column where the tariff
 * and the period allow (see tariff_fast.c): the number done, 0 when none can be (the
 * caller bills every account with bill_tariff_compute), or BILL_ENOMEM. `scratch` is a
 * bill the kernel may write lines into (its period state).
 */
/* Tests: floor(x / 10^d) for 0 <= x < 2^63, 1 <= d <= 18, as the batch kernel divides;
 * d <= -2: floor(x / -d). */
int64_t billi_test_pdiv(int64_t d, int64_t x);
long billi_fast_batch(const bill_tariff *t, bill_period p, const billi_batch_in *in,
                      billi_batch_out *out, bill_bill *scratch);

/* Tests: 1 when the last bill computed into b came from the fast path. */
int billi_bill_used_fast(const bill_bill *b);

#endif
