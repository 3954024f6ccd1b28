/*
 * The streaming RFC 4180 CSV reader (see csv.h): a byte-level state machine
 * fed by chunks, zero-copy for records that lie within one chunk.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

enum {
    S_FIELD_START = 0, /* before a field (or before a record when !in_record) */
    S_UNQ,             /* in an unquoted field */
    S_Q,               /* in a quoted field */
    S_QQ,              /* just after a quote inside a quoted field */
    S_CR,              /* just after a CR outside quotes */
    S_DEAD             /* the callback stopped the reader */
};

/* A field of the record in progress: in the current chunk or in the scratch buffer. */
typedef struct fieldref {
    const char *ptr;   /* when !in_scratch */
    size_t off;        /* when in_scratch */
    size_t len;
    int in_scratch;
} fieldref;

struct billi_csv {
    billi_csv_limits lim;
    int state;
    uint64_t line;          /* current physical line, 1-based */
    uint64_t nrec;          /* records delivered */
    int bom_pending;
    int bom_n;
    char bom[3];

    int in_record;
    uint64_t rec_line;
    size_t rec_bytes_prev;  /* bytes of the record in earlier chunks */
    const char *rec_start;  /* where the record starts in the current chunk */
    fieldref *f;
    size_t nf, capf;
    char *scratch;
    size_t slen, scap;

    /* the field in progress */
    int cur_active;
    int cur_scratch;
    const char *cur_ptr;
    size_t cur_off, cur_len;
    unsigned char cur_hi;
    int cur_quoted;
    uint64_t cur_qline;     /* line of the opening quote */

    int err;
    char errmsg[BILLI_ERRMSG_MAX];
    billi_csv_field *out;
    size_t out_cap;
};

static const unsigned char special[256] = {
    ['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1,
};

int billi_csv_create(billi_csv **out, const billi_csv_limits *limits)
{
    BILLI_CHECK_ARG(out, "out");
    billi_csv *c = calloc(1, sizeof *c);
    if (!c)
        return billi_error(BILL_ENOMEM, "csv: out of memory");
    if (limits)
        c->lim = *limits;
    if (!c->lim.max_field)
        c->lim.max_field = BILLI_CSV_DEFAULT_MAX_FIELD;
    if (!c->lim.max_record)
        c->lim.max_record = BILLI_CSV_DEFAULT_MAX_RECORD;
    if (!c->lim.max_fields)
        c->lim.max_fields = BILLI_CSV_DEFAULT_MAX_FIELDS;
    c->line = 1;
    c->bom_pending = 1;
    *out = c;
    return BILL_OK;
}

void billi_csv_free(billi_csv *c)
{
    if (!c)
        return;
    free(c->f);
    free(c->scratch);
    free(c->out);
    free(c);
}

uint64_t billi_csv_lines(const billi_csv *c)
{
    return c ? c->line : 0;
}

/* Mark the record in progress malformed (the first error wins); column is 1-based. */
static void bad_at(billi_csv *c, uint64_t line, size_t column, int code, const char *fmt,
                   const char *arg)
{
    if (c->err)
        return;
    int n = snprintf(c->errmsg, sizeof c->errmsg, "line %llu, column %zu: ",
                     (unsigned long long)line, column);
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof c->errmsg)
        snprintf(c->errmsg + n, sizeof c->errmsg - (size_t)n, fmt, arg);
    c->err = code;
}

/* ... at the field in progress. */
static void bad(billi_csv *c, int code, const char *fmt, const char *arg)
{
    bad_at(c, c->line, c->nf + 1, code, fmt, arg);
}

