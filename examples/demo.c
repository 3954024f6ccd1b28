/*
 * The `make demo` program, in two parts.
 *
 * The tariff engine: one customer's bill worked by hand with the building
 * blocks (exact decimals, money, dates, periods and working-day calendars),
 * the power factor of two large customers, then the bills of a handful of
 * example customers under the example tariffs (EXAMPLES-DIR/tariffs,
 * EXAMPLES-DIR/usage).
 *
 * The store, end to end (sections 10-16): an SQLite store file in a temporary
 * folder gets the registry of EXAMPLES-DIR/data/demo/registry.csv (300
 * accounts: residential, commercial TOU and large industry, with a
 * master/sub pair, a shared meter and a meter exchange), imports a year of
 * readings (EXAMPLES-DIR/data/demo/readings.csv, with bad rows that become
 * exceptions), bills December 2025 for every account, runs the billing again
 * (nothing is billed twice), imports a late reading and bills the account it
 * completes, and checks a field audit (EXAMPLES-DIR/data/demo/audit.csv) and
 * the reading history for anomalies. The data is made by
 * tools/gen-demo-data.py. The output is deterministic (no time, UUID or
 * temporary path is printed): examples/expected/demo.txt checks it.
 *
 * Every amount is an exact decimal; rounding happens only where the text says
 * so, with the mode it names.
 *
 *     demo [EXAMPLES-DIR]      (default "examples"; reads EXAMPLES-DIR/calendars/cn-2025.txt)
 */
#define _XOPEN_SOURCE 700   /* mkdtemp, rmdir */
#include <bill.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- the store: registry, import, billing run, field audit ----------------------- */

/*
 * Split `line` at commas in place into at most `max` fields; returns the count.
 * The registry file has no quoted fields.
 */
static int split(char *line, char sep, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == sep) {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

static bill_date day(const char *text)
{
    bill_date d;
    TRY(bill_date_parse(&d, text, strlen(text)));
    return d;
}

/* One record of examples/data/demo/registry.csv (the format is in its header). */
static void registry_record(bill_store *s, char *line, int lineno, int counts[5])
{
    char *f[10];
    int n = split(line, ',', f, 10);
    bill_dec v = BILL_DEC_INIT;
    if (strcmp(f[0], "account") == 0 && n == 8) {
        bill_account *a;
        TRY(bill_account_create(&a, f[1]));
        TRY(bill_account_set_class(a, f[2]));
        TRY(bill_account_set_tariff(a, f[3]));
        TRY(bill_account_set_household_size(a, atoi(f[4])));
        if (*f[5]) {
            num(&v, f[5]);
            TRY(bill_account_set_capacity_kva(a, &v));
        }
        if (*f[6]) {
            num(&v, f[6]);
            TRY(bill_account_set_declared_kw(a, &v));
        }
        TRY(bill_account_set_pf_standard(a, f[7]));
        TRY(bill_registry_add_account(s, a));
        bill_account_free(a);
        counts[0]++;
    } else if (strcmp(f[0], "meter") == 0 && n == 7) {
        bill_meter *m;
        char *regs[BILL_METER_MAX_REGISTERS];
        TRY(bill_meter_create(&m, f[1]));
        TRY(bill_meter_set_digits(m, atoi(f[2])));
        num(&v, f[3]);
        TRY(bill_meter_set_multiplier(m, &v));
        TRY(bill_meter_set_installed(m, day(f[4])));
        if (*f[5])
            TRY(bill_meter_set_removed(m, day(f[5])));
        int nr = split(f[6], ' ', regs, BILL_METER_MAX_REGISTERS);
        for (int i = 0; i < nr; i++) {
            char *kind[2];
            if (split(regs[i], ':', kind, 2) != 2)
                break;
            int k = strcmp(kind[1], "reactive") == 0 ? BILL_REGISTER_REACTIVE
                    : strcmp(kind[1], "demand") == 0 ? BILL_REGISTER_DEMAND
                                                     : BILL_REGISTER_ENERGY;
            TRY(bill_meter_add_register(m, kind[0], k, 0));
        }
        TRY(bill_registry_add_meter(s, m));
        bill_meter_free(m);
        counts[1]++;
    } else if (strcmp(f[0], "link") == 0 && n == 5) {
        TRY(bill_registry_link(s, f[1], f[2], day(f[3]), day(f[4])));
        counts[2]++;
    } else if (strcmp(f[0], "shared") == 0 && n == 5) {
        char *parts[64], *refs[64];
        bill_dec ratios[64];
        int np = split(f[2], ' ', parts, 64);
        for (int i = 0; i < np; i++) {
            char *rr[2];
            if (split(parts[i], ':', rr, 2) != 2) {
                fprintf(stderr, "demo: registry line %d: REF:RATIO expected\n", lineno);
                exit(1);
            }
            refs[i] = rr[0];
            bill_dec_init(&ratios[i]);
            num(&ratios[i], rr[1]);
        }
        TRY(bill_registry_link_shared(s, f[1], (const char *const *)refs, ratios, (size_t)np,
                                      day(f[3]), day(f[4])));
        for (int i = 0; i < np; i++)
            bill_dec_clear(&ratios[i]);
        counts[3]++;
    } else if (strcmp(f[0], "sub") == 0 && n == 5) {
        TRY(bill_registry_add_sub(s, f[1], f[2], day(f[3]), day(f[4])));
        counts[4]++;
    } else {
        fprintf(stderr, "demo: registry line %d: unknown record '%s'\n", lineno, f[0]);
        exit(1);
    }
    bill_dec_clear(&v);
}

static void load_registry(bill_store *s, const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    int counts[5] = {0}, lineno = 0;
    TRY(bill_store_begin(s));   /* one transaction for the whole file */
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        lineno++;
        if (*line && *line != '#')
            registry_record(s, line, lineno, counts);
        line = nl ? nl + 1 : NULL;
    }
    TRY(bill_store_commit(s));
    free(text);
    printf("   registry: %d accounts, %d meters, %d links, %d shared link, %d sub-meter relation\n",
           counts[0], counts[1], counts[2], counts[3], counts[4]);
}

