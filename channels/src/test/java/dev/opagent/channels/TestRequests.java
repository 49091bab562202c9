package dev.opagent.channels;

import dev.opagent.agent.execution.spi.ActionRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Action requests for the channel tests. */
public final class TestRequests {
  /** When every test action is planned. */
  public static final Instant PLANNED_AT = Instant.parse("2026-03-15T09:00:00Z");

  private TestRequests() {}

  /** A request of {@code actionType} keyed {@code key}, with parameters as key-value pairs. */
  public static ActionRequest request(String key, String actionType, Object... parameters) {
    Map<String, @Nullable Object> p = new LinkedHashMap<>();
    for (int i = 0; i < parameters.length; i += 2) {
      p.put((String) parameters[i], parameters[i + 1]);
    }
    return new ActionRequest(
        key,
        "run-7",
        "C-42",
        "winback",
        actionType,
        channelOf(actionType),
        p,
        List.of(),
        null,
        null,
        BigDecimal.ZERO,
        PLANNED_AT);
  }

  private static String channelOf(String actionType) {
    return switch (actionType) {
      case "send_email" -> "email";
      case "send_sms" -> "sms";
      case "create_discount" -> "discount";
      default -> "other";
    };
  }
}
