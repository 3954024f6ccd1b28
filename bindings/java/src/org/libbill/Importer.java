package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_import_kind;
import org.libbill.jni.bill_importer;

/**
 * Imports one CSV file of register readings or interval data
 * (docs/readings-csv.md) into a {@link Store} (include/bill/import.h). Every
 * row ends up accepted, duplicate (the same reading already stored, harmless)
 * or rejected (kept in the store's exceptions table with its line, column,
 * code and message): nothing is dropped silently, and importing the same
 * bytes again changes nothing. Rows are committed in batches; a bad header
 * throws {@link InputException} ESYNTAX naming the column.
 *
 * <p>Owns a C handle: use try-with-resources or {@link #close()}; closing
 * twice is harmless, use after closing throws {@link StateException}.
 */
public final class Importer extends NativeHandle implements AutoCloseable {
  static {
    Native.load();
  }

  /** What a file holds. */
  public enum Kind {
    READINGS, INTERVALS
  }

  /** What an import did: accepted + duplicate + rejected == total. */
  public record Report(String uuid, long total, long accepted, long duplicate, long rejected,
                       boolean alreadyImported, String digest) {
  }

  /** One rejected row: its line, the column at fault, the status name and the message. */
  public record Rejected(long line, String field, String code, String message) {
  }

  private final bill_importer handle;

  /**
   * Starts an import of {@code kind} into {@code store}, named {@code source}.
   * {@code now} (null: the current local time) is the time after which rows
   * are future-dated; {@code batchRows} (0: the default, 10,000) the rows per
   * transaction.
   */
  public Importer(Store store, String source, Kind kind, LocalDateTime now, int batchRows) {
    this(create(store, source, kind));
    try {
      if (now != null) {
        bill.bill_importer_set_now(handle, now);
      }
      if (batchRows != 0) {
        bill.bill_importer_set_batch_rows(handle, batchRows);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private Importer(bill_importer h) {
    super(h::delete, "import: the importer is closed"); // must not capture `this`
    handle = h;
  }

  private static bill_importer create(Store store, String source, Kind kind) {
    Objects.requireNonNull(store, "store");
    bill_importer[] out = new bill_importer[1];
    bill.bill_importer_create(out, store.raw(), kind(kind), Objects.requireNonNull(source, "source"));
    return out[0];
  }

  private static int kind(Kind kind) {
    return Objects.requireNonNull(kind, "kind") == Kind.READINGS
        ? bill_import_kind.BILL_IMPORT_READINGS : bill_import_kind.BILL_IMPORT_INTERVALS;
  }

  /** The next chunk of the file. */
  public void feed(String chunk) {
    bill.bill_importer_feed(handle, Objects.requireNonNull(chunk, "chunk"));
  }

  /** End of the file: the final report. */
  public Report finish() {
    bill.bill_importer_finish(handle);
    return report();
  }

  /** Imports the whole file at {@code path} (streamed by the C library) and finishes. */
  public Report readFile(String path) {
    bill.bill_importer_read_file(handle, Objects.requireNonNull(path, "path"));
    return report();
  }

  /** The counts so far (final after {@link #finish()}). */
  public Report report() {
    return new Report(bill.bill_importer_uuid(handle), bill.bill_importer_total(handle),
        bill.bill_importer_accepted(handle), bill.bill_importer_duplicate(handle),
        bill.bill_importer_rejected(handle), bill.bill_importer_already_imported(handle) != 0,
        bill.bill_importer_digest(handle));
  }

  /** Imports the file at {@code path} into {@code store} (its path is the import's source). */
  public static Report importFile(Store store, String path, Kind kind, LocalDateTime now) {
    try (Importer imp = new Importer(store, path, kind, now, 0)) {
      return imp.readFile(path);
    }
  }

  /**
   * Stores one reading (as read, before the multiplier) with the import's
   * checks: true when stored, false when the same reading was already there;
   * {@link InputException} when rejected.
   */
  public static boolean addReading(Store store, String serial, String register, LocalDateTime at,
                                   BigDecimal value, boolean estimated, String source) {
    return bill.bill_store_add_reading(store.raw(), serial, register, at, value, estimated ? 1 : 0,
        source) == 0;
  }

  /** Stores one interval of 15, 30 or 60 minutes: true when stored, false for a duplicate. */
  public static boolean addInterval(Store store, String serial, LocalDateTime start, int minutes,
                                    BigDecimal kwh, boolean estimated) {
    return bill.bill_store_add_interval(store.raw(), serial, start, minutes, kwh,
        estimated ? 1 : 0) == 0;
  }

  /** The rejected rows of import {@code uuid}, in line order. */
  public static List<Rejected> exceptions(Store store, String uuid) {
    String text = bill.bill_store_import_exceptions(store.raw(), uuid);
    List<Rejected> out = new ArrayList<>();
    for (String row : text.split("\n")) {
      if (row.isEmpty()) {
        continue;
      }
      String[] f = row.split("\t", 4);
      out.add(new Rejected(Long.parseLong(f[0]), f[1], f[2], f[3]));
    }
    return out;
  }

  /** Number of stored register readings or intervals. */
  public static long countReadings(Store store, Kind kind) {
    long[] out = new long[1];
    bill.bill_store_count_readings(out, store.raw(), kind(kind));
    return out[0];
  }
}
