/* Tests for the typed meter-data CSV formats (libbill/readings_csv.c). */
#include "test.h"
#include "../../libbill/readings_csv.h"

/* Rows rendered: "L:serial|reg|when|value|kind|source;" or "E<status>:<message>;" */
typedef struct out {
    char buf[8192];
    size_t len;
} out;

static void add(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n < sizeof o->buf - o->len ? (size_t)n : sizeof o->buf - o->len - 1;
}

static int on_row(void *ctx, const billi_rcsv_row *row)
{
    out *o = ctx;
    char when[32], num[64];
    if (row->status != BILL_OK) {
        add(o, "!%s:%s;", bill_status_name(row->status), row->errmsg);
        return BILL_OK;
    }
    switch (row->format) {
    case BILLI_RCSV_READINGS: {
        const billi_reading_rec *r = &row->u.reading;
        if (r->has_time)
            bill_datetime_format(r->read_at, when, sizeof when);
        else
            bill_date_format(bill_datetime_date(r->read_at), when, sizeof when);
        bill_dec_format(&r->value, num, sizeof num);
        add(o, "%llu:%.*s|%.*s|%s|%s|%s|%.*s;", (unsigned long long)row->line,
            (int)r->meter_serial.len, r->meter_serial.ptr, (int)r->reg.len, r->reg.ptr, when, num,
            r->kind == BILLI_READ_ESTIMATED ? "E" : "A", (int)r->source.len, r->source.ptr);
        break;
    }
    case BILLI_RCSV_INTERVALS: {
        const billi_interval_rec *r = &row->u.interval;
        bill_datetime_format(r->start, when, sizeof when);
        bill_dec_format(&r->kwh, num, sizeof num);
        add(o, "%llu:%.*s|%s|%d|%s|%s;", (unsigned long long)row->line, (int)r->meter_serial.len,
            r->meter_serial.ptr, when, r->minutes, num, r->kind == BILLI_READ_ESTIMATED ? "E" : "A");
        break;
    }
    default: {
        const billi_audit_rec *r = &row->u.audit;
        bill_date_format(r->read_on, when, sizeof when);
        bill_dec_format(&r->reading, num, sizeof num);
        add(o, "%llu:%.*s|%.*s|%.*s|%s|%s;", (unsigned long long)row->line, (int)r->meter_serial.len,
            r->meter_serial.ptr, (int)r->found_account.len, r->found_account.ptr,
            (int)r->found_address.len, r->found_address.ptr, num, when);
        break;
    }
    }
    return BILL_OK;
}

static int last_rc;

/* Parse text as `format` in chunks of `chunk` bytes (0: whole); the rendering. */
static const char *run_chunked(int format, const char *text, size_t chunk)
{
    static out o;
    memset(&o, 0, sizeof o);
    billi_rcsv *p = NULL;
    last_rc = billi_rcsv_create(&p, format, NULL, on_row, &o);
    if (last_rc != BILL_OK)
        return "(create failed)";
    size_t len = strlen(text), step = chunk ? chunk : (len ? len : 1);
    for (size_t off = 0; off < len && last_rc == BILL_OK; off += step)
        last_rc = billi_rcsv_feed(p, text + off, len - off < step ? len - off : step);
    if (last_rc == BILL_OK)
        last_rc = billi_rcsv_finish(p);
    billi_rcsv_free(p);
    return o.buf;
}

static const char *run(int format, const char *text)
{
    return run_chunked(format, text, 0);
}

#define RH "meter_serial,register,read_at,value,kind,source\n"

static void test_readings_good(void)
{
    CHECK_STR(run(BILLI_RCSV_READINGS, RH
                  "M-001,total,2026-01-31,12345.6,actual,route 7\n"
                  "M-001,peak,2026-01-31T08:30,00123,estimated,\n"
                  "\"M,2\",valley,2026-02-01 00:00:00,0,actual,\"hand \"\"held\"\"\"\r\n"),
              "2:M-001|total|2026-01-31|12345.6|A|route 7;"
              "3:M-001|peak|2026-01-31T08:30|123|E|;"
              "4:M,2|valley|2026-02-01T00:00|0|A|hand \"held\";");
    CHECK_INT(last_rc, BILL_OK);
    /* columns in any order; source optional */
    CHECK_STR(run(BILLI_RCSV_READINGS, "kind,value,read_at,register,meter_serial\nactual,1.50,2026-03-01,total,X\n"),
              "2:X|total|2026-03-01|1.50|A|;");
    /* a header alone is no rows, and is fine */
    CHECK_STR(run(BILLI_RCSV_READINGS, RH), "");
    CHECK_INT(last_rc, BILL_OK);
}

