package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.agent.tools.ArgumentProblem;
import dev.opagent.agent.tools.ToolErrorCode;
import dev.opagent.agent.tools.ToolResult;
import dev.opagent.converse.Ending;
import dev.opagent.converse.ToolCall;
import dev.opagent.converse.Transcript;
import dev.opagent.examples.TelecomAssistantExample.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelecomAssistantExampleTest {

  private static ToolResult result(List<Turn> turns, int i) {
    return turns.get(i).result();
  }

  @Test
  void run_script_isolatesMistakesAndExecutesOnlyAfterAHumanGrants() {
    Output out = new Output();

    TelecomAssistantExample.Conversation c =
        TelecomAssistantExample.run(TelecomAssistantExample.SCRIPT, out.stream);

    List<Turn> t = c.turns();
    assertThat(t)
        .extracting(Turn::tool)
        .containsExactly(
            "get_current_bill",
            "get_remaining_quotas",
            "get_remaining_quotas",
            "analyze_customer",
            "plan_actions",
            "execute_approved_action",
            "request_approval",
            "execute_approved_action",
            "human:grant",
            "execute_approved_action",
            "read_metrics");
    assertThat(result(t, 0))
        .isInstanceOfSatisfying(
            ToolResult.UnknownTool.class,
            u -> assertThat(u.available()).contains("plan_actions", "get_remaining_quotas"));
    assertThat(result(t, 1))
        .isInstanceOfSatisfying(
            ToolResult.InvalidArguments.class,
            i ->
                assertThat(i.problems())
                    .extracting(ArgumentProblem::pointer)
                    .containsExactly("/userId"));
    assertThat(result(t, 2).toJson().at("/result/dataGb").asDouble()).isEqualTo(12.5);
    assertThat(result(t, 3).toJson().at("/result/analysis/churnSegment").asText())
        .isEqualTo("Riskli");
    assertThat(result(t, 4).toJson().at("/result/actions/0/approvalRequired").asBoolean()).isTrue();
    assertThat(result(t, 5))
        .isInstanceOfSatisfying(
            ToolResult.Failed.class, f -> assertThat(f.code()).isEqualTo(ToolErrorCode.REFUSED));
    assertThat(result(t, 6))
        .isInstanceOfSatisfying(
            ToolResult.ApprovalRequired.class,
            a -> assertThat(a.approvalStatus()).isEqualTo(ApprovalStatus.PENDING));
    assertThat(result(t, 7)).isInstanceOf(ToolResult.ApprovalRequired.class);
    assertThat(result(t, 9).toJson().at("/result/executionId").asText()).isEqualTo("msg-1");
    assertThat(result(t, 10).toJson().at("/result/0/metrics/delivered").asLong()).isEqualTo(1);

    assertThat(c.executed())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.campaign()).isEqualTo("winback");
              assertThat(a.customerId()).isEqualTo("C-1002");
            });
    assertThat(c.audit())
        .extracting(AuditEvent::type, AuditEvent::actor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.REQUESTED, "llm-agent"),
            org.assertj.core.groups.Tuple.tuple(AuditEvent.Type.GRANTED, "retention-lead"));
    // two runs of the agent: the grant ends the first, the conversation continues in the second
    assertThat(c.transcripts())
        .extracting(Transcript::ending)
        .containsExactly(Ending.END_TURN, Ending.END_TURN);
    assertThat(c.transcripts().get(0).toolCalls()).hasSize(8);
    assertThat(c.transcripts().get(0).answer()).contains("awaits the retention lead's approval");
    assertThat(c.transcripts().get(1).toolCalls())
        .extracting(ToolCall::name)
        .containsExactly("execute_approved_action", "read_metrics");
    assertThat(c.transcripts().get(1).messages())
        .hasSizeGreaterThan(c.transcripts().get(0).messages().size());
    assertThat(out.text())
        .contains("→ get_current_bill {\"user_id\":7}")
        .contains("← {\"status\":\"unknown_tool\"")
        .contains("[human] retention-lead grants apr-");
  }

  @Test
  void run_withoutTheHuman_executesNothing() {
    String noGrant =
        """
        [{"tool": "plan_actions", "arguments": {"customerId": "C-1002"}},
         {"tool": "request_approval",
          "arguments": {"planId": "${planId}", "campaign": "winback", "actionType": "send_email"}},
         {"tool": "execute_approved_action",
          "arguments": {"planId": "${planId}", "campaign": "winback", "actionType": "send_email"}}]""";

    TelecomAssistantExample.Conversation c =
        TelecomAssistantExample.run(noGrant, new Output().stream);

    assertThat(c.executed()).isEmpty();
    assertThat(result(c.turns(), 2))
        .isInstanceOfSatisfying(
            ToolResult.ApprovalRequired.class,
            a -> assertThat(a.approvalStatus()).isEqualTo(ApprovalStatus.PENDING));
    assertThat(c.audit()).extracting(AuditEvent::type).containsExactly(AuditEvent.Type.REQUESTED);
    assertThat(c.transcripts())
        .singleElement()
        .satisfies(t -> assertThat(t.toolCalls()).hasSize(3));
  }
}
