/*
 * libbill internals shared by the modules: error reporting and helpers.
 * Not installed; everything here has hidden visibility.
 */
#ifndef BILL_INTERNAL_H
#define BILL_INTERNAL_H

#include "bill.h"
#include <stdarg.h>

#if defined(__GNUC__) || defined(__clang__)
#  define BILLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#  define BILLI_LIKELY(x) __builtin_expect(!!(x), 1)
#  define BILLI_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define BILLI_PRINTF(a, b)
#  define BILLI_LIKELY(x) (x)
#  define BILLI_UNLIKELY(x) (x)
#endif

/*
 * Whether a quotient truncated towards zero gets one more unit away from
 * zero. sign: of the exact value; half: the dropped part compared with half
 * a unit (-1, 0, 1); odd: the truncated quotient is odd. The dropped part is
 * nonzero. Returns 1, 0, or -1 when the mode is UNNECESSARY.
 */
static inline int billi_round_inc(int mode, int sign, int half, int odd)
{
    switch (mode) {
    case BILL_ROUND_UP:        return 1;
    case BILL_ROUND_DOWN:      return 0;
    case BILL_ROUND_CEILING:   return sign > 0;
    case BILL_ROUND_FLOOR:     return sign < 0;
    case BILL_ROUND_HALF_UP:   return half >= 0;
    case BILL_ROUND_HALF_DOWN: return half > 0;
    case BILL_ROUND_HALF_EVEN: return half > 0 || (half == 0 && odd);
    default:                   return -1;
    }
}

/** Maximum length of an error message, including the NUL. */
#define BILLI_ERRMSG_MAX 512

/**
 * Record an error for this thread: code plus a printf-style detail. Returns
 * `code`, so callers write `return billi_error(BILL_ESYNTAX, "...", ...);`.
 */
int billi_error(int code, const char *fmt, ...) BILLI_PRINTF(2, 3);
int billi_verror(int code, const char *fmt, va_list ap);

/**
 * Copy this thread's last message into a handle's buffer (of
 * BILLI_ERRMSG_MAX bytes) and return `code`: handle APIs call
 * `return billi_error_to(h->errmsg, billi_error(...))`.
 */
int billi_error_to(char *handle_buf, int code);

/** Shorthand for a NULL argument: BILL_EINVAL naming function and argument. */
#define BILLI_CHECK_ARG(cond, name)                                            \
    do {                                                                       \
        if (BILLI_UNLIKELY(!(cond)))                                           \
            return billi_error(BILL_EINVAL, "%s: argument '%s' is invalid",    \
                               __func__, name);                                \
    } while (0)

/** Return the status of `call` from the enclosing function unless it is BILL_OK. */
#define BILLI_TRY(call)                                                        \
    do {                                                                       \
        int rc_ = (call);                                                      \
        if (rc_ != BILL_OK)                                                    \
            return rc_;                                                        \
    } while (0)

/** 1 if the n bytes at s are valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
int billi_utf8_valid(const char *s, size_t n);

/** Quote at most n bytes of possibly non-NUL-terminated, possibly binary text for a message. */
void billi_quote(char *dst, size_t cap, const char *text, size_t len);

#endif
