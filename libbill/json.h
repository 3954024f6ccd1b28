/*
 * libbill internal: a small strict JSON reader that keeps numbers exact.
 *
 * Not installed and not exported (hidden visibility). The loaders (tariffs,
 * calendars, ...) use it instead of a general JSON library because those turn
 * numbers into double; here a number keeps its exact text ("0.52830" stays
 * "0.52830", "1e-7" stays "1e-7") and is converted by the caller with
 * bill_dec_parse (billi_json_get_dec / billi_json_to_dec do that).
 *
 * Input: RFC 8259 JSON, strictly. One value of any type at the top level,
 * UTF-8 only (a leading byte-order mark is skipped), whitespace is space,
 * tab, CR and LF. Rejected, with BILL_ESYNTAX: comments, trailing commas,
 * single quotes, unquoted keys, NaN / Infinity, leading zeros ("01"), "+1",
 * ".5", "1.", invalid escapes, lone surrogates (\uD800 without its pair),
 * invalid UTF-8 anywhere, unescaped control characters in strings, duplicate
 * keys in one object, anything after the top-level value. Limits, with
 * BILL_ERANGE: nesting depth (default and maximum 64 arrays/objects) and
 * document size (default 64 MiB, at most 1 GiB).
 *
 * Errors: every function returns BILL_OK or a negative bill_status and sets
 * bill_errmsg(). Parse errors read
 *     "<source>:<line>:<col>: <what> (at <path>)"
 * e.g. "tariff.json:12:31: trailing comma before ']' (at $.versions[0].thresholds)",
 * where <path> names the value the parser was reading (the container when it
 * was between values). The first error in document order is reported, with
 * one exception: in an object of more than 16 members, duplicates beyond the
 * 16th member are found (by sorting) when the object closes, so an error
 * later inside that object may be reported instead.
 *
 * Lines start at 1 and count LF characters; columns start at 1 and count
 * characters (UTF-8 code points, a tab is one), the BOM not included. Errors
 * about a node (getters, billi_json_fail) carry the position of that node.
 *
 * Paths: "$" is the top-level value; ".key" selects a member whose key is an
 * identifier ([A-Za-z_][A-Za-z0-9_]*), ["key"] any other member (the key
 * written as a JSON string), [i] an array element (from 0):
 *     $.versions[0].charges[1].tiers.thresholds[1]
 *     $.versions[0].schedules["res-2"].granularity
 *
 * Memory: a document is immutable and lives in one arena (a few large
 * blocks) freed by billi_json_free(); node pointers and the strings they
 * return stay valid until then and do not refer to the input text. A node
 * takes 56 bytes (64-bit) plus its text, so a document takes about 2 to 6
 * times its size. Documents are read-only: several threads may read one.
 *
 * Speed: one pass over the input, no recursion (an explicit stack), objects
 * keep their members in document order; billi_json_find is a linear scan,
 * meant for the small objects of configuration files.
 */
#ifndef BILL_JSON_H
#define BILL_JSON_H

#include "internal.h"

/** Maximum nesting of arrays and objects (the top-level container counts). */
#define BILLI_JSON_MAX_DEPTH 64
/** Default size limit of a document, in bytes. */
#define BILLI_JSON_DEFAULT_MAX_BYTES ((size_t)64 << 20)
/** Largest size limit that may be asked for (keeps offsets in 32 bits). */
#define BILLI_JSON_MAX_BYTES_CAP ((size_t)1 << 30)

typedef struct billi_json_doc billi_json_doc;
typedef struct billi_json_node billi_json_node;

typedef enum billi_json_type {
    BILLI_JSON_NULL = 0,
    BILLI_JSON_BOOL,
    BILLI_JSON_NUMBER,
    BILLI_JSON_STRING,
    BILLI_JSON_ARRAY,
    BILLI_JSON_OBJECT
} billi_json_type;

/** Limits of billi_json_parse_limited; 0 in a field means the default. */
typedef struct billi_json_limits {
    size_t max_bytes;    /* document size; clamped to BILLI_JSON_MAX_BYTES_CAP */
    unsigned max_depth;  /* nesting; clamped to BILLI_JSON_MAX_DEPTH */
} billi_json_limits;

