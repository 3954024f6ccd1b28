/*
 * The importer of register readings and interval data (include/bill/import.h):
 * the CSV rows of libbill/readings_csv.c checked against the registry and the
 * stored readings, kept in batched transactions, rejected rows in
 * import_exceptions; plus the single-reading API and a few queries.
 *
 * Speed: statements are prepared once per store (billi_store_prepare), each
 * meter's registry facts are looked up once per import and kept in a small
 * hash map, and the latest reading of each register (the latest interval of
 * each meter) is cached, so a row in time order needs no query at all.
 */
#define _POSIX_C_SOURCE 200809L
#include "store_internal.h"
#include "readings_csv.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- SHA-256 (FIPS 180-4), for the import's digest ------------------------------- */

typedef struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t n;
} sha256;

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(sha256 *c, const unsigned char *p)
{
    uint32_t w[64], a, b, cc, d, e, f, g, h;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8
               | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3];
    e = c->h[4]; f = c->h[5]; g = c->h[6]; h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g; g = f; f = e; e = d + t1; d = cc; cc = b; b = a; a = t1 + t2;
    }
    c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
    c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

static void sha_init(sha256 *c)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->n = 0;
}

static void sha_update(sha256 *c, const unsigned char *p, size_t len)
{
    c->len += len;
    if (c->n) {
        size_t take = 64 - c->n < len ? 64 - c->n : len;
        memcpy(c->buf + c->n, p, take);
        c->n += take; p += take; len -= take;
        if (c->n < 64)
            return;
        sha_block(c, c->buf);
        c->n = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        sha_block(c, p);
    memcpy(c->buf, p, len);
    c->n = len;
}

static void sha_hex(sha256 *c, char *out /* 65 */)
{
    uint64_t bits = c->len * 8;
    unsigned char pad[72] = { 0x80 };
    size_t padlen = (c->n < 56 ? 56 : 120) - c->n;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
    sha_update(c, pad, padlen + 8);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", c->h[i]);
}

/* ---- the registry cache ------------------------------------------------------------ */

typedef struct reg_info {
    char code[BILLI_RCSV_MAX_REGISTER + 1];
    int64_t id;
    int kind;          /* bill_register_kind */
    int digits;
    int loaded;        /* last_* hold the latest stored reading */
    int has_last;
    int64_t last_at;
    bill_dec last;
} reg_info;

typedef struct meter_info {
    char serial[BILLI_RCSV_MAX_SERIAL + 1];
    size_t serial_len;
    uint64_t hash;
    int64_t id;        /* -1: unknown meter */
    int installed;     /* 0: never installed */
    int removed;
    bill_date installed_on, removed_on;
    int iv_loaded;     /* iv_last_*: the latest stored interval */
    int iv_has_last;
    int64_t iv_last_start, iv_last_end;
    int nreg;
    reg_info reg[];    /* nreg registers (allocated to fit: the cache stays small) */
} meter_info;

typedef struct ictx {
    bill_store *s;
    bill_datetime now;
    int64_t import_id;     /* 0: API calls, no import */
    meter_info **slots;
    size_t cap, count;
    bill_dec tmp, tmp2, adv;
} ictx;

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static void ictx_init(ictx *c, bill_store *s)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    bill_dec_init(&c->tmp);
    bill_dec_init(&c->tmp2);
    bill_dec_init(&c->adv);
}

static void ictx_clear(ictx *c)
{
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i]) {
            for (int r = 0; r < c->slots[i]->nreg; r++)
                bill_dec_clear(&c->slots[i]->reg[r].last);
            free(c->slots[i]);
        }
    free(c->slots);
    c->slots = NULL;
    c->cap = c->count = 0;
    bill_dec_clear(&c->tmp);
    bill_dec_clear(&c->tmp2);
    bill_dec_clear(&c->adv);
}

static int kind_of(const char *text)
{
    if (text && strcmp(text, "demand") == 0)
        return BILL_REGISTER_DEMAND;
    if (text && strcmp(text, "reactive") == 0)
        return BILL_REGISTER_REACTIVE;
    return BILL_REGISTER_ENERGY;
}

