/*
 * bindings/python/bill_python.i: how libbill values cross into Python.
 * Included by bindings/bill.i inside `#if defined(SWIGPYTHON)`.
 *
 *   amounts in    decimal.Decimal, str or int (bool and float raise TypeError),
 *                 parsed by bill_dec_parse
 *   amounts out   decimal.Decimal built from bill_dec_to_sci_str (keeps the scale)
 *   money         (amount, currency) tuples both ways
 *   dates         datetime.date (bill_date_from_ymd / bill_date_to_ymd)
 *   date-times    naive datetime.datetime (in as isoformat() text through
 *                 bill_datetime_parse, so seconds and time zones are rejected by C)
 *   periods       (start, end) tuples of dates
 *   errors        bill.errors._from_status builds the exception (see billpy_raise)
 */

%begin %{
#define PY_SSIZE_T_CLEAN
%}

%{
#include <datetime.h>

/* decimal.Decimal, imported on first use. */
static PyObject *billpy_decimal_cls = NULL;

static PyObject *billpy_decimal(void)
{
    if (!billpy_decimal_cls) {
        PyObject *mod = PyImport_ImportModule("decimal");
        if (!mod)
            return NULL;
        billpy_decimal_cls = PyObject_GetAttrString(mod, "Decimal");
        Py_DECREF(mod);
    }
    return billpy_decimal_cls;
}

/* Library text (UTF-8, but it may quote arbitrary bytes) as a str. */
static PyObject *billpy_text(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* bill.errors._from_status, looked up on first use. */
static PyObject *billpy_error_factory = NULL;

/*
 * The one place a bill_status becomes a Python exception. `msg` overrides
 * the message (for errors the binding itself detects); otherwise it is this
 * thread's detail, when it belongs to this failure, else the fixed sentence.
 */
static void billpy_raise(int status, const char *msg)
{
    PyObject *text, *exc = NULL;
    if (!msg) {
        const char *detail = bill_errmsg();
        msg = (bill_errcode() == status && detail[0]) ? detail : bill_strerror(status);
    }
    text = billpy_text(msg);
    if (!text)
        return;
    if (!billpy_error_factory) {
        PyObject *mod = PyImport_ImportModule("bill.errors");
        if (mod) {
            billpy_error_factory = PyObject_GetAttrString(mod, "_from_status");
            Py_DECREF(mod);
        }
    }
    if (billpy_error_factory)
        exc = PyObject_CallFunction(billpy_error_factory, "issO", status, bill_status_name(status),
                                    bill_family_name(bill_status_family_of(status)), text);
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    } else {
        /* bill.errors is missing (the raw module used alone): still say what failed. */
        PyErr_Clear();
        PyErr_Format(PyExc_RuntimeError, "libbill %s (%d): %U", bill_status_name(status), status, text);
    }
    Py_DECREF(text);
}

/* The code of the failure a function reported only by returning NULL. */
static int billpy_last_code(void)
{
    int code = bill_errcode();
    return code < 0 ? code : BILL_EINTERNAL;
}

/* Parse an amount: Decimal, str or int; never float. Returns 0 or -1 with an exception set. */
static int billpy_to_dec(bill_dec *d, PyObject *o)
{
    PyObject *text;
    PyObject *cls;
    Py_ssize_t n;
    const char *s;
    int rc;

    if (PyFloat_Check(o)) {
        PyErr_SetString(PyExc_TypeError,
                        "libbill: float amounts are not accepted (binary floating point is "
                        "inexact); pass a decimal.Decimal, str or int");
        return -1;
    }
    if (PyBool_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "libbill: bool is not an amount");
        return -1;
    }
    cls = billpy_decimal();
    if (!cls)
        return -1;
    if (PyUnicode_Check(o)) {
        text = o;
        Py_INCREF(text);
    } else if (PyLong_Check(o) || PyObject_IsInstance(o, cls) == 1) {
        text = PyObject_Str(o);
        if (!text)
            return -1;
    } else {
        PyErr_Format(PyExc_TypeError,
                     "libbill: an amount must be a decimal.Decimal, str or int, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    s = PyUnicode_AsUTF8AndSize(text, &n);
    if (!s) {
        Py_DECREF(text);
        return -1;
    }
    rc = bill_dec_parse(d, s, (size_t)n);
    Py_DECREF(text);
    if (rc != BILL_OK) {
        billpy_raise(rc, NULL);
        return -1;
    }
    return 0;
}

/* A decimal.Decimal with exactly the value and scale of *d. */
static PyObject *billpy_from_dec(const bill_dec *d)
{
    PyObject *cls = billpy_decimal(), *r;
    char *s;
    if (!cls)
        return NULL;
    s = bill_dec_to_sci_str(d);
    if (!s) {
        billpy_raise(billpy_last_code(), NULL);
        return NULL;
    }
    r = PyObject_CallFunction(cls, "s", s);
    bill_free(s);
    return r;
}

/* (amount, currency) -> bill_money, checked by bill_money_set. */
static int billpy_to_money(bill_money *m, PyObject *o)
{
    bill_dec amount = BILL_DEC_INIT;
    PyObject *code;
    const char *c;
    int rc;

    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) != 2) {
        PyErr_Format(PyExc_TypeError, "libbill: money must be an (amount, currency) tuple, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    code = PyTuple_GET_ITEM(o, 1);
    if (!PyUnicode_Check(code)) {
        PyErr_Format(PyExc_TypeError, "libbill: a currency code must be a str, not %.100s",
                     Py_TYPE(code)->tp_name);
        return -1;
    }
    c = PyUnicode_AsUTF8(code);
    if (!c)
        return -1;
    if (billpy_to_dec(&amount, PyTuple_GET_ITEM(o, 0)) < 0)
        return -1;
    rc = bill_money_set(m, &amount, c);
    bill_dec_clear(&amount);
    if (rc != BILL_OK) {
        billpy_raise(rc, NULL);
        return -1;
    }
    return 0;
}

static PyObject *billpy_from_money(const bill_money *m)
{
    PyObject *amount = billpy_from_dec(&m->amount);
    if (!amount)
        return NULL;
    return Py_BuildValue("(Ns)", amount, m->currency);
}

/* datetime.date (not datetime.datetime) -> bill_date. */
static int billpy_to_date(bill_date *out, PyObject *o)
{
    int rc;
    if (!PyDate_Check(o) || PyDateTime_Check(o)) {
        PyErr_Format(PyExc_TypeError, "libbill: expected a datetime.date, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    rc = bill_date_from_ymd(out, PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o),
                            PyDateTime_GET_DAY(o));
    if (rc != BILL_OK) {
        billpy_raise(rc, NULL);
        return -1;
    }
    return 0;
}

static PyObject *billpy_from_date(bill_date d)
{
    int y, m, dd;
    bill_date_to_ymd(d, &y, &m, &dd);
    return PyDate_FromDate(y, m, dd);
}

/* Naive datetime.datetime -> bill_datetime, through the C parser of its isoformat(). */
static int billpy_to_datetime(bill_datetime *out, PyObject *o)
{
    PyObject *iso;
    const char *s;
    Py_ssize_t n;
    int rc;
    if (!PyDateTime_Check(o)) {
        PyErr_Format(PyExc_TypeError, "libbill: expected a datetime.datetime, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    iso = PyObject_CallMethod(o, "isoformat", NULL);
    if (!iso)
        return -1;
    s = PyUnicode_AsUTF8AndSize(iso, &n);
    if (!s) {
        Py_DECREF(iso);
        return -1;
    }
    rc = bill_datetime_parse(out, s, (size_t)n);
    Py_DECREF(iso);
    if (rc != BILL_OK) {
        billpy_raise(rc, NULL);
        return -1;
    }
    return 0;
}

static PyObject *billpy_from_datetime(bill_datetime t)
{
    int y, m, d;
    int mod = bill_datetime_minute_of_day(t);
    bill_date_to_ymd(bill_datetime_date(t), &y, &m, &d);
    return PyDateTime_FromDateAndTime(y, m, d, mod / 60, mod % 60, 0, 0);
}

/* (start, end) -> bill_period, as given (the C functions check it). */
static int billpy_to_period(bill_period *out, PyObject *o)
{
    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) != 2) {
        PyErr_Format(PyExc_TypeError, "libbill: a period must be a (start, end) tuple of dates, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    if (billpy_to_date(&out->start, PyTuple_GET_ITEM(o, 0)) < 0 ||
        billpy_to_date(&out->end, PyTuple_GET_ITEM(o, 1)) < 0)
        return -1;
    return 0;
}

static PyObject *billpy_from_period(const bill_period *p)
{
    PyObject *a = billpy_from_date(p->start), *b;
    if (!a)
        return NULL;
    b = billpy_from_date(p->end);
    if (!b) {
        Py_DECREF(a);
        return NULL;
    }
    return Py_BuildValue("(NN)", a, b);
}

/* The count of an allocation: a non-negative int. */
static int billpy_count(size_t *out, PyObject *o)
{
    long long v;
    if (!PyLong_Check(o) || PyBool_Check(o)) {
        PyErr_Format(PyExc_TypeError, "libbill: the number of parts must be an int, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 0) {
        billpy_raise(BILL_EINVAL, "allocate: the number of parts must not be negative");
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

/* Fresh zeroed array of n (>= 1 slot) values of `size` bytes, or NULL with MemoryError. */
static void *billpy_array(size_t n, size_t size)
{
    void *p = (n <= SIZE_MAX / size) ? calloc(n ? n : 1, size) : NULL;
    if (!p)
        PyErr_NoMemory();
    return p;
}
%}

%init %{
    PyDateTime_IMPORT;
%}

/* ---- statuses and library strings ------------------------------------------------ */

/* Plain values keep SWIG's default int conversion (copied before bill.i replaces it). */
%typemap(out) int BILL_PLAIN = int;

/* Plain output parameters: SWIG's OUTPUT typemaps (appended to the result). */
%apply int *OUTPUT { int *BILL_OUT };
%apply long long *OUTPUT { long long *BILL_OUT };

%typemap(out) int BILL_STATUS {
    if ($1 < 0) {
        billpy_raise((int)$1, NULL);
        SWIG_fail;
    }
    $result = SWIG_Py_Void();
}

%typemap(out) int BILL_COUNT {
    if ($1 < 0) {
        billpy_raise((int)$1, NULL);
        SWIG_fail;
    }
    $result = PyLong_FromLong((long)$1);
}

%typemap(out) char *BILL_NEWSTR {
    if (!$1) {
        billpy_raise(billpy_last_code(), NULL);
        SWIG_fail;
    }
    $result = billpy_text($1);
}
%typemap(newfree) char *BILL_NEWSTR "bill_free($1);"

/* A whole str (or bytes) with its length: embedded NULs reach the parser. */
%typemap(in) (const char *text, size_t len) {
    if (PyUnicode_Check($input)) {
        Py_ssize_t n;
        const char *p = PyUnicode_AsUTF8AndSize($input, &n);
        if (!p)
            SWIG_fail;
        $1 = ($1_ltype)p;
        $2 = (size_t)n;
    } else if (PyBytes_Check($input)) {
        $1 = PyBytes_AS_STRING($input);
        $2 = (size_t)PyBytes_GET_SIZE($input);
    } else {
        PyErr_Format(PyExc_TypeError, "$symname: expected str, not %.100s", Py_TYPE($input)->tp_name);
        SWIG_fail;
    }
}

/* ---- decimals ------------------------------------------------------------------------ */

%typemap(in) const bill_dec * (bill_dec temp = BILL_DEC_INIT) {
    if (billpy_to_dec(&temp, $input) < 0)
        SWIG_fail;
    $1 = &temp;
}
%typemap(freearg) const bill_dec * "bill_dec_clear(&temp$argnum);"

%typemap(in, numinputs=0) bill_dec *r (bill_dec temp = BILL_DEC_INIT), bill_dec *out (bill_dec temp = BILL_DEC_INIT) {
    $1 = &temp;
}
%typemap(argout) bill_dec *r, bill_dec *out {
    PyObject *o = billpy_from_dec($1);
    if (!o)
        SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}
%typemap(freearg) bill_dec *r, bill_dec *out "bill_dec_clear(&temp$argnum);"

/*
 * Allocation: the number of parts comes in, the list of parts goes out. The
 * array is made in the check phase, after the ratios have been counted.
 */
%typemap(in) (bill_dec *parts, size_t n) (bill_dec *tmp = NULL, size_t count = 0) {
    if (billpy_count(&count, $input) < 0)
        SWIG_fail;
    $2 = count;
}
%typemap(check) (bill_dec *parts, size_t n) {
    size_t i;
    tmp$argnum = (bill_dec *)billpy_array(count$argnum, sizeof(bill_dec));
    if (!tmp$argnum)
        SWIG_fail;
    for (i = 0; i < count$argnum; i++)
        bill_dec_init(&tmp$argnum[i]);
    $1 = tmp$argnum;
}
%typemap(argout) (bill_dec *parts, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)$2);
    size_t i;
    if (!list)
        SWIG_fail;
    for (i = 0; i < $2; i++) {
        PyObject *o = billpy_from_dec(&$1[i]);
        if (!o) {
            Py_DECREF(list);
            SWIG_fail;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, o);
    }
    $result = SWIG_Python_AppendOutput($result, list);
}
%typemap(freearg) (bill_dec *parts, size_t n) {
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_dec_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
}

/* Ratios: None (equal parts) or a sequence of amounts, one per part. */
%typemap(in) const bill_dec *ratios (bill_dec *tmp = NULL, size_t count = 0) {
    if ($input == Py_None) {
        $1 = NULL;
    } else {
        PyObject *seq = PySequence_Fast($input, "libbill: ratios must be a sequence of amounts");
        size_t i, nr;
        if (!seq)
            SWIG_fail;
        nr = (size_t)PySequence_Fast_GET_SIZE(seq);
        /* n is the previous argument of every allocation function */
        if (nr != arg2) {
            char msg[128];
            Py_DECREF(seq);
            snprintf(msg, sizeof msg, "allocate: %zu ratios given for %zu parts", nr, (size_t)arg2);
            billpy_raise(BILL_EINVAL, msg);
            SWIG_fail;
        }
        tmp = (bill_dec *)billpy_array(nr, sizeof(bill_dec));
        if (!tmp) {
            Py_DECREF(seq);
            SWIG_fail;
        }
        count = nr;
        for (i = 0; i < nr; i++)
            bill_dec_init(&tmp[i]);
        for (i = 0; i < nr; i++) {
            if (billpy_to_dec(&tmp[i], PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i)) < 0) {
                Py_DECREF(seq);
                SWIG_fail;
            }
        }
        Py_DECREF(seq);
        $1 = tmp;
    }
}
%typemap(freearg) const bill_dec *ratios {
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_dec_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
}

/* ---- money ----------------------------------------------------------------------------- */

%typemap(in) const bill_money * (bill_money temp = BILL_MONEY_INIT) {
    if (billpy_to_money(&temp, $input) < 0)
        SWIG_fail;
    $1 = &temp;
}
%typemap(freearg) const bill_money * "bill_money_clear(&temp$argnum);"
/* SWIG looks each typemap method up separately and strips const when none
   matches: without these, `const bill_money *m` (bill_money_to_str) would get
   the argout of the output `bill_money *m`. */
%typemap(argout) const bill_money * ""
%typemap(argout) const bill_dec * ""


%typemap(in, numinputs=0) bill_money *r (bill_money temp = BILL_MONEY_INIT), bill_money *m (bill_money temp = BILL_MONEY_INIT) {
    $1 = &temp;
}
%typemap(argout) bill_money *r, bill_money *m {
    PyObject *o = billpy_from_money($1);
    if (!o)
        SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}
%typemap(freearg) bill_money *r, bill_money *m "bill_money_clear(&temp$argnum);"

%typemap(in) (bill_money *parts, size_t n) (bill_money *tmp = NULL, size_t count = 0) {
    if (billpy_count(&count, $input) < 0)
        SWIG_fail;
    $2 = count;
}
%typemap(check) (bill_money *parts, size_t n) {
    size_t i;
    tmp$argnum = (bill_money *)billpy_array(count$argnum, sizeof(bill_money));
    if (!tmp$argnum)
        SWIG_fail;
    for (i = 0; i < count$argnum; i++)
        bill_money_init(&tmp$argnum[i]);
    $1 = tmp$argnum;
}
%typemap(argout) (bill_money *parts, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)$2);
    size_t i;
    if (!list)
        SWIG_fail;
    for (i = 0; i < $2; i++) {
        PyObject *o = billpy_from_money(&$1[i]);
        if (!o) {
            Py_DECREF(list);
            SWIG_fail;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, o);
    }
    $result = SWIG_Python_AppendOutput($result, list);
}
%typemap(freearg) (bill_money *parts, size_t n) {
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_money_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
}

/* A pointer into the static currency table: not owned. */
%typemap(in, numinputs=0) const bill_currency **out (const bill_currency *temp = NULL) {
    $1 = ($1_ltype)&temp;
}
%typemap(argout) const bill_currency **out {
    $result = SWIG_Python_AppendOutput($result,
                                       SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, 0));
}

