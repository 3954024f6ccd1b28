/*
 * libbill bills: explanations and the text and JSON forms of a bill. Only
 * here does a bill become text, and only when a caller asks.
 */
#include "tariff_internal.h"

#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growable string ---------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int err;
} sbuf;

static void sb_put(sbuf *s, const char *t, size_t len)
{
    if (s->err)
        return;
    if (s->n + len + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (s->n + len + 1 > cap)
            cap *= 2;
        char *np = realloc(s->p, cap);
        if (!np) {
            s->err = 1;
            return;
        }
        s->p = np;
        s->cap = cap;
    }
    memcpy(s->p + s->n, t, len);
    s->n += len;
    s->p[s->n] = '\0';
}

static void sb_str(sbuf *s, const char *t) { sb_put(s, t, strlen(t)); }

static void sb_printf(sbuf *s, const char *fmt, ...) BILLI_PRINTF(2, 3);
static void sb_printf(sbuf *s, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) {
        s->err = 1;
        return;
    }
    sb_put(s, buf, (size_t)n);
}

static void sb_dec(sbuf *s, const bill_dec *d)
{
    char buf[128];
    size_t n = bill_dec_format(d, buf, sizeof buf);
    if (n < sizeof buf) {
        sb_put(s, buf, n);
        return;
    }
    char *big = bill_dec_to_str(d);
    if (!big) {
        s->err = 1;
        return;
    }
    sb_str(s, big);
    bill_free(big);
}

static void sb_date(sbuf *s, bill_date d)
{
    char buf[16];
    sb_put(s, buf, bill_date_format(d, buf, sizeof buf));
}

static void sb_period(sbuf *s, bill_period p)
{
    sb_date(s, p.start);
    sb_str(s, "/");
    sb_date(s, p.end);
}

/* A JSON string literal. */
static void sb_json(sbuf *s, const char *t)
{
    sb_str(s, "\"");
    for (; *t; t++) {
        unsigned char c = (unsigned char)*t;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            sb_put(s, e, 2);
        } else if (c < 0x20) {
            sb_printf(s, "\\u%04x", c);
        } else {
            sb_put(s, t, 1);
        }
    }
    sb_str(s, "\"");
}

static char *sb_finish(sbuf *s)
{
    if (s->err || !s->p) {
        free(s->p);
        billi_error(BILL_ENOMEM, "bill: out of memory rendering");
        return NULL;
    }
    return s->p;
}

/* ---- explanations ------------------------------------------------------------------ */

/* " for 2025-06" or ", prorated for 10 of the 30 days of 2025-06" (l->x of l->y days) */
static void sb_month_part(sbuf *s, const billi_line *l)
{
    int y, m;
    bill_date_to_ymd(l->seg.start, &y, &m, NULL);
    if (bill_dec_cmp(&l->x, &l->y) == 0) {
        sb_str(s, " for ");
    } else {
        sb_str(s, ", prorated for ");
        sb_dec(s, &l->x);
        sb_str(s, " of the ");
        sb_dec(s, &l->y);
        sb_str(s, " days of ");
    }
    sb_printf(s, "%04d-%02d", y, m);
}

