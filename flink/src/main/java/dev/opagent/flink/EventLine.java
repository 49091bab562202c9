package dev.opagent.flink;

import java.util.Objects;

/**
 * One line of customer events as a source hands it to {@link EventJob#build}: its text, a JSON
 * object such as {@code {"type": "cart_abandoned", "customerId": "C-1001", "at":
 * "2026-03-15T09:00:00Z", "data": {"cartValue": 249.90}}}, and where it came from, so that a line
 * that is no event can be reported by its place, never by its content. Immutable.
 *
 * @param source the file, or the topic and partition, the line came from
 * @param number the line's number in its file (from 1), or its offset in its partition
 * @param text the line
 */
public record EventLine(String source, long number, String text) {

  /** Checks the members. */
  public EventLine {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
  }
}
