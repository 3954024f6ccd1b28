/*
 * billcalc: compute one bill from a tariff and a usage, both JSON files.
 *
 *     billcalc TARIFF.json USAGE.json [--json]
 *
 * Prints the itemized bill as text (or JSON with --json) on standard output.
 * Bad input prints the library's message (file, line, column, JSON path and
 * reason) on standard error and exits with status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bill.h"
#include "bill/tariff.h"

/* Read a whole file into a new buffer; NULL on error (reported). */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "billcalc: cannot open %s\n", path);
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (!buf || ferror(f)) {
        fprintf(stderr, "billcalc: cannot read %s\n", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    int as_json = 0, rc = 1;
    const char *files[2];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = 1;
        else if (nfiles < 2 && argv[i][0] != '-')
            files[nfiles++] = argv[i];
        else
            nfiles = 3;
    }
    if (nfiles != 2) {
        fprintf(stderr, "usage: billcalc TARIFF.json USAGE.json [--json]\n");
        return 2;
    }
    size_t tlen = 0, ulen = 0;
    char *ttext = read_file(files[0], &tlen);
    char *utext = ttext ? read_file(files[1], &ulen) : NULL;
    bill_tariff *t = NULL;
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    char *out = NULL;
    if (!ttext || !utext)
        goto done;
    if (bill_tariff_load(&t, ttext, tlen, files[0]) != BILL_OK ||
        bill_usage_create(&u) != BILL_OK ||
        bill_usage_load(u, utext, ulen, files[1]) != BILL_OK ||
        bill_bill_create(&b) != BILL_OK ||
        bill_tariff_compute(t, u, b) != BILL_OK ||
        !(out = as_json ? bill_bill_to_json(b) : bill_bill_to_text(b))) {
        fprintf(stderr, "billcalc: %s\n", bill_errmsg());
        goto done;
    }
    fputs(out, stdout);
    rc = 0;
done:
    bill_free(out);
    bill_bill_free(b);
    bill_usage_free(u);
    bill_tariff_free(t);
    free(ttext);
    free(utext);
    return rc;
}
