/*
 * Billing determinants of one account and period from meter readings (pure
 * part: include/bill/determinants.h). The store-backed loader is
 * bill_store_determinants in determinants_store.c.
 */
#include "bill/determinants.h"
#include "bill/meter.h"
#include "bill/registry.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DET_MAX_REGISTERS 16
#define DET_CODE_MAX 32
#define DET_SERIAL_MAX 65
#define DET_MAX_MAP 16

typedef struct det_reading {
    int64_t minute;
    bill_dec value;
    int estimated;
} det_reading;

typedef struct det_register {
    char code[DET_CODE_MAX];
    int kind;
    int digits;
    det_reading *readings;
    size_t nreadings, cap;
} det_register;

typedef struct det_mult {
    bill_date from;
    bill_dec value;
} det_mult;

typedef struct det_meter {
    char serial[DET_SERIAL_MAX];
    int digits;
    det_register regs[DET_MAX_REGISTERS];
    int nregs;
    det_mult *mults;
    size_t nmults, mcap;
} det_meter;

typedef struct det_segment {
    size_t meter;
    bill_date from, to;
    int sign;
    bill_dec *ratios;
    size_t nratios, rcap, index;
} det_segment;

typedef struct det_quantity {
    char code[DET_CODE_MAX];
    int kind;
    int estimated;
    int have;
    bill_dec value;
} det_quantity;

typedef struct det_map {
    char code[DET_CODE_MAX];
    char period[DET_CODE_MAX];
} det_map;

struct bill_determinants {
    int has_period;
    bill_period period;
    det_meter *meters;
    size_t nmeters, meters_cap;
    det_segment *segs;
    size_t nsegs, segs_cap;
    det_quantity q[DET_MAX_REGISTERS * 2];
    size_t nq;
    int computed;
    det_map map[DET_MAX_MAP];
    size_t nmap;
    bill_dec *parts; /* scratch for shares */
    size_t parts_cap;
};

int bill_determinants_create(bill_determinants **out)
{
    BILLI_CHECK_ARG(out, "out");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return billi_error(BILL_ENOMEM, "determinants: out of memory");
    for (size_t i = 0; i < sizeof (*out)->q / sizeof (*out)->q[0]; i++)
        bill_dec_init(&(*out)->q[i].value);
    return BILL_OK;
}

static void clear_meter(det_meter *m)
{
    for (int r = 0; r < m->nregs; r++) {
        det_register *g = &m->regs[r];
        for (size_t i = 0; i < g->nreadings; i++)
            bill_dec_clear(&g->readings[i].value);
        g->nreadings = 0;
    }
    m->nregs = 0;
    for (size_t i = 0; i < m->nmults; i++)
        bill_dec_clear(&m->mults[i].value);
    m->nmults = 0;
}

static void clear_results(bill_determinants *d)
{
    for (size_t i = 0; i < d->nq; i++)
        bill_dec_clear(&d->q[i].value);
    d->nq = 0;
    d->computed = 0;
}

void bill_determinants_reset(bill_determinants *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nmeters; i++)
        clear_meter(&d->meters[i]);
    d->nmeters = 0;
    for (size_t i = 0; i < d->nsegs; i++) {
        for (size_t k = 0; k < d->segs[i].nratios; k++)
            bill_dec_clear(&d->segs[i].ratios[k]);
        d->segs[i].nratios = 0;
    }
    d->nsegs = 0;
    clear_results(d);
    d->nmap = 0;
    d->has_period = 0;
}

void bill_determinants_free(bill_determinants *d)
{
    if (!d)
        return;
    bill_determinants_reset(d);
    for (size_t i = 0; i < d->meters_cap; i++) {
        for (int r = 0; r < DET_MAX_REGISTERS; r++)
            free(d->meters[i].regs[r].readings);
        free(d->meters[i].mults);
    }
    free(d->meters);
    for (size_t i = 0; i < d->segs_cap; i++)
        free(d->segs[i].ratios);
    free(d->segs);
    for (size_t i = 0; i < d->parts_cap; i++)
        bill_dec_clear(&d->parts[i]);
    free(d->parts);
    free(d);
}

int bill_determinants_set_period(bill_determinants *d, bill_period p)
{
    BILLI_CHECK_ARG(d, "d");
    if (!bill_date_is_valid(p.start) || !bill_date_is_valid(p.end) || p.start.day >= p.end.day)
        return billi_error(BILL_EDATE, "determinants: the period's start must be before its end");
    d->period = p;
    d->has_period = 1;
    clear_results(d);
    return BILL_OK;
}

