package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's {@code decisions} block adds up: sums over rounds match the rounds, distinct customers
 * match the delivered actions file, every customer of a round is in exactly one stage, and the
 * holdout is counted in customers.
 */
class DemoDecisionsTest {
  private static final int CUSTOMERS = 300;
  private static final int ROUNDS = 3;

  @TempDir static Path dir;
  private static JsonNode summary;
  private static JsonNode decisions;

  @BeforeAll
  static void runDemo() throws IOException {
    StringWriter output = new StringWriter();
    int exit =
        OpagentCommand.commandLine()
            .setOut(new PrintWriter(output, true))
            .setErr(new PrintWriter(output, true))
            .execute(
                "demo",
                "--count",
                String.valueOf(CUSTOMERS),
                "--rounds",
                String.valueOf(ROUNDS),
                "--request-quota",
                "400",
                "--latency",
                "5ms",
                "--error-rate",
                "0",
                "--output",
                dir.toString());
    assertThat(exit).as(output::toString).isZero();
    summary = JsonLines.MAPPER.readTree(dir.resolve("summary.json").toFile());
    decisions = summary.get("decisions");
  }

  @Test
  void decisions_sumsOverRounds_matchEachRoundAndSayHowManyRounds() {
    assertThat(decisions.get("rounds").asInt()).isEqualTo(ROUNDS);
    JsonNode byRound = decisions.get("byRound");
    assertThat(byRound).hasSize(ROUNDS);
    for (String k : new String[] {"planned", "executed", "deferred", "failed"}) {
      long sum = 0;
      for (JsonNode r : byRound) {
        sum += r.get(k).asLong();
      }
      assertThat(sum).as(k).isEqualTo(decisions.get(k).asLong());
    }
    Map<String, Long> reasons = new TreeMap<>();
    byRound.forEach(
        r ->
            r.get("notChosenByReason")
                .properties()
                .forEach(e -> reasons.merge(e.getKey(), e.getValue().asLong(), Long::sum)));
    Map<String, Long> suppressed = new TreeMap<>();
    decisions
        .get("suppressed")
        .properties()
        .forEach(e -> suppressed.put(e.getKey(), e.getValue().asLong()));
    assertThat(reasons).isEqualTo(suppressed);
    assertThat(decisions.get("notChosen").asLong())
        .isEqualTo(suppressed.values().stream().mapToLong(Long::longValue).sum());
    assertThat(summary.get("currency").asText()).isEqualTo("TRY");
  }

  @Test
  void decisions_distinctCustomersReached_areTheCustomersOfTheDeliveredActions()
      throws IOException {
    Set<String> delivered = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("actions.jsonl"))) {
      delivered.add(JsonLines.MAPPER.readTree(line).get("customerId").asText());
    }
    assertThat(delivered).isNotEmpty();
    assertThat(decisions.at("/customers/reached").asLong()).isEqualTo(delivered.size());
    long perRound = 0;
    for (JsonNode r : decisions.get("byRound")) {
      perRound += r.get("reached").asLong();
    }
    assertThat(perRound).isGreaterThanOrEqualTo(delivered.size());
  }

  @Test
  void decisions_everyCustomerOfARound_isInExactlyOneStage() {
    for (JsonNode r : decisions.get("byRound")) {
      long stages =
          r.get("actionsPlanned").asLong()
              + r.get("heldOut").asLong()
              + r.get("notEligible").asLong()
              + r.get("nothingChosen").asLong()
              + r.get("segmentationFailed").asLong();
      assertThat(stages).as("round %s", r.get("round")).isEqualTo(CUSTOMERS);
      assertThat(r.get("customers").asLong()).isEqualTo(CUSTOMERS);
      long byReason = 0;
      for (JsonNode n : r.get("nothingChosenByReason")) {
        byReason += n.asLong();
      }
      assertThat(byReason).isEqualTo(r.get("nothingChosen").asLong());
      assertThat(r.get("reached").asLong()).isLessThanOrEqualTo(r.get("actionsPlanned").asLong());
      assertThat(r.get("date").asText()).startsWith("2026-03-");
    }
  }

  @Test
  void decisions_heldOut_countsDistinctCustomersOfTheFivePercentHoldout() {
    long heldOut = decisions.get("heldOut").asLong();
    assertThat(heldOut).isEqualTo(decisions.at("/customers/heldOut").asLong());
    assertThat((double) heldOut / CUSTOMERS).isBetween(0.01, 0.10);
    long max = 0;
    long sum = 0;
    for (JsonNode r : decisions.get("byRound")) {
      max = Math.max(max, r.get("heldOut").asLong());
      sum += r.get("heldOut").asLong();
    }
    assertThat(heldOut).isBetween(max, sum);
  }
}
