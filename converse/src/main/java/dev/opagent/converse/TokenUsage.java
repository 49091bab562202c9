package dev.opagent.converse;

/**
 * Tokens the model service counted. Immutable and thread-safe.
 *
 * @param inputTokens tokens sent to the model
 * @param outputTokens tokens the model generated
 * @param totalTokens the sum the service reports
 */
public record TokenUsage(long inputTokens, long outputTokens, long totalTokens) {
  /** No tokens. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0);

  /** The sum of this and {@code other}. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        totalTokens + other.totalTokens);
  }
}