static int check_name(const char *s, size_t max, const char *what)
{
    if (!s)
        return billi_error(BILL_EINVAL, "determinants: argument '%s' is NULL", what);
    size_t n = strlen(s);
    if (n == 0 || n >= max)
        return billi_error(BILL_ERANGE, "determinants: %s '%s' must have 1 to %zu bytes", what, s,
                           max - 1);
    return BILL_OK;
}

static det_meter *find_meter(const bill_determinants *d, const char *serial, size_t *index)
{
    for (size_t i = 0; i < d->nmeters; i++)
        if (strcmp(d->meters[i].serial, serial) == 0) {
            if (index)
                *index = i;
            return &d->meters[i];
        }
    return NULL;
}

static det_register *find_register(det_meter *m, const char *code)
{
    for (int r = 0; r < m->nregs; r++)
        if (strcmp(m->regs[r].code, code) == 0)
            return &m->regs[r];
    return NULL;
}

int bill_determinants_add_meter(bill_determinants *d, const char *serial, int digits)
{
    BILLI_CHECK_ARG(d, "d");
    BILLI_TRY(check_name(serial, DET_SERIAL_MAX, "meter serial"));
    if (digits < 1 || digits > 12)
        return billi_error(BILL_ERANGE, "determinants: meter %s: digits %d not in 1..12", serial,
                           digits);
    if (find_meter(d, serial, NULL))
        return billi_error(BILL_EEXISTS, "determinants: meter %s added twice", serial);
    if (d->nmeters == d->meters_cap) {
        size_t cap = d->meters_cap ? d->meters_cap * 2 : 4;
        det_meter *m = realloc(d->meters, cap * sizeof *m);
        if (!m)
            return billi_error(BILL_ENOMEM, "determinants: out of memory");
        memset(m + d->meters_cap, 0, (cap - d->meters_cap) * sizeof *m);
        d->meters = m;
        d->meters_cap = cap;
    }
    det_meter *m = &d->meters[d->nmeters++];
    strcpy(m->serial, serial);
    m->digits = digits;
    m->nregs = 0;
    m->nmults = 0;
    clear_results(d);
    return BILL_OK;
}

static det_meter *need_meter(const bill_determinants *d, const char *serial, size_t *index)
{
    det_meter *m = find_meter(d, serial, index);
    if (!m)
        billi_error(BILL_ENOTFOUND, "determinants: meter %s was not added", serial);
    return m;
}

int bill_determinants_add_register(bill_determinants *d, const char *serial, const char *code,
                                   int kind, int digits)
{
    BILLI_CHECK_ARG(d, "d");
    BILLI_TRY(check_name(serial, DET_SERIAL_MAX, "meter serial"));
    BILLI_TRY(check_name(code, DET_CODE_MAX, "register code"));
    det_meter *m = need_meter(d, serial, NULL);
    if (!m)
        return BILL_ENOTFOUND;
    if (kind < 0 || kind > 2)
        return billi_error(BILL_EINVAL, "determinants: meter %s register %s: kind %d unknown",
                           serial, code, kind);
    if (digits < 0 || digits > 12)
        return billi_error(BILL_ERANGE, "determinants: meter %s register %s: digits %d not in 0..12",
                           serial, code, digits);
    if (find_register(m, code))
        return billi_error(BILL_EEXISTS, "determinants: meter %s register %s added twice", serial,
                           code);
    if (m->nregs == DET_MAX_REGISTERS)
        return billi_error(BILL_ERANGE, "determinants: meter %s: more than %d registers", serial,
                           DET_MAX_REGISTERS);
    det_register *g = &m->regs[m->nregs++];
    strcpy(g->code, code);
    g->kind = kind;
    g->digits = digits ? digits : m->digits;
    g->nreadings = 0;
    clear_results(d);
    return BILL_OK;
}

