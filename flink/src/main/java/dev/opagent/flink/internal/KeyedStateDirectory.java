package dev.opagent.flink.internal;

import dev.opagent.agent.event.CustomerDirectory;
import dev.opagent.segment.CustomerData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CustomerDirectory} kept in a Flink operator's keyed state: the customer's data (JSON)
 * and the consents they withdrew, so that both are checkpointed with the operator and restored with
 * it. A customer the state does not hold yet is looked up once in the initial customers and then
 * kept. Call it only for the key being processed: the state holds nothing else. Not thread-safe:
 * Flink calls a keyed function from its task thread alone.
 */
public final class KeyedStateDirectory implements CustomerDirectory {
  private final Supplier<String> currentKey;
  private final ValueState<String> data;
  private final MapState<String, Long> withdrawn;
  private final Function<String, @Nullable String> initial;

  /**
   * @param currentKey the key being processed
   * @param data the customer's data as JSON
   * @param withdrawn channel id ({@link #ALL_CHANNELS} for every channel) to when consent was
   *     withdrawn, epoch milliseconds
   * @param initial the JSON of a customer's data before any event, or null when unknown
   */
  public KeyedStateDirectory(
      Supplier<String> currentKey,
      ValueState<String> data,
      MapState<String, Long> withdrawn,
      Function<String, @Nullable String> initial) {
    this.currentKey = Objects.requireNonNull(currentKey, "currentKey");
    this.data = Objects.requireNonNull(data, "data");
    this.withdrawn = Objects.requireNonNull(withdrawn, "withdrawn");
    this.initial = Objects.requireNonNull(initial, "initial");
  }

  @Override
  public Optional<CustomerData> find(String customerId) {
    requireCurrent(customerId);
    try {
      String json = data.value();
      if (json == null) {
        json = initial.apply(customerId);
        if (json == null) {
          return Optional.empty();
        }
        data.update(json);
      }
      return Optional.of(CustomerData.fromJson(json));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the customer's keyed state", e);
    }
  }

  @Override
  public void save(CustomerData customer) {
    requireCurrent(customer.customerId());
    try {
      data.update(customer.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the customer's keyed state", e);
    }
  }

  @Override
  public void withdrawConsent(String customerId, @Nullable String channel, Instant at) {
    requireCurrent(customerId);
    try {
      withdrawn.put(channel == null ? ALL_CHANNELS : channel, at.toEpochMilli());
    } catch (Exception e) {
      throw new IllegalStateException("could not write the customer's withdrawn consents", e);
    }
  }

  @Override
  public Set<String> withdrawnConsents(String customerId) {
    requireCurrent(customerId);
    try {
      Set<String> out = new HashSet<>();
      for (String channel : withdrawn.keys()) {
        out.add(channel);
      }
      return Set.copyOf(out);
    } catch (Exception e) {
      throw new IllegalStateException("could not read the customer's withdrawn consents", e);
    }
  }

  private void requireCurrent(String customerId) {
    if (!customerId.equals(currentKey.get())) {
      throw new IllegalStateException(
          "keyed state holds the customer being processed only; it was asked about another");
    }
  }
}
