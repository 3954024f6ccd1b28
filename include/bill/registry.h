/*
 * libbill: the registry of accounts and meters in a store, and the
 * effective-dated links between them (表户对应).
 *
 * Records: a bill_account or bill_meter is an in-memory record with setters
 * and getters, not tied to a store. bill_registry_add_* stores a new record
 * (and gives it a UUID, readable afterwards), bill_registry_update_* changes a
 * stored one found by its user key, bill_registry_get_* reads one back into a
 * new record. User keys are the account reference and the meter serial: 1 to
 * BILL_KEY_MAX-1 bytes of printable ASCII without blanks, unique in the store.
 * UUIDs are lower-case text of 36 characters (RFC 4122 version 4, libuuid).
 *
 * Links: a meter belongs to at most one account at a time. A link covers the
 * half-open range [from, to) of days; `to` may be open (BILL_DATE_OPEN_END,
 * see bill_registry_open_end()). Links of one meter never overlap; a link
 * starts on or after the meter's installation and ends on or before its
 * removal. An account may have several meters. A shared meter is linked to
 * several accounts at once by ONE link whose ratios add up to exactly 1; its
 * energy is split between them exactly by bill_link_list_split. A sub-meter
 * hangs under a master meter over a range of days: the master's account is
 * billed the master's energy minus its subs'.
 *
 * Errors: BILL_EINVAL (NULL or bad argument), BILL_ESYNTAX / BILL_ERANGE
 * (a malformed field), BILL_ENOTFOUND (unknown reference or serial),
 * BILL_EEXISTS (duplicate reference, serial or register code),
 * BILL_ERULE (a business rule: overlapping links, a link
 * outside the meter's installation, ratios not adding up to 1, removal before
 * installation), BILL_EDATE, and the storage codes of include/bill/store.h.
 * Messages name the record (reference or serial) and the field. A failing call
 * changes nothing.
 */
#ifndef BILL_REGISTRY_H
#define BILL_REGISTRY_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest account reference or meter serial, with the NUL. */
#define BILL_KEY_MAX 65
/** Length of a UUID in text, without the NUL. */
#define BILL_UUID_LEN 36

/** The day number of 9999-12-31, which stands for "open" as the end of a link. */
#define BILL_DATE_OPEN_END 2932896
/** The open end of a link (9999-12-31) as a date. */
BILL_EXTERN bill_date bill_registry_open_end(void);

/* ---- accounts ----------------------------------------------------------------- */

/** Protected-customer flags (never cut automatically; the case goes to a person). */
enum bill_protection_flag {
    /** Important user (hospital, water works...) whose cut is reported to the authority. */
    BILL_PROTECT_IMPORTANT = 1,
    /** Life-support equipment at the premises. */
    BILL_PROTECT_LIFE_SUPPORT = 2,
    /** Low-income or otherwise vulnerable household. */
    BILL_PROTECT_VULNERABLE = 4,
    /** Every defined flag. */
    BILL_PROTECT_ALL = 7
};

typedef struct bill_account bill_account;

/**
 * A new account record with the given reference, customer class
 * "residential", household size 1, no capacity, declared demand, PF standard,
 * protection or tariff. Free with bill_account_free.
 */
BILL_EXTERN int bill_account_create(bill_account **out, const char *reference);
/** NULL is a no-op. */
BILL_EXTERN void bill_account_free(bill_account *a);

/** Customer class: 1..31 letters, digits, '_' or '-' ("residential", "commercial"...). */
BILL_EXTERN int bill_account_set_class(bill_account *a, const char *cls);
/** Persons in the household, 1..1000. */
BILL_EXTERN int bill_account_set_household_size(bill_account *a, int persons);
/** Installed (transformer) capacity in kVA, >= 0 (0: none). */
BILL_EXTERN int bill_account_set_capacity_kva(bill_account *a, const bill_dec *kva);
/** Declared (contracted) maximum demand in kW, >= 0 (0: none). */
BILL_EXTERN int bill_account_set_declared_kw(bill_account *a, const bill_dec *kw);
/** Power-factor standard "0.90", "0.85", "0.80", or "" for none. */
BILL_EXTERN int bill_account_set_pf_standard(bill_account *a, const char *standard);
/** Protected-customer flags (bill_protection_flag); BILL_EINVAL for unknown bits. */
BILL_EXTERN int bill_account_set_protection(bill_account *a, unsigned flags);
/** Tariff id: "" for none, else 1..BILL_KEY_MAX-1 printable characters without blanks. */
BILL_EXTERN int bill_account_set_tariff(bill_account *a, const char *tariff);