static void explain_two_part(sbuf *s, const billi_line *l)
{
    const billi_charge *c = l->charge;
    switch (l->ex) {
    case BILLI_EX_CAPACITY:
        sb_dec(s, &l->qty);
        sb_str(s, " kVA installed at ");
        sb_dec(s, &l->price);
        sb_str(s, " a kVA a month");
        sb_month_part(s, l);
        break;
    case BILLI_EX_SUSPENDED: {
        bill_dec kva = BILL_DEC_INIT;
        if (bill_dec_abs(&kva, &l->qty) != BILL_OK)
            s->err = 1;
        sb_dec(s, &kva);
        sb_str(s, " kVA suspended ");
        sb_period(s, l->seg);
        sb_str(s, ": credit at ");
        sb_dec(s, &l->price);
        sb_str(s, " a kVA a month");
        sb_month_part(s, l);
        bill_dec_clear(&kva);
        break;
    }
    case BILLI_EX_DEMAND_TOU:
        sb_str(s, "Maximum demand in ");
        sb_str(s, l->band);
        sb_str(s, " ");
        sb_dec(s, &l->qty);
        sb_str(s, " kW at ");
        sb_dec(s, &l->price);
        sb_str(s, " a kW a month");
        sb_month_part(s, l);
        break;
    case BILLI_EX_DEMAND:
        if (c->basis == BILLI_DEMAND_ACTUAL && (l->flag & 4)) {
            /* a ratchet: say which rule set the billing demand */
            int y, m, rule = l->flag & 3;
            bill_date_to_ymd(l->ref, &y, &m, NULL);
            sb_str(s, "Billing demand ");
            sb_dec(s, &l->qty);
            sb_str(s, " kW = ");
            if (rule == 1) {
                sb_dec(s, &c->ratchet_pct);
                sb_str(s, "% of the ");
                sb_dec(s, &l->lo);
                sb_printf(s, " kW peak of %04d-%02d (this period's peak ", y, m);
                sb_dec(s, &l->aux);
                sb_str(s, " kW)");
            } else if (rule == 2) {
                sb_str(s, "the minimum of ");
                sb_dec(s, &c->ratchet_min);
                sb_str(s, " kW (this period's peak ");
                sb_dec(s, &l->aux);
                sb_str(s, " kW)");
            } else {
                sb_str(s, "this period's peak");
                if (l->ref.day != 0) {
                    sb_str(s, " (not below ");
                    sb_dec(s, &c->ratchet_pct);
                    sb_str(s, "% of the ");
                    sb_dec(s, &l->lo);
                    sb_printf(s, " kW peak of %04d-%02d)", y, m);
                }
            }
            sb_str(s, ": ");
        } else if (c->basis == BILLI_DEMAND_ACTUAL) {
            sb_str(s, "Maximum demand ");
        } else {
            sb_str(s, "Declared demand ");
            sb_dec(s, &l->aux);
            sb_str(s, " kW");
            if (l->flag & 1) {
                sb_str(s, " is below the floor of ");
                sb_dec(s, &c->min_fraction);
                sb_str(s, " of the installed capacity (");
                sb_dec(s, &l->lo);
                sb_str(s, " kW): billed at the floor");
            }
            if (l->flag & 2) {
                sb_str(s, "; maximum demand ");
                sb_dec(s, &l->hi);
                sb_str(s, " kW exceeds ");
                sb_dec(s, &c->tolerance);
                sb_str(s, " \xC3\x97 ");
                sb_str(s, l->flag & 1 ? "the floor" : "the declared demand");
                sb_str(s, ": ");
            } else {
                sb_str(s, ", within ");
                sb_dec(s, &c->tolerance);
                sb_str(s, " \xC3\x97: ");
            }
        }
        sb_dec(s, &l->qty);
        sb_str(s, " kW at ");
        sb_dec(s, &l->price);
        sb_str(s, " a kW a month");
        sb_month_part(s, l);
        break;
    case BILLI_EX_EXCESS:
        sb_dec(s, &l->qty);
        sb_str(s, " kW of the maximum demand ");
        sb_dec(s, &l->hi);
        sb_str(s, " kW above ");
        sb_dec(s, &l->aux);
        sb_str(s, " kW at ");
        sb_dec(s, &l->lo);
        sb_str(s, " \xC3\x97 ");
        sb_dec(s, &c->price);
        sb_str(s, " = ");
        sb_dec(s, &l->price);
        sb_str(s, " a kW a month");
        sb_month_part(s, l);
        break;
    case BILLI_EX_PF:
        sb_str(s, "PF ");
        sb_dec(s, &l->x);
        sb_str(s, " against standard ");
        sb_dec(s, &l->y);
        sb_str(s, bill_dec_sign(&l->price) >= 0 ? ": +" : ": ");
        sb_dec(s, &l->price);
        sb_str(s, "% of ");
        sb_dec(s, &l->qty);
        break;
    default:
        if (l->flag)
            sb_str(s, "No energy and no reactive energy in the period: no power factor, no "
                      "adjustment");
        else
            sb_str(s, "No kvarh in the usage: no power-factor adjustment");
        break;
    }
}

