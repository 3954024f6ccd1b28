package org.libbill;

/** A meter's status, derived from its installation and removal dates (bill_meter_state). */
public enum MeterStatus {
  IN_STOCK,
  INSTALLED,
  REMOVED
}
