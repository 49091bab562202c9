package dev.opagent.agent.execution.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ExecutionState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a journal in an H2 file keeps when its process dies: a child JVM commits through {@link
 * JdbcExecutionJournal#forUrl} and halts without closing; every commit must be there. (With H2's
 * default write delay of 500 ms most of them were lost.)
 */
class H2CrashDurabilityTest {
  @TempDir Path dir;

  @Test
  void forUrl_processHaltedRightAfterItsCommits_keepsEveryCommit()
      throws IOException, InterruptedException {
    String url = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingEnlister.class.getName(),
                url,
                "40")
            .redirectErrorStream(true)
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(output).isEqualTo(3);
    assertThat(output).contains("committed 40");

    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "")) {
      assertThat(journal.counts("run-crash"))
          .containsOnly(
              Map.entry(ExecutionState.COMPLETED, 10L), Map.entry(ExecutionState.PENDING, 30L));
    }
  }

  @Test
  void durableH2_urls_addNoWriteDelayOnlyToEmbeddedFilesWithoutOne() {
    assertThat(JdbcExecutionJournal.durableH2("jdbc:h2:file:./.opagent/journal"))
        .isEqualTo("jdbc:h2:file:./.opagent/journal;WRITE_DELAY=0");
    assertThat(JdbcExecutionJournal.durableH2("jdbc:h2:./journal;AUTO_SERVER=TRUE"))
        .isEqualTo("jdbc:h2:./journal;AUTO_SERVER=TRUE;WRITE_DELAY=0");
    assertThat(JdbcExecutionJournal.durableH2("jdbc:h2:file:/j;write_delay=100"))
        .isEqualTo("jdbc:h2:file:/j;write_delay=100");
    assertThat(JdbcExecutionJournal.durableH2("jdbc:h2:mem:j")).isEqualTo("jdbc:h2:mem:j");
    assertThat(JdbcExecutionJournal.durableH2("jdbc:h2:tcp://db/j"))
        .isEqualTo("jdbc:h2:tcp://db/j");
    assertThat(JdbcExecutionJournal.durableH2("jdbc:postgresql://db/j"))
        .isEqualTo("jdbc:postgresql://db/j");
  }
}
