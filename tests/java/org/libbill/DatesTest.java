package org.libbill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dates of the Java binding against java.time. */
class DatesTest {
  private static final long MIN = LocalDate.of(1, 1, 1).toEpochDay();
  private static final long MAX = LocalDate.of(9999, 12, 31).toEpochDay();

  private static LocalDate randomDate(Random rnd) {
    return LocalDate.ofEpochDay(MIN + (long) (rnd.nextDouble() * (MAX - MIN + 1)));
  }

  @Test
  void leapYearsAndMonthLengths() {
    for (int y = 1; y <= 9999; y++) {
      assertEquals(Year.isLeap(y), Dates.isLeapYear(y), "year " + y);
      for (int m = 1; m <= 12; m += 1 + (y % 3))
        assertEquals(YearMonth.of(y, m).lengthOfMonth(), Dates.daysInMonth(y, m));
    }
    assertEquals("EDATE", assertThrows(InputException.class, () -> Dates.daysInMonth(2024, 13)).codeName());
  }

  @Test
  void randomDatesAgreeWithJavaTime() {
    Random rnd = new Random(42);
    for (int i = 0; i < 5000; i++) {
      LocalDate d = randomDate(rnd);
      LocalDate e = randomDate(rnd);
      assertEquals(d.getDayOfWeek(), Dates.weekday(d));
      assertEquals(d.getDayOfYear(), Dates.dayOfYear(d));
      assertEquals(d, Dates.parse(d.toString()));
      assertEquals(ChronoUnit.DAYS.between(d, e), Dates.daysBetween(d, e));
      int n = rnd.nextInt(2001) - 1000;
      LocalDate plus = d.plusDays(n);
      if (plus.getYear() >= 1 && plus.getYear() <= 9999)
        assertEquals(plus, Dates.addDays(d, n));
      else
        assertThrows(InputException.class, () -> Dates.addDays(d, n));
      if (d.isBefore(e))
        assertEquals(ChronoUnit.DAYS.between(d, e), Dates.periodDays(d, e));
      else
        assertEquals("EDATE", assertThrows(InputException.class, () -> Dates.periodDays(d, e)).codeName());
    }
  }

  @Test
  void addMonthsClampIsPlusMonths() {
    Random rnd = new Random(43);
    for (int i = 0; i < 5000; i++) {
      LocalDate d = randomDate(rnd);
      int months = rnd.nextInt(49) - 24;
      LocalDate expected = d.plusMonths(months);
      if (expected.getYear() < 1 || expected.getYear() > 9999)
        continue;
      assertEquals(expected, Dates.addMonths(d, months, MonthEnd.CLAMP), d + " + " + months);
      LocalDate sticky = Dates.addMonths(d, months, MonthEnd.STICKY);
      if (d.getDayOfMonth() == d.lengthOfMonth())
        assertEquals(expected.withDayOfMonth(expected.lengthOfMonth()), sticky);
      else
        assertEquals(expected, sticky);
    }
  }

  @Test
  void monthEndExamples() {
    assertEquals(LocalDate.of(2024, 2, 29), Dates.addMonths(LocalDate.of(2024, 1, 31), 1));
    assertEquals(LocalDate.of(2023, 3, 28), Dates.addMonths(LocalDate.of(2023, 2, 28), 1, MonthEnd.CLAMP));
    assertEquals(LocalDate.of(2023, 3, 31), Dates.addMonths(LocalDate.of(2023, 2, 28), 1, MonthEnd.STICKY));
    assertThrows(InputException.class, () -> Dates.addMonths(LocalDate.of(9999, 12, 1), 1));
  }

  @Test
  void parsingIsStrict() {
    for (String bad : new String[] {"2024-2-01", "2023-02-29", " 2024-02-01", "20240201", "2024/02/01", ""}) {
      InputException e = assertThrows(InputException.class, () -> Dates.parse(bad), bad);
      assertTrue(e.codeName().equals("EDATE") || e.codeName().equals("ESYNTAX"));
      assertTrue(e.getMessage().contains(bad.trim()), e.getMessage());
    }
    // years outside 0001..9999 are refused by the C parser, not wrapped around
    assertThrows(InputException.class, () -> Dates.weekday(LocalDate.of(10000, 1, 1)));
    assertThrows(InputException.class, () -> Dates.weekday(LocalDate.of(0, 12, 31)));
  }

  @Test
  void dateTimesAndPeriods() {
    assertEquals(LocalDateTime.of(2025, 1, 1, 10, 30), Dates.parseDateTime("2025-01-01T10:30"));
    assertEquals(LocalDateTime.of(2025, 2, 1, 0, 0), Dates.parseDateTime("2025-01-31 24:00"));
    assertTrue(assertThrows(InputException.class, () -> Dates.parseDateTime("2025-01-01T10:30:15"))
                   .getMessage().contains("10:30:15"));
    LocalDate[] p = Dates.parsePeriod("2025-06-01/2025-07-01");
    assertArrayEquals(new LocalDate[] {LocalDate.of(2025, 6, 1), LocalDate.of(2025, 7, 1)}, p);
    assertEquals(30, Dates.periodDays(p[0], p[1]));
    assertTrue(Dates.periodContains(p[0], p[1], LocalDate.of(2025, 6, 30)));
    assertFalse(Dates.periodContains(p[0], p[1], LocalDate.of(2025, 7, 1)));
    assertEquals(11, Dates.overlapDays(p[0], p[1], LocalDate.of(2025, 6, 20), LocalDate.of(2025, 8, 1)));
    assertThrows(InputException.class, () -> Dates.parsePeriod("2025-07-01/2025-06-01"));
  }
}