/* 1 when p starts with `shape` (x: a character of `digits`, others as they are). */
static int has_shape(const char *p, const char *shape, const char *digits)
{
    for (size_t i = 0; shape[i]; i++)
        if (!p[i] || (shape[i] == 'x' ? !strchr(digits, p[i]) : p[i] != shape[i]))
            return 0;
    return 1;
}

/*
 * Replace every UUID in `text` by "<uuid>" and every time stamp of the
 * store's clock (when a file was imported) by "<time>": the output must not
 * change between runs.
 */
static void mask_uuids(char *text)
{
    static const char uuid[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    static const char stamp[] = "xxxx-xx-xxTxx:xx:xxZ";
    for (char *p = text; *p; p++) {
        if (has_shape(p, uuid, "0123456789abcdef")) {
            memcpy(p, "<uuid>", 6);
            memmove(p + 6, p + 36, strlen(p + 36) + 1);
        } else if (has_shape(p, stamp, "0123456789")) {
            memcpy(p, "<time>", 6);
            memmove(p + 6, p + 20, strlen(p + 20) + 1);
        }
    }
}

/* Import a readings file with "now" fixed (deterministic) and print its report. */
static void import_readings(bill_store *s, const char *dir, const char *name)
{
    char path[4096];
    bill_importer *imp;
    bill_datetime now;
    snprintf(path, sizeof path, "%s/data/demo/%s", dir, name);
    TRY(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, name));
    TRY(bill_datetime_make(&now, ymd(2026, 1, 10), 0, 0));
    TRY(bill_importer_set_now(imp, now));
    TRY(bill_importer_read_file(imp, path));
    printf("   %s: %lld rows: %lld accepted, %lld duplicate, %lld rejected\n", name,
           (long long)bill_importer_total(imp), (long long)bill_importer_accepted(imp),
           (long long)bill_importer_duplicate(imp), (long long)bill_importer_rejected(imp));
    char *ex = bill_store_import_exceptions(s, bill_importer_uuid(imp));
    if (!ex) {
        fprintf(stderr, "demo: import exceptions: %s\n", bill_errmsg());
        exit(1);
    }
    /* "<line>\t<field>\t<code>\t<message>\n" per exception */
    for (char *line = ex; *line;) {
        char *nl = strchr(line, '\n'), *f[4];
        if (nl)
            *nl = 0;
        mask_uuids(line);
        if (split(line, '\t', f, 4) == 4)
            printf("     %-9s %s\n", f[2], f[3]);
        if (!nl)
            break;
        line = nl + 1;
    }
    bill_free(ex);
    bill_importer_free(imp);
}

