package org.libbill;

import java.util.List;

/**
 * The outcome of {@link Store#billingRun}: the run's UUID, accounts considered,
 * billed now, already billed earlier (never billed twice), and the skipped ones
 * with their status name ("ENOTFOUND") and reason.
 */
public record BillingReport(String uuid, long accounts, long billed, long alreadyBilled,
                            List<Skipped> skipped) {
  /** An account the run did not bill. */
  public record Skipped(String account, String status, String reason) {}
}
