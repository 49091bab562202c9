/**
 * A/B tests on campaigns: an {@link dev.opagent.agent.experiment.Experiment} definition, sticky
 * deterministic assignment ({@link dev.opagent.agent.experiment.ExperimentAssigner}, on
 * campaign-rules' hashing), frequentist analysis ({@link
 * dev.opagent.agent.experiment.ExperimentAnalysis}: Wilson intervals, lift with confidence
 * intervals, two-proportion z-tests, sample-ratio-mismatch check, verdict) and automatic traffic
 * allocation by Thompson sampling ({@link dev.opagent.agent.experiment.ThompsonSampler}).
 */
@NullMarked
package dev.opagent.agent.experiment;

import org.jspecify.annotations.NullMarked;
