/*
 * Typed rows of the meter-data CSV formats (readings_csv.h,
 * docs/readings-csv.md): header mapping and per-row field validation.
 */
#include "readings_csv.h"

#include <stdlib.h>
#include <string.h>

/* Column positions in each format's table. */
enum { R_SERIAL, R_REGISTER, R_READ_AT, R_VALUE, R_KIND, R_SOURCE, R_NCOLS };
enum { I_SERIAL, I_START, I_MINUTES, I_KWH, I_KIND, I_NCOLS };
enum { A_SERIAL, A_ACCOUNT, A_ADDRESS, A_READING, A_READ_ON, A_NCOLS };

static const billi_csv_column reading_cols[R_NCOLS] = {
    {"meter_serial", 1}, {"register", 1}, {"read_at", 1}, {"value", 1}, {"kind", 1}, {"source", 0},
};
static const billi_csv_column interval_cols[I_NCOLS] = {
    {"meter_serial", 1}, {"start", 1}, {"minutes", 1}, {"kwh", 1}, {"kind", 1},
};
static const billi_csv_column audit_cols[A_NCOLS] = {
    {"meter_serial", 1}, {"found_account", 0}, {"found_address", 0}, {"reading", 1}, {"read_on", 1},
};

static const struct {
    const char *name;
    const billi_csv_column *cols;
    size_t ncols;
} formats[BILLI_RCSV_FORMATS_] = {
    {"register readings", reading_cols, R_NCOLS},
    {"interval data", interval_cols, I_NCOLS},
    {"field audit", audit_cols, A_NCOLS},
};

#define MAX_COLS 8

struct billi_rcsv {
    int format;
    billi_csv *csv;
    billi_rcsv_row_fn fn;
    void *ctx;
    int have_header;
    size_t header_fields;
    int idx[MAX_COLS];
    uint64_t rows, rejected;
    billi_rcsv_row row;
    bill_dec dec;            /* the row's decimal (value, kwh or reading) */
    char errmsg[BILLI_ERRMSG_MAX];
};

const char *billi_rcsv_format_name(int format)
{
    return format >= 0 && format < BILLI_RCSV_FORMATS_ ? formats[format].name : NULL;
}

/* Reject the row: status and message "line L, column 'name': reason". */
static int reject(billi_rcsv *p, const char *column, int code, const char *fmt, ...) BILLI_PRINTF(4, 5);

static int reject(billi_rcsv *p, const char *column, int code, const char *fmt, ...)
{
    int n = snprintf(p->errmsg, sizeof p->errmsg, "line %llu, column '%s': ",
                     (unsigned long long)p->row.line, column);
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof p->errmsg) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->errmsg + n, sizeof p->errmsg - (size_t)n, fmt, ap);
        va_end(ap);
    }
    p->row.status = code;
    p->row.column = column;
    p->row.errmsg = p->errmsg;
    return code;
}

/* The field of column c of the format (absent optional column: empty). */
static billi_text field(const billi_rcsv *p, const billi_csv_record *rec, int c)
{
    billi_text t = {"", 0};
    int i = p->idx[c];
    if (i >= 0) {
        t.ptr = rec->fields[i].ptr;
        t.len = rec->fields[i].len;
    }
    return t;
}

/* Text checks shared by identifiers and free text. */
static int check_text(billi_rcsv *p, const char *col, billi_text t, size_t max, int required)
{
    char q[96];
    if (t.len == 0)
        return required ? reject(p, col, BILL_ESYNTAX, "a value is required") : BILL_OK;
    if (t.len > max) {
        billi_quote(q, 40, t.ptr, t.len);
        return reject(p, col, BILL_ERANGE, "'%s' is longer than %zu bytes", q, max);
    }
    unsigned char first = (unsigned char)t.ptr[0], last = (unsigned char)t.ptr[t.len - 1];
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
        billi_quote(q, sizeof q, t.ptr, t.len);
        return reject(p, col, BILL_ESYNTAX, "'%s' has a leading or trailing blank", q);
    }
    for (size_t i = 0; i < t.len; i++) {
        unsigned char ch = (unsigned char)t.ptr[i];
        if (ch < 0x20 || ch == 0x7f) {
            billi_quote(q, sizeof q, t.ptr, t.len);
            return reject(p, col, BILL_ESYNTAX, "'%s' contains a control character at offset %zu", q, i);
        }
    }
    return BILL_OK;
}

