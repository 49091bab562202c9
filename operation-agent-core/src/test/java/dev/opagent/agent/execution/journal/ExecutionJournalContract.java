package dev.opagent.agent.execution.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.rules.Action;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExecutionJournal} must do, run against each implementation: every transition of
 * the interface's Javadoc and every refused one, idempotent enlisting, recovery, the reads, and the
 * request's round trip. Subclasses open a fresh journal per test and, where the journal is durable,
 * reopen it from its storage.
 */
abstract class ExecutionJournalContract {
  static final Instant T0 = Instant.parse("2026-03-15T09:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(15);
  static final IdempotencyKeys KEYS = IdempotencyKeys.dailyUtc();

  private ExecutionJournal journal;

  /** A new, empty journal. */
  protected abstract ExecutionJournal open();

  /**
   * A new instance over the storage of {@code journal}, which this closes; the same instance for a
   * journal without storage.
   */
  protected ExecutionJournal reopen(ExecutionJournal journal) {
    return journal;
  }

  @BeforeEach
  void openJournal() {
    journal = open();
  }

  @AfterEach
  void closeJournal() {
    journal.close();
  }

  /** The journal under test; after {@link #reopened()}, the reopened one. */
  ExecutionJournal journal() {
    return journal;
  }

  /** Reopens the journal under test from its storage. */
  ExecutionJournal reopened() {
    journal = reopen(journal);
    return journal;
  }

  static ActionRequest request(String runId, String customerId) {
    return new ActionRequest(
        KEYS.key("winback", "send_email", customerId, T0),
        runId,
        customerId,
        "winback",
        "send_email",
        "email",
        Map.of("template", "winback-1"),
        List.of(),
        null,
        null,
        new BigDecimal("0.25"),
        T0);
  }

  static List<ActionRequest> requests(String runId, String... customerIds) {
    return Arrays.stream(customerIds).map(c -> request(runId, c)).toList();
  }

  static String key(String customerId) {
    return KEYS.key("winback", "send_email", customerId, T0);
  }

  static DeliveryReceipt receipt(String key, @Nullable BigDecimal cost) {
    return new DeliveryReceipt(
        key, "email", "msg-" + key, T0.plusSeconds(5), cost, false, "delivered");
  }

  private ExecutionRecord enlistOne(String runId, String customerId) {
    return journal.enlist(List.of(request(runId, customerId)), T0).get(0);
  }

  private ExecutionRecord claimed(String customerId, String owner) {
    enlistOne("run-1", customerId);
    return journal.claim(key(customerId), owner, T0, T0.plus(LEASE)).orElseThrow();
  }

  // --- enlist -------------------------------------------------------------------------------

  @Test
  void enlist_newRequests_journalsPendingRecordsInRequestOrder() {
    List<ActionRequest> batch = requests("run-1", "C-3", "C-1", "C-2");

    List<ExecutionRecord> records = journal.enlist(batch, T0);

    assertThat(records).extracting(ExecutionRecord::request).containsExactlyElementsOf(batch);
    assertThat(records)
        .allSatisfy(
            r -> {
              assertThat(r.state()).isEqualTo(ExecutionState.PENDING);
              assertThat(r.attempts()).isZero();
              assertThat(r.createdAt()).isEqualTo(T0);
              assertThat(r.updatedAt()).isEqualTo(T0);
              assertThat(r.owner()).isNull();
              assertThat(r.leaseUntil()).isNull();
              assertThat(r.lastError()).isNull();
              assertThat(r.receipt()).isNull();
            });
    assertThat(journal.records("run-1")).containsExactlyElementsOf(records);
  }

  @Test
  void enlist_keyAlreadyJournalledByAnotherRun_returnsTheExistingRecordUnchanged() {
    ExecutionRecord first = enlistOne("run-1", "C-1");
    ActionRequest again =
        new ActionRequest(
            first.key(),
            "run-2",
            "C-1",
            "winback",
            "send_email",
            "email",
            Map.of("template", "other"),
            List.of(),
            "B",
            "at-risk",
            BigDecimal.ONE,
            T0.plusSeconds(60));

    List<ExecutionRecord> records =
        journal.enlist(List.of(again, request("run-2", "C-2")), T0.plusSeconds(60));

    assertThat(records.get(0)).isEqualTo(first);
    assertThat(records.get(1).runId()).isEqualTo("run-2");
    assertThat(journal.records("run-1")).containsExactly(first);
    assertThat(journal.records("run-2"))
        .extracting(ExecutionRecord::key)
        .containsExactly(key("C-2"));
  }

  @Test
  void enlist_sameKeyTwiceInOneBatch_journalsTheFirstOnce() {
    ActionRequest first = request("run-1", "C-1");
    ActionRequest second =
        new ActionRequest(
            first.idempotencyKey(),
            "run-1",
            "C-1",
            "winback",
            "send_email",
            "email",
            Map.of(),
            List.of(),
            null,
            null,
            BigDecimal.TEN,
            T0);

    List<ExecutionRecord> records = journal.enlist(List.of(first, second), T0);

    assertThat(records).hasSize(2);
    assertThat(records.get(0).request()).isEqualTo(first);
    assertThat(records.get(1)).isEqualTo(records.get(0));
    assertThat(journal.records("run-1")).hasSize(1);
  }

  @Test
  void enlist_keyAlreadyClaimed_returnsTheCurrentRecord() {
    ExecutionRecord claimed = claimed("C-1", "exec-a");

    ExecutionRecord again =
        journal.enlist(List.of(request("run-1", "C-1")), T0.plusSeconds(9)).get(0);

    assertThat(again).isEqualTo(claimed);
    assertThat(again.state()).isEqualTo(ExecutionState.EXECUTING);
  }

  @Test
  void enlist_emptyList_returnsEmptyAndJournalsNothing() {
    assertThat(journal.enlist(List.of(), T0)).isEmpty();
    assertThat(journal.records("run-1")).isEmpty();
  }

  @Test
  void enlist_keyLongerThan200Characters_throwsIllegalArgument() {
    ActionRequest longKey =
        new ActionRequest(
            "k".repeat(201),
            "run-1",
            "C-1",
            "winback",
            "send_email",
            "email",
            Map.of(),
            List.of(),
            null,
            null,
            BigDecimal.ONE,
            T0);

    assertThatThrownBy(() -> journal.enlist(List.of(longKey), T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idempotencyKey must be at most 200 characters but was 201");
  }

  @Test
  void enlist_richRequest_roundTripsThroughTheJournal() {
    Map<String, @Nullable Object> nested = new LinkedHashMap<>();
    nested.put("list", new ArrayList<>(Arrays.asList(1, "two", null, new BigDecimal("3.50"))));
    nested.put("flag", true);
    Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
    parameters.put("template", "winback-1");
    parameters.put("discount", new BigDecimal("12.50"));
    parameters.put("count", 3);
    parameters.put("absent", null);
    parameters.put("nested", nested);
    Action coupon =
        new Action(
            "create_discount", Map.of("percent", 15, "code", "WB-15"), Duration.ofMinutes(30));
    ActionRequest rich =
        new ActionRequest(
            key("C-1"),
            "run-1",
            "C-1",
            "winback",
            "send_email",
            "email",
            parameters,
            List.of(coupon),
            null,
            null,
            new BigDecimal("12.50"),
            Instant.parse("2026-03-15T09:00:00.123456789Z"));
    ActionRequest tagged =
        new ActionRequest(
            key("C-2"),
            "run-1",
            "C-2",
            "winback",
            "send_email",
            "email",
            Map.of(),
            List.of(),
            "B",
            "Riskli",
            new BigDecimal("1E+3"),
            T0);

    journal.enlist(List.of(rich, tagged), T0);

    List<ExecutionRecord> read = reopened().records("run-1");
    assertThat(read).extracting(ExecutionRecord::request).containsExactly(rich, tagged);
    ActionRequest back = read.get(0).request();
    assertThat(back.cost().scale()).isEqualTo(2);
    assertThat(back.parameters().get("discount")).isEqualTo(new BigDecimal("12.50"));
    assertThat(back.parameters()).containsKey("absent");
    assertThat(back.variant()).isNull();
    assertThat(back.segment()).isNull();
    assertThat(back.plannedAt()).isEqualTo(Instant.parse("2026-03-15T09:00:00.123456789Z"));
    assertThat(read.get(1).request().cost()).isEqualTo(new BigDecimal("1E+3"));
  }

  // --- claim --------------------------------------------------------------------------------

  @Test
  void claim_pending_grantsAnExecutingClaimWithoutCountingAnAttempt() {
    enlistOne("run-1", "C-1");

    Optional<ExecutionRecord> claim =
        journal.claim(key("C-1"), "exec-a", T0.plusSeconds(1), T0.plus(LEASE));

    assertThat(claim)
        .hasValueSatisfying(
            r -> {
              assertThat(r.state()).isEqualTo(ExecutionState.EXECUTING);
              assertThat(r.owner()).isEqualTo("exec-a");
              assertThat(r.leaseUntil()).isEqualTo(T0.plus(LEASE));
              assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(1));
              assertThat(r.createdAt()).isEqualTo(T0);
              assertThat(r.attempts()).isZero();
            });
    assertThat(journal.find(key("C-1"))).isEqualTo(claim);
  }

  @Test
  void claim_heldWithALiveLease_isRefusedToEveryoneIncludingTheHolder() {
    ExecutionRecord held = claimed("C-1", "exec-a");

    assertThat(journal.claim(key("C-1"), "exec-b", T0.plusSeconds(10), T0.plus(LEASE))).isEmpty();
    assertThat(journal.claim(key("C-1"), "exec-a", T0.plusSeconds(10), T0.plus(LEASE))).isEmpty();
    assertThat(journal.find(key("C-1"))).contains(held);
  }

  @Test
  void claimAll_mixedKeys_claimsExactlyThosePendingOrWithAnEndedLease() {
    enlistOne("run-1", "C-1");
    enlistOne("run-1", "C-2");
    claimed("C-3", "exec-a");
    claimed("C-4", "exec-b");
    Instant at = T0.plusSeconds(10);

    Set<String> got =
        journal.claimAll(
            List.of(key("C-1"), key("C-2"), key("C-3"), key("C-4"), key("C-unknown")),
            "exec-a",
            at,
            at.plus(LEASE));

    assertThat(got).containsExactlyInAnyOrder(key("C-1"), key("C-2"));
    assertThat(reopened().find(key("C-2")).orElseThrow())
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(ExecutionState.EXECUTING);
              assertThat(r.owner()).isEqualTo("exec-a");
              assertThat(r.leaseUntil()).isEqualTo(at.plus(LEASE));
            });
    assertThat(journal.find(key("C-4")).orElseThrow().owner()).isEqualTo("exec-b");
  }

