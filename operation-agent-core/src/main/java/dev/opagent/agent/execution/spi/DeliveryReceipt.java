package dev.opagent.agent.execution.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a channel reports after delivering an action. Immutable and thread-safe.
 *
 * @param idempotencyKey the key of the delivered action
 * @param channel the name of the channel that delivered it
 * @param externalId the channel's own id of the delivery (a message id, a line number, a code)
 * @param deliveredAt when the channel accepted it
 * @param cost what it actually cost in the budget currency; null to commit the reserved amount
 * @param duplicate true when the channel had already delivered this key and did nothing now
 * @param detail a short explanation without personal data
 */
public record DeliveryReceipt(
    String idempotencyKey,
    String channel,
    String externalId,
    Instant deliveredAt,
    @Nullable BigDecimal cost,
    boolean duplicate,
    String detail) {

  /** Checks the values. */
  public DeliveryReceipt {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    Objects.requireNonNull(detail, "detail");
    if (cost != null && cost.signum() < 0) {
      throw new IllegalArgumentException("cost must not be negative but was " + cost);
    }
  }

  /** A first delivery of {@code request} at the reserved cost. */
  public static DeliveryReceipt delivered(
      ActionRequest request, String channel, String externalId, Instant at) {
    return new DeliveryReceipt(
        request.idempotencyKey(), channel, externalId, at, null, false, "delivered");
  }

  /** A key the channel had already delivered: nothing was sent now. */
  public static DeliveryReceipt duplicate(
      ActionRequest request, String channel, String externalId, Instant at) {
    return new DeliveryReceipt(
        request.idempotencyKey(),
        channel,
        externalId,
        at,
        null,
        true,
        "already delivered under this idempotency key");
  }
}