/* A non-negative decimal into p->dec. */
static int parse_amount(billi_rcsv *p, const char *col, billi_text t)
{
    char q[96];
    if (t.len == 0)
        return reject(p, col, BILL_ESYNTAX, "a value is required");
    int rc = bill_dec_parse(&p->dec, t.ptr, t.len);
    if (rc != BILL_OK)
        return reject(p, col, rc, "%s", bill_errmsg());
    if (bill_dec_sign(&p->dec) < 0) {
        billi_quote(q, sizeof q, t.ptr, t.len);
        return reject(p, col, BILL_ERANGE, "'%s' is negative", q);
    }
    return BILL_OK;
}

static int parse_kind(billi_rcsv *p, const char *col, billi_text t, int *out)
{
    char q[96];
    if (t.len == 6 && memcmp(t.ptr, "actual", 6) == 0)
        *out = BILLI_READ_ACTUAL;
    else if (t.len == 9 && memcmp(t.ptr, "estimated", 9) == 0)
        *out = BILLI_READ_ESTIMATED;
    else if (t.len == 0)
        return reject(p, col, BILL_ESYNTAX, "a value is required (actual or estimated)");
    else {
        billi_quote(q, sizeof q, t.ptr, t.len);
        return reject(p, col, BILL_ESYNTAX, "'%s' is neither actual nor estimated", q);
    }
    return BILL_OK;
}

static int parse_date_field(billi_rcsv *p, const char *col, billi_text t, bill_date *out)
{
    if (t.len == 0)
        return reject(p, col, BILL_ESYNTAX, "a value is required (YYYY-MM-DD)");
    int rc = bill_date_parse(out, t.ptr, t.len);
    return rc == BILL_OK ? BILL_OK : reject(p, col, rc, "%s", bill_errmsg());
}

/* A date-time, or with allow_date a date alone (00:00, *has_time = 0). */
static int parse_when(billi_rcsv *p, const char *col, billi_text t, int allow_date,
                      bill_datetime *out, int *has_time)
{
    if (t.len == 0)
        return reject(p, col, BILL_ESYNTAX, "a value is required (%s)",
                      allow_date ? "YYYY-MM-DD or YYYY-MM-DDTHH:MM" : "YYYY-MM-DDTHH:MM");
    int rc;
    if (allow_date && t.len == 10) {
        bill_date d;
        rc = bill_date_parse(&d, t.ptr, t.len);
        if (rc == BILL_OK)
            rc = bill_datetime_make(out, d, 0, 0);
        *has_time = 0;
    } else {
        rc = bill_datetime_parse(out, t.ptr, t.len);
        *has_time = 1;
    }
    return rc == BILL_OK ? BILL_OK : reject(p, col, rc, "%s", bill_errmsg());
}

static int row_reading(billi_rcsv *p, const billi_csv_record *rec)
{
    billi_reading_rec *r = &p->row.u.reading;
    memset(r, 0, sizeof *r);
    r->meter_serial = field(p, rec, R_SERIAL);
    r->reg = field(p, rec, R_REGISTER);
    r->source = field(p, rec, R_SOURCE);
    BILLI_TRY(check_text(p, "meter_serial", r->meter_serial, BILLI_RCSV_MAX_SERIAL, 1));
    BILLI_TRY(check_text(p, "register", r->reg, BILLI_RCSV_MAX_REGISTER, 1));
    BILLI_TRY(parse_when(p, "read_at", field(p, rec, R_READ_AT), 1, &r->read_at, &r->has_time));
    BILLI_TRY(parse_amount(p, "value", field(p, rec, R_VALUE)));
    BILLI_TRY(parse_kind(p, "kind", field(p, rec, R_KIND), &r->kind));
    BILLI_TRY(check_text(p, "source", r->source, BILLI_RCSV_MAX_TEXT, 0));
    r->value = p->dec;   /* a view: the parser owns the value */
    return BILL_OK;
}

