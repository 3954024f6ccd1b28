package org.libbill;

import org.libbill.jni.bill_line_kind;

/** Kinds of bill lines (the C enum bill_line_kind). */
public enum LineKind {
  /** A fixed charge (per period, day or month). */
  FIXED(bill_line_kind.BILL_LINE_FIXED),
  /** Energy: flat, tier, TOU period, component, tier increment. */
  ENERGY(bill_line_kind.BILL_LINE_ENERGY),
  /** A fund or surcharge per kWh. */
  PER_KWH(bill_line_kind.BILL_LINE_PER_KWH),
  /** Top-up to the minimum charge. */
  MINIMUM(bill_line_kind.BILL_LINE_MINIMUM),
  /** VAT added to VAT-exclusive prices. */
  TAX(bill_line_kind.BILL_LINE_TAX),
  /** Difference between the exact sum and the rounded total. */
  ROUNDING(bill_line_kind.BILL_LINE_ROUNDING);

  final int code;

  LineKind(int code) {
    this.code = code;
  }

  static LineKind of(int code) {
    for (LineKind k : values())
      if (k.code == code)
        return k;
    throw new IllegalStateException("libbill returned an unknown line kind " + code);
  }
}
