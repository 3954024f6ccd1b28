package org.libbill;

import java.lang.ref.Cleaner;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.Map;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_status;
import org.libbill.jni.bill_usage;

/**
 * The usage of one account in one billing period. A new usage has no period,
 * class "residential", a household of 1 and 0 kWh; the setters (which return
 * {@code this}, so they chain) are checked by the C library. Or
 * {@link #fromJson(String, String)}.
 *
 * <p>Owns a C handle: use try-with-resources or {@link #close()}. Closing
 * twice is harmless; any use after closing throws {@link StateException}
 * (ESTATE). No finalizer: a usage that is never closed is freed by a
 * {@link Cleaner}.
 */
public final class Usage extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  private final bill_usage handle;
  private Calendar calendar; // borrowed by the C usage: kept reachable while set

  /** An empty usage. */
  public Usage() {
    this(create());
  }

  private Usage(bill_usage h) {
    super(h::delete, "usage: the usage is closed"); // must not capture `this`
    handle = h;
  }

  private static bill_usage create() {
    bill_usage[] out = new bill_usage[1];
    bill.bill_usage_create(out);
    return out[0];
  }

  /** A usage read from JSON; {@code source} (may be null) names it in error messages. */
  public static Usage fromJson(String json, String source) {
    Usage u = new Usage();
    try {
      u.load(json, source);
    } catch (RuntimeException e) {
      u.close();
      throw e;
    }
    return u;
  }

  public static Usage fromJson(String json) {
    return fromJson(json, null);
  }

  bill_usage handle() {
    checkOpen(); // a closed handle passed to another class's method
    return handle;
  }

  /** Replaces the contents with a usage read from JSON (left reset on failure). */
  public Usage load(String json, String source) {
    calendar = null;
    bill.bill_usage_load(handle, Objects.requireNonNull(json, "json"), source);
    return this;
  }

  /** Back to the state of a new usage. */
  public Usage reset() {
    calendar = null;
    bill.bill_usage_reset(handle);
    return this;
  }

  /** The billing period [start, end). */
  public Usage period(LocalDate start, LocalDate end) {
    bill.bill_usage_set_period(handle, new LocalDate[] {Objects.requireNonNull(start, "start"),
                                                        Objects.requireNonNull(end, "end")});
    return this;
  }

  /** The customer class ("residential", "commercial", ...). */
  public Usage customerClass(String cls) {
    bill.bill_usage_set_class(handle, Objects.requireNonNull(cls, "cls"));
    return this;
  }

  public Usage householdSize(int persons) {
    bill.bill_usage_set_household_size(handle, persons);
    return this;
  }

  public Usage kwh(BigDecimal kwh) {
    bill.bill_usage_set_kwh(handle, Objects.requireNonNull(kwh, "kwh"));
    return this;
  }

  /** kWh of one TOU period ("peak", "valley", ...); setting it again replaces it. */
  public Usage touKwh(String period, BigDecimal kwh) {
    bill.bill_usage_set_tou_kwh(handle, Objects.requireNonNull(period, "period"),
                                Objects.requireNonNull(kwh, "kwh"));
    return this;
  }

  /** kWh of several TOU periods, in the map's order. */
  public Usage touKwh(Map<String, BigDecimal> kwh) {
    for (Map.Entry<String, BigDecimal> e : kwh.entrySet())
      touKwh(e.getKey(), e.getValue());
    return this;
  }

  public Usage clearTou() {
    bill.bill_usage_clear_tou(handle);
    return this;
  }

  /** kWh already billed this calendar year before the period (annual tiers). */
  public Usage ytdKwh(BigDecimal kwh) {
    bill.bill_usage_set_ytd_kwh(handle, Objects.requireNonNull(kwh, "kwh"));
    return this;
  }

  /** Exported kWh (solar), priced by the tariff's feed_in charge. */
  public Usage exportedKwh(BigDecimal kwh) {
    bill.bill_usage_set_exported_kwh(handle, Objects.requireNonNull(kwh, "kwh"));
    return this;
  }

  /**
   * A meter reading of the total register: {@code kwh} used from the period's start up to the
   * start of day {@code at}. With TOU kWh, give {@link #touReading} instead (a total reading is
   * then only checked against their sum).
   */
  public Usage reading(LocalDate at, BigDecimal kwh) {
    bill.bill_usage_set_reading(handle, Objects.requireNonNull(at, "at"),
                                Objects.requireNonNull(kwh, "kwh"));
    return this;
  }

  /**
   * A reading of TOU register {@code period} ("peak"): its kWh from the period's start up to the
   * start of day {@code at}, a split date (a version change, or 1 January for annual tiers). A
   * usage with TOU kWh is split there register by register; every TOU register needs a value at
   * that date, checked when billing ({@link InputException}, ERULE, naming the date and the
   * register). Setting a register again on a date replaces its value.
   */
  public Usage touReading(LocalDate at, String period, BigDecimal kwh) {
    bill.bill_usage_set_tou_reading(handle, Objects.requireNonNull(at, "at"),
                                    Objects.requireNonNull(period, "period"),
                                    Objects.requireNonNull(kwh, "kwh"));
    return this;
  }

  /** Readings of several TOU registers at {@code at}, in the map's order. */
  public Usage touReading(LocalDate at, Map<String, BigDecimal> kwh) {
    for (Map.Entry<String, BigDecimal> e : kwh.entrySet())
      touReading(at, e.getKey(), e.getValue());
    return this;
  }

  /** The date the account opened, for prorated annual quotas. */
  public Usage opened(LocalDate opened) {
    bill.bill_usage_set_opened(handle, Objects.requireNonNull(opened, "opened"));
    return this;
  }

  // ---- two-part tariffs and power factor (large customers) ----

  /** Installed transformer capacity in kVA (capacity charges and the demand floor). */
  public Usage capacityKva(BigDecimal kva) {
    bill.bill_usage_set_capacity_kva(handle, Objects.requireNonNull(kva, "kva"));
    return this;
  }

  /**
   * {@code kva} of the installed capacity suspended (暂停, 减容) over the days
   * [start, end), end exclusive; the part inside the period is credited by days.
   */
  public Usage suspended(LocalDate start, LocalDate end, BigDecimal kva) {
    bill.bill_usage_add_suspended(handle, new LocalDate[] {Objects.requireNonNull(start, "start"),
                                                           Objects.requireNonNull(end, "end")},
                                  Objects.requireNonNull(kva, "kva"));
    return this;
  }

  /** Forgets all suspended capacity. */
  public Usage clearSuspended() {
    bill.bill_usage_clear_suspended(handle);
    return this;
  }

  /** Declared (contracted) maximum demand in kW. */
  public Usage declaredKw(BigDecimal kw) {
    bill.bill_usage_set_declared_kw(handle, Objects.requireNonNull(kw, "kw"));
    return this;
  }

  // ---- interval data and demand by TOU period ----

  /**
   * Interval data: {@code kwh} values of {@code minutes} (15, 30 or 60) each from the
   * local civil time {@code start}; copied. An empty array forgets them.
   */
  public Usage intervals(LocalDateTime start, int minutes, BigDecimal[] kwh) {
    Objects.requireNonNull(kwh, "kwh");
    for (BigDecimal v : kwh)
      Objects.requireNonNull(v, "kwh element");
    bill.bill_usage_set_intervals(handle, Objects.requireNonNull(start, "start"), minutes, kwh);
    return this;
  }

  /** Number of intervals the usage carries. */
  public long intervalCount() {
    return bill.bill_usage_interval_count(handle);
  }

  /**
   * The calendar giving the day type of each day of interval data (null: Saturday-Sunday
   * weekends, no holidays). The usage keeps a reference; do not close the calendar while
   * the usage is billed.
   */
  public Usage calendar(Calendar cal) {
    if (cal != null && cal.isClosed())
      throw BillException.of(bill_status.BILL_ESTATE, "calendar: the calendar is closed");
    bill.bill_usage_set_calendar(handle, cal == null ? null : cal.handle());
    calendar = cal;
    return this;
  }

  /** The period's maximum demand in kW (all hours), from the demand register. */
  public Usage maxDemandKw(BigDecimal kw) {
    bill.bill_usage_set_max_demand_kw(handle, Objects.requireNonNull(kw, "kw"));
    return this;
  }

  /** Reactive energy of the period in kvarh, for the power factor. */
  public Usage kvarh(BigDecimal kvarh) {
    bill.bill_usage_set_kvarh(handle, Objects.requireNonNull(kvarh, "kvarh"));
    return this;
  }

  /** The account's power-factor standard: "0.90", "0.85" or "0.80". */
  public Usage pfStandard(String standard) {
    bill.bill_usage_set_pf_standard(handle, Objects.requireNonNull(standard, "standard"));
    return this;
  }

  /** Chooses {@code value} for the tariff option {@code name} ("basic_charge", "capacity"). */
  public Usage option(String name, String value) {
    bill.bill_usage_set_option(handle, Objects.requireNonNull(name, "name"),
                               Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Forgets the option choices (the tariff's defaults apply). */
  public Usage clearOptions() {
    bill.bill_usage_clear_options(handle);
    return this;
  }

  /** Maximum demand in kW of one TOU period ("on_peak"), from a demand register. */
  public Usage touMaxDemandKw(String period, BigDecimal kw) {
    bill.bill_usage_set_tou_max_demand_kw(handle, Objects.requireNonNull(period, "period"),
                                          Objects.requireNonNull(kw, "kw"));
    return this;
  }

  public Usage clearTouMaxDemand() {
    bill.bill_usage_clear_tou_max_demand(handle);
    return this;
  }

  /** The peak demand in kW of an earlier month (any day in it), for demand ratchets. */
  public Usage priorPeak(YearMonth month, BigDecimal kw) {
    bill.bill_usage_add_prior_peak(handle, Objects.requireNonNull(month, "month").atDay(1),
                                   Objects.requireNonNull(kw, "kw"));
    return this;
  }

  public Usage clearPriorPeaks() {
    bill.bill_usage_clear_prior_peaks(handle);
    return this;
  }

  @Override
  public String toString() {
    return isClosed() ? "Usage(closed)" : "Usage";
  }
}
