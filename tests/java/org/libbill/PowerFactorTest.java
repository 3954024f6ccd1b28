package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.libbill.jni.bill;
import org.libbill.jni.bill_pf_table;

class PowerFactorTest {
  private static final BigDecimal HALF_STEP = new BigDecimal("0.005");

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static String pf(String kwh, String kvarh) {
    return PowerFactor.compute(bd(kwh), bd(kvarh)).toString();
  }

  // ---- PowerFactor.compute ---------------------------------------------------------------

  @Test
  void values() {
    assertEquals("0.60", pf("3", "4")); // 3-4-5 triangle: exactly 0.6
    assertEquals("0.80", pf("4", "3"));
    assertEquals("1.00", pf("100", "0"));
    assertEquals("0.00", pf("0", "100"));
    assertEquals("0.71", pf("100", "100"));
    assertEquals("0.90", pf("120000", "-58000")); // the sign of kvarh is ignored
    assertEquals("0.60", pf("3000000000000000000000", "4000000000000000000000")); // 22 digits
    assertEquals("0.60", pf("0.3", "0.4"));
    assertEquals("0.28", pf("7", "24"));
  }

  @Test
  void halfUpBoundary() {
    assertEquals("0.84", pf("1", "0.6330")); // 0.84496..
    assertEquals("0.84", pf("1", "0.6329")); // 0.844985..
    assertEquals("0.85", pf("1", "0.6328")); // 0.845023..
  }

  @Test
  void nothingIsOutOfRange() {
    InputException e = assertThrows(InputException.class, () -> PowerFactor.compute(BigDecimal.ZERO, BigDecimal.ZERO));
    assertEquals("ERANGE", e.codeName());
    assertEquals(ErrorFamily.INPUT, e.family());
    assertTrue(e.getMessage().contains("both zero"), e.getMessage());
    InputException neg = assertThrows(InputException.class, () -> PowerFactor.compute(bd("-5"), BigDecimal.ONE));
    assertEquals("ERANGE", neg.codeName());
    assertThrows(NullPointerException.class, () -> PowerFactor.compute(null, BigDecimal.ONE));
  }

  /** p is right iff (p - 0.005)^2 * S <= kWh^2 < (p + 0.005)^2 * S, S = kWh^2 + kvarh^2 (exact). */
  @Test
  void matchesTheDefinition() {
    Random rnd = new Random(20250101);
    for (int i = 0; i < 3000; i++) {
      BigDecimal kwh = new BigDecimal(new BigInteger(1 + rnd.nextInt(80), rnd), rnd.nextInt(7));
      BigDecimal kvarh = new BigDecimal(new BigInteger(1 + rnd.nextInt(80), rnd), rnd.nextInt(7));
      if (rnd.nextBoolean())
        kvarh = kvarh.negate();
      if (kwh.signum() == 0 && kvarh.signum() == 0)
        continue;
      BigDecimal p = PowerFactor.compute(kwh, kvarh);
      String what = kwh + " " + kvarh + " -> " + p;
      assertEquals(2, p.scale(), what);
      assertTrue(p.signum() >= 0 && p.compareTo(BigDecimal.ONE) <= 0, what);
      BigDecimal s = kwh.multiply(kwh).add(kvarh.multiply(kvarh));
      BigDecimal k2 = kwh.multiply(kwh);
      BigDecimal lo = p.subtract(HALF_STEP);
      BigDecimal hi = p.add(HALF_STEP);
      if (lo.signum() > 0)
        assertTrue(lo.multiply(lo).multiply(s).compareTo(k2) <= 0, what);
      assertTrue(k2.compareTo(hi.multiply(hi).multiply(s)) < 0, what);
    }
  }

  // ---- PowerFactorTable --------------------------------------------------------------------

  @Test
  void standard090() {
    try (PowerFactorTable t = PowerFactorTable.standard("0.90")) {
      assertEquals("0.90", t.standard().toString());
      assertEquals("25.00", t.percent(bd("0.60")).toString());
      assertEquals("-0.75", t.percent(bd("0.95")).toString());
      assertEquals("0.00", t.percent(bd("0.90")).toString());
      assertEquals("0.50", t.percent(bd("0.89")).toString());
      assertEquals("-0.75", t.percent(BigDecimal.ONE).toString());
      assertEquals("0.00", t.percent(bd("0.904")).toString()); // rounded half-up to 0.90 first
      assertEquals("-0.15", t.percent(bd("0.905")).toString());
      assertEquals("25.00", t.percent(PowerFactor.compute(bd("3"), bd("4"))).toString());
    }
  }

  @Test
  void standard085And080() {
    try (PowerFactorTable t = PowerFactorTable.standard(bd("0.85"))) {
      assertEquals(bd("0.85"), t.standard());
      assertEquals("-1.10", t.percent(bd("0.94")).toString());
      assertEquals("0.50", t.percent(bd("0.84")).toString());
    }
    try (PowerFactorTable t = PowerFactorTable.standard("0.8")) {
      assertEquals("0.80", t.standard().toString());
      assertEquals("-1.30", t.percent(bd("0.92")).toString());
    }
  }

  @Test
  void unknownStandard() {
    for (String s : List.of("0.75", "abc", "1.5", "0.95")) {
      InputException e = assertThrows(InputException.class, () -> PowerFactorTable.standard(s));
      assertEquals("ERANGE", e.codeName(), s);
    }
    assertThrows(NullPointerException.class, () -> PowerFactorTable.standard((String) null));
    assertThrows(NullPointerException.class, () -> PowerFactorTable.standard((BigDecimal) null));
  }