static int scratch_reserve(billi_csv *c, size_t more)
{
    if (c->scratch && c->slen + more <= c->scap)
        return 1;
    if (more > SIZE_MAX / 4 - c->slen) {
        bad(c, BILL_ENOMEM, "%s", "out of memory");
        return 0;
    }
    size_t cap = c->scap ? c->scap : 256;
    while (cap < c->slen + more)
        cap *= 2;
    char *n = realloc(c->scratch, cap);
    if (!n) {
        bad(c, BILL_ENOMEM, "%s", "out of memory");
        return 0;
    }
    c->scratch = n;
    c->scap = cap;
    return 1;
}

/* Move the field in progress to the scratch buffer (it leaves the chunk). */
static void cur_to_scratch(billi_csv *c)
{
    if (c->err || c->cur_scratch)
        return;
    if (!scratch_reserve(c, c->cur_len))
        return;
    memcpy(c->scratch + c->slen, c->cur_ptr, c->cur_len);
    c->cur_off = c->slen;
    c->slen += c->cur_len;
    c->cur_scratch = 1;
}

/* Append bytes to the field in progress. */
static void cur_append(billi_csv *c, const char *p, size_t n)
{
    if (c->err || n == 0)
        return;
    /*
     * Checked as the field grows, whether it sits in the chunk or in the
     * scratch buffer, so that the first error of a record does not depend
     * on where the chunks were cut, and the buffer never holds more than
     * max_fields × max_field bytes.
     */
    if (c->cur_len + n > c->lim.max_field) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", c->lim.max_field);
        bad_at(c, c->cur_qline, c->nf + 1, BILL_ERANGE, "field longer than %s bytes", lim);
        return;
    }
    if (!c->cur_scratch) {
        if (c->cur_ptr + c->cur_len == p) {
            c->cur_len += n;
            return;
        }
        cur_to_scratch(c);
        if (c->err)
            return;
    }
    if (c->cur_off + c->cur_len != c->slen) {
        /* other fields were moved in after it: move it to the end, to grow it there */
        if (!scratch_reserve(c, c->cur_len + n))
            return;
        memmove(c->scratch + c->slen, c->scratch + c->cur_off, c->cur_len);
        c->cur_off = c->slen;
        c->slen += c->cur_len;
    }
    if (!scratch_reserve(c, n))
        return;
    memcpy(c->scratch + c->slen, p, n);
    c->slen += n;
    c->cur_len += n;
}

static void begin_record(billi_csv *c, const char *p)
{
    c->in_record = 1;
    c->rec_line = c->line;
    c->rec_bytes_prev = 0;
    c->rec_start = p;
    c->nf = 0;
    c->slen = 0;
    c->err = 0;
    c->errmsg[0] = '\0';
}

static void begin_field(billi_csv *c, const char *p, int quoted)
{
    c->cur_active = 1;
    c->cur_scratch = 0;
    c->cur_ptr = p;
    c->cur_len = 0;
    c->cur_hi = 0;
    c->cur_quoted = quoted;
    c->cur_qline = c->line;
}

static void end_field(billi_csv *c)
{
    c->cur_active = 0;
    if (c->err)
        return;
    if (c->cur_len > c->lim.max_field) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", c->lim.max_field);
        bad(c, BILL_ERANGE, "field longer than %s bytes", lim);
        return;
    }
    const char *data = c->cur_scratch ? c->scratch + c->cur_off : c->cur_ptr;
    if ((c->cur_hi & 0x80) && !billi_utf8_valid(data, c->cur_len)) {
        bad(c, BILL_ESYNTAX, "%s", "invalid UTF-8");
        return;
    }
    if (c->nf >= c->lim.max_fields) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", c->lim.max_fields);
        bad(c, BILL_ERANGE, "more than %s fields", lim);
        return;
    }
    if (c->nf == c->capf) {
        size_t cap = c->capf ? c->capf * 2 : 16;
        fieldref *n = realloc(c->f, cap * sizeof *n);
        if (!n) {
            bad(c, BILL_ENOMEM, "%s", "out of memory");
            return;
        }
        c->f = n;
        c->capf = cap;
    }
    fieldref *r = &c->f[c->nf++];
    r->in_scratch = c->cur_scratch;
    r->ptr = c->cur_ptr;
    r->off = c->cur_off;
    r->len = c->cur_len;
}

