package dev.opagent.agent.execution;

import static dev.opagent.agent.execution.ExecutionServiceTest.DUE;
import static dev.opagent.agent.execution.ExecutionServiceTest.NEVER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** {@link ExecutionService#execute} reads and delivers a run one page at a time. */
class ExecutionServicePagingTest {

  /**
   * A journal that counts what it hands out: the largest list of records one read returned, and how
   * many records of earlier reads were still unfinished when the next read came.
   */
  static final class CountingJournal {
    final InMemoryExecutionJournal inner = new InMemoryExecutionJournal();
    final AtomicInteger largestRead = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger unfinishedAtNextRead = new AtomicInteger();
    final List<String> handedOut = new ArrayList<>();
    IntConsumer beforeRead = n -> {};

    ExecutionJournal proxy() {
      return (ExecutionJournal)
          Proxy.newProxyInstance(
              ExecutionJournal.class.getClassLoader(),
              new Class<?>[] {ExecutionJournal.class},
              (p, method, args) -> {
                boolean read =
                    method.getName().equals("unfinished")
                        || method.getName().equals("unfinishedAfter")
                        || method.getName().equals("records");
                if (read) {
                  beforeRead.accept(reads.incrementAndGet());
                  synchronized (handedOut) {
                    for (String key : handedOut) {
                      if (!inner.find(key).orElseThrow().state().isTerminal()) {
                        unfinishedAtNextRead.incrementAndGet();
                      }
                    }
                    handedOut.clear();
                  }
                }
                Object out;
                try {
                  out = method.invoke(inner, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                if (read) {
                  @SuppressWarnings("unchecked")
                  List<ExecutionRecord> records = (List<ExecutionRecord>) out;
                  largestRead.accumulateAndGet(records.size(), Math::max);
                  synchronized (handedOut) {
                    records.forEach(r -> handedOut.add(r.key()));
                  }
                }
                return out;
              });
    }
  }

  static ExecutionService service(ScriptedChannel channel, ExecutionJournal journal, int page) {
    return ExecutionService.builder()
        .expireAfter(NEVER)
        .journal(journal)
        .pageSize(page)
        .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }

  @Test
  void execute_pageSizeTen_neverHoldsMoreThanAPageOfTheThousandUnfinished() {
    CountingJournal journal = new CountingJournal();
    ScriptedChannel channel = new ScriptedChannel("mail");
    try (ExecutionService service = service(channel, journal.proxy(), 10)) {
      service.enlist(ExecutionServiceTest.requests("r1", 1_000, "send_email", DUE));

      ExecutionReport report = service.execute("r1");

      assertThat(journal.largestRead.get()).isLessThanOrEqualTo(10);
      assertThat(journal.unfinishedAtNextRead.get()).isZero();
      assertThat(report.considered()).isEqualTo(1_000);
      assertThat(report.completed()).isEqualTo(1_000);
      assertThat(channel.delivered()).isEqualTo(1_000);
      assertThat(channel.deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(journal.inner.counts("r1"))
          .containsExactly(Map.entry(ExecutionState.COMPLETED, 1_000L));
    }
  }

  @Test
  void execute_recordsEnlistedAndFinishedWhilePaging_deliversEachOnceAndSkipsNone() {
    CountingJournal journal = new CountingJournal();
    ScriptedChannel channel = new ScriptedChannel("mail");
    List<ActionRequest> first = ExecutionServiceTest.requests("r1", 95, "send_email", DUE);
    // Added while the third page is read: keys before and after the pages already read.
    List<ActionRequest> late = ExecutionServiceTest.requests("r1", 40, "send_sms", DUE);
    List<String> ordered = first.stream().map(ActionRequest::idempotencyKey).sorted().toList();
    String cancelledAhead = ordered.get(ordered.size() - 1);
    journal.beforeRead =
        n -> {
          if (n == 3) {
            journal.inner.enlist(late, DUE);
            journal.inner.cancel(cancelledAhead, "withdrawn", DUE);
          }
        };
    try (ExecutionService service = service(channel, journal.proxy(), 10)) {
      service.enlist(first);

      ExecutionReport pass1 = service.execute("r1");
      journal.beforeRead = n -> {};
      ExecutionReport pass2 = service.execute("r1");

      assertThat(channel.deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(channel.deliveries).doesNotContainKey(cancelledAhead);
      assertThat(channel.delivered()).isEqualTo(95 - 1 + 40);
      assertThat(pass1.completed() + pass2.completed()).isEqualTo(95 - 1 + 40);
      assertThat(pass2.completed()).isEqualTo(pass2.considered());
      // Every late key sorting after the cursor when it was enlisted went in the first pass.
      String cursor = ordered.get(19);
      for (ActionRequest r : late) {
        if (r.idempotencyKey().compareTo(cursor) > 0) {
          assertThat(journal.inner.find(r.idempotencyKey()).orElseThrow().state())
              .isEqualTo(ExecutionState.COMPLETED);
        }
      }
      assertThat(pass1.completed()).isLessThan(95 - 1 + 40).isGreaterThan(95 - 1);
      assertThat(journal.inner.counts("r1"))
          .containsOnly(
              Map.entry(ExecutionState.COMPLETED, 134L), Map.entry(ExecutionState.CANCELLED, 1L));
      assertThat(journal.largestRead.get()).isLessThanOrEqualTo(10);
    }
  }
}
