package dev.opagent.agent.execution;

import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A process executing one round to a JSON-lines file on an H2 journal, as a host would: plans
 * (journals) the round unless the journal already has it, then delivers, taking over the work a
 * dead predecessor left executing once its lease ends. Arguments: JDBC URL, JSON-lines file,
 * actions, deliveries per second.
 */
public final class CrashWorker {
  static final String RUN = "crash-round";

  private CrashWorker() {}

  public static void main(String[] args) {
    String url = args[0];
    Path file = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    double rate = Double.parseDouble(args[3]);
    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "");
        ExecutionService service =
            ExecutionService.builder()
                .journal(journal)
                .channels(
                    ChannelRegistry.builder()
                        .register(JsonLinesChannel.open(file))
                        .fallback("jsonl")
                        .build())
                .limits("jsonl", ChannelLimits.of(4, rate))
                .owner("worker-" + ProcessHandle.current().pid())
                .expireAfter(ExecutionServiceTest.NEVER)
                .lease(Duration.ofSeconds(3))
                .build()) {
      Optional<RunState> state = journal.runState(RUN);
      if (state.isEmpty() || state.get() == RunState.PLANNING) {
        journal.runState(RUN, RunState.PLANNING, Instant.now());
        service.enlist(
            ExecutionServiceTest.requests(RUN, n, "send_email", ExecutionServiceTest.DUE));
        journal.runState(RUN, RunState.PLANNED, Instant.now());
      }
      // A restart waits at most one lease for the work the killed process held.
      ExecutionReport report =
          state.isPresent() ? service.resume(RUN, Duration.ofSeconds(10)) : service.execute(RUN);
      System.out.println(
          "DONE completed="
              + report.completed()
              + " duplicates="
              + report.duplicates()
              + " failed="
              + report.failed());
    }
  }
}
