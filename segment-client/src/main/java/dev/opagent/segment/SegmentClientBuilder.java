package dev.opagent.segment;

import dev.opagent.segment.spi.AgentTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/**
 * Builds a {@link SegmentClient}. Not thread-safe; {@link #build()} copies the options into an
 * immutable {@link SegmentClientConfig}, so a builder may be reused.
 *
 * <p>The only required option is the agent: {@link #agentRuntimeArn(String)}, or {@link
 * #agentId(String)} with {@link #accountId(String)} and {@link #region(Region)}. Everything else
 * has a default chosen for a stateless LLM agent behind AgentCore's default limits (25 requests/s
 * per endpoint, 1,000 active sessions, calls taking seconds).
 */
public final class SegmentClientBuilder {
  private static final Pattern ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:bedrock-agentcore:([a-z0-9-]+):(\\d{12}):runtime/[A-Za-z0-9_-]+");

  /**
   * The default {@link #maxConcurrency}: AgentCore's default active-session quota in us-east-1 and
   * us-west-2.
   */
  public static final int DEFAULT_MAX_CONCURRENCY = 1000;

  /** AgentCore's default InvokeAgentRuntime quota per endpoint, requests per second. */
  private static final double DEFAULT_INITIAL_REQUESTS_PER_SECOND = 25;

  private @Nullable String agentRuntimeArn;
  private @Nullable String agentId;
  private @Nullable String accountId;
  private String qualifier = "DEFAULT";
  private @Nullable Region region;
  private @Nullable AwsCredentialsProvider credentialsProvider;
  private @Nullable URI endpointOverride;
  private @Nullable BedrockAgentCoreAsyncClient asyncClient;
  private @Nullable AgentTransport transport;
  private @Nullable BearerTokenProvider bearerTokens;
  private @Nullable CallTracer tracer;
  private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
  private double maxRequestsPerSecond;
  private double initialRequestsPerSecond;
  private int maxAttempts = 4;
  private int agentErrorRetries = 1;
  private int malformedResponseRetries = 1;
  private Duration baseDelay = Duration.ofMillis(200);
  private Duration maxDelay = Duration.ofSeconds(20);
  private Duration attemptTimeout = Duration.ofMinutes(5);
  private boolean circuitBreakerEnabled = true;
  private int circuitBreakerFailures = 10;
  private int circuitBreakerWindow = 20;
  private Duration circuitBreakerDelay = Duration.ofSeconds(30);
  private boolean cacheEnabled = true;
  private Duration cacheTtl = Duration.ofHours(1);
  private long cacheMaxSize = 100_000;
  private SessionMode sessionMode = SessionMode.POOLED;
  private @Nullable String runtimeUserId;
  private boolean payloadLogging;
  private final List<SegmentClientListener> listeners = new ArrayList<>();
  private @Nullable LocalSegmenter fallback;

  SegmentClientBuilder() {}

  /**
   * The agent runtime's ARN, for example {@code
   * arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/customer_segment_agent-abc}. The
   * region defaults to the ARN's.
   */
  public SegmentClientBuilder agentRuntimeArn(String agentRuntimeArn) {
    this.agentRuntimeArn = Objects.requireNonNull(agentRuntimeArn, "agentRuntimeArn");
    return this;
  }

  /** The agent runtime id, used with {@link #accountId} and {@link #region} instead of an ARN. */
  public SegmentClientBuilder agentId(String agentId) {
    this.agentId = Objects.requireNonNull(agentId, "agentId");
    return this;
  }

  /** The AWS account that owns the agent runtime, used with {@link #agentId}. */
  public SegmentClientBuilder accountId(String accountId) {
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    return this;
  }

  /** The endpoint qualifier (alias or version). Default {@code DEFAULT}. */
  public SegmentClientBuilder qualifier(String qualifier) {
    this.qualifier = Objects.requireNonNull(qualifier, "qualifier");
    return this;
  }

  /** The AWS region. Default: the ARN's region, else the SDK's region chain. */
  public SegmentClientBuilder region(Region region) {
    this.region = Objects.requireNonNull(region, "region");
    return this;
  }

