package dev.opagent.agent.policy;

import dev.opagent.agent.Channel;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * At most {@code max} contacts on a channel (or on all contact channels) within a window. Immutable
 * and thread-safe. Planned contacts of the same run and actions chosen earlier in the same decision
 * count like sent ones.
 *
 * <pre>{@code
 * FrequencyCap.of(Channel.SMS, 1, CapWindow.calendarDays(1));                 // one SMS per local day
 * FrequencyCap.overall(3, CapWindow.rolling(Duration.ofDays(7)));             // 3 contacts a week
 * FrequencyCap.of(Channel.EMAIL, 2, CapWindow.rolling(Duration.ofDays(7))).bypassFrom(Rule.CRITICAL);
 * }</pre>
 *
 * @param channel the channel counted, or null for every contact channel
 * @param max contacts allowed in the window, at least 1
 * @param window where contacts are counted
 * @param bypassFromPriority actions of campaigns with at least this priority are let through when
 *     the cap binds; null (the default) means no bypass
 */
public record FrequencyCap(
    @Nullable Channel channel, int max, CapWindow window, @Nullable Integer bypassFromPriority) {

  public FrequencyCap {
    Objects.requireNonNull(window, "window");
    if (max < 1) {
      throw new IllegalArgumentException("frequency cap max must be positive but was " + max);
    }
    if (channel != null && !channel.contact()) {
      throw new IllegalArgumentException(
          "frequency caps apply to contact channels but '" + channel + "' is not one");
    }
    if (bypassFromPriority != null && (bypassFromPriority < 0 || bypassFromPriority > 100)) {
      throw new IllegalArgumentException(
          "bypassFromPriority must be between 0 and 100 but was " + bypassFromPriority);
    }
  }

  /** A cap on one channel, without bypass. */
  public static FrequencyCap of(Channel channel, int max, CapWindow window) {
    return new FrequencyCap(Objects.requireNonNull(channel, "channel"), max, window, null);
  }

  /** A cap over all contact channels, without bypass. */
  public static FrequencyCap overall(int max, CapWindow window) {
    return new FrequencyCap(null, max, window, null);
  }

  /** This cap, bypassed by campaigns of priority {@code priority} or more. */
  public FrequencyCap bypassFrom(int priority) {
    return new FrequencyCap(channel, max, window, priority);
  }

  /** Whether the cap counts contacts on {@code c}. */
  public boolean applies(Channel c) {
    return c.contact() && (channel == null || channel.equals(c));
  }
}