static int load_meter(ictx *c, meter_info *m, reg_info *regs)
{
    sqlite3_stmt *st;
    const char *what = "import: reading the meter";
    BILLI_TRY(billi_store_prepare(c->s, &st,
                                  "SELECT id, installed_on, removed_on FROM meters WHERE serial = ?",
                                  what));
    int rc = sqlite3_bind_text(st, 1, m->serial, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    m->id = -1;
    int status = BILL_OK;
    if (rc == SQLITE_ROW) {
        m->id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
            m->installed = 1;
            status = billi_column_date(&m->installed_on, st, 1);
        }
        if (status == BILL_OK && sqlite3_column_type(st, 2) != SQLITE_NULL) {
            m->removed = 1;
            status = billi_column_date(&m->removed_on, st, 2);
        }
    } else if (rc != SQLITE_DONE) {
        status = billi_store_err(c->s, rc, what);
    }
    billi_store_done(c->s, st);
    if (status != BILL_OK || m->id < 0)
        return status;
    BILLI_TRY(billi_store_prepare(c->s, &st,
                                  "SELECT id, code, kind, digits FROM registers WHERE meter_id = ? "
                                  "ORDER BY id", what));
    sqlite3_bind_int64(st, 1, m->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && m->nreg < BILL_METER_MAX_REGISTERS) {
        reg_info *r = &regs[m->nreg++];
        r->id = sqlite3_column_int64(st, 0);
        snprintf(r->code, sizeof r->code, "%s", (const char *)sqlite3_column_text(st, 1));
        r->kind = kind_of((const char *)sqlite3_column_text(st, 2));
        r->digits = sqlite3_column_int(st, 3);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        status = billi_store_err(c->s, rc, what);
    billi_store_done(c->s, st);
    return status;
}

/* The cached facts of meter `serial` (m->id < 0 for an unknown meter). */
static int find_meter(meter_info **out, ictx *c, const char *serial, size_t len)
{
    if (len > BILLI_RCSV_MAX_SERIAL)
        len = BILLI_RCSV_MAX_SERIAL;
    if (c->count * 2 >= c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        meter_info **slots = calloc(cap, sizeof *slots);
        if (!slots)
            return billi_error(BILL_ENOMEM, "import: out of memory");
        for (size_t i = 0; i < c->cap; i++)
            if (c->slots[i]) {
                size_t j = c->slots[i]->hash & (cap - 1);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = c->slots[i];
            }
        free(c->slots);
        c->slots = slots;
        c->cap = cap;
    }
    uint64_t hash = fnv(serial, len);
    size_t j = hash & (c->cap - 1);
    for (; c->slots[j]; j = (j + 1) & (c->cap - 1)) {
        meter_info *m = c->slots[j];
        if (m->hash == hash && m->serial_len == len && memcmp(m->serial, serial, len) == 0) {
            *out = m;
            return BILL_OK;
        }
    }
    meter_info head;
    reg_info regs[BILL_METER_MAX_REGISTERS];
    memset(&head, 0, sizeof head);
    memset(regs, 0, sizeof regs);
    memcpy(head.serial, serial, len);
    head.serial_len = len;
    head.hash = hash;
    BILLI_TRY(load_meter(c, &head, regs));
    meter_info *m = malloc(sizeof *m + (size_t)head.nreg * sizeof(reg_info));
    if (!m)
        return billi_error(BILL_ENOMEM, "import: out of memory");
    memcpy(m, &head, sizeof head);
    for (int r = 0; r < head.nreg; r++) {
        m->reg[r] = regs[r];
        bill_dec_init(&m->reg[r].last);
    }
    c->slots[j] = m;
    c->count++;
    *out = m;
    return BILL_OK;
}

/* ---- checks shared by the import and the API -------------------------------------------- */

/* A row's verdict: stored, duplicate, or rejected with a code, column and message. */
enum { V_ACCEPTED = 0, V_DUPLICATE = 1 };

typedef struct verdict {
    int code;           /* V_ACCEPTED, V_DUPLICATE or a negative status */
    const char *field;
    char msg[BILLI_ERRMSG_MAX];
} verdict;

static void vreject(verdict *v, uint64_t line, const char *field, int code, const char *fmt, ...)
    BILLI_PRINTF(5, 6);

static void vreject(verdict *v, uint64_t line, const char *field, int code, const char *fmt, ...)
{
    int n = 0;
    if (line)
        n = snprintf(v->msg, sizeof v->msg, "line %llu, column '%s': ", (unsigned long long)line,
                     field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg + n, sizeof v->msg - (size_t)n, fmt, ap);
    va_end(ap);
    v->code = code;
    v->field = field;
}

static void fmt_time(int64_t minute, char *buf /* 17 */)
{
    bill_datetime t = { minute };
    bill_datetime_format(t, buf, 17);
}

static void fmt_dec(const bill_dec *d, char *buf, size_t cap)
{
    if (bill_dec_format(d, buf, cap) >= cap)
        snprintf(buf, cap, "(long number)");
}

/* Installation window of a meter for times [from, to] (minutes). */
static int check_installed(verdict *v, const meter_info *m, int64_t from, int64_t to, uint64_t line,
                           const char *field)
{
    char d1[16], t[17];
    fmt_time(from, t);
    if (!m->installed) {
        vreject(v, line, field, BILL_ERULE, "meter '%s' is not installed (no installation date) at %s",
                m->serial, t);
        return 0;
    }
    if (from < (int64_t)m->installed_on.day * 1440) {
        bill_date_format(m->installed_on, d1, sizeof d1);
        vreject(v, line, field, BILL_ERULE, "meter '%s' is not installed yet at %s (installed on %s)",
                m->serial, t, d1);
        return 0;
    }
    if (m->removed && to > (int64_t)m->removed_on.day * 1440) {
        bill_date_format(m->removed_on, d1, sizeof d1);
        vreject(v, line, field, BILL_ERULE,
                "meter '%s' was already removed at %s (removed on %s; its final reading is at %sT00:00)",
                m->serial, t, d1, d1);
        return 0;
    }
    return 1;
}

static int check_future(verdict *v, const ictx *c, int64_t at, uint64_t line, const char *field)
{
    if (at <= c->now.minute)
        return 1;
    char t[17], n[17];
    fmt_time(at, t);
    fmt_time(c->now.minute, n);
    vreject(v, line, field, BILL_EDATE, "%s is in the future (now is %s)", t, n);
    return 0;
}

/* One stored neighbour of a reading: its value, time and where it came from. */
/* A stored reading or interval next to a new one, and the import it came from. */
typedef struct neighbour {
    int found;
    int64_t at;
    char uuid[BILL_UUID_LEN + 1]; /* "" when stored through the API */
    int64_t line;
    char source[72];  /* the import's source name (its file name) */
    char when[24];    /* when it was imported (its started_at, UTC) */
} neighbour;

/* The import columns (uuid, line, source, started_at) from column `col` on. */
static void neighbour_origin(neighbour *nb, sqlite3_stmt *st, int col)
{
    const char *u = (const char *)sqlite3_column_text(st, col);
    snprintf(nb->uuid, sizeof nb->uuid, "%s", u ? u : "");
    nb->line = sqlite3_column_type(st, col + 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, col + 1);
    const char *src = (const char *)sqlite3_column_text(st, col + 2);
    snprintf(nb->source, sizeof nb->source, "%s", src ? src : "");
    const char *w = (const char *)sqlite3_column_text(st, col + 3);
    snprintf(nb->when, sizeof nb->when, "%s", w ? w : "");
}

static int query_neighbour(ictx *c, neighbour *nb, bill_dec *value, int64_t reg_id, int64_t at,
                           int after)
{
    static const char before_sql[] =
        "SELECT r.value, r.read_at, i.uuid, r.line, i.source, i.started_at FROM readings r "
        "LEFT JOIN imports i ON i.id = r.import_id "
        "WHERE r.register_id = ?1 AND r.read_at <= ?2 ORDER BY r.read_at DESC LIMIT 1";
    static const char after_sql[] =
        "SELECT r.value, r.read_at, i.uuid, r.line, i.source, i.started_at FROM readings r "
        "LEFT JOIN imports i ON i.id = r.import_id "
        "WHERE r.register_id = ?1 AND r.read_at > ?2 ORDER BY r.read_at LIMIT 1";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, after ? after_sql : before_sql,
                                  "import: reading the stored readings"));
    sqlite3_bind_int64(st, 1, reg_id);
    sqlite3_bind_int64(st, 2, at);
    int rc = sqlite3_step(st), status = BILL_OK;
    nb->found = 0;
    if (rc == SQLITE_ROW) {
        nb->found = 1;
        status = billi_column_dec(value, st, 0);
        nb->at = sqlite3_column_int64(st, 1);
        neighbour_origin(nb, st, 2);
    } else if (rc != SQLITE_DONE) {
        status = billi_store_err(c->s, rc, "import: reading the stored readings");
    }
    billi_store_done(c->s, st);
    return status;
}

/*
 * Where a stored value came from, for a person: the import's source name
 * and line and when it was imported ("line 3 of 'readings.csv', imported
 * 2026-02-03T10:00:00Z"), not its UUID.
 */
