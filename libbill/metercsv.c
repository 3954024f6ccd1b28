/*
 * The public meter-data CSV reader (include/bill/metercsv.h): the internal
 * typed-row parser (readings_csv.c) with the rows of each feed kept, owned,
 * until the caller takes them one at a time.
 */
#include "readings_csv.h"

#include <stdlib.h>
#include <string.h>

/* Text slots of a row: 0 meter_serial; 1 register / found_account; 2 source / found_address. */
#define NTEXT 3

typedef struct prow {
    int64_t line;
    int status;
    const char *column;     /* static, or NULL */
    size_t reason_off;      /* in the arena, NUL-terminated */
    size_t t_off[NTEXT];
    bill_dec value;
    bill_datetime time;
    int has_time, kind, minutes;
} prow;

struct bill_meter_csv {
    int format;
    billi_rcsv *p;
    prow *rows;
    size_t n, cap, ninit;   /* rows pending or taken; allocated; with an initialised value */
    size_t next;            /* the next row to give */
    int has_current;
    char *arena;
    size_t alen, acap;
    char errmsg[BILLI_ERRMSG_MAX];
};

_Static_assert((int)BILL_METER_CSV_READINGS == BILLI_RCSV_READINGS &&
               (int)BILL_METER_CSV_INTERVALS == BILLI_RCSV_INTERVALS &&
               (int)BILL_METER_CSV_AUDIT == BILLI_RCSV_AUDIT, "format numbers");
_Static_assert((int)BILL_READING_ACTUAL == BILLI_READ_ACTUAL &&
               (int)BILL_READING_ESTIMATED == BILLI_READ_ESTIMATED, "kind numbers");

/* Copy n bytes and a NUL into the arena; *off = where. 0 on out of memory. */
static int arena_put(bill_meter_csv *r, const char *s, size_t n, size_t *off)
{
    if (r->alen + n + 1 > r->acap) {
        size_t cap = r->acap ? r->acap : 4096;
        while (cap < r->alen + n + 1)
            cap *= 2;
        char *a = realloc(r->arena, cap);
        if (!a)
            return 0;
        r->arena = a;
        r->acap = cap;
    }
    memcpy(r->arena + r->alen, s, n);
    r->arena[r->alen + n] = '\0';
    *off = r->alen;
    r->alen += n + 1;
    return 1;
}

static int on_row(void *ctx, const billi_rcsv_row *row)
{
    bill_meter_csv *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        prow *nr = realloc(r->rows, cap * sizeof *nr);
        if (!nr)
            return billi_error(BILL_ENOMEM, "meter CSV: out of memory at line %llu",
                               (unsigned long long)row->line);
        r->rows = nr;
        r->cap = cap;
    }
    prow *w = &r->rows[r->n];
    if (r->n == r->ninit) {
        bill_dec_init(&w->value);
        r->ninit++;
    }
    w->line = (int64_t)row->line;
    w->status = row->status;
    w->column = row->column;
    w->time.minute = 0;
    w->has_time = w->kind = w->minutes = 0;
    billi_text t[NTEXT] = {{"", 0}, {"", 0}, {"", 0}};
    const bill_dec *v = NULL;
    if (row->status == BILL_OK) {
        switch (row->format) {
        case BILLI_RCSV_READINGS:
            t[0] = row->u.reading.meter_serial;
            t[1] = row->u.reading.reg;
            t[2] = row->u.reading.source;
            v = &row->u.reading.value;
            w->time = row->u.reading.read_at;
            w->has_time = row->u.reading.has_time;
            w->kind = row->u.reading.kind;
            break;
        case BILLI_RCSV_INTERVALS:
            t[0] = row->u.interval.meter_serial;
            v = &row->u.interval.kwh;
            w->time = row->u.interval.start;
            w->has_time = 1;
            w->kind = row->u.interval.kind;
            w->minutes = row->u.interval.minutes;
            break;
        default:
            t[0] = row->u.audit.meter_serial;
            t[1] = row->u.audit.found_account;
            t[2] = row->u.audit.found_address;
            v = &row->u.audit.reading;
            w->time.minute = (int64_t)row->u.audit.read_on.day * 1440;
            break;
        }
        if (bill_dec_copy(&w->value, v) != BILL_OK)
            return bill_errcode();
    }
    for (int i = 0; i < NTEXT; i++)
        if (!arena_put(r, t[i].ptr, t[i].len, &w->t_off[i]))
            return billi_error(BILL_ENOMEM, "meter CSV: out of memory");
    if (!arena_put(r, row->errmsg, strlen(row->errmsg), &w->reason_off))
        return billi_error(BILL_ENOMEM, "meter CSV: out of memory");
    r->n++;
    return BILL_OK;
}

int bill_meter_csv_create(bill_meter_csv **out, int format)
{
    BILLI_CHECK_ARG(out, "out");
    if (format < BILL_METER_CSV_READINGS || format > BILL_METER_CSV_AUDIT)
        return billi_error(BILL_EINVAL, "meter CSV: unknown format %d (0 readings, 1 intervals, 2 audit)",
                           format);
    bill_meter_csv *r = calloc(1, sizeof *r);
    if (!r)
        return billi_error(BILL_ENOMEM, "meter CSV: out of memory");
    int rc = billi_rcsv_create(&r->p, format, NULL, on_row, r);
    if (rc != BILL_OK) {
        free(r);
        return rc;
    }
    r->format = format;
    *out = r;
    return BILL_OK;
}

