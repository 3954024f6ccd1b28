package org.libbill;

import java.lang.ref.Cleaner;
import org.libbill.jni.bill;

/**
 * Loads the JNI library {@code libbilljni.so} (which has libbill linked in
 * statically). Run the JVM with {@code -Djava.library.path=} the folder that
 * holds it. Every class of this package loads it through here.
 */
public final class Native {
  static {
    System.loadLibrary("billjni");
  }

  /**
   * The one Cleaner (one daemon thread) that frees the handles of this package's
   * classes when they were never closed.
   */
  static final Cleaner CLEANER = Cleaner.create();

  private Native() {}

  /** Makes sure the library is loaded (the static block above does the work). */
  public static void load() {}

  /** The version of the linked C library, e.g. "0.1.0". */
  public static String version() {
    return bill.bill_version();
  }
}
