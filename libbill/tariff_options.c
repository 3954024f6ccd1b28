/*
 * libbill tariff options: the choices a customer makes under a tariff
 * ("basic_charge": capacity | contracted_demand | actual_demand), as a usage
 * states them (bill_usage_set_option) and as a computation resolves them
 * against the version in effect (charges with "when" apply or not).
 */
#include "tariff_internal.h"

#include <stdio.h>
#include <string.h>

static int option_name_ok(const char *s, size_t *len)
{
    size_t n = strlen(s);
    if (n == 0 || n >= BILL_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    *len = n;
    return 1;
}

int bill_usage_set_option(bill_usage *u, const char *name, const char *value)
{
    size_t nl, vl;
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(name != NULL, "name");
    BILLI_CHECK_ARG(value != NULL, "value");
    if (!option_name_ok(name, &nl) || !option_name_ok(value, &vl)) {
        char qn[64], qv[64];
        billi_quote(qn, sizeof qn, name, strlen(name));
        billi_quote(qv, sizeof qv, value, strlen(value));
        return billi_error(BILL_ESYNTAX, "usage: bad option '%s' = '%s' (names and values have 1 "
                                         "to %d letters, digits, '_' or '-')",
                           qn, qv, BILL_NAME_MAX - 1);
    }
    int i;
    for (i = 0; i < u->noptions; i++)
        if (strcmp(u->opt_name[i], name) == 0)
            break;
    if (i == BILLI_MAX_OPTIONS)
        return billi_error(BILL_ERANGE, "usage: at most %d options", BILLI_MAX_OPTIONS);
    memset(u->opt_name[i], 0, BILL_NAME_MAX);
    memcpy(u->opt_name[i], name, nl);
    memset(u->opt_value[i], 0, BILL_NAME_MAX);
    memcpy(u->opt_value[i], value, vl);
    if (i == u->noptions)
        u->noptions++;
    return BILL_OK;
}

void bill_usage_clear_options(bill_usage *u)
{
    if (u)
        u->noptions = 0;
}

int billi_options_select(int *sel, const billi_version *v, const bill_usage *u)
{
    for (int k = 0; k < v->noptions; k++)
        sel[k] = v->options[k].def;
    for (int i = 0; i < u->noptions; i++) {
        int k;
        for (k = 0; k < v->noptions; k++)
            if (strcmp(v->options[k].name, u->opt_name[i]) == 0)
                break;
        char d[16];
        bill_date_format(v->effective, d, sizeof d);
        if (k == v->noptions)
            return billi_error(BILL_ERULE, "bill: unknown option '%s' (the tariff version "
                                           "effective %s offers no such option)",
                               u->opt_name[i], d);
        const billi_option *op = &v->options[k];
        int val;
        for (val = 0; val < op->nvalues; val++)
            if (strcmp(op->value[val], u->opt_value[i]) == 0)
                break;
        if (val == op->nvalues) {
            char list[BILLI_MAX_OPTION_VALUES * (BILL_NAME_MAX + 2)] = "";
            for (int j = 0; j < op->nvalues; j++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s", j ? ", " : "", op->value[j]);
            }
            return billi_error(BILL_ERULE, "bill: option '%s' has no value '%s' (expected %s)",
                               op->name, u->opt_value[i], list);
        }
        sel[k] = val;
    }
    return BILL_OK;
}

int billi_charge_applies(const billi_charge *c, const int *sel)
{
    for (int i = 0; i < c->nwhen; i++)
        if (sel[c->when_opt[i]] != c->when_val[i])
            return 0;
    return 1;
}
