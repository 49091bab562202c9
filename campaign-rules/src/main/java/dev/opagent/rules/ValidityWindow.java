package dev.opagent.rules;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a rule applies: {@code [from, until)}, either end open. Rule files write the ends as local
 * dates or date-times in the rule's {@code time_zone} (a campaign "until 2026-03-31" in {@code
 * Europe/Istanbul} ends at midnight Istanbul time), or with an explicit offset. Immutable and
 * thread-safe.
 *
 * @param from first instant the rule applies, or {@code null} for no start
 * @param until first instant the rule no longer applies, or {@code null} for no end
 * @param zone the time zone local ends were read in
 */
public record ValidityWindow(@Nullable Instant from, @Nullable Instant until, ZoneId zone) {

  /** Always valid, in UTC. */
  public static final ValidityWindow ALWAYS = new ValidityWindow(null, null, ZoneOffset.UTC);

  public ValidityWindow {
    if (from != null && until != null && !from.isBefore(until)) {
      throw new IllegalArgumentException(
          "validity window must start before it ends but was [" + from + ", " + until + ")");
    }
  }

  /** Whether {@code now} is inside the window. */
  public boolean contains(Instant now) {
    return (from == null || !now.isBefore(from)) && (until == null || now.isBefore(until));
  }

  /** The start, if any. */
  public Optional<Instant> start() {
    return Optional.ofNullable(from);
  }

  /** The end, if any. */
  public Optional<Instant> end() {
    return Optional.ofNullable(until);
  }
}
