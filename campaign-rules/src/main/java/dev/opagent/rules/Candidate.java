package dev.opagent.rules;

import dev.opagent.rules.spi.Attributes;

/**
 * A customer to evaluate: an id (used for holdouts) and the attributes conditions read. Immutable;
 * thread-safe when its attributes are.
 */
public record Candidate(String customerId, Attributes attributes) {
  public Candidate {
    if (customerId.isEmpty()) {
      throw new IllegalArgumentException("customerId must not be empty");
    }
  }
}
