package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MoneyTest {
  @Test
  void constructionKeepsTheAmountAndNormalisesTheCode() {
    Money m = Money.of("123.45", "cny");
    assertEquals("CNY", m.currency());
    assertEquals(new BigDecimal("123.45"), m.amount());
    assertEquals(-2, Money.of(new BigDecimal("1.5E+3"), "JPY").amount().scale());
    assertEquals(new BigDecimal(7), Money.of(7, "USD").amount());
  }

  @Test
  void toStringIsCodeSpaceAmount() {
    assertEquals("CNY 123.45", Money.of("123.45", "CNY").toString());
    assertEquals("USD -0.50", Money.of("-0.50", "USD").toString());
    assertEquals("JPY 1500", Money.of(new BigDecimal("1.5E+3"), "JPY").toString());
  }

  @Test
  void arithmetic() {
    Money a = Money.of("1648.56", "CNY");
    Money b = Money.of("12.00", "CNY");
    assertEquals(Money.of("1660.56", "CNY"), a.plus(b));
    assertEquals("CNY 1636.56", a.minus(b).toString());
    assertEquals("CNY -1648.56", a.negate().toString());
    assertEquals(new BigDecimal("1648.56015"), Money.of("0.5283", "CNY").times(new BigDecimal("3120.5")).amount());
    assertEquals(new BigDecimal("1.5849"), Money.of("0.5283", "CNY").times(3).amount());
  }

  @Test
  void arithmeticIsExact() {
    Random rnd = new Random(3);
    for (int i = 0; i < 500; i++) {
      BigDecimal x = new BigDecimal(new java.math.BigInteger(90, rnd), rnd.nextInt(8) - 2);
      BigDecimal y = new BigDecimal(new java.math.BigInteger(70, rnd).negate(), rnd.nextInt(8) - 2);
      Money mx = Money.of(x, "EUR"), my = Money.of(y, "EUR");
      assertEquals(x.add(y), mx.plus(my).amount());
      assertEquals(x.subtract(y), mx.minus(my).amount());
      assertEquals(x.multiply(y), mx.times(y).amount());
      assertEquals(x.compareTo(y), mx.compareTo(my));
    }
  }

  @Test
  void currenciesDoNotMix() {
    Money cny = Money.of("1", "CNY"), usd = Money.of("1", "USD");
    for (Runnable op : List.<Runnable>of(() -> cny.plus(usd), () -> cny.minus(usd), () -> cny.compareTo(usd))) {
      ArithException e = assertThrows(ArithException.class, op::run);
      assertEquals("ECURRENCY", e.codeName());
      assertTrue(e.getMessage().contains("CNY") && e.getMessage().contains("USD"), e.getMessage());
    }
    assertNotEquals(cny, usd);
  }

  @Test
  void equalsAndHashCodeIgnoreTheScale() {
    assertEquals(Money.of("1.5", "CNY"), Money.of("1.50", "CNY"));
    assertEquals(Money.of("1.5", "CNY").hashCode(), Money.of("1.50", "CNY").hashCode());
    assertEquals(Money.of("0", "CNY").hashCode(), Money.of("0.00", "CNY").hashCode());
    Set<Money> set = new HashSet<>(List.of(Money.of("1.5", "CNY"), Money.of("1.50", "CNY"), Money.of("1.5", "USD")));
    assertEquals(2, set.size());
    List<Money> list = new ArrayList<>(List.of(Money.of("3", "CNY"), Money.of("-1", "CNY"), Money.of("2.5", "CNY")));
    Collections.sort(list);
    assertEquals(List.of(Money.of("-1", "CNY"), Money.of("2.5", "CNY"), Money.of("3", "CNY")), list);
  }

  @Test
  void roundToMinorUnits() {
    assertEquals(new BigDecimal("2.35"), Money.of("2.345", "CNY").round(RoundingMode.HALF_UP).amount());
    assertEquals(new BigDecimal("2.34"), Money.of("2.345", "CNY").round(RoundingMode.HALF_EVEN).amount());
    assertEquals(new BigDecimal("1235"), Money.of("1234.5", "JPY").round(RoundingMode.HALF_UP).amount());
    assertEquals(new BigDecimal("1.234"), Money.of("1.23456", "KWD").round(RoundingMode.DOWN).amount());
    assertEquals(new BigDecimal("7.00"), Money.of("7", "CNY").round(RoundingMode.UNNECESSARY).amount());
    assertEquals("EROUNDING", assertThrows(ArithException.class,
                                           () -> Money.of("2.345", "CNY").round(RoundingMode.UNNECESSARY)).codeName());
  }

  @Test
  void allocate() {
    List<Money> parts = Money.of("100.00", "CNY").allocate(3, Remainder.TO_LAST);
    assertEquals(List.of(Money.of("33.33", "CNY"), Money.of("33.33", "CNY"), Money.of("33.34", "CNY")), parts);
    assertEquals("CNY 33.34", Money.of("100.00", "CNY").allocate(3, Remainder.SPREAD_FIRST).get(0).toString());
    List<Money> byRatio = Money.of("100", "JPY").allocate(List.of(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE),
                                                           Remainder.SPREAD_FIRST);
    assertEquals(List.of(Money.of(34, "JPY"), Money.of(33, "JPY"), Money.of(33, "JPY")), byRatio);
    assertThrows(ArithException.class, () -> Money.of("100.005", "CNY").allocate(2, Remainder.SPREAD_FIRST));
    Random rnd = new Random(5);
    for (String code : new String[] {"CNY", "JPY", "KWD"}) {
      int minor = Currency.of(code).minorUnits();
      for (int i = 0; i < 100; i++) {
        Money total = Money.of(BigDecimal.valueOf(rnd.nextLong() % 10_000_000_000L, minor), code);
        List<Money> ps = total.allocate(1 + rnd.nextInt(20), Remainder.values()[i % 5]);
        Money sum = ps.get(0);
        for (Money p : ps.subList(1, ps.size())) {
          assertEquals(minor, p.amount().scale());
          sum = sum.plus(p);
        }
        assertEquals(total, sum);
      }
    }
  }

  @Test
  void badInput() {
    ArithException e = assertThrows(ArithException.class, () -> Money.of("1", "XYZ"));
    assertEquals("ECURRENCY", e.codeName());
    assertTrue(e.getMessage().contains("XYZ"));
    InputException i = assertThrows(InputException.class, () -> Money.of("12,50", "CNY"));
    assertTrue(i.getMessage().contains("12,50"), i.getMessage());
  }

  @Test
  void currencies() {
    Currency cny = Currency.of("cny");
    assertEquals("CNY", cny.code());
    assertEquals(156, cny.numeric());
    assertEquals(2, cny.minorUnits());
    assertTrue(cny.name().toLowerCase().contains("yuan"));
    assertEquals(0, Currency.of("JPY").minorUnits());
    assertEquals(3, Currency.of("KWD").minorUnits());
    assertEquals(cny, Money.of("1", "CNY").currencyInfo());
    List<Currency> all = Currency.all();
    assertTrue(all.size() > 100);
    for (int i = 1; i < all.size(); i++)
      assertTrue(all.get(i - 1).code().compareTo(all.get(i).code()) < 0);
    for (Currency c : all)
      assertEquals(c.numeric(), Currency.of(c.code()).numeric());
    assertEquals("ECURRENCY", assertThrows(ArithException.class, () -> Currency.of("ABC")).codeName());
  }
}
