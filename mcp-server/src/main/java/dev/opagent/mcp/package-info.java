/**
 * A Model Context Protocol server for a {@link dev.opagent.agent.tools.ToolRegistry}: {@link
 * dev.opagent.mcp.OpagentMcpServer} offers the registry's tools to MCP clients (assistants, IDEs,
 * agent gateways) over stdio or streamable HTTP, and the operating state as read-only resources.
 * Every call goes through the registry's own dispatch, so validation, the approval gate, guardrails
 * and deadlines are those of an in-process call.
 */
@NullMarked
package dev.opagent.mcp;

import org.jspecify.annotations.NullMarked;
