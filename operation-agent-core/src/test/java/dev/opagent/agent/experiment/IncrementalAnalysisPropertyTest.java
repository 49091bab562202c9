package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * Incremental estimates on generated groups agree with Apache Commons Math's sample variance and
 * normal quantile, stay finite, and combine one campaign into itself.
 */
class IncrementalAnalysisPropertyTest {
  private static final double Z = new NormalDistribution().inverseCumulativeProbability(0.975);

  @Provide
  Arbitrary<List<Double>> revenues() {
    Arbitrary<Double> order =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(0.0)),
            net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0.01, 5_000).ofScale(2)));
    return order.list().ofMinSize(0).ofMaxSize(60);
  }

  private static GroupOutcome group(List<Double> revenues) {
    GroupOutcome.Tally t = GroupOutcome.tally();
    revenues.forEach(r -> t.add(r > 0, r));
    return t.toOutcome();
  }

  private static double[] array(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Property(tries = 500)
  void estimate_matchesCommonsMathAndStaysFinite(
      @ForAll("revenues") List<Double> treated,
      @ForAll("revenues") List<Double> comparison,
      @ForAll("costs") double cost) {
    IncrementalResult r =
        IncrementalAnalysis.ofDefaults().estimate(group(treated), group(comparison), cost);

    if (treated.size() < 2 || comparison.size() < 2) {
      assertThat(r).isInstanceOf(IncrementalResult.NotEnoughData.class);
      return;
    }
    IncrementalResult.Estimate e = (IncrementalResult.Estimate) r;
    double[] t = array(treated);
    double[] c = array(comparison);
    double d = StatUtils.mean(t) - StatUtils.mean(c);
    double se = Math.sqrt(StatUtils.variance(t) / t.length + StatUtils.variance(c) / c.length);
    double tolerance = 1e-6 * (1 + Math.abs(d) + se) * t.length;
    assertThat(e.incrementalRevenue()).isCloseTo(d * t.length, within(tolerance));
    assertThat(e.incrementalRevenueInterval().low())
        .isCloseTo((d - Z * se) * t.length, within(tolerance));
    assertThat(e.incrementalRevenueInterval().high())
        .isCloseTo((d + Z * se) * t.length, within(tolerance));
    assertThat(e.incrementalRevenueInterval().contains(e.incrementalRevenue())).isTrue();
    assertThat(e.conversionRateDifferenceInterval().contains(e.conversionRateDifference()))
        .isTrue();
    e.incrementalRoiInterval()
        .ifPresent(i -> assertThat(Double.isFinite(i.low()) && Double.isFinite(i.high())).isTrue());
    assertThat(e.incrementalRoi().isPresent()).isEqualTo(cost > 0);

    IncrementalResult.Estimate alone =
        (IncrementalResult.Estimate) IncrementalAnalysis.ofDefaults().combine(List.of(e));
    assertThat(alone.incrementalRevenue()).isCloseTo(e.incrementalRevenue(), within(tolerance));
    assertThat(alone.comparisonConversionRate())
        .isCloseTo(e.comparisonConversionRate(), within(1e-9));
    assertThat(alone.incrementalRevenueInterval().high())
        .isCloseTo(e.incrementalRevenueInterval().high(), within(tolerance));
  }

  @Provide
  Arbitrary<Double> costs() {
    return Arbitraries.oneOf(
        Arbitraries.just(0.0), Arbitraries.doubles().between(0.01, 10_000).ofScale(2));
  }
}
