package dev.opagent.agent.strategy;

import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import java.util.List;
import java.util.Objects;

/**
 * A proposed strategy: a template applied to a population, with its audience and predicted effect,
 * convertible into campaign rules. Immutable and thread-safe.
 *
 * <pre>{@code
 * StrategyProposal p = report.proposals().get(0);
 * Files.writeString(Path.of("proposed.json"), p.toRuleJson());   // review, then deploy
 * RuleSet rules = p.toRules();                                    // loaded in strict mode
 * }</pre>
 *
 * @param template the template
 * @param audience who it reaches
 * @param prediction what it is expected to achieve
 */
public record StrategyProposal(
    StrategyTemplate template, Audience audience, EffectPrediction prediction) {

  /** Prefix of the rule ids of proposals. */
  public static final String RULE_ID_PREFIX = "strategy.";

  /** Checks the values. */
  public StrategyProposal {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(prediction, "prediction");
  }

  /** The proposal's id: its template's id. */
  public String id() {
    return template.id();
  }

  /** The strategy type. */
  public StrategyType type() {
    return template.type();
  }

  /** The id of the rule it becomes: {@code strategy.<template id>}. */
  public String ruleId() {
    return RULE_ID_PREFIX + template.id();
  }

  /**
   * This proposal as a campaign-rules file with one rule: the template's target as conditions, the
   * offer as a {@code create_discount} action followed by the plan's actions, the template's
   * priority, holdout and tags ({@code strategy}, the type, {@code template:<id>}), and the
   * prediction in the description.
   */
  public String toRuleJson() {
    return RuleWriter.ruleFile(
        "strategy " + template.id(),
        "Generated from strategy template " + template.id() + ".",
        List.of(this));
  }

  /**
   * {@link #toRuleJson()} loaded with {@link RuleSetLoader#ofDefaults()} (strict mode).
   *
   * @throws dev.opagent.rules.InvalidRuleSetException if the template's plan does not make a valid
   *     rule (never for a template read by {@link StrategyTemplates})
   */
  public RuleSet toRules() {
    return toRules(RuleSetLoader.ofDefaults());
  }

  /**
   * {@link #toRuleJson()} loaded with {@code loader} — for example one that knows the host's action
   * types.
   */
  public RuleSet toRules(RuleSetLoader loader) {
    return loader.load(RuleSource.string("strategy-" + template.id(), toRuleJson()));
  }
}
