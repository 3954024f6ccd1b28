/*
 * Reading register readings from CSV and turning them into energy.
 *
 * Reads examples/data/readings-sample.csv (or the file named on the command
 * line) with the public meter-data CSV reader, in small chunks as a large
 * file would be read, and prints each row: valid ones with their typed
 * fields, rejected ones with the reason (they would go to an exceptions
 * table). For the valid "total" readings of meters whose previous reading
 * is known (a small table below, standing in for the store), it then
 * computes the advance and the energy with the register's digits and
 * multiplier, telling a rollover from a decrease.
 */
#include "bill.h"

#include <stdio.h>
#include <string.h>

/* The previous reading, digits and multiplier of some registers (the store's job). */
static const struct {
    const char *serial, *previous, *multiplier;
    int digits, decimals;
} known[] = {
    {"M-2024-0001", "12000.0", "40", 5, 1},
    {"M-2024-0003", "99900.0", "1", 5, 1},
    {"M-2024-0008", "99950.0", "1", 5, 1},   /* the register wrapped */
    {"M-2024-0009", "95", "1", 5, 0},        /* lower than before: a decrease */
};

static void advance(const char *serial, const bill_dec *current)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(known[i].serial, serial) != 0)
            continue;
        bill_dec prev = BILL_DEC_INIT, mult = BILL_DEC_INIT, adv = BILL_DEC_INIT, kwh = BILL_DEC_INIT;
        int kind;
        char a[64], b[64], c[64];
        bill_dec_parse(&prev, known[i].previous, (size_t)-1);
        bill_dec_parse(&mult, known[i].multiplier, (size_t)-1);
        bill_dec_format(current, c, sizeof c);
        if (bill_register_advance(&adv, &kwh, &kind, &prev, current, known[i].digits, known[i].decimals,
                                  &mult, NULL) == BILL_OK) {
            bill_dec_format(&adv, a, sizeof a);
            bill_dec_format(&kwh, b, sizeof b);
            printf("  %s: %s -> %s, %s, advance %s x %s = %s kWh\n", serial, known[i].previous, c,
                   kind == BILL_ADVANCE_ROLLOVER ? "rollover" : "normal", a, known[i].multiplier, b);
        } else {
            printf("  %s: %s -> %s rejected: %s\n", serial, known[i].previous, c, bill_errmsg());
        }
        bill_dec_clear(&prev);
        bill_dec_clear(&mult);
        bill_dec_clear(&adv);
        bill_dec_clear(&kwh);
    }
}

static void take_rows(bill_meter_csv *r, int *advances_only)
{
    while (bill_meter_csv_next(r) == 1) {
        if (bill_meter_csv_status(r) != BILL_OK) {
            if (!*advances_only)
                printf("  REJECTED %s (%s)\n", bill_meter_csv_reason(r),
                       bill_status_name(bill_meter_csv_status(r)));
            continue;
        }
        bill_dec v = BILL_DEC_INIT;
        bill_datetime t;
        char value[64], when[32];
        bill_meter_csv_value(&v, r);
        bill_meter_csv_time(&t, r);
        bill_dec_format(&v, value, sizeof value);
        if (bill_meter_csv_has_time(r))
            bill_datetime_format(t, when, sizeof when);
        else
            bill_date_format(bill_datetime_date(t), when, sizeof when);
        if (*advances_only) {
            if (strcmp(bill_meter_csv_text(r, "register"), "total") == 0)
                advance(bill_meter_csv_text(r, "meter_serial"), &v);
        } else {
            const char *source = bill_meter_csv_text(r, "source");
            printf("  line %2lld  %-12s %-7s %-16s %9s %s%s%s\n", (long long)bill_meter_csv_line(r),
                   bill_meter_csv_text(r, "meter_serial"), bill_meter_csv_text(r, "register"), when,
                   value, bill_meter_csv_kind(r) == BILL_READING_ESTIMATED ? "estimated" : "actual   ",
                   source[0] ? " " : "", source);
        }
        bill_dec_clear(&v);
    }
}

/* Read the file through the reader in chunks of 64 bytes; pass 0 lists rows, pass 1 advances. */
static int read_file(const char *path, int pass)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "meter_readings: cannot open %s\n", path);
        return 1;
    }
    bill_meter_csv *r = NULL;
    if (bill_meter_csv_create(&r, BILL_METER_CSV_READINGS) != BILL_OK) {
        fclose(f);
        return 1;
    }
    char buf[64];
    size_t n;
    int rc = BILL_OK;
    while (rc == BILL_OK && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        rc = bill_meter_csv_feed(r, buf, n);
        take_rows(r, &pass);
    }
    if (rc == BILL_OK)
        rc = bill_meter_csv_finish(r);
    take_rows(r, &pass);
    if (rc != BILL_OK)
        printf("  the file cannot be read: %s\n", bill_meter_csv_errmsg(r));
    else if (pass == 0)
        printf("  %lld rows, %lld rejected\n", (long long)bill_meter_csv_rows(r),
               (long long)bill_meter_csv_rejected(r));
    bill_meter_csv_free(r);
    fclose(f);
    return rc == BILL_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "examples/data/readings-sample.csv";
    printf("Register readings in %s:\n", path);
    if (read_file(path, 0) != 0)
        return 1;
    printf("\nAdvances of the total registers against the previous readings:\n");
    return read_file(path, 1);
}
