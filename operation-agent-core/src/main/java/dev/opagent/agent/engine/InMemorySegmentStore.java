package dev.opagent.agent.engine;

import dev.opagent.agent.spi.SegmentStore;
import dev.opagent.agent.spi.StoredAnalysis;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SegmentStore} in memory, for tests, simulations and hosts that run rounds in one
 * long-lived process. Thread-safe. Nothing is ever evicted, and everything is lost with the
 * process: hosts that restart keep analyses in the operating store instead.
 */
public final class InMemorySegmentStore implements SegmentStore {
  private final ConcurrentHashMap<Key, StoredAnalysis> analyses = new ConcurrentHashMap<>();

  @Override
  public Map<String, StoredAnalysis> find(
      Collection<String> customerIds, String agentRuntimeArn, String qualifier) {
    Objects.requireNonNull(agentRuntimeArn, "agentRuntimeArn");
    Objects.requireNonNull(qualifier, "qualifier");
    Map<String, StoredAnalysis> out = new HashMap<>();
    for (String id : customerIds) {
      StoredAnalysis a = analyses.get(new Key(id, agentRuntimeArn, qualifier));
      if (a != null) {
        out.put(id, a);
      }
    }
    return out;
  }

  @Override
  public void saveAll(Collection<StoredAnalysis> toSave) {
    Map<Key, StoredAnalysis> latest = new HashMap<>();
    for (StoredAnalysis a : toSave) {
      latest.merge(
          Key.of(a), a, (old, now) -> now.analysedAt().isBefore(old.analysedAt()) ? old : now);
    }
    analyses.putAll(latest);
  }

  /** The number of analyses kept, over all agents. */
  public int size() {
    return analyses.size();
  }

  private record Key(String customerId, String agentRuntimeArn, String qualifier) {
    static Key of(StoredAnalysis a) {
      return new Key(a.customerId(), a.agentRuntimeArn(), a.qualifier());
    }
  }
}
