/*
 * libbill numbers layer: money (an exact decimal in a currency) and the
 * ISO 4217 table.
 *
 * The table lists the active national currencies of ISO 4217 (list one)
 * with their numeric codes and minor units; fund codes, precious metals and
 * testing codes are left out. It is sorted by code for binary search.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bill_currency billi_currencies[] = {
    {"AED", 784, 2, "UAE dirham"},
    {"AFN", 971, 2, "Afghan afghani"},
    {"ALL",   8, 2, "Albanian lek"},
    {"AMD",  51, 2, "Armenian dram"},
    {"AOA", 973, 2, "Angolan kwanza"},
    {"ARS",  32, 2, "Argentine peso"},
    {"AUD",  36, 2, "Australian dollar"},
    {"AWG", 533, 2, "Aruban florin"},
    {"AZN", 944, 2, "Azerbaijani manat"},
    {"BAM", 977, 2, "Bosnia and Herzegovina convertible mark"},
    {"BBD",  52, 2, "Barbados dollar"},
    {"BDT",  50, 2, "Bangladeshi taka"},
    {"BGN", 975, 2, "Bulgarian lev"},
    {"BHD",  48, 3, "Bahraini dinar"},
    {"BIF", 108, 0, "Burundian franc"},
    {"BMD",  60, 2, "Bermudian dollar"},
    {"BND",  96, 2, "Brunei dollar"},
    {"BOB",  68, 2, "Bolivian boliviano"},
    {"BRL", 986, 2, "Brazilian real"},
    {"BSD",  44, 2, "Bahamian dollar"},
    {"BTN",  64, 2, "Bhutanese ngultrum"},
    {"BWP",  72, 2, "Botswana pula"},
    {"BYN", 933, 2, "Belarusian ruble"},
    {"BZD",  84, 2, "Belize dollar"},
    {"CAD", 124, 2, "Canadian dollar"},
    {"CDF", 976, 2, "Congolese franc"},
    {"CHF", 756, 2, "Swiss franc"},
    {"CLP", 152, 0, "Chilean peso"},
    {"CNY", 156, 2, "Chinese yuan renminbi"},
    {"COP", 170, 2, "Colombian peso"},
    {"CRC", 188, 2, "Costa Rican colon"},
    {"CUP", 192, 2, "Cuban peso"},
    {"CVE", 132, 2, "Cabo Verde escudo"},
    {"CZK", 203, 2, "Czech koruna"},
    {"DJF", 262, 0, "Djiboutian franc"},
    {"DKK", 208, 2, "Danish krone"},
    {"DOP", 214, 2, "Dominican peso"},
    {"DZD",  12, 2, "Algerian dinar"},
    {"EGP", 818, 2, "Egyptian pound"},
    {"ERN", 232, 2, "Eritrean nakfa"},
    {"ETB", 230, 2, "Ethiopian birr"},
    {"EUR", 978, 2, "Euro"},
    {"FJD", 242, 2, "Fiji dollar"},
    {"FKP", 238, 2, "Falkland Islands pound"},
    {"GBP", 826, 2, "Pound sterling"},
    {"GEL", 981, 2, "Georgian lari"},
    {"GHS", 936, 2, "Ghanaian cedi"},
    {"GIP", 292, 2, "Gibraltar pound"},
    {"GMD", 270, 2, "Gambian dalasi"},
    {"GNF", 324, 0, "Guinean franc"},
    {"GTQ", 320, 2, "Guatemalan quetzal"},
    {"GYD", 328, 2, "Guyanese dollar"},
    {"HKD", 344, 2, "Hong Kong dollar"},
    {"HNL", 340, 2, "Honduran lempira"},
    {"HTG", 332, 2, "Haitian gourde"},
    {"HUF", 348, 2, "Hungarian forint"},
    {"IDR", 360, 2, "Indonesian rupiah"},
    {"ILS", 376, 2, "Israeli new shekel"},
    {"INR", 356, 2, "Indian rupee"},
    {"IQD", 368, 3, "Iraqi dinar"},
    {"IRR", 364, 2, "Iranian rial"},
    {"ISK", 352, 0, "Icelandic krona"},
    {"JMD", 388, 2, "Jamaican dollar"},
    {"JOD", 400, 3, "Jordanian dinar"},
    {"JPY", 392, 0, "Japanese yen"},
    {"KES", 404, 2, "Kenyan shilling"},
    {"KGS", 417, 2, "Kyrgyzstani som"},
    {"KHR", 116, 2, "Cambodian riel"},
    {"KMF", 174, 0, "Comorian franc"},
    {"KPW", 408, 2, "North Korean won"},
    {"KRW", 410, 0, "South Korean won"},
    {"KWD", 414, 3, "Kuwaiti dinar"},
    {"KYD", 136, 2, "Cayman Islands dollar"},
    {"KZT", 398, 2, "Kazakhstani tenge"},
    {"LAK", 418, 2, "Lao kip"},
    {"LBP", 422, 2, "Lebanese pound"},
    {"LKR", 144, 2, "Sri Lankan rupee"},
    {"LRD", 430, 2, "Liberian dollar"},
    {"LSL", 426, 2, "Lesotho loti"},
    {"LYD", 434, 3, "Libyan dinar"},
    {"MAD", 504, 2, "Moroccan dirham"},
    {"MDL", 498, 2, "Moldovan leu"},
    {"MGA", 969, 2, "Malagasy ariary"},
    {"MKD", 807, 2, "Macedonian denar"},
    {"MMK", 104, 2, "Myanmar kyat"},
    {"MNT", 496, 2, "Mongolian tugrik"},
    {"MOP", 446, 2, "Macanese pataca"},
    {"MRU", 929, 2, "Mauritanian ouguiya"},
    {"MUR", 480, 2, "Mauritian rupee"},
    {"MVR", 462, 2, "Maldivian rufiyaa"},
    {"MWK", 454, 2, "Malawian kwacha"},
    {"MXN", 484, 2, "Mexican peso"},
    {"MYR", 458, 2, "Malaysian ringgit"},
    {"MZN", 943, 2, "Mozambican metical"},
    {"NAD", 516, 2, "Namibian dollar"},
    {"NGN", 566, 2, "Nigerian naira"},
    {"NIO", 558, 2, "Nicaraguan cordoba"},
    {"NOK", 578, 2, "Norwegian krone"},
    {"NPR", 524, 2, "Nepalese rupee"},
    {"NZD", 554, 2, "New Zealand dollar"},
    {"OMR", 512, 3, "Omani rial"},
    {"PAB", 590, 2, "Panamanian balboa"},
    {"PEN", 604, 2, "Peruvian sol"},
    {"PGK", 598, 2, "Papua New Guinean kina"},
    {"PHP", 608, 2, "Philippine peso"},
    {"PKR", 586, 2, "Pakistani rupee"},
    {"PLN", 985, 2, "Polish zloty"},
    {"PYG", 600, 0, "Paraguayan guarani"},
    {"QAR", 634, 2, "Qatari riyal"},
    {"RON", 946, 2, "Romanian leu"},
    {"RSD", 941, 2, "Serbian dinar"},
    {"RUB", 643, 2, "Russian ruble"},
    {"RWF", 646, 0, "Rwandan franc"},
    {"SAR", 682, 2, "Saudi riyal"},
    {"SBD",  90, 2, "Solomon Islands dollar"},
    {"SCR", 690, 2, "Seychelles rupee"},
    {"SDG", 938, 2, "Sudanese pound"},
    {"SEK", 752, 2, "Swedish krona"},
    {"SGD", 702, 2, "Singapore dollar"},
    {"SHP", 654, 2, "Saint Helena pound"},
    {"SLE", 925, 2, "Sierra Leonean leone"},
    {"SOS", 706, 2, "Somali shilling"},
    {"SRD", 968, 2, "Surinamese dollar"},
    {"SSP", 728, 2, "South Sudanese pound"},
    {"STN", 930, 2, "Sao Tome and Principe dobra"},
    {"SVC", 222, 2, "Salvadoran colon"},
    {"SYP", 760, 2, "Syrian pound"},
    {"SZL", 748, 2, "Eswatini lilangeni"},
    {"THB", 764, 2, "Thai baht"},
    {"TJS", 972, 2, "Tajikistani somoni"},
    {"TMT", 934, 2, "Turkmenistan manat"},
    {"TND", 788, 3, "Tunisian dinar"},
    {"TOP", 776, 2, "Tongan paanga"},
    {"TRY", 949, 2, "Turkish lira"},
    {"TTD", 780, 2, "Trinidad and Tobago dollar"},
    {"TWD", 901, 2, "New Taiwan dollar"},
    {"TZS", 834, 2, "Tanzanian shilling"},
    {"UAH", 980, 2, "Ukrainian hryvnia"},
    {"UGX", 800, 0, "Ugandan shilling"},
    {"USD", 840, 2, "US dollar"},
    {"UYU", 858, 2, "Uruguayan peso"},
    {"UZS", 860, 2, "Uzbekistani sum"},
    {"VES", 928, 2, "Venezuelan bolivar soberano"},
    {"VND", 704, 0, "Vietnamese dong"},
    {"VUV", 548, 0, "Vanuatu vatu"},
    {"WST", 882, 2, "Samoan tala"},
    {"XAF", 950, 0, "Central African CFA franc"},
    {"XCD", 951, 2, "East Caribbean dollar"},
    {"XOF", 952, 0, "West African CFA franc"},
    {"XPF", 953, 0, "CFP franc"},
    {"YER", 886, 2, "Yemeni rial"},
    {"ZAR", 710, 2, "South African rand"},
    {"ZMW", 967, 2, "Zambian kwacha"},
};

#define NCURRENCIES (sizeof billi_currencies / sizeof billi_currencies[0])

/* ---- currencies ----------------------------------------------------------- */

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* The table entry for code (case-insensitive), or NULL. */
static const bill_currency *lookup(const char *code)
{
    char key[4];
    for (int i = 0; i < 3; i++) {
        if (!code[i])
            return NULL;
        key[i] = upper(code[i]);
    }
    if (code[3])
        return NULL;
    key[3] = '\0';
    size_t lo = 0, hi = NCURRENCIES;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(billi_currencies[mid].code, key);
        if (c == 0)
            return &billi_currencies[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* lookup() that records BILL_ECURRENCY for an unknown code. */
static int find_currency(const bill_currency **out, const char *code)
{
    char q[64];
    const bill_currency *c = lookup(code);
    if (!c) {
        billi_quote(q, sizeof q, code, strlen(code));
        return billi_error(BILL_ECURRENCY, "currency: '%s' is not an ISO 4217 code known to libbill", q);
    }
    *out = c;
    return BILL_OK;
}

int bill_currency_find(const bill_currency **out, const char *code)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(code, "code");
    return find_currency(out, code);
}

size_t bill_currency_count(void)
{
    return NCURRENCIES;
}

const bill_currency *bill_currency_at(size_t i)
{
    return i < NCURRENCIES ? &billi_currencies[i] : NULL;
}

/* ---- money --------------------------------------------------------------- */

void bill_money_init(bill_money *m)
{
    if (!m)
        return;
    bill_dec_init(&m->amount);
    memset(m->currency, 0, sizeof m->currency);
}

void bill_money_clear(bill_money *m)
{
    if (!m)
        return;
    bill_dec_clear(&m->amount);
    memset(m->currency, 0, sizeof m->currency);
}

/* The currency of an operand, which must be set (a known code). */
static int operand_currency(const bill_currency **out, const bill_money *m, const char *what)
{
    if (m->currency[0] == '\0')
        return billi_error(BILL_ECURRENCY, "money: %s has no currency", what);
    char code[4];
    memcpy(code, m->currency, 3);
    code[3] = '\0';
    return find_currency(out, code);
}

/* The common currency of a and b; BILL_ECURRENCY naming both if they differ. */
static int same_currency(const bill_currency **out, const bill_money *a, const bill_money *b,
                         const char *op)
{
    const bill_currency *ca, *cb;
    int rc = operand_currency(&ca, a, "the first amount");
    if (rc == BILL_OK)
        rc = operand_currency(&cb, b, "the second amount");
    if (rc != BILL_OK)
        return rc;
    if (ca != cb)
        return billi_error(BILL_ECURRENCY, "money: cannot %s %s and %s amounts (currency mismatch)",
                           op, ca->code, cb->code);
    *out = ca;
    return BILL_OK;
}

static void set_code(bill_money *m, const bill_currency *c)
{
    memcpy(m->currency, c->code, 3);
    m->currency[3] = '\0';
}

int bill_money_copy(bill_money *dst, const bill_money *src)
{
    BILLI_CHECK_ARG(dst, "dst");
    BILLI_CHECK_ARG(src, "src");
    if (dst == src)
        return BILL_OK;
    int rc = bill_dec_copy(&dst->amount, &src->amount);
    if (rc != BILL_OK)
        return rc;
    memcpy(dst->currency, src->currency, sizeof dst->currency);
    dst->currency[3] = '\0';
    return BILL_OK;
}

int bill_money_set(bill_money *m, const bill_dec *amount, const char *currency)
{
    BILLI_CHECK_ARG(m, "m");
    BILLI_CHECK_ARG(amount, "amount");
    BILLI_CHECK_ARG(currency, "currency");
    const bill_currency *c;
    int rc = find_currency(&c, currency);
    if (rc != BILL_OK)
        return rc;
    rc = bill_dec_copy(&m->amount, amount);
    if (rc != BILL_OK)
        return rc;
    set_code(m, c);
    return BILL_OK;
}

int bill_money_parse(bill_money *m, const char *amount, const char *currency)
{
    BILLI_CHECK_ARG(m, "m");
    BILLI_CHECK_ARG(amount, "amount");
    BILLI_CHECK_ARG(currency, "currency");
    const bill_currency *c;
    int rc = find_currency(&c, currency);
    if (rc != BILL_OK)
        return rc;
    bill_dec v = BILL_DEC_INIT;
    rc = bill_dec_parse(&v, amount, (size_t)-1);
    if (rc != BILL_OK) {
        bill_dec_clear(&v);
        return rc;
    }
    /* Hand v's storage over to m (a move, so v is not cleared). */
    bill_dec_clear(&m->amount);
    m->amount = v;
    set_code(m, c);
    return BILL_OK;
}

char *bill_money_to_str(const bill_money *m)
{
    const bill_currency *c;
    if (!m) {
        billi_error(BILL_EINVAL, "%s: argument '%s' is invalid", __func__, "m");
        return NULL;
    }
    if (operand_currency(&c, m, "the amount") != BILL_OK)
        return NULL;
    char small[64];
    size_t n = bill_dec_format(&m->amount, small, sizeof small);
    char *s = malloc(n + 5);
    if (!s) {
        billi_error(BILL_ENOMEM, "money: out of memory formatting an amount");
        return NULL;
    }
    memcpy(s, c->code, 3);
    s[3] = ' ';
    if (n < sizeof small)
        memcpy(s + 4, small, n + 1);
    else
        bill_dec_format(&m->amount, s + 4, n + 1);
    return s;
}

/* r = a op b for two checked amounts that must share a currency; `verb` names op in messages. */
static int same_currency_op(bill_money *r, const bill_money *a, const bill_money *b,
                            const char *verb,
                            int (*op)(bill_dec *, const bill_dec *, const bill_dec *))
{
    const bill_currency *c;
    int rc = same_currency(&c, a, b, verb);
    if (rc == BILL_OK)
        rc = op(&r->amount, &a->amount, &b->amount);
    if (rc == BILL_OK)
        set_code(r, c);
    return rc;
}

int bill_money_add(bill_money *r, const bill_money *a, const bill_money *b)
{
    BILLI_CHECK_ARG(r, "r");
    BILLI_CHECK_ARG(a, "a");
    BILLI_CHECK_ARG(b, "b");
    return same_currency_op(r, a, b, "add", bill_dec_add);
}

int bill_money_sub(bill_money *r, const bill_money *a, const bill_money *b)
{
    BILLI_CHECK_ARG(r, "r");
    BILLI_CHECK_ARG(a, "a");
    BILLI_CHECK_ARG(b, "b");
    return same_currency_op(r, a, b, "subtract", bill_dec_sub);
}

int bill_money_mul(bill_money *r, const bill_money *a, const bill_dec *factor)
{
    BILLI_CHECK_ARG(r, "r");
    BILLI_CHECK_ARG(a, "a");
    BILLI_CHECK_ARG(factor, "factor");
    const bill_currency *c;
    int rc = operand_currency(&c, a, "the amount");
    if (rc == BILL_OK)
        rc = bill_dec_mul(&r->amount, &a->amount, factor);
    if (rc == BILL_OK)
        set_code(r, c);
    return rc;
}

int bill_money_neg(bill_money *r, const bill_money *a)
{
    BILLI_CHECK_ARG(r, "r");
    BILLI_CHECK_ARG(a, "a");
    const bill_currency *c;
    int rc = operand_currency(&c, a, "the amount");
    if (rc == BILL_OK)
        rc = bill_dec_neg(&r->amount, &a->amount);
    if (rc == BILL_OK)
        set_code(r, c);
    return rc;
}

int bill_money_cmp(int *out, const bill_money *a, const bill_money *b)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(a, "a");
    BILLI_CHECK_ARG(b, "b");
    const bill_currency *c;
    int rc = same_currency(&c, a, b, "compare");
    if (rc != BILL_OK)
        return rc;
    *out = bill_dec_cmp(&a->amount, &b->amount);
    return BILL_OK;
}

