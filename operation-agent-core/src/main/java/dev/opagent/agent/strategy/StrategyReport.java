package dev.opagent.agent.strategy;

import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import java.util.List;
import java.util.Optional;

/**
 * What a generator proposes for a population: proposals ranked by expected profit, and the
 * templates that produced none with the reason. Immutable and thread-safe.
 *
 * @param populationSize customers the estimates are based on
 * @param proposals ranked by expected profit (revenue − cost), highest first, then by id
 * @param skipped templates without a proposal, in library order
 */
public record StrategyReport(
    long populationSize, List<StrategyProposal> proposals, List<SkippedTemplate> skipped) {

  /** Copies the lists. */
  public StrategyReport {
    proposals = List.copyOf(proposals);
    skipped = List.copyOf(skipped);
  }

  /** The proposal of template {@code templateId}. */
  public Optional<StrategyProposal> proposal(String templateId) {
    return proposals.stream().filter(p -> p.id().equals(templateId)).findFirst();
  }

  /** The proposals of one type, ranked. */
  public List<StrategyProposal> ofType(StrategyType type) {
    return proposals.stream().filter(p -> p.type() == type).toList();
  }

  /** Every proposal as one campaign-rules file named {@code name}. */
  public String toRuleJson(String name) {
    return RuleWriter.ruleFile(
        name,
        "Generated from "
            + proposals.size()
            + " strategy proposals for "
            + populationSize
            + " customers.",
        proposals);
  }

  /** {@link #toRuleJson(String)} loaded in strict mode. */
  public RuleSet toRules(String name) {
    return RuleSetLoader.ofDefaults().load(RuleSource.string(name, toRuleJson(name)));
  }
}
