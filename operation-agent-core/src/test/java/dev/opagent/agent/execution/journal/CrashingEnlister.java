package dev.opagent.agent.execution.journal;

import static dev.opagent.agent.execution.journal.ExecutionJournalContract.LEASE;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.T0;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.request;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.util.List;

/**
 * The child process of {@link H2CrashDurabilityTest}: journals {@code n} actions one commit each
 * through {@link JdbcExecutionJournal#forUrl}, claims and completes the first quarter, and halts
 * the JVM at once, without closing anything.
 */
final class CrashingEnlister {
  private CrashingEnlister() {}

  public static void main(String[] args) {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "");
    for (int i = 0; i < n; i++) {
      ActionRequest r = request("run-crash", "C-" + i);
      journal.enlist(List.of(r), T0);
      if (i < n / 4) {
        journal.claim(r.idempotencyKey(), "exec-a", T0, T0.plus(LEASE)).orElseThrow();
        journal.complete(
            r.idempotencyKey(),
            "exec-a",
            new DeliveryReceipt(
                r.idempotencyKey(), "email", "m-" + i, T0, null, false, "delivered"),
            T0);
      }
    }
    System.out.println("committed " + n);
    System.out.flush();
    Runtime.getRuntime().halt(3);
  }
}
