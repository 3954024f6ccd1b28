/*
 * libbill: working-day calendars supplied by the caller.
 *
 * Whether a day is a working day, a weekend or a public holiday cannot be
 * told from the weekday alone: China moves working days onto weekends around
 * its holidays (调休). A bill_calendar starts with a weekend (Saturday and
 * Sunday by default, any set of weekdays allowed); the caller adds public
 * holidays and "make-up working days" (weekend days declared working). A date
 * that is both is rejected with BILL_ECONFLICT.
 *
 * Day types (precedence: holiday, then make-up working day, then weekend):
 *   BILL_DAY_HOLIDAY  a public holiday
 *   BILL_DAY_WORKING  a normal working day, or a make-up working day
 *   BILL_DAY_WEEKEND  a weekend day that is not a make-up working day
 *
 * A calendar is a handle: create, configure, query, free. Queries are
 * read-only and may run from several threads at once once configuration is
 * done. Failing calls leave their message on the handle
 * (bill_calendar_errmsg) and on the thread (bill_errmsg).
 */
#ifndef BILL_CALENDAR_H
#define BILL_CALENDAR_H

#include "common.h"
#include "errors.h"
#include "date.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bill_calendar bill_calendar;

typedef enum bill_day_type {
    BILL_DAY_WORKING = 0,
    BILL_DAY_WEEKEND = 1,
    BILL_DAY_HOLIDAY = 2
} bill_day_type;

/** A new calendar with a Saturday-Sunday weekend and no holidays. */
BILL_EXTERN int bill_calendar_create(bill_calendar **out);
/** NULL is a no-op. */
BILL_EXTERN void bill_calendar_free(bill_calendar *cal);

/**
 * Set the weekend as a bit mask: bit (weekday − 1) for each weekend day,
 * e.g. (1 << (BILL_SATURDAY-1)) | (1 << (BILL_SUNDAY-1)) = 0x60.
 */
BILL_EXTERN int bill_calendar_set_weekend(bill_calendar *cal, unsigned mask);
BILL_EXTERN unsigned bill_calendar_weekend(const bill_calendar *cal);

/**
 * Add a public holiday (name may be NULL; it must be valid UTF-8, else
 * BILL_ESYNTAX). Adding the same date again is harmless; a name given then
 * replaces the old one.
 */
BILL_EXTERN int bill_calendar_add_holiday(bill_calendar *cal, bill_date d, const char *name);
/** Declare a weekend day a working day (调休). */
BILL_EXTERN int bill_calendar_add_working_day(bill_calendar *cal, bill_date d);
/**
 * Load holidays and working days from text, one entry a line:
 *   "YYYY-MM-DD holiday [name]" or "YYYY-MM-DD working"
 * Fields are separated by blanks (spaces or tabs); leading and trailing blanks
 * and CRLF line ends are accepted; '#' starts a comment to the end of the line
 * (so a name cannot contain '#'); blank lines are ignored; the keywords are
 * lower case and nothing may follow "working". The name is the rest of the
 * line and must be valid UTF-8 (else BILL_ESYNTAX). All or nothing: on an error
 * nothing is added and the message names the line.
 */
BILL_EXTERN int bill_calendar_load(bill_calendar *cal, const char *text, size_t len);

/** The day type of d (a bill_day_type). */
BILL_EXTERN int bill_calendar_day_type(const bill_calendar *cal, bill_date d);
/** 1 if d is a working day. */
BILL_EXTERN int bill_calendar_is_working_day(const bill_calendar *cal, bill_date d);
/** The holiday's name, "" for an unnamed one, NULL when d is not a holiday. */
BILL_EXTERN const char *bill_calendar_holiday_name(const bill_calendar *cal, bill_date d);
/** Working days in the period [start, end). */
BILL_EXTERN int32_t bill_calendar_working_days(const bill_calendar *cal, bill_period p);
/**
 * *out = the date n working days after d (n > 0) or before it (n < 0); d
 * itself is not counted. n = 0 gives d if it is a working day, else the next
 * working day.
 */
BILL_EXTERN int bill_calendar_add_working_days(const bill_calendar *cal, bill_date *out,
                                               bill_date d, int32_t n);
/** The last error message on this handle ("" if none). */
BILL_EXTERN const char *bill_calendar_errmsg(const bill_calendar *cal);

#ifdef __cplusplus
}
#endif
#endif /* BILL_CALENDAR_H */
