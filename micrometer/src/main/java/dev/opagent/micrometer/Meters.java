package dev.opagent.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Registers meters with the binding's common tags and remembers them, so that {@link #close()} can
 * remove them again. Thread-safe.
 */
final class Meters {
  private final MeterRegistry registry;
  private final Tags common;
  private final boolean histograms;
  private final Set<Meter> registered = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  Meters(MeterRegistry registry, Tags common, boolean histograms) {
    this.registry = registry;
    this.common = common;
    this.histograms = histograms;
  }

  Counter counter(String name, String description, Tags tags) {
    return remember(
        Counter.builder(name).description(description).tags(common).tags(tags).register(registry));
  }

  /**
   * A timer whose percentile histogram (when histograms are on) spans {@code min} to {@code max}.
   */
  Timer timer(String name, String description, Duration min, Duration max, Tags tags) {
    return remember(
        Timer.builder(name)
            .description(description)
            .tags(common)
            .tags(tags)
            .publishPercentileHistogram(histograms)
            .minimumExpectedValue(min)
            .maximumExpectedValue(max)
            .register(registry));
  }

  /** A gauge of {@code state}, which the registry holds weakly, as Micrometer's gauges do. */
  <T> Gauge gauge(String name, String description, T state, ToDoubleFunction<T> value, Tags tags) {
    return remember(
        Gauge.builder(name, state, value)
            .description(description)
            .tags(common)
            .tags(tags)
            .register(registry));
  }

  <T> FunctionCounter functionCounter(
      String name, String description, T state, ToDoubleFunction<T> count, Tags tags) {
    return remember(
        FunctionCounter.builder(name, state, count)
            .description(description)
            .tags(common)
            .tags(tags)
            .register(registry));
  }

  /** Whether {@link #close()} was called: events are then ignored. */
  boolean closed() {
    return closed;
  }

  /** Removes every meter registered here from the registry. Idempotent. */
  void close() {
    closed = true;
    for (Meter m : List.copyOf(registered)) {
      registry.remove(m);
      registered.remove(m);
    }
  }

  private <M extends Meter> M remember(M meter) {
    registered.add(meter);
    if (closed) {
      // Registered by an event racing with close(): take it out again.
      registry.remove(meter);
      registered.remove(meter);
    }
    return meter;
  }

  /** An enum constant as a tag value: its stable name in lower case, such as {@code throttled}. */
  static String tagValue(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
