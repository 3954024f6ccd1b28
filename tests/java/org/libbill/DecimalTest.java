package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decimals of the Java binding against java.math.BigDecimal, whose operations
 * the C library promises to match (setScale, divide, MathContext rounding).
 * BigDecimal.equals compares value and scale, so every check covers both.
 */
class DecimalTest {
  private static final String[] TEXTS = {
    "0", "1", "-1", "0.5", "-0.5", "1.5", "2.5", "-2.5", "2.345", "2.355", "-2.345", "0.125",
    "1648.56015", "0.5283", "3120.5", "123456789012345678901234567890.123456789", "-9999999999999999999.99",
    "1E+3", "1.5E+3", "-2.5E+2", "0.0001", "1E-7", "0.000", "100", "7", "-13", "99.995", "0.045",
  };

  private static List<BigDecimal> values() {
    List<BigDecimal> list = new ArrayList<>();
    for (String t : TEXTS)
      list.add(new BigDecimal(t));
    Random rnd = new Random(20250101);
    for (int i = 0; i < 60; i++) {
      BigInteger coef = new BigInteger(1 + rnd.nextInt(100), rnd);
      if (rnd.nextBoolean())
        coef = coef.negate();
      if (rnd.nextInt(3) == 0)
        coef = coef.multiply(BigInteger.TEN).add(BigInteger.valueOf(5)); // ties
      list.add(new BigDecimal(coef, rnd.nextInt(25) - 5));
    }
    return list;
  }

  private static final List<BigDecimal> VALUES = values();

  @Test
  void parseAndFormatRoundTrip() {
    for (BigDecimal x : VALUES) {
      assertEquals(x, Decimals.parse(x.toString()), x.toString());
      assertEquals(x.toString(), Decimals.toSciString(x));
      assertEquals(x.toPlainString(), Decimals.toPlainString(x));
      assertEquals(0, Decimals.parse(x.toPlainString()).compareTo(x));
    }
  }

  @Test
  void parseAcceptsTheDocumentedForms() {
    assertEquals(new BigDecimal("1.50"), Decimals.parse("+1.50"));
    assertEquals(new BigDecimal("0.5"), Decimals.parse(".5"));
    assertEquals(new BigDecimal("5"), Decimals.parse("5."));
    assertEquals(new BigDecimal("1.5E+3"), Decimals.parse("1.5E+3"));
    assertEquals(-2, Decimals.parse("1.5E+3").scale());
    assertEquals(new BigDecimal("0.00"), Decimals.parse("-0.00"));
    for (String bad : new String[] {"", " 1", "1 ", "1.2.3", "NaN", "inf", "0x10", "1,000", "+", "."}) {
      InputException e = assertThrows(InputException.class, () -> Decimals.parse(bad), bad);
      assertTrue(e.codeName().equals("ESYNTAX") || e.codeName().equals("ERANGE"), bad);
    }
  }

  @Test
  void exactArithmeticMatchesBigDecimal() {
    for (BigDecimal a : VALUES)
      for (BigDecimal b : VALUES) {
        assertEquals(a.add(b), Decimals.add(a, b));
        assertEquals(a.subtract(b), Decimals.subtract(a, b));
        assertEquals(a.multiply(b), Decimals.multiply(a, b));
        assertEquals(a.compareTo(b), Decimals.compare(a, b));
      }
    for (BigDecimal a : VALUES)
      assertEquals(a.negate(), Decimals.negate(a));
  }

  @Test
  void rescaleMatchesSetScaleForEveryRoundingMode() {
    int checked = 0;
    for (RoundingMode mode : RoundingMode.values())
      for (BigDecimal x : VALUES)
        for (int scale = -3; scale <= 6; scale++) {
          BigDecimal expected;
          try {
            expected = x.setScale(scale, mode);
          } catch (ArithmeticException e) {
            final int s = scale;
            ArithException ex = assertThrows(ArithException.class, () -> Decimals.rescale(x, s, mode));
            assertEquals("EROUNDING", ex.codeName());
            continue;
          }
          assertEquals(expected, Decimals.rescale(x, scale, mode), x + " " + scale + " " + mode);
          checked++;
        }
    assertTrue(checked > 4000);
  }

  @Test
  void divideMatchesBigDecimalDivideForEveryRoundingMode() {
    List<BigDecimal> divisors = new ArrayList<>(VALUES.subList(0, 40));
    for (String t : new String[] {"2", "-4", "8", "0.5", "1.6", "-25", "3", "7", "0.125"})
      divisors.add(new BigDecimal(t));
    for (RoundingMode mode : RoundingMode.values())
      for (BigDecimal a : VALUES)
        for (BigDecimal b : divisors) {
          if (b.signum() == 0)
            continue;
          for (int scale : new int[] {-2, 0, 2, 5}) {
            BigDecimal expected;
            try {
              expected = a.divide(b, scale, mode);
            } catch (ArithmeticException e) {
              assertThrows(ArithException.class, () -> Decimals.divide(a, b, scale, mode));
              continue;
            }
            assertEquals(expected, Decimals.divide(a, b, scale, mode), a + "/" + b + " " + scale + " " + mode);
          }
        }
  }

