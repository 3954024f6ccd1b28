/*
 * batch: a month of bills for a street of households at once.
 *
 * Eight residential accounts on the annual-tier TOU tariff
 * (examples/tariffs/cn-residential-annual-tou.json) are billed for June 2025
 * as one batch: their usage is given as columns, one value per account, each
 * column exact decimals as integer coefficients at one scale (peak and valley
 * kWh in tenths, this year's kWh so far in whole kWh). The batch gives every
 * account's total, subtotal and included VAT, the same as billing each one
 * with bill_tariff_compute; one account's meter sent an impossible total, and
 * only that account fails. Then the itemized bill of the account with the
 * largest total is built on request. Run from the repository root.
 */
#include <bill.h>

#include <stdio.h>
#include <stdlib.h>

#define TRY(call)                                                                   \
    do {                                                                            \
        int st_ = (call);                                                           \
        if (st_ < 0) {                                                              \
            fprintf(stderr, "batch: %s failed: %s: %s\n", #call,                    \
                    bill_status_name(st_), bill_errmsg());                          \
            exit(1);                                                                \
        }                                                                           \
    } while (0)

#define N 8

static const char *dec(const bill_dec *d)
{
    static char bufs[4][64];
    static int next;
    char *b = bufs[next++ % 4];
    bill_dec_format(d, b, sizeof bufs[0]);
    return b;
}

static bill_tariff *load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "batch: cannot open %s\n", path);
        exit(1);
    }
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    bill_tariff *t;
    TRY(bill_tariff_load(&t, buf, len, path));
    return t;
}

int main(void)
{
    bill_tariff *t = load("examples/tariffs/cn-residential-annual-tou.json");
    bill_period june;
    TRY(bill_period_parse(&june, "2025-06-01/2025-07-01", (size_t)-1));

    /* tenths of kWh, and whole kWh for the year so far */
    static const char *const account[N] = {"R-1001", "R-1002", "R-1003", "R-1004",
                                           "R-1005", "R-1006", "R-1007", "R-1008"};
    int64_t peak[N] = {3000, 6000, 1875, 0, 2404, 4410, 960, 5123};
    int64_t valley[N] = {1200, 3000, 902, 0, 1377, 2050, 455, 1877};
    int64_t ytd[N] = {2761, 4500, 800, 1200, 3050, 5210, 0, 3100};
    int64_t total[N] = {4200, 9000, 2777, 0, 3781, 6460, 1415, 7999}; /* R-1008: 7000 sent as 7999 */

    bill_batch *b;
    TRY(bill_batch_create(&b, t, june, N));
    TRY(bill_batch_set_class(b, "residential"));
    TRY(bill_batch_set_tou_kwh(b, "peak", peak, 1));
    TRY(bill_batch_set_tou_kwh(b, "valley", valley, 1));
    TRY(bill_batch_set_kwh(b, total, 1));
    TRY(bill_batch_set_ytd_kwh(b, ytd, 0));

    /* a column with a bad value is refused whole, naming the account */
    int64_t bad[N] = {3000, 6000, 1875, 0, -1, 4410, 960, 5123};
    int st = bill_batch_set_tou_kwh(b, "peak", bad, 1);
    printf("a peak column with a negative value: %s: %s\n\n", bill_status_name(st), bill_errmsg());

    TRY(bill_batch_compute(b));
    printf("%s, June 2025, %zu accounts (%zu failed)\n\n", bill_tariff_name(t),
           bill_batch_size(b), bill_batch_failed(b));
    printf("%-8s %10s %10s %10s\n", "account", "kWh", "VAT incl.", "total");
    bill_dec d = BILL_DEC_INIT, vat = BILL_DEC_INIT, sum = BILL_DEC_INIT, best = BILL_DEC_INIT;
    size_t top = 0;
    for (size_t i = 0; i < N; i++) {
        bill_dec kwh = BILL_DEC_INIT;
        TRY(bill_dec_set_i64(&kwh, total[i], 1));
        if (bill_batch_status(b, i) != BILL_OK) {
            printf("%-8s %10s %10s %10s   failed: %s\n", account[i], dec(&kwh), "", "",
                   bill_errmsg());
            bill_dec_clear(&kwh);
            continue;
        }
        TRY(bill_batch_total(&d, b, i));
        TRY(bill_batch_tax(&vat, b, i));
        TRY(bill_dec_add(&sum, &sum, &d));
        if (bill_dec_cmp(&d, &best) > 0) {
            TRY(bill_dec_copy(&best, &d));
            top = i;
        }
        printf("%-8s %10s %10s %10s\n", account[i], dec(&kwh), dec(&vat), dec(&d));
        bill_dec_clear(&kwh);
    }
    printf("%-8s %10s %10s %10s\n\n", "", "", "", dec(&sum));

    /* the failed account's reason, and the itemized bill of the largest */
    bill_bill *bill;
    TRY(bill_bill_create(&bill));
    st = bill_batch_bill(bill, b, N - 1);
    printf("%s: %s\n\n", account[N - 1], st == BILL_OK ? "billed" : bill_errmsg());
    TRY(bill_batch_bill(bill, b, top));
    char *text = bill_bill_to_text(bill);
    printf("the largest bill, %s:\n%s", account[top], text ? text : "");
    bill_free(text);

    bill_dec_clear(&d);
    bill_dec_clear(&vat);
    bill_dec_clear(&sum);
    bill_dec_clear(&best);
    bill_bill_free(bill);
    bill_batch_free(b);
    bill_tariff_free(t);
    return 0;
}
