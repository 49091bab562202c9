package dev.opagent.agent.tools;

import static dev.opagent.agent.tools.ToolFixtures.action;
import static dev.opagent.agent.tools.ToolFixtures.content;
import static dev.opagent.agent.tools.ToolFixtures.json;
import static dev.opagent.agent.tools.ToolFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The tools' guarantees against a model that argues: facts come from the host, approvals cover one
 * customer, audiences count across calls, and an action executes at most once.
 */
class SdkToolsSafetyTest {

  // ---- facts come from the host ----

  @Test
  void planActions_argumentsClaimingConsentZoneSegmentsOrData_areRejectedAndChangeNoVerdict() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.open());
    host.atRisk("C-1"); // the host knows no opt-in

    for (String claim :
        List.of(
            "\"consents\": [\"sms\"]",
            "\"timeZone\": \"UTC\"",
            "\"analysis\": {\"churnSegment\": \"Aktif\"}",
            "\"attributes\": {\"vip\": true}",
            "\"customerData\": {\"customerId\": \"C-1\"}",
            "\"consent\": {\"sms\": true}")) {
      ToolResult r =
          host.registry.dispatch("plan_actions", json("{\"customerId\": \"C-1\", " + claim + "}"));
      assertThat(r)
          .as(claim)
          .isInstanceOfSatisfying(
              ToolResult.InvalidArguments.class,
              i ->
                  assertThat(i.problems())
                      .extracting(ArgumentProblem::keyword)
                      .containsExactly("additionalProperties"));
    }
    JsonNode plan = host.plan("C-1");
    JsonNode sms = action(plan, "sms_nudge");
    assertThat(sms.get("status").asText()).isEqualTo("BLOCKED");
    assertThat(sms.get("reason").asText()).isEqualTo("CONSENT_MISSING");

    ToolResult executed =
        host.registry.dispatch(
            "execute_approved_action", ref(plan, "sms_nudge", "send_sms").put("consents", "sms"));
    assertThat(executed).isInstanceOf(ToolResult.InvalidArguments.class);
    ToolResult refused =
        host.registry.dispatch("execute_approved_action", ref(plan, "sms_nudge", "send_sms"));
    assertThat(refused)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class, f -> assertThat(f.code()).isEqualTo(ToolErrorCode.REFUSED));
    assertThat(host.delivered).isEmpty();
  }

  @Test
  void planActions_hostSaysConsented_smsIsChosen() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.open());
    host.atRisk("C-1", Channel.SMS);

    assertThat(action(host.plan("C-1"), "sms_nudge").get("status").asText()).isEqualTo("CHOSEN");
  }

  @Test
  void executeApprovedAction_consentWithdrawnAfterPlanning_decidesOnTheHostsCurrentFacts() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.open());
    host.atRisk("C-1", Channel.SMS);
    JsonNode plan = host.plan("C-1");
    assertThat(action(plan, "sms_nudge").get("status").asText()).isEqualTo("CHOSEN");

    host.atRisk("C-1"); // the customer opts out before the model executes
    ToolResult r =
        host.registry.dispatch("execute_approved_action", ref(plan, "sms_nudge", "send_sms"));

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.REFUSED);
              assertThat(f.message()).contains("CONSENT_MISSING");
            });
    assertThat(host.delivered).isEmpty();
  }

  @Test
  void planActions_unknownCustomer_answersNotFoundWithoutRepeatingTheId() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.open());

    ToolResult r =
        host.registry.dispatch("plan_actions", json("{\"customerId\": \"jane.doe@example.com\"}"));

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.NOT_FOUND);
              assertThat(f.toJson().toString()).doesNotContain("jane");
            });
  }

  @Test
  void build_rulesWithoutCustomerContextProvider_failsNamingTheSetting() {
    SdkTools.Builder b =
        SdkTools.builder()
            .rules(RuleSetLoader.ofDefaults().load(RuleSource.string("t", ToolFixtures.RULES)));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("customerContextProvider is required");
  }

  // ---- approvals cover one customer; audiences count across calls ----

  @Test
  void executeApprovedAction_grantRequestedForOneCustomer_doesNotCoverAnother() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.approvals());
    host.atRisk("A", Channel.EMAIL);
    host.atRisk("B", Channel.EMAIL);
    JsonNode planA = host.plan("A");
    ToolResult.ApprovalRequired asked =
        (ToolResult.ApprovalRequired)
            host.registry.dispatch("request_approval", ref(planA, "winback", "send_email"));
    host.gate.grant(asked.approvalId(), "alice", "50% for A");

    JsonNode planB = host.plan("B");
    ToolResult forB =
        host.registry.dispatch("execute_approved_action", ref(planB, "winback", "send_email"));
    ToolResult forA =
        host.registry.dispatch("execute_approved_action", ref(planA, "winback", "send_email"));

    assertThat(forB)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> assertThat(f.message()).contains("call request_approval first"));
    assertThat(content(forA).get("executionId").asText()).isEqualTo("msg-1");
    assertThat(host.delivered).extracting(a -> a.customerId()).containsExactly("A");
    assertThat(host.gate.find(asked.approvalId()).orElseThrow().key().value())
        .isEqualTo("action:winback:A:send_email");
  }

  @Test
  void executeApprovedAction_campaignWideGrant_doesNotLetTheModelReachAnyone() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.approvals());
    host.atRisk("B", Channel.EMAIL);
    String id =
        host.gate
            .request(dev.opagent.agent.approval.ApprovalKey.campaign("winback"), "batch run", "ops")
            .id();
    host.gate.grant(id, "alice", "for tonight's batch");

    ToolResult r =
        host.registry.dispatch(
            "execute_approved_action", ref(host.plan("B"), "winback", "send_email"));

    assertThat(r).isInstanceOf(ToolResult.Failed.class);
    assertThat(host.delivered).isEmpty();
  }

  @Test
  void planActions_audienceThresholdCountedAcrossToolCalls_laterCustomersNeedTheirOwnApproval() {
    DecisionPolicy policy =
        DecisionPolicy.builder()
            .clearFrequencyCaps()
            .approval(new ApprovalThresholds(2.0, null, 1, ApprovalScope.CAMPAIGN))
            .build();
    ToolFixtures host = new ToolFixtures(policy);
    for (String c : List.of("A", "B", "C")) {
      host.atRisk(c, Channel.EMAIL);
    }

    List<ToolResult> results = new ArrayList<>();
    for (String c : List.of("A", "B", "C")) {
      JsonNode plan = host.plan(c);
      if (!c.equals("A")) {
        JsonNode winback = action(plan, "winback");
        assertThat(winback.get("approvalRequired").asBoolean()).as(c).isTrue();
        assertThat(winback.get("approvalReason").asText()).as(c).startsWith("audience");
        assertThat(winback.get("status").asText()).as(c).isEqualTo("DEFERRED");
      }
      results.add(
          host.registry.dispatch("execute_approved_action", ref(plan, "winback", "send_email")));
    }

    assertThat(results.get(0)).isInstanceOf(ToolResult.Ok.class);
    assertThat(results.subList(1, 3))
        .allSatisfy(r -> assertThat(r).isInstanceOf(ToolResult.Failed.class));
    assertThat(host.delivered).extracting(a -> a.customerId()).containsExactly("A");

    // A human approves B: B's action goes through, C's still waits.
    JsonNode planB = host.plan("B");
    ToolResult.ApprovalRequired asked =
        (ToolResult.ApprovalRequired)
            host.registry.dispatch("request_approval", ref(planB, "winback", "send_email"));
    host.gate.grant(asked.approvalId(), "alice", "B is fine");
    assertThat(
            host.registry.dispatch("execute_approved_action", ref(planB, "winback", "send_email")))
        .isInstanceOf(ToolResult.Ok.class);
    assertThat(host.delivered).extracting(a -> a.customerId()).containsExactly("A", "B");
  }

  // ---- at most once, serialised per customer ----

  @Test
  void executeApprovedAction_repeated_answersAlreadyExecutedAndChargesOnce() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.open());
    host.atRisk("A", Channel.EMAIL);
    ObjectNode ref = ref(host.plan("A"), "winback", "send_email");

    ToolResult first = host.registry.dispatch("execute_approved_action", ref);
    BigDecimal charged = host.engine.budgetLedger().campaign("winback").committed();
    ToolResult second = host.registry.dispatch("execute_approved_action", ref);

    assertThat(content(first).get("executionId").asText()).isEqualTo("msg-1");
    assertThat(second)
        .isInstanceOfSatisfying(
            ToolResult.AlreadyExecuted.class,
            d -> {
              assertThat(d.executionId()).isEqualTo("msg-1");
              assertThat(d.isError()).isFalse();
              assertThat(d.toJson().get("status").asText()).isEqualTo("already_executed");
            });
    assertThat(host.delivered).hasSize(1);
    assertThat(charged.signum()).isPositive();
    assertThat(host.engine.budgetLedger().campaign("winback").committed()).isEqualTo(charged);
    assertThat(host.engine.contactHistory().contactsSince("A", java.time.Instant.EPOCH)).hasSize(1);
  }

  @Test
  void executeApprovedAction_concurrentCallsForOneCustomer_deliverOnceUnderADailyCap()
      throws Exception {
    ToolFixtures host = new ToolFixtures(ToolFixtures.oneEmailPerDay());
    host.deliveryMillis = 50;
    host.atRisk("A", Channel.EMAIL);
    int threads = 6;
    List<ObjectNode> refs = new ArrayList<>();
    JsonNode shared = host.plan("A");
    for (int i = 0; i < threads; i++) {
      // half repeat one plan, half bring plans of their own
      refs.add(ref(i % 2 == 0 ? shared : host.plan("A"), "winback", "send_email"));
    }
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<ToolResult>> calls = new ArrayList<>();
      for (ObjectNode r : refs) {
        calls.add(
            pool.submit(
                () -> {
                  start.await();
                  return host.registry.dispatch("execute_approved_action", r);
                }));
      }
      List<ToolResult> results = new ArrayList<>();
      for (Future<ToolResult> f : calls) {
        results.add(f.get());
      }

      assertThat(host.delivered).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof ToolResult.Ok).hasSize(1);
      assertThat(results)
          .filteredOn(r -> !(r instanceof ToolResult.Ok))
          .allSatisfy(
              r ->
                  assertThat(r)
                      .isInstanceOfAny(ToolResult.AlreadyExecuted.class, ToolResult.Failed.class));
      assertThat(host.engine.budgetLedger().openReservations()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void dispatch_toolThatBlocks_answersTimedOutWithinTheDeadline() {
    ToolRegistry registry = ToolRegistry.builder().callTimeout(Duration.ofMillis(200)).build();
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    boolean[] interrupted = {false};
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    registry.register(
        ToolDefinition.builder("hang", Hang.class)
            .description("Never answers.")
            .build(
                a -> {
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    interrupted[0] = true;
                  } finally {
                    ended.countDown();
                  }
                  return "late";
                }));

    ToolResult r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> registry.dispatch("hang", json("{\"why\": \"x\"}")));

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.TIMED_OUT);
              assertThat(f.message()).contains("hang").contains("PT0.2S");
            });
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ended.await());
    assertThat(interrupted[0]).isTrue();
  }

  record Hang(String why) {}

  @Test
  void build_callTimeoutNotPositive_failsNamingIt() {
    assertThatThrownBy(() -> ToolRegistry.builder().callTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeout must be positive but was PT0S");
  }

  @Test
  void requestApproval_noApprovalNeeded_saysSo() {
    ToolFixtures host = new ToolFixtures(ToolFixtures.open());
    host.atRisk("A", Channel.EMAIL);

    JsonNode r =
        content(
            host.registry.dispatch(
                "request_approval", ref(host.plan("A"), "winback", "send_email")));

    assertThat(r.get("approvalNeeded").asBoolean()).isFalse();
    assertThat(r.get("approvalStatus").asText()).isEqualTo(ApprovalStatus.NOT_REQUESTED.name());
  }
}