/* The record ended at p (exclusive); deliver it. Returns the callback's status. */
static int end_record(billi_csv *c, const char *p, billi_csv_record_fn fn, void *ctx)
{
    c->in_record = 0;
    if (!c->err) {
        size_t bytes = c->rec_bytes_prev + (size_t)(p - c->rec_start);
        if (bytes > c->lim.max_record) {
            char lim[32];
            snprintf(lim, sizeof lim, "%zu", c->lim.max_record);
            bad_at(c, c->line, c->nf ? c->nf : 1, BILL_ERANGE, "record longer than %s bytes", lim);
        }
    }
    /* a blank line is not a record */
    if (!c->err && c->nf == 1 && c->f[0].len == 0 && !c->cur_quoted)
        return BILL_OK;
    billi_csv_record rec;
    rec.line = c->rec_line;
    rec.index = c->nrec++;
    rec.status = c->err;
    rec.errmsg = c->err ? c->errmsg : "";
    rec.nfields = 0;
    rec.fields = NULL;
    if (!c->err) {
        if (c->nf > c->out_cap) {
            size_t cap = c->out_cap ? c->out_cap : 16;
            while (cap < c->nf)
                cap *= 2;
            billi_csv_field *n = realloc(c->out, cap * sizeof *n);
            if (!n)
                return billi_error(BILL_ENOMEM, "csv: out of memory at line %llu",
                                   (unsigned long long)c->rec_line);
            c->out = n;
            c->out_cap = cap;
        }
        for (size_t i = 0; i < c->nf; i++) {
            c->out[i].ptr = c->f[i].in_scratch ? c->scratch + c->f[i].off : c->f[i].ptr;
            c->out[i].len = c->f[i].len;
        }
        rec.nfields = c->nf;
        rec.fields = c->out;
    }
    int rc = fn(ctx, &rec);
    if (rc != BILL_OK)
        c->state = S_DEAD;
    return rc;
}

