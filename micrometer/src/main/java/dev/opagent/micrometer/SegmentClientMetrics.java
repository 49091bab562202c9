package dev.opagent.micrometer;

import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_ADAPTIVE_RATE;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_CACHE;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_CALLS;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_CIRCUIT_OPEN;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_FALLBACKS;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_LATENCY;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_REQUESTS;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_REQUESTS_ACTIVE;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_RETRIES;
import static dev.opagent.micrometer.OpagentMetrics.SEGMENT_THROTTLES;

import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The segment client's meters, fed by its listener events; {@link #bindTo} adds what only the
 * client itself knows (its adaptive rate and call outcomes). Thread-safe. The gauges of the circuit
 * and of the requests in flight follow this listener's events, so one instance serves one client.
 */
final class SegmentClientMetrics implements SegmentClientListener {
  /** LLM agents answer in seconds; AgentCore's synchronous limit is 15 minutes. */
  private static final Duration LATENCY_MIN = Duration.ofMillis(1);

  private static final Duration LATENCY_MAX = Duration.ofMinutes(15);

  private final Meters meters;
  private final Counter succeeded;
  private final Timer successLatency;
  private final Timer failureLatency;
  private final Counter throttles;
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Counter deduplicated;
  private final AtomicReferenceArray<Counter> failed;
  private final AtomicReferenceArray<Counter> retries;
  private final AtomicReferenceArray<Counter> fallbacks;
  private final AtomicInteger circuitOpen = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean bound = new AtomicBoolean();

  SegmentClientMetrics(Meters meters) {
    this.meters = meters;
    this.succeeded = requests(meters, "success", "none");
    this.successLatency = latency(meters, "success");
    this.failureLatency = latency(meters, "failure");
    this.throttles =
        meters.counter(
            SEGMENT_THROTTLES,
            "Times the agent's throttling lowered the client's adaptive request rate",
            Tags.empty());
    this.cacheHits = cache(meters, "hit");
    this.cacheMisses = cache(meters, "miss");
    this.deduplicated = cache(meters, "deduplicated");
    int codes = ErrorCode.values().length;
    this.failed = new AtomicReferenceArray<>(codes);
    this.retries = new AtomicReferenceArray<>(codes);
    this.fallbacks = new AtomicReferenceArray<>(codes);
    meters.gauge(
        SEGMENT_CIRCUIT_OPEN,
        "1 while the client's circuit breaker is open (calls fail fast), else 0",
        circuitOpen,
        AtomicInteger::get,
        Tags.empty());
    meters.gauge(
        SEGMENT_REQUESTS_ACTIVE,
        "Requests sent to the agent and not yet answered",
        inFlight,
        AtomicInteger::get,
        Tags.empty());
  }

  private static Counter requests(Meters meters, String outcome, String error) {
    return meters.counter(
        SEGMENT_REQUESTS,
        "Requests sent to the segment agent, by outcome and error code (retries included)",
        Tags.of("outcome", outcome, "error", error));
  }

  private static Timer latency(Meters meters, String outcome) {
    return meters.timer(
        SEGMENT_LATENCY,
        "Time from sending a request to the segment agent to its answer or failure",
        LATENCY_MIN,
        LATENCY_MAX,
        Tags.of("outcome", outcome));
  }

  private static Counter cache(Meters meters, String result) {
    return meters.counter(
        SEGMENT_CACHE,
        "Calls answered by the cache (hit), sent to the agent (miss) or joined to an identical"
            + " call in flight (deduplicated)",
        Tags.of("result", result));
  }

  /**
   * Registers the gauges and counters read from {@code client} itself.
   *
   * @throws IllegalStateException if a client is bound already
   */
  void bindTo(SegmentClient client) {
    if (!bound.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "a segment client is bound to these metrics already: give each client its own"
              + " OpagentMetrics, told apart by a tag (addTag(\"agent\", name))");
    }
    meters.gauge(
        SEGMENT_ADAPTIVE_RATE,
        "The request rate the client allows itself now, per second (lowered on throttling)",
        client,
        c -> c.stats().currentRatePerSecond(),
        Tags.empty());
    meters.functionCounter(
        SEGMENT_CALLS,
        "Calls of the segment client that returned segments (success) or failed after retries"
            + " (failure)",
        client,
        c -> c.stats().succeeded(),
        Tags.of("outcome", "success"));
    meters.functionCounter(
        SEGMENT_CALLS,
        "Calls of the segment client that returned segments (success) or failed after retries"
            + " (failure)",
        client,
        c -> c.stats().failed(),
        Tags.of("outcome", "failure"));
  }

  @Override
  public void onRequest(int attempt) {
    inFlight.incrementAndGet();
  }

  @Override
  public void onResponse(Duration latency) {
    inFlight.decrementAndGet();
    if (meters.closed()) {
      return;
    }
    succeeded.increment();
    successLatency.record(latency);
  }

  @Override
  public void onRequestFailure(ErrorCode code, Duration latency) {
    inFlight.decrementAndGet();
    if (meters.closed()) {
      return;
    }
    byCode(failed, code, c -> requests(meters, "failure", Meters.tagValue(c))).increment();
    failureLatency.record(latency);
  }

  @Override
  public void onRetry(ErrorCode code, int nextAttempt, Duration delay) {
    if (meters.closed()) {
      return;
    }
    byCode(
            retries,
            code,
            c ->
                meters.counter(
                    SEGMENT_RETRIES,
                    "Requests the client will send again, by the error code of the failed one",
                    Tags.of("error", Meters.tagValue(c))))
        .increment();
  }

  @Override
  public void onThrottle(double newRatePerSecond) {
    if (!meters.closed()) {
      throttles.increment();
    }
  }

  @Override
  public void onCacheHit() {
    if (!meters.closed()) {
      cacheHits.increment();
    }
  }

  @Override
  public void onCacheMiss() {
    if (!meters.closed()) {
      cacheMisses.increment();
    }
  }

  @Override
  public void onDeduplicated() {
    if (!meters.closed()) {
      deduplicated.increment();
    }
  }

  @Override
  public void onFallback(ErrorCode code) {
    if (meters.closed()) {
      return;
    }
    byCode(
            fallbacks,
            code,
            c ->
                meters.counter(
                    SEGMENT_FALLBACKS,
                    "Calls answered by the local fallback segmenter, by the error code that led"
                        + " there",
                    Tags.of("error", Meters.tagValue(c))))
        .increment();
  }

  @Override
  public void onCircuitStateChange(boolean open) {
    circuitOpen.set(open ? 1 : 0);
  }

  /** The counter of {@code code}, registered on first use. */
  private static Counter byCode(
      AtomicReferenceArray<Counter> counters, ErrorCode code, Function<ErrorCode, Counter> make) {
    Counter c = counters.get(code.ordinal());
    if (c == null) {
      // Registering twice returns the same meter, so a race only costs a lookup.
      c = make.apply(code);
      counters.set(code.ordinal(), c);
    }
    return c;
  }
}
