/**
 * The feedback loop: deliveries and customer interactions (opens, clicks, coupon use, conversions)
 * are attributed to the actions that caused them, counted into {@link
 * dev.opagent.agent.feedback.Metrics} per action, campaign, strategy, segment and variant, and fed
 * back to the decision engine (as {@link dev.opagent.agent.spi.ConversionRates}) and, as campaign
 * figures, to the LLM tools of {@code operation-agent-tools}.
 */
@NullMarked
package dev.opagent.agent.feedback;

import org.jspecify.annotations.NullMarked;
