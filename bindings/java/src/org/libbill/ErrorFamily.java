package org.libbill;

/** The families of libbill status codes (the C enum bill_status_family). */
public enum ErrorFamily {
  /** Not an error (BILL_OK) or an unknown code. */
  NONE,
  /** The caller misused the API (bad option, bad argument). */
  ARGUMENT,
  /** The data given is malformed or breaks a rule. */
  INPUT,
  /** An arithmetic rule was broken (division by zero, forbidden rounding, mixed currencies). */
  ARITH,
  /** The operation does not fit the object's state (e.g. a closed calendar). */
  STATE,
  /** A storage or I/O problem. */
  STORAGE,
  /** Out of memory or an internal error. */
  SYSTEM;

  /** The family for the C library's family name ("INPUT"); NONE for anything else. */
  static ErrorFamily of(String name) {
    for (ErrorFamily f : values())
      if (f.name().equals(name))
        return f;
    return NONE;
  }
}
