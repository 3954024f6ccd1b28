package org.libbill;

/** The operation does not fit the object's state (family STATE: ESTATE, e.g. a closed calendar). */
public class StateException extends BillException {
  private static final long serialVersionUID = 1L;

  StateException(int code, String codeName, ErrorFamily family, String message) {
    super(code, codeName, family, message);
  }
}