int bill_determinants_add_multiplier(bill_determinants *d, const char *serial, bill_date from,
                                     const bill_dec *multiplier)
{
    BILLI_CHECK_ARG(d, "d");
    BILLI_CHECK_ARG(multiplier, "multiplier");
    BILLI_TRY(check_name(serial, DET_SERIAL_MAX, "meter serial"));
    det_meter *m = need_meter(d, serial, NULL);
    if (!m)
        return BILL_ENOTFOUND;
    if (bill_dec_sign(multiplier) <= 0)
        return billi_error(BILL_ERANGE, "determinants: meter %s: multiplier must be > 0", serial);
    if (!bill_date_is_valid(from))
        return billi_error(BILL_EDATE, "determinants: meter %s: invalid multiplier date", serial);
    size_t pos = m->nmults;
    for (size_t i = 0; i < m->nmults; i++) {
        if (m->mults[i].from.day == from.day)
            return billi_error(BILL_EEXISTS, "determinants: meter %s: two multipliers on one day",
                               serial);
        if (m->mults[i].from.day > from.day && pos == m->nmults)
            pos = i;
    }
    if (m->nmults == m->mcap) {
        size_t cap = m->mcap ? m->mcap * 2 : 4;
        det_mult *x = realloc(m->mults, cap * sizeof *x);
        if (!x)
            return billi_error(BILL_ENOMEM, "determinants: out of memory");
        m->mults = x;
        m->mcap = cap;
    }
    bill_dec v = BILL_DEC_INIT;
    BILLI_TRY(bill_dec_copy(&v, multiplier));
    memmove(&m->mults[pos + 1], &m->mults[pos], (m->nmults - pos) * sizeof *m->mults);
    m->mults[pos].from = from;
    m->mults[pos].value = v;
    m->nmults++;
    clear_results(d);
    return BILL_OK;
}

int bill_determinants_add_reading(bill_determinants *d, const char *serial, const char *code,
                                  bill_datetime at, const bill_dec *value, int estimated)
{
    BILLI_CHECK_ARG(d, "d");
    BILLI_CHECK_ARG(value, "value");
    BILLI_TRY(check_name(serial, DET_SERIAL_MAX, "meter serial"));
    BILLI_TRY(check_name(code, DET_CODE_MAX, "register code"));
    det_meter *m = need_meter(d, serial, NULL);
    if (!m)
        return BILL_ENOTFOUND;
    det_register *g = find_register(m, code);
    if (!g)
        return billi_error(BILL_ENOTFOUND, "determinants: meter %s has no register %s", serial,
                           code);
    if (bill_dec_sign(value) < 0)
        return billi_error(BILL_ERANGE, "determinants: meter %s register %s: negative reading",
                           serial, code);
    for (size_t i = 0; i < g->nreadings; i++)
        if (g->readings[i].minute == at.minute) {
            char buf[32];
            bill_datetime_format(at, buf, sizeof buf);
            return billi_error(BILL_EEXISTS,
                               "determinants: meter %s register %s: two readings at %s", serial,
                               code, buf);
        }
    if (g->nreadings == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 4;
        det_reading *x = realloc(g->readings, cap * sizeof *x);
        if (!x)
            return billi_error(BILL_ENOMEM, "determinants: out of memory");
        g->readings = x;
        g->cap = cap;
    }
    det_reading *r = &g->readings[g->nreadings];
    bill_dec_init(&r->value);
    int rc = bill_dec_copy(&r->value, value);
    if (rc != BILL_OK)
        return rc;
    r->minute = at.minute;
    r->estimated = estimated ? 1 : 0;
    g->nreadings++;
    clear_results(d);
    return BILL_OK;
}