/* Getters: strings stay valid until the record is freed or changed; never NULL. */
/** The reference. */
BILL_EXTERN const char *bill_account_reference(const bill_account *a);
/** The UUID, or "" for a record that was never stored. */
BILL_EXTERN const char *bill_account_uuid(const bill_account *a);
BILL_EXTERN const char *bill_account_class(const bill_account *a);
BILL_EXTERN int bill_account_household_size(const bill_account *a);
BILL_EXTERN int bill_account_capacity_kva(bill_dec *out, const bill_account *a);
BILL_EXTERN int bill_account_declared_kw(bill_dec *out, const bill_account *a);
BILL_EXTERN const char *bill_account_pf_standard(const bill_account *a);
BILL_EXTERN unsigned bill_account_protection(const bill_account *a);
BILL_EXTERN const char *bill_account_tariff(const bill_account *a);

/**
 * Store a new account; on success its UUID is set in `a`.
 * BILL_EEXISTS if the reference is taken.
 */
BILL_EXTERN int bill_registry_add_account(bill_store *s, bill_account *a);
/** Replace every field of the stored account with the same reference (BILL_ENOTFOUND if none). */
BILL_EXTERN int bill_registry_update_account(bill_store *s, const bill_account *a);
/** Read the account `reference` into a new record (BILL_ENOTFOUND if none). */
BILL_EXTERN int bill_registry_get_account(bill_account **out, bill_store *s, const char *reference);
/**
 * The references of all accounts in byte order, each followed by "\n" ("" when
 * there are none). Free with bill_free; NULL on error (bill_errmsg says why).
 */
BILL_EXTERN char *bill_registry_account_refs(bill_store *s);

/* ---- meters ------------------------------------------------------------------- */

/** What a register measures. */
typedef enum bill_register_kind {
    BILL_REGISTER_ENERGY = 0,    /* kWh: "total", "peak", "flat", "valley", "critical" */
    BILL_REGISTER_REACTIVE = 1,  /* kvarh */
    BILL_REGISTER_DEMAND = 2     /* kW maximum demand */
} bill_register_kind;

/** Meter status, derived from the installation and removal dates. */
typedef enum bill_meter_state {
    BILL_METER_IN_STOCK = 0,   /* no installation date */
    BILL_METER_INSTALLED = 1,  /* installed, not removed */
    BILL_METER_REMOVED = 2     /* removed */
} bill_meter_state;

/** Most registers on one meter. */
#define BILL_METER_MAX_REGISTERS 16

typedef struct bill_meter bill_meter;

/**
 * A new meter record: the serial, 6 digits, multiplier 1, not installed, and
 * no registers (a meter stored without registers gets one energy register
 * "total"). Free with bill_meter_free.
 */
BILL_EXTERN int bill_meter_create(bill_meter **out, const char *serial);
/** NULL is a no-op. */
BILL_EXTERN void bill_meter_free(bill_meter *m);

/**
 * Number of register digits, 1..12 (a register wraps after 10^digits - 1):
 * the default of the registers that do not give their own.
 */
BILL_EXTERN int bill_meter_set_digits(bill_meter *m, int digits);
/** Multiplier (CT ratio × PT ratio), > 0; stored as the multiplier from installation. */
BILL_EXTERN int bill_meter_set_multiplier(bill_meter *m, const bill_dec *multiplier);
/** Installation date (the meter becomes "installed"). */
BILL_EXTERN int bill_meter_set_installed(bill_meter *m, bill_date d);
/** Removal date (BILL_ERULE if before the installation, or without one). */
BILL_EXTERN int bill_meter_set_removed(bill_meter *m, bill_date d);
/**
 * Add a register: `code` 1..31 letters, digits, '_' or '-' ("total", "peak",
 * "flat", "valley", "critical", "kvarh", "max_demand" or custom), its kind
 * (bill_register_kind) and its digits (0: the meter's). BILL_EEXISTS for a
 * code already there, BILL_ERANGE past BILL_METER_MAX_REGISTERS.
 */
