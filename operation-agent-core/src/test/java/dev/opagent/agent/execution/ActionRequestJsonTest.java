package dev.opagent.agent.execution;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.spi.ActionRequest;
import org.junit.jupiter.api.Test;

/** Hostile JSON given to {@link ActionRequest#fromJson} fails typed, naming the field only. */
class ActionRequestJsonTest {
  private static final String VALID_TAIL =
      "\"runId\":\"r\",\"customerId\":\"C-1\","
          + "\"campaign\":\"w\",\"actionType\":\"send_email\",\"channel\":\"email\","
          + "\"plannedAt\":\"2026-03-15T09:00:00Z\"";

  @Test
  void fromJson_numberLongerThanTheParserAllows_isATypedErrorNotANullPointer() {
    String json = "{\"idempotencyKey\":1" + "0".repeat(100_000) + "}";

    assertThatThrownBy(() -> ActionRequest.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the parser's limits");
  }

  @Test
  void fromJson_nestingDeeperThanTheParserAllows_isATypedError() {
    String json = "[".repeat(5_000) + "]".repeat(5_000);

    assertThatThrownBy(() -> ActionRequest.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("action request is not valid JSON");
  }

  @Test
  void fromJson_parametersOfTheWrongType_namesTheFieldNeverTheValue() {
    String json = "{\"idempotencyKey\":\"k\",\"parameters\":\"SECRET-VALUE\"," + VALID_TAIL + "}";

    assertThatThrownBy(() -> ActionRequest.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("action request field parameters must be a JSON object");
  }

  @Test
  void fromJson_attachmentsOfTheWrongType_namesTheFieldNeverTheValue() {
    String json =
        "{\"idempotencyKey\":\"k\",\"attachments\":[\"SECRET-VALUE\"]," + VALID_TAIL + "}";

    assertThatThrownBy(() -> ActionRequest.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("action request field attachments must be an array of actions");
  }

  @Test
  void fromJson_costNotANumber_isRefusedInsteadOfReadAsZero() {
    String json = "{\"idempotencyKey\":\"k\",\"cost\":\"12.50\"," + VALID_TAIL + "}";

    assertThatThrownBy(() -> ActionRequest.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("action request field cost must be a number");
  }
}
