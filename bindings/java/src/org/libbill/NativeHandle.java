package org.libbill;

import java.lang.ref.Cleaner;
import org.libbill.jni.bill_status;

/**
 * The base of the classes that own a C handle ({@link Batch}, {@link Calendar},
 * {@link Determinants}, {@link Importer}, {@link MeterCsv},
 * {@link PowerFactorTable}, {@link Store}, {@link Tariff}, {@link Usage},
 * {@link Verification}, {@link WhatIf}):
 * it registers the handle's destructor with the package's one
 * {@link Native#CLEANER}, and gives {@link #close()} (harmless when already
 * closed), {@link #isClosed()} and the closed-handle check. A subclass keeps
 * its typed SWIG proxy in a field of its own and passes the proxy's
 * {@code delete} here: the action must not capture the new object, or the
 * Cleaner would never run it. After closing, the proxy's pointer is 0, so a
 * method that reaches the C library throws {@link StateException} (ESTATE)
 * from the JNI layer; {@link #checkOpen()} throws the same exception, with the
 * same message, on the Java side.
 *
 * <p>Package-private, like Python's {@code bill._handle._Handle}: the public
 * API is the subclasses' ({@code close()} and {@code isClosed()} are public
 * methods of each of them).
 */
abstract class NativeHandle implements AutoCloseable {

  private final Cleaner.Cleanable cleanable;
  private final String closedMessage;
  private volatile boolean closed;

  /**
   * Registers {@code free} (the proxy's {@code delete}, not capturing
   * {@code this}) to run on {@link #close()} or once this object is
   * unreachable; {@code closedMessage} is the message of the ESTATE thrown by
   * {@link #checkOpen()} ("tariff: the tariff is closed").
   */
  NativeHandle(Runnable free, String closedMessage) {
    this.closedMessage = closedMessage;
    cleanable = Native.CLEANER.register(this, free);
  }

  /** Frees the handle. Harmless when already closed. */
  @Override
  public void close() {
    closed = true;
    cleanable.clean();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Throws {@link StateException} (ESTATE) when closed. */
  final void checkOpen() {
    if (closed)
      throw BillException.of(bill_status.BILL_ESTATE, closedMessage);
  }
}
