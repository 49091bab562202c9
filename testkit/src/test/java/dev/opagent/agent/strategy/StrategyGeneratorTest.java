package dev.opagent.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opagent.agent.spi.ConversionRates;
import dev.opagent.agent.spi.Observation;
import dev.opagent.rules.condition.ConditionCompiler;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentDistribution;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyGeneratorTest {
  private static final Populations.Segmented POPULATION = Populations.segmented(11, 800);

  /** Seed 001's clusters: purchase stage and price sensitivity, plus the agent's churn label. */
  private static List<Cluster> seedClusters() {
    return List.of(
        new Cluster(
            "c1",
            120,
            Map.of(
                "attributes.purchase_stage",
                "决策阶段",
                "attributes.price_sensitivity",
                "high",
                "segments.churnSegment",
                "Aktif")),
        new Cluster(
            "c2",
            300,
            Map.of(
                "attributes.purchase_stage",
                "浏览阶段",
                "attributes.price_sensitivity",
                "medium",
                "segments.churnSegment",
                "Aktif")),
        new Cluster(
            "c3",
            80,
            Map.of(
                "attributes.purchase_stage",
                "decision",
                "attributes.price_sensitivity",
                "low",
                "segments.churnSegment",
                "Ilık")),
        new Cluster(
            "c4",
            60,
            Map.of(
                "attributes.price_sensitivity",
                "high",
                "segments.churnSegment",
                "Kayıp",
                "derived.daysSinceLastPurchase",
                180)),
        new Cluster(
            "c5",
            40,
            Map.of(
                "attributes.price_sensitivity",
                "low",
                "segments.churnSegment",
                "Kayıp",
                "derived.daysSinceLastPurchase",
                120)));
  }

  private static long exactCount(StrategyTemplate t) {
    return POPULATION.candidates().stream().filter(c -> t.target().test(c.attributes())).count();
  }

  @Test
  void generate_distribution_singleDimensionAudiencesAreExact() {
    StrategyReport report =
        StrategyGenerator.ofDefaults().generate(Population.of(POPULATION.distribution()));
    StrategyTemplates lib = StrategyTemplates.bundled();

    for (String id :
        List.of(
            "winback_at_risk",
            "retention_warm",
            "repurchase_replenishment",
            "conversion_new_customer")) {
      StrategyTemplate t = lib.template(id).orElseThrow();
      long exact = exactCount(t);
      if (exact == 0) {
        assertThat(report.proposal(id)).as(id).isEmpty();
      } else {
        assertThat(report.proposal(id))
            .as(id)
            .get()
            .extracting(p -> p.audience().customers())
            .isEqualTo(exact);
      }
    }
    assertThat(report.populationSize()).isEqualTo(800);
  }

  @Test
  void generate_distribution_twoDimensionTargetAssumesIndependence() {
    StrategyReport report =
        StrategyGenerator.ofDefaults().generate(Population.of(POPULATION.distribution()));
    SegmentDistribution d = POPULATION.distribution();
    double premium = share(d, dev.opagent.segment.SegmentDimension.LOYALTY, "Platin", "Altın");
    double cooling = share(d, dev.opagent.segment.SegmentDimension.CHURN, "Ilık", "Riskli");

    StrategyProposal p = report.proposal("retention_premium").orElseThrow();

    assertThat(p.audience().customers()).isEqualTo(Math.round(premium * cooling * 800));
    assertThat(p.audience().assumptions()).anyMatch(a -> a.contains("independent"));
  }

  private static double share(
      SegmentDistribution d, dev.opagent.segment.SegmentDimension dim, String... values) {
    long n = 0;
    for (String v : values) {
      SegmentDistribution.Share s = d.shares(dim).get(v);
      n += s == null ? 0 : s.count();
    }
    return (double) n / d.analysed();
  }

  @Test
  void generate_distribution_skipsTargetsOnHostAttributesAsNotEstimable() {
    StrategyReport report =
        StrategyGenerator.ofDefaults().generate(Population.of(POPULATION.distribution()));

    assertThat(report.skipped())
        .filteredOn(s -> s.templateId().equals("conversion_decision_stage"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(SkippedTemplate.Reason.NOT_ESTIMABLE);
              assertThat(s.detail()).contains("attributes.purchase_stage");
            });
    assertThat(report.skipped())
        .extracting(SkippedTemplate::templateId)
        .contains("winback_lost_price_sensitive", "winback_lapsed_90_days");
  }

  @Test
  void generate_clusters_matchesPurchaseStageAndPriceSensitivity() {
    StrategyReport report =
        StrategyGenerator.ofDefaults().generate(Population.ofClusters(seedClusters()));

    assertThat(report.proposal("conversion_decision_stage"))
        .get()
        .satisfies(
            p -> {
              assertThat(p.audience().clusterIds()).containsExactly("c1", "c3");
              assertThat(p.audience().customers()).isEqualTo(200);
            });
    assertThat(report.proposal("conversion_browsing_stage"))
        .get()
        .extracting(p -> p.audience().clusterIds())
        .isEqualTo(List.of("c2"));
    assertThat(report.proposal("winback_lost_price_sensitive"))
        .get()
        .extracting(p -> p.audience().clusterIds())
        .isEqualTo(List.of("c4"));
    assertThat(report.proposal("winback_lapsed_90_days"))
        .get()
        .extracting(p -> p.audience().customers())
        .isEqualTo(100L);
    assertThat(report.skipped())
        .filteredOn(s -> s.templateId().equals("repurchase_replenishment"))
        .singleElement()
        .extracting(SkippedTemplate::reason)
        .isEqualTo(SkippedTemplate.Reason.AUDIENCE_TOO_SMALL);
    assertThat(report.populationSize()).isEqualTo(600);
  }

  @Test
  void predict_fromPrior_computesConversionsRevenueCostAndRoi() {
    StrategyTemplate t = StrategyTemplates.bundled().template("winback_at_risk").orElseThrow();
    Audience audience = new Audience(1000, 5000, List.of(), List.of());

    EffectPrediction e =
        StrategyGenerator.ofDefaults().predict(t, audience, ConversionHistory.none());

    // Beta(4, 46): mean 0.08; 10% holdout leaves 900 treated; 20% off a 75 order leaves 60.
    assertThat(e.treated()).isCloseTo(900, within(1e-9));
    assertThat(e.conversionRate()).isCloseTo(0.08, within(1e-12));
    assertThat(e.expectedConversions()).isCloseTo(72, within(1e-9));
    assertThat(e.expectedRevenue()).isEqualByComparingTo("4320.00");
    assertThat(e.cost()).isEqualByComparingTo("39.00"); // 900 × 0.01 + 30
    assertThat(e.roi()).isCloseTo((4320 - 39) / 39.0, within(1e-9));
    assertThat(e.conversionsLow()).isLessThan(72).isPositive();
    assertThat(e.conversionsHigh()).isGreaterThan(72);
    assertThat(e.roiLow()).isLessThan(e.roi());
    assertThat(e.usesHistory()).isFalse();
  }

  @Test
  void predict_withHistory_narrowsTheIntervalAroundTheObservedRate() {
    StrategyTemplate t = StrategyTemplates.bundled().template("winback_at_risk").orElseThrow();
    Audience audience = new Audience(1000, 5000, List.of(), List.of());
    StrategyGenerator g = StrategyGenerator.ofDefaults();

    EffectPrediction prior = g.predict(t, audience, ConversionHistory.none());
    EffectPrediction observed =
        g.predict(
            t,
            audience,
            ConversionHistory.builder().putTemplate("winback_at_risk", 30, 1000).build());

    assertThat(observed.conversionRate()).isCloseTo(34.0 / 1050, within(1e-12));
    assertThat(observed.conversionRateHigh() - observed.conversionRateLow())
        .isLessThan((prior.conversionRateHigh() - prior.conversionRateLow()) / 2);
    assertThat(observed.usesHistory()).isTrue();
    assertThat(observed.observed()).isEqualTo(new Observation(30, 1000));
  }

  @Test
  void conversionHistory_templateBeatsRatesBeatsType() {
    StrategyTemplates lib = StrategyTemplates.bundled();
    Map<String, Observation> recorded = new HashMap<>();
    recorded.put("strategy.winback_at_risk|send_email|Riskli", new Observation(5, 100));
    recorded.put("strategy.winback_at_risk|send_email|Kayıp", new Observation(1, 50));
    ConversionRates rates =
        (campaign, type, segment) ->
            recorded.getOrDefault(campaign + "|" + type + "|" + segment, Observation.NONE);
    ConversionHistory history =
        ConversionHistory.builder()
            .rates(rates, List.of("Riskli", "Kayıp", "Aktif"))
            .putType(StrategyType.WINBACK, 7, 70)
            .putTemplate("retention_warm", 2, 20)
            .build();

    assertThat(history.observedFor(lib.template("winback_at_risk").orElseThrow()))
        .isEqualTo(new Observation(6, 150));
    assertThat(history.observedFor(lib.template("winback_lost_price_sensitive").orElseThrow()))
        .isEqualTo(new Observation(7, 70));
    assertThat(history.observedFor(lib.template("retention_warm").orElseThrow()))
        .isEqualTo(new Observation(2, 20));
    assertThat(history.observedFor(lib.template("repurchase_cross_sell").orElseThrow()))
        .isEqualTo(Observation.NONE);
  }

  @Test
  void generate_proposals_areRankedByExpectedProfit() {
    StrategyReport report =
        StrategyGenerator.ofDefaults().generate(Population.ofClusters(seedClusters()));
    List<BigDecimal> profits =
        report.proposals().stream().map(p -> p.prediction().expectedProfit()).toList();

    assertThat(profits).isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void generate_limitsAndTypeFilter_reportWhatWasLeftOut() {
    StrategyReport report =
        StrategyGenerator.builder()
            .types(EnumSet.of(StrategyType.CONVERSION, StrategyType.WINBACK))
            .maxProposals(2)
            .build()
            .generate(Population.ofClusters(seedClusters()));

    assertThat(report.proposals())
        .hasSize(2)
        .allMatch(p -> p.type() == StrategyType.CONVERSION || p.type() == StrategyType.WINBACK);
    assertThat(report.skipped())
        .extracting(SkippedTemplate::reason)
        .contains(SkippedTemplate.Reason.RANKED_OUT, SkippedTemplate.Reason.TYPE_NOT_REQUESTED);
  }

  @Test
  void generate_emptyDistribution_yieldsNoProposals() {
    StrategyReport report =
        StrategyGenerator.ofDefaults()
            .generate(Population.of(SegmentDistribution.ofAnalyses(List.<SegmentAnalysis>of())));

    assertThat(report.proposals()).isEmpty();
    assertThat(report.populationSize()).isZero();
  }

  @Test
  void generate_orConditionWithinOneDimension_sumsTheShares() {
    StrategyTemplate base = StrategyTemplates.bundled().template("winback_at_risk").orElseThrow();
    StrategyTemplate either =
        new StrategyTemplate(
            "either",
            StrategyType.WINBACK,
            "Either",
            "",
            ConditionCompiler.ofDefaults()
                .compile(
                    "{\"$or\": [{\"segments.churnSegment\": \"Riskli\"},"
                        + " {\"segments.churnSegment\": \"Kayıp\"}]}"),
            base.plan(),
            50,
            0,
            base.prior(),
            base.economics(),
            List.of());
    StrategyGenerator g =
        StrategyGenerator.builder().templates(StrategyTemplates.of("one", List.of(either))).build();

    StrategyReport report = g.generate(Population.of(POPULATION.distribution()));

    long exact = exactCount(either);
    assertThat(report.proposal("either"))
        .get()
        .extracting(p -> p.audience().customers())
        .isEqualTo(exact);
  }

  @Test
  void builder_invalidSettings_failWithMessages() {
    assertThatThrownBy(() -> StrategyGenerator.builder().minAudience(0))
        .hasMessage("minAudience must be positive but was 0");
    assertThatThrownBy(() -> StrategyGenerator.builder().credibleLevel(1))
        .hasMessage("credibleLevel must be between 0 and 1 (exclusive) but was 1.0");
    assertThatThrownBy(() -> StrategyGenerator.builder().maxProposals(0))
        .hasMessage("maxProposals must be positive but was 0");
  }

  @Test
  void cluster_conflictingPaths_areRejected() {
    Cluster c = new Cluster("x", 1, Map.of("segments", "a", "segments.churnSegment", "b"));
    assertThatThrownBy(c::asDocument).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Cluster("x", -1, Map.of()))
        .hasMessage("cluster size must not be negative but was -1");
  }
}
