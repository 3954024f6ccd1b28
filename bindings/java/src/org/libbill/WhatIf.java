package org.libbill;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.libbill.jni.bill;
import org.libbill.jni.bill_status;
import org.libbill.jni.bill_usage;
import org.libbill.jni.bill_whatif;

/**
 * What-if comparisons, the "economical usage plan": the same usages (e.g. the
 * last 12 months of one account) billed under several candidates, each a
 * tariff with option choices, ranked cheapest first with the saving against
 * the first ("current") candidate. Totals are exact {@link BigDecimal} sums of
 * bills computed by the C library.
 *
 * <pre>{@code
 * try (WhatIf w = new WhatIf()) {
 *   w.addCandidate("capacity (current)", t, Map.of("basic_charge", "capacity"));
 *   w.addCandidate("actual demand", t, Map.of("basic_charge", "actual_demand"));
 *   for (WhatIf.Result r : w.run(months)) System.out.println(r.label() + " " + r.total());
 * }
 * }</pre>
 *
 * <p>The tariffs must stay open while the comparison is used. Owns a C handle:
 * use try-with-resources or {@link #close()}; use after closing throws
 * {@link StateException}. Not for use from two threads at once.
 */
public final class WhatIf extends NativeHandle implements AutoCloseable {

  static {
    Native.load();
  }

  /** A candidate for {@link #rank(List, List)}: a label, a tariff and option choices. */
  public record Candidate(String label, Tariff tariff, Map<String, String> options) {}

  /**
   * One ranked candidate. {@code total}, {@code saving} and {@code bills} are
   * null when it failed; {@code status} is then the status name ("ERULE") and
   * {@code error} the C library's message. {@code saving} is also null when the
   * current candidate failed.
   */
  public record Result(int rank, int candidate, String label, BigDecimal total, BigDecimal saving,
                       List<BigDecimal> bills, String status, String error) {
    public boolean ok() {
      return "OK".equals(status);
    }
  }

  /**
   * The declared demand that minimises the sum of the bills, that sum, and
   * the sum at the usages' own declared demand (null when a usage states none).
   */
  public record BestDeclared(BigDecimal kw, BigDecimal total, BigDecimal currentTotal) {}

  private final bill_whatif handle;
  private final List<Tariff> tariffs = new ArrayList<>();

  /** A comparison without candidates. */
  public WhatIf() {
    this(create());
  }

  private WhatIf(bill_whatif h) {
    super(h::delete, "whatif: the comparison is closed"); // must not capture `this`
    handle = h;
  }

  private static bill_whatif create() {
    bill_whatif[] out = new bill_whatif[1];
    bill.bill_whatif_create(out);
    return out[0];
  }

  /** Ranks {@code candidates} (the first the current one) over {@code usages}. */
  public static List<Result> rank(List<Candidate> candidates, List<Usage> usages) {
    try (WhatIf w = new WhatIf()) {
      for (Candidate c : Objects.requireNonNull(candidates, "candidates"))
        w.addCandidate(c.label(), c.tariff(), c.options());
      return w.run(usages);
    }
  }

  /** Adds a candidate; {@code options} (may be null) override the usages' choices. Returns its index. */
  public int addCandidate(String label, Tariff tariff, Map<String, String> options) {
    return addCandidate(label, tariff, options, null);
  }

