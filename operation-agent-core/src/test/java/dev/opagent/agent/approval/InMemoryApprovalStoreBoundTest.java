package dev.opagent.agent.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory approval store is bounded, forgets only superseded requests, says when full. */
class InMemoryApprovalStoreBoundTest {
  private static final Instant NOW = Instant.parse("2026-03-15T10:00:00Z");

  private static ApprovalRequest pending(String id, ApprovalKey key) {
    return new ApprovalRequest(
        id,
        key,
        "spend above limit",
        "engine",
        NOW,
        NOW.plus(Duration.ofDays(1)),
        ApprovalStatus.PENDING,
        null,
        null,
        null,
        null,
        null);
  }

  private static AuditEvent requested(ApprovalRequest r) {
    return new AuditEvent(NOW, AuditEvent.Type.REQUESTED, r.id(), r.key(), "engine", "asked");
  }

  @Test
  void createIfNoneOpen_beyondMaxRequestsOfOpenKeys_failsTypedAndRecordsNothing() {
    InMemoryApprovalStore store = new InMemoryApprovalStore(3, 100);
    for (int i = 0; i < 3; i++) {
      ApprovalRequest r = pending("r-" + i, ApprovalKey.campaign("c-" + i));
      assertThat(store.createIfNoneOpen(r, requested(r))).isTrue();
    }
    ApprovalRequest fourth = pending("r-3", ApprovalKey.campaign("c-3"));

    assertThatThrownBy(() -> store.createIfNoneOpen(fourth, requested(fourth)))
        .isInstanceOf(ApprovalStoreFullException.class)
        .hasMessageContaining("maxRequests 3")
        .satisfies(e -> assertThat(((ApprovalStoreFullException) e).capacity()).isEqualTo(3));
    assertThat(store.requestCount()).isEqualTo(3);
    assertThat(store.auditTrail()).hasSize(3);
    assertThat(store.byId("r-3")).isEmpty();
    assertThat(store.latest(ApprovalKey.campaign("c-0"))).isPresent();
  }

  @Test
  void createIfNoneOpen_manyRoundsOfOneKey_forgetsSupersededRequestsOnly() {
    InMemoryApprovalStore store = new InMemoryApprovalStore(3, 1000);
    ApprovalKey key = ApprovalKey.campaign("winback");
    ApprovalKey other = ApprovalKey.campaign("loyalty");
    ApprovalRequest kept = pending("other", other);
    store.createIfNoneOpen(kept, requested(kept));

    for (int i = 0; i < 50; i++) {
      ApprovalRequest r = pending("r-" + i, key);
      assertThat(store.createIfNoneOpen(r, requested(r))).isTrue();
      ApprovalRequest rejected = r.decided(ApprovalStatus.REJECTED, "ops", NOW, "no", null);
      assertThat(
              store.replaceIf(
                  ApprovalStatus.PENDING,
                  rejected,
                  new AuditEvent(NOW, AuditEvent.Type.REJECTED, r.id(), key, "ops", "no")))
          .isTrue();
    }

    assertThat(store.requestCount()).isLessThanOrEqualTo(3);
    assertThat(store.latest(key))
        .hasValueSatisfying(
            r -> {
              assertThat(r.id()).isEqualTo("r-49");
              assertThat(r.status()).isEqualTo(ApprovalStatus.REJECTED);
            });
    assertThat(store.latest(other)).contains(kept);
    assertThat(store.auditTrail()).as("the audit trail is never shortened").hasSize(101);
  }

  @Test
  void append_beyondMaxAuditEvents_failsTypedAndRecordsNothing() {
    InMemoryApprovalStore store = new InMemoryApprovalStore(10, 2);
    ApprovalRequest r = pending("r-1", ApprovalKey.campaign("c"));
    store.createIfNoneOpen(r, requested(r));
    store.append(requested(r));

    assertThatThrownBy(() -> store.append(requested(r)))
        .isInstanceOf(ApprovalStoreFullException.class)
        .hasMessageContaining("maxAuditEvents 2");
    ApprovalRequest rejected = r.decided(ApprovalStatus.REJECTED, "ops", NOW, "no", null);
    assertThatThrownBy(
            () ->
                store.replaceIf(
                    ApprovalStatus.PENDING,
                    rejected,
                    new AuditEvent(NOW, AuditEvent.Type.REJECTED, r.id(), r.key(), "ops", "no")))
        .isInstanceOf(ApprovalStoreFullException.class);
    assertThat(store.byId("r-1"))
        .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(ApprovalStatus.PENDING));
    assertThat(store.auditTrail()).hasSize(2);
  }

  @Test
  void defaults_areTheDocumentedMaximums() {
    assertThat(InMemoryApprovalStore.DEFAULT_MAX_REQUESTS).isEqualTo(100_000);
    assertThat(InMemoryApprovalStore.DEFAULT_MAX_AUDIT_EVENTS).isEqualTo(1_000_000);
    assertThatThrownBy(() -> new InMemoryApprovalStore(0, 1))
        .hasMessage("maxRequests must be positive but was 0");
  }
}
