package dev.opagent.agent.execution.journal;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** The rules both journals apply alike: identifier lengths, error lengths, time resolution. */
final class Journals {
  /** The longest idempotency key, run id and owner id a journal accepts. */
  static final int MAX_ID_LENGTH = 200;

  /** Last errors and cancel reasons longer than this are cut to it. */
  static final int MAX_ERROR_LENGTH = 2000;

  private Journals() {}

  /** {@code at} to the microsecond, the finest instant PostgreSQL stores. */
  static Instant micros(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  /** {@code text} cut to {@link #MAX_ERROR_LENGTH} characters, ending in "…" when cut. */
  static String truncate(String text) {
    if (text.length() <= MAX_ERROR_LENGTH) {
      return text;
    }
    int end = MAX_ERROR_LENGTH - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + '…';
  }

  static void checkRequests(List<ActionRequest> requests) {
    for (ActionRequest r : requests) {
      Objects.requireNonNull(r, "requests must not contain null");
      checkLength(r.idempotencyKey(), "idempotencyKey");
      checkLength(r.runId(), "runId");
    }
  }

  static void checkOwner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("owner must not be blank");
    }
    checkLength(owner, "owner");
  }

  static void checkReceipt(String key, DeliveryReceipt receipt) {
    if (!receipt.idempotencyKey().equals(key)) {
      throw new IllegalArgumentException(
          "the receipt is for key " + receipt.idempotencyKey() + ", not for " + key);
    }
  }

  private static void checkLength(String value, String field) {
    if (value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          field + " must be at most " + MAX_ID_LENGTH + " characters but was " + value.length());
    }
  }
}
