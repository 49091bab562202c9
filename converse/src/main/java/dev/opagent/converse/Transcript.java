package dev.opagent.converse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.tools.ToolErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * What one {@link ConverseAgent} run did. Immutable and thread-safe.
 *
 * @param messages the whole conversation as sent to and answered by the model, oldest first (pass
 *     the transcript to {@link ConverseAgent#run(Transcript, String)} to continue it)
 * @param toolCalls every tool use that was dispatched, with its arguments and result, in order
 * @param notRun tool uses the model asked for that were not run because the run ended (a budget,
 *     another stop reason)
 * @param usage the tokens of every model call of the run
 * @param modelCalls the model calls (steps) of the run
 * @param attempts the requests sent for them, retries included
 * @param stopReason the model's last stop reason ({@code end_turn}, {@code tool_use}, {@code
 *     max_tokens}, …), or null when no model call answered
 * @param ending why the run ended
 * @param elapsed how long the run took
 */
public record Transcript(
    List<Message> messages,
    List<ToolCall> toolCalls,
    List<NotRun> notRun,
    TokenUsage usage,
    int modelCalls,
    int attempts,
    @Nullable String stopReason,
    Ending ending,
    Duration elapsed) {

  /** Copies the lists and checks the values. */
  public Transcript {
    messages = List.copyOf(messages);
    toolCalls = List.copyOf(toolCalls);
    notRun = List.copyOf(notRun);
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(ending, "ending");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * A tool use that was not run.
   *
   * @param step the model call whose answer asked for it
   * @param toolUseId the model's id of it
   * @param name the tool
   * @param arguments the model's input
   */
  public record NotRun(int step, String toolUseId, String name, JsonNode arguments) {}

  /**
   * The text of the model's last message (its answer when {@link #ending()} is {@link
   * Ending#END_TURN}), or {@code ""} when the last message is not the model's or holds no text.
   */
  public String answer() {
    if (messages.isEmpty()) {
      return "";
    }
    Message last = messages.get(messages.size() - 1);
    if (last.role() != ConversationRole.ASSISTANT) {
      return "";
    }
    return last.content().stream()
        .map(ContentBlock::text)
        .filter(Objects::nonNull)
        .collect(Collectors.joining("\n"));
  }

  /** The tool calls that did not do what was asked: unknown tools, invalid arguments, failures. */
  public List<ToolCall> failedCalls() {
    return toolCalls.stream().filter(ToolCall::isError).toList();
  }

  /** The tool calls a guardrail or the approval gate refused ({@link ToolErrorCode#REFUSED}). */
  public List<ToolCall> refusals() {
    return toolCalls.stream()
        .filter(c -> c.errorCode().filter(ToolErrorCode.REFUSED::equals).isPresent())
        .toList();
  }

  /** The calls of tool {@code name}, in order. */
  public List<ToolCall> callsOf(String name) {
    return toolCalls.stream().filter(c -> c.name().equals(name)).toList();
  }
}
