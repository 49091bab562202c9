package dev.opagent.segment;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A client's calls on behalf of one user; see {@link SegmentClient#onBehalfOf(String)}. */
final class OnBehalfOf implements SegmentClient {
  private final DefaultSegmentClient client;
  private final String user;

  OnBehalfOf(DefaultSegmentClient client, String user) {
    this.client = client;
    this.user = user;
  }

  @Override
  public SegmentAnalysis analyze(CustomerData data) {
    return analyzeDetailed(data, false).analysis();
  }

  @Override
  public SegmentOutcome.Success analyzeDetailed(CustomerData data, boolean bypassCache) {
    return client.analyzeDetailed(data, bypassCache, user);
  }

  @Override
  public CompletableFuture<SegmentAnalysis> analyzeAsync(CustomerData data) {
    return DefaultSegmentClient.mapCancellable(
        analyzeDetailedAsync(data, false), SegmentOutcome.Success::analysis);
  }

  @Override
  public CompletableFuture<SegmentOutcome.Success> analyzeDetailedAsync(
      CustomerData data, boolean bypassCache) {
    return client.analyzeDetailedAsync(data, bypassCache, user);
  }

  @Override
  public List<SegmentOutcome> analyzeAll(List<CustomerData> customers, BatchOptions options) {
    return client.analyzeAll(customers, options, user);
  }

  @Override
  public BatchSummary analyzeStream(
      Iterator<CustomerData> source, Consumer<SegmentOutcome> sink, BatchOptions options) {
    return client.analyzeStream(source, sink, options, user);
  }

  @Override
  public BatchJob startBatch(
      Iterator<CustomerData> source, Consumer<SegmentOutcome> sink, BatchOptions options) {
    return client.startBatch(source, sink, options, user);
  }

  @Override
  public SegmentClient onBehalfOf(String runtimeUserId) {
    return client.onBehalfOf(runtimeUserId);
  }

  @Override
  public SegmentClientStats stats() {
    return client.stats();
  }

  @Override
  public SegmentClientConfig config() {
    return client.config();
  }

  /** Does nothing: the client this view acts through owns the resources. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SegmentClient on behalf of a user, through " + client;
  }
}
