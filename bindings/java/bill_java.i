/*
 * bindings/java/bill_java.i: how libbill values cross into Java (the raw
 * classes org.libbill.jni.bill, billJNI, bill_calendar, bill_currency ...).
 * Included by bindings/bill.i inside `#if defined(SWIGJAVA)`. The idiomatic
 * API is org.libbill.* (bindings/java/src), built on these.
 *
 *   amounts in      java.math.BigDecimal, as its toString() text, parsed by bill_dec_parse
 *   amounts out     BigDecimal[] holders, filled from bill_dec_to_sci_str text
 *                   (new BigDecimal(text) keeps the scale, negative ones too)
 *   money           String[] {amount, currency} both ways
 *   dates           java.time.LocalDate as ISO text both ways (bill_date_parse, bill_date_format)
 *   date-times      java.time.LocalDateTime as ISO text both ways
 *   periods         LocalDate[] {start, end}
 *   strings         UTF-8 byte[] both ways (JNI's "modified UTF-8" is not UTF-8)
 *   statuses        BILL_OK -> nothing; negative -> org.libbill.BillException.fromNative,
 *                   which picks the family's subclass (billj_throw is the one place)
 *   outputs         one-element arrays ("holders"), the usual SWIG Java idiom
 *
 * Failures never return early from a JNI function, so every path reaches the
 * freearg typemaps: a typemap that fails leaves its exception pending, the
 * later typemaps do nothing while one is pending, %exception below skips the
 * C call, and the out/argout typemaps skip their work. (A C function that
 * fails the same way: its status is thrown, its outputs are not copied.)
 */

%begin %{
/* With %exception below, `result` is only read when the call ran; GCC cannot see that. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
%}

%include "enumtypeunsafe.swg"
%javaconst(1);

%exception %{
    if (!(*jenv)->ExceptionCheck(jenv)) {
        $action
    }
%}

/* No finalizers (deprecated for removal): handles are closed explicitly. */
%typemap(javafinalize) SWIGTYPE ""

%pragma(java) jniclasscode=%{
  static {
    System.loadLibrary("billjni");
  }
%}

%pragma(java) moduleimports=%{
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
%}

%pragma(java) modulecode=%{
  /* Helpers for the typemaps of bindings/java/bill_java.i. */

  static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** Checks that an output holder can take n values. */
  static <T> T[] checked(T[] holder, int n) {
    if (holder == null)
      throw new NullPointerException("output holder is null");
    if (holder.length < n)
      throw new IllegalArgumentException("output holder needs " + n + " element(s), has " + holder.length);
    return holder;
  }

  static int[] checked(int[] holder, int n) {
    if (holder == null)
      throw new NullPointerException("output holder is null");
    if (holder.length < n)
      throw new IllegalArgumentException("output holder needs " + n + " element(s), has " + holder.length);
    return holder;
  }

  static long[] checked(long[] holder, int n) {
    if (holder == null)
      throw new NullPointerException("output holder is null");
    if (holder.length < n)
      throw new IllegalArgumentException("output holder needs " + n + " element(s), has " + holder.length);
    return holder;
  }

  static String[] holder(Object[] holder, int n) {
    checked(holder, n);
    return new String[n];
  }

  static void fill(BigDecimal[] holder, String[] text) {
    for (int i = 0; i < text.length; i++)
      if (text[i] != null)
        holder[i] = new BigDecimal(text[i]);
  }

  static void fillDates(LocalDate[] holder, String[] text) {
    for (int i = 0; i < text.length; i++)
      if (text[i] != null)
        holder[i] = LocalDate.parse(text[i]);
  }

  static void fillDateTimes(LocalDateTime[] holder, String[] text) {
    for (int i = 0; i < text.length; i++)
      if (text[i] != null)
        holder[i] = LocalDateTime.parse(text[i]);
  }

  static String[] texts(BigDecimal[] values) {
    if (values == null)
      return null;
    String[] t = new String[values.length];
    for (int i = 0; i < values.length; i++)
      t[i] = values[i].toString();
    return t;
  }

  static String[] period(LocalDate[] p) {
    if (p == null)
      throw new NullPointerException("period is null");
    if (p.length != 2)
      throw new IllegalArgumentException("a period is {start, end}, got " + p.length + " date(s)");
    return new String[] {p[0].toString(), p[1].toString()};
  }
%}

%{
/* UTF-8 bytes of a C string as a new byte[] (NULL for NULL). */
static jbyteArray billj_bytes(JNIEnv *jenv, const char *s)
{
    jsize n;
    jbyteArray a;
    if (!s)
        return NULL;
    n = (jsize)strlen(s);
    a = (*jenv)->NewByteArray(jenv, n);
    if (a && n > 0)
        (*jenv)->SetByteArrayRegion(jenv, a, 0, n, (const jbyte *)s);
    return a;
}

/*
 * The one place a bill_status becomes a Java exception:
 * org.libbill.BillException.fromNative(code, name, family, message) builds
 * the family's subclass. `msg` overrides the message (errors the binding
 * itself detects); otherwise it is this thread's detail when it belongs to
 * this failure, else the fixed sentence.
 */
static void billj_throw(JNIEnv *jenv, int status, const char *msg)
{
    jclass cls;
    jmethodID mid;
    jstring name = NULL, family = NULL;
    jbyteArray text = NULL;
    jobject exc = NULL;

    if ((*jenv)->ExceptionCheck(jenv))
        return; /* the first failure wins */
    if (!msg) {
        const char *detail = bill_errmsg();
        msg = (bill_errcode() == status && detail[0]) ? detail : bill_strerror(status);
    }
    cls = (*jenv)->FindClass(jenv, "org/libbill/BillException");
    if (!cls)
        return; /* NoClassDefFoundError is pending */
    mid = (*jenv)->GetStaticMethodID(jenv, cls, "fromNative",
                                     "(ILjava/lang/String;Ljava/lang/String;[B)Lorg/libbill/BillException;");
    if (mid) {
        name = (*jenv)->NewStringUTF(jenv, bill_status_name(status));
        family = (*jenv)->NewStringUTF(jenv, bill_family_name(bill_status_family_of(status)));
        text = billj_bytes(jenv, msg);
        if (name && family && text)
            exc = (*jenv)->CallStaticObjectMethod(jenv, cls, mid, (jint)status, name, family, text);
    }
    if (exc && !(*jenv)->ExceptionCheck(jenv))
        (*jenv)->Throw(jenv, (jthrowable)exc);
    if (exc)
        (*jenv)->DeleteLocalRef(jenv, exc);
    if (text)
        (*jenv)->DeleteLocalRef(jenv, text);
    if (family)
        (*jenv)->DeleteLocalRef(jenv, family);
    if (name)
        (*jenv)->DeleteLocalRef(jenv, name);
    (*jenv)->DeleteLocalRef(jenv, cls);
}

/* The code of the failure a function reported only by returning NULL. */
static int billj_last_code(void)
{
    int code = bill_errcode();
    return code < 0 ? code : BILL_EINTERNAL;
}

static int billj_pending(JNIEnv *jenv)
{
    return (*jenv)->ExceptionCheck(jenv) ? 1 : 0;
}

static void billj_npe(JNIEnv *jenv, const char *what)
{
    SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, what);
}

/* NUL-terminated malloc'd copy of a UTF-8 byte[] (NULL for null). 0, or -1 with an exception. */
static int billj_cstr(JNIEnv *jenv, jbyteArray a, char **out)
{
    jsize n;
    char *s;
    *out = NULL;
    if (!a)
        return 0;
    n = (*jenv)->GetArrayLength(jenv, a);
    s = (char *)malloc((size_t)n + 1);
    if (!s) {
        SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "libbill: out of memory copying a string");
        return -1;
    }
    (*jenv)->GetByteArrayRegion(jenv, a, 0, n, (jbyte *)s);
    s[n] = '\0';
    *out = s;
    return 0;
}

