package dev.opagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.mcp.json.JacksonMcpJson;
import dev.opagent.store.OperatingStore;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import java.nio.file.Path;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a child JVM on stdio, with the SDK's stdio client. The child and this test share
 * the operating store through an H2 server on loopback, so an approval granted here is one granted
 * by another process, as {@code opagent approvals approve} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpStdioTest extends McpServerContract {
  private Path dir;
  private Server database;
  private String url;
  private McpSyncClient client;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    database =
        Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
    url = "jdbc:h2:tcp://127.0.0.1:" + database.getPort() + "/store";
    ServerParameters child =
        ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .args(
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                McpTestHost.class.getName(),
                url,
                "2000",
                deliveries().toString())
            .build();
    client =
        McpClient.sync(new StdioClientTransport(child, JacksonMcpJson.standard()))
            .requestTimeout(Duration.ofSeconds(20))
            .initializationTimeout(Duration.ofSeconds(30))
            .build();
    client.initialize();
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    if (database != null) {
      database.stop();
    }
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
    try (OperatingStore other = OperatingStore.open(url, "sa", "")) {
      assertThat(other.approvalGate(McpTestHost.CLOCK).grant(id, "alice", "approved for C-1"))
          .isPresent();
    }
  }

  @Test
  void handshakeNamesTheServer() {
    assertThat(client.getServerInfo().name()).isEqualTo("opagent");
    assertThat(client.getServerCapabilities().tools()).isNotNull();
    assertThat(client.getServerCapabilities().resources()).isNotNull();
  }
}
