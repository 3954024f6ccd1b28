package org.libbill;

import java.math.BigDecimal;
import java.util.Objects;
import org.libbill.jni.bill;

/**
 * The monthly power factor, PF = kWh / sqrt(kWh² + kvarh²) rounded half-up
 * to two decimals, computed exactly by the C library (squares of integers:
 * no square root, no floating point). The adjustment it leads to is read
 * from a {@link PowerFactorTable}.
 */
public final class PowerFactor {
  static {
    Native.load();
  }

  private PowerFactor() {}

  /**
   * The power factor of {@code kwh} active and {@code kvarh} reactive energy,
   * scale 2 (e.g. 3 and 4 give 0.60). {@code kwh} must not be negative; the
   * sign of {@code kvarh} is ignored (leading or lagging counts the same).
   * With kvarh = 0 the PF is 1.00; with both zero there is no power factor:
   * {@link InputException} ERANGE (a caller then applies no adjustment).
   */
  public static BigDecimal compute(BigDecimal kwh, BigDecimal kvarh) {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_pf_compute(out, Objects.requireNonNull(kwh, "kwh"), Objects.requireNonNull(kvarh, "kvarh"));
    return out[0];
  }
}
