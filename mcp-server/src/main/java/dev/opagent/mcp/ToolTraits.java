package dev.opagent.mcp;

import java.util.Map;

/**
 * What an MCP client should know about an acting tool (one not {@link
 * dev.opagent.agent.tools.ToolDefinition#readOnly() read-only}) beyond its schema: MCP's {@code
 * destructiveHint} and {@code idempotentHint}, and whether it waits for a human's approval.
 * Immutable and thread-safe.
 *
 * @param additive whether it only adds (a message sent, a request filed) and never deletes or
 *     overwrites: MCP's {@code destructiveHint} is its negation
 * @param idempotent whether calling it again with the same arguments has no further effect
 * @param approvalGated whether it does nothing until a human approved it, answering {@code
 *     approval_required} with the approval id until then
 */
public record ToolTraits(boolean additive, boolean idempotent, boolean approvalGated) {

  /**
   * The traits of an acting tool nothing is known about: possibly destructive, not idempotent, not
   * gated — what MCP assumes when a server says nothing.
   */
  public static final ToolTraits UNKNOWN = new ToolTraits(false, false, false);

  /**
   * The traits of the SDK's acting tools ({@code SdkTools}): {@code request_approval} files one
   * request per action and returns the open one when asked again; {@code execute_approved_action}
   * sends only after a human's grant and answers {@code already_executed} when repeated.
   */
  public static final Map<String, ToolTraits> SDK_TOOLS =
      Map.of(
          "request_approval", new ToolTraits(true, true, false),
          "execute_approved_action", new ToolTraits(true, true, true));
}
