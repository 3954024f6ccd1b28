package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/* The store has no public way to add readings yet, so these tests use the registry checks. */
class VerifyTest {
  private static final String HDR = "meter_serial,found_account,found_address,reading,read_on\n";

  private static Store registry() {
    Store s = Store.memory();
    for (int i = 1; i <= 4; i++) {
      s.addAccount(new Account("A-" + i));
      s.addMeter(new Meter("M-" + i).installed(LocalDate.parse("2024-01-01")));
      s.link("M-" + i, "A-" + i, LocalDate.parse("2024-01-01"), null);
    }
    return s;
  }

  @Test
  void classesFromCsv() {
    try (Store s = registry(); Verification v = new Verification(s)) {
      String csv = HDR + "M-1,A-1,,1204,2024-06-11\nM-2,A-3,,5230,2024-06-11\n"
          + "M-3,A-2,,812,2024-06-11\nX-9,A-4,,7,2024-06-11\nM-4,A-4,,bad,2024-06-11\n";
      v.feed(csv.substring(0, 70)).feed(csv.substring(70)).finish().run();
      List<Verification.Row> rows = v.rows();
      assertEquals(List.of("confirmed", "likely_swap", "likely_swap", "unknown_meter", "rejected"),
          rows.stream().map(Verification.Row::cls).collect(Collectors.toList()));
      assertEquals(new BigDecimal("1204"), rows.get(0).reading());
      assertEquals(LocalDate.parse("2024-06-11"), rows.get(0).readOn());
      assertEquals("M-3", rows.get(1).partner());
      assertTrue(rows.get(1).evidence().contains(
          "meter M-2 (registered to A-2) was found at A-3, and meter M-3 (registered to A-3) was found at A-2"));
      assertEquals(6L, rows.get(4).line());
      assertNull(rows.get(4).reading());
      assertTrue(rows.get(4).evidence().startsWith("line 6, column 'reading'"));
      List<Verification.AccountResult> acc = v.accounts();
      assertEquals(List.of("A-1", "A-2", "A-3", "A-4"),
          acc.stream().map(Verification.AccountResult::reference).collect(Collectors.toList()));
      assertEquals("confirmed", acc.get(0).cls());
      assertEquals("mismatch", acc.get(3).cls());
      assertTrue(acc.get(3).evidence().contains("meter M-4, linked since 2024-01-01, was not found"));
      String json = v.toJson();
      assertTrue(json.startsWith("{\"rows\":["));
      assertTrue(v.toCsv().contains("\n\naccount,class,evidence\nA-1,confirmed,"));
      assertThrows(StateException.class, v::run);
    }
  }

  @Test
  void rowsScopeAndErrors() {
    try (Store s = registry()) {
      try (Verification v = new Verification(s, Verification.Scope.ALL, BigDecimal.valueOf(3),
          BigDecimal.ZERO, null)) {
        v.addRow("M-1", "A-1", null, new BigDecimal("5"), LocalDate.parse("2024-06-11")).run();
        assertEquals("confirmed", v.rows().get(0).cls());
        assertEquals(4, v.accounts().size());
        assertEquals("meter_not_found", v.accounts().get(1).cls());
        String first = v.toJson();
        try (Verification w = new Verification(s, Verification.Scope.ALL, BigDecimal.valueOf(3),
            BigDecimal.ZERO, null)) {
          w.addRow("M-1", "A-1", null, new BigDecimal("5"), LocalDate.parse("2024-06-11")).run();
          assertEquals(first, w.toJson());
        }
      }
      assertThrows(ArgumentException.class,
          () -> new Verification(s, Verification.Scope.AUDITED, BigDecimal.ZERO, BigDecimal.ONE, null));
      try (Verification v = new Verification(s)) {
        assertThrows(InputException.class, () -> v.feed("bogus,header\n"));
      }
      Verification closed = new Verification(s);
      closed.close();
      assertThrows(StateException.class, closed::run);
    }
  }

  @Test
  void anomaliesOfAnEmptyHistory() {
    try (Store s = registry()) {
      Verification.AnomalyReport r = Verification.anomalies(s);
      assertEquals(0, r.anomalies().size());
      assertEquals("account,meter_serial,kind,from,to,usage,evidence\n", r.csv());
      assertEquals("{\"anomalies\":[]}\n", r.json());
      assertThrows(ArgumentException.class,
          () -> Verification.anomalies(s, 0, BigDecimal.valueOf(3), 6, 3, null, null));
    }
  }
}
