package dev.opagent.spring.boot;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.channels.WebhookChannel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.InvalidPolicyException;
import dev.opagent.agent.spi.OperationTracer;
import dev.opagent.rules.LoadResult;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.problem.Problem;
import dev.opagent.segment.BearerTokenProvider;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentClientListener;
import dev.opagent.segment.SessionMode;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * opagent from {@code opagent.*} properties: the segment client, the rules, the policy, the
 * approval gate, the decision engine, and — when there is a channel — the execution service and the
 * loop ({@link OperationAgent}), wired on the operating store (when there is one) as the command
 * line wires them. Every bean gives way to one of the host's own type.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "opagent", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(OpagentProperties.class)
public class OpagentAutoConfiguration {

  /** The clock of every part: the host's {@code Clock} bean, else the system clock in UTC. */
  static Clock clock(ObjectProvider<Clock> clock) {
    return clock.getIfUnique(Clock::systemUTC);
  }

  @Bean
  @ConditionalOnMissingBean
  SegmentCircuitState opagentSegmentCircuitState(ObjectProvider<Clock> clock) {
    return new SegmentCircuitState(clock(clock));
  }

  @Bean
  @ConditionalOnMissingBean
  SegmentClient opagentSegmentClient(
      OpagentProperties properties,
      SegmentCircuitState circuit,
      ObjectProvider<BearerTokenProvider> tokens,
      ObjectProvider<AwsCredentialsProvider> credentials,
      ObjectProvider<SegmentClientListener> listeners,
      ObjectProvider<SegmentClientBuilderCustomizer> customizers,
      ObjectProvider<Clock> clock) {
    OpagentProperties.Agent a = properties.getAgent();
    SegmentClientBuilder b = SegmentClient.builder();
    try {
      agent(a, b);
      transport(a, b, tokens.getIfUnique(), credentials.getIfUnique());
      options(a, b);
      if (a.isFallback()) {
        b.fallback(new ReferenceSegmenter(clock(clock)));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("opagent.agent is invalid: " + e.getMessage(), e);
    }
    circuit.listenTo(b);
    listeners
        .orderedStream()
        .filter(l -> !(l instanceof SegmentCircuitState))
        .forEach(b::addListener);
    customizers.orderedStream().forEach(c -> c.customize(b));
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalStateException("opagent.agent is invalid: " + e.getMessage(), e);
    }
  }

  private static void agent(OpagentProperties.Agent a, SegmentClientBuilder b) {
    String arn = text(a.getRuntimeArn());
    String id = text(a.getAgentId());
    String account = text(a.getAccountId());
    String region = text(a.getRegion());
    if (arn != null) {
      b.agentRuntimeArn(arn);
    } else if (id != null) {
      if (account == null || region == null) {
        throw new IllegalStateException(
            "opagent.agent.agent-id needs opagent.agent.account-id and opagent.agent.region too;"
                + " set them, or set opagent.agent.runtime-arn instead");
      }
      b.agentId(id).accountId(account);
    } else {
      throw new IllegalStateException(
          "opagent.agent.runtime-arn is not set: set it to the segment agent's runtime ARN"
              + " (opagent.agent.runtime-arn=arn:aws:bedrock-agentcore:REGION:ACCOUNT_ID:runtime/"
              + "AGENT_ID), or set opagent.agent.agent-id with opagent.agent.account-id and"
              + " opagent.agent.region, or define a SegmentClient bean of your own"
              + " (opagent.enabled=false turns opagent off)");
    }
    if (region != null) {
      b.region(Region.of(region));
    }
    String qualifier = text(a.getQualifier());
    if (qualifier != null) {
      b.qualifier(qualifier);
    }
    URI endpoint = a.getEndpoint();
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
  }

