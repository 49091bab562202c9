package dev.opagent.agent.strategy;

/**
 * A template that produced no proposal, and why. Immutable and thread-safe.
 *
 * @param templateId the template
 * @param type its strategy type
 * @param reason why it was skipped
 * @param detail a one-line explanation (paths, counts; never customer data)
 */
public record SkippedTemplate(String templateId, StrategyType type, Reason reason, String detail) {

  /** Why a template produced no proposal. */
  public enum Reason {
    /** Its target reads attributes the population does not describe. */
    NOT_ESTIMABLE,
    /** Its estimated audience is below the generator's minimum. */
    AUDIENCE_TOO_SMALL,
    /** Its type was not requested. */
    TYPE_NOT_REQUESTED,
    /** It ranked below the generator's maximum number of proposals. */
    RANKED_OUT
  }
}
