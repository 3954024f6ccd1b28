package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A meter (电能表) of the registry: serial (the user key), register digits,
 * multiplier (CT ratio × PT ratio), installation and removal dates, and
 * registers. A plain value with fluent setters, checked by the C library when
 * stored ({@link Store#addMeter}); {@link #uuid()} is set by the store.
 */
public final class Meter {
  private final String serial;
  private int digits = 6;
  private BigDecimal multiplier = BigDecimal.ONE;
  private LocalDate installed;
  private LocalDate removed;
  private final List<Register> registers = new ArrayList<>();
  private String uuid = "";

  public Meter(String serial) {
    this.serial = Objects.requireNonNull(serial, "serial");
  }

  public String serial() { return serial; }
  public int digits() { return digits; }
  public BigDecimal multiplier() { return multiplier; }
  /** The installation date, null while in stock. */
  public LocalDate installed() { return installed; }
  /** The removal date, null unless removed. */
  public LocalDate removed() { return removed; }
  public List<Register> registers() { return Collections.unmodifiableList(registers); }
  public String uuid() { return uuid; }

  public MeterStatus status() {
    if (installed == null) return MeterStatus.IN_STOCK;
    return removed == null ? MeterStatus.INSTALLED : MeterStatus.REMOVED;
  }

  public Meter digits(int v) { digits = v; return this; }
  public Meter multiplier(BigDecimal v) { multiplier = Objects.requireNonNull(v); return this; }
  public Meter installed(LocalDate v) { installed = v; return this; }
  public Meter removed(LocalDate v) { removed = v; return this; }
  /** Adds a register; digits 0 means the meter's. */
  public Meter register(String code, RegisterKind kind, int digits) {
    registers.add(new Register(code, kind, digits));
    return this;
  }
  Meter uuid(String v) { uuid = v; return this; }

  @Override
  public String toString() {
    return "Meter(" + serial + ", " + status() + ", uuid " + uuid + ")";
  }
}
