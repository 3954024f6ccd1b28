/*
 * whatif: the "economical usage plan" a utility offers its customers. The
 * same twelve months of usage are billed under alternatives and ranked,
 * cheapest first, with the saving against what the customer has now:
 *
 *   1. a large industrial customer (3150 kVA installed, 2000 kW declared):
 *      the basic charge on installed capacity, on the declared (contracted)
 *      demand, or on the actual maximum demand
 *      (examples/tariffs/cn-large-industry-options.json, option basic_charge);
 *      then the declared demand that would have cost least over the year;
 *   2. a household: residential time-of-use prices against the flat price
 *      (cn-residential-annual-tou.json versus cn-residential-annual.json; the
 *      flat tariff prices the total of the TOU registers).
 *
 * Every figure is a full bill (TOU energy, power-factor adjustment, funds,
 * tiers), summed exactly. Run from the repository root.
 */
#include <bill.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRY(call)                                                                   \
    do {                                                                            \
        int st_ = (call);                                                           \
        if (st_ < 0) {                                                              \
            fprintf(stderr, "whatif: %s failed: %s: %s\n", #call,                   \
                    bill_status_name(st_), bill_errmsg());                          \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

static const char *dec(const bill_dec *d)
{
    static char bufs[8][64];
    static int next;
    char *b = bufs[next++ % 8];
    bill_dec_format(d, b, sizeof bufs[0]);
    return b;
}

static void set(bill_dec *d, const char *text)
{
    TRY(bill_dec_parse(d, text, (size_t)-1));
}

static bill_tariff *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "whatif: cannot open %s (run from the repository root)\n", path);
        exit(1);
    }
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    bill_tariff *t;
    TRY(bill_tariff_load(&t, buf, n, path));
    return t;
}

static bill_period month(int y, int m)
{
    bill_date a, b;
    TRY(bill_date_from_ymd(&a, y, m, 1));
    TRY(bill_date_from_ymd(&b, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1));
    return (bill_period){a, b};
}

static void print_ranking(const bill_whatif *w)
{
    bill_dec total = BILL_DEC_INIT, saving = BILL_DEC_INIT;
    for (size_t r = 0; r < bill_whatif_result_count(w); r++) {
        if (bill_whatif_status(w, r) != BILL_OK) {
            printf("  %zu. %-34s failed: %s\n", r + 1, bill_whatif_label(w, r),
                   bill_whatif_error(w, r));
            continue;
        }
        TRY(bill_whatif_total(&total, w, r));
        TRY(bill_whatif_saving(&saving, w, r));
        printf("  %zu. %-34s %13s   saving %11s\n", r + 1, bill_whatif_label(w, r), dec(&total),
               dec(&saving));
    }
    bill_dec_clear(&total);
    bill_dec_clear(&saving);
}

/* ---- 1. the industrial customer ------------------------------------------------------ */

