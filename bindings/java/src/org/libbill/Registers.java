package org.libbill;

import java.math.BigDecimal;
import java.util.Objects;
import org.libbill.jni.bill;

/**
 * Register arithmetic of meters (电能表示数): the advance between two
 * readings, a rollover (翻转, the register wrapped from 99999 to 00000) told
 * apart from a decrease, the multiplier (倍率, CT ratio × PT ratio), and
 * demand from interval energy. Every value is an exact {@link BigDecimal};
 * the C library computes everything.
 *
 * <p>A register shows {@code digits} integer digits and {@code decimals}
 * decimals. A reading below the previous one is a rollover only when the
 * wrapped advance {@code 10^digits − previous + current} is at most the
 * plausible maximum (by default one tenth of the range); otherwise it is a
 * decrease: {@link InputException} ERULE, naming both readings.
 */
public final class Registers {
  static {
    Native.load();
  }

  private Registers() {}

  /** What happened between two readings. */
  public enum Kind {
    /** current ≥ previous. */
    NORMAL,
    /** the register wrapped past 10^digits. */
    ROLLOVER
  }

  /** The result of {@link #advance}: the kind, the raw advance and the energy. */
  public record Advance(Kind kind, BigDecimal advance, BigDecimal energy) {}

  /**
   * The advance from {@code previous} to {@code current} on a register of
   * {@code digits} integer digits and {@code decimals} decimals, with
   * energy = advance × {@code multiplier} (positive) exactly.
   * {@code maxRollover} (null: the default, 10^(digits−1)) is the largest
   * advance a rollover may explain. Throws {@link InputException} ERULE for a
   * decrease, ERANGE for a reading the register cannot show, and
   * {@link ArgumentException} EINVAL for a bad shape, multiplier or maximum.
   */
  public static Advance advance(BigDecimal previous, BigDecimal current, int digits, int decimals,
                                BigDecimal multiplier, BigDecimal maxRollover) {
    BigDecimal[] adv = new BigDecimal[1];
    BigDecimal[] energy = new BigDecimal[1];
    int[] kind = new int[1];
    bill.bill_register_advance(adv, energy, kind, Objects.requireNonNull(previous, "previous"),
        Objects.requireNonNull(current, "current"), digits, decimals,
        Objects.requireNonNull(multiplier, "multiplier"),
        maxRollover == null ? BigDecimal.ZERO : maxRollover);
    return new Advance(kind[0] == org.libbill.jni.bill_advance_kind.BILL_ADVANCE_ROLLOVER ? Kind.ROLLOVER : Kind.NORMAL,
                       adv[0], energy[0]);
  }

  /** {@link #advance} with multiplier 1 and the default plausible rollover. */
  public static Advance advance(BigDecimal previous, BigDecimal current, int digits, int decimals) {
    return advance(previous, current, digits, decimals, BigDecimal.ONE, null);
  }

  /** Throws {@link InputException} ERANGE unless the register can show {@code value}. */
  public static void check(BigDecimal value, int digits, int decimals) {
    bill.bill_register_check(Objects.requireNonNull(value, "value"), digits, decimals);
  }

  /** Average demand in kW: kwh × 60 / minutes, where minutes divides 60 (15, 30, 60 ...). */
  public static BigDecimal demandKw(BigDecimal kwh, int minutes) {
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_interval_demand_kw(out, Objects.requireNonNull(kwh, "kwh"), minutes);
    return out[0];
  }
}
