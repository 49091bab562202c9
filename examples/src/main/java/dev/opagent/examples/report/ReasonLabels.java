package dev.opagent.examples.report;

import dev.opagent.agent.engine.ReasonCode;

/**
 * Plain words for the engine's {@link ReasonCode}s, as a marketer reads them in the report. The
 * mapping is a switch over the enum without a default, so a new code does not compile until it has
 * words. Stateless and thread-safe.
 */
final class ReasonLabels {
  /** The longest label: the chart's axis cuts longer ones. */
  static final int MAX_LABEL_LENGTH = 28;

  private ReasonLabels() {}

  /** The plain words for {@code code}, at most {@link #MAX_LABEL_LENGTH} characters. */
  static String label(ReasonCode code) {
    return switch (code) {
      case PASSED -> "Passed every check";
      case CAP_BYPASSED -> "Frequency cap bypassed";
      case APPROVED -> "Approved";
      case BELOW_MIN_SCORE -> "Expected value too low";
      case EXCLUSIVE_CAMPAIGN -> "Lost to a rival campaign";
      case RUN_CAP_CHANNEL -> "Channel limit per run";
      case RUN_CAP_TOTAL -> "Action limit per run";
      case UNMAPPED_ACTION_TYPE -> "No channel for the action";
      case CONSENT_MISSING -> "No consent for the channel";
      case FREQUENCY_CAP -> "Frequency cap reached";
      case QUIET_HOURS -> "Inside quiet hours";
      case APPROVAL_REQUIRED -> "Approval requested";
      case APPROVAL_PENDING -> "Awaiting approval";
      case APPROVAL_REJECTED -> "Approval rejected";
      case EXECUTION_LIMIT -> "Daily limit reached";
      case BUDGET_EXHAUSTED -> "Budget exhausted";
      case INVALID_AMOUNT -> "Amount not valid";
      case HELD_OUT -> "Held out (control group)";
    };
  }

  /**
   * The plain words for a code's name as a summary carries it; a name this version does not know (a
   * newer engine's) is returned as it is.
   */
  static String label(String code) {
    for (ReasonCode c : ReasonCode.values()) {
      if (c.name().equals(code)) {
        return label(c);
      }
    }
    return code;
  }
}
