package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path dir;

  private static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  @Test
  void fileStoreReopenAndReadOnly() {
    String path = dir.resolve("bill.db").toString();
    try (Store s = Store.open(path)) {
      assertEquals(Store.SCHEMA_VERSION, s.schemaVersion());
      assertEquals(4, s.schemaVersion());
      Account a = s.addAccount(new Account("ACC-1").capacityKva(bd("315.0")));
      assertEquals(36, a.uuid().length());
    }
    try (Store s = Store.openReadOnly(path)) {
      assertTrue(s.isReadOnly());
      assertEquals(bd("315.0"), s.account("ACC-1").capacityKva());
      StateException e = assertThrows(StateException.class, () -> s.addAccount(new Account("X")));
      assertEquals("ESTATE", e.codeName());
    }
  }

  @Test
  void refusesForeignFiles() throws IOException {
    Path text = dir.resolve("notes.db");
    Files.writeString(text, "not a database, only text that is long enough to be read\n".repeat(4));
    StorageException e = assertThrows(StorageException.class, () -> Store.open(text.toString()));
    assertEquals("ECORRUPT", e.codeName());
    InputException nf = assertThrows(InputException.class,
        () -> Store.openReadOnly(dir.resolve("missing.db").toString()));
    assertEquals("ENOTFOUND", nf.codeName());
  }

  @Test
  void closedStoreThrows() {
    Store s = Store.memory();
    s.close();
    s.close();
    assertTrue(s.isClosed());
    assertThrows(StateException.class, s::accounts);
  }

  @Test
  void accounts() {
    try (Store s = Store.memory()) {
      Account a = new Account("ACC-1").customerClass("commercial").householdSize(5)
          .capacityKva(bd("630")).declaredKw(bd("400.5")).pfStandard("0.90")
          .protection(Account.PROTECT_IMPORTANT).tariff("t-2024");
      s.addAccount(a);
      Account got = s.account("ACC-1");
      assertEquals(a, got);
      assertEquals("400.5", got.declaredKw().toString());
      InputException dup = assertThrows(InputException.class, () -> s.addAccount(new Account("ACC-1")));
      assertEquals("EEXISTS", dup.codeName());
      assertTrue(dup.getMessage().contains("ACC-1"));
      assertThrows(InputException.class, () -> s.addAccount(new Account("ACC-2").householdSize(0)));
      assertEquals(List.of("ACC-1"), s.accounts());
      s.updateAccount(new Account("ACC-1").householdSize(2));
      assertEquals(2, s.account("ACC-1").householdSize());
      assertEquals("ENOTFOUND",
          assertThrows(InputException.class, () -> s.account("NOPE")).codeName());
    }
  }

  @Test
  void metersAndMultipliers() {
    try (Store s = Store.memory()) {
      Meter m = s.addMeter(new Meter("M-1").digits(5).multiplier(bd("40")).installed(d("2024-01-01"))
          .register("total", RegisterKind.ENERGY, 0).register("kvarh", RegisterKind.REACTIVE, 0)
          .register("max_demand", RegisterKind.DEMAND, 4));
      assertEquals(36, m.uuid().length());
      assertEquals(MeterStatus.INSTALLED, m.status());
      assertEquals(3, m.registers().size());
      assertEquals(new Register("kvarh", RegisterKind.REACTIVE, 5), m.registers().get(1));
      assertEquals(bd("40"), m.multiplier());
      Meter plain = s.addMeter(new Meter("M-2"));
      assertEquals(MeterStatus.IN_STOCK, plain.status());
      assertEquals("total", plain.registers().get(0).code());
      s.setMultiplier("M-1", d("2024-06-01"), bd("60"));
      assertEquals(bd("40"), s.multiplierOn("M-1", d("2024-05-31")));
      assertEquals(bd("60"), s.multiplierOn("M-1", d("2024-06-01")));
      assertEquals("ERULE", assertThrows(InputException.class,
          () -> s.setMultiplier("M-1", d("2023-01-01"), bd("2"))).codeName());
      assertEquals(List.of("M-1", "M-2"), s.meters());
    }
  }

  @Test
  void links() {
    try (Store s = Store.memory()) {
      s.addAccount(new Account("A1"));
      s.addAccount(new Account("A2"));
      s.addMeter(new Meter("M1").installed(d("2024-01-01")));
      InputException before = assertThrows(InputException.class,
          () -> s.link("M1", "A1", d("2023-12-01"), null));
      assertEquals("ERULE", before.codeName());
      s.link("M1", "A1", d("2024-01-01"), d("2024-03-01"));
      InputException overlap = assertThrows(InputException.class,
          () -> s.link("M1", "A2", d("2024-02-01"), null));
      assertEquals("ERULE", overlap.codeName());
      assertTrue(overlap.getMessage().contains("overlaps"));
      s.link("M1", "A2", d("2024-03-01"), null);
      assertEquals("A1", s.meterAccounts("M1", d("2024-02-29")).get(0).account());
      Link now = s.meterAccounts("M1", d("2024-03-01")).get(0);
      assertEquals("A2", now.account());
      assertNull(now.end());
      assertEquals(0, now.ratio().compareTo(BigDecimal.ONE));
      assertTrue(s.meterAccounts("M1", d("2023-06-01")).isEmpty());
      Link l = s.accountMeters("A1", d("2024-01-01"), d("2025-01-01")).get(0);
      assertEquals(d("2024-03-01"), l.end());
      s.endLink("M1", d("2024-06-01"));
      assertTrue(s.meterAccounts("M1", d("2024-06-01")).isEmpty());
      s.removeMeter("M1", d("2024-07-01"));
      assertEquals(MeterStatus.REMOVED, s.meter("M1").status());
    }
  }

  @Test
  void sharedMeterSplit() {
    try (Store s = Store.memory()) {
      for (String ref : List.of("H1", "H2", "H3")) s.addAccount(new Account(ref));
      s.addMeter(new Meter("SH").installed(d("2024-01-01")));
      Map<String, BigDecimal> bad = new LinkedHashMap<>();
      bad.put("H1", bd("0.333"));
      bad.put("H2", bd("0.333"));
      bad.put("H3", bd("0.333"));
      InputException e = assertThrows(InputException.class,
          () -> s.linkShared("SH", bad, d("2024-01-01"), null));
      assertTrue(e.getMessage().contains("not exactly 1"));
      assertTrue(s.meterAccounts("SH", d("2024-01-01")).isEmpty());
      Map<String, BigDecimal> ratios = new LinkedHashMap<>(bad);
      ratios.put("H3", bd("0.334"));
      s.linkShared("SH", ratios, d("2024-01-01"), null);
      Map<String, BigDecimal> parts = s.split("SH", d("2024-02-01"), bd("100"), 0);
      assertEquals(bd("33"), parts.get("H1"));
      assertEquals(bd("33"), parts.get("H2"));
      assertEquals(bd("34"), parts.get("H3"));
      parts = s.split("SH", d("2024-02-01"), bd("1234.567"), 3);
      assertEquals(bd("1234.567"), parts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
    }
  }

  @Test
  void subsAndTransactions() {
    try (Store s = Store.memory()) {
      for (String serial : List.of("MASTER", "SUB1"))
        s.addMeter(new Meter(serial).installed(d("2024-01-01")));
      s.addSub("MASTER", "SUB1", d("2024-01-01"), null);
      assertThrows(InputException.class, () -> s.addSub("SUB1", "MASTER", d("2024-01-01"), null));
      Link sub = s.subs("MASTER", d("2024-02-01"), d("2024-03-01")).get(0);
      assertEquals("SUB1", sub.meter());
      assertEquals("MASTER", sub.master());
      s.endSub("SUB1", d("2024-03-01"));
      assertTrue(s.subs("MASTER", d("2024-03-01"), d("2024-04-01")).isEmpty());
      assertThrows(IllegalStateException.class, () -> s.inTransaction(() -> {
        s.addAccount(new Account("T1"));
        throw new IllegalStateException("abandon");
      }));
      assertTrue(s.accounts().isEmpty());
      s.inTransaction(() -> {
        s.addAccount(new Account("T1"));
        s.addAccount(new Account("T2"));
      });
      assertEquals(List.of("T1", "T2"), s.accounts());
    }
  }

  @Test
  void twoThreadsLoseNothing() throws InterruptedException {
    String path = dir.resolve("shared.db").toString();
    Store.open(path).close();
    List<Throwable> errors = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (String prefix : List.of("A", "B")) {
      Thread t = new Thread(() -> {
        try (Store s = Store.open(path)) {
          for (int i = 0; i < 60; i++) s.addAccount(new Account(prefix + "-" + i));
        } catch (Throwable e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    assertTrue(errors.isEmpty(), errors.toString());
    try (Store s = Store.open(path)) {
      assertEquals(120, s.accounts().size());
      assertFalse(s.isReadOnly());
    }
  }
}