/* ---- dates, date-times, periods -------------------------------------------------------- */

%typemap(in) bill_date {
    if (billpy_to_date(&$1, $input) < 0)
        SWIG_fail;
}
%typemap(out) bill_date {
    $result = billpy_from_date($1);
    if (!$result)
        SWIG_fail;
}
%typemap(in, numinputs=0) bill_date *out (bill_date temp) {
    temp.day = 0;
    $1 = &temp;
}
%typemap(argout) bill_date *out {
    PyObject *o = billpy_from_date(*$1);
    if (!o)
        SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}

%typemap(in) bill_datetime {
    if (billpy_to_datetime(&$1, $input) < 0)
        SWIG_fail;
}
%typemap(out) bill_datetime {
    $result = billpy_from_datetime($1);
    if (!$result)
        SWIG_fail;
}
%typemap(in, numinputs=0) bill_datetime *out (bill_datetime temp) {
    temp.minute = 0;
    $1 = &temp;
}
%typemap(argout) bill_datetime *out {
    PyObject *o = billpy_from_datetime(*$1);
    if (!o)
        SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}

%typemap(in) bill_period {
    if (billpy_to_period(&$1, $input) < 0)
        SWIG_fail;
}
%typemap(in, numinputs=0) bill_period *out (bill_period temp) {
    temp.start.day = 0;
    temp.end.day = 0;
    $1 = &temp;
}
%typemap(argout) bill_period *out {
    PyObject *o = billpy_from_period($1);
    if (!o)
        SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}

