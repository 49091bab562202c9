/**
 * OpenTelemetry traces of the segment client's calls: {@link
 * dev.opagent.opentelemetry.OpenTelemetryTracing} is a {@code CallTracer} on the OpenTelemetry API
 * whose attempt spans' context is sent to Amazon Bedrock AgentCore, so that the agent's own spans
 * join the caller's trace.
 */
@NullMarked
package dev.opagent.opentelemetry;

import org.jspecify.annotations.NullMarked;
