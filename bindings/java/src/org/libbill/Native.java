package org.libbill;

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

  private Native() {}

  /** Makes sure the library is loaded (the static block above does the work). */
  public static void load() {}

  /** The version of the linked C library, e.g. "0.1.0". */
  public static String version() {
    return bill.bill_version();
  }
}
