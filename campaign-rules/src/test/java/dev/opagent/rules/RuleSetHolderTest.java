package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetHolderTest {
  private static final int RULES = 10;

  /** Ten rules named {@code <generation>-<i>}; generation g matches customers with tier g. */
  private static String generation(String g) {
    return IntStream.range(0, RULES)
        .mapToObj(
            i ->
                "{\"rule_id\": \"r"
                    + i
                    + "\", \"name\": \""
                    + g
                    + "-"
                    + i
                    + "\", \"conditions\": {\"tier\": \""
                    + g
                    + "\", \"n\": {\"$gte\": "
                    + i
                    + "}}, \"actions\": [{\"type\": \"send_email\"}]}")
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static void write(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void reload_changedValidUnchangedAndInvalidContent_swapsOnlyValidChanges(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("rules.json");
    write(file, generation("A"));
    RuleSetHolder holder = RuleSetHolder.load(RuleSetLoader.ofDefaults(), RuleSource.file(file));
    RuleSet a = holder.current();

    assertThat(holder.reload())
        .isInstanceOfSatisfying(
            ReloadResult.Unchanged.class, r -> assertThat(r.current()).isSameAs(a));

    write(file, generation("B"));
    ReloadResult reloaded = holder.reload();
    assertThat(reloaded)
        .isInstanceOfSatisfying(
            ReloadResult.Reloaded.class,
            r -> {
              assertThat(r.previous()).isSameAs(a);
              assertThat(r.current().rule("r0").orElseThrow().name()).isEqualTo("B-0");
            });
    RuleSet b = holder.current();

    write(file, "[{\"rule_id\": \"r0\", \"conditions\": {\"x\": {\"$regx\": 1}}}]");
    assertThat(holder.reload())
        .isInstanceOfSatisfying(
            ReloadResult.Rejected.class,
            r -> {
              assertThat(r.current()).isSameAs(b);
              assertThat(r.problems())
                  .filteredOn(p -> p.severity() == Problem.Severity.ERROR)
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.pointer()).isEqualTo("/0/conditions/x/$regx");
                        assertThat(p.line()).isEqualTo(1);
                      });
            });
    assertThat(holder.current()).isSameAs(b);
  }

  @Test
  void load_invalidInitialContent_throws(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.json");
    write(file, "{");
    assertThatThrownBy(() -> RuleSetHolder.load(RuleSetLoader.ofDefaults(), RuleSource.file(file)))
        .isInstanceOf(InvalidRuleSetException.class);
  }

  @Test
  void evaluate_duringConcurrentReloads_everyEvaluationSeesOneConsistentRuleSet(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("rules.json");
    write(file, generation("A"));
    RuleSetHolder holder = RuleSetHolder.load(RuleSetLoader.ofDefaults(), RuleSource.file(file));
    CampaignEvaluator evaluator = CampaignEvaluator.ofDefaults();
    var tierA = MapAttributes.of(Map.of("tier", "A", "n", 100));
    var tierB = MapAttributes.of(Map.of("tier", "B", "n", 100));

    int evaluators = 4;
    ExecutorService pool = Executors.newFixedThreadPool(evaluators + 1);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean reloading = new AtomicBoolean(true);
    try {
      Future<Integer> reloader =
          pool.submit(
              () -> {
                start.await();
                int swaps = 0;
                try {
                  for (int i = 1; i <= 150; i++) {
                    write(file, generation(i % 2 == 0 ? "A" : "B"));
                    if (holder.reload() instanceof ReloadResult.Reloaded) {
                      swaps++;
                    }
                  }
                } finally {
                  reloading.set(false);
                }
                return swaps;
              });
      List<Future<int[]>> workers = new ArrayList<>();
      for (int w = 0; w < evaluators; w++) {
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  int[] seen = new int[2];
                  int evaluations = 0;
                  while (reloading.get() || evaluations < 1000) {
                    RuleSet snapshot = holder.current();
                    Eligibility ea = evaluator.evaluate(snapshot, "C-" + evaluations, tierA);
                    Eligibility eb = evaluator.evaluate(snapshot, "C-" + evaluations, tierB);
                    String generation = snapshot.rules().get(0).name().substring(0, 1);
                    // all ten verdicts of one evaluation come from the same generation
                    assertThat(ea.details())
                        .allSatisfy(v -> assertThat(v.name()).startsWith(generation));
                    assertThat(eb.details())
                        .allSatisfy(v -> assertThat(v.name()).startsWith(generation));
                    Eligibility matching = generation.equals("A") ? ea : eb;
                    Eligibility other = generation.equals("A") ? eb : ea;
                    assertThat(matching.eligible()).hasSize(RULES);
                    assertThat(other.eligible()).isEmpty();
                    seen[generation.equals("A") ? 0 : 1]++;
                    evaluations++;
                  }
                  return seen;
                }));
      }
      start.countDown();
      assertThat(reloader.get(30, TimeUnit.SECONDS)).isEqualTo(150);
      int sawA = 0;
      int sawB = 0;
      for (Future<int[]> f : workers) {
        int[] seen = f.get(30, TimeUnit.SECONDS);
        sawA += seen[0];
        sawB += seen[1];
      }
      assertThat(sawA + sawB).isGreaterThanOrEqualTo(evaluators * 1000);
      assertThat(holder.current().rules().get(0).name()).startsWith("A");
    } finally {
      pool.shutdownNow();
    }
  }
}
