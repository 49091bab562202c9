package dev.opagent.segment;

import static dev.opagent.segment.AgentWire.customer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.spi.AgentResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Batches through an in-process agent: order, one outcome per input, cancellation, memory. */
class BatchTest {

  private static List<CustomerData> customers(int n) {
    return IntStream.range(0, n).mapToObj(i -> customer("C-" + i)).toList();
  }

  private static CustomerData invalidAge(String id) {
    CustomerData c = customer(id);
    Customer p = c.customer();
    return new CustomerData(
        id,
        c.city(),
        new Customer(id, 731, p.gender(), p.registeredAt(), p.productHistory()),
        c.region(),
        c.currentSeason());
  }

  @Test
  void analyzeAll_answersFinishingInReverse_returnsOutcomesInInputOrder() throws Exception {
    InProcessAgent agent = InProcessAgent.manual();
    try (SegmentClient client = agent.client(b -> {})) {
      List<CustomerData> in = customers(20);
      BatchJob job;
      List<SegmentOutcome> out = new CopyOnWriteArrayList<>();
      job = client.startBatch(in.iterator(), out::add, BatchOptions.ofDefaults());
      Await.until(Duration.ofSeconds(5), () -> agent.received.size() == 20);
      List<InProcessAgent.Pending> pending = new ArrayList<>(agent.received);
      Collections.reverse(pending);
      pending.forEach(InProcessAgent.Pending::answer);
      BatchSummary summary = job.completion().get(5, TimeUnit.SECONDS);
      assertThat(summary.total()).isEqualTo(20);
      assertThat(summary.succeeded()).isEqualTo(20);
      assertThat(out)
          .extracting(SegmentOutcome::index)
          .containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
      assertThat(out)
          .extracting(SegmentOutcome::customerId)
          .containsExactlyElementsOf(in.stream().map(CustomerData::customerId).toList());
    }
  }

  @Test
  void analyzeStream_unordered_deliversInFinishingOrder() throws Exception {
    InProcessAgent agent = InProcessAgent.manual();
    try (SegmentClient client = agent.client(b -> {})) {
      List<SegmentOutcome> out = new CopyOnWriteArrayList<>();
      BatchJob job =
          client.startBatch(
              customers(5).iterator(), out::add, BatchOptions.builder().ordered(false).build());
      Await.until(Duration.ofSeconds(5), () -> agent.received.size() == 5);
      for (int i = 4; i >= 0; i--) {
        agent.received.get(i).answer();
        int delivered = 5 - i;
        Await.until(Duration.ofSeconds(5), () -> out.size() == delivered);
      }
      job.completion().get(5, TimeUnit.SECONDS);
      assertThat(out).extracting(SegmentOutcome::index).containsExactly(4L, 3L, 2L, 1L, 0L);
    }
  }

