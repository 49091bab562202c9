package dev.opagent.testkit;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Simulated customers reacting to delivered actions: each completed delivery is opened with {@link
 * Builder#openRate}, an opened one clicked with {@link Builder#clickRate}, and the delivery
 * converts with {@link Builder#conversionRate} (per request, so a campaign or a variant can convert
 * better), with a revenue drawn uniformly from {@link Builder#revenue}. Opens come two hours,
 * clicks three hours and conversions a day after the delivery. Feed the interactions to a {@code
 * FeedbackLoop} to close the loop in a test, an example or a benchmark.
 *
 * <p>Seeded and reproducible: a delivery's responses depend only on the seed and its idempotency
 * key, not on the order or the company of the records, so a replayed or re-read round responds the
 * same. Immutable and thread-safe.
 *
 * <pre>{@code
 * SimulatedResponses customers = SimulatedResponses.builder().seed(42)
 *     .openRate(0.45).clickRate(0.35)
 *     .conversionRate(r -> "B".equals(r.variant()) ? 0.08 : 0.04)
 *     .revenue(new BigDecimal("40.00"), new BigDecimal("199.99"))
 *     .build();
 * customers.respond(journal.records(report.runId())).forEach(feedback::record);
 * }</pre>
 */
public final class SimulatedResponses {
  private static final Duration OPEN_AFTER = Duration.ofHours(2);
  private static final Duration CLICK_AFTER = Duration.ofHours(3);
  private static final Duration CONVERSION_AFTER = Duration.ofDays(1);

  private final long seed;
  private final double openRate;
  private final double clickRate;
  private final ToDoubleFunction<ActionRequest> conversionRate;
  private final long minCents;
  private final long maxCents;

  private SimulatedResponses(Builder b) {
    this.seed = b.seed;
    this.openRate = b.openRate;
    this.clickRate = b.clickRate;
    this.conversionRate = b.conversionRate;
    this.minCents = b.minRevenue.movePointRight(2).longValueExact();
    this.maxCents = b.maxRevenue.movePointRight(2).longValueExact();
  }

  /**
   * A builder with seed 0, open rate 0.4, no clicks, conversion rate 0.05 and a revenue of 120.00.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The responses to all completed deliveries among {@code records}, in record order. */
  public List<Interaction> respond(List<ExecutionRecord> records) {
    Objects.requireNonNull(records, "records");
    List<Interaction> out = new ArrayList<>();
    for (ExecutionRecord r : records) {
      out.addAll(respond(r));
    }
    return out;
  }

  /**
   * The responses to one delivery: none unless it is {@link ExecutionState#COMPLETED} with a
   * receipt; else an open, a click (only after an open) and a conversion, each by its rate.
   *
   * @throws IllegalStateException if the conversion rate for the request is not within [0, 1]
   */
  public List<Interaction> respond(ExecutionRecord record) {
    Objects.requireNonNull(record, "record");
    DeliveryReceipt receipt = record.receipt();
    if (record.state() != ExecutionState.COMPLETED || receipt == null) {
      return List.of();
    }
    ActionRequest q = record.request();
    double rate = conversionRate.applyAsDouble(q);
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalStateException(
          "conversionRate for campaign "
              + q.campaign()
              + " must be between 0 and 1 but was "
              + rate);
    }
    SplittableRandom rnd = new SplittableRandom(seed ^ stableHash(record.key()));
    Instant at = receipt.deliveredAt();
    List<Interaction> out = new ArrayList<>(3);
    if (rnd.nextDouble() < openRate) {
      out.add(
          Interaction.of(
              record.key(),
              q.customerId(),
              q.campaign(),
              InteractionType.OPENED,
              at.plus(OPEN_AFTER)));
      if (clickRate > 0 && rnd.nextDouble() < clickRate) {
        out.add(
            Interaction.of(
                record.key(),
                q.customerId(),
                q.campaign(),
                InteractionType.CLICKED,
                at.plus(CLICK_AFTER)));
      }
    }
    if (rnd.nextDouble() < rate) {
      long cents =
          minCents == maxCents ? minCents : minCents + rnd.nextLong(maxCents - minCents + 1);
      out.add(
          new Interaction(
              record.key(),
              q.customerId(),
              q.campaign(),
              InteractionType.CONVERTED,
              at.plus(CONVERSION_AFTER),
              BigDecimal.valueOf(cents, 2)));
    }
    return out;
  }

  /** A hash of the key that is the same in every run and JVM (unlike a seeded map order). */
  private static long stableHash(String s) {
    long h = 1125899906842597L;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  /** Configures {@link SimulatedResponses}; not thread-safe, {@link #build} copies. */
  public static final class Builder {
    private long seed;
    private double openRate = 0.4;
    private double clickRate;
    private ToDoubleFunction<ActionRequest> conversionRate = r -> 0.05;
    private BigDecimal minRevenue = new BigDecimal("120.00");
    private BigDecimal maxRevenue = new BigDecimal("120.00");

    private Builder() {}

    /** The seed; the same seed and keys give the same responses. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The chance that a delivery is opened, within [0, 1]. Default 0.4. */
    public Builder openRate(double openRate) {
      this.openRate = rate("openRate", openRate);
      return this;
    }

    /** The chance that an opened delivery is clicked, within [0, 1]. Default 0: no clicks. */
    public Builder clickRate(double clickRate) {
      this.clickRate = rate("clickRate", clickRate);
      return this;
    }

    /** The same conversion chance for every delivery, within [0, 1]. Default 0.05. */
    public Builder conversionRate(double conversionRate) {
      double checked = rate("conversionRate", conversionRate);
      this.conversionRate = r -> checked;
      return this;
    }

    /**
     * The conversion chance of each delivery, from its request (its campaign, variant, segment or
     * channel), within [0, 1]; a value outside fails the {@code respond} call.
     */
    public Builder conversionRate(ToDoubleFunction<ActionRequest> conversionRate) {
      this.conversionRate = Objects.requireNonNull(conversionRate, "conversionRate");
      return this;
    }

    /**
     * The revenue of a conversion, drawn uniformly in cents from {@code min} to {@code max}, both
     * included; equal bounds give a fixed revenue. Default 120.00.
     *
     * @throws IllegalArgumentException if a bound is negative, has more than two decimals, or
     *     {@code min} exceeds {@code max}
     */
    public Builder revenue(BigDecimal min, BigDecimal max) {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.signum() < 0 || max.signum() < 0) {
        throw new IllegalArgumentException("revenue bounds must not be negative");
      }
      if (min.stripTrailingZeros().scale() > 2 || max.stripTrailingZeros().scale() > 2) {
        throw new IllegalArgumentException("revenue bounds must have at most two decimals");
      }
      if (min.compareTo(max) > 0) {
        throw new IllegalArgumentException("revenue min must not exceed max; swap the bounds");
      }
      this.minRevenue = min.setScale(2, RoundingMode.UNNECESSARY);
      this.maxRevenue = max.setScale(2, RoundingMode.UNNECESSARY);
      return this;
    }

    /** The simulator. */
    public SimulatedResponses build() {
      return new SimulatedResponses(this);
    }

    private static double rate(String name, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException(name + " must be between 0 and 1 but was " + value);
      }
      return value;
    }
  }
}
