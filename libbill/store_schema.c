/*
 * The store's schema: one migration step per version. A step brings a file
 * from version N to N + 1; bill_store_open runs the missing steps in one
 * transaction. Steps are never edited once released: a change is a new step.
 * docs/store.md documents the tables.
 */
#include "store_internal.h"

/* Version 1: the registry (accounts, meters, registers, multipliers, links, sub-meters). */
static const char schema_v1[] =
    "CREATE TABLE accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
    "  reference TEXT NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 64),"
    "  customer_class TEXT NOT NULL,"
    "  household_size INTEGER NOT NULL DEFAULT 1 CHECK (household_size BETWEEN 1 AND 1000),"
    "  capacity_kva TEXT NOT NULL DEFAULT '0',"
    "  declared_kw TEXT NOT NULL DEFAULT '0',"
    "  pf_standard TEXT NOT NULL DEFAULT '',"
    "  protection INTEGER NOT NULL DEFAULT 0,"
    "  tariff TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
    ");"
    "CREATE TABLE meters ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
    "  serial TEXT NOT NULL UNIQUE CHECK (length(serial) BETWEEN 1 AND 64),"
    "  digits INTEGER NOT NULL CHECK (digits BETWEEN 1 AND 12),"
    "  installed_on TEXT,"
    "  removed_on TEXT,"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  CHECK (removed_on IS NULL OR (installed_on IS NOT NULL AND removed_on >= installed_on))"
    ");"
    "CREATE TABLE registers ("
    "  id INTEGER PRIMARY KEY,"
    "  meter_id INTEGER NOT NULL REFERENCES meters(id),"
    "  code TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('energy', 'reactive', 'demand')),"
    "  digits INTEGER NOT NULL CHECK (digits BETWEEN 1 AND 12),"
    "  UNIQUE (meter_id, code)"
    ");"
    "CREATE TABLE multipliers ("
    "  id INTEGER PRIMARY KEY,"
    "  meter_id INTEGER NOT NULL REFERENCES meters(id),"
    "  effective_from TEXT NOT NULL,"
    "  multiplier TEXT NOT NULL,"
    "  UNIQUE (meter_id, effective_from)"
    ");"
    "CREATE TABLE links ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
    "  meter_id INTEGER NOT NULL REFERENCES meters(id),"
    "  valid_from TEXT NOT NULL,"
    "  valid_to TEXT,"
    "  CHECK (valid_to IS NULL OR valid_to > valid_from)"
    ");"
    "CREATE INDEX links_meter ON links(meter_id, valid_from);"
    "CREATE TABLE link_shares ("
    "  link_id INTEGER NOT NULL REFERENCES links(id) ON DELETE CASCADE,"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  position INTEGER NOT NULL,"
    "  ratio TEXT NOT NULL,"
    "  PRIMARY KEY (link_id, account_id),"
    "  UNIQUE (link_id, position)"
    ");"
    "CREATE INDEX link_shares_account ON link_shares(account_id);"
    "CREATE TABLE submeters ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
    "  master_id INTEGER NOT NULL REFERENCES meters(id),"
    "  sub_id INTEGER NOT NULL REFERENCES meters(id),"
    "  valid_from TEXT NOT NULL,"
    "  valid_to TEXT,"
    "  CHECK (master_id <> sub_id),"
    "  CHECK (valid_to IS NULL OR valid_to > valid_from)"
    ");"
    "CREATE INDEX submeters_master ON submeters(master_id, valid_from);"
    "CREATE INDEX submeters_sub ON submeters(sub_id, valid_from);";

/*
 * Version 2: imports of register readings and interval data, with their
 * exceptions (filled by the CSV import).
 */
