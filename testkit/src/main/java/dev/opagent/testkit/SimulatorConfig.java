package dev.opagent.testkit;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How an {@link AgentSimulator} behaves: where it listens, which agent it pretends to be, how it
 * answers, and which latency, quotas and faults it simulates. Immutable and thread-safe; build one
 * with {@link #builder()} (the builder is not thread-safe) or take {@link #ofDefaults()}.
 *
 * <p>Everything random — which requests fail and how, latencies, request ids — is drawn from {@link
 * #seed()}: the <i>n</i>-th call for a given customer id always gets the same fault and latency,
 * whatever the order in which concurrent calls arrive.
 *
 * <pre>{@code
 * SimulatorConfig config = SimulatorConfig.builder()
 *     .latency(Latency.logNormal(Duration.ofMillis(200), 0.5))
 *     .requestsPerSecond(25)
 *     .maxActiveSessions(1000)
 *     .internalErrorRate(0.05)
 *     .putPoisonCustomer("C-666", Fault.AGENT_ERROR)
 *     .seed(42)
 *     .build();
 * }</pre>
 *
 * @param host the loopback or other address to listen on
 * @param port the port, or 0 for a free one
 * @param agentRuntimeArn the agent runtime ARN the simulator answers for
 * @param acceptAnyArn whether any ARN is answered (else unknown ARNs get 404)
 * @param qualifiers accepted endpoint qualifiers; a request without one means {@code DEFAULT}
 * @param responseShape JSON body or event stream
 * @param streamProgressEvents progress events sent before the final event of a stream
 * @param latency how long each answer takes
 * @param requestsPerSecond the request-rate quota; 0 means unlimited
 * @param burst the token bucket's capacity: requests that may arrive at once
 * @param maxActiveSessions the active-session quota; 0 means unlimited
 * @param sessionIdleTimeout how long an unused session stays active
 * @param internalErrorRate probability of a 500
 * @param dropRate probability of a dropped connection
 * @param malformedRate probability of an unreadable 200 body
 * @param agentErrorRate probability of a 424 {@code RuntimeClientError}
 * @param poisonCustomers customer ids that always fail, with how
 * @param deniedAccessKeyIds access key ids whose requests get 403
 * @param seed the seed of every random choice
 * @param clock the clock whose date the reference segmenter uses as {@code asOf}
 * @param ticker the time source of quotas and idle timeouts
 * @param handlerThreads threads that read requests (answers are sent from a scheduler, so slow
 *     answers do not hold them)
 * @param maxPayloadBytes largest accepted request body
 * @param bearerTokens when not empty, inbound OAuth: an invocation must carry {@code Authorization:
 *     Bearer} with one of these tokens, or it gets 401 (an agent runtime configured with a JWT
 *     authorizer, which callers reach over HTTPS rather than through the AWS SDK)
 */
public record SimulatorConfig(
    String host,
    int port,
    String agentRuntimeArn,
    boolean acceptAnyArn,
    Set<String> qualifiers,
    ResponseShape responseShape,
    int streamProgressEvents,
    Latency latency,
    double requestsPerSecond,
    int burst,
    int maxActiveSessions,
    Duration sessionIdleTimeout,
    double internalErrorRate,
    double dropRate,
    double malformedRate,
    double agentErrorRate,
    Map<String, Fault> poisonCustomers,
    Set<String> deniedAccessKeyIds,
    long seed,
    Clock clock,
    Ticker ticker,
    int handlerThreads,
    int maxPayloadBytes,
    Set<String> bearerTokens) {

  /** The ARN the simulator answers for unless configured otherwise. */
  public static final String DEFAULT_AGENT_RUNTIME_ARN =
      "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/customer_segment_agent-SIMULATED01";

  /** The qualifier AgentCore uses when a request names none. */
  public static final String DEFAULT_QUALIFIER = "DEFAULT";

  /** AgentCore's payload limit: 100,000,000 bytes. */
  public static final int MAX_PAYLOAD_BYTES = 100_000_000;

  private static final Pattern ARN =
      Pattern.compile("arn:aws[a-z-]*:bedrock-agentcore:[a-z0-9-]+:\\d{12}:runtime/[A-Za-z0-9_-]+");

  /** Checks every value and copies the collections. */
  public SimulatorConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
    }
    Objects.requireNonNull(agentRuntimeArn, "agentRuntimeArn");
    if (!ARN.matcher(agentRuntimeArn).matches()) {
      throw new IllegalArgumentException(
          "agentRuntimeArn must look like "
              + DEFAULT_AGENT_RUNTIME_ARN
              + " but was '"
              + agentRuntimeArn
              + "'");
    }
    qualifiers = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(qualifiers, "qualifiers")));
    if (qualifiers.isEmpty()) {
      throw new IllegalArgumentException("qualifiers must not be empty");
    }
    Objects.requireNonNull(responseShape, "responseShape");
    if (streamProgressEvents < 0 || streamProgressEvents > 100) {
      throw new IllegalArgumentException(
          "streamProgressEvents must be between 0 and 100 but was " + streamProgressEvents);
    }
    Objects.requireNonNull(latency, "latency");
    if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException(
          "requestsPerSecond must be 0 (unlimited) or positive but was " + requestsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be positive but was " + burst);
    }
    if (maxActiveSessions < 0) {
      throw new IllegalArgumentException(
          "maxActiveSessions must be 0 (unlimited) or positive but was " + maxActiveSessions);
    }
    Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
    if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "sessionIdleTimeout must be positive but was " + sessionIdleTimeout);
    }
    rate("internalErrorRate", internalErrorRate);
    rate("dropRate", dropRate);
    rate("malformedRate", malformedRate);
    rate("agentErrorRate", agentErrorRate);
    double sum = internalErrorRate + dropRate + malformedRate + agentErrorRate;
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException(
          "the fault rates must add up to at most 1 but add up to " + sum);
    }
    poisonCustomers =
        Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(poisonCustomers, "poisonCustomers")));
    deniedAccessKeyIds =
        Set.copyOf(Objects.requireNonNull(deniedAccessKeyIds, "deniedAccessKeyIds"));
    bearerTokens = Set.copyOf(Objects.requireNonNull(bearerTokens, "bearerTokens"));
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ticker, "ticker");
    if (handlerThreads < 1) {
      throw new IllegalArgumentException(
          "handlerThreads must be positive but was " + handlerThreads);
    }
    if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be between 1 and "
              + MAX_PAYLOAD_BYTES
              + " but was "
              + maxPayloadBytes);
    }
  }

  private static void rate(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1 but was " + value);
    }
  }

  /**
   * The defaults: a free loopback port, {@link #DEFAULT_AGENT_RUNTIME_ARN} with qualifier {@code
   * DEFAULT}, JSON answers, no latency, no quotas, no faults, seed 0, today's date in UTC.
   */
  public static SimulatorConfig ofDefaults() {
    return builder().build();
  }

  /** A builder starting from the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The total probability that a request gets a random fault. */
  public double faultRate() {
    return internalErrorRate + dropRate + malformedRate + agentErrorRate;
  }

  /**
   * Builds a {@link SimulatorConfig}. Not thread-safe. Every setter checks its argument at once and
   * {@link #build()} checks the combination.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private String agentRuntimeArn = DEFAULT_AGENT_RUNTIME_ARN;
    private boolean acceptAnyArn;
    private Set<String> qualifiers = new LinkedHashSet<>(Set.of(DEFAULT_QUALIFIER));
    private ResponseShape responseShape = ResponseShape.JSON;
    private int streamProgressEvents = 3;
    private Latency latency = Latency.none();
    private double requestsPerSecond;
    private int burst = -1;
    private int maxActiveSessions;
    private Duration sessionIdleTimeout = Duration.ofMinutes(15);
    private double internalErrorRate;
    private double dropRate;
    private double malformedRate;
    private double agentErrorRate;
    private final Map<String, Fault> poisonCustomers = new LinkedHashMap<>();
    private final Set<String> deniedAccessKeyIds = new LinkedHashSet<>();
    private long seed;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private int handlerThreads = 4;
    private int maxPayloadBytes = MAX_PAYLOAD_BYTES;
    private final Set<String> bearerTokens = new LinkedHashSet<>();

    Builder() {}

    Builder(SimulatorConfig c) {
      host = c.host;
      port = c.port;
      agentRuntimeArn = c.agentRuntimeArn;
      acceptAnyArn = c.acceptAnyArn;
      qualifiers = new LinkedHashSet<>(c.qualifiers);
      responseShape = c.responseShape;
      streamProgressEvents = c.streamProgressEvents;
      latency = c.latency;
      requestsPerSecond = c.requestsPerSecond;
      burst = c.burst;
      maxActiveSessions = c.maxActiveSessions;
      sessionIdleTimeout = c.sessionIdleTimeout;
      internalErrorRate = c.internalErrorRate;
      dropRate = c.dropRate;
      malformedRate = c.malformedRate;
      agentErrorRate = c.agentErrorRate;
      poisonCustomers.putAll(c.poisonCustomers);
      deniedAccessKeyIds.addAll(c.deniedAccessKeyIds);
      seed = c.seed;
      clock = c.clock;
      ticker = c.ticker;
      handlerThreads = c.handlerThreads;
      maxPayloadBytes = c.maxPayloadBytes;
      bearerTokens.addAll(c.bearerTokens);
    }

    /** The address to listen on. Default {@code 127.0.0.1}; use {@code 0.0.0.0} to serve others. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on. Default 0: a free port, see {@link AgentSimulator#endpoint()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The agent runtime ARN requests must name; others get 404 {@code ResourceNotFoundException}.
     * Default {@link #DEFAULT_AGENT_RUNTIME_ARN}.
     */
    public Builder agentRuntimeArn(String agentRuntimeArn) {
      this.agentRuntimeArn = Objects.requireNonNull(agentRuntimeArn, "agentRuntimeArn");
      return this;
    }

    /** Whether requests naming any ARN are answered. Default {@code false}. */
    public Builder acceptAnyArn(boolean acceptAnyArn) {
      this.acceptAnyArn = acceptAnyArn;
      return this;
    }

    /**
     * Adds an accepted endpoint qualifier; others get 404. {@code DEFAULT} is always accepted
     * unless {@link #qualifiers(Set)} replaces the set.
     */
    public Builder addQualifier(String qualifier) {
      qualifiers.add(requireNonBlank(qualifier, "qualifier"));
      return this;
    }

    /** Replaces the accepted endpoint qualifiers. Default {@code [DEFAULT]}. */
    public Builder qualifiers(Set<String> qualifiers) {
      Objects.requireNonNull(qualifiers, "qualifiers");
      if (qualifiers.isEmpty()) {
        throw new IllegalArgumentException("qualifiers must not be empty");
      }
      this.qualifiers = new LinkedHashSet<>();
      qualifiers.forEach(this::addQualifier);
      return this;
    }

    /** JSON body or event stream. Default {@link ResponseShape#JSON}. */
    public Builder responseShape(ResponseShape responseShape) {
      this.responseShape = Objects.requireNonNull(responseShape, "responseShape");
      return this;
    }

    /** Progress events sent before a stream's final event (0–100). Default 3. */
    public Builder streamProgressEvents(int streamProgressEvents) {
      if (streamProgressEvents < 0 || streamProgressEvents > 100) {
        throw new IllegalArgumentException(
            "streamProgressEvents must be between 0 and 100 but was " + streamProgressEvents);
      }
      this.streamProgressEvents = streamProgressEvents;
      return this;
    }

    /**
     * How long each answer takes. Default {@link Latency#none()}. Latency never holds a thread:
     * answers are sent by a scheduler when it has passed.
     */
    public Builder latency(Latency latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /**
     * The request-rate quota, as a token bucket refilled at this rate; requests finding it empty
     * get 429 {@code ThrottlingException}. AgentCore's default is 25. Default 0: unlimited.
     */
    public Builder requestsPerSecond(double requestsPerSecond) {
      if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
        throw new IllegalArgumentException(
            "requestsPerSecond must be 0 (unlimited) or positive but was " + requestsPerSecond);
      }
      this.requestsPerSecond = requestsPerSecond;
      return this;
    }

    /**
     * The token bucket's capacity: how many requests may arrive at once after a quiet period.
     * Default: one second's worth of {@link #requestsPerSecond(double)}, at least 1.
     */
    public Builder burst(int burst) {
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be positive but was " + burst);
      }
      this.burst = burst;
      return this;
    }

    /**
     * The active-session quota: a request with a new session id while this many sessions are active
     * gets 402 {@code ServiceQuotaExceededException}. AgentCore's default is 1,000 (500 outside
     * us-east-1 and us-west-2). Default 0: unlimited.
     */
    public Builder maxActiveSessions(int maxActiveSessions) {
      if (maxActiveSessions < 0) {
        throw new IllegalArgumentException(
            "maxActiveSessions must be 0 (unlimited) or positive but was " + maxActiveSessions);
      }
      this.maxActiveSessions = maxActiveSessions;
      return this;
    }

    /**
     * How long a session stays active after its last request, unless stopped with {@code
     * StopRuntimeSession}. Default 15 minutes, as AgentCore.
     */
    public Builder sessionIdleTimeout(Duration sessionIdleTimeout) {
      Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
      if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
        throw new IllegalArgumentException(
            "sessionIdleTimeout must be positive but was " + sessionIdleTimeout);
      }
      this.sessionIdleTimeout = sessionIdleTimeout;
      return this;
    }

    /** Probability (0–1) that a request gets 500 {@code InternalServerException}. Default 0. */
    public Builder internalErrorRate(double rate) {
      rate("internalErrorRate", rate);
      this.internalErrorRate = rate;
      return this;
    }

    /** Probability (0–1) that a request's connection is dropped. Default 0. */
    public Builder dropRate(double rate) {
      rate("dropRate", rate);
      this.dropRate = rate;
      return this;
    }

    /** Probability (0–1) that a request gets a 200 with an unreadable body. Default 0. */
    public Builder malformedRate(double rate) {
      rate("malformedRate", rate);
      this.malformedRate = rate;
      return this;
    }

    /** Probability (0–1) that a request gets 424 {@code RuntimeClientError}. Default 0. */
    public Builder agentErrorRate(double rate) {
      rate("agentErrorRate", rate);
      this.agentErrorRate = rate;
      return this;
    }

    /** Makes every request for {@code customerId} fail with {@code fault}. */
    public Builder putPoisonCustomer(String customerId, Fault fault) {
      poisonCustomers.put(
          requireNonBlank(customerId, "customerId"), Objects.requireNonNull(fault, "fault"));
      return this;
    }

    /** Makes every request for {@code customerId} fail with {@link Fault#AGENT_ERROR}. */
    public Builder addPoisonCustomer(String customerId) {
      return putPoisonCustomer(customerId, Fault.AGENT_ERROR);
    }

    /**
     * Denies requests signed with this access key id (403 {@code AccessDeniedException}), as IAM
     * would deny a principal without {@code bedrock-agentcore:InvokeAgentRuntime}.
     */
    public Builder addDeniedAccessKeyId(String accessKeyId) {
      deniedAccessKeyIds.add(requireNonBlank(accessKeyId, "accessKeyId"));
      return this;
    }

    /**
     * Accepts this bearer token, and from the first call on only bearer tokens it was given:
     * invocations without one of them get 401 {@code UnauthorizedException} with {@code
     * WWW-Authenticate: Bearer}, as an agent runtime with inbound OAuth answers. Default: none
     * (requests are taken as signed with SigV4).
     */
    public Builder acceptBearerToken(String token) {
      bearerTokens.add(requireNonBlank(token, "token"));
      return this;
    }

    /** Accepts no bearer token any more (SigV4 mode again). */
    public Builder clearBearerTokens() {
      bearerTokens.clear();
      return this;
    }

    /** The seed of every random choice. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The clock whose current date the reference segmenter uses as {@code asOf}; pass {@link
     * Clock#fixed} for reproducible segments. Default {@link Clock#systemUTC()}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The time source of quotas and idle timeouts. Default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Threads that read requests and decide the answers. Default 4; more only help when clients
     * upload large payloads slowly.
     */
    public Builder handlerThreads(int handlerThreads) {
      if (handlerThreads < 1) {
        throw new IllegalArgumentException(
            "handlerThreads must be positive but was " + handlerThreads);
      }
      this.handlerThreads = handlerThreads;
      return this;
    }

    /**
     * Largest accepted request body; larger ones get 400 {@code ValidationException}. Default and
     * maximum {@link #MAX_PAYLOAD_BYTES}.
     */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException(
            "maxPayloadBytes must be between 1 and "
                + MAX_PAYLOAD_BYTES
                + " but was "
                + maxPayloadBytes);
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException when the ARN is malformed or the fault rates add up to more
     *     than 1
     */
    public SimulatorConfig build() {
      int effectiveBurst = burst > 0 ? burst : (int) Math.max(1, Math.ceil(requestsPerSecond));
      return new SimulatorConfig(
          host,
          port,
          agentRuntimeArn,
          acceptAnyArn,
          qualifiers,
          responseShape,
          streamProgressEvents,
          latency,
          requestsPerSecond,
          effectiveBurst,
          maxActiveSessions,
          sessionIdleTimeout,
          internalErrorRate,
          dropRate,
          malformedRate,
          agentErrorRate,
          poisonCustomers,
          deniedAccessKeyIds,
          seed,
          clock,
          ticker,
          handlerThreads,
          maxPayloadBytes,
          bearerTokens);
    }

    private static String requireNonBlank(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
