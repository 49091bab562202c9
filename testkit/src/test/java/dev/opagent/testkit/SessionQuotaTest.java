package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentClientListener;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.segment.SessionMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The real client against an account whose active-session quota is below the client's concurrency:
 * pooled sessions shrink the concurrency to the sessions the quota allows instead of failing
 * customers.
 */
class SessionQuotaTest {

  private static final int SESSION_QUOTA = 3;

  private static SimulatorConfig quota() {
    return SimulatorConfig.builder()
        .clock(Fixtures.seedClock())
        .latency(Latency.fixed(Duration.ofMillis(100)))
        .maxActiveSessions(SESSION_QUOTA)
        .sessionIdleTimeout(Duration.ofMinutes(15))
        .build();
  }

  private static SegmentClientBuilder builder(AgentSimulator simulator) {
    return SegmentClient.builder()
        .agentRuntimeArn(simulator.agentRuntimeArn())
        .endpointOverride(simulator.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testkit", "testkit")))
        .maxRequestsPerSecond(500);
  }

  @Test
  void analyzeAll_pooledAboveTheSessionQuota_everyCustomerSucceedsOnTheQuotasSessions() {
    List<Integer> limits = new CopyOnWriteArrayList<>();
    List<CustomerData> customers = PopulationGenerator.ofSeed(7).list(40);
    try (AgentSimulator simulator = AgentSimulator.start(quota());
        SegmentClient client =
            builder(simulator)
                .maxConcurrency(20)
                .disableCache()
                .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .addListener(
                    new SegmentClientListener() {
                      @Override
                      public void onConcurrencyLimited(int maxInFlight) {
                        limits.add(maxInFlight);
                      }
                    })
                .build()) {
      List<SegmentOutcome> out = client.analyzeAll(customers);

      assertThat(out)
          .hasSize(customers.size())
          .allSatisfy(o -> assertThat(o).isInstanceOf(SegmentOutcome.Success.class));
      assertThat(simulator.stats().count(Outcome.SESSION_QUOTA_EXCEEDED))
          .as("the quota did refuse new sessions")
          .isPositive();
      assertThat(limits).isNotEmpty();
      assertThat(limits.get(limits.size() - 1)).isEqualTo(SESSION_QUOTA);
      assertThat(simulator.stats().liveSessions()).isEqualTo(SESSION_QUOTA);
      assertThat(client.stats().failed()).isZero();
    }
  }

  @Test
  void analyze_quotaHeldByOthers_failsTypedAfterOneRequest() {
    try (AgentSimulator simulator =
            AgentSimulator.start(quota().toBuilder().maxActiveSessions(1).build());
        SegmentClient other =
            builder(simulator).sessionMode(SessionMode.PER_CUSTOMER).disableCache().build();
        SegmentClient client = builder(simulator).disableCache().build()) {
      other.analyze(Fixtures.seedActiveCustomer()); // the account's only session
      long requests = simulator.stats().requests();

      SegmentException e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              SegmentException.class, () -> client.analyze(Fixtures.seedActiveCustomer()));

      assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
      assertThat(e.getMessage()).contains("402", "quota");
      assertThat(simulator.stats().requests() - requests).isEqualTo(1);
    }
  }
}
