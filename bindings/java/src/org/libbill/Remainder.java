package org.libbill;

import org.libbill.jni.bill_remainder_rule;

/** Where the indivisible remainder of an allocation goes (the C enum bill_remainder_rule). */
public enum Remainder {
  /** One unit each to the first parts, in order (the usual rule for equal splits). */
  SPREAD_FIRST(bill_remainder_rule.BILL_REMAINDER_SPREAD_FIRST),
  /** One unit each to the last parts, from the last backwards. */
  SPREAD_LAST(bill_remainder_rule.BILL_REMAINDER_SPREAD_LAST),
  /** All of it to the first part. */
  TO_FIRST(bill_remainder_rule.BILL_REMAINDER_TO_FIRST),
  /** All of it to the last part (installment plans, commonly). */
  TO_LAST(bill_remainder_rule.BILL_REMAINDER_TO_LAST),
  /** One unit each to the parts with the largest dropped fractions (Hamilton); ties to the earlier. */
  LARGEST_FRACTION(bill_remainder_rule.BILL_REMAINDER_LARGEST_FRACTION);

  final int code;

  Remainder(int code) {
    this.code = code;
  }
}
