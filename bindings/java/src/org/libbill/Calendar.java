package org.libbill;

import java.lang.ref.Cleaner;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.libbill.jni.bill;
import org.libbill.jni.bill_calendar;

/**
 * A working-day calendar: a weekend (Saturday and Sunday unless set), public
 * holidays and make-up working days (weekend days declared working, 调休).
 * Day types by precedence: holiday, then make-up working day, then weekend.
 *
 * <p>Owns a C handle: use try-with-resources or {@link #close()}. Closing
 * twice is harmless; any use after closing throws {@link StateException}
 * (ESTATE). No finalizer: a calendar that is never closed is freed by a
 * {@link Cleaner} once it is unreachable.
 */
public final class Calendar extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  private final bill_calendar handle;

  /** A calendar with a Saturday-Sunday weekend and no holidays. */
  public Calendar() {
    this(create());
  }

  private Calendar(bill_calendar h) {
    super(h::delete, "calendar: the calendar is closed"); // must not capture `this`
    handle = h;
  }

  private static bill_calendar create() {
    bill_calendar[] out = new bill_calendar[1];
    bill.bill_calendar_create(out);
    return out[0];
  }

  /** A calendar with the given weekend days. */
  public Calendar(Set<DayOfWeek> weekend) {
    this();
    try {
      setWeekend(weekend);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  bill_calendar handle() {
    checkOpen();
    return handle;
  }

  /** Sets the weekend (any set of weekdays but all seven). */
  public void setWeekend(Set<DayOfWeek> days) {
    long mask = 0;
    for (DayOfWeek d : days)
      mask |= 1L << (d.getValue() - 1); // ISO numbering, as bill_weekday
    handle.set_weekend(mask);
  }

  public Set<DayOfWeek> weekend() {
    long mask = handle.weekend();
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values())
      if (((mask >> (d.getValue() - 1)) & 1) != 0)
        days.add(d);
    return days;
  }

  /** Declares a public holiday ({@code name} may be null). Adding the same date again is harmless. */
  public void addHoliday(LocalDate date, String name) {
    handle.add_holiday(Objects.requireNonNull(date, "date"), name);
  }

  public void addHoliday(LocalDate date) {
    addHoliday(date, null);
  }

  /** Declares a weekend day a working day (调休). */
  public void addWorkingDay(LocalDate date) {
    handle.add_working_day(Objects.requireNonNull(date, "date"));
  }

  /**
   * Adds entries from text, one a line: "YYYY-MM-DD holiday [name]" or
   * "YYYY-MM-DD working"; '#' comments. All or nothing: on an error nothing
   * is added and the message names the line.
   */
  public void load(String text) {
    handle.load(text);
  }

  public DayType dayType(LocalDate date) {
    return DayType.of(handle.day_type(Objects.requireNonNull(date, "date")));
  }

  public boolean isWorkingDay(LocalDate date) {
    return handle.is_working_day(Objects.requireNonNull(date, "date")) != 0;
  }

  /** The holiday's name ("" if unnamed), or empty when {@code date} is not a holiday. */
  public Optional<String> holidayName(LocalDate date) {
    return Optional.ofNullable(handle.holiday_name(Objects.requireNonNull(date, "date")));
  }

  /** Working days in [start, end) (0 when start equals end). */
  public int workingDays(LocalDate start, LocalDate end) {
    return handle.working_days(new LocalDate[] {start, end});
  }

  /**
   * The date n working days after (n > 0) or before (n < 0) {@code date}, not
   * counting it; n = 0 gives date if it is a working day, else the next one.
   */
  public LocalDate addWorkingDays(LocalDate date, int n) {
    LocalDate[] out = new LocalDate[1];
    handle.add_working_days(out, Objects.requireNonNull(date, "date"), n);
    return out[0];
  }

  @Override
  public String toString() {
    return isClosed() ? "Calendar(closed)" : "Calendar";
  }
}
