/*
 * libbill: common definitions shared by every module: the export macro,
 * the version, and freeing memory the library hands out.
 */
#ifndef BILL_COMMON_H
#define BILL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(BILL_BUILDING)
#  define BILL_EXTERN __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#  define BILL_EXTERN __attribute__((visibility("default")))
#else
#  define BILL_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version, read by the Makefile (keep these three lines as they are). */
#define BILL_VERSION_MAJOR 0
#define BILL_VERSION_MINOR 1
#define BILL_VERSION_PATCH 0
#define BILL_VERSION_NUMBER \
    (BILL_VERSION_MAJOR * 10000 + BILL_VERSION_MINOR * 100 + BILL_VERSION_PATCH)
#define BILL_VERSION_STRING "0.1.0"

/** The version the library was built as, e.g. "0.1.0". */
BILL_EXTERN const char *bill_version(void);
/** BILL_VERSION_NUMBER of the library that is linked (compare with the header's). */
BILL_EXTERN int bill_version_number(void);

/**
 * Free memory the library returned to the caller (strings from the
 * `*_to_str` functions, arrays documented as "free with bill_free").
 * NULL is a no-op.
 */
BILL_EXTERN void bill_free(void *p);

/*
 * Memory: the library allocates with malloc/free. Arbitrary-precision values
 * use GMP, which aborts the process when memory runs out; everything else
 * reports BILL_ENOMEM.
 *
 * Threads: there is no global mutable state. Different handles may be used
 * from different threads at once; one handle must not be used from two
 * threads at the same time. Error details are kept per thread.
 */

#ifdef __cplusplus
}
#endif
#endif /* BILL_COMMON_H */
