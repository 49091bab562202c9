package dev.opagent.agent.strategy;

import dev.opagent.agent.spi.ConversionRates;
import dev.opagent.agent.spi.Observation;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Observed conversions of past campaigns that turn a template's prior into a posterior. Immutable
 * and thread-safe (when the {@link ConversionRates} given is); the {@link Builder} is not.
 *
 * <p>A template's observations are, in this order: those recorded for it with {@link
 * Builder#putTemplate}; else those the feedback loop's {@link ConversionRates} holds for its rule
 * ({@code strategy.<template id>}) and its first plan step's action type, summed over the given
 * segments; else those recorded for its type with {@link Builder#putType}; else none.
 *
 * <pre>{@code
 * ConversionHistory history = ConversionHistory.builder()
 *     .putTemplate("winback_at_risk", 41, 800)      // 41 conversions out of 800 treated
 *     .putType(StrategyType.RETENTION, 120, 3000)
 *     .rates(feedbackLoopRates, List.of("Aktif", "Ilık", "Riskli", "Kayıp", "Yeni"))
 *     .build();
 * }</pre>
 */
public final class ConversionHistory {
  private static final ConversionHistory NONE = builder().build();

  private final Map<String, Observation> byTemplate;
  private final Map<StrategyType, Observation> byType;
  private final @Nullable ConversionRates rates;
  private final List<String> segments;

  private ConversionHistory(Builder b) {
    this.byTemplate = Map.copyOf(b.byTemplate);
    this.byType = Map.copyOf(b.byType);
    this.rates = b.rates;
    this.segments = List.copyOf(b.segments);
  }

  /** No history: predictions rest on the templates' priors. */
  public static ConversionHistory none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The observations that apply to {@code template}; {@link Observation#NONE} when none. */
  public Observation observedFor(StrategyTemplate template) {
    Observation own = byTemplate.get(template.id());
    if (own != null) {
      return own;
    }
    if (rates != null) {
      String rule = StrategyProposal.RULE_ID_PREFIX + template.id();
      String actionType = template.plan().actions().get(0).type();
      Observation sum = Observation.NONE;
      for (String segment : segments) {
        sum = plus(sum, rates.observed(rule, actionType, segment));
      }
      if (sum.trials() > 0) {
        return sum;
      }
    }
    return byType.getOrDefault(template.type(), Observation.NONE);
  }

  private static Observation plus(Observation a, Observation b) {
    return new Observation(a.successes() + b.successes(), a.trials() + b.trials());
  }

  /** Builds a {@link ConversionHistory}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Observation> byTemplate = new HashMap<>();
    private final Map<StrategyType, Observation> byType = new EnumMap<>(StrategyType.class);
    private @Nullable ConversionRates rates;
    private List<String> segments = List.of();

    private Builder() {}

    /** Adds observations of one template's campaigns (summed with earlier ones). */
    public Builder putTemplate(String templateId, long successes, long trials) {
      Objects.requireNonNull(templateId, "templateId");
      byTemplate.merge(templateId, new Observation(successes, trials), ConversionHistory::plus);
      return this;
    }

    /** Adds observations of every campaign of one type (summed with earlier ones). */
    public Builder putType(StrategyType type, long successes, long trials) {
      Objects.requireNonNull(type, "type");
      byType.merge(type, new Observation(successes, trials), ConversionHistory::plus);
      return this;
    }

    /**
     * The feedback loop's observations, read for each template's rule and summed over {@code
     * segments} (the segment keys the loop records under, by default churn segment wire values).
     * Default: none.
     */
    public Builder rates(ConversionRates rates, List<String> segments) {
      this.rates = Objects.requireNonNull(rates, "rates");
      if (segments.isEmpty()) {
        throw new IllegalArgumentException("segments must not be empty");
      }
      this.segments = List.copyOf(segments);
      return this;
    }

    public ConversionHistory build() {
      return new ConversionHistory(this);
    }
  }
}
