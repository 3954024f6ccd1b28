package org.libbill;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One answer of a registry query: a meter, the account paying for it (or "" ),
 * the master meter of a sub-meter relation (or ""), the half-open range
 * [start, end) ({@code end} null when open), the ratio (1 unless shared) and
 * the UUID of the link or relation.
 */
public record Link(String meter, String account, String master, LocalDate start, LocalDate end,
                   BigDecimal ratio, String uuid) {}
