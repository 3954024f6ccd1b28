package org.libbill;

import java.nio.charset.StandardCharsets;
import org.libbill.jni.bill;

/**
 * An error reported by libbill. Thrown from the JNI code for every negative
 * status, always as the subclass of the code's family ({@link ArgumentException},
 * {@link InputException}, {@link ArithException}, {@link StateException},
 * {@link StorageException}, {@link BillSystemException}). The message is the
 * library's detailed message, naming the value, field or line that was wrong.
 */
public class BillException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String codeName;
  private final ErrorFamily family;

  BillException(int code, String codeName, ErrorFamily family, String message) {
    super(message);
    this.code = code;
    this.codeName = codeName;
    this.family = family;
  }

  /** The status code (negative), e.g. -5. */
  public int code() {
    return code;
  }

  /** The code's name without prefix, e.g. "EDIVZERO". */
  public String codeName() {
    return codeName;
  }

  /** The code's family. */
  public ErrorFamily family() {
    return family;
  }

  /**
   * The one mapping from a status to an exception class, called by the JNI
   * code (billj_throw in bindings/java/bill_java.i). The family comes from
   * the C library's list of codes.
   */
  static BillException fromNative(int code, String name, String familyName, byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    ErrorFamily family = ErrorFamily.of(familyName);
    switch (family) {
      case ARGUMENT:
        return new ArgumentException(code, name, family, text);
      case INPUT:
        return new InputException(code, name, family, text);
      case ARITH:
        return new ArithException(code, name, family, text);
      case STATE:
        return new StateException(code, name, family, text);
      case STORAGE:
        return new StorageException(code, name, family, text);
      case SYSTEM:
        return new BillSystemException(code, name, family, text);
      default:
        return new BillException(code, name, family, text);
    }
  }

  /** The exception for a status the binding itself detects (names and family from the C library). */
  static BillException of(int code, String message) {
    Native.load();
    return fromNative(code, bill.bill_status_name(code),
                      bill.bill_family_name(bill.bill_status_family_of(code)),
                      message.getBytes(StandardCharsets.UTF_8));
  }
}
