package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.mcp.json.JacksonMcpJson;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opagent mcp} as an MCP client starts it: a child process on stdio, its standard output
 * carrying the protocol only, wired on a store with the embedded simulator.
 */
class McpCommandTest {
  @TempDir Path dir;

  @Test
  void servesTheToolsAndResourcesOfTheLoopOnTheStoreOverStdio() {
    ServerParameters child =
        ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .args(
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                OpagentCommand.class.getName(),
                "mcp",
                "--store",
                "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
                "--customers",
                Path.of("data/seed-customers.jsonl").toAbsolutePath().toString(),
                "--consent",
                "email",
                "--channel",
                "jsonl:" + dir.resolve("actions.jsonl").toAbsolutePath())
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(child, JacksonMcpJson.standard()))
            .requestTimeout(Duration.ofSeconds(30))
            .initializationTimeout(Duration.ofSeconds(40))
            .build();
    try {
      client.initialize();

      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .contains(
              "analyze_customer",
              "check_eligibility",
              "plan_actions",
              "request_approval",
              "execute_approved_action",
              "read_metrics");
      assertThat(client.listResources().resources())
          .extracting(McpSchema.Resource::uri)
          .containsExactlyInAnyOrder(
              "opagent://rules",
              "opagent://policy",
              "opagent://approvals/pending",
              "opagent://metrics");

      McpSchema.CallToolResult eligibility =
          client.callTool(
              new McpSchema.CallToolRequest(
                  "check_eligibility", Map.of("customerId", "C-TEST-001")));
      assertThat(eligibility.isError()).isFalse();
      assertThat(((McpSchema.TextContent) eligibility.content().get(0)).text())
          .contains("\"status\":\"ok\"");

      McpSchema.CallToolResult unknown =
          client.callTool(
              new McpSchema.CallToolRequest("plan_actions", Map.of("customerId", "C-NOBODY")));
      assertThat(unknown.isError()).isTrue();
      assertThat(((McpSchema.TextContent) unknown.content().get(0)).text())
          .contains("NOT_FOUND")
          .doesNotContain("C-NOBODY");

      McpSchema.ReadResourceResult rules =
          client.readResource(new McpSchema.ReadResourceRequest("opagent://rules"));
      assertThat(((McpSchema.TextResourceContents) rules.contents().get(0)).text())
          .contains("\"rules\":[");
    } finally {
      client.closeGracefully();
    }
  }
}
