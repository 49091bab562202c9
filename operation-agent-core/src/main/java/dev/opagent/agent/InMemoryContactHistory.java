package dev.opagent.agent;

import dev.opagent.agent.spi.Contact;
import dev.opagent.agent.spi.ContactHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ContactHistory} in memory, for tests, simulations and single-instance hosts.
 * Thread-safe: each customer's list is copied on write, so readers get an unchanging list without
 * copying. Nothing is ever evicted.
 */
public final class InMemoryContactHistory implements ContactHistory {
  private final ConcurrentHashMap<String, List<Contact>> contacts = new ConcurrentHashMap<>();

  @Override
  public List<Contact> contactsSince(String customerId, Instant since) {
    return contacts.getOrDefault(customerId, List.of());
  }

  @Override
  public void record(String customerId, Contact contact) {
    contacts.compute(customerId, (k, old) -> {
      List<Contact> l = new ArrayList<>(old == null ? 1 : old.size() + 1);
      if (old != null) {
        l.addAll(old);
      }
      l.add(contact);
      return List.copyOf(l);
    });
  }

  /** Every contact of the customer, oldest recorded first. */
  public List<Contact> all(String customerId) {
    return contacts.getOrDefault(customerId, List.of());
  }
}
