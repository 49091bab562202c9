package dev.opagent.agent.tools;

/** Why a tool call failed. Thread-safe (an enum). */
public enum ToolErrorCode {
  /** The tool threw; details are in the host's logs under the result's incident id. */
  TOOL_FAILED,
  /** The tool's result could not be written as JSON. */
  RESULT_NOT_SERIALIZABLE,
  /** A service the tool depends on (the segment agent, a channel) failed or is unavailable. */
  UPSTREAM_FAILED,
  /** The thing the arguments refer to (an approval request, a campaign) does not exist. */
  NOT_FOUND,
  /** A human rejected the approval; do not retry the action. */
  APPROVAL_REJECTED,
  /** The approval expired unanswered or its grant ran out; request a new one. */
  APPROVAL_EXPIRED,
  /** The action was refused by a guardrail (consent, frequency cap, budget, …). */
  REFUSED,
  /**
   * The call did not finish within the registry's deadline and was abandoned; what it did is
   * unknown until checked (an execution is booked if it completes, and repeating it then answers
   * {@link ToolResult.AlreadyExecuted}).
   */
  TIMED_OUT,
  /** Too many calls are running at once; call again later. */
  BUSY
}