void bill_meter_csv_free(bill_meter_csv *r)
{
    if (!r)
        return;
    billi_rcsv_free(r->p);
    for (size_t i = 0; i < r->ninit; i++)
        bill_dec_clear(&r->rows[i].value);
    free(r->rows);
    free(r->arena);
    free(r);
}

/* Forget the rows already taken when none is pending (before reading more). */
static void compact(bill_meter_csv *r)
{
    if (r->next == r->n) {
        r->n = r->next = 0;
        r->alen = 0;
        r->has_current = 0;
    }
}

int bill_meter_csv_feed(bill_meter_csv *r, const char *text, size_t len)
{
    BILLI_CHECK_ARG(r, "r");
    BILLI_CHECK_ARG(text || len == 0, "text");
    compact(r);
    int rc = billi_rcsv_feed(r->p, text ? text : "", len);
    return rc == BILL_OK ? BILL_OK : billi_error_to(r->errmsg, rc);
}

int bill_meter_csv_finish(bill_meter_csv *r)
{
    BILLI_CHECK_ARG(r, "r");
    compact(r);
    int rc = billi_rcsv_finish(r->p);
    return rc == BILL_OK ? BILL_OK : billi_error_to(r->errmsg, rc);
}

int bill_meter_csv_next(bill_meter_csv *r)
{
    BILLI_CHECK_ARG(r, "r");
    if (r->next == r->n) {
        r->has_current = 0;
        return 0;
    }
    r->next++;
    r->has_current = 1;
    return 1;
}

static const prow *current(const bill_meter_csv *r)
{
    return r && r->has_current ? &r->rows[r->next - 1] : NULL;
}

int64_t bill_meter_csv_line(const bill_meter_csv *r)
{
    const prow *w = current(r);
    return w ? w->line : 0;
}

int bill_meter_csv_status(const bill_meter_csv *r)
{
    const prow *w = current(r);
    return w ? w->status : BILL_ESTATE;
}

const char *bill_meter_csv_reason(const bill_meter_csv *r)
{
    const prow *w = current(r);
    return w ? r->arena + w->reason_off : "";
}

const char *bill_meter_csv_column(const bill_meter_csv *r)
{
    const prow *w = current(r);
    return w && w->column ? w->column : "";
}

const char *bill_meter_csv_text(const bill_meter_csv *r, const char *name)
{
    const prow *w = current(r);
    if (!w || w->status != BILL_OK || !name)
        return "";
    int slot = -1;
    if (strcmp(name, "meter_serial") == 0)
        slot = 0;
    else if (r->format == BILL_METER_CSV_READINGS)
        slot = strcmp(name, "register") == 0 ? 1 : strcmp(name, "source") == 0 ? 2 : -1;
    else if (r->format == BILL_METER_CSV_AUDIT)
        slot = strcmp(name, "found_account") == 0 ? 1 : strcmp(name, "found_address") == 0 ? 2 : -1;
    return slot >= 0 ? r->arena + w->t_off[slot] : "";
}

/* The current row if it is valid, else BILL_ESTATE on the handle. */
static int valid_row(const prow **out, const bill_meter_csv *r, const char *fn)
{
    const prow *w = current(r);
    if (!w)
        return billi_error(BILL_ESTATE, "%s: no current row (call bill_meter_csv_next first)", fn);
    if (w->status != BILL_OK)
        return billi_error(BILL_ESTATE, "%s: the row on line %lld is rejected (%s)", fn,
                           (long long)w->line, bill_status_name(w->status));
    *out = w;
    return BILL_OK;
}

int bill_meter_csv_value(bill_dec *out, const bill_meter_csv *r)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(r, "r");
    const prow *w = NULL;
    BILLI_TRY(valid_row(&w, r, "bill_meter_csv_value"));
    return bill_dec_copy(out, &w->value);
}

int bill_meter_csv_time(bill_datetime *out, const bill_meter_csv *r)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(r, "r");
    const prow *w = NULL;
    BILLI_TRY(valid_row(&w, r, "bill_meter_csv_time"));
    *out = w->time;
    return BILL_OK;
}

int bill_meter_csv_has_time(const bill_meter_csv *r)
{
    const prow *w = current(r);
    return w && w->status == BILL_OK ? w->has_time : 0;
}

int bill_meter_csv_kind(const bill_meter_csv *r)
{
    const prow *w = current(r);
    return w && w->status == BILL_OK ? w->kind : BILL_READING_ACTUAL;
}

int bill_meter_csv_minutes(const bill_meter_csv *r)
{
    const prow *w = current(r);
    return w && w->status == BILL_OK ? w->minutes : 0;
}

int64_t bill_meter_csv_rows(const bill_meter_csv *r)
{
    return r ? (int64_t)billi_rcsv_rows(r->p) : 0;
}

int64_t bill_meter_csv_rejected(const bill_meter_csv *r)
{
    return r ? (int64_t)billi_rcsv_rejected(r->p) : 0;
}

const char *bill_meter_csv_errmsg(const bill_meter_csv *r)
{
    return r ? r->errmsg : "";
}
