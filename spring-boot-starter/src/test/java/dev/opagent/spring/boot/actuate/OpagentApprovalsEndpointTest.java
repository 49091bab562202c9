package dev.opagent.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.segment.CustomerData;
import dev.opagent.spring.boot.OpagentAutoConfiguration;
import dev.opagent.spring.boot.OpagentStoreAutoConfiguration;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The approvals endpoint over requests filed by a real round of the loop on an H2 file store, as
 * {@code opagent approvals} sees them.
 */
class OpagentApprovalsEndpointTest {
  private static AgentSimulator agent;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    agent = AgentSimulator.start();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @Configuration(proxyBeanMethods = false)
  static class Channel {
    @Bean
    InMemoryChannel channel() {
      return InMemoryChannel.create();
    }
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                OpagentStoreAutoConfiguration.class,
                OpagentAutoConfiguration.class,
                OpagentActuatorAutoConfiguration.class))
        .withUserConfiguration(Channel.class)
        .withPropertyValues(
            "opagent.agent.runtime-arn=" + agent.agentRuntimeArn(),
            "opagent.agent.endpoint=" + agent.endpoint(),
            "opagent.store.url=jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
            "opagent.consent.default-channels=email,sms,push,in_app",
            "management.endpoints.web.exposure.include=health,opagentapprovals");
  }

  private static SecurityContext as(String name) {
    Principal principal = () -> name;
    return new SecurityContext() {
      @Override
      public Principal getPrincipal() {
        return principal;
      }

      @Override
      public boolean isUserInRole(String role) {
        return false;
      }
    };
  }

  @Test
  void roundFilesApprovals_listedMasked_approvedByThePrincipalInTheStore() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<CustomerData> customers =
        PopulationGenerator.builder().seed(3).asOf(today).build().list(120);
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(OpagentApprovalsEndpoint.class);
              RoundReport report =
                  context.getBean(OperationAgent.class).runRound("approvals-1", customers);
              assertThat(report.notChosenByReason()).containsKey(ReasonCode.APPROVAL_REQUIRED);

              OpagentApprovalsEndpoint endpoint = context.getBean(OpagentApprovalsEndpoint.class);
              OpagentApprovalsEndpoint.PendingApprovals pending = endpoint.pending();
              assertThat(pending.count()).isPositive().isEqualTo(pending.approvals().size());
              OpagentApprovalsEndpoint.Approval winback =
                  pending.approvals().stream()
                      .filter(a -> "winback".equals(a.campaign()))
                      .findFirst()
                      .orElseThrow();
              assertThat(winback.scope()).isEqualTo("campaign");
              assertThat(winback.why()).isNotBlank();
              assertThat(winback.requestedBy()).isNotBlank();
              assertThat(winback.expiresAt()).isAfter(winback.requestedAt());
              assertThat(winback.cost()).as("filed by the engine with its cost").isPositive();
              String listed = pending.toString();
              for (CustomerData c : customers) {
                assertThat(listed).doesNotContain(c.customerId());
              }

              WebEndpointResponse<Object> approved =
                  endpoint.decide(winback.id(), "approve", "spring budget approved", as("alice"));

              assertThat(approved.getStatus()).isEqualTo(200);
              OpagentApprovalsEndpoint.Decided decided =
                  (OpagentApprovalsEndpoint.Decided) approved.getBody();
              assertThat(decided.status()).isEqualTo(ApprovalStatus.APPROVED);
              assertThat(decided.decidedBy()).isEqualTo("alice");
              assertThat(decided.validUntil()).isNotNull();
              // what every process on the store now sees, through a gate of its own
              ApprovalGate other =
                  context.getBean(OperatingStore.class).approvalGate(Clock.systemUTC());
              assertThat(other.check(ApprovalKey.campaign("winback")))
                  .isEqualTo(ApprovalStatus.APPROVED);
              List<AuditEvent> trail = other.auditTrail(ApprovalKey.campaign("winback"));
              AuditEvent last = trail.get(trail.size() - 1);
              assertThat(last.type()).isEqualTo(AuditEvent.Type.GRANTED);
              assertThat(last.actor()).isEqualTo("alice");
              assertThat(last.reason()).isEqualTo("spring budget approved");
              assertThat(endpoint.pending().approvals())
                  .extracting(OpagentApprovalsEndpoint.Approval::id)
                  .doesNotContain(winback.id());

              assertThat(
                      endpoint
                          .decide(winback.id(), "reject", "changed my mind", as("bob"))
                          .getStatus())
                  .as("no longer pending")
                  .isEqualTo(409);
              assertThat(other.check(ApprovalKey.campaign("winback")))
                  .isEqualTo(ApprovalStatus.APPROVED);
            });
  }

  @Test
  void reject_withoutPrincipal_isRecordedAsTheActuator_andNeedsAReason() {
    runner()
        .run(
            context -> {
              OperatingStore store = context.getBean(OperatingStore.class);
              ApprovalRequest r =
                  store
                      .approvalGate(Clock.systemUTC())
                      .request(
                          ApprovalKey.action("retention", "C-100234", "create_discount"),
                          "discount 25% reaches 20%",
                          "decision-engine");
              OpagentApprovalsEndpoint endpoint = context.getBean(OpagentApprovalsEndpoint.class);
              OpagentApprovalsEndpoint.Approval listed = endpoint.pending().approvals().get(0);
              assertThat(listed.scope()).isEqualTo("action");
              assertThat(listed.actionType()).isEqualTo("create_discount");
              assertThat(listed.customer()).isEqualTo("****34");

              assertThatThrownBy(() -> endpoint.decide(r.id(), "reject", " ", SecurityContext.NONE))
                  .isInstanceOf(InvalidEndpointRequestException.class)
                  .hasMessageContaining("reason");
              assertThatThrownBy(() -> endpoint.decide(r.id(), "ignore", "x", SecurityContext.NONE))
                  .isInstanceOf(InvalidEndpointRequestException.class);
              assertThat(
                      endpoint
                          .decide("apr-unknown", "approve", null, SecurityContext.NONE)
                          .getStatus())
                  .isEqualTo(404);

              WebEndpointResponse<Object> rejected =
                  endpoint.decide(r.id(), "reject", "discount too deep", SecurityContext.NONE);

              assertThat(rejected.getStatus()).isEqualTo(200);
              ApprovalRequest stored = store.approvalStore().byId(r.id()).orElseThrow();
              assertThat(stored.status()).isEqualTo(ApprovalStatus.REJECTED);
              assertThat(stored.decidedBy()).isEqualTo(OpagentApprovalsEndpoint.ANONYMOUS_ACTOR);
              assertThat(endpoint.pending().count()).isZero();
            });
  }

  @Test
  void notExposed_orNoStore_noEndpoint() {
    runner()
        .withPropertyValues("management.endpoints.web.exposure.include=health")
        .run(context -> assertThat(context).doesNotHaveBean(OpagentApprovalsEndpoint.class));
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                OpagentStoreAutoConfiguration.class,
                OpagentAutoConfiguration.class,
                OpagentActuatorAutoConfiguration.class))
        .withPropertyValues(
            "opagent.agent.runtime-arn=" + agent.agentRuntimeArn(),
            "opagent.agent.endpoint=" + agent.endpoint(),
            "management.endpoints.web.exposure.include=opagentapprovals")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(OpagentApprovalsEndpoint.class));
  }
}
