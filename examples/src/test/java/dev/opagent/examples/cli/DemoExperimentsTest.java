package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.store.OperatingStore;
import dev.opagent.store.RecordedRound;
import dev.opagent.store.StrategyEffect;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's experiment figures agree with its data: the bandit keeps the equal split until each
 * arm has its minimum sample, a verdict calls only a variant ahead of the control the best, and the
 * incremental figures are there, finite, for each campaign and overall.
 */
class DemoExperimentsTest {
  @TempDir static Path dir;
  private static Path out;
  private static JsonNode summary;
  private static String text;

  @BeforeAll
  static void runDemo() throws IOException {
    StringWriter output = new StringWriter();
    out = dir.resolve("demo");
    int code =
        OpagentCommand.commandLine()
            .setOut(new PrintWriter(output, true))
            .setErr(new PrintWriter(output, true))
            .execute(
                "demo",
                "--count",
                "1000",
                "--request-quota",
                "2000",
                "--latency",
                "5ms",
                "--output",
                out.toString());
    assertThat(code).as(output::toString).isZero();
    text = Files.readString(out.resolve("summary.json"), StandardCharsets.UTF_8);
    summary = JsonLines.MAPPER.readTree(text);
  }

  @Test
  void store_keepsTheRoundsTheBanditsRoundsAndTheCountsTheReportAnalysed() {
    try (OperatingStore store =
        OperatingStore.open("jdbc:h2:file:" + out.resolve("store").toAbsolutePath(), "sa", "")) {
      List<RecordedRound> rounds = store.rounds(10);
      assertThat(rounds).hasSize(summary.get("rounds").size());
      assertThat(rounds).allSatisfy(r -> assertThat(r.customers()).isEqualTo(1000));
      for (JsonNode b : summary.get("bandit")) {
        String id = b.get("experiment").asText();
        List<Allocation> recorded = store.feedback().allocations(id);
        assertThat(recorded).as(id).hasSize(b.get("rounds").size());
        for (int i = 0; i < recorded.size(); i++) {
          assertThat(recorded.get(i).weight("B"))
              .as(id + " round " + (i + 1))
              .isEqualTo(b.at("/rounds/" + i + "/weights/B").asDouble());
        }
      }
      Map<String, Long> conversions = new HashMap<>();
      for (StrategyEffect e : store.feedback().strategyEffects()) {
        if (e.variant() != null) {
          conversions.merge(e.campaign() + "/" + e.variant(), e.metrics().conversions(), Long::sum);
        }
      }
      for (JsonNode e : summary.get("experiments")) {
        for (JsonNode v : e.get("variants")) {
          assertThat(
                  conversions.getOrDefault(
                      e.get("campaign").asText() + "/" + v.get("name").asText(), 0L))
              .as(e.get("campaign").asText() + " " + v.get("name").asText())
              .isEqualTo(v.get("conversions").asLong());
        }
      }
    }
  }

  @Test
  void bandit_firstRound_keepsTheEqualSplitForEveryCampaign() {
    assertThat(summary.get("bandit").size()).isPositive();
    for (JsonNode b : summary.get("bandit")) {
      JsonNode first = b.at("/rounds/0");
      assertThat(first.get("exploring").asBoolean()).as(b.get("campaign").asText()).isTrue();
      assertThat(first.at("/weights/B").asDouble()).as(b.get("campaign").asText()).isEqualTo(0.5);
    }
  }

  @Test
  void experiments_verdictNeverCallsAVariantBehindControlTheBest() {
    for (JsonNode e : summary.get("experiments")) {
      String verdict = e.get("verdict").asText();
      double lift = e.get("lift").asDouble();
      if (lift <= 0) {
        assertThat(verdict).as(e.get("campaign").asText()).doesNotContain("B is the best");
      }
      assertThat(verdict).doesNotContain("the best variant, B");
    }
  }

  @Test
  void experiments_carryProbabilityBestAndIncrementalFiguresPerCampaignAndOverall() {
    for (JsonNode e : summary.get("experiments")) {
      double sum =
          e.at("/probabilityBest/control").asDouble() + e.at("/probabilityBest/B").asDouble();
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(e.at("/incremental/vsHoldout/state").asText()).isIn("estimated", "notEnoughData");
      assertThat(e.at("/incremental/vsControl/state").asText()).isIn("estimated", "notEnoughData");
    }
    JsonNode overall = summary.at("/incremental/overall/vsHoldout");
    assertThat(overall.get("state").asText()).isEqualTo("estimated");
    assertThat(overall.get("incrementalRevenueCi").size()).isEqualTo(2);
    assertThat(overall.get("incrementalRevenue").asDouble())
        .isBetween(
            overall.at("/incrementalRevenueCi/0").asDouble(),
            overall.at("/incrementalRevenueCi/1").asDouble());
    assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
  }
}
