package org.libbill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RegistersTest {
  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  @Test
  void normalAndMultiplier() {
    Registers.Advance a = Registers.advance(bd("1234.56"), bd("1240.00"), 6, 2, bd("4000"), null);
    assertEquals(Registers.Kind.NORMAL, a.kind());
    assertEquals("5.44", a.advance().toString());
    assertEquals("21760.00", a.energy().toString());
  }

  @Test
  void rolloverAtTheEdges() {
    Registers.Advance a = Registers.advance(bd("99990"), bd("5"), 5, 0, bd("40"), null);
    assertEquals(Registers.Kind.ROLLOVER, a.kind());
    assertEquals("15", a.advance().toString());
    assertEquals("600", a.energy().toString());
    assertEquals("10000", Registers.advance(bd("90000"), bd("0"), 5, 0).advance().toString());
    InputException e = assertThrows(InputException.class,
        () -> Registers.advance(bd("89999"), bd("0"), 5, 0));
    assertEquals("ERULE", e.codeName());
    assertTrue(e.getMessage().contains("went down from 89999 to 0"), e.getMessage());
    assertEquals("10001",
        Registers.advance(bd("89999"), bd("0"), 5, 0, BigDecimal.ONE, bd("20000")).advance().toString());
  }

  @Test
  void rangeAndArguments() {
    InputException e = assertThrows(InputException.class,
        () -> Registers.advance(bd("1"), bd("100000"), 5, 0));
    assertEquals("ERANGE", e.codeName());
    assertThrows(InputException.class, () -> Registers.check(bd("1.25"), 5, 1));
    Registers.check(bd("1.20"), 5, 1);
    assertThrows(ArgumentException.class,
        () -> Registers.advance(bd("1"), bd("2"), 5, 0, BigDecimal.ZERO, null));
    assertThrows(ArgumentException.class, () -> Registers.advance(bd("1"), bd("2"), 0, 0));
  }

  @Test
  void demand() {
    assertEquals("49.380", Registers.demandKw(bd("12.345"), 15).toString());
    assertThrows(ArgumentException.class, () -> Registers.demandKw(bd("1"), 7));
  }
}