/* ---- parsing --------------------------------------------------------------- */

/**
 * Parse `len` bytes of `text` (len = (size_t)-1: NUL-terminated) into a new
 * document *out. `source_name` (a file name, "tariff 'x'"; NULL gives
 * "<json>") starts every error message, also those of the getters later.
 * On failure *out is NULL; BILL_ESYNTAX for malformed JSON, BILL_ERANGE for
 * a broken limit, BILL_ENOMEM, BILL_EINVAL for NULL arguments.
 */
int billi_json_parse(billi_json_doc **out, const char *text, size_t len,
                     const char *source_name);
/** As billi_json_parse with other limits (limits may be NULL). */
int billi_json_parse_limited(billi_json_doc **out, const char *text, size_t len,
                             const char *source_name, const billi_json_limits *limits);
/** Free a document and every node of it. NULL is a no-op. */
void billi_json_free(billi_json_doc *doc);

/** The top-level value. */
const billi_json_node *billi_json_root(const billi_json_doc *doc);
/** The source name given to billi_json_parse (never NULL). */
const char *billi_json_source(const billi_json_doc *doc);
/** Number of nodes (values) in the document. */
size_t billi_json_node_count(const billi_json_doc *doc);

/* ---- nodes ----------------------------------------------------------------- */
/*
 * All node functions accept NULL and then return "nothing" (NULL, 0,
 * BILLI_JSON_NULL), so lookups can be chained.
 */

billi_json_type billi_json_typeof(const billi_json_node *n);
/** "null", "boolean", "number", "string", "array", "object" ("?" otherwise). */
const char *billi_json_type_name(int type);
/** 1 if n is a JSON null. */
int billi_json_is_null(const billi_json_node *n);

/** Elements of an array, members of an object; 0 for other nodes. */
size_t billi_json_size(const billi_json_node *n);
/** Element i of an array or value of member i of an object; NULL if out of range. */
const billi_json_node *billi_json_at(const billi_json_node *n, size_t i);
/** The value of member `key` (NUL-terminated) of an object, or NULL. */
const billi_json_node *billi_json_find(const billi_json_node *obj, const char *key);
/** The same with a key of `key_len` bytes (may hold NULs). */
const billi_json_node *billi_json_findn(const billi_json_node *obj, const char *key,
                                        size_t key_len);

/** The enclosing array or object (NULL for the top-level value). */
const billi_json_node *billi_json_parent(const billi_json_node *n);
/** Position in the parent: element index, or member index in document order. */
size_t billi_json_index(const billi_json_node *n);
/**
 * The key of a member value (n is the value; its parent an object): the
 * decoded key, NUL-terminated, its length in *len (len may be NULL). NULL
 * when the parent is not an object.
 */
const char *billi_json_key(const billi_json_node *n, size_t *len);

/**
 * A string's decoded UTF-8 bytes, NUL-terminated; *len (may be NULL) gets the
 * length, which is the truth if the string holds "\u0000". NULL if n is not
 * a string.
 */
const char *billi_json_string(const billi_json_node *n, size_t *len);
/**
 * A number's exact text as written (JSON grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?),
 * NUL-terminated, its length in *len (may be NULL). NULL if n is not a number.
 */
const char *billi_json_number(const billi_json_node *n, size_t *len);
/** 1 for true, 0 for false, -1 if n is not a boolean. */
int billi_json_bool(const billi_json_node *n);

/** Line and column (from 1) where the value starts; 0 for NULL. */
unsigned billi_json_line(const billi_json_node *n);
unsigned billi_json_col(const billi_json_node *n);
/** Line and column of a member's key (0 when n is not a member value). */
unsigned billi_json_key_line(const billi_json_node *n);
unsigned billi_json_key_col(const billi_json_node *n);
/** The document a node belongs to. */
const billi_json_doc *billi_json_doc_of(const billi_json_node *n);

/**
 * Write the path of n ("$.versions[0].tiers[1]") into buf of `cap` bytes,
 * NUL-terminated (truncated when cap is too small; buf may be NULL when cap
 * is 0). Returns the length the whole path needs, excluding the NUL, like
 * snprintf.
 */
size_t billi_json_path(const billi_json_node *n, char *buf, size_t cap);

