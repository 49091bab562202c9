package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.rules.assignment.Holdout;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine hands every decision, live or dry, to its listeners, as it returns it. */
class DecisionListenerTest {
  private static final Holdout CONTROL = Holdout.of("global-control-2026", 10);
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");

  private static String firstHeldOut() {
    for (int i = 0; ; i++) {
      if (CONTROL.contains("C-" + i)) {
        return "C-" + i;
      }
    }
  }

  private static String firstNotHeldOut() {
    for (int i = 0; ; i++) {
      if (!CONTROL.contains("C-" + i)) {
        return "C-" + i;
      }
    }
  }

  @Test
  void decide_liveDryAndHeldOut_everyDecisionReachesEveryListenerOnceAsReturned() {
    List<Decision> first = Collections.synchronizedList(new ArrayList<>());
    List<Decision> second = Collections.synchronizedList(new ArrayList<>());
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(Scenarios.bare().globalHoldout(CONTROL).build())
            .listener(first::add)
            .listener(second::add)
            .build();
    String reached = firstNotHeldOut();
    String held = firstHeldOut();

    Decision live =
        engine.decide(Scenarios.customer(reached, campaign("winback", 50, action("send_email"))));
    Decision dry =
        engine.dryRun(Scenarios.customer(reached, campaign("winback", 50, action("send_email"))));
    Decision heldOut =
        engine.decide(Scenarios.customer(held, campaign("winback", 50, action("send_email"))));

    assertThat(first).containsExactly(live, dry, heldOut);
    assertThat(first.get(0)).isSameAs(live);
    assertThat(second).containsExactlyElementsOf(first);
    assertThat(dry.mode()).isEqualTo(RunMode.DRY_RUN);
    assertThat(heldOut.globalHoldout()).isTrue();
  }

  @Test
  void decideAll_runOverCustomers_listenerSeesEachDecisionTheSinkSees() {
    List<Decision> heard = new ArrayList<>();
    List<Decision> sunk = new ArrayList<>();
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(Scenarios.bare().build())
            .listener(heard::add)
            .build();

    RunSummary summary =
        engine
            .startRun(RunMode.LIVE)
            .decideAll(
                List.of(
                    Scenarios.customer("C-1", campaign("winback", 50, action("send_email"))),
                    Scenarios.customer(
                        "C-2",
                        ZoneId.of("UTC"),
                        List.of(Channel.SMS),
                        campaign("winback", 50, action("send_email")))),
                sunk::add);

    assertThat(heard).containsExactlyElementsOf(sunk);
    assertThat(summary.customers()).isEqualTo(2);
    assertThat(heard.get(1).candidates().get(0).reason()).isEqualTo(ReasonCode.CONSENT_MISSING);
  }

  @Test
  void decide_listenerThrows_decisionIsUnchangedAndLaterListenersStillHear() {
    List<Decision> later = new ArrayList<>();
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(Scenarios.bare().build())
            .listener(
                d -> {
                  throw new IllegalStateException("listener broke");
                })
            .listener(later::add)
            .build();

    Decision d =
        engine.decide(Scenarios.customer("C-1", campaign("winback", 50, action("send_email"))));

    assertThat(d.chosen()).hasSize(1);
    assertThat(later).containsExactly(d);
  }
}
