package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.libbill.jni.bill;
import org.libbill.jni.bill_determinants;

/**
 * The billing determinants of one account and period (include/bill/determinants.h):
 * energy per register code, kvarh, maximum demand and days from meter readings,
 * with meter exchanges, multiplier changes, sub-meters and shared meters.
 * Usable without a store (add meters, registers, multipliers, readings and
 * segments, then {@link #compute()}), or loaded by {@link Store#determinants}.
 * {@link #toUsage(Usage)} fills the usage the tariff engine takes.
 *
 * <p>Owns a C handle: use try-with-resources or {@link #close()}.
 */
public final class Determinants extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  /** One determinant: register kind (Registers kind code), exact value, estimated flag. */
  public record Quantity(int kind, BigDecimal value, boolean estimated) {}

  private static final LocalDate OPEN_END = bill.bill_registry_open_end();

  private final bill_determinants handle;

  /** An empty handle without a period. */
  public Determinants() {
    this(create());
  }

  private Determinants(bill_determinants h) {
    super(h::delete, "determinants: the handle is closed"); // must not capture `this`
    handle = h;
  }

  private static bill_determinants create() {
    bill_determinants[] out = new bill_determinants[1];
    bill.bill_determinants_create(out);
    return out[0];
  }

  /** An empty handle for the period [start, end). */
  public Determinants(LocalDate start, LocalDate end) {
    this();
    setPeriod(start, end);
  }

  bill_determinants handle() {
    return handle;
  }

  public Determinants setPeriod(LocalDate start, LocalDate end) {
    bill.bill_determinants_set_period(handle, new LocalDate[] {start, end});
    return this;
  }

  public Determinants addMeter(String serial, int digits) {
    bill.bill_determinants_add_meter(handle, serial, digits);
    return this;
  }

  /** A register: kind 0 energy, 1 reactive, 2 demand; digits 0 for the meter's. */
  public Determinants addRegister(String serial, String code, int kind, int digits) {
    bill.bill_determinants_add_register(handle, serial, code, kind, digits);
    return this;
  }

  public Determinants addMultiplier(String serial, LocalDate from, BigDecimal multiplier) {
    bill.bill_determinants_add_multiplier(handle, serial, Objects.requireNonNull(from, "from"),
                                          Objects.requireNonNull(multiplier, "multiplier"));
    return this;
  }

  /** A reading as read (before the multiplier) at {@code at}. */
  public Determinants addReading(String serial, String code, LocalDateTime at, BigDecimal value,
                                 boolean estimated) {
    bill.bill_determinants_add_reading(handle, serial, code, Objects.requireNonNull(at, "at"),
                                       Objects.requireNonNull(value, "value"), estimated ? 1 : 0);
    return this;
  }

  /** A reading at 00:00 of {@code day}. */
  public Determinants addReading(String serial, String code, LocalDate day, BigDecimal value,
                                 boolean estimated) {
    return addReading(serial, code, Objects.requireNonNull(day, "day").atStartOfDay(), value,
                      estimated);
  }

  /**
   * Meter {@code serial} counts over [start, end) ({@code end} null: open), sign +1 (own) or
   * -1 (sub-meter taken off); {@code ratios} (null for a whole meter) are the ratios of all
   * accounts of a shared link and {@code shareIndex} this account's position.
   */
  public Determinants addSegment(String serial, LocalDate start, LocalDate end, int sign,
                                 List<BigDecimal> ratios, int shareIndex) {
    String text = ratios == null ? ""
        : ratios.stream().map(BigDecimal::toString).collect(Collectors.joining("\n"));
    bill.billb_determinants_add_segment(handle, serial, Objects.requireNonNull(start, "start"),
                                        end == null ? OPEN_END : end, sign, text, shareIndex);
    return this;
  }

  /** Register {@code code} counts as TOU period {@code period} ("" keeps it out). */
  public Determinants setTouMap(String code, String period) {
    bill.bill_determinants_set_tou_map(handle, code, period);
    return this;
  }

  /** Computes and returns {@link #quantities()}. */
  public Map<String, Quantity> compute() {
    bill.bill_determinants_compute(handle);
    return quantities();
  }

  /** Register code to quantity, in code order (empty before a successful compute). */
  public Map<String, Quantity> quantities() {
    Map<String, Quantity> out = new LinkedHashMap<>();
    long n = bill.bill_determinants_count(handle);
    for (long i = 0; i < n; i++) {
      BigDecimal[] v = new BigDecimal[1];
      bill.bill_determinants_value(v, handle, i);
      out.put(bill.bill_determinants_code(handle, i),
              new Quantity(bill.bill_determinants_kind(handle, i), v[0],
                           bill.bill_determinants_estimated(handle, i) == 1));
    }
    return out;
  }

  public int days() {
    return bill.bill_determinants_days(handle);
  }

  /** True when any quantity used an estimated reading. */
  public boolean isEstimated() {
    return bill.bill_determinants_any_estimated(handle) != 0;
  }

  /** Fills {@code usage} with the period and quantities (class etc. stay the caller's). */
  public Usage toUsage(Usage usage) {
    bill.bill_determinants_to_usage(Objects.requireNonNull(usage, "usage").handle(), handle);
    return usage;
  }
}