BILL_EXTERN int bill_meter_add_register(bill_meter *m, const char *code, int kind, int digits);

BILL_EXTERN const char *bill_meter_serial(const bill_meter *m);
/** The UUID, or "" for a record that was never stored. */
BILL_EXTERN const char *bill_meter_uuid(const bill_meter *m);
BILL_EXTERN int bill_meter_digits(const bill_meter *m);
/** The multiplier of the record (from a stored meter: the latest one). */
BILL_EXTERN int bill_meter_multiplier(bill_dec *out, const bill_meter *m);
/** The record's bill_meter_state (derived from its dates). */
BILL_EXTERN int bill_meter_status(const bill_meter *m);
/** Installation date (meaningful when the status is not BILL_METER_IN_STOCK). */
BILL_EXTERN bill_date bill_meter_installed(const bill_meter *m);
/** Removal date (meaningful when the status is BILL_METER_REMOVED). */
BILL_EXTERN bill_date bill_meter_removed(const bill_meter *m);
/** Number of registers, and register i's code, kind and digits (i out of range: NULL / -1). */
BILL_EXTERN int bill_meter_register_count(const bill_meter *m);
BILL_EXTERN const char *bill_meter_register_code(const bill_meter *m, int i);
BILL_EXTERN int bill_meter_register_kind(const bill_meter *m, int i);
BILL_EXTERN int bill_meter_register_digits(const bill_meter *m, int i);

/**
 * Store a new meter with its registers and multiplier; on success its UUID is
 * set in `m`. BILL_EEXISTS if the serial is taken.
 */
BILL_EXTERN int bill_registry_add_meter(bill_store *s, bill_meter *m);
/**
 * Update the stored meter with the same serial: digits, installation and
 * removal dates, and registers the record has that the store lacks (registers
 * are never deleted; a changed kind or digits of an existing code is
 * BILL_ERULE). The multiplier is not changed (bill_registry_set_multiplier).
 * BILL_ERULE if a link, sub-meter relation or dated multiplier change would
 * fall outside the new installation range.
 */
BILL_EXTERN int bill_registry_update_meter(bill_store *s, const bill_meter *m);
/** Read the meter `serial` with its registers and latest multiplier into a new record. */
BILL_EXTERN int bill_registry_get_meter(bill_meter **out, bill_store *s, const char *serial);
/** The serials of all meters, as bill_registry_account_refs. */
BILL_EXTERN char *bill_registry_meter_serials(bill_store *s);
/**
 * Remove the meter on `d` (its removal date), ending its open links and
 * sub-meter relations on `d`, in one transaction. BILL_ERULE if it is not
 * installed, already removed, `d` is before its installation or a link or
 * relation starts on or after `d`.
 */
BILL_EXTERN int bill_registry_remove_meter(bill_store *s, const char *serial, bill_date d);
/**
 * A multiplier change: from `from` on, the meter's multiplier is `multiplier`
 * (> 0). Replaces a change on the same day. BILL_ERULE before installation or
 * on/after removal.
 */
BILL_EXTERN int bill_registry_set_multiplier(bill_store *s, const char *serial, bill_date from,
                                             const bill_dec *multiplier);
/** The multiplier in force on `d` (BILL_ENOTFOUND before the first one). */
BILL_EXTERN int bill_registry_multiplier_on(bill_dec *out, bill_store *s, const char *serial,
                                            bill_date d);

/* ---- links -------------------------------------------------------------------- */

/**
 * Link meter `serial` to account `reference` over [from, to) (to =
 * bill_registry_open_end() for open). BILL_ERULE naming the other link if
 * the meter is already linked on one of those days; BILL_ERULE if the range
 * starts before the meter's installation or runs past its removal;
 * BILL_EDATE if to <= from.
 */
BILL_EXTERN int bill_registry_link(bill_store *s, const char *serial, const char *reference,
                                   bill_date from, bill_date to);
/**
 * Link a shared meter to n (2..64) accounts at once over [from, to), with
 * exact ratios (each > 0) that must add up to exactly 1 (BILL_ERULE
 * otherwise); the same account twice is BILL_EEXISTS. Other rules as
 * bill_registry_link.
 */
