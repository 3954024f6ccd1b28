/* Text output helpers of the verification and anomaly reports (verify_out.h). */
#include "verify_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void billi_sb_put(billi_sb *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void billi_sb_str(billi_sb *b, const char *s)
{
    billi_sb_put(b, s, strlen(s));
}

void billi_sb_fmt(billi_sb *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        billi_sb_put(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    billi_sb_put(b, big, (size_t)n);
    free(big);
}

void billi_sb_csv(billi_sb *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        billi_sb_str(b, s);
        return;
    }
    billi_sb_put(b, "\"", 1);
    for (const char *q = s; *q; q++) {
        if (*q == '"')
            billi_sb_put(b, "\"", 1);
        billi_sb_put(b, q, 1);
    }
    billi_sb_put(b, "\"", 1);
}

void billi_sb_json(billi_sb *b, const char *s)
{
    billi_sb_put(b, "\"", 1);
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if (*q == '"' || *q == '\\') {
            char e[2] = { '\\', (char)*q };
            billi_sb_put(b, e, 2);
        } else if (*q < 0x20 || *q == 0x7f) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", *q);
            billi_sb_put(b, e, 6);
        } else {
            billi_sb_put(b, (const char *)q, 1);
        }
    }
    billi_sb_put(b, "\"", 1);
}

int billi_sb_take(char **out, billi_sb *b)
{
    if (!b->oom && !b->p)
        billi_sb_put(b, "", 0);
    if (b->oom) {
        free(b->p);
        b->p = NULL;
        return billi_error(BILL_ENOMEM, "report: out of memory");
    }
    *out = b->p;
    b->p = NULL;
    return BILL_OK;
}

char *billi_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *billi_strdup(const char *s)
{
    return billi_strndup(s, strlen(s));
}

void billi_dec_text(char *buf, size_t cap, const bill_dec *d)
{
    size_t n = bill_dec_format(d, buf, cap);
    if (n >= cap)
        buf[cap - 1] = '\0';
}

void billi_date_text(char *buf, bill_date d)
{
    if (bill_date_format(d, buf, 16) == 0)
        strcpy(buf, "?");
}
