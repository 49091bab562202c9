/**
 * Built-in {@link dev.opagent.agent.execution.spi.ActionChannel action channels}: {@link
 * dev.opagent.agent.execution.channels.WebhookChannel} posts each action, signed, to an HTTPS
 * endpoint; {@link dev.opagent.agent.execution.channels.JsonLinesChannel} appends it durably to a
 * JSON-lines file and never writes a key twice; {@link
 * dev.opagent.agent.execution.channels.LoggingChannel} only logs it (dry runs). Route actions to
 * them with {@link dev.opagent.agent.execution.ChannelRegistry}.
 */
@NullMarked
package dev.opagent.agent.execution.channels;

import org.jspecify.annotations.NullMarked;
