package org.libbill;

/** The data given is malformed or breaks a rule (family INPUT: ESYNTAX, ERANGE, EDATE, ...). */
public class InputException extends BillException {
  private static final long serialVersionUID = 1L;

  InputException(int code, String codeName, ErrorFamily family, String message) {
    super(code, codeName, family, message);
  }
}
