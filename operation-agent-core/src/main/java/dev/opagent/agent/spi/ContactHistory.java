package dev.opagent.agent.spi;

import java.util.List;

/**
 * The contacts a customer received, as the host records them. Implementations must be thread-safe:
 * the engine reads from many threads at once.
 *
 * <p>{@link #contactsSince} sits on the decision hot path (once per customer). For bulk runs, load
 * the history for the batch before deciding rather than querying a database per call.
 */
public interface ContactHistory {

  /**
   * The customer's contacts sent at or after {@code since}. An implementation may also return older
   * ones (the engine filters by time), so an in-memory store can hand out its list without copying.
   * The returned list must not change while the caller reads it.
   */
  List<Contact> contactsSince(String customerId, java.time.Instant since);

  /** Appends a contact that was sent, so later decisions count it. */
  void record(String customerId, Contact contact);
}
