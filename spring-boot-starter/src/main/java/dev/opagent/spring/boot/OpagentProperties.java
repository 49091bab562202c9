package dev.opagent.spring.boot;

import dev.opagent.segment.SessionMode;
import dev.opagent.store.OperatingStore;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code opagent.*} properties. Every option left unset keeps the library's default; only the
 * agent ({@code opagent.agent.runtime-arn}, or {@code agent-id} with {@code account-id} and {@code
 * region}) is required.
 */
@ConfigurationProperties(prefix = "opagent")
public class OpagentProperties {

  /** Whether opagent is configured at all. */
  private boolean enabled = true;

  /** The segment agent on Amazon Bedrock AgentCore Runtime and how its client calls it. */
  private final Agent agent = new Agent();

  /** The campaign rules. */
  private final Rules rules = new Rules();

  /** The decision policy: caps, quiet hours, approvals, budgets. */
  private final Policy policy = new Policy();

  /** The operating store: journal, contacts, budget, approvals, segments, feedback. */
  private final Store store = new Store();

  /** Approval requests filed by the decision engine. */
  private final Approvals approvals = new Approvals();

  /** Consent assumed for customers whose data says nothing about it. */
  private final Consent consent = new Consent();

  /** Delivery of the chosen actions. */
  private final Execution execution = new Execution();

  /** The operations console, served by the application's servlet container. */
  private final Console console = new Console();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Agent getAgent() {
    return agent;
  }

  public Rules getRules() {
    return rules;
  }

  public Policy getPolicy() {
    return policy;
  }

  public Store getStore() {
    return store;
  }

  public Approvals getApprovals() {
    return approvals;
  }

  public Consent getConsent() {
    return consent;
  }

  public Execution getExecution() {
    return execution;
  }

  public Console getConsole() {
    return console;
  }

  /** How the client authenticates to the agent runtime. */
  public enum Auth {
    /** AWS Signature Version 4 through the AWS SDK, with the SDK's credentials. */
    SIGV4,
    /**
     * OAuth access tokens from the host's {@code BearerTokenProvider} bean, for a runtime with
     * inbound OAuth (a JWT authorizer).
     */
    BEARER
  }

  /** The segment agent and its client. */
  public static class Agent {

    /**
     * The agent runtime's ARN, such as
     * arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/customer_segment_agent-abc. The
     * region defaults to the ARN's.
     */
    private @Nullable String runtimeArn;

    /** The agent runtime id, with account-id and region instead of runtime-arn. */
    private @Nullable String agentId;

    /** The AWS account that owns the agent runtime, with agent-id. */
    private @Nullable String accountId;

    /** The AWS region. Default: the ARN's region, else the AWS SDK's region chain. */
    private @Nullable String region;

    /** The endpoint qualifier (alias or version). Default DEFAULT. */
    private @Nullable String qualifier;

    /**
     * Another AgentCore-compatible endpoint: a VPC endpoint, a proxy, or a local simulator. On a
     * loopback address the client signs with placeholder credentials unless the host defines an
     * AwsCredentialsProvider bean.
     */
    private @Nullable URI endpoint;

    /**
     * How the client authenticates: sigv4 (the AWS SDK and its credentials) or bearer (OAuth tokens
     * from the host's BearerTokenProvider bean). Default: bearer when such a bean exists, else
     * sigv4.
     */
    private @Nullable Auth auth;

    /** The most requests in flight. Default 1000. */
    private @Nullable Integer maxConcurrency;

    /** A known hard cap on the request rate per second, such as the endpoint's quota. */
    private @Nullable Double maxRequestsPerSecond;

    /** The request rate per second to start at. Default: max-requests-per-second, else 25. */
    private @Nullable Double initialRequestsPerSecond;

    /** The most requests per call, the first included. Default 4. */
    private @Nullable Integer maxAttempts;

    /** Retries of an agent error (HTTP 424). Default 1. */
    private @Nullable Integer agentErrorRetries;

    /** Retries of an answer without a readable analysis. Default 1. */
    private @Nullable Integer malformedResponseRetries;

    /** The deadline of one request, after which it is retried as a timeout. Default 5 minutes. */
    private @Nullable Duration attemptTimeout;

    /** The runtime user id sent with each request. Default: none. */
    private @Nullable String runtimeUserId;

    /** How runtime session ids are chosen. Default pooled. */
    private @Nullable SessionMode sessionMode;

    /**
     * Whether payloads and answers may appear in debug logs and error messages. They contain
     * personal data: only where such logs are allowed.
     */
    private boolean payloadLogging;