static void print_run(const bill_billing_report *r, const char *what)
{
    printf("   %s: %zu accounts: %zu billed, %zu already billed, %zu skipped\n", what,
           bill_billing_report_accounts(r), bill_billing_report_billed(r),
           bill_billing_report_already_billed(r), bill_billing_report_skipped(r));
    for (size_t i = 0; i < bill_billing_report_skipped(r); i++)
        printf("     skipped %s (%s): %s\n", bill_billing_report_skipped_account(r, i),
               bill_status_name(bill_billing_report_skipped_status(r, i)),
               bill_billing_report_skipped_reason(r, i));
}

/*
 * Bill one account again from the store with the public pieces the run uses
 * (determinants, usage with the account's fields, the tariff) into `b`; 1 if
 * the result is byte-identical to the stored bill, 0 if not, -1 if the
 * account has no stored bill.
 */
/*
 * Year-to-date of an annual-tier account as the billing run computes it: the
 * energy from 1 January of the period's year up to its start (the demo's
 * accounts were all linked before 2025, so no opened date).
 */
static void year_to_date(bill_dec *out, bill_store *s, bill_determinants *d, const char *ref,
                         bill_period p)
{
    int y;
    bill_date_to_ymd(p.start, &y, NULL, NULL);
    bill_period yp = {ymd(y, 1, 1), p.start};
    TRY(bill_dec_set_i64(out, 0, 0));
    if (yp.start.day < yp.end.day) {
        TRY(bill_store_determinants(d, s, ref, yp));
        TRY(bill_determinants_get(out, NULL, d, "total"));
    }
}

static int is_annual(const bill_account *a)
{
    return strcmp(bill_account_tariff(a), "cn-residential-annual") == 0;
}

static int rebill(bill_store *s, bill_determinants *d, bill_usage *u, bill_bill *b,
                  bill_tariff *const *tariffs, size_t nt, const bill_account *a, bill_period p)
{
    const char *ref = bill_account_reference(a);
    char *stored = bill_store_bill_json(s, ref, p);
    if (!stored)
        return -1;
    const bill_tariff *t = NULL;
    for (size_t i = 0; i < nt; i++)
        if (strcmp(bill_tariff_id(tariffs[i]), bill_account_tariff(a)) == 0)
            t = tariffs[i];
    bill_dec v = BILL_DEC_INIT;
    bill_usage_reset(u);
    if (is_annual(a)) {
        year_to_date(&v, s, d, ref, p);
        TRY(bill_usage_set_ytd_kwh(u, &v));
    }
    TRY(bill_store_determinants(d, s, ref, p));
    TRY(bill_determinants_to_usage(u, d));
    TRY(bill_usage_set_class(u, bill_account_class(a)));
    TRY(bill_usage_set_household_size(u, bill_account_household_size(a)));
    TRY(bill_account_capacity_kva(&v, a));
    if (bill_dec_sign(&v) > 0)
        TRY(bill_usage_set_capacity_kva(u, &v));
    TRY(bill_account_declared_kw(&v, a));
    if (bill_dec_sign(&v) > 0)
        TRY(bill_usage_set_declared_kw(u, &v));
    if (*bill_account_pf_standard(a))
        TRY(bill_usage_set_pf_standard(u, bill_account_pf_standard(a)));
    TRY(bill_tariff_compute(t, u, b));
    char *json = bill_bill_to_json(b);
    int same = json && strcmp(json, stored) == 0;
    bill_free(json);
    bill_free(stored);
    bill_dec_clear(&v);
    return same;
}

static void print_determinants(const bill_determinants *d)
{
    bill_dec v = BILL_DEC_INIT;
    printf("   determinants:");
    for (size_t i = 0; i < bill_determinants_count(d); i++) {
        TRY(bill_determinants_value(&v, d, i));
        printf(" %s %s%s", bill_determinants_code(d, i), dec(&v),
               bill_determinants_kind(d, i) == BILL_REGISTER_REACTIVE ? " kvarh"
               : bill_determinants_kind(d, i) == BILL_REGISTER_DEMAND ? " kW"
                                                                       : " kWh");
    }
    printf("\n");
    bill_dec_clear(&v);
}

