package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.testkit.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approval store's behaviour on one database. Each test opens the store twice, as two processes
 * would (two pools, two gates), and checks that they agree.
 */
abstract class ApprovalStoreContract {
  static final ApprovalKey WINBACK = ApprovalKey.campaign("winback");
  static final int THREADS = 16;

  final MutableClock clock = MutableClock.at("2026-03-15T10:00:00Z");
  final List<OperatingStore> opened = new ArrayList<>();
  OperatingStore storeA;
  OperatingStore storeB;
  ApprovalGate gateA;
  ApprovalGate gateB;

  /** Opens the test's database once more: a new pool on the same tables. */
  abstract OperatingStore openStore();

  @BeforeEach
  void openTwoProcesses() {
    storeA = open();
    storeB = open();
    gateA = storeA.approvalGate(clock);
    gateB = storeB.approvalGate(clock);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(OperatingStore::close);
  }

  OperatingStore open() {
    OperatingStore s = openStore();
    opened.add(s);
    return s;
  }

  @Test
  void request_inOneProcessGrantedThroughTheOther_isApprovedInTheFirst() {
    ApprovalRequest r = gateA.request(WINBACK, "discount 20% reaches 20%", "decision-engine");
    assertThat(gateB.check(WINBACK)).isEqualTo(ApprovalStatus.PENDING);

    ApprovalRequest granted = gateB.grant(r.id(), "alice", "budget approved").orElseThrow();

    assertThat(granted.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(gateA.check(WINBACK)).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(gateA.find(r.id()).orElseThrow()).isEqualTo(granted);
    assertThat(gateA.request(WINBACK, "discount 20% reaches 20%", "decision-engine").id())
        .isEqualTo(r.id());
    assertThat(gateA.auditTrail(WINBACK))
        .extracting(AuditEvent::type)
        .containsExactly(AuditEvent.Type.REQUESTED, AuditEvent.Type.GRANTED);
  }

  @Test
  void request_sameKeyFromTwoProcessesAtOnce_recordsOneRequest() throws Exception {
    List<ApprovalRequest> got =
        race(i -> () -> (i % 2 == 0 ? gateA : gateB).request(WINBACK, "why", "engine-" + i));

    assertThat(got).extracting(ApprovalRequest::id).containsOnly(got.get(0).id());
    assertThat(gateA.auditTrail())
        .extracting(AuditEvent::type)
        .containsExactly(AuditEvent.Type.REQUESTED);
  }

  @Test
  void grantAndReject_manyThreadsOverTwoGates_recordOneDecisionAndOneAuditEvent() throws Exception {
    ApprovalRequest r = gateA.request(WINBACK, "why", "engine");

    List<ApprovalRequest> got =
        race(
            i ->
                () -> {
                  ApprovalGate g = i % 2 == 0 ? gateA : gateB;
                  return (i % 4 < 2
                          ? g.grant(r.id(), "grantor-" + i, "ok")
                          : g.reject(r.id(), "rejector-" + i, "no"))
                      .orElseThrow();
                });

    ApprovalRequest stored = gateB.find(r.id()).orElseThrow();
    assertThat(stored.status()).isIn(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED);
    assertThat(got)
        .allSatisfy(
            x -> {
              assertThat(x.status()).isEqualTo(stored.status());
              assertThat(x.decidedBy()).isEqualTo(stored.decidedBy());
            });
    List<AuditEvent> trail = gateA.auditTrail();
    assertThat(trail).hasSize(2);
    assertThat(trail.get(0).type()).isEqualTo(AuditEvent.Type.REQUESTED);
    assertThat(trail.get(1).actor()).isEqualTo(stored.decidedBy());
    assertThat(trail.get(1).type())
        .isEqualTo(
            stored.status() == ApprovalStatus.APPROVED
                ? AuditEvent.Type.GRANTED
                : AuditEvent.Type.REJECTED);
  }

  @Test
  void pending_pastDeadline_expiresOnceAcrossProcesses() throws Exception {
    ApprovalRequest r = gateA.request(WINBACK, "why", "engine");
    clock.advance(Duration.ofHours(48));

    List<ApprovalStatus> got = race(i -> () -> (i % 2 == 0 ? gateA : gateB).check(WINBACK));

    assertThat(got).containsOnly(ApprovalStatus.EXPIRED);
    assertThat(gateB.grant(r.id(), "alice", "late").orElseThrow().status())
        .isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(gateA.auditTrail())
        .extracting(AuditEvent::type)
        .containsExactly(AuditEvent.Type.REQUESTED, AuditEvent.Type.EXPIRED);
    assertThat(gateA.auditTrail().get(1).actor()).isEqualTo(ApprovalGate.SYSTEM_ACTOR);
  }

  @Test
  void pending_justBeforeDeadline_canStillBeGrantedThroughTheOtherProcess() {
    ApprovalRequest r = gateA.request(WINBACK, "why", "engine");
    clock.advance(Duration.ofHours(48).minusSeconds(1));

    assertThat(gateB.grant(r.id(), "alice", "ok").orElseThrow().status())
        .isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void grant_pastValidity_expiresAndEachProcessThenSeesOneNewRequest() throws Exception {
    ApprovalRequest r = gateA.request(WINBACK, "why", "engine");
    gateB.grant(r.id(), "alice", "ok");
    clock.advance(Duration.ofDays(7));

    assertThat(gateA.check(WINBACK)).isEqualTo(ApprovalStatus.EXPIRED);
    List<ApprovalRequest> again =
        race(i -> () -> (i % 2 == 0 ? gateA : gateB).request(WINBACK, "why", "engine"));

    assertThat(again)
        .extracting(ApprovalRequest::id)
        .containsOnly(again.get(0).id())
        .doesNotContain(r.id());
    assertThat(gateB.check(WINBACK)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(gateB.auditTrail(WINBACK))
        .extracting(AuditEvent::type)
        .containsExactly(
            AuditEvent.Type.REQUESTED,
            AuditEvent.Type.GRANTED,
            AuditEvent.Type.EXPIRED,
            AuditEvent.Type.REQUESTED);
  }

  @Test
  void reject_thenRequestAgain_createsANewLatestRequest() {
    ApprovalRequest r = gateA.request(WINBACK, "why", "engine");
    gateB.reject(r.id(), "bob", "too generous");
    assertThat(gateA.check(WINBACK)).isEqualTo(ApprovalStatus.REJECTED);

    ApprovalRequest again = gateA.request(WINBACK, "smaller discount", "engine");

    assertThat(again.id()).isNotEqualTo(r.id());
    assertThat(gateB.latest(WINBACK).orElseThrow().id()).isEqualTo(again.id());
    assertThat(gateB.check(WINBACK)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(gateB.find(r.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.REJECTED);
  }

  @Test
  void keys_campaignAndAction_areKeptApart() {
    ApprovalKey action = ApprovalKey.action("winback", "C-1", "create_discount");
    gateA.request(WINBACK, "why", "engine");
    ApprovalRequest a = gateA.request(action, "why", "tool");
    gateB.grant(a.id(), "alice", "ok");

    assertThat(gateA.check(WINBACK)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(gateA.check(action)).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void grant_unknownId_isEmpty() {
    assertThat(gateB.grant("apr-404", "alice", "ok")).isEmpty();
    assertThat(storeA.approvalStore().byId("apr-404")).isEmpty();
    assertThat(storeA.approvalStore().latest(WINBACK)).isEmpty();
  }

  @Test
  void save_everyField_readsBackFromTheOtherProcess() {
    JdbcApprovalStore a = storeA.approvalStore();
    ApprovalRequest full =
        new ApprovalRequest(
            "apr-full",
            ApprovalKey.action("c", "C-9", "t"),
            "summary ü ✓",
            "planner",
            Instant.parse("2026-03-15T10:00:00.123456Z"),
            Instant.parse("2026-03-17T10:00:00Z"),
            ApprovalStatus.APPROVED,
            "alice",
            Instant.parse("2026-03-15T11:00:00.5Z"),
            "fine",
            Instant.parse("2026-03-22T11:00:00Z"),
            new BigDecimal("12.5000"));
    ApprovalRequest bare =
        new ApprovalRequest(
            "apr-bare",
            WINBACK,
            "s",
            "engine",
            Instant.parse("2026-03-15T10:00:00Z"),
            Instant.parse("2026-03-17T10:00:00Z"),
            ApprovalStatus.PENDING,
            null,
            null,
            null,
            null,
            null);
    AuditEvent event =
        new AuditEvent(
            Instant.parse("2026-03-15T10:00:00.000001Z"),
            AuditEvent.Type.REJECTED,
            "apr-full",
            full.key(),
            "bob",
            "reason ✓");

    a.save(full);
    a.save(bare);
    a.append(event);

    JdbcApprovalStore b = storeB.approvalStore();
    assertThat(b.byId("apr-full")).contains(full);
    assertThat(b.byId("apr-bare")).contains(bare);
    assertThat(b.auditTrail()).containsExactly(event);
    assertThat(b.pending()).containsExactly(bare);

    ApprovalRequest expired =
        new ApprovalRequest(
            "apr-bare",
            WINBACK,
            "s",
            "engine",
            bare.requestedAt(),
            bare.deadline(),
            ApprovalStatus.EXPIRED,
            null,
            Instant.parse("2026-03-17T10:00:00Z"),
            null,
            null,
            null);
    a.save(expired);
    assertThat(b.byId("apr-bare")).contains(expired);
    assertThat(b.pending()).isEmpty();
  }

  @Test
  void request_withItsCost_keepsItThroughTheDecision() {
    ApprovalRequest r =
        gateA.request(
            ApprovalKey.campaign("costly"), "spend 900", "engine", new BigDecimal("900.5000"));

    gateB.grant(r.id(), "alice", "fine");

    ApprovalRequest read = storeB.approvalStore().byId(r.id()).orElseThrow();
    assertThat(read.cost()).isEqualTo(new BigDecimal("900.5000"));
    assertThat(read.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(gateA.request(ApprovalKey.campaign("free"), "why", "tool").cost()).isNull();
  }

  @Test
  void pending_listsPendingRequestsOldestFirst() {
    ApprovalRequest first = gateA.request(ApprovalKey.campaign("a"), "why", "engine");
    ApprovalRequest second = gateB.request(ApprovalKey.campaign("b"), "why", "engine");
    ApprovalRequest decided = gateA.request(ApprovalKey.campaign("c"), "why", "engine");
    gateB.reject(decided.id(), "bob", "no");

    assertThat(storeB.approvalStore().pending())
        .extracting(ApprovalRequest::id)
        .containsExactly(first.id(), second.id());
  }

  @Test
  void replaceIf_statusChangedMeanwhile_recordsNothing() {
    ApprovalRequest r = gateA.request(WINBACK, "why", "engine");
    gateB.reject(r.id(), "bob", "no");
    ApprovalRequest late =
        new ApprovalRequest(
            r.id(),
            r.key(),
            r.summary(),
            r.requestedBy(),
            r.requestedAt(),
            r.deadline(),
            ApprovalStatus.APPROVED,
            "alice",
            r.requestedAt(),
            "ok",
            r.deadline(),
            r.cost());

    boolean replaced =
        storeA
            .approvalStore()
            .replaceIf(
                ApprovalStatus.PENDING,
                late,
                new AuditEvent(
                    r.requestedAt(), AuditEvent.Type.GRANTED, r.id(), r.key(), "alice", "ok"));

    assertThat(replaced).isFalse();
    assertThat(gateA.find(r.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.REJECTED);
    assertThat(gateA.auditTrail()).hasSize(2);
  }

  @Test
  void createIfNoneOpen_idAlreadyStored_isRejectedNamingTheId() {
    ApprovalGate fixedIds =
        ApprovalGate.builder()
            .clock(clock)
            .store(storeA.approvalStore())
            .ids(() -> "apr-same")
            .build();
    fixedIds.request(WINBACK, "why", "engine");

    assertThatThrownBy(() -> fixedIds.request(ApprovalKey.campaign("other"), "why", "engine"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apr-same is already stored");
  }

  @Test
  void save_keyTooLong_isRejectedWithTheLimit() {
    ApprovalKey longKey = new ApprovalKey("campaign:" + "x".repeat(1000));

    assertThatThrownBy(() -> gateA.request(longKey, "why", "engine"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("approval key must be at most 1000 characters but was 1009");
  }

  /** Runs {@link #THREADS} tasks at once and returns their results in task order. */
  <T> List<T> race(IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < THREADS; i++) {
        Callable<T> c = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return c.call();
                }));
      }
      start.countDown();
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
