/**
 * What the decision engine may do: {@link dev.opagent.agent.policy.DecisionPolicy} with its
 * frequency caps, quiet hours, conversion priors, channel mapping and costs, execution limits,
 * budget limits and approval thresholds, and its JSON form ({@link
 * dev.opagent.agent.policy.DecisionPolicy#fromJson}); invalid policies fail with {@link
 * dev.opagent.agent.policy.InvalidPolicyException}.
 */
@NullMarked
package dev.opagent.agent.policy;

import org.jspecify.annotations.NullMarked;
