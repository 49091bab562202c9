package dev.opagent.examples.cli;

import dev.opagent.segment.BatchProgress;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * The progress of a batch on standard error, the same in every command: on a terminal one line
 * rewritten in place; otherwise a line per tenth of a known total, or per report when the total is
 * unknown. Not thread-safe; the batch calls it from one thread at a time.
 */
final class ProgressPrinter implements Consumer<BatchProgress> {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final long total;
  private final boolean terminal;
  private long lastPrinted = -1;
  private boolean printed;

  /** A printer for {@code total} customers, or an unknown total when it is 0 or less. */
  ProgressPrinter(PrintWriter err, long total) {
    this(err, total, System.console() != null);
  }

  ProgressPrinter(PrintWriter err, long total, boolean terminal) {
    this.err = err;
    this.total = total;
    this.terminal = terminal;
  }

  @Override
  public void accept(BatchProgress p) {
    String line = line(p);
    if (terminal) {
      err.print("\r" + line + "   ");
    } else if (p.done() == lastPrinted) {
      return; // nothing new: the last report of a batch can repeat the one before
    } else if (total <= 0
        || p.done() == total
        || p.done() / Math.max(1, total / 10) != lastPrinted / Math.max(1, total / 10)) {
      err.println(line);
    } else {
      return;
    }
    lastPrinted = p.done();
    printed = true;
    err.flush();
  }

  /** The progress line: a bar and a share when the total is known. */
  String line(BatchProgress p) {
    String counts =
        String.format(
            "%d done (%d ok, %d failed) · %d requests · %d throttled ·"
                + " %.1f req/s allowed · %.0f customers/s · %.0f s",
            p.done(),
            p.succeeded(),
            p.failed(),
            p.requests(),
            p.throttled(),
            p.currentRatePerSecond(),
            p.customersPerSecond(),
            p.elapsed().toNanos() / 1e9);
    if (total <= 0) {
      return counts;
    }
    long done = Math.min(p.done(), total);
    int filled = (int) (WIDTH * done / total);
    return String.format(
        "[%s%s] %3d%% %s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * done / total, counts);
  }

  /** Ends the rewritten line on a terminal. */
  void finish() {
    if (terminal && printed) {
      err.println();
      err.flush();
    }
  }
}
