package dev.opagent.agent.strategy;

import dev.opagent.agent.spi.Observation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a population into ranked strategy proposals from a template library: for each template,
 * estimates the audience that satisfies its target, predicts conversions from the template's Beta
 * prior updated with observed history, prices revenue, cost and ROI, and ranks by expected profit.
 * Immutable and thread-safe; the {@link Builder} is not.
 *
 * <pre>{@code
 * StrategyGenerator generator = StrategyGenerator.builder()
 *     .credibleLevel(0.9)
 *     .minAudience(50)
 *     .build();
 * StrategyReport report = generator.generate(
 *     Population.of(SegmentDistribution.of(client.analyzeAll(customers))),
 *     ConversionHistory.builder().putTemplate("winback_at_risk", 41, 800).build());
 * for (StrategyProposal p : report.proposals()) {
 *   System.out.println(p.id() + " reaches " + p.audience().customers()
 *       + ", ROI " + p.prediction().roi());
 * }
 * String rules = report.toRuleJson("proposed campaigns");   // loads with RuleSetLoader
 * }</pre>
 */
public final class StrategyGenerator {
  private static final StrategyGenerator DEFAULTS = builder().build();

  private final StrategyTemplates templates;
  private final double credibleLevel;
  private final long minAudience;
  private final int maxProposals;
  private final Set<StrategyType> types;

  private StrategyGenerator(Builder b) {
    this.templates = b.templates;
    this.credibleLevel = b.credibleLevel;
    this.minAudience = b.minAudience;
    this.maxProposals = b.maxProposals;
    this.types = Set.copyOf(b.types);
  }

  /** The bundled templates, 90% intervals, audiences of at least 1, every type, no cap. */
  public static StrategyGenerator ofDefaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The template library in use. */
  public StrategyTemplates templates() {
    return templates;
  }

  /** Proposals from the templates' priors alone. */
  public StrategyReport generate(Population population) {
    return generate(population, ConversionHistory.none());
  }

  /** Proposals with predictions updated by {@code history}. */
  public StrategyReport generate(Population population, ConversionHistory history) {
    Objects.requireNonNull(population, "population");
    Objects.requireNonNull(history, "history");
    List<StrategyProposal> proposals = new ArrayList<>();
    List<SkippedTemplate> skipped = new ArrayList<>();
    for (StrategyTemplate t : templates.templates()) {
      if (!types.contains(t.type())) {
        skipped.add(
            new SkippedTemplate(
                t.id(),
                t.type(),
                SkippedTemplate.Reason.TYPE_NOT_REQUESTED,
                "type " + t.type() + " was not requested"));
        continue;
      }
      AudienceEstimator.Outcome outcome =
          population instanceof Population.Distribution d
              ? AudienceEstimator.estimate(t.target(), d.distribution())
              : AudienceEstimator.estimate(
                  t.target(), ((Population.Clusters) population).clusters());
      if (outcome instanceof AudienceEstimator.NotEstimable n) {
        skipped.add(
            new SkippedTemplate(
                t.id(), t.type(), SkippedTemplate.Reason.NOT_ESTIMABLE, n.reason()));
        continue;
      }
      Audience audience = ((AudienceEstimator.Estimated) outcome).audience();
      if (audience.customers() < minAudience) {
        skipped.add(
            new SkippedTemplate(
                t.id(),
                t.type(),
                SkippedTemplate.Reason.AUDIENCE_TOO_SMALL,
                "estimated audience "
                    + audience.customers()
                    + " is below the minimum of "
                    + minAudience));
        continue;
      }
      proposals.add(new StrategyProposal(t, audience, predict(t, audience, history)));
    }
    proposals.sort(
        Comparator.comparing((StrategyProposal p) -> p.prediction().expectedProfit())
            .reversed()
            .thenComparing(StrategyProposal::id));
    if (proposals.size() > maxProposals) {
      for (StrategyProposal p : proposals.subList(maxProposals, proposals.size())) {
        skipped.add(
            new SkippedTemplate(
                p.id(),
                p.type(),
                SkippedTemplate.Reason.RANKED_OUT,
                "ranked below the best " + maxProposals + " proposals"));
      }
      proposals = new ArrayList<>(proposals.subList(0, maxProposals));
    }
    return new StrategyReport(population.size(), proposals, skipped);
  }