/* Run the state machine over one chunk. */
static int run(billi_csv *c, const char *data, size_t len, billi_csv_record_fn fn, void *ctx)
{
    const char *p = data, *end = data + len;
    int rc;
    if (c->in_record)
        c->rec_start = data;
    while (p < end) {
        switch (c->state) {
        case S_FIELD_START:
            if (!c->in_record)
                begin_record(c, p);
            if (*p == '"') {
                p++;
                begin_field(c, p, 1);
                c->state = S_Q;
            } else {
                begin_field(c, p, 0);
                c->state = S_UNQ;
            }
            break;
        case S_UNQ: {
            const char *q = p;
            unsigned char hi = 0;
            while (q < end && !special[(unsigned char)*q])
                hi |= (unsigned char)*q++;
            c->cur_hi |= hi;
            cur_append(c, p, (size_t)(q - p));
            p = q;
            if (p == end)
                break;
            switch (*p) {
            case ',':
                end_field(c);
                c->state = S_FIELD_START;
                p++;
                break;
            case '\n':
                end_field(c);
                p++;
                rc = end_record(c, p, fn, ctx);
                c->line++;
                if (rc != BILL_OK)
                    return rc;
                c->state = S_FIELD_START;
                break;
            case '\r':
                c->state = S_CR;
                p++;
                break;
            default: /* '"' */
                bad(c, BILL_ESYNTAX, "%s", "stray quote in an unquoted field (quote the whole field and double the quote)");
                cur_append(c, p, 1);
                p++;
                break;
            }
            break;
        }
        case S_Q: {
            const char *q = p;
            unsigned char hi = 0;
            while (q < end && *q != '"') {
                if (*q == '\n')
                    c->line++;
                hi |= (unsigned char)*q++;
            }
            c->cur_hi |= hi;
            cur_append(c, p, (size_t)(q - p));
            p = q;
            if (p < end) {
                p++;
                c->state = S_QQ;
            }
            break;
        }
        case S_QQ:
            switch (*p) {
            case '"': /* a doubled quote: one quote of data */
                cur_to_scratch(c);
                cur_append(c, p, 1);
                p++;
                c->state = S_Q;
                break;
            case ',':
                end_field(c);
                c->state = S_FIELD_START;
                p++;
                break;
            case '\n':
                end_field(c);
                p++;
                rc = end_record(c, p, fn, ctx);
                c->line++;
                if (rc != BILL_OK)
                    return rc;
                c->state = S_FIELD_START;
                break;
            case '\r':
                c->state = S_CR;
                p++;
                break;
            default:
                bad(c, BILL_ESYNTAX, "%s", "text after the closing quote of a field");
                c->state = S_UNQ;
                break;
            }
            break;
        case S_CR:
            if (*p == '\n') {
                end_field(c);
                p++;
                rc = end_record(c, p, fn, ctx);
                c->line++;
                if (rc != BILL_OK)
                    return rc;
                c->state = S_FIELD_START;
            } else {
                bad(c, BILL_ESYNTAX, "%s", "carriage return not followed by a line feed");
                c->state = S_UNQ;
            }
            break;
        default:
            return billi_error(BILL_ESTATE, "csv: the reader was stopped");
        }
    }
    /* the chunk goes away: keep the record in progress in the scratch buffer */
    if (c->in_record) {
        c->rec_bytes_prev += (size_t)(end - c->rec_start);
        if (!c->err) {
            for (size_t i = 0; i < c->nf && !c->err; i++) {
                fieldref *r = &c->f[i];
                if (r->in_scratch)
                    continue;
                if (!scratch_reserve(c, r->len))
                    break;
                memcpy(c->scratch + c->slen, r->ptr, r->len);
                r->off = c->slen;
                r->in_scratch = 1;
                c->slen += r->len;
            }
            if (c->cur_active)
                cur_to_scratch(c);
        }
    }
    return BILL_OK;
}

int billi_csv_feed(billi_csv *c, const char *data, size_t len, billi_csv_record_fn fn, void *ctx)
{
    BILLI_CHECK_ARG(c, "c");
    BILLI_CHECK_ARG(fn, "fn");
    BILLI_CHECK_ARG(data || len == 0, "data");
    if (c->state == S_DEAD)
        return billi_error(BILL_ESTATE, "csv: the reader was stopped or finished");
    if (c->bom_pending) {
        while (len > 0 && c->bom_n < 3) {
            c->bom[c->bom_n++] = *data++;
            len--;
        }
        if (c->bom_n < 3)
            return BILL_OK;
        c->bom_pending = 0;
        if (memcmp(c->bom, "\xEF\xBB\xBF", 3) != 0)
            BILLI_TRY(run(c, c->bom, 3, fn, ctx));
    }
    return run(c, data, len, fn, ctx);
}

int billi_csv_finish(billi_csv *c, billi_csv_record_fn fn, void *ctx)
{
    BILLI_CHECK_ARG(c, "c");
    BILLI_CHECK_ARG(fn, "fn");
    if (c->state == S_DEAD)
        return billi_error(BILL_ESTATE, "csv: the reader was stopped or finished");
    if (c->bom_pending) {
        c->bom_pending = 0;
        if (c->bom_n > 0)
            BILLI_TRY(run(c, c->bom, (size_t)c->bom_n, fn, ctx));
    }
    /* an empty stretch, so that rec_start is valid for end_record */
    static const char nothing[1] = {0};
    if (c->in_record)
        c->rec_start = nothing;
    int rc = BILL_OK;
    switch (c->state) {
    case S_Q:
        if (!c->err) {
            char where[64];
            snprintf(where, sizeof where, "%llu", (unsigned long long)c->cur_qline);
            bad(c, BILL_ESYNTAX, "unterminated quote (the quoted field opened on line %s)", where);
        }
        rc = end_record(c, nothing, fn, ctx);
        break;
    case S_CR:
        bad(c, BILL_ESYNTAX, "%s", "carriage return not followed by a line feed");
        /* fall through */
    case S_UNQ:
    case S_QQ:
        end_field(c);
        rc = end_record(c, nothing, fn, ctx);
        break;
    case S_FIELD_START:
        if (c->in_record) { /* "a,b," at the end: the last field is empty */
            begin_field(c, nothing, 0);
            end_field(c);
            rc = end_record(c, nothing, fn, ctx);
        }
        break;
    default:
        break;
    }
    c->state = S_DEAD;
    return rc;
}

