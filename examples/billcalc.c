/*
 * billcalc: compute one bill from a tariff and a usage, both JSON files.
 *
 *     billcalc TARIFF.json USAGE.json [--json] [--calendar CALENDAR.txt]
 *
 * --calendar gives the holidays and working days (the text format of
 * bill_calendar_load) that decide the day type of each day of interval data;
 * without it, Saturdays and Sundays are weekends and there are no holidays.
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
    const char *files[2], *calfile = NULL;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = 1;
        else if (strcmp(argv[i], "--calendar") == 0 && i + 1 < argc && !calfile)
            calfile = argv[++i];
        else if (nfiles < 2 && argv[i][0] != '-')
            files[nfiles++] = argv[i];
        else
            nfiles = 3;
    }
    if (nfiles != 2) {
        fprintf(stderr, "usage: billcalc TARIFF.json USAGE.json [--json] "
                        "[--calendar CALENDAR.txt]\n");
        return 2;
    }
    size_t tlen = 0, ulen = 0, clen = 0;
    char *ttext = read_file(files[0], &tlen);
    char *utext = ttext ? read_file(files[1], &ulen) : NULL;
    char *ctext = utext && calfile ? read_file(calfile, &clen) : NULL;
    bill_tariff *t = NULL;
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    bill_calendar *cal = NULL;
    char *out = NULL;
    if (!ttext || !utext || (calfile && !ctext))
        goto done;
    if (calfile && (bill_calendar_create(&cal) != BILL_OK ||
                    bill_calendar_load(cal, ctext, clen) != BILL_OK)) {
        fprintf(stderr, "billcalc: %s: %s\n", calfile, bill_errmsg());
        goto done;
    }
    if (bill_tariff_load(&t, ttext, tlen, files[0]) != BILL_OK ||
        bill_usage_create(&u) != BILL_OK ||
        bill_usage_load(u, utext, ulen, files[1]) != BILL_OK ||
        bill_usage_set_calendar(u, cal) != BILL_OK ||
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
    bill_calendar_free(cal);
    free(ttext);
    free(utext);
    free(ctext);
    return rc;
}
