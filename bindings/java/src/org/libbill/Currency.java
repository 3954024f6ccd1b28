package org.libbill;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.libbill.jni.bill;
import org.libbill.jni.bill_currency;

/** A currency of libbill's ISO 4217 table: code "CNY", numeric 156, minor units 2, name. */
public final class Currency {
  static {
    Native.load();
  }

  private final String code;
  private final int numeric;
  private final int minorUnits;
  private final String name;

  private Currency(bill_currency c) {
    this.code = c.getCode();
    this.numeric = c.getNumeric();
    this.minorUnits = c.getMinor_units();
    this.name = c.getName();
  }

  /** The currency with this alphabetic code (case-insensitive); ArithException ECURRENCY if unknown. */
  public static Currency of(String code) {
    bill_currency[] out = new bill_currency[1];
    bill.bill_currency_find(out, code);
    return new Currency(out[0]);
  }

  /** Every currency of the table, sorted by code. */
  public static List<Currency> all() {
    long n = bill.bill_currency_count();
    List<Currency> list = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++)
      list.add(new Currency(bill.bill_currency_at(i)));
    return Collections.unmodifiableList(list);
  }

  public String code() {
    return code;
  }

  public int numeric() {
    return numeric;
  }

  /** Digits after the point: CNY 2, JPY 0, KWD 3. */
  public int minorUnits() {
    return minorUnits;
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Currency && ((Currency) o).code.equals(code);
  }

  @Override
  public int hashCode() {
    return code.hashCode();
  }

  @Override
  public String toString() {
    return code;
  }
}
