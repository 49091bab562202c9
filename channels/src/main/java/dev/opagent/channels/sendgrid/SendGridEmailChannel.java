package dev.opagent.channels.sendgrid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.channels.ProviderChannelBuilder;
import dev.opagent.channels.ProviderHttp;
import dev.opagent.channels.Secret;
import dev.opagent.channels.SecretProvider;
import dev.opagent.channels.inbound.WebhookParameters;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each {@code send_email} action as one e-mail built from a SendGrid dynamic template, with
 * the v3 Mail Send API: {@code POST https://api.sendgrid.com/v3/mail/send} with {@code
 * Authorization: Bearer <API key>}. Thread-safe.
 *
 * <p>The message: {@code from} the configured sender, {@code template_id} from the action's {@code
 * template_id} parameter, else its {@code template} parameter (a template name mapped with {@link
 * Builder#template}, or itself a {@code d-…} id), else {@link Builder#templateId}; one
 * personalization whose {@code to} is the action's {@value #DEFAULT_RECIPIENT_PARAMETER} parameter
 * (see {@link Builder#recipientParameter}) and whose {@code dynamic_template_data} is every other
 * parameter; and {@code custom_args} {@value #ARG_KEY} (the idempotency key), {@value #ARG_RUN} and
 * {@value #ARG_CAMPAIGN}, which SendGrid returns with every event of the message, so the event
 * webhook can attribute opens, clicks and bounces to the action.
 *
 * <p>What the answer means: 202 is delivered (the receipt's external id is the {@code X-Message-Id}
 * header); 429 is retryable after {@code X-RateLimit-Reset} (epoch seconds); 5xx and time-outs are
 * retryable; any other status is permanent with SendGrid's {@code errors[].message}. A request
 * without a recipient address fails permanently, naming the parameter.
 *
 * <p><b>No deduplication.</b> SendGrid has no idempotency key for Mail Send: if the process dies
 * after SendGrid accepted a message but before the journal recorded the completion, the action is
 * resumed after restart and the e-mail is sent a second time ({@link #deduplicatesByKey()} is
 * false). Both copies carry the same {@value #ARG_KEY} in their {@code custom_args}, so the event
 * receiver can recognise the repeat. The API key never appears in messages, logs or {@link
 * #toString()}; addresses in SendGrid's messages are masked.
 *
 * <pre>{@code
 * SendGridEmailChannel email = SendGridEmailChannel.builder()
 *     .apiKey(SecretProvider.fromEnv("SENDGRID_API_KEY"))
 *     .from("offers@shop.example", "Example Shop")
 *     .templateId("d-13b8f94fbcae4ec6b75270d6cb59f932")   // default template
 *     .template("winback_offer", "d-2c2ba5e8a3c14a3e9a0b7d07a6a1e0f4")
 *     .build();
 * }</pre>
 */
public final class SendGridEmailChannel implements ActionChannel {
  /** The action parameter holding the recipient's address unless configured: {@value}. */
  public static final String DEFAULT_RECIPIENT_PARAMETER = "email";

  /** The {@code custom_args} entry carrying the action's idempotency key: {@value}. */
  public static final String ARG_KEY = WebhookParameters.KEY;

  /** The {@code custom_args} entry carrying the run id: {@value}. */
  public static final String ARG_RUN = WebhookParameters.RUN;

  /** The {@code custom_args} entry carrying the campaign: {@value}. */
  public static final String ARG_CAMPAIGN = WebhookParameters.CAMPAIGN;

  /** The response header holding SendGrid's message id: {@value}. */
  public static final String MESSAGE_ID_HEADER = "X-Message-Id";

  private static final Logger LOG = LoggerFactory.getLogger(SendGridEmailChannel.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> TEMPLATE_PARAMETERS = Set.of("template", "template_id");
  private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  private final String name;
  private final ProviderHttp http;
  private final URI endpoint;
  private final SecretProvider apiKey;
  private final String fromEmail;
  private final @Nullable String fromName;
  private final @Nullable String templateId;
  private final Map<String, String> templates;
  private final String recipientParameter;
  private final boolean sandbox;

  private SendGridEmailChannel(
      Builder b, String name, ProviderHttp http, SecretProvider apiKey, String fromEmail) {
    this.name = name;
    this.http = http;
    this.endpoint = http.resolve("/v3/mail/send");
    this.apiKey = apiKey;
    this.fromEmail = fromEmail;
    this.fromName = b.fromName;
    this.templateId = b.templateId;
    this.templates = Map.copyOf(b.templates);
    this.recipientParameter = b.recipientParameter;
    this.sandbox = b.sandbox;
  }

  /** A builder; {@link Builder#apiKey}, {@link Builder#from} and a template are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** False: SendGrid does not deduplicate; a resumed action is e-mailed again. */
  @Override
  public boolean deduplicatesByKey() {
    return false;
  }

  /**
   * Sends the e-mail of {@code request} once.
   *
   * @return a receipt whose external id is SendGrid's {@code X-Message-Id}
   * @throws ChannelException retryable on 429 (after the rate limit's reset), 408, 5xx, time-outs
   *     and I/O errors; permanent on other statuses, and when the request has no recipient address
   *     or no template
   */
  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    byte[] body = body(request);
    Secret key = secret();
    ProviderHttp.Response r =
        http.post(
            endpoint, "application/json", Map.of("Authorization", "Bearer " + key.reveal()), body);
    if (r.ok()) {
      String id = r.header(MESSAGE_ID_HEADER).orElse("sendgrid-" + r.status());
      LOG.debug("channel {}: SendGrid accepted {}", name, request.idempotencyKey());
      return DeliveryReceipt.delivered(request, name, id, http.clock().instant());
    }
    String text = errors(r.body(), key);
    Duration wait = null;
    if (r.status() == 429) {
      wait = http.untilEpochSeconds(r.header("X-RateLimit-Reset"));
    }
    throw http.failure(r, text, wait);
  }

  byte[] body(ActionRequest request) {
    Map<String, @Nullable Object> p = request.parameters();
    Object to = p.get(recipientParameter);
    if (!(to instanceof String address) || address.isBlank()) {
      throw http.permanent(
          "send_email needs the recipient's address in the action parameter '"
              + recipientParameter
              + "'");
    }
    if (!ADDRESS.matcher(address.trim()).matches()) {
      throw http.permanent(
          "the action parameter '" + recipientParameter + "' is not an e-mail address");
    }
    String template = template(p);
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode personalization = root.putArray("personalizations").addObject();
    personalization.putArray("to").addObject().put("email", address.trim());
    Map<String, @Nullable Object> data = new LinkedHashMap<>();
    p.forEach(
        (k, v) -> {
          if (!k.equals(recipientParameter) && !TEMPLATE_PARAMETERS.contains(k)) {
            data.put(k, v);
          }
        });
    personalization.set("dynamic_template_data", MAPPER.valueToTree(data));
    ObjectNode from = root.putObject("from").put("email", fromEmail);
    if (fromName != null) {
      from.put("name", fromName);
    }
    root.put("template_id", template);
    ObjectNode args = root.putObject("custom_args");
    args.put(ARG_KEY, request.idempotencyKey());
    args.put(ARG_RUN, request.runId());
    args.put(ARG_CAMPAIGN, request.campaign());
    if (sandbox) {
      root.putObject("mail_settings").putObject("sandbox_mode").put("enable", true);
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw http.permanent("the action's parameters are not JSON values");
    }
  }

  private String template(Map<String, @Nullable Object> p) {
    if (p.get("template_id") instanceof String id && !id.isBlank()) {
      return id.trim();
    }
    if (p.get("template") instanceof String t && !t.isBlank()) {
      String mapped = templates.get(t.trim());
      if (mapped != null) {
        return mapped;
      }
      if (t.trim().startsWith("d-")) {
        return t.trim();
      }
    }
    if (templateId != null) {
      return templateId;
    }
    throw http.permanent(
        "no SendGrid template for this action: give it a 'template_id' parameter, map its"
            + " 'template' with template(name, id), or set templateId(...)");
  }

  private Secret secret() {
    try {
      return apiKey.secret();
    } catch (IllegalStateException e) {
      throw http.permanent("the API key is not available: " + e.getMessage());
    }
  }

  /** SendGrid's {@code errors[].message} (with their fields), cleaned. */
  private static String errors(String body, Secret key) {
    if (body.isBlank()) {
      return "";
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode e : json.path("errors")) {
      String field = e.path("field").isTextual() ? e.path("field").asText() : "";
      String message = e.path("message").asText("");
      if (!message.isEmpty()) {
        parts.add(field.isEmpty() ? message : field + ": " + message);
      }
    }
    return ProviderHttp.clean(String.join("; ", parts), key);
  }

  /** Releases the HTTP client if the channel built it. Idempotent. */
  @Override
  public void close() {
    http.close();
  }

  /** The name, the endpoint's origin and the default template; never the key or addresses. */
  @Override
  public String toString() {
    return "SendGridEmailChannel[name="
        + name
        + ", endpoint="
        + http.origin()
        + ", templateId="
        + templateId
        + "]";
  }

  /**
   * Builds a {@link SendGridEmailChannel}. Not thread-safe.
   *
   * <pre>{@code
   * SendGridEmailChannel.builder()
   *     .apiKey(SecretProvider.fromEnv("SENDGRID_API_KEY"))
   *     .from(System.getenv("SENDGRID_FROM"))
   *     .templateId("d-13b8f94fbcae4ec6b75270d6cb59f932")
   *     .build();
   * }</pre>
   */
  public static final class Builder extends ProviderChannelBuilder<Builder> {
    private @Nullable SecretProvider apiKey;
    private @Nullable String fromEmail;
    private @Nullable String fromName;
    private @Nullable String templateId;
    private final Map<String, String> templates = new LinkedHashMap<>();
    private String recipientParameter = DEFAULT_RECIPIENT_PARAMETER;
    private boolean sandbox;

    private Builder() {
      super("sendgrid");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The SendGrid API key (permission Mail Send). Required; typically {@code
     * SecretProvider.fromEnv("SENDGRID_API_KEY")}.
     */
    public Builder apiKey(SecretProvider apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /** The sender's address, a verified sender of the account. Required. */
    public Builder from(String email) {
      Objects.requireNonNull(email, "email");
      if (!ADDRESS.matcher(email.trim()).matches()) {
        throw new IllegalArgumentException(
            "from must be an e-mail address such as offers@shop.example");
      }
      this.fromEmail = email.trim();
      return this;
    }

    /** The sender's address and display name. */
    public Builder from(String email, String name) {
      from(email);
      this.fromName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The dynamic template used when the action names none ({@code d-…}). */
    public Builder templateId(String templateId) {
      this.templateId = dynamicTemplate(templateId, "templateId");
      return this;
    }

    /**
     * Maps the action parameter {@code template} value {@code name} (such as {@code winback_offer})
     * to the dynamic template {@code templateId}.
     */
    public Builder template(String name, String templateId) {
      Objects.requireNonNull(name, "name");
      templates.put(name, dynamicTemplate(templateId, "template"));
      return this;
    }

    /** The action parameter holding the recipient's address. Default: {@code email}. */
    public Builder recipientParameter(String parameter) {
      Objects.requireNonNull(parameter, "parameter");
      if (parameter.isBlank()) {
        throw new IllegalArgumentException("recipientParameter must not be blank");
      }
      this.recipientParameter = parameter;
      return this;
    }

    /**
     * Turns SendGrid's sandbox mode on: requests are validated and answered, nothing is sent. For
     * staging. Default: off.
     */
    public Builder sandboxMode(boolean sandbox) {
      this.sandbox = sandbox;
      return this;
    }

    private static String dynamicTemplate(String id, String option) {
      Objects.requireNonNull(id, option);
      if (id.isBlank()) {
        throw new IllegalArgumentException(option + " must not be blank");
      }
      return id.trim();
    }

    /**
     * The channel.
     *
     * @throws IllegalArgumentException when the API key (or its value), the sender or every
     *     template is missing, or the base URL is not https
     */
    public SendGridEmailChannel build() {
      SecretProvider key = requireSecret(apiKey, "apiKey", "the SendGrid API key");
      if (fromEmail == null) {
        throw new IllegalArgumentException(
            "the sender is required: call from(\"offers@shop.example\") with a verified sender");
      }
      if (templateId == null && templates.isEmpty()) {
        throw new IllegalArgumentException(
            "a template is required: call templateId(\"d-...\") or template(name, \"d-...\")");
      }
      ProviderHttp http = http(URI.create("https://api.sendgrid.com"));
      return new SendGridEmailChannel(this, channelName(), http, key, fromEmail);
    }
  }
}
