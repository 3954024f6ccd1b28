package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.libbill.jni.bill;
import org.libbill.jni.bill_status;

class ErrorsTest {
  private static final Map<ErrorFamily, Class<? extends BillException>> FAMILY_CLASS = Map.of(
      ErrorFamily.ARGUMENT, ArgumentException.class,
      ErrorFamily.INPUT, InputException.class,
      ErrorFamily.ARITH, ArithException.class,
      ErrorFamily.STATE, StateException.class,
      ErrorFamily.STORAGE, StorageException.class,
      ErrorFamily.SYSTEM, BillSystemException.class);

  @Test
  void everyCodeMapsToItsFamilyClass() {
    Native.load();
    int n = bill.bill_status_count();
    assertTrue(n >= 21, "the codes of today are never removed: " + n);
    assertEquals(0, bill.bill_status_at(0));
    for (int i = 0; i < n; i++) {
      int code = bill.bill_status_at(i);
      if (code == 0)
        continue;
      String family = bill.bill_family_name(bill.bill_status_family_of(code));
      BillException e = BillException.fromNative(code, bill.bill_status_name(code), family,
                                                 "msg".getBytes(StandardCharsets.UTF_8));
      assertSame(FAMILY_CLASS.get(ErrorFamily.valueOf(family)), e.getClass(), bill.bill_status_name(code));
      assertEquals(code, e.code());
      assertEquals(bill.bill_status_name(code), e.codeName());
      assertEquals("msg", e.getMessage());
    }
  }

  private static <T extends BillException> T check(Class<T> cls, String name, String needle, Executable call) {
    T e = assertThrows(cls, call);
    assertEquals(name, e.codeName());
    assertTrue(e.code() < 0);
    assertEquals(FAMILY_CLASS.get(e.family()), cls);
    assertTrue(e.getMessage().contains(needle), e.getMessage());
    return e;
  }

  @Test
  void realFailuresCarryCodeClassAndDetail() {
    check(InputException.class, "ESYNTAX", "1.2.3", () -> Decimals.parse("1.2.3"));
    ArithException div = check(ArithException.class, "EDIVZERO", "7.5",
                               () -> Decimals.divide(new BigDecimal("7.5"), BigDecimal.ZERO, 2, RoundingMode.HALF_UP));
    assertEquals(bill_status.BILL_EDIVZERO, div.code());
    assertEquals(-5, div.code());
    check(ArithException.class, "EROUNDING", "1.005",
          () -> Decimals.rescale(new BigDecimal("1.005"), 2, RoundingMode.UNNECESSARY));
    check(ArithException.class, "ECURRENCY", "USD", () -> Money.of("1", "CNY").plus(Money.of("1", "USD")));
    check(InputException.class, "EDATE", "2023-02-29", () -> Dates.parse("2023-02-29"));
    check(ArgumentException.class, "EINVAL", "precision",
          () -> Decimals.divideToPrecision(BigDecimal.ONE, new BigDecimal(3), 0, RoundingMode.HALF_UP));
    check(ArgumentException.class, "EINVAL", "2 ratios",
          () -> bill.bill_dec_allocate(new BigDecimal[3], BigDecimal.ONE,
                                       new BigDecimal[] {BigDecimal.ONE, BigDecimal.ONE}, 2, 0));
  }

  @Test
  void hugeValuesOutsideTheParserRangeAreInputErrors() {
    BigDecimal tooPrecise = new BigDecimal(new java.math.BigInteger("9".repeat(1001)), 0);
    check(InputException.class, "ERANGE", "1001", () -> Decimals.add(tooPrecise, BigDecimal.ONE));
    BigDecimal tinyScale = BigDecimal.ONE.scaleByPowerOfTen(-200000);
    assertThrows(InputException.class, () -> Decimals.add(BigDecimal.ONE, tinyScale));
    // a large value in the first argument and a bad second one: still a clean exception
    BigDecimal big = new BigDecimal("123456789012345678901234567890.5");
    assertThrows(InputException.class, () -> Decimals.divide(big, tinyScale, 2, RoundingMode.HALF_UP));
  }

  @Test
  void messagesBelongToTheirOwnFailure() {
    InputException first = assertThrows(InputException.class, () -> Decimals.parse("1.2.3"));
    ArithException second = assertThrows(ArithException.class,
                                         () -> Decimals.divide(new BigDecimal(4), BigDecimal.ZERO, 2, RoundingMode.DOWN));
    assertTrue(first.getMessage().contains("1.2.3"));
    assertTrue(!second.getMessage().contains("1.2.3"));
    assertEquals(new BigDecimal(3), Decimals.add(BigDecimal.ONE, new BigDecimal(2)));
    assertTrue(assertThrows(InputException.class, () -> Decimals.parse("7..")).getMessage().contains("7.."));
  }

  @Test
  void nullsAndBadHolders() {
    assertThrows(NullPointerException.class, () -> Decimals.add(null, BigDecimal.ONE));
    assertThrows(NullPointerException.class, () -> Decimals.parse(null));
    assertThrows(NullPointerException.class, () -> Dates.weekday(null));
    assertThrows(NullPointerException.class, () -> Decimals.divide(BigDecimal.ONE, BigDecimal.ONE, 2, null));
    assertThrows(IllegalArgumentException.class,
                 () -> bill.bill_dec_add(new BigDecimal[0], BigDecimal.ONE, BigDecimal.ONE));
    assertThrows(NullPointerException.class, () -> bill.bill_dec_add(null, BigDecimal.ONE, BigDecimal.ONE));
  }

  @Test
  void roundingModesMapByName() {
    for (RoundingMode mode : RoundingMode.values())
      assertEquals(mode.name(), bill.bill_rounding_name(Rounding.code(mode)));
  }

  @Test
  void version() {
    assertTrue(Native.version().matches("\\d+\\.\\d+\\.\\d+"), Native.version());
    assertEquals(Native.version(), bill.bill_version());
  }

  @Test
  void exceptionsAreRuntimeExceptions() {
    for (Class<? extends BillException> cls : FAMILY_CLASS.values()) {
      assertTrue(RuntimeException.class.isAssignableFrom(cls));
      assertTrue(BillException.class.isAssignableFrom(cls));
    }
  }

  @Test
  void bindingDetectedErrorsUseTheSameClasses() {
    BillException e = BillException.of(bill_status.BILL_EINVAL, "allocate: no");
    assertSame(ArgumentException.class, e.getClass());
    assertEquals("EINVAL", e.codeName());
    assertEquals(ErrorFamily.ARGUMENT, e.family());
    assertEquals(LocalDate.of(2025, 1, 1), Dates.parse("2025-01-01"));
  }
}
