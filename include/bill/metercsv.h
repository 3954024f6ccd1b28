/*
 * libbill: reading meter-data CSV files (docs/readings-csv.md).
 *
 * A bill_meter_csv reads one of three formats, fed in chunks of any size
 * (a file of any size streams in bounded memory when the rows are taken
 * after each chunk), and gives one row at a time:
 *
 *   BILL_METER_CSV_READINGS   register readings: meter_serial, register,
 *                             read_at, value, kind[, source]
 *   BILL_METER_CSV_INTERVALS  interval data: meter_serial, start, minutes,
 *                             kwh, kind
 *   BILL_METER_CSV_AUDIT      field audit: meter_serial, found_account,
 *                             found_address, reading, read_on
 *
 * Every data row is either valid, with its typed fields, or rejected, with
 * its line, the column at fault and the reason; a rejected row does not stop
 * the file (the caller keeps it, e.g. in an exceptions table). A bad header
 * (a required column missing, an unknown column) does stop it: feed returns
 * BILL_ESYNTAX and bill_meter_csv_errmsg() names the column.
 *
 *     bill_meter_csv *r;
 *     bill_meter_csv_create(&r, BILL_METER_CSV_READINGS);
 *     while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
 *         if (bill_meter_csv_feed(r, buf, n) != BILL_OK) break;   // bad header
 *         while (bill_meter_csv_next(r) == 1) use_row(r);
 *     }
 *     bill_meter_csv_finish(r);
 *     while (bill_meter_csv_next(r) == 1) use_row(r);
 *     bill_meter_csv_free(r);
 *
 * Only what a row shows is checked (syntax, ranges, enumerations, required
 * values); whether the meter exists or was installed then is the importer's.
 */
#ifndef BILL_METERCSV_H
#define BILL_METERCSV_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The formats. */
typedef enum bill_meter_csv_format {
    BILL_METER_CSV_READINGS = 0,
    BILL_METER_CSV_INTERVALS = 1,
    BILL_METER_CSV_AUDIT = 2
} bill_meter_csv_format;

/** Reading kinds (the `kind` column). */
typedef enum bill_reading_kind {
    BILL_READING_ACTUAL = 0,
    BILL_READING_ESTIMATED = 1
} bill_reading_kind;

/** A reader of one CSV file. */
typedef struct bill_meter_csv bill_meter_csv;

/** A reader for `format` (BILL_EINVAL for another value). Free with bill_meter_csv_free. */
BILL_EXTERN int bill_meter_csv_create(bill_meter_csv **out, int format);
/** NULL is a no-op. */
BILL_EXTERN void bill_meter_csv_free(bill_meter_csv *r);

/**
 * Read the next `len` bytes of the file. The rows they complete become
 * pending, to be taken with bill_meter_csv_next (take them before the next
 * feed to keep memory bounded). BILL_ESYNTAX for a bad header (the reader
 * then stops: later feeds give BILL_ESTATE); BILL_ESTATE after finish.
 */
BILL_EXTERN int bill_meter_csv_feed(bill_meter_csv *r, const char *text, size_t len);
/**
 * The end of the file: the last row (without a line end) becomes pending.
 * BILL_ESYNTAX when there was no header at all (an empty file).
 */
BILL_EXTERN int bill_meter_csv_finish(bill_meter_csv *r);
/**
 * Move to the next pending row: 1 if there is one (it is now the current
 * row, which the functions below read), 0 if none is pending.
 */
BILL_EXTERN int bill_meter_csv_next(bill_meter_csv *r);

/* ---- the current row ------------------------------------------------------ */

/** Its 1-based line in the file (the line where the record starts); 0 before the first row. */
BILL_EXTERN int64_t bill_meter_csv_line(const bill_meter_csv *r);
/** BILL_OK for a valid row, or why it is rejected (BILL_ESYNTAX, BILL_ERANGE, BILL_EDATE); BILL_ESTATE with no current row. */
BILL_EXTERN int bill_meter_csv_status(const bill_meter_csv *r);
/** "" for a valid row; else the reason, naming the line and column ("line 6, column 'value': ..."). */
BILL_EXTERN const char *bill_meter_csv_reason(const bill_meter_csv *r);
/** The column at fault ("value"); "" for a valid row or a malformed record. */
BILL_EXTERN const char *bill_meter_csv_column(const bill_meter_csv *r);
/**
 * The text of a text column of a valid row, by name: "meter_serial",
 * "register", "source" (readings), "found_account", "found_address"
 * (audit). "" for an empty optional column, another name or a rejected row.
 * Valid until the next call to bill_meter_csv_next or feed.
 */
BILL_EXTERN const char *bill_meter_csv_text(const bill_meter_csv *r, const char *name);
/** *out = the row's value (readings), kwh (intervals) or reading (audit). BILL_ESTATE without a valid row. */
BILL_EXTERN int bill_meter_csv_value(bill_dec *out, const bill_meter_csv *r);
/** *out = read_at (readings; a date alone is 00:00), start (intervals) or read_on at 00:00 (audit). */
BILL_EXTERN int bill_meter_csv_time(bill_datetime *out, const bill_meter_csv *r);
/** 1 if read_at had a time of day (readings), 1 for intervals, 0 otherwise. */
BILL_EXTERN int bill_meter_csv_has_time(const bill_meter_csv *r);
/** BILL_READING_ACTUAL or BILL_READING_ESTIMATED (audit rows: actual). */
BILL_EXTERN int bill_meter_csv_kind(const bill_meter_csv *r);
/** The interval length, 15, 30 or 60 (intervals); 0 otherwise. */
BILL_EXTERN int bill_meter_csv_minutes(const bill_meter_csv *r);

/* ---- counts and errors ------------------------------------------------------ */

/** Data rows read so far (valid and rejected; taken or pending). */
BILL_EXTERN int64_t bill_meter_csv_rows(const bill_meter_csv *r);
/** Rejected rows read so far. */
BILL_EXTERN int64_t bill_meter_csv_rejected(const bill_meter_csv *r);
/** The message of the reader's last failing call ("" if none). */
BILL_EXTERN const char *bill_meter_csv_errmsg(const bill_meter_csv *r);

#ifdef __cplusplus
}
#endif
#endif /* BILL_METERCSV_H */