  private static void transport(
      OpagentProperties.Agent a,
      SegmentClientBuilder b,
      @Nullable BearerTokenProvider tokens,
      @Nullable AwsCredentialsProvider credentials) {
    OpagentProperties.Auth auth = a.getAuth();
    if (auth == null) {
      auth = tokens != null ? OpagentProperties.Auth.BEARER : OpagentProperties.Auth.SIGV4;
    }
    if (auth == OpagentProperties.Auth.BEARER) {
      if (tokens == null) {
        throw new IllegalStateException(
            "opagent.agent.auth=bearer needs a bean of type dev.opagent.segment.BearerTokenProvider"
                + " that fetches access tokens from your identity provider: define one, or set"
                + " opagent.agent.auth=sigv4 to sign with AWS credentials");
      }
      b.bearerTokenProvider(tokens);
      return;
    }
    URI endpoint = a.getEndpoint();
    if (credentials != null) {
      b.credentialsProvider(credentials);
    } else if (endpoint != null && isLoopback(endpoint)) {
      // a local simulator or proxy: nothing verifies the signature, and the SDK needs one
      b.credentialsProvider(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }
  }

  private static void options(OpagentProperties.Agent a, SegmentClientBuilder b) {
    Integer maxConcurrency = a.getMaxConcurrency();
    if (maxConcurrency != null) {
      b.maxConcurrency(maxConcurrency);
    }
    Double maxRate = a.getMaxRequestsPerSecond();
    if (maxRate != null) {
      b.maxRequestsPerSecond(maxRate);
    }
    Double initialRate = a.getInitialRequestsPerSecond();
    if (initialRate != null) {
      b.initialRequestsPerSecond(initialRate);
    }
    Integer maxAttempts = a.getMaxAttempts();
    if (maxAttempts != null) {
      b.maxAttempts(maxAttempts);
    }
    Integer agentErrorRetries = a.getAgentErrorRetries();
    if (agentErrorRetries != null) {
      b.agentErrorRetries(agentErrorRetries);
    }
    Integer malformedRetries = a.getMalformedResponseRetries();
    if (malformedRetries != null) {
      b.malformedResponseRetries(malformedRetries);
    }
    Duration attemptTimeout = a.getAttemptTimeout();
    if (attemptTimeout != null) {
      b.attemptTimeout(attemptTimeout);
    }
    String runtimeUserId = text(a.getRuntimeUserId());
    if (runtimeUserId != null) {
      b.runtimeUserId(runtimeUserId);
    }
    SessionMode sessionMode = a.getSessionMode();
    if (sessionMode != null) {
      b.sessionMode(sessionMode);
    }
    b.payloadLogging(a.isPayloadLogging());
    OpagentProperties.Backoff backoff = a.getBackoff();
    if (backoff.getBaseDelay() != null || backoff.getMaxDelay() != null) {
      b.backoff(
          orElse(backoff.getBaseDelay(), Duration.ofMillis(200)),
          orElse(backoff.getMaxDelay(), Duration.ofSeconds(20)));
    }
    OpagentProperties.CircuitBreaker breaker = a.getCircuitBreaker();
    if (!breaker.isEnabled()) {
      b.disableCircuitBreaker();
    } else if (breaker.getFailures() != null
        || breaker.getWindow() != null
        || breaker.getDelay() != null) {
      b.circuitBreaker(
          orElse(breaker.getFailures(), 10),
          orElse(breaker.getWindow(), 20),
          orElse(breaker.getDelay(), Duration.ofSeconds(30)));
    }
    OpagentProperties.Cache cache = a.getCache();
    if (!cache.isEnabled()) {
      b.disableCache();
    } else if (cache.getTtl() != null || cache.getMaxSize() != null) {
      b.cache(orElse(cache.getTtl(), Duration.ofHours(1)), orElse(cache.getMaxSize(), 100_000L));
    }
  }

  @Bean
  @ConditionalOnMissingBean
  RuleSetHolder opagentRuleSetHolder(OpagentProperties properties, ResourceLoader resources) {
    String location = text(properties.getRules().getLocation());
    RuleSource source = location == null ? RuleSource.defaults() : ruleSource(location, resources);
    RuleSetLoader loader = RuleSetLoader.ofDefaults();
    LoadResult loaded = loader.validate(source);
    if (loaded instanceof LoadResult.Invalid invalid) {
      StringBuilder sb =
          new StringBuilder("opagent.rules.location ")
              .append(source.describe())
              .append(" does not validate; fix the rules or point the property elsewhere:");
      for (Problem p : invalid.problems()) {
        sb.append(System.lineSeparator()).append("  ").append(p);
      }
      throw new IllegalStateException(sb.toString());
    }
    return RuleSetHolder.of(((LoadResult.Loaded) loaded).ruleSet(), loader, source);
  }

  private static RuleSource ruleSource(String location, ResourceLoader resources) {
    Resource r = resources.getResource(location);
    if (!r.exists()) {
      throw new IllegalStateException(
          "opagent.rules.location "
              + location
              + ": no such resource; give classpath:NAME or file:/PATH of a rule file, or leave"
              + " the property unset for the bundled campaigns");
    }
    try {
      if (r.isFile()) {
        return RuleSource.file(r.getFile().toPath());
      }
      return RuleSource.string(r.getDescription(), read(r));
    } catch (IOException e) {
      throw new UncheckedIOException("opagent.rules.location " + location + ": cannot read", e);
    }
  }

  @Bean
  @ConditionalOnMissingBean
  RuleSetReloader opagentRuleSetReloader(OpagentProperties properties, RuleSetHolder holder) {
    return new RuleSetReloader(holder, properties.getRules().getReloadInterval());
  }

  @Bean
  @ConditionalOnMissingBean
  DecisionPolicy opagentDecisionPolicy(OpagentProperties properties, ResourceLoader resources) {
    String location = text(properties.getPolicy().getLocation());
    if (location == null) {
      return DecisionPolicy.ofDefaults();
    }
    Resource r = resources.getResource(location);
    if (!r.exists()) {
      throw new IllegalStateException(
          "opagent.policy.location "
              + location
              + ": no such resource; give classpath:NAME or file:/PATH of a policy file, or leave"
              + " the property unset for the default policy");
    }
    try {
      return DecisionPolicy.fromJson(location, read(r));
    } catch (IOException e) {
      throw new UncheckedIOException("opagent.policy.location " + location + ": cannot read", e);
    } catch (InvalidPolicyException e) {
      throw new IllegalStateException(
          "opagent.policy.location " + location + " is invalid: " + e.getMessage(), e);
    }
  }

  @Bean
  @ConditionalOnMissingBean
  ApprovalGate opagentApprovalGate(
      OpagentProperties properties,
      ObjectProvider<OperatingStore> store,
      ObjectProvider<Clock> clock) {
    ApprovalGate.Builder b = ApprovalGate.builder().clock(clock(clock));
    OperatingStore s = store.getIfUnique();
    if (s != null) {
      b.store(s.approvalStore());
    }
    OpagentProperties.Approvals a = properties.getApprovals();
    Duration ttl = a.getRequestTtl();
    if (ttl != null) {
      b.requestTtl(ttl);
    }
    Duration validity = a.getApprovalValidity();
    if (validity != null) {
      b.approvalValidity(validity);
    }
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  DecisionEngine opagentDecisionEngine(
      DecisionPolicy policy,
      ApprovalGate approvals,
      ObjectProvider<DecisionEngineBuilderCustomizer> customizers,
      ObjectProvider<Clock> clock) {
    DecisionEngine.Builder b =
        DecisionEngine.builder().clock(clock(clock)).policy(policy).approvalGate(approvals);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  OperationAgent.ContextCustomizer opagentContextCustomizer(OpagentProperties properties) {
    return new ConsentFromData(properties.getConsent().getDefaultChannels());
  }

  @Bean
  @ConditionalOnMissingBean
  @Conditional(ChannelsConfigured.class)
  ChannelRegistry opagentChannelRegistry(
      OpagentProperties properties,
      ObjectProvider<ActionChannel> hostChannels,
      ObjectProvider<Clock> clock) {
    OpagentProperties.Execution x = properties.getExecution();
    ChannelRegistry.Builder b = ChannelRegistry.builder();
    List<ActionChannel> opened = new ArrayList<>();
    try {
      hostChannels.orderedStream().forEach(c -> b.register(new NonClosingChannel(c)));
      for (String spec : x.getChannels()) {
        ActionChannel c = channel(spec.trim(), x, clock(clock));
        opened.add(c);
        b.register(c);
      }
      List<String> names = new ArrayList<>();
      hostChannels.orderedStream().forEach(c -> names.add(c.name()));
      opened.forEach(c -> names.add(c.name()));
      String chosen = text(x.getDefaultChannel());
      String fallback = chosen != null ? chosen : names.get(0);
      b.fallback(fallback);
      for (Map.Entry<String, String> route : x.getRoutes().entrySet()) {
        b.routeActionType(route.getKey(), route.getValue());
      }
      return b.build();
    } catch (RuntimeException e) {
      for (ActionChannel c : opened) {
        try {
          c.close();
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
      }
      if (e instanceof IllegalArgumentException) {
        throw new IllegalStateException(
            "opagent.execution is invalid (channels, routes, default-channel): " + e.getMessage(),
            e);
      }
      throw e;
    }
  }

  private static ActionChannel channel(String spec, OpagentProperties.Execution x, Clock clock) {
    if (spec.equals("log")) {
      return LoggingChannel.builder().clock(clock).build();
    }
    if (spec.startsWith("jsonl:") && spec.length() > 6) {
      Path file = Path.of(spec.substring(6));
      try {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "opagent.execution.channels " + spec + ": cannot create the directory", e);
      }
      return JsonLinesChannel.builder(file).clock(clock).build();
    }
    if (spec.startsWith("webhook:") && spec.length() > 8) {
      String secret = text(x.getWebhookSecret());
      if (secret == null) {
        throw new IllegalStateException(
            "opagent.execution.channels "
                + spec
                + " needs opagent.execution.webhook-secret, the secret the receiver verifies"
                + " signatures with");
      }
      URI url = URI.create(spec.substring(8));
      WebhookChannel.Builder w = WebhookChannel.builder().endpoint(url).secret(secret).clock(clock);
      if ("http".equals(url.getScheme()) && isLoopback(url)) {
        w.allowInsecureHttp();
      }
      return w.build();
    }
    throw new IllegalStateException(
        "opagent.execution.channels: '"
            + spec
            + "' is not a channel; use jsonl:PATH, webhook:URL or log");
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ChannelRegistry.class)
  ExecutionService opagentExecutionService(
      OpagentProperties properties,
      DecisionEngine engine,
      ChannelRegistry channels,
      ObjectProvider<OperatingStore> store,
      ObjectProvider<ExecutionServiceBuilderCustomizer> customizers,
      ObjectProvider<OperationTracer> tracer,
      ObjectProvider<Clock> clock) {
    OpagentProperties.Execution x = properties.getExecution();
    ExecutionService.Builder b =
        ExecutionService.builder()
            .tracer(tracer.getIfUnique(() -> OperationTracer.NONE))
            .clock(clock(clock))
            .decisionEngine(engine)
            .channels(channels)
            .keys(IdempotencyKeys.daily(engine.policy().operatingZone()))
            .defaultLimits(ChannelLimits.of(x.getConcurrency(), x.getRate()));
    OperatingStore s = store.getIfUnique();
    if (s != null) {
      b.journal(s.journal()).journalIsLedger(true);
    }
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ExecutionService.class)
  OperationAgent opagentOperationAgent(
      SegmentClient client,
      RuleSetHolder rules,
      DecisionEngine engine,
      ExecutionService executor,
      OperationAgent.ContextCustomizer context,
      ObjectProvider<OperatingStore> store,
      ObjectProvider<OperationTracer> tracer,
      ObjectProvider<Clock> clock) {
    OperationAgent.Builder b =
        OperationAgent.builder()
            .tracer(tracer.getIfUnique(() -> OperationTracer.NONE))
            .segmentClient(client)
            .rules(rules::current)
            .clock(clock(clock))
            .decisionEngine(engine)
            .executionService(executor)
            .context(context);
    OperatingStore s = store.getIfUnique();
    if (s != null) {
      b.operatingState(s.operatingState()).segmentStore(s.segmentStore());
    }
    return b.build();
  }

  private static String read(Resource r) throws IOException {
    try (InputStream in = r.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static boolean isLoopback(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static <T> T orElse(@Nullable T value, T otherwise) {
    return value != null ? value : otherwise;
  }

  /** {@code s} trimmed, or null when it is null or blank. */
  static @Nullable String text(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
