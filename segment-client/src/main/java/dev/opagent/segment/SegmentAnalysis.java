package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.opagent.segment.internal.wire.Json;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The segments the agent assigned to one customer: the {@code analysis} object of its answer.
 * Immutable and thread-safe.
 *
 * <p>A dimension the agent did not return is {@code null}; a label the SDK does not know is kept
 * as-is (see {@link SegmentLabel}); members beyond the seven modelled ones are preserved in {@link
 * #extra()} and written back unchanged.
 *
 * @param ageSegment age band
 * @param churnSegment recency relative to the customer's cadence ({@code Riskli} = at risk)
 * @param valueSegment monthly spend relative to the region
 * @param loyaltyTier loyalty tier ({@code Platin}, {@code Altın}, …)
 * @param affinityType how the customer's top category relates to the regional trend
 * @param diversityProfile how many categories the customer buys
 * @param missingRegulars regular products that are overdue; empty when none
 * @param extra any further members of the agent's answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentAnalysis(
    @Nullable AgeSegment ageSegment,
    @Nullable ChurnSegment churnSegment,
    @Nullable ValueSegment valueSegment,
    @Nullable LoyaltyTier loyaltyTier,
    @Nullable AffinityType affinityType,
    @Nullable DiversityProfile diversityProfile,
    @JsonDeserialize(using = MissingRegularsDeserializer.class) @JsonProperty("missingRegulars")
        List<MissingRegular> missingRegulars,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  /** Copies the collections; a {@code null} list of missing regulars becomes empty. */
  public SegmentAnalysis {
    missingRegulars = missingRegulars == null ? List.of() : List.copyOf(missingRegulars);
    extra = Json.extras(extra);
  }

  /** An analysis without extra members. */
  public SegmentAnalysis(
      @Nullable AgeSegment ageSegment,
      @Nullable ChurnSegment churnSegment,
      @Nullable ValueSegment valueSegment,
      @Nullable LoyaltyTier loyaltyTier,
      @Nullable AffinityType affinityType,
      @Nullable DiversityProfile diversityProfile,
      List<MissingRegular> missingRegulars) {
    this(
        ageSegment,
        churnSegment,
        valueSegment,
        loyaltyTier,
        affinityType,
        diversityProfile,
        missingRegulars,
        Map.of());
  }

  /** Whether the customer has overdue regular products (the replenishment campaign's trigger). */
  public boolean hasMissingRegulars() {
    return !missingRegulars.isEmpty();
  }

  /**
   * Reads an analysis written by {@link #toJson()} (the {@code analysis} object of an agent's
   * answer), such as one kept in a segment store. Labels the SDK does not know and extra members
   * are kept, as on the wire.
   *
   * @throws IllegalArgumentException when {@code json} is not a JSON object of that shape, or
   *     breaks {@code Json}'s bounds (such as a number like {@code 1e50000000}); the message names
   *     what is wrong and where, never the content
   */
  public static SegmentAnalysis fromJson(String json) {
    java.util.Objects.requireNonNull(json, "json");
    JsonNode node;
    try {
      node = Json.readTree(json);
    } catch (Json.UnreadableJsonException e) {
      throw new IllegalArgumentException(
          "the segment analysis is not valid JSON within bounds: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the segment analysis must be a JSON object");
    }
    try {
      return Json.MAPPER.treeToValue(node, SegmentAnalysis.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException
        | IllegalArgumentException
        | ArithmeticException e) {
      throw new IllegalArgumentException(
          "the segment analysis has a member of the wrong type ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** This analysis as the JSON object the agent returns in {@code analysis}. */
  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("segment analysis could not be written as JSON", e);
    }
  }
}