/* Run a C parser over the text of a Java string (ASCII: decimal or ISO text). */
static const char *billj_chars(JNIEnv *jenv, jstring s, const char *what)
{
    if (!s) {
        billj_npe(jenv, what);
        return NULL;
    }
    return (*jenv)->GetStringUTFChars(jenv, s, NULL);
}

static int billj_to_dec(JNIEnv *jenv, bill_dec *d, jstring s)
{
    int rc;
    const char *c = billj_chars(jenv, s, "amount is null");
    if (!c)
        return -1;
    rc = bill_dec_parse(d, c, (size_t)-1);
    (*jenv)->ReleaseStringUTFChars(jenv, s, c);
    if (rc != BILL_OK) {
        billj_throw(jenv, rc, NULL);
        return -1;
    }
    return 0;
}

static int billj_set_text(JNIEnv *jenv, jobjectArray arr, jsize i, const char *text)
{
    jstring s = (*jenv)->NewStringUTF(jenv, text);
    if (!s)
        return -1;
    (*jenv)->SetObjectArrayElement(jenv, arr, i, s);
    (*jenv)->DeleteLocalRef(jenv, s);
    return billj_pending(jenv) ? -1 : 0;
}

/* arr[i] = the scientific text of *d (new BigDecimal(text) gives back value and scale). */
static int billj_set_dec(JNIEnv *jenv, jobjectArray arr, jsize i, const bill_dec *d)
{
    int rc;
    char *s = bill_dec_to_sci_str(d);
    if (!s) {
        billj_throw(jenv, billj_last_code(), NULL);
        return -1;
    }
    rc = billj_set_text(jenv, arr, i, s);
    bill_free(s);
    return rc;
}

/* {amount, currency} -> bill_money, checked by bill_money_parse. */
static int billj_to_money(JNIEnv *jenv, bill_money *m, jobjectArray pair)
{
    jstring amount, code;
    const char *a, *c;
    int rc;
    if (!pair) {
        billj_npe(jenv, "money is null");
        return -1;
    }
    if ((*jenv)->GetArrayLength(jenv, pair) != 2) {
        SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException,
                                "money is {amount, currency}");
        return -1;
    }
    amount = (jstring)(*jenv)->GetObjectArrayElement(jenv, pair, 0);
    code = (jstring)(*jenv)->GetObjectArrayElement(jenv, pair, 1);
    a = billj_chars(jenv, amount, "money amount is null");
    c = a ? billj_chars(jenv, code, "money currency is null") : NULL;
    rc = (a && c) ? bill_money_parse(m, a, c) : BILL_OK;
    if (c)
        (*jenv)->ReleaseStringUTFChars(jenv, code, c);
    if (a)
        (*jenv)->ReleaseStringUTFChars(jenv, amount, a);
    if (code)
        (*jenv)->DeleteLocalRef(jenv, code);
    if (amount)
        (*jenv)->DeleteLocalRef(jenv, amount);
    if (billj_pending(jenv))
        return -1;
    if (rc != BILL_OK) {
        billj_throw(jenv, rc, NULL);
        return -1;
    }
    return 0;
}

/* arr[0] = amount text, arr[1] = currency code. */
static int billj_set_money(JNIEnv *jenv, jobjectArray arr, const bill_money *m)
{
    if (billj_set_dec(jenv, arr, 0, &m->amount) < 0)
        return -1;
    return billj_set_text(jenv, arr, 1, m->currency);
}

/* A new String[] {amount, currency}. */
static jobjectArray billj_money_pair(JNIEnv *jenv, const bill_money *m)
{
    jclass string = (*jenv)->FindClass(jenv, "java/lang/String");
    jobjectArray pair;
    if (!string)
        return NULL;
    pair = (*jenv)->NewObjectArray(jenv, 2, string, NULL);
    (*jenv)->DeleteLocalRef(jenv, string);
    if (!pair)
        return NULL;
    if (billj_set_money(jenv, pair, m) < 0) {
        (*jenv)->DeleteLocalRef(jenv, pair);
        return NULL;
    }
    return pair;
}

static int billj_to_date(JNIEnv *jenv, bill_date *d, jstring s)
{
    int rc;
    const char *c = billj_chars(jenv, s, "date is null");
    if (!c)
        return -1;
    rc = bill_date_parse(d, c, (size_t)-1);
    (*jenv)->ReleaseStringUTFChars(jenv, s, c);
    if (rc != BILL_OK) {
        billj_throw(jenv, rc, NULL);
        return -1;
    }
    return 0;
}

static jstring billj_date_text(JNIEnv *jenv, bill_date d)
{
    char buf[32];
    bill_date_format(d, buf, sizeof buf);
    return (*jenv)->NewStringUTF(jenv, buf);
}

static int billj_set_date(JNIEnv *jenv, jobjectArray arr, jsize i, bill_date d)
{
    char buf[32];
    bill_date_format(d, buf, sizeof buf);
    return billj_set_text(jenv, arr, i, buf);
}