/* The meters and determinants of one account over p. */
static void show_account(bill_store *s, bill_determinants *d, const char *ref, bill_period p,
                         const char *what)
{
    bill_link_list *l;
    bill_dec v = BILL_DEC_INIT;
    printf("   %s, %s [%s, %s):\n", ref, what, date(p.start), date(p.end));
    TRY(bill_registry_account_meters(&l, s, ref, p));
    for (int i = 0; i < bill_link_list_count(l); i++) {
        TRY(bill_link_list_ratio(&v, l, i));
        printf("     meter %-8s linked [%s, %s) ratio %s\n", bill_link_list_meter(l, i),
               date(bill_link_list_from(l, i)), date(bill_link_list_to(l, i)), dec(&v));
    }
    bill_link_list_free(l);
    TRY(bill_store_determinants(d, s, ref, p));
    printf("  ");
    print_determinants(d);
    bill_dec_clear(&v);
}

/* How the determinants handle a shared meter, a meter exchange and a rollover. */
static void special_cases(bill_store *s, bill_determinants *d)
{
    bill_period dec25, jul25;
    TRY(bill_period_make(&dec25, ymd(2025, 12, 1), ymd(2026, 1, 1)));
    TRY(bill_period_make(&jul25, ymd(2025, 7, 1), ymd(2025, 8, 1)));
    printf("\n   Determinants of the special cases in the data:\n");
    show_account(s, d, "R-0003", dec25, "own meter plus half of the shared stairwell meter");
    show_account(s, d, "R-0004", dec25, "the other half (the halves add up to the shared kWh)");
    /* The shared meter's energy, split exactly (the rule the determinants use). */
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT, kwh = BILL_DEC_INIT, parts[2];
    bill_datetime t0, t1;
    bill_link_list *l;
    TRY(bill_datetime_make(&t0, dec25.start, 0, 0));
    TRY(bill_datetime_make(&t1, dec25.end, 0, 0));
    TRY(bill_store_reading_before(&a, &t0, s, "E-SH01", "total", t0));
    TRY(bill_store_reading_before(&b, &t1, s, "E-SH01", "total", t1));
    TRY(bill_dec_sub(&kwh, &b, &a));
    TRY(bill_registry_meter_accounts(&l, s, "E-SH01", dec25.start));
    bill_dec_init(&parts[0]);
    bill_dec_init(&parts[1]);
    TRY(bill_link_list_split(parts, 2, l, &kwh, 0));
    printf("     (E-SH01 read %s then %s: %s kWh, split %s to %s and %s to %s: the odd kWh goes\n"
           "      to the earlier account on a tie)\n", dec(&a), dec(&b), dec(&kwh),
           dec(&parts[0]), bill_link_list_account(l, 0), dec(&parts[1]),
           bill_link_list_account(l, 1));
    bill_link_list_free(l);
    bill_dec_clear(&parts[0]);
    bill_dec_clear(&parts[1]);
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&kwh);
    show_account(s, d, "R-0005", jul25, "meter exchanged on 2025-07-15 (old to its final reading, "
                                        "new from its initial one)");
    show_account(s, d, "R-0040", dec25, "a 6-digit register that wrapped past 999999");
}

