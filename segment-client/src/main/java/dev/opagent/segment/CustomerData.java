package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.segment.internal.wire.Json;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the segment agent analyses: the payload's {@code customerData} object, exactly as in the
 * agent's integration guide. Immutable and thread-safe.
 *
 * <pre>{@code
 * CustomerData data = CustomerData.fromJson("""
 *     {"customerId": "C-1001", "city": "Istanbul",
 *      "customer": {"customerId": "C-1001", "age": 32, "gender": "F",
 *                   "registeredAt": "2024-03-15T00:00:00", "productHistory": []},
 *      "region": {"name": "Marmara", "climateType": "Temperate",
 *                 "medianBasket": 75.0, "trend": "SKINCARE"},
 *      "currentSeason": "Winter"}""");
 * }</pre>
 *
 * @param customerId the customer's identifier; required and non-blank
 * @param city the customer's city
 * @param customer the customer profile and purchase history
 * @param region the customer's region
 * @param currentSeason the season the analysis is for
 * @param extra members the SDK does not model, sent to the agent untouched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerData(
    String customerId,
    @Nullable String city,
    @Nullable Customer customer,
    @Nullable Region region,
    @Nullable Season currentSeason,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  /**
   * Copies {@code extra}. Only the presence of {@code customerId} is checked here; the full
   * validation ({@link CustomerDataValidator}) runs before every call.
   *
   * @throws NullPointerException when {@code customerId} is {@code null}
   */
  public CustomerData {
    java.util.Objects.requireNonNull(customerId, "customerId");
    extra = Json.extras(extra);
  }

  /** Customer data without extra members. */
  public CustomerData(
      String customerId,
      @Nullable String city,
      @Nullable Customer customer,
      @Nullable Region region,
      @Nullable Season currentSeason) {
    this(customerId, city, customer, region, currentSeason, Map.of());
  }

  /**
   * Parses customer data from JSON, either the bare object or wrapped as {@code {"customerData":
   * {...}}}.
   *
   * <p>Reading is bounded: a number token has at most 100 characters and at most 100 digits before
   * and after its decimal point (so {@code 1e50000000} is refused without being expanded), strings
   * at most 20,000,000 characters, nesting at most 200 levels; amounts and dates must be within
   * {@link CustomerDataValidator#boundsProblems(CustomerData)}. Other rules (a blank id, a negative
   * count) are left to {@link CustomerDataValidator}.
   *
   * @throws InvalidInputException naming the offending field when the JSON is malformed, breaks a
   *     bound or a value has the wrong type; the message never contains the value itself
   */
  public static CustomerData fromJson(String json) {
    return CustomerDataJson.parse(json);
  }

  /**
   * This customer data as the JSON object sent to the agent (without the wrapper).
   *
   * @throws InvalidInputException when an amount, a date or a number in an extra member is out of
   *     {@link CustomerDataValidator#boundsProblems(CustomerData)}'s bounds, naming the field
   */
  public String toJson() {
    return CustomerDataJson.write(this);
  }

  /**
   * The SHA-256 of this data's canonical JSON, as 64 lowercase hex digits: the object sent to the
   * agent with every object's members sorted by name, so data that differs only in member order
   * hashes equally, and any other change (a purchase, an amount's scale such as {@code 75.0}
   * against {@code 75.00}, an extra member) changes the hash. A segment store records it to tell
   * whether an earlier analysis still describes the data. Stable across processes and releases as
   * long as the wire form of the data is. (The client's answer cache uses a key of its own with the
   * same equality, made from the request body it writes anyway.)
   */
  public String canonicalHash() {
    return CustomerDataJson.canonicalHash(this);
  }
}
