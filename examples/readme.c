/* The C example of README.md, kept here so that it is compiled and run by make check. */
#include <bill.h>
#include <stdio.h>

int main(void)
{
    bill_dec price = BILL_DEC_INIT, kwh = BILL_DEC_INIT, amount = BILL_DEC_INIT;
    char text[64];

    if (bill_dec_parse(&price, "0.5283", (size_t)-1) != BILL_OK ||
        bill_dec_parse(&kwh, "3120.5", (size_t)-1) != BILL_OK) {
        fprintf(stderr, "%s\n", bill_errmsg());   /* names the bad text and position */
        return 1;
    }
    bill_dec_mul(&amount, &price, &kwh);                        /* exact: 1648.56015 */
    bill_dec_rescale(&amount, &amount, 2, BILL_ROUND_HALF_UP);  /* to the fen: 1648.56 */
    bill_dec_format(&amount, text, sizeof text);
    printf("%s\n", text);

    bill_dec_clear(&price); bill_dec_clear(&kwh); bill_dec_clear(&amount);
    return 0;
}