int bill_determinants_add_segment(bill_determinants *d, const char *serial, bill_date from,
                                  bill_date to, int sign, const bill_dec *ratios, size_t nratios,
                                  size_t share_index)
{
    BILLI_CHECK_ARG(d, "d");
    BILLI_TRY(check_name(serial, DET_SERIAL_MAX, "meter serial"));
    size_t mi;
    if (!need_meter(d, serial, &mi))
        return BILL_ENOTFOUND;
    if (sign != 1 && sign != -1)
        return billi_error(BILL_EINVAL, "determinants: meter %s: sign must be +1 or -1", serial);
    if (from.day >= to.day)
        return billi_error(BILL_EDATE, "determinants: meter %s: segment start must be before its end",
                           serial);
    if (nratios > 0 && (!ratios || share_index >= nratios || nratios > 64))
        return billi_error(BILL_EINVAL,
                           "determinants: meter %s: share index %zu outside %zu ratios", serial,
                           share_index, nratios);
    for (size_t k = 0; k < nratios; k++)
        if (bill_dec_sign(&ratios[k]) <= 0)
            return billi_error(BILL_ERANGE, "determinants: meter %s: share ratio %zu must be > 0",
                               serial, k);
    if (d->nsegs == d->segs_cap) {
        size_t cap = d->segs_cap ? d->segs_cap * 2 : 4;
        det_segment *x = realloc(d->segs, cap * sizeof *x);
        if (!x)
            return billi_error(BILL_ENOMEM, "determinants: out of memory");
        memset(x + d->segs_cap, 0, (cap - d->segs_cap) * sizeof *x);
        d->segs = x;
        d->segs_cap = cap;
    }
    det_segment *s = &d->segs[d->nsegs];
    if (nratios > s->rcap) {
        bill_dec *x = realloc(s->ratios, nratios * sizeof *x);
        if (!x)
            return billi_error(BILL_ENOMEM, "determinants: out of memory");
        s->ratios = x;
        s->rcap = nratios;
    }
    for (size_t k = 0; k < nratios; k++) {
        bill_dec_init(&s->ratios[k]);
        int rc = bill_dec_copy(&s->ratios[k], &ratios[k]);
        if (rc != BILL_OK) {
            for (size_t j = 0; j <= k; j++)
                bill_dec_clear(&s->ratios[j]);
            return rc;
        }
    }
    s->nratios = nratios;
    s->index = share_index;
    s->meter = mi;
    s->from = from;
    s->to = to;
    s->sign = sign;
    d->nsegs++;
    clear_results(d);
    return BILL_OK;
}

int bill_determinants_set_tou_map(bill_determinants *d, const char *code, const char *period)
{
    BILLI_CHECK_ARG(d, "d");
    BILLI_TRY(check_name(code, DET_CODE_MAX, "register code"));
    if (!period || strlen(period) >= DET_CODE_MAX)
        return billi_error(BILL_ERANGE, "determinants: TOU period for %s must have 0 to %d bytes",
                           code, DET_CODE_MAX - 1);
    for (size_t i = 0; i < d->nmap; i++)
        if (strcmp(d->map[i].code, code) == 0) {
            strcpy(d->map[i].period, period);
            return BILL_OK;
        }
    if (d->nmap == DET_MAX_MAP)
        return billi_error(BILL_ERANGE, "determinants: more than %d TOU mappings", DET_MAX_MAP);
    strcpy(d->map[d->nmap].code, code);
    strcpy(d->map[d->nmap].period, period);
    d->nmap++;
    return BILL_OK;
}

/* ---- compute ------------------------------------------------------------------ */

static const bill_dec *mult_at(const det_meter *m, bill_date day)
{
    static const bill_dec one = {1, 0, 0, NULL};
    const bill_dec *v = &one;
    for (size_t i = 0; i < m->nmults && m->mults[i].from.day <= day.day; i++)
        v = &m->mults[i].value;
    return v;
}

static const det_reading *reading_at(const det_register *g, int64_t minute)
{
    for (size_t i = 0; i < g->nreadings; i++)
        if (g->readings[i].minute == minute)
            return &g->readings[i];
    return NULL;
}

static det_quantity *quantity(bill_determinants *d, const char *code, int kind)
{
    for (size_t i = 0; i < d->nq; i++)
        if (strcmp(d->q[i].code, code) == 0)
            return &d->q[i];
    if (d->nq == sizeof d->q / sizeof d->q[0])
        return NULL;
    det_quantity *q = &d->q[d->nq++];
    strcpy(q->code, code);
    q->kind = kind;
    q->estimated = 0;
    q->have = 0;
    bill_dec_set_i64(&q->value, 0, 0);
    return q;
}

static int missing(const det_meter *m, const det_register *g, bill_date day, const char *why)
{
    char buf[16];
    bill_date_format(day, buf, sizeof buf);
    return billi_error(BILL_ENOTFOUND, "meter %s register %s: no reading at %s 00:00 (%s)",
                       m->serial, g->code, buf, why);
}

static int32_t scale_of(const bill_dec *v)
{
    int32_t s = bill_dec_scale(v);
    return s < 0 ? 0 : s;
}