static int row_interval(billi_rcsv *p, const billi_csv_record *rec)
{
    billi_interval_rec *r = &p->row.u.interval;
    char q[96];
    int has_time;
    memset(r, 0, sizeof *r);
    r->meter_serial = field(p, rec, I_SERIAL);
    BILLI_TRY(check_text(p, "meter_serial", r->meter_serial, BILLI_RCSV_MAX_SERIAL, 1));
    BILLI_TRY(parse_when(p, "start", field(p, rec, I_START), 0, &r->start, &has_time));
    billi_text m = field(p, rec, I_MINUTES);
    if (m.len == 2 && memcmp(m.ptr, "15", 2) == 0)
        r->minutes = 15;
    else if (m.len == 2 && memcmp(m.ptr, "30", 2) == 0)
        r->minutes = 30;
    else if (m.len == 2 && memcmp(m.ptr, "60", 2) == 0)
        r->minutes = 60;
    else if (m.len == 0)
        return reject(p, "minutes", BILL_ESYNTAX, "a value is required (15, 30 or 60)");
    else {
        billi_quote(q, sizeof q, m.ptr, m.len);
        return reject(p, "minutes", BILL_ERANGE, "'%s' is not 15, 30 or 60", q);
    }
    if (bill_datetime_minute_of_day(r->start) % r->minutes != 0) {
        char when[32];
        bill_datetime_format(r->start, when, sizeof when);
        return reject(p, "start", BILL_EDATE, "%s is not on a %d-minute boundary", when, r->minutes);
    }
    BILLI_TRY(parse_amount(p, "kwh", field(p, rec, I_KWH)));
    BILLI_TRY(parse_kind(p, "kind", field(p, rec, I_KIND), &r->kind));
    r->kwh = p->dec;
    return BILL_OK;
}

static int row_audit(billi_rcsv *p, const billi_csv_record *rec)
{
    billi_audit_rec *r = &p->row.u.audit;
    memset(r, 0, sizeof *r);
    r->meter_serial = field(p, rec, A_SERIAL);
    r->found_account = field(p, rec, A_ACCOUNT);
    r->found_address = field(p, rec, A_ADDRESS);
    BILLI_TRY(check_text(p, "meter_serial", r->meter_serial, BILLI_RCSV_MAX_SERIAL, 1));
    BILLI_TRY(check_text(p, "found_account", r->found_account, BILLI_RCSV_MAX_SERIAL, 0));
    BILLI_TRY(check_text(p, "found_address", r->found_address, BILLI_RCSV_MAX_TEXT, 0));
    if (r->found_account.len == 0 && r->found_address.len == 0)
        return reject(p, p->idx[A_ACCOUNT] >= 0 ? "found_account" : "found_address", BILL_ESYNTAX,
                      "the account or the address where the meter was found is required");
    BILLI_TRY(parse_amount(p, "reading", field(p, rec, A_READING)));
    BILLI_TRY(parse_date_field(p, "read_on", field(p, rec, A_READ_ON), &r->read_on));
    r->reading = p->dec;
    return BILL_OK;
}