static void origin(char *buf, size_t cap, const neighbour *nb)
{
    if (nb->uuid[0] && nb->line)
        snprintf(buf, cap, "line %lld of '%.64s', imported %s", (long long)nb->line, nb->source,
                 nb->when);
    else if (nb->uuid[0])
        snprintf(buf, cap, "from '%.64s', imported %s", nb->source, nb->when);
    else
        snprintf(buf, cap, "stored through the API");
}

/*
 * Check one reading and store it unless it is rejected or a duplicate.
 * Returns BILL_OK with the verdict in *v, or a storage error.
 */
static int do_reading(ictx *c, verdict *v, const char *serial, size_t serial_len, const char *reg,
                      size_t reg_len, int64_t at, const bill_dec *value, int estimated,
                      const char *src, size_t src_len, uint64_t line)
{
    meter_info *m;
    v->code = V_ACCEPTED;
    v->field = "";
    v->msg[0] = '\0';
    BILLI_TRY(find_meter(&m, c, serial, serial_len));
    if (m->id < 0) {
        vreject(v, line, "meter_serial", BILL_ENOTFOUND, "unknown meter '%.*s'", (int)serial_len,
                serial);
        return BILL_OK;
    }
    reg_info *r = NULL;
    for (int i = 0; i < m->nreg; i++)
        if (strlen(m->reg[i].code) == reg_len && memcmp(m->reg[i].code, reg, reg_len) == 0) {
            r = &m->reg[i];
            break;
        }
    if (!r) {
        char list[256] = "";
        size_t n = 0;
        for (int i = 0; i < m->nreg && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", m->reg[i].code);
        vreject(v, line, "register", BILL_ENOTFOUND, "meter '%s' has no register '%.*s' (it has %s)",
                m->serial, (int)reg_len, reg, list);
        return BILL_OK;
    }
    if (!check_installed(v, m, at, at, line, "read_at") || !check_future(v, c, at, line, "read_at"))
        return BILL_OK;
    if (bill_register_check(value, r->digits, BILL_REGISTER_MAX_DECIMALS) != BILL_OK) {
        vreject(v, line, "value", BILL_ERANGE, "register '%s' of meter '%s': %s", r->code, m->serial,
                bill_errmsg());
        return BILL_OK;
    }
    if (!r->loaded) {
        neighbour nb;
        BILLI_TRY(query_neighbour(c, &nb, &r->last, r->id, INT64_MAX, 0));
        r->loaded = 1;
        r->has_last = nb.found;
        r->last_at = nb.at;
    }
    char vt[64], pt[64], t1[17], t2[17], where[160];
    const bill_dec *prev = NULL, *next = NULL;
    neighbour pnb = { 0 }, nnb = { 0 };
    if (!r->has_last || at > r->last_at) {
        if (r->has_last) {
            prev = &r->last;
            pnb.found = 1;
            pnb.at = r->last_at;
        }
    } else {
        /* out of order or at a stored time: ask the store for both neighbours */
        BILLI_TRY(query_neighbour(c, &pnb, &c->tmp, r->id, at, 0));
        if (pnb.found && pnb.at == at) {
            if (bill_dec_cmp(&c->tmp, value) == 0) {
                v->code = V_DUPLICATE;
                return BILL_OK;
            }
            fmt_dec(&c->tmp, pt, sizeof pt);
            fmt_dec(value, vt, sizeof vt);
            fmt_time(at, t1);
            origin(where, sizeof where, &pnb);
            vreject(v, line, "value", BILL_ECONFLICT,
                    "register '%s' of meter '%s' already reads %s at %s (%s), not %s", r->code,
                    m->serial, pt, t1, where, vt);
            return BILL_OK;
        }
        if (pnb.found)
            prev = &c->tmp;
        BILLI_TRY(query_neighbour(c, &nnb, &c->tmp2, r->id, at, 1));
        if (nnb.found)
            next = &c->tmp2;
    }
    if (r->kind != BILL_REGISTER_DEMAND) {
        if (prev && bill_register_advance(&c->adv, NULL, NULL, prev, value, r->digits,
                                          BILL_REGISTER_MAX_DECIMALS, NULL, NULL) != BILL_OK) {
            fmt_dec(prev, pt, sizeof pt);
            fmt_dec(value, vt, sizeof vt);
            fmt_time(pnb.at, t1);
            fmt_time(at, t2);
            vreject(v, line, "value", BILL_ERULE,
                    "register '%s' of meter '%s' goes down from %s at %s to %s at %s "
                    "(not a plausible rollover of %d digits)",
                    r->code, m->serial, pt, t1, vt, t2, r->digits);
            return BILL_OK;
        }
        if (next && bill_register_advance(&c->adv, NULL, NULL, value, next, r->digits,
                                          BILL_REGISTER_MAX_DECIMALS, NULL, NULL) != BILL_OK) {
            fmt_dec(next, pt, sizeof pt);
            fmt_dec(value, vt, sizeof vt);
            fmt_time(nnb.at, t1);
            fmt_time(at, t2);
            vreject(v, line, "read_at", BILL_ERULE,
                    "register '%s' of meter '%s': %s at %s is out of order, and the later stored "
                    "reading %s at %s would go down from it",
                    r->code, m->serial, vt, t2, pt, t1);
            return BILL_OK;
        }
    }
    /* store it */
    static const char ins[] =
        "INSERT INTO readings (register_id, read_at, value, estimated, source, import_id, line) "
        "VALUES (?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, ins, "import: storing a reading"));
    size_t vlen = bill_dec_format(value, vt, sizeof vt);
    char *big = NULL;
    if (vlen >= sizeof vt) {
        big = bill_dec_to_str(value);
        if (!big) {
            billi_store_done(c->s, st);
            return billi_error(BILL_ENOMEM, "import: out of memory");
        }
    }
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, big ? big : vt, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, estimated ? 1 : 0);
    sqlite3_bind_text(st, 5, src ? src : "", src ? (int)src_len : 0, SQLITE_STATIC);
    if (c->import_id)
        sqlite3_bind_int64(st, 6, c->import_id);
    if (line)
        sqlite3_bind_int64(st, 7, (sqlite3_int64)line);
    int rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? BILL_OK : billi_store_err(c->s, rc, "import: storing a reading");
    billi_store_done(c->s, st);
    bill_free(big);
    BILLI_TRY(status);
    if (!r->has_last || at > r->last_at) {
        BILLI_TRY(bill_dec_copy(&r->last, value));
        r->has_last = 1;
        r->last_at = at;
    }
    return BILL_OK;
}

