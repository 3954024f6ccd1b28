package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What-if comparisons and tariff options in the Java binding: rankings worked
 * by hand (the same figures as tests/c/whatif_test.c), ties, a failed
 * candidate, the best declared demand against plain bills. Runs from the
 * repository root (make check-java).
 */
class WhatIfTest {
  private static final String TWO_PART = """
      {"format": "libbill-tariff/1", "id": "two-part", "currency": "CNY",
       "rounding": {"mode": "HALF_UP", "scale": 2, "apply": "line"}, "price_basis": "vat_inclusive",
       "versions": [{"effective": "2020-01-01",
        "options": {"basic_charge": {"values": ["capacity", "contracted_demand", "actual_demand"],
                                     "default": "capacity"}},
        "charges": [
         {"id": "cap", "type": "capacity", "price": "24", "when": {"basic_charge": "capacity"}},
         {"id": "con", "type": "demand", "basis": "contracted", "price": "36",
          "when": {"basic_charge": "contracted_demand"}},
         {"id": "act", "type": "demand", "basis": "actual", "price": "36",
          "when": {"basic_charge": "actual_demand"}},
         {"id": "energy", "type": "energy", "price": "0.6"},
         {"id": "pf", "type": "power_factor", "base": ["cap", "con", "act", "energy"],
          "standard": "0.90"},
         {"id": "fund", "type": "per_kwh", "price": "0.0123"}]}]}""";

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static Tariff flat(String id, String price) {
    return Tariff.load("{\"format\": \"libbill-tariff/1\", \"id\": \"" + id + "\", "
        + "\"currency\": \"CNY\", \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, "
        + "\"apply\": \"line\"}, \"price_basis\": \"vat_inclusive\", \"versions\": [{"
        + "\"effective\": \"2020-01-01\", \"charges\": [{\"id\": \"energy\", \"type\": "
        + "\"energy\", \"price\": \"" + price + "\"}]}]}");
  }

  private static Usage month(int m, String kwh) {
    return new Usage().period(LocalDate.of(2025, m, 1), LocalDate.of(2025, m + 1, 1)).kwh(bd(kwh));
  }

  private static List<Usage> twoPart() {
    String[][] rows = {{"04", "05", "100000", "540"}, {"05", "06", "110000", "480"},
                       {"06", "07", "120000", "500"}};
    List<Usage> us = new ArrayList<>();
    for (String[] r : rows)
      us.add(Usage.fromJson("{\"period\": \"2025-" + r[0] + "-01/2025-" + r[1] + "-01\", "
          + "\"kwh\": \"" + r[2] + "\", \"kvarh\": \"50000\", \"capacity_kva\": \"1000\", "
          + "\"declared_kw\": \"500\", \"max_demand_kw\": \"" + r[3] + "\"}"));
    return us;
  }

  @Test
  void ranksByHandAndKeepsTies() {
    try (Tariff a = flat("a", "0.5"); Tariff b = flat("b", "0.4"); Tariff c = flat("c", "0.5");
         Usage u1 = month(1, "100"); Usage u2 = month(2, "200.5")) {
      List<WhatIf.Result> rs = WhatIf.rank(
          List.of(new WhatIf.Candidate("a (current)", a, Map.of()),
                  new WhatIf.Candidate("b", b, null), new WhatIf.Candidate("c", c, Map.of())),
          List.of(u1, u2));
      assertEquals(List.of("b", "a (current)", "c"), rs.stream().map(WhatIf.Result::label).toList());
      assertEquals(List.of(1, 0, 2), rs.stream().map(WhatIf.Result::candidate).toList());
      assertEquals(bd("120.20"), rs.get(0).total());
      assertEquals(bd("30.05"), rs.get(0).saving());
      assertEquals(bd("0.00"), rs.get(1).saving());
      assertEquals(List.of(bd("40.00"), bd("80.20")), rs.get(0).bills());
      assertTrue(rs.get(2).ok());
      assertEquals("", rs.get(2).error());
    }
  }

  @Test
  void basisRankingWithAFailedCandidate() {
    List<Usage> us = twoPart();
    try (Tariff t = Tariff.load(TWO_PART, "two-part.json"); WhatIf w = new WhatIf()) {
      assertEquals(0, w.addCandidate("capacity", t, null));
      assertEquals(1, w.addCandidate("contracted", t, Map.of("basic_charge", "contracted_demand")));
      assertEquals(2, w.addCandidate("actual", t, Map.of("basic_charge", "actual_demand")));
      assertEquals(3, w.addCandidate("typo", t, Map.of("basic_charge", "actual")));
      assertEquals(4, w.addCandidate("declared 460", t, Map.of("basic_charge", "contracted_demand"),
                                     bd("460")));
      assertEquals(5, w.size());
      List<WhatIf.Result> rs = w.run(us);
      assertEquals(List.of("actual", "contracted", "declared 460", "capacity", "typo"),
                   rs.stream().map(WhatIf.Result::label).toList());
      assertEquals(bd("256781.28"), rs.get(0).total());
      assertEquals(bd("258042.90"), rs.get(1).total());
      assertEquals(bd("258734.78"), rs.get(2).total());
      assertEquals(bd("274056.00"), rs.get(3).total());
      assertEquals(bd("17274.72"), rs.get(0).saving());
      WhatIf.Result failed = rs.get(4);
      assertFalse(failed.ok());
      assertEquals("ERULE", failed.status());
      assertNull(failed.total());
      assertNull(failed.bills());
      assertTrue(failed.error().contains("option 'basic_charge' has no value 'actual'"),
                 failed.error());
      // the usages keep their own (default) choice
      assertEquals(bd("85650.00"), t.compute(us.get(0)).total());
    } finally {
      us.forEach(Usage::close);
    }
  }

