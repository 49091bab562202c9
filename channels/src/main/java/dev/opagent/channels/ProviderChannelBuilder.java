package dev.opagent.channels;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The options every provider channel's builder shares: its name, the provider's base URL (for a
 * test double or a proxy), time-outs, the longest wait passed on to the executor, the clock and the
 * HTTP client. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every option for chaining
 */
public abstract class ProviderChannelBuilder<B extends ProviderChannelBuilder<B>> {
  private String name;
  private @Nullable URI baseUrl;
  private boolean allowInsecureHttp;
  private Duration connectTimeout = Duration.ofSeconds(5);
  private boolean connectTimeoutSet;
  private Duration requestTimeout = Duration.ofSeconds(15);
  private Duration maxRetryAfter = Duration.ofMinutes(5);
  private Clock clock = Clock.systemUTC();
  private @Nullable HttpClient httpClient;
  private String userAgent = ProviderHttp.DEFAULT_USER_AGENT;

  /** A builder whose channel is called {@code defaultName} unless {@link #name} says otherwise. */
  protected ProviderChannelBuilder(String defaultName) {
    this.name = defaultName;
  }

  /** This builder, typed. */
  protected abstract B self();

  /**
   * The channel's name in routes, receipts and logs. Change it to register two channels of the same
   * provider (two shops, two sender accounts).
   */
  public B name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    this.name = name;
    return self();
  }

  /**
   * Where the provider's API is, instead of its public address: a regional endpoint, a proxy, or a
   * test double. Must be {@code https} unless {@link #allowInsecureHttp()}.
   */
  public B baseUrl(URI baseUrl) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    return self();
  }

  /**
   * Where the provider's API is, as a URL string.
   *
   * @throws IllegalArgumentException when it is not a URI
   */
  public B baseUrl(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    try {
      return baseUrl(new URI(baseUrl));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getReason());
    }
  }

  /**
   * Allows a plain {@code http} {@link #baseUrl}, which sends credentials and customer data
   * unencrypted. For local tests only. Default: only {@code https}.
   */
  public B allowInsecureHttp() {
    this.allowInsecureHttp = true;
    return self();
  }

  /**
   * How long to wait for a connection. Default: 5 seconds. Not allowed with {@link #httpClient},
   * whose own timeout applies.
   */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    this.connectTimeoutSet = true;
    return self();
  }

  /**
   * The deadline of one request: connecting, sending and reading the whole answer. A time-out is
   * retryable. Default: 15 seconds.
   */
  public B requestTimeout(Duration timeout) {
    this.requestTimeout = positive(timeout, "requestTimeout");
    return self();
  }

  /**
   * The longest wait a provider may ask for ({@code Retry-After}, a rate-limit reset, a throttle)
   * that is passed on to the executor; longer waits are capped. Default: 5 minutes.
   */
  public B maxRetryAfter(Duration max) {
    Objects.requireNonNull(max, "maxRetryAfter");
    if (max.isNegative()) {
      throw new IllegalArgumentException("maxRetryAfter must not be negative but was " + max);
    }
    this.maxRetryAfter = max;
    return self();
  }

  /** The clock for receipts and rate-limit resets. Default: UTC. */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * The HTTP client to use, for a proxy, an {@code SSLContext} or an executor of your own; the
   * channel never closes it. Default: one the channel builds and owns, with {@link #connectTimeout}
   * and no redirects.
   */
  public B httpClient(HttpClient client) {
    this.httpClient = Objects.requireNonNull(client, "client");
    return self();
  }

  /** The {@code User-Agent} header. Default: {@value ProviderHttp#DEFAULT_USER_AGENT}. */
  public B userAgent(String userAgent) {
    Objects.requireNonNull(userAgent, "userAgent");
    if (userAgent.isBlank()) {
      throw new IllegalArgumentException("userAgent must not be blank");
    }
    this.userAgent = userAgent;
    return self();
  }

  /** The channel's name. */
  protected String channelName() {
    return name;
  }

  /** The clock. */
  protected Clock clock() {
    return clock;
  }

  /** Whether {@link #baseUrl} was set. */
  protected boolean baseUrlSet() {
    return baseUrl != null;
  }

  /**
   * The HTTP plumbing, for {@link #baseUrl} or else {@code defaultBase}.
   *
   * @throws IllegalArgumentException when the base URL is not an absolute {@code https} URL with a
   *     host (or {@code http} without {@link #allowInsecureHttp()}), holds user information, a
   *     query or a fragment, or when {@link #connectTimeout} was set with {@link #httpClient}
   */
  protected ProviderHttp http(URI defaultBase) {
    URI uri = baseUrl != null ? baseUrl : defaultBase;
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "baseUrl must be an absolute https URL with a host, such as https://api.example.com");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "baseUrl must not contain user information, a query or a fragment; credentials are"
              + " set with the builder's secret options");
    }
    if (scheme.equals("http")) {
      if (!allowInsecureHttp) {
        throw new IllegalArgumentException(
            name
                + ": baseUrl must use https but was "
                + ProviderHttp.origin(uri)
                + "; call allowInsecureHttp() to allow plain HTTP for local tests");
      }
    } else if (!scheme.equals("https")) {
      throw new IllegalArgumentException(
          name + ": baseUrl must use https but the scheme was '" + scheme + "'");
    }
    if (httpClient != null && connectTimeoutSet) {
      throw new IllegalArgumentException(
          "connectTimeout applies only to the client the channel builds; set it on the"
              + " HttpClient passed to httpClient(...)");
    }
    return new ProviderHttp(
        name, uri, connectTimeout, requestTimeout, maxRetryAfter, clock, userAgent, httpClient);
  }

  /**
   * Asks {@code provider} for its secret once, so that a missing credential fails the build rather
   * than the first delivery.
   *
   * @param option the builder option that sets it, named in the error
   * @throws IllegalArgumentException when it is not set or not available
   */
  protected static SecretProvider requireSecret(
      @Nullable SecretProvider provider, String option, String what) {
    if (provider == null) {
      throw new IllegalArgumentException(
          what
              + " is required: call "
              + option
              + "(SecretProvider.fromEnv(\"NAME\")) or "
              + option
              + "(SecretProvider.of(Secret.of(...)))");
    }
    try {
      provider.secret();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(what + " is not available: " + e.getMessage(), e);
    }
    return provider;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive but was " + d);
    }
    return d;
  }
}
