package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.policy.DecisionPolicy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrentDecisionTest {

  @Test
  void decide_fromManyThreads_neverExceedsLimitsOrBudgets() throws Exception {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(MutableClock.at("2026-03-15T12:00:00Z"))
            .policy(
                Scenarios.bare()
                    .putExecutionLimit("create_discount", 100)
                    .budgets(
                        BudgetLimits.builder(DecisionPolicy.DEFAULT_CURRENCY)
                            .putCampaign("retention", new BigDecimal("0.50"))
                            .build())
                    .build())
            .build();
    DecisionRun run = engine.startRun(RunMode.LIVE);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 250; i++) {
                  run.decide(
                      Scenarios.customer(
                          "C-" + thread + "-" + i,
                          campaign(
                              "winback",
                              75,
                              action("send_email"),
                              action("create_discount", "discount", 0.1)),
                          campaign("retention", 50, action("send_sms"))));
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    RunSummary s = run.summary();
    assertThat(s.customers()).isEqualTo(2_000);
    assertThat(s.chosenByCampaign().get("winback")).isEqualTo(100);
    assertThat(s.chosenByCampaign().get("retention")).isEqualTo(10); // 0.50 / 0.05
    assertThat(engine.executionsToday("create_discount")).isEqualTo(100);
    assertThat(engine.budgetLedger().campaign("retention").reserved()).isEqualByComparingTo("0.50");
    assertThat(s.candidates()).isEqualTo(4_000);
  }
}
