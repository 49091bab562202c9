package dev.opagent.store;

import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.feedback.Metrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A seeded history of deliveries and the interactions that followed, with every attribution outcome
 * in it, and helpers to put it in a journal and to compare metrics.
 */
final class FeedbackData {
  static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
  static final List<String> CAMPAIGNS = List.of("winback", "loyalty", "crosssell");
  static final List<String> TYPES = List.of("send_email", "send_sms");
  static final List<String> SEGMENTS = List.of("Riskli", "Ilık");

  /** A delivered action: its request and its receipt. */
  record Delivery(ActionRequest request, DeliveryReceipt receipt) {}

  final List<Delivery> deliveries = new ArrayList<>();
  final List<Interaction> interactions = new ArrayList<>();

  /** {@code actions} deliveries over two days, then their interactions, from {@code seed}. */
  FeedbackData(long seed, int actions) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < actions; i++) {
      String customer = "C-" + (i % (actions * 2 / 3));
      String campaign = CAMPAIGNS.get(rnd.nextInt(CAMPAIGNS.size()));
      String type = TYPES.get(rnd.nextInt(TYPES.size()));
      String segment = rnd.nextInt(5) == 0 ? null : SEGMENTS.get(rnd.nextInt(SEGMENTS.size()));
      String variant = campaign.equals("crosssell") ? null : rnd.nextBoolean() ? "control" : "B";
      Instant at = T0.plus(Duration.ofDays(i * 2L / actions)).plus(Duration.ofMinutes(5L * i));
      ActionRequest r =
          new ActionRequest(
              "ik-" + seed + "-" + i,
              "day-" + (1 + i * 2 / actions),
              customer,
              campaign,
              type,
              type.equals("send_sms") ? "sms" : "email",
              Map.of(),
              List.of(),
              variant,
              segment,
              BigDecimal.valueOf(5 + rnd.nextInt(45), 2),
              at);
      BigDecimal actual = rnd.nextInt(3) == 0 ? new BigDecimal("0.031") : null;
      deliveries.add(
          new Delivery(
              r,
              new DeliveryReceipt(
                  r.idempotencyKey(),
                  r.channel(),
                  "m-" + i,
                  at.plusSeconds(30),
                  actual,
                  false,
                  "delivered")));
    }
    for (Delivery d : deliveries) {
      ActionRequest r = d.request();
      Instant at = d.receipt().deliveredAt();
      String key = r.idempotencyKey();
      if (rnd.nextInt(10) < 3) {
        add(key, r, InteractionType.DELIVERED, at.plusSeconds(5), null);
      }
      if (rnd.nextInt(10) < 5) {
        add(key, r, InteractionType.OPENED, at.plus(Duration.ofHours(2)), null);
        if (rnd.nextInt(10) == 0) { // a second open of the same message: counted once
          add(key, r, InteractionType.OPENED, at.plus(Duration.ofHours(5)), null);
        }
        if (rnd.nextInt(10) < 4) {
          add(key, r, InteractionType.CLICKED, at.plus(Duration.ofHours(3)), null);
        }
      }
      if (rnd.nextInt(10) == 0) {
        add(key, r, InteractionType.COUPON_USED, at.plus(Duration.ofHours(20)), null);
      }
      int conversion = rnd.nextInt(20);
      if (conversion < 4) { // last touch, a day later
        add(
            null,
            r,
            InteractionType.CONVERTED,
            at.plus(Duration.ofDays(1)),
            rnd.nextBoolean() ? BigDecimal.valueOf(1000 + rnd.nextInt(20_000), 2) : null);
        if (conversion == 0) { // a second order in the same cycle
          add(
              null,
              r,
              InteractionType.CONVERTED,
              at.plus(Duration.ofDays(2)),
              new BigDecimal("19.90"));
        }
      } else if (conversion == 4) { // after the window
        add(
            key,
            r,
            InteractionType.CONVERTED,
            at.plus(Duration.ofDays(9)),
            new BigDecimal("55.00"));
      } else if (conversion == 5) { // before the delivery
        add(key, r, InteractionType.CONVERTED, at.minus(Duration.ofHours(1)), null);
      } else if (conversion == 6) { // the key of another customer's action
        interactions.add(
            new Interaction(
                key, "C-other", r.campaign(), InteractionType.OPENED, at.plusSeconds(60), null));
      } else if (conversion == 7) { // nobody delivered anything to this customer
        interactions.add(
            Interaction.conversion(
                "C-stranger-" + key, r.campaign(), at.plusSeconds(60), new BigDecimal("10")));
      }
    }
  }

  private void add(
      String key, ActionRequest r, InteractionType type, Instant at, BigDecimal revenue) {
    interactions.add(new Interaction(key, r.customerId(), r.campaign(), type, at, revenue));
  }

  /** Journals, claims and completes every delivery, as an executor would. */
  void deliver(JdbcExecutionJournal journal) {
    deliver(journal, deliveries);
  }

  static void deliver(JdbcExecutionJournal journal, List<Delivery> some) {
    List<ActionRequest> requests = new ArrayList<>();
    some.forEach(d -> requests.add(d.request()));
    List<ExecutionRecord> enlisted = journal.enlist(requests, T0);
    if (enlisted.size() != some.size()) {
      throw new IllegalStateException("enlisted " + enlisted.size() + " of " + some.size());
    }
    for (Delivery d : some) {
      String key = d.request().idempotencyKey();
      Instant at = d.receipt().deliveredAt();
      journal.claim(key, "test", at, at.plusSeconds(60)).orElseThrow();
      if (!journal.complete(key, "test", d.receipt(), at)) {
        throw new IllegalStateException("not completed");
      }
    }
  }

  /** Records every delivery into {@code loop}, as the executor's listener would. */
  void deliver(FeedbackLoop loop) {
    deliveries.forEach(d -> loop.recordDelivery(d.request(), d.receipt()));
  }

  /** {@code m} with revenue and cost without trailing zeros, so that scales do not matter. */
  static Metrics normal(Metrics m) {
    return new Metrics(
        m.delivered(),
        m.opened(),
        m.clicked(),
        m.couponsUsed(),
        m.conversions(),
        m.revenue().stripTrailingZeros(),
        m.cost().stripTrailingZeros());
  }

  static <K> Map<K, Metrics> normal(Map<K, Metrics> metrics) {
    Map<K, Metrics> out = new LinkedHashMap<>();
    metrics.forEach((k, m) -> out.put(k, normal(m)));
    return out;
  }

  /** The effects summed by {@code key}, over the effects {@code which} accepts, normalised. */
  static <K> Map<K, Metrics> sum(
      List<StrategyEffect> effects,
      Predicate<StrategyEffect> which,
      Function<StrategyEffect, K> key) {
    Map<K, Metrics> out = new LinkedHashMap<>();
    for (StrategyEffect e : effects) {
      if (which.test(e)) {
        out.merge(key.apply(e), e.metrics(), Metrics::plus);
      }
    }
    return normal(out);
  }
}
