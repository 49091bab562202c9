package dev.opagent.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.event.CustomerDirectory;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.channels.WebhookChannel;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.flink.internal.ReferenceAgentTransport;
import dev.opagent.flink.internal.Shared;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the loop's parts from an {@link EventJobConfig}, the same way for every operator and for
 * {@link EventLoop} in process, so that the job and an in-process replay decide alike.
 */
final class Wiring {
  private Wiring() {}

  /**
   * The client of the configured segment agent: the AWS agent of {@link EventJobConfig#agentArn}
   * with its quota shared out among {@code subtasks}, or the reference segmenter in process, as of
   * {@code clock}'s date. In {@link EventJobConfig.ClockMode#EVENT_TIME} the reference client keeps
   * no cache, so that no answer made on one day is served on another.
   */
  static SegmentClient segmentClient(EventJobConfig config, Clock clock, int subtasks) {
    String arn = config.agentArn();
    if (arn == null) {
      return localClient(clock, config.clock() == EventJobConfig.ClockMode.EVENT_TIME);
    }
    SegmentClientBuilder b = SegmentClient.builder().agentRuntimeArn(arn);
    String region = config.agentRegion();
    if (region != null) {
      b.region(Region.of(region));
    }
    if (config.agentRequestsPerSecond() > 0) {
      b.maxRequestsPerSecond(config.agentRequestsPerSecond() / Math.max(1, subtasks));
    }
    return b.build();
  }

  /** A client of the reference segmenter in process: no network, no quota. */
  static SegmentClient localClient(Clock clock, boolean noCache) {
    SegmentClientBuilder b =
        SegmentClient.builder()
            .agentRuntimeArn(ReferenceAgentTransport.ARN)
            .transport(new ReferenceAgentTransport(clock))
            .initialRequestsPerSecond(1_000_000);
    if (noCache) {
      b.disableCache();
    }
    return b.build();
  }

  /**
   * Opens the operating store of {@code config}, shared with the other subtasks of this process.
   * Leases are judged by the database's clock on the wall clock, by the caller's (event-time) clock
   * in {@link EventJobConfig.ClockMode#EVENT_TIME}. An embedded H2 file is opened through H2's
   * {@code async:} file system: Flink interrupts a task's thread when it cancels the task, and an
   * interrupt closes the plain file channel of the database under every other subtask.
   */
  static Shared.Lease<OperatingStore> store(EventJobConfig config) {
    boolean databaseTime = config.clock() == EventJobConfig.ClockMode.SYSTEM;
    String url = interruptible(config.storeUrl());
    return Shared.acquire(
        "store|" + url + "|" + config.storeUser() + "|" + databaseTime,
        OperatingStore.class,
        () -> {
          createParent(url);
          String password = System.getenv(EventJobConfig.STORE_PASSWORD_ENV);
          return OperatingStore.builder()
              .url(url, config.storeUser(), password == null ? "" : password)
              .databaseTime(databaseTime)
              .build();
        });
  }

  /** An embedded H2 file's URL on H2's {@code async:} file system, which interrupts leave open. */
  static String interruptible(String url) {
    return url.startsWith(H2_FILE) ? H2_ASYNC + url.substring(H2_FILE.length()) : url;
  }

  private static final String H2_FILE = "jdbc:h2:file:";
  private static final String H2_ASYNC = "jdbc:h2:async:";