static int query_interval(ictx *c, neighbour *nb, int *minutes, bill_dec *kwh, int64_t meter_id,
                          int64_t start, int after)
{
    static const char before_sql[] =
        "SELECT r.start_minute, r.minutes, r.kwh, i.uuid, r.line, i.source, i.started_at"
        " FROM interval_readings r "
        "LEFT JOIN imports i ON i.id = r.import_id "
        "WHERE r.meter_id = ?1 AND r.start_minute <= ?2 ORDER BY r.start_minute DESC LIMIT 1";
    static const char after_sql[] =
        "SELECT r.start_minute, r.minutes, r.kwh, i.uuid, r.line, i.source, i.started_at"
        " FROM interval_readings r "
        "LEFT JOIN imports i ON i.id = r.import_id "
        "WHERE r.meter_id = ?1 AND r.start_minute > ?2 ORDER BY r.start_minute LIMIT 1";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, after ? after_sql : before_sql,
                                  "import: reading the stored intervals"));
    sqlite3_bind_int64(st, 1, meter_id);
    sqlite3_bind_int64(st, 2, start);
    int rc = sqlite3_step(st), status = BILL_OK;
    nb->found = 0;
    if (rc == SQLITE_ROW) {
        nb->found = 1;
        nb->at = sqlite3_column_int64(st, 0);
        *minutes = sqlite3_column_int(st, 1);
        status = billi_column_dec(kwh, st, 2);
        neighbour_origin(nb, st, 3);
    } else if (rc != SQLITE_DONE) {
        status = billi_store_err(c->s, rc, "import: reading the stored intervals");
    }
    billi_store_done(c->s, st);
    return status;
}

static int do_interval(ictx *c, verdict *v, const char *serial, size_t serial_len, int64_t start,
                       int minutes, const bill_dec *kwh, int estimated, uint64_t line)
{
    meter_info *m;
    v->code = V_ACCEPTED;
    v->field = "";
    v->msg[0] = '\0';
    BILLI_TRY(find_meter(&m, c, serial, serial_len));
    if (m->id < 0) {
        vreject(v, line, "meter_serial", BILL_ENOTFOUND, "unknown meter '%.*s'", (int)serial_len,
                serial);
        return BILL_OK;
    }
    int64_t end = start + minutes;
    if (!check_installed(v, m, start, end, line, "start") || !check_future(v, c, end, line, "start"))
        return BILL_OK;
    char t1[17], t2[17], where[160], a[64], b[64];
    if (!m->iv_loaded) {
        neighbour nb;
        int mins = 0;
        BILLI_TRY(query_interval(c, &nb, &mins, &c->tmp, m->id, INT64_MAX, 0));
        m->iv_loaded = 1;
        m->iv_has_last = nb.found;
        m->iv_last_start = nb.at;
        m->iv_last_end = nb.at + mins;
    }
    if (m->iv_has_last && start < m->iv_last_end) {
        neighbour nb;
        int mins = 0;
        BILLI_TRY(query_interval(c, &nb, &mins, &c->tmp, m->id, start, 0));
        if (nb.found && nb.at == start && mins == minutes && bill_dec_cmp(&c->tmp, kwh) == 0) {
            v->code = V_DUPLICATE;
            return BILL_OK;
        }
        fmt_time(start, t1);
        if (nb.found && (nb.at == start || nb.at + mins > start)) {
            fmt_time(nb.at, t2);
            fmt_dec(&c->tmp, a, sizeof a);
            fmt_dec(kwh, b, sizeof b);
            origin(where, sizeof where, &nb);
            vreject(v, line, nb.at == start && mins == minutes ? "kwh" : "start", BILL_ECONFLICT,
                    "meter '%s' already has %s kWh in %d minutes from %s (%s), not %s kWh in %d "
                    "minutes from %s",
                    m->serial, a, mins, t2, where, b, minutes, t1);
            return BILL_OK;
        }
        BILLI_TRY(query_interval(c, &nb, &mins, &c->tmp, m->id, start, 1));
        if (nb.found && nb.at < end) {
            fmt_time(nb.at, t2);
            fmt_dec(&c->tmp, a, sizeof a);
            origin(where, sizeof where, &nb);
            vreject(v, line, "start", BILL_ECONFLICT,
                    "meter '%s': %d minutes from %s overlap the stored interval of %d minutes from "
                    "%s (%s kWh, %s)",
                    m->serial, minutes, t1, mins, t2, a, where);
            return BILL_OK;
        }
    }
    static const char ins[] =
        "INSERT INTO interval_readings (meter_id, start_minute, minutes, kwh, estimated, import_id, "
        "line) VALUES (?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, ins, "import: storing an interval"));
    char *text = bill_dec_to_str(kwh);
    if (!text) {
        billi_store_done(c->s, st);
        return billi_error(BILL_ENOMEM, "import: out of memory");
    }
    sqlite3_bind_int64(st, 1, m->id);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int(st, 3, minutes);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, estimated ? 1 : 0);
    if (c->import_id)
        sqlite3_bind_int64(st, 6, c->import_id);
    if (line)
        sqlite3_bind_int64(st, 7, (sqlite3_int64)line);
    int rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? BILL_OK : billi_store_err(c->s, rc, "import: storing an interval");
    billi_store_done(c->s, st);
    bill_free(text);
    BILLI_TRY(status);
    if (!m->iv_has_last || start >= m->iv_last_start) {
        m->iv_has_last = 1;
        m->iv_last_start = start;
        m->iv_last_end = end;
    }
    return BILL_OK;
}

static bill_datetime local_now(void)
{
    time_t t = time(NULL);
    struct tm tm;
    bill_datetime out = { 0 };
    bill_date d;
    if (localtime_r(&t, &tm) && bill_date_from_ymd(&d, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday)
                                    == BILL_OK)
        out.minute = (int64_t)d.day * 1440 + tm.tm_hour * 60 + tm.tm_min;
    return out;
}

/* ---- the importer -------------------------------------------------------------------------- */

enum { ST_OPEN = 0, ST_FINISHED, ST_FAILED };

struct bill_importer {
    ictx c;
    int kind;
    int state;
    int batch_rows;
    int started;          /* a feed happened */
    int in_batch;
    int rows_in_batch;
    int already;
    int cb_rc;            /* a storage error from the row callback */
    billi_rcsv *parser;
    sha256 sha;
    char uuid[BILL_UUID_LEN + 1];
    char digest[65];
    char *source;
    int prev_sync;        /* PRAGMA synchronous before the import */
    int prev_ckpt;        /* PRAGMA wal_autocheckpoint before the import */
    int64_t total, accepted, duplicate, rejected;          /* so far */
    int64_t c_total, c_accepted, c_duplicate, c_rejected;  /* committed */
    char *raw;            /* the row's text, rebuilt from its fields */
    size_t raw_cap;
};

