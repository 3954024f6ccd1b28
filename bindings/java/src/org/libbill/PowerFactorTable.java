package org.libbill;

import java.lang.ref.Cleaner;
import java.math.BigDecimal;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_pf_table;

/**
 * A power-factor adjustment table (功率因数调整电费): the adjustment in
 * percent of the base charge for each PF from 0.00 to 1.00, positive for a
 * surcharge and negative for a rebate ({@code -0.75} means −0.75 %).
 *
 * <p>Built by {@link #standard(String)} (the 1983 rules for the standards
 * 0.90, 0.85 and 0.80) or {@link #load(BigDecimal, String)} (a utility's own
 * table). Owns a C handle: use try-with-resources or {@link #close()}.
 * Closing twice is harmless; any use after closing throws
 * {@link StateException} (ESTATE). No finalizer: a table that is never
 * closed is freed by a {@link Cleaner} once it is unreachable.
 */
public final class PowerFactorTable extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  private final bill_pf_table handle;

  private PowerFactorTable(bill_pf_table h) {
    super(h::delete, "power factor table: the table is closed"); // must not capture `this`
    handle = h;
  }

  /**
   * The built-in table for the standard "0.90", "0.85" or "0.80" (decimal
   * text, checked by the C library); another standard throws
   * {@link InputException} ERANGE.
   */
  public static PowerFactorTable standard(String standard) {
    bill_pf_table[] out = new bill_pf_table[1];
    bill.bill_pf_table_create_standard(out, Objects.requireNonNull(standard, "standard"));
    return new PowerFactorTable(out[0]);
  }

  /** The built-in table for the standard 0.90, 0.85 or 0.80. */
  public static PowerFactorTable standard(BigDecimal standard) {
    return standard(Objects.requireNonNull(standard, "standard").toString());
  }

  /**
   * A table from text, one rule a line: "PF PERCENT" or "FROM-TO PERCENT"
   * (e.g. "0.95-1.00 -0.75"); '#' starts a comment. Every PF from 0.00 to
   * 1.00 must be covered exactly once and {@code standard} must have 0 %,
   * else {@link InputException} (ESYNTAX or ERULE) whose message names the
   * line or the missing PF.
   */
  public static PowerFactorTable load(BigDecimal standard, String text) {
    bill_pf_table[] out = new bill_pf_table[1];
    bill.bill_pf_table_load(out, Objects.requireNonNull(standard, "standard").toString(),
                            Objects.requireNonNull(text, "text"));
    return new PowerFactorTable(out[0]);
  }

  /** The standard of the table (the PF with a 0 % adjustment), scale 2. */
  public BigDecimal standard() {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_pf_table_standard(out, handle);
    return out[0];
  }

  /**
   * The adjustment in percent for {@code pf}, rounded half-up to two
   * decimals first; a PF outside 0.00..1.00 throws {@link InputException} ERANGE.
   */
  public BigDecimal percent(BigDecimal pf) {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_pf_table_percent(out, handle, Objects.requireNonNull(pf, "pf"));
    return out[0];
  }

  @Override
  public String toString() {
    return isClosed() ? "PowerFactorTable(closed)" : "PowerFactorTable(standard " + standard() + ")";
  }
}
