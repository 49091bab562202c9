package dev.opagent.agent.execution.channels;

import dev.opagent.agent.execution.spi.ActionRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Action requests for channel tests. */
final class Requests {
  static final String CUSTOMER = "C-1001-private";
  static final String TEMPLATE = "winback-template-secret-offer";

  private Requests() {}

  static ActionRequest request(String key) {
    return request(key, "C-" + key);
  }

  static ActionRequest request(String key, String customerId) {
    Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
    parameters.put("template", TEMPLATE);
    parameters.put("discount", new BigDecimal("0.15"));
    return new ActionRequest(
        key,
        "run-1",
        customerId,
        "winback",
        "send_email",
        "email",
        parameters,
        List.of(),
        "treatment",
        "Riskli",
        new BigDecimal("0.01"),
        Instant.parse("2026-03-15T09:00:00Z"));
  }
}
