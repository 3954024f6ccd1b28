/* Tests for the internal JSON reader (libbill/json.c). */
#include "test.h"
#include "../../libbill/json.h"

/* ---- helpers ------------------------------------------------------------------ */

static billi_json_doc *parse_ok(const char *text)
{
    billi_json_doc *doc = NULL;
    int rc = billi_json_parse(&doc, text, strlen(text), "t.json");
    if (rc != BILL_OK)
        TEST_FAIL_("parse failed: %s (input %.60s)", bill_errmsg(), text);
    else
        test_passed++;
    return doc;
}

/* Parse text (len bytes), expecting failure with `code`; the message, or "". */
static const char *parse_err_len(const char *text, size_t len, int code)
{
    static char msg[BILLI_ERRMSG_MAX];
    billi_json_doc *doc = NULL;
    int rc = billi_json_parse(&doc, text, len, "t.json");
    if (rc != code)
        TEST_FAIL_("parse of %.60s returned %s, expected %s (%s)", text, bill_status_name(rc),
                   bill_status_name(code), rc ? bill_errmsg() : "");
    else
        test_passed++;
    CHECK(doc == NULL);
    billi_json_free(doc);
    snprintf(msg, sizeof msg, "%s", rc == code ? bill_errmsg() : "");
    return msg;
}

static const char *parse_err(const char *text, int code)
{
    return parse_err_len(text, strlen(text), code);
}

#define CHECK_REJECT(text, want) CHECK_STR(parse_err((text), BILL_ESYNTAX), (want))
#define CHECK_PREFIX(got, prefix)                                                        \
    do {                                                                                 \
        const char *gp_ = (got), *wp_ = (prefix);                                        \
        if (strncmp(gp_, wp_, strlen(wp_)) == 0) test_passed++;                          \
        else TEST_FAIL_("\"%s\" does not start with \"%s\"", gp_, wp_);                  \
    } while (0)

static const char *path_of(const billi_json_node *n)
{
    static char buf[512];
    billi_json_path(n, buf, sizeof buf);
    return buf;
}

static const char *dec_text(const bill_dec *d)
{
    static char buf[128];
    bill_dec_format(d, buf, sizeof buf);
    return buf;
}

/* ---- valid documents ---------------------------------------------------------------- */

static const char tariff_json[] =
    "{\n"
    "  \"format\": \"libbill-tariff/1\",\n"
    "  \"id\": \"cn-js-residential-annual\",\n"
    "  \"currency\": \"CNY\",\n"
    "  \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2},\n"
    "  \"vat_rate\": \"0.13\",\n"
    "  \"versions\": [\n"
    "    {\n"
    "      \"effective\": \"2024-01-01\",\n"
    "      \"charges\": [\n"
    "        {\"id\": \"energy\", \"type\": \"energy\",\n"
    "         \"components\": [{\"name\": \"purchase\", \"price\": 0.35000, \"tou\": true},\n"
    "                        {\"name\": \"transmission\", \"price\": \"0.1283\"}],\n"
    "         \"tiers\": {\"thresholds\": [\"3120\", 4800], \"increments\": [0, 0.05, 0.30]}},\n"
    "        {\"id\": \"service\", \"type\": \"fixed\", \"amount\": 5.00, \"note\": null}\n"
    "      ],\n"
    "      \"schedules\": {\"res-2\": {\"granularity\": 30, \"months\": [1, 2, 12]}}\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void test_tariff_document(void)
{
    billi_json_doc *doc = parse_ok(tariff_json);
    if (!doc)
        return;
    const billi_json_node *root = billi_json_root(doc);
    CHECK_INT(billi_json_typeof(root), BILLI_JSON_OBJECT);
    CHECK_INT(billi_json_size(root), 6);
    CHECK_STR(billi_json_source(doc), "t.json");
    CHECK_STR(billi_json_string(billi_json_find(root, "format"), NULL), "libbill-tariff/1");
    CHECK_STR(billi_json_string(billi_json_find(root, "vat_rate"), NULL), "0.13");

    const billi_json_node *v0 = billi_json_at(billi_json_find(root, "versions"), 0);
    const billi_json_node *charges = billi_json_find(v0, "charges");
    CHECK_INT(billi_json_typeof(charges), BILLI_JSON_ARRAY);
    CHECK_INT(billi_json_size(charges), 2);
    const billi_json_node *energy = billi_json_at(charges, 0);
    const billi_json_node *comp0 = billi_json_at(billi_json_find(energy, "components"), 0);
    const billi_json_node *price = billi_json_find(comp0, "price");
    size_t len = 0;
    CHECK_STR(billi_json_number(price, &len), "0.35000");
    CHECK_INT(len, 7);
    CHECK_STR(path_of(price), "$.versions[0].charges[0].components[0].price");
    CHECK_INT(billi_json_line(price), 12);
    CHECK_INT(billi_json_col(price), 55);
    CHECK_INT(billi_json_key_line(price), 12);
    CHECK_INT(billi_json_key_col(price), 46);
    CHECK_INT(billi_json_bool(billi_json_find(comp0, "tou")), 1);

    const billi_json_node *inc = billi_json_find(billi_json_find(energy, "tiers"), "increments");
    CHECK_STR(billi_json_number(billi_json_at(inc, 2), NULL), "0.30");
    CHECK_STR(path_of(billi_json_at(inc, 2)),
              "$.versions[0].charges[0].tiers.increments[2]");
    const billi_json_node *th = billi_json_find(billi_json_find(energy, "tiers"), "thresholds");
    CHECK_INT(billi_json_typeof(billi_json_at(th, 0)), BILLI_JSON_STRING);
    CHECK_INT(billi_json_typeof(billi_json_at(th, 1)), BILLI_JSON_NUMBER);

    const billi_json_node *service = billi_json_at(charges, 1);
    CHECK_STR(billi_json_number(billi_json_find(service, "amount"), NULL), "5.00");
    CHECK(billi_json_is_null(billi_json_find(service, "note")));
    CHECK(billi_json_find(service, "missing") == NULL);

    const billi_json_node *gran =
        billi_json_find(billi_json_find(billi_json_find(v0, "schedules"), "res-2"), "granularity");
    CHECK_STR(path_of(gran), "$.versions[0].schedules[\"res-2\"].granularity");
    CHECK_STR(billi_json_number(gran, NULL), "30");
    billi_json_free(doc);
}

