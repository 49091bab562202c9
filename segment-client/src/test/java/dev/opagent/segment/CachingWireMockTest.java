package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.segment.AgentWire.ANSWER;
import static dev.opagent.segment.AgentWire.customer;
import static dev.opagent.segment.AgentWire.error;
import static dev.opagent.segment.AgentWire.invocations;
import static dev.opagent.segment.AgentWire.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/** The answer cache and in-flight de-duplication, counting the requests the agent received. */
@WireMockTest
class CachingWireMockTest {
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
  }

  @Test
  void config_namesTheAgentTheClientTalksTo() {
    try (SegmentClient client = AgentWire.client(sdk)) {
      assertThat(client.config().agentRuntimeArn()).isEqualTo(AgentWire.ARN);
      assertThat(client.config().qualifier()).isEqualTo("DEFAULT");
    }
  }

  @Test
  void analyze_sameCustomerTwice_secondAnsweredFromCache() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      SegmentOutcome.Success first = client.analyzeDetailed(customer("C-1001"), false);
      SegmentOutcome.Success second = client.analyzeDetailed(customer("C-1001"), false);
      assertThat(first.source()).isEqualTo(Source.AGENT);
      assertThat(second.source()).isEqualTo(Source.CACHE);
      assertThat(second.attempts()).isZero();
      assertThat(second.analysis()).isEqualTo(first.analysis());
      SegmentClientStats stats = client.stats();
      assertThat(stats.cacheHits()).isEqualTo(1);
      assertThat(stats.cacheMisses()).isEqualTo(1);
      assertThat(stats.requests()).isEqualTo(1);
    }
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyze_sameDataWithMembersInAnotherOrder_hitsCache() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    CustomerData a =
        CustomerData.fromJson(
            "{\"customerId\":\"C-7\",\"city\":\"Izmir\",\"segmentHint\":{\"x\":1,\"y\":2},\"tier\":\"b\"}");
    CustomerData b =
        CustomerData.fromJson(
            "{\"tier\":\"b\",\"segmentHint\":{\"y\":2,\"x\":1},\"city\":\"Izmir\",\"customerId\":\"C-7\"}");
    try (SegmentClient client = AgentWire.client(sdk)) {
      client.analyze(a);
      assertThat(client.analyzeDetailed(b, false).source()).isEqualTo(Source.CACHE);
    }
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyze_differentData_missesCache() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      client.analyze(customer("C-1"));
      client.analyze(customer("C-2"));
      assertThat(client.stats().cacheMisses()).isEqualTo(2);
    }
    assertThat(invocations()).isEqualTo(2);
  }

  @Test
  void analyzeDetailed_bypassCache_sendsEveryTime() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      client.analyze(customer("C-1"));
      assertThat(client.analyzeDetailed(customer("C-1"), true).source()).isEqualTo(Source.AGENT);
      assertThat(client.stats().cacheHits()).isZero();
    }
    assertThat(invocations()).isEqualTo(2);
  }

  @Test
  void analyze_cacheDisabled_sendsEveryTime() {
    stubFor(invoke().willReturn(okJson(ANSWER)));
    try (SegmentClient client = AgentWire.client(sdk, SegmentClientBuilder::disableCache)) {
      client.analyze(customer("C-1"));
      client.analyze(customer("C-1"));
    }
    assertThat(invocations()).isEqualTo(2);
  }

  @Test
  void analyzeAsync_identicalCallsInFlight_shareOneRequest() throws Exception {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(300)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      List<CompletableFuture<SegmentOutcome.Success>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(client.analyzeDetailedAsync(customer("C-1001"), false));
      }
      for (CompletableFuture<SegmentOutcome.Success> call : calls) {
        assertThat(call.get(5, TimeUnit.SECONDS).analysis().churnSegment())
            .isEqualTo(ChurnSegment.AT_RISK);
      }
      assertThat(calls.stream().filter(c -> c.join().source() == Source.AGENT)).hasSize(1);
      assertThat(client.stats().deduplicated()).isEqualTo(9);
    }
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyzeAsync_identicalCallsInFlightWithCacheOff_stillShareOneRequest() {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(300)));
    try (SegmentClient client = AgentWire.client(sdk, SegmentClientBuilder::disableCache)) {
      CompletableFuture<SegmentAnalysis> a = client.analyzeAsync(customer("C-1"));
      CompletableFuture<SegmentAnalysis> b = client.analyzeAsync(customer("C-1"));
      assertThat(a.join()).isEqualTo(b.join());
    }
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyzeAsync_oneSharerCancels_othersStillGetTheAnswer() {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(300)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      CompletableFuture<SegmentAnalysis> a = client.analyzeAsync(customer("C-1"));
      CompletableFuture<SegmentAnalysis> b = client.analyzeAsync(customer("C-1"));
      a.cancel(true);
      assertThat(b.join().churnSegment()).isEqualTo(ChurnSegment.AT_RISK);
    }
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyze_failure_isNotCached() {
    stubFor(
        invoke()
            .inScenario("s")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(error(404, "ResourceNotFoundException"))
            .willSetStateTo("ok"));
    stubFor(invoke().inScenario("s").whenScenarioStateIs("ok").willReturn(okJson(ANSWER)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      assertThatThrownBy(() -> client.analyze(customer("C-1")))
          .isInstanceOf(SegmentException.class);
      assertThat(client.analyzeDetailed(customer("C-1"), false).source()).isEqualTo(Source.AGENT);
    }
    assertThat(invocations()).isEqualTo(2);
  }

  @Test
  void analyze_fallbackAnswer_isNotCached() {
    stubFor(invoke().willReturn(error(500, "InternalServerException")));
    SegmentAnalysis local =
        new SegmentAnalysis(null, ChurnSegment.NEW, null, null, null, null, List.of());
    try (SegmentClient client =
        AgentWire.client(sdk, b -> b.maxAttempts(1).disableCircuitBreaker().fallback(d -> local))) {
      assertThat(client.analyzeDetailed(customer("C-1"), false).source())
          .isEqualTo(Source.FALLBACK);
      assertThat(client.analyzeDetailed(customer("C-1"), false).source())
          .isEqualTo(Source.FALLBACK);
      assertThat(client.stats().fallbacks()).isEqualTo(2);
    }
    assertThat(invocations()).isEqualTo(2);
  }
}
