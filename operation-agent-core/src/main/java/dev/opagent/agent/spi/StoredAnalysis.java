package dev.opagent.agent.spi;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.Source;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A customer's segment analysis as a {@link SegmentStore} keeps it: what the agent answered, for
 * which data, when, and which agent. Immutable and thread-safe.
 *
 * @param customerId the customer
 * @param analysisJson the analysis as the agent's JSON object ({@link SegmentAnalysis#toJson()})
 * @param dataHash the {@link CustomerData#canonicalHash()} of the data it was made from: 64
 *     lowercase hex digits
 * @param analysedAt when the agent answered
 * @param agentRuntimeArn the agent runtime that answered
 * @param qualifier the agent runtime's endpoint qualifier
 * @param source where the analysis came from; {@link Source#AGENT} for what the operation loop
 *     saves
 */
public record StoredAnalysis(
    String customerId,
    String analysisJson,
    String dataHash,
    Instant analysedAt,
    String agentRuntimeArn,
    String qualifier,
    Source source) {
  private static final Pattern SHA_256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * Checks the members.
   *
   * @throws IllegalArgumentException when {@code dataHash} is not 64 lowercase hex digits or {@code
   *     customerId} is blank
   */
  public StoredAnalysis {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(analysisJson, "analysisJson");
    Objects.requireNonNull(dataHash, "dataHash");
    Objects.requireNonNull(analysedAt, "analysedAt");
    Objects.requireNonNull(agentRuntimeArn, "agentRuntimeArn");
    Objects.requireNonNull(qualifier, "qualifier");
    Objects.requireNonNull(source, "source");
    if (customerId.isBlank()) {
      throw new IllegalArgumentException("customerId must not be blank");
    }
    if (!SHA_256.matcher(dataHash).matches()) {
      throw new IllegalArgumentException(
          "dataHash must be a SHA-256 as 64 lowercase hex digits"
              + " (CustomerData.canonicalHash()), but has "
              + dataHash.length()
              + " characters");
    }
  }

  /**
   * The analysis of {@code data} by agent {@code agentRuntimeArn}/{@code qualifier}, made at {@code
   * analysedAt}, hashing the data.
   */
  public static StoredAnalysis of(
      CustomerData data,
      SegmentAnalysis analysis,
      Instant analysedAt,
      String agentRuntimeArn,
      String qualifier,
      Source source) {
    return new StoredAnalysis(
        data.customerId(),
        analysis.toJson(),
        data.canonicalHash(),
        analysedAt,
        agentRuntimeArn,
        qualifier,
        source);
  }

  /**
   * The analysis, read from {@link #analysisJson()}.
   *
   * @throws IllegalArgumentException when the stored JSON is not a segment analysis
   */
  public SegmentAnalysis analysis() {
    return SegmentAnalysis.fromJson(analysisJson);
  }

  /** Whether this analysis was made by agent {@code agentRuntimeArn} at {@code qualifier}. */
  public boolean madeBy(String agentRuntimeArn, String qualifier) {
    return this.agentRuntimeArn.equals(agentRuntimeArn) && this.qualifier.equals(qualifier);
  }

  /** Omits the analysis, which describes the customer. */
  @Override
  public String toString() {
    return "StoredAnalysis[customerId="
        + customerId
        + ", dataHash="
        + dataHash
        + ", analysedAt="
        + analysedAt
        + ", agentRuntimeArn="
        + agentRuntimeArn
        + ", qualifier="
        + qualifier
        + ", source="
        + source
        + "]";
  }
}
