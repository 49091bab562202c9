package dev.opagent.agent.feedback;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One customer interaction reported by a channel, a shop webhook or an analytics feed. Immutable
 * and thread-safe.
 *
 * <p>With an idempotency key the interaction belongs to that action (an open or click tracked by a
 * link that carries the key); without one it is attributed to the customer's most recent delivery
 * of the campaign (last touch), as for an order placed in the shop.
 *
 * <pre>{@code
 * loop.record(Interaction.of(request.idempotencyKey(), "C-1001", "winback", InteractionType.OPENED, at));
 * loop.record(Interaction.conversion("C-1001", "winback", at, new BigDecimal("249.90")));
 * }</pre>
 *
 * @param idempotencyKey the key of the action it belongs to, or null to attribute by last touch
 * @param customerId the customer
 * @param campaign the campaign (rule id)
 * @param type what happened
 * @param at when it happened
 * @param revenue the order value of a {@link InteractionType#CONVERTED conversion}, not negative;
 *     null when unknown, and always null for other types
 */
public record Interaction(
    @Nullable String idempotencyKey,
    String customerId,
    String campaign,
    InteractionType type,
    Instant at,
    @Nullable BigDecimal revenue) {

  /** Checks the values. */
  public Interaction {
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("idempotencyKey must be null or not blank");
    }
    requireText(customerId, "customerId");
    requireText(campaign, "campaign");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    if (revenue != null) {
      if (type != InteractionType.CONVERTED) {
        throw new IllegalArgumentException(
            "revenue is only for CONVERTED interactions but type was " + type);
      }
      if (revenue.signum() < 0) {
        throw new IllegalArgumentException("revenue must not be negative but was " + revenue);
      }
    }
  }

  /** An interaction without revenue, attributed to the action with {@code idempotencyKey}. */
  public static Interaction of(
      String idempotencyKey, String customerId, String campaign, InteractionType type, Instant at) {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    return new Interaction(idempotencyKey, customerId, campaign, type, at, null);
  }

  /** An interaction without revenue, attributed by last touch. */
  public static Interaction lastTouch(
      String customerId, String campaign, InteractionType type, Instant at) {
    return new Interaction(null, customerId, campaign, type, at, null);
  }

  /** A conversion worth {@code revenue} (null when unknown), attributed by last touch. */
  public static Interaction conversion(
      String customerId, String campaign, Instant at, @Nullable BigDecimal revenue) {
    return new Interaction(null, customerId, campaign, InteractionType.CONVERTED, at, revenue);
  }

  private static void requireText(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
