/*
 * libbill internals: typed records of the meter-data CSV formats
 * (docs/readings-csv.md) on top of the streaming CSV reader.
 *
 *   BILLI_RCSV_READINGS   register readings: meter_serial, register, read_at,
 *                         value, kind[, source]
 *   BILLI_RCSV_INTERVALS  interval data: meter_serial, start, minutes, kwh, kind
 *   BILLI_RCSV_AUDIT      field audit: meter_serial, found_account,
 *                         found_address, reading, read_on
 *
 * The first record is the header; columns are found by name, in any order.
 * Every later record becomes one row given to the callback: a valid row
 * with its typed fields, or a rejected row with status < 0, the column at
 * fault and a message "line 7, column 'value': ...". A rejected row does not
 * stop the stream; the caller keeps it (an exceptions table) and goes on. A
 * bad header does stop it: the feed returns BILL_ESYNTAX naming the column.
 *
 * Text fields are slices of the record and the decimal (value, kwh,
 * reading) is a view of a value the parser owns: both are valid during the
 * callback only; copy what you keep (bill_dec_copy, never bill_dec_clear).
 *
 * Only what one row shows is checked here (syntax, ranges, enumerations,
 * required fields). Whether the meter exists, was installed on that date,
 * or already has a reading then is for the importer, which has the store.
 */
#ifndef BILLI_READINGS_CSV_H
#define BILLI_READINGS_CSV_H

#include "csv.h"

enum { BILLI_RCSV_READINGS = 0, BILLI_RCSV_INTERVALS, BILLI_RCSV_AUDIT, BILLI_RCSV_FORMATS_ };

/** Reading kinds. */
enum { BILLI_READ_ACTUAL = 0, BILLI_READ_ESTIMATED = 1 };

/** Longest identifiers and texts, in bytes. */
#define BILLI_RCSV_MAX_SERIAL 64
#define BILLI_RCSV_MAX_REGISTER 32
#define BILLI_RCSV_MAX_TEXT 512

/** A slice of the record (valid during the callback only); len 0 = absent. */
typedef struct billi_text {
    const char *ptr;
    size_t len;
} billi_text;

typedef struct billi_reading_rec {
    billi_text meter_serial;
    billi_text reg;           /* register name, e.g. "total", "peak" */
    bill_datetime read_at;    /* a date alone is 00:00 of that day */
    int has_time;             /* 0 when read_at was a date */
    bill_dec value;           /* >= 0 */
    int kind;                 /* BILLI_READ_ACTUAL or BILLI_READ_ESTIMATED */
    billi_text source;        /* optional */
} billi_reading_rec;

typedef struct billi_interval_rec {
    billi_text meter_serial;
    bill_datetime start;      /* on a boundary of `minutes` */
    int minutes;              /* 15, 30 or 60 */
    bill_dec kwh;             /* >= 0 */
    int kind;
} billi_interval_rec;

typedef struct billi_audit_rec {
    billi_text meter_serial;
    billi_text found_account; /* at least one of account and address */
    billi_text found_address;
    bill_dec reading;         /* >= 0 */
    bill_date read_on;
} billi_audit_rec;

/** One data row, valid or rejected. */
typedef struct billi_rcsv_row {
    int format;
    uint64_t line;            /* 1-based line on which the record starts */
    int status;               /* BILL_OK, or why the row is rejected */
    const char *column;       /* the column at fault (NULL for a malformed record) */
    const char *errmsg;       /* "" or the reason, naming the line and the column */
    const billi_csv_record *rec; /* the CSV record (its fields; none for a malformed record) */
    union {
        billi_reading_rec reading;
        billi_interval_rec interval;
        billi_audit_rec audit;
    } u;                      /* valid when status == BILL_OK */
} billi_rcsv_row;

/** Called for every data row; return BILL_OK to go on (anything else stops the feed). */
typedef int (*billi_rcsv_row_fn)(void *ctx, const billi_rcsv_row *row);

typedef struct billi_rcsv billi_rcsv;

/** A parser for `format`, with the CSV limits (NULL: defaults). */
int billi_rcsv_create(billi_rcsv **out, int format, const billi_csv_limits *limits,
                      billi_rcsv_row_fn fn, void *ctx);
void billi_rcsv_free(billi_rcsv *p);
int billi_rcsv_feed(billi_rcsv *p, const char *data, size_t len);
/** End of input; BILL_ESYNTAX if there was no header at all. */
int billi_rcsv_finish(billi_rcsv *p);
int billi_rcsv_read_file(billi_rcsv *p, FILE *f);

/** Rows seen (valid and rejected), and rejected rows. */
uint64_t billi_rcsv_rows(const billi_rcsv *p);
uint64_t billi_rcsv_rejected(const billi_rcsv *p);

/** "register readings", "interval data", "field audit"; NULL for a bad format. */
const char *billi_rcsv_format_name(int format);

#endif