static int billj_to_datetime(JNIEnv *jenv, bill_datetime *t, jstring s)
{
    int rc;
    const char *c = billj_chars(jenv, s, "date-time is null");
    if (!c)
        return -1;
    rc = bill_datetime_parse(t, c, (size_t)-1);
    (*jenv)->ReleaseStringUTFChars(jenv, s, c);
    if (rc != BILL_OK) {
        billj_throw(jenv, rc, NULL);
        return -1;
    }
    return 0;
}

/* {start, end} as ISO texts -> bill_period, as given (the C functions check it). */
static int billj_to_period(JNIEnv *jenv, bill_period *p, jobjectArray pair)
{
    jstring a, b;
    int rc;
    if (!pair) {
        billj_npe(jenv, "period is null");
        return -1;
    }
    a = (jstring)(*jenv)->GetObjectArrayElement(jenv, pair, 0);
    if (!a && billj_pending(jenv))
        return -1;
    rc = billj_to_date(jenv, &p->start, a);
    if (a)
        (*jenv)->DeleteLocalRef(jenv, a);
    if (rc < 0)
        return -1;
    b = (jstring)(*jenv)->GetObjectArrayElement(jenv, pair, 1);
    if (!b && billj_pending(jenv))
        return -1;
    rc = billj_to_date(jenv, &p->end, b);
    if (b)
        (*jenv)->DeleteLocalRef(jenv, b);
    return rc;
}

/* Fresh array of n (>= 1 slot) values of `size` bytes, or NULL with OutOfMemoryError. */
static void *billj_array(JNIEnv *jenv, size_t n, size_t size)
{
    void *p = (n <= SIZE_MAX / size) ? calloc(n ? n : 1, size) : NULL;
    if (!p)
        SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "libbill: out of memory");
    return p;
}

/* Store a C pointer in a long[] holder. */
static void billj_set_ptr(JNIEnv *jenv, jlongArray holder, const void *ptr)
{
    jlong v = 0;
    *(const void **)&v = ptr;
    (*jenv)->SetLongArrayRegion(jenv, holder, 0, 1, &v);
}
%}

/* ---- statuses, plain values and library strings ------------------------------------ */

%typemap(jstype) int BILL_STATUS "void"
%typemap(javaout) int BILL_STATUS {
    $jnicall;
  }
%typemap(out) int BILL_STATUS %{
    if (!billj_pending(jenv)) {
        if ($1 < 0)
            billj_throw(jenv, (int)$1, NULL);
        $result = (jint)$1;
    }
%}

%typemap(out) int BILL_COUNT %{
    if (!billj_pending(jenv)) {
        if ($1 < 0)
            billj_throw(jenv, (int)$1, NULL);
        $result = (jint)$1;
    }
%}

/* Plain values: as SWIG's default, but no result is read when the call was skipped. */
%typemap(out) int BILL_PLAIN %{
    if (!billj_pending(jenv))
        $result = (jint)$1;
%}
%typemap(out) unsigned int %{
    if (!billj_pending(jenv))
        $result = (jlong)$1;
%}
%typemap(out) long long %{
    if (!billj_pending(jenv))
        $result = (jlong)$1;
%}

/* Plain output parameters: int[] / long[] holders (checked in Java). */
%typemap(jni) int *BILL_OUT "jintArray"
%typemap(jtype) int *BILL_OUT "int[]"
%typemap(jstype) int *BILL_OUT "int[]"
%typemap(javain) int *BILL_OUT "bill.checked($javainput, 1)"
%typemap(in) int *BILL_OUT ($*1_ltype temp = 0) %{
    $1 = &temp;
%}
%typemap(argout) int *BILL_OUT %{
    if (!billj_pending(jenv)) {
        jint v = (jint)temp$argnum;
        (*jenv)->SetIntArrayRegion(jenv, $input, 0, 1, &v);
    }
%}
%typemap(jni) long long *BILL_OUT "jlongArray"
%typemap(jtype) long long *BILL_OUT "long[]"
%typemap(jstype) long long *BILL_OUT "long[]"
%typemap(javain) long long *BILL_OUT "bill.checked($javainput, 1)"
%typemap(in) long long *BILL_OUT ($*1_ltype temp = 0) %{
    $1 = &temp;
%}
%typemap(argout) long long *BILL_OUT %{
    if (!billj_pending(jenv)) {
        jlong v = (jlong)temp$argnum;
        (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &v);
    }
%}

/* Strings: UTF-8 bytes both ways. */
%typemap(jni) const char *, char *BILL_NEWSTR "jbyteArray"
%typemap(jtype) const char *, char *BILL_NEWSTR "byte[]"
%typemap(jstype) const char *, char *BILL_NEWSTR "String"
%typemap(javain) const char * "bill.utf8($javainput)"
%typemap(javaout) const char *, char *BILL_NEWSTR {
    return bill.string($jnicall);
  }
%typemap(in) const char * %{
    if (!billj_pending(jenv))
        billj_cstr(jenv, $input, (char **)&$1);
%}
%typemap(freearg) const char * "free((char *)$1);"
%typemap(out) const char * %{
    if (!billj_pending(jenv))
        $result = billj_bytes(jenv, $1);
%}
%typemap(out) char *BILL_NEWSTR %{
    if (!billj_pending(jenv)) {
        if (!$1)
            billj_throw(jenv, billj_last_code(), NULL);
        else
            $result = billj_bytes(jenv, $1);
    }
%}
%typemap(newfree) char *BILL_NEWSTR "bill_free($1);"

/* A whole string with its length (a parser's input; null is refused in Java). */
%typemap(jni) (const char *text, size_t len) "jbyteArray"
%typemap(jtype) (const char *text, size_t len) "byte[]"
%typemap(jstype) (const char *text, size_t len) "String"
%typemap(javain) (const char *text, size_t len) "$javainput.getBytes(java.nio.charset.StandardCharsets.UTF_8)"
%typemap(in) (const char *text, size_t len) (jbyte *bytes = NULL, jbyteArray array = NULL) %{
    if (!billj_pending(jenv)) {
        jsize n = (*jenv)->GetArrayLength(jenv, $input);
        $1 = ($1_ltype)"";
        if (n > 0) {
            bytes = (*jenv)->GetByteArrayElements(jenv, $input, NULL);
            if (bytes) {
                array = $input;
                $1 = ($1_ltype)bytes;
            }
        }
        $2 = (size_t)n;
    }
%}
%typemap(freearg) (const char *text, size_t len) %{
    if (bytes$argnum)
        (*jenv)->ReleaseByteArrayElements(jenv, array$argnum, bytes$argnum, JNI_ABORT);
%}

