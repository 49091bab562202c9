package dev.opagent.segment;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The label dimensions of a {@link SegmentAnalysis}, for distributions. Thread-safe (an enum). */
public enum SegmentDimension {
  /** {@code ageSegment}. */
  AGE("ageSegment", SegmentAnalysis::ageSegment),
  /** {@code churnSegment}. */
  CHURN("churnSegment", SegmentAnalysis::churnSegment),
  /** {@code valueSegment}. */
  VALUE("valueSegment", SegmentAnalysis::valueSegment),
  /** {@code loyaltyTier}. */
  LOYALTY("loyaltyTier", SegmentAnalysis::loyaltyTier),
  /** {@code affinityType}. */
  AFFINITY("affinityType", SegmentAnalysis::affinityType),
  /** {@code diversityProfile}. */
  DIVERSITY("diversityProfile", SegmentAnalysis::diversityProfile);

  private final String field;
  private final Function<SegmentAnalysis, @Nullable SegmentLabel> getter;

  SegmentDimension(String field, Function<SegmentAnalysis, @Nullable SegmentLabel> getter) {
    this.field = field;
    this.getter = getter;
  }

  /** The JSON field of the analysis, for example {@code churnSegment}. */
  public String field() {
    return field;
  }

  /** The label of {@code analysis} in this dimension, or {@code null} when absent. */
  public @Nullable SegmentLabel of(SegmentAnalysis analysis) {
    return getter.apply(analysis);
  }
}
