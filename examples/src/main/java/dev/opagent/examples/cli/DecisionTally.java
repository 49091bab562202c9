package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.loop.CustomerOutcome;
import dev.opagent.agent.loop.RoundReport;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The summary's {@code decisions} block of a run of several rounds: actions summed over the rounds
 * beside the distinct customers behind them, each round apart, and the holdout in customers. Every
 * number comes from the rounds' reports and the journal's records, none is estimated. Not
 * thread-safe.
 *
 * <p>A customer's stage in a round is the one its {@link CustomerOutcome} gives; customers "left
 * with nothing" for a reason are those of stage {@code NO_ACTION_CHOSEN} whose best action was
 * stopped for that reason (the outcome's detail), so each counts under one reason per round.
 */
final class DecisionTally {
  private final ArrayNode byRound = JsonLines.MAPPER.createArrayNode();
  private final Map<ReasonCode, Long> notChosen = new EnumMap<>(ReasonCode.class);
  private final Set<String> reached = new HashSet<>();
  private final Set<String> heldOut = new HashSet<>();
  private final Set<String> notEligible = new HashSet<>();
  private final Set<String> nothingChosen = new HashSet<>();
  private final Set<String> segmentationFailed = new HashSet<>();
  private final Map<String, Set<String>> nothingChosenBy = new TreeMap<>();
  private long rounds;
  private long planned;
  private long executed;
  private long deferred;
  private long failed;

  /**
   * Adds one round.
   *
   * @param round the round's number
   * @param day the round's simulated day
   * @param report what the round did
   * @param records the journal's records of the round
   */
  void add(int round, LocalDate day, RoundReport report, List<ExecutionRecord> records) {
    rounds++;
    planned += report.chosen();
    executed += report.execution().completed();
    deferred += report.deferred();
    failed += report.execution().failed();
    report.notChosenByReason().forEach((k, v) -> notChosen.merge(k, v, Long::sum));

    Set<String> reachedHere = new HashSet<>();
    for (ExecutionRecord r : records) {
      if (r.state() == ExecutionState.COMPLETED) {
        reachedHere.add(r.request().customerId());
      }
    }
    reached.addAll(reachedHere);
    long planning = 0;
    long held = 0;
    long none = 0;
    long nothing = 0;
    long unsegmented = 0;
    Map<String, Long> nothingByReason = new TreeMap<>();
    for (CustomerOutcome o : report.outcomes()) {
      String id = o.customerId();
      switch (o.stage()) {
        case ACTIONS_PLANNED -> planning++;
        case HELD_OUT -> {
          held++;
          remember(heldOut, id);
        }
        case NOT_ELIGIBLE -> {
          none++;
          remember(notEligible, id);
        }
        case NO_ACTION_CHOSEN -> {
          nothing++;
          remember(nothingChosen, id);
          String reason = o.detail() == null ? "UNKNOWN" : o.detail();
          nothingByReason.merge(reason, 1L, Long::sum);
          remember(nothingChosenBy.computeIfAbsent(reason, k -> new HashSet<>()), id);
        }
        case SEGMENTATION_FAILED -> {
          unsegmented++;
          remember(segmentationFailed, id);
        }
      }
    }
    ObjectNode r =
        byRound
            .addObject()
            .put("round", round)
            .put("date", day.toString())
            .put("customers", report.customers())
            .put("planned", report.chosen())
            .put("executed", report.execution().completed())
            .put("deferred", report.deferred())
            .put("failed", report.execution().failed())
            .put("reached", reachedHere.size())
            .put("actionsPlanned", planning)
            .put("heldOut", held)
            .put("notEligible", none)
            .put("nothingChosen", nothing)
            .put("segmentationFailed", unsegmented);
    ObjectNode by = r.putObject("nothingChosenByReason");
    nothingByReason.forEach(by::put);
    ObjectNode reasons = r.putObject("notChosenByReason");
    report.notChosenByReason().forEach((k, v) -> reasons.put(k.name(), v));
  }

  private static void remember(Set<String> set, @Nullable String id) {
    if (id != null) {
      set.add(id);
    }
  }

  /** Writes the block into {@code decisions}. */
  void write(ObjectNode decisions) {
    decisions
        .put("rounds", rounds)
        .put("planned", planned)
        .put("executed", executed)
        .put("deferred", deferred)
        .put("failed", failed)
        .put("notChosen", notChosen.values().stream().mapToLong(Long::longValue).sum());
    ObjectNode suppressed = decisions.putObject("suppressed");
    notChosen.forEach((k, v) -> suppressed.put(k.name(), v));
    decisions.put("heldOut", heldOut.size());
    ObjectNode customers = decisions.putObject("customers");
    customers
        .put("reached", reached.size())
        .put("heldOut", heldOut.size())
        .put("notEligible", notEligible.size())
        .put("nothingChosen", nothingChosen.size())
        .put("segmentationFailed", segmentationFailed.size());
    ObjectNode by = customers.putObject("nothingChosenByReason");
    nothingChosenBy.forEach((k, v) -> by.put(k, v.size()));
    decisions.set("byRound", byRound);
  }
}
