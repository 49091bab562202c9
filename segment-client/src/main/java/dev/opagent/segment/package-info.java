/**
 * Typed, resilient, batched client of a customer-segment agent hosted on Amazon Bedrock AgentCore
 * Runtime.
 *
 * <p>Start with {@link dev.opagent.segment.SegmentClient#builder()}. The model types ({@link
 * dev.opagent.segment.CustomerData}, {@link dev.opagent.segment.SegmentAnalysis} and the segment
 * labels) mirror the agent's JSON exactly; labels are open enumerations that keep the agent's
 * (Turkish) wire value and carry unknown values through untouched.
 */
@NullMarked
package dev.opagent.segment;

import org.jspecify.annotations.NullMarked;
