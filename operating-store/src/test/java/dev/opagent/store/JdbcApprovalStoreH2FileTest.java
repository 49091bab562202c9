package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.AuditEvent;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approval store in an H2 file, including after the file is closed and opened again. */
class JdbcApprovalStoreH2FileTest extends ApprovalStoreContract {
  private static final ApprovalKey LOYALTY = ApprovalKey.campaign("loyalty");

  @TempDir Path dir;

  @Override
  OperatingStore openStore() {
    return OperatingStore.open("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(), "sa", "");
  }

  @Test
  void reopened_keepsRequestsDecisionsAndTheAuditTrail() {
    ApprovalRequest granted = gateA.request(WINBACK, "why", "engine");
    gateB.grant(granted.id(), "alice", "ok");
    ApprovalRequest pending = gateA.request(LOYALTY, "why", "engine");
    closeStores();
    opened.clear();

    try (OperatingStore again = openStore()) {
      ApprovalGate gate = again.approvalGate(clock);
      assertThat(gate.check(WINBACK)).isEqualTo(ApprovalStatus.APPROVED);
      assertThat(again.approvalStore().pending())
          .extracting(ApprovalRequest::id)
          .containsExactly(pending.id());
      assertThat(gate.auditTrail())
          .extracting(AuditEvent::type)
          .containsExactly(
              AuditEvent.Type.REQUESTED, AuditEvent.Type.GRANTED, AuditEvent.Type.REQUESTED);

      clock.advance(Duration.ofHours(48));
      assertThat(gate.check(LOYALTY)).isEqualTo(ApprovalStatus.EXPIRED);
      assertThat(again.approvalStore().pending()).isEmpty();
    }
  }
}
