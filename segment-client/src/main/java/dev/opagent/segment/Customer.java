package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.opagent.segment.internal.wire.Json;
import dev.opagent.segment.internal.wire.WireDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The customer profile inside the payload's {@code customer} object. Immutable and thread-safe.
 *
 * @param customerId the customer's identifier; when present it must equal {@link
 *     CustomerData#customerId()}
 * @param age age in years (0–130), or {@code null} when unknown
 * @param gender gender as the host records it, for example {@code F}
 * @param registeredAt when the customer registered (zone-less values are UTC)
 * @param productHistory purchase history, one entry per product; empty for a new customer
 * @param extra members the SDK does not model, sent to the agent untouched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Customer(
    @Nullable String customerId,
    @Nullable Integer age,
    @Nullable String gender,
    @JsonSerialize(using = WireDateTime.Serializer.class)
        @JsonDeserialize(using = WireDateTime.Deserializer.class)
        @Nullable OffsetDateTime registeredAt,
    List<ProductHistory> productHistory,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  /** Copies the collections; a {@code null} history becomes empty. */
  public Customer {
    productHistory = productHistory == null ? List.of() : List.copyOf(productHistory);
    extra = Json.extras(extra);
  }

  /** A customer without extra members. */
  public Customer(
      @Nullable String customerId,
      @Nullable Integer age,
      @Nullable String gender,
      @Nullable OffsetDateTime registeredAt,
      List<ProductHistory> productHistory) {
    this(customerId, age, gender, registeredAt, productHistory, Map.of());
  }
}