  @Test
  void completeAll_group_completesTheOwnersClaimsAndRefusesTheOthers() {
    claimed("C-1", "exec-a");
    claimed("C-2", "exec-a");
    claimed("C-3", "exec-b");

    boolean[] done =
        journal.completeAll(
            List.of(
                new ExecutionJournal.Completion(
                    key("C-1"), receipt(key("C-1"), new BigDecimal("0.30"))),
                new ExecutionJournal.Completion(key("C-3"), receipt(key("C-3"), null)),
                new ExecutionJournal.Completion(key("C-2"), receipt(key("C-2"), null))),
            "exec-a",
            T0.plusSeconds(5));

    assertThat(done).containsExactly(true, false, true);
    ExecutionRecord one = reopened().find(key("C-1")).orElseThrow();
    assertThat(one.state()).isEqualTo(ExecutionState.COMPLETED);
    assertThat(one.receipt().cost()).isEqualByComparingTo("0.30");
    assertThat(one.attempts()).isEqualTo(1);
    assertThat(journal.find(key("C-3")).orElseThrow().state()).isEqualTo(ExecutionState.EXECUTING);
  }

  @Test
  void claim_atTheInstantTheLeaseEnds_isRefused() {
    claimed("C-1", "exec-a");

    assertThat(journal.claim(key("C-1"), "exec-b", T0.plus(LEASE), T0.plus(LEASE).plus(LEASE)))
        .isEmpty();
  }

