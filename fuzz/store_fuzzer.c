/*
 * Fuzz harness for opening a store file: the input is written to a file and
 * opened with bill_store_open (without BILL_STORE_CREATE; every other input
 * with BILL_STORE_VERIFY). It must open, or fail with a storage or input
 * status and a message, never crash. A file that opens is at the current
 * schema version and takes an account that reads back; the seeds hold a
 * current store, a version-1 store (migrated on open), a newer one, another
 * application's SQLite file, an empty file and text. A violated invariant
 * calls abort().
 */
#define _DEFAULT_SOURCE
#include "bill.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "store_fuzzer: invariant failed at line %d: %s (%s)\n", \
                    __LINE__, #cond, bill_errmsg());                               \
            abort();                                                               \
        }                                                                          \
    } while (0)

static char dir[64];

static void remove_dir(void)
{
    rmdir(dir);
}

static void remove_files(const char *path)
{
    char side[128];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned runs;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/bill-store-fuzz-XXXXXX");
        CHECK(mkdtemp(dir) != NULL);
        atexit(remove_dir);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/input.db", dir);
    remove_files(path);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);

    bill_store *s = NULL;
    unsigned flags = (runs++ & 1) ? BILL_STORE_VERIFY : 0;
    int rc = bill_store_open(&s, path, flags);
    if (rc != BILL_OK) {
        CHECK(s == NULL);
        /* SQLite may answer a damaged record with "out of memory" (ENOMEM) */
        CHECK(rc == BILL_ECORRUPT || rc == BILL_EVERSION || rc == BILL_EIO ||
              rc == BILL_ESTORE || rc == BILL_ECONFLICT || rc == BILL_ESTATE || rc == BILL_ENOMEM);
        CHECK(bill_errmsg()[0] != '\0');
        remove_files(path);
        return 0;
    }
    CHECK(bill_store_schema_version(s) == BILL_STORE_SCHEMA_VERSION);
    /* A store that opened may still hold damage a plain open does not read. */
    bill_account *a = NULL;
    CHECK(bill_account_create(&a, "FUZZ-ACCOUNT") == BILL_OK);
    rc = bill_registry_add_account(s, a);
    if (rc == BILL_OK) {
        bill_account *b = NULL;
        rc = bill_registry_get_account(&b, s, "FUZZ-ACCOUNT");
        CHECK(rc == BILL_OK || rc == BILL_ECORRUPT || rc == BILL_ENOMEM);
        if (rc == BILL_OK)
            CHECK(strcmp(bill_account_uuid(b), bill_account_uuid(a)) == 0);
        bill_account_free(b);
    } else {
        CHECK(rc == BILL_ECORRUPT || rc == BILL_EEXISTS || rc == BILL_EIO || rc == BILL_ESTORE ||
              rc == BILL_ECONFLICT || rc == BILL_ENOMEM);
    }
    bill_account_free(a);
    char *refs = bill_registry_account_refs(s);
    bill_free(refs);
    bill_store_close(s);
    remove_files(path);
    return 0;
}
