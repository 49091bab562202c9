package dev.opagent.channels.inbound;

import dev.opagent.agent.Channel;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.InvalidEventException;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.loop.EventProcessor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the providers' webhooks for a host with its own web framework: one plain method per
 * provider takes the request's headers and raw body, verifies the provider's signature, reads the
 * events, drops those already handled and hands the rest on, and returns a {@link WebhookResult}
 * whose status the host answers with.
 *
 * <ul>
 *   <li>Shopify {@code orders/create}: a {@value CustomerEvent#PURCHASE} event (amount, currency,
 *       products, discount codes), attributed to the action whose discount code was used when the
 *       {@link DiscountCodeResolver} knows it (and counted as the code's use), else by last touch;
 *   <li>SendGrid {@code delivered}, {@code open}, {@code click}: interactions of the action the
 *       {@link WebhookParameters#KEY} custom arg names; {@code bounce} (hard), {@code dropped},
 *       {@code unsubscribe}, {@code group_unsubscribe}, {@code spamreport}: an {@value
 *       CustomerEvent#UNSUBSCRIBE} of the {@code email} channel;
 *   <li>Twilio {@code delivered}: an interaction of the action the callback URL's key names; error
 *       {@value TwilioCallback#UNSUBSCRIBED_RECIPIENT} and an incoming STOP: an {@value
 *       CustomerEvent#UNSUBSCRIBE} of the {@code sms} channel.
 * </ul>
 *
 * Events go to an {@link EventProcessor} (or any consumer): an unsubscribe there withdraws consent
 * and the customer's pending and scheduled actions on that channel. Interactions go to an {@link
 * InteractionRecorder}. Nothing it logs or returns holds a secret or personal data. Thread-safe.
 *
 * <pre>{@code
 * FeedbackReceiver receiver = FeedbackReceiver.builder()
 *     .events(eventProcessor)
 *     .interactions(store.feedback())
 *     .actions(ActionLookup.of(store.journal()))
 *     .build();                                   // secrets from the environment
 * WebhookResult r = receiver.receiveSendGrid(request.headers(), request.bodyBytes());
 * response.status(r.status()).body(r.toJson());
 * }</pre>
 */
public final class FeedbackReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackReceiver.class);

  /** The Shopify topic read as a purchase. */
  public static final String ORDERS_CREATE = "orders/create";

  /** The header of Shopify's topic. */
  public static final String SHOPIFY_TOPIC = "X-Shopify-Topic";

  /** The header of Shopify's delivery id, by which a retried delivery is recognised. */
  public static final String SHOPIFY_WEBHOOK_ID = "X-Shopify-Webhook-Id";

  private static final Set<String> SENDGRID_STOPS =
      Set.of("bounce", "dropped", "unsubscribe", "group_unsubscribe", "spamreport");

  private final WebhookSecrets secrets;
  private final ToIntFunction<CustomerEvent> events;
  private final @Nullable InteractionRecorder interactions;
  private final ActionLookup actions;
  private final CustomerResolver customers;
  private final DiscountCodeResolver discountCodes;
  private final Deduplicator seen;
  private final Clock clock;
  private final Duration tolerance;
  private volatile @Nullable CachedKey sendGridKey;

  private record CachedKey(String text, SendGridSignature verifier) {}

  private FeedbackReceiver(Builder b) {
    this.secrets = b.secrets;
    this.events = Objects.requireNonNull(b.events, "events must be set");
    this.interactions = b.interactions;
    this.actions = b.actions;
    this.customers = b.customers;
    this.discountCodes = b.discountCodes;
    this.seen = b.seen;
    this.clock = b.clock;
    this.tolerance = b.tolerance;
  }

  /** A builder; {@link Builder#events} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The providers that have a secret now, and so are received. */
  public Set<Provider> configured() {
    Set<Provider> out = EnumSet.noneOf(Provider.class);
    for (Provider p : Provider.values()) {
      if (secrets.secret(p).isPresent()) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Checks the configured secrets: the SendGrid verification key must be an EC P-256 public key.
   *
   * @return a problem per provider whose secret cannot be used (never the secret itself)
   */
  public Map<Provider, String> problems() {
    Map<Provider, String> out = new LinkedHashMap<>();
    Optional<String> key = secrets.secret(Provider.SENDGRID);
    if (key.isPresent()) {
      try {
        SendGridSignature.publicKey(key.get());
      } catch (IllegalArgumentException e) {
        out.put(Provider.SENDGRID, Objects.requireNonNullElse(e.getMessage(), "invalid key"));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Shopify

  /**
   * A Shopify webhook: verifies {@value ShopifySignature#HEADER} over the raw body, recognises a
   * retried delivery by {@value #SHOPIFY_WEBHOOK_ID}, and reads an {@value #ORDERS_CREATE} order as
   * a purchase; other topics are verified and ignored.
   *
   * @param headers the request's headers, by name in any case
   * @param body the raw body, exactly as received
   */
  public WebhookResult receiveShopify(Map<String, ? extends List<String>> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Optional<String> secret = secrets.secret(Provider.SHOPIFY);
    if (secret.isEmpty()) {
      return WebhookResult.notConfigured(Provider.SHOPIFY);
    }
    Tally t = new Tally(Provider.SHOPIFY);
    try {
      ShopifySignature.verify(secret.get(), body, Http.header(headers, ShopifySignature.HEADER));
      String topic = Http.header(headers, SHOPIFY_TOPIC);
      if (topic == null || topic.isBlank()) {
        throw WebhookException.badRequest(SHOPIFY_TOPIC, "is required");
      }
      String id = Http.header(headers, SHOPIFY_WEBHOOK_ID);
      if (id == null || id.isBlank()) {
        throw WebhookException.badRequest(SHOPIFY_WEBHOOK_ID, "is required");
      }
      if (!ORDERS_CREATE.equals(topic.trim())) {
        t.ignore("topic_not_handled");
        return t.result();
      }
      ShopifyOrder order = ShopifyOrder.parse(body);
      once(t, "shopify:" + id.trim(), -1, () -> purchase(order, t));
      return t.result();
    } catch (WebhookException e) {
      return refused(Provider.SHOPIFY, e);
    } catch (RuntimeException e) {
      return failed(t, e);
    }
  }

  private void purchase(ShopifyOrder order, Tally t) {
    ContactRef contact =
        new ContactRef(Provider.SHOPIFY, order.customerId(), order.email(), order.phone());
    String customer = customers.resolve(contact).orElse(null);
    ActionRequest action = null;
    for (String code : order.discountCodes()) {
      Optional<ActionRequest> found = discountCodes.actionKey(code).flatMap(actions::find);
      if (found.isPresent() && (customer == null || customer.equals(found.get().customerId()))) {
        action = found.get();
        break;
      }
    }
    if (customer == null && action != null) {
      customer = action.customerId();
    }
    if (customer == null) {
      t.ignore("unknown_customer");
      return;
    }
    Map<String, @Nullable Object> data = new LinkedHashMap<>();
    data.put("amount", order.totalPrice());
    data.put("currency", order.currency());
    data.put("orderId", order.orderId());
    data.put(WebhookParameters.SOURCE, Provider.SHOPIFY.id());
    data.put(WebhookParameters.DISCOUNT_CODES, order.discountCodes());
    List<Map<String, @Nullable Object>> items = new ArrayList<>();
    Set<String> products = new LinkedHashSet<>();
    int quantity = 0;
    for (ShopifyOrder.LineItem li : order.lineItems()) {
      Map<String, @Nullable Object> item = new LinkedHashMap<>();
      item.put("productId", li.productId());
      item.put("title", li.title());
      item.put("quantity", (long) li.quantity());
      item.put("price", li.price());
      items.add(item);
      if (li.productId() != null) {
        products.add(li.productId());
      }
      quantity += li.quantity();
    }
    data.put("items", items);
    if (products.size() == 1 && items.size() == order.lineItems().size()) {
      // one product: its history gets the order; an order of several is kept whole in items
      data.put("product", products.iterator().next());
      data.put("quantity", (long) Math.max(quantity, 1));
    }
    if (action != null) {
      data.put(WebhookParameters.ACTION_KEY, action.idempotencyKey());
      data.put("campaign", action.campaign());
    }
    CustomerEvent event =
        new CustomerEvent(CustomerEvent.PURCHASE, customer, order.createdAt(), data);
    t.withdrawn += events.applyAsInt(event);
    t.accepted++;
    InteractionRecorder recorder = interactions;
    if (action != null && recorder != null) {
      recorder.record(
          Interaction.of(
              action.idempotencyKey(),
              customer,
              action.campaign(),
              InteractionType.COUPON_USED,
              order.createdAt()));
      t.accepted++;
    }
  }

  // ---------------------------------------------------------------- SendGrid

  /**
   * A SendGrid Event Webhook request: verifies the signature over the timestamp and the raw body,
   * refuses a stale timestamp, and reads the array of events; each is recognised by its {@code
   * sg_event_id}, and one that cannot be read is rejected alone, naming its field.
   *
   * @param headers the request's headers, by name in any case
   * @param body the raw body, exactly as received
   */
  public WebhookResult receiveSendGrid(Map<String, ? extends List<String>> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Optional<String> secret = secrets.secret(Provider.SENDGRID);
    if (secret.isEmpty()) {
      return WebhookResult.notConfigured(Provider.SENDGRID);
    }
    Tally t = new Tally(Provider.SENDGRID);
    try {
      SendGridSignature verifier;
      try {
        verifier = sendGridVerifier(secret.get());
      } catch (IllegalArgumentException e) {
        LOG.error("SendGrid webhooks refused: {}", e.getMessage());
        return t.failed("the SendGrid verification key is not valid");
      }
      verifier.verify(
          body,
          Http.header(headers, SendGridSignature.SIGNATURE),
          Http.header(headers, SendGridSignature.TIMESTAMP));
      for (SendGridEvent.Parsed p : SendGridEvent.parseAll(body)) {
        SendGridEvent e = p.event();
        if (e == null) {
          t.reject(p.index(), Objects.requireNonNull(p.error()));
          continue;
        }
        once(t, "sendgrid:" + e.eventId(), e.index(), () -> sendGrid(e, t));
      }
      return t.result();
    } catch (WebhookException e) {
      return refused(Provider.SENDGRID, e);
    } catch (RuntimeException e) {
      return failed(t, e);
    }
  }

  private SendGridSignature sendGridVerifier(String key) {
    CachedKey cached = sendGridKey;
    if (cached == null || !cached.text().equals(key)) {
      cached = new CachedKey(key, SendGridSignature.of(key, clock, tolerance));
      sendGridKey = cached;
    }
    return cached.verifier();
  }

  private void sendGrid(SendGridEvent e, Tally t) {
    InteractionType type =
        switch (e.event()) {
          case "delivered" -> InteractionType.DELIVERED;
          case "open" -> InteractionType.OPENED;
          case "click" -> InteractionType.CLICKED;
          default -> null;
        };
    ContactRef contact = new ContactRef(Provider.SENDGRID, null, e.email(), null);
    if (type != null) {
      interaction(
          t,
          e.arg(WebhookParameters.KEY),
          e.arg(WebhookParameters.CUSTOMER),
          e.arg(WebhookParameters.CAMPAIGN),
          contact,
          type,
          e.at());
    } else if (SENDGRID_STOPS.contains(e.event())) {
      if ("bounce".equals(e.event()) && "blocked".equals(e.bounceType())) {
        t.ignore("soft_bounce");
        return;
      }
      unsubscribe(
          t,
          e.arg(WebhookParameters.KEY),
          e.arg(WebhookParameters.CUSTOMER),
          contact,
          Channel.EMAIL.id(),
          "sendgrid_" + e.event(),
          e.at());
    } else {
      t.ignore("not_acted_on");
    }
  }

  // ---------------------------------------------------------------- Twilio

  /**
   * A Twilio message webhook (status callback or incoming message): verifies {@value
   * TwilioSignature#HEADER} over {@code url} and the POST parameters, recognises a retried callback
   * by its message id and status, and reads {@code delivered} as an interaction and error {@value
   * TwilioCallback#UNSUBSCRIBED_RECIPIENT} or an incoming STOP as an unsubscribe from SMS.
   *
   * @param url the URL as Twilio requested it, with its query: behind a proxy, the public one
   * @param headers the request's headers, by name in any case
   * @param body the raw form-encoded body
   */
  public WebhookResult receiveTwilio(
      String url, Map<String, ? extends List<String>> headers, byte[] body) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Optional<String> secret = secrets.secret(Provider.TWILIO);
    if (secret.isEmpty()) {
      return WebhookResult.notConfigured(Provider.TWILIO);
    }
    Tally t = new Tally(Provider.TWILIO);
    try {
      List<Http.Param> post =
          Http.form(new String(body, java.nio.charset.StandardCharsets.UTF_8), "body");
      TwilioSignature.verify(secret.get(), url, post, Http.header(headers, TwilioSignature.HEADER));
      String query;
      try {
        query = URI.create(url).getRawQuery();
      } catch (IllegalArgumentException e) {
        throw WebhookException.badRequest("url", "is not a valid URL");
      }
      TwilioCallback c = TwilioCallback.parse(post, Http.form(query, "url"));
      once(t, "twilio:" + c.messageSid() + ":" + c.status(), -1, () -> twilio(c, t));
      return t.result();
    } catch (WebhookException e) {
      return refused(Provider.TWILIO, e);
    } catch (RuntimeException e) {
      return failed(t, e);
    }
  }

  private void twilio(TwilioCallback c, Tally t) {
    Instant now = clock.instant();
    if (c.isIncoming()) {
      if (!c.isStop()) {
        t.ignore("incoming_message");
        return;
      }
      unsubscribe(
          t,
          null,
          null,
          new ContactRef(Provider.TWILIO, null, null, c.from()),
          Channel.SMS.id(),
          "twilio_stop_reply",
          now);
      return;
    }
    ContactRef recipient = new ContactRef(Provider.TWILIO, null, null, c.to());
    if (c.isStop()) {
      unsubscribe(
          t, c.key(), c.customerId(), recipient, Channel.SMS.id(), "twilio_" + c.errorCode(), now);
    } else if ("delivered".equals(c.status())) {
      interaction(
          t, c.key(), c.customerId(), c.campaign(), recipient, InteractionType.DELIVERED, now);
    } else {
      t.ignore("not_acted_on");
    }
  }

  // ---------------------------------------------------------------- common

  /** The customer and campaign a webhook is about: from its action, else from its own fields. */
  private record Target(@Nullable String key, String customerId, @Nullable String campaign) {}

  private @Nullable Target target(
      @Nullable String key,
      @Nullable String customerArg,
      @Nullable String campaignArg,
      ContactRef contact) {
    if (key != null) {
      Optional<ActionRequest> action = actions.find(key);
      if (action.isPresent()) {
        return new Target(key, action.get().customerId(), action.get().campaign());
      }
    }
    String customer = customerArg != null ? customerArg : customers.resolve(contact).orElse(null);
    return customer == null ? null : new Target(key, customer, campaignArg);
  }

  private void interaction(
      Tally t,
      @Nullable String key,
      @Nullable String customerArg,
      @Nullable String campaignArg,
      ContactRef contact,
      InteractionType type,
      Instant at) {
    InteractionRecorder recorder = interactions;
    if (recorder == null) {
      t.ignore("no_recorder");
      return;
    }
    Target target = target(key, customerArg, campaignArg, contact);
    if (target == null) {
      t.ignore("unknown_customer");
      return;
    }
    String campaign = target.campaign();
    String actionKey = target.key();
    if (campaign == null) {
      campaign = recorder.lastTouch(target.customerId(), at).orElse(null);
      actionKey = null; // a key whose campaign is unknown is attributed by last touch
    }
    if (campaign == null) {
      t.ignore("unattributed");
      return;
    }
    recorder.record(new Interaction(actionKey, target.customerId(), campaign, type, at, null));
    t.accepted++;
  }

  private void unsubscribe(
      Tally t,
      @Nullable String key,
      @Nullable String customerArg,
      ContactRef contact,
      String channel,
      String reason,
      Instant at) {
    Target target = target(key, customerArg, null, contact);
    if (target == null) {
      t.ignore("unknown_customer");
      return;
    }
    Map<String, @Nullable Object> data = new HashMap<>();
    data.put("channel", channel);
    data.put(WebhookParameters.SOURCE, contact.provider().id());
    data.put(WebhookParameters.REASON, reason);
    t.withdrawn +=
        events.applyAsInt(
            new CustomerEvent(CustomerEvent.UNSUBSCRIBE, target.customerId(), at, data));
    t.accepted++;
  }

  /** Runs {@code work} unless {@code id} was handled; releases the claim when it fails. */
  private void once(Tally t, String id, int index, Runnable work) {
    if (!seen.claim(id)) {
      t.duplicates++;
      return;
    }
    try {
      work.run();
    } catch (InvalidEventException e) {
      seen.release(id);
      String field = e.field().isEmpty() ? "event" : e.field();
      t.reject(index, WebhookException.badRequest(field, "is not valid: " + problem(e)));
    } catch (RuntimeException e) {
      seen.release(id);
      throw e;
    }
  }

  private static String problem(InvalidEventException e) {
    String m = Objects.requireNonNullElse(e.getMessage(), "");
    return m.startsWith(e.field() + " ") ? m.substring(e.field().length() + 1) : m;
  }

  private static WebhookResult refused(Provider provider, WebhookException e) {
    if (e.status() == 401) {
      LOG.warn("{} webhook refused: {}", provider.id(), e.getMessage());
    } else {
      LOG.debug("{} webhook not readable: {}", provider.id(), e.getMessage());
    }
    return WebhookResult.refused(provider, e);
  }

  private static WebhookResult failed(Tally t, RuntimeException e) {
    // the exception's message may hold personal data (a database error quoting values)
    LOG.error("{} webhook could not be handed on: {}", t.provider.id(), e.getClass().getName());
    return t.failed("handing the events on failed; the provider will retry");
  }

  /** What one request came to. */
  private static final class Tally {
    final Provider provider;
    int accepted;
    int duplicates;
    int withdrawn;
    final Map<String, Integer> ignored = new LinkedHashMap<>();
    final List<WebhookResult.Rejection> rejected = new ArrayList<>();

    Tally(Provider provider) {
      this.provider = provider;
    }

    void ignore(String reason) {
      ignored.merge(reason, 1, Integer::sum);
    }

    void reject(int index, WebhookException e) {
      rejected.add(
          new WebhookResult.Rejection(
              index, e.field(), Objects.requireNonNullElse(e.getMessage(), "")));
    }

    WebhookResult result() {
      return new WebhookResult(
          provider, 200, accepted, duplicates, withdrawn, ignored, rejected, null);
    }

    WebhookResult failed(String error) {
      return new WebhookResult(
          provider, 500, accepted, duplicates, withdrawn, ignored, rejected, error);
    }
  }

  /** Configures a {@link FeedbackReceiver}. Not thread-safe. */
  public static final class Builder {
    private WebhookSecrets secrets = WebhookSecrets.fromEnvironment();
    private @Nullable ToIntFunction<CustomerEvent> events;
    private @Nullable InteractionRecorder interactions;
    private ActionLookup actions = ActionLookup.none();
    private CustomerResolver customers = CustomerResolver.none();
    private DiscountCodeResolver discountCodes = DiscountCodeResolver.none();
    private Deduplicator seen = Deduplicator.inMemory(100_000);
    private Clock clock = Clock.systemUTC();
    private Duration tolerance = SendGridSignature.DEFAULT_TOLERANCE;

    private Builder() {}

    /**
     * Where the secrets are read. Default: the environment ({@link
     * WebhookSecrets#fromEnvironment()}).
     */
    public Builder secrets(WebhookSecrets secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    /**
     * Where purchases and unsubscribes go: the event processor. This or the consumer is required.
     */
    public Builder events(EventProcessor processor) {
      Objects.requireNonNull(processor, "processor");
      this.events = e -> processor.accept(e).cancelled().size();
      return this;
    }

    /** Where purchases and unsubscribes go: any consumer of events (a queue, a Flink source). */
    public Builder events(Consumer<CustomerEvent> consumer) {
      Objects.requireNonNull(consumer, "consumer");
      this.events =
          e -> {
            consumer.accept(e);
            return 0;
          };
      return this;
    }

    /** Where deliveries, opens, clicks and coupon uses are recorded. Default: none (ignored). */
    public Builder interactions(InteractionRecorder recorder) {
      this.interactions = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /** Finds the action an idempotency key names. Default: none. */
    public Builder actions(ActionLookup actions) {
      this.actions = Objects.requireNonNull(actions, "actions");
      return this;
    }

    /** Maps a provider's customer id, e-mail or phone to the host's id. Default: none. */
    public Builder customers(CustomerResolver customers) {
      this.customers = Objects.requireNonNull(customers, "customers");
      return this;
    }

    /** Maps a discount code to the key of the action that created it. Default: none. */
    public Builder discountCodes(DiscountCodeResolver discountCodes) {
      this.discountCodes = Objects.requireNonNull(discountCodes, "discountCodes");
      return this;
    }

    /** Remembers what was handled. Default: the last 100,000 ids in memory. */
    public Builder deduplicator(Deduplicator deduplicator) {
      this.seen = Objects.requireNonNull(deduplicator, "deduplicator");
      return this;
    }

    /** The clock of signature ages and of Twilio callbacks (which carry no time). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How far a SendGrid signature's timestamp may be from now. Default: five minutes. */
    public Builder sendGridTolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isNegative() || tolerance.isZero()) {
        throw new IllegalArgumentException(
            "sendGridTolerance must be positive but was " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Builds the receiver.
     *
     * @throws NullPointerException if no event processor or consumer is set
     */
    public FeedbackReceiver build() {
      return new FeedbackReceiver(this);
    }
  }
}
