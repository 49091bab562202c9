package dev.opagent.flink;

import dev.opagent.flink.internal.EventTimeClock;
import dev.opagent.flink.internal.PreparedEvent;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.SegmentOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.jspecify.annotations.Nullable;

/**
 * Asks the segment agent about each prepared event that needs the customer's analysis, without
 * blocking the task thread ({@link SegmentClient#analyzeDetailedAsync}); events that need none pass
 * through without a call. Each subtask's client takes an even share of the agent endpoint's quota.
 * A failure or a timeout becomes the event's {@link SegmentOutcome.Failure}, so that the event
 * still gets its outcome ({@code SEGMENTATION_FAILED}); nothing fails the job. Run with {@code
 * orderedWait}, so that a customer's events leave in the order they came.
 */
final class SegmentEvents extends RichAsyncFunction<PreparedEvent, PreparedEvent> {
  private static final long serialVersionUID = 1L;

  private final EventJobConfig config;

  private transient @Nullable SegmentClient client;
  private transient @Nullable EventTimeClock eventTime;
  private transient @Nullable Counter calls;
  private transient @Nullable Counter failures;

  SegmentEvents(EventJobConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public void open(OpenContext context) {
    Clock clock;
    if (config.clock() == EventJobConfig.ClockMode.EVENT_TIME) {
      EventTimeClock c = new EventTimeClock(Instant.EPOCH);
      eventTime = c;
      clock = c;
    } else {
      clock = Clock.systemUTC();
    }
    int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    client = Wiring.segmentClient(config, clock, subtasks);
    calls = getRuntimeContext().getMetricGroup().counter("segmentCalls");
    failures = getRuntimeContext().getMetricGroup().counter("segmentFailures");
  }

  @Override
  public void asyncInvoke(PreparedEvent event, ResultFuture<PreparedEvent> result) {
    if (!event.needsAnalysis()) {
      result.complete(List.of(event));
      return;
    }
    SegmentClient c = Objects.requireNonNull(client, "opened");
    EventTimeClock time = eventTime;
    if (time != null) {
      // The reference segmenter in process answers on this thread, as of the event's date.
      time.set(Instant.ofEpochMilli(event.at()));
    }
    Objects.requireNonNull(calls).inc();
    CustomerData data =
        Objects.requireNonNull(event.data(), "a prepared event that needs analysis");
    try {
      c.analyzeDetailedAsync(data, false)
          .whenComplete(
              (success, error) ->
                  result.complete(
                      List.of(
                          error == null
                              ? event.analysed(success)
                              : event.failed(failure(event, error)))));
    } catch (RuntimeException e) {
      result.complete(List.of(event.failed(failure(event, e))));
    }
  }

  @Override
  public void timeout(PreparedEvent event, ResultFuture<PreparedEvent> result) {
    Objects.requireNonNull(failures).inc();
    result.complete(
        List.of(
            event.failed(
                new SegmentOutcome.Failure(
                    0,
                    event.customerId(),
                    ErrorCode.TIMEOUT,
                    "no analysis within the segment timeout of " + config.segmentTimeout(),
                    true,
                    0,
                    null))));
  }

  private SegmentOutcome.Failure failure(PreparedEvent event, Throwable error) {
    Counter f = failures;
    if (f != null) {
      f.inc();
    }
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof SegmentException e) {
      return SegmentOutcome.Failure.of(0, event.customerId(), e);
    }
    return new SegmentOutcome.Failure(
        0,
        event.customerId(),
        ErrorCode.AGENT_UNAVAILABLE,
        "the segment call failed: " + cause.getClass().getSimpleName(),
        true,
        0,
        null);
  }

  @Override
  public void close() {
    SegmentClient c = client;
    client = null;
    if (c != null) {
      c.close();
    }
  }
}
