package dev.opagent.agent.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.opagent.rules.Rule;
import dev.opagent.rules.condition.CompileResult;
import dev.opagent.rules.condition.Condition;
import dev.opagent.rules.condition.ConditionCompiler;
import dev.opagent.rules.json.LocatedJson;
import dev.opagent.rules.problem.Problem;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a template library's JSON, collecting every problem with its JSON pointer. Stateless and
 * thread-safe; each {@link #read} call has its own state.
 */
final class TemplateReader {
  /** Largest money amount accepted (average order value, costs): a trillion. */
  static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(1_000_000_000_000L);

  /** Turns parsed values into plain Java values; reading itself is {@link LocatedJson}'s. */
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private static final List<String> FILE_FIELDS = List.of("name", "description", "templates");
  private static final List<String> TEMPLATE_FIELDS =
      List.of(
          "id",
          "type",
          "name",
          "description",
          "target",
          "plan",
          "priority",
          "holdout_percentage",
          "prior",
          "economics",
          "tags");
  private static final List<String> PLAN_FIELDS = List.of("actions", "offer");
  private static final List<String> OFFER_FIELDS = List.of("discount", "expiry_days");
  private static final List<String> PRIOR_FIELDS = List.of("alpha", "beta");
  private static final List<String> ECONOMICS_FIELDS =
      List.of("average_order_value", "cost_per_contact", "fixed_cost");
  private static final Map<String, Integer> PRIORITIES =
      Map.of("low", Rule.LOW, "medium", Rule.MEDIUM, "high", Rule.HIGH, "critical", Rule.CRITICAL);

  private final List<Problem> problems = new ArrayList<>();
  private final ConditionCompiler compiler = ConditionCompiler.ofDefaults();
  private @Nullable LocatedJson doc;

  /**
   * A library's name (if given), templates and problems (empty when valid), each problem as {@code
   * source:line:column: pointer: what is wrong}.
   */
  public record Result(
      @Nullable String name, List<StrategyTemplate> templates, List<String> problems) {}

  private TemplateReader() {}

  /** Reads a library named {@code templates} in its problems. Never throws for bad input. */
  public static Result read(String json) {
    return read("templates", json);
  }

  /**
   * Reads a library with {@link LocatedJson}'s limits (duplicate keys are errors), naming {@code
   * sourceName} in every problem. Never throws for bad input.
   */
  public static Result read(String sourceName, String json) {
    TemplateReader r = new TemplateReader();
    Read read = r.readLibrary(json);
    List<Problem> sorted = new ArrayList<>(r.problems);
    sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    return new Result(
        read.name(), read.templates(), sorted.stream().map(p -> p.describe(sourceName)).toList());
  }

  private record Read(@Nullable String name, List<StrategyTemplate> templates, boolean problems) {}

  private Read readLibrary(String json) {
    LocatedJson.Parsed parsed = LocatedJson.parse(json, Problem.Severity.ERROR);
    problems.addAll(parsed.problems());
    doc = parsed.json();
    if (doc == null) {
      return new Read(null, List.of(), true);
    }
    JsonNode root = doc.root();
    if (!root.isObject()) {
      problem("", "must be a JSON object but was " + LocatedJson.describe(root));
      return new Read(null, List.of(), true);
    }
    unknownFields(root, "", FILE_FIELDS);
    String name = null;
    JsonNode n = root.get("name");
    if (n != null) {
      name = text(n, "/name");
    }
    JsonNode templates = root.get("templates");
    List<StrategyTemplate> out = new ArrayList<>();
    if (templates == null || !templates.isArray()) {
      problem("/templates", "must be an array of templates");
      return new Read(name, out, true);
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < templates.size(); i++) {
      StrategyTemplate t = readTemplate(templates.get(i), "/templates/" + i);
      if (t != null && !ids.add(t.id())) {
        problem("/templates/" + i + "/id", "duplicate template id '" + t.id() + "'");
      } else if (t != null) {
        out.add(t);
      }
    }
    return new Read(name, out, !problems.isEmpty());
  }

  private @Nullable StrategyTemplate readTemplate(JsonNode t, String ptr) {
    if (!t.isObject()) {
      problem(ptr, "a template must be a JSON object");
      return null;
    }
    int before = problems.size();
    unknownFields(t, ptr, TEMPLATE_FIELDS);
    String id = requiredText(t, ptr, "id");
    if (id != null && !Rule.ID_PATTERN.matcher(id).matches()) {
      problem(ptr + "/id", "must contain only letters, digits and _ - . :");
    }
    StrategyType type = null;
    String typeName = requiredText(t, ptr, "type");
    if (typeName != null) {
      try {
        type = StrategyType.valueOf(typeName);
      } catch (IllegalArgumentException e) {
        problem(ptr + "/type", "must be one of " + Arrays.toString(StrategyType.values()));
      }
    }
    String name = requiredText(t, ptr, "name");
    String description =
        t.has("description") ? text(t.get("description"), ptr + "/description") : "";
    Condition target = null;
    JsonNode targetNode = t.get("target");
    if (targetNode == null) {
      problem(ptr, "template needs a 'target' condition");
    } else {
      CompileResult compiled = compiler.tryCompile(targetNode, ptr + "/target");
      if (compiled instanceof CompileResult.Compiled c) {
        target = c.condition();
      } else {
        ((CompileResult.Rejected) compiled)
            .problems()
            .forEach(p -> problem(p.pointer(), p.message()));
      }
    }
    ActionPlan plan = readPlan(t.get("plan"), ptr + "/plan");
    int priority = readPriority(t.get("priority"), ptr + "/priority");
    double holdout = 0;
    JsonNode h = t.get("holdout_percentage");
    if (h != null) {
      if (h.isNumber() && h.doubleValue() >= 0 && h.doubleValue() < 100) {
        holdout = h.doubleValue();
      } else {
        problem(ptr + "/holdout_percentage", "must be a number from 0 up to (not including) 100");
      }
    }
    BetaPrior prior = readPrior(t.get("prior"), ptr + "/prior");
    Economics economics = readEconomics(t.get("economics"), ptr + "/economics");
    List<String> tags = readTags(t.get("tags"), ptr + "/tags");
    if (problems.size() > before
        || id == null
        || type == null
        || name == null
        || description == null
        || target == null
        || plan == null
        || prior == null
        || economics == null) {
      return null;
    }
    return new StrategyTemplate(
        id, type, name, description, target, plan, priority, holdout, prior, economics, tags);
  }

  private @Nullable ActionPlan readPlan(@Nullable JsonNode plan, String ptr) {
    if (plan == null || !plan.isObject()) {
      problem(ptr, "must be an object with 'actions'");
      return null;
    }
    unknownFields(plan, ptr, PLAN_FIELDS);
    JsonNode actions = plan.get("actions");
    if (actions == null || !actions.isArray() || actions.isEmpty()) {
      problem(ptr + "/actions", "must be a non-empty array of actions");
      return null;
    }
    int before = problems.size();
    List<PlanStep> out = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      PlanStep a = readAction(actions.get(i), ptr + "/actions/" + i);
      if (a != null) {
        out.add(a);
      }
    }
    Offer offer = null;
    JsonNode o = plan.get("offer");
    if (o != null && !o.isNull()) {
      offer = readOffer(o, ptr + "/offer");
    }
    return problems.size() > before ? null : new ActionPlan(out, offer);
  }

  private @Nullable PlanStep readAction(JsonNode a, String ptr) {
    if (!a.isObject()) {
      problem(ptr, "an action must be a JSON object");
      return null;
    }
    String type = requiredText(a, ptr, "type");
    String channel = requiredText(a, ptr, "channel");
    Duration delay = Duration.ZERO;
    if (a.has("delay")) {
      problem(ptr + "/delay", "give the delay as delay_minutes");
    }
    JsonNode d = a.get("delay_minutes");
    if (d != null) {
      if (d.isIntegralNumber()
          && d.canConvertToLong()
          && d.longValue() >= 0
          && d.longValue() <= 52_560_000L) {
        delay = Duration.ofMinutes(d.longValue());
      } else {
        problem(ptr + "/delay_minutes", "must be a whole number of minutes from 0 to 52560000");
      }
    }
    Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      String k = e.getKey();
      if (!Set.of("type", "channel", "delay_minutes", "delay").contains(k)) {
        parameters.put(k, MAPPER.convertValue(e.getValue(), Object.class));
      }
    }
    if (type == null || channel == null || type.isBlank() || channel.isBlank()) {
      if (type != null && type.isBlank()) {
        problem(ptr + "/type", "must not be blank");
      }
      if (channel != null && channel.isBlank()) {
        problem(ptr + "/channel", "must not be blank");
      }
      return null;
    }
    return new PlanStep(type, channel, parameters, delay);
  }

  private @Nullable Offer readOffer(JsonNode o, String ptr) {
    if (!o.isObject()) {
      problem(ptr, "must be an object with 'discount' and 'expiry_days'");
      return null;
    }
    unknownFields(o, ptr, OFFER_FIELDS);
    JsonNode d = o.get("discount");
    JsonNode e = o.get("expiry_days");
    boolean ok = true;
    if (d == null || !d.isNumber() || !(d.doubleValue() > 0 && d.doubleValue() < 1)) {
      problem(ptr + "/discount", "must be a number between 0 and 1 (exclusive), 0.15 for 15% off");
      ok = false;
    }
    if (e == null || !e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() <= 0) {
      problem(ptr + "/expiry_days", "must be a positive whole number of days");
      ok = false;
    }
    return ok ? new Offer(d.doubleValue(), e.intValue()) : null;
  }

  private @Nullable BetaPrior readPrior(@Nullable JsonNode p, String ptr) {
    if (p == null || !p.isObject()) {
      problem(ptr, "must be an object with positive 'alpha' and 'beta'");
      return null;
    }
    unknownFields(p, ptr, PRIOR_FIELDS);
    double a = positive(p.get("alpha"), ptr + "/alpha");
    double b = positive(p.get("beta"), ptr + "/beta");
    return a > 0 && b > 0 ? new BetaPrior(a, b) : null;
  }

  private double positive(@Nullable JsonNode n, String ptr) {
    if (n == null
        || !n.isNumber()
        || !(n.doubleValue() > 0)
        || Double.isInfinite(n.doubleValue())) {
      problem(ptr, "must be a positive number");
      return -1;
    }
    return n.doubleValue();
  }

  private @Nullable Economics readEconomics(@Nullable JsonNode e, String ptr) {
    if (e == null || !e.isObject()) {
      problem(
          ptr,
          "must be an object with 'average_order_value', 'cost_per_contact' and" + " 'fixed_cost'");
      return null;
    }
    unknownFields(e, ptr, ECONOMICS_FIELDS);
    BigDecimal aov = money(e.get("average_order_value"), ptr + "/average_order_value", false);
    BigDecimal cpc = money(e.get("cost_per_contact"), ptr + "/cost_per_contact", true);
    BigDecimal fixed = money(e.get("fixed_cost"), ptr + "/fixed_cost", true);
    if (aov == null || cpc == null || fixed == null) {
      return null;
    }
    if (cpc.signum() == 0 && fixed.signum() == 0) {
      problem(ptr, "cost_per_contact and fixed_cost must not both be zero (ROI needs a cost)");
      return null;
    }
    return new Economics(aov, cpc, fixed);
  }

  private @Nullable BigDecimal money(@Nullable JsonNode n, String ptr, boolean zeroAllowed) {
    if (n == null
        || !n.isNumber()
        || (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue()))) {
      problem(ptr, "must be a finite number");
      return null;
    }
    BigDecimal v = n.decimalValue();
    if (v.abs().compareTo(MAX_AMOUNT) > 0) {
      problem(ptr, "must be at most " + MAX_AMOUNT.toPlainString());
      return null;
    }
    if (zeroAllowed ? v.signum() < 0 : v.signum() <= 0) {
      problem(ptr, zeroAllowed ? "must not be negative" : "must be positive");
      return null;
    }
    return v;
  }

  private int readPriority(@Nullable JsonNode p, String ptr) {
    if (p == null) {
      return Rule.MEDIUM;
    }
    if (p.isTextual()) {
      Integer named = PRIORITIES.get(p.textValue().toLowerCase(Locale.ROOT));
      if (named != null) {
        return named;
      }
    }
    if (p.isIntegralNumber() && p.canConvertToInt() && p.intValue() >= 0 && p.intValue() <= 100) {
      return p.intValue();
    }
    problem(ptr, "must be an integer from 0 to 100 or one of low, medium, high, critical");
    return Rule.MEDIUM;
  }

  private List<String> readTags(@Nullable JsonNode tags, String ptr) {
    if (tags == null) {
      return List.of();
    }
    if (!tags.isArray()) {
      problem(ptr, "must be an array of strings");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tags.size(); i++) {
      JsonNode t = tags.get(i);
      if (!t.isTextual() || t.textValue().isBlank()) {
        problem(ptr + "/" + i, "must be a non-empty string");
      } else if (!out.contains(t.textValue())) {
        out.add(t.textValue());
      }
    }
    return out;
  }

  private @Nullable String requiredText(JsonNode node, String ptr, String field) {
    JsonNode n = node.get(field);
    if (n == null) {
      problem(ptr, "needs '" + field + "'");
      return null;
    }
    return text(n, ptr + "/" + field);
  }

  private @Nullable String text(JsonNode n, String ptr) {
    if (!n.isTextual()) {
      problem(ptr, "must be a string");
      return null;
    }
    return n.textValue();
  }

  private void unknownFields(JsonNode node, String ptr, List<String> known) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!known.contains(e.getKey())) {
        problem(
            ptr + "/" + e.getKey().replace("~", "~0").replace("/", "~1"),
            "unknown field (known: " + String.join(", ", known) + ")");
      }
    }
  }

  private void problem(String pointer, String message) {
    LocatedJson located = doc;
    problems.add(
        located != null
            ? located.problem(Problem.Severity.ERROR, pointer, message)
            : new Problem(Problem.Severity.ERROR, pointer, 0, 0, message));
  }
}