/* Interval data: a sequence of amounts (Decimal, str or int), copied by the C setter. */
%typemap(in) (const bill_dec *kwh, size_t n) (bill_dec *tmp = NULL, size_t count = 0) {
    PyObject *seq = PySequence_Fast($input, "libbill: interval kWh must be a sequence of amounts");
    size_t i, nr;
    if (!seq)
        SWIG_fail;
    nr = (size_t)PySequence_Fast_GET_SIZE(seq);
    tmp = (bill_dec *)billpy_array(nr, sizeof(bill_dec));
    if (!tmp) {
        Py_DECREF(seq);
        SWIG_fail;
    }
    count = nr;
    for (i = 0; i < nr; i++)
        bill_dec_init(&tmp[i]);
    for (i = 0; i < nr; i++) {
        if (billpy_to_dec(&tmp[i], PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i)) < 0) {
            Py_DECREF(seq);
            SWIG_fail;
        }
    }
    Py_DECREF(seq);
    $1 = tmp;
    $2 = nr;
}
%typemap(freearg) (const bill_dec *kwh, size_t n) {
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_dec_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
}

/* ---- the calendar handle ----------------------------------------------------------------- */

/* bill_calendar_create: a new proxy that owns the handle. */
%typemap(in, numinputs=0) bill_calendar **out (bill_calendar *temp = NULL) {
    $1 = &temp;
}
%typemap(argout) bill_calendar **out {
    $result = SWIG_Python_AppendOutput($result,
                                       SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, SWIG_POINTER_OWN));
}

