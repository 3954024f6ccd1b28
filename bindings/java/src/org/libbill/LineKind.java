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
  ROUNDING(bill_line_kind.BILL_LINE_ROUNDING),
  /** Two-part basic charge on installed kVA (suspended capacity: negative lines). */
  CAPACITY(bill_line_kind.BILL_LINE_CAPACITY),
  /** Two-part basic charge on demand kW, and its excess line. */
  DEMAND(bill_line_kind.BILL_LINE_DEMAND),
  /** Power-factor adjustment (a surcharge or a rebate). */
  POWER_FACTOR(bill_line_kind.BILL_LINE_PF),
  /** Feed-in credit for exported kWh (negative), or credit forfeited to keep the total at zero. */
  CREDIT(bill_line_kind.BILL_LINE_CREDIT);

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
