package org.libbill;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_status;

/**
 * Exact decimal operations of libbill on {@link BigDecimal}: each method is
 * one call into the C library. Values cross the JNI boundary as text
 * ({@code toString()} in, {@code new BigDecimal(text)} out), so value and
 * scale are kept exactly; no binary floating point is involved anywhere.
 */
public final class Decimals {
  static {
    Native.load();
  }

  private Decimals() {}

  private static BigDecimal one(BigDecimal[] r) {
    return r[0];
  }

  /** The value of decimal text, checked by the C parser (strict: no blanks, NaN, ...). */
  public static BigDecimal parse(String text) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_parse(r, text);
    return one(r);
  }

  /** Scientific text as Python's str(Decimal) and BigDecimal.toString() give it ("1.5E+3"). */
  public static String toSciString(BigDecimal x) {
    return bill.bill_dec_to_sci_str(x);
  }

  /** Plain text without exponent, keeping the scale ("1500", "0.0500"). */
  public static String toPlainString(BigDecimal x) {
    return bill.bill_dec_to_str(x);
  }

  /** x in units of 10^-scale, exactly (ArithException EROUNDING if it has more digits). */
  public static long toUnits(BigDecimal x, int scale) {
    long[] out = new long[1];
    bill.bill_dec_to_units(x, scale, out);
    return out[0];
  }

  /** a + b (scale: the larger). */
  public static BigDecimal add(BigDecimal a, BigDecimal b) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_add(r, a, b);
    return one(r);
  }

  /** a - b (scale: the larger). */
  public static BigDecimal subtract(BigDecimal a, BigDecimal b) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_sub(r, a, b);
    return one(r);
  }

  /** a × b (scale: the sum). */
  public static BigDecimal multiply(BigDecimal a, BigDecimal b) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_mul(r, a, b);
    return one(r);
  }

  /** -x. */
  public static BigDecimal negate(BigDecimal x) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_neg(r, x);
    return one(r);
  }

  /** -1, 0 or 1 comparing the values (1.5 equals 1.50). */
  public static int compare(BigDecimal a, BigDecimal b) {
    return bill.bill_dec_cmp(a, b);
  }

  /** a / b rounded to {@code scale} digits after the point: a.divide(b, scale, mode). */
  public static BigDecimal divide(BigDecimal a, BigDecimal b, int scale, RoundingMode mode) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_div(r, a, b, scale, Rounding.code(mode));
    return one(r);
  }

  /** a / b rounded to {@code precision} significant digits: a.divide(b, new MathContext(precision, mode)). */
  public static BigDecimal divideToPrecision(BigDecimal a, BigDecimal b, int precision, RoundingMode mode) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_div_prec(r, a, b, precision, Rounding.code(mode));
    return one(r);
  }

  /** x with exactly {@code scale} digits after the point: x.setScale(scale, mode). */
  public static BigDecimal rescale(BigDecimal x, int scale, RoundingMode mode) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_rescale(r, x, scale, Rounding.code(mode));
    return one(r);
  }

  /** x rounded to {@code precision} significant digits: x.round(new MathContext(precision, mode)). */
  public static BigDecimal roundToPrecision(BigDecimal x, int precision, RoundingMode mode) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_round_prec(r, x, precision, Rounding.code(mode));
    return one(r);
  }

  /** x without trailing fraction zeros, keeping at least {@code minScale} digits after the point. */
  public static BigDecimal trim(BigDecimal x, int minScale) {
    BigDecimal[] r = new BigDecimal[1];
    bill.bill_dec_trim(r, x, minScale);
    return one(r);
  }

  /**
   * Splits {@code total} into {@code n} equal parts with {@code scale} digits
   * that add up exactly to it; the remaining units of 10^-scale go by {@code rule}.
   */
  public static List<BigDecimal> allocate(BigDecimal total, int n, int scale, Remainder rule) {
    if (n < 0)
      throw BillException.of(bill_status.BILL_EINVAL, "allocate: the number of parts must not be negative");
    BigDecimal[] parts = new BigDecimal[n];
    bill.bill_dec_allocate(parts, total, null, scale, Objects.requireNonNull(rule, "rule").code);
    return Collections.unmodifiableList(Arrays.asList(parts));
  }

  /** Splits {@code total} into parts proportional to {@code ratios} (non-negative, not all zero). */
  public static List<BigDecimal> allocate(BigDecimal total, List<BigDecimal> ratios, int scale, Remainder rule) {
    BigDecimal[] r = ratios.toArray(new BigDecimal[0]);
    BigDecimal[] parts = new BigDecimal[r.length];
    bill.bill_dec_allocate(parts, total, r, scale, Objects.requireNonNull(rule, "rule").code);
    return Collections.unmodifiableList(Arrays.asList(parts));
  }
}
