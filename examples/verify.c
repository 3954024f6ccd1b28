/*
 * A field audit (表户对应核查) checked against the registry: a small
 * registry is built in an in-memory store, the audit in
 * examples/data/audit-sample.csv is reconciled with it, and every row and
 * every account is printed with its class and evidence, then the JSON.
 *
 * This registry has no stored readings (the history checks, below-history
 * and implausible jumps, are shown in docs/verification.md), so the classes
 * here come from the links alone: confirmed, a swap of two meters between
 * two accounts, an unknown meter, an address-only row, a rejected row, and
 * an account whose meter was not found.
 */
#include <stdio.h>
#include "bill.h"

static int fail(const char *what)
{
    fprintf(stderr, "%s: %s (%s)\n", what, bill_errmsg(), bill_status_name(bill_errcode()));
    return 1;
}

int main(void)
{
    bill_store *s;
    if (bill_store_open(&s, ":memory:", 0) != BILL_OK)
        return fail("open");
    bill_date start = { 0 }, open_end = bill_registry_open_end();
    bill_date_parse(&start, "2024-01-01", 10);
    const char *serials[] = { "M-101", "M-102", "M-103", "M-104", "M-109" };
    const char *refs[] = { "A-1", "A-2", "A-3", "A-4", "A-9" };
    for (int i = 0; i < 5; i++) {
        bill_account *a;
        bill_meter *m;
        if (bill_account_create(&a, refs[i]) != BILL_OK ||
            bill_registry_add_account(s, a) != BILL_OK)
            return fail("account");
        bill_account_free(a);
        if (bill_meter_create(&m, serials[i]) != BILL_OK ||
            bill_meter_set_installed(m, start) != BILL_OK ||
            bill_registry_add_meter(s, m) != BILL_OK)
            return fail("meter");
        bill_meter_free(m);
        if (bill_registry_link(s, serials[i], refs[i], start, open_end) != BILL_OK)
            return fail("link");
    }

    bill_verify *v;
    if (bill_verify_create(&v, s, NULL) != BILL_OK ||
        bill_verify_add_file(v, "examples/data/audit-sample.csv") != BILL_OK ||
        bill_verify_run(v) != BILL_OK)
        return fail("verify");
    for (size_t i = 0; i < bill_verify_row_count(v); i++)
        printf("line %lld  %-18s %s\n", (long long)bill_verify_row_line(v, i),
               bill_verify_class_name(bill_verify_row_class(v, i)), bill_verify_row_evidence(v, i));
    printf("\n");
    for (size_t i = 0; i < bill_verify_account_count(v); i++)
        printf("%-4s %-16s %s\n", bill_verify_account_reference(v, i),
               bill_verify_class_name(bill_verify_account_class(v, i)),
               bill_verify_account_evidence(v, i));
    char *json;
    if (bill_verify_to_json(&json, v) != BILL_OK)
        return fail("json");
    printf("\n%s", json);
    bill_free(json);
    bill_verify_free(v);
    bill_store_close(s);
    return 0;
}
