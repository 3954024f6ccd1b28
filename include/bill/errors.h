/*
 * libbill: status codes and error details.
 *
 * Every function that can fail returns an int status: BILL_OK (0) on success,
 * or one of the negative codes below. The one list BILL_STATUS_MAP generates
 * the enum, bill_strerror(), bill_status_name() and the exception classes of
 * the Python and Java bindings. Codes are never renumbered; new codes are
 * appended.
 *
 * Each code belongs to a family, which the bindings turn into an exception
 * class:
 *   ARGUMENT  the caller misused the API (NULL pointer, bad option)
 *   INPUT     the data given is malformed or breaks a rule (parse errors,
 *             invalid dates, values out of range)
 *   ARITH     an arithmetic rule was broken (division by zero, rounding
 *             needed but forbidden, mixed currencies)
 *   STATE     the operation does not fit the object's current state
 *   STORAGE   a storage or I/O problem
 *   SYSTEM    out of memory, internal errors
 */
#ifndef BILL_ERRORS_H
#define BILL_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, value, family, message) */
#define BILL_STATUS_MAP(X)                                                        \
    X(OK,          0,  NONE,     "success")                                       \
    X(EINVAL,     -1,  ARGUMENT, "invalid argument")                              \
    X(ENOMEM,     -2,  SYSTEM,   "out of memory")                                 \
    X(ESYNTAX,    -3,  INPUT,    "malformed input")                               \
    X(ERANGE,     -4,  INPUT,    "value out of range")                            \
    X(EDIVZERO,   -5,  ARITH,    "division by zero")                              \
    X(EROUNDING,  -6,  ARITH,    "rounding necessary but not allowed")            \
    X(ECURRENCY,  -7,  ARITH,    "currency mismatch or unknown currency")         \
    X(EDATE,      -8,  INPUT,    "invalid date or time")                          \
    X(ENOTFOUND,  -9,  INPUT,    "not found")                                     \
    X(EEXISTS,   -10,  INPUT,    "already exists")                                \
    X(ECONFLICT, -11,  INPUT,    "conflicts with existing data")                  \
    X(ERULE,     -12,  INPUT,    "breaks a business rule")                        \
    X(ESTATE,    -13,  STATE,    "operation not allowed in the current state")    \
    X(EIO,       -14,  STORAGE,  "input/output error")                            \
    X(ESTORE,    -15,  STORAGE,  "storage error")                                 \
    X(EBUSY,     -16,  STORAGE,  "storage busy or locked")                        \
    X(EVERSION,  -17,  STORAGE,  "unsupported version")                           \
    X(ECORRUPT,  -18,  STORAGE,  "corrupt or foreign data")                       \
    X(EUNSUPPORTED, -19, INPUT,  "not supported")                                 \
    X(EINTERNAL, -20,  SYSTEM,   "internal error")

typedef enum bill_status {
#define BILL_STATUS_ENUM_(name, value, family, msg) BILL_##name = value,
    BILL_STATUS_MAP(BILL_STATUS_ENUM_)
#undef BILL_STATUS_ENUM_
    BILL_STATUS_LAST_ = -20
} bill_status;

/** Families of status codes (see above). */
typedef enum bill_status_family {
    BILL_FAMILY_NONE = 0,
    BILL_FAMILY_ARGUMENT,
    BILL_FAMILY_INPUT,
    BILL_FAMILY_ARITH,
    BILL_FAMILY_STATE,
    BILL_FAMILY_STORAGE,
    BILL_FAMILY_SYSTEM
} bill_status_family;

/** A fixed English sentence for the code ("division by zero"); never NULL. */
BILL_EXTERN const char *bill_strerror(int status);
/** The code's name without prefix ("EDIVZERO"); "UNKNOWN" for other values. */
BILL_EXTERN const char *bill_status_name(int status);
/** The code's family; BILL_FAMILY_NONE for BILL_OK and unknown values. */
BILL_EXTERN int bill_status_family_of(int status);
/** The family's name ("INPUT"). */
BILL_EXTERN const char *bill_family_name(int family);
/** Number of codes in the list, and the i-th code (0 <= i < count). */
BILL_EXTERN int bill_status_count(void);
BILL_EXTERN int bill_status_at(int i);

/**
 * The detailed message of the last failing call on this thread, naming the
 * value, field or line that was wrong ("decimal: '1.2.3': second decimal
 * point at offset 3"). Functions that fail set it; functions that succeed
 * leave it alone. Never NULL: "" when nothing failed yet. The string stays
 * valid until the next failing call on this thread.
 */
BILL_EXTERN const char *bill_errmsg(void);
/** The status code of the last failing call on this thread (BILL_OK if none). */
BILL_EXTERN int bill_errcode(void);
/** Forget this thread's last error. */
BILL_EXTERN void bill_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif /* BILL_ERRORS_H */
