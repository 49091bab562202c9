package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.BatchProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one progress printer of {@code segment} and {@code demo}. */
class ProgressPrinterTest {
  private final StringWriter err = new StringWriter();

  private static BatchProgress done(long n) {
    return new BatchProgress(n, n, 0, n, 0, 25.0, Duration.ofSeconds(2));
  }

  @Test
  void knownTotal_notATerminal_aBarLinePerTenth() {
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(err), 100, false);
    for (long n = 1; n <= 100; n++) {
      p.accept(done(n));
    }
    p.accept(done(100));
    p.finish();

    assertThat(err.toString().lines())
        .hasSize(10)
        .allSatisfy(l -> assertThat(l).startsWith("[").contains(" done ("))
        .last()
        .asString()
        .startsWith("[" + "#".repeat(30) + "] 100% 100 done (100 ok, 0 failed)");
  }

  @Test
  void unknownTotal_notATerminal_aCountLinePerReport() {
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(err), 0, false);
    p.accept(done(3));
    p.accept(done(7));

    assertThat(err.toString().lines())
        .containsExactly(
            "3 done (3 ok, 0 failed) · 3 requests · 0 throttled · 25.0 req/s allowed · 2 customers/s · 2 s",
            "7 done (7 ok, 0 failed) · 7 requests · 0 throttled · 25.0 req/s allowed · 4 customers/s · 2 s");
  }

  @Test
  void terminal_rewritesOneLineAndEndsIt() {
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(err), 10, true);
    p.accept(done(5));
    p.accept(done(10));
    p.finish();

    String text = err.toString();
    assertThat(text)
        .startsWith("\r[")
        .contains("\r[" + "#".repeat(30))
        .endsWith(System.lineSeparator());
    assertThat(text.chars().filter(c -> c == '\n').count()).isOne();
  }
}
