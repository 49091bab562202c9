package dev.opagent.channels.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a Shopify order (the body of an {@code orders/create} webhook) the loop learns from.
 * Immutable. Its {@link #toString()} leaves out the e-mail address and phone number.
 *
 * @param orderId the order's id
 * @param customerId the Shopify customer's id ({@code customer.id}); null for a guest checkout
 * @param email the order's e-mail ({@code email}, else {@code customer.email}); null when none
 * @param phone the order's phone ({@code phone}, else {@code customer.phone}); null when none
 * @param totalPrice {@code total_price}: what the customer paid, in {@code currency}
 * @param currency {@code currency}, such as {@code EUR}
 * @param createdAt {@code created_at}
 * @param lineItems the products bought
 * @param discountCodes the codes of {@code discount_codes} used, in order
 */
public record ShopifyOrder(
    String orderId,
    @Nullable String customerId,
    @Nullable String email,
    @Nullable String phone,
    BigDecimal totalPrice,
    String currency,
    Instant createdAt,
    List<LineItem> lineItems,
    List<String> discountCodes) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Copies the lists. */
  public ShopifyOrder {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(totalPrice, "totalPrice");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(createdAt, "createdAt");
    lineItems = List.copyOf(lineItems);
    discountCodes = List.copyOf(discountCodes);
  }

  /**
   * One line of the order.
   *
   * @param productId the product: its {@code sku} when it has one, else its {@code product_id};
   *     null when it has neither (a custom line)
   * @param title {@code title}
   * @param quantity {@code quantity}
   * @param price {@code price} of one unit
   */
  public record LineItem(
      @Nullable String productId, @Nullable String title, int quantity, BigDecimal price) {}

  /**
   * Reads an order from a webhook's body.
   *
   * @throws WebhookException 400 naming the field that is missing or of the wrong kind (never its
   *     value)
   */
  public static ShopifyOrder parse(byte[] body) {
    JsonNode o;
    try {
      o = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw WebhookException.badRequest("body", "is not valid JSON");
    }
    if (o == null || !o.isObject()) {
      throw WebhookException.badRequest("body", "must be a JSON object: the order");
    }
    String id = id(o.get("id"));
    if (id == null) {
      throw WebhookException.badRequest("id", "is required: the order's id");
    }
    JsonNode customer = o.get("customer");
    String customerId = null;
    String email = text(o, "email");
    String phone = text(o, "phone");
    if (customer != null && customer.isObject()) {
      customerId = id(customer.get("id"));
      email = email != null ? email : text(customer, "email");
      phone = phone != null ? phone : text(customer, "phone");
    } else if (customer != null && !customer.isNull()) {
      throw WebhookException.badRequest("customer", "must be an object");
    }
    BigDecimal total = decimal(o.get("total_price"), "total_price");
    if (total == null) {
      throw WebhookException.badRequest("total_price", "is required: a non-negative amount");
    }
    String currency = text(o, "currency");
    if (currency == null) {
      throw WebhookException.badRequest("currency", "is required: an ISO 4217 code");
    }
    String created = text(o, "created_at");
    if (created == null) {
      throw WebhookException.badRequest("created_at", "is required: an ISO-8601 time");
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(created).toInstant();
    } catch (DateTimeParseException e) {
      throw WebhookException.badRequest("created_at", "must be an ISO-8601 time with an offset");
    }
    List<LineItem> items = new ArrayList<>();
    JsonNode lines = o.get("line_items");
    if (lines != null && !lines.isNull()) {
      if (!lines.isArray()) {
        throw WebhookException.badRequest("line_items", "must be an array");
      }
      for (int i = 0; i < lines.size(); i++) {
        items.add(lineItem(lines.get(i), "line_items[" + i + "]"));
      }
    }
    List<String> codes = new ArrayList<>();
    JsonNode discounts = o.get("discount_codes");
    if (discounts != null && !discounts.isNull()) {
      if (!discounts.isArray()) {
        throw WebhookException.badRequest("discount_codes", "must be an array");
      }
      for (int i = 0; i < discounts.size(); i++) {
        JsonNode d = discounts.get(i);
        String code = d != null && d.isObject() ? text(d, "code") : null;
        if (code == null) {
          throw WebhookException.badRequest("discount_codes[" + i + "].code", "is required");
        }
        codes.add(code);
      }
    }
    return new ShopifyOrder(id, customerId, email, phone, total, currency, at, items, codes);
  }

  private static LineItem lineItem(@Nullable JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw WebhookException.badRequest(where, "must be an object");
    }
    String sku = text(n, "sku");
    String product = sku != null ? sku : id(n.get("product_id"));
    JsonNode q = n.get("quantity");
    if (q == null || !q.canConvertToInt() || !q.isIntegralNumber() || q.intValue() < 0) {
      throw WebhookException.badRequest(where + ".quantity", "is required: a whole number");
    }
    BigDecimal price = decimal(n.get("price"), where + ".price");
    if (price == null) {
      throw WebhookException.badRequest(where + ".price", "is required: a non-negative amount");
    }
    return new LineItem(product, text(n, "title"), q.intValue(), price);
  }

  /** An id given as a number or a string; null when absent. */
  private static @Nullable String id(@Nullable JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    return n.isTextual() && !n.textValue().isBlank() ? n.textValue() : null;
  }

  private static @Nullable String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n != null && n.isTextual() && !n.textValue().isBlank() ? n.textValue() : null;
  }

  /** Shopify sends amounts as strings ({@code "249.90"}); numbers are read too. */
  private static @Nullable BigDecimal decimal(@Nullable JsonNode n, String field) {
    if (n == null || n.isNull()) {
      return null;
    }
    BigDecimal d;
    if (n.isNumber()) {
      d = n.decimalValue();
    } else if (n.isTextual()) {
      try {
        d = new BigDecimal(n.textValue().trim());
      } catch (NumberFormatException e) {
        throw WebhookException.badRequest(field, "must be a decimal amount");
      }
    } else {
      throw WebhookException.badRequest(field, "must be a decimal amount");
    }
    if (d.signum() < 0) {
      throw WebhookException.badRequest(field, "must not be negative");
    }
    return d;
  }

  @Override
  public String toString() {
    return "ShopifyOrder[orderId="
        + orderId
        + ", customerId="
        + customerId
        + ", totalPrice="
        + totalPrice
        + " "
        + currency
        + ", createdAt="
        + createdAt
        + ", lineItems="
        + lineItems.size()
        + ", discountCodes="
        + discountCodes.size()
        + "]";
  }
}