/* ---- decimals ------------------------------------------------------------------------ */

%typemap(jni) const bill_dec * "jstring"
%typemap(jtype) const bill_dec * "String"
%typemap(jstype) const bill_dec * "java.math.BigDecimal"
%typemap(javain) const bill_dec * "$javainput.toString()"
%typemap(in) const bill_dec * (bill_dec temp = BILL_DEC_INIT) %{
    if (!billj_pending(jenv))
        billj_to_dec(jenv, &temp, $input);
    $1 = &temp;
%}
%typemap(freearg) const bill_dec * "bill_dec_clear(&temp$argnum);"

%typemap(jni) bill_dec *r, bill_dec *out "jobjectArray"
%typemap(jtype) bill_dec *r, bill_dec *out "String[]"
%typemap(jstype) bill_dec *r, bill_dec *out "java.math.BigDecimal[]"
%typemap(javain, pre="    String[] text$javainput = bill.holder($javainput, 1);",
         post="      bill.fill($javainput, text$javainput);") bill_dec *r, bill_dec *out "text$javainput"
%typemap(in) bill_dec *r (bill_dec temp = BILL_DEC_INIT), bill_dec *out (bill_dec temp = BILL_DEC_INIT) %{
    $1 = &temp;
%}
%typemap(argout) bill_dec *r, bill_dec *out %{
    if (!billj_pending(jenv))
        billj_set_dec(jenv, $input, 0, $1);
%}
%typemap(freearg) bill_dec *r, bill_dec *out "bill_dec_clear(&temp$argnum);"

/*
 * Allocation: the holder's length is the number of parts; it is filled with
 * the parts. The C array is made in the check phase, once the ratios have
 * been counted and parsed.
 */
%typemap(jni) (bill_dec *parts, size_t n) "jobjectArray"
%typemap(jtype) (bill_dec *parts, size_t n) "String[]"
%typemap(jstype) (bill_dec *parts, size_t n) "java.math.BigDecimal[]"
%typemap(javain, pre="    String[] text$javainput = new String[$javainput.length];",
         post="      bill.fill($javainput, text$javainput);") (bill_dec *parts, size_t n) "text$javainput"
%typemap(in) (bill_dec *parts, size_t n) (bill_dec *tmp = NULL, size_t count = 0) %{
    if (!billj_pending(jenv))
        count = (size_t)(*jenv)->GetArrayLength(jenv, $input);
    $2 = count;
%}
%typemap(check) (bill_dec *parts, size_t n) %{
    if (!billj_pending(jenv)) {
        tmp$argnum = (bill_dec *)billj_array(jenv, count$argnum, sizeof(bill_dec));
        if (tmp$argnum) {
            size_t i;
            for (i = 0; i < count$argnum; i++)
                bill_dec_init(&tmp$argnum[i]);
        }
        $1 = tmp$argnum;
    }
%}
%typemap(argout) (bill_dec *parts, size_t n) %{
    {
        size_t i;
        for (i = 0; i < $2 && !billj_pending(jenv); i++)
            billj_set_dec(jenv, $input, (jsize)i, &$1[i]);
    }
%}
%typemap(freearg) (bill_dec *parts, size_t n) %{
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_dec_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
%}

/* Ratios: null (equal parts) or one amount per part. */
%typemap(jni) const bill_dec *ratios "jobjectArray"
%typemap(jtype) const bill_dec *ratios "String[]"
%typemap(jstype) const bill_dec *ratios "java.math.BigDecimal[]"
%typemap(javain) const bill_dec *ratios "bill.texts($javainput)"
%typemap(in) const bill_dec *ratios (bill_dec *tmp = NULL, size_t count = 0) %{
    $1 = NULL;
    if (!billj_pending(jenv) && $input) {
        size_t i, nr = (size_t)(*jenv)->GetArrayLength(jenv, $input);
        /* n is the previous argument of every allocation function */
        if (nr != arg2) {
            char msg[128];
            snprintf(msg, sizeof msg, "allocate: %zu ratios given for %zu parts", nr, (size_t)arg2);
            billj_throw(jenv, BILL_EINVAL, msg);
        } else if ((tmp = (bill_dec *)billj_array(jenv, nr, sizeof(bill_dec))) != NULL) {
            count = nr;
            for (i = 0; i < nr; i++)
                bill_dec_init(&tmp[i]);
            for (i = 0; i < nr && !billj_pending(jenv); i++) {
                jstring s = (jstring)(*jenv)->GetObjectArrayElement(jenv, $input, (jsize)i);
                if (!billj_pending(jenv))
                    billj_to_dec(jenv, &tmp[i], s);
                if (s)
                    (*jenv)->DeleteLocalRef(jenv, s);
            }
            $1 = tmp;
        }
    }
%}
%typemap(freearg) const bill_dec *ratios %{
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_dec_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
%}

/* Interval data: an array of amounts, copied by the C setter. */
%typemap(jni) (const bill_dec *kwh, size_t n) "jobjectArray"
%typemap(jtype) (const bill_dec *kwh, size_t n) "String[]"
%typemap(jstype) (const bill_dec *kwh, size_t n) "java.math.BigDecimal[]"
%typemap(javain) (const bill_dec *kwh, size_t n) "bill.texts($javainput)"
%typemap(in) (const bill_dec *kwh, size_t n) (bill_dec *tmp = NULL, size_t count = 0) %{
    $1 = NULL;
    $2 = 0;
    if (!billj_pending(jenv) && $input) {
        size_t i, nr = (size_t)(*jenv)->GetArrayLength(jenv, $input);
        if ((tmp = (bill_dec *)billj_array(jenv, nr, sizeof(bill_dec))) != NULL) {
            count = nr;
            for (i = 0; i < nr; i++)
                bill_dec_init(&tmp[i]);
            for (i = 0; i < nr && !billj_pending(jenv); i++) {
                jstring s = (jstring)(*jenv)->GetObjectArrayElement(jenv, $input, (jsize)i);
                if (!billj_pending(jenv))
                    billj_to_dec(jenv, &tmp[i], s);
                if (s)
                    (*jenv)->DeleteLocalRef(jenv, s);
            }
            $1 = tmp;
            $2 = nr;
        }
    }
%}
%typemap(freearg) (const bill_dec *kwh, size_t n) %{
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_dec_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
%}

/* ---- money ----------------------------------------------------------------------------- */

