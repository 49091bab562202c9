package dev.opagent.examples;

import dev.opagent.agent.engine.GuardrailVerdict;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.rules.Verdict;
import dev.opagent.segment.MissingRegular;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentLabel;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** One-line descriptions the examples print. Stateless and thread-safe. */
final class Show {
  private Show() {}

  /** {@code churn Ilık · value LowValue · … · overdue P-2001 (24 days)}. */
  static String analysis(SegmentAnalysis a) {
    String overdue =
        a.missingRegulars().isEmpty()
            ? "none"
            : a.missingRegulars().stream().map(Show::overdue).collect(Collectors.joining(", "));
    return "churn "
        + label(a.churnSegment())
        + " · value "
        + label(a.valueSegment())
        + " · loyalty "
        + label(a.loyaltyTier())
        + " · diversity "
        + label(a.diversityProfile())
        + " · affinity "
        + label(a.affinityType())
        + " · age "
        + label(a.ageSegment())
        + " · overdue regulars: "
        + overdue;
  }

  private static String overdue(MissingRegular m) {
    return m.productId() + " (" + m.daysOverdue() + " days)";
  }

  private static String label(@Nullable SegmentLabel label) {
    return label == null ? "-" : label.wireValue();
  }

  /** A campaign's verdict: {@code eligible}, or the failing condition and the value seen. */
  static String verdict(Verdict v) {
    if (v instanceof Verdict.Ineligible i) {
      return "not eligible: " + i.reason().message();
    } else if (v instanceof Verdict.HeldOut h) {
      return "held out (control group " + h.holdout() + ")";
    } else if (v instanceof Verdict.Inactive i) {
      return "inactive: " + i.cause() + " " + i.detail();
    }
    return "eligible";
  }

  /** {@code #1 retention/send_email on email — CHOSEN (p 2.0%, expected value 0.94)}. */
  static String action(PlannedAction a) {
    return String.format(
        Locale.ROOT,
        "#%d %s/%s on %s — %s (p %.1f%%, expected value %.2f)",
        a.rank(),
        a.campaign(),
        a.actionType(),
        a.channel() == null ? "no channel" : a.channel(),
        a.status(),
        a.score().probability() * 100,
        a.score().score());
  }

  /** The verdict that decided an action: {@code FREQUENCY_CAP: …}. */
  static String deciding(PlannedAction a) {
    GuardrailVerdict v = a.deciding();
    return v == null ? a.reason().name() : v.guardrail() + " " + v.reason() + ": " + v.message();
  }
}
