package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_anomalies;
import org.libbill.jni.bill_verify;

/**
 * Meter-to-account verification of a field audit (表户对应核查) against a {@link Store}'s
 * registry and reading history, and anomalies of the history (docs/verification.md).
 *
 * <pre>
 * try (Verification v = new Verification(store)) {
 *   v.addFile("audit.csv").run();
 *   for (Verification.Row r : v.rows()) System.out.println(r.cls() + " " + r.evidence());
 * }
 * </pre>
 *
 * Rows come in input order, accounts in byte order of reference; readings and usages are
 * {@link BigDecimal}. Errors raise the exception of their family (bad header: InputException;
 * run twice or closed: StateException). Not for use by two threads at once.
 */
public final class Verification extends NativeHandle implements AutoCloseable {
  static {
    Native.load();
  }

  /** Which accounts get an account class. */
  public enum Scope {
    /** Accounts named by the rows. */
    AUDITED,
    /** Those plus every account with an installed meter linked on the audit date. */
    ALL
  }

  /** One audit row: its class ("confirmed", "other_account", "likely_swap"...) and evidence. */
  public record Row(long line, String cls, String evidence, String meterSerial,
                    String foundAccount, String foundAddress, BigDecimal reading,
                    LocalDate readOn, String registeredAccount, String partner) {}

  /** One account in scope: "confirmed", "meter_not_found", "mismatch", "reading_problem", "unchecked". */
  public record AccountResult(String reference, String cls, String evidence) {}

  /** An anomaly: "zero_usage", "high_usage", "low_usage" or "reading_decrease" over [start, end). */
  public record Anomaly(String kind, String account, String meterSerial, LocalDate start,
                        LocalDate end, BigDecimal usage, String evidence) {}

  /** The anomalies with their CSV and JSON reports. */
  public record AnomalyReport(List<Anomaly> anomalies, String csv, String json) {}

  private static final LocalDate EPOCH = LocalDate.of(1970, 1, 1);

  private final bill_verify handle;
  private final Store store; // keeps the store alive as long as the verification

  /** Defaults: scope AUDITED, K = 3, floor 50 kWh a day, each row on its own date. */
  public Verification(Store store) {
    this(store, Scope.AUDITED, BigDecimal.valueOf(3), BigDecimal.valueOf(50), null);
  }

  /** With options; {@code auditDate} null keeps the rows' own dates. */
  public Verification(Store store, Scope scope, BigDecimal jumpFactor, BigDecimal jumpFloor,
                      LocalDate auditDate) {
    this(Objects.requireNonNull(store, "store"),
         create(store, scope, jumpFactor, jumpFloor, auditDate));
  }

  private Verification(Store store, bill_verify h) {
    super(h::delete, "verify: the verification is closed"); // must not capture `this`
    this.store = store;
    handle = h;
  }

  private static bill_verify create(Store store, Scope scope, BigDecimal jumpFactor,
                                    BigDecimal jumpFloor, LocalDate auditDate) {
    bill_verify[] out = new bill_verify[1];
    bill.billb_verify_create(out, store.raw(), Objects.requireNonNull(scope, "scope").ordinal(),
        Objects.requireNonNull(jumpFactor, "jumpFactor"),
        Objects.requireNonNull(jumpFloor, "jumpFloor"), auditDate != null ? 1 : 0,
        auditDate != null ? auditDate : EPOCH);
    return out[0];
  }

  /** Feed audit CSV text in chunks of any size. */
  public Verification feed(String chunk) {
    bill.bill_verify_feed(handle, Objects.requireNonNull(chunk, "chunk"));
    return this;
  }

  /** The end of the CSV text. */
  public Verification finish() {
    bill.bill_verify_finish(handle);
    return this;
  }

  /** Read a whole audit CSV file. */
  public Verification addFile(String path) {
    bill.bill_verify_add_file(handle, Objects.requireNonNull(path, "path"));
    return this;
  }

