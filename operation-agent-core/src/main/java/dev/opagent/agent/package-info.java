/**
 * From segments and eligibility to guarded actions: the decision engine, guardrails, strategy
 * generator and the tool registry for LLM agents.
 */
@NullMarked
package dev.opagent.agent;

import org.jspecify.annotations.NullMarked;
