/* Tests for the status list, per-thread messages and the version. */
#include "test.h"
#include <pthread.h>

static void test_status_names(void)
{
    CHECK_STR(bill_status_name(BILL_OK), "OK");
    CHECK_STR(bill_status_name(BILL_EDIVZERO), "EDIVZERO");
    CHECK_STR(bill_status_name(BILL_EINTERNAL), "EINTERNAL");
    CHECK_STR(bill_status_name(12345), "UNKNOWN");
    CHECK_STR(bill_status_name(-999), "UNKNOWN");
    CHECK_STR(bill_strerror(BILL_ESYNTAX), "malformed input");
    CHECK_STR(bill_strerror(42), "unknown status code");
}

static void test_status_list_is_dense(void)
{
    int n = bill_status_count();
    CHECK(n >= 21);
    for (int i = 0; i < n; i++) {
        int code = bill_status_at(i);
        CHECK_INT(code, -i);
        CHECK(strcmp(bill_status_name(code), "UNKNOWN") != 0);
        CHECK(strcmp(bill_strerror(code), "unknown status code") != 0);
    }
    CHECK_INT(bill_status_at(n), BILL_EINVAL);
    CHECK_INT(bill_status_at(-1), BILL_EINVAL);
}

static void test_families(void)
{
    CHECK_INT(bill_status_family_of(BILL_OK), BILL_FAMILY_NONE);
    CHECK_INT(bill_status_family_of(BILL_EINVAL), BILL_FAMILY_ARGUMENT);
    CHECK_INT(bill_status_family_of(BILL_ESYNTAX), BILL_FAMILY_INPUT);
    CHECK_INT(bill_status_family_of(BILL_EDIVZERO), BILL_FAMILY_ARITH);
    CHECK_INT(bill_status_family_of(BILL_ESTATE), BILL_FAMILY_STATE);
    CHECK_INT(bill_status_family_of(BILL_EBUSY), BILL_FAMILY_STORAGE);
    CHECK_INT(bill_status_family_of(BILL_ENOMEM), BILL_FAMILY_SYSTEM);
    CHECK_INT(bill_status_family_of(7), BILL_FAMILY_NONE);
    CHECK_STR(bill_family_name(BILL_FAMILY_ARITH), "ARITH");
    CHECK_STR(bill_family_name(99), "UNKNOWN");
}

static void test_errmsg_is_set_and_cleared(void)
{
    bill_dec d = BILL_DEC_INIT;
    bill_error_clear();
    CHECK_STR(bill_errmsg(), "");
    CHECK_INT(bill_errcode(), BILL_OK);
    CHECK_ERR(bill_dec_parse(&d, "12x", (size_t)-1), BILL_ESYNTAX);
    CHECK_INT(bill_errcode(), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "12x") != NULL);
    /* a later success leaves the message alone */
    CHECK_OK(bill_dec_parse(&d, "12", (size_t)-1));
    CHECK(strstr(bill_errmsg(), "12x") != NULL);
    bill_error_clear();
    CHECK_STR(bill_errmsg(), "");
    bill_dec_clear(&d);
}

static void *thread_fail(void *arg)
{
    bill_dec d = BILL_DEC_INIT;
    (void)arg;
    bill_dec_parse(&d, "thread-bad", (size_t)-1);
    return NULL;
}

static void test_errmsg_is_per_thread(void)
{
    bill_dec d = BILL_DEC_INIT;
    pthread_t t;
    CHECK_ERR(bill_dec_parse(&d, "main-bad", (size_t)-1), BILL_ESYNTAX);
    CHECK_INT(pthread_create(&t, NULL, thread_fail, NULL), 0);
    pthread_join(t, NULL);
    CHECK(strstr(bill_errmsg(), "main-bad") != NULL);
    CHECK(strstr(bill_errmsg(), "thread-bad") == NULL);
}

static void test_null_arguments(void)
{
    bill_dec d = BILL_DEC_INIT;
    CHECK_ERR(bill_dec_parse(NULL, "1", (size_t)-1), BILL_EINVAL);
    CHECK_ERR(bill_dec_parse(&d, NULL, (size_t)-1), BILL_EINVAL);
    CHECK_ERR(bill_dec_add(&d, NULL, &d), BILL_EINVAL);
    CHECK_ERR(bill_calendar_create(NULL), BILL_EINVAL);
    bill_calendar_free(NULL);
    bill_dec_clear(NULL);
    bill_free(NULL);
    CHECK(1);
}

static void test_version(void)
{
    CHECK_STR(bill_version(), BILL_VERSION_STRING);
    CHECK_INT(bill_version_number(), BILL_VERSION_NUMBER);
    CHECK(BILL_VERSION_NUMBER == BILL_VERSION_MAJOR * 10000 + BILL_VERSION_MINOR * 100 +
                                 BILL_VERSION_PATCH);
}

void suite_errors(void)
{
    RUN(test_status_names);
    RUN(test_status_list_is_dense);
    RUN(test_families);
    RUN(test_errmsg_is_set_and_cleared);
    RUN(test_errmsg_is_per_thread);
    RUN(test_null_arguments);
    RUN(test_version);
}
