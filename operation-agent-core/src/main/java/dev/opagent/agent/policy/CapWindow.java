package dev.opagent.agent.policy;

import java.time.Duration;
import java.util.Objects;

/** The window a frequency cap counts contacts in. Immutable and thread-safe. */
public sealed interface CapWindow {

  /** A window of fixed length ending now: contacts at or after {@code now − length} count. */
  static CapWindow rolling(Duration length) {
    return new Rolling(length);
  }

  /** Today and the {@code days − 1} days before, in the customer's time zone. */
  static CapWindow calendarDays(int days) {
    return new CalendarDays(days);
  }

  /**
   * A rolling window.
   *
   * @param length positive length
   */
  record Rolling(Duration length) implements CapWindow {
    public Rolling {
      Objects.requireNonNull(length, "length");
      if (length.isNegative() || length.isZero()) {
        throw new IllegalArgumentException("rolling window must be positive but was " + length);
      }
    }
  }

  /**
   * Whole calendar days in the customer's time zone, today included: a contact counts from its
   * local date's start until the start of the date {@code days} days later.
   *
   * @param days at least 1
   */
  record CalendarDays(int days) implements CapWindow {
    public CalendarDays {
      if (days < 1) {
        throw new IllegalArgumentException("calendar days must be positive but was " + days);
      }
    }
  }
}
