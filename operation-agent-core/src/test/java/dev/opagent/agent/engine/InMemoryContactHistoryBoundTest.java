package dev.opagent.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.policy.CapWindow;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.FrequencyCap;
import dev.opagent.agent.spi.Contact;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory contact history forgets only what no frequency cap can see, and says so. */
class InMemoryContactHistoryBoundTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Contact email(Instant at) {
    return Contact.of(Channel.EMAIL, at, "winback", "send_email");
  }

  @Test
  void record_manyDaysOfCustomers_keepsOnlyTheRetention() {
    InMemoryContactHistory history = new InMemoryContactHistory(Duration.ofDays(7));

    for (int day = 0; day < 60; day++) {
      for (int c = 0; c < 100; c++) {
        history.record("C-" + day + "-" + c, email(T0.plus(Duration.ofDays(day))));
      }
    }
    history.record("C-last", email(T0.plus(Duration.ofDays(60))));

    assertThat(history.customers())
        .as("customers whose only contact is older than 7 days are" + " forgotten")
        .isLessThanOrEqualTo(8 * 100 + 1 + 2048);
    assertThat(history.all("C-0-0")).isEmpty();
    assertThat(history.all("C-59-0")).hasSize(1);
  }

  @Test
  void record_oneCustomerOverMonths_keepsOnlyRecentContacts() {
    InMemoryContactHistory history = new InMemoryContactHistory(Duration.ofDays(30));

    for (int day = 0; day < 365; day++) {
      history.record("C-1", email(T0.plus(Duration.ofDays(day))));
    }

    assertThat(history.all("C-1")).hasSize(31);
    Instant now = T0.plus(Duration.ofDays(364));
    assertThat(history.contactsSince("C-1", now.minus(Duration.ofDays(30)))).hasSize(31);
  }

  @Test
  void contactsSince_beforeWhatWasEvicted_failsInsteadOfAnsweringShort() {
    InMemoryContactHistory history = new InMemoryContactHistory(Duration.ofDays(7));
    history.record("C-1", email(T0));
    history.record("C-1", email(T0.plus(Duration.ofDays(10))));

    assertThatThrownBy(() -> history.contactsSince("C-1", T0.minusSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retention at least as long as the longest frequency-cap window")
        .hasMessageNotContaining("C-1");
    assertThat(history.contactsSince("C-1", T0.plus(Duration.ofDays(3)))).hasSize(1);
  }

  @Test
  void defaultRetention_isDocumentedValue() {
    assertThat(new InMemoryContactHistory().retention()).isEqualTo(Duration.ofDays(400));
    assertThatThrownBy(() -> new InMemoryContactHistory(Duration.ZERO))
        .hasMessage("retention must be positive but was PT0S");
  }

  @Test
  void engine_historyShorterThanTheLongestCap_isRefused() {
    DecisionPolicy policy =
        Scenarios.bare()
            .addFrequencyCap(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(30)))
            .build();

    assertThatThrownBy(
            () ->
                DecisionEngine.builder()
                    .policy(policy)
                    .contactHistory(new InMemoryContactHistory(Duration.ofDays(7)))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention at least that long");
    DecisionEngine.builder()
        .policy(policy)
        .contactHistory(new InMemoryContactHistory(Duration.ofDays(31)))
        .build();
  }
}
