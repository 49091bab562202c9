package dev.opagent.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.AgentException;
import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.policy.DecisionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A channel that only has a name and counts its closes. */
  static final class Named implements ActionChannel {
    final String name;
    final AtomicInteger closes = new AtomicInteger();
    final boolean failOnClose;

    Named(String name) {
      this(name, false);
    }

    Named(String name, boolean failOnClose) {
      this.name = name;
      this.failOnClose = failOnClose;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public DeliveryReceipt deliver(ActionRequest request) {
      return DeliveryReceipt.delivered(request, name, name + "-1", Instant.EPOCH);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      if (failOnClose) {
        throw new IllegalStateException(name + " would not close");
      }
    }
  }

  private static ActionRequest request(String actionType, String channel) {
    return new ActionRequest(
        "ik-" + actionType,
        "run-1",
        "C-private-7",
        "winback",
        actionType,
        channel,
        Map.of(),
        List.of(),
        null,
        null,
        BigDecimal.ZERO,
        Instant.parse("2026-03-15T09:00:00Z"));
  }

  private static String nameFor(ChannelRegistry registry, String actionType, String channel) {
    return registry.resolve(request(actionType, channel)).name();
  }

  @Test
  void resolve_eachStep_appliesInOrder() {
    Named webhook = new Named("webhook");
    Named jsonl = new Named("jsonl");
    Named email = new Named("email");
    Named fallback = new Named("fallback");
    ChannelRegistry registry =
        ChannelRegistry.builder()
            .register(webhook)
            .register(jsonl)
            .register(email)
            .register(fallback)
            .routeActionType("send_email", "webhook")
            .routeChannel("email", "jsonl")
            .routeChannel("sms", "webhook")
            .fallback("fallback")
            .build();

    assertThat(registry.resolve(request("send_email", "email"))).isSameAs(webhook);
    assertThat(registry.resolve(request("send_retention_offer", "email"))).isSameAs(jsonl);
    assertThat(registry.resolve(request("send_sms", "sms"))).isSameAs(webhook);
    assertThat(registry.resolve(request("send_push", "push"))).isSameAs(fallback);
    assertThat(registry.resolve("send_email", "sms")).isSameAs(webhook);
  }

  @Test
  void resolve_channelNamedLikeDecisionChannel_beatsTheDefault() {
    ChannelRegistry registry =
        ChannelRegistry.builder()
            .register(new Named("email"))
            .register(new Named("jsonl"))
            .fallback("jsonl")
            .build();

    assertThat(nameFor(registry, "send_email", "email")).isEqualTo("email");
    assertThat(nameFor(registry, "send_sms", "sms")).isEqualTo("jsonl");
  }

  @Test
  void resolve_nothingMatches_throwsListingWhatWasTried() {
    ChannelRegistry registry =
        ChannelRegistry.builder()
            .register(new Named("webhook"))
            .register(new Named("jsonl"))
            .routeActionType("send_email", "webhook")
            .build();

    UnknownChannelException e =
        catchThrowableOfType(
            UnknownChannelException.class, () -> registry.resolve(request("send_sms", "sms")));

    assertThat(e).isInstanceOf(AgentException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "no channel for action type 'send_sms' (decision "
                + "channel 'sms'); tried: action-type route none, channel route none, channel named "
                + "'sms' none, default none; registered channels: [jsonl, webhook]");
    assertThat(e.actionType()).isEqualTo("send_sms");
    assertThat(e.decisionChannel()).isEqualTo("sms");
    assertThat(e.registeredChannels()).containsExactly("jsonl", "webhook");
    assertThat(e.getMessage()).doesNotContain("C-private-7");
  }

  @Test
  void routes_jsonConfig_isReadIntoRoutes() throws IOException {
    JsonNode config =
        JSON.readTree(
            """
        {"actionTypes": {"send_email": "webhook", "create_discount": "jsonl"},
         "channels": {"sms": "jsonl"},
         "default": "jsonl"}""");

    ChannelRegistry registry =
        ChannelRegistry.builder()
            .register(new Named("webhook"))
            .register(new Named("jsonl"))
            .routes(config)
            .build();

    assertThat(registry.actionTypeRoutes())
        .containsExactly(Map.entry("send_email", "webhook"), Map.entry("create_discount", "jsonl"));
    assertThat(registry.channelRoutes()).containsExactly(Map.entry("sms", "jsonl"));
    assertThat(registry.fallback()).contains("jsonl");
    assertThat(nameFor(registry, "send_email", "email")).isEqualTo("webhook");
    assertThat(nameFor(registry, "send_sms", "sms")).isEqualTo("jsonl");
    assertThat(nameFor(registry, "send_push", "push")).isEqualTo("jsonl");
  }

  @Test
  void routes_mapConfig_equalsJsonConfig() throws IOException {
    ChannelRegistry fromMap =
        ChannelRegistry.builder()
            .register(new Named("webhook"))
            .register(new Named("jsonl"))
            .routes(
                Map.of(
                    "actionTypes",
                    Map.of("send_email", "webhook"),
                    "channels",
                    Map.of("sms", "jsonl"),
                    "default",
                    "jsonl"))
            .build();
    ChannelRegistry fromJson =
        ChannelRegistry.builder()
            .register(new Named("webhook"))
            .register(new Named("jsonl"))
            .routes(
                JSON.readTree(
                    """
            {"actionTypes": {"send_email": "webhook"}, "channels": {"sms": "jsonl"},
             "default": "jsonl"}"""))
            .build();

    assertThat(fromMap.actionTypeRoutes()).isEqualTo(fromJson.actionTypeRoutes());
    assertThat(fromMap.channelRoutes()).isEqualTo(fromJson.channelRoutes());
    assertThat(fromMap.fallback()).isEqualTo(fromJson.fallback());
  }

  @Test
  void routes_laterConfig_replacesSameKeysAndNullDefaultRemovesIt() throws IOException {
    ChannelRegistry registry =
        ChannelRegistry.builder()
            .register(new Named("webhook"))
            .register(new Named("jsonl"))
            .routes(
                JSON.readTree(
                    "{\"actionTypes\": {\"send_email\": \"webhook\"}, "
                        + "\"default\": \"jsonl\"}"))
            .routes(
                JSON.readTree(
                    "{\"actionTypes\": {\"send_email\": \"jsonl\"}, " + "\"default\": null}"))
            .build();

    assertThat(registry.actionTypeRoutes()).containsExactly(Map.entry("send_email", "jsonl"));
    assertThat(registry.fallback()).isEmpty();
  }

  @Test
  void routes_malformedConfig_listsEveryProblemByPointer() throws IOException {
    JsonNode config =
        JSON.readTree(
            """
        {"actionTypes": ["send_email"],
         "channels": {"sms": 3, "push": " ", "": "jsonl", "a/b": {}},
         "default": 5,
         "fallback": "jsonl"}""");

    assertThatThrownBy(() -> ChannelRegistry.builder().routes(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid channel routes: "
                + "/actionTypes: must be an object of names to channel names but was an array; "
                + "/channels/sms: must be a channel name but was a number; "
                + "/channels/push: must be a channel name but was a blank string; "
                + "/channels/: the name must not be blank; "
                + "/channels/a~1b: must be a channel name but was an object; "
                + "/default: must be a channel name or null but was a number; "
                + "/fallback: unknown member; expected actionTypes, channels or default");
  }

  @Test
  void routes_notAnObject_isRejected() throws IOException {
    assertThatThrownBy(() -> ChannelRegistry.builder().routes(JSON.readTree("[]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid channel routes: /: must be an object with actionTypes, channels "
                + "and default but was an array");
  }

  @Test
  void routes_malformedConfig_leavesBuilderUnchanged() throws IOException {
    ChannelRegistry.Builder builder =
        ChannelRegistry.builder()
            .register(new Named("jsonl"))
            .routeActionType("send_email", "jsonl");
    JsonNode bad = JSON.readTree("{\"actionTypes\": {\"send_sms\": \"jsonl\"}, \"default\": 1}");

    assertThatThrownBy(() -> builder.routes(bad)).isInstanceOf(IllegalArgumentException.class);
    assertThat(builder.build().actionTypeRoutes())
        .containsExactly(Map.entry("send_email", "jsonl"));
  }

  @Test
  void build_routesToUnregisteredChannels_failNamingEachRouteAndTheRegisteredChannels() {
    ChannelRegistry.Builder builder =
        ChannelRegistry.builder()
            .register(new Named("webhook"))
            .register(new Named("jsonl"))
            .routes(
                Map.of(
                    "actionTypes",
                    Map.of("send_email", "smtp"),
                    "channels",
                    Map.of("sms", "twilio"),
                    "default",
                    "file"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "channel routes name unregistered channels: action-type route 'send_email' "
                + "-> 'smtp', channel route 'sms' -> 'twilio', default -> 'file'; registered "
                + "channels: [jsonl, webhook]");
  }

  @Test
  void register_duplicateName_isRejected() {
    ChannelRegistry.Builder builder = ChannelRegistry.builder().register(new Named("jsonl"));

    assertThatThrownBy(() -> builder.register(new Named("jsonl")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a channel named 'jsonl' is already registered; channel names must be "
                + "unique, registered channels: [jsonl]");
  }

  @Test
  void register_blankNameOrNoChannels_isRejected() {
    assertThatThrownBy(() -> ChannelRegistry.builder().register(new Named(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("channel name must not be blank");
    assertThatThrownBy(() -> ChannelRegistry.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a channel registry needs at least one channel; call register(channel)");
    assertThatThrownBy(() -> ChannelRegistry.builder().routeActionType("", "jsonl"))
        .hasMessage("actionType must not be blank");
  }

  @Test
  void channels_andChannel_exposeRegistrationsInOrder() {
    Named b = new Named("b");
    Named a = new Named("a");
    ChannelRegistry registry = ChannelRegistry.builder().register(b).register(a).build();

    assertThat(registry.channels()).containsExactly(b, a);
    assertThat(registry.channel("a")).containsSame(a);
    assertThat(registry.channel("c")).isEmpty();
    assertThat(registry.toString())
        .isEqualTo(
            "ChannelRegistry[channels=[b, a], "
                + "actionTypeRoutes={}, channelRoutes={}, default=null]");
  }

  @Test
  void close_closesEveryChannelOnceCollectingFailures() {
    Named first = new Named("first", true);
    Named second = new Named("second");
    Named third = new Named("third", true);
    ChannelRegistry registry =
        ChannelRegistry.builder().register(first).register(second).register(third).build();

    AgentException e = catchThrowableOfType(AgentException.class, registry::close);
    registry.close();

    assertThat(e.getMessage()).isEqualTo("could not close 2 of 3 channels: [first, third]");
    assertThat(e.getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("first would not close", "third would not close");
    assertThat(List.of(first, second, third)).allSatisfy(c -> assertThat(c.closes).hasValue(1));
  }

  @Test
  void resolve_seedActionTypes_routeByConfiguration() throws IOException {
    Map<String, Channel> policy = DecisionPolicy.ofDefaults().channels();
    Set<String> campaignTypes = campaignActionTypes();
    assertThat(policy).containsKeys(campaignTypes.toArray(String[]::new));
    JsonNode config =
        JSON.readTree(
            """
        {"actionTypes": {"send_email": "webhook", "create_discount": "jsonl",
                         "create_ticket": "crm", "trigger_service_followup": "crm"},
         "channels": {"sms": "sms-gateway", "in_app": "webhook", "recommendation": "jsonl",
                      "discount": "jsonl", "email": "webhook", "push": "webhook",
                      "phone": "crm", "ticket": "crm"}}""");
    ChannelRegistry registry =
        ChannelRegistry.builder()
            .register(new Named("webhook"))
            .register(new Named("jsonl"))
            .register(new Named("sms-gateway"))
            .register(new Named("crm"))
            .routes(config)
            .build();

    Map<String, String> seed = new LinkedHashMap<>();
    seed.put("send_email", "webhook");
    seed.put("send_sms", "sms-gateway");
    seed.put("create_discount", "jsonl");
    seed.put("send_in_app_message", "webhook");
    seed.put("update_recommendation", "jsonl");
    seed.put("trigger_service_followup", "crm");
    seed.put("create_ticket", "crm");
    List<String> routed = new ArrayList<>();
    seed.forEach(
        (type, expected) -> {
          Channel decision = Objects.requireNonNull(policy.get(type), type);
          routed.add(type + "=" + nameFor(registry, type, decision.id()));
        });
    assertThat(routed)
        .containsExactly(
            "send_email=webhook",
            "send_sms=sms-gateway",
            "create_discount=jsonl",
            "send_in_app_message=webhook",
            "update_recommendation=jsonl",
            "trigger_service_followup=crm",
            "create_ticket=crm");
    policy.forEach(
        (type, decision) -> assertThat(registry.resolve(type, decision.id())).as(type).isNotNull());
    for (String type : campaignTypes) {
      assertThat(registry.resolve(type, policy.get(type).id())).as(type).isNotNull();
    }
  }

  @Test
  void resolve_seedActionTypes_withOnlyTheDefault_allGoToIt() throws IOException {
    ChannelRegistry registry =
        ChannelRegistry.builder()
            .register(new Named("jsonl"))
            .routes(JSON.readTree("{\"default\": \"jsonl\"}"))
            .build();

    DecisionPolicy.ofDefaults()
        .channels()
        .forEach(
            (type, decision) ->
                assertThat(nameFor(registry, type, decision.id())).as(type).isEqualTo("jsonl"));
  }

  private Set<String> campaignActionTypes() throws IOException {
    JsonNode rules;
    try (InputStream in =
        Objects.requireNonNull(
            getClass()
                .getClassLoader()
                .getResourceAsStream("dev/opagent/rules/default-campaigns.json"))) {
      rules = JSON.readTree(in);
    }
    Set<String> types = new LinkedHashSet<>();
    for (JsonNode rule : rules.get("rules")) {
      for (JsonNode action : rule.get("actions")) {
        types.add(action.get("type").asText());
      }
    }
    assertThat(types).isNotEmpty();
    return types;
  }
}
