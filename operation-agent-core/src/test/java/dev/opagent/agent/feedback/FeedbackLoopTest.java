package dev.opagent.agent.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.engine.MutableClock;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.feedback.Attribution.Outcome;
import dev.opagent.agent.spi.Observation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FeedbackLoopTest {
  static final Instant T0 = Instant.parse("2026-03-15T09:00:00Z");

  private final MutableClock clock = MutableClock.at("2026-03-20T00:00:00Z");
  private final FeedbackLoop loop = FeedbackLoop.builder().clock(clock).build();

  static ActionRequest request(
      String key,
      String customer,
      String campaign,
      String actionType,
      @Nullable String variant,
      @Nullable String segment,
      String cost) {
    return new ActionRequest(
        key,
        "run-1",
        customer,
        campaign,
        actionType,
        "email",
        Map.of(),
        List.of(),
        variant,
        segment,
        new BigDecimal(cost),
        T0);
  }

  static ActionRequest email(String key, String customer, String campaign) {
    return request(key, customer, campaign, "send_email", null, "Riskli", "0.50");
  }

  private void deliver(ActionRequest r, Instant at) {
    assertThat(
            loop.recordDelivery(
                r, DeliveryReceipt.delivered(r, "email", "m-" + r.idempotencyKey(), at)))
        .isTrue();
  }

  private Attribution opened(String key, String customer, String campaign, Instant at) {
    return loop.record(Interaction.of(key, customer, campaign, InteractionType.OPENED, at));
  }

  @Test
  void recordDelivery_countsDeliveredAndReservedCost() {
    deliver(email("k1", "C-1", "winback"), T0);
    deliver(email("k2", "C-2", "winback"), T0);

    Metrics m = loop.metrics().campaign("winback").orElseThrow();
    assertThat(m.delivered()).isEqualTo(2);
    assertThat(m.cost()).isEqualByComparingTo("1.00");
    assertThat(m.openRate()).isZero();
  }

  @Test
  void recordDelivery_receiptWithActualCost_countsTheActualCost() {
    ActionRequest r = email("k1", "C-1", "winback");
    loop.recordDelivery(
        r,
        new DeliveryReceipt("k1", "email", "m-1", T0, new BigDecimal("0.30"), false, "delivered"));

    assertThat(loop.metrics().byAction().get("k1").cost()).isEqualByComparingTo("0.30");
  }

  @Test
  void recordDelivery_sameKeyTwice_countedOnceAndReportedAsDuplicate() {
    ActionRequest r = email("k1", "C-1", "winback");
    deliver(r, T0);

    boolean again = loop.recordDelivery(r, DeliveryReceipt.duplicate(r, "email", "m-1", T0));

    assertThat(again).isFalse();
    MetricsReport report = loop.metrics();
    assertThat(report.campaign("winback").orElseThrow().delivered()).isEqualTo(1);
    assertThat(report.attributions().duplicateDeliveries()).isEqualTo(1);
  }

  @Test
  void recordDelivery_duplicateReceiptForUnknownKey_isRecorded() {
    ActionRequest r = email("k1", "C-1", "winback");

    assertThat(loop.recordDelivery(r, DeliveryReceipt.duplicate(r, "email", "m-1", T0))).isTrue();
    assertThat(loop.metrics().campaign("winback").orElseThrow().delivered()).isEqualTo(1);
  }

  @Test
  void recordDelivery_receiptOfAnotherKey_isRejected() {
    ActionRequest r = email("k1", "C-1", "winback");
    DeliveryReceipt other = new DeliveryReceipt("k2", "email", "m", T0, null, false, "delivered");

    assertThatThrownBy(() -> loop.recordDelivery(r, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receipt k2 is not for action k1");
  }

  @Test
  void recordDelivery_completedJournalEntry_isRecorded_pendingOneRejected() {
    ActionRequest r = email("k1", "C-1", "winback");
    ExecutionRecord pending = ExecutionRecord.pending(r, T0);
    ExecutionRecord completed =
        new ExecutionRecord(
            r,
            dev.opagent.agent.execution.spi.ExecutionState.COMPLETED,
            1,
            T0,
            T0,
            null,
            null,
            null,
            DeliveryReceipt.delivered(r, "email", "m-1", T0));

    assertThatThrownBy(() -> loop.recordDelivery(pending))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only a completed action with a receipt was delivered, but k1 is PENDING");
    assertThat(loop.recordDelivery(completed)).isTrue();
    assertThat(loop.metrics().byAction()).containsOnlyKeys("k1");
  }

  @Test
  void completed_asExecutionListener_recordsTheDelivery() {
    ActionRequest r = email("k1", "C-1", "winback");
    dev.opagent.agent.execution.ExecutionListener listener = loop;

    listener.completed(
        new ExecutionRecord(
            r,
            dev.opagent.agent.execution.spi.ExecutionState.COMPLETED,
            1,
            T0,
            T0,
            null,
            null,
            null,
            DeliveryReceipt.delivered(r, "email", "m-1", T0)));
    listener.failed(ExecutionRecord.pending(email("k2", "C-2", "winback"), T0));

    assertThat(loop.metrics().byAction()).containsOnlyKeys("k1");
  }

  @Test
  void record_keyedOpenWithinWindow_isAttributedOnce() {
    deliver(email("k1", "C-1", "winback"), T0);

    Attribution first = opened("k1", "C-1", "winback", T0.plusSeconds(60));
    Attribution again = opened("k1", "C-1", "winback", T0.plusSeconds(120));

    assertThat(first).isEqualTo(new Attribution(Outcome.ATTRIBUTED, "k1", InteractionType.OPENED));
    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE_EVENT);
    assertThat(again.key()).contains("k1");
    Metrics m = loop.metrics().campaign("winback").orElseThrow();
    assertThat(m.opened()).isEqualTo(1);
    assertThat(m.openRate()).isEqualTo(1.0);
  }

  @Test
  void record_clickAndCouponUse_countOncePerAction() {
    deliver(email("k1", "C-1", "winback"), T0);
    deliver(email("k2", "C-2", "winback"), T0);
    for (int i = 0; i < 3; i++) {
      loop.record(
          Interaction.of("k1", "C-1", "winback", InteractionType.CLICKED, T0.plusSeconds(10 + i)));
    }
    loop.record(
        Interaction.of("k1", "C-1", "winback", InteractionType.COUPON_USED, T0.plusSeconds(60)));
    loop.record(
        Interaction.lastTouch("C-1", "winback", InteractionType.COUPON_USED, T0.plusSeconds(70)));

    MetricsReport report = loop.metrics();
    Metrics m = report.campaign("winback").orElseThrow();
    assertThat(m.clicked()).isEqualTo(1);
    assertThat(m.couponsUsed()).isEqualTo(1);
    assertThat(m.clickRate()).isEqualTo(0.5);
    assertThat(m.couponRate()).isEqualTo(0.5);
    assertThat(report.attributions().count(InteractionType.CLICKED, Outcome.DUPLICATE_EVENT))
        .isEqualTo(2);
    assertThat(report.attributions().count(InteractionType.COUPON_USED, Outcome.DUPLICATE_EVENT))
        .isEqualTo(1);
  }

  @Test
  void record_deliveryConfirmation_isAttributedWithoutChangingCounts() {
    deliver(email("k1", "C-1", "winback"), T0);

    Attribution a =
        loop.record(
            Interaction.of("k1", "C-1", "winback", InteractionType.DELIVERED, T0.plusSeconds(5)));
    Attribution b =
        loop.record(
            Interaction.of("k1", "C-1", "winback", InteractionType.DELIVERED, T0.plusSeconds(6)));

    assertThat(a.outcome()).isEqualTo(Outcome.ATTRIBUTED);
    assertThat(b.outcome()).isEqualTo(Outcome.DUPLICATE_EVENT);
    assertThat(loop.metrics().campaign("winback").orElseThrow().delivered()).isEqualTo(1);
  }

  @Test
  void record_unknownKey_isUnattributed() {
    Attribution a = opened("nope", "C-1", "winback", T0);

    assertThat(a)
        .isEqualTo(new Attribution(Outcome.UNATTRIBUTED_NO_DELIVERY, null, InteractionType.OPENED));
    assertThat(a.isAttributed()).isFalse();
  }

  @Test
  void record_keyOfAnotherCustomerOrCampaign_isAMismatch() {
    deliver(email("k1", "C-1", "winback"), T0);

    assertThat(opened("k1", "C-2", "winback", T0).outcome()).isEqualTo(Outcome.KEY_MISMATCH);
    assertThat(opened("k1", "C-1", "loyalty", T0).outcome()).isEqualTo(Outcome.KEY_MISMATCH);
    assertThat(loop.metrics().campaign("winback").orElseThrow().opened()).isZero();
  }

  @Test
  void record_atTheWindowsEnd_isAttributed_oneSecondLaterIsOutside() {
    deliver(email("k1", "C-1", "winback"), T0);
    deliver(email("k2", "C-2", "winback"), T0);

    Attribution atEnd = opened("k1", "C-1", "winback", T0.plus(Duration.ofDays(7)));
    Attribution after = opened("k2", "C-2", "winback", T0.plus(Duration.ofDays(7)).plusSeconds(1));

    assertThat(atEnd.outcome()).isEqualTo(Outcome.ATTRIBUTED);
    assertThat(after)
        .isEqualTo(new Attribution(Outcome.OUTSIDE_WINDOW, "k2", InteractionType.OPENED));
  }

  @Test
  void record_customWindow_isUsed() {
    FeedbackLoop shortLoop = FeedbackLoop.builder().conversionWindow(Duration.ofHours(1)).build();
    ActionRequest r = email("k1", "C-1", "winback");
    shortLoop.recordDelivery(r, DeliveryReceipt.delivered(r, "email", "m", T0));

    Attribution a =
        shortLoop.record(
            Interaction.conversion("C-1", "winback", T0.plus(Duration.ofMinutes(61)), null));

    assertThat(shortLoop.conversionWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(a.outcome()).isEqualTo(Outcome.OUTSIDE_WINDOW);
  }

  @Test
  void record_beforeDelivery_isNotCounted() {
    deliver(email("k1", "C-1", "winback"), T0);

    Attribution keyed = opened("k1", "C-1", "winback", T0.minusSeconds(1));
    Attribution lastTouch =
        loop.record(Interaction.conversion("C-1", "winback", T0.minusSeconds(1), BigDecimal.TEN));

    assertThat(keyed)
        .isEqualTo(new Attribution(Outcome.BEFORE_DELIVERY, "k1", InteractionType.OPENED));
    assertThat(lastTouch)
        .isEqualTo(new Attribution(Outcome.BEFORE_DELIVERY, "k1", InteractionType.CONVERTED));
    assertThat(loop.metrics().campaign("winback").orElseThrow().conversions()).isZero();
  }

  @Test
  void record_lastTouch_picksTheMostRecentDeliveryOfTheCampaignBeforeTheInteraction() {
    deliver(email("day0", "C-1", "winback"), T0);
    deliver(
        request("day2", "C-1", "winback", "send_sms", null, "Riskli", "0.05"),
        T0.plus(Duration.ofDays(2)));
    deliver(email("day5", "C-1", "winback"), T0.plus(Duration.ofDays(5)));
    deliver(email("other", "C-1", "loyalty"), T0.plus(Duration.ofDays(3)));

    Attribution a =
        loop.record(
            Interaction.conversion(
                "C-1", "winback", T0.plus(Duration.ofDays(3)), new BigDecimal("120")));

    assertThat(a).isEqualTo(new Attribution(Outcome.ATTRIBUTED, "day2", InteractionType.CONVERTED));
    MetricsReport report = loop.metrics();
    assertThat(report.byAction().get("day2").conversions()).isEqualTo(1);
    assertThat(report.byStrategy().get(new StrategyKey("winback", "send_sms")).revenue())
        .isEqualByComparingTo("120");
    assertThat(report.campaign("loyalty").orElseThrow().conversions()).isZero();
  }

  @Test
  void record_lastTouchWithoutDeliveryOfTheCampaign_isUnattributed() {
    deliver(email("k1", "C-1", "winback"), T0);

    Attribution otherCampaign =
        loop.record(Interaction.conversion("C-1", "loyalty", T0.plusSeconds(60), BigDecimal.ONE));
    Attribution otherCustomer =
        loop.record(Interaction.conversion("C-2", "winback", T0.plusSeconds(60), BigDecimal.ONE));

    assertThat(otherCampaign.outcome()).isEqualTo(Outcome.UNATTRIBUTED_NO_DELIVERY);
    assertThat(otherCustomer.outcome()).isEqualTo(Outcome.UNATTRIBUTED_NO_DELIVERY);
  }

  @Test
  void record_secondConversionInTheSameCycle_isADuplicate() {
    deliver(email("k1", "C-1", "winback"), T0);

    Attribution first =
        loop.record(
            Interaction.conversion(
                "C-1", "winback", T0.plus(Duration.ofDays(1)), new BigDecimal("100")));
    Attribution second =
        loop.record(
            Interaction.conversion(
                "C-1", "winback", T0.plus(Duration.ofDays(2)), new BigDecimal("80")));
    Attribution keyed =
        loop.record(
            new Interaction(
                "k1",
                "C-1",
                "winback",
                InteractionType.CONVERTED,
                T0.plus(Duration.ofDays(1)),
                new BigDecimal("100")));

    assertThat(first.outcome()).isEqualTo(Outcome.ATTRIBUTED);
    assertThat(second)
        .isEqualTo(new Attribution(Outcome.DUPLICATE_CONVERSION, "k1", InteractionType.CONVERTED));
    assertThat(keyed.outcome()).isEqualTo(Outcome.DUPLICATE_CONVERSION);
    Metrics m = loop.metrics().campaign("winback").orElseThrow();
    assertThat(m.conversions()).isEqualTo(1);
    assertThat(m.revenue()).isEqualByComparingTo("100");
  }

  @Test
  void record_conversionNamingAnEarlierDeliveryAfterALaterOneConverted_isADuplicate() {
    deliver(email("day0", "C-1", "winback"), T0);
    deliver(email("day1", "C-1", "winback"), T0.plus(Duration.ofDays(1)));
    loop.record(Interaction.conversion("C-1", "winback", T0.plus(Duration.ofDays(2)), null));

    Attribution late =
        loop.record(
            new Interaction(
                "day0",
                "C-1",
                "winback",
                InteractionType.CONVERTED,
                T0.plus(Duration.ofDays(2)),
                null));

    assertThat(late)
        .isEqualTo(
            new Attribution(Outcome.DUPLICATE_CONVERSION, "day0", InteractionType.CONVERTED));
  }

  @Test
  void record_conversionAfterANewDelivery_countsAgain() {
    deliver(email("march", "C-1", "winback"), T0);
    loop.record(
        Interaction.conversion(
            "C-1", "winback", T0.plus(Duration.ofDays(1)), new BigDecimal("50")));
    deliver(email("april", "C-1", "winback"), T0.plus(Duration.ofDays(30)));

    Attribution a =
        loop.record(
            Interaction.conversion(
                "C-1", "winback", T0.plus(Duration.ofDays(31)), new BigDecimal("70")));

    assertThat(a)
        .isEqualTo(new Attribution(Outcome.ATTRIBUTED, "april", InteractionType.CONVERTED));
    Metrics m = loop.metrics().campaign("winback").orElseThrow();
    assertThat(m.conversions()).isEqualTo(2);
    assertThat(m.revenue()).isEqualByComparingTo("120");
  }

  @Test
  void metrics_revenueAndCost_giveTheRoi() {
    deliver(request("k1", "C-1", "winback", "send_email", null, "Riskli", "2.00"), T0);
    deliver(request("k2", "C-2", "winback", "send_email", null, "Riskli", "2.00"), T0);
    loop.record(
        Interaction.conversion("C-1", "winback", T0.plusSeconds(10), new BigDecimal("14.00")));

    Metrics m = loop.metrics().campaign("winback").orElseThrow();
    assertThat(m.conversionRate()).isEqualTo(0.5);
    assertThat(m.roi()).isEqualTo(2.5);
  }

  @Test
  void metrics_withoutCostOrDeliveries_rateAndRoiAreNaN() {
    deliver(request("k1", "C-1", "in_app", "push_message", null, null, "0"), T0);

    Metrics m = loop.metrics().campaign("in_app").orElseThrow();
    assertThat(m.roi()).isNaN();
    assertThat(Metrics.EMPTY.conversionRate()).isNaN();
    assertThat(Metrics.EMPTY.openRate()).isNaN();
  }

  @Test
  void metrics_groupsByActionCampaignStrategySegmentAndVariant() {
    deliver(request("a", "C-1", "winback", "send_email", "control", "Riskli", "1"), T0);
    deliver(request("b", "C-2", "winback", "send_email", "discount", "Riskli", "1"), T0);
    deliver(request("c", "C-3", "winback", "send_sms", "discount", "Kayıp", "1"), T0);
    deliver(request("d", "C-4", "loyalty", "send_email", "control", null, "1"), T0);
    loop.record(Interaction.conversion("C-2", "winback", T0.plusSeconds(1), new BigDecimal("9")));

    MetricsReport r = loop.metrics();

    assertThat(r.asOf()).isEqualTo(clock.instant());
    assertThat(r.byAction()).containsOnlyKeys("a", "b", "c", "d");
    assertThat(r.byAction().get("b").conversions()).isEqualTo(1);
    assertThat(r.byCampaign()).containsOnlyKeys("loyalty", "winback");
    assertThat(r.byStrategy().keySet())
        .containsExactly(
            new StrategyKey("loyalty", "send_email"),
            new StrategyKey("winback", "send_email"),
            new StrategyKey("winback", "send_sms"));
    assertThat(r.bySegment().keySet()).containsExactly("Kayıp", "Riskli");
    assertThat(r.bySegment().get("Riskli").delivered()).isEqualTo(2);
    assertThat(r.byVariant().keySet())
        .containsExactly(
            new VariantKey("loyalty", "control"),
            new VariantKey("winback", "control"),
            new VariantKey("winback", "discount"));
    assertThat(r.variants("winback")).containsOnlyKeys("control", "discount");
    assertThat(r.variants("winback").get("discount").delivered()).isEqualTo(2);
    assertThat(r.variants("winback").get("discount").conversions()).isEqualTo(1);
    assertThat(loop.variants("winback")).isEqualTo(r.variants("winback"));
    assertThat(r.total().delivered()).isEqualTo(4);
    assertThat(r.total().revenue()).isEqualByComparingTo("9");
  }

  @Test
  void metrics_countEveryOutcome() {
    deliver(email("k1", "C-1", "winback"), T0);
    opened("k1", "C-1", "winback", T0.plusSeconds(1)); // attributed
    opened("k1", "C-1", "winback", T0.plusSeconds(2)); // duplicate event
    opened("zz", "C-1", "winback", T0); // no delivery
    opened("k1", "C-9", "winback", T0); // key mismatch
    opened("k1", "C-1", "winback", T0.minusSeconds(1)); // before delivery
    opened("k1", "C-1", "winback", T0.plus(Duration.ofDays(8))); // outside window
    loop.record(Interaction.conversion("C-1", "winback", T0.plusSeconds(3), null));
    loop.record(Interaction.conversion("C-1", "winback", T0.plusSeconds(4), null));

    AttributionCounts counts = loop.metrics().attributions();

    Map<Outcome, Long> expected = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      expected.put(o, o == Outcome.ATTRIBUTED ? 2L : 1L);
    }
    assertThat(counts.byOutcome()).isEqualTo(expected);
    assertThat(counts.total()).isEqualTo(8);
    assertThat(counts.count(InteractionType.CONVERTED, Outcome.ATTRIBUTED)).isEqualTo(1);
    assertThat(counts.count(InteractionType.OPENED, Outcome.ATTRIBUTED)).isEqualTo(1);
  }

  @Test
  void observed_countsDeliveriesAndConversionsPerStrategyAndSegment() {
    deliver(request("a", "C-1", "winback", "send_email", null, "Riskli", "1"), T0);
    deliver(request("b", "C-2", "winback", "send_email", null, "Riskli", "1"), T0);
    deliver(request("c", "C-3", "winback", "send_email", null, "Kayıp", "1"), T0);
    deliver(request("d", "C-4", "winback", "send_sms", null, "Riskli", "1"), T0);
    deliver(request("e", "C-5", "winback", "send_email", null, null, "1"), T0);
    loop.record(Interaction.conversion("C-2", "winback", T0.plusSeconds(5), null));
    loop.record(Interaction.conversion("C-5", "winback", T0.plusSeconds(5), null));

    assertThat(loop.observed("winback", "send_email", "Riskli")).isEqualTo(new Observation(1, 2));
    assertThat(loop.observed("winback", "send_email", "Kayıp")).isEqualTo(new Observation(0, 1));
    assertThat(loop.observed("winback", "send_sms", "Riskli")).isEqualTo(new Observation(0, 1));
    assertThat(loop.observed("winback", "send_push", "Riskli")).isEqualTo(Observation.NONE);
    assertThat(loop.observed("loyalty", "send_email", "Riskli")).isEqualTo(Observation.NONE);
  }

  @Test
  void campaigns_giveTheCampaignCountersInCampaignOrder() {
    deliver(email("k1", "C-1", "winback"), T0);
    deliver(email("k2", "C-2", "crosssell"), T0);
    opened("k1", "C-1", "winback", T0.plusSeconds(1));
    loop.record(Interaction.of("k1", "C-1", "winback", InteractionType.CLICKED, T0.plusSeconds(2)));
    loop.record(Interaction.conversion("C-1", "winback", T0.plusSeconds(3), new BigDecimal("40")));

    assertThat(loop.campaigns().keySet()).containsExactly("crosssell", "winback");
    assertThat(loop.campaign("winback"))
        .contains(new Metrics(1, 1, 1, 0, 1, new BigDecimal("40"), new BigDecimal("0.50")));
    assertThat(loop.campaigns().get("winback")).isEqualTo(loop.campaign("winback").orElseThrow());
    assertThat(loop.campaign("loyalty")).isEmpty();
  }

  @Test
  void builder_nonPositiveWindow_isRejected() {
    assertThatThrownBy(() -> FeedbackLoop.builder().conversionWindow(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conversionWindow must be positive but was PT0S");
    assertThat(FeedbackLoop.ofDefaults().conversionWindow()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void interaction_revenueOnAnOpen_isRejected() {
    assertThatThrownBy(
            () ->
                new Interaction("k", "C-1", "winback", InteractionType.OPENED, T0, BigDecimal.ONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("revenue is only for CONVERTED interactions but type was OPENED");
    assertThatThrownBy(() -> Interaction.conversion("C-1", "winback", T0, new BigDecimal("-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("revenue must not be negative but was -1");
  }

  @Test
  void restore_attributedInteractions_countAsRecordedWithoutDecidingAgain() {
    ActionRequest r = email("k1", "C-1", "winback");
    deliver(r, T0);
    Interaction open =
        Interaction.of("k1", "C-1", "winback", InteractionType.OPENED, T0.plusSeconds(60));
    Interaction late =
        Interaction.conversion(
            "C-1", "winback", T0.plus(Duration.ofDays(30)), new BigDecimal("20"));

    loop.restore(open, new Attribution(Outcome.ATTRIBUTED, "k1", InteractionType.OPENED));
    loop.restore(open, new Attribution(Outcome.DUPLICATE_EVENT, "k1", InteractionType.OPENED));
    // Outside the window today, but stored as attributed when it was first recorded.
    loop.restore(late, new Attribution(Outcome.ATTRIBUTED, "k1", InteractionType.CONVERTED));

    MetricsReport report = loop.metrics();
    assertThat(report.campaign("winback").orElseThrow())
        .isEqualTo(new Metrics(1, 1, 0, 0, 1, new BigDecimal("20"), new BigDecimal("0.50")));
    assertThat(report.attributions().count(InteractionType.OPENED, Outcome.ATTRIBUTED))
        .isEqualTo(1);
    assertThat(report.attributions().count(InteractionType.OPENED, Outcome.DUPLICATE_EVENT))
        .isEqualTo(1);
    assertThat(loop.observed("winback", "send_email", "Riskli")).isEqualTo(new Observation(1, 1));
    assertThat(
            loop.record(Interaction.conversion("C-1", "winback", T0.plusSeconds(120), null))
                .outcome())
        .isEqualTo(Outcome.DUPLICATE_CONVERSION);
  }

  @Test
  void restore_attributedToAnUnknownOrForeignAction_isRejected() {
    deliver(email("k1", "C-1", "winback"), T0);
    Interaction open = Interaction.of("k2", "C-1", "winback", InteractionType.OPENED, T0);

    assertThatThrownBy(
            () ->
                loop.restore(
                    open, new Attribution(Outcome.ATTRIBUTED, "k2", InteractionType.OPENED)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("record the deliveries before restoring");
    assertThatThrownBy(
            () ->
                loop.restore(
                    Interaction.of("k1", "C-2", "winback", InteractionType.OPENED, T0),
                    new Attribution(Outcome.ATTRIBUTED, "k1", InteractionType.OPENED)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another customer or campaign");
    assertThatThrownBy(
            () ->
                loop.restore(
                    open, new Attribution(Outcome.ATTRIBUTED, "k1", InteractionType.CLICKED)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the attribution is of type CLICKED but the interaction is OPENED");
    assertThat(loop.metrics().attributions().total()).isZero();
  }
}
