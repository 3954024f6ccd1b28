package org.libbill;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_batch;
import org.libbill.jni.bill_bill;
import org.libbill.jni.bill_status;

/**
 * Batch billing: many accounts of one tariff and one period, billed at once
 * by the C library ({@code include/bill/batch.h}). The accounts' usage is
 * given as columns, one value per account; every account's totals equal those
 * of {@link Tariff#compute(Usage)} for the same usage, digit for digit, and
 * {@link #bill(int)} gives the itemized {@link Bill} on request.
 *
 * <pre>{@code
 * try (Batch b = new Batch(tariff, LocalDate.of(2025, 6, 1), LocalDate.of(2025, 7, 1), n)) {
 *   b.setClass("residential");
 *   b.setTouKwh("peak", peak);        // BigDecimal[n]
 *   b.setTouKwh("valley", valley);
 *   b.setYtdKwh(ytd);
 *   b.compute();
 *   for (int i = 0; i < n; i++)
 *     if (b.ok(i)) System.out.println(b.total(i));
 * }
 * }</pre>
 *
 * <p>A column crosses to C as {@code long} coefficients at one scale (value =
 * coefficient x 10^-scale): a {@code BigDecimal[]} is converted exactly to the
 * largest number of decimals among its values (at most 12; trailing zeros
 * beyond are dropped, as they change no value); {@code setKwh(long[], int)}
 * and the like take the coefficients and scale as they are. Every other check
 * (negative values, more than 15 digits before the point, ...) is the C
 * setter's, whose {@link InputException} names the column and the account; a
 * failed setter leaves the batch unchanged. Each account is billed with its
 * values at the column's scale (in a column holding 5.577, 3 is billed as
 * 3.000), which changes no bill: a bill depends on values, not on how they
 * are written; {@link #usage(int)} gives the usage exactly as the batch bills
 * it.
 *
 * <p>Accounts are independent: one account's failure shows in
 * {@link #status(int)} and {@link #failed()}, and its {@link #total(int)} or
 * {@link #bill(int)} throws the account's exception. The tariff must stay
 * open while the batch is used (the batch checks, and throws
 * {@link StateException}). Owns a C handle: use try-with-resources or
 * {@link #close()}. Not for use from two threads at once.
 */