  @Test
  void claim_afterTheLeaseEnded_isTakenOverKeepingAttemptsAndLastError() {
    claimed("C-1", "exec-a");
    journal.attemptFailed(key("C-1"), "exec-a", "HTTP 503", T0.plusSeconds(2));
    Instant later = T0.plus(LEASE).plusMillis(1);

    Optional<ExecutionRecord> takeover =
        journal.claim(key("C-1"), "exec-b", later, later.plus(LEASE));

    assertThat(takeover)
        .hasValueSatisfying(
            r -> {
              assertThat(r.owner()).isEqualTo("exec-b");
              assertThat(r.leaseUntil()).isEqualTo(later.plus(LEASE));
              assertThat(r.attempts()).isEqualTo(1);
              assertThat(r.lastError()).isEqualTo("HTTP 503");
            });
  }

  @Test
  void claim_terminalActions_areRefused() {
    claimed("C-1", "exec-a");
    journal.complete(key("C-1"), "exec-a", receipt(key("C-1"), null), T0.plusSeconds(1));
    claimed("C-2", "exec-a");
    journal.fail(key("C-2"), "exec-a", "HTTP 400", T0.plusSeconds(1));
    enlistOne("run-1", "C-3");
    journal.cancel(key("C-3"), "approval withdrawn", T0.plusSeconds(1));
    Instant muchLater = T0.plus(Duration.ofDays(1));

    for (String c : List.of("C-1", "C-2", "C-3")) {
      assertThat(journal.claim(key(c), "exec-b", muchLater, muchLater.plus(LEASE))).isEmpty();
    }
  }

  @Test
  void claim_unknownKey_isEmpty() {
    assertThat(journal.claim("ik-unknown", "exec-a", T0, T0.plus(LEASE))).isEmpty();
  }