static const char schema_v2[] =
    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
    "  source TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('readings', 'intervals')),"
    "  digest TEXT NOT NULL DEFAULT '',"
    "  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  finished_at TEXT,"
    "  rows_total INTEGER NOT NULL DEFAULT 0,"
    "  rows_accepted INTEGER NOT NULL DEFAULT 0,"
    "  rows_duplicate INTEGER NOT NULL DEFAULT 0,"
    "  rows_rejected INTEGER NOT NULL DEFAULT 0"
    ");"
    /* clustered by register and time: the key is the table (no rowid B-tree and no
     * separate unique index to keep up on import; a period's readings of a range of
     * registers are one ordered scan) */
    "CREATE TABLE readings ("
    "  register_id INTEGER NOT NULL REFERENCES registers(id),"
    "  read_at INTEGER NOT NULL,"
    "  value TEXT NOT NULL,"
    "  estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),"
    "  source TEXT NOT NULL DEFAULT '',"
    "  import_id INTEGER REFERENCES imports(id),"
    "  line INTEGER,"
    "  PRIMARY KEY (register_id, read_at)"
    ") WITHOUT ROWID;"
    "CREATE TABLE interval_readings ("
    "  id INTEGER PRIMARY KEY,"
    "  meter_id INTEGER NOT NULL REFERENCES meters(id),"
    "  start_minute INTEGER NOT NULL,"
    "  minutes INTEGER NOT NULL CHECK (minutes IN (15, 30, 60)),"
    "  kwh TEXT NOT NULL,"
    "  estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),"
    "  import_id INTEGER REFERENCES imports(id),"
    "  line INTEGER,"
    "  UNIQUE (meter_id, start_minute)"
    ");"
    "CREATE TABLE import_exceptions ("
    "  id INTEGER PRIMARY KEY,"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),"
    "  line INTEGER NOT NULL,"
    "  field TEXT NOT NULL DEFAULT '',"
    "  code TEXT NOT NULL,"
    "  message TEXT NOT NULL,"
    "  raw TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX import_exceptions_import ON import_exceptions(import_id, line);";

/*
 * Version 3: billing runs, bills and bill lines (filled by bill_billing_run).
 * An account is billed at most once per period (UNIQUE on bills).
 */
static const char schema_v3[] =
    "CREATE TABLE billing_runs ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
    "  label TEXT NOT NULL DEFAULT '',"
    "  period_start TEXT NOT NULL,"
    "  period_end TEXT NOT NULL,"
    "  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  finished_at TEXT,"
    "  accounts INTEGER NOT NULL DEFAULT 0,"
    "  billed INTEGER NOT NULL DEFAULT 0,"
    "  already_billed INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE bills ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
    "  run_id INTEGER NOT NULL REFERENCES billing_runs(id),"
    "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
    "  period_start TEXT NOT NULL,"
    "  period_end TEXT NOT NULL,"
    "  tariff_id TEXT NOT NULL,"
    "  tariff_versions TEXT NOT NULL,"
    "  currency TEXT NOT NULL,"
    "  subtotal TEXT NOT NULL,"
    "  tax TEXT NOT NULL,"
    "  total TEXT NOT NULL,"
    "  estimated INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),"
    "  json TEXT NOT NULL,"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  UNIQUE (account_id, period_start, period_end)"
    ");"
    "CREATE INDEX bills_run ON bills(run_id);"
    "CREATE TABLE bill_lines ("
    "  bill_id INTEGER NOT NULL REFERENCES bills(id),"
    "  position INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  charge TEXT NOT NULL,"
    "  component TEXT NOT NULL DEFAULT '',"
    "  band TEXT NOT NULL DEFAULT '',"
    "  unit TEXT NOT NULL DEFAULT '',"
    "  quantity TEXT NOT NULL,"
    "  unit_price TEXT NOT NULL,"
    "  amount TEXT NOT NULL,"
    "  segment_start TEXT NOT NULL,"
    "  segment_end TEXT NOT NULL,"
    "  explanation TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (bill_id, position)"
    ") WITHOUT ROWID;"
    "CREATE TABLE billing_run_skips ("
    "  run_id INTEGER NOT NULL REFERENCES billing_runs(id),"
    "  account TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  reason TEXT NOT NULL"
    ");"
    "CREATE INDEX billing_run_skips_run ON billing_run_skips(run_id);";

/*
 * Version 4: a billing run that never finished (its process was killed, or
 * the run stopped on an error of the store) is closed by the next run of the
 * same period, which records itself in `interrupted_by` (bill_billing_run).
 * A run with finished_at NULL and interrupted_by NULL is running or was cut
 * short and not yet found.
 */
static const char schema_v4[] =
    "ALTER TABLE billing_runs ADD COLUMN interrupted_by INTEGER REFERENCES billing_runs(id);"
    "CREATE INDEX billing_runs_period ON billing_runs(period_start, period_end);";

static const char *const steps[] = { schema_v1, schema_v2, schema_v3, schema_v4 };

int billi_schema_latest(void)
{
    return (int)(sizeof steps / sizeof steps[0]);
}

int billi_schema_step(bill_store *s, int from)
{
    if (from < 0 || from >= billi_schema_latest())
        return billi_error(BILL_EINTERNAL, "store: no migration from schema version %d", from);
    char what[64];
    snprintf(what, sizeof what, "store: migration to schema version %d", from + 1);
    BILLI_TRY(billi_store_exec(s, steps[from], what));
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", from + 1);
    return billi_store_exec(s, sql, what);
}

_Static_assert(sizeof steps / sizeof steps[0] == BILL_STORE_SCHEMA_VERSION,
               "BILL_STORE_SCHEMA_VERSION must match the migration steps");
