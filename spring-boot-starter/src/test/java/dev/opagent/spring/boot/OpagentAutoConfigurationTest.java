package dev.opagent.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.segment.BearerToken;
import dev.opagent.segment.BearerTokenProvider;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentClientConfig;
import dev.opagent.segment.SessionMode;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Properties to beans, against a simulated agent that answers for real. */
class OpagentAutoConfigurationTest {
  private static AgentSimulator agent;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    agent = AgentSimulator.start();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @Test
  void agentProperties_clientAnswersFromTheAgent_andUnsetOptionsKeepTheLibraryDefaults() {
    Contexts.on(agent)
        .withPropertyValues(
            "opagent.agent.max-attempts=2",
            "opagent.agent.max-requests-per-second=12.5",
            "opagent.agent.session-mode=per-customer",
            "opagent.agent.circuit-breaker.failures=3",
            "opagent.agent.cache.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(SegmentClient.class);
              SegmentClient client = context.getBean(SegmentClient.class);
              SegmentAnalysis analysis = client.analyze(Fixtures.seedActiveCustomer());
              assertThat(analysis.churnSegment()).isNotNull();
              assertThat(agent.callsFor(Fixtures.seedActiveCustomer().customerId())).isPositive();

              SegmentClientConfig config = client.config();
              assertThat(config.agentRuntimeArn()).isEqualTo(agent.agentRuntimeArn());
              assertThat(config.maxAttempts()).isEqualTo(2);
              assertThat(config.maxRequestsPerSecond()).isEqualTo(12.5);
              assertThat(config.initialRequestsPerSecond()).isEqualTo(12.5);
              assertThat(config.sessionMode()).isEqualTo(SessionMode.PER_CUSTOMER);
              assertThat(config.circuitBreakerFailures()).isEqualTo(3);
              assertThat(config.circuitBreakerWindow()).isEqualTo(20);
              assertThat(config.circuitBreakerDelay()).isEqualTo(Duration.ofSeconds(30));
              assertThat(config.cacheEnabled()).isFalse();
              assertThat(config.qualifier()).isEqualTo("DEFAULT");
              assertThat(config.maxConcurrency())
                  .isEqualTo(SegmentClientBuilder.DEFAULT_MAX_CONCURRENCY);
              assertThat(config.attemptTimeout()).isEqualTo(Duration.ofMinutes(5));
              assertThat(config.agentErrorRetries()).isEqualTo(1);
            });
  }

  @Test
  void noChannel_decisionEngineOnTheBundledRulesAndDefaultPolicy_butNoExecutionOrLoop() {
    Contexts.on(agent)
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(DecisionEngine.class)
                  .hasSingleBean(ApprovalGate.class)
                  .doesNotHaveBean(ChannelRegistry.class)
                  .doesNotHaveBean(ExecutionService.class)
                  .doesNotHaveBean(OperationAgent.class)
                  .doesNotHaveBean(OperatingStore.class);
              RuleSetHolder rules = context.getBean(RuleSetHolder.class);
              assertThat(rules.source()).isEqualTo(RuleSource.defaults());
              assertThat(rules.current().checksum())
                  .isEqualTo(RuleSetLoader.ofDefaults().load(RuleSource.defaults()).checksum());
              assertThat(context.getBean(DecisionEngine.class).policy())
                  .isEqualTo(DecisionPolicy.ofDefaults());
              assertThat(context.getBean(RuleSetReloader.class).file()).isNull();
            });
  }

  @Test
  void hostBeans_replaceTheAutoConfiguredOnes() {
    Contexts.on(agent)
        .withUserConfiguration(HostClient.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(SegmentClient.class);
              assertThat(context.getBean(SegmentClient.class))
                  .isSameAs(context.getBean(HostClient.class).client);
              assertThat(context.getBean(SegmentClient.class).config().qualifier())
                  .isEqualTo("host-own");
              assertThat(context.getBean(SegmentCircuitState.class).isWatching()).isFalse();
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class HostClient {
    final SegmentClient client =
        SegmentClient.builder()
            .agentRuntimeArn(agent.agentRuntimeArn())
            .endpointOverride(agent.endpoint())
            .qualifier("host-own")
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b")))
            .build();

    @Bean
    SegmentClient hostSegmentClient() {
      return client;
    }
  }

  @Test
  void noAgent_startFailsNamingThePropertyAndTheFix() {
    Contexts.bare()
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(rootMessage(context.getStartupFailure()))
                  .contains("opagent.agent.runtime-arn is not set")
                  .contains("arn:aws:bedrock-agentcore:REGION:ACCOUNT_ID:runtime/AGENT_ID")
                  .contains("define a SegmentClient bean of your own");
            });
  }

  @Test
  void agentIdWithoutAccount_startFailsNamingTheMissingProperties() {
    Contexts.bare()
        .withPropertyValues("opagent.agent.agent-id=customer_segment_agent-abc")
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("opagent.agent.agent-id needs opagent.agent.account-id"));
  }

  @Test
  void bearerWithoutProvider_startFailsNamingTheBeanToDefine() {
    Contexts.on(agent)
        .withPropertyValues("opagent.agent.auth=bearer")
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("opagent.agent.auth=bearer")
                    .contains("dev.opagent.segment.BearerTokenProvider")
                    .contains("opagent.agent.auth=sigv4"));
  }

  @Test
  void bearerTokenProviderBean_callsGoWithItsTokens() {
    try (AgentSimulator oauth = AgentSimulator.start(b -> b.acceptBearerToken("jwt-good"))) {
      Contexts.on(oauth)
          .withUserConfiguration(Tokens.class)
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                SegmentClient client = context.getBean(SegmentClient.class);
                assertThat(client.analyze(Fixtures.seedActiveCustomer())).isNotNull();
                assertThat(context.getBean(Tokens.class).fetched).hasValue(1);
              });
      // the same agent refuses a SigV4 call once it expects tokens
      Contexts.on(oauth)
          .withUserConfiguration(Tokens.class)
          .withPropertyValues("opagent.agent.auth=sigv4", "opagent.agent.max-attempts=1")
          .run(
              context -> {
                SegmentClient client = context.getBean(SegmentClient.class);
                assertThat(
                        org.assertj.core.api.Assertions.catchThrowable(
                            () -> client.analyze(Fixtures.seedNewCustomer())))
                    .isInstanceOf(dev.opagent.segment.SegmentException.class);
                assertThat(context.getBean(Tokens.class).fetched).hasValue(0);
              });
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Tokens {
    final AtomicInteger fetched = new AtomicInteger();

    @Bean
    BearerTokenProvider tokens() {
      return () -> {
        fetched.incrementAndGet();
        return BearerToken.of("jwt-good");
      };
    }
  }

  @Test
  void disabled_configuresNothing() {
    Contexts.bare()
        .withPropertyValues("opagent.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(SegmentClient.class)
                    .doesNotHaveBean(DecisionEngine.class)
                    .doesNotHaveBean(OpagentProperties.class));
  }

  @Test
  void channelAndStore_theLoopRunsARoundOnTheStoreAndDeliversToTheHostChannel() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Contexts.on(agent)
        .withUserConfiguration(HostChannel.class)
        .withPropertyValues(
            "opagent.store.url=jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
            "opagent.consent.default-channels=email,sms,push,in_app")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(OperationAgent.class);
              OperationAgent loop = context.getBean(OperationAgent.class);
              OperatingStore store = context.getBean(OperatingStore.class);
              assertThat(loop.executionService().journal()).isSameAs(store.journal());
              assertThat(loop.decisionEngine()).isSameAs(context.getBean(DecisionEngine.class));

              RoundReport report =
                  loop.runRound(
                      "round-1",
                      PopulationGenerator.builder().seed(3).asOf(today).build().list(60));

              assertThat(report.segmented()).isEqualTo(60);
              assertThat(report.chosen()).isPositive();
              InMemoryChannel channel = context.getBean(InMemoryChannel.class);
              assertThat(channel.size()).isEqualTo(report.execution().completed()).isPositive();
              assertThat(store.journal().runState("round-1")).isPresent();
              assertThat(channel.isClosed()).isFalse();
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class HostChannel {
    @Bean
    InMemoryChannel hostChannel() {
      return InMemoryChannel.create();
    }
  }

  @Test
  void channelSpecs_openedByTheStarter_andUnknownSpecFailsNamingTheProperty() {
    Path actions = dir.resolve("out/actions.jsonl");
    Contexts.on(agent)
        .withPropertyValues(
            "opagent.execution.channels=log,jsonl:" + actions,
            "opagent.execution.routes.create_discount=log")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ChannelRegistry registry = context.getBean(ChannelRegistry.class);
              assertThat(registry.fallback()).contains("log");
              assertThat(registry.actionTypeRoutes()).containsEntry("create_discount", "log");
              assertThat(registry.channel("jsonl")).isPresent();
              assertThat(Files.isDirectory(actions.getParent())).isTrue();
            });
    Contexts.on(agent)
        .withPropertyValues("opagent.execution.channels=smoke-signals")
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("opagent.execution.channels: 'smoke-signals' is not a channel"));
    Contexts.on(agent)
        .withPropertyValues("opagent.execution.channels=webhook:https://hooks.example.com/x")
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("needs opagent.execution.webhook-secret"));
  }

  @Test
  void policyLocation_readsThePolicy_andAnInvalidOneFailsNamingTheProperty() throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"budgets\": {\"currency\": \"TRY\", \"global\": \"0.50\"}}");
    Contexts.on(agent)
        .withPropertyValues("opagent.policy.location=file:" + policy)
        .run(
            context ->
                assertThat(context.getBean(DecisionPolicy.class))
                    .isNotEqualTo(DecisionPolicy.ofDefaults()));
    Files.writeString(policy, "{\"budgets\": 7}");
    Contexts.on(agent)
        .withPropertyValues("opagent.policy.location=file:" + policy)
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("opagent.policy.location file:" + policy + " is invalid"));
    Contexts.on(agent)
        .withPropertyValues("opagent.policy.location=classpath:no-such-policy.json")
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("opagent.policy.location classpath:no-such-policy.json: no such"));
  }

  @Test
  void rulesLocation_missingOrInvalid_startFailsNamingTheProperty() throws Exception {
    Contexts.on(agent)
        .withPropertyValues("opagent.rules.location=classpath:no-such-campaigns.json")
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("opagent.rules.location classpath:no-such-campaigns.json: no such"));
    Path rules = dir.resolve("campaigns.json");
    Files.writeString(rules, "{\"campaigns\": [{\"id\": 3}]}");
    Contexts.on(agent)
        .withPropertyValues("opagent.rules.location=file:" + rules)
        .run(
            context ->
                assertThat(rootMessage(context.getStartupFailure()))
                    .contains("opagent.rules.location file:" + rules + " does not validate"));
  }

  @Test
  void storeUrl_passwordNeverInTheFailure() {
    Contexts.on(agent)
        .withPropertyValues(
            "opagent.store.url=jdbc:mysql://db/opagent?password=hunter2",
            "opagent.store.password=s3cret")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertThat(rootMessage(failure)).contains("jdbc:h2:").doesNotContain("hunter2");
              for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain("hunter2")
                    .doesNotContain("s3cret");
              }
            });
  }

  /** The message of the innermost cause that says what to do, as a host sees it in the log. */
  static String rootMessage(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
