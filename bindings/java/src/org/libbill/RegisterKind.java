package org.libbill;

/** What a meter register measures (the C enum bill_register_kind). */
public enum RegisterKind {
  /** kWh: "total", "peak", "flat", "valley", "critical". */
  ENERGY,
  /** kvarh. */
  REACTIVE,
  /** kW maximum demand. */
  DEMAND;

  static RegisterKind of(int code) {
    return values()[code];
  }
}
