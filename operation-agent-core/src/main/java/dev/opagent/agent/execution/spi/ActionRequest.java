package dev.opagent.agent.execution.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.internal.Json;
import dev.opagent.rules.Action;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One action to deliver, as a channel receives it and as the journal stores it (so a resumed round
 * can send it without deciding again). Immutable and thread-safe.
 *
 * <p>Made from a chosen {@link PlannedAction} by {@link #of}; its {@link #toJson() JSON form} is
 * stable and is what the webhook and JSON-lines channels write.
 *
 * @param idempotencyKey what makes the action unique (see {@link IdempotencyKeys}); a channel that
 *     deduplicates by it never delivers twice
 * @param runId the round that planned it
 * @param customerId the customer
 * @param campaign the campaign (rule id)
 * @param actionType the action type, such as {@code send_email}
 * @param channel the channel id of the decision, such as {@code email}
 * @param parameters the action's parameters from the rule (JSON-like values)
 * @param attachments non-contact actions that go with it (a discount code with the email)
 * @param variant the experiment variant the customer is in, if any
 * @param segment the customer's segment key for metrics, if known
 * @param cost the reserved cost in the budget currency
 * @param plannedAt when it is due
 * @param needsApproval whether the decision required an approval, so that every executor, in any
 *     process, checks right before delivering that it still holds (approvals expire and can be
 *     revoked)
 */
public record ActionRequest(
    String idempotencyKey,
    String runId,
    String customerId,
    String campaign,
    String actionType,
    String channel,
    Map<String, @Nullable Object> parameters,
    List<Action> attachments,
    @Nullable String variant,
    @Nullable String segment,
    BigDecimal cost,
    Instant plannedAt,
    boolean needsApproval) {

  /** Keeps a BigDecimal's scale through the tree model both ways: 12.50 stays 12.50. */
  private static final ObjectMapper MAPPER = Json.EXACT_DECIMALS;

  private static final TypeReference<Map<String, @Nullable Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Action>> ACTIONS = new TypeReference<>() {};

  /** Checks the values; copies the parameters and attachments. */
  public ActionRequest {
    requireText(idempotencyKey, "idempotencyKey");
    requireText(runId, "runId");
    requireText(customerId, "customerId");
    requireText(campaign, "campaign");
    requireText(actionType, "actionType");
    requireText(channel, "channel");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(plannedAt, "plannedAt");
    if (cost.signum() < 0) {
      throw new IllegalArgumentException("cost must not be negative but was " + cost);
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    attachments = List.copyOf(attachments);
  }

  /** A request for an action that needs no approval. */
  public ActionRequest(
      String idempotencyKey,
      String runId,
      String customerId,
      String campaign,
      String actionType,
      String channel,
      Map<String, @Nullable Object> parameters,
      List<Action> attachments,
      @Nullable String variant,
      @Nullable String segment,
      BigDecimal cost,
      Instant plannedAt) {
    this(
        idempotencyKey,
        runId,
        customerId,
        campaign,
        actionType,
        channel,
        parameters,
        attachments,
        variant,
        segment,
        cost,
        plannedAt,
        false);
  }

  /**
   * The request for a chosen action of run {@code runId}, keyed by {@code keys}.
   *
   * @throws IllegalArgumentException if the action was not chosen or maps to no channel
   */
  public static ActionRequest of(
      String runId,
      PlannedAction action,
      IdempotencyKeys keys,
      @Nullable String variant,
      @Nullable String segment) {
    if (!action.isChosen()) {
      throw new IllegalArgumentException(
          "only a chosen action can be executed, but "
              + action.actionType()
              + " of campaign "
              + action.campaign()
              + " is "
              + action.status());
    }
    if (action.channel() == null) {
      throw new IllegalArgumentException(
          "action type "
              + action.actionType()
              + " of campaign "
              + action.campaign()
              + " maps to no channel");
    }
    BigDecimal cost =
        action.reservation() != null
            ? action.reservation().amount()
            : BigDecimal.valueOf(action.score().cost());
    return new ActionRequest(
        keys.key(action.campaign(), action.actionType(), action.customerId(), action.plannedAt()),
        runId,
        action.customerId(),
        action.campaign(),
        action.actionType(),
        action.channel().id(),
        action.parameters(),
        action.attachments(),
        variant,
        segment,
        cost.signum() < 0 ? BigDecimal.ZERO : cost,
        action.plannedAt(),
        action.approvalReason() != null);
  }

  /**
   * The stable JSON form: every component by name, {@code plannedAt} in ISO-8601; {@code
   * needsApproval} only when true.
   */
  public String toJson() {
    ObjectNode o = toJsonNode();
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("action parameters are not JSON values", e);
    }
  }

  /** The JSON form as a tree, for channels that add fields of their own. */
  public ObjectNode toJsonNode() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("idempotencyKey", idempotencyKey);
    o.put("runId", runId);
    o.put("customerId", customerId);
    o.put("campaign", campaign);
    o.put("actionType", actionType);
    o.put("channel", channel);
    o.set("parameters", MAPPER.valueToTree(parameters));
    o.set("attachments", MAPPER.valueToTree(attachments));
    if (variant != null) {
      o.put("variant", variant);
    }
    if (segment != null) {
      o.put("segment", segment);
    }
    o.put("cost", cost);
    o.put("plannedAt", plannedAt.toString());
    if (needsApproval) {
      o.put("needsApproval", true);
    }
    return o;
  }

  /**
   * Reads the form {@link #toJson()} writes.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static ActionRequest fromJson(String json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // A document over the parser's limits (nesting depth, number or string length) has no
      // location; the parser's own message is not used, since it may quote the input.
      throw new IllegalArgumentException(
          e.getLocation() == null
              ? "action request is not valid JSON or exceeds the parser's limits (nesting depth,"
                  + " number or string length)"
              : "action request is not valid JSON at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("action request must be a JSON object");
    }
    try {
      Map<String, @Nullable Object> parameters =
          n.hasNonNull("parameters")
              ? convert(n.get("parameters"), MAP, "parameters", "a JSON object")
              : Map.of();
      List<Action> attachments =
          n.hasNonNull("attachments")
              ? convert(n.get("attachments"), ACTIONS, "attachments", "an array of actions")
              : new ArrayList<>();
      if (n.hasNonNull("cost") && !n.get("cost").isNumber()) {
        throw new IllegalArgumentException("action request field cost must be a number");
      }
      return new ActionRequest(
          text(n, "idempotencyKey"),
          text(n, "runId"),
          text(n, "customerId"),
          text(n, "campaign"),
          text(n, "actionType"),
          text(n, "channel"),
          parameters,
          attachments,
          optional(n, "variant"),
          optional(n, "segment"),
          n.hasNonNull("cost") ? n.get("cost").decimalValue() : BigDecimal.ZERO,
          Instant.parse(text(n, "plannedAt")),
          n.path("needsApproval").asBoolean(false));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "action request field plannedAt must be an ISO-8601 "
              + "instant such as 2026-03-15T09:00:00Z");
    }
  }

  private static <T> T convert(
      JsonNode value, TypeReference<T> type, String field, String expected) {
    try {
      return MAPPER.convertValue(value, type);
    } catch (IllegalArgumentException e) {
      // Jackson's message quotes the value, which may be personal data: name the field only.
      throw new IllegalArgumentException("action request field " + field + " must be " + expected);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(
          "action request field " + field + " is missing or not a string");
    }
    return v.asText();
  }

  private static @Nullable String optional(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void requireText(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