    /**
     * Whether the library's reference segmenter answers when the circuit is open or retries are
     * exhausted on a retryable error. Default false.
     */
    private boolean fallback;

    /** Retry backoff. */
    private final Backoff backoff = new Backoff();

    /** The circuit breaker. */
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    /** The cache of successful answers. */
    private final Cache cache = new Cache();

    public @Nullable String getRuntimeArn() {
      return runtimeArn;
    }

    public void setRuntimeArn(@Nullable String runtimeArn) {
      this.runtimeArn = runtimeArn;
    }

    public @Nullable String getAgentId() {
      return agentId;
    }

    public void setAgentId(@Nullable String agentId) {
      this.agentId = agentId;
    }

    public @Nullable String getAccountId() {
      return accountId;
    }

    public void setAccountId(@Nullable String accountId) {
      this.accountId = accountId;
    }

    public @Nullable String getRegion() {
      return region;
    }

    public void setRegion(@Nullable String region) {
      this.region = region;
    }

    public @Nullable String getQualifier() {
      return qualifier;
    }

    public void setQualifier(@Nullable String qualifier) {
      this.qualifier = qualifier;
    }

    public @Nullable URI getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(@Nullable URI endpoint) {
      this.endpoint = endpoint;
    }

    public @Nullable Auth getAuth() {
      return auth;
    }

    public void setAuth(@Nullable Auth auth) {
      this.auth = auth;
    }

    public @Nullable Integer getMaxConcurrency() {
      return maxConcurrency;
    }

    public void setMaxConcurrency(@Nullable Integer maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
    }

    public @Nullable Double getMaxRequestsPerSecond() {
      return maxRequestsPerSecond;
    }

