/**
 * Decisions on customers, from segments and eligibility to guarded actions. The root holds only the
 * vocabulary every package shares: {@link dev.opagent.agent.Channel}, the channels an action goes
 * out on, and {@link dev.opagent.agent.AgentException}, the root of the exceptions. The work lives
 * in subpackages, each depending only on those below it (no package depends on another in a
 * circle):
 *
 * <ul>
 *   <li>{@code loop}: {@link dev.opagent.agent.loop.OperationAgent}, one round of segmenting,
 *       deciding and executing, and its {@link dev.opagent.agent.loop.RoundReport};
 *   <li>{@code engine}: {@link dev.opagent.agent.engine.DecisionEngine} and its runs, which score
 *       candidates and pass them through the guardrails;
 *   <li>{@code policy}: {@link dev.opagent.agent.policy.DecisionPolicy} with its caps, quiet hours,
 *       priors and channel mapping, and its JSON form;
 *   <li>{@code approval}: the approval gate, its thresholds, scope and store;
 *   <li>{@code budget}: money budgets with reserve-then-commit accounting;
 *   <li>{@code execution} (with {@code spi}, {@code journal}, {@code channels}): executing chosen
 *       actions exactly once in effect;
 *   <li>{@code feedback}, {@code experiment}: outcomes attributed to actions, A/B tests;
 *   <li>{@code strategy}: strategy proposals turned into campaign rules;
 *   <li>{@code tools}: typed tools for LLM agents over the above;
 *   <li>{@code spi}: what hosts implement for the engine; {@code internal}: implementation details.
 * </ul>
 */
@NullMarked
package dev.opagent.agent;

import org.jspecify.annotations.NullMarked;