static void industry(void)
{
    /* maximum demand (kW), kWh by TOU period (thousands), kvarh (thousands), per month of 2025 */
    static const char *const demand[12] = {"1650", "1720", "1890", "1950", "2080", "2150",
                                           "2260", "2240", "2010", "1880", "1760", "1700"};
    static const int peak[12] = {280, 270, 300, 310, 320, 330, 300, 305, 320, 310, 290, 285};
    static const int flat[12] = {380, 360, 400, 410, 420, 430, 400, 405, 420, 410, 390, 385};
    static const int valley[12] = {420, 400, 430, 440, 450, 460, 450, 455, 440, 430, 420, 415};
    static const int critical[12] = {0, 0, 0, 0, 0, 0, 70, 72, 0, 0, 0, 0};
    static const int kvarh[12] = {560, 540, 600, 620, 650, 700, 690, 700, 640, 600, 560, 550};
    bill_usage *u[12];
    bill_dec v = BILL_DEC_INIT;
    for (int i = 0; i < 12; i++) {
        char buf[32];
        TRY(bill_usage_create(&u[i]));
        TRY(bill_usage_set_period(u[i], month(2025, i + 1)));
        TRY(bill_usage_set_class(u[i], "large_industry"));
        set(&v, "3150");
        TRY(bill_usage_set_capacity_kva(u[i], &v));
        set(&v, "2000");
        TRY(bill_usage_set_declared_kw(u[i], &v));
        set(&v, demand[i]);
        TRY(bill_usage_set_max_demand_kw(u[i], &v));
        const int *reg[4] = {critical, peak, flat, valley};
        const char *names[4] = {"critical", "peak", "flat", "valley"};
        for (int k = 0; k < 4; k++) {
            if (reg[k][i] == 0)
                continue;
            snprintf(buf, sizeof buf, "%d000", reg[k][i]);
            set(&v, buf);
            TRY(bill_usage_set_tou_kwh(u[i], names[k], &v));
        }
        snprintf(buf, sizeof buf, "%d000", kvarh[i]);
        set(&v, buf);
        TRY(bill_usage_set_kvarh(u[i], &v));
        TRY(bill_usage_set_pf_standard(u[i], "0.90"));
    }
    bill_tariff *t = load("examples/tariffs/cn-large-industry-options.json");
    bill_whatif *w;
    TRY(bill_whatif_create(&w));
    int cur = bill_whatif_add_candidate(w, "declared demand 2000 kW (current)", t);
    TRY(cur);
    TRY(bill_whatif_set_option(w, (size_t)cur, "basic_charge", "contracted_demand"));
    int cap = bill_whatif_add_candidate(w, "installed capacity 3150 kVA", t);
    TRY(cap);
    TRY(bill_whatif_set_option(w, (size_t)cap, "basic_charge", "capacity"));
    int act = bill_whatif_add_candidate(w, "actual maximum demand", t);
    TRY(act);
    TRY(bill_whatif_set_option(w, (size_t)act, "basic_charge", "actual_demand"));
    TRY(bill_whatif_run(w, (const bill_usage *const *)u, 12));

    printf("1. Large industrial customer, 12 months of 2025 (%s)\n", bill_tariff_id(t));
    printf("   Basis of the basic charge, cheapest first (sums of the 12 bills, CNY):\n");
    print_ranking(w);

    bill_dec step = BILL_DEC_INIT, kw = BILL_DEC_INIT, best = BILL_DEC_INIT, now = BILL_DEC_INIT,
             diff = BILL_DEC_INIT;
    set(&step, "1");
    TRY(bill_whatif_best_declared_kw(w, (size_t)cur, (const bill_usage *const *)u, 12, &step));
    TRY(bill_whatif_best_kw(&kw, w));
    TRY(bill_whatif_best_total(&best, w));
    TRY(bill_whatif_current_total(&now, w));
    TRY(bill_dec_sub(&diff, &now, &best));
    printf("   Best declared demand (steps of %s kW, at least 40%% of 3150 kVA): %s kW\n",
           dec(&step), dec(&kw));
    printf("     the 12 bills at %s kW: %s; at 2000 kW: %s; saving %s\n", dec(&kw), dec(&best),
           dec(&now), dec(&diff));

    /* rank again with the best declared demand as a fourth candidate */
    int opt = bill_whatif_add_candidate(w, "declared demand at the best value", t);
    TRY(opt);
    TRY(bill_whatif_set_option(w, (size_t)opt, "basic_charge", "contracted_demand"));
    TRY(bill_whatif_set_declared_kw(w, (size_t)opt, &kw));
    TRY(bill_whatif_run(w, (const bill_usage *const *)u, 12));
    printf("   With that value as a fourth candidate:\n");
    print_ranking(w);
    printf("   Month by month under the cheapest (%s):\n", bill_whatif_label(w, 0));
    for (size_t i = 0; i < bill_whatif_usage_count(w); i++) {
        TRY(bill_whatif_bill_total(&v, w, 0, i));
        printf("%s 2025-%02zu %11s", i % 4 == 0 ? "    " : "  ", i + 1, dec(&v));
        if (i % 4 == 3)
            printf("\n");
    }

    bill_dec_clear(&step);
    bill_dec_clear(&kw);
    bill_dec_clear(&best);
    bill_dec_clear(&now);
    bill_dec_clear(&diff);
    bill_dec_clear(&v);
    bill_whatif_free(w);
    bill_tariff_free(t);
    for (int i = 0; i < 12; i++)
        bill_usage_free(u[i]);
}

/* ---- 2. the household ------------------------------------------------------------------ */

static void household(void)
{
    static const int peak[12] = {260, 230, 190, 160, 170, 240, 330, 340, 230, 170, 180, 240};
    static const int valley[12] = {150, 140, 110, 90, 90, 120, 170, 175, 120, 90, 100, 140};
    bill_usage *u[12];
    bill_dec v = BILL_DEC_INIT;
    int ytd = 0;
    for (int i = 0; i < 12; i++) {
        TRY(bill_usage_create(&u[i]));
        TRY(bill_usage_set_period(u[i], month(2025, i + 1)));
        TRY(bill_usage_set_household_size(u[i], 3));
        TRY(bill_dec_set_i64(&v, peak[i], 0));
        TRY(bill_usage_set_tou_kwh(u[i], "peak", &v));
        TRY(bill_dec_set_i64(&v, valley[i], 0));
        TRY(bill_usage_set_tou_kwh(u[i], "valley", &v));
        TRY(bill_dec_set_i64(&v, ytd, 0));
        TRY(bill_usage_set_ytd_kwh(u[i], &v));
        ytd += peak[i] + valley[i];
    }
    bill_tariff *flat = load("examples/tariffs/cn-residential-annual.json");
    bill_tariff *tou = load("examples/tariffs/cn-residential-annual-tou.json");
    bill_whatif *w;
    TRY(bill_whatif_create(&w));
    TRY(bill_whatif_add_candidate(w, "flat price (current)", flat));
    TRY(bill_whatif_add_candidate(w, "peak and valley prices", tou));
    TRY(bill_whatif_run(w, (const bill_usage *const *)u, 12));
    printf("\n2. Household of 3, 12 months of 2025, %d kWh (annual tiers 3120/4800 kWh)\n", ytd);
    printf("   Residential TOU against the flat price (sums of the 12 bills, CNY):\n");
    print_ranking(w);
    bill_dec_clear(&v);
    bill_whatif_free(w);
    bill_tariff_free(flat);
    bill_tariff_free(tou);
    for (int i = 0; i < 12; i++)
        bill_usage_free(u[i]);
}

int main(void)
{
    industry();
    household();
    return 0;
}
