package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.segment.AgentWire.ANSWER;
import static dev.opagent.segment.AgentWire.customer;
import static dev.opagent.segment.AgentWire.error;
import static dev.opagent.segment.AgentWire.invocationSessions;
import static dev.opagent.segment.AgentWire.invocations;
import static dev.opagent.segment.AgentWire.invoke;
import static dev.opagent.segment.AgentWire.stoppedSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/** Runtime sessions (pooled and per customer), cancellation and {@code close()}. */
@WireMockTest
class SessionsAndCloseWireMockTest {
  private static BedrockAgentCoreAsyncClient sdk;

  @BeforeAll
  static void startSdk(WireMockRuntimeInfo wm) {
    sdk = AgentWire.sdk(wm);
  }

  @AfterAll
  static void closeSdk() {
    sdk.close();
  }

  @BeforeEach
  void resetWire() {
    WireMock.reset();
    stubFor(AgentWire.stop().willReturn(okJson("{}")));
  }

  private static List<CustomerData> customers(int n) {
    return IntStream.range(0, n).mapToObj(i -> customer("C-" + i)).toList();
  }

  @Test
  void analyze_sequentialCalls_reuseOnePooledSession() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      for (CustomerData c : customers(5)) {
        client.analyze(c);
      }
      assertThat(client.stats().sessionsCreated()).isEqualTo(1);
    }
    List<String> sessions = invocationSessions();
    assertThat(sessions).hasSize(5);
    assertThat(new HashSet<>(sessions)).hasSize(1);
    assertThat(sessions.get(0).length()).isBetween(33, 256);
  }

  /**
   * Regression: a finished request returned its concurrency permit before its session, so the
   * request that took the permit found the pool empty and opened one more session (microVM).
   */
  @Test
  void analyzeAll_concurrentCalls_neverUseMoreSessionsThanMaxConcurrency() {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(15)));
    try (SegmentClient client = AgentWire.client(sdk, b -> b.maxConcurrency(3))) {
      List<SegmentOutcome> out = client.analyzeAll(customers(40));
      assertThat(out).allMatch(SegmentOutcome::isSuccess);
      assertThat(client.stats().sessionsCreated()).isLessThanOrEqualTo(3);
    }
    assertThat(new HashSet<>(invocationSessions())).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void analyze_perCustomerSessions_deriveIdFromCustomerId() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    try (SegmentClient client =
        AgentWire.client(sdk, b -> b.sessionMode(SessionMode.PER_CUSTOMER))) {
      client.analyze(customer("C-1001"));
      client.analyzeDetailed(customer("C-1001"), true);
      client.analyze(customer("C-2002"));
    }
    assertThat(invocationSessions())
        .containsExactly(
            SessionPool.forCustomer("C-1001"),
            SessionPool.forCustomer("C-1001"),
            SessionPool.forCustomer("C-2002"));
    assertThat(SessionPool.forCustomer("C-1001")).startsWith("opagent-c-C-1001").hasSize(33);
  }

  @Test
  void close_afterCalls_stopsEveryPooledSession(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(20)));
    try (SegmentClient client = AgentWire.ownedClient(wm, b -> b.maxConcurrency(4))) {
      client.analyzeAll(customers(12));
    }
    assertThat(stoppedSessions())
        .containsExactlyInAnyOrderElementsOf(new HashSet<>(invocationSessions()));
    WireMock.verify(
        WireMock.postRequestedFor(WireMock.urlPathMatching(AgentWire.STOP_PATH))
            .withQueryParam("qualifier", WireMock.equalTo("DEFAULT")));
  }

  /**
   * Regression: closing a client that built its own HTTP client left its Netty event loop running
   * through a 2 s quiet period, which kept a one-customer command line alive for seconds after its
   * work was done.
   */
  @Test
  void close_ownedHttpClient_endsItsEventLoopPromptly(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    Set<Thread> before = Set.copyOf(eventLoopThreads());
    SegmentClient client = AgentWire.ownedClient(wm, b -> b.maxConcurrency(4));
    client.analyzeAll(customers(3));
    assertThat(eventLoopThreads()).isNotEmpty();
    // Bounds on slowness, not timings: the quiet period alone lasts 2 s.
    assertTimeoutPreemptively(Duration.ofMillis(1500), client::close);
    assertThat(eventLoopThreads()).as("event loop threads alive after close()").isSubsetOf(before);
    assertThat(stoppedSessions())
        .containsExactlyInAnyOrderElementsOf(new HashSet<>(invocationSessions()));
  }

  /** Live Netty event loop threads: the SDK's default ones and those of the client's own loop. */
  private static List<Thread> eventLoopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(
            t ->
                t.getName().startsWith(AwsAgentTransport.THREAD_PREFIX)
                    || t.getName().contains("NettyEventLoop"))
        .toList();
  }

  @Test
  void close_perCustomerSessions_stopsNone() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    try (SegmentClient client =
        AgentWire.client(sdk, b -> b.sessionMode(SessionMode.PER_CUSTOMER))) {
      client.analyze(customer("C-1001"));
    }
    assertThat(stoppedSessions()).isEmpty();
  }

  @Test
  void close_stopSessionFails_stillCloses() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    stubFor(AgentWire.stop().willReturn(error(500, "InternalServerException")));
    SegmentClient client = AgentWire.client(sdk);
    client.analyze(customer("C-1"));
    client.close();
    assertThat(stoppedSessions()).hasSize(1);
    assertThatThrownBy(() -> client.analyze(customer("C-2")))
        .isInstanceOfSatisfying(
            SegmentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
  }

  @Test
  void close_callsInFlight_failCancelledAtOnce() {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(5_000)));
    SegmentClient client = AgentWire.client(sdk);
    List<CompletableFuture<SegmentAnalysis>> calls = new ArrayList<>();
    for (CustomerData c : customers(3)) {
      calls.add(client.analyzeAsync(c));
    }
    Await.until(Duration.ofSeconds(5), () -> invocations() == 3);
    long start = System.nanoTime();
    client.close();
    for (CompletableFuture<SegmentAnalysis> call : calls) {
      assertThatThrownBy(() -> call.get(2, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              SegmentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void close_twice_isIdempotentAndLaterCallsSendNothing() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    SegmentClient client = AgentWire.client(sdk);
    client.analyze(customer("C-1"));
    client.close();
    client.close();
    // Only this client's session: a stop sent by an earlier test's abandoned request may land late.
    String session = invocationSessions().get(0);
    assertThat(stoppedSessions()).filteredOn(session::equals).hasSize(1);
    assertThatThrownBy(() -> client.analyze(customer("C-1")))
        .isInstanceOfSatisfying(
            SegmentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    assertThat(client.analyzeAll(customers(2)))
        .allSatisfy(
            o -> assertThat(((SegmentOutcome.Failure) o).code()).isEqualTo(ErrorCode.CANCELLED));
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void close_callerOwnedSdkClient_leavesItOpen() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    AgentWire.client(sdk).close();
    try (SegmentClient again = AgentWire.client(sdk)) {
      assertThat(again.analyze(customer("C-1")).churnSegment()).isEqualTo(ChurnSegment.AT_RISK);
    }
  }

  @Test
  void close_callerOwnedTransport_leavesItOpen() {
    boolean[] closed = {false};
    dev.opagent.segment.spi.AgentTransport transport =
        new dev.opagent.segment.spi.AgentTransport() {
          @Override
          public CompletableFuture<dev.opagent.segment.spi.AgentResponse> invoke(
              dev.opagent.segment.spi.AgentRequest request) {
            return CompletableFuture.completedFuture(
                dev.opagent.segment.spi.AgentResponse.of("application/json", ANSWER, null));
          }

          @Override
          public void close() {
            closed[0] = true;
          }
        };
    SegmentClient.builder().agentRuntimeArn(AgentWire.ARN).transport(transport).build().close();
    assertThat(closed[0]).isFalse();
  }

  /**
   * Regression: {@code analyzeAsync} returned a dependent stage, so cancelling it left the request
   * running (and its session busy) instead of abandoning the call.
   */
  @Test
  void analyzeAsync_cancelled_abandonsRequestAndStopsItsSession() throws Exception {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(5_000)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      CompletableFuture<SegmentAnalysis> call = client.analyzeAsync(customer("C-CANCEL-ASYNC"));
      // Identify this call's request by its body: a slow request of an earlier test may still be
      // logged by the server after the journal was reset.
      Await.until(Duration.ofSeconds(10), () -> sessionOf("C-CANCEL-ASYNC") != null);
      String session = sessionOf("C-CANCEL-ASYNC");
      assertThat(call.cancel(true)).isTrue();
      Await.until(Duration.ofSeconds(10), () -> stoppedSessions().contains(session));
      Await.until(Duration.ofSeconds(10), () -> client.stats().failed() == 1);
    }
  }

  @Test
  void analyzeDetailedAsync_cancelled_abandonsRequest() {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(5_000)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      CompletableFuture<SegmentOutcome.Success> call =
          client.analyzeDetailedAsync(customer("C-1"), false);
      Await.until(Duration.ofSeconds(5), () -> invocations() == 1);
      call.cancel(true);
      Await.until(Duration.ofSeconds(10), () -> client.stats().failed() == 1);
    }
  }

  private static String sessionOf(String customerId) {
    return WireMock.findAll(AgentWire.invoked()).stream()
        .filter(r -> r.getBodyAsString().contains("\"" + customerId + "\""))
        .map(r -> r.getHeader(AgentWire.SESSION_HEADER))
        .findFirst()
        .orElse(null);
  }
}