%typemap(jni) const bill_money * "jobjectArray"
%typemap(jtype) const bill_money * "String[]"
%typemap(jstype) const bill_money * "String[]"
%typemap(javain) const bill_money * "$javainput"
%typemap(in) const bill_money * (bill_money temp = BILL_MONEY_INIT) %{
    if (!billj_pending(jenv))
        billj_to_money(jenv, &temp, $input);
    $1 = &temp;
%}
%typemap(freearg) const bill_money * "bill_money_clear(&temp$argnum);"
/* SWIG looks each typemap method up separately and strips const when none
   matches: without these, `const bill_money *m` (bill_money_to_str) would get
   the argout of the output `bill_money *m`. */
%typemap(argout) const bill_money * ""
%typemap(argout) const bill_dec * ""


%typemap(jni) bill_money *r, bill_money *m "jobjectArray"
%typemap(jtype) bill_money *r, bill_money *m "String[]"
%typemap(jstype) bill_money *r, bill_money *m "String[]"
%typemap(javain) bill_money *r, bill_money *m "bill.checked($javainput, 2)"
%typemap(in) bill_money *r (bill_money temp = BILL_MONEY_INIT), bill_money *m (bill_money temp = BILL_MONEY_INIT) %{
    $1 = &temp;
%}
%typemap(argout) bill_money *r, bill_money *m %{
    if (!billj_pending(jenv))
        billj_set_money(jenv, $input, $1);
%}
%typemap(freearg) bill_money *r, bill_money *m "bill_money_clear(&temp$argnum);"

%typemap(jni) (bill_money *parts, size_t n) "jobjectArray"
%typemap(jtype) (bill_money *parts, size_t n) "String[][]"
%typemap(jstype) (bill_money *parts, size_t n) "String[][]"
%typemap(javain) (bill_money *parts, size_t n) "java.util.Objects.requireNonNull($javainput, \"parts\")"
%typemap(in) (bill_money *parts, size_t n) (bill_money *tmp = NULL, size_t count = 0) %{
    if (!billj_pending(jenv))
        count = (size_t)(*jenv)->GetArrayLength(jenv, $input);
    $2 = count;
%}
%typemap(check) (bill_money *parts, size_t n) %{
    if (!billj_pending(jenv)) {
        tmp$argnum = (bill_money *)billj_array(jenv, count$argnum, sizeof(bill_money));
        if (tmp$argnum) {
            size_t i;
            for (i = 0; i < count$argnum; i++)
                bill_money_init(&tmp$argnum[i]);
        }
        $1 = tmp$argnum;
    }
%}
%typemap(argout) (bill_money *parts, size_t n) %{
    {
        size_t i;
        for (i = 0; i < $2 && !billj_pending(jenv); i++) {
            jobjectArray pair = billj_money_pair(jenv, &$1[i]);
            if (!pair)
                break;
            (*jenv)->SetObjectArrayElement(jenv, $input, (jsize)i, pair);
            (*jenv)->DeleteLocalRef(jenv, pair);
        }
    }
%}
%typemap(freearg) (bill_money *parts, size_t n) %{
    if (tmp$argnum) {
        size_t i;
        for (i = 0; i < count$argnum; i++)
            bill_money_clear(&tmp$argnum[i]);
        free(tmp$argnum);
    }
%}

/* A pointer into the static currency table: a proxy that does not own it. */
%typemap(jni) const bill_currency **out "jlongArray"
%typemap(jtype) const bill_currency **out "long[]"
%typemap(jstype) const bill_currency **out "bill_currency[]"
%typemap(javain, pre="    bill.checked($javainput, 1);\n    long[] ptr$javainput = new long[1];",
         post="      if (ptr$javainput[0] != 0) $javainput[0] = new bill_currency(ptr$javainput[0], false);") const bill_currency **out "ptr$javainput"
%typemap(in) const bill_currency **out (const bill_currency *temp = NULL) %{
    $1 = ($1_ltype)&temp;
%}
%typemap(argout) const bill_currency **out %{
    if (!billj_pending(jenv))
        billj_set_ptr(jenv, $input, temp$argnum);
%}

/* ---- dates, date-times, periods (ISO text) -------------------------------------------- */

%typemap(jni) bill_date "jstring"
%typemap(jtype) bill_date "String"
%typemap(jstype) bill_date "java.time.LocalDate"
%typemap(javain) bill_date "$javainput.toString()"
%typemap(javaout) bill_date {
    return java.time.LocalDate.parse($jnicall);
  }
%typemap(in) bill_date %{
    $1.day = 0;
    if (!billj_pending(jenv))
        billj_to_date(jenv, &$1, $input);
%}
%typemap(out) bill_date %{
    if (!billj_pending(jenv))
        $result = billj_date_text(jenv, $1);
%}

%typemap(jni) bill_date *out "jobjectArray"
%typemap(jtype) bill_date *out "String[]"
%typemap(jstype) bill_date *out "java.time.LocalDate[]"
%typemap(javain, pre="    String[] text$javainput = bill.holder($javainput, 1);",
         post="      bill.fillDates($javainput, text$javainput);") bill_date *out "text$javainput"
%typemap(in) bill_date *out (bill_date temp) %{
    temp.day = 0;
    $1 = &temp;
%}
%typemap(argout) bill_date *out %{
    if (!billj_pending(jenv))
        billj_set_date(jenv, $input, 0, *$1);
%}

%typemap(jni) bill_datetime "jstring"
%typemap(jtype) bill_datetime "String"
%typemap(jstype) bill_datetime "java.time.LocalDateTime"
%typemap(javain) bill_datetime "$javainput.toString()"
%typemap(in) bill_datetime %{
    $1.minute = 0;
    if (!billj_pending(jenv))
        billj_to_datetime(jenv, &$1, $input);
%}

%typemap(jni) bill_datetime *out "jobjectArray"
%typemap(jtype) bill_datetime *out "String[]"
%typemap(jstype) bill_datetime *out "java.time.LocalDateTime[]"
%typemap(javain, pre="    String[] text$javainput = bill.holder($javainput, 1);",
         post="      bill.fillDateTimes($javainput, text$javainput);") bill_datetime *out "text$javainput"
%typemap(in) bill_datetime *out (bill_datetime temp) %{
    temp.minute = 0;
    $1 = &temp;
%}
%typemap(argout) bill_datetime *out %{
    if (!billj_pending(jenv)) {
        char buf[32];
        bill_datetime_format(*$1, buf, sizeof buf);
        billj_set_text(jenv, $input, 0, buf);
    }
%}