/*
 * bill_calendar_free (Calendar.close): take the handle away from the proxy
 * (SWIG_POINTER_RELEASE clears its pointer), so that a later call raises
 * instead of touching freed memory. A proxy that no longer owns a handle was
 * closed before: freeing it again is a no-op.
 */
%typemap(in) bill_calendar *cal (void *argp = 0, int res = 0) {
    res = SWIG_ConvertPtr($input, &argp, $descriptor, SWIG_POINTER_RELEASE);
    if (res == SWIG_ERROR_RELEASE_NOT_OWNED) {
        argp = NULL;
    } else if (!SWIG_IsOK(res)) {
        SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$type'");
    }
    $1 = (bill_calendar *)argp;
}

/* A calendar borrowed by bill_usage_set_calendar: None for none, a closed one raises
   StateError. (Spelled out: SWIG would otherwise strip the const and use the releasing
   typemap above.) */
%typemap(in) const bill_calendar *cal (void *argp = 0, int res = 0) {
    if ($input == Py_None) {
        $1 = NULL;
    } else {
        res = SWIG_ConvertPtr($input, &argp, $descriptor(bill_calendar *), 0);
        if (!SWIG_IsOK(res)) {
            SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$type'");
        }
        $1 = ($1_ltype)argp;
        if (!$1) {
            billpy_raise(BILL_ESTATE, "calendar: the calendar is closed");
            SWIG_fail;
        }
    }
}

