package dev.opagent.rules;

/**
 * Root of every exception campaign-rules throws for a failure that is not a caller mistake (caller
 * mistakes stay {@link IllegalArgumentException} and {@link IllegalStateException}). Unchecked.
 * Instances are immutable and thread-safe.
 */
public class RulesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RulesException(String message) {
    super(message);
  }

  public RulesException(String message, Throwable cause) {
    super(message, cause);
  }
}