static int on_header(billi_rcsv *p, const billi_csv_record *rec)
{
    const char *what = formats[p->format].name;
    BILLI_TRY(billi_csv_map_header(p->idx, formats[p->format].cols, formats[p->format].ncols, rec, what));
    if (p->format == BILLI_RCSV_AUDIT && p->idx[A_ACCOUNT] < 0 && p->idx[A_ADDRESS] < 0)
        return billi_error(BILL_ESYNTAX, "%s: header on line %llu: neither found_account nor "
                           "found_address is a column (one of them is required)",
                           what, (unsigned long long)rec->line);
    p->header_fields = rec->nfields;
    p->have_header = 1;
    return BILL_OK;
}

static int on_record(void *ctx, const billi_csv_record *rec)
{
    billi_rcsv *p = ctx;
    if (!p->have_header)
        return on_header(p, rec);
    billi_rcsv_row *row = &p->row;
    row->line = rec->line;
    row->rec = rec;
    row->status = BILL_OK;
    row->column = NULL;
    row->errmsg = "";
    p->rows++;
    if (rec->status != BILL_OK) {
        snprintf(p->errmsg, sizeof p->errmsg, "%s", rec->errmsg);
        row->status = rec->status;
        row->errmsg = p->errmsg;
    } else if (rec->nfields != p->header_fields) {
        snprintf(p->errmsg, sizeof p->errmsg, "line %llu: %zu fields, but the header has %zu",
                 (unsigned long long)rec->line, rec->nfields, p->header_fields);
        row->status = BILL_ESYNTAX;
        row->errmsg = p->errmsg;
    } else if (p->format == BILLI_RCSV_READINGS) {
        row_reading(p, rec);
    } else if (p->format == BILLI_RCSV_INTERVALS) {
        row_interval(p, rec);
    } else {
        row_audit(p, rec);
    }
    if (row->status != BILL_OK)
        p->rejected++;
    return p->fn(p->ctx, row);
}

int billi_rcsv_create(billi_rcsv **out, int format, const billi_csv_limits *limits,
                      billi_rcsv_row_fn fn, void *ctx)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(fn, "fn");
    if (format < 0 || format >= BILLI_RCSV_FORMATS_)
        return billi_error(BILL_EINVAL, "meter-data CSV: unknown format %d", format);
    billi_rcsv *p = calloc(1, sizeof *p);
    if (!p)
        return billi_error(BILL_ENOMEM, "meter-data CSV: out of memory");
    int rc = billi_csv_create(&p->csv, limits);
    if (rc != BILL_OK) {
        free(p);
        return rc;
    }
    p->format = format;
    p->fn = fn;
    p->ctx = ctx;
    p->row.format = format;
    bill_dec_init(&p->dec);
    *out = p;
    return BILL_OK;
}

void billi_rcsv_free(billi_rcsv *p)
{
    if (!p)
        return;
    billi_csv_free(p->csv);
    bill_dec_clear(&p->dec);
    free(p);
}

int billi_rcsv_feed(billi_rcsv *p, const char *data, size_t len)
{
    BILLI_CHECK_ARG(p, "p");
    return billi_csv_feed(p->csv, data, len, on_record, p);
}

int billi_rcsv_finish(billi_rcsv *p)
{
    BILLI_CHECK_ARG(p, "p");
    BILLI_TRY(billi_csv_finish(p->csv, on_record, p));
    if (!p->have_header)
        return billi_error(BILL_ESYNTAX, "%s: no header row (the input is empty)",
                           formats[p->format].name);
    return BILL_OK;
}

int billi_rcsv_read_file(billi_rcsv *p, FILE *f)
{
    BILLI_CHECK_ARG(p, "p");
    BILLI_TRY(billi_csv_read_file(p->csv, f, on_record, p));
    if (!p->have_header)
        return billi_error(BILL_ESYNTAX, "%s: no header row (the input is empty)",
                           formats[p->format].name);
    return BILL_OK;
}

uint64_t billi_rcsv_rows(const billi_rcsv *p)
{
    return p ? p->rows : 0;
}

uint64_t billi_rcsv_rejected(const billi_rcsv *p)
{
    return p ? p->rejected : 0;
}
