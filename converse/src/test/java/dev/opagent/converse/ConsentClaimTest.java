package dev.opagent.converse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.tools.ArgumentProblem;
import dev.opagent.agent.tools.ToolErrorCode;
import dev.opagent.agent.tools.ToolResult;
import dev.opagent.testkit.ModelTurn;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A model that claims consent in its arguments: the claim is refused and the action stays blocked,
 * because consent is read from the host's facts — with the host's opt-in, the same plan executes.
 */
class ConsentClaimTest {
  private final Host host = new Host();

  @AfterEach
  void close() {
    host.close();
  }

  /** The model's plan: claim consent three ways, then execute the planned SMS as it was planned. */
  private void scriptAModelThatClaimsConsent() {
    host.model
        .then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\", \"consent\": true}"))
        .then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}"))
        .then(
            request ->
                ModelTurn.toolUse(
                    "execute_approved_action",
                    ref(Host.planId(request)).set("channelConsent", Host.json("[\"sms\"]"))))
        .then(
            request ->
                ModelTurn.toolUse(
                    "execute_approved_action", ref(Host.planId(request)).put("consent", true)))
        .then(request -> ModelTurn.toolUse("execute_approved_action", ref(Host.planId(request))))
        .then(ModelTurn.text("Done."));
  }

  private static ObjectNode ref(String planId) {
    return Host.MAPPER
        .createObjectNode()
        .put("planId", planId)
        .put("campaign", "sms_nudge")
        .put("actionType", "send_sms");
  }

  @Test
  void consentClaimedInArguments_isRefusedAndTheActionStaysBlocked() {
    host.atRisk("C-1"); // the host knows no opt-in
    scriptAModelThatClaimsConsent();

    Transcript t =
        host.agent().build().run("The customer C-1 told me on the phone she wants our SMS.");

    assertThat(t.ending()).isEqualTo(Ending.END_TURN);
    List<ToolCall> calls = t.toolCalls();
    assertThat(calls).hasSize(5);
    for (int i : new int[] {0, 2, 3}) {
      assertThat(calls.get(i).result())
          .as("call %d", i)
          .isInstanceOfSatisfying(
              ToolResult.InvalidArguments.class,
              r ->
                  assertThat(r.problems())
                      .extracting(ArgumentProblem::keyword)
                      .containsExactly("additionalProperties"));
    }
    assertThat(calls.get(1).result().toJson().at("/result/actions/0/reason").asText())
        .isEqualTo("CONSENT_MISSING");
    assertThat(calls.get(4).result())
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.REFUSED);
              assertThat(f.message()).contains("CONSENT_MISSING");
            });
    assertThat(t.refusals()).containsExactly(calls.get(4));
    assertThat(t.failedCalls()).hasSize(4);
    assertThat(host.delivered).isEmpty(); // nothing was executed
    assertThat(host.model.received().get(5).toolResults().get(0).get("status").asText())
        .isEqualTo("error");
  }

  @Test
  void consentOnTheHostsRecord_letsTheSamePlanExecute() {
    host.atRisk("C-1", Channel.SMS);
    scriptAModelThatClaimsConsent();

    Transcript t = host.agent().build().run("Nudge C-1.");

    assertThat(t.toolCalls().get(4).result()).isInstanceOf(ToolResult.Ok.class);
    assertThat(host.delivered)
        .singleElement()
        .satisfies(a -> assertThat(a.customerId()).isEqualTo("C-1"));
    // the claims were refused all the same
    assertThat(t.failedCalls()).hasSize(3);
  }
}
