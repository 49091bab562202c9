package dev.opagent.agent.execution.spi;

/**
 * Where actions go: an e-mail service, an SMS gateway, a webhook, a file. Implementations must be
 * thread-safe; the executor calls {@link #deliver} from several threads, at most the configured
 * concurrency for the channel at once, and retries {@link ChannelException#retryable() retryable}
 * failures with the same request (and so the same idempotency key).
 *
 * <p>Exactly-once effect needs the channel's help: the executor journals an action before sending
 * it and resumes unfinished work after a crash with the same key, so an action that reached the
 * channel just before the crash is sent again. A channel that {@link #deduplicatesByKey()} (or
 * whose receiver does, given the key) turns that second send into a no-op and answers with a {@link
 * DeliveryReceipt#duplicate duplicate} receipt.
 */
public interface ActionChannel extends AutoCloseable {

  /** A short, stable name for configuration, receipts and logs, such as {@code webhook}. */
  String name();

  /**
   * Delivers {@code request} once; does not retry by itself.
   *
   * @return the receipt; {@link DeliveryReceipt#duplicate()} when the key was already delivered
   * @throws ChannelException when it could not; retryable or not
   */
  DeliveryReceipt deliver(ActionRequest request);

  /** Whether a second delivery of the same key is a no-op. Default: false. */
  default boolean deduplicatesByKey() {
    return false;
  }

  /** Releases files and connections. Default: nothing to release. */
  @Override
  default void close() {}
}