static int take_share(bill_determinants *d, bill_dec *part, const det_segment *s,
                      const bill_dec *energy)
{
    if (s->nratios == 0)
        return bill_dec_copy(part, energy);
    if (s->nratios > d->parts_cap) {
        bill_dec *x = realloc(d->parts, s->nratios * sizeof *x);
        if (!x)
            return billi_error(BILL_ENOMEM, "determinants: out of memory");
        for (size_t i = d->parts_cap; i < s->nratios; i++)
            bill_dec_init(&x[i]);
        d->parts = x;
        d->parts_cap = s->nratios;
    }
    BILLI_TRY(bill_dec_allocate(d->parts, s->nratios, energy, s->ratios, scale_of(energy),
                                BILL_REMAINDER_LARGEST_FRACTION));
    return bill_dec_copy(part, &d->parts[s->index]);
}

static int compute_segment(bill_determinants *d, const det_segment *s)
{
    const det_meter *m = &d->meters[s->meter];
    bill_date a = s->from.day > d->period.start.day ? s->from : d->period.start;
    bill_date b = s->to.day < d->period.end.day ? s->to : d->period.end;
    if (a.day >= b.day)
        return BILL_OK;
    const char *why_a = a.day == d->period.start.day ? "the period's start" : "the meter's start in the period";
    const char *why_b = b.day == d->period.end.day ? "the period's end" : "the meter's end in the period";
    int rc = BILL_OK;
    bill_dec adv = BILL_DEC_INIT, energy = BILL_DEC_INIT, sum = BILL_DEC_INIT,
             part = BILL_DEC_INIT, tmp = BILL_DEC_INIT;
    for (int r = 0; r < m->nregs && rc == BILL_OK; r++) {
        const det_register *g = &m->regs[r];
        det_quantity *q = quantity(d, g->code, g->kind);
        if (!q) {
            rc = billi_error(BILL_ERANGE, "determinants: too many register codes");
            break;
        }
        if (q->kind != g->kind) {
            rc = billi_error(BILL_ERULE,
                             "meter %s register %s: kind differs from the same code on another meter",
                             m->serial, g->code);
            break;
        }
        if (g->kind == BILL_REGISTER_DEMAND) {
            if (s->sign < 0)
                continue;
            int found = 0;
            bill_date x = a;
            size_t mi = 0;
            while (rc == BILL_OK && x.day < b.day) {
                /* the piece [x, y) with one multiplier */
                while (mi < m->nmults && m->mults[mi].from.day <= x.day)
                    mi++;
                bill_date y = b;
                if (mi < m->nmults && m->mults[mi].from.day < b.day)
                    y = m->mults[mi].from;
                const bill_dec *mul = mult_at(m, x);
                for (size_t i = 0; i < g->nreadings && rc == BILL_OK; i++) {
                    const det_reading *rd = &g->readings[i];
                    if (rd->minute <= (int64_t)x.day * 1440 || rd->minute > (int64_t)y.day * 1440)
                        continue;
                    rc = bill_dec_mul(&tmp, &rd->value, mul);
                    if (rc != BILL_OK)
                        break;
                    found = 1;
                    if (rd->estimated)
                        q->estimated = 1;
                    if (!q->have || bill_dec_cmp(&tmp, &q->value) > 0) {
                        rc = bill_dec_copy(&q->value, &tmp);
                        q->have = 1;
                    }
                }
                x = y;
            }
            if (rc == BILL_OK && !found) {
                char sa[16], sb[16];
                bill_date_format(a, sa, sizeof sa);
                bill_date_format(b, sb, sizeof sb);
                rc = billi_error(BILL_ENOTFOUND,
                                 "meter %s register %s: no demand reading after %s 00:00 up to %s 00:00",
                                 m->serial, g->code, sa, sb);
            }
            continue;
        }
        /* energy or reactive: advances over the pieces cut at multiplier changes */
        bill_dec_set_i64(&sum, 0, 0);
        int est = 0;
        bill_date x = a;
        size_t mi = 0;
        const det_reading *rx = reading_at(g, (int64_t)a.day * 1440);
        if (!rx) {
            rc = missing(m, g, a, why_a);
            break;
        }
        while (x.day < b.day) {
            while (mi < m->nmults && m->mults[mi].from.day <= x.day)
                mi++;
            bill_date y = b;
            const char *why = why_b;
            if (mi < m->nmults && m->mults[mi].from.day < b.day) {
                y = m->mults[mi].from;
                why = "a multiplier change";
            }
            const det_reading *ry = reading_at(g, (int64_t)y.day * 1440);
            if (!ry) {
                rc = missing(m, g, y, why);
                break;
            }
            int32_t dec = scale_of(&rx->value);
            if (scale_of(&ry->value) > dec)
                dec = scale_of(&ry->value);
            if (dec > BILL_REGISTER_MAX_DECIMALS)
                dec = BILL_REGISTER_MAX_DECIMALS;
            rc = bill_register_advance(&adv, &energy, NULL, &rx->value, &ry->value, g->digits, dec,
                                       mult_at(m, x), NULL);
            if (rc != BILL_OK) {
                char sx[16], sy[16], inner[BILLI_ERRMSG_MAX];
                bill_date_format(x, sx, sizeof sx);
                bill_date_format(y, sy, sizeof sy);
                snprintf(inner, sizeof inner, "%s", bill_errmsg());
                rc = billi_error(rc, "meter %s register %s from %s to %s: %s", m->serial, g->code,
                                 sx, sy, inner);
                break;
            }
            if ((rc = bill_dec_add(&sum, &sum, &energy)) != BILL_OK)
                break;
            est |= rx->estimated | ry->estimated;
            rx = ry;
            x = y;
        }
        if (rc != BILL_OK)
            break;
        if ((rc = take_share(d, &part, s, &sum)) != BILL_OK)
            break;
        if (s->sign < 0)
            rc = bill_dec_sub(&q->value, &q->value, &part);
        else
            rc = bill_dec_add(&q->value, &q->value, &part);
        q->have = 1;
        q->estimated |= est;
    }
    bill_dec_clear(&adv);
    bill_dec_clear(&energy);
    bill_dec_clear(&sum);
    bill_dec_clear(&part);
    bill_dec_clear(&tmp);
    return rc;
}

