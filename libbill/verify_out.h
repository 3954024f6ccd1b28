/*
 * libbill internals shared by verify.c and anomaly.c: a growing string
 * buffer with CSV and JSON quoting, and decimal/date text helpers.
 */
#ifndef BILLI_VERIFY_OUT_H
#define BILLI_VERIFY_OUT_H

#include "internal.h"

typedef struct billi_sb {
    char *p;
    size_t n, cap;
    int oom;
} billi_sb;

void billi_sb_put(billi_sb *b, const char *s, size_t n);
void billi_sb_str(billi_sb *b, const char *s);
void billi_sb_fmt(billi_sb *b, const char *fmt, ...) BILLI_PRINTF(2, 3);
/** A CSV field, quoted when it holds a comma, quote, CR or LF. */
void billi_sb_csv(billi_sb *b, const char *s);
/** A JSON string with its quotes. */
void billi_sb_json(billi_sb *b, const char *s);
/** Hand the text over (BILL_ENOMEM if an append failed; the buffer is freed then). */
int billi_sb_take(char **out, billi_sb *b);

/** A new copy of s (NULL on out of memory). */
char *billi_strdup(const char *s);
char *billi_strndup(const char *s, size_t n);
/** Decimal text of d into buf (truncated when too long). */
void billi_dec_text(char *buf, size_t cap, const bill_dec *d);
/** YYYY-MM-DD of d into buf (at least 11 bytes). */
void billi_date_text(char *buf, bill_date d);

#endif
