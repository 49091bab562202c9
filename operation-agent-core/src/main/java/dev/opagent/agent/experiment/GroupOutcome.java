package dev.opagent.agent.experiment;

/**
 * What a group of customers did over a measurement window, in the sums an incremental comparison
 * needs: how many customers, how many of them converted, their revenue and the sum of each
 * customer's revenue squared (for the variance of revenue per customer). Immutable and thread-safe;
 * build one with {@link #tally()} or add groups with {@link #plus}.
 *
 * <pre>{@code
 * GroupOutcome.Tally treated = GroupOutcome.tally();
 * treated.add(true, 120.0);    // one customer, converted, 120.00 of revenue in the window
 * treated.add(false, 0);       // one customer, no order
 * GroupOutcome g = treated.toOutcome();   // customers 2, conversions 1, revenue 120, squares 14400
 * }</pre>
 *
 * @param customers customers in the group, not negative
 * @param conversions customers who converted at least once in the window, between 0 and {@code
 *     customers}
 * @param revenue their revenue in the window, finite and not negative
 * @param revenueSquares the sum over customers of (the customer's revenue)², finite and not
 *     negative
 */
public record GroupOutcome(
    long customers, long conversions, double revenue, double revenueSquares) {
  /** No customers. */
  public static final GroupOutcome EMPTY = new GroupOutcome(0, 0, 0, 0);

  /** Checks the values. */
  public GroupOutcome {
    if (customers < 0) {
      throw new IllegalArgumentException("customers must not be negative but was " + customers);
    }
    if (conversions < 0 || conversions > customers) {
      throw new IllegalArgumentException(
          "conversions must be between 0 and customers (" + customers + ") but was " + conversions);
    }
    if (!(revenue >= 0 && Double.isFinite(revenue))) {
      throw new IllegalArgumentException(
          "revenue must be a finite amount, not negative; pass the sum of the group's order values");
    }
    if (!(revenueSquares >= 0 && Double.isFinite(revenueSquares))) {
      throw new IllegalArgumentException(
          "revenueSquares must be finite and not negative; pass the sum of each customer's revenue"
              + " squared");
    }
  }

  /** An empty tally to add customers to. */
  public static Tally tally() {
    return new Tally();
  }

  /** Both groups together. */
  public GroupOutcome plus(GroupOutcome other) {
    return new GroupOutcome(
        customers + other.customers,
        conversions + other.conversions,
        revenue + other.revenue,
        revenueSquares + other.revenueSquares);
  }

  /** The share of customers who converted; 0 for an empty group. */
  public double conversionRate() {
    return customers == 0 ? 0 : (double) conversions / customers;
  }

  /** Revenue per customer; 0 for an empty group. */
  public double revenuePerCustomer() {
    return customers == 0 ? 0 : revenue / customers;
  }

  /**
   * The sample variance of revenue per customer, {@code (Σx² − (Σx)²/n) / (n − 1)}; 0 below two
   * customers.
   */
  public double revenueVariance() {
    if (customers < 2) {
      return 0;
    }
    return Math.max(0, (revenueSquares - revenue * revenue / customers) / (customers - 1));
  }

  /** Adds customers one at a time. Not thread-safe. */
  public static final class Tally {
    private long customers;
    private long conversions;
    private double revenue;
    private double revenueSquares;

    private Tally() {}

    /**
     * Adds one customer: whether they converted in the window and their revenue in it.
     *
     * @throws IllegalArgumentException if {@code revenue} is negative or not finite
     */
    public Tally add(boolean converted, double revenue) {
      if (!(revenue >= 0 && Double.isFinite(revenue))) {
        throw new IllegalArgumentException(
            "revenue of a customer must be a finite amount, not negative");
      }
      customers++;
      if (converted) {
        conversions++;
      }
      this.revenue += revenue;
      this.revenueSquares += revenue * revenue;
      return this;
    }

    /** The customers added so far. */
    public GroupOutcome toOutcome() {
      return new GroupOutcome(customers, conversions, revenue, revenueSquares);
    }
  }
}
