package dev.opagent.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSource;
import dev.opagent.testkit.AgentSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule file is reloaded when it changes; a broken edit keeps the last good rules. */
class RulesReloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AgentSimulator agent;

  @TempDir Path dir;
  private long stamp = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  @BeforeAll
  static void start() {
    agent = AgentSimulator.start();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  /** The bundled campaigns with only the first {@code keep} rules. */
  private static String campaigns(int keep) throws Exception {
    ObjectNode doc = (ObjectNode) JSON.readTree(RuleSource.defaults().read());
    ArrayNode rules = (ArrayNode) doc.get("rules");
    while (rules.size() > keep) {
      rules.remove(rules.size() - 1);
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
  }

  /** Writes {@code text}, with a modification time one minute after the previous write. */
  private void write(Path file, String text) throws Exception {
    Files.writeString(file, text);
    stamp += 60_000;
    Files.setLastModifiedTime(file, FileTime.fromMillis(stamp));
  }

  private static boolean within(Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  @Test
  void fileRules_editPickedUp_brokenEditKeepsTheLastGoodSet_nextGoodEditPickedUp()
      throws Exception {
    Path file = dir.resolve("campaigns.json");
    write(file, campaigns(3));
    Contexts.on(agent)
        .withPropertyValues(
            "opagent.rules.location=file:" + file, "opagent.rules.reload-interval=50ms")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RuleSetHolder holder = context.getBean(RuleSetHolder.class);
              assertThat(context.getBean(RuleSetReloader.class).file()).isEqualTo(file);
              assertThat(holder.current().size()).isEqualTo(3);

              write(file, campaigns(2));
              assertThat(within(Duration.ofSeconds(10), () -> holder.current().size() == 2))
                  .as("the edited file is in effect")
                  .isTrue();
              RuleSet good = holder.current();

              write(file, "{\"name\": \"broken\", \"rules\": [");
              ReloadProbe probe = new ReloadProbe(context.getBean(RuleSetReloader.class));
              assertThat(within(Duration.ofSeconds(10), probe::sawTheChange))
                  .as("the broken edit was read")
                  .isTrue();
              assertThat(holder.current()).isSameAs(good);

              write(file, campaigns(1));
              assertThat(within(Duration.ofSeconds(10), () -> holder.current().size() == 1))
                  .as("a good edit after a broken one is in effect")
                  .isTrue();
            });
  }

  @Test
  void reloadIntervalZero_watchesNothing() throws Exception {
    Path file = dir.resolve("campaigns.json");
    write(file, campaigns(3));
    Contexts.on(agent)
        .withPropertyValues(
            "opagent.rules.location=file:" + file, "opagent.rules.reload-interval=0")
        .run(
            context -> {
              assertThat(context.getBean(RuleSetReloader.class).file()).isNull();
              write(file, campaigns(2));
              assertThat(context.getBean(RuleSetReloader.class).check()).isNull();
              assertThat(context.getBean(RuleSetHolder.class).current().size()).isEqualTo(3);
            });
  }

  @Test
  void classpathRules_areRead() {
    Contexts.on(agent)
        .withPropertyValues("opagent.rules.location=classpath:two-campaigns.json")
        .run(
            context ->
                assertThat(context.getBean(RuleSetHolder.class).current().size()).isEqualTo(2));
  }

  /**
   * Whether the reloader has read the file as it is now: a check that finds nothing new returns
   * null, so once the scheduled checks have caught up a manual check is null too.
   */
  private record ReloadProbe(RuleSetReloader reloader) {
    boolean sawTheChange() {
      return reloader.check() == null;
    }
  }
}
