/*
 * libbill internals: a strict, streaming RFC 4180 CSV reader.
 *
 * The reader is fed chunks of any size (billi_csv_feed, then
 * billi_csv_finish once at the end; or billi_csv_read_file for a FILE*) and
 * calls back once per record with the record's fields and the 1-based line
 * on which the record starts. Memory is bounded by the limits, whatever the
 * size of the input: only the record in progress is kept between chunks,
 * and at most max_fields × max_field bytes of it (a record found too long
 * when it ends is reported, not stored).
 *
 * Accepted: fields separated by ',', records ended by LF or CRLF (the last
 * record may lack one), fields quoted with '"' in which a doubled quote is a
 * quote and commas, CR and LF are data, a UTF-8 byte-order mark at the very
 * start (skipped). Blank lines (nothing between two line ends) are skipped:
 * they are not records.
 *
 * Strict: a record is malformed, and reported as such with its line and
 * column (the 1-based field number), for a quote inside an unquoted field
 * ("stray quote"), text between a closing quote and the next separator, a
 * CR not followed by LF outside quotes, invalid UTF-8 in a field, a field
 * longer than max_field bytes, a record longer than max_record bytes or
 * with more than max_fields fields, and a quoted field still open at the
 * end of the input ("unterminated quote", reported by billi_csv_finish).
 * The error reported is the first one met in the record, whatever the
 * chunks (a field that is too long is named on the line where it starts).
 * A malformed record does not stop the reader: it is delivered to the
 * callback with a negative status and a message, and reading goes on with
 * the next record (the tokenizer keeps its RFC 4180 state, so the next
 * record is found where a lenient reader would find it).
 *
 * Zero copy: fields of a record that lies within one chunk and needs no
 * unescaping point into the chunk; others are copied into the reader's
 * buffer. Either way a field is valid only during the callback.
 */
#ifndef BILLI_CSV_H
#define BILLI_CSV_H

#include "internal.h"
#include <stdio.h>

/** Limits; 0 in a field means its default. */
typedef struct billi_csv_limits {
    size_t max_field;   /* bytes of one field after unescaping; default 65536 */
    size_t max_record;  /* bytes of one record as read (quotes, separators, line ends); default 1 MiB */
    size_t max_fields;  /* fields in one record; default 256 */
} billi_csv_limits;

#define BILLI_CSV_DEFAULT_MAX_FIELD 65536
#define BILLI_CSV_DEFAULT_MAX_RECORD (1024 * 1024)
#define BILLI_CSV_DEFAULT_MAX_FIELDS 256

/** One field: `len` bytes at `ptr` (not NUL-terminated). */
typedef struct billi_csv_field {
    const char *ptr;
    size_t len;
} billi_csv_field;

/** One record as the callback sees it. */
typedef struct billi_csv_record {
    uint64_t line;                  /* 1-based line on which the record starts */
    uint64_t index;                 /* 0-based count of records before it (malformed ones included) */
    size_t nfields;                 /* 0 when status < 0 */
    const billi_csv_field *fields;
    int status;                     /* BILL_OK, or BILL_ESYNTAX / BILL_ERANGE for a malformed record */
    const char *errmsg;             /* "" or "line 3, column 2: stray quote in an unquoted field" */
} billi_csv_record;

/**
 * Called once per record. Return BILL_OK to go on; anything else stops the
 * feed, which returns that value (the reader is then finished: further feeds
 * return BILL_ESTATE).
 */
typedef int (*billi_csv_record_fn)(void *ctx, const billi_csv_record *rec);

typedef struct billi_csv billi_csv;

/** A new reader with `limits` (NULL: the defaults). BILL_ENOMEM. */
int billi_csv_create(billi_csv **out, const billi_csv_limits *limits);
/** NULL is a no-op. */
void billi_csv_free(billi_csv *c);

/** Feed the next `len` bytes; complete records go to fn. */
int billi_csv_feed(billi_csv *c, const char *data, size_t len, billi_csv_record_fn fn, void *ctx);
/** End of input: the last record (without a line end) or an unterminated quote go to fn. */
int billi_csv_finish(billi_csv *c, billi_csv_record_fn fn, void *ctx);
/** Feed the whole of f in blocks, then finish. BILL_EIO on a read error. */
int billi_csv_read_file(billi_csv *c, FILE *f, billi_csv_record_fn fn, void *ctx);

/** Physical lines seen so far (for a final count). */
uint64_t billi_csv_lines(const billi_csv *c);

/* ---- header rows ---------------------------------------------------------- */

/** A column a format knows. */
typedef struct billi_csv_column {
    const char *name;
    int required;
} billi_csv_column;

/**
 * Map a header record to the known columns: idx[i] = the field index of
 * cols[i], or -1 for an absent optional column. Names are matched exactly
 * (after the BOM the reader already removed). BILL_ESYNTAX naming the line
 * for a malformed header record (whatever its error), a missing required
 * column, an unknown column or a column given twice.
 * `what` names the format in messages ("register readings").
 */
int billi_csv_map_header(int *idx, const billi_csv_column *cols, size_t ncols,
                         const billi_csv_record *hdr, const char *what);

#endif
