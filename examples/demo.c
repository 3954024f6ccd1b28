/*
 * The `make demo` program: one customer's bill worked by hand with the
 * building blocks (exact decimals, money, dates, periods and working-day
 * calendars), then the power factor of two large customers, then the bills of
 * a handful of example customers under the example tariffs
 * (EXAMPLES-DIR/tariffs, EXAMPLES-DIR/usage). Every amount is an exact decimal; rounding happens only where
 * the text says so, with the mode it names.
 *
 *     demo [EXAMPLES-DIR]      (default "examples"; reads EXAMPLES-DIR/calendars/cn-2025.txt)
 */
#include <bill.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stop with the library's message when a call fails (it names the bad value). */
#define TRY(call)                                                                   \
    do {                                                                            \
        int st_ = (call);                                                           \
        if (st_ != BILL_OK) {                                                       \
            fprintf(stderr, "demo: %s failed: %s: %s\n", #call, bill_status_name(st_), \
                    bill_errmsg());                                                 \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

/* ---- small printing helpers ------------------------------------------------------- */

/* Text of a decimal in one of a few rotating buffers (enough for one printf). */
static const char *dec(const bill_dec *d)
{
    static char bufs[8][128];
    static int next;
    char *b = bufs[next++ % 8];
    if (bill_dec_format(d, b, sizeof bufs[0]) >= sizeof bufs[0])
        strcpy(b, "(too long)");
    return b;
}

static const char *date(bill_date d)
{
    static char bufs[8][16];
    static int next;
    char *b = bufs[next++ % 8];
    bill_date_format(d, b, sizeof bufs[0]);
    return b;
}

static const char *weekday(bill_date d)
{
    static const char *const names[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return names[bill_date_weekday(d)];
}

static bill_date ymd(int y, int m, int d)
{
    bill_date out;
    TRY(bill_date_from_ymd(&out, y, m, d));
    return out;
}

static void num(bill_dec *d, const char *text)
{
    TRY(bill_dec_parse(d, text, (size_t)-1));
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 16;
    char *buf = malloc(cap);
    if (!buf)
        exit(1);
    *len = fread(buf, 1, cap, f);
    if (!feof(f)) {
        fprintf(stderr, "demo: %s is too large\n", path);
        exit(1);
    }
    fclose(f);
    return buf;
}

/* ---- 1 and 2: the period, the calendar and due dates -------------------------------- */

static void show_period(const bill_calendar *cn, const bill_calendar *plain, bill_period p)
{
    printf("1. Billing period\n");
    printf("   period                 [%s, %s)  (the end date is not included)\n",
           date(p.start), date(p.end));
    printf("   days                   %d\n", (int)bill_period_days(p));
    printf("   working days           %d under the cn-2025 calendar, %d counting Mon-Fri only\n",
           (int)bill_calendar_working_days(cn, p), (int)bill_calendar_working_days(plain, p));

    /* holiday runs and make-up working days inside the period */
    bill_date d = p.start;
    while (bill_date_cmp(d, p.end) < 0) {
        const char *name = bill_calendar_holiday_name(cn, d);
        bill_date next;
        TRY(bill_date_add_days(&next, d, 1));
        if (name) {
            bill_date first = d, last = d;
            while (bill_date_cmp(next, p.end) < 0 && bill_calendar_holiday_name(cn, next) &&
                   strcmp(bill_calendar_holiday_name(cn, next), name) == 0) {
                last = next;
                TRY(bill_date_add_days(&next, next, 1));
            }
            printf("   holidays               %s .. %s (%d days): %s\n", date(first), date(last),
                   (int)bill_date_diff(first, last) + 1, name);
        } else if (bill_calendar_is_working_day(cn, d) && !bill_calendar_is_working_day(plain, d)) {
            printf("   make-up working day    %s (%s)\n", date(d), weekday(d));
        }
        d = next;
    }
    printf("\n");
}

static bill_date show_due_dates(const bill_calendar *cn, const bill_calendar *plain)
{
    static const int bill_days[][3] = {{2025, 9, 26}, {2025, 10, 15}};
    bill_date due = {0};

    printf("2. Due dates: 10 working days after the bill date\n");
    printf("   %-14s %-18s %-18s\n", "bill date", "due (cn-2025)", "due (Mon-Fri only)");
    for (size_t i = 0; i < sizeof bill_days / sizeof bill_days[0]; i++) {
        bill_date b = ymd(bill_days[i][0], bill_days[i][1], bill_days[i][2]), d1, d2;
        TRY(bill_calendar_add_working_days(cn, &d1, b, 10));
        TRY(bill_calendar_add_working_days(plain, &d2, b, 10));
        printf("   %s %s %s %s     %s %s\n", date(b), weekday(b), date(d1), weekday(d1),
               date(d2), weekday(d2));
        due = d1;
    }
    printf("   (the cn-2025 calendar has Oct 1-8 as holidays and Sep 28 and Oct 11 as working days)\n\n");
    return due;   /* the due date of the bill dated at the end of the period */
}

/* ---- 3: a residential tiered bill ---------------------------------------------------- */

static void tiered_bill(bill_money *total)
{
    static const char *const prices[] = {"0.5283", "0.5783", "0.8283"};
    static const char *const upper[] = {"200", "400", NULL};   /* NULL: no upper bound */
    bill_dec usage = BILL_DEC_INIT, lower = BILL_DEC_INIT, cap = BILL_DEC_INIT,
             in_tier = BILL_DEC_INIT, price = BILL_DEC_INIT, exact = BILL_DEC_INIT,
             line = BILL_DEC_INIT, sum = BILL_DEC_INIT, zero = BILL_DEC_INIT,
             rest = BILL_DEC_INIT, width = BILL_DEC_INIT, kwh_sum = BILL_DEC_INIT;

    num(&usage, "420");
    printf("3. Residential tiered bill: %s kWh this month, tiers 0-200 / 200-400 / over 400 kWh\n",
           dec(&usage));
    printf("   (a boundary kWh belongs to the lower tier; each line is rounded HALF_UP to the fen)\n");
    printf("   %-5s %6s %10s %14s %10s\n", "tier", "kWh", "CNY/kWh", "exact amount", "line");
    num(&sum, "0.00");
    for (int t = 0; t < 3; t++) {
        /* kWh in this tier = min(usage - lower, upper - lower), at least 0 */
        TRY(bill_dec_sub(&rest, &usage, &lower));
        if (bill_dec_cmp(&rest, &zero) < 0)
            TRY(bill_dec_copy(&rest, &zero));
        if (upper[t]) {
            num(&cap, upper[t]);
            TRY(bill_dec_sub(&width, &cap, &lower));
            TRY(bill_dec_copy(&in_tier, bill_dec_cmp(&rest, &width) < 0 ? &rest : &width));
        } else {
            TRY(bill_dec_copy(&in_tier, &rest));
        }
        num(&price, prices[t]);
        TRY(bill_dec_mul(&exact, &in_tier, &price));
        TRY(bill_dec_rescale(&line, &exact, 2, BILL_ROUND_HALF_UP));
        TRY(bill_dec_add(&sum, &sum, &line));
        TRY(bill_dec_add(&kwh_sum, &kwh_sum, &in_tier));
        printf("   %-5d %6s %10s %14s %10s\n", t + 1, dec(&in_tier), dec(&price), dec(&exact),
               dec(&line));
        if (upper[t])
            TRY(bill_dec_copy(&lower, &cap));
    }
    TRY(bill_money_set(total, &sum, "CNY"));
    char *s = bill_money_to_str(total);
    printf("   %-5s %6s %10s %14s %10s   = %s\n\n", "total", dec(&kwh_sum), "", "", dec(&sum), s);
    bill_free(s);

    bill_dec_clear(&usage); bill_dec_clear(&lower); bill_dec_clear(&cap);
    bill_dec_clear(&in_tier); bill_dec_clear(&price); bill_dec_clear(&exact);
    bill_dec_clear(&line); bill_dec_clear(&sum); bill_dec_clear(&zero);
    bill_dec_clear(&rest); bill_dec_clear(&width); bill_dec_clear(&kwh_sum);
}

/* ---- 4: the VAT inside a VAT-inclusive total ---------------------------------------------- */

static void vat_part(const bill_money *total)
{
    bill_dec rate = BILL_DEC_INIT, one_plus = BILL_DEC_INIT, num_ = BILL_DEC_INIT,
             exact = BILL_DEC_INIT, tax = BILL_DEC_INIT, net = BILL_DEC_INIT;

    num(&rate, "0.13");
    num(&one_plus, "1.13");
    TRY(bill_dec_mul(&num_, &total->amount, &rate));
    TRY(bill_dec_div(&exact, &num_, &one_plus, 10, BILL_ROUND_DOWN));
    TRY(bill_dec_div(&tax, &num_, &one_plus, 2, BILL_ROUND_HALF_UP));
    TRY(bill_dec_sub(&net, &total->amount, &tax));

    printf("4. VAT included in the total (prices are VAT-inclusive, rate 13%%)\n");
    printf("   total incl. VAT        %10s\n", dec(&total->amount));
    printf("   VAT = total x 0.13 / 1.13 = %s / 1.13 = %s...\n", dec(&num_), dec(&exact));
    printf("   VAT (HALF_UP to fen)   %10s\n", dec(&tax));
    printf("   total excl. VAT        %10s\n\n", dec(&net));

    bill_dec_clear(&rate); bill_dec_clear(&one_plus); bill_dec_clear(&num_);
    bill_dec_clear(&exact); bill_dec_clear(&tax); bill_dec_clear(&net);
}

/* ---- 5: an installment plan ------------------------------------------------------------ */

static void installments(const bill_calendar *cn, const bill_money *arrears, bill_date first_due)
{
    bill_money parts[3] = {BILL_MONEY_INIT, BILL_MONEY_INIT, BILL_MONEY_INIT};
    bill_money sum = BILL_MONEY_INIT;

    TRY(bill_money_allocate(parts, 3, arrears, NULL, BILL_REMAINDER_TO_LAST));
    printf("5. Installment plan: arrears of %s in 3 monthly parts, the remainder on the last\n",
           dec(&arrears->amount));
    printf("   (a due date that is not a working day moves to the next working day)\n");
    printf("   %-5s %-15s %12s\n", "part", "due", "amount");
    TRY(bill_money_parse(&sum, "0.00", "CNY"));
    for (int i = 0; i < 3; i++) {
        bill_date nominal, due;
        TRY(bill_date_add_months(&nominal, first_due, i, BILL_MONTHEND_CLAMP));
        TRY(bill_calendar_add_working_days(cn, &due, nominal, 0));
        TRY(bill_money_add(&sum, &sum, &parts[i]));
        char *s = bill_money_to_str(&parts[i]);
        char when[32];
        snprintf(when, sizeof when, "%s %s", date(due), weekday(due));
        printf("   %-5d %-15s %12s", i + 1, when, s);
        if (bill_date_cmp(due, nominal) != 0)
            printf("   (%s is a %s)", date(nominal), weekday(nominal));
        printf("\n");
        bill_free(s);
    }
    int c;
    TRY(bill_money_cmp(&c, &sum, arrears));
    char *s = bill_money_to_str(&sum);
    printf("   %-5s %-15s %12s   %s\n\n", "sum", "", s,
           c == 0 ? "= the arrears, exactly" : "DIFFERS FROM THE ARREARS");
    bill_free(s);
    for (int i = 0; i < 3; i++)
        bill_money_clear(&parts[i]);
    bill_money_clear(&sum);
}

/* ---- 6: a shared meter ------------------------------------------------------------------ */

static void shared_meter(void)
{
    static const char *const who[] = {"flat 101", "flat 102", "flat 103"};
    bill_dec total = BILL_DEC_INIT, ratios[3], parts[3], sum = BILL_DEC_INIT;

    num(&total, "1000.00");
    for (int i = 0; i < 3; i++) {
        bill_dec_init(&parts[i]);
        bill_dec_init(&ratios[i]);
        num(&ratios[i], "1");
    }
    TRY(bill_dec_allocate(parts, 3, &total, ratios, 2, BILL_REMAINDER_LARGEST_FRACTION));
    printf("6. Shared meter: %s kWh split 1:1:1 between three flats\n", dec(&total));
    printf("   (largest remainder first; on a tie the earlier flat gets the 0.01 kWh)\n");
    for (int i = 0; i < 3; i++) {
        TRY(bill_dec_add(&sum, &sum, &parts[i]));
        printf("   %-10s %5s %10s kWh\n", who[i], dec(&ratios[i]), dec(&parts[i]));
    }
    printf("   %-10s %5s %10s kWh   %s\n\n", "sum", "", dec(&sum),
           bill_dec_cmp(&sum, &total) == 0 ? "= the meter's total, exactly" : "DIFFERS");
    for (int i = 0; i < 3; i++) {
        bill_dec_clear(&parts[i]);
        bill_dec_clear(&ratios[i]);
    }
    bill_dec_clear(&total);
    bill_dec_clear(&sum);
}

/* ---- 7: input that is rejected, and why ---------------------------------------------------- */

static void rejected(void)
{
    static const char *const inputs[] = {"1,234.50", "0.5283 ", "2025-02-29"};
    bill_dec d = BILL_DEC_INIT;
    bill_date day;

    printf("7. Rejected input names what is wrong\n");
    for (int i = 0; i < 2; i++) {
        int st = bill_dec_parse(&d, inputs[i], (size_t)-1);
        printf("   decimal '%s': %s: %s\n", inputs[i], bill_status_name(st), bill_errmsg());
    }
    int st = bill_date_parse(&day, inputs[2], (size_t)-1);
    printf("   date '%s': %s: %s\n", inputs[2], bill_status_name(st), bill_errmsg());
    bill_dec_clear(&d);
}

/* ---- the power factor of two large customers ------------------------------------ */

static void power_factor(void)
{
    static const char *const rows[][2] = {{"120000", "58000"}, {"100000", "75000"}};
    bill_pf_table *t = NULL;
    bill_dec kwh = BILL_DEC_INIT, kvarh = BILL_DEC_INIT, pf = BILL_DEC_INIT, pct = BILL_DEC_INIT;
    TRY(bill_pf_table_create_standard(&t, "0.90"));
    printf("\n8. Power factor (exact, no square root), standard 0.90, 1983 table\n");
    printf("   %10s %10s   %5s   %s\n", "kWh", "kvarh", "PF", "adjustment of the base");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        num(&kwh, rows[i][0]);
        num(&kvarh, rows[i][1]);
        TRY(bill_pf_compute(&pf, &kwh, &kvarh));
        TRY(bill_pf_table_percent(&pct, t, &pf));
        printf("   %10s %10s   %5s   %s%%\n", dec(&kwh), dec(&kvarh), dec(&pf), dec(&pct));
    }
    bill_dec_clear(&kwh);
    bill_dec_clear(&kvarh);
    bill_dec_clear(&pf);
    bill_dec_clear(&pct);
    bill_pf_table_free(t);
}

/* ---- example customers under the example tariffs --------------------------------- */

static void example_bills(const char *dir)
{
    static const char *const pairs[][2] = {
        {"cn-residential-annual", "residential-june"},
        {"cn-residential-annual-tou", "residential-tou-june"},
        {"cn-residential-monthly-seasonal", "residential-split-june-july"},
        {"cn-commercial-tou", "commercial-tou-june"},
        {"cn-large-industry", "large-industry-june"},
    };
    char path[4096];
    size_t len;
    bill_bill *b = NULL;
    bill_usage *u = NULL;
    TRY(bill_bill_create(&b));
    TRY(bill_usage_create(&u));
    printf("\n9. Example customers billed under the example tariffs (%s/tariffs)\n", dir);
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        bill_tariff *t = NULL;
        snprintf(path, sizeof path, "%s/tariffs/%s.json", dir, pairs[i][0]);
        char *text = read_file(path, &len);
        TRY(bill_tariff_load(&t, text, len, path));
        free(text);
        snprintf(path, sizeof path, "%s/usage/%s.json", dir, pairs[i][1]);
        text = read_file(path, &len);
        bill_usage_reset(u);
        TRY(bill_usage_load(u, text, len, path));
        free(text);
        TRY(bill_tariff_compute(t, u, b));
        char *out = bill_bill_to_text(b);
        printf("\n---- %s under %s ----\n%s", pairs[i][1], pairs[i][0], out ? out : "");
        bill_free(out);
        bill_tariff_free(t);
    }
    bill_usage_free(u);
    bill_bill_free(b);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "examples";
    char path[4096];
    bill_calendar *cn = NULL, *plain = NULL;
    bill_money total = BILL_MONEY_INIT;
    bill_period period;
    size_t len;

    snprintf(path, sizeof path, "%s/calendars/cn-2025.txt", dir);
    char *text = read_file(path, &len);
    TRY(bill_calendar_create(&cn));
    if (bill_calendar_load(cn, text, len) != BILL_OK) {
        fprintf(stderr, "demo: %s: %s\n", path, bill_calendar_errmsg(cn));
        return 1;
    }
    free(text);
    TRY(bill_calendar_create(&plain));

    printf("libbill %s demo: one residential customer's bill\n", bill_version());
    printf("calendar: %s/calendars/cn-2025.txt\n\n", dir);

    TRY(bill_period_make(&period, ymd(2025, 9, 15), ymd(2025, 10, 15)));
    show_period(cn, plain, period);
    bill_date due = show_due_dates(cn, plain);
    tiered_bill(&total);
    vat_part(&total);
    installments(cn, &total, due);
    shared_meter();
    rejected();
    power_factor();
    example_bills(dir);

    bill_money_clear(&total);
    bill_calendar_free(cn);
    bill_calendar_free(plain);
    return 0;
}
