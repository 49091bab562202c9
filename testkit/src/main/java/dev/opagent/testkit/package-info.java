/**
 * An embedded segment agent for tests, examples and benchmarks: {@link
 * dev.opagent.testkit.AgentSimulator} speaks the Amazon Bedrock AgentCore {@code
 * InvokeAgentRuntime} wire protocol and answers with {@link
 * dev.opagent.segment.ReferenceSegmenter}, with reproducible latency, quotas and faults; {@link
 * dev.opagent.testkit.Fixtures} and {@link dev.opagent.testkit.PopulationGenerator} supply customer
 * data; {@link dev.opagent.testkit.AgentSimulatorExtension} wires both into JUnit 5 tests.
 */
@NullMarked
package dev.opagent.testkit;

import org.jspecify.annotations.NullMarked;
