package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One line of a {@link Bill} (an immutable value copied from the C bill).
 * Strings are "" when empty; {@code from}/{@code to} are the part of the
 * period [from, to) the line prices.
 */
public record BillLine(
    LineKind kind,
    String charge,
    String component,
    String band,
    BigDecimal quantity,
    String unit,
    BigDecimal unitPrice,
    BigDecimal amount,
    LocalDate from,
    LocalDate to,
    String explanation) {
  public BillLine {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(charge, "charge");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(band, "band");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(explanation, "explanation");
  }
}
