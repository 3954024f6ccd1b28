package org.libbill;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_status;

/**
 * An amount of money: an exact {@link BigDecimal} amount (its scale is kept)
 * in a currency of the ISO 4217 table. Immutable. Arithmetic, comparison,
 * rounding and allocation are done by the C library, which refuses to mix
 * currencies ({@link ArithException}, ECURRENCY).
 */
public final class Money implements Comparable<Money> {
  static {
    Native.load();
  }

  private final BigDecimal amount;
  private final String currency;

  private Money(String[] pair) {
    this.amount = new BigDecimal(pair[0]);
    this.currency = pair[1];
  }

  /** {@code amount} in {@code currency} (checked against the table; the code is upper-cased). */
  public static Money of(BigDecimal amount, String currency) {
    String[] r = new String[2];
    bill.bill_money_set(r, amount, currency);
    return new Money(r);
  }

  /** Decimal text (checked by the C parser) in {@code currency}. */
  public static Money of(String amount, String currency) {
    String[] r = new String[2];
    bill.bill_money_parse(r, amount, currency);
    return new Money(r);
  }

  public static Money of(long amount, String currency) {
    return of(BigDecimal.valueOf(amount), currency);
  }

  public BigDecimal amount() {
    return amount;
  }

  /** The upper-case ISO code, e.g. "CNY". */
  public String currency() {
    return currency;
  }

  public Currency currencyInfo() {
    return Currency.of(currency);
  }

  private String[] pair() {
    return new String[] {amount.toString(), currency};
  }

  public Money plus(Money other) {
    String[] r = new String[2];
    bill.bill_money_add(r, pair(), other.pair());
    return new Money(r);
  }

  public Money minus(Money other) {
    String[] r = new String[2];
    bill.bill_money_sub(r, pair(), other.pair());
    return new Money(r);
  }

  public Money negate() {
    String[] r = new String[2];
    bill.bill_money_neg(r, pair());
    return new Money(r);
  }

  /** This amount times a quantity or a rate (exact). */
  public Money times(BigDecimal factor) {
    String[] r = new String[2];
    bill.bill_money_mul(r, pair(), factor);
    return new Money(r);
  }

  public Money times(long factor) {
    return times(BigDecimal.valueOf(factor));
  }

  /** Rounded to the currency's minor units (fen, yen, fils) with {@code mode}. */
  public Money round(RoundingMode mode) {
    String[] r = new String[2];
    bill.bill_money_round(r, pair(), Rounding.code(mode));
    return new Money(r);
  }

  /**
   * Splits into n equal parts in minor units that add up exactly to this
   * amount, which must already be in minor units (else ArithException EROUNDING).
   */
  public List<Money> allocate(int n, Remainder rule) {
    if (n < 0)
      throw BillException.of(bill_status.BILL_EINVAL, "allocate: the number of parts must not be negative");
    return parts(new String[n][], null, rule);
  }

  /** Splits into parts proportional to {@code ratios}. */
  public List<Money> allocate(List<BigDecimal> ratios, Remainder rule) {
    BigDecimal[] r = ratios.toArray(new BigDecimal[0]);
    return parts(new String[r.length][], r, rule);
  }

  private List<Money> parts(String[][] parts, BigDecimal[] ratios, Remainder rule) {
    bill.bill_money_allocate(parts, pair(), ratios, Objects.requireNonNull(rule, "rule").code);
    List<Money> list = new ArrayList<>(parts.length);
    for (String[] p : parts)
      list.add(new Money(p));
    return Collections.unmodifiableList(list);
  }

  /** Numeric comparison; ArithException ECURRENCY for different currencies. */
  @Override
  public int compareTo(Money other) {
    int[] out = new int[1];
    bill.bill_money_cmp(out, pair(), other.pair());
    return out[0];
  }

  /** Same currency and the same value (1.5 equals 1.50). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Money))
      return false;
    Money m = (Money) o;
    return m.currency.equals(currency) && compareTo(m) == 0;
  }

  @Override
  public int hashCode() {
    // equal values with different scales must hash alike, as equals() says they are equal
    return Objects.hash(currency, amount.stripTrailingZeros());
  }

  /** "CNY 123.45": code, a space, the plain amount. */
  @Override
  public String toString() {
    return bill.bill_money_to_str(pair());
  }
}
