package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Feed-in charges (net metering, net billing) and the line kinds of the Java
 * binding, and the Usage setters of the two-part fields. Amounts are computed
 * by hand in the comments. Runs from the repository root (make check-java).
 */
class TariffFeedInTest {
  private static final LocalDate JUNE_1 = LocalDate.of(2025, 6, 1);
  private static final LocalDate JULY_1 = LocalDate.of(2025, 7, 1);

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static String tariff(String rounding, String charges) {
    return ("{'format': 'libbill-tariff/1', 'id': 't', 'name': 'test', 'currency': 'CNY', "
            + "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': '" + rounding + "'}, "
            + "'price_basis': 'vat_inclusive', 'vat_rate': '0.13', "
            + "'versions': [{'effective': '2020-01-01', 'charges': [" + charges + "]}]}")
        .replace('\'', '"');
  }

  private static final String FLAT = "{'id': 'energy', 'type': 'energy', 'price': '0.5'}";

  private static String feed(String netting, String price) {
    return "{'id': 'solar', 'type': 'feed_in', 'price': '" + price + "', 'netting': '" + netting
        + "'}";
  }

  private static BigDecimal sum(Bill b) {
    BigDecimal s = BigDecimal.ZERO;
    for (BillLine line : b)
      s = s.add(line.amount());
    return s;
  }

  @Test
  void lineKindsFollowTheCEnum() {
    assertEquals(List.of(LineKind.FIXED, LineKind.ENERGY, LineKind.PER_KWH, LineKind.MINIMUM,
                         LineKind.TAX, LineKind.ROUNDING, LineKind.CAPACITY, LineKind.DEMAND,
                         LineKind.POWER_FACTOR, LineKind.CREDIT),
                 List.of(LineKind.values()));
    for (LineKind k : LineKind.values())
      assertEquals(k, LineKind.of(k.code));
    assertEquals(9, LineKind.CREDIT.code);
  }

  @Test
  void netMeteringSurplus() {
    try (Tariff t = Tariff.load(tariff("line", FLAT + ", " + feed("net_metering", "0.3949")));
         Usage u = new Usage().period(JUNE_1, JULY_1).kwh(bd("100")).exportedKwh(bd("220"))) {
      Bill b = t.compute(u);
      // 220 exported offset the 100 imported; 120 x 0.3949 = 47.388 -> 47.39 credited
      assertEquals(2, b.lines().size());
      BillLine credit = b.lines().get(1);
      assertEquals(new BillLine(LineKind.CREDIT, "solar", "", "", bd("-120"), "kWh", bd("0.3949"),
                                bd("-47.39"), JUNE_1, JULY_1,
                                "220 kWh exported offset 100 kWh imported (net metering); the "
                                    + "surplus 120 kWh at 0.3949 credited"),
                   credit);
      assertEquals(bd("-47.39"), b.total());
      assertEquals(0, b.total().compareTo(sum(b)), b.total() + " != " + sum(b));
      // no surplus: 420 - 120 = 300 x 0.5
      u.kwh(bd("420")).exportedKwh(bd("120"));
      b = t.compute(u);
      assertEquals(bd("300"), b.lines().get(0).quantity());
      assertEquals(bd("150.00"), b.total());
    }
  }

  @Test
  void netBillingWithVatIncludedAndTotalRounding() {
    try (Tariff t = Tariff.load(tariff("total", "{'id': 'energy', 'type': 'energy', 'price': "
                                                    + "'0.5283'}, " + feed("net_billing", "0.3949")));
         Usage u = new Usage().period(JUNE_1, JULY_1).kwh(bd("7")).exportedKwh(bd("9"))) {
      Bill b = t.compute(u);
      // 3.6981 - 3.5541 = 0.1440 -> 0.14, a rounding line of -0.004
      assertEquals(3, b.lines().size());
      assertEquals(bd("-3.5541"), b.lines().get(1).amount());
      assertEquals(LineKind.ROUNDING, b.lines().get(2).kind());
      assertEquals(bd("0.14"), b.total());
      assertEquals(0, b.total().compareTo(sum(b)), b.total() + " != " + sum(b));
      // a negative VAT-inclusive total: 50.00 - 120.00 = -70.00, tax -8.05
      u.kwh(bd("100")).exportedKwh(bd("300"));
      try (Tariff t2 = Tariff.load(tariff("line", FLAT + ", " + feed("net_billing", "0.4")))) {
        b = t2.compute(u);
        assertEquals(bd("-70.00"), b.total());
        assertEquals(bd("-8.05"), b.tax());
        assertTrue(b.taxIncluded());
      }
    }
  }

