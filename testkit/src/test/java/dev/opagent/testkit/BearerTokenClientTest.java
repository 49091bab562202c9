package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.BearerToken;
import dev.opagent.segment.BearerTokenProvider;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The client against an agent runtime with inbound OAuth: the real client over real HTTP with a
 * bearer token, against the simulator in bearer mode.
 */
class BearerTokenClientTest {

  /** Hands out the given tokens in order (the last one again once they run out), counting. */
  private static final class Tokens implements BearerTokenProvider {
    final Deque<BearerToken> queue;
    final AtomicInteger fetched = new AtomicInteger();

    Tokens(BearerToken... tokens) {
      this.queue = new ArrayDeque<>(List.of(tokens));
    }

    @Override
    public synchronized BearerToken fetch() {
      fetched.incrementAndGet();
      return queue.size() > 1 ? queue.poll() : queue.peek();
    }
  }

  private static SegmentClient client(AgentSimulator agent, BearerTokenProvider tokens) {
    return SegmentClient.builder()
        .agentRuntimeArn(agent.agentRuntimeArn())
        .endpointOverride(agent.endpoint())
        .bearerTokenProvider(tokens)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .disableCache()
        .build();
  }

  @Test
  void close_stopsThePooledSessions_withTheBearerToken() {
    Tokens tokens = new Tokens(BearerToken.of("jwt-good"));
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt-good"))) {
      SegmentClient client = client(agent, tokens);
      client.analyzeAll(List.of(Fixtures.seedActiveCustomer(), Fixtures.seedActiveCustomer()));
      long used = agent.stats().distinctSessions();
      assertThat(used).isPositive();
      assertThat(agent.stats().liveSessions()).isEqualTo((int) used);

      client.close();

      assertThat(agent.stats().stoppedSessions()).isEqualTo(used);
      assertThat(agent.stats().liveSessions()).isZero();
    }
  }

  @Test
  void validToken_callsSucceed_andOneTokenServesEveryCall() {
    Tokens tokens = new Tokens(BearerToken.of("jwt-good"));
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt-good"));
        SegmentClient client = client(agent, tokens)) {
      for (int i = 0; i < 3; i++) {
        SegmentAnalysis a = client.analyze(Fixtures.seedActiveCustomer());
        assertThat(a.churnSegment()).isNotNull();
      }
      assertThat(tokens.fetched).hasValue(1);
    }
  }

  @Test
  void tokenRefusedWith401_aNewOneIsFetchedAndTheCallSentOnceMore() {
    Tokens tokens = new Tokens(BearerToken.of("jwt-revoked"), BearerToken.of("jwt-good"));
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt-good"));
        SegmentClient client = client(agent, tokens)) {
      assertThat(client.analyze(Fixtures.seedActiveCustomer())).isNotNull();
      assertThat(tokens.fetched).hasValue(2);
      assertThat(agent.stats().requests()).isEqualTo(2);
    }
  }

  @Test
  void tokenCloseToItsExpiry_isReplacedBeforeTheCall() {
    Tokens tokens =
        new Tokens(
            new BearerToken("jwt-expiring", Instant.now().plusSeconds(30)),
            new BearerToken("jwt-good", Instant.now().plusSeconds(3600)));
    try (AgentSimulator agent =
            AgentSimulator.start(
                b -> b.acceptBearerToken("jwt-expiring").acceptBearerToken("jwt-good"));
        SegmentClient client = client(agent, tokens)) {
      client.analyze(Fixtures.seedActiveCustomer());
      client.analyze(Fixtures.seedActiveCustomer());
      client.analyze(Fixtures.seedActiveCustomer());
      assertThat(tokens.fetched).hasValue(2);
    }
  }

  @Test
  void tokenRefusedTwice_failsAsAccessDenied_namingTheFixWithoutTheToken() {
    Tokens tokens = new Tokens(BearerToken.of("jwt-wrong-audience"));
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt-good"));
        SegmentClient client = client(agent, tokens)) {
      assertThatThrownBy(() -> client.analyze(Fixtures.seedActiveCustomer()))
          .isInstanceOfSatisfying(
              SegmentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED))
          .hasMessageContaining("401")
          .hasMessageContaining("inbound OAuth authorizer")
          .hasMessageNotContaining("jwt-wrong-audience");
    }
  }

  @Test
  void providerFails_accessDenied_withoutRepeatingItsMessage() {
    BearerTokenProvider broken =
        () -> {
          throw new IllegalStateException("client secret s3cr3t rejected");
        };
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt-good"));
        SegmentClient client = client(agent, broken)) {
      assertThatThrownBy(() -> client.analyze(Fixtures.seedActiveCustomer()))
          .isInstanceOfSatisfying(
              SegmentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED))
          .hasMessageContaining("token provider failed (IllegalStateException)")
          .hasMessageNotContaining("s3cr3t");
      assertThat(agent.stats().requests()).isZero();
    }
  }

  @Test
  void eventStreamAnswer_isReadAsWithTheSdk() {
    Tokens tokens = new Tokens(BearerToken.of("jwt-good"));
    try (AgentSimulator agent =
            AgentSimulator.start(
                b -> b.acceptBearerToken("jwt-good").responseShape(ResponseShape.EVENT_STREAM));
        SegmentClient client = client(agent, tokens)) {
      assertThat(client.analyze(Fixtures.seedActiveCustomer()).churnSegment()).isNotNull();
    }
  }

  @Test
  void sigV4Credentials_andABearerToken_areRefusedTogether() {
    assertThatThrownBy(
            () ->
                SegmentClient.builder()
                    .agentRuntimeArn(SimulatorConfig.DEFAULT_AGENT_RUNTIME_ARN)
                    .bearerTokenProvider(() -> BearerToken.of("t"))
                    .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("remove transport, asyncClient or credentialsProvider");
  }

  @Test
  void bearerModeSimulator_refusesASigV4Client() {
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt-good"));
        Sdk sdk = Sdk.against(agent)) {
      Throwable refused =
          sdk.failure(sdk.request(Sdk.payload("{\"customerId\": \"C-1\"}"), Sdk.SESSION));
      assertThat(refused)
          .isInstanceOfSatisfying(
              software.amazon.awssdk.awscore.exception.AwsServiceException.class,
              e -> assertThat(e.statusCode()).isEqualTo(401));
    }
  }
}