    public void setMaxRequestsPerSecond(@Nullable Double maxRequestsPerSecond) {
      this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    public @Nullable Double getInitialRequestsPerSecond() {
      return initialRequestsPerSecond;
    }

    public void setInitialRequestsPerSecond(@Nullable Double initialRequestsPerSecond) {
      this.initialRequestsPerSecond = initialRequestsPerSecond;
    }

    public @Nullable Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(@Nullable Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public @Nullable Integer getAgentErrorRetries() {
      return agentErrorRetries;
    }

    public void setAgentErrorRetries(@Nullable Integer agentErrorRetries) {
      this.agentErrorRetries = agentErrorRetries;
    }

    public @Nullable Integer getMalformedResponseRetries() {
      return malformedResponseRetries;
    }

    public void setMalformedResponseRetries(@Nullable Integer malformedResponseRetries) {
      this.malformedResponseRetries = malformedResponseRetries;
    }

    public @Nullable Duration getAttemptTimeout() {
      return attemptTimeout;
    }

    public void setAttemptTimeout(@Nullable Duration attemptTimeout) {
      this.attemptTimeout = attemptTimeout;
    }

    public @Nullable String getRuntimeUserId() {
      return runtimeUserId;
    }

    public void setRuntimeUserId(@Nullable String runtimeUserId) {
      this.runtimeUserId = runtimeUserId;
    }

    public @Nullable SessionMode getSessionMode() {
      return sessionMode;
    }

    public void setSessionMode(@Nullable SessionMode sessionMode) {
      this.sessionMode = sessionMode;
    }

    public boolean isPayloadLogging() {
      return payloadLogging;
    }

    public void setPayloadLogging(boolean payloadLogging) {
      this.payloadLogging = payloadLogging;
    }

    public boolean isFallback() {
      return fallback;
    }

    public void setFallback(boolean fallback) {
      this.fallback = fallback;
    }

    public Backoff getBackoff() {
      return backoff;
    }

    public CircuitBreaker getCircuitBreaker() {
      return circuitBreaker;
    }

    public Cache getCache() {
      return cache;
    }
  }

  /** Exponential backoff with full jitter between retries. */
  public static class Backoff {

    /** The first retry's longest wait. Default 200ms. */
    private @Nullable Duration baseDelay;

    /** The longest wait of any retry. Default 20s. */
    private @Nullable Duration maxDelay;

    public @Nullable Duration getBaseDelay() {
      return baseDelay;
    }

    public void setBaseDelay(@Nullable Duration baseDelay) {
      this.baseDelay = baseDelay;
    }

    public @Nullable Duration getMaxDelay() {
      return maxDelay;
    }

    public void setMaxDelay(@Nullable Duration maxDelay) {
      this.maxDelay = maxDelay;
    }
  }

  /** The client's circuit breaker. */
  public static class CircuitBreaker {

    /** Whether the circuit breaker is on. Default true. */
    private boolean enabled = true;

    /** Failures among the last window requests that open the circuit. Default 10. */
    private @Nullable Integer failures;

    /** The requests the failures are counted among. Default 20. */
    private @Nullable Integer window;

    /** How long the circuit stays open before probes go through. Default 30s. */
    private @Nullable Duration delay;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable Integer getFailures() {
      return failures;
    }

    public void setFailures(@Nullable Integer failures) {
      this.failures = failures;
    }

    public @Nullable Integer getWindow() {
      return window;
    }

    public void setWindow(@Nullable Integer window) {
      this.window = window;
    }

    public @Nullable Duration getDelay() {
      return delay;
    }

    public void setDelay(@Nullable Duration delay) {
      this.delay = delay;
    }
  }

  /** The client's cache of successful answers. */
  public static class Cache {

    /** Whether answers are cached. Default true. */
    private boolean enabled = true;

    /** How long an answer is kept. Default 1h. */
    private @Nullable Duration ttl;

    /** The most answers kept. Default 100000. */
    private @Nullable Long maxSize;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable Duration getTtl() {
      return ttl;
    }

    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    public @Nullable Long getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(@Nullable Long maxSize) {
      this.maxSize = maxSize;
    }
  }

  /** The campaign rules. */
  public static class Rules {

    /**
     * Where the campaign rules are, as a Spring resource location: classpath:campaigns.json or
     * file:/etc/opagent/campaigns.json. A file is reloaded when it changes. Default: the library's
     * bundled campaigns.
     */
    private @Nullable String location;

    /** How often a rule file is checked for changes; 0 turns reloading off. */
    private Duration reloadInterval = Duration.ofSeconds(30);

    public @Nullable String getLocation() {
      return location;
    }

    public void setLocation(@Nullable String location) {
      this.location = location;
    }

    public Duration getReloadInterval() {
      return reloadInterval;
    }

    public void setReloadInterval(Duration reloadInterval) {
      this.reloadInterval = reloadInterval;
    }
  }

  /** The decision policy. */
  public static class Policy {

    /**
     * Where the decision policy's JSON is, as a Spring resource location. Default: the library's
     * default policy.
     */
    private @Nullable String location;

    public @Nullable String getLocation() {
      return location;
    }

    public void setLocation(@Nullable String location) {
      this.location = location;
    }
  }

  /** The operating store. */
  public static class Store {

    /**
     * The store's JDBC URL: jdbc:h2:file:./.opagent/store for one process, jdbc:postgresql://… for
     * several. Without it (and without use-data-source) there is no store and the loop keeps its
     * state in memory.
     */
    private @Nullable String url;

    /** The database user. */
    private String username = "sa";

    /** The database user's password; never logged. */
    private String password = "";

    /**
     * Whether to open the store on the application's own DataSource bean when no url is set. The
     * store then migrates its tables (prefixed table-prefix) into that database.
     */
    private boolean useDataSource;

    /** Prefix of every table. Default opagent_. */
    private @Nullable String tablePrefix;

    /** Whether the schema is migrated on start. Default true. */
    private @Nullable Boolean migrate;

    /** Connections in the pool the store opens for url. Default 10. */
    private @Nullable Integer maxPoolSize;

    /** What a commit survives on an embedded H2 store. Default synced. */
    private OperatingStore.@Nullable Durability durability;

    /** How long the health check waits for the store before it reports it unreachable. */
    private Duration healthTimeout = Duration.ofSeconds(2);

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public String getUsername() {
      return username;
    }

    public void setUsername(String username) {
      this.username = username;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public boolean isUseDataSource() {
      return useDataSource;
    }

    public void setUseDataSource(boolean useDataSource) {
      this.useDataSource = useDataSource;
    }

    public @Nullable String getTablePrefix() {
      return tablePrefix;
    }

    public void setTablePrefix(@Nullable String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    public @Nullable Boolean getMigrate() {
      return migrate;
    }

    public void setMigrate(@Nullable Boolean migrate) {
      this.migrate = migrate;
    }

    public @Nullable Integer getMaxPoolSize() {
      return maxPoolSize;
    }

    public void setMaxPoolSize(@Nullable Integer maxPoolSize) {
      this.maxPoolSize = maxPoolSize;
    }

    public OperatingStore.@Nullable Durability getDurability() {
      return durability;
    }

    public void setDurability(OperatingStore.@Nullable Durability durability) {
      this.durability = durability;
    }

    public Duration getHealthTimeout() {
      return healthTimeout;
    }

    public void setHealthTimeout(Duration healthTimeout) {
      this.healthTimeout = healthTimeout;
    }

    @Override
    public String toString() {
      return "Store[url=" + (url == null ? null : OperatingStore.mask(url)) + "]";
    }
  }

  /** Approval requests. */
  public static class Approvals {

    /** How long a request waits for a decision before it expires. Default 48h. */
    private @Nullable Duration requestTtl;

    /** How long a grant is valid. Default 7 days. */
    private @Nullable Duration approvalValidity;

    public @Nullable Duration getRequestTtl() {
      return requestTtl;
    }

    public void setRequestTtl(@Nullable Duration requestTtl) {
      this.requestTtl = requestTtl;
    }

    public @Nullable Duration getApprovalValidity() {
      return approvalValidity;
    }

    public void setApprovalValidity(@Nullable Duration approvalValidity) {
      this.approvalValidity = approvalValidity;
    }
  }

  /** Consent. */
  public static class Consent {

    /**
     * Channels (email, sms, push, in_app, phone, or an own contact channel id) customers are
     * assumed to consent to when their data has no "consent" array. Default: none, so such a
     * customer is contacted on no channel.
     */
    private List<String> defaultChannels = new ArrayList<>();

    public List<String> getDefaultChannels() {
      return defaultChannels;
    }

    public void setDefaultChannels(List<String> defaultChannels) {
      this.defaultChannels = defaultChannels;
    }
  }

  /** Delivery of the chosen actions. */
  public static class Execution {

    /**
     * Channels the starter opens, as the command line's --channel: jsonl:PATH (one durable line per
     * action), webhook:URL (signed with webhook-secret) or log (a dry run that only logs). The
     * host's ActionChannel beans are registered too. Without any channel there is no execution
     * service and no loop.
     */
    private List<String> channels = new ArrayList<>();

    /** The secret webhook channels sign with; never logged. */
    private @Nullable String webhookSecret;

    /** Action types sent to a channel by name, such as create_discount=jsonl. */
    private Map<String, String> routes = new LinkedHashMap<>();

    /** The channel of actions nothing else routes. Default: the first channel. */
    private @Nullable String defaultChannel;

    /** Deliveries in flight per channel. */
    private int concurrency = 8;

    /** Deliveries per second per channel; 0 for no limit. */
    private double rate;

    public List<String> getChannels() {
      return channels;
    }

    public void setChannels(List<String> channels) {
      this.channels = channels;
    }

    public @Nullable String getWebhookSecret() {
      return webhookSecret;
    }

    public void setWebhookSecret(@Nullable String webhookSecret) {
      this.webhookSecret = webhookSecret;
    }

    public Map<String, String> getRoutes() {
      return routes;
    }

    public void setRoutes(Map<String, String> routes) {
      this.routes = routes;
    }

    public @Nullable String getDefaultChannel() {
      return defaultChannel;
    }

    public void setDefaultChannel(@Nullable String defaultChannel) {
      this.defaultChannel = defaultChannel;
    }

    public int getConcurrency() {
      return concurrency;
    }

    public void setConcurrency(int concurrency) {
      this.concurrency = concurrency;
    }

    public double getRate() {
      return rate;
    }

    public void setRate(double rate) {
      this.rate = rate;
    }

    @Override
    public String toString() {
      return "Execution[channels=" + channels + ", routes=" + routes + "]";
    }
  }

  /** The operations console (module opagent-console), in the application's servlet container. */
  public static class Console {

    /**
     * Whether to serve the console. It needs opagent-console on the class path, a servlet web
     * application and the operating store (opagent.store.*). Default false.
     */
    private boolean enabled;

    /** The path the console is served under, within the application's context path. */
    private String path = "/ops";

    /**
     * The shared secret operators sign in with, under a name of their choice (at least 16
     * characters). Ignored when opagent.console.users is set or a ConsoleAuthenticator bean exists.
     */
    private @Nullable String token;

    /** Operators by name, each with a secret of at least 16 characters. */
    private Map<String, String> users = new LinkedHashMap<>();

    /** Whether cookies are marked Secure: set it when the application is served over HTTPS. */
    private boolean secureCookies;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }

    public Map<String, String> getUsers() {
      return users;
    }

    public void setUsers(Map<String, String> users) {
      this.users = users;
    }

    public boolean isSecureCookies() {
      return secureCookies;
    }

    public void setSecureCookies(boolean secureCookies) {
      this.secureCookies = secureCookies;
    }
  }
}
