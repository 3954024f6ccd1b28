package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A robust billing run: a bad account is skipped with a reason naming it, an
 * unfinished earlier run of the period is closed and reported by the next run.
 * The store is changed behind libbill's back with the sqlite3 shell (a corrupt
 * reading; a run left unfinished, as when its process is killed).
 */
class BillingRecoveryTest {
  private static final LocalDate START = LocalDate.parse("2025-06-01");
  private static final LocalDate END = LocalDate.parse("2025-07-01");
  private static final String FLAT =
      "{\"format\": \"libbill-tariff/1\", \"id\": \"flat\", \"currency\": \"CNY\","
      + " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"
      + " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","
      + " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"price\": \"0.5\"},"
      + " {\"id\": \"service\", \"type\": \"fixed\", \"amount\": \"5.00\", \"per\": \"month\"}]}]}";

  @TempDir Path dir;

  private static String sql(String path, String statements) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sqlite3", path, statements).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  /** Accounts R-1 .. R-3, each with a meter M1 .. M3 read on 06-01 (0) and 07-01 (10 × i). */
  private static void fill(Store s) {
    for (int i = 1; i <= 3; i++) {
      s.addAccount(new Account("R-" + i).tariff("flat"));
      s.addMeter(new Meter("M" + i).installed(LocalDate.parse("2020-01-01")));
      s.link("M" + i, "R-" + i, LocalDate.parse("2020-01-01"), null);
      Importer.addReading(s, "M" + i, "total", START.atStartOfDay(), BigDecimal.ZERO, false, "");
      Importer.addReading(s, "M" + i, "total", END.atStartOfDay(), new BigDecimal(10 * i), false, "");
    }
  }

  @Test
  void corruptReadingSkipsOnlyItsAccount() throws Exception {
    String path = dir.resolve("bad.db").toString();
    try (Store s = Store.open(path)) {
      fill(s);
    }
    sql(path, "UPDATE readings SET value = '12x' WHERE read_at = "
        + START.toEpochDay() * 1440 + " AND register_id = (SELECT g.id FROM registers g"
        + " JOIN meters m ON m.id = g.meter_id WHERE m.serial = 'M2');");
    try (Store s = Store.open(path); Tariff t = Tariff.load(FLAT)) {
      BillingReport r = s.billingRun(START, END, "june", List.of(t), null);
      assertEquals(3, r.accounts());
      assertEquals(2, r.billed());
      assertEquals(List.of(), r.interrupted());
      assertEquals(1, r.skipped().size());
      assertEquals("R-2", r.skipped().get(0).account());
      assertEquals("ECORRUPT", r.skipped().get(0).status());
      assertEquals("account R-2: meter M2 register total: the stored reading at 2025-06-01T00:00"
          + " is '12x', not a decimal", r.skipped().get(0).reason());
    }
  }

  @Test
  void unfinishedRunClosedAndReported() throws Exception {
    String path = dir.resolve("killed.db").toString();
    String first;
    try (Store s = Store.open(path); Tariff t = Tariff.load(FLAT)) {
      fill(s);
      BillingReport r = s.billingRun(START, END, "june", List.of(t), null);
      assertEquals(3, r.billed());
      first = r.uuid();
    }
    /* as if the run had been killed after committing R-1's bill only */
    sql(path, "UPDATE billing_runs SET finished_at = NULL;"
        + " DELETE FROM bill_lines WHERE bill_id IN (SELECT b.id FROM bills b JOIN accounts a"
        + " ON a.id = b.account_id WHERE a.reference <> 'R-1');"
        + " DELETE FROM bills WHERE account_id IN (SELECT id FROM accounts WHERE reference <> 'R-1');");
    try (Store s = Store.open(path); Tariff t = Tariff.load(FLAT)) {
      BillingReport r = s.billingRun(START, END, "june again", List.of(t), null);
      assertEquals(2, r.billed());
      assertEquals(1, r.alreadyBilled());
      assertEquals(1, r.interrupted().size());
      BillingReport.Interrupted i = r.interrupted().get(0);
      assertEquals(first, i.uuid());
      assertEquals(1, i.bills());
      assertEquals(1, i.counted());
      assertTrue(i.started().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), i.started());
      BillingReport again = s.billingRun(START, END, null, List.of(t), null);
      assertEquals(List.of(), again.interrupted());
      assertEquals(3, again.alreadyBilled());
    }
    assertEquals("3|3", sql(path, "SELECT count(*) || '|' || count(DISTINCT account_id) FROM bills;"));
    assertEquals("2", sql(path, "SELECT interrupted_by FROM billing_runs WHERE uuid = '" + first + "';"));
  }
}