static int qcmp(const void *a, const void *b)
{
    return strcmp(((const det_quantity *)a)->code, ((const det_quantity *)b)->code);
}

int bill_determinants_compute(bill_determinants *d)
{
    BILLI_CHECK_ARG(d, "d");
    clear_results(d);
    if (!d->has_period)
        return billi_error(BILL_ESTATE, "determinants: no period set");
    int rc = BILL_OK;
    for (size_t i = 0; i < d->nsegs && rc == BILL_OK; i++)
        rc = compute_segment(d, &d->segs[i]);
    for (size_t i = 0; i < d->nq && rc == BILL_OK; i++) {
        if (d->q[i].kind != BILL_REGISTER_DEMAND && bill_dec_sign(&d->q[i].value) < 0) {
            char meters[256] = "";
            size_t len = 0;
            for (size_t k = 0; k < d->nsegs; k++) {
                const det_segment *s = &d->segs[k];
                int n = snprintf(meters + len, sizeof meters - len, "%s%s %s",
                                 len ? ", " : "", s->sign > 0 ? "master" : "sub",
                                 d->meters[s->meter].serial);
                if (n < 0 || (size_t)n >= sizeof meters - len)
                    break;
                len += (size_t)n;
            }
            char *v = bill_dec_to_str(&d->q[i].value);
            rc = billi_error(BILL_ERULE,
                             "register %s: the sub-meters used more than their master (net %s; %s)",
                             d->q[i].code, v ? v : "?", meters);
            bill_free(v);
        }
    }
    if (rc != BILL_OK) {
        clear_results(d);
        return rc;
    }
    /* drop quantities no segment inside the period produced (e.g. demand of subs only) */
    size_t w = 0;
    for (size_t i = 0; i < d->nq; i++) {
        if (d->q[i].have) {
            if (w != i) {
                det_quantity t = d->q[w];
                d->q[w] = d->q[i];
                d->q[i] = t;
            }
            w++;
        }
    }
    for (size_t i = w; i < d->nq; i++)
        bill_dec_clear(&d->q[i].value);
    d->nq = w;
    qsort(d->q, d->nq, sizeof d->q[0], qcmp);
    d->computed = 1;
    return BILL_OK;
}

/* ---- results ------------------------------------------------------------------ */

size_t bill_determinants_count(const bill_determinants *d)
{
    return d && d->computed ? d->nq : 0;
}

const char *bill_determinants_code(const bill_determinants *d, size_t i)
{
    return d && d->computed && i < d->nq ? d->q[i].code : NULL;
}

int bill_determinants_kind(const bill_determinants *d, size_t i)
{
    return d && d->computed && i < d->nq ? d->q[i].kind : -1;
}

