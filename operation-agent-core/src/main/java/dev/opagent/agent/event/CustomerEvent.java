package dev.opagent.agent.event;

import dev.opagent.rules.Trigger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something a customer did, as a host receives it from a shop, an e-mail provider or an analytics
 * feed: {@code {"type": "cart_abandoned", "customerId": "C-1001", "at": "2026-03-15T09:00:00Z",
 * "data": {"cartValue": 249.90, "items": ["P-7"]}}}. Immutable and thread-safe.
 *
 * <p>The well-known types and the data they must carry (checked here, whether the event is read
 * from JSON or built in code):
 *
 * <ul>
 *   <li>{@value #PURCHASE}: {@code amount} (a non-negative number, required), {@code product} and
 *       {@code category} (strings, optional); it updates the customer's data and is attributed as a
 *       conversion;
 *   <li>{@value #CART_ABANDONED}: {@code cartValue} (a non-negative number, required), {@code
 *       items} (an array, optional);
 *   <li>{@value #UNSUBSCRIBE}: {@code channel} (a string, optional): the consent withdrawn, for
 *       that channel or, without one, for every channel;
 *   <li>{@value #EMAIL_OPEN}, {@value #CLICK}, {@value #COUPON_USED}, {@value #PAGE_VIEW}: any
 *       data.
 * </ul>
 *
 * Any other type that is a valid event type (lowercase letters, digits and {@code _}) is kept with
 * its data as given, so that a rule may trigger on it; nothing else in the loop reacts to it.
 *
 * @param type the event type, such as {@value #CART_ABANDONED}
 * @param customerId the customer
 * @param at when it happened
 * @param data what the event carries: strings, booleans, {@link BigDecimal} or {@link Long}
 *     numbers, lists and maps of these, and nulls
 */
public record CustomerEvent(
    String type, String customerId, Instant at, Map<String, @Nullable Object> data) {

  /** A purchase: {@code amount}, and {@code product} and {@code category} when known. */
  public static final String PURCHASE = "purchase";

  /** A cart left without buying: {@code cartValue}, and {@code items} when known. */
  public static final String CART_ABANDONED = "cart_abandoned";

  /** An e-mail opened. */
  public static final String EMAIL_OPEN = "email_open";

  /** A link clicked. */
  public static final String CLICK = "click";

  /** A coupon redeemed. */
  public static final String COUPON_USED = "coupon_used";

  /** Consent withdrawn: for {@code channel}, or for every channel without one. */
  public static final String UNSUBSCRIBE = "unsubscribe";

  /** A page viewed. */
  public static final String PAGE_VIEW = "page_view";

  /** The types the loop itself reacts to (other valid types are kept for triggers only). */
  public static final List<String> WELL_KNOWN_TYPES =
      List.of(PURCHASE, CART_ABANDONED, EMAIL_OPEN, CLICK, COUPON_USED, UNSUBSCRIBE, PAGE_VIEW);

  /** The longest customer id accepted. */
  public static final int MAX_CUSTOMER_ID_LENGTH = 256;

  /**
   * Checks the values.
   *
   * @throws InvalidEventException naming the field, when a value is missing or of the wrong kind
   */
  public CustomerEvent {
    if (type == null || !Trigger.EVENT_TYPE.matcher(type).matches()) {
      throw new InvalidEventException(
          "type", "must be an event type of lowercase letters, digits and _, such as purchase");
    }
    if (customerId == null
        || customerId.isBlank()
        || customerId.length() > MAX_CUSTOMER_ID_LENGTH) {
      throw new InvalidEventException(
          "customerId", "must be a non-blank string of at most " + MAX_CUSTOMER_ID_LENGTH);
    }
    if (at == null) {
      throw new InvalidEventException("at", "is required: an ISO-8601 instant");
    }
    data = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(data, "data")));
    switch (type) {
      case PURCHASE:
        requireAmount(data, "amount");
        optionalText(data, "product");
        optionalText(data, "category");
        break;
      case CART_ABANDONED:
        requireAmount(data, "cartValue");
        if (data.get("items") != null && !(data.get("items") instanceof List)) {
          throw new InvalidEventException("data.items", "must be an array");
        }
        break;
      case UNSUBSCRIBE:
        optionalText(data, "channel");
        break;
      default:
        break;
    }
  }

  /** An event without data. */
  public static CustomerEvent of(String type, String customerId, Instant at) {
    return new CustomerEvent(type, customerId, at, Map.of());
  }

  /** A purchase of {@code amount}. */
  public static CustomerEvent purchase(String customerId, Instant at, BigDecimal amount) {
    return new CustomerEvent(PURCHASE, customerId, at, Map.of("amount", amount));
  }

  /** Whether the loop itself reacts to this type (see {@link #WELL_KNOWN_TYPES}). */
  public boolean isWellKnown() {
    return WELL_KNOWN_TYPES.contains(type);
  }

  /** A number of the data as a decimal, or null when absent or not a number. */
  public @Nullable BigDecimal decimal(String field) {
    return asDecimal(data.get(field));
  }

  /** A string of the data, or null when absent or not a string. */
  public @Nullable String text(String field) {
    return data.get(field) instanceof String s ? s : null;
  }

  /** The channel an {@value #UNSUBSCRIBE} withdraws consent for; null for every channel. */
  public @Nullable String unsubscribedChannel() {
    return UNSUBSCRIBE.equals(type) ? text("channel") : null;
  }

  private static @Nullable BigDecimal asDecimal(@Nullable Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof java.math.BigInteger b) {
      return new BigDecimal(b);
    }
    if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      return Double.isFinite(x) ? BigDecimal.valueOf(x) : null;
    }
    return null;
  }

  private static void requireAmount(Map<String, @Nullable Object> data, String field) {
    BigDecimal amount = asDecimal(data.get(field));
    if (amount == null || amount.signum() < 0) {
      throw new InvalidEventException("data." + field, "must be a non-negative number");
    }
  }

  private static void optionalText(Map<String, @Nullable Object> data, String field) {
    Object v = data.get(field);
    if (v != null && !(v instanceof String)) {
      throw new InvalidEventException("data." + field, "must be a string");
    }
  }
}
