package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readings of the TOU registers at split dates: a commercial TOU tariff whose
 * prices change on 2025-07-01, billed over 2025-06-16/2025-07-16, split by the
 * registers (hand-computed as in tests/c/tariff_tou_readings_test.c) and pro
 * rata; the rules checked when billing.
 */
class TariffTouReadingsTest {
  private static final LocalDate START = LocalDate.of(2025, 6, 16);
  private static final LocalDate CHANGE = LocalDate.of(2025, 7, 1);
  private static final LocalDate END = LocalDate.of(2025, 7, 16);

  private static String version(String eff, String peak, String flat, String valley) {
    return "{\"effective\": \"" + eff + "\", \"charges\": [{\"id\": \"energy\", \"type\": "
        + "\"energy\", \"tou\": {\"prices\": {\"peak\": \"" + peak + "\", \"flat\": \"" + flat
        + "\", \"valley\": \"" + valley + "\"}}}, {\"id\": \"fund\", \"type\": \"per_kwh\", "
        + "\"price\": \"0.02\"}]}";
  }

  private static final String COMMERCIAL =
      "{\"format\": \"libbill-tariff/1\", \"id\": \"t\", \"name\": \"test\", \"currency\": "
      + "\"CNY\", \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"}, "
      + "\"price_basis\": \"vat_inclusive\", \"versions\": ["
      + version("2020-01-01", "1.00", "0.60", "0.30") + ", "
      + version("2025-07-01", "1.20", "0.70", "0.35") + "]}";

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static Usage touUsage() {
    return new Usage().period(START, END).touKwh("peak", bd("300")).touKwh("flat", bd("200"))
        .touKwh("valley", bd("100"));
  }

  private static List<String> rows(Bill b) {
    List<String> r = new ArrayList<>();
    for (BillLine l : b)
      r.add(l.band() + " " + l.quantity().toPlainString() + " " + l.unitPrice().toPlainString()
            + " " + l.amount().toPlainString());
    return r;
  }

  private static final List<String> BY_READINGS = List.of(
      "peak 120 1.00 120.00", "flat 90 0.60 54.00", "valley 40 0.30 12.00", " 250 0.02 5.00",
      "peak 180 1.20 216.00", "flat 110 0.70 77.00", "valley 60 0.35 21.00", " 350 0.02 7.00");

  @Test
  void splitByTheTouRegisters() {
    try (Tariff t = Tariff.load(COMMERCIAL); Usage u = touUsage()) {
      u.touReading(CHANGE, "peak", bd("120")).touReading(CHANGE, "flat", bd("90"))
          .touReading(CHANGE, "valley", bd("40"));
      Bill b = t.compute(u);
      assertEquals(BY_READINGS, rows(b));
      assertEquals(bd("512.00"), b.total());
      assertEquals(CHANGE, b.lines().get(4).from());
      BigDecimal sum = BigDecimal.ZERO;
      for (BillLine l : b)
        sum = sum.add(l.amount());
      assertEquals(0, sum.compareTo(b.total()));
    }
  }

  @Test
  void proRataWithoutReadings() {
    try (Tariff t = Tariff.load(COMMERCIAL); Usage u = touUsage()) {
      Bill b = t.compute(u);
      // shared by days at the split scale (2 decimals)
      assertEquals(List.of("peak 150.00 1.00 150.00", "flat 100.00 0.60 60.00",
                           "valley 50.00 0.30 15.00", " 300.00 0.02 6.00",
                           "peak 150.00 1.20 180.00", "flat 100.00 0.70 70.00",
                           "valley 50.00 0.35 17.50", " 300.00 0.02 6.00"), rows(b));
      assertEquals(bd("504.50"), b.total());
    }
  }

  @Test
  void mapAndJsonAgreeWithTheSetter() {
    Map<String, BigDecimal> at = new LinkedHashMap<>();
    at.put("valley", bd("40"));
    at.put("peak", bd("120"));
    at.put("flat", bd("90"));
    String json = "{\"period\": \"2025-06-16/2025-07-16\", \"tou_kwh\": {\"peak\": \"300\", "
        + "\"flat\": \"200\", \"valley\": \"100\"}, \"readings\": [{\"date\": \"2025-07-01\", "
        + "\"kwh\": \"250\", \"tou_kwh\": {\"peak\": \"120\", \"flat\": \"90\", "
        + "\"valley\": \"40\"}}]}";
    try (Tariff t = Tariff.load(COMMERCIAL); Usage u = touUsage().touReading(CHANGE, at);
         Usage j = Usage.fromJson(json)) {
      assertEquals(BY_READINGS, rows(t.compute(u)));
      assertEquals(BY_READINGS, rows(t.compute(j)));
      // a total reading on the date that agrees with the registers changes nothing
      u.reading(CHANGE, bd("250"));
      assertEquals(BY_READINGS, rows(t.compute(u)));
      u.reading(CHANGE, bd("251"));
      InputException e = assertThrows(InputException.class, () -> t.compute(u));
      assertEquals("ERULE", e.codeName());
      assertTrue(e.getMessage().contains("251 kWh in total, but its TOU registers add up to 250"),
                 e.getMessage());
    }
  }

  @Test
  void rules() {
    try (Tariff t = Tariff.load(COMMERCIAL)) {
      try (Usage u = touUsage().touReading(CHANGE, "peak", bd("120"))
               .touReading(CHANGE, "flat", bd("90"))) {
        InputException e = assertThrows(InputException.class, () -> t.compute(u));
        assertEquals("ERULE", e.codeName());
        assertTrue(e.getMessage().contains(
            "the reading on 2025-07-01 has no value for TOU register 'valley'"), e.getMessage());
        u.touReading(CHANGE, "valley", bd("100.5"));
        e = assertThrows(InputException.class, () -> t.compute(u));
        assertTrue(e.getMessage().contains("the reading of TOU register 'valley' on 2025-07-01 "
                                           + "(100.5) is above"), e.getMessage());
      }
      try (Usage u = touUsage().reading(CHANGE, bd("250"))) {
        InputException e = assertThrows(InputException.class, () -> t.compute(u));
        assertTrue(e.getMessage().contains("gives the total kWh only"), e.getMessage());
      }
      try (Usage u = touUsage().touReading(LocalDate.of(2025, 6, 30), "peak", bd("1"))) {
        InputException e = assertThrows(InputException.class, () -> t.compute(u));
        assertTrue(e.getMessage().contains("the reading on 2025-06-30 is not at a tariff change"),
                   e.getMessage());
      }
    }
  }

  @Test
  void setterErrors() {
    try (Usage u = new Usage()) {
      InputException e = assertThrows(InputException.class,
                                      () -> u.touReading(CHANGE, "pe ak", bd("1")));
      assertEquals("ESYNTAX", e.codeName());
      e = assertThrows(InputException.class, () -> u.touReading(CHANGE, "peak", bd("-1")));
      assertEquals("ERANGE", e.codeName());
      assertThrows(NullPointerException.class, () -> u.touReading(null, "peak", bd("1")));
      assertThrows(NullPointerException.class, () -> u.touReading(CHANGE, null, bd("1")));
      assertThrows(NullPointerException.class,
                   () -> u.touReading(CHANGE, "peak", (BigDecimal) null));
    }
  }
}
