package dev.opagent.testkit;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of an {@link AgentSimulator}'s counters, for assertions. Immutable and thread-safe.
 *
 * <pre>{@code
 * SimulatorStats stats = simulator.stats();
 * assertThat(stats.count(Outcome.OK)).isEqualTo(100);
 * assertThat(stats.callsFor("C-1001")).isEqualTo(1);   // cached or de-duplicated
 * assertThat(stats.maxInFlight()).isLessThanOrEqualTo(50);
 * }</pre>
 *
 * @param requests {@code InvokeAgentRuntime} requests answered (or dropped), in all
 * @param outcomes requests by outcome; every outcome is present, possibly with 0
 * @param distinctSessions distinct session ids used since the start or the last reset
 * @param liveSessions sessions active now: used within the idle timeout and not stopped
 * @param stoppedSessions sessions ended by {@code StopRuntimeSession}
 * @param inFlight requests received and not yet answered
 * @param maxInFlight the most requests in flight at once
 * @param callsPerCustomer requests that reached the agent, by customer id (requests rejected by
 *     quotas or validation are not counted here)
 */
public record SimulatorStats(
    long requests,
    Map<Outcome, Long> outcomes,
    long distinctSessions,
    int liveSessions,
    long stoppedSessions,
    int inFlight,
    int maxInFlight,
    Map<String, Long> callsPerCustomer) {

  /** Copies the maps, filling absent outcomes with 0. */
  public SimulatorStats {
    EnumMap<Outcome, Long> all = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      all.put(o, Objects.requireNonNull(outcomes, "outcomes").getOrDefault(o, 0L));
    }
    outcomes = java.util.Collections.unmodifiableMap(all);
    callsPerCustomer = Map.copyOf(Objects.requireNonNull(callsPerCustomer, "callsPerCustomer"));
  }

  /** Requests that had {@code outcome}. */
  public long count(Outcome outcome) {
    return outcomes.getOrDefault(outcome, 0L);
  }

  /** Requests that reached the agent for {@code customerId}. */
  public long callsFor(String customerId) {
    return callsPerCustomer.getOrDefault(customerId, 0L);
  }

  /** Requests that did not end {@link Outcome#OK}. */
  public long failures() {
    return requests - count(Outcome.OK);
  }

  /** Distinct customers whose requests reached the agent. */
  public int distinctCustomers() {
    return callsPerCustomer.size();
  }
}
