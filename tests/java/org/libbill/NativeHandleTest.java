package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The handle classes share one package-private base (NativeHandle): each is
 * AutoCloseable, close() twice is harmless, isClosed() tells, and every use of
 * a closed handle (its own methods, or passing it to another class's method)
 * throws StateException ESTATE with a message that names what is closed.
 * Runs from the repository root (make check-java).
 */
class NativeHandleTest {
  private static final LocalDate JUNE_1 = LocalDate.of(2025, 6, 1);
  private static final LocalDate JULY_1 = LocalDate.of(2025, 7, 1);

  private static Tariff tariff(String name) {
    return Tariff.loadFile(Path.of("examples", "tariffs", name + ".json"));
  }

  private static Usage june() {
    return new Usage().period(JUNE_1, JULY_1).kwh(new BigDecimal("100"));
  }

  /**
   * Closes {@code h} twice, then expects every use to throw ESTATE naming {@code what}
   * ({@code closedText} null: the class has no toString of its own).
   */
  private static void checkClosed(NativeHandle h, String what, String closedText, List<Executable> uses) {
    assertFalse(h.isClosed());
    h.close();
    h.close(); // harmless
    assertTrue(h.isClosed());
    if (closedText != null)
      assertEquals(closedText, h.toString());
    StateException direct = assertThrows(StateException.class, h::checkOpen);
    assertEquals("ESTATE", direct.codeName());
    for (Executable use : uses) {
      StateException e = assertThrows(StateException.class, use);
      assertEquals("ESTATE", e.codeName());
      assertTrue(e.getMessage().contains(what + " is closed"), e.getMessage());
    }
  }

  @Test
  void everyHandleClassExtendsTheBaseWithoutWideningTheApi() {
    for (Class<?> c : List.of(Calendar.class, Determinants.class, Importer.class, MeterCsv.class,
                              PowerFactorTable.class, Store.class, Tariff.class, Usage.class,
                              Verification.class, WhatIf.class)) {
      assertEquals(NativeHandle.class, c.getSuperclass(), c.getName());
      assertTrue(AutoCloseable.class.isAssignableFrom(c), c.getName());
      assertTrue(Modifier.isFinal(c.getModifiers()), c.getName());
    }
    assertFalse(Modifier.isPublic(NativeHandle.class.getModifiers()));
  }

  @Test
  void closedCalendar() {
    Calendar c = new Calendar();
    checkClosed(c, "calendar", "Calendar(closed)",
                List.of(c::weekend, () -> c.dayType(JUNE_1), () -> c.isWorkingDay(JUNE_1),
                        () -> c.addHoliday(JUNE_1, "x")));
  }

  @Test
  void closedPowerFactorTable() {
    PowerFactorTable t = PowerFactorTable.standard("0.90");
    checkClosed(t, "table", "PowerFactorTable(closed)",
                List.of(t::standard, () -> t.percent(new BigDecimal("0.85"))));
  }

  @Test
  void closedTariff() {
    Tariff t = tariff("cn-residential-annual");
    try (Usage u = june(); WhatIf w = new WhatIf()) {
      checkClosed(t, "tariff", "Tariff(closed)",
                  List.of(t::id, t::currency, t::versions, () -> t.compute(u),
                          () -> w.addCandidate("closed", t, Map.of())));
      assertEquals(0, w.size()); // nothing half-applied
    }
  }

  @Test
  void closedUsage() {
    Usage u = june();
    try (Tariff t = tariff("cn-residential-annual")) {
      checkClosed(u, "usage", "Usage(closed)",
                  List.of(() -> u.kwh(new BigDecimal("5")), u::reset, () -> t.compute(u)));
    }
  }

  @Test
  void closedWhatIf() {
    WhatIf w = new WhatIf();
    try (Tariff t = tariff("cn-residential-annual"); Usage u = june()) {
      checkClosed(w, "comparison", "WhatIf(closed)",
                  List.of(w::size, () -> w.addCandidate("a", t, Map.of()),
                          () -> w.run(List.of(u))));
    }
  }

  @Test
  void closedStore() {
    Store s = Store.memory();
    checkClosed(s, "store", null,
                List.of(s::schemaVersion, s::accounts, s::begin,
                        () -> s.determinants("A-1", JUNE_1, JULY_1),
                        () -> new Importer(s, "x.csv", Importer.Kind.READINGS, null, 0),
                        () -> new Verification(s),
                        () -> Importer.countReadings(s, Importer.Kind.READINGS)));
  }

  @Test
  void closedImporter() {
    try (Store s = Store.memory()) {
      Importer imp = new Importer(s, "x.csv", Importer.Kind.READINGS, null, 0);
      checkClosed(imp, "importer", null,
                  List.of(() -> imp.feed("meter_serial,register,read_at,value\n"), imp::finish,
                          imp::report, () -> imp.readFile("x.csv")));
      assertFalse(s.isClosed()); // closing the importer leaves the store open
      assertEquals(0, Importer.countReadings(s, Importer.Kind.READINGS));
    }
  }

  @Test
  void closedVerification() {
    try (Store s = Store.memory()) {
      Verification v = new Verification(s);
      checkClosed(v, "verification", null,
                  List.of(() -> v.feed("x"), v::finish, v::run, v::rows, v::toCsv, v::toJson,
                          () -> v.addRow("M-1", "A-1", null, BigDecimal.ONE, JUNE_1)));
      assertFalse(s.isClosed()); // closing the verification leaves the store open
    }
  }

  @Test
  void closedDeterminants() {
    Determinants d = new Determinants(JUNE_1, JULY_1);
    try (Usage u = new Usage()) {
      checkClosed(d, "determinants: the handle", null,
                  List.of(d::compute, d::days, d::isEstimated, d::quantities,
                          () -> d.setPeriod(JUNE_1, JULY_1), () -> d.addMeter("M-1", 6),
                          () -> d.toUsage(u)));
    }
  }

  @Test
  void closedMeterCsv() {
    MeterCsv r = new MeterCsv(MeterCsv.Format.READINGS);
    checkClosed(r, "reader", null,
                List.of(() -> r.feed("meter_serial,register,read_at,value\n"), r::finish, r::rows,
                        r::rejected));
    assertEquals(MeterCsv.Format.READINGS, r.format()); // Java-side state stays readable
  }

  @Test
  void tryWithResourcesCloses() {
    NativeHandle[] seen = new NativeHandle[10];
    try (Calendar c = new Calendar(); PowerFactorTable p = PowerFactorTable.standard("0.85");
         Tariff t = tariff("cn-commercial-tou"); Usage u = new Usage(); WhatIf w = new WhatIf();
         Store s = Store.memory(); Determinants d = new Determinants();
         MeterCsv r = new MeterCsv(MeterCsv.Format.INTERVALS);
         Importer imp = new Importer(s, "x.csv", Importer.Kind.INTERVALS, null, 0);
         Verification v = new Verification(s)) {
      seen[0] = c; seen[1] = p; seen[2] = t; seen[3] = u; seen[4] = w;
      seen[5] = s; seen[6] = d; seen[7] = r; seen[8] = imp; seen[9] = v;
      for (NativeHandle h : seen)
        assertFalse(h.isClosed());
    }
    for (NativeHandle h : seen) {
      assertTrue(h.isClosed());
      assertInstanceOf(AutoCloseable.class, h);
    }
  }
}