%typemap(jni) bill_period "jobjectArray"
%typemap(jtype) bill_period "String[]"
%typemap(jstype) bill_period "java.time.LocalDate[]"
%typemap(javain) bill_period "bill.period($javainput)"
%typemap(in) bill_period %{
    $1.start.day = 0;
    $1.end.day = 0;
    if (!billj_pending(jenv))
        billj_to_period(jenv, &$1, $input);
%}

%typemap(jni) bill_period *out "jobjectArray"
%typemap(jtype) bill_period *out "String[]"
%typemap(jstype) bill_period *out "java.time.LocalDate[]"
%typemap(javain, pre="    String[] text$javainput = bill.holder($javainput, 2);",
         post="      bill.fillDates($javainput, text$javainput);") bill_period *out "text$javainput"
%typemap(in) bill_period *out (bill_period temp) %{
    temp.start.day = 0;
    temp.end.day = 0;
    $1 = &temp;
%}
%typemap(argout) bill_period *out %{
    if (!billj_pending(jenv) && billj_set_date(jenv, $input, 0, $1->start) == 0)
        billj_set_date(jenv, $input, 1, $1->end);
%}

/* ---- the calendar handle ----------------------------------------------------------------- */

/* bill_calendar_create: a proxy that owns the handle (freed by delete()/close()). */
%typemap(jni) bill_calendar **out "jlongArray"
%typemap(jtype) bill_calendar **out "long[]"
%typemap(jstype) bill_calendar **out "bill_calendar[]"
%typemap(javain, pre="    bill.checked($javainput, 1);\n    long[] ptr$javainput = new long[1];",
         post="      if (ptr$javainput[0] != 0) $javainput[0] = new bill_calendar(ptr$javainput[0], true);") bill_calendar **out "ptr$javainput"
%typemap(in) bill_calendar **out (bill_calendar *temp = NULL) %{
    $1 = &temp;
%}
%typemap(argout) bill_calendar **out %{
    if (!billj_pending(jenv))
        billj_set_ptr(jenv, $input, temp$argnum);
%}

/* Methods on a deleted (closed) proxy throw StateException (ESTATE). (self is `struct x *`.) */
%typemap(in) struct bill_calendar *self %{
    $1 = *(struct bill_calendar **)&$input;
    if (!$1)
        billj_throw(jenv, BILL_ESTATE, "calendar: the calendar is closed");
%}

/* The raw proxy is AutoCloseable too (the typemap must name `struct x`). */
%typemap(javainterfaces) struct bill_calendar "AutoCloseable"
%typemap(javacode) struct bill_calendar %{
  /** Frees the handle, as delete() does; later calls throw org.libbill.StateException. */
  @Override
  public void close() {
    delete();
  }
%}

/* ---- the power-factor table handle -------------------------------------------------------- */

/* bill_pf_table_create_standard, bill_pf_table_load: a proxy that owns the handle. */
%typemap(jni) bill_pf_table **out "jlongArray"
%typemap(jtype) bill_pf_table **out "long[]"
%typemap(jstype) bill_pf_table **out "bill_pf_table[]"
%typemap(javain, pre="    bill.checked($javainput, 1);\n    long[] ptr$javainput = new long[1];",
         post="      if (ptr$javainput[0] != 0) $javainput[0] = new bill_pf_table(ptr$javainput[0], true);") bill_pf_table **out "ptr$javainput"
%typemap(in) bill_pf_table **out (bill_pf_table *temp = NULL) %{
    $1 = &temp;
%}
%typemap(argout) bill_pf_table **out %{
    if (!billj_pending(jenv))
        billj_set_ptr(jenv, $input, temp$argnum);
%}

/* The table read by bill_pf_table_standard/percent: a deleted (closed) proxy throws StateException. */
%typemap(in) const bill_pf_table *t %{
    $1 = *($1_ltype *)&$input;
    if (!$1)
        billj_throw(jenv, BILL_ESTATE, "power factor table: the table is closed");
%}

/* The raw proxy is AutoCloseable too (the typemap must name `struct x`). */
%typemap(javainterfaces) struct bill_pf_table "AutoCloseable"
%typemap(javacode) struct bill_pf_table %{
  /** Frees the handle, as delete() does; later calls throw org.libbill.StateException. */
  @Override
  public void close() {
    delete();
  }
%}

/* ---- tariffs, usages and bills ------------------------------------------------------------ */

%{
/* arr[i] = new String(UTF-8 bytes of s, UTF_8): library text that may be any UTF-8. */
static int billj_set_utf8(JNIEnv *jenv, jobjectArray arr, jsize i, const char *s)
{
    jclass cls;
    jmethodID mid;
    jbyteArray bytes;
    jstring charset, str = NULL;
    if (billj_pending(jenv))
        return -1;
    cls = (*jenv)->FindClass(jenv, "java/lang/String");
    if (!cls)
        return -1;
    mid = (*jenv)->GetMethodID(jenv, cls, "<init>", "([BLjava/lang/String;)V");
    bytes = billj_bytes(jenv, s ? s : "");
    charset = (*jenv)->NewStringUTF(jenv, "UTF-8");
    if (mid && bytes && charset)
        str = (jstring)(*jenv)->NewObject(jenv, cls, mid, bytes, charset);
    if (str && !billj_pending(jenv))
        (*jenv)->SetObjectArrayElement(jenv, arr, i, str);
    if (str)
        (*jenv)->DeleteLocalRef(jenv, str);
    if (charset)
        (*jenv)->DeleteLocalRef(jenv, charset);
    if (bytes)
        (*jenv)->DeleteLocalRef(jenv, bytes);
    (*jenv)->DeleteLocalRef(jenv, cls);
    return billj_pending(jenv) ? -1 : 0;
}
%}

/*
 * BILLJ_HANDLE_OUT(TYPE): bill_tariff_load / bill_usage_create /
 * bill_bill_create make a proxy that owns the handle (`TYPE **out`, freed by
 * delete()/close()). BILLJ_HANDLE_USE(DECL, WHAT): the handle read or
 * written by the other functions (`const TYPE *t|u|b`, `TYPE *u|b`) throws
 * StateException (ESTATE) when the proxy was deleted (closed).
 */
