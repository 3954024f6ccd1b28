package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Interval data, demand charges by TOU period and demand ratchets in the Java
 * binding: hand-computed bills for examples/tariffs/us-tou-demand.json.
 * Runs from the repository root (make check-java).
 */
class TariffDemandTest {
  private static final LocalDate JULY_1 = LocalDate.of(2025, 7, 1);
  private static final LocalDate AUGUST_1 = LocalDate.of(2025, 8, 1);

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static Tariff us() {
    return Tariff.loadFile(Path.of("examples", "tariffs", "us-tou-demand.json"));
  }

  private static BillLine line(Bill b, String charge, String band) {
    for (BillLine l : b)
      if (l.charge().equals(charge) && l.band().equals(band))
        return l;
    throw new AssertionError("no line " + charge + " [" + band + "] in\n" + b.text());
  }

  private static Usage registers(Usage u, String maxDemand) {
    return u.period(JULY_1, AUGUST_1)
        .touKwh("on_peak", bd("52000")).touKwh("mid_peak", bd("61000"))
        .touKwh("off_peak", bd("87000"))
        .touMaxDemandKw("on_peak", bd("365.5"))
        .maxDemandKw(bd(maxDemand))
        .priorPeak(YearMonth.of(2024, 7), bd("700"))
        .priorPeak(YearMonth.of(2025, 1), bd("520"))
        .priorPeak(YearMonth.of(2025, 6), bd("480"));
  }

  @Test
  void ratchetGoverns() {
    try (Tariff t = us(); Usage u = registers(new Usage(), "380")) {
      Bill b = t.compute(u);
      BillLine on = line(b, "on_peak_demand", "on_peak");
      assertEquals(bd("6761.75"), on.amount());
      BillLine fac = line(b, "facilities", "");
      assertEquals(bd("416"), fac.quantity());
      assertEquals(bd("2579.20"), fac.amount());
      assertTrue(fac.explanation().startsWith(
          "Billing demand 416 kW = 80% of the 520 kW peak of 2025-01"), fac.explanation());
      assertEquals(bd("37020.95"), b.total());
    }
  }

  @Test
  void ratchetNotGoverning() {
    try (Tariff t = us(); Usage u = registers(new Usage(), "450")) {
      Bill b = t.compute(u);
      assertEquals(bd("2790.00"), line(b, "facilities", "").amount());
      assertEquals(bd("37231.75"), b.total());
    }
  }

  @Test
  void intervalsWithHoliday() {
    BigDecimal[] kwh = new BigDecimal[31 * 96];
    Arrays.fill(kwh, BigDecimal.ONE);
    kwh[3 * 96 + 52] = bd("5");   // 2025-07-04T13:00
    kwh[6 * 96 + 48] = bd("3");   // 2025-07-07T12:00
    try (Tariff t = us(); Usage u = new Usage(); Calendar cal = new Calendar()) {
      u.period(JULY_1, AUGUST_1).intervals(LocalDateTime.of(2025, 7, 1, 0, 0), 15, kwh);
      assertEquals(31 * 96, u.intervalCount());
      Bill b = t.compute(u);
      assertEquals(bd("558"), line(b, "energy", "on_peak").quantity());
      assertEquals(bd("20"), line(b, "on_peak_demand", "on_peak").quantity());
      cal.addHoliday(LocalDate.of(2025, 7, 4), "Independence Day");
      u.calendar(cal);
      b = t.compute(u);
      assertEquals(bd("530"), line(b, "energy", "on_peak").quantity());
      assertEquals(bd("1748"), line(b, "energy", "off_peak").quantity());
      assertEquals(bd("222.00"), line(b, "on_peak_demand", "on_peak").amount());
      // a gap: the last interval missing
      u.intervals(LocalDateTime.of(2025, 7, 1, 0, 0), 15, Arrays.copyOf(kwh, 31 * 96 - 1));
      BillException e = assertThrows(BillException.class, () -> t.compute(u));
      assertTrue(e.getMessage().contains("interval 2975 (2025-07-31T23:45)"), e.getMessage());
    }
  }

  @Test
  void exampleFileMatchesBillcalc() throws IOException {
    String usage = Files.readString(Path.of("examples", "usage", "us-tou-demand-july-intervals.json"),
                                    StandardCharsets.UTF_8);
    String calendar = Files.readString(Path.of("examples", "calendars", "us-2025.txt"),
                                       StandardCharsets.UTF_8);
    String expected = Files.readString(Path.of("examples", "expected", "billcalc.11.txt"),
                                       StandardCharsets.UTF_8);
    try (Tariff t = us(); Usage u = Usage.fromJson(usage, "intervals.json");
         Calendar cal = new Calendar()) {
      cal.load(calendar);
      assertEquals(expected, t.compute(u.calendar(cal)).text());
    }
  }

  @Test
  void badInputsThrow() {
    try (Usage u = new Usage()) {
      assertThrows(BillException.class,
                   () -> u.intervals(LocalDateTime.of(2025, 7, 1, 0, 0), 20,
                                     new BigDecimal[] {BigDecimal.ONE}));
      assertThrows(BillException.class,
                   () -> u.intervals(LocalDateTime.of(2025, 7, 1, 0, 0), 15,
                                     new BigDecimal[] {bd("-1")}));
      assertThrows(BillException.class, () -> u.touMaxDemandKw("on peak", BigDecimal.ONE));
      assertThrows(BillException.class, () -> u.priorPeak(YearMonth.of(2025, 1), bd("-2")));
      assertEquals(0, u.intervalCount());
      Calendar cal = new Calendar();
      cal.close();
      assertThrows(StateException.class, () -> u.calendar(cal));
      u.calendar(null);
    }
  }
}
