package org.libbill;

import java.util.Objects;

/**
 * A register of a meter: its code ("total", "peak", "kvarh", "max_demand" or
 * custom), kind, and digits (0: the meter's).
 */
public record Register(String code, RegisterKind kind, int digits) {
  public Register {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(kind, "kind");
  }
}
