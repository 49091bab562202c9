package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.loop.RoundReport;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperationLoopExampleTest {

  @Test
  void run_threeWeeks_deliversEveryChosenActionAndLearnsConversionRates() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    OperationLoopExample.LoopResult result =
        OperationLoopExample.run(
            PopulationGenerator.builder().seed(7).asOf(Fixtures.SEED_AS_OF).build().list(150),
            3,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(result.rounds()).hasSize(3);
    long chosen = result.rounds().stream().mapToLong(RoundReport::chosen).sum();
    assertThat(chosen).isPositive();
    assertThat(result.delivered()).isEqualTo((int) chosen);
    assertThat(result.rounds())
        .allSatisfy(
            r -> {
              assertThat(r.outcomes()).hasSize(150);
              assertThat(r.execution().completed()).isEqualTo(r.chosen());
            });
    long delivered = result.byCampaign().values().stream().mapToLong(m -> m.delivered()).sum();
    assertThat(delivered).isEqualTo(chosen);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("week 3:");
  }
}
