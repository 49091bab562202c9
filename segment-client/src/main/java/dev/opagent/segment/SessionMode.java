package dev.opagent.segment;

/**
 * How the client chooses runtime session ids. Every new session id starts a microVM that lives
 * until its idle timeout (about 15 minutes) and counts against the account's active-session quota.
 * Thread-safe (an enum).
 */
public enum SessionMode {
  /**
   * The default for a stateless agent: a pool of session ids, never larger than the client's
   * concurrency, reused call after call; {@code close()} stops them.
   */
  POOLED,
  /**
   * One session per customer, its id derived from the customer id (padded to the 33 characters
   * AgentCore requires), for agents that keep per-customer memory. Costs a microVM per customer.
   */
  PER_CUSTOMER
}
