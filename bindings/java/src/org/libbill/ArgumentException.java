package org.libbill;

/** The caller misused the API (family ARGUMENT, e.g. EINVAL). */
public class ArgumentException extends BillException {
  private static final long serialVersionUID = 1L;

  ArgumentException(int code, String codeName, ErrorFamily family, String message) {
    super(code, codeName, family, message);
  }
}