int bill_determinants_value(bill_dec *out, const bill_determinants *d, size_t i)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(d, "d");
    if (!d->computed || i >= d->nq)
        return billi_error(BILL_EINVAL, "determinants: quantity %zu out of range", i);
    return bill_dec_copy(out, &d->q[i].value);
}

int bill_determinants_estimated(const bill_determinants *d, size_t i)
{
    return d && d->computed && i < d->nq ? d->q[i].estimated : -1;
}

int bill_determinants_get(bill_dec *out, int *estimated, const bill_determinants *d,
                          const char *code)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(d, "d");
    BILLI_CHECK_ARG(code, "code");
    if (d->computed)
        for (size_t i = 0; i < d->nq; i++)
            if (strcmp(d->q[i].code, code) == 0) {
                if (estimated)
                    *estimated = d->q[i].estimated;
                return bill_dec_copy(out, &d->q[i].value);
            }
    return billi_error(BILL_ENOTFOUND, "determinants: no quantity for register %s", code);
}

int bill_determinants_any_estimated(const bill_determinants *d)
{
    if (!d || !d->computed)
        return 0;
    for (size_t i = 0; i < d->nq; i++)
        if (d->q[i].estimated)
            return 1;
    return 0;
}

int bill_determinants_days(const bill_determinants *d)
{
    return d && d->has_period ? (int)bill_period_days(d->period) : 0;
}

static const char *tou_period_of(const bill_determinants *d, const char *code)
{
    for (size_t i = 0; i < d->nmap; i++)
        if (strcmp(d->map[i].code, code) == 0)
            return d->map[i].period;
    return strcmp(code, "total") == 0 ? "" : code;
}

int bill_determinants_to_usage(bill_usage *u, const bill_determinants *d)
{
    BILLI_CHECK_ARG(u, "u");
    BILLI_CHECK_ARG(d, "d");
    if (!d->computed)
        return billi_error(BILL_ESTATE, "determinants: not computed");
    BILLI_TRY(bill_usage_set_period(u, d->period));
    bill_usage_clear_tou(u);
    int rc = BILL_OK, tou = 0, have_kvarh = 0, have_total = 0;
    bill_dec kvarh = BILL_DEC_INIT, acc = BILL_DEC_INIT, total = BILL_DEC_INIT;
    const det_quantity *demand = NULL;
    /* TOU periods: codes mapping to the same period add up */
    for (size_t i = 0; i < d->nq && rc == BILL_OK; i++) {
        const det_quantity *q = &d->q[i];
        if (q->kind == BILL_REGISTER_REACTIVE) {
            rc = bill_dec_add(&kvarh, &kvarh, &q->value);
            have_kvarh = 1;
        } else if (q->kind == BILL_REGISTER_DEMAND) {
            if (!demand || bill_dec_cmp(&q->value, &demand->value) > 0)
                demand = q;
        } else {
            const char *per = tou_period_of(d, q->code);
            if (strcmp(q->code, "total") == 0) {
                rc = bill_dec_copy(&total, &q->value);
                have_total = 1;
            }
            if (!*per)
                continue;
            int first = 1;
            for (size_t k = 0; k < i; k++)
                if (d->q[k].kind == BILL_REGISTER_ENERGY &&
                    strcmp(tou_period_of(d, d->q[k].code), per) == 0)
                    first = 0;
            if (!first)
                continue;
            bill_dec_set_i64(&acc, 0, 0);
            for (size_t k = i; k < d->nq && rc == BILL_OK; k++)
                if (d->q[k].kind == BILL_REGISTER_ENERGY &&
                    strcmp(tou_period_of(d, d->q[k].code), per) == 0)
                    rc = bill_dec_add(&acc, &acc, &d->q[k].value);
            if (rc == BILL_OK)
                rc = bill_usage_set_tou_kwh(u, per, &acc);
            tou = 1;
        }
    }
    if (rc == BILL_OK && !tou && have_total)
        rc = bill_usage_set_kwh(u, &total);
    if (rc == BILL_OK && have_kvarh)
        rc = bill_usage_set_kvarh(u, &kvarh);
    if (rc == BILL_OK && demand)
        rc = bill_usage_set_max_demand_kw(u, &demand->value);
    bill_dec_clear(&kvarh);
    bill_dec_clear(&acc);
    bill_dec_clear(&total);
    return rc;
}