static int pragma_int(bill_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql, "import: pragma"));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    billi_store_done(s, st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? BILL_OK : billi_store_err(s, rc, "import: pragma");
}

static int save_counts(bill_importer *imp, int finish)
{
    static const char upd[] =
        "UPDATE imports SET rows_total = ?2, rows_accepted = ?3, rows_duplicate = ?4, "
        "rows_rejected = ?5 WHERE id = ?1";
    static const char fin[] =
        "UPDATE imports SET rows_total = ?2, rows_accepted = ?3, rows_duplicate = ?4, "
        "rows_rejected = ?5, digest = ?6, "
        "finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(imp->c.s, &st, finish ? fin : upd, "import: saving the counts"));
    sqlite3_bind_int64(st, 1, imp->c.import_id);
    sqlite3_bind_int64(st, 2, imp->total);
    sqlite3_bind_int64(st, 3, imp->accepted);
    sqlite3_bind_int64(st, 4, imp->duplicate);
    sqlite3_bind_int64(st, 5, imp->rejected);
    if (finish)
        sqlite3_bind_text(st, 6, imp->digest, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    billi_store_done(imp->c.s, st);
    return rc == SQLITE_DONE ? BILL_OK : billi_store_err(imp->c.s, rc, "import: saving the counts");
}

static int batch_begin(bill_importer *imp)
{
    if (imp->in_batch)
        return BILL_OK;
    BILLI_TRY(billi_store_tx_begin(imp->c.s));
    imp->in_batch = 1;
    imp->rows_in_batch = 0;
    return BILL_OK;
}

static int batch_commit(bill_importer *imp)
{
    int rc = save_counts(imp, 0);
    imp->in_batch = 0;
    rc = billi_store_tx_end(imp->c.s, rc);
    if (rc == BILL_OK) {
        imp->c_total = imp->total;
        imp->c_accepted = imp->accepted;
        imp->c_duplicate = imp->duplicate;
        imp->c_rejected = imp->rejected;
    }
    return rc;
}

static void batch_abort(bill_importer *imp)
{
    if (imp->in_batch) {
        billi_store_tx_end(imp->c.s, BILL_ESTATE);
        imp->in_batch = 0;
    }
    imp->total = imp->c_total;
    imp->accepted = imp->c_accepted;
    imp->duplicate = imp->c_duplicate;
    imp->rejected = imp->c_rejected;
}

/* The row's text: its fields joined by commas, quoted where needed. */
static const char *row_raw(bill_importer *imp, const billi_rcsv_row *row)
{
    size_t need = 1;
    const billi_csv_record *rec = row->rec;
    size_t n = rec ? rec->nfields : 0;
    for (size_t i = 0; i < n; i++)
        need += rec->fields[i].len * 2 + 3;
    if (need > imp->raw_cap) {
        char *p = realloc(imp->raw, need);
        if (!p)
            return "";
        imp->raw = p;
        imp->raw_cap = need;
    }
    char *o = imp->raw;
    for (size_t i = 0; i < n; i++) {
        const char *f = rec->fields[i].ptr;
        size_t len = rec->fields[i].len;
        if (i)
            *o++ = ',';
        int q = memchr(f, ',', len) || memchr(f, '"', len) || memchr(f, '\n', len)
                || memchr(f, '\r', len);
        if (q)
            *o++ = '"';
        for (size_t k = 0; k < len; k++) {
            if (f[k] == '"')
                *o++ = '"';
            *o++ = f[k];
        }
        if (q)
            *o++ = '"';
    }
    *o = '\0';
    return imp->raw;
}

static int add_exception(bill_importer *imp, uint64_t line, const char *field, int code,
                         const char *msg, const char *raw)
{
    static const char ins[] =
        "INSERT INTO import_exceptions (import_id, line, field, code, message, raw) "
        "VALUES (?,?,?,?,?,?)";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(imp->c.s, &st, ins, "import: recording an exception"));
    sqlite3_bind_int64(st, 1, imp->c.import_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)line);
    sqlite3_bind_text(st, 3, field ? field : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, bill_status_name(code), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, msg, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, raw, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    billi_store_done(imp->c.s, st);
    return rc == SQLITE_DONE ? BILL_OK : billi_store_err(imp->c.s, rc, "import: recording an exception");
}

static int on_row_inner(bill_importer *imp, const billi_rcsv_row *row)
{
    BILLI_TRY(batch_begin(imp));
    verdict v;
    if (row->status != BILL_OK) {
        v.code = row->status;
        v.field = row->column ? row->column : "";
        snprintf(v.msg, sizeof v.msg, "%s", row->errmsg);
    } else if (row->format == BILLI_RCSV_READINGS) {
        const billi_reading_rec *r = &row->u.reading;
        BILLI_TRY(do_reading(&imp->c, &v, r->meter_serial.ptr, r->meter_serial.len, r->reg.ptr,
                             r->reg.len, r->read_at.minute, &r->value,
                             r->kind == BILLI_READ_ESTIMATED, r->source.ptr, r->source.len,
                             row->line));
    } else {
        const billi_interval_rec *r = &row->u.interval;
        BILLI_TRY(do_interval(&imp->c, &v, r->meter_serial.ptr, r->meter_serial.len,
                              r->start.minute, r->minutes, &r->kwh,
                              r->kind == BILLI_READ_ESTIMATED, row->line));
    }
    imp->total++;
    if (v.code == V_ACCEPTED)
        imp->accepted++;
    else if (v.code == V_DUPLICATE)
        imp->duplicate++;
    else {
        imp->rejected++;
        BILLI_TRY(add_exception(imp, row->line, v.field, v.code, v.msg, row_raw(imp, row)));
    }
    if (++imp->rows_in_batch >= imp->batch_rows)
        BILLI_TRY(batch_commit(imp));
    return BILL_OK;
}

static int on_row(void *ctx, const billi_rcsv_row *row)
{
    bill_importer *imp = ctx;
    int rc = on_row_inner(imp, row);
    if (rc != BILL_OK)
        imp->cb_rc = rc;
    return rc;
}

