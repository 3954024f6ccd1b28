package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Tariffs, usage and bills of the Java binding: the example bills are
 * byte-identical to what the C program billcalc prints (the runs of
 * examples/args/billcalc.txt, outputs in examples/expected/), the lines add up
 * to the total, and a residential bill never decreases when the kWh grow.
 * Runs from the repository root (make check-java).
 */
class TariffTest {
  private static final LocalDate JUNE_1 = LocalDate.of(2025, 6, 1);
  private static final LocalDate JULY_1 = LocalDate.of(2025, 7, 1);

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  private static Tariff tariff(String name) {
    return Tariff.loadFile(Path.of("examples", "tariffs", name + ".json"));
  }

  private static BigDecimal sum(Bill b) {
    BigDecimal s = BigDecimal.ZERO;
    for (BillLine line : b)
      s = s.add(line.amount());
    return s;
  }

  private static void assertSameValue(BigDecimal expected, BigDecimal actual) {
    assertEquals(0, expected.compareTo(actual), expected + " != " + actual);
  }

  // ---- loading ----------------------------------------------------------------------------

  @Test
  void loadEveryExampleTariff() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("examples", "tariffs"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 4, files.toString());
    for (Path file : files) {
      String text = read(file);
      try (Tariff t = Tariff.loadFile(file)) {
        assertTrue(text.contains("\"id\": \"" + t.id() + "\""), file + ": " + t.id());
        assertTrue(text.contains("\"currency\": \"" + t.currency() + "\""), file + ": " + t.currency());
        assertFalse(t.name().isEmpty());
        List<LocalDate> versions = t.versions();
        assertFalse(versions.isEmpty());
        for (int i = 1; i < versions.size(); i++)
          assertTrue(versions.get(i - 1).isBefore(versions.get(i)));
        for (LocalDate v : versions)
          assertTrue(text.contains("\"effective\": \"" + v + "\""), file + ": " + v);
      }
      try (Tariff t = Tariff.load(text, null)) {
        assertFalse(t.id().isEmpty());
      }
    }
    try (Tariff t = tariff("cn-residential-monthly-seasonal")) {
      assertEquals(List.of(LocalDate.of(2012, 7, 1), LocalDate.of(2025, 7, 1)), t.versions());
    }
  }

  // ---- the billcalc examples ------------------------------------------------------------

  @Test
  void examplesMatchBillcalc() throws IOException {
    int k = 0;
    for (String line : read(Path.of("examples", "args", "billcalc.txt")).split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length < 2)
        continue;
      k++;
      List<String> files = new ArrayList<>();
      boolean json = false;
      String calendar = null;
      for (int i = 0; i < words.length; i++) {
        String w = words[i];
        if (w.equals("--json"))
          json = true;
        else if (w.equals("--calendar"))
          calendar = words[++i];
        else
          files.add(w);
      }
      String expected = read(Path.of("examples", "expected", "billcalc." + k + ".txt"));
      Bill b;
      try (Tariff t = Tariff.loadFile(Path.of(files.get(0)));
           Usage u = Usage.fromJson(read(Path.of(files.get(1))), files.get(1));
           Calendar cal = new Calendar()) {
        if (calendar != null) {
          cal.load(read(Path.of(calendar)));
          u.calendar(cal);
        }
        b = t.compute(u);
      }
      // the bill outlives both handles
      assertEquals(expected, json ? b.json() : b.text(), "billcalc." + k);
      assertSameValue(b.total(), sum(b));
      for (BillLine l : b)
        assertTrue((json ? b.json() : b.text()).contains(l.explanation()), l.explanation());
    }
    assertTrue(k >= 5, "runs: " + k);
  }

  @Test
  void residentialJuneInDetail() throws IOException {
    Bill b;
    try (Tariff t = tariff("cn-residential-annual");
         Usage u = new Usage().period(JUNE_1, JULY_1).customerClass("residential").householdSize(3)
                              .kwh(bd("420")).ytdKwh(bd("2761"))) {
      b = t.compute(u);
    }
    assertEquals(read(Path.of("examples", "expected", "billcalc.1.txt")), b.text());
    assertEquals("224.94", b.total().toString());
    assertEquals("224.94", b.subtotal().toString());
    assertEquals("25.88", b.tax().toString());
    assertTrue(b.taxIncluded());
    assertEquals(2, b.lines().size());
    BillLine first = b.lines().get(0);
    assertEquals(new BillLine(LineKind.ENERGY, "energy", "", "tier 1", bd("359"), "kWh", bd("0.5283"),
                              bd("189.66"), JUNE_1, JULY_1,
                              "kWh 2761\u20133120 of this year fall in tier 1 at 0.5283"),
                 first);
    assertThrows(UnsupportedOperationException.class, () -> b.lines().clear());
  }

  @Test
  void touUsageFromSettersMatchesJson() throws IOException {
    Map<String, BigDecimal> tou = new LinkedHashMap<>();
    tou.put("peak", bd("300"));
    tou.put("valley", bd("120"));
    try (Tariff t = tariff("cn-residential-annual-tou");
         Usage u = new Usage().period(JUNE_1, JULY_1).householdSize(3).kwh(bd("420"))
                              .touKwh(tou).ytdKwh(bd("2761"))) {
      assertEquals(read(Path.of("examples", "expected", "billcalc.2.txt")), t.compute(u).text());
    }
  }

  @Test
  void splitByReading() {
    LocalDate start = LocalDate.of(2025, 6, 16), end = LocalDate.of(2025, 7, 16);
    try (Tariff t = tariff("cn-residential-monthly-seasonal");
         Usage u = new Usage().period(start, end).kwh(bd("600.5"))) {
      Bill proRata = t.compute(u);
      u.reading(JULY_1, bd("100"));
      Bill byReading = t.compute(u);
      assertNotEquals(proRata.total(), byReading.total());
      assertSameValue(byReading.total(), sum(byReading));
      for (BillLine l : byReading)
        assertTrue((l.from().equals(start) && l.to().equals(JULY_1))
                   || (l.from().equals(JULY_1) && l.to().equals(end)), l.toString());
    }
  }

  @Test
  void touPeriod() {
    try (Tariff t = tariff("cn-commercial-tou")) {
      assertEquals("valley", t.touPeriod("energy", LocalDateTime.of(2025, 7, 1, 3, 30), DayType.WORKING));
      assertEquals("critical", t.touPeriod("energy", LocalDateTime.of(2025, 7, 1, 11, 30), DayType.WORKING));
      assertEquals("peak", t.touPeriod("energy", LocalDateTime.of(2025, 3, 1, 11, 30), DayType.HOLIDAY));
      assertEquals("peak", t.touPeriod("energy", LocalDateTime.of(2025, 7, 1, 20, 30), DayType.WEEKEND));
      InputException e = assertThrows(InputException.class,
          () -> t.touPeriod("funds", LocalDateTime.of(2025, 7, 1, 3, 30), DayType.WORKING));
      assertEquals("ENOTFOUND", e.codeName());
    }
  }

  // ---- errors ---------------------------------------------------------------------------

  @Test
  void badTariffNamesTheJsonPath() throws IOException {
    String text = read(Path.of("examples", "tariffs", "cn-residential-annual.json"))
        .replace("\"HALF_UP\"", "\"SIDEWAYS\"");
    InputException e = assertThrows(InputException.class, () -> Tariff.load(text, "bad.json"));
    assertTrue(e.getMessage().contains("bad.json:"), e.getMessage());
    assertTrue(e.getMessage().contains("$.rounding.mode"), e.getMessage());
    assertEquals(ErrorFamily.INPUT, e.family());

    InputException syntax = assertThrows(InputException.class,
        () -> Tariff.load("{\"format\": \"libbill-tariff/1\", \"id\": 3}", "x.json"));
    assertEquals("ESYNTAX", syntax.codeName());
    assertTrue(syntax.getMessage().contains("x.json:1:"), syntax.getMessage());
    assertTrue(syntax.getMessage().contains("$.id"), syntax.getMessage());
    InputException anon = assertThrows(InputException.class, () -> Tariff.load("{"));
    assertTrue(anon.getMessage().contains("<json>"), anon.getMessage());
    assertThrows(NullPointerException.class, () -> Tariff.load(null, "x"));
  }

  @Test
  void badUsage() {
    InputException e = assertThrows(InputException.class,
        () -> Usage.fromJson("{\"period\": \"2025-06-01/2025-07-01\", \"kwh\": \"4x\"}", "u.json"));
    assertTrue(e.getMessage().contains("u.json") && e.getMessage().contains("$.kwh"), e.getMessage());
    try (Usage u = new Usage()) {
      BillException d = assertThrows(BillException.class, () -> u.period(JULY_1, JUNE_1));
      assertEquals("EDATE", d.codeName());
      assertThrows(BillException.class, () -> u.kwh(bd("-1")));
      assertThrows(BillException.class, () -> u.householdSize(0));
      assertThrows(BillException.class, () -> u.customerClass("not a class!"));
    }
  }

  @Test
  void usageThatDoesNotFitTheTariff() {
    try (Tariff t = tariff("cn-residential-annual-tou");
         Usage u = new Usage().period(JUNE_1, JULY_1).kwh(bd("420"))) {
      InputException e = assertThrows(InputException.class, () -> t.compute(u));
      assertEquals("ERULE", e.codeName());
    }
    try (Tariff t = tariff("cn-residential-annual"); Usage u = new Usage()) {
      assertThrows(StateException.class, () -> t.compute(u)); // no period
    }
  }

  // ---- life cycle -------------------------------------------------------------------------

  @Test
  void useAfterCloseThrowsStateException() {
    Tariff t = tariff("cn-residential-annual");
    Usage u = new Usage().period(JUNE_1, JULY_1).kwh(bd("10"));
    assertFalse(t.isClosed());
    t.close();
    t.close(); // harmless
    assertTrue(t.isClosed());
    assertEquals("Tariff(closed)", t.toString());
    List<Executable> uses = List.of(t::id, t::name, t::currency, t::versions, () -> t.compute(u));
    for (Executable use : uses) {
      StateException e = assertThrows(StateException.class, use);
      assertEquals("ESTATE", e.codeName());
    }
    u.close();
    u.close();
    try (Tariff t2 = tariff("cn-residential-annual")) {
      assertThrows(StateException.class, () -> t2.compute(u));
      assertThrows(StateException.class, () -> u.kwh(bd("5")));
    }
  }

  @Test
  void unclosedHandlesAreCollected() {
    for (int i = 0; i < 200; i++) {
      Tariff t = tariff("cn-commercial-tou");
      Usage u = new Usage().period(JUNE_1, JULY_1).customerClass("commercial")
                           .touKwh("peak", bd("1")).touKwh("valley", bd("2"))
                           .touKwh("flat", bd("3")).touKwh("critical", bd("4"));
      t.compute(u);
    }
    System.gc();
  }

  // ---- properties -------------------------------------------------------------------------

  private static BigDecimal kwh(Random rnd) {
    return BigDecimal.valueOf(rnd.nextInt(10_000_000), 2); // 0 .. 99999.99
  }

  @Test
  void residentialLinesSumToTotalAndNeverDecrease() {
    Random rnd = new Random(20250601);
    for (String name : List.of("cn-residential-annual", "cn-residential-monthly-seasonal")) {
      try (Tariff t = tariff(name)) {
        for (int i = 0; i < 300; i++) {
          LocalDate start = LocalDate.of(2025, 3, 1);
          LocalDate end = start.plusDays(1 + rnd.nextInt(400));
          BigDecimal low = kwh(rnd), high = low.add(kwh(rnd));
          try (Usage u = new Usage().period(start, end).kwh(low)
                                    .ytdKwh(BigDecimal.valueOf(rnd.nextInt(20000)))) {
            Bill a = t.compute(u);
            Bill b = t.compute(u.kwh(high));
            String what = name + " " + start + "/" + end + " " + low + " -> " + high;
            assertSameValue(a.total(), sum(a));
            assertSameValue(b.total(), sum(b));
            assertTrue(b.total().compareTo(a.total()) >= 0, what);
          }
        }
      }
    }
    try (Tariff t = tariff("cn-residential-annual-tou")) {
      for (int i = 0; i < 300; i++) {
        BigDecimal peak = kwh(rnd), valley = kwh(rnd), extra = kwh(rnd);
        try (Usage u = new Usage().period(JUNE_1, JULY_1).touKwh("peak", peak).touKwh("valley", valley)) {
          Bill a = t.compute(u);
          Bill b = t.compute(rnd.nextBoolean() ? u.touKwh("peak", peak.add(extra))
                                               : u.touKwh("valley", valley.add(extra)));
          assertSameValue(a.total(), sum(a));
          assertSameValue(b.total(), sum(b));
          assertTrue(b.total().compareTo(a.total()) >= 0, peak + " " + valley + " " + extra);
        }
      }
    }
  }
}
