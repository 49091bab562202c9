package dev.opagent.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A running MCP server on one transport. Thread-safe. Closing it stops the server: for HTTP the
 * embedded container, for stdio the session (the streams stay the caller's).
 */
public final class McpEndpoint implements AutoCloseable {
  private final McpSyncServer server;
  private final @Nullable EndOfInput input;
  private final @Nullable HttpEndpoint http;

  private McpEndpoint(
      McpSyncServer server, @Nullable EndOfInput input, @Nullable HttpEndpoint http) {
    this.server = server;
    this.input = input;
    this.http = http;
  }

  static McpEndpoint stdio(McpSyncServer server, EndOfInput input) {
    return new McpEndpoint(server, input, null);
  }

  static McpEndpoint http(McpSyncServer server, HttpEndpoint http) {
    return new McpEndpoint(server, null, http);
  }

  /** The address of the MCP endpoint, such as {@code http://127.0.0.1:8931/mcp}; empty on stdio. */
  public Optional<URI> uri() {
    return http == null ? Optional.empty() : Optional.of(http.uri());
  }

  /**
   * Waits until the server stops: on stdio when its input ends (the client went away), on HTTP when
   * it is {@link #close() closed}.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void awaitTermination() throws InterruptedException {
    if (input != null) {
      input.await();
    } else if (http != null) {
      http.await();
    }
  }

  /** Stops the server; idempotent. */
  @Override
  public void close() {
    try {
      server.closeGracefully();
    } finally {
      if (input != null) {
        input.end();
      }
      if (http != null) {
        http.stop();
      }
    }
  }
}
