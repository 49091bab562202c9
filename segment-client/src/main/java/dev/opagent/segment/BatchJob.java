package dev.opagent.segment;

import java.util.concurrent.CompletableFuture;

/** A batch running in the background (see {@link SegmentClient#startBatch}). Thread-safe. */
public interface BatchJob {

  /**
   * Cancels the batch: no new calls start, calls in flight are abandoned, and every remaining input
   * (in flight or still in the source) gets a {@link ErrorCode#CANCELLED} outcome, so that every
   * customer in still has exactly one outcome out. Idempotent.
   */
  void cancel();

  /** Completes with the summary when the batch has delivered every outcome. */
  CompletableFuture<BatchSummary> completion();

  /** The latest progress snapshot. */
  BatchProgress progress();

  /**
   * Waits for the batch to finish.
   *
   * @throws SegmentException with {@link ErrorCode#CANCELLED} if the waiting thread is interrupted
   *     (the batch is then cancelled)
   */
  BatchSummary await();
}