int bill_importer_create(bill_importer **out, bill_store *s, int kind, const char *source)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(source, "source");
    if (kind != BILL_IMPORT_READINGS && kind != BILL_IMPORT_INTERVALS)
        return billi_error(BILL_EINVAL, "import: unknown kind %d", kind);
    size_t slen = strlen(source);
    if (slen < 1 || slen > BILLI_RCSV_MAX_TEXT || !billi_utf8_valid(source, slen))
        return billi_error(BILL_EINVAL, "import: the source name must be 1..512 bytes of UTF-8");
    if (s->readonly)
        return billi_error(BILL_ESTATE, "import: the store is opened read-only");
    if (s->user_txn)
        return billi_error(BILL_ESTATE,
                           "import: a transaction is open (bill_store_begin); the importer "
                           "commits its own batches");
    bill_importer *imp = calloc(1, sizeof *imp);
    if (!imp)
        return billi_error(BILL_ENOMEM, "import: out of memory");
    ictx_init(&imp->c, s);
    imp->kind = kind;
    imp->batch_rows = BILL_IMPORT_BATCH_ROWS;
    imp->c.now = local_now();
    imp->prev_sync = -1;
    imp->prev_ckpt = -1;
    sha_init(&imp->sha);
    imp->source = malloc(slen + 1);
    int rc = imp->source ? BILL_OK : billi_error(BILL_ENOMEM, "import: out of memory");
    if (rc == BILL_OK) {
        memcpy(imp->source, source, slen + 1);
        rc = billi_rcsv_create(&imp->parser,
                               kind == BILL_IMPORT_READINGS ? BILLI_RCSV_READINGS : BILLI_RCSV_INTERVALS,
                               NULL, on_row, imp);
    }
    if (rc == BILL_OK) {
        billi_uuid(imp->uuid);
        sqlite3_stmt *st;
        rc = billi_store_prepare(s, &st, "INSERT INTO imports (uuid, source, kind) VALUES (?,?,?)",
                                 "import: recording the import");
        if (rc == BILL_OK) {
            sqlite3_bind_text(st, 1, imp->uuid, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, imp->source, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, kind == BILL_IMPORT_READINGS ? "readings" : "intervals", -1,
                              SQLITE_STATIC);
            int src = sqlite3_step(st);
            rc = src == SQLITE_DONE ? BILL_OK : billi_store_err(s, src, "import: recording the import");
            imp->c.import_id = sqlite3_last_insert_rowid(s->db);
            billi_store_done(s, st);
        }
    }
    if (rc == BILL_OK && pragma_int(s, "PRAGMA synchronous", &imp->prev_sync) == BILL_OK)
        billi_store_exec(s, "PRAGMA synchronous = NORMAL", "import: pragma");
    /*
     * Checkpoint less often while importing (the WAL may grow to about 64 MiB
     * on disk): copying the WAL back into the file is half the work otherwise.
     */
    if (rc == BILL_OK && pragma_int(s, "PRAGMA wal_autocheckpoint", &imp->prev_ckpt) == BILL_OK)
        billi_store_exec(s, "PRAGMA wal_autocheckpoint = 16000", "import: pragma");
    if (rc != BILL_OK) {
        imp->prev_sync = -1;
        imp->prev_ckpt = -1;
        bill_importer_free(imp);
        return rc;
    }
    *out = imp;
    return BILL_OK;
}

void bill_importer_free(bill_importer *imp)
{
    if (!imp)
        return;
    batch_abort(imp);
    if (imp->prev_sync >= 0) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA synchronous = %d", imp->prev_sync);
        sqlite3_exec(imp->c.s->db, sql, NULL, NULL, NULL);
    }
    if (imp->prev_ckpt >= 0) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d", imp->prev_ckpt);
        sqlite3_exec(imp->c.s->db, sql, NULL, NULL, NULL);
    }
    billi_rcsv_free(imp->parser);
    ictx_clear(&imp->c);
    free(imp->source);
    free(imp->raw);
    free(imp);
}

int bill_importer_set_now(bill_importer *imp, bill_datetime now)
{
    BILLI_CHECK_ARG(imp, "imp");
    if (imp->started)
        return billi_error(BILL_ESTATE, "import: set 'now' before the first feed");
    imp->c.now = now;
    return BILL_OK;
}

int bill_importer_set_batch_rows(bill_importer *imp, int rows)
{
    BILLI_CHECK_ARG(imp, "imp");
    if (imp->started)
        return billi_error(BILL_ESTATE, "import: set the batch size before the first feed");
    if (rows < 1 || rows > 1000000)
        return billi_error(BILL_ERANGE, "import: batch of %d rows (1..1000000)", rows);
    imp->batch_rows = rows;
    return BILL_OK;
}

/*
 * A header (or empty-file) error: kept as an exception, the import finished
 * with no rows. Its digest is that of the source name and the error (the
 * bytes read so far depend on the chunks), so the same failure again is
 * "already imported" and changes nothing.
 */
static int find_same(bill_importer *imp, char *uuid);
static int forget_import(bill_importer *imp);

