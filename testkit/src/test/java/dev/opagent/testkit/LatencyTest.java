package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyTest {
  @ParameterizedTest
  @CsvSource({
    "200ms, 200000000", "2s, 2000000000", "1.5s, 1500000000", "500us, 500000",
    "1m, 60000000000", "PT0.2S, 200000000", "0, 0", "' 250 ms ', 250000000",
  })
  void parseDuration_acceptedForms(String text, long nanos) {
    assertThat(Latency.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "fast", "-5ms", "200", "2 days", "PT-1S"})
  void parseDuration_badText_namesTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Latency.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("such as 200ms");
  }

  @Test
  void parse_eachForm() {
    assertThat(Latency.parse("none")).isEqualTo(Latency.none());
    assertThat(Latency.parse("0")).isEqualTo(Latency.none());
    assertThat(Latency.parse("200ms")).isEqualTo(Latency.fixed(Duration.ofMillis(200)));
    assertThat(Latency.parse("100ms..300ms"))
        .isEqualTo(Latency.uniform(Duration.ofMillis(100), Duration.ofMillis(300)));
    assertThat(Latency.parse("lognormal(2s, 0.5)"))
        .isEqualTo(Latency.logNormal(Duration.ofSeconds(2), 0.5));
    assertThat(Latency.parse("lognormal(2s,0.5)").toString()).isEqualTo("lognormal(2s,0.5)");
    assertThat(Latency.parse("100ms..300ms").toString()).isEqualTo("100ms..300ms");
  }

  @Test
  void parse_badValues_failWithSpecificMessages() {
    assertThatThrownBy(() -> Latency.parse("soon"))
        .hasMessageContaining("latency must be none, a duration such as 200ms");
    assertThatThrownBy(() -> Latency.parse("300ms..100ms"))
        .hasMessage("max must be at least min (300ms) but was 100ms");
    assertThatThrownBy(() -> Latency.parse("lognormal(2s,x)"))
        .hasMessage("latency sigma must be a number but was 'x'");
    assertThatThrownBy(() -> Latency.logNormal(Duration.ofSeconds(1), 5))
        .hasMessage("sigma must be between 0 and 4 but was 5.0");
    assertThatThrownBy(() -> Latency.fixed(Duration.ofMinutes(16)))
        .hasMessage("latency must be at most 15 minutes (AgentCore's limit) but was 960s");
  }

  @Test
  void sample_fixedAndNone() {
    SplittableRandom r = new SplittableRandom(1);
    assertThat(Latency.fixed(Duration.ofMillis(7)).sample(r)).isEqualTo(Duration.ofMillis(7));
    assertThat(Latency.none().sample(r)).isZero();
  }

  @Test
  void sample_uniform_staysWithinBoundsAndSpreads() {
    SplittableRandom r = new SplittableRandom(2);
    Latency uniform = Latency.uniform(Duration.ofMillis(100), Duration.ofMillis(300));
    long[] millis =
        IntStream.range(0, 10_000).mapToLong(i -> uniform.sample(r).toMillis()).toArray();

    assertThat(Arrays.stream(millis).min().getAsLong()).isBetween(100L, 102L);
    assertThat(Arrays.stream(millis).max().getAsLong()).isBetween(298L, 300L);
    assertThat(Arrays.stream(millis).average().getAsDouble()).isBetween(195.0, 205.0);
  }

  @Test
  void sample_logNormal_hasTheMedianAndALongTail() {
    SplittableRandom r = new SplittableRandom(3);
    Latency ln = Latency.logNormal(Duration.ofMillis(200), 0.5);
    long[] millis =
        IntStream.range(0, 20_000).mapToLong(i -> ln.sample(r).toMillis()).sorted().toArray();

    assertThat(millis[10_000]).isBetween(190L, 210L);
    // 99th percentile of a log-normal: median · e^(2.326 σ) ≈ 640 ms
    assertThat(millis[19_800]).isBetween(560L, 720L);
    assertThat(millis[0]).isPositive();
  }

  @Test
  void sample_sameSeed_sameSequence() {
    Latency ln = Latency.logNormal(Duration.ofMillis(200), 1);
    SplittableRandom a = new SplittableRandom(9);
    SplittableRandom b = new SplittableRandom(9);

    for (int i = 0; i < 100; i++) {
      assertThat(ln.sample(a)).isEqualTo(ln.sample(b));
    }
  }
}
