/**
 * The statistics behind experiments: normal and chi-square distribution functions, the normal
 * quantile and seeded Gamma and Beta sampling. Implementation details; never part of a public
 * signature.
 */
@NullMarked
package dev.opagent.agent.experiment.internal;

import org.jspecify.annotations.NullMarked;