static void test_readings_rejected(void)
{
    CHECK_STR(run(BILLI_RCSV_READINGS, RH
                  ",total,2026-01-31,1,actual,\n"
                  "M1,,2026-01-31,1,actual,\n"
                  "M1,total,2026-02-30,1,actual,\n"
                  "M1,total,2026-01-31T25:00,1,actual,\n"
                  "M1,total,2026-01-31,12a,actual,\n"
                  "M1,total,2026-01-31,-5,actual,\n"
                  "M1,total,2026-01-31,5,Actual,\n"
                  "M1,total,2026-01-31,5,,\n"
                  " M1,total,2026-01-31,5,actual,\n"
                  "M1,total,2026-01-31,5\n"
                  "M1,total,2026-01-31,5,actual,x,y\n"
                  "M1,to\"tal,2026-01-31,5,actual,\n"
                  "M1,total,2026-01-31,,actual,\n"
                  "M1,total,2026-01-31,1e400000,actual,\n"
                  "ok,total,2026-01-31,5,actual,\n"),
              "!ESYNTAX:line 2, column 'meter_serial': a value is required;"
              "!ESYNTAX:line 3, column 'register': a value is required;"
              "!EDATE:line 4, column 'read_at': date: '2026-02-30': day 30 is past the end of February 2026;"
              "!EDATE:line 5, column 'read_at': datetime: '2026-01-31T25:00': hour 25 is not in 0..23;"
              "!ESYNTAX:line 6, column 'value': decimal: '12a': unexpected 'a' at offset 2;"
              "!ERANGE:line 7, column 'value': '-5' is negative;"
              "!ESYNTAX:line 8, column 'kind': 'Actual' is neither actual nor estimated;"
              "!ESYNTAX:line 9, column 'kind': a value is required (actual or estimated);"
              "!ESYNTAX:line 10, column 'meter_serial': ' M1' has a leading or trailing blank;"
              "!ESYNTAX:line 11: 4 fields, but the header has 6;"
              "!ESYNTAX:line 12: 7 fields, but the header has 6;"
              "!ESYNTAX:line 13, column 2: stray quote in an unquoted field (quote the whole field and double the quote);"
              "!ESYNTAX:line 14, column 'value': a value is required;"
              "!ERANGE:line 15, column 'value': decimal: '1e400000': scale -400000 is outside [-100000, 100000];"
              "16:ok|total|2026-01-31|5|A|;");
    CHECK_INT(last_rc, BILL_OK);
}

static void test_header_errors(void)
{
    run(BILLI_RCSV_READINGS, "meter_serial,register,read_at,kind\nM,t,2026-01-01,actual\n");
    CHECK_INT(last_rc, BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "register readings: header on line 1: required column 'value' is missing");
    run(BILLI_RCSV_READINGS, "meter_serial,register,read_at,value,kind,comment\n");
    CHECK_INT(last_rc, BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "unknown column 'comment'") != NULL);
    run(BILLI_RCSV_READINGS, "");
    CHECK_INT(last_rc, BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "register readings: no header row (the input is empty)");
    run(BILLI_RCSV_READINGS, "meter_\"serial\n");
    CHECK_INT(last_rc, BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "header: line 1, column 1: stray quote") != NULL);
    run(BILLI_RCSV_AUDIT, "meter_serial,reading,read_on\n");
    CHECK_INT(last_rc, BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "neither found_account nor found_address") != NULL);
    /* a BOM before the header is skipped */
    CHECK_STR(run(BILLI_RCSV_INTERVALS, "\xEF\xBB\xBFmeter_serial,start,minutes,kwh,kind\nM,2026-01-01T00:15,15,1,actual\n"),
              "2:M|2026-01-01T00:15|15|1|A;");
}

static void test_intervals(void)
{
    CHECK_STR(run(BILLI_RCSV_INTERVALS, "meter_serial,start,minutes,kwh,kind\n"
                  "M,2026-01-01T00:00,15,0.25,actual\n"
                  "M,2026-01-01T00:45,15,1.000,estimated\n"
                  "M,2026-01-01T01:00,60,3,actual\n"
                  "M,2026-01-01T00:10,15,1,actual\n"
                  "M,2026-01-01T00:30,60,1,actual\n"
                  "M,2026-01-01,15,1,actual\n"
                  "M,2026-01-01T00:00,5,1,actual\n"
                  "M,2026-01-01T00:00,,1,actual\n"
                  "M,2026-01-01T00:30,30,-0.5,actual\n"
                  "M,2026-01-01T00:30,30,0.5,measured\n"),
              "2:M|2026-01-01T00:00|15|0.25|A;"
              "3:M|2026-01-01T00:45|15|1.000|E;"
              "4:M|2026-01-01T01:00|60|3|A;"
              "!EDATE:line 5, column 'start': 2026-01-01T00:10 is not on a 15-minute boundary;"
              "!EDATE:line 6, column 'start': 2026-01-01T00:30 is not on a 60-minute boundary;"
              "!ESYNTAX:line 7, column 'start': datetime: '2026-01-01': the time is missing (format YYYY-MM-DDTHH:MM);"
              "!ERANGE:line 8, column 'minutes': '5' is not 15, 30 or 60;"
              "!ESYNTAX:line 9, column 'minutes': a value is required (15, 30 or 60);"
              "!ERANGE:line 10, column 'kwh': '-0.5' is negative;"
              "!ESYNTAX:line 11, column 'kind': 'measured' is neither actual nor estimated;");
}

