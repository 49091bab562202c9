/**
 * The decision engine: {@link dev.opagent.agent.engine.DecisionEngine} scores the actions of the
 * campaigns a customer is eligible for and passes them, in rank order, through the guardrails
 * (score, conflict, channel, consent, frequency caps, quiet hours, approval, execution limits,
 * budget); a {@link dev.opagent.agent.engine.DecisionRun} does so for many customers, live or dry,
 * and every {@link dev.opagent.agent.engine.PlannedAction} carries the verdicts that decided it.
 */
@NullMarked
package dev.opagent.agent.engine;

import org.jspecify.annotations.NullMarked;
