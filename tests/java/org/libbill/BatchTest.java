package org.libbill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.libbill.jni.bill_status;

/**
 * Batch billing in the Java binding ({@link Batch}, include/bill/batch.h):
 * worked totals, equality with {@link Tariff#compute(Usage)} for random
 * accounts, the exact conversion of BigDecimal columns, and errors. Runs from
 * the repository root (make check-java).
 */
class BatchTest {
  private static final LocalDate START = LocalDate.of(2025, 6, 1);
  private static final LocalDate END = LocalDate.of(2025, 7, 1);

  private static Tariff tariff(String name) {
    return Tariff.loadFile(Path.of("examples", "tariffs", name + ".json"));
  }

  private static BigDecimal[] dec(String... values) {
    BigDecimal[] out = new BigDecimal[values.length];
    for (int i = 0; i < values.length; i++)
      out[i] = new BigDecimal(values[i]);
    return out;
  }

  private static Batch residential(Tariff t, String[] peak, String[] valley, String[] ytd) {
    Batch b = new Batch(t, START, END, peak.length);
    b.setClass("residential").setTouKwh("peak", dec(peak)).setTouKwh("valley", dec(valley))
        .setYtdKwh(dec(ytd));
    return b;
  }

  @Test
  void residentialTotals() {
    try (Tariff t = tariff("cn-residential-annual-tou");
         Batch b = residential(t, new String[] {"300.0", "600", "0"},
                               new String[] {"120", "300", "0"},
                               new String[] {"2761", "4500", "0"})) {
      assertEquals(3, b.size());
      b.compute();
      assertEquals(0, b.failed());
      assertEquals(3, b.kernelCount());
      assertEquals("213.54", b.total(0).toString());
      assertEquals("637.47", b.total(1).toString());
      assertTrue(b.ok(2));
      assertEquals(List.of(new BigDecimal("213.54"), new BigDecimal("637.47"), b.total(2)), b.totals());
      Bill bill = b.bill(1);
      assertEquals(b.total(1), bill.total());
      assertEquals(b.subtotal(1), bill.subtotal());
      assertEquals(b.tax(1), bill.tax());
    }
  }

  @Test
  void coefficientOverloadsAndUsage() {
    try (Tariff t = tariff("cn-residential-annual-tou");
         Batch b = new Batch(t, START, END, 2)) {
      b.setClasses(new String[] {"residential", "residential"})
          .setTouKwh("peak", new long[] {3000, 6000}, 1)
          .setTouKwh("valley", new long[] {120, 300}, 0)
          .setYtdKwh(new long[] {2761, 4500}, 0)
          .setHouseholdSize(new int[] {3, 0})
          .compute();
      assertEquals(new BigDecimal("637.47"), b.total(1));
      try (Usage u = b.usage(0)) {
        assertEquals(b.total(0), t.compute(u).total());
        assertEquals(b.bill(0).text(), t.compute(u).text());
      }
    }
  }

  @Test
  void randomAccountsEqualUsageAndBill() {
    Random r = new Random(20251129);
    for (String name : new String[] {"cn-residential-annual-tou", "cn-commercial-tou"}) {
      boolean res = name.startsWith("cn-residential");
      String[] periods = res ? new String[] {"peak", "valley"}
                             : new String[] {"critical", "peak", "flat", "valley"};
      try (Tariff t = tariff(name)) {
        for (int round = 0; round < 5; round++) {
          int n = 1 + r.nextInt(8);
          LocalDate start = LocalDate.of(2025, 1, 1).plusDays(r.nextInt(330));
          LocalDate end = start.plusDays(1 + r.nextInt(35));
          BigDecimal[][] tou = new BigDecimal[periods.length][n];
          BigDecimal[] ytd = new BigDecimal[n];
          String[] classes = new String[n];
          for (int i = 0; i < n; i++) {
            for (int p = 0; p < periods.length; p++)
              tou[p][i] = BigDecimal.valueOf(r.nextInt(3_000_000), r.nextInt(4));
            ytd[i] = BigDecimal.valueOf(r.nextInt(60_000), r.nextInt(2));
            classes[i] = res ? "residential"
                             : new String[] {"commercial", "industrial", "agricultural"}[r.nextInt(3)];
          }
          // the usage as the batch holds it: each value at its column's scale (the same bill
          // as the value written otherwise)
          for (int p = 0; p < periods.length; p++)
            tou[p] = atScale(tou[p]);
          ytd = atScale(ytd);
          try (Batch b = new Batch(t, start, end, n)) {
            b.setClasses(classes);
            for (int p = 0; p < periods.length; p++)
              b.setTouKwh(periods[p], tou[p]);
            if (res)
              b.setYtdKwh(ytd);
            b.compute();
            for (int i = 0; i < n; i++) {
              try (Usage u = new Usage()) {
                u.period(start, end).customerClass(classes[i]);
                for (int p = 0; p < periods.length; p++)
                  u.touKwh(periods[p], tou[p][i]);
                if (res)
                  u.ytdKwh(ytd[i]);
                Bill expected = t.compute(u);
                assertTrue(b.ok(i));
                assertEquals(expected.total().toString(), b.total(i).toString(), name + " " + i);
                assertEquals(expected.subtotal().toString(), b.subtotal(i).toString());
                assertEquals(expected.tax().toString(), b.tax(i).toString());
              }
            }
          }
        }
      }
    }
  }