/* Methods on a closed handle raise StateError (ESTATE). (The type of self is `struct x *`.) */
%typemap(check) struct bill_calendar *self {
    if (!$1) {
        billpy_raise(BILL_ESTATE, "calendar: the calendar is closed");
        SWIG_fail;
    }
}

/* ---- the power-factor table handle -------------------------------------------------------- */

/* bill_pf_table_create_standard, bill_pf_table_load: a new proxy that owns the handle. */
%typemap(in, numinputs=0) bill_pf_table **out (bill_pf_table *temp = NULL) {
    $1 = &temp;
}
%typemap(argout) bill_pf_table **out {
    $result = SWIG_Python_AppendOutput($result,
                                       SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, SWIG_POINTER_OWN));
}

/* bill_pf_table_free (PowerFactorTable.close): as bill_calendar_free above. */
%typemap(in) bill_pf_table *t (void *argp = 0, int res = 0) {
    res = SWIG_ConvertPtr($input, &argp, $descriptor(bill_pf_table *), SWIG_POINTER_RELEASE);
    if (res == SWIG_ERROR_RELEASE_NOT_OWNED) {
        argp = NULL;
    } else if (!SWIG_IsOK(res)) {
        SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$type'");
    }
    $1 = (bill_pf_table *)argp;
}

/* The table read by bill_pf_table_standard/percent: a closed one raises StateError (ESTATE).
   (Spelled out: SWIG would otherwise strip the const and use the releasing typemap above.) */
%typemap(in) const bill_pf_table *t (void *argp = 0, int res = 0) {
    res = SWIG_ConvertPtr($input, &argp, $descriptor(bill_pf_table *), 0);
    if (!SWIG_IsOK(res)) {
        SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$type'");
    }
    $1 = ($1_ltype)argp;
    if (!$1) {
        billpy_raise(BILL_ESTATE, "power factor table: the table is closed");
        SWIG_fail;
    }
}

/* ---- tariffs, usages and bills ------------------------------------------------------------ */

/*
 * BILLPY_HANDLE_OUT(TYPE): bill_<x>_create / bill_tariff_load make a new
 * owning proxy (`TYPE **out`); bill_<x>_free takes the handle away from the
 * proxy (`TYPE *handle`, SWIG_POINTER_RELEASE, as bill_calendar_free above).
 * BILLPY_HANDLE_USE(DECL, TYPE, WHAT): the handle read or written by the
 * other functions (`const TYPE *t|u|b`, `TYPE *u|b`) raises StateError
 * (ESTATE) when the proxy is closed.
 */
