package dev.opagent.agent.event;

import dev.opagent.segment.CustomerData;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where an event processor reads a customer's data and writes back what the customer's events
 * changed: a purchase added to the history, a consent withdrawn. The host's customer database
 * behind it (or {@link InMemoryCustomerDirectory}); a Flink job keeps it in keyed state.
 * Implementations must be thread-safe; a processor calls them for one customer at a time.
 */
public interface CustomerDirectory {

  /** The customer's data, or empty when the customer is not known. */
  Optional<CustomerData> find(String customerId);

  /** Replaces the customer's data (after a purchase was added to it). */
  void save(CustomerData data);

  /**
   * Records that the customer withdrew consent at {@code at}: for the channel with id {@code
   * channel} (such as {@code email}), or for every channel when it is null.
   */
  void withdrawConsent(String customerId, @Nullable String channel, Instant at);

  /**
   * The channels the customer withdrew consent for, by channel id; {@link #ALL_CHANNELS} among them
   * when consent was withdrawn for every channel. Empty when none was.
   */
  Set<String> withdrawnConsents(String customerId);

  /** The member of {@link #withdrawnConsents} that stands for every channel. */
  String ALL_CHANNELS = "*";
}