static int header_failed(bill_importer *imp, int code)
{
    char msg[BILLI_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", bill_errmsg());
    sha256 h;
    sha_init(&h);
    sha_update(&h, (const unsigned char *)"header error\n", 13);
    sha_update(&h, (const unsigned char *)imp->source, strlen(imp->source) + 1);
    sha_update(&h, (const unsigned char *)msg, strlen(msg));
    sha_hex(&h, imp->digest);
    char earlier[BILL_UUID_LEN + 1];
    int same = 0;
    int rc = billi_store_tx_begin(imp->c.s);
    if (rc == BILL_OK) {
        same = find_same(imp, earlier);
        if (same < 0)
            rc = same;
        else if (same)
            rc = forget_import(imp);
        else {
            rc = add_exception(imp, 1, "", code, msg, "");
            if (rc == BILL_OK)
                rc = save_counts(imp, 1);
        }
        rc = billi_store_tx_end(imp->c.s, rc);
    }
    imp->state = rc == BILL_OK ? ST_FINISHED : ST_FAILED;
    if (rc != BILL_OK)
        return rc;
    if (same) {
        imp->already = 1;
        memcpy(imp->uuid, earlier, sizeof earlier);
    }
    return billi_error(code, "%s", msg);
}

static int feed_failed(bill_importer *imp, int rc)
{
    if (imp->cb_rc == BILL_OK && imp->total == 0 && !imp->in_batch)
        return header_failed(imp, rc);
    char msg[BILLI_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", bill_errmsg());
    batch_abort(imp);
    imp->state = ST_FAILED;
    return billi_error(rc, "%s", msg);
}

int bill_importer_feed(bill_importer *imp, const char *text, size_t len)
{
    BILLI_CHECK_ARG(imp, "imp");
    BILLI_CHECK_ARG(text || len == 0, "text");
    if (imp->state != ST_OPEN)
        return billi_error(BILL_ESTATE, "import: already finished or failed");
    imp->started = 1;
    sha_update(&imp->sha, (const unsigned char *)text, len);
    int rc = billi_rcsv_feed(imp->parser, text, len);
    return rc == BILL_OK ? BILL_OK : feed_failed(imp, rc);
}

/* Earlier unfinished imports of the same source and kind are superseded by this one. */
static int supersede(bill_importer *imp)
{
    static const char del[] =
        "DELETE FROM import_exceptions WHERE import_id IN (SELECT id FROM imports WHERE "
        "source = ?1 AND kind = ?2 AND finished_at IS NULL AND id <> ?3)";
    static const char upd[] =
        "UPDATE imports SET digest = 'superseded', rows_rejected = 0, "
        "rows_total = rows_accepted + rows_duplicate "
        "WHERE source = ?1 AND kind = ?2 AND finished_at IS NULL AND id <> ?3";
    const char *sqls[2] = { del, upd };
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st;
        BILLI_TRY(billi_store_prepare(imp->c.s, &st, sqls[i], "import: superseding"));
        sqlite3_bind_text(st, 1, imp->source, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, imp->kind == BILL_IMPORT_READINGS ? "readings" : "intervals", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, imp->c.import_id);
        int rc = sqlite3_step(st);
        billi_store_done(imp->c.s, st);
        if (rc != SQLITE_DONE)
            return billi_store_err(imp->c.s, rc, "import: superseding");
    }
    return BILL_OK;
}

/* 1 and the earlier UUID if a finished import of this kind has the same digest. */
static int find_same(bill_importer *imp, char *uuid)
{
    static const char q[] =
        "SELECT uuid FROM imports WHERE digest = ?1 AND kind = ?2 AND finished_at IS NOT NULL "
        "AND id <> ?3 ORDER BY id LIMIT 1";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(imp->c.s, &st, q, "import: looking for the same file"));
    sqlite3_bind_text(st, 1, imp->digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, imp->kind == BILL_IMPORT_READINGS ? "readings" : "intervals", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, imp->c.import_id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        snprintf(uuid, BILL_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
        found = 1;
    }
    billi_store_done(imp->c.s, st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return billi_store_err(imp->c.s, rc, "import: looking for the same file");
    return found;
}

static int forget_import(bill_importer *imp)
{
    static const char d1[] = "DELETE FROM import_exceptions WHERE import_id = ?";
    static const char d2[] = "DELETE FROM imports WHERE id = ?";
    const char *sqls[2] = { d1, d2 };
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st;
        BILLI_TRY(billi_store_prepare(imp->c.s, &st, sqls[i], "import: undoing a repeated import"));
        sqlite3_bind_int64(st, 1, imp->c.import_id);
        int rc = sqlite3_step(st);
        billi_store_done(imp->c.s, st);
        if (rc != SQLITE_DONE)
            return billi_store_err(imp->c.s, rc, "import: undoing a repeated import");
    }
    return BILL_OK;
}

int bill_importer_finish(bill_importer *imp)
{
    BILLI_CHECK_ARG(imp, "imp");
    if (imp->state != ST_OPEN)
        return billi_error(BILL_ESTATE, "import: already finished or failed");
    imp->started = 1;
    int rc = billi_rcsv_finish(imp->parser);
    if (rc != BILL_OK)
        return feed_failed(imp, rc);
    sha_hex(&imp->sha, imp->digest);
    rc = batch_begin(imp);
    char earlier[BILL_UUID_LEN + 1];
    int same = 0;
    if (rc == BILL_OK && imp->accepted == 0) {
        same = find_same(imp, earlier);
        if (same < 0)
            rc = same;
    }
    if (rc == BILL_OK && same)
        rc = forget_import(imp);
    else if (rc == BILL_OK) {
        rc = save_counts(imp, 1);
        if (rc == BILL_OK)
            rc = supersede(imp);
    }
    imp->in_batch = 0;
    rc = billi_store_tx_end(imp->c.s, rc);
    if (rc != BILL_OK) {
        imp->state = ST_FAILED;
        imp->digest[0] = '\0';
        return rc;
    }
    if (same) {
        imp->already = 1;
        memcpy(imp->uuid, earlier, sizeof earlier);
    }
    imp->c_total = imp->total;
    imp->c_accepted = imp->accepted;
    imp->c_duplicate = imp->duplicate;
    imp->c_rejected = imp->rejected;
    imp->state = ST_FINISHED;
    return BILL_OK;
}

int bill_importer_read_file(bill_importer *imp, const char *path)
{
    BILLI_CHECK_ARG(imp, "imp");
    BILLI_CHECK_ARG(path, "path");
    if (imp->state != ST_OPEN)
        return billi_error(BILL_ESTATE, "import: already finished or failed");
    FILE *f = fopen(path, "rb");
    if (!f)
        return billi_error(errno == ENOENT ? BILL_ENOTFOUND : BILL_EIO, "import: cannot open '%s': %s",
                           path, strerror(errno));
    static const size_t block = 1 << 16;
    char *buf = malloc(block);
    int rc = buf ? BILL_OK : billi_error(BILL_ENOMEM, "import: out of memory");
    while (rc == BILL_OK) {
        size_t n = fread(buf, 1, block, f);
        if (n == 0) {
            if (ferror(f))
                rc = billi_error(BILL_EIO, "import: reading '%s' failed", path);
            break;
        }
        rc = bill_importer_feed(imp, buf, n);
    }
    free(buf);
    fclose(f);
    return rc == BILL_OK ? bill_importer_finish(imp) : rc;
}

int64_t bill_importer_total(const bill_importer *imp) { return imp ? imp->total : 0; }
int64_t bill_importer_accepted(const bill_importer *imp) { return imp ? imp->accepted : 0; }
int64_t bill_importer_duplicate(const bill_importer *imp) { return imp ? imp->duplicate : 0; }
int64_t bill_importer_rejected(const bill_importer *imp) { return imp ? imp->rejected : 0; }
int bill_importer_already_imported(const bill_importer *imp) { return imp ? imp->already : 0; }
const char *bill_importer_uuid(const bill_importer *imp) { return imp ? imp->uuid : ""; }
const char *bill_importer_digest(const bill_importer *imp)
{
    return imp && imp->state == ST_FINISHED ? imp->digest : "";
}

/* ---- the API ------------------------------------------------------------------------------- */

static int check_key(const char *what, const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n < 1 || n > max)
        return billi_error(BILL_EINVAL, "%s: must be 1..%zu bytes", what, max);
    return BILL_OK;
}

