package org.libbill;

import java.util.List;

/**
 * The outcome of {@link Store#billingRun}: the run's UUID, accounts considered,
 * billed now, already billed earlier (never billed twice), the skipped ones
 * with their status name ("ENOTFOUND") and reason, and the earlier runs of the
 * same period that never finished (killed, or stopped by an error of the store)
 * and that this run closed; their bills are counted in {@code alreadyBilled}.
 */
public record BillingReport(String uuid, long accounts, long billed, long alreadyBilled,
                            List<Skipped> skipped, List<Interrupted> interrupted) {
  /** A report without interrupted runs. */
  public BillingReport(String uuid, long accounts, long billed, long alreadyBilled,
                       List<Skipped> skipped) {
    this(uuid, accounts, billed, alreadyBilled, skipped, List.of());
  }

  /** An account the run did not bill. */
  public record Skipped(String account, String status, String reason) {}

  /**
   * An earlier unfinished run closed by this one: its UUID, when it started (UTC,
   * "YYYY-MM-DDTHH:MM:SSZ"), the bills it had committed, and how many of this
   * run's accounts it had already billed.
   */
  public record Interrupted(String uuid, String started, long bills, long counted) {}
}
