package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.segment.internal.wire.Json;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The customer's region as the payload's {@code region} object carries it. Immutable and
 * thread-safe.
 *
 * @param name region name, for example {@code Marmara}
 * @param climateType climate, for example {@code Temperate}
 * @param medianBasket the region's median monthly basket, in the shop's currency
 * @param trend the region's trending category, for example {@code SKINCARE}
 * @param extra members the SDK does not model, sent to the agent untouched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Region(
    @Nullable String name,
    @Nullable String climateType,
    @Nullable BigDecimal medianBasket,
    @Nullable String trend,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  /** Copies {@code extra}. */
  public Region {
    extra = Json.extras(extra);
  }

  /** A region without extra members. */
  public Region(
      @Nullable String name,
      @Nullable String climateType,
      @Nullable BigDecimal medianBasket,
      @Nullable String trend) {
    this(name, climateType, medianBasket, trend, Map.of());
  }
}