  @Test
  void claim_blankOwner_throwsIllegalArgument() {
    enlistOne("run-1", "C-1");

    assertThatThrownBy(() -> journal.claim(key("C-1"), " ", T0, T0.plus(LEASE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("owner must not be blank");
  }

  // --- attemptFailed ------------------------------------------------------------------------

  @Test
  void attemptFailed_byTheOwner_countsTheAttemptAndKeepsTheClaim() {
    claimed("C-1", "exec-a");

    assertThat(journal.attemptFailed(key("C-1"), "exec-a", "HTTP 503", T0.plusSeconds(1))).isTrue();
    assertThat(journal.attemptFailed(key("C-1"), "exec-a", "timeout", T0.plusSeconds(2))).isTrue();

    ExecutionRecord r = journal.find(key("C-1")).orElseThrow();
    assertThat(r.state()).isEqualTo(ExecutionState.EXECUTING);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.lastError()).isEqualTo("timeout");
    assertThat(r.owner()).isEqualTo("exec-a");
    assertThat(r.leaseUntil()).isEqualTo(T0.plus(LEASE));
    assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void attemptFailed_byAnotherOwnerOrWithoutClaim_isRefusedAndChangesNothing() {
    ExecutionRecord held = claimed("C-1", "exec-a");
    ExecutionRecord pending = enlistOne("run-1", "C-2");

    assertThat(journal.attemptFailed(key("C-1"), "exec-b", "HTTP 503", T0.plusSeconds(1)))
        .isFalse();
    assertThat(journal.attemptFailed(key("C-2"), "exec-a", "HTTP 503", T0.plusSeconds(1)))
        .isFalse();
    assertThat(journal.attemptFailed("ik-unknown", "exec-a", "HTTP 503", T0.plusSeconds(1)))
        .isFalse();
    assertThat(journal.find(key("C-1"))).contains(held);
    assertThat(journal.find(key("C-2"))).contains(pending);
  }

  @Test
  void attemptFailed_errorLongerThan2000Characters_isCut() {
    claimed("C-1", "exec-a");

    journal.attemptFailed(key("C-1"), "exec-a", "x".repeat(5000), T0.plusSeconds(1));

    String stored = journal.find(key("C-1")).orElseThrow().lastError();
    assertThat(stored).hasSize(2000).endsWith("x…");
  }

  // --- complete -----------------------------------------------------------------------------

  @Test
  void complete_byTheOwner_completesWithTheReceiptCountingTheAttempt() {
    claimed("C-1", "exec-a");
    journal.attemptFailed(key("C-1"), "exec-a", "HTTP 503", T0.plusSeconds(1));
    DeliveryReceipt receipt =
        new DeliveryReceipt(
            key("C-1"),
            "email",
            "msg-42",
            T0.plusSeconds(3),
            new BigDecimal("0.250"),
            true,
            "already delivered");

    assertThat(journal.complete(key("C-1"), "exec-a", receipt, T0.plusSeconds(4))).isTrue();

    ExecutionRecord r = reopened().find(key("C-1")).orElseThrow();
    assertThat(r.state()).isEqualTo(ExecutionState.COMPLETED);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.receipt()).isEqualTo(receipt);
    assertThat(r.receipt().cost().scale()).isEqualTo(3);
    assertThat(r.owner()).isNull();
    assertThat(r.leaseUntil()).isNull();
    assertThat(r.lastError()).isEqualTo("HTTP 503");
    assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(4));
  }

  @Test
  void complete_receiptWithoutCost_keepsTheCostAbsent() {
    claimed("C-1", "exec-a");

    journal.complete(key("C-1"), "exec-a", receipt(key("C-1"), null), T0.plusSeconds(1));

    DeliveryReceipt stored = journal.find(key("C-1")).orElseThrow().receipt();
    assertThat(stored).isEqualTo(receipt(key("C-1"), null));
    assertThat(stored.cost()).isNull();
    assertThat(stored.duplicate()).isFalse();
  }

  @Test
  void complete_byAFormerOwnerAfterTakeover_isRefused() {
    claimed("C-1", "exec-a");
    Instant later = T0.plus(LEASE).plusSeconds(1);
    journal.claim(key("C-1"), "exec-b", later, later.plus(LEASE)).orElseThrow();

    assertThat(journal.complete(key("C-1"), "exec-a", receipt(key("C-1"), null), later)).isFalse();
    assertThat(journal.complete(key("C-1"), "exec-b", receipt(key("C-1"), null), later)).isTrue();
    assertThat(journal.find(key("C-1")).orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void complete_byTheOwnerAfterItsLeaseEndedWithoutTakeover_succeeds() {
    claimed("C-1", "exec-a");

    assertThat(
            journal.complete(
                key("C-1"), "exec-a", receipt(key("C-1"), null), T0.plus(LEASE).plusSeconds(30)))
        .isTrue();
  }

  @Test
  void complete_withoutClaim_isRefused() {
    ExecutionRecord pending = enlistOne("run-1", "C-1");
    claimed("C-2", "exec-a");
    journal.complete(key("C-2"), "exec-a", receipt(key("C-2"), null), T0.plusSeconds(1));
    ExecutionRecord done = journal.find(key("C-2")).orElseThrow();

    assertThat(journal.complete(key("C-1"), "exec-a", receipt(key("C-1"), null), T0)).isFalse();
    assertThat(
            journal.complete(
                key("C-2"), "exec-a", receipt(key("C-2"), BigDecimal.ONE), T0.plusSeconds(2)))
        .isFalse();
    assertThat(journal.complete("ik-unknown", "exec-a", receipt("ik-unknown", null), T0)).isFalse();
    assertThat(journal.find(key("C-1"))).contains(pending);
    assertThat(journal.find(key("C-2"))).contains(done);
  }

  @Test
  void complete_receiptOfAnotherKey_throwsIllegalArgument() {
    claimed("C-1", "exec-a");

    assertThatThrownBy(() -> journal.complete(key("C-1"), "exec-a", receipt(key("C-2"), null), T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receipt");
    assertThat(journal.find(key("C-1")).orElseThrow().state()).isEqualTo(ExecutionState.EXECUTING);
  }

  // --- fail ---------------------------------------------------------------------------------

  @Test
  void fail_byTheOwner_failsWithTheErrorCountingTheAttempt() {
    claimed("C-1", "exec-a");

    assertThat(journal.fail(key("C-1"), "exec-a", "HTTP 400: rejected", T0.plusSeconds(1)))
        .isTrue();

    ExecutionRecord r = reopened().find(key("C-1")).orElseThrow();
    assertThat(r.state()).isEqualTo(ExecutionState.FAILED);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.lastError()).isEqualTo("HTTP 400: rejected");
    assertThat(r.owner()).isNull();
    assertThat(r.leaseUntil()).isNull();
    assertThat(r.receipt()).isNull();
  }

  @Test
  void fail_byAnotherOwnerOrWithoutClaim_isRefused() {
    ExecutionRecord held = claimed("C-1", "exec-a");
    enlistOne("run-1", "C-2");

    assertThat(journal.fail(key("C-1"), "exec-b", "boom", T0.plusSeconds(1))).isFalse();
    assertThat(journal.fail(key("C-2"), "exec-a", "boom", T0.plusSeconds(1))).isFalse();
    assertThat(journal.find(key("C-1"))).contains(held);
    assertThat(journal.find(key("C-2")).orElseThrow().state()).isEqualTo(ExecutionState.PENDING);
  }

  // --- cancel -------------------------------------------------------------------------------

  @Test
  void cancel_pending_cancelsWithTheReasonAsLastError() {
    enlistOne("run-1", "C-1");

    assertThat(journal.cancel(key("C-1"), "approval withdrawn", T0.plusSeconds(1))).isTrue();

    ExecutionRecord r = journal.find(key("C-1")).orElseThrow();
    assertThat(r.state()).isEqualTo(ExecutionState.CANCELLED);
    assertThat(r.lastError()).isEqualTo("approval withdrawn");
    assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(r.attempts()).isZero();
  }

  @Test
  void cancel_notPending_isRefused() {
    ExecutionRecord held = claimed("C-1", "exec-a");
    enlistOne("run-1", "C-2");
    journal.cancel(key("C-2"), "first", T0.plusSeconds(1));

    assertThat(journal.cancel(key("C-1"), "too late", T0.plusSeconds(2))).isFalse();
    assertThat(journal.cancel(key("C-2"), "second", T0.plusSeconds(2))).isFalse();
    assertThat(journal.cancel("ik-unknown", "nothing", T0.plusSeconds(2))).isFalse();
    assertThat(journal.find(key("C-1"))).contains(held);
    assertThat(journal.find(key("C-2")).orElseThrow().lastError()).isEqualTo("first");
  }

  // --- recover ------------------------------------------------------------------------------

  @Test
  void recover_executingActionsWhoseLeaseEnded_handsThemBackAsPending() {
    journal.enlist(requests("run-1", "C-1", "C-2", "C-3", "C-4"), T0);
    journal.enlist(requests("run-2", "C-9"), T0);
    journal.claim(key("C-1"), "exec-a", T0, T0.plus(LEASE));
    journal.claim(key("C-2"), "exec-b", T0, T0.plus(LEASE));
    journal.attemptFailed(key("C-2"), "exec-b", "timeout", T0.plusSeconds(1));
    journal.claim(key("C-3"), "exec-a", T0, T0.plus(LEASE));
    journal.complete(key("C-3"), "exec-a", receipt(key("C-3"), null), T0.plusSeconds(1));
    journal.claim(key("C-9"), "exec-a", T0, T0.plus(LEASE));

    Instant after = T0.plus(LEASE).plusSeconds(5);
    assertThat(journal.recover("run-1", after)).isEqualTo(2);

    ExecutionRecord c2 = journal.find(key("C-2")).orElseThrow();
    assertThat(c2.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(c2.owner()).isNull();
    assertThat(c2.leaseUntil()).isNull();
    assertThat(c2.attempts()).isEqualTo(1);
    assertThat(c2.lastError()).isEqualTo("timeout");
    assertThat(c2.updatedAt()).isEqualTo(after);
    assertThat(journal.find(key("C-3")).orElseThrow().state()).isEqualTo(ExecutionState.COMPLETED);
    assertThat(journal.find(key("C-9")).orElseThrow().state()).isEqualTo(ExecutionState.EXECUTING);
    assertThat(
            journal.complete(key("C-1"), "exec-a", receipt(key("C-1"), null), after.plusSeconds(1)))
        .isFalse();
    assertThat(journal.claim(key("C-1"), "exec-c", after.plusSeconds(1), after.plus(LEASE)))
        .isPresent();
  }

  @Test
  void recover_liveLease_isNotTaken() {
    journal.enlist(requests("run-1", "C-1", "C-2"), T0);
    journal.claim(key("C-1"), "exec-a", T0, T0.plus(LEASE));
    journal.claim(key("C-2"), "exec-a", T0, T0.plusSeconds(10));

    assertThat(journal.recover("run-1", T0.plusSeconds(60))).isEqualTo(1);

    ExecutionRecord c1 = journal.find(key("C-1")).orElseThrow();
    assertThat(c1.state()).isEqualTo(ExecutionState.EXECUTING);
    assertThat(c1.owner()).isEqualTo("exec-a");
    assertThat(journal.find(key("C-2")).orElseThrow().state()).isEqualTo(ExecutionState.PENDING);
    assertThat(
            journal.complete(key("C-1"), "exec-a", receipt(key("C-1"), null), T0.plusSeconds(61)))
        .isTrue();
  }

  // --- renew --------------------------------------------------------------------------------

  @Test
  void renew_byTheOwner_extendsTheLeaseSoNoOneElseCanClaim() {
    String k = journal.enlist(requests("run-1", "C-1"), T0).get(0).key();
    journal.claim(k, "exec-a", T0, T0.plusSeconds(30));

    assertThat(journal.renew(k, "exec-a", T0.plusSeconds(20), T0.plusSeconds(50))).isTrue();

    assertThat(journal.find(k).orElseThrow().leaseUntil()).isEqualTo(T0.plusSeconds(50));
    assertThat(journal.claim(k, "exec-b", T0.plusSeconds(40), T0.plusSeconds(70))).isEmpty();
    assertThat(journal.recover("run-1", T0.plusSeconds(40))).isZero();
    assertThat(journal.claim(k, "exec-b", T0.plusSeconds(51), T0.plusSeconds(81))).isPresent();
  }

  @Test
  void renew_afterAnotherTookOver_orNeverClaimed_isRefused() {
    journal.enlist(requests("run-1", "C-1", "C-2", "C-3"), T0);
    journal.claim(key("C-1"), "exec-a", T0, T0.plusSeconds(30));
    journal.claim(key("C-1"), "exec-b", T0.plusSeconds(31), T0.plusSeconds(61));
    journal.claim(key("C-2"), "exec-a", T0, T0.plusSeconds(30));

    assertThat(journal.renew(key("C-1"), "exec-a", T0.plusSeconds(32), T0.plusSeconds(62)))
        .isFalse();
    assertThat(journal.renew(key("C-3"), "exec-a", T0.plusSeconds(32), T0.plusSeconds(62)))
        .isFalse();
    assertThat(
            journal.renewAll(
                List.of(key("C-1"), key("C-2"), key("C-3")),
                "exec-a",
                T0.plusSeconds(20),
                T0.plusSeconds(50)))
        .containsExactly(key("C-2"));
    assertThat(journal.find(key("C-1")).orElseThrow().owner()).isEqualTo("exec-b");
  }

  // --- open runs ----------------------------------------------------------------------------

  @Test
  void openRuns_listsRunsNotCompleted() {
    journal.runState("run-1", RunState.PLANNING, T0);
    journal.runState("run-2", RunState.PLANNED, T0.plusSeconds(1));
    journal.runState("run-3", RunState.COMPLETED, T0.plusSeconds(2));

    assertThat(reopened().openRuns()).containsExactlyInAnyOrder("run-1", "run-2");
  }

  @Test
  void recover_nothingExecuting_returnsZero() {
    journal.enlist(requests("run-1", "C-1"), T0);

    assertThat(journal.recover("run-1", T0)).isZero();
    assertThat(journal.recover("run-unknown", T0)).isZero();
  }

  // --- reads --------------------------------------------------------------------------------

  @Test
  void records_severalBatches_listsTheRunOldestFirst() {
    journal.enlist(requests("run-1", "C-5", "C-2"), T0);
    journal.enlist(requests("run-2", "C-7"), T0.plusSeconds(1));
    journal.enlist(requests("run-1", "C-9", "C-1"), T0.plusSeconds(2));
    journal.enlist(requests("run-1", "C-3"), T0.plusSeconds(3));

    assertThat(reopened().records("run-1"))
        .extracting(r -> r.request().customerId())
        .containsExactly("C-5", "C-2", "C-9", "C-1", "C-3");
    assertThat(journal().records("run-2"))
        .extracting(r -> r.request().customerId())
        .containsExactly("C-7");
    assertThat(journal().records("run-unknown")).isEmpty();
  }

  @Test
  void unfinished_mixedStates_listsOnlyPendingAndExecutingOldestFirst() {
    journal.enlist(requests("run-1", "C-1", "C-2", "C-3", "C-4", "C-5", "C-6"), T0);
    journal.claim(key("C-1"), "exec-a", T0, T0.plus(LEASE));
    journal.claim(key("C-2"), "exec-a", T0, T0.plus(LEASE));
    journal.complete(key("C-2"), "exec-a", receipt(key("C-2"), null), T0);
    journal.claim(key("C-3"), "exec-a", T0, T0.plus(LEASE));
    journal.fail(key("C-3"), "exec-a", "boom", T0);
    journal.cancel(key("C-4"), "withdrawn", T0);

    assertThat(journal.unfinished("run-1"))
        .extracting(r -> r.request().customerId())
        .containsExactly("C-1", "C-5", "C-6");
  }

  @Test
  void counts_mixedStates_countsEachStateAndOmitsEmptyOnes() {
    journal.enlist(requests("run-1", "C-1", "C-2", "C-3", "C-4"), T0);
    journal.enlist(requests("run-2", "C-9"), T0);
    journal.claim(key("C-1"), "exec-a", T0, T0.plus(LEASE));
    journal.claim(key("C-2"), "exec-a", T0, T0.plus(LEASE));
    journal.complete(key("C-2"), "exec-a", receipt(key("C-2"), null), T0);

    assertThat(journal.counts("run-1"))
        .containsOnly(
            Map.entry(ExecutionState.PENDING, 2L),
            Map.entry(ExecutionState.EXECUTING, 1L),
            Map.entry(ExecutionState.COMPLETED, 1L));
    assertThat(journal.counts("run-unknown")).isEmpty();
  }

  @Test
  void find_unknownKey_isEmpty() {
    assertThat(journal.find("ik-unknown")).isEmpty();
  }

  @Test
  void runState_neverRecorded_isEmpty() {
    assertThat(journal.runState("run-1")).isEmpty();
  }

  @Test
  void runState_recorded_isReadBackAndReplacedByTheNext() {
    journal.runState("run-1", RunState.PLANNING, T0);
    journal.runState("run-2", RunState.PLANNED, T0);
    assertThat(journal.runState("run-1")).contains(RunState.PLANNING);

    journal.runState("run-1", RunState.PLANNED, T0.plusSeconds(1));
    journal.runState("run-1", RunState.COMPLETED, T0.plusSeconds(2));

    assertThat(reopened().runState("run-1")).contains(RunState.COMPLETED);
    assertThat(journal().runState("run-2")).contains(RunState.PLANNED);
  }

  // --- a customer's pending records ---------------------------------------------------------

  static ActionRequest requestOf(String runId, String customerId, String actionType) {
    ActionRequest r = request(runId, customerId);
    return new ActionRequest(
        KEYS.key("winback", actionType, customerId, T0),
        runId,
        customerId,
        r.campaign(),
        actionType,
        r.channel(),
        r.parameters(),
        r.attachments(),
        null,
        null,
        r.cost(),
        T0);
  }

  @Test
  void pendingFor_findsTheCustomersPendingRecordsInEveryRun_inKeyOrder_survivesReopen() {
    journal.runState("run-1", RunState.PLANNED, T0);
    journal.runState("run-2", RunState.PLANNED, T0);
    ActionRequest email = requestOf("run-1", "C-1", "send_email");
    ActionRequest sms = requestOf("run-1", "C-1", "send_sms");
    ActionRequest push = requestOf("run-2", "C-1", "send_push");
    ActionRequest done = requestOf("run-2", "C-1", "send_letter");
    journal.enlist(List.of(email, sms, requestOf("run-1", "C-2", "send_email")), T0);
    journal.enlist(List.of(push, done), T0);
    journal.claim(sms.idempotencyKey(), "w", T0, T0.plus(LEASE)); // executing: not cancellable
    journal.claim(done.idempotencyKey(), "w", T0, T0.plus(LEASE));
    journal.complete(done.idempotencyKey(), "w", receipt(done.idempotencyKey(), null), T0);

    List<String> expected =
        List.of(email.idempotencyKey(), push.idempotencyKey()).stream().sorted().toList();
    assertThat(journal.pendingFor("C-1", null, 10))
        .extracting(ExecutionRecord::key)
        .containsExactlyElementsOf(expected);
    assertThat(journal.pendingFor("C-1", null, 1))
        .extracting(ExecutionRecord::key)
        .containsExactly(expected.get(0));
    assertThat(journal.pendingFor("C-1", expected.get(0), 1))
        .extracting(ExecutionRecord::key)
        .containsExactly(expected.get(1));
    assertThat(journal.pendingFor("C-1", expected.get(1), 1)).isEmpty();
    assertThat(reopened().pendingFor("C-1", null, 10))
        .extracting(ExecutionRecord::key)
        .containsExactlyElementsOf(expected);
    assertThat(journal().pendingFor("C-9", null, 10)).isEmpty();
  }

  @Test
  void pendingFor_cancelledRecordIsGone_andAVeryLongCustomerIdIsFound() {
    journal.runState("run-1", RunState.PLANNED, T0);
    String longId = "C-" + "x".repeat(300);
    ActionRequest a = requestOf("run-1", longId, "send_email");
    ActionRequest b = requestOf("run-1", "C-1", "send_email");
    journal.enlist(List.of(a, b), T0);
    assertThat(journal.pendingFor(longId, null, 10))
        .extracting(ExecutionRecord::key)
        .containsExactly(a.idempotencyKey());
    assertThat(journal.cancel(b.idempotencyKey(), "purchase before it was due", T0)).isTrue();
    assertThat(journal.pendingFor("C-1", null, 10)).isEmpty();
    assertThatThrownBy(() -> journal.pendingFor("C-1", null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be at least 1 but was 0");
  }

  // --- pages of unfinished records ---------------------------------------------------------

  /** Reads every page of {@code runId}'s unfinished records, {@code limit} at a time. */
  private List<String> allPages(String runId, int limit) {
    List<String> seen = new ArrayList<>();
    String after = null;
    for (List<ExecutionRecord> page = journal.unfinishedAfter(runId, null, limit);
        !page.isEmpty();
        page = journal.unfinishedAfter(runId, after, limit)) {
      assertThat(page).hasSizeLessThanOrEqualTo(limit);
      page.forEach(r -> seen.add(r.key()));
      after = page.get(page.size() - 1).key();
    }
    return seen;
  }

  @Test
  void unfinishedAfter_pagesAcrossBoundaries_visitEachUnfinishedKeyOnceInKeyOrder() {
    String[] customers = new String[25];
    for (int i = 0; i < customers.length; i++) {
      customers[i] = "C-" + (1000 - i * 37);
    }
    journal.enlist(requests("run-1", customers), T0);
    journal.enlist(requests("run-2", "C-1", "C-2", "C-3"), T0);
    for (String c : List.of("C-1000", "C-815", "C-112")) {
      journal.claim(key(c), "w1", T0, T0.plus(LEASE)).orElseThrow();
      journal.complete(key(c), "w1", receipt(key(c), null), T0);
    }
    journal.claim(key("C-963"), "w1", T0, T0.plus(LEASE)).orElseThrow();

    List<String> expected =
        journal.unfinished("run-1").stream().map(ExecutionRecord::key).sorted().toList();
    assertThat(expected).hasSize(22).contains(key("C-963"));
    for (int limit : new int[] {1, 7, 11, 22, 100}) {
      assertThat(allPages("run-1", limit)).as("limit %d", limit).isEqualTo(expected);
    }
    assertThat(journal.unfinishedAfter("run-9", null, 5)).isEmpty();
  }

  @Test
  void unfinishedAfter_recordsFinishedAndEnlistedWhilePaging_noneSkippedNoneTwice() {
    String[] customers = new String[20];
    for (int i = 0; i < customers.length; i++) {
      customers[i] = "C-" + (100 + i);
    }
    journal.enlist(requests("run-1", customers), T0);
    List<String> sorted =
        journal.unfinished("run-1").stream().map(ExecutionRecord::key).sorted().toList();

    List<ExecutionRecord> first = journal.unfinishedAfter("run-1", null, 5);
    String cursor = first.get(4).key();
    assertThat(first).extracting(ExecutionRecord::key).isEqualTo(sorted.subList(0, 5));
    // Meanwhile: one record ahead of the cursor is finished, two are enlisted on either side.
    String finishedAhead = sorted.get(12);
    journal.claim(finishedAhead, "w1", T0, T0.plus(LEASE)).orElseThrow();
    journal.fail(finishedAhead, "w1", "HTTP 400", T0);
    List<ActionRequest> late = new ArrayList<>();
    for (int i = 0; late.size() < 2 || late.stream().allMatch(r -> before(r, cursor)); i++) {
      ActionRequest r = request("run-1", "L-" + i);
      if (late.isEmpty() ? before(r, cursor) : !before(r, cursor)) {
        late.add(r);
      }
    }
    journal.enlist(late, T0);

    List<String> seen = new ArrayList<>();
    first.forEach(r -> seen.add(r.key()));
    String after = cursor;
    for (List<ExecutionRecord> page = journal.unfinishedAfter("run-1", after, 5);
        !page.isEmpty();
        page = journal.unfinishedAfter("run-1", after, 5)) {
      page.forEach(r -> seen.add(r.key()));
      after = page.get(page.size() - 1).key();
    }

    assertThat(seen).doesNotHaveDuplicates().doesNotContain(finishedAhead);
    assertThat(seen).contains(late.get(1).idempotencyKey());
    assertThat(seen).doesNotContain(late.get(0).idempotencyKey());
    List<String> untouched = new ArrayList<>(sorted);
    untouched.remove(finishedAhead);
    assertThat(seen).containsAll(untouched).hasSize(untouched.size() + 1);
  }

  private static boolean before(ActionRequest r, String cursor) {
    return r.idempotencyKey().compareTo(cursor) < 0;
  }

  @Test
  void unfinishedAfter_limitBelowOne_throwsNamingTheLimit() {
    assertThatThrownBy(() -> journal.unfinishedAfter("run-1", null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }

  // --- the whole lifecycle, reopened at each step -------------------------------------------

  @Test
  void lifecycle_reopenedAfterEveryStep_keepsEveryChange() {
    journal.runState("run-1", RunState.PLANNING, T0);
    journal.enlist(requests("run-1", "C-1", "C-2"), T0);
    journal.runState("run-1", RunState.PLANNED, T0);
    reopened().claim(key("C-1"), "exec-a", T0.plusSeconds(1), T0.plus(LEASE));
    reopened().attemptFailed(key("C-1"), "exec-a", "HTTP 503", T0.plusSeconds(2));
    reopened()
        .complete(
            key("C-1"), "exec-a", receipt(key("C-1"), new BigDecimal("0.20")), T0.plusSeconds(3));
    reopened().claim(key("C-2"), "exec-a", T0.plusSeconds(4), T0.plus(LEASE));
    assertThat(reopened().recover("run-1", T0.plus(LEASE).plusSeconds(5))).isEqualTo(1);

    ExecutionJournal j = reopened();
    assertThat(j.runState("run-1")).contains(RunState.PLANNED);
    assertThat(j.counts("run-1"))
        .containsOnly(
            Map.entry(ExecutionState.COMPLETED, 1L), Map.entry(ExecutionState.PENDING, 1L));
    ExecutionRecord c1 = j.find(key("C-1")).orElseThrow();
    assertThat(c1.attempts()).isEqualTo(2);
    assertThat(c1.receipt()).isEqualTo(receipt(key("C-1"), new BigDecimal("0.20")));
    assertThat(j.unfinished("run-1")).extracting(ExecutionRecord::key).containsExactly(key("C-2"));
  }
}
