/*
 * Internal: determinants of many accounts from the store with a few ordered
 * scans per chunk of accounts (determinants_batch.c). Used by
 * bill_store_determinants_each and the billing run.
 */
#ifndef BILLI_DETERMINANTS_BATCH_H
#define BILLI_DETERMINANTS_BATCH_H

#include "bill/determinants.h"
#include "store_internal.h"

/** Accounts per chunk: the memory of a chunk is bounded by this many accounts' data. */
#define BILLI_DET_CHUNK 2048

typedef struct billi_det_batch billi_det_batch;

int billi_det_batch_create(billi_det_batch **out, bill_store *s, bill_period p);
void billi_det_batch_free(billi_det_batch *b);
/**
 * Load links, registers, multipliers and the period's readings of the accounts
 * ids[0..n) (n <= BILLI_DET_CHUNK, any order; ids of existing accounts).
 * Replaces the previous chunk. Errors: storage errors, BILL_ENOMEM.
 */
int billi_det_batch_load(billi_det_batch *b, const sqlite3_int64 *ids, size_t n);
/**
 * bill_store_determinants(d, s, reference, p) for account `id` of the loaded
 * chunk (same result, same errors), from the chunk's data.
 */
int billi_det_batch_compute(billi_det_batch *b, bill_determinants *d, sqlite3_int64 id,
                            const char *reference);

/**
 * The ECORRUPT error of a stored value of meter `serial` that does not parse,
 * the same text on both paths (bill_store_determinants and the batch): a
 * reading of register `code` at minute `at` whose value is `text`, or a
 * multiplier (code NULL) starting `from` with the value `text`.
 */
int billi_det_bad_reading(const char *serial, const char *code, int64_t at, const char *text);
int billi_det_bad_multiplier(const char *serial, const char *from, const char *text);

#endif
