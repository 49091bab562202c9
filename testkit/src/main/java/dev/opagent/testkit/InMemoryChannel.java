package dev.opagent.testkit;

import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ActionChannel} that keeps deliveries in memory, for host tests and benchmarks.
 * Thread-safe: deliveries from many threads are recorded in the order they were accepted.
 *
 * <p>It deduplicates by idempotency key unless built with {@code deduplicatesByKey(false)} (to show
 * what a double delivery looks like), can fail on script ({@link #failNext}, {@link
 * #failNextPermanently}, {@link #failNextWithRetryAfter}, {@link #failKey}) and can take a fixed
 * time per delivery ({@link Builder#latency}) without holding its lock, so concurrent deliveries
 * overlap as they would on a network.
 *
 * <pre>{@code
 * InMemoryChannel email = InMemoryChannel.builder().name("email").build();
 * email.failNextWithRetryAfter(2, Duration.ofSeconds(1));  // two 429-like failures first
 * // ... run the executor ...
 * assertThat(email.count(key)).isEqualTo(1);
 * assertThat(email.attempts()).isEqualTo(3);
 * }</pre>
 */
public final class InMemoryChannel implements ActionChannel {
  private final String name;
  private final boolean deduplicatesByKey;
  private final long latencyNanos;
  private final Clock clock;

  private final List<ActionRequest> deliveries = new ArrayList<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, String> firstIds = new HashMap<>();
  private final Set<String> keys = new LinkedHashSet<>();
  private final Deque<Failure> script = new ArrayDeque<>();
  private final Map<String, Boolean> keyFailures = new HashMap<>();
  private long attempts;
  private long sequence;
  private volatile boolean closed;

  private record Failure(boolean retryable, @Nullable Duration retryAfter) {}

  private InMemoryChannel(Builder b) {
    this.name = b.name;
    this.deduplicatesByKey = b.deduplicatesByKey;
    this.latencyNanos = b.latency.toNanos();
    this.clock = b.clock;
  }

  /** Named {@code memory}, deduplicating by key, without latency. */
  public static InMemoryChannel create() {
    return builder().build();
  }

  /** A builder starting from the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean deduplicatesByKey() {
    return deduplicatesByKey;
  }

  /**
   * Waits the configured latency, then fails as scripted (a failure of the key first, then the next
   * scripted failure), returns a duplicate receipt for a key already delivered (when
   * deduplicating), or records the delivery. Every call counts as an {@link #attempts() attempt}.
   *
   * @throws ChannelException as scripted
   * @throws IllegalStateException when the channel is closed
   */
  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new IllegalStateException("channel '" + name + "' is closed");
    }
    pause();
    String key = request.idempotencyKey();
    synchronized (this) {
      attempts++;
      Boolean keyRetryable = keyFailures.get(key);
      if (keyRetryable != null) {
        throw keyRetryable
            ? ChannelException.retryable(name, "scripted retryable failure of key " + key, null)
            : ChannelException.permanent(name, "scripted permanent failure of key " + key);
      }
      Failure next = script.poll();
      if (next != null) {
        throw next.retryable()
            ? ChannelException.retryable(name, "scripted retryable failure", next.retryAfter())
            : ChannelException.permanent(name, "scripted permanent failure");
      }
      if (deduplicatesByKey && counts.containsKey(key)) {
        String firstId = Objects.requireNonNull(firstIds.get(key), "recorded with the key's count");
        return DeliveryReceipt.duplicate(request, name, firstId, clock.instant());
      }
      sequence++;
      String externalId = name + "-" + sequence;
      deliveries.add(request);
      counts.merge(key, 1, Integer::sum);
      firstIds.putIfAbsent(key, externalId);
      keys.add(key);
      return DeliveryReceipt.delivered(request, name, externalId, clock.instant());
    }
  }

  /** The next {@code n} deliveries fail with a retryable error and no retry-after. */
  public synchronized InMemoryChannel failNext(int n) {
    return script(n, new Failure(true, null));
  }

  /** The next {@code n} deliveries fail permanently. */
  public synchronized InMemoryChannel failNextPermanently(int n) {
    return script(n, new Failure(false, null));
  }

  /** The next {@code n} deliveries fail with a retryable error asking to wait {@code wait}. */
  public synchronized InMemoryChannel failNextWithRetryAfter(int n, Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative but was " + wait);
    }
    return script(n, new Failure(true, wait));
  }

  /**
   * Every delivery of {@code key} fails, retryably or not, until {@link #reset()}. Scripted
   * failures of a key come before those of {@link #failNext}, which they do not consume.
   */
  public synchronized InMemoryChannel failKey(String key, boolean retryable) {
    keyFailures.put(Objects.requireNonNull(key, "key"), retryable);
    return this;
  }

  /** The accepted deliveries in order (duplicates and failures excluded); a copy. */
  public synchronized List<ActionRequest> deliveries() {
    return List.copyOf(deliveries);
  }

  /** How many times {@code key} was delivered: at most 1 while deduplicating. */
  public synchronized int count(String key) {
    return counts.getOrDefault(key, 0);
  }

  /** The keys delivered, in the order of their first delivery; a copy. */
  public synchronized Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(keys));
  }

  /** How many deliveries were accepted: the size of {@link #deliveries()}. */
  public synchronized int size() {
    return deliveries.size();
  }

  /** How many times {@link #deliver} was called, counting failures and duplicates. */
  public synchronized long attempts() {
    return attempts;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Forgets every delivery, attempt and scripted failure. Does not reopen a closed channel. */
  public synchronized void reset() {
    deliveries.clear();
    counts.clear();
    firstIds.clear();
    keys.clear();
    script.clear();
    keyFailures.clear();
    attempts = 0;
    sequence = 0;
  }

  /** Refuses later deliveries; what was recorded stays readable. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public synchronized String toString() {
    return "InMemoryChannel[name="
        + name
        + ", deduplicatesByKey="
        + deduplicatesByKey
        + ", deliveries="
        + deliveries.size()
        + "]";
  }

  private InMemoryChannel script(int n, Failure failure) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative but was " + n);
    }
    for (int i = 0; i < n; i++) {
      script.add(failure);
    }
    return this;
  }

  private void pause() {
    if (latencyNanos <= 0) {
      return;
    }
    long deadline = System.nanoTime() + latencyNanos;
    for (long left = latencyNanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw ChannelException.retryable(name, "interrupted while simulating latency", null);
      }
    }
  }

  /** Builds an {@link InMemoryChannel}. Not thread-safe. */
  public static final class Builder {
    private String name = "memory";
    private boolean deduplicatesByKey = true;
    private Duration latency = Duration.ZERO;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The channel's name in routes and receipts. Default: {@code memory}. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Whether a second delivery of a key is a no-op with a duplicate receipt. Turn it off to see
     * double deliveries in a test. Default: true.
     */
    public Builder deduplicatesByKey(boolean deduplicates) {
      this.deduplicatesByKey = deduplicates;
      return this;
    }

    /**
     * How long each delivery takes (parked, outside the channel's lock), to model a remote channel
     * in benchmarks. Default: none.
     */
    public Builder latency(Duration latency) {
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative but was " + latency);
      }
      this.latency = latency;
      return this;
    }

    /** The clock for receipts. Default: UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The channel. */
    public InMemoryChannel build() {
      return new InMemoryChannel(this);
    }
  }
}
