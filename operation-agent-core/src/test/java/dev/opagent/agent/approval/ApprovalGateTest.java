package dev.opagent.agent.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.engine.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApprovalGateTest {
  private static final ApprovalKey WINBACK = ApprovalKey.campaign("winback");

  private final MutableClock clock = MutableClock.at("2026-03-15T10:00:00Z");
  private final AtomicInteger ids = new AtomicInteger();
  private final ApprovalGate gate =
      ApprovalGate.builder()
          .clock(clock)
          .requestTtl(Duration.ofHours(48))
          .approvalValidity(Duration.ofDays(7))
          .ids(() -> "apr-" + ids.incrementAndGet())
          .build();

  @Test
  void check_nothingRequested_isNotRequested() {
    assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.NOT_REQUESTED);
  }

  @Test
  void request_createsPendingRequestWithDeadline() {
    ApprovalRequest r = gate.request(WINBACK, "discount 20% reaches 20%", "planner");

    assertThat(r.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(r.deadline()).isEqualTo(Instant.parse("2026-03-17T10:00:00Z"));
    assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void request_whilePending_returnsTheSameRequestAndRecordsOnce() {
    ApprovalRequest first = gate.request(WINBACK, "why", "engine");
    ApprovalRequest second = gate.request(WINBACK, "why", "engine");

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(gate.auditTrail()).hasSize(1);
  }

  @Test
  void grant_pending_approvesWithActorReasonAndValidity() {
    ApprovalRequest r = gate.request(WINBACK, "why", "engine");
    clock.advance(Duration.ofHours(1));

    ApprovalRequest granted = gate.grant(r.id(), "alice", "budget approved").orElseThrow();

    assertThat(granted.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(granted.decidedBy()).isEqualTo("alice");
    assertThat(granted.reason()).isEqualTo("budget approved");
    assertThat(granted.validUntil()).isEqualTo(Instant.parse("2026-03-22T11:00:00Z"));
    assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void reject_pending_isRejectedAndCannotBeGrantedAfterwards() {
    ApprovalRequest r = gate.request(WINBACK, "why", "engine");

    gate.reject(r.id(), "bob", "too generous");
    ApprovalRequest after = gate.grant(r.id(), "alice", "changed my mind").orElseThrow();

    assertThat(after.status()).isEqualTo(ApprovalStatus.REJECTED);
    assertThat(after.decidedBy()).isEqualTo("bob");
    assertThat(gate.auditTrail())
        .extracting(AuditEvent::type)
        .containsExactly(AuditEvent.Type.REQUESTED, AuditEvent.Type.REJECTED);
  }

  @Test
  void pending_pastDeadline_expiresOnceInTheAuditTrail() {
    ApprovalRequest r = gate.request(WINBACK, "why", "engine");
    clock.advance(Duration.ofHours(48));

    assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(gate.grant(r.id(), "alice", "late").orElseThrow().status())
        .isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(gate.auditTrail())
        .extracting(AuditEvent::type)
        .containsExactly(AuditEvent.Type.REQUESTED, AuditEvent.Type.EXPIRED);
    assertThat(gate.auditTrail().get(1).actor()).isEqualTo(ApprovalGate.SYSTEM_ACTOR);
  }

  @Test
  void pending_justBeforeDeadline_canStillBeGranted() {
    ApprovalRequest r = gate.request(WINBACK, "why", "engine");
    clock.advance(Duration.ofHours(48).minusSeconds(1));

    assertThat(gate.grant(r.id(), "alice", "ok").orElseThrow().status())
        .isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void grant_pastValidity_expiresAndANewRequestIsCreated() {
    ApprovalRequest r = gate.request(WINBACK, "why", "engine");
    gate.grant(r.id(), "alice", "ok");
    clock.advance(Duration.ofDays(7));

    assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.EXPIRED);
    ApprovalRequest again = gate.request(WINBACK, "why", "engine");

    assertThat(again.id()).isNotEqualTo(r.id());
    assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(gate.auditTrail(WINBACK))
        .extracting(AuditEvent::type)
        .containsExactly(
            AuditEvent.Type.REQUESTED,
            AuditEvent.Type.GRANTED,
            AuditEvent.Type.EXPIRED,
            AuditEvent.Type.REQUESTED);
  }

  @Test
  void request_whileApproved_returnsTheGrant() {
    ApprovalRequest r = gate.request(WINBACK, "why", "engine");
    gate.grant(r.id(), "alice", "ok");

    assertThat(gate.request(WINBACK, "why", "engine").status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void grant_unknownId_isEmpty() {
    assertThat(gate.grant("apr-404", "alice", "ok")).isEmpty();
  }

  @Test
  void grant_blankActor_isRejected() {
    ApprovalRequest r = gate.request(WINBACK, "why", "engine");

    assertThatThrownBy(() -> gate.grant(r.id(), " ", "ok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("actor must not be blank");
  }

  @Test
  void keys_campaignAndAction_areDistinct() {
    gate.request(WINBACK, "why", "engine");

    assertThat(gate.check(ApprovalKey.action("winback", "C-1", "create_discount")))
        .isEqualTo(ApprovalStatus.NOT_REQUESTED);
    assertThat(ApprovalKey.action("winback", "C-1", "create_discount").value())
        .isEqualTo("action:winback:C-1:create_discount");
  }

  @Test
  void builder_nonPositiveTtl_isRejected() {
    assertThatThrownBy(() -> ApprovalGate.builder().requestTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestTtl must be positive but was PT0S");
  }

  @Test
  void twoGatesOnOneStore_grantAndRejectAtOnce_recordOneDecision() throws Exception {
    InMemoryApprovalStore store = new InMemoryApprovalStore();
    ApprovalGate a = ApprovalGate.builder().clock(clock).store(store).build();
    ApprovalGate b = ApprovalGate.builder().clock(clock).store(store).build();
    ApprovalRequest r = a.request(WINBACK, "why", "engine");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ApprovalRequest>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) {
        ApprovalGate g = i % 2 == 0 ? a : b;
        boolean grant = i % 4 < 2;
        String actor = "actor-" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return (grant ? g.grant(r.id(), actor, "ok") : g.reject(r.id(), actor, "no"))
                      .orElseThrow();
                }));
      }
      start.countDown();
      List<ApprovalRequest> seen = new ArrayList<>();
      for (Future<ApprovalRequest> f : results) {
        seen.add(f.get(30, TimeUnit.SECONDS));
      }
      ApprovalRequest stored = b.find(r.id()).orElseThrow();
      assertThat(seen)
          .allSatisfy(
              x -> {
                assertThat(x.status()).isEqualTo(stored.status());
                assertThat(x.decidedBy()).isEqualTo(stored.decidedBy());
              });
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.auditTrail())
        .extracting(AuditEvent::type)
        .hasSize(2)
        .first()
        .isEqualTo(AuditEvent.Type.REQUESTED);
  }

  @Test
  void twoGatesOnOneStore_requestOfOneGrantedThroughTheOther_isApprovedInBoth() {
    InMemoryApprovalStore store = new InMemoryApprovalStore();
    ApprovalGate a = ApprovalGate.builder().clock(clock).store(store).build();
    ApprovalGate b = ApprovalGate.builder().clock(clock).store(store).build();
    ApprovalRequest r = a.request(WINBACK, "why", "engine");

    assertThat(b.request(WINBACK, "why", "engine").id()).isEqualTo(r.id());
    b.grant(r.id(), "alice", "ok");

    assertThat(a.check(WINBACK)).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(a.reject(r.id(), "bob", "late").orElseThrow().status())
        .isEqualTo(ApprovalStatus.APPROVED);
  }
}
