/*
 * libbill: civil dates, half-open periods and local date-times.
 *
 * Dates are proleptic Gregorian calendar days from 0001-01-01 to 9999-12-31,
 * without time zones. A bill_date is a value type holding a day number (days
 * since 1970-01-01, negative before); a bill_datetime is a local wall-clock
 * time at minute resolution (minutes since 1970-01-01T00:00), which is what
 * interval meter data needs. Local times carry no time zone and no daylight
 * saving: a host in a DST zone converts before handing times in.
 *
 * Text: dates are ISO 8601 "YYYY-MM-DD" exactly (four-digit year, two-digit
 * month and day); date-times "YYYY-MM-DDTHH:MM" (a blank instead of the T is
 * accepted, and ":00" seconds are accepted and ignored; other seconds are an
 * error). "24:00" is accepted only as the end of a day and means 00:00 of the
 * next day.
 *
 * Periods are half-open [start, end): a billing period from the 1st of June
 * to the 1st of July has 30 days and does not include July 1st.
 */
#ifndef BILL_DATE_H
#define BILL_DATE_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A civil date. */
typedef struct bill_date {
    int32_t day;   /* days since 1970-01-01 */
} bill_date;

/** A local date-time at minute resolution. */
typedef struct bill_datetime {
    int64_t minute;  /* minutes since 1970-01-01T00:00 */
} bill_datetime;

/** A half-open period of days [start, end). */
typedef struct bill_period {
    bill_date start;
    bill_date end;
} bill_period;

/** Days of the week, ISO numbering. */
typedef enum bill_weekday {
    BILL_MONDAY = 1, BILL_TUESDAY, BILL_WEDNESDAY, BILL_THURSDAY,
    BILL_FRIDAY, BILL_SATURDAY, BILL_SUNDAY
} bill_weekday;

/** Month-end rule for adding months. */
typedef enum bill_monthend {
    /**
     * Keep the day of month, clamped to the target month's length (Java
     * LocalDate.plusMonths): Jan 31 + 1 month = Feb 28 (29 in leap years);
     * Feb 28 + 1 month = Mar 28.
     */
    BILL_MONTHEND_CLAMP = 0,
    /**
     * As CLAMP, but a date on the last day of its month lands on the last
     * day of the target month: Feb 28 2023 + 1 month = Mar 31 2023.
     */
    BILL_MONTHEND_STICKY
} bill_monthend;

/* ---- dates ------------------------------------------------------------- */

/** 1 for leap years of the Gregorian calendar (2000 yes, 2100 no). */
BILL_EXTERN int bill_is_leap_year(int year);
/** Days in a month (28..31), 0 for an invalid month. */
BILL_EXTERN int bill_days_in_month(int year, int month);

/** *out = year-month-day; BILL_EDATE if it is not a real date (2023-02-29). */
BILL_EXTERN int bill_date_from_ymd(bill_date *out, int year, int month, int day);
/** Split a date into its parts (any pointer may be NULL). */
BILL_EXTERN void bill_date_to_ymd(bill_date d, int *year, int *month, int *day);
/** Parse "YYYY-MM-DD" (len = (size_t)-1 for NUL-terminated). */
BILL_EXTERN int bill_date_parse(bill_date *out, const char *text, size_t len);
/** Write "YYYY-MM-DD" into buf (cap >= 11); returns the length (10). */
BILL_EXTERN size_t bill_date_format(bill_date d, char *buf, size_t cap);
/** 1 if d lies in 0001-01-01 .. 9999-12-31. */
BILL_EXTERN int bill_date_is_valid(bill_date d);

/** ISO weekday of d (BILL_MONDAY .. BILL_SUNDAY). */
BILL_EXTERN int bill_date_weekday(bill_date d);
/** Day of the year, 1..366. */
BILL_EXTERN int bill_date_day_of_year(bill_date d);
/** b − a in days (negative if b is before a). */
BILL_EXTERN int32_t bill_date_diff(bill_date a, bill_date b);
/** *out = d + days; BILL_EDATE if the result leaves the supported range. */
BILL_EXTERN int bill_date_add_days(bill_date *out, bill_date d, int32_t days);
/** *out = d + months (may be negative) with the month-end rule. */
BILL_EXTERN int bill_date_add_months(bill_date *out, bill_date d, int32_t months, int rule);
/** -1, 0 or 1. */
BILL_EXTERN int bill_date_cmp(bill_date a, bill_date b);

/* ---- periods ----------------------------------------------------------- */

/** *out = [start, end); BILL_EDATE unless start < end. */
BILL_EXTERN int bill_period_make(bill_period *out, bill_date start, bill_date end);
/** Parse "YYYY-MM-DD/YYYY-MM-DD" (ISO 8601 interval, end exclusive). */
BILL_EXTERN int bill_period_parse(bill_period *out, const char *text, size_t len);
/** Number of days in the period (end − start). */
BILL_EXTERN int32_t bill_period_days(bill_period p);
/** 1 if d is in [start, end). */
BILL_EXTERN int bill_period_contains(bill_period p, bill_date d);
/**
 * *out = the overlap of a and b; returns BILL_OK, or BILL_ENOTFOUND when
 * they do not overlap (then *out is unchanged). Does not set bill_errmsg.
 */
BILL_EXTERN int bill_period_intersect(bill_period *out, bill_period a, bill_period b);
/** Number of days a and b share (0 if none). */
BILL_EXTERN int32_t bill_period_overlap_days(bill_period a, bill_period b);

/* ---- local date-times ---------------------------------------------------- */

BILL_EXTERN int bill_datetime_make(bill_datetime *out, bill_date d, int hour, int minute);
/** Parse "YYYY-MM-DDTHH:MM" (see above). */
BILL_EXTERN int bill_datetime_parse(bill_datetime *out, const char *text, size_t len);
/** Write "YYYY-MM-DDTHH:MM" into buf (cap >= 17); returns the length (16). */
BILL_EXTERN size_t bill_datetime_format(bill_datetime t, char *buf, size_t cap);
/** The date part. */
BILL_EXTERN bill_date bill_datetime_date(bill_datetime t);
/** Minutes since midnight, 0..1439. */
BILL_EXTERN int bill_datetime_minute_of_day(bill_datetime t);
/** *out = t + minutes; BILL_EDATE if out of range. */
BILL_EXTERN int bill_datetime_add_minutes(bill_datetime *out, bill_datetime t, int64_t minutes);
/** b − a in minutes. */
BILL_EXTERN int64_t bill_datetime_diff(bill_datetime a, bill_datetime b);

#ifdef __cplusplus
}
#endif
#endif /* BILL_DATE_H */