%define BILLJ_HANDLE_OUT(TYPE)
%typemap(jni) TYPE **out "jlongArray"
%typemap(jtype) TYPE **out "long[]"
%typemap(jstype) TYPE **out "TYPE[]"
%typemap(javain, pre="    bill.checked($javainput, 1);\n    long[] ptr$javainput = new long[1];",
         post="      if (ptr$javainput[0] != 0) $javainput[0] = new TYPE(ptr$javainput[0], true);") TYPE **out "ptr$javainput"
%typemap(in) TYPE **out (TYPE *temp = NULL) %{
    $1 = &temp;
%}
%typemap(argout) TYPE **out %{
    if (!billj_pending(jenv))
        billj_set_ptr(jenv, $input, temp$argnum);
%}
/* The raw proxy is AutoCloseable too (the typemap must name `struct x`). */
%typemap(javainterfaces) struct TYPE "AutoCloseable"
%typemap(javacode) struct TYPE %{
  /** Frees the handle, as delete() does; later calls throw org.libbill.StateException. */
  @Override
  public void close() {
    delete();
  }
%}
%enddef

%define BILLJ_HANDLE_USE(DECL, WHAT)
%typemap(in) DECL %{
    $1 = *($1_ltype *)&$input;
    if (!$1)
        billj_throw(jenv, BILL_ESTATE, WHAT);
%}
%enddef

BILLJ_HANDLE_OUT(bill_tariff)
BILLJ_HANDLE_OUT(bill_usage)
BILLJ_HANDLE_OUT(bill_bill)
/* (const and non-const spelled out: SWIG would otherwise strip the const.) */
BILLJ_HANDLE_USE(const bill_tariff *t, "tariff: the tariff is closed")
BILLJ_HANDLE_USE(const bill_usage *u, "usage: the usage is closed")
BILLJ_HANDLE_USE(bill_usage *u, "usage: the usage is closed")
BILLJ_HANDLE_USE(const bill_bill *b, "bill: the bill is closed")
BILLJ_HANDLE_USE(bill_bill *b, "bill: the bill is closed")

/* The store and registry handles (include/bill/store.h, registry.h). */
BILLJ_HANDLE_OUT(bill_store)
BILLJ_HANDLE_OUT(bill_account)
BILLJ_HANDLE_OUT(bill_meter)
BILLJ_HANDLE_OUT(bill_link_list)
BILLJ_HANDLE_USE(bill_store *s, "store: the store is closed")
BILLJ_HANDLE_USE(const bill_store *s, "store: the store is closed")
BILLJ_HANDLE_USE(bill_account *a, "account: the record is closed")
BILLJ_HANDLE_USE(const bill_account *a, "account: the record is closed")
BILLJ_HANDLE_USE(bill_meter *m, "meter: the record is closed")
BILLJ_HANDLE_USE(const bill_meter *m, "meter: the record is closed")
BILLJ_HANDLE_USE(const bill_link_list *l, "link list: the list is closed")

/* bill_tariff_tou_period: a name inside the tariff, into a String[] holder. */
%typemap(jni) const char **out "jobjectArray"
%typemap(jtype) const char **out "String[]"
%typemap(jstype) const char **out "String[]"
%typemap(javain) const char **out "bill.checked($javainput, 1)"
%typemap(in) const char **out (const char *temp = NULL) %{
    $1 = ($1_ltype)&temp;
%}
%typemap(argout) const char **out %{
    if (!billj_pending(jenv))
        billj_set_utf8(jenv, $input, 0, temp$argnum);
%}

/*
 * bill_bill_line: the view, copied at once into a String[10] holder
 * {kind, charge, component, band, unit, quantity, unit_price, amount, from, to}
 * (kind as decimal digits, amounts as scientific text, dates as ISO text).
 */
%typemap(jni) bill_line_view *out "jobjectArray"
%typemap(jtype) bill_line_view *out "String[]"
%typemap(jstype) bill_line_view *out "String[]"
%typemap(javain) bill_line_view *out "bill.checked($javainput, 10)"
%typemap(in) bill_line_view *out (bill_line_view temp) %{
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
%}
%typemap(argout) bill_line_view *out %{
    if (!billj_pending(jenv)) {
        char kind[16];
        snprintf(kind, sizeof kind, "%d", $1->kind);
        if (billj_set_text(jenv, $input, 0, kind) == 0 &&
            billj_set_utf8(jenv, $input, 1, $1->charge) == 0 &&
            billj_set_utf8(jenv, $input, 2, $1->component) == 0 &&
            billj_set_utf8(jenv, $input, 3, $1->band) == 0 &&
            billj_set_utf8(jenv, $input, 4, $1->unit) == 0 &&
            billj_set_dec(jenv, $input, 5, $1->quantity) == 0 &&
            billj_set_dec(jenv, $input, 6, $1->unit_price) == 0 &&
            billj_set_dec(jenv, $input, 7, $1->amount) == 0 &&
            billj_set_date(jenv, $input, 8, $1->segment.start) == 0)
            billj_set_date(jenv, $input, 9, $1->segment.end);
    }
%}

/* ---- what-if ------------------------------------------------------------------------------ */

BILLJ_HANDLE_OUT(bill_whatif)
BILLJ_HANDLE_USE(bill_whatif *w, "whatif: the comparison is closed")
BILLJ_HANDLE_USE(const bill_whatif *w, "whatif: the comparison is closed")

/*
 * bill_whatif_run, bill_whatif_best_declared_kw: an array of usage proxies,
 * crossing as their C pointers (a closed usage, pointer 0, throws
 * StateException). The caller keeps the proxies reachable during the call
 * (org.libbill.WhatIf does).
 */
%typemap(jni) (const bill_usage *const *usages, size_t n) "jlongArray"
%typemap(jtype) (const bill_usage *const *usages, size_t n) "long[]"
%typemap(jstype) (const bill_usage *const *usages, size_t n) "bill_usage[]"
%typemap(javain) (const bill_usage *const *usages, size_t n) "java.util.Arrays.stream(java.util.Objects.requireNonNull($javainput, \"usages\")).mapToLong(bill_usage::getCPtr).toArray()"
%typemap(in) (const bill_usage *const *usages, size_t n) (const bill_usage **tmp = NULL) %{
    $1 = NULL;
    $2 = 0;
    if (!billj_pending(jenv)) {
        jsize i, count = (*jenv)->GetArrayLength(jenv, $input);
        tmp = (const bill_usage **)billj_array(jenv, (size_t)count, sizeof *tmp);
        if (tmp) {
            jlong *ptrs = (*jenv)->GetLongArrayElements(jenv, $input, NULL);
            if (ptrs) {
                for (i = 0; i < count; i++) {
                    tmp[i] = *(const bill_usage **)&ptrs[i];
                    if (!tmp[i])
                        billj_throw(jenv, BILL_ESTATE, "usage: the usage is closed");
                }
                (*jenv)->ReleaseLongArrayElements(jenv, $input, ptrs, JNI_ABORT);
            }
        }
        $1 = ($1_ltype)tmp;
        $2 = (size_t)count;
    }
%}
%typemap(freearg) (const bill_usage *const *usages, size_t n) "free((void *)tmp$argnum);"

