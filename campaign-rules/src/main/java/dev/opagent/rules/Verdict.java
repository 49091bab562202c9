package dev.opagent.rules;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.opagent.rules.condition.Failure;
import java.util.List;

/**
 * One rule's verdict for one customer, with the reason. Immutable and thread-safe. Serialises with
 * a plain Jackson {@code ObjectMapper}, the kind in a {@code status} property:
 *
 * <pre>{@code
 * {"status":"eligible","ruleId":"winback","name":"Win-back","priority":75,"actions":[…]}
 * {"status":"ineligible","ruleId":"loyalty","name":"Loyalty","reason":{"path":"segments.loyaltyTier",
 *   "operator":"$in","expected":["Platin","Altın"],"actual":"Bronz","message":"…"}}
 * {"status":"held_out","ruleId":"winback","name":"Win-back","holdout":"rule:winback",
 *   "bucket":0.031,"percentage":10.0}
 * {"status":"inactive","ruleId":"spring","name":"Spring sale","cause":"EXPIRED","detail":"…"}
 * }</pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "status")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Verdict.Eligible.class, name = "eligible"),
  @JsonSubTypes.Type(value = Verdict.Ineligible.class, name = "ineligible"),
  @JsonSubTypes.Type(value = Verdict.HeldOut.class, name = "held_out"),
  @JsonSubTypes.Type(value = Verdict.Inactive.class, name = "inactive")
})
public sealed interface Verdict {

  /** The rule (campaign) id. */
  String ruleId();

  /** The rule's name. */
  String name();

  /** Whether the customer should receive the campaign. */
  @JsonIgnore
  default boolean isEligible() {
    return false;
  }

  /**
   * The customer matches and is not held out: run the actions.
   *
   * @param priority the rule's priority, for choosing among several eligible campaigns
   * @param actions what to do
   */
  record Eligible(String ruleId, String name, int priority, List<Action> actions)
      implements Verdict {
    public Eligible {
      actions = List.copyOf(actions);
    }

    @Override
    @JsonIgnore
    public boolean isEligible() {
      return true;
    }
  }

  /**
   * The customer does not match.
   *
   * @param reason the sub-condition that failed and the value it saw
   */
  record Ineligible(String ruleId, String name, Failure reason) implements Verdict {}

  /**
   * The customer matches but is in a holdout: do not treat, count as control.
   *
   * @param holdout key of the holdout ({@code rule:<id>} or the global control group's key)
   * @param bucket the customer's hash position in {@code [0, 1)}
   * @param percentage the holdout's size in percent
   */
  record HeldOut(String ruleId, String name, String holdout, double bucket, double percentage)
      implements Verdict {}

  /**
   * The rule does not apply now.
   *
   * @param cause why
   * @param detail human-readable detail (the window's ends)
   */
  record Inactive(String ruleId, String name, InactiveCause cause, String detail)
      implements Verdict {}

  /** Why a rule is {@link Inactive}. */
  enum InactiveCause {
    /** {@code enabled: false}. */
    DISABLED,
    /** Before {@code valid_from}. */
    NOT_YET_VALID,
    /** At or after {@code valid_until}. */
    EXPIRED,
    /**
     * An event-triggered rule evaluated without its event: in a round, for another event type, or
     * for an event older than the trigger's {@code within}.
     */
    AWAITING_EVENT,
    /** A rule without a trigger, evaluated for an event: it applies in rounds only. */
    ROUNDS_ONLY
  }
}
