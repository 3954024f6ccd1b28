package org.libbill;

/** A storage or I/O problem (family STORAGE). */
public class StorageException extends BillException {
  private static final long serialVersionUID = 1L;

  StorageException(int code, String codeName, ErrorFamily family, String message) {
    super(code, codeName, family, message);
  }
}
