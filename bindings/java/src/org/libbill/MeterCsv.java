package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_meter_csv;

/**
 * A reader of one meter-data CSV file (docs/readings-csv.md): register
 * readings, interval data or a field audit. {@link #feed(String)} takes the
 * next chunk of the file and returns the rows it completed: valid rows with
 * exact {@link BigDecimal} values, and rejected rows with the line, the
 * column at fault and the reason (a rejected row does not stop the file). A
 * bad header throws {@link InputException} ESYNTAX naming the column.
 *
 * <p>Owns a C handle: use try-with-resources or {@link #close()}; closing
 * twice is harmless, use after closing throws {@link StateException}.
 */
public final class MeterCsv extends NativeHandle implements AutoCloseable {
  static {
    Native.load();
  }

  /** The formats. */
  public enum Format {
    READINGS, INTERVALS, AUDIT
  }

  /**
   * One data row. For a rejected row {@code status} is the error's name
   * ("ESYNTAX", "ERANGE", "EDATE"), {@code reason} says why and the typed
   * fields are empty (value and time null).
   */
  public record Row(long line, String status, String reason, String column, String meterSerial,
                    String register, String source, String foundAccount, String foundAddress,
                    BigDecimal value, LocalDateTime time, boolean hasTime, boolean estimated,
                    int minutes) {
    /** True for a valid row. */
    public boolean ok() {
      return "OK".equals(status);
    }
  }

  private final bill_meter_csv handle;
  private final Format format;

  /** A reader for {@code format}. */
  public MeterCsv(Format format) {
    this(Objects.requireNonNull(format, "format"), create(format));
  }

  private MeterCsv(Format format, bill_meter_csv h) {
    super(h::delete, "meter CSV: the reader is closed"); // must not capture `this`
    this.format = format;
    handle = h;
  }

  private static bill_meter_csv create(Format format) {
    bill_meter_csv[] out = new bill_meter_csv[1];
    bill.bill_meter_csv_create(out, format.ordinal());
    return out[0];
  }

  private List<Row> drain() {
    List<Row> rows = new ArrayList<>();
    while (bill.bill_meter_csv_next(handle) == 1) {
      int st = bill.bill_meter_csv_status(handle);
      long line = bill.bill_meter_csv_line(handle);
      if (st != 0) {
        rows.add(new Row(line, bill.bill_status_name(st), bill.bill_meter_csv_reason(handle),
            bill.bill_meter_csv_column(handle), "", "", "", "", "", null, null, false, false, 0));
        continue;
      }
      BigDecimal[] value = new BigDecimal[1];
      bill.bill_meter_csv_value(value, handle);
      LocalDateTime[] time = new LocalDateTime[1];
      bill.bill_meter_csv_time(time, handle);
      rows.add(new Row(line, "OK", "", "", text("meter_serial"), text("register"), text("source"),
          text("found_account"), text("found_address"), value[0], time[0],
          bill.bill_meter_csv_has_time(handle) != 0,
          bill.bill_meter_csv_kind(handle) == org.libbill.jni.bill_reading_kind.BILL_READING_ESTIMATED,
          bill.bill_meter_csv_minutes(handle)));
    }
    return rows;
  }

  private String text(String name) {
    return bill.bill_meter_csv_text(handle, name);
  }

  /** Read the next chunk of the file; the rows it completed. */
  public List<Row> feed(String chunk) {
    bill.bill_meter_csv_feed(handle, Objects.requireNonNull(chunk, "chunk"));
    return drain();
  }

  /** End of the file; the rows still pending (the last one). */
  public List<Row> finish() {
    bill.bill_meter_csv_finish(handle);
    return drain();
  }

  /** Data rows read so far (valid and rejected). */
  public long rows() {
    return bill.bill_meter_csv_rows(handle);
  }

  /** Rejected rows read so far. */
  public long rejected() {
    return bill.bill_meter_csv_rejected(handle);
  }

  /** The format read. */
  public Format format() {
    return format;
  }
}
