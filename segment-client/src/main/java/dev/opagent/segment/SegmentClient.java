package dev.opagent.segment;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Client of a customer-segment agent hosted on Amazon Bedrock AgentCore Runtime: validates the
 * customer data, sends it as {@code {"customerData": …}}, reads the agent's {@code analysis} (JSON,
 * text or an event stream), and makes every call count — retries with exponential backoff and full
 * jitter, an adaptive request rate that backs off on throttling, a circuit breaker, a pool of
 * reused runtime sessions, a cache with in-flight de-duplication, and batches that give exactly one
 * outcome per customer in input order with bounded memory.
 *
 * <p>Thread-safe: build one client per agent and share it. Close it when done; it closes what it
 * created, never an AWS client or transport it was handed.
 *
 * <pre>{@code
 * try (SegmentClient client = SegmentClient.builder()
 *     .agentRuntimeArn("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/customer_segment_agent-abc")
 *     .maxRequestsPerSecond(25)
 *     .build()) {
 *   SegmentAnalysis one = client.analyze(customerData);
 *   List<SegmentOutcome> all = client.analyzeAll(customers);
 * }
 * }</pre>
 */
public interface SegmentClient extends AutoCloseable {

  /** A builder; see {@link SegmentClientBuilder} for every option and its default. */
  static SegmentClientBuilder builder() {
    return new SegmentClientBuilder();
  }

  /**
   * A client of {@code agentRuntimeArn} with every default (credentials and region from AWS's
   * chain).
   */
  static SegmentClient create(String agentRuntimeArn) {
    return builder().agentRuntimeArn(agentRuntimeArn).build();
  }

  /** A client configured by {@code configurer}. */
  static SegmentClient create(Consumer<SegmentClientBuilder> configurer) {
    SegmentClientBuilder builder = builder();
    configurer.accept(builder);
    return builder.build();
  }

  /**
   * Analyses one customer, waiting for the answer.
   *
   * @throws InvalidInputException when {@code data} is invalid (nothing is sent)
   * @throws SegmentException when the call fails after retries; see {@link SegmentException#code()}
   */
  SegmentAnalysis analyze(CustomerData data);

  /**
   * Like {@link #analyze(CustomerData)} but reports where the answer came from and the attempts.
   */
  SegmentOutcome.Success analyzeDetailed(CustomerData data, boolean bypassCache);

  /**
   * Analyses one customer asynchronously. The future completes exceptionally with a {@link
   * SegmentException}; cancelling it abandons the call.
   */
  CompletableFuture<SegmentAnalysis> analyzeAsync(CustomerData data);

  /**
   * Analyses one customer asynchronously, reporting where the answer came from.
   *
   * @param bypassCache whether to skip the cache and in-flight sharing for this call
   */
  CompletableFuture<SegmentOutcome.Success> analyzeDetailedAsync(
      CustomerData data, boolean bypassCache);

  /**
   * Analyses a batch: one outcome per input, in input order. Never throws for a customer's failure.
   */
  default List<SegmentOutcome> analyzeAll(List<CustomerData> customers) {
    return analyzeAll(customers, BatchOptions.ofDefaults());
  }

  /** Analyses a batch with {@code options}: one outcome per input, in input order. */
  List<SegmentOutcome> analyzeAll(List<CustomerData> customers, BatchOptions options);

  /**
   * Analyses a stream of customers on the calling thread, handing each outcome to {@code sink} (on
   * the calling thread, in input order unless {@link BatchOptions#ordered()} is off) while at most
   * {@link BatchOptions#maxBuffered()} customers are held in memory.
   *
   * <p>If {@code source.next()} throws an {@link InvalidInputException} (a record that could not be
   * read), that record alone fails with {@link ErrorCode#INVALID_INPUT} and the batch goes on.
   * Interrupting the calling thread cancels the batch.
   */
  BatchSummary analyzeStream(
      Iterator<CustomerData> source, Consumer<SegmentOutcome> sink, BatchOptions options);

  /**
   * Like {@link #analyzeStream} but runs on a background thread; {@code sink} is called on that
   * thread. The returned job can be cancelled.
   */
  BatchJob startBatch(
      Iterator<CustomerData> source, Consumer<SegmentOutcome> sink, BatchOptions options);

  /**
   * This client acting on behalf of a user: every call through the returned view sends {@code
   * runtimeUserId} as AgentCore's runtime user id (in place of {@link
   * SegmentClientBuilder#runtimeUserId(String)}), for agents that reach a user's resources with
   * that user's identity. The view shares this client's rate, retries, circuit breaker and cache,
   * but its answers are cached under the user, so one user's answer is never another's; its calls
   * run in a runtime session of that user's own (per customer in {@link SessionMode#PER_CUSTOMER}
   * mode), never one another user's calls ran in, left to idle out. The view is cheap (make one per
   * request), thread-safe, and not closed on its own: {@link #close()} on it does nothing; close
   * this client.
   *
   * @throws IllegalArgumentException when {@code runtimeUserId} is blank, longer than 1,024
   *     characters or holds a control character
   */
  SegmentClient onBehalfOf(String runtimeUserId);

  /** Counters since the client was built. */
  SegmentClientStats stats();

  /**
   * The resolved configuration, among it the agent this client talks to ({@link
   * SegmentClientConfig#agentRuntimeArn()} and {@link SegmentClientConfig#qualifier()}), which
   * callers that keep analyses beyond the client's life record with them.
   */
  SegmentClientConfig config();

  /**
   * Cancels calls in flight, stops the pooled runtime sessions (best effort, so their microVMs stop
   * counting against the active-session quota) and releases what the client created. Idempotent.
   */
  @Override
  void close();
}