/* The meter-data CSV reader (MeterCsv owns the proxy). */
BILLJ_HANDLE_OUT(bill_meter_csv)
BILLJ_HANDLE_USE(const bill_meter_csv *r, "meter CSV: the reader is closed")
BILLJ_HANDLE_USE(bill_meter_csv *r, "meter CSV: the reader is closed")

/* Determinants and the billing run (Determinants and Store own the proxies). */
BILLJ_HANDLE_OUT(bill_determinants)
BILLJ_HANDLE_OUT(bill_billing_report)
BILLJ_HANDLE_USE(bill_determinants *d, "determinants: the handle is closed")
BILLJ_HANDLE_USE(const bill_determinants *d, "determinants: the handle is closed")
BILLJ_HANDLE_USE(const bill_billing_report *r, "billing run: the report is closed")

/* billb_billing_run: an array of tariff proxies, crossing as their C pointers. */
%typemap(jni) (const bill_tariff *const *tariffs, size_t ntariffs) "jlongArray"
%typemap(jtype) (const bill_tariff *const *tariffs, size_t ntariffs) "long[]"
%typemap(jstype) (const bill_tariff *const *tariffs, size_t ntariffs) "bill_tariff[]"
%typemap(javain) (const bill_tariff *const *tariffs, size_t ntariffs) "java.util.Arrays.stream(java.util.Objects.requireNonNull($javainput, \"tariffs\")).mapToLong(bill_tariff::getCPtr).toArray()"
%typemap(in) (const bill_tariff *const *tariffs, size_t ntariffs) (const bill_tariff **tmp = NULL) %{
    $1 = NULL;
    $2 = 0;
    if (!billj_pending(jenv)) {
        jsize i, count = (*jenv)->GetArrayLength(jenv, $input);
        tmp = (const bill_tariff **)billj_array(jenv, (size_t)count, sizeof *tmp);
        if (tmp) {
            jlong *ptrs = (*jenv)->GetLongArrayElements(jenv, $input, NULL);
            if (ptrs) {
                for (i = 0; i < count; i++) {
                    tmp[i] = *(const bill_tariff **)&ptrs[i];
                    if (!tmp[i])
                        billj_throw(jenv, BILL_ESTATE, "tariff: the tariff is closed");
                }
                (*jenv)->ReleaseLongArrayElements(jenv, $input, ptrs, JNI_ABORT);
            }
        }
        $1 = ($1_ltype)tmp;
        $2 = (size_t)count;
    }
%}
%typemap(freearg) (const bill_tariff *const *tariffs, size_t ntariffs) "free((void *)tmp$argnum);"
/* The importer (Store.importReadings owns the proxy). */
BILLJ_HANDLE_OUT(bill_importer)
BILLJ_HANDLE_USE(const bill_importer *imp, "import: the importer is closed")
BILLJ_HANDLE_USE(bill_importer *imp, "import: the importer is closed")

/* ---- verification and anomalies ---- */
BILLJ_HANDLE_OUT(bill_verify)
BILLJ_HANDLE_USE(const bill_verify *v, "verify: the verification is closed")
BILLJ_HANDLE_USE(bill_verify *v, "verify: the verification is closed")
BILLJ_HANDLE_OUT(bill_anomalies)
BILLJ_HANDLE_USE(const bill_anomalies *a, "anomalies: the list is closed")

/* ---- batch billing (include/bill/batch.h) ---------------------------------------------- */

BILLJ_HANDLE_OUT(bill_batch)
BILLJ_HANDLE_USE(bill_batch *b, "batch: the batch is closed")
BILLJ_HANDLE_USE(const bill_batch *b, "batch: the batch is closed")
/* bill_batch_usage, bill_batch_bill: fill a usage or bill handle the caller made. */
BILLJ_HANDLE_USE(bill_usage *out, "usage: the usage is closed")
BILLJ_HANDLE_USE(bill_bill *out, "bill: the bill is closed")

/*
 * Batch columns: a long[] of int64 coefficients (household sizes: an int[]),
 * read in place and released unchanged after the call (the C setter copies).
 * A null array is a NullPointerException.
 */
%typemap(jni) (const long long *values, size_t n) "jlongArray"
%typemap(jtype) (const long long *values, size_t n) "long[]"
%typemap(jstype) (const long long *values, size_t n) "long[]"
%typemap(javain) (const long long *values, size_t n) "java.util.Objects.requireNonNull($javainput, \"values\")"
%typemap(in) (const long long *values, size_t n) (jlong *tmp = NULL) %{
    $1 = NULL;
    $2 = 0;
    if (!billj_pending(jenv) && $input) {
        $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
        tmp = (*jenv)->GetLongArrayElements(jenv, $input, NULL);
        $1 = ($1_ltype)tmp; /* jlong is 64-bit, as int64_t */
    }
%}
%typemap(freearg) (const long long *values, size_t n) %{
    if (tmp$argnum)
        (*jenv)->ReleaseLongArrayElements(jenv, $input, tmp$argnum, JNI_ABORT);
%}
%typemap(jni) (const int32_t *persons, size_t n) "jintArray"
%typemap(jtype) (const int32_t *persons, size_t n) "int[]"
%typemap(jstype) (const int32_t *persons, size_t n) "int[]"
%typemap(javain) (const int32_t *persons, size_t n) "java.util.Objects.requireNonNull($javainput, \"persons\")"
%typemap(in) (const int32_t *persons, size_t n) (jint *tmp = NULL) %{
    $1 = NULL;
    $2 = 0;
    if (!billj_pending(jenv) && $input) {
        $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
        tmp = (*jenv)->GetIntArrayElements(jenv, $input, NULL);
        $1 = ($1_ltype)tmp; /* jint is 32-bit, as int32_t */
    }
%}
%typemap(freearg) (const int32_t *persons, size_t n) %{
    if (tmp$argnum)
        (*jenv)->ReleaseIntArrayElements(jenv, $input, tmp$argnum, JNI_ABORT);
%}