BILL_EXTERN int bill_registry_link_shared(bill_store *s, const char *serial,
                                          const char *const *references, const bill_dec *ratios,
                                          size_t n, bill_date from, bill_date to);
/**
 * End the link of `serial` that covers the day before `end` on `end` (its new
 * `to`). BILL_ENOTFOUND if no link covers that day.
 */
BILL_EXTERN int bill_registry_end_link(bill_store *s, const char *serial, bill_date end);
/**
 * Put meter `sub` under master meter `master` over [from, to). A meter has at
 * most one master at a time, is not its own master and no
 * chain of masters loops (BILL_ERULE); both meters must be installed over the
 * range (BILL_ERULE).
 */
BILL_EXTERN int bill_registry_add_sub(bill_store *s, const char *master, const char *sub,
                                      bill_date from, bill_date to);
/** End the relation of `sub` that covers the day before `end` (BILL_ENOTFOUND if none). */
BILL_EXTERN int bill_registry_end_sub(bill_store *s, const char *sub, bill_date end);

/* ---- queries ------------------------------------------------------------------ */

/**
 * The answer of a query: entries (meter, account, [from, to), ratio, UUID of
 * the link, master meter). Free with bill_link_list_free.
 */
typedef struct bill_link_list bill_link_list;

/**
 * Who pays for meter `serial` on day `d`: the accounts of the link in force
 * (one entry with ratio 1, or one per account of a shared link, in the order
 * given when linking); no entries if the meter is not linked that day.
 */
BILL_EXTERN int bill_registry_meter_accounts(bill_link_list **out, bill_store *s,
                                             const char *serial, bill_date d);
/**
 * The meters of account `reference` over period p: every link (or share of a
 * shared link) of the account overlapping p, with its own range, ordered by
 * start date then serial.
 */
BILL_EXTERN int bill_registry_account_meters(bill_link_list **out, bill_store *s,
                                             const char *reference, bill_period p);
/**
 * The sub-meters under master meter `master` over period p: one entry per
 * relation overlapping p, with `meter` the sub, `master` the master and the
 * relation's range (account "" and ratio 1).
 */
BILL_EXTERN int bill_registry_subs(bill_link_list **out, bill_store *s, const char *master,
                                   bill_period p);

/** NULL is a no-op. */
BILL_EXTERN void bill_link_list_free(bill_link_list *l);
/** Number of entries. */
BILL_EXTERN int bill_link_list_count(const bill_link_list *l);
/** Entry i's meter serial, account reference, master serial ("" if none), link UUID (NULL if i is out of range). */
BILL_EXTERN const char *bill_link_list_meter(const bill_link_list *l, int i);
BILL_EXTERN const char *bill_link_list_account(const bill_link_list *l, int i);
BILL_EXTERN const char *bill_link_list_master(const bill_link_list *l, int i);
BILL_EXTERN const char *bill_link_list_uuid(const bill_link_list *l, int i);
/** Entry i's first day, and its end (bill_registry_open_end() when open). */
BILL_EXTERN bill_date bill_link_list_from(const bill_link_list *l, int i);
BILL_EXTERN bill_date bill_link_list_to(const bill_link_list *l, int i);
/** Entry i's ratio (1 unless shared). BILL_ERANGE if i is out of range. */
BILL_EXTERN int bill_link_list_ratio(bill_dec *out, const bill_link_list *l, int i);
/**
 * Split `kwh` between the entries by their ratios, exactly: parts[i] has
 * `scale` digits and the parts add up to kwh (which must be representable at
 * `scale`, BILL_EROUNDING otherwise). Each part is its share rounded toward
 * zero; the remaining units of 10^-scale go one each to the entries with the
 * largest dropped fractions, ties to the earlier entry
 * (BILL_REMAINDER_LARGEST_FRACTION). n must equal the count (BILL_EINVAL);
 * parts[] holds n initialised values. Needs no store.
 */
BILL_EXTERN int bill_link_list_split(bill_dec *parts, size_t n, const bill_link_list *l,
                                     const bill_dec *kwh, int32_t scale);

#ifdef __cplusplus
}
#endif
#endif /* BILL_REGISTRY_H */
