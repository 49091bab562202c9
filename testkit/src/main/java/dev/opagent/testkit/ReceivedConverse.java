package dev.opagent.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code Converse} request the {@link ConverseSimulator} received, as JSON. Immutable (the body
 * must not be modified) and thread-safe.
 *
 * @param modelId the model id of the request's path, decoded
 * @param body the request body: {@code messages}, {@code system}, {@code toolConfig}, {@code
 *     inferenceConfig}, …
 */
public record ReceivedConverse(String modelId, JsonNode body) {

  /** The conversation sent: {@code [{"role": "user"|"assistant", "content": [...]}, ...]}. */
  public List<JsonNode> messages() {
    List<JsonNode> out = new ArrayList<>();
    body.path("messages").forEach(out::add);
    return out;
  }

  /** The {@code toolConfig} sent, or a missing node when the request had none. */
  public JsonNode toolConfig() {
    return body.has("toolConfig") ? body.get("toolConfig") : MissingNode.getInstance();
  }

  /** The names of the tools offered, in order. */
  public List<String> toolNames() {
    List<String> names = new ArrayList<>();
    toolConfig().path("tools").forEach(t -> names.add(t.path("toolSpec").path("name").asText()));
    return names;
  }

  /** The system prompt's text blocks, joined by newlines. */
  public String systemText() {
    List<String> texts = new ArrayList<>();
    body.path("system").forEach(b -> texts.add(b.path("text").asText()));
    return String.join("\n", texts);
  }

  /**
   * The {@code toolResult} blocks of the last message (the results of the model's previous tool
   * uses): {@code {"toolUseId", "content": [{"json"|"text": ...}], "status"}}.
   */
  public List<JsonNode> toolResults() {
    List<JsonNode> results = new ArrayList<>();
    List<JsonNode> messages = messages();
    if (messages.isEmpty()) {
      return results;
    }
    for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
      if (block.has("toolResult")) {
        results.add(block.get("toolResult"));
      }
    }
    return results;
  }

  /**
   * Every {@code toolResult} block in the conversation sent, oldest first (what the model has been
   * told so far).
   */
  public List<JsonNode> allToolResults() {
    List<JsonNode> results = new ArrayList<>();
    for (JsonNode m : messages()) {
      for (JsonNode block : m.path("content")) {
        if (block.has("toolResult")) {
          results.add(block.get("toolResult"));
        }
      }
    }
    return results;
  }
}