static void test_audit(void)
{
    CHECK_STR(run(BILLI_RCSV_AUDIT, "meter_serial,found_account,found_address,reading,read_on\n"
                  "M-9,ACC-1,,100.5,2026-02-03\n"
                  "M-9,,\"3 Main St, flat 2\",7,2026-02-03\n"
                  "M-9,,,7,2026-02-03\n"
                  "M-9,ACC-1,,7,2026-02-03T10:00\n"
                  "M-9,ACC-1,,,2026-02-03\n"
                  "M-9,ACC\x01,,1,2026-02-03\n"),
              "2:M-9|ACC-1||100.5|2026-02-03;"
              "3:M-9||3 Main St, flat 2|7|2026-02-03;"
              "!ESYNTAX:line 4, column 'found_account': the account or the address where the meter was found is required;"
              "!ESYNTAX:line 5, column 'read_on': date: '2026-02-03T10:00': unexpected text at offset 10 (format YYYY-MM-DD);"
              "!ESYNTAX:line 6, column 'reading': a value is required;"
              "!ESYNTAX:line 7, column 'found_account': 'ACC\\x01' contains a control character at offset 3;");
    /* the address column alone is enough */
    CHECK_STR(run(BILLI_RCSV_AUDIT, "meter_serial,found_address,reading,read_on\nM,here,1,2026-01-01\n"),
              "2:M||here|1|2026-01-01;");
}

static void test_chunks_and_counts(void)
{
    static const char text[] = RH
        "M-001,total,2026-01-31,12345.6,actual,\"route\n7\"\r\n"
        "M-001,peak,2026-01-31T08:30,bad,estimated,\n"
        "M-002,total,2026-01-31,5,actual,x\n";
    char whole[4096];
    snprintf(whole, sizeof whole, "%s", run(BILLI_RCSV_READINGS, text));
    /* a control character (here a line feed inside quotes) is not allowed in a text column */
    CHECK(strstr(whole, "!ESYNTAX:line 2, column 'source': 'route\\x0a7' contains a control character at offset 5;") != NULL);
    CHECK(strstr(whole, "!ESYNTAX:line 4, column 'value'") != NULL);
    CHECK(strstr(whole, "5:M-002|total|2026-01-31|5|A|x;") != NULL);
    for (size_t chunk = 1; chunk < 40; chunk++)
        if (strcmp(run_chunked(BILLI_RCSV_READINGS, text, chunk), whole) != 0) {
            TEST_FAIL_("chunk %zu differs", chunk);
            break;
        }
    test_passed++;

    out o;
    memset(&o, 0, sizeof o);
    billi_rcsv *p = NULL;
    CHECK_INT(billi_rcsv_create(&p, BILLI_RCSV_READINGS, NULL, on_row, &o), BILL_OK);
    CHECK_INT(billi_rcsv_feed(p, text, strlen(text)), BILL_OK);
    CHECK_INT(billi_rcsv_finish(p), BILL_OK);
    CHECK_INT(billi_rcsv_rows(p), 3);
    CHECK_INT(billi_rcsv_rejected(p), 2);
    billi_rcsv_free(p);
    CHECK_INT(billi_rcsv_create(&p, 7, NULL, on_row, &o), BILL_EINVAL);
    CHECK_STR(billi_rcsv_format_name(BILLI_RCSV_AUDIT), "field audit");
    CHECK(billi_rcsv_format_name(3) == NULL);
}

static void test_sample_file(void)
{
    FILE *f = fopen("examples/data/readings-sample.csv", "rb")  /* make runs the tests from the top */;
    CHECK(f != NULL);
    if (!f)
        return;
    out o;
    memset(&o, 0, sizeof o);
    billi_rcsv *p = NULL;
    CHECK_INT(billi_rcsv_create(&p, BILLI_RCSV_READINGS, NULL, on_row, &o), BILL_OK);
    CHECK_INT(billi_rcsv_read_file(p, f), BILL_OK);
    CHECK(billi_rcsv_rows(p) >= 8);
    CHECK(billi_rcsv_rejected(p) >= 3);
    CHECK(billi_rcsv_rejected(p) < billi_rcsv_rows(p));
    billi_rcsv_free(p);
    fclose(f);
}

