package dev.opagent.channels.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.channels.ProviderChannelBuilder;
import dev.opagent.channels.ProviderHttp;
import dev.opagent.channels.Secret;
import dev.opagent.channels.SecretProvider;
import dev.opagent.channels.inbound.WebhookParameters;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each {@code send_sms} action as one text message with Twilio's Messages resource: {@code
 * POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json}, form-encoded, with
 * HTTP Basic authentication (the account SID and its auth token). Thread-safe.
 *
 * <p>The message: {@code To} is the action's {@value #DEFAULT_RECIPIENT_PARAMETER} parameter (see
 * {@link Builder#recipientParameter}); {@code From} (a Twilio number) or {@code
 * MessagingServiceSid}; {@code Body} is the action's {@code text} parameter, or the template its
 * {@code template} parameter names ({@link Builder#template}) with every {@code {{name}}} replaced
 * by the parameter {@code name}; and, when {@link Builder#statusCallback} is set, {@code
 * StatusCallback} is that URL with the query parameter {@value #CALLBACK_KEY_PARAMETER} holding the
 * idempotency key, so Twilio's delivery callbacks can be attributed to the action.
 *
 * <p>What the answer means: 201 is delivered (the receipt's external id is the message's {@code
 * sid}); 429 (Twilio error 20429) and 5xx are retryable, after {@code Retry-After} when sent; other
 * statuses are permanent with Twilio's {@code code} and {@code message} (such as 21211, an invalid
 * {@code To} number, or 21610, a recipient who replied STOP). Phone numbers in Twilio's messages
 * are masked; the auth token never appears in messages, logs or {@link #toString()}.
 *
 * <p><b>No deduplication.</b> Twilio's Messages API has no idempotency key: if the process dies
 * after Twilio accepted a message but before the journal recorded the completion, the action is
 * resumed after restart and the text is sent a second time ({@link #deduplicatesByKey()} is false).
 * Both carry the same {@value #CALLBACK_KEY_PARAMETER} in their status callback URL, so the
 * receiver can recognise the repeat.
 *
 * <pre>{@code
 * TwilioSmsChannel sms = TwilioSmsChannel.builder()
 *     .accountSid(System.getenv("TWILIO_ACCOUNT_SID"))
 *     .authToken(SecretProvider.fromEnv("TWILIO_AUTH_TOKEN"))
 *     .sender("+15017122661")                       // or a Messaging Service SID, MG…
 *     .statusCallback("https://hooks.shop.example/twilio/status")
 *     .template("cart_reminder", "{{first_name}}, your cart is waiting: {{link}}")
 *     .build();
 * }</pre>
 */
public final class TwilioSmsChannel implements ActionChannel {
  /** The action parameter holding the recipient's number unless configured: {@value}. */
  public static final String DEFAULT_RECIPIENT_PARAMETER = "phone";

  /** The status callback's query parameter carrying the idempotency key: {@value}. */
  public static final String CALLBACK_KEY_PARAMETER = WebhookParameters.KEY;

  private static final Logger LOG = LoggerFactory.getLogger(TwilioSmsChannel.class);
  private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
  private static final Pattern SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

  private final String name;
  private final ProviderHttp http;
  private final URI endpoint;
  private final String accountSid;
  private final SecretProvider authToken;
  private final @Nullable String from;
  private final @Nullable String messagingServiceSid;
  private final @Nullable URI statusCallback;
  private final Map<String, String> templates;
  private final String recipientParameter;

  private TwilioSmsChannel(
      Builder b, String name, ProviderHttp http, String accountSid, SecretProvider authToken) {
    this.name = name;
    this.http = http;
    this.accountSid = accountSid;
    this.endpoint = http.resolve("/2010-04-01/Accounts/" + accountSid + "/Messages.json");
    this.authToken = authToken;
    this.from = b.from;
    this.messagingServiceSid = b.messagingServiceSid;
    this.statusCallback = b.statusCallback;
    this.templates = Map.copyOf(b.templates);
    this.recipientParameter = b.recipientParameter;
  }

  /** A builder; {@link Builder#accountSid}, {@link Builder#authToken} and a sender are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** False: Twilio does not deduplicate; a resumed action is texted again. */
  @Override
  public boolean deduplicatesByKey() {
    return false;
  }

  /**
   * Sends the text of {@code request} once.
   *
   * @return a receipt whose external id is the message's {@code sid}
   * @throws ChannelException retryable on 429, 408, 5xx, time-outs and I/O errors; permanent on
   *     other statuses, and when the request has no recipient number or no body
   */
  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    byte[] form = form(request);
    Secret token = secret();
    String basic =
        Base64.getEncoder()
            .encodeToString((accountSid + ":" + token.reveal()).getBytes(StandardCharsets.UTF_8));
    ProviderHttp.Response r =
        http.post(
            endpoint,
            "application/x-www-form-urlencoded",
            Map.of("Authorization", "Basic " + basic),
            form);
    JsonNode json = ProviderHttp.json(r.body());
    if (r.ok()) {
      String sid = json == null ? "" : json.path("sid").asText("");
      LOG.debug("channel {}: Twilio accepted {}", name, request.idempotencyKey());
      return DeliveryReceipt.delivered(
          request, name, sid.isEmpty() ? "twilio-" + r.status() : sid, http.clock().instant());
    }
    String text = "";
    if (json != null && (json.has("code") || json.has("message"))) {
      String code = json.path("code").asText("");
      text =
          ProviderHttp.clean(
              (code.isEmpty() ? "" : "Twilio error " + code + ": ")
                  + json.path("message").asText(""),
              token);
    }
    throw http.failure(r, text, null);
  }

  byte[] form(ActionRequest request) {
    Map<String, @Nullable Object> p = request.parameters();
    Object to = p.get(recipientParameter);
    if (!(to instanceof String number) || number.isBlank()) {
      throw http.permanent(
          "send_sms needs the recipient's number in the action parameter '"
              + recipientParameter
              + "'");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("To", number.trim());
    if (messagingServiceSid != null) {
      fields.put("MessagingServiceSid", messagingServiceSid);
    } else if (from != null) {
      fields.put("From", from);
    }
    fields.put("Body", body(p));
    URI callback = statusCallback;
    if (callback != null) {
      fields.put("StatusCallback", callbackFor(callback, request.idempotencyKey()));
    }
    StringJoiner form = new StringJoiner("&");
    fields.forEach((k, v) -> form.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return form.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code callback} with {@value #CALLBACK_KEY_PARAMETER}{@code =<key>} added to its query. */
  public static String callbackFor(URI callback, String key) {
    String s = callback.toString();
    return s
        + (callback.getRawQuery() == null ? "?" : "&")
        + CALLBACK_KEY_PARAMETER
        + "="
        + URLEncoder.encode(key, StandardCharsets.UTF_8);
  }

  private String body(Map<String, @Nullable Object> p) {
    if (p.get("text") instanceof String text && !text.isBlank()) {
      return text;
    }
    Object t = p.get("template");
    if (t instanceof String name) {
      String template = templates.get(name);
      if (template == null) {
        throw http.permanent(
            "no SMS template '"
                + name
                + "': register it with template(name, text) or give the action a 'text'"
                + " parameter");
      }
      Matcher m = PLACEHOLDER.matcher(template);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        Object v = p.get(m.group(1));
        if (v == null) {
          throw http.permanent(
              "SMS template '"
                  + name
                  + "' needs the action parameter '"
                  + m.group(1)
                  + "', which is missing");
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
        m.appendReplacement(sb, Matcher.quoteReplacement(s));
      }
      m.appendTail(sb);
      return sb.toString();
    }
    throw http.permanent(
        "send_sms needs the message in the action parameter 'text', or a 'template' registered"
            + " with template(name, text)");
  }

  private Secret secret() {
    try {
      return authToken.secret();
    } catch (IllegalStateException e) {
      throw http.permanent("the auth token is not available: " + e.getMessage());
    }
  }

  /** Releases the HTTP client if the channel built it. Idempotent. */
  @Override
  public void close() {
    http.close();
  }

  /** The name, the endpoint's origin and the sender kind; never the token or numbers. */
  @Override
  public String toString() {
    return "TwilioSmsChannel[name="
        + name
        + ", endpoint="
        + http.origin()
        + ", sender="
        + (messagingServiceSid != null ? "messaging service" : "number")
        + ", statusCallback="
        + (statusCallback != null)
        + "]";
  }

  /**
   * Builds a {@link TwilioSmsChannel}. Not thread-safe.
   *
   * <pre>{@code
   * TwilioSmsChannel.builder()
   *     .accountSid(System.getenv("TWILIO_ACCOUNT_SID"))
   *     .authToken(SecretProvider.fromEnv("TWILIO_AUTH_TOKEN"))
   *     .messagingServiceSid("MG9752274e9e519418a7406176694466fa")
   *     .build();
   * }</pre>
   */
  public static final class Builder extends ProviderChannelBuilder<Builder> {
    private @Nullable String accountSid;
    private @Nullable SecretProvider authToken;
    private @Nullable String from;
    private @Nullable String messagingServiceSid;
    private @Nullable URI statusCallback;
    private final Map<String, String> templates = new LinkedHashMap<>();
    private String recipientParameter = DEFAULT_RECIPIENT_PARAMETER;

    private Builder() {
      super("twilio");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The account SID ({@code AC} and 32 hex digits). Required. */
    public Builder accountSid(String accountSid) {
      Objects.requireNonNull(accountSid, "accountSid");
      if (!ACCOUNT_SID.matcher(accountSid.trim()).matches()) {
        throw new IllegalArgumentException(
            "accountSid must be AC followed by 32 hexadecimal digits, as shown in the Twilio"
                + " Console");
      }
      this.accountSid = accountSid.trim();
      return this;
    }

    /**
     * The account's auth token. Required; typically {@code
     * SecretProvider.fromEnv("TWILIO_AUTH_TOKEN")}.
     */
    public Builder authToken(SecretProvider authToken) {
      this.authToken = Objects.requireNonNull(authToken, "authToken");
      return this;
    }

    /** Sends from this Twilio phone number (E.164, such as {@code +15017122661}). */
    public Builder from(String number) {
      Objects.requireNonNull(number, "number");
      if (number.isBlank()) {
        throw new IllegalArgumentException("from must not be blank");
      }
      this.from = number.trim();
      this.messagingServiceSid = null;
      return this;
    }

    /** Sends through this Messaging Service ({@code MG} and 32 hex digits) instead of a number. */
    public Builder messagingServiceSid(String sid) {
      Objects.requireNonNull(sid, "sid");
      if (!SERVICE_SID.matcher(sid.trim()).matches()) {
        throw new IllegalArgumentException(
            "messagingServiceSid must be MG followed by 32 hexadecimal digits");
      }
      this.messagingServiceSid = sid.trim();
      this.from = null;
      return this;
    }

    /**
     * The sender as one string: a Messaging Service SID ({@code MG…}) or else a phone number or
     * sender id, for configuration that carries either.
     */
    public Builder sender(String sender) {
      Objects.requireNonNull(sender, "sender");
      return SERVICE_SID.matcher(sender.trim()).matches()
          ? messagingServiceSid(sender)
          : from(sender);
    }

    /**
     * Where Twilio posts the message's status changes; the channel adds {@value
     * #CALLBACK_KEY_PARAMETER}{@code =<idempotency key>} to its query. An absolute http(s) URL.
     * Default: none (the number's or service's own callback, if any, applies).
     */
    public Builder statusCallback(String url) {
      Objects.requireNonNull(url, "url");
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("statusCallback is not a valid URL: " + e.getReason());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http"))
          || uri.getHost() == null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "statusCallback must be an absolute https URL with a host and no fragment");
      }
      this.statusCallback = uri;
      return this;
    }

    /**
     * Registers the body for actions whose {@code template} parameter is {@code name}; each {@code
     * {{parameter}}} in it is replaced by that action parameter.
     */
    public Builder template(String name, String text) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(text, "text");
      if (text.isBlank()) {
        throw new IllegalArgumentException("template '" + name + "' must not be blank");
      }
      templates.put(name, text);
      return this;
    }

    /** The action parameter holding the recipient's number. Default: {@code phone}. */
    public Builder recipientParameter(String parameter) {
      Objects.requireNonNull(parameter, "parameter");
      if (parameter.isBlank()) {
        throw new IllegalArgumentException("recipientParameter must not be blank");
      }
      this.recipientParameter = parameter;
      return this;
    }

    /**
     * The channel.
     *
     * @throws IllegalArgumentException when the account SID, the auth token (or its value) or the
     *     sender is missing, or the base URL is not https
     */
    public TwilioSmsChannel build() {
      if (accountSid == null) {
        throw new IllegalArgumentException(
            "accountSid is required: call accountSid(\"AC...\") with the account SID");
      }
      SecretProvider token = requireSecret(authToken, "authToken", "the Twilio auth token");
      if (from == null && messagingServiceSid == null) {
        throw new IllegalArgumentException(
            "a sender is required: call from(\"+1...\"), messagingServiceSid(\"MG...\") or"
                + " sender(...)");
      }
      ProviderHttp http = http(URI.create("https://api.twilio.com"));
      return new TwilioSmsChannel(this, channelName(), http, accountSid, token);
    }
  }
}
