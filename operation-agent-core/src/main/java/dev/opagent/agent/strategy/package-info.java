/**
 * Strategy generator: from a population (a segment distribution or clusters with attributes such as
 * purchase stage and price sensitivity) to ranked proposals of the four strategy types —
 * conversion, retention, repurchase and win-back — each with an audience estimate, a predicted
 * effect with a credible interval, expected revenue, cost and ROI, and a conversion into campaign
 * rules that {@code campaign-rules} loads in strict mode.
 *
 * <p>Templates are data ({@link dev.opagent.agent.strategy.StrategyTemplates#bundled()} reads the
 * bundled library; hosts load their own).
 */
@NullMarked
package dev.opagent.agent.strategy;

import org.jspecify.annotations.NullMarked;