static void billing(bill_store *s, const char *dir)
{
    static const char *const ids[] = {"cn-residential-annual", "cn-residential-monthly-seasonal",
                                      "cn-commercial-tou", "cn-large-industry"};
    static const char *const classes[] = {"residential", "commercial", "large_industry"};
    static const char *const samples[] = {"R-0001", "R-0025", "C-001", "I-01"};
    enum { NT = 4, NC = 3 };
    bill_tariff *tariffs[NT];
    char path[4096];
    size_t len;
    for (int i = 0; i < NT; i++) {
        snprintf(path, sizeof path, "%s/tariffs/%s.json", dir, ids[i]);
        char *text = read_file(path, &len);
        TRY(bill_tariff_load(&tariffs[i], text, len, path));
        free(text);
    }
    bill_period p;
    TRY(bill_period_make(&p, ymd(2025, 12, 1), ymd(2026, 1, 1)));
    printf("\n12. Billing run for December 2025 [%s, %s), every account, tariffs:\n",
           date(p.start), date(p.end));
    for (int i = 0; i < NT; i++)
        printf("   %-32s %s\n", ids[i], bill_tariff_name(tariffs[i]));

    bill_billing_report *r;
    TRY(bill_billing_run(&r, s, p, "cycle 2025-12", (const bill_tariff *const *)tariffs, NT,
                         NULL, 0));
    print_run(r, "first run");
    bill_billing_report_free(r);

    /* Totals by class, from bills recomputed from the store and compared with the stored ones. */
    bill_determinants *d;
    bill_usage *u;
    bill_bill *b;
    TRY(bill_determinants_create(&d));
    TRY(bill_usage_create(&u));
    TRY(bill_bill_create(&b));
    bill_dec sum[NC], kwh[NC], v = BILL_DEC_INIT;
    int nbills[NC] = {0}, same = 0, differ = 0;
    for (int c = 0; c < NC; c++) {
        bill_dec_init(&sum[c]);
        bill_dec_init(&kwh[c]);
    }
    char *refs = bill_registry_account_refs(s);
    if (!refs) {
        fprintf(stderr, "demo: accounts: %s\n", bill_errmsg());
        exit(1);
    }
    for (char *ref = refs; *ref;) {
        char *nl = strchr(ref, '\n');
        *nl = 0;
        bill_account *a;
        TRY(bill_registry_get_account(&a, s, ref));
        int rc = rebill(s, d, u, b, tariffs, NT, a, p);
        if (rc >= 0) {
            rc ? same++ : differ++;
            for (int c = 0; c < NC; c++)
                if (strcmp(bill_account_class(a), classes[c]) == 0) {
                    nbills[c]++;
                    TRY(bill_bill_total(&v, b));
                    TRY(bill_dec_add(&sum[c], &sum[c], &v));
                    for (size_t i = 0; i < bill_determinants_count(d); i++)
                        if (bill_determinants_kind(d, i) == BILL_REGISTER_ENERGY) {
                            TRY(bill_determinants_value(&v, d, i));
                            TRY(bill_dec_add(&kwh[c], &kwh[c], &v));
                        }
                }
        }
        bill_account_free(a);
        ref = nl + 1;
    }
    bill_free(refs);
    printf("\n   %-16s %6s %14s %16s\n", "class", "bills", "kWh", "total CNY");
    bill_dec all = BILL_DEC_INIT;
    for (int c = 0; c < NC; c++) {
        printf("   %-16s %6d %14s %16s\n", classes[c], nbills[c], dec(&kwh[c]), dec(&sum[c]));
        TRY(bill_dec_add(&all, &all, &sum[c]));
    }
    printf("   %-16s %6d %14s %16s\n", "all", nbills[0] + nbills[1] + nbills[2], "", dec(&all));
    printf("   every bill recomputed from the store matches the stored one byte for byte: %s"
           " (%d same, %d different)\n", differ ? "NO" : "yes", same, differ);

    for (int k = 0; k < 4; k++) {
        bill_account *a;
        TRY(bill_registry_get_account(&a, s, samples[k]));
        printf("\n---- %s (%s, %s) ----\n", samples[k], bill_account_class(a),
               bill_account_tariff(a));
        bill_link_list *l;
        TRY(bill_registry_account_meters(&l, s, samples[k], p));
        for (int i = 0; i < bill_link_list_count(l); i++) {
            TRY(bill_link_list_ratio(&v, l, i));
            printf("   meter %s, ratio %s\n", bill_link_list_meter(l, i), dec(&v));
        }
        bill_link_list_free(l);
        if (k == 0) {   /* R-0001's meter is a master: its account pays master minus sub */
            TRY(bill_registry_subs(&l, s, "E-R0001", p));
            for (int i = 0; i < bill_link_list_count(l); i++)
                printf("   minus sub-meter %s (under %s)\n", bill_link_list_meter(l, i),
                       bill_link_list_master(l, i));
            bill_link_list_free(l);
        }
        if (is_annual(a)) {
            year_to_date(&v, s, d, samples[k], p);
            printf("   year-to-date before the period (annual tiers): %s kWh\n", dec(&v));
        }
        if (rebill(s, d, u, b, tariffs, NT, a, p) < 0) {
            printf("   (no bill)\n");
        } else {
            print_determinants(d);
            char *out = bill_bill_to_text(b);
            printf("%s", out ? out : "");
            bill_free(out);
        }
        bill_account_free(a);
    }

    special_cases(s, d);

    printf("\n13. The same billing run again: nothing is billed twice\n");
    TRY(bill_billing_run(&r, s, p, "cycle 2025-12 (again)", (const bill_tariff *const *)tariffs,
                         NT, NULL, 0));
    print_run(r, "second run");
    bill_billing_report_free(r);

    printf("\n14. The late reading arrives; the run bills only the account that was skipped\n");
    import_readings(s, dir, "readings-late.csv");
    TRY(bill_billing_run(&r, s, p, "cycle 2025-12 (late)", (const bill_tariff *const *)tariffs,
                         NT, NULL, 0));
    print_run(r, "third run");
    bill_billing_report_free(r);

    for (int c = 0; c < NC; c++) {
        bill_dec_clear(&sum[c]);
        bill_dec_clear(&kwh[c]);
    }
    bill_dec_clear(&v);
    bill_dec_clear(&all);
    bill_bill_free(b);
    bill_usage_free(u);
    bill_determinants_free(d);
    for (int i = 0; i < NT; i++)
        bill_tariff_free(tariffs[i]);
}

