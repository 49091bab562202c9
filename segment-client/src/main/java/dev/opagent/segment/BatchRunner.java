package dev.opagent.segment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs one batch on the calling thread: keeps at most {@code maxBuffered} customers in flight or
 * waiting for delivery, hands each outcome to the sink in input order (or as they finish), and
 * reports progress. Every input yields exactly one outcome: a record the source could not read
 * fails alone, and on cancellation every remaining input is reported {@code CANCELLED}. Thread-safe
 * as a {@link BatchJob}; {@link #run()} is called once.
 */
final class BatchRunner implements BatchJob {
  private final DefaultSegmentClient client;
  private final @Nullable String user;
  private final Iterator<CustomerData> source;
  private final Consumer<SegmentOutcome> sink;
  private final BatchOptions options;
  private final int window;
  private final LinkedBlockingQueue<SegmentOutcome> finished = new LinkedBlockingQueue<>();
  private final Map<Long, CompletableFuture<?>> running = new ConcurrentHashMap<>();
  private final CompletableFuture<BatchSummary> completion = new CompletableFuture<>();
  private volatile boolean cancelled;
  private volatile BatchProgress progress;
  private long started;
  private long delivered;
  private long succeeded;
  private long failed;
  private long fromCache;
  private long fromFallback;
  private final Map<ErrorCode, Long> failedByCode = new EnumMap<>(ErrorCode.class);
  private long startNanos;
  private long[] countersAtStart = new long[2];
  private long lastReport;

  /** Outcomes that arrived before those of earlier inputs, when delivering in order. */
  private final Map<Long, SegmentOutcome> reorder = new HashMap<>();

  private long nextToDeliver;

  /** Most calls started in a row before the loop looks for an interrupt and reports progress. */
  private static final int START_RUN = 64;

  BatchRunner(
      DefaultSegmentClient client,
      Iterator<CustomerData> source,
      Consumer<SegmentOutcome> sink,
      BatchOptions options,
      @Nullable String user) {
    this.client = client;
    this.user = user;
    this.source = source;
    this.sink = sink;
    this.options = options;
    this.window = options.maxBuffered() > 0 ? options.maxBuffered() : 4 * client.maxConcurrency();
    this.progress = new BatchProgress(0, 0, 0, 0, 0, client.currentRate(), Duration.ZERO);
  }

  BatchSummary run() {
    startNanos = System.nanoTime();
    countersAtStart = client.requestCounters();
    lastReport = startNanos;
    boolean sourceDone = false;
    boolean interrupted = false;
    while (true) {
      if (Thread.interrupted()) {
        // Remembered and restored on return: a set flag would make every poll below throw.
        interrupted = true;
        cancel();
      }
      // Calls answered at once (a cache hit) are delivered as they start: after a bounded run of
      // them, the loop comes round to look for an interrupt and report progress.
      for (int n = 0; n < START_RUN && !sourceDone && started - delivered < window; n++) {
        if (!hasNext()) {
          sourceDone = true;
          break;
        }
        if (cancelled) {
          // Every remaining input still gets its outcome, within the same memory bound.
          long index = started++;
          CustomerData data = nextOrNull(index);
          if (data != null) {
            finished.add(cancelledOutcome(index, data.customerId()));
          }
        } else {
          startNext();
        }
      }
      for (SegmentOutcome done; (done = finished.poll()) != null; ) {
        arrive(done);
      }
      if (sourceDone && delivered == started) {
        break;
      }
      if (sourceDone || started - delivered >= window) {
        SegmentOutcome outcome;
        try {
          outcome = finished.poll(options.progressInterval().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
          cancel();
          continue;
        }
        if (outcome != null) {
          arrive(outcome);
        }
      }
      long now = System.nanoTime();
      if (now - lastReport >= options.progressInterval().toNanos()) {
        lastReport = now;
        options.progressListener().accept(snapshot());
      }
    }
    BatchProgress last = snapshot();
    options.progressListener().accept(last);
    long[] counters = client.requestCounters();
    BatchSummary summary =
        new BatchSummary(
            delivered,
            succeeded,
            failed,
            failedByCode,
            fromCache,
            fromFallback,
            counters[0] - countersAtStart[0],
            counters[1] - countersAtStart[1],
            last.elapsed(),
            cancelled);
    completion.complete(summary);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return summary;
  }

  private boolean hasNext() {
    try {
      return source.hasNext();
    } catch (RuntimeException e) {
      // The source itself broke (an I/O error, say): nothing more can be read, so stop the calls
      // in flight instead of leaving them running after the batch has failed.
      cancel();
      throw new SegmentException(
          ErrorCode.INVALID_INPUT,
          "the batch source failed: " + e.getClass().getSimpleName(),
          0,
          null,
          null,
          e);
    }
  }

  private @Nullable CustomerData nextOrNull(long index) {
    try {
      return source.next();
    } catch (InvalidInputException e) {
      client.countUnreadable();
      finished.add(
          cancelled
              ? cancelledOutcome(index, e.customerId())
              : SegmentOutcome.Failure.of(index, e.customerId(), e));
      return null;
    }
  }

  private void startNext() {
    long index = started++;
    CustomerData data = nextOrNull(index);
    if (data == null) {
      return;
    }
    CompletableFuture<DefaultSegmentClient.CallResult> call =
        client.startForBatch(data, options.bypassCache(), user);
    if (call.isDone()) {
      // Answered at once (a cache hit, a refused input): delivered here, on the batch's thread.
      arrive(outcome(index, data, call));
      return;
    }
    running.put(index, call);
    if (cancelled) {
      // cancel() may have looked at running before this call was in it.
      call.cancel(true);
    }
    call.whenComplete(
        (r, e) -> {
          running.remove(index);
          if (e == null) {
            finished.add(
                new SegmentOutcome.Success(
                    index, data.customerId(), r.analysis(), r.source(), r.attempts()));
          } else {
            finished.add(SegmentOutcome.Failure.of(index, data.customerId(), client.failureOf(e)));
          }
        });
  }

  private SegmentOutcome outcome(
      long index, CustomerData data, CompletableFuture<DefaultSegmentClient.CallResult> done) {
    DefaultSegmentClient.CallResult r;
    try {
      r = done.join();
    } catch (CompletionException | CancellationException e) {
      return SegmentOutcome.Failure.of(index, data.customerId(), client.failureOf(e));
    }
    return new SegmentOutcome.Success(
        index, data.customerId(), r.analysis(), r.source(), r.attempts());
  }

  /** Takes an outcome on the batch's thread: delivers it now, or once those before it arrived. */
  private void arrive(SegmentOutcome outcome) {
    if (!options.ordered()) {
      deliver(outcome);
      return;
    }
    if (outcome.index() != nextToDeliver) {
      reorder.put(outcome.index(), outcome);
      return;
    }
    deliver(outcome);
    nextToDeliver++;
    if (!reorder.isEmpty()) {
      for (SegmentOutcome next; (next = reorder.remove(nextToDeliver)) != null; nextToDeliver++) {
        deliver(next);
      }
    }
  }

  private SegmentOutcome cancelledOutcome(long index, @Nullable String customerId) {
    return new SegmentOutcome.Failure(
        index,
        customerId,
        ErrorCode.CANCELLED,
        "the batch was cancelled before this customer was analysed",
        false,
        0,
        null);
  }

  private void deliver(SegmentOutcome outcome) {
    delivered++;
    if (outcome instanceof SegmentOutcome.Success s) {
      succeeded++;
      if (s.source() == Source.CACHE) {
        fromCache++;
      } else if (s.source() == Source.FALLBACK) {
        fromFallback++;
      }
    } else if (outcome instanceof SegmentOutcome.Failure f) {
      failed++;
      failedByCode.merge(f.code(), 1L, Long::sum);
    }
    sink.accept(outcome);
  }

  private BatchProgress snapshot() {
    long[] counters = client.requestCounters();
    BatchProgress p =
        new BatchProgress(
            delivered,
            succeeded,
            failed,
            counters[0] - countersAtStart[0],
            counters[1] - countersAtStart[1],
            client.currentRate(),
            Duration.ofNanos(System.nanoTime() - startNanos));
    progress = p;
    return p;
  }

  void fail(Throwable e) {
    completion.completeExceptionally(e);
  }

  @Override
  public void cancel() {
    cancelled = true;
    // Latest first: those are still queued for a permit, so cancelling the calls in flight does
    // not hand their permits to calls that would reach the agent only to be cancelled.
    List<Long> indexes = new ArrayList<>(running.keySet());
    indexes.sort(Comparator.reverseOrder());
    for (Long index : indexes) {
      CompletableFuture<?> f = running.get(index);
      if (f != null) {
        f.cancel(true);
      }
    }
  }

  @Override
  public CompletableFuture<BatchSummary> completion() {
    return completion;
  }

  @Override
  public BatchProgress progress() {
    return progress;
  }

  @Override
  public BatchSummary await() {
    try {
      return completion.get();
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
      throw new SegmentException(ErrorCode.CANCELLED, "interrupted while waiting for the batch");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new SegmentException(
          ErrorCode.AGENT_UNAVAILABLE, "the batch failed", 0, null, null, cause);
    }
  }
}
