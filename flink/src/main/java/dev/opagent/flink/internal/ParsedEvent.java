package dev.opagent.flink.internal;

import java.util.Objects;

/**
 * A line that reads as a customer event, between the parser and the keyed operators: where it came
 * from, the customer it is keyed by, its time (the record's timestamp) and its text, read again by
 * the keyed operator (a text is cheaper to send between operators than the event's data map).
 * Immutable.
 *
 * @param source the file or topic partition the line came from
 * @param line the line number in a file (from 1), or the record's offset in a topic partition
 * @param customerId the event's customer
 * @param at the event's time, epoch milliseconds
 * @param json the line
 */
public record ParsedEvent(String source, long line, String customerId, long at, String json) {

  /** Checks the members. */
  public ParsedEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(json, "json");
  }
}
