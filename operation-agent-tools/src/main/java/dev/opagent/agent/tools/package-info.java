/**
 * Tools for LLM agents: a registry of typed tools whose arguments are validated against JSON
 * Schema, exportable as Bedrock Converse tool configs, OpenAI-style function definitions and MCP
 * tool listings; dispatch returns typed results (unknown tool, invalid arguments, failure, approval
 * required, already executed) within a deadline instead of throwing. {@link
 * dev.opagent.agent.tools.SdkTools} exposes the SDK's own operations, with the customer facts
 * guardrails check supplied by the host, never by the model; {@link
 * dev.opagent.agent.tools.ExecutionServiceActionExecutor} and {@link
 * dev.opagent.agent.tools.FeedbackLoopMetrics} connect them to the core's execution service and
 * feedback loop.
 */
@NullMarked
package dev.opagent.agent.tools;

import org.jspecify.annotations.NullMarked;