%define BILLPY_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) {
    $1 = &temp;
}
%typemap(argout) TYPE **out {
    $result = SWIG_Python_AppendOutput($result,
                                       SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, SWIG_POINTER_OWN));
}
%typemap(in) TYPE *handle (void *argp = 0, int res = 0) {
    res = SWIG_ConvertPtr($input, &argp, $descriptor(TYPE *), SWIG_POINTER_RELEASE);
    if (res == SWIG_ERROR_RELEASE_NOT_OWNED) {
        argp = NULL;
    } else if (!SWIG_IsOK(res)) {
        SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$type'");
    }
    $1 = (TYPE *)argp;
}
%enddef

%define BILLPY_HANDLE_USE(DECL, TYPE, WHAT)
%typemap(in) DECL (void *argp = 0, int res = 0) {
    res = SWIG_ConvertPtr($input, &argp, $descriptor(TYPE *), 0);
    if (!SWIG_IsOK(res)) {
        SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$type'");
    }
    $1 = ($1_ltype)argp;
    if (!$1) {
        billpy_raise(BILL_ESTATE, WHAT);
        SWIG_fail;
    }
}
%enddef

BILLPY_HANDLE_OUT(bill_tariff)
BILLPY_HANDLE_OUT(bill_usage)
BILLPY_HANDLE_OUT(bill_bill)
/* (const and non-const spelled out: SWIG would otherwise strip the const.) */
BILLPY_HANDLE_USE(const bill_tariff *t, bill_tariff, "tariff: the tariff is closed")
BILLPY_HANDLE_USE(const bill_usage *u, bill_usage, "usage: the usage is closed")
BILLPY_HANDLE_USE(bill_usage *u, bill_usage, "usage: the usage is closed")
BILLPY_HANDLE_USE(const bill_bill *b, bill_bill, "bill: the bill is closed")
BILLPY_HANDLE_USE(bill_bill *b, bill_bill, "bill: the bill is closed")

/* The store and registry handles (include/bill/store.h, registry.h). */
BILLPY_HANDLE_OUT(bill_store)
BILLPY_HANDLE_OUT(bill_account)
BILLPY_HANDLE_OUT(bill_meter)
BILLPY_HANDLE_OUT(bill_link_list)
BILLPY_HANDLE_USE(bill_store *s, bill_store, "store: the store is closed")
BILLPY_HANDLE_USE(const bill_store *s, bill_store, "store: the store is closed")
BILLPY_HANDLE_USE(bill_account *a, bill_account, "account: the record is closed")
BILLPY_HANDLE_USE(const bill_account *a, bill_account, "account: the record is closed")
BILLPY_HANDLE_USE(bill_meter *m, bill_meter, "meter: the record is closed")
BILLPY_HANDLE_USE(const bill_meter *m, bill_meter, "meter: the record is closed")
BILLPY_HANDLE_USE(const bill_link_list *l, bill_link_list, "link list: the list is closed")

/*
 * Calls that may wait for another handle's lock (up to the busy timeout) run
 * without the GIL, so a thread holding a store transaction can still reach its
 * commit while another thread waits. Only the C call itself runs unlocked: the
 * typemaps that build results and exceptions run with the GIL.
 */
%define BILLPY_NOGIL(NAME)
%exception NAME {
    Py_BEGIN_ALLOW_THREADS
    $action
    Py_END_ALLOW_THREADS
}
%enddef
BILLPY_NOGIL(bill_store_open)
BILLPY_NOGIL(bill_store_begin)
BILLPY_NOGIL(bill_store_commit)
BILLPY_NOGIL(bill_store_rollback)
BILLPY_NOGIL(bill_registry_add_account)
BILLPY_NOGIL(bill_registry_update_account)
BILLPY_NOGIL(bill_registry_get_account)
BILLPY_NOGIL(bill_registry_account_refs)
BILLPY_NOGIL(bill_registry_add_meter)
BILLPY_NOGIL(bill_registry_update_meter)
BILLPY_NOGIL(bill_registry_get_meter)
BILLPY_NOGIL(bill_registry_meter_serials)
BILLPY_NOGIL(bill_registry_remove_meter)
BILLPY_NOGIL(bill_registry_set_multiplier)
BILLPY_NOGIL(bill_registry_multiplier_on)
BILLPY_NOGIL(bill_registry_link)
BILLPY_NOGIL(billb_registry_link_shared)
BILLPY_NOGIL(bill_registry_end_link)
BILLPY_NOGIL(bill_registry_add_sub)
BILLPY_NOGIL(bill_registry_end_sub)
BILLPY_NOGIL(bill_registry_meter_accounts)
BILLPY_NOGIL(bill_registry_account_meters)
BILLPY_NOGIL(bill_registry_subs)

/* bill_tariff_tou_period: a name inside the tariff, copied into a str. */
%typemap(in, numinputs=0) const char **out (const char *temp = NULL) {
    $1 = ($1_ltype)&temp;
}
%typemap(argout) const char **out {
    PyObject *o = billpy_text(*$1 ? *$1 : "");
    if (!o)
        SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}