  @Test
  void percentOutOfRange() {
    try (PowerFactorTable t = PowerFactorTable.standard("0.90")) {
      for (String pf : List.of("1.01", "-0.01", "1.005")) {
        InputException e = assertThrows(InputException.class, () -> t.percent(bd(pf)));
        assertEquals("ERANGE", e.codeName(), pf);
      }
    }
  }

  private static final String GOOD = String.join("\n",
      "# a utility's own table",
      "0.00-0.79 5",
      "0.80 0",
      "0.81-1.00 -1.5   # flat rebate",
      "");

  @Test
  void load() {
    try (PowerFactorTable t = PowerFactorTable.load(bd("0.80"), GOOD)) {
      assertEquals("0.80", t.standard().toString());
      assertEquals("5", t.percent(bd("0.50")).toString());
      assertEquals("0", t.percent(bd("0.80")).toString());
      assertEquals("-1.5", t.percent(bd("0.97")).toString());
    }
  }

  @Test
  void loadErrorsNameTheLine() {
    String[][] cases = {
      {"0.00-0.80 0\n0.80-1.00 1\n", "ERULE", "line 2"}, // 0.80 twice
      {"0.00-0.90 0\n", "ERULE", "0.91"}, // not covered
      {"# header\n0.00-1.00\n", "ESYNTAX", "line 2"}, // no percent
      {"0.00-1.005 1\n", "ESYNTAX", "line 1"},
      {"0.00-0.79 5\n0.80 0\n0.81-1.00 x\n", "ESYNTAX", "line 3"},
      {"0.00-1.00 1\n", "ERULE", "standard"}, // the standard must have 0 %
    };
    for (String[] c : cases) {
      InputException e = assertThrows(InputException.class, () -> PowerFactorTable.load(bd("0.80"), c[0]));
      assertEquals(c[1], e.codeName(), c[0]);
      assertTrue(e.getMessage().contains(c[2]), e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> PowerFactorTable.load(bd("0.80"), null));
  }

  @Test
  void aLoadedCopyOfAStandardTableAgrees() {
    for (String standard : List.of("0.90", "0.85", "0.80")) {
      try (PowerFactorTable t = PowerFactorTable.standard(standard)) {
        StringBuilder rows = new StringBuilder();
        for (int k = 0; k <= 100; k++) {
          BigDecimal pf = BigDecimal.valueOf(k, 2);
          rows.append(pf).append(' ').append(t.percent(pf)).append('\n');
        }
        try (PowerFactorTable copy = PowerFactorTable.load(t.standard(), rows.toString())) {
          assertEquals(t.standard(), copy.standard());
          for (int k = 0; k <= 100; k++) {
            BigDecimal pf = BigDecimal.valueOf(k, 2);
            assertEquals(t.percent(pf), copy.percent(pf), standard + " " + pf);
          }
        }
      }
    }
  }

  @Test
  void percentRoundsHalfUpToTwoDecimals() {
    try (PowerFactorTable t = PowerFactorTable.standard("0.90")) {
      for (int k = 0; k <= 100_499; k += 7) {
        BigDecimal pf = BigDecimal.valueOf(k, 5);
        BigDecimal rounded = pf.setScale(2, RoundingMode.HALF_UP);
        assertEquals(t.percent(rounded), t.percent(pf), pf.toString());
      }
    }
  }

  // ---- life cycle ----------------------------------------------------------------------------

  @Test
  void tryWithResourcesClosesAndUseAfterCloseThrows() {
    PowerFactorTable outer;
    try (PowerFactorTable t = PowerFactorTable.load(bd("0.80"), GOOD)) {
      assertFalse(t.isClosed());
      assertEquals("PowerFactorTable(standard 0.80)", t.toString());
      outer = t;
    }
    PowerFactorTable t = outer;
    assertTrue(t.isClosed());
    assertEquals("PowerFactorTable(closed)", t.toString());
    List<Executable> uses = List.of(() -> t.standard(), () -> t.percent(bd("0.60")));
    for (Executable use : uses) {
      StateException e = assertThrows(StateException.class, use);
      assertEquals("ESTATE", e.codeName());
      assertEquals(-13, e.code());
      assertEquals(ErrorFamily.STATE, e.family());
    }
    t.close(); // closing again is harmless
    t.close();
  }

  @Test
  void exceptionInsideTryStillCloses() {
    PowerFactorTable[] seen = new PowerFactorTable[1];
    assertThrows(IllegalStateException.class, () -> {
      try (PowerFactorTable t = PowerFactorTable.standard("0.85")) {
        seen[0] = t;
        throw new IllegalStateException("boom");
      }
    });
    assertTrue(seen[0].isClosed());
    assertThrows(StateException.class, () -> seen[0].percent(bd("0.85")));
  }

  @Test
  void manyTablesWithoutCloseAreCleaned() {
    for (int i = 0; i < 2000; i++) {
      PowerFactorTable t = PowerFactorTable.standard("0.90");
      t.percent(bd("0.60"));
    }
    System.gc();
    try (PowerFactorTable t = PowerFactorTable.standard("0.90")) {
      assertEquals("25.00", t.percent(bd("0.60")).toString());
    }
  }

  @Test
  void rawApi() {
    bill_pf_table[] out = new bill_pf_table[1];
    bill.bill_pf_table_create_standard(out, "0.90");
    BigDecimal[] r = new BigDecimal[1];
    try (bill_pf_table h = out[0]) {
      bill.bill_pf_table_percent(r, h, bd("0.60"));
      assertEquals("25.00", r[0].toString());
    }
    assertThrows(StateException.class, () -> bill.bill_pf_table_standard(r, out[0]));
    out[0].delete(); // harmless
    bill.bill_pf_compute(r, bd("3"), bd("4"));
    assertEquals("0.60", r[0].toString());
  }
}
