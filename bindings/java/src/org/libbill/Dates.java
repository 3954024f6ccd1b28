package org.libbill;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.libbill.jni.bill;
import org.libbill.jni.bill_status;

/**
 * Civil dates and half-open periods {@code [start, end)}, computed by
 * libbill, on {@link LocalDate} (0001-01-01 .. 9999-12-31). Dates cross the
 * JNI boundary as ISO text and are checked by the C parser.
 */
public final class Dates {
  static {
    Native.load();
  }

  private Dates() {}

  /** True for leap years of the Gregorian calendar (2000 yes, 2100 no). */
  public static boolean isLeapYear(int year) {
    return bill.bill_is_leap_year(year) != 0;
  }

  /** Days in the month, 28..31; InputException EDATE for a month outside 1..12. */
  public static int daysInMonth(int year, int month) {
    int n = bill.bill_days_in_month(year, month);
    if (n == 0) // the C library's answer for an invalid month
      throw BillException.of(bill_status.BILL_EDATE, "date: month " + month + " is not 1..12");
    return n;
  }

  /** The date of ISO text "YYYY-MM-DD" exactly (strict C parser). */
  public static LocalDate parse(String text) {
    LocalDate[] out = new LocalDate[1];
    bill.bill_date_parse(out, text);
    return out[0];
  }

  /** A local date-time of "YYYY-MM-DDTHH:MM" (a blank for T, ":00" seconds and "24:00" accepted). */
  public static LocalDateTime parseDateTime(String text) {
    LocalDateTime[] out = new LocalDateTime[1];
    bill.bill_datetime_parse(out, text);
    return out[0];
  }

  /** The period {start, end} of an ISO interval "YYYY-MM-DD/YYYY-MM-DD" (end exclusive). */
  public static LocalDate[] parsePeriod(String text) {
    LocalDate[] out = new LocalDate[2];
    bill.bill_period_parse(out, text);
    return out;
  }

  /** d + days; InputException EDATE if the result leaves 0001..9999. */
  public static LocalDate addDays(LocalDate d, int days) {
    LocalDate[] out = new LocalDate[1];
    bill.bill_date_add_days(out, d, days);
    return out[0];
  }

  /** d + months with the month-end rule. */
  public static LocalDate addMonths(LocalDate d, int months, MonthEnd rule) {
    LocalDate[] out = new LocalDate[1];
    bill.bill_date_add_months(out, d, months, rule.code);
    return out[0];
  }

  /** d + months, clamping the day to the target month (as LocalDate.plusMonths). */
  public static LocalDate addMonths(LocalDate d, int months) {
    return addMonths(d, months, MonthEnd.CLAMP);
  }

  /** b - a in days (negative if b is before a). */
  public static int daysBetween(LocalDate a, LocalDate b) {
    return bill.bill_date_diff(a, b);
  }

  /** Days in the period [start, end); InputException EDATE unless start is before end. */
  public static int periodDays(LocalDate start, LocalDate end) {
    LocalDate[] p = new LocalDate[2];
    bill.bill_period_make(p, start, end);
    return bill.bill_period_days(p);
  }

  /** True if d lies in [start, end). */
  public static boolean periodContains(LocalDate start, LocalDate end, LocalDate d) {
    return bill.bill_period_contains(new LocalDate[] {start, end}, d) != 0;
  }

  /** Days the periods [aStart, aEnd) and [bStart, bEnd) share (0 if none). */
  public static int overlapDays(LocalDate aStart, LocalDate aEnd, LocalDate bStart, LocalDate bEnd) {
    return bill.bill_period_overlap_days(new LocalDate[] {aStart, aEnd}, new LocalDate[] {bStart, bEnd});
  }

  /** The ISO weekday of d. */
  public static DayOfWeek weekday(LocalDate d) {
    return DayOfWeek.of(bill.bill_date_weekday(d));
  }

  /** Day of the year, 1..366. */
  public static int dayOfYear(LocalDate d) {
    return bill.bill_date_day_of_year(d);
  }
}
