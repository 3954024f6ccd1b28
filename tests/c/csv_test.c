/* Tests for the internal streaming CSV reader (libbill/csv.c). */
#include "test.h"
#include "../../libbill/csv.h"

/* Records rendered as text: "1:a|b;" per record, "E1:<message>;" for a malformed one. */
typedef struct sink {
    char buf[8192];
    size_t len;
    int stop_after;   /* stop (return BILL_ERULE) after this many records; 0 never */
    int seen;
} sink;

static void put(sink *s, const char *p, size_t n)
{
    if (s->len + n >= sizeof s->buf)
        n = sizeof s->buf - 1 - s->len;
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

static int collect(void *ctx, const billi_csv_record *rec)
{
    sink *s = ctx;
    char head[64];
    if (rec->status != BILL_OK) {
        snprintf(head, sizeof head, "E%llu:", (unsigned long long)rec->line);
        put(s, head, strlen(head));
        put(s, rec->errmsg, strlen(rec->errmsg));
    } else {
        snprintf(head, sizeof head, "%llu:", (unsigned long long)rec->line);
        put(s, head, strlen(head));
        for (size_t i = 0; i < rec->nfields; i++) {
            if (i)
                put(s, "|", 1);
            put(s, rec->fields[i].ptr, rec->fields[i].len);
        }
    }
    put(s, ";", 1);
    s->seen++;
    return s->stop_after && s->seen >= s->stop_after ? BILL_ERULE : BILL_OK;
}

/* Parse text in chunks of `chunk` bytes (0: whole), with limits; the rendering. */
static const char *parse_lim(const char *text, size_t len, size_t chunk, const billi_csv_limits *lim)
{
    static sink s;
    memset(&s, 0, sizeof s);
    billi_csv *c = NULL;
    if (billi_csv_create(&c, lim) != BILL_OK)
        return "(create failed)";
    size_t step = chunk ? chunk : (len ? len : 1);
    for (size_t off = 0; off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        if (billi_csv_feed(c, text + off, n, collect, &s) != BILL_OK) {
            billi_csv_free(c);
            return "(feed failed)";
        }
    }
    if (billi_csv_finish(c, collect, &s) != BILL_OK) {
        billi_csv_free(c);
        return "(finish failed)";
    }
    billi_csv_free(c);
    return s.buf;
}

static const char *parse(const char *text)
{
    return parse_lim(text, strlen(text), 0, NULL);
}

static void test_basic(void)
{
    CHECK_STR(parse("a,b,c\n1,2,3\n"), "1:a|b|c;2:1|2|3;");
    CHECK_STR(parse("a,b,c\r\n1,2,3\r\n"), "1:a|b|c;2:1|2|3;");
    CHECK_STR(parse("a,b\n1,2"), "1:a|b;2:1|2;");          /* no final line end */
    CHECK_STR(parse("a,b\r\n1,2"), "1:a|b;2:1|2;");
    CHECK_STR(parse(""), "");
    CHECK_STR(parse("\n\n"), "");                           /* blank lines are no records */
    CHECK_STR(parse("a\n\n\r\nb\n"), "1:a;4:b;");
    CHECK_STR(parse(",\n"), "1:|;");                        /* two empty fields */
    CHECK_STR(parse("a,b,\n"), "1:a|b|;");
    CHECK_STR(parse("a,b,"), "1:a|b|;");
    CHECK_STR(parse("\"\"\n"), "1:;");                      /* one empty quoted field is a record */
    CHECK_STR(parse(" a , b \n"), "1: a | b ;");            /* blanks are data */
}

static void test_quotes(void)
{
    CHECK_STR(parse("\"a,b\",c\n"), "1:a,b|c;");
    CHECK_STR(parse("\"say \"\"hi\"\"\",x\n"), "1:say \"hi\"|x;");
    CHECK_STR(parse("\"\"\"\"\n"), "1:\";");
    CHECK_STR(parse("\"line1\nline2\",x\ny,z\n"), "1:line1\nline2|x;3:y|z;");
    CHECK_STR(parse("\"cr\r\nlf\"\r\nnext\r\n"), "1:cr\r\nlf;3:next;");
    CHECK_STR(parse("\"\",\"\"\n"), "1:|;");
    CHECK_STR(parse("a,\"b\"\r\n"), "1:a|b;");
    CHECK_STR(parse("\"quoted\""), "1:quoted;");
}

static void test_bom_utf8(void)
{
    CHECK_STR(parse("\xEF\xBB\xBFmeter,kwh\n"), "1:meter|kwh;");
    CHECK_STR(parse("\xEF\xBB\xBF"), "");
    CHECK_STR(parse("\xEF\xBB"), "E1:line 1, column 1: invalid UTF-8;");
    CHECK_STR(parse("ab"), "1:ab;");                        /* shorter than a BOM */
    CHECK_STR(parse("x,\xE5\x8C\x97\xE4\xBA\xAC\n"), "1:x|\xE5\x8C\x97\xE4\xBA\xAC;");
    /* a BOM later in the text is data (valid UTF-8), not skipped */
    CHECK_STR(parse("a\n\xEF\xBB\xBF" "b\n"), "1:a;2:\xEF\xBB\xBF" "b;");
    CHECK_STR(parse("a,\xFF\nb\n"), "E1:line 1, column 2: invalid UTF-8;2:b;");
    CHECK_STR(parse("a,\"\xC3(\"\nb\n"), "E1:line 1, column 2: invalid UTF-8;2:b;");
    CHECK_STR(parse("\xED\xA0\x80\n"), "E1:line 1, column 1: invalid UTF-8;");  /* a surrogate */
}

static void test_errors(void)
{
    CHECK_STR(parse("a,b\"c,d\ne,f\n"),
              "E1:line 1, column 2: stray quote in an unquoted field (quote the whole field and double the quote);2:e|f;");
    CHECK_STR(parse("a,\"b\"c\nd\n"), "E1:line 1, column 2: text after the closing quote of a field;2:d;");
    CHECK_STR(parse("a\rb\nc\n"), "E1:line 1, column 1: carriage return not followed by a line feed;2:c;");
    CHECK_STR(parse("a\r"), "E1:line 1, column 1: carriage return not followed by a line feed;");
    CHECK_STR(parse("ok\n\"open,\nmore\n"),
              "1:ok;E2:line 4, column 1: unterminated quote (the quoted field opened on line 2);");
    CHECK_STR(parse("x\ny,\"z"), "1:x;E2:line 2, column 2: unterminated quote (the quoted field opened on line 2);");
    /* the first error of a record is the one reported */
    CHECK_STR(parse("a\"b,\xFF\n"),
              "E1:line 1, column 1: stray quote in an unquoted field (quote the whole field and double the quote);");
}

static void test_limits(void)
{
    billi_csv_limits lim = {4, 20, 3};
    CHECK_STR(parse_lim("abcd,e\n", 7, 0, &lim), "1:abcd|e;");
    CHECK_STR(parse_lim("abcde,f\ng\n", 10, 0, &lim), "E1:line 1, column 1: field longer than 4 bytes;2:g;");
    CHECK_STR(parse_lim("\"ab\"\"cd\"\ng\n", 11, 0, &lim), "E1:line 1, column 1: field longer than 4 bytes;2:g;");
    CHECK_STR(parse_lim("abcde,f\ng\n", 10, 1, &lim), "E1:line 1, column 1: field longer than 4 bytes;2:g;");
    CHECK_STR(parse_lim("a,b,c\n", 6, 0, &lim), "1:a|b|c;");
    CHECK_STR(parse_lim("a,b,c,d\nx\n", 10, 0, &lim), "E1:line 1, column 4: more than 3 fields;2:x;");
    billi_csv_limits lim3 = {0, 12, 0};
    CHECK_STR(parse_lim("abc,abc,abc\nabcd,abcd,abc\nz\n", 28, 0, &lim3),
              "1:abc|abc|abc;E2:line 2, column 3: record longer than 12 bytes;3:z;");
    CHECK_STR(parse_lim("abc,abc,abc\nabcd,abcd,abc\nz\n", 28, 1, &lim3),
              "1:abc|abc|abc;E2:line 2, column 3: record longer than 12 bytes;3:z;");
    const char *r;
    /* a huge quoted field in small chunks does not grow memory past the limits */
    static char big[200000];
    big[0] = '"';
    memset(big + 1, 'x', sizeof big - 3);
    big[sizeof big - 2] = '"';
    big[sizeof big - 1] = '\n';
    billi_csv_limits lim2 = {100, 1000, 0};
    r = parse_lim(big, sizeof big, 4096, &lim2);
    CHECK(strncmp(r, "E1:line 1, column 1: field longer than 100 bytes", 48) == 0);
}

/* The same sample split at every byte position, and fed byte by byte, reads the same. */
static void test_chunk_boundaries(void)
{
    static const char sample[] =
        "\xEF\xBB\xBFmeter_serial,register,read_at,value,kind\r\n"
        "M-1,total,2026-01-31,12345.6,actual\r\n"
        "\"M,2\",\"t\"\"ou\",2026-01-31T08:00,\"9\n9\",estimated\n"
        "\n"
        "\xE5\x8C\x97\xE4\xBA\xAC,x,\"\",1,\r\n"
        "bad\"q,1\n"
        "\"a\"b\r\n"
        "c\rd\n"
        "\"\xC3\",1\n"
        "last,\"row\"";
    size_t n = sizeof sample - 1;
    char whole[8192];
    snprintf(whole, sizeof whole, "%s", parse_lim(sample, n, 0, NULL));
    CHECK(strstr(whole, "1:meter_serial|register|read_at|value|kind;") == whole);
    CHECK(strstr(whole, "3:M,2|t\"ou|2026-01-31T08:00|9\n9|estimated;") != NULL);
    CHECK(strstr(whole, "6:\xE5\x8C\x97\xE4\xBA\xAC|x||1|;") != NULL);
    CHECK(strstr(whole, "E7:line 7, column 1: stray quote") != NULL);
    CHECK(strstr(whole, "E8:line 8, column 1: text after the closing quote") != NULL);
    CHECK(strstr(whole, "E9:line 9, column 1: carriage return") != NULL);
    CHECK(strstr(whole, "E10:line 10, column 1: invalid UTF-8") != NULL);
    CHECK(strstr(whole, "11:last|row;") != NULL);
    int same = 1;
    for (size_t cut = 1; cut < n; cut++) {
        static sink s;
        memset(&s, 0, sizeof s);
        billi_csv *c = NULL;
        if (billi_csv_create(&c, NULL) != BILL_OK)
            same = 0;
        else {
            billi_csv_feed(c, sample, cut, collect, &s);
            billi_csv_feed(c, sample + cut, n - cut, collect, &s);
            billi_csv_finish(c, collect, &s);
            billi_csv_free(c);
        }
        if (strcmp(s.buf, whole) != 0) {
            same = 0;
            TEST_FAIL_("split at %zu: %s", cut, s.buf);
            break;
        }
    }
    CHECK(same);
    CHECK_STR(parse_lim(sample, n, 1, NULL), whole);
    CHECK_STR(parse_lim(sample, n, 3, NULL), whole);
    CHECK_STR(parse_lim(sample, n, 7, NULL), whole);
}

static void test_stop_and_state(void)
{
    sink s;
    memset(&s, 0, sizeof s);
    s.stop_after = 1;
    billi_csv *c = NULL;
    CHECK_INT(billi_csv_create(&c, NULL), BILL_OK);
    CHECK_INT(billi_csv_feed(c, "a\nb\nc\n", 6, collect, &s), BILL_ERULE);
    CHECK_STR(s.buf, "1:a;");
    CHECK_INT(billi_csv_feed(c, "d\n", 2, collect, &s), BILL_ESTATE);
    CHECK_INT(billi_csv_finish(c, collect, &s), BILL_ESTATE);
    billi_csv_free(c);
    billi_csv_free(NULL);
    CHECK_INT(billi_csv_create(NULL, NULL), BILL_EINVAL);

    /* finish, then no more */
    memset(&s, 0, sizeof s);
    CHECK_INT(billi_csv_create(&c, NULL), BILL_OK);
    CHECK_INT(billi_csv_feed(c, "x,y", 3, collect, &s), BILL_OK);
    CHECK_STR(s.buf, "");
    CHECK_INT(billi_csv_finish(c, collect, &s), BILL_OK);
    CHECK_STR(s.buf, "1:x|y;");
    CHECK_INT(billi_csv_feed(c, "z", 1, collect, &s), BILL_ESTATE);
    billi_csv_free(c);
}

static int count_fn(void *ctx, const billi_csv_record *rec)
{
    struct { int n; int ok; } *cnt = ctx;
    char want[64];
    snprintf(want, sizeof want, "M-%d", cnt->n);
    if (rec->status != BILL_OK || rec->nfields != 5 || rec->line != (uint64_t)cnt->n + 1 ||
        rec->fields[0].len != strlen(want) || memcmp(rec->fields[0].ptr, want, strlen(want)) != 0)
        cnt->ok = 0;
    cnt->n++;
    return BILL_OK;
}

static void test_file(void)
{
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f)
        return;
    /* more than one read block, so the file reader carries records across reads */
    for (int i = 0; i < 30000; i++)
        fprintf(f, "M-%d,total,2026-01-31,%d.5,actual\r\n", i, i);
    rewind(f);
    struct { int n; int ok; } cnt = {0, 1};
    billi_csv *c = NULL;
    CHECK_INT(billi_csv_create(&c, NULL), BILL_OK);
    CHECK_INT(billi_csv_read_file(c, f, count_fn, &cnt), BILL_OK);
    CHECK_INT(cnt.n, 30000);
    CHECK(cnt.ok);
    CHECK_INT(billi_csv_lines(c), 30001);
    billi_csv_free(c);
    fclose(f);
}

