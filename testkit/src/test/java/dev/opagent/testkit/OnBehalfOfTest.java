package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.BearerToken;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.segment.Source;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Calls on behalf of a user: the real client and AWS SDK over HTTP against the simulator. */
class OnBehalfOfTest {

  private static SegmentClientBuilder builder(AgentSimulator agent) {
    return SegmentClient.builder()
        .agentRuntimeArn(agent.agentRuntimeArn())
        .endpointOverride(agent.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testkit", "testkit")));
  }

  private static Set<String> sessionsOf(AgentSimulator agent, String user) {
    return agent.receivedRequests().stream()
        .filter(r -> user.equals(r.runtimeUserId()))
        .map(ReceivedRequest::sessionId)
        .collect(Collectors.toSet());
  }

  @Test
  void eachUserGetsItsOwnAnswer_session_andCacheEntry() {
    CustomerData customer = Fixtures.seedActiveCustomer();
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client = builder(agent).build()) {
      client.analyze(customer);
      SegmentClient alice = client.onBehalfOf("alice@example.com");
      SegmentClient bob = client.onBehalfOf("bob@example.com");

      assertThat(alice.analyzeDetailed(customer, false).source()).isEqualTo(Source.AGENT);
      assertThat(bob.analyzeDetailed(customer, false).source()).isEqualTo(Source.AGENT);
      assertThat(alice.analyzeDetailed(customer, false).source()).isEqualTo(Source.CACHE);
      assertThat(client.onBehalfOf("alice@example.com").analyzeDetailed(customer, false).source())
          .isEqualTo(Source.CACHE);

      List<ReceivedRequest> received = agent.receivedRequests();
      assertThat(received)
          .extracting(ReceivedRequest::runtimeUserId)
          .containsExactly(null, "alice@example.com", "bob@example.com");
      Set<String> aliceSessions = sessionsOf(agent, "alice@example.com");
      Set<String> bobSessions = sessionsOf(agent, "bob@example.com");
      assertThat(aliceSessions).hasSize(1).doesNotContainAnyElementsOf(bobSessions);
      assertThat(aliceSessions).doesNotContain(received.get(0).sessionId());
      // Neither the user nor the customer can be read from a session id.
      assertThat(aliceSessions.iterator().next())
          .startsWith("opagent-u-")
          .doesNotContain("alice")
          .doesNotContain(customer.customerId());
      assertThat(client.stats().requests()).isEqualTo(3);
    }
  }

  @Test
  void batchesOnBehalfOfAUser_sendItWithEveryRequest() {
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client = builder(agent).build()) {
      List<CustomerData> customers =
          List.of(Fixtures.seedActiveCustomer(), Fixtures.seedNewCustomer());

      List<SegmentOutcome> outcomes = client.onBehalfOf("u-42").analyzeAll(customers);

      assertThat(outcomes).allMatch(o -> o instanceof SegmentOutcome.Success);
      assertThat(agent.receivedRequests())
          .hasSize(2)
          .allMatch(r -> "u-42".equals(r.runtimeUserId()));
    }
  }

  @Test
  void theClientsOwnUser_keepsThePool_andACallCanNameAnother() {
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client = builder(agent).runtimeUserId("service-user").build()) {
      client.analyze(Fixtures.seedActiveCustomer());
      client.onBehalfOf("end-user").analyze(Fixtures.seedActiveCustomer());

      List<ReceivedRequest> received = agent.receivedRequests();
      assertThat(received)
          .extracting(ReceivedRequest::runtimeUserId)
          .containsExactly("service-user", "end-user");
      assertThat(received.get(0).sessionId()).doesNotStartWith("opagent-u-");
      assertThat(received.get(1).sessionId()).startsWith("opagent-u-");
    }
  }

  @Test
  void theBearerTransport_sendsTheUserToo() {
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt"));
        SegmentClient client =
            SegmentClient.builder()
                .agentRuntimeArn(agent.agentRuntimeArn())
                .endpointOverride(agent.endpoint())
                .bearerTokenProvider(() -> BearerToken.of("jwt"))
                .build()) {
      client.onBehalfOf("alice").analyze(Fixtures.seedActiveCustomer());

      assertThat(agent.receivedRequests())
          .singleElement()
          .satisfies(r -> assertThat(r.runtimeUserId()).isEqualTo("alice"));
    }
  }

  @Test
  void closingAView_leavesTheClientOpen() {
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client = builder(agent).build()) {
      client.onBehalfOf("alice").close();

      assertThat(client.analyze(Fixtures.seedActiveCustomer())).isNotNull();
    }
  }

  @Test
  void aUserIdThatCannotBeAHeader_isRefused_withoutRepeatingIt() {
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client = builder(agent).build()) {
      assertThatThrownBy(() -> client.onBehalfOf("alice\r\nX-Evil: 1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("runtimeUserId")
          .hasMessageNotContaining("alice");
      assertThatThrownBy(() -> client.onBehalfOf(" ")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> client.onBehalfOf("x".repeat(1025)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