  @Test
  void loaderRejections() {
    InputException e = assertThrows(InputException.class,
        () -> Tariff.load(tariff("line", FLAT + ", " + feed("net_billing", "-0.4")), "t.json"));
    assertEquals("ERANGE", e.codeName());
    assertTrue(e.getMessage().contains("$.versions[0].charges[1].price"), e.getMessage());
    e = assertThrows(InputException.class,
        () -> Tariff.load(tariff("line", FLAT + ", " + feed("gross", "0.4")), "t.json"));
    assertTrue(e.getMessage().contains("$.versions[0].charges[1].netting"), e.getMessage());
    BillException c = assertThrows(BillException.class,
        () -> Tariff.load(tariff("line", FLAT + ", " + feed("net_billing", "0.4") + ", "
                                     + feed("net_billing", "0.3").replace("solar", "solar2"))));
    assertEquals("ECONFLICT", c.codeName());
  }

  @Test
  void exampleSolarBill() {
    try (Tariff t = Tariff.loadFile(Path.of("examples", "tariffs", "cn-residential-solar.json"));
         Usage u = new Usage().period(JUNE_1, JULY_1).householdSize(3).kwh(bd("420"))
                       .ytdKwh(bd("2761")).exportedKwh(bd("310"))) {
      Bill b = t.compute(u);
      // 189.66 + 35.28 - 122.42 (310 x 0.3949 = 122.419)
      assertEquals(List.of(bd("189.66"), bd("35.28"), bd("-122.42")),
                   b.lines().stream().map(BillLine::amount).toList());
      assertEquals(bd("102.52"), b.total());
    }
  }

  @Test
  void twoPartSettersGiveTheSameBillAsJson() throws IOException {
    String json = Files.readString(Path.of("examples", "usage", "large-industry-june.json"),
                                   StandardCharsets.UTF_8);
    try (Tariff t = Tariff.loadFile(Path.of("examples", "tariffs", "cn-large-industry.json"));
         Usage fromJson = Usage.fromJson(json);
         Usage set = new Usage().period(JUNE_1, JULY_1).customerClass("large_industry")
                         .capacityKva(bd("3150")).declaredKw(bd("2000")).maxDemandKw(bd("2150"))
                         .touKwh("critical", bd("60000")).touKwh("peak", bd("300000"))
                         .touKwh("flat", bd("400000")).touKwh("valley", bd("440000"))
                         .kvarh(bd("712000")).pfStandard("0.90")) {
      Bill a = t.compute(fromJson);
      Bill b = t.compute(set);
      assertEquals(a.json(), b.json());
      assertEquals(a.total(), b.total());
      assertTrue(b.lines().stream().anyMatch(l -> l.kind() == LineKind.DEMAND));
      assertTrue(b.lines().stream().anyMatch(l -> l.kind() == LineKind.POWER_FACTOR));
      assertFalse(b.lines().stream().anyMatch(l -> l.kind() == LineKind.FIXED));
      assertTrue(b.json().contains("\"kind\": \"power_factor\""));
      // a bad PF standard and negative quantities are refused by the C setters
      assertThrows(BillException.class, () -> set.pfStandard("0.95"));
      assertThrows(BillException.class, () -> set.kvarh(bd("-1")));
      assertThrows(BillException.class, () -> set.capacityKva(bd("-1")));
      assertThrows(NullPointerException.class, () -> set.declaredKw(null));
    }
  }

  @Test
  void suspendedCapacityAndReadings() {
    try (Tariff t = Tariff.load(tariff("line", "{'id': 'cap', 'type': 'capacity', 'price': '20'}, "
                                                   + FLAT));
         Usage u = new Usage().period(JUNE_1, JULY_1).kwh(bd("10")).capacityKva(bd("100"))
                       .suspended(LocalDate.of(2025, 6, 11), LocalDate.of(2025, 6, 21), bd("30"))) {
      Bill b = t.compute(u);
      // 100 x 20 = 2000.00; 30 x 20 x 10 / 30 = 200.00 credited, both capacity lines
      assertEquals(LineKind.CAPACITY, b.lines().get(0).kind());
      assertEquals(LineKind.CAPACITY, b.lines().get(1).kind());
      assertEquals(bd("-200.00"), b.lines().get(1).amount());
      u.clearSuspended();
      assertEquals(3, t.compute(u).lines().size() + 1);
      assertThrows(BillException.class,
          () -> u.suspended(JULY_1, JUNE_1, bd("30")));
    }
    // opened date and readings are set the same way as in JSON
    try (Usage a = new Usage().period(JUNE_1, JULY_1).kwh(bd("10")).opened(LocalDate.of(2025, 3, 15))
             .reading(LocalDate.of(2025, 6, 16), bd("4"));
         Tariff t = Tariff.load(tariff("line", FLAT))) {
      BillException e = assertThrows(BillException.class, () -> t.compute(a));
      assertEquals("ERULE", e.codeName()); // no version change on 2025-06-16 in this tariff
    }
  }
}
