package dev.opagent.agent.strategy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.internal.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes proposals in campaign-rules' rule file format. Stateless and thread-safe.
 *
 * <p>The offer becomes a {@code create_discount} action placed before the plan's actions (with the
 * first action's delay), so the discount exists when the message that carries it is sent.
 */
final class RuleWriter {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  private RuleWriter() {}

  /** The rule file {@code {"name", "description", "rules": […]}} of the proposals. */
  public static String ruleFile(String name, String description, List<StrategyProposal> proposals) {
    ObjectNode file = MAPPER.createObjectNode();
    file.put("name", name);
    file.put("description", description);
    ArrayNode rules = file.putArray("rules");
    proposals.forEach(p -> rules.add(rule(p)));
    try {
      return Json.PRETTY.writeValueAsString(file);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("rule file could not be written as JSON", e);
    }
  }

  /** One proposal as a rule object. */
  public static ObjectNode rule(StrategyProposal proposal) {
    StrategyTemplate t = proposal.template();
    ObjectNode rule = MAPPER.createObjectNode();
    rule.put("rule_id", proposal.ruleId());
    rule.put("name", t.name());
    String description = t.description().isBlank() ? "" : t.description().strip() + " ";
    rule.put("description", description + summary(proposal));
    rule.set("conditions", t.target().source().deepCopy());
    ArrayNode actions = rule.putArray("actions");
    List<PlanStep> plan = t.plan().actions();
    Offer offer = t.plan().offer();
    if (offer != null) {
      ObjectNode discount = actions.addObject();
      discount.put("type", "create_discount");
      discount.put("discount", offer.discount());
      discount.put("expiry_days", offer.expiryDays());
      delay(discount, plan.get(0).delay());
    }
    for (PlanStep a : plan) {
      ObjectNode action = actions.addObject();
      action.put("type", a.type());
      action.put("channel", a.channel());
      for (Map.Entry<String, ?> e : a.parameters().entrySet()) {
        action.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
      }
      delay(action, a.delay());
    }
    rule.put("priority", t.priority());
    rule.put("enabled", true);
    rule.put("version", 1);
    Set<String> tags = new LinkedHashSet<>();
    tags.add("strategy");
    tags.add(t.type().tag());
    tags.add("template:" + t.id());
    tags.addAll(t.tags());
    ArrayNode tagArray = rule.putArray("tags");
    tags.forEach(tagArray::add);
    if (t.holdoutPercentage() > 0) {
      rule.put("holdout_percentage", t.holdoutPercentage());
    }
    return rule;
  }

  private static void delay(ObjectNode action, Duration delay) {
    if (delay.toSeconds() % 60 == 0 && delay.getNano() == 0) {
      action.put("delay_minutes", delay.toMinutes());
    } else {
      action.put("delay", delay.toString());
    }
  }

  private static String summary(StrategyProposal p) {
    EffectPrediction e = p.prediction();
    return String.format(
        Locale.ROOT,
        "Predicted for %d customers (%s treated): %.1f conversions (%.1f-%.1f at %d%%), revenue %s,"
            + " cost %s, ROI %.2f (%.2f to %.2f)%s.",
        p.audience().customers(),
        whole(e.treated()),
        e.expectedConversions(),
        e.conversionsLow(),
        e.conversionsHigh(),
        Math.round(e.credibleLevel() * 100),
        e.expectedRevenue().toPlainString(),
        e.cost().toPlainString(),
        e.roi(),
        e.roiLow(),
        e.roiHigh(),
        e.usesHistory()
            ? ", from "
                + e.observed().successes()
                + " of "
                + e.observed().trials()
                + " observed conversions"
            : ", from the prior");
  }

  private static String whole(double v) {
    return BigDecimal.valueOf(v).setScale(0, RoundingMode.HALF_UP).toPlainString();
  }
}