/* A feed-in credit line, or the credit forfeited to keep the total at zero. */
static void explain_credit(sbuf *s, const billi_line *l)
{
    bill_dec q = BILL_DEC_INIT;
    if (l->ex == BILLI_EX_FORFEIT) {
        if (bill_dec_neg(&q, &l->aux) != BILL_OK)
            s->err = 1;
        sb_str(s, "Credits exceed the charges by ");
        sb_dec(s, &q);
        sb_str(s, ": the excess is forfeited, the bill does not go below zero");
    } else if (l->flag == BILLI_NET_BILLING) {
        sb_dec(s, &l->aux);
        sb_str(s, " kWh exported at ");
        sb_dec(s, &l->price);
        sb_str(s, " credited (net billing: imports billed in full)");
    } else {
        if (bill_dec_neg(&q, &l->qty) != BILL_OK)
            s->err = 1;
        sb_dec(s, &l->aux);
        sb_str(s, " kWh exported offset ");
        sb_dec(s, &l->x);
        sb_str(s, " kWh imported (net metering)");
        if (bill_dec_is_zero(&q)) {
            sb_str(s, ": no surplus to credit");
        } else {
            sb_str(s, "; the surplus ");
            sb_dec(s, &q);
            sb_str(s, " kWh at ");
            sb_dec(s, &l->price);
            sb_str(s, " credited");
        }
    }
    bill_dec_clear(&q);
}

static void explain(sbuf *s, const bill_bill *b, const billi_line *l)
{
    const bill_tariff *t = b->tariff;
    switch (l->ex) {
    case BILLI_EX_CAPACITY:
    case BILLI_EX_SUSPENDED:
    case BILLI_EX_DEMAND:
    case BILLI_EX_DEMAND_TOU:
    case BILLI_EX_EXCESS:
    case BILLI_EX_PF:
    case BILLI_EX_PF_NONE:
        explain_two_part(s, l);
        break;
    case BILLI_EX_CREDIT:
    case BILLI_EX_FORFEIT:
        explain_credit(s, l);
        break;
    case BILLI_EX_FIXED:
        if (l->per == BILLI_PER_DAY) {
            sb_dec(s, &l->qty);
            sb_str(s, " days at ");
            sb_dec(s, &l->price);
            sb_str(s, " a day");
        } else if (l->per == BILLI_PER_PERIOD) {
            sb_dec(s, &l->charge->amount);
            sb_str(s, " for the billing period");
            if (strcmp(l->unit, "day") == 0) {
                sb_str(s, ", prorated for ");
                sb_dec(s, &l->qty);
                sb_str(s, " of ");
                sb_dec(s, &l->aux);
                sb_str(s, " days");
            }
        } else {
            int y, m;
            bill_date_to_ymd(l->seg.start, &y, &m, NULL);
            sb_dec(s, &l->charge->amount);
            sb_str(s, " a month");
            if (strcmp(l->unit, "day") == 0) {
                sb_str(s, ", prorated for ");
                sb_dec(s, &l->qty);
                sb_str(s, " of the ");
                sb_dec(s, &l->aux);
                sb_str(s, " days of ");
            } else {
                sb_str(s, " for ");
            }
            sb_printf(s, "%04d-%02d", y, m);
        }
        break;
    case BILLI_EX_FLAT:
        sb_dec(s, &l->qty);
        sb_str(s, " kWh");
        if (l->component[0]) {
            sb_str(s, " of ");
            sb_str(s, l->component);
        }
        sb_str(s, " at ");
        sb_dec(s, &l->price);
        break;
    case BILLI_EX_TIER:
    case BILLI_EX_INCREMENT:
        sb_str(s, "kWh ");
        sb_dec(s, &l->lo);
        sb_str(s, "\xE2\x80\x93"); /* en dash */
        sb_dec(s, &l->hi);
        sb_str(s, l->annual ? " of this year fall in " : " of this period fall in ");
        sb_str(s, l->band);
        if (l->ex == BILLI_EX_TIER) {
            sb_str(s, " at ");
            sb_dec(s, &l->price);
        } else {
            sb_str(s, ": +");
            sb_dec(s, &l->price);
            sb_str(s, " a kWh on top of the base price");
        }
        break;
    case BILLI_EX_TOU:
        sb_dec(s, &l->qty);
        sb_str(s, " kWh in the ");
        sb_str(s, l->band);
        sb_str(s, " period at ");
        sb_dec(s, &l->price);
        if (!l->per) {
            int k;
            for (k = 0; k < l->charge->ncomp; k++)
                if (strcmp(l->charge->comp[k].name, l->component) == 0 ||
                    (!l->component[0] && l->charge->comp[k].tou))
                    break;
            sb_str(s, " (");
            if (l->component[0]) {
                sb_str(s, l->component);
                sb_str(s, " ");
            }
            if (k < l->charge->ncomp)
                sb_dec(s, &l->charge->comp[k].price);
            sb_str(s, " \xC3\x97 ratio ");
            sb_dec(s, &l->aux);
            sb_str(s, ")");
        }
        break;
    case BILLI_EX_TOU_FLAT:
        sb_dec(s, &l->qty);
        sb_str(s, " kWh of ");
        sb_str(s, l->component);
        sb_str(s, " at ");
        sb_dec(s, &l->price);
        sb_str(s, ", the same in every period");
        break;
    case BILLI_EX_PER_KWH:
        if (l->charge->name[0]) {
            sb_str(s, l->charge->name);
            sb_str(s, ": ");
        }
        sb_dec(s, &l->qty);
        sb_str(s, " kWh at ");
        sb_dec(s, &l->price);
        break;
    case BILLI_EX_MINIMUM: {
        bill_dec below = BILL_DEC_INIT;
        if (bill_dec_sub(&below, &l->aux, &l->price) != BILL_OK)
            s->err = 1;
        sb_str(s, "The charges came to ");
        sb_dec(s, &below);
        sb_str(s, ", below the minimum charge of ");
        sb_dec(s, &l->aux);
        sb_str(s, ": the difference is added");
        bill_dec_clear(&below);
        break;
    }
    case BILLI_EX_TAX: {
        bill_dec pct = BILL_DEC_INIT, hundred = {100, 0, 0, NULL};
        if (bill_dec_mul(&pct, &l->price, &hundred) != BILL_OK ||
            bill_dec_trim(&pct, &pct, 0) != BILL_OK)
            s->err = 1;
        sb_str(s, "VAT of ");
        sb_dec(s, &pct);
        sb_str(s, "% on ");
        sb_dec(s, &l->qty);
        bill_dec_clear(&pct);
        break;
    }
    default:
        sb_str(s, "The exact sum ");
        sb_dec(s, &l->aux);
        sb_printf(s, " is rounded %s to %d decimals", bill_rounding_name(t->round_mode),
                  t->round_scale);
        break;
    }
    if (b->nsegments > 1 && (l->kind <= BILL_LINE_PER_KWH || l->kind >= BILL_LINE_CAPACITY) &&
        l->ex != BILLI_EX_MINIMUM && l->ex != BILLI_EX_FORFEIT) {
        sb_str(s, ", in ");
        sb_period(s, l->seg);
    }
}

