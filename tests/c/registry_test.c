/* Tests for the registry: accounts, meters, registers, multipliers, links, shared and sub-meters. */
#include "test.h"

static bill_date D(const char *text)
{
    bill_date d = { 0 };
    bill_date_parse(&d, text, (size_t)-1);
    return d;
}

static bill_dec *N(bill_dec *d, const char *text)
{
    bill_dec_init(d);
    bill_dec_parse(d, text, (size_t)-1);
    return d;
}

static char *dec_str(int (*get)(bill_dec *, const bill_account *), const bill_account *a)
{
    bill_dec v = BILL_DEC_INIT;
    char *t = get(&v, a) == BILL_OK ? bill_dec_to_str(&v) : NULL;
    bill_dec_clear(&v);
    return t;
}

static bill_store *mem_store(void)
{
    bill_store *s = NULL;
    if (bill_store_open(&s, ":memory:", 0) != BILL_OK)
        printf("cannot open a memory store: %s\n", bill_errmsg());
    return s;
}

static int add_acc(bill_store *s, const char *ref)
{
    bill_account *a = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    return rc;
}

/* A meter installed on `installed` (NULL: in stock). */
static int add_meter(bill_store *s, const char *serial, const char *installed)
{
    bill_meter *m = NULL;
    int rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK && installed)
        rc = bill_meter_set_installed(m, D(installed));
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    bill_meter_free(m);
    return rc;
}

static int count_accounts(bill_store *s, const char *serial, const char *on)
{
    bill_link_list *l = NULL;
    if (bill_registry_meter_accounts(&l, s, serial, D(on)) != BILL_OK)
        return -1;
    int n = bill_link_list_count(l);
    bill_link_list_free(l);
    return n;
}

static const char *account_on(bill_store *s, const char *serial, const char *on, char *buf)
{
    bill_link_list *l = NULL;
    strcpy(buf, "(none)");
    if (bill_registry_meter_accounts(&l, s, serial, D(on)) == BILL_OK && bill_link_list_count(l) == 1)
        strcpy(buf, bill_link_list_account(l, 0));
    bill_link_list_free(l);
    return buf;
}

