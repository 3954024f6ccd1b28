/* Helpers shared by the store-backed test suites (see store_util.h). */
#include "test.h"
#include "store_util.h"
#include "../../libbill/store_internal.h"

bill_date su_date(const char *text)
{
    bill_date d = { 0 };
    bill_date_parse(&d, text, (size_t)-1);
    return d;
}

bill_period su_period(const char *text)
{
    bill_period p = { { 0 }, { 0 } };
    bill_period_parse(&p, text, (size_t)-1);
    return p;
}

bill_dec *su_dec(bill_dec *d, const char *text)
{
    bill_dec_init(d);
    bill_dec_parse(d, text, (size_t)-1);
    return d;
}

int su_reading(bill_store *s, const char *serial, const char *code, const char *date,
               const char *value, int est)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "INSERT INTO readings (register_id, read_at, value, estimated, source)"
        " SELECT g.id, ?3, ?4, ?5, 'test' FROM registers g JOIN meters m ON m.id = g.meter_id"
        " WHERE m.serial = ?1 AND g.code = ?2",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        return BILL_ESTORE;
    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)su_date(date).day * 1440);
    sqlite3_bind_text(st, 4, value, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, est);
    rc = sqlite3_step(st);
    int changes = sqlite3_changes(s->db);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && changes == 1 ? BILL_OK : BILL_ESTORE;
}
