/* libbill core: the status list, per-thread error details, version, free. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct billi_status_row {
    int code;
    int family;
    const char *name;
    const char *msg;
};

static const struct billi_status_row billi_status_rows[] = {
#define ROW_(name, value, family, msg) {value, BILL_FAMILY_##family, #name, msg},
    BILL_STATUS_MAP(ROW_)
#undef ROW_
};

#define NROWS ((int)(sizeof billi_status_rows / sizeof billi_status_rows[0]))

static const struct billi_status_row *find_row(int status)
{
    /* codes are 0, -1, -2, ... in order */
    if (status <= 0 && -status < NROWS && billi_status_rows[-status].code == status)
        return &billi_status_rows[-status];
    return NULL;
}

const char *bill_strerror(int status)
{
    const struct billi_status_row *r = find_row(status);
    return r ? r->msg : "unknown status code";
}

const char *bill_status_name(int status)
{
    const struct billi_status_row *r = find_row(status);
    return r ? r->name : "UNKNOWN";
}

int bill_status_family_of(int status)
{
    const struct billi_status_row *r = find_row(status);
    return r ? r->family : BILL_FAMILY_NONE;
}

const char *bill_family_name(int family)
{
    static const char *const names[] = {"NONE", "ARGUMENT", "INPUT", "ARITH",
                                        "STATE", "STORAGE", "SYSTEM"};
    if (family < 0 || family >= (int)(sizeof names / sizeof names[0]))
        return "UNKNOWN";
    return names[family];
}

int bill_status_count(void) { return NROWS; }

int bill_status_at(int i)
{
    return (i >= 0 && i < NROWS) ? billi_status_rows[i].code : BILL_EINVAL;
}

/* ---- per-thread last error ------------------------------------------------ */

struct billi_tls_error {
    int code;
    char msg[BILLI_ERRMSG_MAX];
};

static _Thread_local struct billi_tls_error billi_last;

int billi_verror(int code, const char *fmt, va_list ap)
{
    billi_last.code = code;
    int n = vsnprintf(billi_last.msg, sizeof billi_last.msg, fmt, ap);
    if (n < 0)
        snprintf(billi_last.msg, sizeof billi_last.msg, "%s", bill_strerror(code));
    return code;
}

int billi_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    billi_verror(code, fmt, ap);
    va_end(ap);
    return code;
}

int billi_error_to(char *handle_buf, int code)
{
    if (handle_buf)
        memcpy(handle_buf, billi_last.msg, BILLI_ERRMSG_MAX);
    return code;
}

const char *bill_errmsg(void) { return billi_last.msg; }
int bill_errcode(void) { return billi_last.code; }

void bill_error_clear(void)
{
    billi_last.code = BILL_OK;
    billi_last.msg[0] = '\0';
}

void billi_quote(char *dst, size_t cap, const char *text, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (cap == 0)
        return;
    if (!text) {
        snprintf(dst, cap, "(null)");
        return;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (o + 8 >= cap) { /* room for "..." and NUL */
            if (o + 4 <= cap) { memcpy(dst + o, "...", 3); o += 3; }
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            dst[o++] = (char)c;
        } else if (c >= 0x80) {
            dst[o++] = (char)c; /* keep UTF-8 readable */
        } else {
            dst[o++] = '\\'; dst[o++] = 'x';
            dst[o++] = hex[c >> 4]; dst[o++] = hex[c & 15];
        }
    }
    dst[o] = '\0';
}

/* ---- version and memory ------------------------------------------------------ */

const char *bill_version(void) { return BILL_VERSION_STRING; }
int bill_version_number(void) { return BILL_VERSION_NUMBER; }
void bill_free(void *p) { free(p); }
