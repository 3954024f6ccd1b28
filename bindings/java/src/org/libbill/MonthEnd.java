package org.libbill;

import org.libbill.jni.bill_monthend;

/** Month-end rule for adding months (the C enum bill_monthend). */
public enum MonthEnd {
  /** Keep the day of month, clamped to the target month (LocalDate.plusMonths): Jan 31 + 1 = Feb 28/29. */
  CLAMP(bill_monthend.BILL_MONTHEND_CLAMP),
  /** As CLAMP, but the last day of a month lands on the last day of the target month. */
  STICKY(bill_monthend.BILL_MONTHEND_STICKY);

  final int code;

  MonthEnd(int code) {
    this.code = code;
  }
}