static void test_top_level_values(void)
{
    static const struct { const char *text; int type; } cases[] = {
        {"true", BILLI_JSON_BOOL},     {"false", BILLI_JSON_BOOL},   {"null", BILLI_JSON_NULL},
        {"0", BILLI_JSON_NUMBER},      {"-12.5e+3", BILLI_JSON_NUMBER},
        {"\"\"", BILLI_JSON_STRING},   {" [ ] ", BILLI_JSON_ARRAY},  {"{}", BILLI_JSON_OBJECT},
        {"\t\r\n [ 1 , 2 ]\r\n", BILLI_JSON_ARRAY},
        {"[[], {}, [[]], {\"a\": {}}]", BILLI_JSON_ARRAY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        billi_json_doc *doc = parse_ok(cases[i].text);
        CHECK_INT(billi_json_typeof(billi_json_root(doc)), cases[i].type);
        CHECK_STR(path_of(billi_json_root(doc)), "$");
        billi_json_free(doc);
    }
    billi_json_doc *doc = parse_ok("false");
    CHECK_INT(billi_json_bool(billi_json_root(doc)), 0);
    CHECK_INT(billi_json_node_count(doc), 1);
    billi_json_free(doc);

    /* the length is respected: no NUL needed, bytes after it are ignored */
    CHECK_OK(billi_json_parse(&doc, "[1]garbage", 3, NULL));
    CHECK_INT(billi_json_size(billi_json_root(doc)), 1);
    CHECK_STR(billi_json_source(doc), "<json>");
    billi_json_free(doc);
    /* (size_t)-1: NUL-terminated */
    CHECK_OK(billi_json_parse(&doc, "{\"a\": [true]}", (size_t)-1, "x"));
    CHECK_INT(billi_json_node_count(doc), 3);
    billi_json_free(doc);
}

static void test_numbers_keep_their_text(void)
{
    static const char *const nums[] = {
        "0.52830", "1e-7", "-0", "1E+3", "0", "-0.0e-0", "12345678901234567890123456789",
        "1.0E10", "0.000", "-123.456e789", "100",
    };
    char text[512] = "[";
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        strcat(text, i ? ", " : "");
        strcat(text, nums[i]);
    }
    strcat(text, "]");
    billi_json_doc *doc = parse_ok(text);
    const billi_json_node *a = billi_json_root(doc);
    CHECK_INT(billi_json_size(a), sizeof nums / sizeof nums[0]);
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        size_t len = 0;
        CHECK_STR(billi_json_number(billi_json_at(a, i), &len), nums[i]);
        CHECK_INT(len, strlen(nums[i]));
        CHECK(billi_json_string(billi_json_at(a, i), NULL) == NULL);
    }
    billi_json_free(doc);

    /* numbers become decimals exactly, scale included */
    doc = parse_ok("{\"a\": 0.52830, \"b\": 1e-7, \"c\": \"0.52830\", \"d\": 1.5E+3}");
    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(billi_json_get_dec(billi_json_root(doc), "a", 1, &d));
    CHECK_STR(dec_text(&d), "0.52830");
    CHECK_INT(bill_dec_scale(&d), 5);
    CHECK_OK(billi_json_get_dec(billi_json_root(doc), "b", 1, &d));
    CHECK_STR(dec_text(&d), "0.0000001");
    CHECK_OK(billi_json_get_dec(billi_json_root(doc), "c", 1, &d));
    CHECK_STR(dec_text(&d), "0.52830");
    CHECK_OK(billi_json_get_dec(billi_json_root(doc), "d", 1, &d));
    CHECK_STR(dec_text(&d), "1500");
    bill_dec_clear(&d);
    billi_json_free(doc);
}

