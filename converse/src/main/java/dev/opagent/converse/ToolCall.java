package dev.opagent.converse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.tools.ToolErrorCode;
import dev.opagent.agent.tools.ToolResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One tool use the model asked for and what the registry answered. Immutable and thread-safe (the
 * arguments must not be modified).
 *
 * @param step the model call (1-based) whose answer asked for it
 * @param toolUseId the model's id of the tool use
 * @param name the tool's name as the model wrote it (possibly one the registry does not have)
 * @param arguments the model's input, as sent: never trusted, validated by the registry
 * @param result what the registry answered (also sent back to the model)
 * @param took how long the dispatch took
 */
public record ToolCall(
    int step, String toolUseId, String name, JsonNode arguments, ToolResult result, Duration took) {

  /** Checks the values. */
  public ToolCall {
    Objects.requireNonNull(toolUseId, "toolUseId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(took, "took");
  }

  /** Whether the call did not do what was asked ({@link ToolResult#isError()}). */
  public boolean isError() {
    return result.isError();
  }

  /** The error code of a {@link ToolResult.Failed} result: a refusal, a timeout, … */
  public Optional<ToolErrorCode> errorCode() {
    return result instanceof ToolResult.Failed f ? Optional.of(f.code()) : Optional.empty();
  }
}
