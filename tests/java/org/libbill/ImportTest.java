package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportTest {
  @TempDir Path dir;

  private static final LocalDateTime NOW = LocalDateTime.parse("2026-06-01T00:00");

  private static final String READINGS =
      "meter_serial,register,read_at,value,kind,source\n"
      + "M1,total,2026-01-01,100,actual,r1\n"
      + "M1,total,2026-02-01,200,actual,\n"
      + "M1,total,2026-02-01,200.0,actual,\n"
      + "M1,total,2026-02-01,201,actual,\n"
      + "M1,total,2026-03-01,150,actual,\n"
      + "NOPE,total,2026-01-01,1,actual,\n"
      + "M1,total,2026-07-01,999,actual,\n"
      + "M1,total,2026-05-01,99990,estimated,\n"
      + "M1,total,2026-05-15,5,actual,\n";

  private static Store store(String path) {
    Store s = path == null ? Store.memory() : Store.open(path);
    s.addMeter(new Meter("M1").digits(5).installed(LocalDate.parse("2026-01-01"))
        .register("total", RegisterKind.ENERGY, 0).register("md", RegisterKind.DEMAND, 4));
    s.addMeter(new Meter("M2").digits(5).installed(LocalDate.parse("2025-01-01"))
        .removed(LocalDate.parse("2026-02-01")));
    return s;
  }

  @Test
  void importsCountsAndExceptions() {
    try (Store s = store(null)) {
      Importer.Report r;
      try (Importer imp = new Importer(s, "reads.csv", Importer.Kind.READINGS, NOW, 2)) {
        for (int i = 0; i < READINGS.length(); i += 7) {
          imp.feed(READINGS.substring(i, Math.min(READINGS.length(), i + 7)));
        }
        r = imp.finish();
      }
      assertEquals(9, r.total());
      assertEquals(4, r.accepted());
      assertEquals(1, r.duplicate());
      assertEquals(4, r.rejected());
      assertFalse(r.alreadyImported());
      assertEquals(64, r.digest().length());
      List<Importer.Rejected> ex = Importer.exceptions(s, r.uuid());
      assertEquals(4, ex.size());
      assertEquals(new Importer.Rejected(7, "meter_serial", "ENOTFOUND",
          "line 7, column 'meter_serial': unknown meter 'NOPE'"), ex.get(2));
      assertEquals("ECONFLICT", ex.get(0).code());
      assertEquals("line 6, column 'value': register 'total' of meter 'M1' goes down from 200 at "
          + "2026-02-01T00:00 to 150 at 2026-03-01T00:00 (not a plausible rollover of 5 digits)",
          ex.get(1).message());
      assertEquals(4, Importer.countReadings(s, Importer.Kind.READINGS));

      try (Importer imp = new Importer(s, "again.csv", Importer.Kind.READINGS, NOW, 0)) {
        imp.feed(READINGS);
        Importer.Report again = imp.finish();
        assertTrue(again.alreadyImported());
        assertEquals(r.uuid(), again.uuid());
        assertEquals(0, again.accepted());
        assertEquals(5, again.duplicate());
      }
      assertEquals(4, Importer.countReadings(s, Importer.Kind.READINGS));
      assertEquals(4, Importer.exceptions(s, r.uuid()).size());
    }
  }

  @Test
  void importsAFileAndIntervals() throws IOException {
    Path csv = dir.resolve("iv.csv");
    Files.writeString(csv, "meter_serial,start,minutes,kwh,kind\n"
        + "M1,2026-01-01T00:00,15,0.25,actual\n"
        + "M1,2026-01-01T00:00,15,0.25,actual\n"
        + "M1,2026-01-01T00:00,60,1.0,actual\n"
        + "M1,2026-01-01T00:15,15,0.5,estimated\n");
    try (Store s = store(dir.resolve("s.db").toString())) {
      Importer.Report r = Importer.importFile(s, csv.toString(), Importer.Kind.INTERVALS, NOW);
      assertEquals(2, r.accepted());
      assertEquals(1, r.duplicate());
      assertEquals(1, r.rejected());
      assertEquals("ECONFLICT", Importer.exceptions(s, r.uuid()).get(0).code());
      assertEquals(2, Importer.countReadings(s, Importer.Kind.INTERVALS));
      LocalDateTime one = LocalDateTime.parse("2026-01-01T01:00");
      assertTrue(Importer.addInterval(s, "M1", one, 60, new BigDecimal("2.5"), false));
      assertFalse(Importer.addInterval(s, "M1", one, 60, new BigDecimal("2.50"), false));
      InputException e = assertThrows(InputException.class, () -> Importer.addInterval(s, "M1",
          LocalDateTime.parse("2026-01-01T01:30"), 30, BigDecimal.ONE, false));
      assertEquals("ECONFLICT", e.codeName());
    }
  }

  @Test
  void addsReadingsAndRejects() {
    try (Store s = store(null)) {
      LocalDateTime jan1 = LocalDateTime.parse("2026-01-01T00:00");
      assertTrue(Importer.addReading(s, "M1", "total", jan1, new BigDecimal("99990"), false, "api"));
      assertFalse(Importer.addReading(s, "M1", "total", jan1, new BigDecimal("99990.0"), false, null));
      assertTrue(Importer.addReading(s, "M1", "total", LocalDateTime.parse("2026-01-10T00:00"),
          new BigDecimal("12"), true, null));
      InputException e = assertThrows(InputException.class, () -> Importer.addReading(s, "M1",
          "total", LocalDateTime.parse("2026-01-20T00:00"), new BigDecimal("5"), false, null));
      assertEquals("ERULE", e.codeName());
      assertTrue(e.getMessage().contains("goes down from 12 at 2026-01-10T00:00 to 5"));
      InputException h = assertThrows(InputException.class, () -> {
        try (Importer imp = new Importer(s, "bad.csv", Importer.Kind.READINGS, NOW, 0)) {
          imp.feed("meter_serial,register,read_at,value\n");
          imp.finish();
        }
      });
      assertEquals("ESYNTAX", h.codeName());
      Importer closed = new Importer(s, "x", Importer.Kind.READINGS, NOW, 0);
      closed.close();
      closed.close();
      assertThrows(StateException.class, () -> closed.feed("x"));
    }
  }
}