  private static void createParent(String url) {
    if (!url.startsWith(H2_ASYNC)) {
      return;
    }
    Path dir = Path.of(url.substring(H2_ASYNC.length()).split(";", 2)[0]).toAbsolutePath();
    try {
      if (dir.getParent() != null) {
        Files.createDirectories(dir.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the store's directory", e);
    }
  }

  /**
   * The channels of {@code config}, the first the default; a JSON-lines file is shared with the
   * other subtasks of this process, and closing the registry releases this use of it.
   */
  static ChannelRegistry channels(EventJobConfig config) {
    ChannelRegistry.Builder b = ChannelRegistry.builder();
    List<ActionChannel> opened = new ArrayList<>();
    try {
      String first = null;
      for (String spec : config.channels()) {
        ActionChannel c = channel(spec);
        opened.add(c);
        b.register(c);
        if (first == null) {
          first = c.name();
        }
      }
      if (first != null) {
        b.fallback(first);
      }
      return b.build();
    } catch (RuntimeException e) {
      for (ActionChannel c : opened) {
        try {
          c.close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  private static ActionChannel channel(String spec) {
    if (spec.equals("log")) {
      return LoggingChannel.ofDefaults();
    }
    if (spec.startsWith("jsonl:")) {
      Path file = Path.of(spec.substring("jsonl:".length())).toAbsolutePath().normalize();
      return new SharedChannel(
          Shared.acquire(
              "jsonl|" + file,
              JsonLinesChannel.class,
              () -> {
                try {
                  if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException("could not create the channel's directory", e);
                }
                return JsonLinesChannel.open(file);
              }));
    }
    String secret = System.getenv(EventJobConfig.WEBHOOK_SECRET_ENV);
    if (secret == null || secret.isEmpty()) {
      throw new IllegalStateException(
          "a webhook channel needs its signing secret in $" + EventJobConfig.WEBHOOK_SECRET_ENV);
    }
    URI url = URI.create(spec.substring("webhook:".length()));
    WebhookChannel.Builder w = WebhookChannel.builder().endpoint(url).secret(secret);
    String host = url.getHost();
    if ("http".equals(url.getScheme())
        && ("localhost".equals(host) || (host != null && host.startsWith("127.")))) {
      w.allowInsecureHttp();
    }
    return w.build();
  }

  /**
   * The agent of one subtask or of an in-process loop: the configured rules and policy, decisions
   * against the shared operating store, its journal as the ledger, the channels, daily idempotency
   * keys in the policy's operating zone, and consent from each customer's {@code consent} array or
   * the configured defaults.
   */
  static OperationAgent agent(
      EventJobConfig config,
      Clock clock,
      SegmentClient segments,
      OperatingStore store,
      ChannelRegistry channels) {
    DecisionPolicy policy = config.policy();
    Set<Channel> defaults = channelsOf(config.consents());
    return OperationAgent.builder()
        .segmentClient(segments)
        .rules(config.ruleSet())
        .clock(clock)
        .decisionEngine(e -> e.policy(policy).approvalGate(store.approvalGate(clock)))
        .executionService(
            s ->
                s.journal(store.journal())
                    .journalIsLedger(true)
                    .channels(channels)
                    .keys(IdempotencyKeys.daily(policy.operatingZone())))
        .operatingState(store.operatingState())
        .context(
            (data, analysis, context) -> {
              JsonNode own = data.extra().get("consent");
              if (own != null && own.isArray()) {
                List<String> ids = new ArrayList<>();
                own.forEach(n -> ids.add(n.asText()));
                context.consents(channelsOf(ids));
              } else {
                context.consents(defaults);
              }
            })
        .build();
  }

  /**
   * An event processor that only prepares: the configured rules over {@code customers}, on an agent
   * that journals in memory and delivers nowhere, for the operator that calls {@link
   * EventProcessor#prepare} (which reads the rules and the customer directory alone).
   */
  static Preparer preparer(EventJobConfig config, CustomerDirectory customers) {
    SegmentClient client = localClient(Clock.systemUTC(), true);
    OperationAgent agent =
        OperationAgent.builder()
            .segmentClient(client)
            .rules(config.ruleSet())
            .executionService(
                s ->
                    s.channels(
                        ChannelRegistry.builder()
                            .register(LoggingChannel.ofDefaults())
                            .fallback(LoggingChannel.ofDefaults().name())
                            .build()))
            .build();
    return new Preparer(EventProcessor.builder(agent).customers(customers).build(), agent, client);
  }

  /** A preparing processor and what it holds. */
  record Preparer(EventProcessor processor, OperationAgent agent, SegmentClient client)
      implements AutoCloseable {
    @Override
    public void close() {
      agent.close();
      client.close();
    }
  }

  private static Set<Channel> channelsOf(List<String> ids) {
    Set<Channel> out = new LinkedHashSet<>();
    for (String id : ids) {
      String s = id.trim().toLowerCase(java.util.Locale.ROOT);
      if (!s.isEmpty()) {
        out.add(Channel.contact(s));
      }
    }
    return out;
  }

  /**
   * A JSON-lines channel that the subtasks of a process share: closing it releases this subtask's
   * use, and the last use closes the file.
   */
  private static final class SharedChannel implements ActionChannel {
    private final Shared.Lease<JsonLinesChannel> lease;
    private final JsonLinesChannel channel;

    SharedChannel(Shared.Lease<JsonLinesChannel> lease) {
      this.lease = lease;
      this.channel = lease.get();
    }

    @Override
    public String name() {
      return channel.name();
    }

    @Override
    public DeliveryReceipt deliver(ActionRequest request) {
      return channel.deliver(request);
    }

    @Override
    public boolean deduplicatesByKey() {
      return channel.deduplicatesByKey();
    }

    @Override
    public void close() {
      try {
        lease.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close the shared JSON-lines channel", e);
      }
    }
  }
}
