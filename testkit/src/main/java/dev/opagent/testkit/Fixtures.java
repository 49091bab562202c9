package dev.opagent.testkit;

import dev.opagent.segment.Customer;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ProductHistory;
import dev.opagent.segment.Region;
import dev.opagent.segment.Season;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The customers of the segment agent's integration guide, and the date its worked example is
 * computed for. Stateless and thread-safe; every method returns an immutable value.
 *
 * <pre>{@code
 * ReferenceSegmenter segmenter = new ReferenceSegmenter(Fixtures.seedClock());
 * SegmentAnalysis analysis = segmenter.analyze(Fixtures.seedActiveCustomer());
 * // churnSegment Ilık, valueSegment LowValue, loyaltyTier Gümüş, P-2001 24 days overdue
 * }</pre>
 */
public final class Fixtures {
  /** The date of the worked example: 2026-03-15. */
  public static final LocalDate SEED_AS_OF = LocalDate.of(2026, 3, 15);

  /** The integration guide's agent runtime ARN. */
  public static final String SEED_AGENT_RUNTIME_ARN =
      "arn:aws:bedrock-agentcore:us-west-2:485169707250:runtime/customer_segment_agent-1GD3a24jRt";

  private Fixtures() {}

  /** A clock fixed at the start of {@link #SEED_AS_OF} in UTC. */
  public static Clock seedClock() {
    return Clock.fixed(seedInstant(), ZoneOffset.UTC);
  }

  /** The start of {@link #SEED_AS_OF} in UTC. */
  public static Instant seedInstant() {
    return SEED_AS_OF.atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /**
   * The guide's new customer {@code C-TEST-001}: 28, registered 2026-01-15, no purchases, Marmara
   * with a median basket of 250 and trend {@code Skincare}, winter.
   */
  public static CustomerData seedNewCustomer() {
    return new CustomerData(
        "C-TEST-001",
        "Istanbul",
        new Customer("C-TEST-001", 28, "F", utc(2026, 1, 15), List.of()),
        new Region("Marmara", "Temperate", new BigDecimal("250.0"), "Skincare"),
        Season.WINTER);
  }

  /**
   * The guide's active customer {@code C-1001}: 32, registered 2024-03-15, product {@code P-2001}
   * ({@code SKINCARE}) bought 8 times every 30 days for 479.20 in all, last on 2026-01-20; Marmara
   * with a median basket of 75 and trend {@code SKINCARE}, winter.
   */
  public static CustomerData seedActiveCustomer() {
    return new CustomerData(
        "C-1001",
        "Istanbul",
        new Customer(
            "C-1001",
            32,
            "F",
            utc(2024, 3, 15),
            List.of(
                new ProductHistory(
                    "P-2001",
                    "SKINCARE",
                    8,
                    new BigDecimal("479.20"),
                    8,
                    utc(2026, 1, 20),
                    new BigDecimal("30")))),
        new Region("Marmara", "Temperate", new BigDecimal("75.0"), "SKINCARE"),
        Season.WINTER);
  }

  /** Both seed customers: {@link #seedNewCustomer()} and {@link #seedActiveCustomer()}. */
  public static List<CustomerData> seedCustomers() {
    return List.of(seedNewCustomer(), seedActiveCustomer());
  }

  /** {@code data} wrapped as the agent's payload: {@code {"customerData": {...}}}. */
  public static String payload(CustomerData data) {
    return "{\"customerData\":" + data.toJson() + "}";
  }

  private static OffsetDateTime utc(int year, int month, int day) {
    return LocalDate.of(year, month, day).atStartOfDay().atOffset(ZoneOffset.UTC);
  }
}
