package dev.opagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an MCP client sees of the SDK's tools on an operating store, whatever the transport: the
 * SDK's own client against {@link McpTestHost}.
 */
abstract class McpServerContract {

  /** A connected, initialised client. */
  abstract McpSyncClient client();

  /** Where the host records deliveries. */
  abstract Path deliveries();

  /** Grants approval request {@code id} through the store, not through the server. */
  abstract void grantThroughStore(String id);

  private McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
    return client().callTool(new McpSchema.CallToolRequest(tool, arguments));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> structured(McpSchema.CallToolResult r) {
    assertThat(r.structuredContent()).isInstanceOf(Map.class);
    return (Map<String, Object>) r.structuredContent();
  }

  private static String text(McpSchema.CallToolResult r) {
    assertThat(r.content()).hasSize(1).first().isInstanceOf(McpSchema.TextContent.class);
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(McpSchema.CallToolResult r) {
    return (Map<String, Object>) structured(r).get("result");
  }

  @Test
  void listsTheRegistrysToolsWithSchemasAndAnnotations() {
    List<McpSchema.Tool> tools = client().listTools().tools();
    assertThat(tools)
        .extracting(McpSchema.Tool::name)
        .containsExactly(
            "check_eligibility",
            "plan_actions",
            "request_approval",
            "execute_approved_action",
            "read_metrics",
            "slow_report");
    McpSchema.Tool plan = tool(tools, "plan_actions");
    assertThat(plan.description()).startsWith("Plans the marketing actions");
    assertThat(plan.inputSchema()).containsEntry("type", "object");
    assertThat((Map<String, Object>) plan.inputSchema().get("properties"))
        .containsOnlyKeys("customerId");
    assertThat(plan.annotations().readOnlyHint()).isTrue();
    assertThat(plan.annotations().destructiveHint()).isNull();

    McpSchema.Tool execute = tool(tools, "execute_approved_action");
    assertThat(execute.annotations().readOnlyHint()).isFalse();
    assertThat(execute.annotations().destructiveHint()).isFalse();
    assertThat(execute.annotations().idempotentHint()).isTrue();
    assertThat(execute.description()).contains("Approval-gated").contains("approval_required");
    assertThat(execute.meta()).containsEntry(OpagentMcpServer.APPROVAL_GATED_META, true);

    McpSchema.Tool request = tool(tools, "request_approval");
    assertThat(request.annotations().readOnlyHint()).isFalse();
    assertThat(request.meta()).isNull();
  }

  private static McpSchema.Tool tool(List<McpSchema.Tool> tools, String name) {
    return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void readOnlyToolAnswersItsResultAsStructuredContentAndText() {
    McpSchema.CallToolResult r = call("check_eligibility", Map.of("customerId", "C-1"));

    assertThat(r.isError()).isFalse();
    assertThat(structured(r)).containsEntry("status", "ok");
    assertThat(text(r)).contains("\"status\":\"ok\"").contains("winback").contains("sms_nudge");
  }

  @Test
  void invalidArgumentsAreATypedErrorAndNothingRuns() throws IOException {
    List<String> before = McpTestHost.deliveries(deliveries());
    McpSchema.CallToolResult missing = call("plan_actions", Map.of());
    assertThat(missing.isError()).isTrue();
    assertThat(structured(missing))
        .containsEntry("status", "invalid_arguments")
        .containsEntry("code", "INVALID_ARGUMENTS")
        .containsEntry("field", "/customerId")
        .containsKey("fix");

    // a model that claims consent: rejected, and the value it sent is not echoed
    McpSchema.CallToolResult claims =
        call(
            "execute_approved_action",
            Map.of(
                "planId",
                "p",
                "campaign",
                "sms_nudge",
                "actionType",
                "send_sms",
                "consents",
                "sms-opt-in-4711"));
    assertThat(claims.isError()).isTrue();
    assertThat(structured(claims)).containsEntry("code", "INVALID_ARGUMENTS");
    assertThat(text(claims)).doesNotContain("sms-opt-in-4711").doesNotContain("Exception");

    McpSchema.CallToolResult wrongType = call("plan_actions", Map.of("customerId", 918273645));
    assertThat(wrongType.isError()).isTrue();
    assertThat(text(wrongType)).doesNotContain("918273645");
    assertThat(McpTestHost.deliveries(deliveries())).isEqualTo(before);
  }

  @Test
  void unknownCustomerIsNotFoundWithoutRepeatingTheId() {
    McpSchema.CallToolResult r = call("plan_actions", Map.of("customerId", "jane.doe@example.com"));

    assertThat(r.isError()).isTrue();
    assertThat(structured(r)).containsEntry("code", "NOT_FOUND").containsKey("fix");
    assertThat(text(r)).doesNotContain("jane.doe");
  }

  @Test
  void toolBeyondItsDeadlineAnswersTimedOut() {
    long start = System.nanoTime();
    McpSchema.CallToolResult r = call("slow_report", Map.of("millis", 30_000));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.isError()).isTrue();
    assertThat(structured(r)).containsEntry("code", "TIMED_OUT").containsKey("fix");
    assertThat(millis).isLessThan(10_000);
  }

  @Test
  void approvalGatedActionWaitsForAHumanThenExecutesOnce() throws IOException {
    McpSchema.CallToolResult planned = call("plan_actions", Map.of("customerId", "C-1"));
    assertThat(planned.isError()).isFalse();
    String planId = (String) result(planned).get("planId");
    Map<String, Object> ref =
        Map.of("planId", planId, "campaign", "winback", "actionType", "send_email");

    McpSchema.CallToolResult asked = call("request_approval", ref);
    assertThat(asked.isError()).isFalse();
    assertThat(structured(asked)).containsEntry("status", "approval_required");
    String approvalId = (String) structured(asked).get("approvalId");
    assertThat(approvalId).isNotBlank();

    McpSchema.CallToolResult early = call("execute_approved_action", ref);
    assertThat(early.isError()).isFalse();
    assertThat(structured(early))
        .containsEntry("status", "approval_required")
        .containsEntry("approvalId", approvalId);
    assertThat(McpTestHost.deliveries(deliveries())).isEmpty();
    assertThat(pendingApprovals()).contains(approvalId);

    grantThroughStore(approvalId);

    McpSchema.CallToolResult executed = call("execute_approved_action", ref);
    assertThat(executed.isError()).as(text(executed)).isFalse();
    assertThat(structured(executed)).containsEntry("status", "ok");
    assertThat(McpTestHost.deliveries(deliveries())).containsExactly("winback/send_email/C-1");
    assertThat(pendingApprovals()).doesNotContain(approvalId);

    McpSchema.CallToolResult again = call("execute_approved_action", ref);
    assertThat(again.isError()).isFalse();
    assertThat(structured(again))
        .containsEntry("status", "already_executed")
        .containsEntry("executionId", result(executed).get("executionId"));
    assertThat(McpTestHost.deliveries(deliveries())).hasSize(1);
  }

  private String pendingApprovals() {
    return read(OpagentMcpServer.APPROVALS_URI);
  }

  private String read(String uri) {
    McpSchema.ReadResourceResult r = client().readResource(new McpSchema.ReadResourceRequest(uri));
    assertThat(r.contents()).hasSize(1);
    McpSchema.TextResourceContents c = (McpSchema.TextResourceContents) r.contents().get(0);
    assertThat(c.uri()).isEqualTo(uri);
    assertThat(c.mimeType()).isEqualTo("application/json");
    return c.text();
  }

  @Test
  void listsAndReadsTheResourcesFromTheLiveObjects() {
    assertThat(client().listResources().resources())
        .extracting(McpSchema.Resource::uri)
        .containsExactlyInAnyOrder(
            OpagentMcpServer.RULES_URI,
            OpagentMcpServer.POLICY_URI,
            OpagentMcpServer.APPROVALS_URI,
            OpagentMcpServer.METRICS_URI);

    assertThat(read(OpagentMcpServer.RULES_URI))
        .contains("\"name\":\"mcp\"")
        .contains("\"id\":\"winback\"")
        .contains("segments.churnSegment");
    assertThat(read(OpagentMcpServer.POLICY_URI))
        .contains("\"discountRateAtLeast\"")
        .contains("\"quietHours\"")
        .contains("\"operatingZone\"");
    assertThat(read(OpagentMcpServer.METRICS_URI))
        .contains("\"campaign\":\"sms_nudge\"")
        .contains("\"delivered\":10")
        .contains("\"openRate\":0.4");
    assertThat(read(OpagentMcpServer.APPROVALS_URI)).contains("\"pending\":[");
  }
}