  @Test
  void analyzeAll_invalidCustomersAmongValid_failAloneAndAreNeverSent() {
    InProcessAgent agent = InProcessAgent.instantRecording();
    try (SegmentClient client = agent.client(b -> {})) {
      List<CustomerData> in =
          List.of(
              customer("C-0"),
              invalidAge("C-1"),
              customer("C-2"),
              new CustomerData("  ", null, null, null, null),
              customer("C-4"));
      List<SegmentOutcome> out = client.analyzeAll(in);
      assertThat(out).hasSize(5);
      assertThat(out)
          .extracting(SegmentOutcome::isSuccess)
          .containsExactly(true, false, true, false, true);
      SegmentOutcome.Failure bad = (SegmentOutcome.Failure) out.get(1);
      assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_INPUT);
      assertThat(bad.customerId()).isEqualTo("C-1");
      assertThat(bad.attempts()).isZero();
      assertThat(bad.message()).contains("customerData.customer.age").doesNotContain("731");
    }
    assertThat(agent.received)
        .extracting(InProcessAgent.Pending::customerId)
        .containsExactlyInAnyOrder("C-0", "C-2", "C-4");
  }

  @Test
  void analyzeStream_sourceCannotReadARecord_failsThatRecordAloneAndGoesOn() {
    InProcessAgent agent = InProcessAgent.instant();
    List<String> json =
        List.of(
            "{\"customerId\":\"C-0\"}",
            "{\"customerId\":\"C-1\",\"customer\":" + "{\"registeredAt\":\"yesterday\"}}",
            "not json",
            "{\"customerId\":\"C-3\"}");
    Iterator<String> lines = json.iterator();
    Iterator<CustomerData> source =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return lines.hasNext();
          }

          @Override
          public CustomerData next() {
            return CustomerData.fromJson(lines.next());
          }
        };
    List<SegmentOutcome> out = new ArrayList<>();
    try (SegmentClient client = agent.client(b -> {})) {
      BatchSummary summary = client.analyzeStream(source, out::add, BatchOptions.ofDefaults());
      assertThat(summary.total()).isEqualTo(4);
      assertThat(summary.failedByCode()).containsEntry(ErrorCode.INVALID_INPUT, 2L);
    }
    assertThat(out).extracting(SegmentOutcome::isSuccess).containsExactly(true, false, false, true);
    SegmentOutcome.Failure date = (SegmentOutcome.Failure) out.get(1);
    assertThat(date.customerId()).isEqualTo("C-1");
    assertThat(date.message())
        .contains("customerData.customer.registeredAt")
        .doesNotContain("yesterday");
  }

  @RepeatedTest(5)
  void startBatch_cancelled_everyInputGetsExactlyOneOutcome() throws Exception {
    InProcessAgent agent = InProcessAgent.manual();
    try (SegmentClient client = agent.client(b -> b.maxConcurrency(4))) {
      List<SegmentOutcome> out = new CopyOnWriteArrayList<>();
      BatchJob job =
          client.startBatch(
              customers(50).iterator(), out::add, BatchOptions.builder().maxBuffered(8).build());
      Await.until(
          Duration.ofSeconds(5), () -> agent.received.size() == 4 && client.stats().calls() == 8);
      agent.received.get(1).answer();
      Await.until(
          Duration.ofSeconds(5),
          () -> client.stats().succeeded() == 1 && agent.received.size() == 5);
      job.cancel();
      BatchSummary summary = job.completion().get(5, TimeUnit.SECONDS);
      assertThat(summary.cancelled()).isTrue();
      assertThat(summary.total()).isEqualTo(50);
      assertThat(out)
          .extracting(SegmentOutcome::index)
          .containsExactlyElementsOf(LongStream.range(0, 50).boxed().toList());
      assertThat(out.stream().filter(SegmentOutcome::isSuccess)).hasSize(1);
      assertThat(out.stream().filter(o -> !o.isSuccess()))
          .allSatisfy(
              o -> assertThat(((SegmentOutcome.Failure) o).code()).isEqualTo(ErrorCode.CANCELLED));
      // Every request that reached the agent was answered or abandoned: none is left running.
      assertThat(agent.received)
          .filteredOn(p -> !p.future().isCancelled())
          .singleElement()
          .satisfies(p -> assertThat(p.customerId()).isEqualTo("C-1"));
    }
  }

  /**
   * Regression: a call the batch thread started while {@code cancel()} was looking at the calls in
   * flight escaped cancellation, so the batch waited for it (forever, if the agent hung); and an
   * attempt starting on the scheduler as its call was cancelled still sent its request.
   */
  @RepeatedTest(30)
  void cancel_whileBatchIsStartingCalls_leavesNoCallRunning() throws Exception {
    InProcessAgent agent = InProcessAgent.manual();
    try (SegmentClient client = agent.client(b -> b.maxConcurrency(64))) {
      BatchJob job =
          client.startBatch(
              customers(500).iterator(), o -> {}, BatchOptions.builder().maxBuffered(400).build());
      Await.until(Duration.ofSeconds(5), () -> client.stats().calls() > 0);
      job.cancel();
      BatchSummary summary = job.completion().get(5, TimeUnit.SECONDS);
      assertThat(summary.total()).isEqualTo(500);
      assertThat(summary.failedByCode()).containsOnlyKeys(ErrorCode.CANCELLED);
      assertThat(agent.received).allSatisfy(p -> assertThat(p.future()).isCancelled());
    }
  }

  /**
   * Regression: once the calling thread was interrupted, every poll of the finished queue threw at
   * once and re-set the flag, so the batch spun forever instead of returning cancelled.
   */
  @Test
  void analyzeStream_callingThreadInterrupted_cancelsAndReturns() throws Exception {
    InProcessAgent agent = InProcessAgent.manual();
    try (SegmentClient client = agent.client(b -> b.maxConcurrency(4))) {
      List<SegmentOutcome> out = new CopyOnWriteArrayList<>();
      AtomicBoolean interruptKept = new AtomicBoolean();
      List<BatchSummary> summary = new CopyOnWriteArrayList<>();
      Thread runner =
          new Thread(
              () -> {
                summary.add(
                    client.analyzeStream(
                        customers(30).iterator(), out::add, BatchOptions.ofDefaults()));
                interruptKept.set(Thread.currentThread().isInterrupted());
              });
      runner.start();
      Await.until(Duration.ofSeconds(5), () -> agent.received.size() == 4);
      runner.interrupt();
      runner.join(5_000);
      assertThat(runner.isAlive()).as("batch still running after interrupt").isFalse();
      assertThat(interruptKept).isTrue();
      assertThat(summary)
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.cancelled()).isTrue();
                assertThat(s.total()).isEqualTo(30);
              });
      assertThat(out)
          .hasSize(30)
          .allSatisfy(
              o -> assertThat(((SegmentOutcome.Failure) o).code()).isEqualTo(ErrorCode.CANCELLED));
    }
  }

  @Test
  void analyzeStream_progressListener_getsFinalSnapshot() {
    InProcessAgent agent = InProcessAgent.instant();
    List<BatchProgress> progress = new ArrayList<>();
    try (SegmentClient client = agent.client(b -> {})) {
      client.analyzeStream(
          customers(10).iterator(),
          o -> {},
          BatchOptions.builder().progressListener(progress::add).build());
    }
    assertThat(progress)
        .last()
        .satisfies(
            p -> {
              assertThat(p.done()).isEqualTo(10);
              assertThat(p.succeeded()).isEqualTo(10);
              assertThat(p.requests()).isEqualTo(10);
            });
  }

  /** Counts customers pulled from a lazy source but not yet handed to the sink. */
  private static final class Instrumented
      implements Iterator<CustomerData>, Consumer<SegmentOutcome> {
    final long size;
    final int bound;
    final AtomicLong pulled = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong maxHeld = new AtomicLong();
    long expectedIndex;
    boolean inOrder = true;
    Runnable onDelivered = () -> {};

    Instrumented(long size, int bound) {
      this.size = size;
      this.bound = bound;
    }

    @Override
    public boolean hasNext() {
      return pulled.get() < size;
    }

    @Override
    public CustomerData next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      long i = pulled.incrementAndGet();
      maxHeld.accumulateAndGet(i - delivered.get(), Math::max);
      return new CustomerData("C-" + i, null, null, null, null);
    }

    @Override
    public void accept(SegmentOutcome outcome) {
      inOrder &= outcome.index() == expectedIndex++;
      delivered.incrementAndGet();
      if (outcome.isSuccess()) {
        succeeded.incrementAndGet();
      }
      onDelivered.run();
    }
  }

  @Test
  void analyzeStream_200kCustomersFromLazySource_holdsAtMostMaxBuffered() {
    Instrumented stream = new Instrumented(200_000, 64);
    // Answered on another thread, so that calls are in flight together and the window fills (an
    // answer already complete is delivered as its call starts: one held at a time).
    InProcessAgent agent =
        InProcessAgent.of(
            r ->
                CompletableFuture.supplyAsync(
                    () -> AgentResponse.of("application/json", InProcessAgent.ANSWER, null)));
    try (SegmentClient client = agent.client(b -> b.disableCache().maxConcurrency(16))) {
      BatchSummary summary =
          client.analyzeStream(stream, stream, BatchOptions.builder().maxBuffered(64).build());
      assertThat(summary.total()).isEqualTo(200_000);
    }
    assertThat(stream.delivered).hasValue(200_000);
    assertThat(stream.succeeded).hasValue(200_000);
    assertThat(stream.inOrder).isTrue();
    assertThat(stream.maxHeld.get()).isLessThanOrEqualTo(64).isGreaterThan(1);
  }

  /**
   * Regression: cancelling drained the whole remaining source into memory at once to give each
   * input its CANCELLED outcome, so a cancelled stream was no longer bounded by maxBuffered.
   */
  @Test
  void analyzeStream_cancelledMidway_staysWithinMaxBufferedWhileDraining() {
    Instrumented stream = new Instrumented(100_000, 32);
    try (SegmentClient client =
        InProcessAgent.instant().client(b -> b.disableCache().maxConcurrency(8))) {
      BatchJob[] job = new BatchJob[1];
      stream.onDelivered =
          () -> {
            if (stream.delivered.get() == 1_000) {
              job[0].cancel();
            }
          };
      job[0] = client.startBatch(stream, stream, BatchOptions.builder().maxBuffered(32).build());
      BatchSummary summary = job[0].await();
      assertThat(summary.cancelled()).isTrue();
      assertThat(summary.total()).isEqualTo(100_000);
      assertThat(summary.failedByCode().get(ErrorCode.CANCELLED)).isGreaterThan(90_000L);
    }
    assertThat(stream.inOrder).isTrue();
    assertThat(stream.maxHeld.get()).isLessThanOrEqualTo(32);
  }
}
