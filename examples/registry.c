/*
 * The registry in a store: accounts, a meter exchange (换表), a shared meter
 * split exactly between two households, and a master meter with a sub-meter
 * (总分表). Uses an in-memory store; pass a file name to keep it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "bill.h"

static bill_date day(const char *text)
{
    bill_date d = { 0 };
    bill_date_parse(&d, text, (size_t)-1);
    return d;
}

static int fail(const char *what)
{
    fprintf(stderr, "%s: %s (%s)\n", what, bill_errmsg(), bill_status_name(bill_errcode()));
    return 1;
}

static int add_account(bill_store *s, const char *ref, const char *cls)
{
    bill_account *a;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_account_set_class(a, cls);
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    return rc;
}

static int add_meter(bill_store *s, const char *serial, const char *installed, const char *mult)
{
    bill_meter *m;
    bill_dec k = BILL_DEC_INIT;
    int rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_installed(m, day(installed));
    if (rc == BILL_OK)
        rc = bill_dec_parse(&k, mult, (size_t)-1);
    if (rc == BILL_OK)
        rc = bill_meter_set_multiplier(m, &k);
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    bill_dec_clear(&k);
    bill_meter_free(m);
    return rc;
}

static void print_links(const char *title, bill_link_list *l)
{
    printf("%s\n", title);
    for (int i = 0; i < bill_link_list_count(l); i++) {
        char from[16], to[16], ratio[32];
        bill_date end = bill_link_list_to(l, i);
        bill_dec r = BILL_DEC_INIT;
        bill_date_format(bill_link_list_from(l, i), from, sizeof from);
        if (end.day == BILL_DATE_OPEN_END)
            snprintf(to, sizeof to, "open");
        else
            bill_date_format(end, to, sizeof to);
        bill_link_list_ratio(&r, l, i);
        bill_dec_format(&r, ratio, sizeof ratio);
        bill_dec_clear(&r);
        printf("  %-8s %-8s [%s, %s) ratio %s\n", bill_link_list_meter(l, i),
               *bill_link_list_account(l, i) ? bill_link_list_account(l, i) : "-", from, to, ratio);
    }
}

int main(int argc, char **argv)
{
    bill_store *s;
    if (bill_store_open(&s, argc > 1 ? argv[1] : ":memory:", BILL_STORE_CREATE) != BILL_OK)
        return fail("open");
    printf("schema version %d\n", bill_store_schema_version(s));

    /* Everything in one transaction: all of it or nothing. */
    bill_store_begin(s);
    if (add_account(s, "HH-001", "residential") || add_account(s, "HH-002", "residential") ||
        add_account(s, "SHOP-7", "commercial") || add_account(s, "PLANT-1", "industrial") ||
        add_meter(s, "OLD-1", "2020-03-01", "1") || add_meter(s, "NEW-1", "2024-06-15", "1") ||
        add_meter(s, "SHARED", "2023-01-01", "1") || add_meter(s, "MAIN", "2022-01-01", "40") ||
        add_meter(s, "SUB-A", "2022-01-01", "1")) {
        bill_store_rollback(s);
        return fail("registry");
    }
    bill_date open = bill_registry_open_end();
    const char *homes[2] = { "HH-001", "HH-002" };
    bill_dec ratios[2] = { BILL_DEC_INIT, BILL_DEC_INIT };
    bill_dec_parse(&ratios[0], "0.6", (size_t)-1);
    bill_dec_parse(&ratios[1], "0.4", (size_t)-1);
    if (bill_registry_link(s, "OLD-1", "SHOP-7", day("2020-03-01"), open) ||
        bill_registry_link_shared(s, "SHARED", homes, ratios, 2, day("2023-01-01"), open) ||
        bill_registry_link(s, "MAIN", "PLANT-1", day("2022-01-01"), open) ||
        bill_registry_add_sub(s, "MAIN", "SUB-A", day("2022-01-01"), open)) {
        bill_store_rollback(s);
        return fail("links");
    }
    bill_store_commit(s);

    /* The meter exchange: OLD-1 comes off on 2024-06-15, NEW-1 goes on the same day. */
    if (bill_registry_remove_meter(s, "OLD-1", day("2024-06-15")) ||
        bill_registry_link(s, "NEW-1", "SHOP-7", day("2024-06-15"), open))
        return fail("exchange");

    /* A second link for OLD-1 from before its removal is refused. */
    if (bill_registry_link(s, "OLD-1", "HH-001", day("2024-06-01"), open) != BILL_OK)
        printf("refused: %s\n", bill_errmsg());

    bill_link_list *l;
    bill_period june;
    bill_period_make(&june, day("2024-06-01"), day("2024-07-01"));
    if (bill_registry_account_meters(&l, s, "SHOP-7", june))
        return fail("query");
    print_links("SHOP-7 in June 2024 (meter exchange):", l);
    bill_link_list_free(l);

    if (bill_registry_subs(&l, s, "MAIN", june))
        return fail("query");
    print_links("sub-meters of MAIN (billed to PLANT-1 as MAIN minus its subs):", l);
    bill_link_list_free(l);

    if (bill_registry_meter_accounts(&l, s, "SHARED", day("2024-06-30")))
        return fail("query");
    print_links("who pays for SHARED on 2024-06-30:", l);
    bill_dec parts[2] = { BILL_DEC_INIT, BILL_DEC_INIT }, kwh = BILL_DEC_INIT;
    bill_dec_parse(&kwh, "317.07", (size_t)-1);
    if (bill_link_list_split(parts, 2, l, &kwh, 2))
        return fail("split");
    for (int i = 0; i < 2; i++) {
        char *t = bill_dec_to_str(&parts[i]);
        printf("  %s gets %s of 317.07 kWh\n", bill_link_list_account(l, i), t);
        bill_free(t);
        bill_dec_clear(&parts[i]);
        bill_dec_clear(&ratios[i]);
    }
    printf("  (each share rounded down; the 0.01 kWh left goes to the larger dropped fraction)\n");
    bill_dec_clear(&kwh);
    bill_link_list_free(l);
    bill_store_close(s);
    return 0;
}
