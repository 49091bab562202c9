package dev.opagent.flink;

import dev.opagent.agent.event.CustomerDirectory;
import dev.opagent.agent.event.InMemoryCustomerDirectory;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.flink.internal.CustomersFile;
import dev.opagent.flink.internal.EventTimeClock;
import dev.opagent.flink.internal.Shared;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.store.OperatingStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The event job's loop in one process: an {@link EventProcessor} wired from an {@link
 * EventJobConfig} exactly as the job's operators wire theirs — the same rules, policy, operating
 * store, channels, consents and segment agent — for replays without a cluster, for hosts that take
 * events from a webhook, and to check the job against. In {@link
 * EventJobConfig.ClockMode#EVENT_TIME} its clock stands still until {@link #advanceTo} moves it.
 * Thread-safe as {@link EventProcessor} is; {@link #advanceTo} is for one replaying thread.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.open(config)) {
 *   for (CustomerEvent event : events) {
 *     loop.advanceTo(event.at());
 *     loop.processor().deliverDue();      // what fell due before the event
 *     loop.processor().accept(event);
 *   }
 * }
 * }</pre>
 */
public final class EventLoop implements AutoCloseable {
  private final Clock clock;
  private final @Nullable EventTimeClock eventTime;
  private final Shared.Lease<OperatingStore> store;
  private final SegmentClient segments;
  private final OperationAgent agent;
  private final EventProcessor processor;

  private EventLoop(EventJobConfig config, CustomerDirectory customers, boolean asksAgent) {
    if (config.clock() == EventJobConfig.ClockMode.EVENT_TIME) {
      this.eventTime = new EventTimeClock(Instant.EPOCH);
      this.clock = eventTime;
    } else {
      this.eventTime = null;
      this.clock = Clock.systemUTC();
    }
    this.store = Wiring.store(config);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      this.segments =
          asksAgent ? Wiring.segmentClient(config, clock, 1) : Wiring.localClient(clock, true);
      opened.add(segments);
      ChannelRegistry channels = Wiring.channels(config);
      opened.add(channels);
      this.agent = Wiring.agent(config, clock, segments, store.get(), channels);
      opened.remove(channels);
      this.processor =
          EventProcessor.builder(agent)
              .customers(customers)
              .feedback(store.get().feedback())
              .build();
    } catch (RuntimeException e) {
      for (AutoCloseable c : opened) {
        closeQuietly(c, e);
      }
      closeQuietly(store, e);
      throw e;
    }
  }

  /**
   * The loop of {@code config} in this process: its customers file (if any) in memory, its segment
   * agent asked by {@link EventProcessor#accept}.
   *
   * @throws java.io.UncheckedIOException if the customers file cannot be read
   * @throws dev.opagent.store.StoreException if the store cannot be opened
   */
  public static EventLoop open(EventJobConfig config) {
    Objects.requireNonNull(config, "config");
    List<CustomerData> customers = new ArrayList<>();
    String file = config.customersFile();
    if (file != null) {
      CustomersFile read = CustomersFile.read(Path.of(file), id -> true);
      read.forEach(customers::add);
    }
    return new EventLoop(config, new InMemoryCustomerDirectory(customers), true);
  }

  /**
   * The loop of a subtask that completes prepared events: its agent is never asked to segment (the
   * segment operator did), so it holds a local client only.
   */
  static EventLoop completing(EventJobConfig config) {
    return new EventLoop(config, new InMemoryCustomerDirectory(), false);
  }

  /** The processor. */
  public EventProcessor processor() {
    return processor;
  }

  /** The clock of the processor's agent, engine and execution service. */
  public Clock clock() {
    return clock;
  }

  /** The journal the loop's actions are in: the operating store's. */
  public ExecutionJournal journal() {
    return agent.executionService().journal();
  }

  /** The agent the processor runs on. */
  OperationAgent agent() {
    return agent;
  }

  /**
   * Moves the clock to {@code at} in {@link EventJobConfig.ClockMode#EVENT_TIME}, backwards too (an
   * event out of order is decided at its own time); does nothing on the wall clock.
   */
  public void advanceTo(Instant at) {
    EventTimeClock c = eventTime;
    if (c != null) {
      c.set(at);
    }
  }

  /**
   * Closes the agent (and with it the channels) and the segment client, and releases the store,
   * which the last user in this process closes.
   */
  @Override
  public void close() {
    RuntimeException failed = null;
    try {
      agent.close();
    } catch (RuntimeException e) {
      failed = e;
    }
    try {
      segments.close();
    } catch (RuntimeException e) {
      failed = add(failed, e);
    }
    try {
      store.close();
    } catch (Exception e) {
      failed = add(failed, new IllegalStateException("could not release the store", e));
    }
    if (failed != null) {
      throw failed;
    }
  }

  private static RuntimeException add(@Nullable RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static void closeQuietly(AutoCloseable c, RuntimeException into) {
    try {
      c.close();
    } catch (Exception e) {
      into.addSuppressed(e);
    }
  }
}
