package org.libbill;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An account (户) of the registry: a plain value with fluent setters, checked by
 * the C library when stored ({@link Store#addAccount}). The reference is the
 * user key; {@link #uuid()} is set by the store.
 */
public final class Account {
  /** Protected-customer flags: never cut automatically. */
  public static final int PROTECT_IMPORTANT = 1;
  public static final int PROTECT_LIFE_SUPPORT = 2;
  public static final int PROTECT_VULNERABLE = 4;

  private final String reference;
  private String customerClass = "residential";
  private int householdSize = 1;
  private BigDecimal capacityKva = BigDecimal.ZERO;
  private BigDecimal declaredKw = BigDecimal.ZERO;
  private String pfStandard = "";
  private int protection;
  private String tariff = "";
  private String uuid = "";

  public Account(String reference) {
    this.reference = Objects.requireNonNull(reference, "reference");
  }

  public String reference() { return reference; }
  public String customerClass() { return customerClass; }
  public int householdSize() { return householdSize; }
  public BigDecimal capacityKva() { return capacityKva; }
  public BigDecimal declaredKw() { return declaredKw; }
  public String pfStandard() { return pfStandard; }
  public int protection() { return protection; }
  public String tariff() { return tariff; }
  /** The UUID given by the store, "" before. */
  public String uuid() { return uuid; }

  public Account customerClass(String v) { customerClass = Objects.requireNonNull(v); return this; }
  public Account householdSize(int v) { householdSize = v; return this; }
  public Account capacityKva(BigDecimal v) { capacityKva = Objects.requireNonNull(v); return this; }
  public Account declaredKw(BigDecimal v) { declaredKw = Objects.requireNonNull(v); return this; }
  /** "0.90", "0.85", "0.80" or "" for none. */
  public Account pfStandard(String v) { pfStandard = Objects.requireNonNull(v); return this; }
  /** PROTECT_* flags or-ed together. */
  public Account protection(int v) { protection = v; return this; }
  public Account tariff(String v) { tariff = Objects.requireNonNull(v); return this; }
  Account uuid(String v) { uuid = v; return this; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Account a)) return false;
    return reference.equals(a.reference) && customerClass.equals(a.customerClass)
        && householdSize == a.householdSize && capacityKva.compareTo(a.capacityKva) == 0
        && declaredKw.compareTo(a.declaredKw) == 0 && pfStandard.equals(a.pfStandard)
        && protection == a.protection && tariff.equals(a.tariff) && uuid.equals(a.uuid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reference, uuid);
  }

  @Override
  public String toString() {
    return "Account(" + reference + ", " + customerClass + ", uuid " + uuid + ")";
  }
}
