/**
 * Campaign rules: load rule sets from JSON ({@link dev.opagent.rules.RuleSetLoader}), keep them
 * hot-reloadable ({@link dev.opagent.rules.RuleSetHolder}), and decide which campaigns a customer
 * is eligible for, with reasons ({@link dev.opagent.rules.CampaignEvaluator}).
 *
 * <p>Conditions are in {@link dev.opagent.rules.condition}, deterministic assignment (hashing,
 * buckets, holdouts, variants) in {@link dev.opagent.rules.assignment}, attribute views in {@link
 * dev.opagent.rules.attributes}, and what hosts implement in {@link dev.opagent.rules.spi}. All
 * failures are {@link dev.opagent.rules.problem.RulesException}s; expected outcomes (ineligible,
 * held out, invalid file on reload) are values.
 */
@NullMarked
package dev.opagent.rules;

import org.jspecify.annotations.NullMarked;
