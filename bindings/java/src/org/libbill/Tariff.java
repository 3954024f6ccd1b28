package org.libbill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_bill;
import org.libbill.jni.bill_tariff;

/**
 * A compiled tariff (JSON "format": "libbill-tariff/1"), immutable once
 * loaded: several threads may compute with one tariff at once.
 *
 * <p>Built by {@link #load(String, String)} or {@link #loadFile(Path)}; errors
 * throw {@link InputException} (ESYNTAX, ERANGE, ERULE, EDATE, ECURRENCY)
 * whose message reads "source:line:col: reason (at JSON path)". Owns a C
 * handle: use try-with-resources or {@link #close()}. Closing twice is
 * harmless; any use after closing throws {@link StateException} (ESTATE). No
 * finalizer: a tariff that is never closed is freed by a {@link Cleaner}.
 */
public final class Tariff extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  private final bill_tariff handle;

  private Tariff(bill_tariff h) {
    super(h::delete, "tariff: the tariff is closed"); // must not capture `this`
    handle = h;
  }

  /** A tariff from JSON text; {@code source} (may be null) names it in error messages. */
  public static Tariff load(String json, String source) {
    bill_tariff[] out = new bill_tariff[1];
    bill.bill_tariff_load(out, Objects.requireNonNull(json, "json"), source);
    return new Tariff(out[0]);
  }

  /** A tariff from JSON text, named "&lt;json&gt;" in error messages. */
  public static Tariff load(String json) {
    return load(json, null);
  }

  /** A tariff from a UTF-8 JSON file (its path names it in error messages). */
  public static Tariff loadFile(Path path) {
    String text;
    try {
      text = Files.readString(Objects.requireNonNull(path, "path"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return load(text, path.toString());
  }

  bill_tariff handle() {
    checkOpen(); // a closed handle passed to another class's method
    return handle;
  }

  public String id() {
    return bill.bill_tariff_id(handle);
  }

  /** The tariff's name ("" when absent). */
  public String name() {
    return bill.bill_tariff_name(handle);
  }

  /** The ISO 4217 currency code ("CNY"). */
  public String currency() {
    return bill.bill_tariff_currency(handle);
  }

  /** The effective dates of the versions, increasing. */
  public List<LocalDate> versions() {
    long n = bill.bill_tariff_version_count(handle);
    List<LocalDate> dates = new ArrayList<>();
    LocalDate[] out = new LocalDate[1];
    for (long i = 0; i < n; i++) {
      bill.bill_tariff_version_effective(out, handle, i);
      dates.add(out[0]);
    }
    return List.copyOf(dates);
  }

  /** The TOU period of charge {@code chargeId} at {@code at} on a day of type {@code dayType}. */
  public String touPeriod(String chargeId, LocalDateTime at, DayType dayType) {
    String[] out = new String[1];
    bill.bill_tariff_tou_period(out, handle, Objects.requireNonNull(chargeId, "chargeId"),
                                Objects.requireNonNull(at, "at"),
                                Objects.requireNonNull(dayType, "dayType").code);
    return out[0];
  }

  /** The bill of {@code usage} under this tariff (an immutable value). */
  public Bill compute(Usage usage) {
    Objects.requireNonNull(usage, "usage");
    bill_bill[] out = new bill_bill[1];
    bill.bill_bill_create(out);
    try (bill_bill b = out[0]) {
      bill.bill_tariff_compute(handle, usage.handle(), b);
      return Bill.from(b);
    }
  }

  @Override
  public String toString() {
    return isClosed() ? "Tariff(closed)" : "Tariff(" + id() + ", " + currency() + ")";
  }
}
