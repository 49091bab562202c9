package dev.opagent.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.approval.ApprovalStatus;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one tool call, as a value: the registry never throws for a model's mistake or a
 * tool's failure. Immutable and thread-safe (an {@link Ok}'s content must not be modified).
 *
 * <p>{@link #toJson()} is what to send back to the model as the tool result; {@link #isError()}
 * maps to Bedrock's {@code toolResult.status = "error"} and MCP's {@code isError}.
 *
 * <pre>{@code
 * ToolResult r = registry.dispatch(call.name(), call.arguments());
 * String text = r.toJson().toString();
 * if (r instanceof ToolResult.ApprovalRequired a) notifyReviewers(a.approvalId());
 * }</pre>
 */
public sealed interface ToolResult {

  /**
   * Whether the call did not do what was asked (everything but {@link Ok}, {@link ApprovalRequired}
   * and {@link AlreadyExecuted}).
   */
  boolean isError();

  /** The result as JSON for the model, with a {@code status} member naming the kind. */
  JsonNode toJson();

  /** A successful result. */
  static Ok ok(JsonNode content) {
    return new Ok(content);
  }

  /** A failure a tool reports itself. */
  static Failed failed(ToolErrorCode code, String message) {
    return new Failed(code, message, null);
  }

  /**
   * The tool ran.
   *
   * @param content its result as JSON
   */
  record Ok(JsonNode content) implements ToolResult {
    /** Checks the value. */
    public Ok {
      Objects.requireNonNull(content, "content");
    }

    @Override
    public boolean isError() {
      return false;
    }

    @Override
    public JsonNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("status", "ok");
      n.set("result", content);
      return n;
    }
  }

  /**
   * No tool has the requested name (a hallucinated tool).
   *
   * @param requested the name asked for
   * @param available the registered names, in registration order
   */
  record UnknownTool(String requested, List<String> available) implements ToolResult {
    /** Copies the list. */
    public UnknownTool {
      available = List.copyOf(available);
    }

    @Override
    public boolean isError() {
      return true;
    }

    /** {@code no tool named 'x'; available tools: a, b}. */
    public String message() {
      return "no tool named '" + requested + "'; available tools: " + String.join(", ", available);
    }

    @Override
    public JsonNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("status", "unknown_tool");
      n.put("error", message());
      available.forEach(n.putArray("available")::add);
      return n;
    }
  }

  /**
   * The arguments do not match the tool's schema; nothing ran.
   *
   * @param tool the tool
   * @param problems every problem found
   */
  record InvalidArguments(String tool, List<ArgumentProblem> problems) implements ToolResult {
    /** Copies the list. */
    public InvalidArguments {
      problems = List.copyOf(problems);
    }

    @Override
    public boolean isError() {
      return true;
    }

    @Override
    public JsonNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("status", "invalid_arguments");
      n.put("error", "arguments of tool '" + tool + "' are invalid; fix them and call again");
      var array = n.putArray("problems");
      for (ArgumentProblem p : problems) {
        array
            .addObject()
            .put("pointer", p.pointer())
            .put("keyword", p.keyword())
            .put("message", p.message());
      }
      return n;
    }
  }

  /**
   * The tool could not do its work.
   *
   * @param code why
   * @param message what happened, without stack traces or personal data
   * @param incidentId for {@link ToolErrorCode#TOOL_FAILED}, the id under which the host's logs and
   *     failure listener hold the details; null otherwise
   */
  record Failed(
      ToolErrorCode code, String message, @org.jspecify.annotations.Nullable String incidentId)
      implements ToolResult {
    /** Checks the values. */
    public Failed {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean isError() {
      return true;
    }

    @Override
    public JsonNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("status", "failed");
      n.put("code", code.name());
      n.put("error", message);
      if (incidentId != null) {
        n.put("incidentId", incidentId);
      }
      return n;
    }
  }

  /**
   * The action needs a human's approval that has not been given (yet); nothing ran. Not an error:
   * the model should tell the user that the action awaits approval.
   *
   * @param approvalId the approval request to wait for
   * @param approvalStatus where the request stands ({@code PENDING} normally)
   * @param message what to tell the user
   */
  record ApprovalRequired(String approvalId, ApprovalStatus approvalStatus, String message)
      implements ToolResult {
    /** Checks the values. */
    public ApprovalRequired {
      Objects.requireNonNull(approvalId, "approvalId");
      Objects.requireNonNull(approvalStatus, "approvalStatus");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean isError() {
      return false;
    }

    @Override
    public JsonNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("status", "approval_required");
      n.put("approvalId", approvalId);
      n.put("approvalStatus", approvalStatus.name());
      n.put("message", message);
      return n;
    }
  }

  /**
   * The action was executed by an earlier call (of this plan's action); this call did nothing and
   * charged nothing. Not an error: the model should report the earlier execution, not retry.
   *
   * @param executionId the executor's id of the earlier execution
   * @param message what to tell the user
   */
  record AlreadyExecuted(String executionId, String message) implements ToolResult {
    /** Checks the values. */
    public AlreadyExecuted {
      Objects.requireNonNull(executionId, "executionId");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public boolean isError() {
      return false;
    }

    @Override
    public JsonNode toJson() {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("status", "already_executed");
      n.put("executionId", executionId);
      n.put("message", message);
      return n;
    }
  }
}
