package dev.opagent.testkit;

/**
 * A failure the simulated agent can inject: at random (see the rates in {@link SimulatorConfig}),
 * for a poison customer, or for every request while the agent is down. Thread-safe (an enum).
 */
public enum Fault {
  /** HTTP 500 with {@code x-amzn-ErrorType: InternalServerException}. */
  INTERNAL_ERROR,
  /**
   * HTTP 424 with {@code x-amzn-ErrorType: RuntimeClientError}: the agent's own code failed, as
   * AgentCore reports it.
   */
  AGENT_ERROR,
  /**
   * HTTP 200 whose body holds no readable analysis: truncated JSON, an HTML error page, JSON
   * without segment fields, or an empty body (an event stream: a truncated or missing final event).
   */
  MALFORMED_BODY,
  /**
   * The connection is closed without a complete response: before the status line for JSON, after
   * the first event for an event stream. Clients see an I/O error.
   */
  DROPPED_CONNECTION
}
