/*
 * decimal_basics: parse, add, multiply, round and print exact decimals.
 *
 * Build against an installed libbill with
 *     cc decimal_basics.c $(pkg-config --cflags --libs --static bill)
 */
#include <bill.h>
#include <stdio.h>

/* Print a decimal with a label; bill_dec_format works like snprintf. */
static void show(const char *label, const bill_dec *d)
{
    char text[64];
    bill_dec_format(d, text, sizeof text);
    printf("%-34s %s\n", label, text);
}

int main(void)
{
    /* Every bill_dec starts as BILL_DEC_INIT (zero) and ends with bill_dec_clear. */
    bill_dec price = BILL_DEC_INIT, kwh = BILL_DEC_INIT, fee = BILL_DEC_INIT;
    bill_dec energy = BILL_DEC_INIT, total = BILL_DEC_INIT, rounded = BILL_DEC_INIT;

    /* 1. Parse from text: never from a double. The scale is kept: "12.00" has 2 decimals. */
    if (bill_dec_parse(&price, "0.5283", (size_t)-1) != BILL_OK ||   /* CNY per kWh */
        bill_dec_parse(&kwh, "3120.45", (size_t)-1) != BILL_OK ||    /* kWh used */
        bill_dec_parse(&fee, "12.00", (size_t)-1) != BILL_OK) {      /* a fixed fee */
        fprintf(stderr, "%s\n", bill_errmsg());   /* says which text and where */
        return 1;
    }
    show("price (CNY/kWh)", &price);
    show("usage (kWh)", &kwh);

    /* 2. Multiply: exact, the scale is the sum of the scales (4 + 2 = 6). */
    bill_dec_mul(&energy, &price, &kwh);
    show("energy = price x usage (exact)", &energy);

    /* 3. Add: exact, the scale is the larger of the two. */
    bill_dec_add(&total, &energy, &fee);
    show("total = energy + fee (exact)", &total);

    /* 4. Round to the fen with a stated mode: HALF_UP is 四舍五入. */
    bill_dec_rescale(&rounded, &total, 2, BILL_ROUND_HALF_UP);
    show("total, HALF_UP to 2 decimals", &rounded);

    /* The mode matters on a tie: 2.345 is 2.35 HALF_UP but 2.34 HALF_EVEN. */
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT;
    bill_dec_parse(&a, "2.345", (size_t)-1);
    bill_dec_rescale(&rounded, &a, 2, BILL_ROUND_HALF_UP);
    show("2.345, HALF_UP to 2 decimals", &rounded);
    bill_dec_rescale(&rounded, &a, 2, BILL_ROUND_HALF_EVEN);
    show("2.345, HALF_EVEN to 2 decimals", &rounded);

    /* 5. Compare by value: 1.5 equals 1.50, but they print differently. */
    bill_dec_parse(&a, "1.5", (size_t)-1);
    bill_dec_parse(&b, "1.50", (size_t)-1);
    printf("%-34s %s\n", "1.5 == 1.50 ?", bill_dec_cmp(&a, &b) == 0 ? "yes" : "no");
    printf("%-34s %s\n", "1.5 identical to 1.50 ?", bill_dec_identical(&a, &b) ? "yes" : "no");

    /* 6. Errors: a status code, and a message naming the problem. */
    int st = bill_dec_parse(&a, "1.2.3", (size_t)-1);
    printf("%-34s %s\n", "parse \"1.2.3\"", bill_status_name(st));

    bill_dec_clear(&price); bill_dec_clear(&kwh); bill_dec_clear(&fee);
    bill_dec_clear(&energy); bill_dec_clear(&total); bill_dec_clear(&rounded);
    bill_dec_clear(&a); bill_dec_clear(&b);
    return 0;
}
