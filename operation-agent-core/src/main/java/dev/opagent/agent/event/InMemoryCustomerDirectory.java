package dev.opagent.agent.event;

import dev.opagent.segment.CustomerData;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CustomerDirectory} in this process's memory, for tests, the command line and hosts that
 * load their customers at start. Nothing survives the process. Thread-safe.
 */
public final class InMemoryCustomerDirectory implements CustomerDirectory {
  private final ConcurrentHashMap<String, CustomerData> customers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> withdrawn = new ConcurrentHashMap<>();

  /** An empty directory. */
  public InMemoryCustomerDirectory() {}

  /** A directory holding {@code customers} (a later one of the same id replaces an earlier one). */
  public InMemoryCustomerDirectory(Collection<CustomerData> customers) {
    customers.forEach(this::save);
  }

  @Override
  public Optional<CustomerData> find(String customerId) {
    return Optional.ofNullable(customers.get(customerId));
  }

  @Override
  public void save(CustomerData data) {
    customers.put(data.customerId(), data);
  }

  @Override
  public void withdrawConsent(String customerId, @Nullable String channel, Instant at) {
    Objects.requireNonNull(customerId, "customerId");
    withdrawn
        .computeIfAbsent(customerId, k -> ConcurrentHashMap.newKeySet())
        .add(channel == null ? ALL_CHANNELS : channel);
  }

  @Override
  public Set<String> withdrawnConsents(String customerId) {
    Set<String> s = withdrawn.get(customerId);
    return s == null ? Set.of() : Set.copyOf(s);
  }

  /** How many customers the directory holds. */
  public int size() {
    return customers.size();
  }
}