static void field_audit(bill_store *s, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/demo/audit.csv", dir);
    printf("\n15. Field audit (meter-to-account check) of %s/data/demo/audit.csv\n", dir);
    bill_verify *v;
    TRY(bill_verify_create(&v, s, NULL));
    TRY(bill_verify_add_file(v, path));
    TRY(bill_verify_run(v));
    int per[9] = {0};
    for (size_t i = 0; i < bill_verify_row_count(v); i++) {
        int c = bill_verify_row_class(v, i);
        if (c >= 0 && c < 9)
            per[c]++;
        if (c != BILL_VERIFY_CONFIRMED)
            printf("   line %-3lld %-21s %s\n", (long long)bill_verify_row_line(v, i),
                   bill_verify_class_name(c), bill_verify_row_evidence(v, i));
    }
    printf("   rows by class:");
    for (int c = 0; c < 9; c++)
        if (per[c])
            printf(" %s %d", bill_verify_class_name(c), per[c]);
    printf("\n   accounts (confirmed ones counted, the others listed):\n");
    int confirmed = 0;
    for (size_t i = 0; i < bill_verify_account_count(v); i++) {
        int c = bill_verify_account_class(v, i);
        if (c == BILL_VERIFY_ACCOUNT_CONFIRMED) {
            confirmed++;
            continue;
        }
        printf("   %-7s %-16s %s\n", bill_verify_account_reference(v, i), bill_verify_class_name(c),
               bill_verify_account_evidence(v, i));
    }
    printf("   %d accounts confirmed\n", confirmed);
    bill_verify_free(v);

    printf("\n16. Anomalies in the 2025 reading history (3+ zero months; a month above 3x"
           " or below 1/3 of the usual)\n");
    bill_anomalies *an;
    TRY(bill_anomalies_find(&an, s, NULL));
    for (size_t i = 0; i < bill_anomalies_count(an); i++)
        printf("   %-7s %-8s %-11s %s\n", bill_anomalies_text(an, i, "account"),
               bill_anomalies_text(an, i, "meter_serial"),
               bill_anomaly_kind_name(bill_anomalies_kind(an, i)),
               bill_anomalies_text(an, i, "evidence"));
    bill_anomalies_free(an);
}

/* The temporary folder of the store, removed at exit (also when a step fails). */
static char store_dir[] = "/tmp/libbill-demo-XXXXXX";

static void remove_store(void)
{
    static const char *const files[] = {"demo.db", "demo.db-wal", "demo.db-shm",
                                        "demo.db-journal"};
    char path[128];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", store_dir, files[i]);
        remove(path);
    }
    rmdir(store_dir);
}

static void store_part(const char *dir)
{
    char path[4096];
    if (!mkdtemp(store_dir)) {
        perror("demo: mkdtemp");
        exit(1);
    }
    atexit(remove_store);
    snprintf(path, sizeof path, "%s/demo.db", store_dir);
    printf("\n10. The store: an SQLite file (in a temporary folder, removed at the end)\n");
    bill_store *s;
    TRY(bill_store_open(&s, path, BILL_STORE_CREATE));
    printf("   schema version %d\n", bill_store_schema_version(s));
    snprintf(path, sizeof path, "%s/data/demo/registry.csv", dir);
    load_registry(s, path);

    printf("\n11. Import of a year of cycle readings (now = 2026-01-10); every rejected row\n"
           "    is kept with its line, code, column and reason\n");
    import_readings(s, dir, "readings.csv");
    int64_t n;
    TRY(bill_store_count_readings(&n, s, BILL_IMPORT_READINGS));
    printf("   readings in the store: %lld\n", (long long)n);

    billing(s, dir);
    field_audit(s, dir);
    bill_store_close(s);
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
    store_part(dir);

    bill_money_clear(&total);
    bill_calendar_free(cn);
    bill_calendar_free(plain);
    return 0;
}
