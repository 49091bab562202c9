package dev.opagent.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The SDK's streamable HTTP servlet on an embedded Jetty. Thread-safe. */
final class HttpEndpoint {
  static final String PATH = "/mcp";

  private final Server jetty;
  private final URI uri;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HttpEndpoint(Server jetty, URI uri) {
    this.jetty = jetty;
    this.uri = uri;
  }

  static McpEndpoint start(
      OpagentMcpServer mcp,
      String host,
      int port,
      List<String> allowedHosts,
      List<String> allowedOrigins) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535 but was " + port);
    }
    boolean loopback = isLoopback(host);
    List<String> hosts = new ArrayList<>(allowedHosts);
    List<String> origins = new ArrayList<>(allowedOrigins);
    if (loopback && hosts.isEmpty()) {
      hosts.addAll(List.of("127.0.0.1:*", "localhost:*", "[::1]:*"));
    }
    if (loopback && origins.isEmpty()) {
      origins.addAll(List.of("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"));
    }
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(mcp.json())
            .mcpEndpoint(PATH)
            .securityValidator(
                DefaultServerTransportSecurityValidator.builder()
                    .allowedHosts(hosts)
                    .allowedOrigins(origins)
                    .build())
            .build();
    McpSyncServer server = mcp.on(transport);
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(host);
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder("mcp", transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, PATH);
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      server.closeGracefully();
      stopQuietly(jetty);
      throw new UncheckedIOException(
          new IOException("cannot serve MCP on " + host + ":" + port + ": " + e.getMessage(), e));
    }
    String authority =
        (host.contains(":") ? "[" + host + "]" : host) + ":" + connector.getLocalPort();
    HttpEndpoint http = new HttpEndpoint(jetty, URI.create("http://" + authority + PATH));
    return McpEndpoint.http(server, http);
  }

  URI uri() {
    return uri;
  }

  void await() throws InterruptedException {
    stopped.await();
  }

  void stop() {
    stopQuietly(jetty);
    stopped.countDown();
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping is best effort: the connector is closed first, nothing is left to serve
    }
  }

  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