  /** The credentials. Default: the SDK's default credentials chain. */
  public SegmentClientBuilder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
    this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
    return this;
  }

  /**
   * Sends requests to another AgentCore-compatible endpoint: a VPC endpoint, a proxy, or the
   * embedded simulator. Default: the region's public endpoint.
   */
  public SegmentClientBuilder endpointOverride(URI endpointOverride) {
    this.endpointOverride = Objects.requireNonNull(endpointOverride, "endpointOverride");
    return this;
  }

  /**
   * Uses a client the caller built and owns; the SDK never closes it. Its HTTP client should allow
   * at least {@link #maxConcurrency} connections and long reads, and its own retries should be off
   * ({@code AwsRetryStrategy.doNotRetry()}), or calls are retried twice over.
   */
  public SegmentClientBuilder asyncClient(BedrockAgentCoreAsyncClient asyncClient) {
    this.asyncClient = Objects.requireNonNull(asyncClient, "asyncClient");
    return this;
  }

  /**
   * Traces every call that reaches the agent (cache hits are not traced): a span per call and per
   * attempt, and the attempt's W3C trace context sent with the request ({@code traceParent}, {@code
   * traceState}, {@code baggage}) so that the agent's own spans in AgentCore join the caller's
   * trace. {@code OpenTelemetryTracing} in the {@code opagent-opentelemetry} module is one.
   * Default: none.
   */
  public SegmentClientBuilder tracer(CallTracer tracer) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    return this;
  }

  /**
   * Calls an agent runtime configured with inbound OAuth (a JWT authorizer): requests go over HTTPS
   * with {@code Authorization: Bearer} and a token from {@code provider} instead of through the AWS
   * SDK with SigV4, which such a runtime refuses. The same path, headers, answers, session reuse
   * and error codes as the SDK; a token is replaced a minute before it expires, and a 401 fetches a
   * new one and sends the request once more. The endpoint is {@link #endpointOverride} or the
   * region's ({@code https://bedrock-agentcore.REGION.amazonaws.com}). Not with {@link
   * #credentialsProvider}, {@link #asyncClient} or {@link #transport}. Default: SigV4 through the
   * AWS SDK.
   */
  public SegmentClientBuilder bearerTokenProvider(BearerTokenProvider provider) {
    this.bearerTokens = Objects.requireNonNull(provider, "provider");
    return this;
  }

  /**
   * Replaces the AWS transport altogether, for example with an in-process fake. The caller owns it;
   * the SDK never closes it. Region, credentials, endpoint and async client are then ignored.
   */
  public SegmentClientBuilder transport(AgentTransport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  /**
   * The most requests in flight. Throughput is at most {@code maxConcurrency / latency}, so 25
   * requests/s at 10 s per call needs about 250 (more with a long latency tail); the rate limiter,
   * not this number, normally decides how many are in flight. Each concurrent request uses its own
   * runtime session, and sessions count against the account's active-session quota: when the quota
   * refuses a new pooled session, the client lowers its concurrency to the sessions it holds and
   * retries the call on one of them. Default 1000, AgentCore's default active-session quota in
   * us-east-1 and us-west-2.
   */
  public SegmentClientBuilder maxConcurrency(int maxConcurrency) {
    this.maxConcurrency = requirePositive("maxConcurrency", maxConcurrency);
    return this;
  }

  /**
   * A known hard cap on the request rate, such as the endpoint's quota (25/s by default on
   * AgentCore); the adaptive rate never exceeds it. Default 0: unknown, the rate adapts to
   * throttling alone.
   */
  public SegmentClientBuilder maxRequestsPerSecond(double maxRequestsPerSecond) {
    if (!(maxRequestsPerSecond >= 0) || Double.isInfinite(maxRequestsPerSecond)) {
      throw new IllegalArgumentException(
          "maxRequestsPerSecond must be zero or positive but was " + maxRequestsPerSecond);
    }
    this.maxRequestsPerSecond = maxRequestsPerSecond;
    return this;
  }

  /**
   * The request rate to start at; it doubles every second of full use until the agent throttles,
   * then grows additively and is cut on each throttle. Default: {@link #maxRequestsPerSecond} when
   * that is set (the quota is known, so start there), else 25/s, AgentCore's default quota.
   */
  public SegmentClientBuilder initialRequestsPerSecond(double initialRequestsPerSecond) {
    if (!(initialRequestsPerSecond > 0) || Double.isInfinite(initialRequestsPerSecond)) {
      throw new IllegalArgumentException(
          "initialRequestsPerSecond must be positive but was " + initialRequestsPerSecond);
    }
    this.initialRequestsPerSecond = initialRequestsPerSecond;
    return this;
  }

  /**
   * The most requests per call, first one included. Throttling, server errors, broken connections
   * and timeouts are retried up to this; invalid input, access denied, not found and quota exceeded
   * never are. Default 4.
   */
  public SegmentClientBuilder maxAttempts(int maxAttempts) {
    this.maxAttempts = requirePositive("maxAttempts", maxAttempts);
    return this;
  }

  /**
   * Retries for an agent error (424): an LLM agent may succeed on a second try. Default 1; 0 turns
   * them off. Always bounded by {@link #maxAttempts}.
   */
  public SegmentClientBuilder agentErrorRetries(int agentErrorRetries) {
    this.agentErrorRetries = requireNonNegative("agentErrorRetries", agentErrorRetries);
    return this;
  }

  /** Retries for an answer with no readable analysis. Default 1; 0 turns them off. */
  public SegmentClientBuilder malformedResponseRetries(int malformedResponseRetries) {
    this.malformedResponseRetries =
        requireNonNegative("malformedResponseRetries", malformedResponseRetries);
    return this;
  }

  /**
   * Backoff: retry {@code n} waits a random time between 0 and {@code min(maxDelay, baseDelay ×
   * 2^(n-1))} (exponential backoff with full jitter). Defaults 200 ms and 20 s.
   */
  public SegmentClientBuilder backoff(Duration baseDelay, Duration maxDelay) {
    requirePositive("baseDelay", baseDelay);
    requirePositive("maxDelay", maxDelay);
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay must be at least baseDelay but was " + maxDelay + " < " + baseDelay);
    }
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    return this;
  }

  /**
   * The deadline of one request, after which it is abandoned and retried as a timeout. The HTTP
   * read timeout is set above it (at least AgentCore's 15-minute synchronous limit), so this is the
   * deadline that counts. Default 5 minutes.
   */
  public SegmentClientBuilder attemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = requirePositive("attemptTimeout", attemptTimeout);
    return this;
  }

  /**
   * The circuit breaker: it opens when {@code failures} of the last {@code window} requests found
   * the agent unavailable (5xx, broken connections, timeouts; throttling does not count), fails
   * calls fast with {@link ErrorCode#CIRCUIT_OPEN} (or answers from the fallback) for {@code
   * delay}, then lets probes through and closes when they succeed. Defaults 10 of 20, 30 s.
   */
  public SegmentClientBuilder circuitBreaker(int failures, int window, Duration delay) {
    requirePositive("failures", failures);
    requirePositive("window", window);
    if (failures > window) {
      throw new IllegalArgumentException(
          "failures must not exceed window but was " + failures + " > " + window);
    }
    this.circuitBreakerFailures = failures;
    this.circuitBreakerWindow = window;
    this.circuitBreakerDelay = requirePositive("delay", delay);
    this.circuitBreakerEnabled = true;
    return this;
  }

  /** Turns the circuit breaker off. */
  public SegmentClientBuilder disableCircuitBreaker() {
    this.circuitBreakerEnabled = false;
    return this;
  }

  /**
   * The cache of successful answers, keyed by agent ARN, qualifier and a canonical hash of the
   * customer data. Identical calls in flight always share one request unless bypassed. Defaults:
   * on, 1 hour, 100,000 entries.
   */
  public SegmentClientBuilder cache(Duration ttl, long maxSize) {
    this.cacheTtl = requirePositive("ttl", ttl);
    if (maxSize <= 0) {
      throw new IllegalArgumentException("maxSize must be positive but was " + maxSize);
    }
    this.cacheMaxSize = maxSize;
    this.cacheEnabled = true;
    return this;
  }

  /** Turns the cache off (identical calls in flight still share one request). */
  public SegmentClientBuilder disableCache() {
    this.cacheEnabled = false;
    return this;
  }

  /** How session ids are chosen. Default {@link SessionMode#POOLED}. */
  public SegmentClientBuilder sessionMode(SessionMode sessionMode) {
    this.sessionMode = Objects.requireNonNull(sessionMode, "sessionMode");
    return this;
  }

  /**
   * The runtime user id sent with each request (AgentCore's {@code runtimeUserId}, for agents that
   * act on behalf of a user; a SigV4 caller needs {@code
   * bedrock-agentcore:InvokeAgentRuntimeForUser}). Default: none. For a user per call, see {@link
   * SegmentClient#onBehalfOf(String)}.
   */
  public SegmentClientBuilder runtimeUserId(String runtimeUserId) {
    this.runtimeUserId = checkedUserId(runtimeUserId);
    return this;
  }

  /**
   * {@code runtimeUserId} when it can go in a request header.
   *
   * @throws IllegalArgumentException when it is blank, longer than 1,024 characters or holds a
   *     control character (the message never repeats it)
   */
  static String checkedUserId(String runtimeUserId) {
    Objects.requireNonNull(runtimeUserId, "runtimeUserId");
    if (runtimeUserId.isBlank()
        || runtimeUserId.length() > 1024
        || runtimeUserId.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "runtimeUserId must be 1 to 1024 characters without control characters (it is sent as"
              + " a request header); got "
              + runtimeUserId.length()
              + " characters");
    }
    return runtimeUserId;
  }

  /**
   * Lets payloads, answers and unredacted excerpts appear in debug logs and error messages. They
   * contain personal data: turn this on only where such logs are allowed. Default off.
   */
  public SegmentClientBuilder payloadLogging(boolean payloadLogging) {
    this.payloadLogging = payloadLogging;
    return this;
  }

  /** Adds a metrics listener. */
  public SegmentClientBuilder addListener(SegmentClientListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Answers from a local segmenter (typically {@link ReferenceSegmenter}) when the circuit is open
   * or retries are exhausted on a retryable error — never for invalid input, access denied, not
   * found or quota exceeded. Such outcomes report {@link Source#FALLBACK} and are not cached.
   * Default: no fallback.
   */
  public SegmentClientBuilder fallback(LocalSegmenter fallback) {
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    return this;
  }

  /**
   * Builds the client.
   *
   * @throws IllegalStateException when no agent is configured or the ARN is malformed
   */
  public SegmentClient build() {
    String arn = resolveArn();
    double initialRate =
        initialRequestsPerSecond > 0
            ? initialRequestsPerSecond
            : maxRequestsPerSecond > 0 ? maxRequestsPerSecond : DEFAULT_INITIAL_REQUESTS_PER_SECOND;
    SegmentClientConfig config =
        new SegmentClientConfig(
            arn,
            qualifier,
            maxConcurrency,
            maxRequestsPerSecond,
            initialRate,
            maxAttempts,
            agentErrorRetries,
            malformedResponseRetries,
            baseDelay,
            maxDelay,
            attemptTimeout,
            circuitBreakerEnabled,
            circuitBreakerFailures,
            circuitBreakerWindow,
            circuitBreakerDelay,
            cacheEnabled,
            cacheTtl,
            cacheMaxSize,
            sessionMode,
            runtimeUserId,
            payloadLogging,
            listeners,
            fallback);
    if (bearerTokens != null) {
      if (transport != null || asyncClient != null || credentialsProvider != null) {
        throw new IllegalStateException(
            "bearerTokenProvider calls the agent over HTTPS with OAuth tokens; remove transport,"
                + " asyncClient or credentialsProvider, which are for SigV4 through the AWS SDK");
      }
      Region effectiveRegion = region != null ? region : regionOf(arn);
      if (endpointOverride == null && effectiveRegion == null) {
        throw new IllegalStateException(
            "bearerTokenProvider needs a region (from the agent runtime ARN or region(...)) or an"
                + " endpointOverride");
      }
      URI endpoint =
          endpointOverride != null
              ? endpointOverride
              : BearerAgentTransport.endpointOf(Objects.requireNonNull(effectiveRegion).id());
      return new DefaultSegmentClient(
          config,
          new BearerAgentTransport(
              endpoint, bearerTokens, attemptTimeout, Clock.systemUTC(), payloadLogging),
          true,
          tracer);
    }
    if (transport != null) {
      return new DefaultSegmentClient(config, transport, false, tracer);
    }
    AgentTransport aws;
    if (asyncClient != null) {
      aws = AwsAgentTransport.wrap(asyncClient, payloadLogging);
    } else {
      Region effectiveRegion = region != null ? region : regionOf(arn);
      aws =
          AwsAgentTransport.create(
              effectiveRegion,
              credentialsProvider,
              endpointOverride,
              maxConcurrency,
              attemptTimeout,
              payloadLogging);
    }
    return new DefaultSegmentClient(config, aws, true, tracer);
  }

  private String resolveArn() {
    if (agentRuntimeArn != null) {
      if (!ARN.matcher(agentRuntimeArn).matches()) {
        throw new IllegalStateException(
            "agentRuntimeArn must look like "
                + "arn:aws:bedrock-agentcore:REGION:ACCOUNT_ID:runtime/AGENT_ID but was "
                + agentRuntimeArn);
      }
      return agentRuntimeArn;
    }
    if (agentId != null) {
      if (accountId == null || region == null) {
        throw new IllegalStateException(
            "agentId needs accountId and region too (or give agentRuntimeArn instead)");
      }
      return "arn:aws:bedrock-agentcore:" + region.id() + ":" + accountId + ":runtime/" + agentId;
    }
    throw new IllegalStateException(
        "no agent configured: call agentRuntimeArn(...) or agentId(...) with accountId(...) and region(...)");
  }

  private static @Nullable Region regionOf(String arn) {
    Matcher m = ARN.matcher(arn);
    return m.matches() ? Region.of(m.group(1)) : null;
  }

  private static int requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive but was " + value);
    }
    return value;
  }

  private static int requireNonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    return value;
  }

  private static Duration requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + value);
    }
    return value;
  }
}
