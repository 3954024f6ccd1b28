package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_account;
import org.libbill.jni.bill_link_list;
import org.libbill.jni.bill_meter;
import org.libbill.jni.bill_meter_state;
import org.libbill.jni.bill_store;
import org.libbill.jni.bill_store_flag;

/**
 * The embedded store: an SQLite file (or ":memory:") with the registry of
 * accounts and meters and the effective-dated links between them
 * (include/bill/store.h, registry.h). Every check is done by the C library,
 * which throws {@link InputException} (duplicate reference, overlapping links,
 * ratios not adding up to 1, ...) or {@link StorageException} (newer, foreign
 * or corrupt file, busy), naming the record and the field.
 *
 * <p>Owns a C handle: use try-with-resources or {@link #close()}; any use
 * after closing throws {@link StateException}. One store must not be used
 * from two threads at once: open one per thread (they may share the file).
 */
public final class Store extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  /** The schema version this library writes. */
  public static final int SCHEMA_VERSION = bill.BILL_STORE_SCHEMA_VERSION;

  private static final LocalDate OPEN_END = bill.bill_registry_open_end();

  private final bill_store handle;

  private Store(String path, long flags) {
    this(create(path, flags));
  }

  private Store(bill_store h) {
    super(h::delete, "store: the store is closed"); // must not capture `this`
    handle = h;
  }

  private static bill_store create(String path, long flags) {
    bill_store[] out = new bill_store[1];
    bill.bill_store_open(out, Objects.requireNonNull(path, "path"), flags);
    return out[0];
  }

  /** Opens (creating if needed) and migrates the store at {@code path}. */
  public static Store open(String path) {
    return new Store(path, bill_store_flag.BILL_STORE_CREATE);
  }

  /** Opens an existing store read-only (no migration: an older file throws EVERSION). */
  public static Store openReadOnly(String path) {
    return new Store(path, bill_store_flag.BILL_STORE_READONLY);
  }

  /** A private in-memory store. */
  public static Store memory() {
    return new Store(":memory:", 0);
  }

  public int schemaVersion() {
    return bill.bill_store_schema_version(handle);
  }

  public boolean isReadOnly() {
    return bill.bill_store_is_readonly(handle) != 0;
  }

  /** How long to wait for another writer before StorageException EBUSY, in milliseconds. */
  public void setBusyTimeout(int ms) {
    bill.bill_store_set_busy_timeout(handle, ms);
  }

  /** Starts a transaction grouping the following changes (they do not nest). */
  public void begin() {
    bill.bill_store_begin(handle);
  }

  public void commit() {
    bill.bill_store_commit(handle);
  }

  public void rollback() {
    bill.bill_store_rollback(handle);
  }

  /** Runs {@code body} in one transaction: committed when it returns, rolled back if it throws. */
  public void inTransaction(Runnable body) {
    begin();
    try {
      body.run();
    } catch (RuntimeException | Error e) {
      rollback();
      throw e;
    }
    commit();
  }

  // ---- accounts ----

  private static bill_account accountRecord(Account a) {
    bill_account[] out = new bill_account[1];
    bill.bill_account_create(out, a.reference());
    bill_account h = out[0];
    try {
      bill.bill_account_set_class(h, a.customerClass());
      bill.bill_account_set_household_size(h, a.householdSize());
      bill.bill_account_set_capacity_kva(h, a.capacityKva());
      bill.bill_account_set_declared_kw(h, a.declaredKw());
      bill.bill_account_set_pf_standard(h, a.pfStandard());
      bill.bill_account_set_protection(h, a.protection());
      bill.bill_account_set_tariff(h, a.tariff());
    } catch (RuntimeException e) {
      h.delete();
      throw e;
    }
    return h;
  }

  /** Stores a new account; sets and returns it with its UUID. */
  public Account addAccount(Account a) {
    Objects.requireNonNull(a, "account");
    try (bill_account h = accountRecord(a)) {
      bill.bill_registry_add_account(handle, h);
      return a.uuid(bill.bill_account_uuid(h));
    }
  }

  /** Replaces every field of the stored account with the same reference. */
  public void updateAccount(Account a) {
    Objects.requireNonNull(a, "account");
    try (bill_account h = accountRecord(a)) {
      bill.bill_registry_update_account(handle, h);
    }
  }

  /** The stored account {@code reference} (InputException ENOTFOUND if none). */
  public Account account(String reference) {
    bill_account[] out = new bill_account[1];
    bill.bill_registry_get_account(out, handle, Objects.requireNonNull(reference, "reference"));
    try (bill_account h = out[0]) {
      BigDecimal[] cap = new BigDecimal[1];
      BigDecimal[] kw = new BigDecimal[1];
      bill.bill_account_capacity_kva(cap, h);
      bill.bill_account_declared_kw(kw, h);
      return new Account(bill.bill_account_reference(h))
          .customerClass(bill.bill_account_class(h))
          .householdSize(bill.bill_account_household_size(h))
          .capacityKva(cap[0])
          .declaredKw(kw[0])
          .pfStandard(bill.bill_account_pf_standard(h))
          .protection((int) bill.bill_account_protection(h))
          .tariff(bill.bill_account_tariff(h))
          .uuid(bill.bill_account_uuid(h));
    }
  }

  /** All account references, sorted. */
  public List<String> accounts() {
    return lines(bill.bill_registry_account_refs(handle));
  }

  // ---- meters ----

  private static bill_meter meterRecord(Meter m) {
    bill_meter[] out = new bill_meter[1];
    bill.bill_meter_create(out, m.serial());
    bill_meter h = out[0];
    try {
      bill.bill_meter_set_digits(h, m.digits());
      bill.bill_meter_set_multiplier(h, m.multiplier());
      if (m.installed() != null) bill.bill_meter_set_installed(h, m.installed());
      if (m.removed() != null) bill.bill_meter_set_removed(h, m.removed());
      for (Register r : m.registers())
        bill.bill_meter_add_register(h, r.code(), r.kind().ordinal(), r.digits());
    } catch (RuntimeException e) {
      h.delete();
      throw e;
    }
    return h;
  }

  /** Stores a new meter with its registers and multiplier; returns it as stored. */
  public Meter addMeter(Meter m) {
    Objects.requireNonNull(m, "meter");
    try (bill_meter h = meterRecord(m)) {
      bill.bill_registry_add_meter(handle, h);
    }
    return meter(m.serial());
  }

  /** Updates digits and dates, and adds new registers, of the stored meter with the same serial. */
  public void updateMeter(Meter m) {
    Objects.requireNonNull(m, "meter");
    try (bill_meter h = meterRecord(m)) {
      bill.bill_registry_update_meter(handle, h);
    }
  }

  /** The stored meter {@code serial} with its registers and latest multiplier. */
  public Meter meter(String serial) {
    bill_meter[] out = new bill_meter[1];
    bill.bill_registry_get_meter(out, handle, Objects.requireNonNull(serial, "serial"));
    try (bill_meter h = out[0]) {
      BigDecimal[] mult = new BigDecimal[1];
      bill.bill_meter_multiplier(mult, h);
      int status = bill.bill_meter_status(h);
      Meter m = new Meter(bill.bill_meter_serial(h)).digits(bill.bill_meter_digits(h))
          .multiplier(mult[0]).uuid(bill.bill_meter_uuid(h));
      if (status != bill_meter_state.BILL_METER_IN_STOCK) m.installed(bill.bill_meter_installed(h));
      if (status == bill_meter_state.BILL_METER_REMOVED) m.removed(bill.bill_meter_removed(h));
      int n = bill.bill_meter_register_count(h);
      for (int i = 0; i < n; i++)
        m.register(bill.bill_meter_register_code(h, i),
                   RegisterKind.of(bill.bill_meter_register_kind(h, i)),
                   bill.bill_meter_register_digits(h, i));
      return m;
    }
  }

  /** All meter serials, sorted. */
  public List<String> meters() {
    return lines(bill.bill_registry_meter_serials(handle));
  }

  /** Removes the meter on {@code on}, ending its open links and sub-meter relations. */
  public void removeMeter(String serial, LocalDate on) {
    bill.bill_registry_remove_meter(handle, serial, Objects.requireNonNull(on, "on"));
  }

  /** From {@code start} on, the meter's multiplier is {@code multiplier}. */
  public void setMultiplier(String serial, LocalDate start, BigDecimal multiplier) {
    bill.bill_registry_set_multiplier(handle, serial, Objects.requireNonNull(start, "start"),
                                      Objects.requireNonNull(multiplier, "multiplier"));
  }

  /** The multiplier in force on {@code on}. */
  public BigDecimal multiplierOn(String serial, LocalDate on) {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_registry_multiplier_on(out, handle, serial, Objects.requireNonNull(on, "on"));
    return out[0];
  }

  // ---- links ----

  private static LocalDate end(LocalDate d) {
    return d == null ? OPEN_END : d;
  }

  /** Links meter {@code serial} to account {@code reference} over [start, end) (end null: open). */
  public void link(String serial, String reference, LocalDate start, LocalDate end) {
    bill.bill_registry_link(handle, serial, reference, Objects.requireNonNull(start, "start"), end(end));
  }

  /**
   * Links a shared meter to several accounts at once: {@code ratios} maps each
   * reference to its ratio, in order; the ratios must add up to exactly 1.
   */
  public void linkShared(String serial, Map<String, BigDecimal> ratios, LocalDate start, LocalDate end) {
    StringBuilder refs = new StringBuilder();
    StringBuilder texts = new StringBuilder();
    for (Map.Entry<String, BigDecimal> e : ratios.entrySet()) {
      String ref = Objects.requireNonNull(e.getKey(), "reference");
      if (ref.indexOf('\n') >= 0)
        throw new IllegalArgumentException("account reference with a newline: " + ref);
      if (refs.length() > 0) {
        refs.append('\n');
        texts.append('\n');
      }
      refs.append(ref);
      texts.append(Objects.requireNonNull(e.getValue(), "ratio").toString());
    }
    bill.billb_registry_link_shared(handle, serial, refs.toString(), texts.toString(),
                                    Objects.requireNonNull(start, "start"), end(end));
  }

  /** Ends the meter's link in force on the day before {@code end} on {@code end}. */
  public void endLink(String serial, LocalDate end) {
    bill.bill_registry_end_link(handle, serial, Objects.requireNonNull(end, "end"));
  }

  /** Puts meter {@code sub} under master meter {@code master} over [start, end) (end null: open). */
  public void addSub(String master, String sub, LocalDate start, LocalDate end) {
    bill.bill_registry_add_sub(handle, master, sub, Objects.requireNonNull(start, "start"), end(end));
  }

  /** Ends the sub-meter relation of {@code sub} in force on the day before {@code end}. */
  public void endSub(String sub, LocalDate end) {
    bill.bill_registry_end_sub(handle, sub, Objects.requireNonNull(end, "end"));
  }

  // ---- queries ----

  private static List<Link> links(bill_link_list h) {
    try (h) {
      int n = bill.bill_link_list_count(h);
      List<Link> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        BigDecimal[] ratio = new BigDecimal[1];
        bill.bill_link_list_ratio(ratio, h, i);
        LocalDate to = bill.bill_link_list_to(h, i);
        out.add(new Link(bill.bill_link_list_meter(h, i), bill.bill_link_list_account(h, i),
                         bill.bill_link_list_master(h, i), bill.bill_link_list_from(h, i),
                         to.equals(OPEN_END) ? null : to, ratio[0], bill.bill_link_list_uuid(h, i)));
      }
      return out;
    }
  }

  /** Who pays for meter {@code serial} on {@code on} (empty if unlinked). */
  public List<Link> meterAccounts(String serial, LocalDate on) {
    bill_link_list[] out = new bill_link_list[1];
    bill.bill_registry_meter_accounts(out, handle, serial, Objects.requireNonNull(on, "on"));
    return links(out[0]);
  }

  /** The meters of account {@code reference} over [start, end) with their link ranges. */
  public List<Link> accountMeters(String reference, LocalDate start, LocalDate end) {
    bill_link_list[] out = new bill_link_list[1];
    bill.bill_registry_account_meters(out, handle, reference, new LocalDate[] {start, end});
    return links(out[0]);
  }

  /** The sub-meters under {@code master} over [start, end). */
  public List<Link> subs(String master, LocalDate start, LocalDate end) {
    bill_link_list[] out = new bill_link_list[1];
    bill.bill_registry_subs(out, handle, master, new LocalDate[] {start, end});
    return links(out[0]);
  }

  /**
   * Splits {@code kwh} of meter {@code serial} between the accounts paying for it
   * on {@code on}: parts with {@code scale} digits that add up exactly to kwh;
   * the units left after rounding each share toward zero go one each to the
   * largest dropped fractions, ties to the earlier account.
   */
  public Map<String, BigDecimal> split(String serial, LocalDate on, BigDecimal kwh, int scale) {
    bill_link_list[] out = new bill_link_list[1];
    bill.bill_registry_meter_accounts(out, handle, serial, Objects.requireNonNull(on, "on"));
    try (bill_link_list h = out[0]) {
      int n = bill.bill_link_list_count(h);
      Map<String, BigDecimal> result = new LinkedHashMap<>();
      if (n == 0) return result;
      BigDecimal[] parts = new BigDecimal[n];
      bill.bill_link_list_split(parts, h, Objects.requireNonNull(kwh, "kwh"), scale);
      for (int i = 0; i < n; i++) result.put(bill.bill_link_list_account(h, i), parts[i]);
      return result;
    }
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }

  // ---- determinants and the billing run (include/bill/determinants.h, billing.h) ----

  /** The computed determinants of account {@code reference} over [start, end). */
  public Determinants determinants(String reference, LocalDate start, LocalDate end) {
    Determinants d = new Determinants();
    try {
      bill.bill_store_determinants(d.handle(), handle, reference, new LocalDate[] {start, end});
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
    return d;
  }

  /**
   * Bills [start, end) for {@code accounts} (null: every account) with {@code tariffs},
   * chosen by the account's tariff id; stores the bills. Running again bills nothing twice.
   * An account whose own data is bad (a stored reading that does not parse, a missing
   * reading, a tariff rule) is skipped with its reason; errors of the store throw and stop
   * the run. Earlier unfinished runs of the period are closed and listed in
   * {@link BillingReport#interrupted()}.
   */
  public BillingReport billingRun(LocalDate start, LocalDate end, String label,
                                  List<Tariff> tariffs, List<String> accounts) {
    org.libbill.jni.bill_tariff[] ts = Objects.requireNonNull(tariffs, "tariffs").stream()
        .map(t -> Objects.requireNonNull(t, "tariff").handle())
        .toArray(org.libbill.jni.bill_tariff[]::new);
    String refs = accounts == null ? null : String.join("\n", accounts);
    org.libbill.jni.bill_billing_report[] out = new org.libbill.jni.bill_billing_report[1];
    bill.billb_billing_run(out, handle, new LocalDate[] {start, end}, label == null ? "" : label,
                           ts, refs);
    try (org.libbill.jni.bill_billing_report r = out[0]) {
      long n = bill.bill_billing_report_skipped(r);
      List<BillingReport.Skipped> skipped = new ArrayList<>();
      for (long i = 0; i < n; i++)
        skipped.add(new BillingReport.Skipped(
            bill.bill_billing_report_skipped_account(r, i),
            bill.bill_status_name(bill.bill_billing_report_skipped_status(r, i)),
            bill.bill_billing_report_skipped_reason(r, i)));
      long k = bill.bill_billing_report_interrupted(r);
      List<BillingReport.Interrupted> interrupted = new ArrayList<>();
      for (long i = 0; i < k; i++)
        interrupted.add(new BillingReport.Interrupted(
            bill.bill_billing_report_interrupted_uuid(r, i),
            bill.bill_billing_report_interrupted_started(r, i),
            bill.bill_billing_report_interrupted_bills(r, i),
            bill.bill_billing_report_interrupted_counted(r, i)));
      return new BillingReport(bill.bill_billing_report_uuid(r), bill.bill_billing_report_accounts(r),
                               bill.bill_billing_report_billed(r),
                               bill.bill_billing_report_already_billed(r), List.copyOf(skipped),
                               List.copyOf(interrupted));
    }
  }

  /** The stored bill of {@code reference} for [start, end) as JSON (ENOTFOUND if none). */
  public String billJson(String reference, LocalDate start, LocalDate end) {
    return bill.bill_store_bill_json(handle, reference, new LocalDate[] {start, end});
  }

  /** The C handle, for the other classes of the package that work on a store (Importer, Verification). */
  bill_store raw() {
    return handle;
  }
}
