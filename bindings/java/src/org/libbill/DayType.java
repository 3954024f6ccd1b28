package org.libbill;

import org.libbill.jni.bill_day_type;

/** What a calendar says a day is (the C enum bill_day_type). */
public enum DayType {
  /** A normal working day, or a make-up working day. */
  WORKING(bill_day_type.BILL_DAY_WORKING),
  /** A weekend day that is not a make-up working day. */
  WEEKEND(bill_day_type.BILL_DAY_WEEKEND),
  /** A public holiday. */
  HOLIDAY(bill_day_type.BILL_DAY_HOLIDAY);

  final int code;

  DayType(int code) {
    this.code = code;
  }

  static DayType of(int code) {
    for (DayType t : values())
      if (t.code == code)
        return t;
    throw new IllegalStateException("libbill returned an unknown day type " + code);
  }
}