  @Test
  void bestDeclaredDemandMatchesABruteForceScan() {
    // Java's Usage has no two-part setters: the scan bills JSON usages at each declared value
    String[][] rows = {{"04", "05", "100000", "540"}, {"05", "06", "110000", "480"},
                       {"06", "07", "120000", "500"}};
    try (Tariff t = Tariff.load(TWO_PART); WhatIf w = new WhatIf()) {
      w.addCandidate("contracted", t, Map.of("basic_charge", "contracted_demand"));
      List<Usage> base = twoPart();
      WhatIf.BestDeclared best = w.bestDeclaredKw(0, base, bd("1"));
      base.forEach(Usage::close);
      assertEquals(bd("258042.90"), best.currentTotal());
      BigDecimal scanTotal = null;
      int scanKw = -1;
      for (int kw = 400; kw <= 600; kw++) {
        BigDecimal sum = BigDecimal.ZERO;
        for (String[] r : rows) {
          try (Usage u = Usage.fromJson("{\"period\": \"2025-" + r[0] + "-01/2025-" + r[1]
              + "-01\", \"kwh\": \"" + r[2] + "\", \"kvarh\": \"50000\", \"capacity_kva\": "
              + "\"1000\", \"declared_kw\": \"" + kw + "\", \"max_demand_kw\": \"" + r[3]
              + "\", \"options\": {\"basic_charge\": \"contracted_demand\"}}")) {
            sum = sum.add(t.compute(u).total());
          }
        }
        if (scanTotal == null || sum.compareTo(scanTotal) < 0) {
          scanTotal = sum;
          scanKw = kw;
        }
      }
      assertEquals(0, best.total().compareTo(scanTotal));
      assertEquals(0, best.kw().compareTo(BigDecimal.valueOf(scanKw)));
      assertTrue(best.total().compareTo(best.currentTotal()) <= 0);
    }
  }

  @Test
  void householdTouVersusFlat() {
    try (Tariff flat = Tariff.loadFile(Path.of("examples/tariffs/cn-residential-annual.json"));
         Tariff tou = Tariff.loadFile(Path.of("examples/tariffs/cn-residential-annual-tou.json"));
         Usage u1 = new Usage().period(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1))
             .touKwh("peak", bd("250")).touKwh("valley", bd("50"));
         Usage u2 = new Usage().period(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 3, 1))
             .touKwh("peak", bd("150")).touKwh("valley", bd("150")).ytdKwh(bd("300"))) {
      List<WhatIf.Result> rs = WhatIf.rank(List.of(new WhatIf.Candidate("flat", flat, null),
                                                   new WhatIf.Candidate("tou", tou, null)),
                                           List.of(u1, u2));
      assertEquals("tou", rs.get(0).label());
      assertEquals(bd("295.00"), rs.get(0).total());
      assertEquals(bd("316.98"), rs.get(1).total());
      assertEquals(bd("21.98"), rs.get(0).saving());
    }
  }

  @Test
  void optionsOnTheUsageAndLoaderErrors() {
    try (Tariff t = Tariff.load(TWO_PART);
         Usage u = Usage.fromJson("{\"period\": \"2025-06-01/2025-07-01\", \"kwh\": \"100000\", "
             + "\"capacity_kva\": \"1000\", \"declared_kw\": \"500\", \"max_demand_kw\": \"540\"}")) {
      assertEquals(bd("85230.00"), t.compute(u).total());
      u.option("basic_charge", "contracted_demand");
      assertEquals(bd("81210.00"), t.compute(u).total());
      u.option("basic_charge", "actual_demand");
      assertEquals(bd("80670.00"), t.compute(u).total());
      u.clearOptions().option("basic_charge", "nonsense");
      InputException e = assertThrows(InputException.class, () -> t.compute(u));
      assertEquals("ERULE", e.codeName());
      assertThrows(InputException.class, () -> u.option("bad name", "x"));
    }
    InputException e = assertThrows(InputException.class,
        () -> Tariff.load(TWO_PART.replace("\"default\": \"capacity\"", "\"default\": \"kva\""),
                          "bad.json"));
    assertTrue(e.getMessage().contains("$.versions[0].options.basic_charge.default"),
               e.getMessage());
  }

  @Test
  void closedHandlesAndBadInput() {
    Tariff t = flat("a", "0.5");
    Usage u = month(1, "1");
    WhatIf w = new WhatIf();
    w.addCandidate("a", t, null);
    assertThrows(ArgumentException.class, () -> w.run(List.of()));
    Usage closed = month(1, "1");
    closed.close();
    assertThrows(StateException.class, () -> w.run(List.of(closed)));
    try (Tariff usd = Tariff.load("{\"format\": \"libbill-tariff/1\", \"id\": \"usd\", "
        + "\"currency\": \"USD\", \"rounding\": {\"mode\": \"HALF_UP\", \"apply\": \"line\"}, "
        + "\"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\", "
        + "\"charges\": [{\"id\": \"e\", \"type\": \"energy\", \"price\": \"0.1\"}]}]}")) {
      assertThrows(ArithException.class, () -> w.addCandidate("usd", usd, null));
    }
    // a bad option or demand adds nothing
    assertThrows(InputException.class, () -> w.addCandidate("bad", t, Map.of("bad name", "x")));
    assertThrows(InputException.class, () -> w.addCandidate("bad", t, null, bd("-1")));
    assertEquals(1, w.size());
    t.close();
    assertThrows(StateException.class, () -> w.run(List.of(u)));
    w.close();
    w.close();
    assertThrows(StateException.class, () -> w.addCandidate("b", flat("b", "1"), null));
    assertEquals("WhatIf(closed)", w.toString());
    u.close();
  }
}