char *bill_bill_line_explain(const bill_bill *b, size_t i)
{
    if (!b || !b->computed || i >= b->n) {
        billi_error(BILL_EINVAL, "bill_bill_line_explain: no line %zu", i);
        return NULL;
    }
    sbuf s = {NULL, 0, 0, 0};
    explain(&s, b, &b->lines[i]);
    return sb_finish(&s);
}

/* ---- text and JSON ------------------------------------------------------------------ */

static const char *kind_name(int kind)
{
    static const char *const names[] = {"fixed", "energy", "per_kwh", "minimum", "tax", "rounding",
                                        "capacity", "demand", "power_factor", "credit"};
    return kind >= 0 && kind <= BILL_LINE_CREDIT ? names[kind] : "?";
}

char *bill_bill_to_text(const bill_bill *b)
{
    if (!b || !b->computed) {
        billi_error(BILL_ESTATE, "bill_bill_to_text: no bill was computed");
        return NULL;
    }
    const bill_tariff *t = b->tariff;
    sbuf s = {NULL, 0, 0, 0};
    sb_str(&s, "Bill under tariff ");
    sb_str(&s, t->id);
    if (t->name[0]) {
        sb_str(&s, " (");
        sb_str(&s, t->name);
        sb_str(&s, ")");
    }
    sb_str(&s, "\nPeriod ");
    sb_period(&s, b->period);
    sb_printf(&s, " (%d days), class %s, amounts in %s\n", (int)bill_period_days(b->period),
              b->cls, t->currency);
    sb_printf(&s, "Rounding %s to %d decimals %s\n\n", bill_rounding_name(t->round_mode),
              t->round_scale, t->round_apply == BILLI_APPLY_LINE ? "on each line" : "on the total");
    for (size_t i = 0; i < b->n; i++) {
        const billi_line *l = &b->lines[i];
        sb_printf(&s, "%3zu. %s", i + 1, l->charge_id);
        if (l->component[0]) {
            sb_str(&s, " / ");
            sb_str(&s, l->component);
        }
        if (l->band[0]) {
            sb_str(&s, " [");
            sb_str(&s, l->band);
            sb_str(&s, "]");
        }
        sb_str(&s, ": ");
        if (l->kind != BILL_LINE_ROUNDING) {
            sb_dec(&s, &l->qty);
            if (l->unit[0]) {
                sb_str(&s, " ");
                sb_str(&s, l->unit);
            }
            sb_str(&s, " x ");
            sb_dec(&s, &l->price);
            if (l->ex == BILLI_EX_PF || l->ex == BILLI_EX_PF_NONE)
                sb_str(&s, "%"); /* the unit price of a power-factor line is a percent */
            sb_str(&s, " = ");
        }
        sb_dec(&s, &l->amount);
        sb_str(&s, "\n     ");
        explain(&s, b, l);
        sb_str(&s, "\n");
    }
    sb_str(&s, "\nSubtotal  ");
    sb_dec(&s, &b->subtotal);
    if (t->vat != BILLI_VAT_NONE) {
        sb_str(&s, b->tax_included ? "\nVAT included in the total  " : "\nVAT  ");
        sb_dec(&s, &b->tax);
    }
    sb_printf(&s, "\nTotal  %s ", t->currency);
    sb_dec(&s, &b->total);
    sb_str(&s, "\n");
    return sb_finish(&s);
}