/*
 * bill_bill_line: the view, copied at once into a tuple
 * (kind, charge, component, band, unit, quantity, unit_price, amount, (start, end)).
 */
%typemap(in, numinputs=0) bill_line_view *out (bill_line_view temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}
%typemap(argout) bill_line_view *out {
    PyObject *q = billpy_from_dec($1->quantity);
    PyObject *p = q ? billpy_from_dec($1->unit_price) : NULL;
    PyObject *a = p ? billpy_from_dec($1->amount) : NULL;
    PyObject *seg = a ? billpy_from_period(&$1->segment) : NULL;
    PyObject *o = NULL;
    if (seg)
        o = Py_BuildValue("(issssNNNN)", $1->kind, $1->charge, $1->component, $1->band, $1->unit,
                          q, p, a, seg);
    else {
        Py_XDECREF(q);
        Py_XDECREF(p);
        Py_XDECREF(a);
    }
    if (!o)
        SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}

/* ---- what-if ------------------------------------------------------------------------------ */

BILLPY_HANDLE_OUT(bill_whatif)
BILLPY_HANDLE_USE(bill_whatif *w, bill_whatif, "whatif: the comparison is closed")
BILLPY_HANDLE_USE(const bill_whatif *w, bill_whatif, "whatif: the comparison is closed")

/* bill_whatif_run, bill_whatif_best_declared_kw: a sequence of usage proxies (none closed). */
%typemap(in) (const bill_usage *const *usages, size_t n) (const bill_usage **tmp = NULL, PyObject *seq = NULL) {
    Py_ssize_t i, count;
    seq = PySequence_Fast($input, "libbill: usages must be a sequence of bill_usage handles");
    if (!seq)
        SWIG_fail;
    count = PySequence_Fast_GET_SIZE(seq);
    tmp = (const bill_usage **)calloc(count > 0 ? (size_t)count : 1, sizeof *tmp);
    if (!tmp) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    for (i = 0; i < count; i++) {
        void *p = NULL;
        int res = SWIG_ConvertPtr(PySequence_Fast_GET_ITEM(seq, i), &p, $descriptor(bill_usage *), 0);
        if (!SWIG_IsOK(res)) {
            SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', usages must be bill_usage handles");
        }
        if (!p) {
            billpy_raise(BILL_ESTATE, "usage: the usage is closed");
            SWIG_fail;
        }
        tmp[i] = (const bill_usage *)p;
    }
    $1 = ($1_ltype)tmp;
    $2 = (size_t)count;
}
%typemap(freearg) (const bill_usage *const *usages, size_t n) {
    free((void *)tmp$argnum);
    Py_XDECREF(seq$argnum);
}

/* ---- the meter-data CSV reader ------------------------------------------------------------- */

BILLPY_HANDLE_OUT(bill_meter_csv)
BILLPY_HANDLE_USE(const bill_meter_csv *r, bill_meter_csv, "meter CSV: the reader is closed")
BILLPY_HANDLE_USE(bill_meter_csv *r, bill_meter_csv, "meter CSV: the reader is closed")

/* ---- determinants and the billing run ------------------------------------------------------ */

BILLPY_HANDLE_OUT(bill_determinants)
BILLPY_HANDLE_OUT(bill_billing_report)
BILLPY_HANDLE_USE(bill_determinants *d, bill_determinants, "determinants: the handle is closed")
BILLPY_HANDLE_USE(const bill_determinants *d, bill_determinants, "determinants: the handle is closed")
BILLPY_HANDLE_USE(const bill_billing_report *r, bill_billing_report, "billing run: the report is closed")
BILLPY_NOGIL(bill_store_determinants)
BILLPY_NOGIL(billb_billing_run)
BILLPY_NOGIL(bill_store_bill_json)

/* billb_billing_run: a sequence of tariff proxies (none closed). */
%typemap(in) (const bill_tariff *const *tariffs, size_t ntariffs) (const bill_tariff **tmp = NULL, PyObject *seq = NULL) {
    Py_ssize_t i, count;
    seq = PySequence_Fast($input, "libbill: tariffs must be a sequence of bill_tariff handles");
    if (!seq)
        SWIG_fail;
    count = PySequence_Fast_GET_SIZE(seq);
    tmp = (const bill_tariff **)calloc(count > 0 ? (size_t)count : 1, sizeof *tmp);
    if (!tmp) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    for (i = 0; i < count; i++) {
        void *p = NULL;
        int res = SWIG_ConvertPtr(PySequence_Fast_GET_ITEM(seq, i), &p, $descriptor(bill_tariff *), 0);
        if (!SWIG_IsOK(res)) {
            SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', tariffs must be bill_tariff handles");
        }
        if (!p) {
            billpy_raise(BILL_ESTATE, "tariff: the tariff is closed");
            SWIG_fail;
        }
        tmp[i] = (const bill_tariff *)p;
    }
    $1 = ($1_ltype)tmp;
    $2 = (size_t)count;
}
%typemap(freearg) (const bill_tariff *const *tariffs, size_t ntariffs) {
    free((void *)tmp$argnum);
    Py_XDECREF(seq$argnum);
}

