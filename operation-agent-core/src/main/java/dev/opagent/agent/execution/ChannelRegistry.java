package dev.opagent.agent.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.AgentException;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Finds the {@link ActionChannel} that delivers an action. Immutable once built and thread-safe;
 * {@link #resolve} is a few map look-ups.
 *
 * <p>An action is routed by the first of these that applies:
 *
 * <ol>
 *   <li>a route of its action type ({@link Builder#routeActionType}), such as {@code send_email →
 *       webhook};
 *   <li>a route of its decision channel ({@link Builder#routeChannel}), the {@link
 *       dev.opagent.agent.Channel} id the decision chose, such as {@code sms → jsonl};
 *   <li>a channel registered under the decision channel's id (a channel named {@code email}
 *       delivers every e-mail action);
 *   <li>the {@link Builder#fallback default} channel.
 * </ol>
 *
 * When none applies, {@link #resolve} throws {@link UnknownChannelException} listing what it tried.
 * Routes that name no registered channel fail at {@link Builder#build()}.
 *
 * <pre>{@code
 * ChannelRegistry channels = ChannelRegistry.builder()
 *     .register(WebhookChannel.builder().endpoint("https://hooks.example.com/opagent")
 *         .secret(System.getenv("OPAGENT_WEBHOOK_SECRET")).build())
 *     .register(JsonLinesChannel.open(Path.of("actions.jsonl")))
 *     .routes(Map.of(
 *         "actionTypes", Map.of("send_email", "webhook"),
 *         "channels", Map.of("sms", "jsonl"),
 *         "default", "jsonl"))
 *     .build();
 * ActionChannel channel = channels.resolve(request);
 * }</pre>
 *
 * <p>The registry owns the channels registered in it: {@link #close()} closes each of them.
 */
public final class ChannelRegistry implements AutoCloseable {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  private final Map<String, ActionChannel> channels;
  private final Map<String, String> actionTypeRoutes;
  private final Map<String, String> channelRoutes;
  private final @Nullable String fallbackName;
  private final Map<String, ActionChannel> byActionType;
  private final Map<String, ActionChannel> byDecisionChannel;
  private final @Nullable ActionChannel fallback;
  private final List<String> sortedNames;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChannelRegistry(Builder b) {
    this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(b.channels));
    this.actionTypeRoutes = Collections.unmodifiableMap(new LinkedHashMap<>(b.actionTypeRoutes));
    this.channelRoutes = Collections.unmodifiableMap(new LinkedHashMap<>(b.channelRoutes));
    this.fallbackName = b.fallback;
    this.byActionType = resolved(actionTypeRoutes, channels);
    this.byDecisionChannel = resolved(channelRoutes, channels);
    this.fallback = fallbackName == null ? null : channels.get(fallbackName);
    this.sortedNames = channels.keySet().stream().sorted().toList();
  }

  private static Map<String, ActionChannel> resolved(
      Map<String, String> routes, Map<String, ActionChannel> channels) {
    Map<String, ActionChannel> m = new LinkedHashMap<>();
    routes.forEach((from, to) -> m.put(from, channels.get(to)));
    return Map.copyOf(m);
  }

  /** A builder with no channels and no routes. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The channel for {@code request}: its action-type route, its decision-channel route, the channel
   * named like its decision channel, or the default, in that order.
   *
   * @throws UnknownChannelException when none applies; the message lists what was tried
   */
  public ActionChannel resolve(ActionRequest request) {
    return resolve(request.actionType(), request.channel());
  }

  /**
   * The channel for an action of {@code actionType} on decision channel {@code decisionChannelId}
   * (such as {@code send_sms} on {@code sms}), found as {@link #resolve(ActionRequest)} does.
   * Useful to check at start-up that every action type a policy can choose has a channel.
   *
   * @throws UnknownChannelException when none applies; the message lists what was tried
   */
  public ActionChannel resolve(String actionType, String decisionChannelId) {
    ActionChannel c = byActionType.get(actionType);
    if (c == null) {
      c = byDecisionChannel.get(decisionChannelId);
    }
    if (c == null) {
      c = channels.get(decisionChannelId);
    }
    if (c == null) {
      c = fallback;
    }
    if (c == null) {
      throw new UnknownChannelException(actionType, decisionChannelId, sortedNames);
    }
    return c;
  }

  /** Every registered channel, in the order of registration. */
  public List<ActionChannel> channels() {
    return List.copyOf(channels.values());
  }

  /** The channel registered under {@code name}, if any. */
  public Optional<ActionChannel> channel(String name) {
    return Optional.ofNullable(channels.get(name));
  }

  /** The action-type routes: action type to channel name. */
  public Map<String, String> actionTypeRoutes() {
    return actionTypeRoutes;
  }

  /** The decision-channel routes: decision channel id to channel name. */
  public Map<String, String> channelRoutes() {
    return channelRoutes;
  }

  /** The name of the default channel, if there is one. */
  public Optional<String> fallback() {
    return Optional.ofNullable(fallbackName);
  }

  /**
   * Closes every registered channel once, in the order of registration, even when some of them fail
   * to close. Later calls do nothing.
   *
   * @throws AgentException naming the channels that failed to close, each failure attached as a
   *     suppressed exception
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<String> failedNames = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    for (Map.Entry<String, ActionChannel> e : channels.entrySet()) {
      try {
        e.getValue().close();
      } catch (Exception ex) {
        failedNames.add(e.getKey());
        failures.add(ex);
      }
    }
    if (!failures.isEmpty()) {
      AgentException ex =
          new AgentException(
              "could not close "
                  + failures.size()
                  + " of "
                  + channels.size()
                  + " channels: "
                  + failedNames);
      failures.forEach(ex::addSuppressed);
      throw ex;
    }
  }

  @Override
  public String toString() {
    return "ChannelRegistry[channels="
        + channels.keySet()
        + ", actionTypeRoutes="
        + actionTypeRoutes
        + ", channelRoutes="
        + channelRoutes
        + ", default="
        + fallbackName
        + "]";
  }

  /**
   * Builds a {@link ChannelRegistry}. Not thread-safe; {@link #build()} copies what it was given,
   * so a builder can be reused.
   */
  public static final class Builder {
    private final Map<String, ActionChannel> channels = new LinkedHashMap<>();
    private final Map<String, String> actionTypeRoutes = new LinkedHashMap<>();
    private final Map<String, String> channelRoutes = new LinkedHashMap<>();
    private @Nullable String fallback;

    private Builder() {}

    /**
     * Registers {@code channel} under its {@link ActionChannel#name() name}. A channel whose name
     * equals a decision channel id (such as {@code email}) receives that channel's actions without
     * a route.
     *
     * @throws IllegalArgumentException when a channel of that name is already registered or the
     *     name is blank
     */
    public Builder register(ActionChannel channel) {
      Objects.requireNonNull(channel, "channel");
      String name = channel.name();
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "channel name must not be blank but was '"
                + name
                + "' for "
                + channel.getClass().getName());
      }
      if (channels.containsKey(name)) {
        throw new IllegalArgumentException(
            "a channel named '"
                + name
                + "' is already registered; channel names must be unique, registered channels: "
                + channels.keySet());
      }
      channels.put(name, channel);
      return this;
    }

    /**
     * Sends every action of {@code actionType} (such as {@code send_email}) to the channel named
     * {@code channelName}; this route wins over every other. A later route of the same action type
     * replaces an earlier one.
     */
    public Builder routeActionType(String actionType, String channelName) {
      actionTypeRoutes.put(
          requireText(actionType, "actionType"), requireText(channelName, "channelName"));
      return this;
    }

    /**
     * Sends every action whose decision chose the channel id {@code decisionChannelId} (a {@link
     * dev.opagent.agent.Channel} id such as {@code sms} or {@code discount}) to the channel named
     * {@code channelName}, unless its action type has a route. A later route of the same id
     * replaces an earlier one.
     */
    public Builder routeChannel(String decisionChannelId, String channelName) {
      channelRoutes.put(
          requireText(decisionChannelId, "decisionChannelId"),
          requireText(channelName, "channelName"));
      return this;
    }

    /** The channel for actions nothing else routes. Default: none, so they fail to resolve. */
    public Builder fallback(String channelName) {
      this.fallback = requireText(channelName, "channelName");
      return this;
    }

    /**
     * Adds the routes of a configuration object:
     *
     * <pre>{@code
     * {"actionTypes": {"send_email": "webhook", "create_discount": "jsonl"},
     *  "channels": {"sms": "jsonl"},
     *  "default": "jsonl"}
     * }</pre>
     *
     * Every member is optional; {@code "default": null} removes the default. Routes are added to
     * those set before, replacing routes of the same key.
     *
     * @throws IllegalArgumentException listing every malformed member by its JSON pointer
     */
    public Builder routes(JsonNode config) {
      Objects.requireNonNull(config, "config");
      List<String> problems = new ArrayList<>();
      Map<String, String> types = new LinkedHashMap<>();
      Map<String, String> ids = new LinkedHashMap<>();
      boolean defaultGiven = false;
      @Nullable String defaultName = null;
      if (!config.isObject()) {
        problems.add(
            "/: must be an object with actionTypes, channels and default but was " + kind(config));
      } else {
        for (Map.Entry<String, JsonNode> e : config.properties()) {
          switch (e.getKey()) {
            case "actionTypes" -> readRoutes(e.getValue(), "/actionTypes", types, problems);
            case "channels" -> readRoutes(e.getValue(), "/channels", ids, problems);
            case "default" -> {
              defaultGiven = true;
              JsonNode v = e.getValue();
              if (v.isTextual() && !v.asText().isBlank()) {
                defaultName = v.asText();
              } else if (!v.isNull()) {
                problems.add("/default: must be a channel name or null but was " + kind(v));
              }
            }
            default ->
                problems.add(
                    "/"
                        + escape(e.getKey())
                        + ": unknown member; expected actionTypes, channels or default");
          }
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid channel routes: " + String.join("; ", problems));
      }
      actionTypeRoutes.putAll(types);
      channelRoutes.putAll(ids);
      if (defaultGiven) {
        fallback = defaultName;
      }
      return this;
    }

    /**
     * Adds the routes of a configuration given as maps, shaped as in {@link #routes(JsonNode)}, for
     * example {@code Map.of("channels", Map.of("sms", "jsonl"), "default", "jsonl")}.
     *
     * @throws IllegalArgumentException listing every malformed member
     */
    public Builder routes(Map<String, ?> config) {
      Objects.requireNonNull(config, "config");
      JsonNode tree;
      try {
        tree = MAPPER.valueToTree(config);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid channel routes: not JSON-like values", e);
      }
      return routes(tree);
    }

    /**
     * The registry.
     *
     * @throws IllegalArgumentException when no channel is registered, or a route or the default
     *     names a channel that is not registered (every such route is listed)
     */
    public ChannelRegistry build() {
      if (channels.isEmpty()) {
        throw new IllegalArgumentException(
            "a channel registry needs at least one channel; call register(channel)");
      }
      List<String> unknown = new ArrayList<>();
      actionTypeRoutes.forEach(
          (type, name) -> {
            if (!channels.containsKey(name)) {
              unknown.add("action-type route '" + type + "' -> '" + name + "'");
            }
          });
      channelRoutes.forEach(
          (id, name) -> {
            if (!channels.containsKey(name)) {
              unknown.add("channel route '" + id + "' -> '" + name + "'");
            }
          });
      if (fallback != null && !channels.containsKey(fallback)) {
        unknown.add("default -> '" + fallback + "'");
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "channel routes name unregistered channels: "
                + String.join(", ", unknown)
                + "; registered channels: "
                + channels.keySet().stream().sorted().toList());
      }
      return new ChannelRegistry(this);
    }

    private static void readRoutes(
        JsonNode node, String pointer, Map<String, String> into, List<String> problems) {
      if (!node.isObject()) {
        problems.add(
            pointer + ": must be an object of names to channel names but was " + kind(node));
        return;
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String where = pointer + "/" + escape(e.getKey());
        if (e.getKey().isBlank()) {
          problems.add(where + ": the name must not be blank");
        } else if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          problems.add(where + ": must be a channel name but was " + kind(e.getValue()));
        } else {
          into.put(e.getKey(), e.getValue().asText());
        }
      }
    }

    private static String kind(JsonNode n) {
      return switch (n.getNodeType()) {
        case STRING -> "a blank string";
        case OBJECT -> "an object";
        case ARRAY -> "an array";
        case NUMBER -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "null";
        default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
      };
    }

    private static String escape(String key) {
      return key.replace("~", "~0").replace("/", "~1");
    }

    private static String requireText(@Nullable String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }
}