int billi_csv_read_file(billi_csv *c, FILE *f, billi_csv_record_fn fn, void *ctx)
{
    BILLI_CHECK_ARG(c, "c");
    BILLI_CHECK_ARG(f, "f");
    enum { BLOCK = 256 * 1024 };
    char *buf = malloc(BLOCK);
    if (!buf)
        return billi_error(BILL_ENOMEM, "csv: out of memory");
    int rc = BILL_OK;
    for (;;) {
        size_t n = fread(buf, 1, BLOCK, f);
        if (n > 0) {
            rc = billi_csv_feed(c, buf, n, fn, ctx);
            if (rc != BILL_OK)
                break;
        }
        if (n < BLOCK) {
            if (ferror(f))
                rc = billi_error(BILL_EIO, "csv: read error after line %llu",
                                 (unsigned long long)c->line);
            else
                rc = billi_csv_finish(c, fn, ctx);
            break;
        }
    }
    free(buf);
    return rc;
}

/* ---- header rows ---------------------------------------------------------- */

int billi_csv_map_header(int *idx, const billi_csv_column *cols, size_t ncols,
                         const billi_csv_record *hdr, const char *what)
{
    BILLI_CHECK_ARG(idx, "idx");
    BILLI_CHECK_ARG(cols, "cols");
    BILLI_CHECK_ARG(hdr, "hdr");
    char q[96];
    if (hdr->status != BILL_OK) /* a malformed header is a syntax error, whatever broke it */
        return billi_error(hdr->status == BILL_ENOMEM ? BILL_ENOMEM : BILL_ESYNTAX, "%s: header: %s",
                           what, hdr->errmsg);
    for (size_t i = 0; i < ncols; i++)
        idx[i] = -1;
    for (size_t j = 0; j < hdr->nfields; j++) {
        const billi_csv_field *f = &hdr->fields[j];
        size_t i;
        for (i = 0; i < ncols; i++)
            if (strlen(cols[i].name) == f->len && memcmp(cols[i].name, f->ptr, f->len) == 0)
                break;
        if (i == ncols) {
            billi_quote(q, sizeof q, f->ptr, f->len);
            char known[256];
            size_t o = 0;
            known[0] = '\0';
            for (size_t k = 0; k < ncols && o < sizeof known; k++)
                o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", k ? ", " : "", cols[k].name);
            return billi_error(BILL_ESYNTAX, "%s: header on line %llu, column %zu: unknown column '%s' (known: %s)",
                               what, (unsigned long long)hdr->line, j + 1, q, known);
        }
        if (idx[i] >= 0)
            return billi_error(BILL_ESYNTAX, "%s: header on line %llu, column %zu: column '%s' given twice (first in column %d)",
                               what, (unsigned long long)hdr->line, j + 1, cols[i].name, idx[i] + 1);
        idx[i] = (int)j;
    }
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].required && idx[i] < 0)
            return billi_error(BILL_ESYNTAX, "%s: header on line %llu: required column '%s' is missing",
                               what, (unsigned long long)hdr->line, cols[i].name);
    return BILL_OK;
}
