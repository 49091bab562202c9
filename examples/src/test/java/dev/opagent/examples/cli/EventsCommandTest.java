package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code opagent events}: the bundled example events replayed through the event processor. */
class EventsCommandTest {
  private static final Path EVENTS = Path.of("data/events.jsonl");
  private static final Path CUSTOMERS = Path.of("data/seed-customers.jsonl");

  @TempDir Path dir;

  private static int run(StringWriter err, String... args) {
    CommandLine cmd = OpagentCommand.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    return cmd.execute(args);
  }

  private String[] args(Path actions) {
    return new String[] {
      "events",
      "--events",
      EVENTS.toString(),
      "--customers",
      CUSTOMERS.toString(),
      "--consent",
      "email",
      "--store",
      "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
      "--channel",
      "jsonl:" + actions
    };
  }

  @Test
  void events_exampleFile_remindsTheCustomerWhoDidNotBuy_withdrawsTheOtherReminder()
      throws IOException {
    Path actions = dir.resolve("actions.jsonl");
    StringWriter err = new StringWriter();

    int code = run(err, args(actions));

    String out = err.toString();
    assertThat(code).as(out).isEqualTo(3); // one line is a purchase without an amount
    assertThat(out)
        .contains("events: 7 replayed, 1 lines not events")
        .contains("ACTIONS_PLANNED      2")
        .contains("NO_TRIGGER           4")
        .contains("UNKNOWN_CUSTOMER     1")
        .contains("actions: 2 journalled, 0 delivered at once, 1 delivered when due")
        .contains("1 withdrawn by events")
        .contains("event to decision: p50")
        .contains("--events line 8: data.amount must be a non-negative number")
        .doesNotContain("249.9");
    List<String> lines = Files.readAllLines(actions, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    JsonNode reminder = JsonLines.MAPPER.readTree(lines.get(0));
    assertThat(reminder.get("customerId").asText()).isEqualTo("C-1001");
    assertThat(reminder.get("campaign").asText()).isEqualTo("cart_recovery");
    assertThat(out).contains("attributed interactions: {ATTRIBUTED=2}");
  }

  @Test
  void events_sameFileTwice_sendsNothingTwice() throws IOException {
    Path actions = dir.resolve("actions.jsonl");
    run(new StringWriter(), args(actions));
    StringWriter again = new StringWriter();

    run(again, args(actions));

    assertThat(Files.readAllLines(actions, StandardCharsets.UTF_8)).hasSize(1);
    assertThat(again.toString()).contains("0 delivered when due");
  }

  @Test
  void events_unreadableInput_isAUsageError() {
    StringWriter err = new StringWriter();
    int code = run(err, "events", "--input", dir.resolve("missing.jsonl").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read --events");
  }
}