  @Test
  void divideToPrecisionMatchesMathContext() {
    for (RoundingMode mode : RoundingMode.values()) {
      if (mode == RoundingMode.UNNECESSARY)
        continue;
      for (BigDecimal a : VALUES)
        for (BigDecimal b : VALUES.subList(0, 30)) {
          if (b.signum() == 0)
            continue;
          for (int precision : new int[] {1, 3, 7, 20}) {
            BigDecimal expected = a.divide(b, new MathContext(precision, mode));
            assertEquals(expected, Decimals.divideToPrecision(a, b, precision, mode),
                         a + "/" + b + " prec " + precision + " " + mode);
          }
        }
    }
  }

  @Test
  void roundToPrecisionMatchesMathContext() {
    for (RoundingMode mode : RoundingMode.values()) {
      if (mode == RoundingMode.UNNECESSARY)
        continue;
      for (BigDecimal x : VALUES)
        for (int precision = 1; precision <= 12; precision++)
          assertEquals(x.round(new MathContext(precision, mode)), Decimals.roundToPrecision(x, precision, mode),
                       x + " prec " + precision + " " + mode);
    }
    for (BigDecimal x : VALUES)
      assertEquals(x, Decimals.roundToPrecision(x, 0, RoundingMode.HALF_UP));
  }

  @Test
  void examples() {
    assertEquals(new BigDecimal("1648.56"),
                 Decimals.rescale(new BigDecimal("0.5283").multiply(new BigDecimal("3120.5")), 2, RoundingMode.HALF_UP));
    assertEquals(new BigDecimal("2.35"), Decimals.rescale(new BigDecimal("2.345"), 2, RoundingMode.HALF_UP));
    assertEquals(new BigDecimal("2.34"), Decimals.rescale(new BigDecimal("2.345"), 2, RoundingMode.HALF_EVEN));
    assertEquals(new BigDecimal("0.33333"), Decimals.divide(BigDecimal.ONE, new BigDecimal(3), 5, RoundingMode.HALF_UP));
    assertEquals(new BigDecimal("1.23"), Decimals.trim(new BigDecimal("1.2300"), 0));
    assertEquals(12345L, Decimals.toUnits(new BigDecimal("123.45"), 2));
    assertThrows(ArithException.class, () -> Decimals.toUnits(new BigDecimal("1.234"), 2));
  }

  @Test
  void allocationSumsExactly() {
    Random rnd = new Random(7);
    for (Remainder rule : Remainder.values())
      for (int i = 0; i < 200; i++) {
        int scale = rnd.nextInt(4);
        BigDecimal total = new BigDecimal(BigInteger.valueOf(rnd.nextLong() % 1_000_000_000_000L), scale);
        int n = 1 + rnd.nextInt(25);
        List<BigDecimal> parts = Decimals.allocate(total, n, scale, rule);
        assertEquals(n, parts.size());
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal p : parts) {
          assertEquals(scale, p.scale());
          sum = sum.add(p);
        }
        assertEquals(0, sum.compareTo(total), total + " / " + n + " " + rule);
      }
  }

  @Test
  void allocationByRatios() {
    List<BigDecimal> ratios = List.of(BigDecimal.ONE, new BigDecimal(2), new BigDecimal(3));
    assertEquals(List.of(new BigDecimal("16.67"), new BigDecimal("33.33"), new BigDecimal("50.00")),
                 Decimals.allocate(new BigDecimal("100"), ratios, 2, Remainder.SPREAD_FIRST));
    assertEquals(List.of(new BigDecimal("0.01"), new BigDecimal("0.01"), new BigDecimal("0.03")),
                 Decimals.allocate(new BigDecimal("0.05"), 3, 2, Remainder.TO_LAST));
    assertEquals(List.of(new BigDecimal("-0.02"), new BigDecimal("-0.02"), new BigDecimal("-0.01")),
                 Decimals.allocate(new BigDecimal("-0.05"), 3, 2, Remainder.SPREAD_FIRST));
    Random rnd = new Random(11);
    for (int i = 0; i < 300; i++) {
      int n = 1 + rnd.nextInt(10);
      List<BigDecimal> r = new ArrayList<>();
      for (int k = 0; k < n; k++)
        r.add(BigDecimal.valueOf(rnd.nextInt(1000), rnd.nextInt(3)));
      if (r.stream().allMatch(x -> x.signum() == 0))
        r.set(0, BigDecimal.ONE);
      BigDecimal total = new BigDecimal(BigInteger.valueOf(rnd.nextInt(2_000_000) - 1_000_000), 2);
      List<BigDecimal> parts = Decimals.allocate(total, r, 2, Remainder.values()[i % Remainder.values().length]);
      assertEquals(0, parts.stream().reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(total));
    }
  }

  @Test
  void allocationErrors() {
    assertEquals("EROUNDING",
                 assertThrows(ArithException.class,
                              () -> Decimals.allocate(new BigDecimal("0.055"), 3, 2, Remainder.SPREAD_FIRST)).codeName());
    assertThrows(ArgumentException.class, () -> Decimals.allocate(BigDecimal.ONE, 0, 2, Remainder.SPREAD_FIRST));
    assertThrows(ArgumentException.class, () -> Decimals.allocate(BigDecimal.ONE, -2, 2, Remainder.SPREAD_FIRST));
    assertThrows(ArgumentException.class,
                 () -> Decimals.allocate(BigDecimal.ONE, List.of(BigDecimal.ZERO, BigDecimal.ZERO), 2, Remainder.TO_LAST));
  }
}