static int api_result(int rc, const verdict *v)
{
    if (rc != BILL_OK)
        return rc;
    if (v->code < 0)
        return billi_error(v->code, "%s", v->msg);
    return v->code;
}

int bill_store_add_reading(bill_store *s, const char *serial, const char *reg, bill_datetime at,
                           const bill_dec *value, int estimated, const char *source)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(serial, "serial");
    BILLI_CHECK_ARG(reg, "reg");
    BILLI_CHECK_ARG(value, "value");
    BILLI_TRY(check_key("reading: meter serial", serial, BILLI_RCSV_MAX_SERIAL));
    BILLI_TRY(check_key("reading: register", reg, BILLI_RCSV_MAX_REGISTER));
    if (source && strlen(source) > BILLI_RCSV_MAX_TEXT)
        return billi_error(BILL_EINVAL, "reading: source longer than 512 bytes");
    if (bill_dec_sign(value) < 0) {
        char t[64];
        fmt_dec(value, t, sizeof t);
        return billi_error(BILL_ERANGE, "reading: %s is negative", t);
    }
    ictx c;
    ictx_init(&c, s);
    c.now = local_now();
    verdict v;
    int rc = billi_store_tx_begin(s);
    if (rc == BILL_OK) {
        rc = do_reading(&c, &v, serial, strlen(serial), reg, strlen(reg), at.minute, value,
                        estimated, source, source ? strlen(source) : 0, 0);
        rc = billi_store_tx_end(s, rc);
    }
    ictx_clear(&c);
    return api_result(rc, &v);
}

int bill_store_add_interval(bill_store *s, const char *serial, bill_datetime start, int minutes,
                            const bill_dec *kwh, int estimated)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(serial, "serial");
    BILLI_CHECK_ARG(kwh, "kwh");
    BILLI_TRY(check_key("interval: meter serial", serial, BILLI_RCSV_MAX_SERIAL));
    if (minutes != 15 && minutes != 30 && minutes != 60)
        return billi_error(BILL_EINVAL, "interval: %d minutes (15, 30 or 60)", minutes);
    if (start.minute % minutes != 0) {
        char t[17];
        fmt_time(start.minute, t);
        return billi_error(BILL_EDATE, "interval: %s is not on a %d-minute boundary", t, minutes);
    }
    if (bill_dec_sign(kwh) < 0)
        return billi_error(BILL_ERANGE, "interval: negative kWh");
    ictx c;
    ictx_init(&c, s);
    c.now = local_now();
    verdict v;
    int rc = billi_store_tx_begin(s);
    if (rc == BILL_OK) {
        rc = do_interval(&c, &v, serial, strlen(serial), start.minute, minutes, kwh, estimated, 0);
        rc = billi_store_tx_end(s, rc);
    }
    ictx_clear(&c);
    return api_result(rc, &v);
}

int bill_store_reading_before(bill_dec *value, bill_datetime *read_at, bill_store *s,
                              const char *serial, const char *reg, bill_datetime at)
{
    BILLI_CHECK_ARG(value, "value");
    BILLI_CHECK_ARG(read_at, "read_at");
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(serial, "serial");
    BILLI_CHECK_ARG(reg, "reg");
    static const char q[] =
        "SELECT r.value, r.read_at FROM readings r JOIN registers g ON g.id = r.register_id "
        "JOIN meters m ON m.id = g.meter_id WHERE m.serial = ?1 AND g.code = ?2 AND r.read_at <= ?3 "
        "ORDER BY r.read_at DESC LIMIT 1";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, q, "reading: query"));
    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reg, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, at.minute);
    int rc = sqlite3_step(st), status;
    if (rc == SQLITE_ROW) {
        status = billi_column_dec(value, st, 0);
        if (status == BILL_OK)
            read_at->minute = sqlite3_column_int64(st, 1);
    } else if (rc == SQLITE_DONE) {
        char t[17];
        fmt_time(at.minute, t);
        status = billi_error(BILL_ENOTFOUND, "reading: no reading of register '%s' of meter '%s' at "
                             "or before %s", reg, serial, t);
    } else {
        status = billi_store_err(s, rc, "reading: query");
    }
    billi_store_done(s, st);
    return status;
}

int bill_store_count_readings(int64_t *out, bill_store *s, int kind)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    if (kind != BILL_IMPORT_READINGS && kind != BILL_IMPORT_INTERVALS)
        return billi_error(BILL_EINVAL, "count: unknown kind %d", kind);
    static const char q1[] = "SELECT count(*) FROM readings";
    static const char q2[] = "SELECT count(*) FROM interval_readings";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, kind == BILL_IMPORT_READINGS ? q1 : q2, "count"));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    billi_store_done(s, st);
    return rc == SQLITE_ROW ? BILL_OK : billi_store_err(s, rc, "count");
}

char *bill_store_import_exceptions(bill_store *s, const char *uuid)
{
    if (!s || !uuid) {
        billi_error(BILL_EINVAL, "bill_store_import_exceptions: NULL argument");
        return NULL;
    }
    static const char qi[] = "SELECT id FROM imports WHERE uuid = ?";
    static const char qe[] =
        "SELECT line, field, code, message FROM import_exceptions WHERE import_id = ? "
        "ORDER BY line, id";
    sqlite3_stmt *st;
    if (billi_store_prepare(s, &st, qi, "import exceptions") != BILL_OK)
        return NULL;
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    billi_store_done(s, st);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            billi_error(BILL_ENOTFOUND, "import exceptions: no import '%s'", uuid);
        else
            billi_store_err(s, rc, "import exceptions");
        return NULL;
    }
    if (billi_store_prepare(s, &st, qe, "import exceptions") != BILL_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    size_t len = 0, cap = 256;
    char *out = malloc(cap);
    if (out)
        out[0] = '\0';
    while (out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(st, 1);
        const char *code = (const char *)sqlite3_column_text(st, 2);
        const char *msg = (const char *)sqlite3_column_text(st, 3);
        size_t need = len + strlen(f) + strlen(code) + strlen(msg) + 32;
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            char *p = realloc(out, cap);
            if (!p) {
                free(out);
                out = NULL;
                break;
            }
            out = p;
        }
        len += (size_t)snprintf(out + len, cap - len, "%lld\t%s\t%s\t%s\n",
                                (long long)sqlite3_column_int64(st, 0), f, code, msg);
    }
    billi_store_done(s, st);
    if (!out) {
        billi_error(BILL_ENOMEM, "import exceptions: out of memory");
        return NULL;
    }
    if (rc != SQLITE_DONE) {
        billi_store_err(s, rc, "import exceptions");
        free(out);
        return NULL;
    }
    return out;
}
