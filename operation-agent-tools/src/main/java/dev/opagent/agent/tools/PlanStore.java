package dev.opagent.agent.tools;

import dev.opagent.agent.engine.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plans made by the plan tool, kept so that later calls can refer to them by id: bounded in
 * number, expiring after a time to live. A plan remembers which of its actions were executed, so
 * that a repeated execution is recognised as long as the plan can be referred to. Thread-safe
 * (synchronised; a plan's executions are a concurrent map).
 */
final class PlanStore {
  /**
   * A plan: the dry-run decision of one customer and the executions of its actions.
   *
   * @param executions executor ids by {@link #actionKey(String, String)}
   */
  public record Plan(
      String id, Instant at, Decision decision, ConcurrentHashMap<String, String> executions) {

    /** The key of one action of a plan. */
    public static String actionKey(String campaign, String actionType) {
      return campaign + '\u0000' + actionType;
    }
  }

  private final Clock clock;
  private final Duration ttl;
  private final int maxPlans;
  private final LinkedHashMap<String, Plan> plans = new LinkedHashMap<>();

  public PlanStore(Clock clock, Duration ttl, int maxPlans) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxPlans = maxPlans;
  }

  /** Stores a plan and returns it with its new id; evicts the oldest beyond the bound. */
  public synchronized Plan put(Decision decision) {
    evictExpired();
    Plan p =
        new Plan("plan-" + UUID.randomUUID(), clock.instant(), decision, new ConcurrentHashMap<>());
    plans.put(p.id(), p);
    while (plans.size() > maxPlans) {
      Iterator<String> it = plans.keySet().iterator();
      it.next();
      it.remove();
    }
    return p;
  }

  /** The plan with {@code id}, unless unknown or expired. */
  public synchronized Optional<Plan> get(String id) {
    evictExpired();
    return Optional.ofNullable(plans.get(id));
  }

  private void evictExpired() {
    Instant cutoff = clock.instant().minus(ttl);
    Iterator<Map.Entry<String, Plan>> it = plans.entrySet().iterator();
    while (it.hasNext()) {
      if (!it.next().getValue().at().isAfter(cutoff)) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