/* ---- errors about nodes ------------------------------------------------------ */

/**
 * Record an error about node n and return `code`: the message is
 * "<source>:<line>:<col>: <formatted text> (at <path of n>)". For the
 * loaders' own rules: return billi_json_fail(t, BILL_ERULE,
 * "thresholds must increase");
 */
int billi_json_fail(const billi_json_node *n, int code, const char *fmt, ...)
    BILLI_PRINTF(3, 4);

/**
 * BILL_OK if n has the given type, else BILL_ESYNTAX "expected an array at
 * $.x, found a string" (n == NULL: BILL_EINVAL).
 */
int billi_json_expect(const billi_json_node *n, billi_json_type type);

/**
 * Reject members of object `obj` whose key is not in `allowed` (a
 * NULL-terminated list): BILL_ESYNTAX "unknown field 'pricee' in <what> at
 * $.versions[0] (allowed: id, type, price; did you mean 'price'?)" with the
 * position of the key. `what` ("charge") may be NULL. BILL_ESYNTAX also when
 * obj is not an object.
 */
int billi_json_check_keys(const billi_json_node *obj, const char *const *allowed,
                          const char *what);

/* ---- converting one node -------------------------------------------------------- */
/*
 * Each reads node n, or fails with BILL_ESYNTAX "expected a number at $.x,
 * found a string" (or the status named below), the message carrying n's
 * source position and path. Outputs are written only on success.
 */

/** A string; the text is NUL-terminated and must not contain "\u0000". */
int billi_json_to_string(const billi_json_node *n, const char **str, size_t *len);
/**
 * A decimal from a JSON number or a JSON string holding one ("0.5283",
 * "1e-7"), parsed by bill_dec_parse (*out must be initialised). Its errors
 * (BILL_ESYNTAX, BILL_ERANGE) repeat the text: "invalid decimal '1.2.3' at
 * $.price (...)".
 */
int billi_json_to_dec(const billi_json_node *n, bill_dec *out);
/**
 * An integer written as a JSON number without fraction or exponent, in
 * [min, max]: BILL_ERANGE "value 400 at $.x is out of range [1, 366]".
 */
int billi_json_to_int(const billi_json_node *n, int64_t min, int64_t max, int64_t *out);
/** true or false; *out gets 1 or 0. */
int billi_json_to_bool(const billi_json_node *n, int *out);
/** A string "YYYY-MM-DD" parsed by bill_date_parse (its status on failure, e.g. BILL_EDATE). */
int billi_json_to_date(const billi_json_node *n, bill_date *out);

/* ---- getters: member `key` of object `obj` ------------------------------------- */
/*
 * obj must be an object (else BILL_ESYNTAX "expected an object at ...").
 * A missing member is BILL_ESYNTAX "missing field 'x' at $.y" when `required`
 * is nonzero; when it is 0 the getter returns BILL_OK and leaves a scalar
 * output unchanged (set the default first) or sets a node output to NULL.
 * Use billi_json_find to test whether an optional member is present. A member
 * whose value is null counts as present (and is of the wrong type).
 */
#define BILLI_JSON_OPTIONAL 0
#define BILLI_JSON_REQUIRED 1

/** Any value: *out = the member's node (NULL if absent and optional). */
int billi_json_get(const billi_json_node *obj, const char *key, int required,
                   const billi_json_node **out);
int billi_json_get_string(const billi_json_node *obj, const char *key, int required,
                          const char **str, size_t *len);
int billi_json_get_dec(const billi_json_node *obj, const char *key, int required,
                       bill_dec *out);
int billi_json_get_int(const billi_json_node *obj, const char *key, int required,
                       int64_t min, int64_t max, int64_t *out);
int billi_json_get_bool(const billi_json_node *obj, const char *key, int required, int *out);
int billi_json_get_date(const billi_json_node *obj, const char *key, int required,
                        bill_date *out);
/** An array member: *out = its node (NULL if absent and optional). */
int billi_json_get_array(const billi_json_node *obj, const char *key, int required,
                         const billi_json_node **out);
/** An object member: *out = its node (NULL if absent and optional). */
int billi_json_get_object(const billi_json_node *obj, const char *key, int required,
                          const billi_json_node **out);

#endif /* BILL_JSON_H */