  private static BigDecimal[] atScale(BigDecimal[] values) {
    Batch.Column c = Batch.column("values", values, values.length);
    BigDecimal[] out = new BigDecimal[values.length];
    for (int i = 0; i < out.length; i++)
      out[i] = BigDecimal.valueOf(c.coef()[i], c.scale());
    return out;
  }

  @Test
  void columnsConvertExactly() {
    Batch.Column c = Batch.column("kwh", dec("1.5", "2", "0.125"), 3);
    assertArrayEquals(new long[] {1500, 2000, 125}, c.coef());
    assertEquals(3, c.scale());
    c = Batch.column("kwh", dec("1E+3", "300.0"), 2);
    assertArrayEquals(new long[] {10000, 3000}, c.coef());
    assertEquals(1, c.scale());
    c = Batch.column("kwh", dec("1.0000000000000000"), 1); // zeros beyond 12 decimals
    assertArrayEquals(new long[] {1}, c.coef());
    assertEquals(0, c.scale());
    InputException e = assertThrows(InputException.class,
                                    () -> Batch.column("kwh", dec("1", "0.0000000000001"), 2));
    assertEquals(bill_status.BILL_ERANGE, e.code());
    assertTrue(e.getMessage().contains("account 1"), e.getMessage());
    assertThrows(InputException.class, () -> Batch.column("kwh", dec("1E+15", "0.000000000001"), 2));
    assertThrows(ArgumentException.class, () -> Batch.column("kwh", dec("1"), 2));
  }

  @Test
  void errorsNameTheAccount() {
    try (Tariff t = tariff("cn-residential-annual-tou"); Batch b = new Batch(t, START, END, 3)) {
      InputException e = assertThrows(InputException.class,
                                      () -> b.setTouKwh("peak", dec("1", "2", "-0.5")));
      assertEquals(bill_status.BILL_ERANGE, e.code());
      assertTrue(e.getMessage().contains("account 2") && e.getMessage().contains("peak"), e.getMessage());
      assertThrows(InputException.class, () -> b.setHouseholdSize(new int[] {1, 2000, 1}));
      assertThrows(ArgumentException.class, () -> b.setKwh(new long[] {1, 2}, 0)); // length
      assertThrows(ArgumentException.class, () -> b.setHouseholdSize(new int[] {1}));
      assertThrows(ArgumentException.class, () -> b.setClasses(new String[] {"residential"}));
      assertThrows(InputException.class,
                   () -> b.setClasses(new String[] {"residential", "bad class!", "residential"}));
      assertThrows(InputException.class, () -> b.setKwh(new long[] {1, 2, 3}, 13));
      assertThrows(NullPointerException.class, () -> b.setKwh((long[]) null, 0));
      assertThrows(BillException.class, () -> b.setPfStandard("0.95"));
      assertThrows(IndexOutOfBoundsException.class, () -> b.status(3));
      assertEquals(bill_status.BILL_ESTATE, b.status(0)); // before compute
      assertThrows(StateException.class, () -> b.total(0));
    }
    try (Tariff t = tariff("cn-residential-annual-tou")) {
      assertThrows(ArgumentException.class, () -> new Batch(t, START, END, 0));
      assertThrows(ArgumentException.class, () -> new Batch(t, END, START, 1));
    }
  }

  @Test
  void failedAccountThrowsAndOthersBill() {
    try (Tariff t = tariff("cn-residential-annual-tou");
         Batch b = residential(t, new String[] {"300", "600"}, new String[] {"120", "300"},
                               new String[] {"2761", "4500"})) {
      b.setKwh(dec("1", "900")).compute(); // account 0: TOU kWh do not add up to 1
      assertEquals(1, b.failed());
      assertFalse(b.ok(0));
      assertEquals(bill_status.BILL_ERULE, b.status(0));
      List<BigDecimal> totals = b.totals();
      assertNull(totals.get(0));
      assertEquals(new BigDecimal("637.47"), totals.get(1));
      InputException e = assertThrows(InputException.class, () -> b.total(0));
      assertTrue(e.getMessage().contains("account 0"), e.getMessage());
      e = assertThrows(InputException.class, () -> b.bill(0));
      assertTrue(e.getMessage().contains("420"), e.getMessage()); // the reason, from the bill
    }
  }

  @Test
  void closedBatchOrTariffThrows() {
    Tariff t = tariff("cn-residential-annual-tou");
    Batch b = residential(t, new String[] {"300"}, new String[] {"120"}, new String[] {"2761"});
    b.close();
    b.close();
    assertTrue(b.isClosed());
    assertThrows(StateException.class, b::compute);
    assertThrows(StateException.class, b::size);
    Batch c = residential(t, new String[] {"300"}, new String[] {"120"}, new String[] {"2761"});
    t.close();
    StateException e = assertThrows(StateException.class, c::compute);
    assertTrue(e.getMessage().contains("tariff"), e.getMessage());
    c.close();
  }
}
