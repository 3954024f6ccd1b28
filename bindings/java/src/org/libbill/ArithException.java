package org.libbill;

/** An arithmetic rule was broken (family ARITH: EDIVZERO, EROUNDING, ECURRENCY). */
public class ArithException extends BillException {
  private static final long serialVersionUID = 1L;

  ArithException(int code, String codeName, ErrorFamily family, String message) {
    super(code, codeName, family, message);
  }
}
