package dev.opagent.agent.feedback;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the interactions read from customer events are attributed and counted: a {@link
 * FeedbackLoop} in this process. Implementations must be thread-safe.
 */
public interface InteractionRecorder {

  /** Attributes one interaction and counts it if attributed; see {@link FeedbackLoop#record}. */
  Attribution record(Interaction interaction);

  /**
   * The campaign of the last action delivered to {@code customerId} at or before {@code at}, across
   * campaigns, for an interaction that names none; empty when nothing was delivered to the customer
   * by then.
   */
  Optional<String> lastTouch(String customerId, Instant at);
}
