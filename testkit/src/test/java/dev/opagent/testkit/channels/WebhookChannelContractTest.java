package dev.opagent.testkit.channels;

import com.sun.net.httpserver.HttpServer;
import dev.opagent.agent.execution.channels.WebhookChannel;
import dev.opagent.agent.execution.channels.WebhookSignature;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.testkit.ActionChannelContract;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The webhook against a local receiver that checks signatures and honours Idempotency-Key. */
class WebhookChannelContractTest extends ActionChannelContract {
  private static final String SECRET = "contract-secret";

  private HttpServer server;
  private ExecutorService executor;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicLong messages = new AtomicLong();

  @BeforeEach
  void startReceiver() throws IOException {
    executor = Executors.newFixedThreadPool(THREADS);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/actions",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
          String key = exchange.getRequestHeaders().getFirst(WebhookChannel.IDEMPOTENCY_KEY_HEADER);
          if (key == null
              || !WebhookSignature.verify(
                  SECRET, signature, body, Instant.now(), Duration.ofMinutes(5))) {
            exchange.sendResponseHeaders(401, -1);
          } else if (!seen.add(key)) {
            exchange.getResponseHeaders().add(WebhookChannel.REPLAYED_HEADER, "true");
            exchange.sendResponseHeaders(200, -1);
          } else {
            exchange
                .getResponseHeaders()
                .add(WebhookChannel.MESSAGE_ID_HEADER, "msg-" + messages.incrementAndGet());
            exchange.sendResponseHeaders(201, -1);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  protected ActionChannel newChannel() {
    return WebhookChannel.builder()
        .endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/actions"))
        .allowInsecureHttp()
        .secret(SECRET)
        .deduplicatesByKey(true)
        .build();
  }
}
