package dev.opagent.agent.execution.spi;

import dev.opagent.agent.AgentException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A channel could not deliver an action. {@link #retryable()} failures (a 5xx, a 429, a timeout)
 * are attempted again by the executor, after {@link #retryAfter()} when the channel was told how
 * long to wait; the others fail the action at once. Messages never contain the action's parameters
 * or personal data.
 */
public class ChannelException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final String channel;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;

  public ChannelException(
      String channel,
      String message,
      boolean retryable,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super("channel '" + channel + "': " + message, cause);
    this.channel = channel;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** A failure worth another attempt, after {@code retryAfter} if the channel said so. */
  public static ChannelException retryable(
      String channel, String message, @Nullable Duration retryAfter) {
    return new ChannelException(channel, message, true, retryAfter, null);
  }

  /** A failure another attempt will not fix (a 4xx, a bad address, a rejected payload). */
  public static ChannelException permanent(String channel, String message) {
    return new ChannelException(channel, message, false, null, null);
  }

  /** The name of the channel that failed. */
  public String channel() {
    return channel;
  }

  /** Whether another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** How long the channel asked to wait before the next attempt, if it did. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
