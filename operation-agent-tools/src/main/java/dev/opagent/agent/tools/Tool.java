package dev.opagent.agent.tools;

/**
 * What a tool does with its validated, typed arguments. Implementations must be thread-safe when
 * the registry is shared across threads.
 *
 * <p>The result is serialised to JSON for the model. A tool that has an expected non-success
 * outcome (approval required, a domain failure) returns a {@link ToolResult} directly, which is
 * passed through unchanged. An exception thrown here is isolated by the registry into a {@link
 * ToolResult.Failed} with {@link ToolErrorCode#TOOL_FAILED}; its message never reaches the model.
 *
 * @param <A> the argument type, usually a record bound from the validated JSON arguments
 * @param <R> the result type
 */
@FunctionalInterface
public interface Tool<A, R> {

  /** Runs the tool. */
  R call(A arguments);
}