/* The public reader (include/bill/metercsv.h) over the same parser. */
static void test_public_reader(void)
{
    static const char text[] = RH
        "M-1,total,2026-01-31,12345.6,actual,route 7\n"
        "M-1,peak,2026-01-31T08:30,1.5,estimated,\n"
        "M-2,total,2026-01-31,-1,actual,\n"
        "M-3,total,2026-01-31,9,actual,x";
    bill_meter_csv *r = NULL;
    CHECK_INT(bill_meter_csv_create(&r, 3), BILL_EINVAL);
    CHECK_INT(bill_meter_csv_create(&r, BILL_METER_CSV_READINGS), BILL_OK);
    CHECK_INT(bill_meter_csv_next(r), 0);
    CHECK_INT(bill_meter_csv_status(r), BILL_ESTATE);
    CHECK_INT(bill_meter_csv_feed(r, text, 80), BILL_OK);   /* header and part of row 2 */
    CHECK_INT(bill_meter_csv_next(r), 0);
    CHECK_INT(bill_meter_csv_feed(r, text + 80, strlen(text) - 80), BILL_OK);
    CHECK_INT(bill_meter_csv_next(r), 1);
    CHECK_INT(bill_meter_csv_line(r), 2);
    CHECK_INT(bill_meter_csv_status(r), BILL_OK);
    CHECK_STR(bill_meter_csv_text(r, "meter_serial"), "M-1");
    CHECK_STR(bill_meter_csv_text(r, "register"), "total");
    CHECK_STR(bill_meter_csv_text(r, "source"), "route 7");
    CHECK_STR(bill_meter_csv_text(r, "found_account"), "");
    bill_dec v = BILL_DEC_INIT;
    bill_datetime t = {0};
    CHECK_INT(bill_meter_csv_value(&v, r), BILL_OK);
    char buf[64];
    bill_dec_format(&v, buf, sizeof buf);
    CHECK_STR(buf, "12345.6");
    CHECK_INT(bill_meter_csv_time(&t, r), BILL_OK);
    bill_datetime_format(t, buf, sizeof buf);
    CHECK_STR(buf, "2026-01-31T00:00");
    CHECK_INT(bill_meter_csv_has_time(r), 0);
    CHECK_INT(bill_meter_csv_kind(r), BILL_READING_ACTUAL);
    CHECK_INT(bill_meter_csv_next(r), 1);
    CHECK_INT(bill_meter_csv_kind(r), BILL_READING_ESTIMATED);
    CHECK_INT(bill_meter_csv_has_time(r), 1);
    CHECK_INT(bill_meter_csv_next(r), 1);
    CHECK_INT(bill_meter_csv_status(r), BILL_ERANGE);
    CHECK_STR(bill_meter_csv_column(r), "value");
    CHECK_STR(bill_meter_csv_reason(r), "line 4, column 'value': '-1' is negative");
    CHECK_INT(bill_meter_csv_value(&v, r), BILL_ESTATE);
    CHECK_INT(bill_meter_csv_next(r), 0);                   /* row 5 has no line end yet */
    CHECK_INT(bill_meter_csv_finish(r), BILL_OK);
    CHECK_INT(bill_meter_csv_next(r), 1);
    CHECK_INT(bill_meter_csv_line(r), 5);
    CHECK_INT(bill_meter_csv_next(r), 0);
    CHECK_INT(bill_meter_csv_rows(r), 4);
    CHECK_INT(bill_meter_csv_rejected(r), 1);
    CHECK_INT(bill_meter_csv_feed(r, "x", 1), BILL_ESTATE);
    CHECK(strstr(bill_meter_csv_errmsg(r), "stopped or finished") != NULL);
    bill_meter_csv_free(r);
    bill_meter_csv_free(NULL);
    bill_dec_clear(&v);

    /* a bad header stops the reader, with the message on the handle */
    CHECK_INT(bill_meter_csv_create(&r, BILL_METER_CSV_INTERVALS), BILL_OK);
    CHECK_INT(bill_meter_csv_feed(r, "meter_serial,start,kwh,kind\n", 28), BILL_ESYNTAX);
    CHECK_STR(bill_meter_csv_errmsg(r), "interval data: header on line 1: required column 'minutes' is missing");
    bill_meter_csv_free(r);
}

void suite_readings_csv(void)
{
    test_current = "readings_csv_public_reader";
    test_public_reader();
    test_current = "readings_csv_good";
    test_readings_good();
    test_current = "readings_csv_rejected";
    test_readings_rejected();
    test_current = "readings_csv_header_errors";
    test_header_errors();
    test_current = "readings_csv_intervals";
    test_intervals();
    test_current = "readings_csv_audit";
    test_audit();
    test_current = "readings_csv_chunks_and_counts";
    test_chunks_and_counts();
    test_current = "readings_csv_sample_file";
    test_sample_file();
}
