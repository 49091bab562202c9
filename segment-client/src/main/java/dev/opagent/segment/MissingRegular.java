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
 * A product the customer buys regularly but has not bought for longer than usual (an element of
 * {@code missingRegulars}). Immutable and thread-safe.
 *
 * @param productId the product
 * @param category its category
 * @param expectedEveryDays the customer's usual days between two orders of it
 * @param daysSinceLastPurchase days since it was last bought
 * @param daysOverdue days past the expected re-order day (last purchase + the usual interval); a
 *     product is listed once more than 1.5 usual intervals have passed
 * @param lastPurchase when it was last bought
 * @param extra members the SDK does not model, kept untouched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MissingRegular(
    @Nullable String productId,
    @Nullable String category,
    @Nullable BigDecimal expectedEveryDays,
    @Nullable Integer daysSinceLastPurchase,
    @Nullable Integer daysOverdue,
    @JsonSerialize(using = WireDateTime.Serializer.class)
        @JsonDeserialize(using = WireDateTime.Deserializer.class)
        @Nullable OffsetDateTime lastPurchase,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  /** Copies {@code extra}. */
  public MissingRegular {
    extra = Json.extras(extra);
  }

  /** A missing regular without extra members. */
  public MissingRegular(
      @Nullable String productId,
      @Nullable String category,
      @Nullable BigDecimal expectedEveryDays,
      @Nullable Integer daysSinceLastPurchase,
      @Nullable Integer daysOverdue,
      @Nullable OffsetDateTime lastPurchase) {
    this(
        productId,
        category,
        expectedEveryDays,
        daysSinceLastPurchase,
        daysOverdue,
        lastPurchase,
        Map.of());
  }
}
