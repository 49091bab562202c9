package dev.opagent.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What to do when a rule matches, as in seed 001's {@code {"type": "send_email", "template": …,
 * "delay_minutes": 0}}: a type the host's executor knows, free-form parameters, and a delay.
 * Immutable and thread-safe; serialises with a plain Jackson {@code ObjectMapper} as {@code
 * {"type", "parameters", "delayMinutes"}}.
 *
 * @param type action type, such as {@code send_email} or {@code create_discount}
 * @param parameters everything else the rule file says about the action (JSON-like values)
 * @param delay how long after the decision to act; zero for immediately
 */
public record Action(
    String type, Map<String, @Nullable Object> parameters, @JsonIgnore Duration delay) {

  public Action {
    if (type.isBlank()) {
      throw new IllegalArgumentException("action type must not be blank");
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("action delay must not be negative but was " + delay);
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** Reads the JSON form written by Jackson ({@code type, parameters, delayMinutes}). */
  @JsonCreator
  static Action fromJson(
      @JsonProperty("type") String type,
      @JsonProperty("parameters") @Nullable Map<String, @Nullable Object> parameters,
      @JsonProperty("delayMinutes") long delayMinutes) {
    return new Action(
        type, parameters == null ? Map.of() : parameters, Duration.ofMinutes(delayMinutes));
  }

  /** An immediate action without parameters. */
  public static Action of(String type) {
    return new Action(type, Map.of(), Duration.ZERO);
  }

  /** The delay in whole minutes, for JSON output. */
  @JsonProperty("delayMinutes")
  public long delayMinutes() {
    return delay.toMinutes();
  }

  /** A parameter's value, or {@code null} when absent. */
  public @Nullable Object parameter(String name) {
    return parameters.get(name);
  }
}
