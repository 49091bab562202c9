package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.opagent.segment.internal.wire.Json;
import dev.opagent.segment.internal.wire.WireDateTime;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One product in a customer's purchase history (an element of {@code productHistory}). Immutable
 * and thread-safe.
 *
 * @param productId product identifier, for example {@code P-2001}
 * @param category product category, for example {@code SKINCARE}
 * @param totalQuantity units bought in all
 * @param totalSpent money spent on the product in all
 * @param orderCount number of orders that contained the product
 * @param lastPurchase when it was last bought (zone-less values are UTC)
 * @param avgDaysBetween average days between two orders of it
 * @param extra members the SDK does not model, sent to the agent untouched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductHistory(
    @Nullable String productId,
    @Nullable String category,
    @Nullable Integer totalQuantity,
    @Nullable BigDecimal totalSpent,
    @Nullable Integer orderCount,
    @JsonSerialize(using = WireDateTime.Serializer.class)
        @JsonDeserialize(using = WireDateTime.Deserializer.class)
        @Nullable OffsetDateTime lastPurchase,
    @Nullable BigDecimal avgDaysBetween,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  /** Copies {@code extra}. */
  public ProductHistory {
    extra = Json.extras(extra);
  }

  /** A product history entry without extra members. */
  public ProductHistory(
      @Nullable String productId,
      @Nullable String category,
      @Nullable Integer totalQuantity,
      @Nullable BigDecimal totalSpent,
      @Nullable Integer orderCount,
      @Nullable OffsetDateTime lastPurchase,
      @Nullable BigDecimal avgDaysBetween) {
    this(
        productId,
        category,
        totalQuantity,
        totalSpent,
        orderCount,
        lastPurchase,
        avgDaysBetween,
        Map.of());
  }
}
