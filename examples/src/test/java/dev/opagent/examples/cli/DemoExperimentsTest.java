package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static JsonNode summary;
  private static String text;

  @BeforeAll
  static void runDemo() throws IOException {
    StringWriter output = new StringWriter();
    Path out = dir.resolve("demo");
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
