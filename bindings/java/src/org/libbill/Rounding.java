package org.libbill;

import java.math.RoundingMode;
import java.util.Objects;
import org.libbill.jni.bill;

/**
 * The C library's rounding modes for {@link java.math.RoundingMode}: the
 * same eight modes with the same names and semantics, mapped by name through
 * {@code bill_rounding_parse} once, when this class is loaded.
 */
public final class Rounding {
  private static final int[] CODES = new int[RoundingMode.values().length];

  static {
    Native.load();
    for (RoundingMode mode : RoundingMode.values()) {
      int[] code = new int[1];
      bill.bill_rounding_parse(code, mode.name());
      CODES[mode.ordinal()] = code[0];
    }
  }

  private Rounding() {}

  /** The bill_rounding value for a RoundingMode. */
  public static int code(RoundingMode mode) {
    return CODES[Objects.requireNonNull(mode, "rounding mode").ordinal()];
  }
}
