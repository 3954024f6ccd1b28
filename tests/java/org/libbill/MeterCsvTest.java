package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeterCsvTest {
  private static final String READINGS =
      "meter_serial,register,read_at,value,kind,source\r\n"
      + "M-1,total,2026-01-31,12345.6,actual,route 7\r\n"
      + "M-1,peak,2026-01-31T08:30,00123,estimated,\r\n"
      + "\"M,2\",total,2026-02-30,1,actual,\r\n"
      + "M-3,total,2026-01-31,5,actual\r\n"
      + "M-4,total,2026-01-31,7.50,actual,\"hand \"\"held\"\"\"";

  private static List<MeterCsv.Row> read(MeterCsv.Format f, String text, int chunk) {
    try (MeterCsv r = new MeterCsv(f)) {
      List<MeterCsv.Row> rows = new ArrayList<>();
      for (int i = 0; i < text.length(); i += chunk) {
        rows.addAll(r.feed(text.substring(i, Math.min(text.length(), i + chunk))));
      }
      rows.addAll(r.finish());
      return rows;
    }
  }

  @Test
  void readingsRows() {
    List<MeterCsv.Row> rows = read(MeterCsv.Format.READINGS, READINGS, 1 << 16);
    assertEquals(5, rows.size());
    MeterCsv.Row a = rows.get(0);
    assertTrue(a.ok());
    assertEquals(2, a.line());
    assertEquals("M-1", a.meterSerial());
    assertEquals("total", a.register());
    assertEquals("route 7", a.source());
    assertEquals(new BigDecimal("12345.6"), a.value());
    assertEquals(LocalDateTime.of(2026, 1, 31, 0, 0), a.time());
    assertFalse(a.hasTime());
    MeterCsv.Row b = rows.get(1);
    assertTrue(b.estimated());
    assertTrue(b.hasTime());
    assertEquals("123", b.value().toPlainString());
    MeterCsv.Row c = rows.get(2);
    assertFalse(c.ok());
    assertEquals("EDATE", c.status());
    assertEquals("read_at", c.column());
    assertTrue(c.reason().startsWith("line 4, column 'read_at': "), c.reason());
    assertNull(c.value());
    assertEquals("line 5: 5 fields, but the header has 6", rows.get(3).reason());
    assertEquals("hand \"held\"", rows.get(4).source());
  }

  @Test
  void chunksGiveTheSameRows() {
    List<MeterCsv.Row> whole = read(MeterCsv.Format.READINGS, READINGS, 1 << 16);
    for (int chunk : new int[] {1, 2, 5, 13}) {
      assertEquals(whole, read(MeterCsv.Format.READINGS, READINGS, chunk));
    }
  }

  @Test
  void intervalsAuditAndErrors() {
    List<MeterCsv.Row> rows = read(MeterCsv.Format.INTERVALS,
        "meter_serial,start,minutes,kwh,kind\nM,2026-01-01T00:15,15,0.25,actual\nM,2026-01-01T00:10,15,1,actual\n",
        1 << 16);
    assertEquals(15, rows.get(0).minutes());
    assertEquals("0.25", rows.get(0).value().toString());
    assertTrue(rows.get(1).reason().contains("15-minute boundary"));
    rows = read(MeterCsv.Format.AUDIT,
        "meter_serial,found_account,found_address,reading,read_on\nM-9,ACC-1,,7,2026-02-03\n", 1 << 16);
    assertEquals("ACC-1", rows.get(0).foundAccount());
    assertEquals(LocalDateTime.of(2026, 2, 3, 0, 0), rows.get(0).time());

    InputException e = assertThrows(InputException.class,
        () -> read(MeterCsv.Format.READINGS, "meter_serial,register,read_at,kind\n", 1 << 16));
    assertTrue(e.getMessage().contains("required column 'value' is missing"), e.getMessage());

    MeterCsv r = new MeterCsv(MeterCsv.Format.READINGS);
    r.feed(READINGS);
    assertEquals(4, r.rows()); // the last row has no line end: it waits for finish()
    assertEquals(1, r.finish().size());
    assertEquals(5, r.rows());
    assertEquals(2, r.rejected());
    r.close();
    r.close();
    assertThrows(StateException.class, () -> r.feed("x"));
  }
}
