package dev.opagent.channels.shopify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.channels.ProviderChannelBuilder;
import dev.opagent.channels.ProviderHttp;
import dev.opagent.channels.Secret;
import dev.opagent.channels.SecretProvider;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a single-use Shopify discount code for each {@code create_discount} action, with the
 * Admin GraphQL API's {@code discountCodeBasicCreate} mutation: {@code POST
 * https://{shop}.myshopify.com/admin/api/{version}/graphql.json} with the app's {@code
 * X-Shopify-Access-Token}. Thread-safe.
 *
 * <p>The discount: title {@code <titlePrefix><campaign> <code>}, starting at the action's planned
 * time and ending {@code expiry_days} later when that parameter is given, usable once ({@code
 * usageLimit: 1}, once per customer), on all items, worth the action's {@code discount} (a fraction
 * such as {@code 0.2}; values above 1 are read as percent), {@code discount_percent} or {@code
 * discount_amount} (a fixed amount in the shop's currency). When the action's parameter {@value
 * #CUSTOMER_PARAMETER} (or the customer id itself) is a Shopify customer id ({@code
 * gid://shopify/Customer/123} or its number) only that customer may use it; otherwise every
 * customer may.
 *
 * <p>Idempotency: the code is derived from the action's idempotency key ({@link #codeFor}), so the
 * same action always asks for the same code. A delivery repeated after a crash (sent, but not
 * journalled) gets Shopify's "Code must be unique" ({@code TAKEN}) user error back, which this
 * channel answers with a {@link DeliveryReceipt#duplicate() duplicate} receipt: one code per
 * action, however often it is retried. The receipt's external id is the code, for the e-mail that
 * carries it; a first delivery's detail names the discount's id.
 *
 * <p>Rate limits: Shopify limits by calculated query cost, reported in {@code
 * extensions.cost.throttleStatus}. The channel remembers the last status and, before a request
 * whose cost the bucket would not cover, waits until it refills (at most {@link
 * Builder#maxThrottleWait}, else it fails retryably after the computed wait without calling). A
 * {@code THROTTLED} answer is retryable after {@code (requestedQueryCost - currentlyAvailable) /
 * restoreRate} seconds. HTTP 429 (after its {@code Retry-After}) and 5xx are retryable; 401, 403,
 * 404 and other 4xx are permanent with Shopify's message; user errors other than a taken code are
 * permanent with their messages. The access token never appears in messages, logs or {@link
 * #toString()}.
 *
 * <pre>{@code
 * ShopifyDiscountChannel shopify = ShopifyDiscountChannel.builder()
 *     .shop("my-store")                                   // my-store.myshopify.com
 *     .accessToken(SecretProvider.fromEnv("SHOPIFY_ACCESS_TOKEN"))
 *     .build();
 * ChannelRegistry channels = ChannelRegistry.builder()
 *     .register(shopify)
 *     .routeActionType("create_discount", shopify.name())
 *     .build();
 * }</pre>
 */
public final class ShopifyDiscountChannel implements ActionChannel {
  /** The Admin API version used unless {@link Builder#apiVersion} says otherwise: {@value}. */
  public static final String DEFAULT_API_VERSION = "2025-07";

  /** The prefix of every code unless {@link Builder#codePrefix} says otherwise: {@value}. */
  public static final String DEFAULT_CODE_PREFIX = "OPA-";

  /** How many base32 characters of the key's SHA-256 follow the prefix: {@value} (100 bits). */
  public static final int CODE_HASH_CHARS = 20;

  /** How many base32 characters encode a key of the library's own form: {@value} (128 bits). */
  public static final int KEY_CODE_CHARS = 26;

  /** The library's own idempotency keys ({@code IdempotencyKeys}): {@code ik-} and 32 hex. */
  private static final Pattern LIBRARY_KEY = Pattern.compile("ik-[0-9a-f]{32}");

  /** The action parameter holding the Shopify customer id the code is restricted to: {@value}. */
  public static final String CUSTOMER_PARAMETER = "shopify_customer_id";

  /** The request header carrying the access token: {@value}. */
  public static final String TOKEN_HEADER = "X-Shopify-Access-Token";

  static final String MUTATION =
      "mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {"
          + " discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {"
          + " codeDiscountNode { id }"
          + " userErrors { field code message } } }";

  private static final Logger LOG = LoggerFactory.getLogger(ShopifyDiscountChannel.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CUSTOMER_GID = "gid://shopify/Customer/";
  private static final Pattern SHOP = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}|unstable");
  private static final Pattern CODE_PREFIX = Pattern.compile("[A-Z0-9_-]{0,32}");
  private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final char[] BASE32 = BASE32_ALPHABET.toCharArray();

  private final String name;
  private final String shop;
  private final String apiVersion;
  private final ProviderHttp http;
  private final URI endpoint;
  private final SecretProvider token;
  private final String codePrefix;
  private final String titlePrefix;
  private final Duration maxThrottleWait;
  private final Sleeper sleeper;
  private final CostBucket bucket;

  private ShopifyDiscountChannel(
      Builder b, String name, String shop, ProviderHttp http, SecretProvider token) {
    this.name = name;
    this.shop = shop;
    this.apiVersion = b.apiVersion;
    this.http = http;
    this.endpoint = http.resolve("/admin/api/" + b.apiVersion + "/graphql.json");
    this.token = token;
    this.codePrefix = b.codePrefix;
    this.titlePrefix = b.titlePrefix;
    this.maxThrottleWait = b.maxThrottleWait;
    this.sleeper = b.sleeper;
    this.bucket = new CostBucket(b.initialQueryCost);
  }

  /** A builder; {@link Builder#shop} and {@link Builder#accessToken} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The discount code for idempotency key {@code key}: {@code prefix} followed by base32 (RFC 4648,
   * upper case, no padding). A key of the library's own form ({@code ik-} and 32 hexadecimal
   * digits, a SHA-256 prefix without personal data) is encoded whole, in {@value #KEY_CODE_CHARS}
   * characters, so that {@link #keyOf} finds the action from the code an order used; any other key
   * is hashed (SHA-256) into {@value #CODE_HASH_CHARS} characters, which cannot be traced back. The
   * same key always gives the same code, so a host can print the code in the e-mail that goes with
   * the discount action. Either form is 100 bits or more: not guessable.
   */
  public static String codeFor(String prefix, String key) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(key, "key");
    if (LIBRARY_KEY.matcher(key).matches()) {
      return prefix + base32(HexFormat.of().parseHex(key.substring(3)), KEY_CODE_CHARS);
    }
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    return prefix + base32(digest, CODE_HASH_CHARS);
  }

  /**
   * The idempotency key of the action that created discount {@code code} with {@code prefix}, when
   * the code encodes a key of the library's own form (see {@link #codeFor}); empty for any other
   * code. Case does not matter (shops treat codes without case).
   */
  public static Optional<String> keyOf(String prefix, String code) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(code, "code");
    String upper = code.trim().toUpperCase(Locale.ROOT);
    String p = prefix.toUpperCase(Locale.ROOT);
    if (!upper.startsWith(p) || upper.length() != p.length() + KEY_CODE_CHARS) {
      return Optional.empty();
    }
    byte[] bytes = new byte[16];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = p.length(); i < upper.length(); i++) {
      int v = BASE32_ALPHABET.indexOf(upper.charAt(i));
      if (v < 0) {
        return Optional.empty();
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        if (n == bytes.length) {
          return Optional.empty();
        }
        bytes[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    // 26 characters carry 130 bits: the last 2 are padding, zero in a code this channel made.
    if (n != bytes.length || (buffer & ((1 << bits) - 1)) != 0) {
      return Optional.empty();
    }
    return Optional.of("ik-" + HexFormat.of().formatHex(bytes));
  }

  /** The first {@code chars} base32 characters of {@code bytes} (zero bits padding the last). */
  private static String base32(byte[] bytes, int chars) {
    StringBuilder sb = new StringBuilder(chars);
    int buffer = 0;
    int bits = 0;
    for (byte d : bytes) {
      buffer = (buffer << 8) | (d & 0xff);
      bits += 8;
      while (bits >= 5 && sb.length() < chars) {
        sb.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (sb.length() < chars && bits > 0) {
      sb.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  /** The code this channel creates for {@code request}. */
  public String code(ActionRequest request) {
    return codeFor(codePrefix, request.idempotencyKey());
  }

  @Override
  public String name() {
    return name;
  }

  /** True: a repeated key finds its code taken and is answered with a duplicate receipt. */
  @Override
  public boolean deduplicatesByKey() {
    return true;
  }

  /**
   * Creates the discount code of {@code request} once.
   *
   * @return a receipt whose external id is the code; a duplicate when the code already existed
   * @throws ChannelException retryable when throttled, on 429, 5xx, time-outs and I/O errors;
   *     permanent on other statuses, GraphQL errors, user errors other than a taken code, and
   *     requests without a discount value
   */
  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    String code = code(request);
    byte[] body = body(request, code);
    Secret secret = secret();
    Duration wait = bucket.reserve(http.clock().instant(), maxThrottleWait);
    if (wait.compareTo(Duration.ZERO) > 0) {
      if (wait.compareTo(maxThrottleWait) > 0) {
        throw http.retryable(
            "the query cost bucket of " + shop + " is empty (last known throttle status)", wait);
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChannelException(
            name, "interrupted while waiting for Shopify's bucket", true, null, e);
      }
    }
    ProviderHttp.Response r =
        http.post(endpoint, "application/json", Map.of(TOKEN_HEADER, secret.reveal()), body);
    JsonNode json = ProviderHttp.json(r.body());
    if (json != null) {
      bucket.update(json.path("extensions").path("cost"), http.clock().instant());
    }
    if (!r.ok()) {
      throw failure(r, json, secret);
    }
    if (json == null || !json.isObject()) {
      throw http.retryable(
          "HTTP " + r.status() + " from " + http.origin() + " without a JSON body", null);
    }
    JsonNode errors = json.path("errors");
    if (errors.isArray() && errors.size() > 0) {
      throw graphQlErrors(errors, json, secret);
    }
    JsonNode payload = json.path("data").path("discountCodeBasicCreate");
    if (!payload.isObject()) {
      throw http.permanent(
          "HTTP " + r.status() + " from " + http.origin() + ": no discountCodeBasicCreate result");
    }
    Instant at = http.clock().instant();
    JsonNode userErrors = payload.path("userErrors");
    if (userErrors.isArray() && userErrors.size() > 0) {
      if (codeTaken(userErrors)) {
        LOG.debug(
            "channel {}: code of {} already exists on {}",
            name,
            request.idempotencyKey(),
            http.origin());
        return DeliveryReceipt.duplicate(request, name, code, at);
      }
      throw http.permanent(
          "discountCodeBasicCreate refused the discount: " + userErrorText(userErrors, secret));
    }
    String id = payload.path("codeDiscountNode").path("id").asText("");
    LOG.debug(
        "channel {}: created the code of {} on {}", name, request.idempotencyKey(), http.origin());
    return new DeliveryReceipt(
        request.idempotencyKey(),
        name,
        code,
        at,
        null,
        false,
        id.isEmpty() ? "discount created" : "discount " + id);
  }

  private Secret secret() {
    try {
      return token.secret();
    } catch (IllegalStateException e) {
      throw http.permanent("the access token is not available: " + e.getMessage());
    }
  }

  byte[] body(ActionRequest request, String code) {
    Map<String, @Nullable Object> p = request.parameters();
    ObjectNode input = MAPPER.createObjectNode();
    String campaign = request.campaign();
    String title = titlePrefix + campaign + " " + code;
    if (title.length() > 255) {
      title = title.substring(0, 255);
    }
    input.put("title", title);
    input.put("code", code);
    input.put("startsAt", request.plannedAt().toString());
    BigDecimal days = decimal(p.get("expiry_days"));
    if (days != null && days.signum() > 0) {
      long seconds = days.multiply(BigDecimal.valueOf(86_400)).longValue();
      input.put("endsAt", request.plannedAt().plusSeconds(seconds).toString());
    }
    input.put("usageLimit", 1);
    input.put("appliesOncePerCustomer", true);
    ObjectNode selection = input.putObject("customerSelection");
    String customer = customerGid(request);
    if (customer != null) {
      ArrayNode add = selection.putObject("customers").putArray("add");
      add.add(customer);
    } else {
      selection.put("all", true);
    }
    ObjectNode gets = input.putObject("customerGets");
    ObjectNode value = gets.putObject("value");
    BigDecimal amount = decimal(p.get("discount_amount"));
    if (amount != null) {
      if (amount.signum() <= 0) {
        throw http.permanent("action parameter 'discount_amount' must be positive");
      }
      ObjectNode da = value.putObject("discountAmount");
      da.put("amount", amount.toPlainString());
      da.put("appliesOnEachItem", false);
    } else {
      value.put("percentage", percentage(p));
    }
    gets.putObject("items").put("all", true);
    ObjectNode root = MAPPER.createObjectNode();
    root.put("query", MUTATION);
    root.putObject("variables").set("basicCodeDiscount", input);
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the discount input could not be written as JSON", e);
    }
  }

  private BigDecimal percentage(Map<String, @Nullable Object> p) {
    BigDecimal rate = null;
    for (String k : new String[] {"discount", "discount_rate", "discountRate"}) {
      BigDecimal v = decimal(p.get(k));
      if (v != null) {
        rate = v.compareTo(BigDecimal.ONE) > 0 ? v.movePointLeft(2) : v;
        break;
      }
    }
    if (rate == null) {
      BigDecimal v = decimal(p.get("discount_percent"));
      if (v != null) {
        rate = v.movePointLeft(2);
      }
    }
    if (rate == null) {
      throw http.permanent(
          "create_discount needs the action parameter 'discount' (a fraction such as 0.2),"
              + " 'discount_percent' (such as 20) or 'discount_amount' (such as 10.00)");
    }
    if (rate.signum() <= 0 || rate.compareTo(BigDecimal.ONE) > 0) {
      throw http.permanent(
          "the discount must be above 0 and at most 100 percent but was " + rate.toPlainString());
    }
    return rate.stripTrailingZeros();
  }

  private static @Nullable String customerGid(ActionRequest request) {
    Object v = request.parameters().get(CUSTOMER_PARAMETER);
    String s = v == null ? request.customerId() : String.valueOf(v).trim();
    if (s.startsWith(CUSTOMER_GID) && s.length() > CUSTOMER_GID.length()) {
      return s;
    }
    if (v != null && !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return CUSTOMER_GID + s;
    }
    return null;
  }

  private static @Nullable BigDecimal decimal(@Nullable Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof String s && !s.isBlank()) {
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private ChannelException failure(ProviderHttp.Response r, @Nullable JsonNode json, Secret s) {
    String text = json == null ? "" : topLevelErrors(json.path("errors"), s);
    Duration wait = null;
    if (r.status() == 429 && json != null) {
      wait = throttledWait(json);
    }
    if (r.status() == 429 && r.header("Retry-After").isPresent()) {
      wait = http.retryAfter(r);
    }
    return http.failure(r, text, wait);
  }

  private ChannelException graphQlErrors(JsonNode errors, JsonNode json, Secret s) {
    boolean throttled = false;
    boolean internal = false;
    for (JsonNode e : errors) {
      String code = e.path("extensions").path("code").asText("");
      throttled |= code.equals("THROTTLED");
      internal |= code.equals("INTERNAL_SERVER_ERROR");
    }
    if (throttled) {
      return http.retryable("throttled by " + http.origin(), throttledWait(json));
    }
    String text = topLevelErrors(errors, s);
    if (internal) {
      return http.retryable("GraphQL error from " + http.origin() + ": " + text, null);
    }
    return http.permanent("GraphQL error from " + http.origin() + ": " + text);
  }

  /** (requestedQueryCost − currentlyAvailable) / restoreRate, or null when not reported. */
  private static @Nullable Duration throttledWait(JsonNode json) {
    JsonNode cost = json.path("extensions").path("cost");
    JsonNode status = cost.path("throttleStatus");
    if (!cost.path("requestedQueryCost").isNumber()
        || !status.path("currentlyAvailable").isNumber()
        || !status.path("restoreRate").isNumber()
        || status.path("restoreRate").asDouble() <= 0) {
      return null;
    }
    double missing =
        cost.path("requestedQueryCost").asDouble() - status.path("currentlyAvailable").asDouble();
    return seconds(Math.max(0, missing) / status.path("restoreRate").asDouble());
  }

  static Duration seconds(double s) {
    return Duration.ofMillis((long) Math.ceil(s * 1000));
  }

  private static boolean codeTaken(JsonNode userErrors) {
    for (JsonNode e : userErrors) {
      String code = e.path("code").asText("");
      String message = e.path("message").asText("").toLowerCase(Locale.ROOT);
      boolean onCode = false;
      for (JsonNode f : e.path("field")) {
        onCode |= f.asText("").equals("code");
      }
      if ((code.equals("TAKEN") && (onCode || e.path("field").isMissingNode()))
          || message.contains("must be unique")
          || message.contains("already exists")
          || message.contains("has already been taken")) {
        return true;
      }
    }
    return false;
  }

  private static String userErrorText(JsonNode userErrors, Secret s) {
    List<String> parts = new ArrayList<>();
    for (JsonNode e : userErrors) {
      List<String> field = new ArrayList<>();
      for (JsonNode f : e.path("field")) {
        field.add(f.asText());
      }
      String code = e.path("code").asText("");
      parts.add(
          (field.isEmpty() ? "" : String.join(".", field) + ": ")
              + e.path("message").asText("")
              + (code.isEmpty() ? "" : " (" + code + ")"));
    }
    return ProviderHttp.clean(String.join("; ", parts), s);
  }

  /** Shopify's {@code errors}: a string, an object of strings or arrays, or GraphQL errors. */
  private static String topLevelErrors(JsonNode errors, Secret s) {
    List<String> parts = new ArrayList<>();
    if (errors.isTextual()) {
      parts.add(errors.asText());
    } else if (errors.isArray()) {
      for (JsonNode e : errors) {
        parts.add(e.isTextual() ? e.asText() : e.path("message").asText(""));
      }
    } else if (errors.isObject()) {
      errors
          .fields()
          .forEachRemaining(
              f ->
                  parts.add(
                      f.getKey()
                          + ": "
                          + (f.getValue().isTextual()
                              ? f.getValue().asText()
                              : f.getValue().toString())));
    }
    return ProviderHttp.clean(String.join("; ", parts), s);
  }

  /** Releases the HTTP client if the channel built it. Idempotent. */
  @Override
  public void close() {
    http.close();
  }

  /** The name, the shop and the API version; never the token. */
  @Override
  public String toString() {
    return "ShopifyDiscountChannel[name="
        + name
        + ", shop="
        + shop
        + ", apiVersion="
        + apiVersion
        + ", endpoint="
        + http.origin()
        + "]";
  }

  /** Waits; replaced in tests so that throttling is checked without sleeping. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * The last known state of the shop's query cost bucket, refilled at its restore rate, with the
   * cost of requests sent since taken out, so that concurrent deliveries wait their turn.
   */
  static final class CostBucket {
    private double queryCost;
    private double available = Double.NaN;
    private double maximum = Double.NaN;
    private double restoreRate = Double.NaN;
    private @Nullable Instant at;

    CostBucket(double initialQueryCost) {
      this.queryCost = initialQueryCost;
    }

    /**
     * How long to wait before sending a query of the last known cost. When the wait is at most
     * {@code max}, the query's cost is taken out of the bucket (as it will be after the wait);
     * otherwise nothing is taken, since the caller does not send.
     */
    synchronized Duration reserve(Instant now, Duration max) {
      Instant last = at;
      if (last == null || !(restoreRate > 0)) {
        return Duration.ZERO;
      }
      double elapsed = Math.max(0, Duration.between(last, now).toNanos() / 1e9);
      double nowAvailable = Math.min(maximum, available + elapsed * restoreRate);
      Duration wait =
          nowAvailable >= queryCost
              ? Duration.ZERO
              : seconds((queryCost - nowAvailable) / restoreRate);
      if (wait.compareTo(max) <= 0) {
        available = nowAvailable + (wait.toNanos() / 1e9) * restoreRate - queryCost;
        at = now.plus(wait);
      }
      return wait;
    }

    /** Takes the bucket's state from a response's {@code extensions.cost}, when present. */
    synchronized void update(JsonNode cost, Instant now) {
      JsonNode s = cost.path("throttleStatus");
      if (s.path("currentlyAvailable").isNumber() && s.path("restoreRate").isNumber()) {
        available = s.path("currentlyAvailable").asDouble();
        restoreRate = s.path("restoreRate").asDouble();
        maximum =
            s.path("maximumAvailable").isNumber()
                ? s.path("maximumAvailable").asDouble()
                : Math.max(available, Double.isNaN(maximum) ? available : maximum);
        at = now;
      }
      if (cost.path("requestedQueryCost").isNumber()
          && cost.path("requestedQueryCost").asDouble() > 0) {
        queryCost = cost.path("requestedQueryCost").asDouble();
      }
    }
  }

  /**
   * Builds a {@link ShopifyDiscountChannel}. Not thread-safe.
   *
   * <pre>{@code
   * ShopifyDiscountChannel.builder()
   *     .shop("my-store")
   *     .accessToken(SecretProvider.fromEnv("SHOPIFY_ACCESS_TOKEN"))
   *     .codePrefix("WINBACK-")
   *     .build();
   * }</pre>
   */
  public static final class Builder extends ProviderChannelBuilder<Builder> {
    private @Nullable String shop;
    private @Nullable SecretProvider accessToken;
    private String apiVersion = DEFAULT_API_VERSION;
    private String codePrefix = DEFAULT_CODE_PREFIX;
    private String titlePrefix = "opagent ";
    private Duration maxThrottleWait = Duration.ofSeconds(10);
    private double initialQueryCost = 10;
    private Sleeper sleeper = d -> Thread.sleep(Math.max(1, d.toMillis()));

    private Builder() {
      super("shopify");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The shop: its handle ({@code my-store}), its {@code my-store.myshopify.com} domain, or that
     * domain as an https URL. Required.
     */
    public Builder shop(String shop) {
      Objects.requireNonNull(shop, "shop");
      String s = shop.trim().toLowerCase(Locale.ROOT);
      if (s.startsWith("https://")) {
        s = s.substring("https://".length());
      }
      if (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.endsWith(".myshopify.com")) {
        s = s.substring(0, s.length() - ".myshopify.com".length());
      }
      if (!SHOP.matcher(s).matches()) {
        throw new IllegalArgumentException(
            "shop must be a shop handle such as my-store or my-store.myshopify.com");
      }
      this.shop = s;
      return this;
    }

    /**
     * The Admin API access token of the app installed on the shop (scope {@code write_discounts}).
     * Required; typically {@code SecretProvider.fromEnv("SHOPIFY_ACCESS_TOKEN")}.
     */
    public Builder accessToken(SecretProvider accessToken) {
      this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
      return this;
    }

    /** The Admin API version, such as {@code 2025-07}. Default: {@value #DEFAULT_API_VERSION}. */
    public Builder apiVersion(String apiVersion) {
      Objects.requireNonNull(apiVersion, "apiVersion");
      if (!VERSION.matcher(apiVersion).matches()) {
        throw new IllegalArgumentException(
            "apiVersion must look like 2025-07 (or be unstable) but was '" + apiVersion + "'");
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /**
     * What every code starts with: up to 32 upper-case letters, digits, {@code -} or {@code _}.
     * Changing it changes every code, so a retry after the change creates a second discount.
     * Default: {@value #DEFAULT_CODE_PREFIX}.
     */
    public Builder codePrefix(String codePrefix) {
      Objects.requireNonNull(codePrefix, "codePrefix");
      if (!CODE_PREFIX.matcher(codePrefix).matches()) {
        throw new IllegalArgumentException(
            "codePrefix must be up to 32 upper-case letters, digits, '-' or '_'");
      }
      this.codePrefix = codePrefix;
      return this;
    }

    /** What the discount's title starts with, before the campaign and code. Default: "opagent ". */
    public Builder titlePrefix(String titlePrefix) {
      this.titlePrefix = Objects.requireNonNull(titlePrefix, "titlePrefix");
      return this;
    }

    /**
     * The longest the channel waits on its own for the shop's cost bucket to refill before calling;
     * a longer wait is handed to the executor as a retryable failure with that wait. Default: 10
     * seconds.
     */
    public Builder maxThrottleWait(Duration max) {
      Objects.requireNonNull(max, "maxThrottleWait");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxThrottleWait must not be negative but was " + max);
      }
      this.maxThrottleWait = max;
      return this;
    }

    /**
     * The cost assumed for the mutation until Shopify has reported its {@code requestedQueryCost}.
     * Default: 10.
     */
    public Builder initialQueryCost(double cost) {
      if (!(cost > 0) || Double.isInfinite(cost)) {
        throw new IllegalArgumentException("initialQueryCost must be positive but was " + cost);
      }
      this.initialQueryCost = cost;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The channel.
     *
     * @throws IllegalArgumentException when the shop or access token is missing (or the token is
     *     not available), or the base URL is not https
     */
    public ShopifyDiscountChannel build() {
      if (shop == null) {
        throw new IllegalArgumentException(
            "shop is required: call shop(\"my-store\") with the shop's handle or"
                + " my-store.myshopify.com domain");
      }
      SecretProvider token = requireSecret(accessToken, "accessToken", "the Shopify access token");
      ProviderHttp http = http(URI.create("https://" + shop + ".myshopify.com"));
      return new ShopifyDiscountChannel(this, channelName(), shop, http, token);
    }
  }
}
