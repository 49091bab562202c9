package dev.opagent.testkit;

import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/**
 * JUnit 5 extension that runs an {@link AgentSimulator} on a free loopback port and hands out a
 * ready {@link SegmentClient} pointed at it. Thread-safe; one instance serves one test class (and
 * its nested classes). When two are registered for the same test, parameters are ambiguous: use
 * each field's {@link #simulator()} and {@link #client()}.
 *
 * <p>Registered on a {@code static} field or with {@code @ExtendWith}, one simulator serves the
 * whole class; on an instance field, each test gets its own. Either way, before each test the
 * counters are reset and the agent is brought up, and each test gets a fresh client (so no cache is
 * shared between tests), closed after it. Test and lifecycle methods may declare parameters of type
 * {@link AgentSimulator} and {@link SegmentClient}.
 *
 * <p>By default the simulator runs with {@link SimulatorConfig#ofDefaults()} except that its clock
 * is {@link Fixtures#seedClock()} (2026-03-15), so the seed customers get the worked example's
 * segments.
 *
 * <pre>{@code
 * class CampaignTest {
 *   @RegisterExtension
 *   static final AgentSimulatorExtension AGENT = AgentSimulatorExtension.create(
 *       SimulatorConfig.builder().clock(Fixtures.seedClock()).internalErrorRate(0.1).seed(3).build())
 *       .withClient(b -> b.maxAttempts(4));
 *
 *   @Test
 *   void segmentsTheActiveCustomer(SegmentClient client, AgentSimulator simulator) {
 *     assertThat(client.analyze(Fixtures.seedActiveCustomer()).churnSegment())
 *         .isEqualTo(ChurnSegment.WARM);
 *     assertThat(simulator.stats().callsFor("C-1001")).isPositive();
 *   }
 * }
 * }</pre>
 */
public final class AgentSimulatorExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final String SIMULATOR = "simulator";
  private static final String CLIENT = "client";

  /** Per instance: two registered extensions never share a simulator. */
  private final ExtensionContext.Namespace namespace =
      ExtensionContext.Namespace.create(AgentSimulatorExtension.class, this);

  private final SimulatorConfig config;
  private final Consumer<SegmentClientBuilder> clientCustomizer;
  private volatile @Nullable Running classScoped;
  private volatile @Nullable Running testScoped;
  private volatile @Nullable SegmentClient client;

  /** The default extension, used by {@code @ExtendWith(AgentSimulatorExtension.class)}. */
  public AgentSimulatorExtension() {
    this(SimulatorConfig.builder().clock(Fixtures.seedClock()).build(), b -> {});
  }

  private AgentSimulatorExtension(
      SimulatorConfig config, Consumer<SegmentClientBuilder> clientCustomizer) {
    this.config = config;
    this.clientCustomizer = clientCustomizer;
  }

  /** An extension whose simulator runs with the defaults and the seed date as its clock. */
  public static AgentSimulatorExtension create() {
    return new AgentSimulatorExtension();
  }

  /** An extension whose simulator runs with {@code config}. */
  public static AgentSimulatorExtension create(SimulatorConfig config) {
    return new AgentSimulatorExtension(Objects.requireNonNull(config, "config"), b -> {});
  }

  /**
   * A copy of this extension whose clients are further configured by {@code customizer}, applied
   * after the endpoint, ARN, qualifier, region and credentials are set.
   */
  public AgentSimulatorExtension withClient(Consumer<SegmentClientBuilder> customizer) {
    Objects.requireNonNull(customizer, "customizer");
    Consumer<SegmentClientBuilder> previous = clientCustomizer;
    return new AgentSimulatorExtension(config, previous.andThen(customizer));
  }

  /**
   * The running simulator.
   *
   * @throws IllegalStateException outside a test or lifecycle method
   */
  public AgentSimulator simulator() {
    return running().simulator;
  }

  /**
   * The current test's client, built on first use and closed after the test.
   *
   * @throws IllegalStateException outside a test
   */
  public SegmentClient client() {
    SegmentClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c = newClient(running());
          client = c;
        }
      }
    }
    return c;
  }

  /**
   * A new client of the running simulator, configured like the one {@link #client()} gives; the
   * caller closes it.
   */
  public SegmentClient newClient() {
    return newClient(running());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    classScoped =
        context
            .getStore(namespace)
            .getOrComputeIfAbsent(SIMULATOR, k -> new Running(config), Running.class);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Running shared = classScoped;
    if (shared == null) {
      testScoped =
          context
              .getStore(namespace)
              .getOrComputeIfAbsent(SIMULATOR, k -> new Running(config), Running.class);
    } else {
      shared.simulator.resetStats();
      shared.simulator.bringUp();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    SegmentClient c;
    synchronized (this) {
      c = client;
      client = null;
    }
    if (c != null) {
      c.close();
    }
    testScoped = null;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == AgentSimulator.class || type == SegmentClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == AgentSimulator.class) {
      return simulator();
    }
    if (type == SegmentClient.class) {
      if (context.getTestMethod().isEmpty()) {
        throw new ParameterResolutionException(
            "a SegmentClient is only available to test"
                + " methods and @BeforeEach/@AfterEach methods; use newClient() elsewhere");
      }
      return client();
    }
    throw new ParameterResolutionException("cannot resolve " + type.getName());
  }

  private Running running() {
    Running r = testScoped != null ? testScoped : classScoped;
    if (r == null) {
      throw new IllegalStateException(
          "the simulator runs only while a test class using AgentSimulatorExtension runs");
    }
    return r;
  }

  private SegmentClient newClient(Running r) {
    SegmentClientBuilder builder =
        SegmentClient.builder()
            .agentRuntimeArn(r.simulator.agentRuntimeArn())
            .qualifier(r.simulator.qualifier())
            .asyncClient(r.sdk);
    clientCustomizer.accept(builder);
    return builder.build();
  }

  /**
   * A simulator and one AWS client of it, shared by the tests' segment clients: a segment client
   * never closes an AWS client it was handed, so closing it after each test is instant, and the AWS
   * client (whose Netty shutdown takes seconds) is closed once, with the simulator.
   */
  // AutoCloseable for JUnit 5.13 and later, CloseableResource (deprecated there) for the JUnit
  // versions before, so the simulator is closed whichever JUnit the host runs.
  @SuppressWarnings("deprecation")
  private static final class Running
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final AgentSimulator simulator;
    final BedrockAgentCoreAsyncClient sdk;

    Running(SimulatorConfig config) {
      simulator = AgentSimulator.start(config);
      sdk =
          BedrockAgentCoreAsyncClient.builder()
              .endpointOverride(simulator.endpoint())
              .region(Region.US_WEST_2)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create("testkit", "testkit")))
              .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
              .httpClientBuilder(
                  NettyNioAsyncHttpClient.builder()
                      .maxConcurrency(1024)
                      .maxPendingConnectionAcquires(100_000)
                      .connectionAcquisitionTimeout(Duration.ofMinutes(1))
                      .readTimeout(Duration.ofMinutes(15)))
              .build();
    }

    @Override
    public void close() {
      try {
        sdk.close();
      } finally {
        simulator.close();
      }
    }
  }
}