  /** One audit row (account or address may be null, not both). */
  public Verification addRow(String serial, String account, String address, BigDecimal reading,
                             LocalDate on) {
    bill.bill_verify_add_row(handle, serial, account == null ? "" : account,
        address == null ? "" : address, Objects.requireNonNull(reading, "reading"),
        Objects.requireNonNull(on, "on"));
    return this;
  }

  /** Classify every row and every account in scope. */
  public Verification run() {
    bill.bill_verify_run(handle);
    return this;
  }

  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    long n = bill.bill_verify_row_count(handle);
    for (long i = 0; i < n; i++) {
      String reading = text(i, "reading");
      String readOn = text(i, "read_on");
      rows.add(new Row(bill.bill_verify_row_line(handle, i),
          bill.bill_verify_class_name(bill.bill_verify_row_class(handle, i)),
          bill.bill_verify_row_evidence(handle, i), text(i, "meter_serial"),
          text(i, "found_account"), text(i, "found_address"),
          reading.isEmpty() ? null : new BigDecimal(reading),
          readOn.isEmpty() ? null : LocalDate.parse(readOn), text(i, "registered_account"),
          text(i, "partner")));
    }
    return Collections.unmodifiableList(rows);
  }

  private String text(long i, String name) {
    return bill.bill_verify_row_text(handle, i, name);
  }

  public List<AccountResult> accounts() {
    List<AccountResult> out = new ArrayList<>();
    long n = bill.bill_verify_account_count(handle);
    for (long i = 0; i < n; i++) {
      out.add(new AccountResult(bill.bill_verify_account_reference(handle, i),
          bill.bill_verify_class_name(bill.bill_verify_account_class(handle, i)),
          bill.bill_verify_account_evidence(handle, i)));
    }
    return Collections.unmodifiableList(out);
  }

  /** The rows, an empty line, then the accounts, as CSV. */
  public String toCsv() {
    return bill.billb_verify_report(handle, 0);
  }

  /** {"rows":[...],"accounts":[...]}, byte-identical for the same input. */
  public String toJson() {
    return bill.billb_verify_report(handle, 1);
  }

  /** Anomalies with the defaults: N = 3 zero periods, K = 3, 6 periods of history, at least 3. */
  public static AnomalyReport anomalies(Store store) {
    return anomalies(store, 3, BigDecimal.valueOf(3), 6, 3, null, null);
  }

  /** Anomalies of the store's history; start/end (both or neither) keep periods ending in [start, end). */
  public static AnomalyReport anomalies(Store store, int zeroPeriods, BigDecimal factor,
                                        int history, int minHistory, LocalDate start,
                                        LocalDate end) {
    bill_anomalies[] out = new bill_anomalies[1];
    bill.billb_anomalies_find(out, Objects.requireNonNull(store, "store").raw(), zeroPeriods,
        Objects.requireNonNull(factor, "factor"), history, minHistory,
        start != null ? start : EPOCH, end != null ? end : EPOCH);
    bill_anomalies h = out[0];
    try {
      List<Anomaly> list = new ArrayList<>();
      long n = bill.bill_anomalies_count(h);
      for (long i = 0; i < n; i++) {
        String usage = bill.bill_anomalies_text(h, i, "usage");
        list.add(new Anomaly(bill.bill_anomaly_kind_name(bill.bill_anomalies_kind(h, i)),
            bill.bill_anomalies_text(h, i, "account"), bill.bill_anomalies_text(h, i, "meter_serial"),
            LocalDate.parse(bill.bill_anomalies_text(h, i, "from")),
            LocalDate.parse(bill.bill_anomalies_text(h, i, "to")),
            usage.isEmpty() ? null : new BigDecimal(usage),
            bill.bill_anomalies_text(h, i, "evidence")));
      }
      return new AnomalyReport(Collections.unmodifiableList(list),
          bill.billb_anomalies_report(h, 0), bill.billb_anomalies_report(h, 1));
    } finally {
      h.delete();
    }
  }
}