static void test_header(void)
{
    static const billi_csv_column cols[] = {
        {"meter_serial", 1}, {"value", 1}, {"source", 0},
    };
    int idx[3];
    billi_csv_field f1[] = {{"value", 5}, {"meter_serial", 12}};
    billi_csv_record hdr = {1, 0, 2, f1, BILL_OK, ""};
    CHECK_INT(billi_csv_map_header(idx, cols, 3, &hdr, "t"), BILL_OK);
    CHECK_INT(idx[0], 1);
    CHECK_INT(idx[1], 0);
    CHECK_INT(idx[2], -1);
    billi_csv_field f2[] = {{"value", 5}};
    billi_csv_record h2 = {1, 0, 1, f2, BILL_OK, ""};
    CHECK_INT(billi_csv_map_header(idx, cols, 3, &h2, "t"), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t: header on line 1: required column 'meter_serial' is missing");
    billi_csv_field f3[] = {{"meter_serial", 12}, {"value", 5}, {"vlaue", 5}};
    billi_csv_record h3 = {2, 0, 3, f3, BILL_OK, ""};
    CHECK_INT(billi_csv_map_header(idx, cols, 3, &h3, "t"), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t: header on line 2, column 3: unknown column 'vlaue' (known: meter_serial, value, source)");
    billi_csv_field f4[] = {{"meter_serial", 12}, {"value", 5}, {"value", 5}};
    billi_csv_record h4 = {1, 0, 3, f4, BILL_OK, ""};
    CHECK_INT(billi_csv_map_header(idx, cols, 3, &h4, "t"), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t: header on line 1, column 3: column 'value' given twice (first in column 2)");
}

void suite_csv(void)
{
    test_current = "csv_basic";
    test_basic();
    test_current = "csv_quotes";
    test_quotes();
    test_current = "csv_bom_utf8";
    test_bom_utf8();
    test_current = "csv_errors";
    test_errors();
    test_current = "csv_limits";
    test_limits();
    test_current = "csv_chunk_boundaries";
    test_chunk_boundaries();
    test_current = "csv_stop_and_state";
    test_stop_and_state();
    test_current = "csv_file";
    test_file();
    test_current = "csv_header";
    test_header();
}