int bill_money_round(bill_money *r, const bill_money *a, int mode)
{
    BILLI_CHECK_ARG(r, "r");
    BILLI_CHECK_ARG(a, "a");
    const bill_currency *c;
    int rc = operand_currency(&c, a, "the amount");
    if (rc == BILL_OK)
        rc = bill_dec_rescale(&r->amount, &a->amount, c->minor_units, mode);
    if (rc == BILL_OK)
        set_code(r, c);
    return rc;
}

int bill_money_allocate(bill_money *parts, size_t n, const bill_money *total,
                        const bill_dec *ratios, int rule)
{
    BILLI_CHECK_ARG(parts, "parts");
    BILLI_CHECK_ARG(n > 0, "n");
    BILLI_CHECK_ARG(total, "total");
    const bill_currency *c;
    int rc = operand_currency(&c, total, "the total");
    if (rc != BILL_OK)
        return rc;

    /* The total must already be in minor units: say so in money terms. */
    bill_dec check = BILL_DEC_INIT;
    rc = bill_dec_rescale(&check, &total->amount, c->minor_units, BILL_ROUND_UNNECESSARY);
    bill_dec_clear(&check);
    if (rc == BILL_EROUNDING) {
        char amount[64];
        size_t need = bill_dec_format(&total->amount, amount, sizeof amount);
        return billi_error(BILL_EROUNDING,
                           "money: cannot allocate %s %s%s: it has more than the %d decimals of %s; "
                           "round it first", c->code, amount, need >= sizeof amount ? "..." : "",
                           c->minor_units, c->code);
    }
    if (rc != BILL_OK)
        return rc;

    /* Allocate into scratch values, then move them into parts: all or nothing. */
    bill_dec *tmp = n <= SIZE_MAX / sizeof *tmp ? malloc(n * sizeof *tmp) : NULL;
    if (!tmp)
        return billi_error(BILL_ENOMEM, "money: out of memory allocating %zu parts", n);
    for (size_t i = 0; i < n; i++)
        bill_dec_init(&tmp[i]);
    rc = bill_dec_allocate(tmp, n, &total->amount, ratios, c->minor_units, rule);
    if (rc != BILL_OK) {
        for (size_t i = 0; i < n; i++)
            bill_dec_clear(&tmp[i]);
        free(tmp);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        bill_dec_clear(&parts[i].amount);
        parts[i].amount = tmp[i]; /* a move: tmp[i] is not cleared */
        set_code(&parts[i], c);
    }
    free(tmp);
    return BILL_OK;
}