char *bill_bill_to_json(const bill_bill *b)
{
    if (!b || !b->computed) {
        billi_error(BILL_ESTATE, "bill_bill_to_json: no bill was computed");
        return NULL;
    }
    const bill_tariff *t = b->tariff;
    sbuf s = {NULL, 0, 0, 0};
    sb_str(&s, "{\n  \"tariff\": ");
    sb_json(&s, t->id);
    sb_str(&s, ",\n  \"period\": \"");
    sb_period(&s, b->period);
    sb_printf(&s, "\",\n  \"days\": %d,\n  \"class\": ", (int)bill_period_days(b->period));
    sb_json(&s, b->cls);
    sb_printf(&s, ",\n  \"currency\": \"%s\",\n", t->currency);
    sb_printf(&s, "  \"rounding\": {\"mode\": \"%s\", \"scale\": %d, \"apply\": \"%s\"},\n",
              bill_rounding_name(t->round_mode), t->round_scale,
              t->round_apply == BILLI_APPLY_LINE ? "line" : "total");
    sb_str(&s, "  \"lines\": [");
    for (size_t i = 0; i < b->n; i++) {
        const billi_line *l = &b->lines[i];
        sb_str(&s, i ? ",\n    {\"charge\": " : "\n    {\"charge\": ");
        sb_json(&s, l->charge_id);
        sb_printf(&s, ", \"kind\": \"%s\", \"component\": ", kind_name(l->kind));
        sb_json(&s, l->component);
        sb_str(&s, ", \"band\": ");
        sb_json(&s, l->band);
        sb_str(&s, ", \"from\": \"");
        sb_date(&s, l->seg.start);
        sb_str(&s, "\", \"to\": \"");
        sb_date(&s, l->seg.end);
        sb_str(&s, "\", \"quantity\": \"");
        sb_dec(&s, &l->qty);
        sb_str(&s, "\", \"unit\": ");
        sb_json(&s, l->unit);
        sb_str(&s, ", \"unit_price\": \"");
        sb_dec(&s, &l->price);
        sb_str(&s, "\", \"amount\": \"");
        sb_dec(&s, &l->amount);
        sb_str(&s, "\", \"explanation\": ");
        sbuf e = {NULL, 0, 0, 0};
        explain(&e, b, l);
        if (e.err || !e.p)
            s.err = 1;
        else
            sb_json(&s, e.p);
        free(e.p);
        sb_str(&s, "}");
    }
    sb_str(&s, b->n ? "\n  ],\n  \"subtotal\": \"" : "],\n  \"subtotal\": \"");
    sb_dec(&s, &b->subtotal);
    sb_str(&s, "\",\n  \"tax\": \"");
    sb_dec(&s, &b->tax);
    sb_printf(&s, "\",\n  \"tax_included\": %s,\n  \"total\": \"", b->tax_included ? "true" : "false");
    sb_dec(&s, &b->total);
    sb_str(&s, "\"\n}\n");
    return sb_finish(&s);
}
