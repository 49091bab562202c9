package dev.opagent.agent.strategy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One step of a strategy's action plan: an action type the executor knows, the channel it uses, its
 * parameters and when to run it. Immutable and thread-safe.
 *
 * @param type action type, such as {@code send_email} or {@code send_sms}
 * @param channel the channel reached ({@code email}, {@code sms}, {@code push}, …)
 * @param parameters further parameters written into the rule action (template names, …); JSON-like
 *     values, without the reserved keys {@code type}, {@code channel}, {@code delay_minutes} and
 *     {@code delay}
 * @param delay how long after the decision to act
 */
public record PlanStep(
    String type, String channel, Map<String, @Nullable Object> parameters, Duration delay) {

  private static final Set<String> RESERVED = Set.of("type", "channel", "delay_minutes", "delay");

  /** Checks and copies the values. */
  public PlanStep {
    if (type.isBlank()) {
      throw new IllegalArgumentException("action type must not be blank");
    }
    if (channel.isBlank()) {
      throw new IllegalArgumentException("action channel must not be blank");
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("action delay must not be negative but was " + delay);
    }
    for (String k : parameters.keySet()) {
      if (RESERVED.contains(k)) {
        throw new IllegalArgumentException(
            "action parameter '" + k + "' is reserved; use the record component instead");
      }
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }
}
