package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingTest {
  private static final LocalDate START = LocalDate.parse("2025-06-01");
  private static final LocalDate END = LocalDate.parse("2025-07-01");
  private static final String FLAT =
      "{\"format\": \"libbill-tariff/1\", \"id\": \"flat\", \"currency\": \"CNY\","
      + " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"
      + " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","
      + " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"price\": \"0.5\"},"
      + " {\"id\": \"service\", \"type\": \"fixed\", \"amount\": \"5.00\", \"per\": \"month\"}]}]}";

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  @Test
  void exchangeWithMultiplierAndDemand() {
    try (Determinants det = new Determinants(START, END)) {
      for (String m : List.of("OLD", "NEW")) {
        det.addMeter(m, 6).addRegister(m, "total", 0, 0).addRegister(m, "md", 2, 0);
      }
      det.addMultiplier("NEW", d("2025-06-11"), bd("2"));
      det.addSegment("OLD", d("2020-01-01"), d("2025-06-11"), 1, null, 0);
      det.addSegment("NEW", d("2025-06-11"), null, 1, null, 0);
      det.addReading("OLD", "total", START, bd("1000"), false);
      det.addReading("OLD", "total", d("2025-06-11"), bd("1100"), false);
      det.addReading("OLD", "md", d("2025-06-11"), bd("5.2"), false);
      det.addReading("NEW", "total", d("2025-06-11"), bd("0"), false);
      det.addReading("NEW", "total", END, bd("125"), true);
      InputException e = assertThrows(InputException.class, det::compute);
      assertEquals("ENOTFOUND", e.codeName());
      assertTrue(e.getMessage().contains("meter NEW register md"), e.getMessage());
      det.addReading("NEW", "md", LocalDateTime.parse("2025-06-30T14:15"), bd("4.1"), false);
      Map<String, Determinants.Quantity> q = det.compute();
      assertEquals(bd("350"), q.get("total").value());
      assertTrue(q.get("total").estimated());
      assertEquals(bd("8.2"), q.get("md").value());
      assertFalse(q.get("md").estimated());
      assertEquals(30, det.days());
      assertTrue(det.isEstimated());
    }
  }

  @Test
  void sharedSplitAndUsage() {
    try (Determinants det = new Determinants(START, END);
         Tariff t = Tariff.load(FLAT);
         Usage u = new Usage()) {
      det.addMeter("SH", 6).addRegister("SH", "total", 0, 0);
      det.addSegment("SH", d("2020-01-01"), null, 1, List.of(bd("1"), bd("1"), bd("1")), 0);
      det.addReading("SH", "total", START, bd("500"), false);
      det.addReading("SH", "total", END, bd("1340"), false);
      assertEquals(bd("280"), det.compute().get("total").value());
      det.toUsage(u);
      assertEquals(bd("145.00"), t.compute(u).total());
    }
  }

  @Test
  void billingRunReportsAndNeverBillsTwice() {
    try (Store s = Store.memory(); Tariff t = Tariff.load(FLAT)) {
      s.addAccount(new Account("A-1").tariff("flat"));
      s.addAccount(new Account("A-2"));
      s.addAccount(new Account("A-3").tariff("flat"));
      s.addMeter(new Meter("M3").installed(d("2020-01-01")));
      s.link("M3", "A-3", d("2020-01-01"), null);
      BillingReport r = s.billingRun(START, END, "cycle", List.of(t), null);
      assertEquals(3, r.accounts());
      assertEquals(0, r.billed());
      assertEquals(36, r.uuid().length());
      assertEquals(3, r.skipped().size());
      assertEquals("account A-1: no meter reading counts in the period", r.skipped().get(0).reason());
      assertEquals("account A-2: no tariff", r.skipped().get(1).reason());
      assertEquals("ENOTFOUND", r.skipped().get(2).status());
      assertTrue(r.skipped().get(2).reason().contains(
          "meter M3 register total: no reading at 2025-06-01 00:00"), r.skipped().get(2).reason());
      BillingReport r2 = s.billingRun(START, END, null, List.of(t), List.of("A-3", "NOBODY"));
      assertEquals(2, r2.accounts());
      assertEquals("account NOBODY: no such account", r2.skipped().get(1).reason());
      InputException e = assertThrows(InputException.class, () -> s.billJson("A-3", START, END));
      assertEquals("ENOTFOUND", e.codeName());
      Determinants det = s.determinants("A-2", START, END);
      assertTrue(det.quantities().isEmpty());
      det.close();
      assertThrows(StateException.class, det::compute);
    }
  }
}
