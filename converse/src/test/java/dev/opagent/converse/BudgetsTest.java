package dev.opagent.converse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.testkit.ModelTurn;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run ends when a budget is reached, and runs no tool whose result the model cannot read. */
class BudgetsTest {
  private final Host host = new Host();

  @AfterEach
  void close() {
    host.close();
  }

  @Test
  void stepBudget_endsTheRunAndLeavesTheLastToolUsesUnrun() {
    for (int i = 0; i < 5; i++) {
      host.model.then(ModelTurn.toolUse("read_metrics", "{}"));
    }

    Transcript t =
        host.agent().budgets(Budgets.defaults().withMaxModelCalls(2)).build().run("Metrics?");

    assertThat(t.ending()).isEqualTo(Ending.STEP_BUDGET);
    assertThat(t.ending().byBudget()).isTrue();
    assertThat(t.stopReason()).isEqualTo("tool_use");
    assertThat(t.modelCalls()).isEqualTo(2);
    assertThat(t.toolCalls()).extracting(ToolCall::step).containsExactly(1);
    assertThat(t.notRun())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.step()).isEqualTo(2);
              assertThat(n.name()).isEqualTo("read_metrics");
            });
    assertThat(host.model.requestCount()).isEqualTo(2);
    assertThat(t.answer()).isEmpty();
  }

  @Test
  void tokenBudget_endsTheRunOnceTheModelHasUsedIt() {
    host.atRisk("C-1", Channel.SMS);
    host.model
        .then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}").withUsage(400, 100))
        .then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}").withUsage(500, 100))
        .then(ModelTurn.text("never"));

    Transcript t =
        host.agent().budgets(Budgets.defaults().withMaxTotalTokens(1_000)).build().run("Plan.");

    assertThat(t.ending()).isEqualTo(Ending.TOKEN_BUDGET);
    assertThat(t.usage().totalTokens()).isEqualTo(1_100);
    assertThat(t.toolCalls()).hasSize(1);
    assertThat(t.notRun()).hasSize(1);
    assertThat(host.model.remainingTurns()).isEqualTo(1);
  }

  @Test
  void timeBudget_endsTheRunWithoutAnException() {
    host.model.latency(Duration.ofMillis(150));
    for (int i = 0; i < 20; i++) {
      host.model.then(ModelTurn.toolUse("read_metrics", "{}"));
    }

    long started = System.nanoTime();
    Transcript t =
        host.agent()
            .budgets(Budgets.defaults().withMaxDuration(Duration.ofMillis(400)))
            .build()
            .run("Metrics?");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(t.ending()).isEqualTo(Ending.TIME_BUDGET);
    assertThat(t.modelCalls()).isBetween(2, 4);
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    assertThat(host.model.remainingTurns()).isPositive();
  }

  @Test
  void modelStoppingForAnotherReason_runsNoToolOfThatAnswer() {
    host.model.then(
        ModelTurn.text("Let me check")
            .andToolUse("read_metrics", "{}")
            .withStopReason("max_tokens"));

    Transcript t = host.agent().build().run("Metrics?");

    assertThat(t.ending()).isEqualTo(Ending.MODEL_STOPPED);
    assertThat(t.ending().byBudget()).isFalse();
    assertThat(t.stopReason()).isEqualTo("max_tokens");
    assertThat(t.toolCalls()).isEmpty();
    assertThat(t.notRun()).extracting(Transcript.NotRun::name).containsExactly("read_metrics");
    assertThat(t.answer()).isEqualTo("Let me check");
  }

  @Test
  void budgets_refuseNonPositiveLimits() {
    assertThatThrownBy(() -> Budgets.defaults().withMaxModelCalls(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Budgets.defaults().withMaxTotalTokens(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Budgets.defaults().withMaxDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