static void test_account_fields(void)
{
    bill_account *a = NULL;
    bill_dec v;
    CHECK_ERR(bill_account_create(&a, ""), BILL_ERANGE);
    CHECK_ERR(bill_account_create(&a, "has blank"), BILL_ESYNTAX);
    CHECK_ERR(bill_account_create(&a, "tab\there"), BILL_ESYNTAX);
    CHECK_ERR(bill_account_create(&a, "0123456789012345678901234567890123456789012345678901234567890123456789"),
              BILL_ERANGE);
    CHECK_ERR(bill_account_create(&a, NULL), BILL_EINVAL);
    CHECK(a == NULL);
    CHECK_OK(bill_account_create(&a, "ACC-001"));
    CHECK_STR(bill_account_reference(a), "ACC-001");
    CHECK_STR(bill_account_uuid(a), "");
    CHECK_STR(bill_account_class(a), "residential");
    CHECK_INT(bill_account_household_size(a), 1);
    CHECK_ERR(bill_account_set_class(a, "bad class"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "ACC-001") != NULL);
    CHECK(strstr(bill_errmsg(), "customer class") != NULL);
    CHECK_ERR(bill_account_set_household_size(a, 0), BILL_ERANGE);
    CHECK_ERR(bill_account_set_household_size(a, 1001), BILL_ERANGE);
    CHECK_ERR(bill_account_set_capacity_kva(a, N(&v, "-1")), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "capacity_kva") != NULL);
    CHECK_ERR(bill_account_set_declared_kw(a, N(&v, "-0.5")), BILL_ERANGE);
    CHECK_ERR(bill_account_set_pf_standard(a, "0.95"), BILL_ERANGE);
    CHECK_ERR(bill_account_set_protection(a, 8), BILL_EINVAL);
    CHECK_ERR(bill_account_set_tariff(a, "a b"), BILL_ESYNTAX);
    CHECK_OK(bill_account_set_class(a, "commercial"));
    CHECK_OK(bill_account_set_household_size(a, 5));
    CHECK_OK(bill_account_set_capacity_kva(a, N(&v, "315.0")));
    CHECK_OK(bill_account_set_declared_kw(a, N(&v, "200")));
    CHECK_OK(bill_account_set_pf_standard(a, "0.90"));
    CHECK_OK(bill_account_set_protection(a, BILL_PROTECT_IMPORTANT | BILL_PROTECT_LIFE_SUPPORT));
    CHECK_OK(bill_account_set_tariff(a, "beijing-2024"));
    bill_dec_clear(&v);
    /* a failed setter left the field alone */
    CHECK_INT(bill_account_household_size(a), 5);
    char *t = dec_str(bill_account_capacity_kva, a);
    CHECK_STR(t, "315.0");
    bill_free(t);

    bill_store *s = mem_store();
    CHECK_OK(bill_registry_add_account(s, a));
    CHECK_INT(strlen(bill_account_uuid(a)), 36);
    CHECK_INT(bill_account_uuid(a)[14], '4'); /* version 4 */
    bill_account *b = NULL;
    CHECK_OK(bill_registry_get_account(&b, s, "ACC-001"));
    CHECK_STR(bill_account_uuid(b), bill_account_uuid(a));
    CHECK_STR(bill_account_class(b), "commercial");
    CHECK_INT(bill_account_household_size(b), 5);
    t = dec_str(bill_account_capacity_kva, b);
    CHECK_STR(t, "315.0");
    bill_free(t);
    t = dec_str(bill_account_declared_kw, b);
    CHECK_STR(t, "200");
    bill_free(t);
    CHECK_STR(bill_account_pf_standard(b), "0.90");
    CHECK_INT(bill_account_protection(b), 3);
    CHECK_STR(bill_account_tariff(b), "beijing-2024");
    bill_account_free(b);
    b = NULL;
    /* duplicates, update, unknown */
    CHECK_ERR(bill_registry_add_account(s, a), BILL_EEXISTS);
    CHECK(strstr(bill_errmsg(), "ACC-001") != NULL);
    CHECK_OK(bill_account_set_household_size(a, 2));
    CHECK_OK(bill_account_set_pf_standard(a, ""));
    CHECK_OK(bill_registry_update_account(s, a));
    CHECK_OK(bill_registry_get_account(&b, s, "ACC-001"));
    CHECK_INT(bill_account_household_size(b), 2);
    CHECK_STR(bill_account_pf_standard(b), "");
    bill_account_free(b);
    b = NULL;
    CHECK_ERR(bill_registry_get_account(&b, s, "NOPE"), BILL_ENOTFOUND);
    CHECK(strstr(bill_errmsg(), "NOPE") != NULL);
    CHECK(b == NULL);
    bill_account *c = NULL;
    CHECK_OK(bill_account_create(&c, "ACC-000"));
    CHECK_ERR(bill_registry_update_account(s, c), BILL_ENOTFOUND);
    CHECK_OK(bill_registry_add_account(s, c));
    char *refs = bill_registry_account_refs(s);
    CHECK_STR(refs, "ACC-000\nACC-001\n");
    bill_free(refs);
    bill_account_free(c);
    bill_account_free(a);
    bill_store_close(s);
}

