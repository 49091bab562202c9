package dev.opagent.segment;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result for one customer of a batch: exactly one per input, a value rather than an exception.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * switch (outcome) {
 *   case SegmentOutcome.Success s -> use(s.analysis());
 *   case SegmentOutcome.Failure f -> log.warn("{} failed: {}", f.customerId(), f.code());
 * }
 * }</pre>
 */
public sealed interface SegmentOutcome {

  /** Position of the input in the batch, from 0. */
  long index();

  /** The customer's id, or {@code null} when the input had none. */
  @Nullable String customerId();

  /** Requests sent to the agent for this customer (0 for cache hits and invalid input). */
  int attempts();

  /** Whether this is a {@link Success}. */
  default boolean isSuccess() {
    return this instanceof Success;
  }

  /**
   * The customer's segments.
   *
   * @param index position of the input in the batch
   * @param customerId the customer's id
   * @param analysis the segments
   * @param source where the segments came from
   * @param attempts requests sent for this customer
   */
  record Success(
      long index, String customerId, SegmentAnalysis analysis, Source source, int attempts)
      implements SegmentOutcome {
    /** Checks the members. */
    public Success {
      Objects.requireNonNull(customerId, "customerId");
      Objects.requireNonNull(analysis, "analysis");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * Why the customer has no segments.
   *
   * @param index position of the input in the batch
   * @param customerId the customer's id, or {@code null} when the input had none
   * @param code why it failed
   * @param message what happened and what to do; never contains customer data
   * @param retryable whether a later retry may succeed
   * @param attempts requests sent for this customer
   * @param requestId the AWS request id of the last answer, if any
   */
  record Failure(
      long index,
      @Nullable String customerId,
      ErrorCode code,
      String message,
      boolean retryable,
      int attempts,
      @Nullable String requestId)
      implements SegmentOutcome {
    /** Checks the members. */
    public Failure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    /** The failure of {@code customerId} at {@code index} described by {@code e}. */
    public static Failure of(long index, @Nullable String customerId, SegmentException e) {
      return new Failure(
          index, customerId, e.code(), e.getMessage(), e.retryable(), e.attempts(), e.requestId());
    }

    /** This failure as an exception, for callers that prefer to throw. */
    public SegmentException toException() {
      return new SegmentException(code, message, attempts, requestId, null, null);
    }
  }
}
