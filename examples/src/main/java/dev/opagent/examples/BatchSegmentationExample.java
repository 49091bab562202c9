package dev.opagent.examples;

import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchProgress;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.testkit.Fault;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * The segment agent's guide, batch processing: many customers with progress and failures. The
 * guide's {@code process_batch} runs a pool of 10 threads and turns every exception into {@code
 * str(e)}; here the client streams the batch with bounded memory and an adaptive rate, and every
 * customer gets exactly one typed outcome. The simulated agent has a request quota, random server
 * errors, dropped connections and unreadable answers, and two poison customers that always fail;
 * the input has four broken records (unreadable JSON, a wrong type, an impossible age, a negative
 * amount).
 *
 * <p>Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.BatchSegmentationExample}.
 */
public final class BatchSegmentationExample {
  private BatchSegmentationExample() {}

  /**
   * The batch's result.
   *
   * @param inputs records read
   * @param outcomes one per input, sorted by input position
   * @param summary the client's summary
   * @param progress the progress snapshots reported while it ran
   * @param poisonIds customers the agent always fails
   */
  public record BatchRun(
      int inputs,
      List<SegmentOutcome> outcomes,
      BatchSummary summary,
      List<BatchProgress> progress,
      List<String> poisonIds) {

    /** Whether every input has exactly one outcome: outcome {@code i} is input {@code i}'s. */
    public boolean oneOutcomePerInput() {
      return outcomes.size() == inputs
          && LongStream.range(0, inputs).allMatch(i -> outcomes.get((int) i).index() == i);
    }
  }

  public static void main(String[] args) {
    run(300, System.out);
  }

  /** Segments {@code customers} (at least 20) generated customers plus four broken records. */
  public static BatchRun run(int customers, PrintStream out) {
    List<String> lines = new ArrayList<>();
    PopulationGenerator.builder().seed(11).asOf(Fixtures.SEED_AS_OF).build().stream(customers)
        .forEach(c -> lines.add(c.toJson()));
    List<String> poison = List.of(idAt(lines, customers / 7), idAt(lines, customers / 4 + 1));
    lines.add(customers / 4, "{\"customerId\": \"C-BROKEN-1\", \"customer\": {\"age\": ");
    lines.add(
        customers / 2, "{\"customerId\": \"C-BROKEN-2\", \"customer\": {\"age\": \"thirty\"}}");
    lines.add(customers / 2 + 10, "{\"customerId\": \"C-BROKEN-3\", \"customer\": {\"age\": 212}}");
    lines.add(
        customers - 5,
        "{\"customerId\": \"C-BROKEN-4\", \"customer\": {\"productHistory\":"
            + " [{\"productId\": \"P-1\", \"totalSpent\": -40.0}]}}");

    List<SegmentOutcome> outcomes = new ArrayList<>();
    List<BatchProgress> progress = new ArrayList<>();
    BatchSummary summary;
    try (LocalAgent agent =
        LocalAgent.start(
            sim ->
                sim.requestsPerSecond(100)
                    .burst(10)
                    .internalErrorRate(0.04)
                    .dropRate(0.01)
                    .malformedRate(0.01)
                    .agentErrorRate(0.01)
                    .putPoisonCustomer(poison.get(0), Fault.AGENT_ERROR)
                    .putPoisonCustomer(poison.get(1), Fault.INTERNAL_ERROR)
                    .seed(5),
            client ->
                client
                    .maxRequestsPerSecond(150)
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(500)))) {
      out.printf(
          "Batch: %d records (4 of them broken) against an agent with a 100/s quota and"
              + " about 7%% faulty answers%n",
          lines.size());
      Iterator<String> source = lines.iterator();
      Iterator<CustomerData> records =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return source.hasNext();
            }

            @Override
            public CustomerData next() { // an unreadable line fails alone with INVALID_INPUT
              return CustomerData.fromJson(source.next());
            }
          };
      // as the guide's as_completed: outcomes in completion order, each carrying its input's index
      summary =
          agent
              .client()
              .analyzeStream(
                  records,
                  outcomes::add,
                  BatchOptions.builder()
                      .ordered(false)
                      .progressInterval(Duration.ofMillis(250))
                      .progressListener(
                          p -> {
                            progress.add(p);
                            out.printf(
                                Locale.ROOT,
                                "  progress %4d/%d  ok %4d  failed %2d  requests %4d"
                                    + "  throttled %3d  rate %5.1f/s%n",
                                p.done(),
                                lines.size(),
                                p.succeeded(),
                                p.failed(),
                                p.requests(),
                                p.throttled(),
                                p.currentRatePerSecond());
                          })
                      .build());
    }
    out.printf(
        Locale.ROOT,
        "%nDone: %d in, %d out · %d succeeded · %d failed · %d requests ·"
            + " %d throttled · %.0f customers/s%n",
        summary.total(),
        outcomes.size(),
        summary.succeeded(),
        summary.failed(),
        summary.requests(),
        summary.throttled(),
        summary.customersPerSecond());
    Map<String, List<SegmentOutcome.Failure>> byCode = new TreeMap<>();
    for (SegmentOutcome o : outcomes) {
      if (o instanceof SegmentOutcome.Failure f) {
        byCode.computeIfAbsent(f.code().name(), k -> new ArrayList<>()).add(f);
      }
    }
    byCode.forEach(
        (code, failures) -> {
          out.println(
              "  "
                  + code
                  + " ("
                  + (failures.get(0).retryable() ? "retryable" : "not retryable")
                  + "):");
          failures.forEach(
              f ->
                  out.printf(
                      "    record %d, customer %s, %d attempts: %s%n",
                      f.index(),
                      f.customerId() == null ? "unknown" : f.customerId(),
                      f.attempts(),
                      f.message()));
        });
    outcomes.sort(java.util.Comparator.comparingLong(SegmentOutcome::index));
    BatchRun result = new BatchRun(lines.size(), outcomes, summary, progress, poison);
    out.println("Every record has exactly one outcome: " + result.oneOutcomePerInput());
    return result;
  }

  private static String idAt(List<String> lines, int index) {
    return CustomerData.fromJson(lines.get(index)).customerId();
  }
}
