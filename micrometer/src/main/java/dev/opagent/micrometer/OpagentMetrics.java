package dev.opagent.micrometer;

import dev.opagent.agent.engine.DecisionListener;
import dev.opagent.agent.execution.ExecutionListener;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of opagent — the segment client, the decision engine, the executor and the
 * feedback loop — registered in a {@link MeterRegistry} the host brings. Thread-safe: one instance
 * serves any number of threads.
 *
 * <p>Each component is metered through the hook it already has: the segment client through a {@link
 * SegmentClientListener} passed to its builder (plus {@link #bindTo(SegmentClient)} for what only
 * the built client knows), the engine through a {@link DecisionListener}, the executor through an
 * {@link ExecutionListener}, the feedback loop by recording interactions through {@link
 * #interactionRecorder}. Nothing is registered for a component until its hook is asked for.
 *
 * <pre>{@code
 * OpagentMetrics metrics = OpagentMetrics.create(registry);
 * SegmentClient client = SegmentClient.builder()
 *     .agentRuntimeArn(arn)
 *     .addListener(metrics.segmentClientListener())
 *     .build();
 * metrics.bindTo(client);
 * DecisionEngine engine = DecisionEngine.builder().listener(metrics.decisionListener()).build();
 * ExecutionService service = ExecutionService.builder()
 *     .channels(channels)
 *     .listener(metrics.executionListener())
 *     .build();
 * InteractionRecorder feedback = metrics.interactionRecorder(feedbackLoop);
 * }</pre>
 *
 * <p>The meters (every one also carries the {@linkplain Builder#addTag common tags}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #SEGMENT_REQUESTS}</td><td>counter</td><td>outcome (success, failure),
 *       error (none or the {@code ErrorCode} in lower case)</td></tr>
 *   <tr><td>{@value #SEGMENT_LATENCY}</td><td>timer, percentile histogram</td>
 *       <td>outcome</td></tr>
 *   <tr><td>{@value #SEGMENT_RETRIES}</td><td>counter</td><td>error</td></tr>
 *   <tr><td>{@value #SEGMENT_THROTTLES}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@value #SEGMENT_CACHE}</td><td>counter</td>
 *       <td>result (hit, miss, deduplicated)</td></tr>
 *   <tr><td>{@value #SEGMENT_FALLBACKS}</td><td>counter</td><td>error</td></tr>
 *   <tr><td>{@value #SEGMENT_CIRCUIT_OPEN}</td><td>gauge, 1 open, 0 closed</td><td></td></tr>
 *   <tr><td>{@value #SEGMENT_REQUESTS_ACTIVE}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@value #SEGMENT_ADAPTIVE_RATE}</td><td>gauge, per second, once bound</td>
 *       <td></td></tr>
 *   <tr><td>{@value #SEGMENT_CALLS}</td><td>function counter, once bound</td>
 *       <td>outcome</td></tr>
 *   <tr><td>{@value #DECISIONS}</td><td>counter</td><td>mode (live, dry_run),
 *       outcome (chosen, none, held_out)</td></tr>
 *   <tr><td>{@value #DECISION_ACTIONS}</td><td>counter</td><td>mode, campaign, action.type,
 *       status (chosen, blocked, deferred, suppressed), reason (the {@code ReasonCode})</td></tr>
 *   <tr><td>{@value #DECISION_HOLDOUTS}</td><td>counter</td><td>mode, campaign,
 *       scope (global, campaign)</td></tr>
 *   <tr><td>{@value #EXECUTION_DELIVERIES}</td><td>counter</td><td>channel, campaign,
 *       action.type, outcome (completed, duplicate, failed, cancelled)</td></tr>
 *   <tr><td>{@value #EXECUTION_RETRIES}</td><td>counter</td>
 *       <td>channel, campaign, action.type</td></tr>
 *   <tr><td>{@value #EXECUTION_LAG}</td><td>timer, percentile histogram</td>
 *       <td>channel</td></tr>
 *   <tr><td>{@value #EXECUTION_LEASES_HELD}</td><td>gauge, once bound</td><td></td></tr>
 *   <tr><td>{@value #EXECUTION_LEASES_LOST}</td><td>function counter, once bound</td>
 *       <td></td></tr>
 *   <tr><td>{@value #FEEDBACK_INTERACTIONS}</td><td>counter</td><td>campaign (none when
 *       unmatched), type, outcome (the attribution outcome)</td></tr>
 *   <tr><td>{@value #FEEDBACK_CONVERSIONS}</td><td>counter</td><td>campaign</td></tr>
 *   <tr><td>{@value #FEEDBACK_REVENUE}</td><td>counter, budget currency</td><td>campaign</td></tr>
 * </table>
 *
 * <p>Tags have few values: campaigns and action types come from the campaign rules, channels from
 * the policy, the rest from enums. No meter carries a customer id, an idempotency key or any other
 * customer data. Where rule sets are large, a {@code MeterFilter.maximumAllowableTags} on {@code
 * campaign} bounds the series.
 *
 * <p>{@link #close()} removes every meter this instance registered from the registry (for a client
 * that is closed and replaced); it never closes the registry or a component. Events after it are
 * ignored.
 */
public final class OpagentMetrics implements AutoCloseable {
  /** Requests sent to the segment agent. */
  public static final String SEGMENT_REQUESTS = "opagent.segment.requests";

  /** Time from sending a request to the segment agent to its answer or failure. */
  public static final String SEGMENT_LATENCY = "opagent.segment.latency";

  /** Requests the segment client will send again. */
  public static final String SEGMENT_RETRIES = "opagent.segment.retries";

  /** Times the agent's throttling lowered the segment client's adaptive rate. */
  public static final String SEGMENT_THROTTLES = "opagent.segment.throttles";

  /** Calls answered by the cache, sent to the agent, or joined to an identical call in flight. */
  public static final String SEGMENT_CACHE = "opagent.segment.cache";

  /** Calls answered by the local fallback segmenter. */
  public static final String SEGMENT_FALLBACKS = "opagent.segment.fallbacks";

  /** Whether the segment client's circuit breaker is open. */
  public static final String SEGMENT_CIRCUIT_OPEN = "opagent.segment.circuit.open";

  /** Requests sent to the segment agent and not yet answered. */
  public static final String SEGMENT_REQUESTS_ACTIVE = "opagent.segment.requests.active";

  /** The request rate the segment client allows itself now, per second. */
  public static final String SEGMENT_ADAPTIVE_RATE = "opagent.segment.adaptive.rate";

  /** Calls of the segment client that returned segments or failed after retries. */
  public static final String SEGMENT_CALLS = "opagent.segment.calls";

  /** Customers decided. */
  public static final String DECISIONS = "opagent.decisions";

  /** Candidate actions judged by the decision engine. */
  public static final String DECISION_ACTIONS = "opagent.decision.actions";

  /** Campaigns a customer matched but was held out of. */
  public static final String DECISION_HOLDOUTS = "opagent.decision.holdouts";

  /** Actions that reached a terminal state in the executor. */
  public static final String EXECUTION_DELIVERIES = "opagent.execution.deliveries";

  /** Delivery attempts that repeated a failed one. */
  public static final String EXECUTION_RETRIES = "opagent.execution.retries";

  /** Time from an action's planned time to its delivery. */
  public static final String EXECUTION_LAG = "opagent.execution.lag";

  /** Claims (leases on actions being delivered) the bound execution service holds now. */
  public static final String EXECUTION_LEASES_HELD = "opagent.execution.leases.held";

  /** Claims the bound execution service lost to another executor. */
  public static final String EXECUTION_LEASES_LOST = "opagent.execution.leases.lost";

  /** Interactions recorded by the feedback loop. */
  public static final String FEEDBACK_INTERACTIONS = "opagent.feedback.interactions";

  /** Conversions attributed to a delivered action. */
  public static final String FEEDBACK_CONVERSIONS = "opagent.feedback.conversions";

  /** Revenue of attributed conversions, in the budget currency. */
  public static final String FEEDBACK_REVENUE = "opagent.feedback.revenue";

  private final Meters meters;
  private final DecisionMetrics decisions;
  private final ExecutionMetrics executions;
  private final FeedbackMetrics feedback;
  private @Nullable SegmentClientMetrics segment;

  private OpagentMetrics(Builder b) {
    this.meters = new Meters(b.registry(), Tags.of(b.tags), b.percentileHistograms);
    this.decisions = new DecisionMetrics(meters);
    this.executions = new ExecutionMetrics(meters);
    this.feedback = new FeedbackMetrics(meters);
  }

  /** Metrics registered in {@code registry}, without common tags. */
  public static OpagentMetrics create(MeterRegistry registry) {
    return builder().registry(registry).build();
  }

  /** A builder; {@link Builder#registry} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The listener to pass to {@code SegmentClient.builder().addListener(...)}: requests, latency,
   * retries, throttling, cache, fallbacks, the circuit and the requests in flight. The same
   * listener on every call. Its gauges follow its own events, so give it to one client; meter a
   * second client with a second {@code OpagentMetrics} told apart by a tag.
   */
  public synchronized SegmentClientListener segmentClientListener() {
    return segment();
  }

  /**
   * Registers what only the built client knows: its adaptive request rate ({@value
   * #SEGMENT_ADAPTIVE_RATE}) and its call outcomes ({@value #SEGMENT_CALLS}), read from {@link
   * SegmentClient#stats()} when the registry publishes. The registry holds the client weakly.
   *
   * @throws IllegalStateException if a client is bound already
   */
  public synchronized void bindTo(SegmentClient client) {
    Objects.requireNonNull(client, "client");
    segment().bindTo(client);
  }

  /** The listener to pass to {@code DecisionEngine.builder().listener(...)}. */
  public DecisionListener decisionListener() {
    return decisions;
  }

  /** The listener to pass to {@code ExecutionService.builder().listener(...)}. */
  public ExecutionListener executionListener() {
    return executions;
  }

  /**
   * Registers what only the built execution service knows: the claims it holds ({@value
   * #EXECUTION_LEASES_HELD}) and those it lost to another executor ({@value
   * #EXECUTION_LEASES_LOST}), read when the registry publishes. The registry holds the service
   * weakly.
   *
   * @throws IllegalStateException if an execution service is bound already
   */
  public void bindTo(ExecutionService service) {
    executions.bindTo(Objects.requireNonNull(service, "service"));
  }

  /**
   * A recorder that records each interaction through {@code delegate} (a {@code FeedbackLoop} or
   * the operating store's feedback store) and counts what came of it: interactions by attribution
   * outcome, attributed conversions and their revenue. Pass it where the delegate would go, such as
   * {@code EventProcessor.builder().feedback(...)}, and record through it.
   */
  public InteractionRecorder interactionRecorder(InteractionRecorder delegate) {
    return feedback.recording(Objects.requireNonNull(delegate, "delegate"));
  }

  /**
   * Removes every meter this instance registered from the registry; later events are ignored.
   * Closes neither the registry nor any component. Idempotent.
   */
  @Override
  public void close() {
    meters.close();
  }

  private SegmentClientMetrics segment() {
    SegmentClientMetrics s = segment;
    if (s == null) {
      s = new SegmentClientMetrics(meters);
      segment = s;
    }
    return s;
  }

  /** Builds {@link OpagentMetrics}. Not thread-safe. */
  public static final class Builder {
    private @Nullable MeterRegistry registry;
    private final List<Tag> tags = new ArrayList<>();
    private boolean percentileHistograms = true;

    private Builder() {}

    /** Where the meters are registered: the host's registry. Required. */
    public Builder registry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Adds a tag to every meter, for example the agent's name when two segment clients are metered,
     * each through its own instance. A meter's own tag of the same key wins. Default: no common
     * tags.
     *
     * @throws IllegalArgumentException if the key or the value is blank
     */
    public Builder addTag(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (key.isBlank()) {
        throw new IllegalArgumentException("tag key must not be blank");
      }
      if (value.isBlank()) {
        throw new IllegalArgumentException("value of tag " + key + " must not be blank");
      }
      tags.add(Tag.of(key, value));
      return this;
    }

    /** Adds every tag of {@code tags}; see {@link #addTag}. */
    public Builder addTags(Iterable<Tag> tags) {
      Objects.requireNonNull(tags, "tags");
      for (Tag t : tags) {
        addTag(t.getKey(), t.getValue());
      }
      return this;
    }

    /**
     * Whether the latency and lag timers publish percentile histograms: buckets that a backend such
     * as Prometheus aggregates into percentiles across instances. Turn it off to publish fewer
     * series where count, total and maximum are enough. Default: on.
     */
    public Builder percentileHistograms(boolean percentileHistograms) {
      this.percentileHistograms = percentileHistograms;
      return this;
    }

    /**
     * The metrics.
     *
     * @throws IllegalStateException if no registry was set
     */
    public OpagentMetrics build() {
      registry();
      return new OpagentMetrics(this);
    }

    private MeterRegistry registry() {
      MeterRegistry r = registry;
      if (r == null) {
        throw new IllegalStateException(
            "registry must be set: OpagentMetrics.builder().registry(meterRegistry)");
      }
      return r;
    }
  }
}
