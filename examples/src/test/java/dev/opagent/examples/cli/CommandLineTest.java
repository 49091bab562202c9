package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.SimulatorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: the seed's customers through the simulator, then the rules. */
class CommandLineTest {
  private static final Path SEED_CUSTOMERS = Path.of("data/seed-customers.jsonl");
  private static AgentSimulator simulator;

  @TempDir Path dir;
  private final StringWriter output = new StringWriter();

  /** Runs the command line with its output captured, so tests print only their results. */
  private int execute(String... args) {
    return OpagentCommand.commandLine()
        .setOut(new PrintWriter(output, true))
        .setErr(new PrintWriter(output, true))
        .execute(args);
  }

  @BeforeAll
  static void startSimulator() {
    simulator = AgentSimulator.start(SimulatorConfig.builder().clock(Fixtures.seedClock()).build());
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }

  private int segment(Path input, Path output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "segment",
                "--customers",
                input.toString(),
                "--output",
                output.toString(),
                "--endpoint",
                simulator.endpoint().toString(),
                "--agent-arn",
                simulator.agentRuntimeArn()));
    args.addAll(List.of(extra));
    return execute(args.toArray(String[]::new));
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JsonLines.MAPPER.readTree(line));
    }
    return out;
  }

  @Test
  void segmentThenEligibility_seedCustomers_matchTheWorkedExample() throws IOException {
    Path results = dir.resolve("results.jsonl");
    assertThat(segment(SEED_CUSTOMERS, results)).as(output::toString).isZero();

    List<JsonNode> out = lines(results);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).get("customerId").asText()).isEqualTo("C-TEST-001");
    assertThat(out.get(0).at("/analysis/churnSegment").asText()).isEqualTo("Yeni");
    JsonNode active = out.get(1).get("analysis");
    assertThat(out.get(1).get("status").asText()).isEqualTo("SUCCESS");
    assertThat(active.get("churnSegment").asText()).isEqualTo("Ilık");
    assertThat(active.get("valueSegment").asText()).isEqualTo("LowValue");
    assertThat(active.get("loyaltyTier").asText()).isEqualTo("Gümüş");
    assertThat(active.get("diversityProfile").asText()).isEqualTo("Sadık");
    assertThat(active.get("affinityType").asText()).isEqualTo("TrendFollower");
    assertThat(active.get("ageSegment").asText()).isEqualTo("25-34");
    assertThat(active.at("/missingRegulars/0/productId").asText()).isEqualTo("P-2001");
    assertThat(active.at("/missingRegulars/0/daysOverdue").asInt()).isEqualTo(24);
    assertThat(active.at("/missingRegulars/0/expectedEveryDays").toString()).isEqualTo("30");

    Path eligibility = dir.resolve("eligibility.jsonl");
    assertThat(
            execute(
                "eligibility",
                "--segments",
                results.toString(),
                "--output",
                eligibility.toString(),
                "--as-of",
                "2026-03-15"))
        .as(output::toString)
        .isZero();
    List<JsonNode> verdicts = lines(eligibility);
    assertThat(verdicts.get(0).get("eligible")).isEmpty();
    assertThat(verdicts.get(1).get("eligible").toString())
        .isEqualTo("[\"retention\",\"replenishment\"]");
  }

  @Test
  void segment_badLinesAmongGoodOnes_failAloneInOrderAndExitThree() throws IOException {
    Path input = dir.resolve("mixed.jsonl");
    List<String> seed = Files.readAllLines(SEED_CUSTOMERS, StandardCharsets.UTF_8);
    Files.write(
        input,
        List.of(
            seed.get(0),
            "not json",
            "{\"city\":\"Ankara\"}",
            "{\"customerId\":\"C-9\",\"customer\":{\"age\":140}}",
            "",
            seed.get(1)));
    Path results = dir.resolve("results.jsonl");
    long before = simulator.stats().requests();

    assertThat(segment(input, results)).isEqualTo(3);

    List<JsonNode> out = lines(results);
    assertThat(out)
        .extracting(n -> n.get("status").asText())
        .containsExactly("SUCCESS", "FAILED", "FAILED", "FAILED", "FAILED", "SUCCESS");
    assertThat(out.get(1).get("customerId").isNull()).isTrue();
    assertThat(out.get(3).get("customerId").asText()).isEqualTo("C-9");
    assertThat(out.subList(1, 5))
        .allSatisfy(
            n -> {
              assertThat(n.at("/error/code").asText()).isEqualTo("INVALID_INPUT");
              assertThat(n.at("/error/attempts").asInt()).isZero();
            });
    assertThat(out.get(3).at("/error/message").asText())
        .contains("customer.age")
        .doesNotContain("140");
    assertThat(simulator.stats().requests() - before).isLessThanOrEqualTo(2);
  }

  @Test
  void segment_missingInputFile_exitsTwo() {
    assertThat(segment(dir.resolve("absent.jsonl"), dir.resolve("out.jsonl"))).isEqualTo(2);
  }

  @Test
  void segment_badDuration_exitsTwo() {
    assertThat(segment(SEED_CUSTOMERS, dir.resolve("out.jsonl"), "--timeout", "soon")).isEqualTo(2);
  }

  @Test
  void eligibility_invalidRulesFile_exitsTwo() throws IOException {
    Path rules = dir.resolve("rules.json");
    Files.writeString(
        rules,
        "[{\"rule_id\":\"x\",\"name\":\"X\",\"conditions\":{\"a\":{\"$bogus\":1}},"
            + "\"actions\":[{\"type\":\"send_email\"}],\"priority\":1,\"enabled\":true}]");
    assertThat(
            execute(
                "eligibility",
                "--rules",
                rules.toString(),
                "--segments",
                SEED_CUSTOMERS.toString(),
                "--output",
                dir.resolve("e.jsonl").toString()))
        .isEqualTo(2);
  }

  @Test
  void generate_sameSeed_writesTheSamePopulation() throws IOException {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    assertThat(execute("generate", "--count", "25", "--seed", "9", "--output", a.toString()))
        .as(output::toString)
        .isZero();
    assertThat(execute("generate", "--count", "25", "--seed", "9", "--output", b.toString()))
        .as(output::toString)
        .isZero();
    assertThat(Files.readAllLines(a)).hasSize(25).isEqualTo(Files.readAllLines(b));
  }

  @Test
  void demo_smallPopulation_writesSummaryWithOneOutcomePerCustomer() throws IOException {
    Path out = dir.resolve("demo");
    assertThat(
            execute(
                "demo",
                "--count",
                "120",
                "--request-quota",
                "400",
                "--latency",
                "5ms",
                "--output",
                out.toString()))
        .as(output::toString)
        .isZero();

    JsonNode summary = JsonLines.MAPPER.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("customers").asInt()).isEqualTo(120);
    assertThat(
            summary.at("/segmentation/succeeded").asInt()
                + summary.at("/segmentation/failed").asInt())
        .isEqualTo(120);
    assertThat(summary.at("/segmentation/requests").asInt()).isGreaterThanOrEqualTo(120);
    assertThat(summary.get("eligibility").has("winback")).isTrue();
    assertThat(summary.at("/distribution/churnSegment").size()).isPositive();
    assertThat(Files.readAllLines(out.resolve("segments.jsonl"))).hasSize(120);
    long executed = summary.at("/decisions/executed").asLong();
    assertThat(executed).isPositive();
    assertThat(Files.readAllLines(out.resolve("actions.jsonl"))).hasSize((int) executed);
    assertThat(summary.at("/decisions/suppressed").has("CONSENT_MISSING")).isTrue();
    assertThat(summary.at("/decisions/suppressed").has("QUIET_HOURS")).isTrue();
    assertThat(summary.get("experiments").size()).isPositive();
    assertThat(summary.get("bandit").get(0).get("rounds").size()).isEqualTo(5);
    assertThat(summary.at("/roi/overall/revenue").isNumber()).isTrue();
    assertThat(Files.readString(out.resolve("report.html"))).contains("<canvas");
  }
}
