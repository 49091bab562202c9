package dev.opagent.channels.inbound;

/**
 * Remembers the webhook deliveries and events already handled (by Shopify's webhook id, SendGrid's
 * {@code sg_event_id}, Twilio's message id and status), so that a provider's retry counts once. A
 * claim that was not followed by success is released, so that the provider's retry is handled.
 * Implementations must be thread-safe; {@link #inMemory(int)} keeps the most recent ids of this
 * process.
 */
public interface Deduplicator {

  /** Claims {@code id}: true when it was not claimed before (handle it), false for a duplicate. */
  boolean claim(String id);

  /** Gives back a claim whose handling failed, so that the provider's retry is handled. */
  void release(String id);

  /** The most recent {@code capacity} ids in this process's memory. */
  static Deduplicator inMemory(int capacity) {
    return new InMemoryDeduplicator(capacity);
  }
}
