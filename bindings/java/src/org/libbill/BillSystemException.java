package org.libbill;

/** Out of memory or an internal error (family SYSTEM). */
public class BillSystemException extends BillException {
  private static final long serialVersionUID = 1L;

  BillSystemException(int code, String codeName, ErrorFamily family, String message) {
    super(code, codeName, family, message);
  }
}
