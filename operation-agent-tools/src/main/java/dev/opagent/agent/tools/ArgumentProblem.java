package dev.opagent.agent.tools;

/**
 * One thing wrong with a tool call's arguments. Immutable and thread-safe. The message never
 * repeats the offending value, so personal data sent by a model is not echoed into logs.
 *
 * @param pointer RFC 6901 JSON pointer of the offending value within the arguments ({@code ""} for
 *     the whole object; for a missing property, the pointer it would have)
 * @param keyword the JSON Schema keyword that failed ({@code required}, {@code type}, {@code enum},
 *     {@code additionalProperties}, …), or {@code json} when the arguments are not JSON and {@code
 *     binding} when they cannot be bound to the tool's argument type
 * @param message what is wrong, in one sentence
 */
public record ArgumentProblem(String pointer, String keyword, String message) {

  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(arguments)" : pointer) + ": " + message;
  }
}
