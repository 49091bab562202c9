package dev.opagent.flink.internal;

import dev.opagent.agent.event.CustomerEvents;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.segment.Source;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An event after {@link EventProcessor#prepare}, on its way through the segment agent to {@link
 * EventProcessor#complete}: the prepared event as JSON texts, and the agent's answer once there is
 * one. Flink serialises it between the operators and keeps those in flight in the segment
 * operator's checkpoints. Immutable.
 *
 * @param source the file or topic partition the event came from
 * @param line the line number or offset there
 * @param customerId the event's customer
 * @param at the event's time, epoch milliseconds
 * @param eventJson the event
 * @param dataJson the customer's data after the event; null when no one knows the customer
 * @param withdrawn the channel ids the customer withdrew consent for
 * @param needsAnalysis whether {@link EventProcessor#complete} needs the customer's analysis
 * @param analysisJson the agent's analysis; null until answered or when it failed
 * @param analysisSource where the analysis came from ({@link Source} name); null without one
 * @param attempts the requests sent for the analysis
 * @param failureCode the agent's failure ({@link ErrorCode} name); null unless it failed
 * @param failureMessage what the failure says, without customer data; null unless it failed
 * @param failureRetryable whether a later call may succeed
 */
public record PreparedEvent(
    String source,
    long line,
    String customerId,
    long at,
    String eventJson,
    @Nullable String dataJson,
    String[] withdrawn,
    boolean needsAnalysis,
    @Nullable String analysisJson,
    @Nullable String analysisSource,
    int attempts,
    @Nullable String failureCode,
    @Nullable String failureMessage,
    boolean failureRetryable) {

  /** Checks the members. */
  public PreparedEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(eventJson, "eventJson");
    Objects.requireNonNull(withdrawn, "withdrawn");
  }

  /** {@code prepared}, the event of {@code parsed}, on its way to the segment agent. */
  public static PreparedEvent of(ParsedEvent parsed, EventProcessor.Prepared prepared) {
    CustomerData data = prepared.data();
    return new PreparedEvent(
        parsed.source(),
        parsed.line(),
        parsed.customerId(),
        parsed.at(),
        parsed.json(),
        data == null ? null : data.toJson(),
        prepared.withdrawnConsents().stream().sorted().toArray(String[]::new),
        prepared.needsAnalysis(),
        null,
        null,
        0,
        null,
        null,
        false);
  }

  /** This event with the agent's answer. */
  public PreparedEvent analysed(SegmentOutcome.Success success) {
    return new PreparedEvent(
        source,
        line,
        customerId,
        at,
        eventJson,
        dataJson,
        withdrawn,
        needsAnalysis,
        success.analysis().toJson(),
        success.source().name(),
        success.attempts(),
        null,
        null,
        false);
  }

  /** This event with the agent's failure. */
  public PreparedEvent failed(SegmentOutcome.Failure failure) {
    return new PreparedEvent(
        source,
        line,
        customerId,
        at,
        eventJson,
        dataJson,
        withdrawn,
        needsAnalysis,
        null,
        null,
        failure.attempts(),
        failure.code().name(),
        failure.message(),
        failure.retryable());
  }

  /** The customer's data; null when no one knows the customer. */
  public @Nullable CustomerData data() {
    return dataJson == null ? null : CustomerData.fromJson(dataJson);
  }

  /** The prepared event, read back. */
  public EventProcessor.Prepared prepared() {
    return new EventProcessor.Prepared(
        CustomerEvents.fromJson(eventJson), data(), Set.of(withdrawn), needsAnalysis);
  }

  /** The agent's answer; null when the event needs none or it has not been asked. */
  public @Nullable SegmentOutcome segmentOutcome() {
    if (analysisJson != null) {
      return new SegmentOutcome.Success(
          0,
          customerId,
          SegmentAnalysis.fromJson(analysisJson),
          analysisSource == null ? Source.AGENT : Source.valueOf(analysisSource),
          attempts);
    }
    if (failureCode != null) {
      return new SegmentOutcome.Failure(
          0,
          customerId,
          ErrorCode.valueOf(failureCode),
          failureMessage == null ? "" : failureMessage,
          failureRetryable,
          attempts,
          null);
    }
    return null;
  }
}
