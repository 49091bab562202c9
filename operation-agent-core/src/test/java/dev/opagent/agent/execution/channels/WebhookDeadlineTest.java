package dev.opagent.agent.execution.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.opagent.agent.execution.spi.ChannelException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request timeout is one deadline for the whole call: a receiver that answers 200 at once and
 * then sends its body a byte at a time must not hold {@link WebhookChannel#deliver} past it.
 */
class WebhookDeadlineTest {
  private HttpServer server;
  private ExecutorService executor;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, 0); // chunked: the body never says how long
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 80; i++) { // 8 s of body, one byte every 100 ms
              out.write('x');
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException e) {
            // the client gave up: what the test wants
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Test
  void deliver_200WithTricklingBody_failsRetryableWithinTheRequestTimeout() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    try (WebhookChannel webhook =
        WebhookChannel.builder()
            .endpoint(url)
            .secret("k")
            .allowInsecureHttp()
            .requestTimeout(Duration.ofSeconds(1))
            .build()) {
      ChannelException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () ->
                  catchThrowableOfType(
                      ChannelException.class,
                      () -> webhook.deliver(Requests.request("ik-trickle"))));

      assertThat(e).as("a slow body is a failed delivery, not a success").isNotNull();
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("within 1000 ms").doesNotContain("/hook");
    }
  }
}