static void test_meter_fields(void)
{
    bill_meter *m = NULL;
    bill_dec v;
    CHECK_ERR(bill_meter_create(&m, "bad serial"), BILL_ESYNTAX);
    CHECK_OK(bill_meter_create(&m, "M-100"));
    CHECK_INT(bill_meter_status(m), BILL_METER_IN_STOCK);
    CHECK_INT(bill_meter_digits(m), 6);
    CHECK_ERR(bill_meter_set_digits(m, 0), BILL_ERANGE);
    CHECK_ERR(bill_meter_set_digits(m, 13), BILL_ERANGE);
    CHECK_OK(bill_meter_set_digits(m, 5));
    CHECK_ERR(bill_meter_set_multiplier(m, N(&v, "0")), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "M-100") != NULL);
    CHECK_OK(bill_meter_set_multiplier(m, N(&v, "40")));  /* CT 200/5 */
    CHECK_ERR(bill_meter_set_removed(m, D("2024-01-01")), BILL_ERULE); /* not installed */
    CHECK_OK(bill_meter_set_installed(m, D("2024-01-10")));
    CHECK_INT(bill_meter_status(m), BILL_METER_INSTALLED);
    CHECK_ERR(bill_meter_set_removed(m, D("2024-01-09")), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "before the installation") != NULL);
    CHECK_ERR(bill_meter_add_register(m, "bad code", BILL_REGISTER_ENERGY, 0), BILL_ESYNTAX);
    CHECK_ERR(bill_meter_add_register(m, "x", 7, 0), BILL_EINVAL);
    CHECK_ERR(bill_meter_add_register(m, "x", BILL_REGISTER_ENERGY, 13), BILL_ERANGE);
    CHECK_OK(bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0));
    CHECK_OK(bill_meter_add_register(m, "peak", BILL_REGISTER_ENERGY, 0));
    CHECK_OK(bill_meter_add_register(m, "kvarh", BILL_REGISTER_REACTIVE, 0));
    CHECK_OK(bill_meter_add_register(m, "max_demand", BILL_REGISTER_DEMAND, 4));
    CHECK_ERR(bill_meter_add_register(m, "peak", BILL_REGISTER_ENERGY, 0), BILL_EEXISTS);
    CHECK_INT(bill_meter_register_count(m), 4);
    CHECK_INT(bill_meter_register_digits(m, 0), 5);
    CHECK_INT(bill_meter_register_digits(m, 3), 4);
    CHECK(bill_meter_register_code(m, 4) == NULL);

    bill_store *s = mem_store();
    CHECK_OK(bill_registry_add_meter(s, m));
    CHECK_INT(strlen(bill_meter_uuid(m)), 36);
    CHECK_ERR(bill_registry_add_meter(s, m), BILL_EEXISTS);
    CHECK(strstr(bill_errmsg(), "M-100") != NULL);
    bill_meter *g = NULL;
    CHECK_OK(bill_registry_get_meter(&g, s, "M-100"));
    CHECK_STR(bill_meter_uuid(g), bill_meter_uuid(m));
    CHECK_INT(bill_meter_digits(g), 5);
    CHECK_INT(bill_meter_status(g), BILL_METER_INSTALLED);
    CHECK_INT(bill_meter_installed(g).day, D("2024-01-10").day);
    CHECK_INT(bill_meter_register_count(g), 4);
    CHECK_STR(bill_meter_register_code(g, 2), "kvarh");
    CHECK_INT(bill_meter_register_kind(g, 2), BILL_REGISTER_REACTIVE);
    CHECK_INT(bill_meter_register_digits(g, 3), 4);
    bill_dec mult = BILL_DEC_INIT;
    CHECK_OK(bill_meter_multiplier(&mult, g));
    char *t = bill_dec_to_str(&mult);
    CHECK_STR(t, "40");
    bill_free(t);
    bill_meter_free(g);
    g = NULL;
    CHECK_ERR(bill_registry_get_meter(&g, s, "M-404"), BILL_ENOTFOUND);

    /* a meter without registers gets "total" */
    CHECK_OK(add_meter(s, "M-200", NULL));
    CHECK_OK(bill_registry_get_meter(&g, s, "M-200"));
    CHECK_INT(bill_meter_register_count(g), 1);
    CHECK_STR(bill_meter_register_code(g, 0), "total");
    CHECK_INT(bill_meter_status(g), BILL_METER_IN_STOCK);
    /* update: install it, add a register; a changed register kind is refused */
    CHECK_OK(bill_meter_set_installed(g, D("2024-02-01")));
    CHECK_OK(bill_meter_add_register(g, "valley", BILL_REGISTER_ENERGY, 0));
    CHECK_OK(bill_registry_update_meter(s, g));
    bill_meter_free(g);
    g = NULL;
    CHECK_OK(bill_registry_get_meter(&g, s, "M-200"));
    CHECK_INT(bill_meter_register_count(g), 2);
    CHECK_INT(bill_meter_status(g), BILL_METER_INSTALLED);
    bill_meter_free(g);
    g = NULL;
    bill_meter *h = NULL;
    CHECK_OK(bill_meter_create(&h, "M-200"));
    CHECK_OK(bill_meter_add_register(h, "total", BILL_REGISTER_DEMAND, 0));
    CHECK_ERR(bill_registry_update_meter(s, h), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "'total'") != NULL);
    bill_meter_free(h);
    h = NULL;
    CHECK_OK(bill_meter_create(&h, "M-999"));
    CHECK_ERR(bill_registry_update_meter(s, h), BILL_ENOTFOUND);
    bill_meter_free(h);
    char *serials = bill_registry_meter_serials(s);
    CHECK_STR(serials, "M-100\nM-200\n");
    bill_free(serials);

    /* multiplier history */
    CHECK_OK(bill_registry_set_multiplier(s, "M-100", D("2024-06-01"), N(&v, "60")));
    CHECK_ERR(bill_registry_set_multiplier(s, "M-100", D("2024-01-01"), &v), BILL_ERULE);
    CHECK_ERR(bill_registry_set_multiplier(s, "M-100", D("2024-07-01"), N(&v, "-1")), BILL_ERANGE);
    CHECK_ERR(bill_registry_set_multiplier(s, "M-404", D("2024-07-01"), N(&v, "2")), BILL_ENOTFOUND);
    /* a removal before a multiplier change, or an installation after it, is refused */
    CHECK_ERR(bill_registry_remove_meter(s, "M-100", D("2024-05-01")), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "multiplier 60") != NULL);
    CHECK_OK(bill_registry_get_meter(&g, s, "M-100"));
    CHECK_OK(bill_meter_set_installed(g, D("2024-07-01")));
    CHECK_ERR(bill_registry_update_meter(s, g), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "multiplier change") != NULL);
    bill_meter_free(g);
    g = NULL;
    CHECK_OK(bill_registry_multiplier_on(&mult, s, "M-100", D("2024-05-31")));
    t = bill_dec_to_str(&mult);
    CHECK_STR(t, "40");
    bill_free(t);
    CHECK_OK(bill_registry_multiplier_on(&mult, s, "M-100", D("2024-06-01")));
    t = bill_dec_to_str(&mult);
    CHECK_STR(t, "60");
    bill_free(t);
    CHECK_OK(bill_registry_get_meter(&g, s, "M-100"));
    CHECK_OK(bill_meter_multiplier(&mult, g));
    t = bill_dec_to_str(&mult);
    CHECK_STR(t, "60");
    bill_free(t);
    bill_meter_free(g);
    bill_dec_clear(&mult);
    bill_dec_clear(&v);
    bill_meter_free(m);
    bill_store_close(s);
}

