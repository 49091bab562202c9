/**
 * A tool loop on the Amazon Bedrock Converse API: {@link dev.opagent.converse.ConverseAgent} sends
 * a user's message with a {@link dev.opagent.agent.tools.ToolRegistry}'s tools, dispatches each
 * tool use the model asks for through the registry (validation, approval gate, guardrails,
 * deadline) and sends the results back, until the model ends its turn or a step, token or time
 * {@link dev.opagent.converse.Budgets budget} is reached; the whole exchange comes back as a {@link
 * dev.opagent.converse.Transcript}. Failures of the model service are {@link
 * dev.opagent.converse.ConverseException}s with a {@link dev.opagent.converse.ConverseErrorCode}.
 */
@NullMarked
package dev.opagent.converse;

import org.jspecify.annotations.NullMarked;
