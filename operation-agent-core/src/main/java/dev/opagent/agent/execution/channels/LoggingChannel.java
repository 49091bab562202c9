package dev.opagent.agent.execution.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.internal.Json;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dry-run channel: logs one {@code INFO} line per action and delivers nothing. Thread-safe.
 *
 * <p>The line names the idempotency key, campaign, action type and decision channel. The customer
 * id and the action's parameters are personal data and are logged only when the channel is built
 * with {@link Builder#logPayload(boolean) logPayload(true)}, for local debugging. Every call
 * returns a fresh {@link DeliveryReceipt#delivered delivered} receipt (external id {@code
 * dry-run-<n>}); the channel does not deduplicate.
 *
 * <pre>{@code
 * ChannelRegistry dryRun = ChannelRegistry.builder()
 *     .register(LoggingChannel.ofDefaults())
 *     .fallback("log")
 *     .build();
 * }</pre>
 */
public final class LoggingChannel implements ActionChannel {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  private final String name;
  private final boolean logPayload;
  private final Logger logger;
  private final Clock clock;
  private final AtomicLong deliveries = new AtomicLong();

  private LoggingChannel(Builder b) {
    this.name = b.name;
    this.logPayload = b.logPayload;
    this.logger = b.logger;
    this.clock = b.clock;
  }

  /** Named {@code log}, without payload, logging to this class's logger. */
  public static LoggingChannel ofDefaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** Logs {@code request} and returns a delivered receipt. */
  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    long n = deliveries.incrementAndGet();
    if (logPayload) {
      logger.info(
          "dry run via {}: key={} campaign={} actionType={} channel={} customer={} "
              + "parameters={}",
          name,
          request.idempotencyKey(),
          request.campaign(),
          request.actionType(),
          request.channel(),
          request.customerId(),
          json(request));
    } else {
      logger.info(
          "dry run via {}: key={} campaign={} actionType={} channel={}",
          name,
          request.idempotencyKey(),
          request.campaign(),
          request.actionType(),
          request.channel());
    }
    return DeliveryReceipt.delivered(request, name, "dry-run-" + n, clock.instant());
  }

  /** How many actions this channel has logged. */
  public long deliveries() {
    return deliveries.get();
  }

  /** The name and whether the payload is logged. */
  @Override
  public String toString() {
    return "LoggingChannel[name=" + name + ", logPayload=" + logPayload + "]";
  }

  private static String json(ActionRequest request) {
    try {
      return MAPPER.writeValueAsString(request.parameters());
    } catch (JsonProcessingException e) {
      return "<parameters are not JSON values>";
    }
  }

  /** Builds a {@link LoggingChannel}. Not thread-safe. */
  public static final class Builder {
    private String name = "log";
    private boolean logPayload;
    private Logger logger = LoggerFactory.getLogger(LoggingChannel.class);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The channel's name in routes and receipts. Default: {@code log}. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Whether to log the customer id and the parameters too. They are personal data: turn this on
     * only for local debugging. Default: false.
     */
    public Builder logPayload(boolean logPayload) {
      this.logPayload = logPayload;
      return this;
    }

    /**
     * The logger to write to, for a category of its own. Default: the logger of {@code
     * LoggingChannel}.
     */
    public Builder logger(Logger logger) {
      this.logger = Objects.requireNonNull(logger, "logger");
      return this;
    }

    /** The clock for receipts. Default: UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The channel. */
    public LoggingChannel build() {
      return new LoggingChannel(this);
    }
  }
}
