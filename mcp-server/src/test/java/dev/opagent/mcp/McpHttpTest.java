package dev.opagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.mcp.json.JacksonMcpJson;
import dev.opagent.store.OperatingStore;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The server over streamable HTTP on loopback, with the SDK's HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpHttpTest extends McpServerContract {
  private Path dir;
  private String url;
  private McpTestHost host;
  private McpEndpoint endpoint;
  private McpSyncClient client;

  @BeforeAll
  void start(@TempDir Path tmp) {
    dir = tmp;
    url = "jdbc:h2:mem:mcp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    host = new McpTestHost(url, Duration.ofSeconds(2), dir.resolve("deliveries.txt"));
    endpoint = host.server.serveHttp("127.0.0.1", 0);
    URI uri = endpoint.uri().orElseThrow();
    client =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder("http://" + uri.getAuthority())
                    .endpoint(uri.getPath())
                    .jsonMapper(JacksonMcpJson.standard())
                    .build())
            .requestTimeout(Duration.ofSeconds(20))
            .build();
    client.initialize();
  }

  @AfterAll
  void stop() {
    client.closeGracefully();
    endpoint.close();
    host.close();
  }

  @Override
  McpSyncClient client() {
    return client;
  }

  @Override
  Path deliveries() {
    return dir.resolve("deliveries.txt");
  }

  @Override
  void grantThroughStore(String id) {
    // another handle on the same database, as a reviewer's process would open it
    try (OperatingStore other = OperatingStore.open(url, "sa", "")) {
      assertThat(other.approvalGate(McpTestHost.CLOCK).grant(id, "alice", "approved for C-1"))
          .isPresent();
    }
  }

  @Test
  void bindsLoopbackAndRefusesAForeignBrowserOrigin() throws Exception {
    URI uri = endpoint.uri().orElseThrow();
    assertThat(uri.getHost()).isEqualTo("127.0.0.1");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri)
                    .header("Origin", "http://attacker.example")
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
  }
}