static void test_links(void)
{
    bill_store *s = mem_store();
    bill_date open = bill_registry_open_end();
    char buf[80];
    CHECK_INT(open.day, D("9999-12-31").day);
    CHECK_OK(add_acc(s, "A1"));
    CHECK_OK(add_acc(s, "A2"));
    CHECK_OK(add_meter(s, "M1", "2024-01-01"));
    CHECK_OK(add_meter(s, "STOCK", NULL));
    /* validations */
    CHECK_ERR(bill_registry_link(s, "STOCK", "A1", D("2024-01-01"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "STOCK") != NULL);
    CHECK_ERR(bill_registry_link(s, "M1", "A1", D("2023-12-31"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "before the meter's installation") != NULL);
    CHECK_ERR(bill_registry_link(s, "M1", "NOPE", D("2024-01-01"), open), BILL_ENOTFOUND);
    CHECK(strstr(bill_errmsg(), "NOPE") != NULL);
    CHECK_ERR(bill_registry_link(s, "M404", "A1", D("2024-01-01"), open), BILL_ENOTFOUND);
    CHECK_ERR(bill_registry_link(s, "M1", "A1", D("2024-02-01"), D("2024-02-01")), BILL_EDATE);
    CHECK_ERR(bill_registry_link(s, "M1", "A1", D("2024-02-01"), D("2024-01-01")), BILL_EDATE);
    /* A1 from Jan to Mar, then A2 open */
    CHECK_OK(bill_registry_link(s, "M1", "A1", D("2024-01-01"), D("2024-03-01")));
    CHECK_ERR(bill_registry_link(s, "M1", "A2", D("2024-02-15"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "overlaps") != NULL);
    CHECK(strstr(bill_errmsg(), "A1") != NULL);
    CHECK(strstr(bill_errmsg(), "2024-03-01") != NULL);
    CHECK_ERR(bill_registry_link(s, "M1", "A2", D("2023-06-01"), open), BILL_ERULE);
    CHECK_OK(bill_registry_link(s, "M1", "A2", D("2024-03-01"), open)); /* adjacent: fine */
    CHECK_ERR(bill_registry_link(s, "M1", "A1", D("2030-01-01"), open), BILL_ERULE);
    CHECK_STR(account_on(s, "M1", "2024-01-01", buf), "A1");
    CHECK_STR(account_on(s, "M1", "2024-02-29", buf), "A1");
    CHECK_STR(account_on(s, "M1", "2024-03-01", buf), "A2");
    CHECK_STR(account_on(s, "M1", "2031-01-01", buf), "A2");
    CHECK_INT(count_accounts(s, "M1", "2023-12-31"), 0);

    /* an account with two meters over a period */
    CHECK_OK(add_meter(s, "M2", "2024-02-01"));
    CHECK_OK(bill_registry_link(s, "M2", "A1", D("2024-02-10"), open));
    bill_period p;
    CHECK_OK(bill_period_make(&p, D("2024-02-01"), D("2024-04-01")));
    bill_link_list *l = NULL;
    CHECK_OK(bill_registry_account_meters(&l, s, "A1", p));
    CHECK_INT(bill_link_list_count(l), 2);
    CHECK_STR(bill_link_list_meter(l, 0), "M1");
    CHECK_INT(bill_link_list_from(l, 0).day, D("2024-01-01").day);
    CHECK_INT(bill_link_list_to(l, 0).day, D("2024-03-01").day);
    CHECK_STR(bill_link_list_meter(l, 1), "M2");
    CHECK_INT(bill_link_list_to(l, 1).day, open.day);
    CHECK_STR(bill_link_list_account(l, 1), "A1");
    CHECK_INT(strlen(bill_link_list_uuid(l, 1)), 36);
    CHECK(bill_link_list_meter(l, 2) == NULL);
    bill_dec r = BILL_DEC_INIT;
    CHECK_ERR(bill_link_list_ratio(&r, l, 2), BILL_ERANGE);
    CHECK_OK(bill_link_list_ratio(&r, l, 0));
    CHECK_INT(bill_dec_cmp(&r, N(&r, "1")), 0);
    bill_dec_clear(&r);
    bill_link_list_free(l);
    l = NULL;
    CHECK_ERR(bill_registry_account_meters(&l, s, "NOPE", p), BILL_ENOTFOUND);

    /* end a link, then relink */
    CHECK_ERR(bill_registry_end_link(s, "M2", D("2024-02-10")), BILL_ENOTFOUND);
    CHECK_OK(bill_registry_end_link(s, "M2", D("2024-05-01")));
    CHECK_STR(account_on(s, "M2", "2024-04-30", buf), "A1");
    CHECK_INT(count_accounts(s, "M2", "2024-05-01"), 0);
    CHECK_OK(bill_registry_link(s, "M2", "A2", D("2024-05-01"), open));

    /* removal ends open links; a link past removal is refused */
    CHECK_ERR(bill_registry_remove_meter(s, "M2", D("2024-04-01")), BILL_ERULE); /* link starts after */
    CHECK_INT(count_accounts(s, "M2", "2024-04-15"), 1); /* nothing half-applied */
    CHECK_OK(bill_registry_remove_meter(s, "M1", D("2024-09-01")));
    CHECK_INT(count_accounts(s, "M1", "2024-08-31"), 1);
    CHECK_INT(count_accounts(s, "M1", "2024-09-01"), 0);
    CHECK_ERR(bill_registry_remove_meter(s, "M1", D("2024-10-01")), BILL_ERULE);
    CHECK_ERR(bill_registry_link(s, "M1", "A1", D("2024-09-01"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "removal") != NULL);
    bill_meter *g = NULL;
    CHECK_OK(bill_registry_get_meter(&g, s, "M1"));
    CHECK_INT(bill_meter_status(g), BILL_METER_REMOVED);
    CHECK_INT(bill_meter_removed(g).day, D("2024-09-01").day);
    bill_meter_free(g);
    g = NULL;
    /* moving the installation after a link's start is refused */
    CHECK_OK(bill_registry_get_meter(&g, s, "M2"));
    CHECK_OK(bill_meter_set_installed(g, D("2024-03-01")));
    CHECK_ERR(bill_registry_update_meter(s, g), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "outside the meter's installation") != NULL);
    bill_meter_free(g);
    bill_store_close(s);
}

static void test_shared(void)
{
    bill_store *s = mem_store();
    bill_date open = bill_registry_open_end();
    CHECK_OK(add_acc(s, "H1"));
    CHECK_OK(add_acc(s, "H2"));
    CHECK_OK(add_acc(s, "H3"));
    CHECK_OK(add_meter(s, "SH", "2024-01-01"));
    const char *refs[3] = { "H1", "H2", "H3" };
    bill_dec ratios[3];
    N(&ratios[0], "0.333");
    N(&ratios[1], "0.333");
    N(&ratios[2], "0.333");
    CHECK_ERR(bill_registry_link_shared(s, "SH", refs, ratios, 3, D("2024-01-01"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "0.999") != NULL);
    bill_dec_parse(&ratios[2], "0.335", (size_t)-1);
    CHECK_ERR(bill_registry_link_shared(s, "SH", refs, ratios, 3, D("2024-01-01"), open), BILL_ERULE);
    bill_dec_parse(&ratios[2], "0", (size_t)-1);
    CHECK_ERR(bill_registry_link_shared(s, "SH", refs, ratios, 3, D("2024-01-01"), open), BILL_ERULE);
    CHECK_ERR(bill_registry_link_shared(s, "SH", refs, ratios, 1, D("2024-01-01"), open), BILL_ERANGE);
    bill_dec_parse(&ratios[2], "0.334", (size_t)-1);
    const char *dup[3] = { "H1", "H2", "H1" };
    CHECK_ERR(bill_registry_link_shared(s, "SH", dup, ratios, 3, D("2024-01-01"), open), BILL_EEXISTS);
    const char *unknown[3] = { "H1", "H2", "H9" };
    CHECK_ERR(bill_registry_link_shared(s, "SH", unknown, ratios, 3, D("2024-01-01"), open),
              BILL_ENOTFOUND);
    CHECK_INT(count_accounts(s, "SH", "2024-01-01"), 0); /* nothing half-applied */
    CHECK_OK(bill_registry_link_shared(s, "SH", refs, ratios, 3, D("2024-01-01"), open));
    /* a shared meter is still one link: another one overlapping is refused */
    CHECK_ERR(bill_registry_link(s, "SH", "H1", D("2024-06-01"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "H1, H2, H3") != NULL);

    bill_link_list *l = NULL;
    CHECK_OK(bill_registry_meter_accounts(&l, s, "SH", D("2024-03-01")));
    CHECK_INT(bill_link_list_count(l), 3);
    CHECK_STR(bill_link_list_account(l, 2), "H3");
    CHECK_STR(bill_link_list_uuid(l, 0), bill_link_list_uuid(l, 2));
    bill_dec parts[3], kwh;
    for (int i = 0; i < 3; i++)
        bill_dec_init(&parts[i]);
    /* 100 kWh: 33.3, 33.3, 33.4 -> 33, 33, 33 and the unit left goes to the largest fraction */
    CHECK_OK(bill_link_list_split(parts, 3, l, N(&kwh, "100"), 0));
    char *t0 = bill_dec_to_str(&parts[0]), *t1 = bill_dec_to_str(&parts[1]),
         *t2 = bill_dec_to_str(&parts[2]);
    CHECK_STR(t0, "33");
    CHECK_STR(t1, "33");
    CHECK_STR(t2, "34");
    bill_free(t0);
    bill_free(t1);
    bill_free(t2);
    /* 0.07 kWh at scale 2: 0.02331, 0.02331, 0.02338 -> 0.02 each, 1 unit to H3 */
    CHECK_OK(bill_link_list_split(parts, 3, l, N(&kwh, "0.07"), 2));
    bill_dec sum = BILL_DEC_INIT;
    for (int i = 0; i < 3; i++)
        bill_dec_add(&sum, &sum, &parts[i]);
    CHECK_INT(bill_dec_cmp(&sum, &kwh), 0);
    t2 = bill_dec_to_str(&parts[2]);
    CHECK_STR(t2, "0.03");
    bill_free(t2);
    /* 1234.567 kWh at scale 3 adds up exactly too */
    CHECK_OK(bill_link_list_split(parts, 3, l, N(&kwh, "1234.567"), 3));
    bill_dec_set_i64(&sum, 0, 0);
    for (int i = 0; i < 3; i++)
        bill_dec_add(&sum, &sum, &parts[i]);
    CHECK_INT(bill_dec_cmp(&sum, &kwh), 0);
    CHECK_ERR(bill_link_list_split(parts, 2, l, &kwh, 3), BILL_EINVAL);
    CHECK_ERR(bill_link_list_split(parts, 3, l, N(&kwh, "1.5"), 0), BILL_EROUNDING);
    bill_link_list_free(l);
    l = NULL;
    /* each account sees the shared meter with its ratio */
    bill_period p;
    bill_period_make(&p, D("2024-01-01"), D("2024-02-01"));
    CHECK_OK(bill_registry_account_meters(&l, s, "H3", p));
    CHECK_INT(bill_link_list_count(l), 1);
    bill_dec r = BILL_DEC_INIT;
    CHECK_OK(bill_link_list_ratio(&r, l, 0));
    char *rt = bill_dec_to_str(&r);
    CHECK_STR(rt, "0.334");
    bill_free(rt);
    bill_dec_clear(&r);
    bill_link_list_free(l);
    for (int i = 0; i < 3; i++) {
        bill_dec_clear(&parts[i]);
        bill_dec_clear(&ratios[i]);
    }
    bill_dec_clear(&kwh);
    bill_dec_clear(&sum);
    bill_store_close(s);
}

static void test_subs(void)
{
    bill_store *s = mem_store();
    bill_date open = bill_registry_open_end();
    CHECK_OK(add_meter(s, "MASTER", "2024-01-01"));
    CHECK_OK(add_meter(s, "SUB1", "2024-01-01"));
    CHECK_OK(add_meter(s, "SUB2", "2024-03-01"));
    CHECK_OK(add_meter(s, "OTHER", "2024-01-01"));
    CHECK_ERR(bill_registry_add_sub(s, "MASTER", "MASTER", D("2024-01-01"), open), BILL_ERULE);
    CHECK_ERR(bill_registry_add_sub(s, "MASTER", "SUB2", D("2024-01-01"), open), BILL_ERULE);
    CHECK_ERR(bill_registry_add_sub(s, "MASTER", "NOPE", D("2024-01-01"), open), BILL_ENOTFOUND);
    CHECK_OK(bill_registry_add_sub(s, "MASTER", "SUB1", D("2024-01-01"), open));
    CHECK_OK(bill_registry_add_sub(s, "MASTER", "SUB2", D("2024-03-01"), open));
    CHECK_ERR(bill_registry_add_sub(s, "OTHER", "SUB1", D("2024-06-01"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "MASTER") != NULL);
    CHECK_ERR(bill_registry_add_sub(s, "SUB1", "MASTER", D("2024-01-01"), open), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "loop") != NULL);
    bill_period p;
    bill_period_make(&p, D("2024-01-01"), D("2024-02-01"));
    bill_link_list *l = NULL;
    CHECK_OK(bill_registry_subs(&l, s, "MASTER", p));
    CHECK_INT(bill_link_list_count(l), 1);
    CHECK_STR(bill_link_list_meter(l, 0), "SUB1");
    CHECK_STR(bill_link_list_master(l, 0), "MASTER");
    bill_link_list_free(l);
    bill_period_make(&p, D("2024-01-01"), D("2024-12-01"));
    CHECK_OK(bill_registry_subs(&l, s, "MASTER", p));
    CHECK_INT(bill_link_list_count(l), 2);
    bill_link_list_free(l);
    /* end SUB1 under MASTER; it can move under OTHER afterwards */
    CHECK_OK(bill_registry_end_sub(s, "SUB1", D("2024-06-01")));
    CHECK_ERR(bill_registry_end_sub(s, "OTHER", D("2024-06-01")), BILL_ENOTFOUND);
    CHECK_OK(bill_registry_add_sub(s, "OTHER", "SUB1", D("2024-06-01"), open));
    bill_period_make(&p, D("2024-07-01"), D("2024-08-01"));
    CHECK_OK(bill_registry_subs(&l, s, "MASTER", p));
    CHECK_INT(bill_link_list_count(l), 1);
    CHECK_STR(bill_link_list_meter(l, 0), "SUB2");
    bill_link_list_free(l);
    /* removing the master ends its relations */
    CHECK_OK(bill_registry_remove_meter(s, "MASTER", D("2024-09-01")));
    bill_period_make(&p, D("2024-09-01"), D("2024-10-01"));
    CHECK_OK(bill_registry_subs(&l, s, "MASTER", p));
    CHECK_INT(bill_link_list_count(l), 0);
    bill_link_list_free(l);
    bill_store_close(s);
}

void suite_registry(void)
{
    RUN(test_account_fields);
    RUN(test_meter_fields);
    RUN(test_links);
    RUN(test_shared);
    RUN(test_subs);
}