static void test_strings_and_escapes(void)
{
    billi_json_doc *doc = parse_ok(
        "[\"\\u00e9\", \"\\u20AC\", \"\\uD83D\\uDE00\", \"a\\u0000b\", "
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\", "
        "\"x\\u0041y\\u00C9z\", \"\\uDBFF\\uDFFF\", \"\\u0800\\u07FF\\u007F\", \"\"]");
    const billi_json_node *a = billi_json_root(doc);
    size_t len = 0;
    CHECK_STR(billi_json_string(billi_json_at(a, 0), &len), "\xC3\xA9");
    CHECK_INT(len, 2);
    CHECK_STR(billi_json_string(billi_json_at(a, 1), &len), "\xE2\x82\xAC");
    CHECK_INT(len, 3);
    CHECK_STR(billi_json_string(billi_json_at(a, 2), &len), "\xF0\x9F\x98\x80");
    CHECK_INT(len, 4);
    const char *s = billi_json_string(billi_json_at(a, 3), &len);
    CHECK_INT(len, 3);
    CHECK(s && memcmp(s, "a\0b", 4) == 0);
    CHECK_STR(billi_json_string(billi_json_at(a, 4), &len), "\"\\/\b\f\n\r\t");
    CHECK_INT(len, 8);
    CHECK_STR(billi_json_string(billi_json_at(a, 5), NULL),
              "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CHECK_STR(billi_json_string(billi_json_at(a, 6), NULL), "xAy\xC3\x89z");
    CHECK_STR(billi_json_string(billi_json_at(a, 7), NULL), "\xF4\x8F\xBF\xBF");
    CHECK_STR(billi_json_string(billi_json_at(a, 8), NULL), "\xE0\xA0\x80\xDF\xBF\x7F");
    CHECK_STR(billi_json_string(billi_json_at(a, 9), &len), "");
    CHECK_INT(len, 0);
    CHECK(billi_json_number(billi_json_at(a, 0), NULL) == NULL);
    billi_json_free(doc);

    /* keys are decoded too */
    doc = parse_ok("{\"\\u0070rice\": 1, \"a\\u0000b\": 2, \"a\": 3}");
    CHECK(billi_json_find(billi_json_root(doc), "price") != NULL);
    CHECK_STR(billi_json_number(billi_json_findn(billi_json_root(doc), "a\0b", 3), NULL), "2");
    CHECK_STR(billi_json_number(billi_json_find(billi_json_root(doc), "a"), NULL), "3");
    CHECK_STR(path_of(billi_json_at(billi_json_root(doc), 1)), "$[\"a\\u0000b\"]");
    billi_json_free(doc);
}

/* ---- rejections: every message names line, column and path ---------------------------- */

static void test_reject_structure(void)
{
    CHECK_REJECT("", "t.json:1:1: empty document (at $)");
    CHECK_REJECT("  \n  ", "t.json:2:3: empty document (at $)");
    CHECK_REJECT("[1,2,]", "t.json:1:5: trailing comma before ']' (at $)");
    CHECK_REJECT("{\"a\":1,}", "t.json:1:7: trailing comma before '}' (at $)");
    CHECK_REJECT("{\"a\": [1,\n  ]}", "t.json:1:9: trailing comma before ']' (at $.a)");
    CHECK_REJECT("[1,,2]", "t.json:1:4: expected a value, found ',' (at $[1])");
    CHECK_REJECT("[,]", "t.json:1:2: expected a value, found ',' (at $[0])");
    CHECK_REJECT("{,}", "t.json:1:2: expected a string key or '}', found ',' (at $)");
    CHECK_REJECT("{\"a\":1,,}", "t.json:1:8: expected a string key, found ',' (at $)");
    CHECK_REJECT("{\"a\":}", "t.json:1:6: expected a value, found '}' (at $.a)");
    CHECK_REJECT("[1 2]", "t.json:1:4: expected ',' or ']' after element 0, found '2' (at $)");
    CHECK_REJECT("{\"a\":1 \"b\":2}",
                 "t.json:1:8: expected ',' or '}' after member 'a', found '\"' (at $)");
    CHECK_REJECT("{\"a\" 1}", "t.json:1:6: expected ':' after key 'a' (at $)");
    CHECK_REJECT("{\"a\"}", "t.json:1:5: expected ':' after key 'a' (at $)");
    CHECK_REJECT("[", "t.json:1:2: unexpected end of input: array opened at 1:1 is not closed (at $[0])");
    CHECK_REJECT("{", "t.json:1:2: unexpected end of input: object opened at 1:1 is not closed (at $)");
    CHECK_REJECT("{\"a\":[1,2",
                 "t.json:1:10: unexpected end of input: array opened at 1:6 is not closed (at $.a)");
    CHECK_REJECT("{\"a\":",
                 "t.json:1:6: unexpected end of input: object opened at 1:1 is not closed (at $.a)");
    CHECK_REJECT("[1]]", "t.json:1:4: unexpected ']' after the end of the document (at $)");
    CHECK_REJECT("{\"a\":1}x", "t.json:1:8: unexpected 'x' after the end of the document (at $)");
    CHECK_REJECT("1 2", "t.json:1:3: unexpected '2' after the end of the document (at $)");
    CHECK_REJECT("{} {}", "t.json:1:4: unexpected '{' after the end of the document (at $)");
    CHECK_REJECT("]", "t.json:1:1: expected a value, found ']' (at $)");
    CHECK_REJECT("[1}", "t.json:1:3: expected ',' or ']' after element 0, found '}' (at $)");
    CHECK_REJECT("{\"a\":1]", "t.json:1:7: expected ',' or '}' after member 'a', found ']' (at $)");
    CHECK_STR(parse_err_len("1\0", 2, BILL_ESYNTAX),
              "t.json:1:2: unexpected U+0000 after the end of the document (at $)");
}

static void test_reject_extensions(void)
{
    CHECK_REJECT("// comment\n1", "t.json:1:1: comments are not allowed in JSON (at $)");
    CHECK_REJECT("[1, /* c */ 2]", "t.json:1:5: comments are not allowed in JSON (at $[1])");
    CHECK_REJECT("[1 // c\n]", "t.json:1:4: comments are not allowed in JSON (at $)");
    CHECK_REJECT("{# c\n}", "t.json:1:2: comments are not allowed in JSON (at $)");
    CHECK_REJECT("{'a': 1}", "t.json:1:2: strings must be in double quotes, not single quotes (at $)");
    CHECK_REJECT("['a']", "t.json:1:2: strings must be in double quotes, not single quotes (at $[0])");
    CHECK_REJECT("{a: 1}", "t.json:1:2: object keys must be strings in double quotes (at $)");
    CHECK_REJECT("[hello]",
                 "t.json:1:2: invalid value 'hello' (strings must be in double quotes) (at $[0])");
    CHECK_REJECT("[True]",
                 "t.json:1:2: invalid literal 'True' (expected true, false or null) (at $[0])");
    CHECK_REJECT("[tru]", "t.json:1:2: invalid literal 'tru' (expected true, false or null) (at $[0])");
    CHECK_REJECT("[truex]",
                 "t.json:1:2: invalid literal 'truex' (expected true, false or null) (at $[0])");
    CHECK_REJECT("{\"a\": None}",
                 "t.json:1:7: invalid literal 'None' (expected true, false or null) (at $.a)");
    CHECK_REJECT("nul", "t.json:1:1: invalid literal 'nul' (expected true, false or null) (at $)");
    CHECK_REJECT("NaN", "t.json:1:1: 'NaN' is not allowed: JSON has no NaN or Infinity (at $)");
    CHECK_REJECT("[Infinity]",
                 "t.json:1:2: 'Infinity' is not allowed: JSON has no NaN or Infinity (at $[0])");
    CHECK_REJECT("-Infinity", "t.json:1:1: JSON has no NaN or Infinity (at $)");
}

static void test_reject_numbers(void)
{
    CHECK_REJECT("01", "t.json:1:1: leading zeros are not allowed in numbers ('01') (at $)");
    CHECK_REJECT("[-007]", "t.json:1:2: leading zeros are not allowed in numbers ('-007') (at $[0])");
    CHECK_REJECT("1.", "t.json:1:3: expected a digit after the decimal point (at $)");
    CHECK_REJECT("[1.e5]", "t.json:1:4: expected a digit after the decimal point (at $[0])");
    CHECK_REJECT(".5", "t.json:1:1: a number must start with a digit, not '.' (at $)");
    CHECK_REJECT("+1", "t.json:1:1: a number must not start with '+' (at $)");
    CHECK_REJECT("1e", "t.json:1:3: expected a digit in the exponent (at $)");
    CHECK_REJECT("1E+", "t.json:1:4: expected a digit in the exponent (at $)");
    CHECK_REJECT("-", "t.json:1:2: expected a digit after '-' (at $)");
    CHECK_REJECT("- 1", "t.json:1:2: expected a digit after '-' (at $)");
    CHECK_REJECT("0x1F", "t.json:1:1: invalid number '0x1F' (at $)");
    CHECK_REJECT("1.2.3", "t.json:1:1: invalid number '1.2.3' (at $)");
    CHECK_REJECT("[1e5e5]", "t.json:1:2: invalid number '1e5e5' (at $[0])");
    CHECK_REJECT("{\"p\": 12abc}", "t.json:1:7: invalid number '12abc' (at $.p)");
    CHECK_REJECT("1-2", "t.json:1:1: invalid number '1-2' (at $)");
}

static void test_reject_strings(void)
{
    CHECK_REJECT("\"abc", "t.json:1:1: unterminated string (at $)");
    CHECK_REJECT("[\"abc\\\"]", "t.json:1:2: unterminated string (at $[0])");
    CHECK_REJECT("\"abc\\", "t.json:1:1: unterminated string (at $)");
    CHECK_REJECT("[\"a\tb\"]",
                 "t.json:1:4: control character U+0009 in a string must be escaped "
                 "(\\n, \\t, \\u0009) (at $[0])");
    CHECK_REJECT("{\"a\": \"line\nbreak\"}",
                 "t.json:1:12: control character U+000A in a string must be escaped "
                 "(\\n, \\t, \\u000A) (at $.a)");
    CHECK_REJECT("\"\\x\"", "t.json:1:2: invalid escape in a string: '\\' followed by 'x' (at $)");
    CHECK_REJECT("\"\\U0041\"",
                 "t.json:1:2: invalid escape in a string: '\\' followed by 'U' (at $)");
    CHECK_REJECT("\"\\u12\"", "t.json:1:2: invalid escape '\\u12': \\u needs four hex digits (at $)");
    CHECK_REJECT("\"\\u12G4\"",
                 "t.json:1:2: invalid escape '\\u12G4': \\u needs four hex digits (at $)");
    CHECK_REJECT("[\"ab\\uD800\"]",
                 "t.json:1:5: lone surrogate \\uD800: a high surrogate must be followed by a low "
                 "one (\\uDC00-\\uDFFF) (at $[0])");
    CHECK_REJECT("\"\\uD83D\\u0041\"",
                 "t.json:1:2: lone surrogate \\uD83D: a high surrogate must be followed by a low "
                 "one (\\uDC00-\\uDFFF) (at $)");
    CHECK_REJECT("\"\\uD83D\\uD83D\"",
                 "t.json:1:2: lone surrogate \\uD83D: a high surrogate must be followed by a low "
                 "one (\\uDC00-\\uDFFF) (at $)");
    CHECK_REJECT("\"\\uDE00\"",
                 "t.json:1:2: lone surrogate \\uDE00: a low surrogate must follow a high one "
                 "(\\uD800-\\uDBFF) (at $)");
    CHECK_REJECT("{\"\\uDE00\": 1}",
                 "t.json:1:3: lone surrogate \\uDE00: a low surrogate must follow a high one "
                 "(\\uD800-\\uDBFF) (at $)");
}

static void test_reject_invalid_utf8(void)
{
    static const struct { const char *text; const char *msg; } cases[] = {
        {"\"a\xFF\"", "t.json:1:3: invalid UTF-8 in a string (byte 0xff) (at $)"},
        {"\"\x80\"", "t.json:1:2: invalid UTF-8 in a string (byte 0x80) (at $)"},
        {"\"\xC0\x80\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xc0) (at $)"},   /* overlong NUL */
        {"\"\xE0\x80\xAF\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xe0) (at $)"}, /* overlong */
        {"\"\xED\xA0\x80\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xed) (at $)"}, /* surrogate */
        {"\"\xF4\x90\x80\x80\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xf4) (at $)"},
        {"\"\xF5\x80\x80\x80\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xf5) (at $)"},
        {"\"\xE2\x82\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xe2) (at $)"}, /* truncated */
        {"\"\xC3\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xc3) (at $)"},
        {"\"\xF0\x9F\x98\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xf0) (at $)"},
        {"\"\xF0\x8F\xBF\xBF\"", "t.json:1:2: invalid UTF-8 in a string (byte 0xf0) (at $)"},
        {"{\"\xC3\xA9\": \"\xE2\x82\xAC\xFF\"}",
         "t.json:1:9: invalid UTF-8 in a string (byte 0xff) (at $[\"\xC3\xA9\"])"},
        {"[\xFF]", "t.json:1:2: expected a value, found byte 0xff (invalid UTF-8) (at $[0])"},
        {"[\xC3\xA9]", "t.json:1:2: expected a value, found U+00E9 '\xC3\xA9' (at $[0])"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_REJECT(cases[i].text, cases[i].msg);
}

static void test_duplicate_keys(void)
{
    CHECK_REJECT("{\"a\":1,\"b\":2,\"a\":3}", "t.json:1:14: duplicate key 'a' (first at 1:2) (at $)");
    CHECK_REJECT("{\"a\":1,\"\\u0061\":2}", "t.json:1:8: duplicate key 'a' (first at 1:2) (at $)");
    CHECK_REJECT("{\"x\": {\"p\": 1,\n        \"p\": 2}}",
                 "t.json:2:9: duplicate key 'p' (first at 1:8) (at $.x)");
    /* the same key in different objects is fine; keys compare as bytes */
    billi_json_doc *doc = parse_ok("[{\"a\":1}, {\"a\":2}, {\"a\": {\"a\": 3}}, "
                                   "{\"a\":1, \"A\":2, \"a \":3, \"a\\u0000\":4}]");
    billi_json_free(doc);

    /* large objects: duplicates beyond the first members are found by sorting */
    char *text = malloc(100 * 32);
    char *w = text;
    w += sprintf(w, "{\n");
    for (int i = 0; i < 100; i++)
        w += sprintf(w, "  \"k%d\": %d%s\n", i, i, i < 99 ? "," : "");
    sprintf(w, "}");
    doc = parse_ok(text);
    CHECK_INT(billi_json_size(billi_json_root(doc)), 100);
    CHECK_STR(billi_json_number(billi_json_find(billi_json_root(doc), "k73"), NULL), "73");
    billi_json_free(doc);
    /* member 50 repeats k20, member 70 repeats k3: the first repeat is reported */
    char *k50 = strstr(text, "\"k50\""), *k70 = strstr(text, "\"k70\"");
    memcpy(k50, "\"k20\"", 5);
    memcpy(k70, "\"k3\" ", 5);
    CHECK_REJECT(text, "t.json:52:3: duplicate key 'k20' (first at 22:3) (at $)");
    /* a repeat among the first members is found when it is read */
    char *k10 = strstr(text, "\"k10\"");
    memcpy(k10, "\"k1\" ", 5);
    CHECK_REJECT(text, "t.json:12:3: duplicate key 'k1' (first at 3:3) (at $)");
    free(text);
}

static void test_positions(void)
{
    /* the error names the innermost value being read */
    CHECK_REJECT("{\n"
                 "  \"tariff\": {\n"
                 "    \"tiers\": [\n"
                 "      {\"price\": 1},\n"
                 "      {\"price\": 2},\n"
                 "      {\"price\": 03}\n"
                 "    ]\n"
                 "  }\n"
                 "}\n",
                 "t.json:6:17: leading zeros are not allowed in numbers ('03') "
                 "(at $.tariff.tiers[2].price)");
    /* columns count characters, not bytes; tabs count one */
    CHECK_REJECT("{\"\xE5\x90\x8D\xE5\x89\x8D\": tru}",
                 "t.json:1:8: invalid literal 'tru' (expected true, false or null) "
                 "(at $[\"\xE5\x90\x8D\xE5\x89\x8D\"])");
    CHECK_REJECT("[\t\"\xC3\xA9\xC3\xA9\", x]",
                 "t.json:1:9: invalid value 'x' (strings must be in double quotes) (at $[1])");
    /* CRLF line ends */
    CHECK_REJECT("{\r\n\"a\": x}",
                 "t.json:2:6: invalid value 'x' (strings must be in double quotes) (at $.a)");
    /* a byte-order mark is skipped and not counted */
    CHECK_REJECT("\xEF\xBB\xBF{\"a\": x}",
                 "t.json:1:7: invalid value 'x' (strings must be in double quotes) (at $.a)");
    CHECK_REJECT("\xEF\xBB\xBF", "t.json:1:1: empty document (at $)");
    CHECK_REJECT("[\xEF\xBB\xBF]",
                 "t.json:1:2: expected a value, found U+FEFF '\xEF\xBB\xBF' (at $[0])");
    billi_json_doc *doc = parse_ok("\xEF\xBB\xBF{\"a\": [true]}");
    CHECK_INT(billi_json_col(billi_json_root(doc)), 1);
    CHECK_INT(billi_json_col(billi_json_find(billi_json_root(doc), "a")), 7);
    billi_json_free(doc);

    /* node positions */
    doc = parse_ok("[\n  1,\n  {\"k\":\n     \"v\"}\n]");
    const billi_json_node *r = billi_json_root(doc);
    CHECK_INT(billi_json_line(r), 1);
    CHECK_INT(billi_json_col(r), 1);
    CHECK_INT(billi_json_line(billi_json_at(r, 0)), 2);
    CHECK_INT(billi_json_col(billi_json_at(r, 0)), 3);
    const billi_json_node *v = billi_json_find(billi_json_at(r, 1), "k");
    CHECK_INT(billi_json_line(v), 4);
    CHECK_INT(billi_json_col(v), 6);
    CHECK_INT(billi_json_key_line(v), 3);
    CHECK_INT(billi_json_key_col(v), 4);
    CHECK_INT(billi_json_key_line(billi_json_at(r, 0)), 0);
    billi_json_free(doc);
}

static void test_limits(void)
{
    char deep[300];
    /* 64 nested arrays are fine, 65 are not */
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    deep[128] = '\0';
    billi_json_doc *doc = parse_ok(deep);
    const billi_json_node *n = billi_json_root(doc);
    for (int i = 0; i < 63; i++)
        n = billi_json_at(n, 0);
    CHECK_INT(billi_json_typeof(n), BILLI_JSON_ARRAY);
    CHECK_INT(billi_json_size(n), 0);
    billi_json_free(doc);

    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    const char *msg = parse_err(deep, BILL_ERANGE);
    CHECK_PREFIX(msg, "t.json:1:65: nesting deeper than 64 arrays and objects (at $[0][0][0]");
    CHECK(strlen(msg) < BILLI_ERRMSG_MAX - 1);
    CHECK(strstr(msg, "...)") != NULL); /* the long path is shortened */

    /* objects count too, and a deep, unclosed document stops at the limit */
    char *objs = malloc(100 * 5 + 1);
    for (int i = 0; i < 100; i++)
        memcpy(objs + 5 * i, "{\"a\":", 5);
    objs[500] = '\0';
    msg = parse_err(objs, BILL_ERANGE);
    CHECK_PREFIX(msg, "t.json:1:321: nesting deeper than 64 arrays and objects (at $.a.a.a.a");
    objs[5 * 64] = '\0';
    msg = parse_err(objs, BILL_ESYNTAX);
    CHECK_PREFIX(msg, "t.json:1:321: unexpected end of input: object opened at 1:316 is not closed");
    free(objs);

    /* custom limits */
    billi_json_limits lim = {0, 2};
    CHECK_OK(billi_json_parse_limited(&doc, "[[1]]", 5, "t.json", &lim));
    billi_json_free(doc);
    CHECK_ERR(billi_json_parse_limited(&doc, "[[[1]]]", 7, "t.json", &lim), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "t.json:1:3: nesting deeper than 2 arrays and objects (at $[0][0])");
    lim.max_depth = 1000; /* clamped to BILLI_JSON_MAX_DEPTH */
    CHECK_ERR(billi_json_parse_limited(&doc, deep, strlen(deep), "t.json", &lim), BILL_ERANGE);
    lim.max_depth = 0;
    lim.max_bytes = 10;
    CHECK_OK(billi_json_parse_limited(&doc, "[1,2,3,45]", 10, "t.json", &lim));
    billi_json_free(doc);
    CHECK_ERR(billi_json_parse_limited(&doc, "[1,2,3,456]", 11, "t.json", &lim), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "t.json: document of 11 bytes is over the limit of 10 bytes");
    CHECK(doc == NULL);
}

/* ---- paths and navigation ---------------------------------------------------------------- */

static void test_paths(void)
{
    billi_json_doc *doc = parse_ok(
        "{\"a\": {\"b c\": [0, {\"\\\"q\\\"\": 1, \"\": 2, \"\xC3\xA9\": 3, \"_x9\": 4, "
        "\"9x\": 5, \"a\\nb\\\\\": 6, \"$\": 7, \"\\t\\r\\u001f\\u007f\": 8}]}}");
    const billi_json_node *o = billi_json_at(billi_json_find(billi_json_find(billi_json_root(doc),
                                                                             "a"), "b c"), 1);
    CHECK_STR(path_of(o), "$.a[\"b c\"][1]");
    CHECK_STR(path_of(billi_json_at(o, 0)), "$.a[\"b c\"][1][\"\\\"q\\\"\"]");
    CHECK_STR(path_of(billi_json_at(o, 1)), "$.a[\"b c\"][1][\"\"]");
    CHECK_STR(path_of(billi_json_at(o, 2)), "$.a[\"b c\"][1][\"\xC3\xA9\"]");
    CHECK_STR(path_of(billi_json_at(o, 3)), "$.a[\"b c\"][1]._x9");
    CHECK_STR(path_of(billi_json_at(o, 4)), "$.a[\"b c\"][1][\"9x\"]");
    CHECK_STR(path_of(billi_json_at(o, 5)), "$.a[\"b c\"][1][\"a\\nb\\\\\"]");
    CHECK_STR(path_of(billi_json_at(o, 6)), "$.a[\"b c\"][1][\"$\"]");
    CHECK_STR(path_of(billi_json_at(o, 7)), "$.a[\"b c\"][1][\"\\t\\r\\u001f\\u007f\"]");

    /* snprintf-like: the full length is returned, the text is cut to fit */
    const billi_json_node *x9 = billi_json_at(o, 3);
    char small[8];
    CHECK_INT(billi_json_path(x9, NULL, 0), strlen("$.a[\"b c\"][1]._x9"));
    CHECK_INT(billi_json_path(x9, small, sizeof small), strlen("$.a[\"b c\"][1]._x9"));
    CHECK_STR(small, "$.a[\"b ");
    CHECK_INT(billi_json_path(x9, small, 1), 17);
    CHECK_STR(small, "");
    CHECK_INT(billi_json_path(NULL, small, sizeof small), 0);
    CHECK_STR(small, "");
    billi_json_free(doc);

    /* a long path is shortened in messages, never inside a UTF-8 character */
    char text[400] = "{\"";
    for (int i = 0; i < 120; i++)
        strcat(text, "\xC3\xA9");
    strcat(text, "\": x}");
    const char *msg = parse_err(text, BILL_ESYNTAX);
    const char *dots = strstr(msg, "...)");
    CHECK(dots != NULL && dots[4] == '\0');
    CHECK(dots && dots > msg && (unsigned char)dots[-1] == 0xA9);
    CHECK_PREFIX(msg, "t.json:1:126: invalid value 'x' (strings must be in double quotes) "
                      "(at $[\"\xC3\xA9\xC3\xA9");

    /* parse errors inside such keys use the same notation */
    CHECK_REJECT("{\"a b\": {\"\": [1, x]}}",
                 "t.json:1:18: invalid value 'x' (strings must be in double quotes) "
                 "(at $[\"a b\"][\"\"][1])");
}

static void test_navigation(void)
{
    billi_json_doc *doc = parse_ok("{\"a\": [10, 20, {\"b\": null}], \"c\": \"s\"}");
    const billi_json_node *root = billi_json_root(doc);
    const billi_json_node *a = billi_json_find(root, "a");
    CHECK_INT(billi_json_node_count(doc), 7);
    CHECK(billi_json_parent(root) == NULL);
    CHECK(billi_json_parent(a) == root);
    CHECK(billi_json_at(root, 0) == a);
    CHECK_INT(billi_json_index(billi_json_find(root, "c")), 1);
    size_t klen = 0;
    CHECK_STR(billi_json_key(a, &klen), "a");
    CHECK_INT(klen, 1);
    CHECK(billi_json_key(billi_json_at(a, 1), &klen) == NULL);
    CHECK_INT(klen, 0);
    CHECK(billi_json_key(root, NULL) == NULL);
    for (size_t i = 0; i < billi_json_size(a); i++) {
        CHECK(billi_json_parent(billi_json_at(a, i)) == a);
        CHECK_INT(billi_json_index(billi_json_at(a, i)), i);
    }
    const billi_json_node *b = billi_json_find(billi_json_at(a, 2), "b");
    CHECK(billi_json_parent(billi_json_parent(b)) == a);
    CHECK(billi_json_doc_of(b) == doc);
    CHECK(billi_json_doc_of(root) == doc);
    CHECK_STR(path_of(b), "$.a[2].b");
    CHECK(billi_json_at(a, 3) == NULL);
    CHECK(billi_json_at(billi_json_at(a, 0), 0) == NULL);
    CHECK(billi_json_find(a, "0") == NULL);
    CHECK(billi_json_find(root, NULL) == NULL);
    CHECK_INT(billi_json_size(billi_json_find(root, "c")), 0);
    CHECK_STR(billi_json_type_name(billi_json_typeof(a)), "array");
    CHECK_STR(billi_json_type_name(BILLI_JSON_BOOL), "boolean");
    CHECK_STR(billi_json_type_name(42), "?");
    CHECK_INT(billi_json_bool(a), -1);

    /* NULL is "nothing" everywhere, so lookups chain */
    CHECK(billi_json_find(billi_json_find(root, "zz"), "yy") == NULL);
    CHECK_INT(billi_json_typeof(NULL), BILLI_JSON_NULL);
    CHECK_INT(billi_json_size(NULL), 0);
    CHECK(billi_json_at(NULL, 0) == NULL);
    CHECK(billi_json_string(NULL, NULL) == NULL);
    CHECK(billi_json_number(NULL, &klen) == NULL);
    CHECK_INT(billi_json_line(NULL), 0);
    CHECK(billi_json_doc_of(NULL) == NULL);
    CHECK(billi_json_root(NULL) == NULL);
    CHECK(!billi_json_is_null(NULL));
    billi_json_free(doc);
}

/* ---- getters ------------------------------------------------------------------------------- */

static const char getters_json[] =
    "{\n"
    "  \"id\": \"cn-js\",\n"                         /* line 2, value col 9 */
    "  \"price\": 0.52830,\n"                        /* 3, 12 */
    "  \"vat\": \"0.13\",\n"                         /* 4, 10 */
    "  \"n\": 5,\n"                                  /* 5, 8 */
    "  \"big\": 9223372036854775808,\n"              /* 6, 10 */
    "  \"neg\": -9223372036854775808,\n"             /* 7, 10 */
    "  \"frac\": 1.5,\n"                             /* 8, 11 */
    "  \"flag\": true,\n"                            /* 9, 11 */
    "  \"date\": \"2024-01-01\",\n"                  /* 10, 11 */
    "  \"bad_date\": \"2023-02-29\",\n"              /* 11, 15 */
    "  \"arr\": [1, \"x\"],\n"                       /* 12, 10 */
    "  \"obj\": {\"k\": null},\n"                    /* 13, 10 */
    "  \"exp\": 1e2,\n"                              /* 14, 10 */
    "  \"bad_dec\": \"1.2.3\",\n"                    /* 15, 14 */
    "  \"nul_str\": \"a\\u0000b\",\n"                /* 16, 14 */
    "  \"blank\": \" 1\",\n"                         /* 17, 12 */
    "  \"huge\": 123456789012345678901234567890\n"   /* 18, 11 */
    "}\n";

static void test_getters(void)
{
    billi_json_doc *doc = parse_ok(getters_json);
    const billi_json_node *o = billi_json_root(doc);
    bill_dec d = BILL_DEC_INIT;

    /* strings */
    const char *s = NULL;
    size_t len = 0;
    CHECK_OK(billi_json_get_string(o, "id", 1, &s, &len));
    CHECK_STR(s, "cn-js");
    CHECK_INT(len, 5);
    CHECK_OK(billi_json_get_string(o, "vat", 1, &s, NULL));
    CHECK_STR(s, "0.13");
    CHECK_ERR(billi_json_get_string(o, "n", 1, &s, &len), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:5:8: expected a string at $.n, found a number");
    CHECK_ERR(billi_json_get_string(o, "nul_str", 1, &s, &len), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(),
              "t.json:16:14: the string at $.nul_str contains a NUL character (\\u0000)");
    CHECK_STR(s, "0.13"); /* untouched on failure */
    s = "default";
    CHECK_OK(billi_json_get_string(o, "absent", 0, &s, &len));
    CHECK_STR(s, "default");
    CHECK_ERR(billi_json_get_string(o, "absent", 1, &s, &len), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:1:1: missing field 'absent' at $");

    /* decimals from numbers and strings */
    CHECK_OK(billi_json_get_dec(o, "price", 1, &d));
    CHECK_STR(dec_text(&d), "0.52830");
    CHECK_OK(billi_json_get_dec(o, "vat", 1, &d));
    CHECK_STR(dec_text(&d), "0.13");
    CHECK_OK(billi_json_get_dec(o, "exp", 1, &d));
    CHECK_STR(dec_text(&d), "100");
    CHECK_OK(billi_json_get_dec(o, "huge", 1, &d));
    CHECK_STR(dec_text(&d), "123456789012345678901234567890");
    CHECK_OK(billi_json_get_dec(o, "absent", BILLI_JSON_OPTIONAL, &d));
    CHECK_STR(dec_text(&d), "123456789012345678901234567890");
    CHECK_ERR(billi_json_get_dec(o, "absent", BILLI_JSON_REQUIRED, &d), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:1:1: missing field 'absent' at $");
    CHECK_ERR(billi_json_get_dec(o, "flag", 1, &d), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(),
              "t.json:9:11: expected a decimal (a number or a string) at $.flag, found a boolean");
    CHECK_ERR(billi_json_get_dec(o, "bad_dec", 1, &d), BILL_ESYNTAX);
    CHECK_PREFIX(bill_errmsg(), "t.json:15:14: invalid decimal '1.2.3' at $.bad_dec (decimal: ");
    CHECK_ERR(billi_json_get_dec(o, "id", 1, &d), BILL_ESYNTAX);
    CHECK_PREFIX(bill_errmsg(), "t.json:2:9: invalid decimal 'cn-js' at $.id (");
    CHECK_ERR(billi_json_get_dec(o, "blank", 1, &d), BILL_ESYNTAX);
    CHECK_PREFIX(bill_errmsg(), "t.json:17:12: invalid decimal ' 1' at $.blank (");
    CHECK_ERR(billi_json_get_dec(o, "nul_str", 1, &d), BILL_ESYNTAX);
    CHECK_PREFIX(bill_errmsg(), "t.json:16:14: invalid decimal 'a\\x00b' at $.nul_str (");
    CHECK_STR(dec_text(&d), "123456789012345678901234567890"); /* untouched */
    const billi_json_node *obj = NULL;
    CHECK_OK(billi_json_get_object(o, "obj", 1, &obj));
    CHECK_ERR(billi_json_get_dec(obj, "k", 1, &d), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(),
              "t.json:13:16: expected a decimal (a number or a string) at $.obj.k, found null");

    /* integers */
    int64_t i = 77;
    CHECK_OK(billi_json_get_int(o, "n", 1, 0, 10, &i));
    CHECK_INT(i, 5);
    CHECK_ERR(billi_json_get_int(o, "n", 1, 6, 10, &i), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "t.json:5:8: value 5 at $.n is out of range [6, 10]");
    CHECK_ERR(billi_json_get_int(o, "big", 1, INT64_MIN, INT64_MAX, &i), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "t.json:6:10: value 9223372036854775808 at $.big is out of range "
                             "[-9223372036854775808, 9223372036854775807]");
    CHECK_OK(billi_json_get_int(o, "neg", 1, INT64_MIN, INT64_MAX, &i));
    CHECK(i == INT64_MIN);
    CHECK_ERR(billi_json_get_int(o, "huge", 1, INT64_MIN, INT64_MAX, &i), BILL_ERANGE);
    CHECK_ERR(billi_json_get_int(o, "frac", 1, 0, 10, &i), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:8:11: expected an integer at $.frac, found 1.5");
    CHECK_ERR(billi_json_get_int(o, "exp", 1, 0, 1000, &i), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:14:10: expected an integer at $.exp, found 1e2");
    CHECK_ERR(billi_json_get_int(o, "id", 1, 0, 10, &i), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:2:9: expected an integer at $.id, found a string");
    i = 42;
    CHECK_OK(billi_json_get_int(o, "absent", 0, 0, 10, &i));
    CHECK_INT(i, 42);

    /* booleans */
    int flag = -5;
    CHECK_OK(billi_json_get_bool(o, "flag", 1, &flag));
    CHECK_INT(flag, 1);
    CHECK_ERR(billi_json_get_bool(o, "n", 1, &flag), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:5:8: expected a boolean at $.n, found a number");

    /* dates */
    bill_date dt = {0}, want = {0};
    CHECK_OK(bill_date_from_ymd(&want, 2024, 1, 1));
    CHECK_OK(billi_json_get_date(o, "date", 1, &dt));
    CHECK_INT(dt.day, want.day);
    CHECK_ERR(billi_json_get_date(o, "bad_date", 1, &dt), BILL_EDATE);
    CHECK_PREFIX(bill_errmsg(), "t.json:11:15: invalid date '2023-02-29' at $.bad_date (date: ");
    CHECK_ERR(billi_json_get_date(o, "n", 1, &dt), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:5:8: expected a date string at $.n, found a number");
    CHECK_INT(dt.day, want.day);

    /* arrays, objects, any node */
    const billi_json_node *arr = NULL, *any = NULL;
    CHECK_OK(billi_json_get_array(o, "arr", 1, &arr));
    CHECK_INT(billi_json_size(arr), 2);
    CHECK_ERR(billi_json_get_array(o, "obj", 1, &arr), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:13:10: expected an array at $.obj, found an object");
    CHECK_ERR(billi_json_get_object(o, "arr", 1, &obj), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:12:10: expected an object at $.arr, found an array");
    CHECK_OK(billi_json_get_array(o, "absent", 0, &arr));
    CHECK(arr == NULL);
    CHECK_OK(billi_json_get(o, "obj", 1, &any));
    CHECK_INT(billi_json_typeof(any), BILLI_JSON_OBJECT);
    CHECK_OK(billi_json_get(o, "absent", 0, &any));
    CHECK(any == NULL);
    obj = o;
    CHECK_OK(billi_json_get_object(o, "absent", 0, &obj));
    CHECK(obj == NULL);
    flag = 7;
    CHECK_OK(billi_json_get_bool(o, "absent", 0, &flag));
    CHECK_INT(flag, 7);
    CHECK_OK(billi_json_get_date(o, "absent", 0, &dt));
    CHECK_INT(dt.day, want.day);

    /* the container must be an object */
    CHECK_OK(billi_json_get_array(o, "arr", 1, &arr));
    CHECK_ERR(billi_json_get_string(arr, "x", 1, &s, NULL), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:12:10: expected an object at $.arr, found an array");

    /* converting elements */
    CHECK_OK(billi_json_to_int(billi_json_at(arr, 0), 1, 1, &i));
    CHECK_INT(i, 1);
    CHECK_ERR(billi_json_to_dec(billi_json_at(arr, 1), &d), BILL_ESYNTAX);
    CHECK_PREFIX(bill_errmsg(), "t.json:12:14: invalid decimal 'x' at $.arr[1] (");
    CHECK_OK(billi_json_expect(arr, BILLI_JSON_ARRAY));
    CHECK_ERR(billi_json_expect(arr, BILLI_JSON_NUMBER), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:12:10: expected a number at $.arr, found an array");
    CHECK_OK(billi_json_to_bool(billi_json_find(o, "flag"), &flag));
    CHECK_OK(billi_json_to_string(billi_json_at(arr, 1), &s, NULL));
    CHECK_STR(s, "x");

    /* -0 is an integer; limits at the int64 edges */
    billi_json_doc *d2 = parse_ok("[-0, 9223372036854775807, -9223372036854775809, 0]");
    const billi_json_node *a2 = billi_json_root(d2);
    CHECK_OK(billi_json_to_int(billi_json_at(a2, 0), 0, 0, &i));
    CHECK_INT(i, 0);
    CHECK_OK(billi_json_to_int(billi_json_at(a2, 1), 0, INT64_MAX, &i));
    CHECK(i == INT64_MAX);
    CHECK_ERR(billi_json_to_int(billi_json_at(a2, 2), INT64_MIN, 0, &i), BILL_ERANGE);
    CHECK_ERR(billi_json_to_int(billi_json_at(a2, 3), 1, 5, &i), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "t.json:1:49: value 0 at $[3] is out of range [1, 5]");
    billi_json_free(d2);

    bill_dec_clear(&d);
    billi_json_free(doc);
}

static void test_check_keys_and_fail(void)
{
    billi_json_doc *doc = parse_ok("{\"versions\": [\n"
                                   "  {\"effective\": \"2024-01-01\", \"pricee\": 1}\n"
                                   "]}");
    const billi_json_node *v0 = billi_json_at(billi_json_find(billi_json_root(doc), "versions"), 0);
    static const char *const allowed[] = {"effective", "price", NULL};
    static const char *const only_effective[] = {"effective", "charges", NULL};
    static const char *const none[] = {NULL};
    static const char *const both[] = {"pricee", "effective", NULL};

    CHECK_ERR(billi_json_check_keys(v0, allowed, "version"), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:2:31: unknown field 'pricee' in version at $.versions[0] "
                             "(allowed: effective, price; did you mean 'price'?)");
    CHECK_ERR(billi_json_check_keys(v0, allowed, NULL), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:2:31: unknown field 'pricee' at $.versions[0] "
                             "(allowed: effective, price; did you mean 'price'?)");
    CHECK_ERR(billi_json_check_keys(v0, only_effective, "version"), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:2:31: unknown field 'pricee' in version at $.versions[0] "
                             "(allowed: effective, charges)");
    CHECK_ERR(billi_json_check_keys(v0, none, "version"), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:2:4: unknown field 'effective' in version at $.versions[0] "
                             "(allowed: none)");
    CHECK_OK(billi_json_check_keys(v0, both, "version"));
    CHECK_ERR(billi_json_check_keys(billi_json_find(billi_json_root(doc), "versions"), both, "x"),
              BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "t.json:1:14: expected an object at $.versions, found an array");

    /* errors the loaders raise about a node */
    const billi_json_node *p = billi_json_find(v0, "pricee");
    CHECK_ERR(billi_json_fail(p, BILL_ERULE, "price %s must be below %d", "1", 1), BILL_ERULE);
    CHECK_STR(bill_errmsg(), "t.json:2:41: price 1 must be below 1 (at $.versions[0].pricee)");
    CHECK_INT(bill_errcode(), BILL_ERULE);
    CHECK_ERR(billi_json_fail(NULL, BILL_ERULE, "no node"), BILL_ERULE);
    CHECK_STR(bill_errmsg(), "no node");
    billi_json_free(doc);

    /* the source name starts every message, also after parsing */
    CHECK_OK(billi_json_parse(&doc, "{\"a\": 1}", 8, "tariff 'cn-js'"));
    int64_t i;
    CHECK_ERR(billi_json_get_int(billi_json_root(doc), "a", 1, 2, 3, &i), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "tariff 'cn-js':1:7: value 1 at $.a is out of range [2, 3]");
    billi_json_free(doc);
}

static void test_null_arguments(void)
{
    billi_json_doc *doc = NULL;
    const billi_json_node *n = NULL;
    bill_dec d = BILL_DEC_INIT;
    CHECK_ERR(billi_json_parse(NULL, "1", 1, NULL), BILL_EINVAL);
    CHECK_ERR(billi_json_parse(&doc, NULL, 1, NULL), BILL_EINVAL);
    CHECK(doc == NULL);
    CHECK_ERR(billi_json_parse(&doc, NULL, 0, NULL), BILL_ESYNTAX);
    CHECK_STR(bill_errmsg(), "<json>:1:1: empty document (at $)");
    CHECK_ERR(billi_json_get(NULL, "a", 1, &n), BILL_EINVAL);
    CHECK_ERR(billi_json_get_dec(NULL, "a", 1, &d), BILL_EINVAL);
    CHECK_ERR(billi_json_to_dec(NULL, &d), BILL_EINVAL);
    CHECK_ERR(billi_json_expect(NULL, BILLI_JSON_NULL), BILL_EINVAL);
    CHECK_ERR(billi_json_check_keys(NULL, NULL, NULL), BILL_EINVAL);
    doc = parse_ok("{}");
    CHECK_ERR(billi_json_get(billi_json_root(doc), NULL, 1, &n), BILL_EINVAL);
    CHECK_ERR(billi_json_get_dec(billi_json_root(doc), "a", 1, NULL), BILL_EINVAL);
    CHECK_ERR(billi_json_get_array(billi_json_root(doc), "a", 1, NULL), BILL_EINVAL);
    CHECK_ERR(billi_json_get_string(billi_json_root(doc), "a", 1, NULL, NULL), BILL_EINVAL);
    billi_json_free(doc);
    billi_json_free(NULL);
}

/* A document of a few MB: every element is reachable and exact. */
static void test_large_document(void)
{
    const int n = 100000;
    char *text = malloc((size_t)n * 64 + 16);
    char *w = text;
    *w++ = '[';
    for (int i = 0; i < n; i++)
        w += sprintf(w, "%s{\"p\": \"0.%05d\", \"q\": %d, \"t\": [true, null]}", i ? "," : "", i, i);
    strcpy(w, "]");
    billi_json_doc *doc = parse_ok(text);
    const billi_json_node *a = billi_json_root(doc);
    CHECK_INT(billi_json_size(a), n);
    CHECK_INT(billi_json_node_count(doc), 1 + (size_t)n * 6);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", i);
        const billi_json_node *e = billi_json_at(a, (size_t)i);
        if (strcmp(billi_json_number(billi_json_find(e, "q"), NULL), want) != 0 ||
            billi_json_parent(e) != a || billi_json_index(e) != (size_t)i)
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_STR(path_of(billi_json_at(billi_json_find(billi_json_at(a, (size_t)n - 1), "t"), 1)),
              "$[99999].t[1]");
    billi_json_free(doc);
    free(text);
}

/* A big array gets an arena block of its own; the other block keeps filling. */
static void test_arena_blocks(void)
{
    const int n = 20000;
    char *text = malloc((size_t)n * 2 + 64);
    char *w = text;
    w += sprintf(w, "{\"a\": [");
    for (int i = 0; i < n; i++)
        w += sprintf(w, "%s%d", i ? "," : "", i % 10);
    sprintf(w, "], \"b\": \"after\", \"c\": [[7, 8], {\"d\": [9]}]}");
    billi_json_doc *doc = parse_ok(text);
    const billi_json_node *root = billi_json_root(doc);
    const billi_json_node *a = billi_json_find(root, "a");
    CHECK_INT(billi_json_size(a), n);
    CHECK_STR(billi_json_number(billi_json_at(a, (size_t)n - 1), NULL), "9");
    CHECK(billi_json_parent(billi_json_at(a, 12345)) == a);
    CHECK_STR(billi_json_string(billi_json_find(root, "b"), NULL), "after");
    CHECK_STR(path_of(billi_json_at(billi_json_find(billi_json_at(billi_json_find(root, "c"), 1),
                                                    "d"), 0)), "$.c[1].d[0]");
    CHECK_INT(billi_json_node_count(doc), 1 + 1 + (size_t)n + 1 + 1 + 3 + 1 + 1 + 1);
    billi_json_free(doc);
    free(text);
}

void suite_json(void)
{
    RUN(test_tariff_document);
    RUN(test_top_level_values);
    RUN(test_numbers_keep_their_text);
    RUN(test_strings_and_escapes);
    RUN(test_reject_structure);
    RUN(test_reject_extensions);
    RUN(test_reject_numbers);
    RUN(test_reject_strings);
    RUN(test_reject_invalid_utf8);
    RUN(test_duplicate_keys);
    RUN(test_positions);
    RUN(test_limits);
    RUN(test_paths);
    RUN(test_navigation);
    RUN(test_getters);
    RUN(test_check_keys_and_fail);
    RUN(test_null_arguments);
    RUN(test_large_document);
    RUN(test_arena_blocks);
}