  /** The prediction of one template for an audience. */
  public EffectPrediction predict(
      StrategyTemplate template, Audience audience, ConversionHistory history) {
    Observation observed = history.observedFor(template);
    BetaPrior posterior = template.prior().update(observed);
    double[] interval = posterior.credibleInterval(credibleLevel);
    double rate = posterior.mean();
    double treated = audience.customers() * (1 - template.holdoutPercentage() / 100.0);
    Economics econ = template.economics();
    double discount = template.plan().discount().map(Offer::discount).orElse(0.0);
    double netOrder = econ.averageOrderValue().doubleValue() * (1 - discount);
    double cost = treated * econ.costPerContact().doubleValue() + econ.fixedCost().doubleValue();
    double conversions = treated * rate;
    double low = treated * interval[0];
    double high = treated * interval[1];
    return new EffectPrediction(
        posterior,
        observed,
        credibleLevel,
        treated,
        rate,
        interval[0],
        interval[1],
        conversions,
        low,
        high,
        money(conversions * netOrder),
        money(cost),
        roi(conversions * netOrder, cost),
        roi(low * netOrder, cost),
        roi(high * netOrder, cost));
  }

  private static BigDecimal money(double v) {
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
  }

  private static double roi(double revenue, double cost) {
    return cost == 0 ? 0 : (revenue - cost) / cost;
  }

  /** Builds a {@link StrategyGenerator}. Not thread-safe. */
  public static final class Builder {
    private StrategyTemplates templates = StrategyTemplates.bundled();
    private double credibleLevel = 0.9;
    private long minAudience = 1;
    private int maxProposals = Integer.MAX_VALUE;
    private final Set<StrategyType> types = EnumSet.allOf(StrategyType.class);

    private Builder() {}

    /**
     * The template library. Default {@link StrategyTemplates#bundled()}; hosts load their own with
     * {@link StrategyTemplates#load} to tune targets, offers and priors without a release.
     */
    public Builder templates(StrategyTemplates templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    /**
     * Probability mass of the conversion interval. Default 0.9; raise it for more conservative low
     * ends when budgets are tight.
     */
    public Builder credibleLevel(double credibleLevel) {
      if (!(credibleLevel > 0 && credibleLevel < 1)) {
        throw new IllegalArgumentException(
            "credibleLevel must be between 0 and 1 (exclusive) but was " + credibleLevel);
      }
      this.credibleLevel = credibleLevel;
      return this;
    }

    /**
     * Smallest audience worth a campaign. Default 1; raise it so that tiny segments do not become
     * campaigns whose results cannot be measured.
     */
    public Builder minAudience(long minAudience) {
      if (minAudience < 1) {
        throw new IllegalArgumentException("minAudience must be positive but was " + minAudience);
      }
      this.minAudience = minAudience;
      return this;
    }

    /** Most proposals returned, best first. Default: no limit. */
    public Builder maxProposals(int maxProposals) {
      if (maxProposals < 1) {
        throw new IllegalArgumentException("maxProposals must be positive but was " + maxProposals);
      }
      this.maxProposals = maxProposals;
      return this;
    }

    /** Restricts proposals to these types. Default: all four. */
    public Builder types(Set<StrategyType> types) {
      if (types.isEmpty()) {
        throw new IllegalArgumentException("types must not be empty");
      }
      this.types.clear();
      this.types.addAll(types);
      return this;
    }

    public StrategyGenerator build() {
      return new StrategyGenerator(this);
    }
  }
}