public final class Batch extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  /** Most decimals a column may have ({@code BILL_BATCH_MAX_SCALE}). */
  public static final int MAX_SCALE = bill.BILL_BATCH_MAX_SCALE;

  /** A column as coefficients at one scale: {@code values[i] = coef[i] x 10^-scale}. */
  public record Column(long[] coef, int scale) {}

  private final bill_batch handle;
  private final Tariff tariff;
  private final int n;

  /** {@code n} accounts (at least 1) billed under {@code tariff} for the period [start, end). */
  public Batch(Tariff tariff, LocalDate start, LocalDate end, int n) {
    this(create(tariff, start, end, n), tariff, n);
  }

  private Batch(bill_batch h, Tariff tariff, int n) {
    super(h::delete, "batch: the batch is closed"); // must not capture `this`
    handle = h;
    this.tariff = tariff;
    this.n = n;
  }

  private static bill_batch create(Tariff tariff, LocalDate start, LocalDate end, int n) {
    Objects.requireNonNull(tariff, "tariff");
    if (n < 1)
      throw BillException.of(bill_status.BILL_EINVAL, "batch: " + n + " accounts (at least 1)");
    bill_batch[] out = new bill_batch[1];
    bill.bill_batch_create(out, tariff.handle(), new LocalDate[] {
        Objects.requireNonNull(start, "start"), Objects.requireNonNull(end, "end")}, n);
    return out[0];
  }

  /**
   * {@code values} as coefficients at one scale, exactly: the scale is the
   * largest number of decimals among them (0..12). Throws
   * {@link InputException} (ERANGE) naming the account for a value with more
   * than 12 decimals or a coefficient beyond {@code long}, and
   * {@link ArgumentException} (EINVAL) for a length other than {@code n}.
   */
  public static Column column(String what, BigDecimal[] values, int n) {
    Objects.requireNonNull(values, what);
    if (values.length != n)
      throw BillException.of(bill_status.BILL_EINVAL,
                             "batch: " + what + " has " + values.length + " values for " + n + " accounts");
    int scale = 0;
    for (int i = 0; i < values.length; i++) {
      BigDecimal v = Objects.requireNonNull(values[i], what + " of account " + i);
      int s = v.scale() > MAX_SCALE ? v.stripTrailingZeros().scale() : v.scale();
      if (s > MAX_SCALE)
        throw BillException.of(bill_status.BILL_ERANGE, "batch: " + what + " of account " + i
                               + " has more than " + MAX_SCALE + " decimals (" + v.toPlainString() + ")");
      scale = Math.max(scale, s);
    }
    long[] coef = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      BigInteger c = values[i].setScale(scale).unscaledValue(); // exact: scale >= its decimals
      if (c.bitLength() > 63)
        throw BillException.of(bill_status.BILL_ERANGE, "batch: " + what + " of account " + i
                               + " is too large for a long coefficient at scale " + scale);
      coef[i] = c.longValue();
    }
    return new Column(coef, scale);
  }

  private bill_batch open() {
    checkOpen();
    if (tariff.isClosed())
      throw BillException.of(bill_status.BILL_ESTATE, "batch: the tariff is closed");
    return handle;
  }

  private int index(int i) {
    return Objects.checkIndex(i, n);
  }

  /** The number of accounts. */
  public int size() {
    return (int) bill.bill_batch_size(handle);
  }

  /** The tariff the batch bills under. */
  public Tariff tariff() {
    return tariff;
  }

  // ---- columns --------------------------------------------------------------------------

  /** Total kWh of each account (with TOU columns: a check, as {@link Usage#kwh}). */
  public Batch setKwh(BigDecimal[] values) {
    Column c = column("kwh", values, n);
    return setKwh(c.coef(), c.scale());
  }

  public Batch setKwh(long[] coef, int scale) {
    bill.billb_batch_set_kwh(handle, coef, scale);
    return this;
  }

  /** kWh of TOU period {@code period} ("peak") of each account. */
  public Batch setTouKwh(String period, BigDecimal[] values) {
    Column c = column("tou_kwh '" + period + "'", values, n);
    return setTouKwh(period, c.coef(), c.scale());
  }

  public Batch setTouKwh(String period, long[] coef, int scale) {
    bill.billb_batch_set_tou_kwh(handle, Objects.requireNonNull(period, "period"), coef, scale);
    return this;
  }

  /** kWh of this year before the period (annual tiers) of each account. */
  public Batch setYtdKwh(BigDecimal[] values) {
    Column c = column("ytd_kwh", values, n);
    return setYtdKwh(c.coef(), c.scale());
  }

  public Batch setYtdKwh(long[] coef, int scale) {
    bill.billb_batch_set_ytd_kwh(handle, coef, scale);
    return this;
  }

  /** Installed capacity in kVA of each account (two-part tariffs). */
  public Batch setCapacityKva(BigDecimal[] values) {
    Column c = column("capacity_kva", values, n);
    return setCapacityKva(c.coef(), c.scale());
  }

  public Batch setCapacityKva(long[] coef, int scale) {
    bill.billb_batch_set_capacity_kva(handle, coef, scale);
    return this;
  }

  /** Declared (contracted) maximum demand in kW of each account. */
  public Batch setDeclaredKw(BigDecimal[] values) {
    Column c = column("declared_kw", values, n);
    return setDeclaredKw(c.coef(), c.scale());
  }

  public Batch setDeclaredKw(long[] coef, int scale) {
    bill.billb_batch_set_declared_kw(handle, coef, scale);
    return this;
  }

  /** Actual maximum demand in kW of each account. */
  public Batch setMaxDemandKw(BigDecimal[] values) {
    Column c = column("max_demand_kw", values, n);
    return setMaxDemandKw(c.coef(), c.scale());
  }

  public Batch setMaxDemandKw(long[] coef, int scale) {
    bill.billb_batch_set_max_demand_kw(handle, coef, scale);
    return this;
  }

  /** Reactive energy in kvarh of each account (power-factor adjustment). */
  public Batch setKvarh(BigDecimal[] values) {
    Column c = column("kvarh", values, n);
    return setKvarh(c.coef(), c.scale());
  }

  public Batch setKvarh(long[] coef, int scale) {
    bill.billb_batch_set_kvarh(handle, coef, scale);
    return this;
  }

  /** Household size of each account (0..1000, 0: not given). */
  public Batch setHouseholdSize(int[] persons) {
    bill.billb_batch_set_household_size(handle, persons);
    return this;
  }

  /** The customer class of every account ("residential"). */
  public Batch setClass(String customerClass) {
    bill.bill_batch_set_class(handle, Objects.requireNonNull(customerClass, "customerClass"));
    return this;
  }

  /** The customer class of each account, one per account. */
  public Batch setClasses(String[] classes) {
    Objects.requireNonNull(classes, "classes");
    if (classes.length != n)
      throw BillException.of(bill_status.BILL_EINVAL,
                             "batch: classes has " + classes.length + " values for " + n + " accounts");
    for (int i = 0; i < classes.length; i++)
      if (Objects.requireNonNull(classes[i], "class of account " + i).indexOf('\n') >= 0)
        throw BillException.of(bill_status.BILL_ESYNTAX,
                               "batch: bad customer class of account " + i + " (a line break)");
    bill.billb_batch_set_classes(handle, String.join("\n", classes));
    return this;
  }

  /** The power-factor standard of every account: "0.90", "0.85" or "0.80". */
  public Batch setPfStandard(String standard) {
    bill.bill_batch_set_pf_standard(handle, Objects.requireNonNull(standard, "standard"));
    return this;
  }

  public Batch setPfStandard(BigDecimal standard) {
    return setPfStandard(Objects.requireNonNull(standard, "standard").toPlainString());
  }

  // ---- computing and results ------------------------------------------------------------

  /** Computes every account's bill (again after columns change). */
  public Batch compute() {
    bill.bill_batch_compute(open());
    return this;
  }

  /** Accounts whose bill failed in the last {@link #compute()}. */
  public int failed() {
    return (int) bill.bill_batch_failed(handle);
  }

  /** Accounts the last {@link #compute()} billed column by column (for tuning and tests). */
  public int kernelCount() {
    return (int) bill.bill_batch_kernel_count(handle);
  }

  /**
   * Account {@code i}'s status code: {@code bill_status.BILL_OK} (0) or the
   * status its bill failed with ({@code BILL_ESTATE} before {@link #compute()}).
   */
  public int status(int i) {
    return bill.bill_batch_status(open(), index(i));
  }

  /** Whether account {@code i}'s bill succeeded. */
  public boolean ok(int i) {
    return status(i) == bill_status.BILL_OK;
  }

  /** Account {@code i}'s total; throws the account's exception if its bill failed. */
  public BigDecimal total(int i) {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_batch_total(out, open(), index(i));
    return out[0];
  }

  /** Account {@code i}'s subtotal; throws the account's exception if its bill failed. */
  public BigDecimal subtotal(int i) {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_batch_subtotal(out, open(), index(i));
    return out[0];
  }

  /** Account {@code i}'s tax (included in the total for VAT-inclusive tariffs). */
  public BigDecimal tax(int i) {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_batch_tax(out, open(), index(i));
    return out[0];
  }

  /**
   * Every account's total, in order, with {@code null} for an account whose
   * bill failed ({@link #status(int)} or {@link #bill(int)} says why).
   * Throws {@link StateException} before {@link #compute()}.
   */
  public List<BigDecimal> totals() {
    List<BigDecimal> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int st = status(i);
      out.add(st == bill_status.BILL_OK || st == bill_status.BILL_ESTATE ? total(i) : null);
    }
    return Collections.unmodifiableList(out);
  }

  /** Account {@code i}'s itemized bill, computed now; throws the account's exception, with its reason. */
  public Bill bill(int i) {
    bill_batch h = open();
    int k = index(i);
    bill_bill[] out = new bill_bill[1];
    bill.bill_bill_create(out);
    try (bill_bill b = out[0]) {
      bill.bill_batch_bill(b, h, k);
      return Bill.from(b);
    }
  }

  /** Account {@code i}'s usage as a new {@link Usage} (the caller closes it). */
  public Usage usage(int i) {
    int k = index(i);
    Usage u = new Usage();
    try {
      bill.bill_batch_usage(u.handle(), handle, k);
    } catch (RuntimeException e) {
      u.close();
      throw e;
    }
    return u;
  }

  @Override
  public String toString() {
    return isClosed() ? "Batch(closed)" : "Batch(" + n + " accounts, " + tariff + ")";
  }
}
