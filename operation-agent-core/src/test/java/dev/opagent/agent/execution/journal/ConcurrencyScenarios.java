package dev.opagent.agent.execution.journal;

import static dev.opagent.agent.execution.journal.ExecutionJournalContract.LEASE;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.T0;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.key;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** Races of executors and enlisters on one shared journal, for each database. */
final class ConcurrencyScenarios {
  static final int EXECUTORS = 4;

  private ConcurrencyScenarios() {}

  /**
   * {@link #EXECUTORS} executors, each with its own owner id and its own shuffled order of the
   * keys, claim and complete {@code n} actions at once: every claim is counted per key, so a claim
   * granted twice, a completion refused to the claimant or a key left over fails the test.
   */
  static void executorsRaceToClaimAndComplete(ExecutionJournal journal, int n) throws Exception {
    String run = "run-race";
    List<String> keys = new ArrayList<>(n);
    List<ActionRequest> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(request(run, "C-" + i));
      keys.add(key("C-" + i));
      if (batch.size() == 500 || i == n - 1) {
        journal.enlist(batch, T0);
        batch.clear();
      }
    }
    AtomicIntegerArray claims = new AtomicIntegerArray(n);
    AtomicIntegerArray completions = new AtomicIntegerArray(n);
    AtomicReferenceArray<String> claimant = new AtomicReferenceArray<>(n);
    CyclicBarrier start = new CyclicBarrier(EXECUTORS);
    List<Callable<Integer>> executors = new ArrayList<>();
    for (int e = 0; e < EXECUTORS; e++) {
      String owner = "exec-" + e;
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(e));
      executors.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            int mine = 0;
            for (int i : order) {
              Optional<ExecutionRecord> claim =
                  journal.claim(keys.get(i), owner, T0.plusSeconds(1), T0.plus(LEASE));
              if (claim.isEmpty()) {
                continue;
              }
              assertThat(claim.get().owner()).isEqualTo(owner);
              claims.incrementAndGet(i);
              claimant.set(i, owner);
              DeliveryReceipt receipt =
                  new DeliveryReceipt(
                      keys.get(i), "email", owner, T0.plusSeconds(2), null, false, "delivered");
              if (journal.complete(keys.get(i), owner, receipt, T0.plusSeconds(2))) {
                completions.incrementAndGet(i);
                mine++;
              }
            }
            return mine;
          });
    }
    int total = 0;
    for (int done : runAll(executors)) {
      total += done;
    }

    assertThat(total).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(claims.get(i)).as("claims of key %d", i).isEqualTo(1);
      assertThat(completions.get(i)).as("completions of key %d", i).isEqualTo(1);
    }
    assertThat(journal.counts(run)).containsOnly(Map.entry(ExecutionState.COMPLETED, (long) n));
    List<ExecutionRecord> records = journal.records(run);
    assertThat(records).hasSize(n);
    for (int i = 0; i < n; i++) {
      ExecutionRecord r = records.get(i);
      assertThat(r.key()).isEqualTo(keys.get(i));
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.receipt().externalId()).isEqualTo(claimant.get(i));
    }
  }

  /**
   * {@link #EXECUTORS} enlisters journal the same {@code n} keys at once, each as its own run, in
   * its own shuffled order and in batches of 50: none fails, every key is journalled once (by
   * whichever enlister came first) and every enlister is answered the record in the journal.
   */
  static void enlistersOfOverlappingKeysRace(ExecutionJournal journal, int n) throws Exception {
    CyclicBarrier start = new CyclicBarrier(EXECUTORS);
    List<Callable<List<ExecutionRecord>>> enlisters = new ArrayList<>();
    List<List<ActionRequest>> asked = new ArrayList<>();
    for (int e = 0; e < EXECUTORS; e++) {
      List<ActionRequest> mine = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        mine.add(request("run-" + e, "C-" + i));
      }
      Collections.shuffle(mine, new Random(100 + e));
      asked.add(mine);
      enlisters.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            List<ExecutionRecord> answered = new ArrayList<>();
            for (int from = 0; from < n; from += 50) {
              answered.addAll(journal.enlist(mine.subList(from, Math.min(n, from + 50)), T0));
            }
            return answered;
          });
    }
    List<List<ExecutionRecord>> answers = runAll(enlisters);

    Map<String, ExecutionRecord> journalled = new HashMap<>();
    for (int e = 0; e < EXECUTORS; e++) {
      for (ExecutionRecord r : journal.records("run-" + e)) {
        assertThat(journalled.put(r.key(), r)).as("key %s journalled twice", r.key()).isNull();
      }
    }
    assertThat(journalled).hasSize(n);
    for (int e = 0; e < EXECUTORS; e++) {
      List<ActionRequest> mine = asked.get(e);
      List<ExecutionRecord> answered = answers.get(e);
      assertThat(answered).hasSize(n);
      for (int i = 0; i < n; i++) {
        String k = mine.get(i).idempotencyKey();
        assertThat(answered.get(i).key()).isEqualTo(k);
        assertThat(answered.get(i)).isEqualTo(journalled.get(k));
      }
    }
  }

  /**
   * Owner A claims with a lease already over; owner B takes the action over; A can no longer
   * complete or fail it, B can.
   */
  static void expiredLeaseIsTakenOver(ExecutionJournal journal) {
    String k = journal.enlist(List.of(request("run-lease", "C-1")), T0).get(0).key();

    assertThat(journal.claim(k, "exec-a", T0, T0.minusSeconds(1))).isPresent();
    assertThat(journal.claim(k, "exec-b", T0, T0.plus(LEASE)))
        .hasValueSatisfying(r -> assertThat(r.owner()).isEqualTo("exec-b"));
    DeliveryReceipt receipt =
        new DeliveryReceipt(k, "email", "m-1", T0.plusSeconds(1), null, false, "delivered");

    assertThat(journal.complete(k, "exec-a", receipt, T0.plusSeconds(1))).isFalse();
    assertThat(journal.fail(k, "exec-a", "late", T0.plusSeconds(1))).isFalse();
    assertThat(journal.complete(k, "exec-b", receipt, T0.plusSeconds(1))).isTrue();
    assertThat(journal.find(k).orElseThrow().receipt()).isEqualTo(receipt);
  }

  /**
   * {@link #EXECUTORS} threads record states of the same new runs at once: none fails, and each run
   * ends in one of the states recorded.
   */
  static void runStatesRecordedAtOnce(ExecutionJournal journal, int runs) throws Exception {
    CyclicBarrier start = new CyclicBarrier(EXECUTORS);
    List<Callable<Integer>> writers = new ArrayList<>();
    for (int t = 0; t < EXECUTORS; t++) {
      RunState state = t % 2 == 0 ? RunState.PLANNING : RunState.PLANNED;
      writers.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            for (int r = 0; r < runs; r++) {
              journal.runState("run-state-" + r, state, T0);
            }
            return runs;
          });
    }
    runAll(writers);

    for (int r = 0; r < runs; r++) {
      assertThat(journal.runState("run-state-" + r))
          .hasValueSatisfying(s -> assertThat(s).isIn(RunState.PLANNING, RunState.PLANNED));
    }
  }

  private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> t : tasks) {
        futures.add(pool.submit(t));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
