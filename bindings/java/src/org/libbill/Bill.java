package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.libbill.jni.bill;
import org.libbill.jni.bill_bill;

/**
 * An itemized bill: an immutable value copied from the C bill right after
 * {@link Tariff#compute(Usage)} (it depends on no C handle). The lines'
 * amounts add up to {@link #total()}. Iterating gives the lines.
 */
public final class Bill implements Iterable<BillLine> {
  private final List<BillLine> lines;
  private final BigDecimal subtotal;
  private final BigDecimal tax;
  private final boolean taxIncluded;
  private final BigDecimal total;
  private final String text;
  private final String json;

  private Bill(List<BillLine> lines, BigDecimal subtotal, BigDecimal tax, boolean taxIncluded,
               BigDecimal total, String text, String json) {
    this.lines = List.copyOf(lines);
    this.subtotal = subtotal;
    this.tax = tax;
    this.taxIncluded = taxIncluded;
    this.total = total;
    this.text = text;
    this.json = json;
  }

  /** Copies everything out of a computed C bill. */
  static Bill from(bill_bill b) {
    long n = bill.bill_bill_line_count(b);
    List<BillLine> lines = new ArrayList<>((int) n);
    String[] view = new String[10];
    for (long i = 0; i < n; i++) {
      bill.bill_bill_line(view, b, i);
      lines.add(new BillLine(LineKind.of(Integer.parseInt(view[0])), view[1], view[2], view[3],
                             new BigDecimal(view[5]), view[4], new BigDecimal(view[6]),
                             new BigDecimal(view[7]), LocalDate.parse(view[8]),
                             LocalDate.parse(view[9]), bill.bill_bill_line_explain(b, i)));
    }
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_bill_subtotal(out, b);
    BigDecimal subtotal = out[0];
    bill.bill_bill_tax(out, b);
    BigDecimal tax = out[0];
    bill.bill_bill_total(out, b);
    BigDecimal total = out[0];
    return new Bill(lines, subtotal, tax, bill.bill_bill_tax_included(b) != 0, total,
                    bill.bill_bill_to_text(b), bill.bill_bill_to_json(b));
  }

  /** The lines, in order (unmodifiable). */
  public List<BillLine> lines() {
    return lines;
  }

  /** Sum of the charge lines, before tax and rounding lines. */
  public BigDecimal subtotal() {
    return subtotal;
  }

  /** The VAT: included in the total when {@link #taxIncluded()}, else the tax line; 0 without VAT. */
  public BigDecimal tax() {
    return tax;
  }

  public boolean taxIncluded() {
    return taxIncluded;
  }

  /** The total: exactly the sum of the lines' amounts. */
  public BigDecimal total() {
    return total;
  }

  /** The bill as text for people, with an explanation under each line. */
  public String text() {
    return text;
  }

  /** The bill as JSON (amounts as decimal strings, byte-identical for the same inputs). */
  public String json() {
    return json;
  }

  @Override
  public Iterator<BillLine> iterator() {
    return lines.iterator();
  }

  @Override
  public String toString() {
    return text;
  }
}
