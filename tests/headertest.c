/* The umbrella header must compile alone as strict C99 (make check-headers). */
#include "bill.h"

int headertest_dummy(void);
int headertest_dummy(void)
{
    bill_dec d = BILL_DEC_INIT;
    bill_money m = BILL_MONEY_INIT;
    (void)d;
    (void)m;
    return BILL_OK;
}
