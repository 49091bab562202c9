package dev.opagent.agent.engine;

/**
 * The parts of a candidate's score: {@code score = probability × customerValue − cost}. Immutable
 * and thread-safe.
 *
 * @param probability conversion probability, the posterior mean {@code (alpha + successes) / (alpha
 *     + beta + trials)}
 * @param alpha the prior's α
 * @param beta the prior's β
 * @param successes observed conversions for (campaign, action type, segment)
 * @param trials observed executions for the same
 * @param customerValue what a conversion is worth (see {@code CustomerContext#customerValue()})
 * @param cost the expected cost of the action: the channel's cost plus, for a discount, rate ×
 *     expected basket × probability (a discount is paid only when redeemed)
 * @param score the expected value
 */
public record Score(
    double probability,
    double alpha,
    double beta,
    long successes,
    long trials,
    double customerValue,
    double cost,
    double score) {}
