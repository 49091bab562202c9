package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/** The segment agent's wire as WireMock sees it, and clients pointed at it. */
final class AgentWire {
  static final String ARN =
      "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/customer_segment_agent-abc";
  static final String INVOKE_PATH = "/runtimes/[^/]*customer_segment_agent-abc/invocations";
  static final String SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";
  static final String ANALYSIS =
      "{\"ageSegment\":\"25-34\",\"churnSegment\":\"Riskli\","
          + "\"valueSegment\":\"HighValue\",\"loyaltyTier\":\"Altın\",\"affinityType\":\"TrendFollower\","
          + "\"diversityProfile\":\"Kaşif\",\"missingRegulars\":[{\"productId\":\"P-2001\","
          + "\"category\":\"SKINCARE\",\"expectedEveryDays\":30,\"daysSinceLastPurchase\":54,"
          + "\"daysOverdue\":24,\"lastPurchase\":\"2026-01-20T00:00:00\"}]}";
  static final String ANSWER = "{\"analysis\":" + ANALYSIS + "}";

  private AgentWire() {}

  static MappingBuilder invoke() {
    return post(urlPathMatching(INVOKE_PATH));
  }

  static RequestPatternBuilder invoked() {
    return postRequestedFor(urlPathMatching(INVOKE_PATH));
  }

  static final String STOP_PATH = "/runtimes/[^/]*customer_segment_agent-abc/stopruntimesession";

  static MappingBuilder stop() {
    return post(urlPathMatching(STOP_PATH));
  }

  /** Session ids of the invocations WireMock received, oldest first. */
  static List<String> invocationSessions() {
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> found =
        new java.util.ArrayList<>(WireMock.findAll(invoked()));
    found.sort(
        java.util.Comparator.comparing(
            com.github.tomakehurst.wiremock.verification.LoggedRequest::getLoggedDate));
    return found.stream().map(r -> r.getHeader(SESSION_HEADER)).toList();
  }

  /**
   * Session ids of the invocations about {@code customerId}, in arrival order. Tests that leave
   * slow requests behind use it, since the server may log such a request after the next test reset
   * the journal.
   */
  static List<String> invocationSessionsFor(String customerId) {
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> found =
        new java.util.ArrayList<>(WireMock.findAll(invoked()));
    found.sort(
        java.util.Comparator.comparing(
            com.github.tomakehurst.wiremock.verification.LoggedRequest::getLoggedDate));
    return found.stream()
        .filter(r -> r.getBodyAsString().contains("\"" + customerId + "\""))
        .map(r -> r.getHeader(SESSION_HEADER))
        .toList();
  }

  /** Session ids WireMock received StopRuntimeSession for. */
  static List<String> stoppedSessions() {
    return WireMock.findAll(postRequestedFor(urlPathMatching(STOP_PATH))).stream()
        .map(r -> r.getHeader(SESSION_HEADER))
        .toList();
  }

  static int invocations() {
    return WireMock.findAll(invoked()).size();
  }

  static ResponseDefinitionBuilder error(int status, String type) {
    return aResponse()
        .withStatus(status)
        .withHeader("x-amzn-ErrorType", type)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"message\":\"" + type + " from the fake agent\"}");
  }

  static SegmentClientBuilder builder(WireMockRuntimeInfo wm) {
    return SegmentClient.builder()
        .agentRuntimeArn(ARN)
        .endpointOverride(URI.create(wm.getHttpBaseUrl()))
        .region(software.amazon.awssdk.regions.Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
        .initialRequestsPerSecond(1000);
  }

  /**
   * A real AWS SDK client for the WireMock server, with its own retries off, to share across a test
   * class: building one per test would load and start the SDK and Netty again, so tests that are
   * not about {@code close()} hand the segment client this caller-owned one.
   */
  static BedrockAgentCoreAsyncClient sdk(WireMockRuntimeInfo wm) {
    return BedrockAgentCoreAsyncClient.builder()
        .endpointOverride(URI.create(wm.getHttpBaseUrl()))
        .region(software.amazon.awssdk.regions.Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(200))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** A segment client on the shared SDK client {@code sdk}, configured by {@code options}. */
  static SegmentClient client(
      BedrockAgentCoreAsyncClient sdk, Consumer<SegmentClientBuilder> options) {
    SegmentClientBuilder b =
        SegmentClient.builder()
            .agentRuntimeArn(ARN)
            .asyncClient(sdk)
            .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
            .initialRequestsPerSecond(1000);
    options.accept(b);
    return b.build();
  }

  static SegmentClient client(BedrockAgentCoreAsyncClient sdk) {
    return client(sdk, b -> {});
  }

  /** A segment client that builds and owns its SDK client and event loop. */
  static SegmentClient ownedClient(WireMockRuntimeInfo wm, Consumer<SegmentClientBuilder> options) {
    SegmentClientBuilder b = builder(wm);
    options.accept(b);
    return b.build();
  }

  /** A valid customer whose data (and so cache key) depends on {@code id}. */
  static CustomerData customer(String id) {
    return new CustomerData(
        id,
        "Istanbul",
        new Customer(
            id,
            32,
            "F",
            OffsetDateTime.of(2024, 3, 15, 0, 0, 0, 0, ZoneOffset.UTC),
            List.of(
                new ProductHistory(
                    "P-2001",
                    "SKINCARE",
                    8,
                    new BigDecimal("479.20"),
                    8,
                    OffsetDateTime.of(2026, 1, 20, 0, 0, 0, 0, ZoneOffset.UTC),
                    new BigDecimal(30)))),
        new Region("Marmara", "Temperate", new BigDecimal("75.0"), "SKINCARE"),
        Season.WINTER);
  }
}
