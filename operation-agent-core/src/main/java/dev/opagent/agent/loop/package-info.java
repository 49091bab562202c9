/**
 * The operation loop: {@link dev.opagent.agent.loop.OperationAgent} runs one round of segmenting
 * customers, deciding for them and executing the chosen actions, and reports it as a {@link
 * dev.opagent.agent.loop.RoundReport} with one {@link dev.opagent.agent.loop.CustomerOutcome} per
 * customer.
 */
@NullMarked
package dev.opagent.agent.loop;

import org.jspecify.annotations.NullMarked;
