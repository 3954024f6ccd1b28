package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CalendarTest {
  private static final String CN_2025_OCTOBER = String.join("\n",
      "# National Day and Mid-Autumn 2025",
      "2025-10-01 holiday 国庆节",
      "2025-10-02 holiday 国庆节",
      "2025-10-03 holiday 国庆节",
      "2025-10-06 holiday 中秋节",
      "2025-10-07 holiday",
      "2025-10-08 holiday",
      "2025-09-28 working",
      "2025-10-11 working",
      "");

  private static LocalDate d(int y, int m, int day) {
    return LocalDate.of(y, m, day);
  }

  @Test
  void defaultWeekend() {
    try (Calendar cal = new Calendar()) {
      assertEquals(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), cal.weekend());
      assertEquals(DayType.WEEKEND, cal.dayType(d(2025, 10, 4)));
      assertEquals(DayType.WORKING, cal.dayType(d(2025, 10, 6)));
      assertEquals(Optional.empty(), cal.holidayName(d(2025, 10, 6)));
    }
  }

  @Test
  void loadedCalendar() {
    try (Calendar cal = new Calendar()) {
      cal.load(CN_2025_OCTOBER);
      assertEquals(DayType.HOLIDAY, cal.dayType(d(2025, 10, 1)));
      assertEquals(Optional.of("国庆节"), cal.holidayName(d(2025, 10, 1)));
      assertEquals(Optional.of(""), cal.holidayName(d(2025, 10, 7)));
      assertEquals(DayType.WORKING, cal.dayType(d(2025, 9, 28)));
      assertTrue(cal.isWorkingDay(d(2025, 10, 11)));
      assertFalse(cal.isWorkingDay(d(2025, 10, 8)));
      assertEquals(3, cal.workingDays(d(2025, 10, 1), d(2025, 10, 13)));
      assertEquals(0, cal.workingDays(d(2025, 10, 1), d(2025, 10, 1)));
      assertEquals(d(2025, 10, 9), cal.addWorkingDays(d(2025, 9, 30), 1));
      assertEquals(d(2025, 9, 30), cal.addWorkingDays(d(2025, 10, 9), -1));
      assertEquals(d(2025, 10, 9), cal.addWorkingDays(d(2025, 10, 4), 0));
    }
  }

  @Test
  void countsAgreeWithDayByDayChecks() {
    Random rnd = new Random(9);
    try (Calendar cal = new Calendar()) {
      cal.load(CN_2025_OCTOBER);
      for (int i = 0; i < 300; i++) {
        LocalDate start = d(2025, 8, 1).plusDays(rnd.nextInt(150));
        int len = rnd.nextInt(60);
        int brute = 0;
        for (int k = 0; k < len; k++)
          if (cal.isWorkingDay(start.plusDays(k)))
            brute++;
        assertEquals(brute, cal.workingDays(start, start.plusDays(len)), start + " +" + len);
        int n = rnd.nextInt(41) - 20;
        LocalDate expected = start;
        if (n == 0) {
          while (!cal.isWorkingDay(expected))
            expected = expected.plusDays(1);
        } else {
          for (int left = Math.abs(n); left > 0; ) {
            expected = expected.plusDays(n > 0 ? 1 : -1);
            if (cal.isWorkingDay(expected))
              left--;
          }
        }
        assertEquals(expected, cal.addWorkingDays(start, n), start + " " + n);
      }
    }
  }

  @Test
  void holidaysAndConflicts() {
    try (Calendar cal = new Calendar()) {
      cal.addHoliday(d(2025, 10, 1), "National Day");
      cal.addHoliday(d(2025, 10, 1), "National Day"); // again: harmless
      cal.addWorkingDay(d(2025, 10, 11));
      assertEquals(Optional.of("National Day"), cal.holidayName(d(2025, 10, 1)));
      InputException e = assertThrows(InputException.class, () -> cal.addWorkingDay(d(2025, 10, 1)));
      assertEquals("ECONFLICT", e.codeName());
      assertTrue(e.getMessage().contains("2025-10-01"), e.getMessage());
    }
  }

  @Test
  void loadIsAllOrNothing() {
    try (Calendar cal = new Calendar()) {
      InputException e = assertThrows(InputException.class,
                                      () -> cal.load("2025-10-01 holiday National Day\n2025-13-01 holiday Bad\n"));
      assertTrue(e.getMessage().contains("line 2"), e.getMessage());
      assertEquals(DayType.WORKING, cal.dayType(d(2025, 10, 1)));
    }
  }

  @Test
  void customWeekend() {
    try (Calendar cal = new Calendar(EnumSet.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY))) {
      assertEquals(EnumSet.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY), cal.weekend());
      assertEquals(DayType.WEEKEND, cal.dayType(d(2025, 10, 3)));
      assertEquals(DayType.WORKING, cal.dayType(d(2025, 10, 5)));
      ArgumentException e = assertThrows(ArgumentException.class,
                                         () -> cal.setWeekend(EnumSet.allOf(DayOfWeek.class)));
      assertEquals("EINVAL", e.codeName());
      assertEquals(EnumSet.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY), cal.weekend());
    }
  }

  @Test
  void tryWithResourcesClosesAndUseAfterCloseThrows() {
    Calendar outer;
    try (Calendar cal = new Calendar()) {
      cal.addHoliday(d(2025, 1, 1), "New Year");
      assertFalse(cal.isClosed());
      outer = cal;
    }
    assertTrue(outer.isClosed());
    Calendar cal = outer;
    List<Executable> uses = List.of(
        () -> cal.dayType(d(2025, 1, 1)),
        () -> cal.isWorkingDay(d(2025, 1, 1)),
        () -> cal.holidayName(d(2025, 1, 1)),
        () -> cal.workingDays(d(2025, 1, 1), d(2025, 2, 1)),
        () -> cal.addWorkingDays(d(2025, 1, 1), 3),
        () -> cal.addHoliday(d(2025, 1, 2), "x"),
        () -> cal.addWorkingDay(d(2025, 1, 4)),
        () -> cal.load("2025-01-01 holiday\n"),
        () -> cal.weekend(),
        () -> cal.setWeekend(EnumSet.of(DayOfWeek.SUNDAY)));
    for (Executable use : uses) {
      StateException e = assertThrows(StateException.class, use);
      assertEquals("ESTATE", e.codeName());
      assertEquals(-13, e.code());
      assertEquals(ErrorFamily.STATE, e.family());
    }
    cal.close(); // closing again is harmless
    cal.close();
  }

  @Test
  void exceptionInsideTryStillCloses() {
    Calendar[] seen = new Calendar[1];
    assertThrows(IllegalStateException.class, () -> {
      try (Calendar cal = new Calendar()) {
        seen[0] = cal;
        throw new IllegalStateException("boom");
      }
    });
    assertTrue(seen[0].isClosed());
    assertThrows(StateException.class, () -> seen[0].isWorkingDay(d(2025, 1, 1)));
  }

  @Test
  void manyCalendarsWithoutCloseAreCleaned() {
    for (int i = 0; i < 2000; i++) {
      Calendar cal = new Calendar();
      cal.addHoliday(d(2025, 1, 1), "New Year");
    }
    System.gc();
    try (Calendar cal = new Calendar()) {
      assertEquals(DayType.WORKING, cal.dayType(d(2025, 1, 1)));
    }
  }
}