/* ---- the importer (include/bill/import.h) -------------------------------------------------- */

BILLPY_HANDLE_OUT(bill_importer)
BILLPY_HANDLE_USE(const bill_importer *imp, bill_importer, "import: the importer is closed")
BILLPY_HANDLE_USE(bill_importer *imp, bill_importer, "import: the importer is closed")
BILLPY_NOGIL(bill_importer_create)
BILLPY_NOGIL(bill_importer_feed)
BILLPY_NOGIL(bill_importer_finish)
BILLPY_NOGIL(bill_importer_read_file)
BILLPY_NOGIL(bill_store_add_reading)
BILLPY_NOGIL(bill_store_add_interval)

/* ---- verification and anomalies ------------------------------------------------------------ */

BILLPY_HANDLE_OUT(bill_verify)
BILLPY_HANDLE_USE(const bill_verify *v, bill_verify, "verify: the verification is closed")
BILLPY_HANDLE_USE(bill_verify *v, bill_verify, "verify: the verification is closed")
BILLPY_HANDLE_OUT(bill_anomalies)
BILLPY_HANDLE_USE(const bill_anomalies *a, bill_anomalies, "anomalies: the list is closed")

/* ---- batch billing (include/bill/batch.h) -------------------------------------------------- */

BILLPY_HANDLE_OUT(bill_batch)
BILLPY_HANDLE_USE(bill_batch *b, bill_batch, "batch: the batch is closed")
BILLPY_HANDLE_USE(const bill_batch *b, bill_batch, "batch: the batch is closed")
/* bill_batch_usage, bill_batch_bill: fill a usage or bill handle the caller made. */
BILLPY_HANDLE_USE(bill_usage *out, bill_usage, "usage: the usage is closed")
BILLPY_HANDLE_USE(bill_bill *out, bill_bill, "bill: the bill is closed")
BILLPY_NOGIL(bill_batch_compute)

%{
/*
 * An int column: a sequence of int (not bool, not float), each in
 * [lo, hi], into a fresh array of n int64 values. -1 with TypeError /
 * OverflowError naming the value's index, or MemoryError.
 */
static int billpy_int_column(PyObject *input, long long lo, long long hi, int64_t **out, size_t *n)
{
    PyObject *seq = PySequence_Fast(input, "libbill: a column must be a sequence of int");
    size_t i, nr;
    int64_t *v;
    *out = NULL;
    *n = 0;
    if (!seq)
        return -1;
    nr = (size_t)PySequence_Fast_GET_SIZE(seq);
    v = (int64_t *)billpy_array(nr, sizeof *v);
    if (!v) {
        Py_DECREF(seq);
        return -1;
    }
    for (i = 0; i < nr; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i);
        int overflow = 0;
        long long x;
        if (!PyLong_Check(o) || PyBool_Check(o)) {
            PyErr_Format(PyExc_TypeError, "libbill: value %zu of a column must be an int, not %s",
                         i, Py_TYPE(o)->tp_name);
            break;
        }
        x = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (x == -1 && PyErr_Occurred())
            break;
        if (overflow || x < lo || x > hi) {
            PyErr_Format(PyExc_OverflowError, "libbill: value %zu of a column is out of range [%lld, %lld]",
                         i, lo, hi);
            break;
        }
        v[i] = (int64_t)x;
    }
    Py_DECREF(seq);
    if (i < nr) {
        free(v);
        return -1;
    }
    *out = v;
    *n = nr;
    return 0;
}
%}

/* Batch columns: a sequence of int64 coefficients, copied by the C setter. */
%typemap(in) (const long long *values, size_t n) (int64_t *tmp = NULL) {
    size_t nr;
    if (billpy_int_column($input, INT64_MIN, INT64_MAX, &tmp, &nr) < 0)
        SWIG_fail;
    $1 = ($1_ltype)tmp;
    $2 = nr;
}
%typemap(freearg) (const long long *values, size_t n) {
    free(tmp$argnum);
}
/* Household sizes: a sequence of int32 values. */
%typemap(in) (const int32_t *persons, size_t n) (int32_t *tmp = NULL) {
    int64_t *wide = NULL;
    size_t i, nr;
    if (billpy_int_column($input, INT32_MIN, INT32_MAX, &wide, &nr) < 0)
        SWIG_fail;
    tmp = (int32_t *)billpy_array(nr, sizeof *tmp);
    if (!tmp) {
        free(wide);
        SWIG_fail;
    }
    for (i = 0; i < nr; i++)
        tmp[i] = (int32_t)wide[i];
    free(wide);
    $1 = tmp;
    $2 = nr;
}
%typemap(freearg) (const int32_t *persons, size_t n) {
    free(tmp$argnum);
}