  /**
   * Adds a candidate billed at declared demand {@code declaredKw} (null: the
   * usages' own) with {@code options} (may be null). Returns its index (0 is
   * the current candidate). Throws {@link ArithException} for a tariff in
   * another currency than the first candidate's.
   */
  public int addCandidate(String label, Tariff tariff, Map<String, String> options,
                          BigDecimal declaredKw) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(tariff, "tariff");
    // checked first by the C setters of a scratch usage, so that a bad option or demand throws
    // before the candidate is added (nothing half-applied)
    try (Usage check = new Usage()) {
      if (options != null)
        for (Map.Entry<String, String> e : options.entrySet())
          check.option(e.getKey(), e.getValue());
      if (declaredKw != null)
        bill.bill_usage_set_declared_kw(check.handle(), declaredKw);
    }
    int index = bill.bill_whatif_add_candidate(handle, label, tariff.handle());
    tariffs.add(tariff);
    if (options != null)
      for (Map.Entry<String, String> e : options.entrySet())
        bill.bill_whatif_set_option(handle, index, Objects.requireNonNull(e.getKey(), "option name"),
                                    Objects.requireNonNull(e.getValue(), "option value"));
    if (declaredKw != null)
      bill.bill_whatif_set_declared_kw(handle, index, declaredKw);
    return index;
  }

  /** The number of candidates added. */
  public int size() {
    return (int) bill.bill_whatif_candidate_count(handle);
  }

  private bill_usage[] handles(List<Usage> usages) {
    for (Tariff t : tariffs)
      if (t.isClosed())
        throw BillException.of(bill_status.BILL_ESTATE, "whatif: the tariff of a candidate is closed");
    List<Usage> us = Objects.requireNonNull(usages, "usages");
    bill_usage[] h = new bill_usage[us.size()];
    for (int i = 0; i < h.length; i++)
      h[i] = Objects.requireNonNull(us.get(i), "usage").handle();
    return h;
  }

  /** The candidates ranked over {@code usages}: cheapest first, ties in the order of adding, failed last. */
  public List<Result> run(List<Usage> usages) {
    bill_usage[] h = handles(usages);
    try {
      bill.bill_whatif_run(handle, h);
    } finally {
      Reference.reachabilityFence(usages);
      Reference.reachabilityFence(h);
    }
    List<Result> results = new ArrayList<>();
    long n = bill.bill_whatif_usage_count(handle);
    BigDecimal[] out = new BigDecimal[1];
    for (long r = 0; r < bill.bill_whatif_result_count(handle); r++) {
      int status = bill.bill_whatif_status(handle, r);
      BigDecimal total = null, saving = null;
      List<BigDecimal> bills = null;
      if (status == 0) {
        bill.bill_whatif_total(out, handle, r);
        total = out[0];
        try {
          bill.bill_whatif_saving(out, handle, r);
          saving = out[0];
        } catch (StateException e) {
          saving = null; // the current candidate failed
        }
        List<BigDecimal> b = new ArrayList<>();
        for (long i = 0; i < n; i++) {
          bill.bill_whatif_bill_total(out, handle, r, i);
          b.add(out[0]);
        }
        bills = List.copyOf(b);
      }
      results.add(new Result((int) r, bill.bill_whatif_candidate(handle, r),
                             bill.bill_whatif_label(handle, r), total, saving, bills,
                             bill.bill_status_name(status), bill.bill_whatif_error(handle, r)));
    }
    return List.copyOf(results);
  }

  /**
   * The declared demand, a multiple of {@code step} kW, that minimises the
   * sum of the bills of {@code usages} under candidate {@code candidate} (its
   * tariff must price a contracted demand under its options).
   */
  public BestDeclared bestDeclaredKw(int candidate, List<Usage> usages, BigDecimal step) {
    bill_usage[] h = handles(usages);
    try {
      bill.bill_whatif_best_declared_kw(handle, candidate, h, Objects.requireNonNull(step, "step"));
    } finally {
      Reference.reachabilityFence(usages);
      Reference.reachabilityFence(h);
    }
    BigDecimal[] out = new BigDecimal[1];
    bill.bill_whatif_best_kw(out, handle);
    BigDecimal kw = out[0];
    bill.bill_whatif_best_total(out, handle);
    BigDecimal total = out[0];
    BigDecimal current = null;
    try {
      bill.bill_whatif_current_total(out, handle);
      current = out[0];
    } catch (InputException e) {
      if (!"ENOTFOUND".equals(e.codeName()))
        throw e;
    }
    return new BestDeclared(kw, total, current);
  }

  @Override
  public String toString() {
    return isClosed() ? "WhatIf(closed)" : "WhatIf(" + size() + " candidates)";
  }
}
