package dev.opagent.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One scripted answer of the model in the {@link ConverseSimulator}: the assistant message's
 * content blocks (text and tool uses), the stop reason and, optionally, the token usage to report.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}")          // stopReason tool_use
 * ModelTurn.text("Nothing to do today.")                               // stopReason end_turn
 * ModelTurn.text("Let me check.").andToolUse("read_metrics", "{}").withUsage(120, 30)
 * }</pre>
 *
 * @param blocks the content blocks, in order
 * @param stopReason Bedrock's stop reason ({@code end_turn}, {@code tool_use}, {@code max_tokens},
 *     {@code guardrail_intervened}, …)
 * @param inputTokens the input tokens to report, or -1 to estimate them from the request's size
 * @param outputTokens the output tokens to report, or -1 to estimate them from the turn's size
 */
public record ModelTurn(
    List<Block> blocks, String stopReason, long inputTokens, long outputTokens) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Copies and checks the values. */
  public ModelTurn {
    blocks = List.copyOf(blocks);
    Objects.requireNonNull(stopReason, "stopReason");
  }

  /**
   * One content block of the assistant's message: text or a tool use.
   *
   * @param text the text, for a text block
   * @param toolName the tool, for a tool use
   * @param input the tool's input, for a tool use
   * @param toolUseId the tool use's id, or null to have the simulator number it
   */
  public record Block(
      @Nullable String text,
      @Nullable String toolName,
      @Nullable JsonNode input,
      @Nullable String toolUseId) {

    /** Whether this is a tool use. */
    public boolean isToolUse() {
      return toolName != null;
    }
  }

  /** A final text answer: stop reason {@code end_turn}. */
  public static ModelTurn text(String text) {
    Objects.requireNonNull(text, "text");
    return new ModelTurn(List.of(new Block(text, null, null, null)), "end_turn", -1, -1);
  }

  /**
   * A call of tool {@code name} with {@code inputJson} as its input (any JSON text, even one that
   * does not fit the tool's schema): stop reason {@code tool_use}.
   */
  public static ModelTurn toolUse(String name, String inputJson) {
    return new ModelTurn(List.of(toolBlock(name, parse(inputJson), null)), "tool_use", -1, -1);
  }

  /** A call of tool {@code name} with {@code input}: stop reason {@code tool_use}. */
  public static ModelTurn toolUse(String name, JsonNode input) {
    return new ModelTurn(List.of(toolBlock(name, input, null)), "tool_use", -1, -1);
  }

  /** This turn with another tool use after its blocks; the stop reason becomes {@code tool_use}. */
  public ModelTurn andToolUse(String name, String inputJson) {
    List<Block> next = new ArrayList<>(blocks);
    next.add(toolBlock(name, parse(inputJson), null));
    return new ModelTurn(next, "tool_use", inputTokens, outputTokens);
  }

  /** This turn with its tool uses given ids {@code ids}, in order (the simulator's otherwise). */
  public ModelTurn withToolUseIds(String... ids) {
    List<Block> next = new ArrayList<>(blocks.size());
    int i = 0;
    for (Block b : blocks) {
      if (b.isToolUse() && i < ids.length) {
        next.add(new Block(null, b.toolName(), b.input(), ids[i++]));
      } else {
        next.add(b);
      }
    }
    return new ModelTurn(next, stopReason, inputTokens, outputTokens);
  }

  /** This turn with {@code stopReason}. */
  public ModelTurn withStopReason(String stopReason) {
    return new ModelTurn(blocks, stopReason, inputTokens, outputTokens);
  }

  /** This turn reporting the given token usage. */
  public ModelTurn withUsage(long inputTokens, long outputTokens) {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    return new ModelTurn(blocks, stopReason, inputTokens, outputTokens);
  }

  private static Block toolBlock(String name, @Nullable JsonNode input, @Nullable String id) {
    Objects.requireNonNull(name, "name");
    return new Block(
        null, name, input == null ? JsonNodeFactory.instance.objectNode() : input.deepCopy(), id);
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("the tool input is not JSON", e);
    }
  }
}
