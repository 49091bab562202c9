package dev.opagent.agent.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.rules.assignment.Holdout;
import dev.opagent.rules.json.LocatedJson;
import dev.opagent.rules.problem.Problem;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Reads {@link DecisionPolicy} JSON (see {@link DecisionPolicy#fromJson}). Not thread-safe. */
final class PolicyJson {
  /** Largest amount accepted for a cost, budget or threshold: a trillion. */
  static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(1_000_000_000_000L);

  /** Most decimals accepted in an amount. */
  static final int MAX_DECIMALS = 12;

  private static final Set<String> KEYS =
      Set.of(
          "maxActionsPerCustomer",
          "maxActionsPerChannel",
          "exclusiveCampaigns",
          "channels",
          "channelCosts",
          "actionPriors",
          "campaignPriors",
          "defaultPrior",
          "frequencyCaps",
          "quietHours",
          "executionLimits",
          "approval",
          "budgets",
          "globalHoldout",
          "minScore",
          "defaultZone",
          "operatingZone");

  private final LocatedJson doc;
  private final List<Problem> problems = new ArrayList<>();
  private final DecisionPolicy.Builder b = DecisionPolicy.builder();
  private final Map<String, Channel> channels = new java.util.HashMap<>();

  private PolicyJson(LocatedJson doc) {
    this.doc = doc;
  }

  /**
   * Reads a policy with {@link LocatedJson}'s limits; duplicate keys are errors.
   *
   * @throws InvalidPolicyException listing every problem as {@code sourceName:line:column: pointer:
   *     what is wrong}
   */
  static DecisionPolicy read(String sourceName, String json) {
    LocatedJson.Parsed parsed = LocatedJson.parse(json, Problem.Severity.ERROR);
    LocatedJson doc = parsed.json();
    if (doc == null) {
      throw invalid(sourceName, parsed.problems());
    }
    PolicyJson r = new PolicyJson(doc);
    r.problems.addAll(parsed.problems());
    JsonNode root = doc.root();
    if (!root.isObject()) {
      r.problem("", "must be an object but was " + LocatedJson.describe(root));
    } else {
      r.readRoot(root);
    }
    if (!r.problems.isEmpty()) {
      throw invalid(sourceName, r.problems);
    }
    try {
      return r.b.build();
    } catch (IllegalArgumentException e) {
      r.problem("", String.valueOf(e.getMessage()));
      throw invalid(sourceName, r.problems);
    }
  }

  private static InvalidPolicyException invalid(String sourceName, List<Problem> problems) {
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    return new InvalidPolicyException(sorted.stream().map(p -> p.describe(sourceName)).toList());
  }

  private void problem(String pointer, String message) {
    problems.add(doc.problem(Problem.Severity.ERROR, pointer, message));
  }

  private void readRoot(JsonNode root) {
    for (Channel c : DecisionPolicy.defaultChannels().values()) {
      channels.put(c.id(), c);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        problem(
            LocatedJson.child("", k),
            "unknown member; known: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    integer(root, "maxActionsPerCustomer", b::maxActionsPerCustomer);
    integer(root, "maxActionsPerChannel", b::maxActionsPerChannel);
    JsonNode n = root.get("exclusiveCampaigns");
    if (n != null) {
      b.clearExclusiveCampaigns();
      each(
          n,
          "/exclusiveCampaigns",
          (g, p) -> {
            Set<String> ids = new HashSet<>();
            each(
                g,
                p,
                (id, q) -> {
                  String s = text(id, q);
                  if (s != null) {
                    ids.add(s);
                  }
                });
            guard(p, () -> b.addExclusiveCampaigns(ids));
          });
    }
    object(
        root,
        "channels",
        (type, v, p) -> {
          Channel c = channel(v, p);
          if (c != null) {
            channels.put(c.id(), c);
            b.putChannel(type, c);
          }
        });
    object(
        root,
        "channelCosts",
        (id, v, p) -> {
          BigDecimal m = money(v, p);
          if (m != null) {
            guard(p, () -> b.putChannelCost(channels.getOrDefault(id, Channel.contact(id)), m));
          }
        });
    object(
        root,
        "actionPriors",
        (type, v, p) -> {
          ConversionPrior prior = prior(v, p);
          if (prior != null) {
            b.putActionPrior(type, prior);
          }
        });
    object(
        root,
        "campaignPriors",
        (id, v, p) -> {
          ConversionPrior prior = prior(v, p);
          if (prior != null) {
            b.putCampaignPrior(id, prior);
          }
        });
    if (root.has("defaultPrior")) {
      ConversionPrior prior = prior(root.get("defaultPrior"), "/defaultPrior");
      if (prior != null) {
        b.defaultPrior(prior);
      }
    }
    n = root.get("frequencyCaps");
    if (n != null) {
      b.clearFrequencyCaps();
      each(n, "/frequencyCaps", this::frequencyCap);
    }
    n = root.get("quietHours");
    if (n != null) {
      b.clearQuietHours();
      each(n, "/quietHours", this::quietHours);
    }
    object(
        root,
        "executionLimits",
        (type, v, p) -> {
          if (v.isNull()) {
            b.removeExecutionLimit(type);
          } else if (v.canConvertToInt()) {
            guard(p, () -> b.putExecutionLimit(type, v.intValue()));
          } else {
            problem(p, "must be a whole number or null");
          }
        });
    if (root.has("approval")) {
      approval(root.get("approval"));
    }
    if (root.has("budgets")) {
      budgets(root.get("budgets"));
    }
    n = root.get("globalHoldout");
    if (n != null) {
      if (n.isNull()) {
        b.globalHoldout(null);
      } else {
        String key = text(n.get("key"), "/globalHoldout/key");
        Double pct = number(n.get("percentage"), "/globalHoldout/percentage");
        if (key != null && pct != null) {
          guard("/globalHoldout", () -> b.globalHoldout(Holdout.of(key, pct)));
        }
      }
    }
    if (root.has("minScore")) {
      Double d = number(root.get("minScore"), "/minScore");
      if (d != null) {
        b.minScore(d);
      }
    }
    zone(root, "defaultZone", b::defaultZone);
    zone(root, "operatingZone", b::operatingZone);
  }

  private void frequencyCap(JsonNode n, String p) {
    if (!n.isObject()) {
      problem(p, "must be an object");
      return;
    }
    Channel channel = n.has("channel") ? channel(n.get("channel"), p + "/channel") : null;
    JsonNode max = n.get("max");
    if (max == null || !max.canConvertToInt()) {
      problem(p + "/max", "must be a whole number");
      return;
    }
    CapWindow window;
    if (n.has("rolling") == n.has("calendarDays")) {
      problem(
          p, "needs exactly one of rolling (ISO-8601 duration such as P7D) and" + " calendarDays");
      return;
    } else if (n.has("rolling")) {
      Duration d = duration(n.get("rolling"), p + "/rolling");
      if (d == null) {
        return;
      }
      window = guard(p + "/rolling", () -> CapWindow.rolling(d));
    } else {
      JsonNode days = n.get("calendarDays");
      if (!days.canConvertToInt()) {
        problem(p + "/calendarDays", "must be a whole number");
        return;
      }
      window = guard(p + "/calendarDays", () -> CapWindow.calendarDays(days.intValue()));
    }
    JsonNode bypass = n.get("bypassFromPriority");
    if (window == null || (n.has("channel") && channel == null)) {
      return;
    }
    CapWindow w = window;
    guard(
        p,
        () ->
            b.addFrequencyCap(
                new FrequencyCap(
                    channel,
                    max.intValue(),
                    w,
                    bypass == null || bypass.isNull() ? null : bypass.intValue())));
  }

  private void quietHours(JsonNode n, String p) {
    LocalTime start = time(n.get("start"), p + "/start");
    LocalTime end = time(n.get("end"), p + "/end");
    Set<Channel> set = new HashSet<>();
    each(
        n.get("channels"),
        p + "/channels",
        (c, q) -> {
          Channel ch = channel(c, q);
          if (ch != null) {
            set.add(ch);
          }
        });
    if (start != null && end != null) {
      guard(p, () -> b.addQuietHours(new QuietHours(start, end, set)));
    }
  }

  private void approval(JsonNode n) {
    ApprovalThresholds d = ApprovalThresholds.ofDefaults();
    double rate =
        n.has("discountRateAtLeast")
            ? orElse(number(n.get("discountRateAtLeast"), "/approval/discountRateAtLeast"), 1.0)
            : d.discountRateAtLeast();
    BigDecimal spend =
        !n.has("spendAtLeast")
            ? d.spendAtLeast()
            : n.get("spendAtLeast").isNull()
                ? null
                : money(n.get("spendAtLeast"), "/approval/spendAtLeast");
    long audience = d.audienceAbove();
    if (n.has("audienceAbove")) {
      JsonNode a = n.get("audienceAbove");
      if (a.isNull()) {
        audience = Long.MAX_VALUE;
      } else if (a.canConvertToLong()) {
        audience = a.longValue();
      } else {
        problem("/approval/audienceAbove", "must be a whole number or null");
      }
    }
    ApprovalScope scope = d.scope();
    if (n.has("scope")) {
      String s = text(n.get("scope"), "/approval/scope");
      try {
        scope = s == null ? scope : ApprovalScope.valueOf(s);
      } catch (IllegalArgumentException e) {
        problem("/approval/scope", "must be CAMPAIGN or ACTION");
      }
    }
    long aud = audience;
    ApprovalScope sc = scope;
    guard("/approval", () -> b.approval(new ApprovalThresholds(rate, spend, aud, sc)));
  }

  private void budgets(JsonNode n) {
    String code = text(n.get("currency"), "/budgets/currency");
    if (code == null) {
      return;
    }
    Currency currency;
    try {
      currency = Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      problem("/budgets/currency", "not an ISO 4217 currency code");
      return;
    }
    BudgetLimits.Builder limits = BudgetLimits.builder(currency);
    if (n.has("global") && !n.get("global").isNull()) {
      BigDecimal g = money(n.get("global"), "/budgets/global");
      if (g != null) {
        limits.global(g);
      }
    }
    object(
        n,
        "perCampaign",
        (id, v, p) -> {
          BigDecimal m = money(v, "/budgets" + p);
          if (m != null) {
            limits.putCampaign(id, m);
          }
        });
    guard("/budgets", () -> b.budgets(limits.build()));
  }

  private @Nullable Channel channel(JsonNode v, String p) {
    if (v != null && v.isTextual()) {
      Channel c = channels.get(v.textValue());
      if (c == null) {
        problem(
            p,
            "unknown channel '"
                + v.textValue()
                + "'; define it as {\"id\": …,"
                + " \"contact\": true|false} first; known: "
                + String.join(", ", new java.util.TreeSet<>(channels.keySet())));
      }
      return c;
    }
    if (v != null && v.isObject() && v.path("id").isTextual() && v.path("contact").isBoolean()) {
      return guard(p, () -> new Channel(v.get("id").textValue(), v.get("contact").booleanValue()));
    }
    problem(p, "must be a channel id or {\"id\": …, \"contact\": true|false}");
    return null;
  }

  private @Nullable ConversionPrior prior(JsonNode v, String p) {
    Double a = number(v.get("alpha"), p + "/alpha");
    Double be = number(v.get("beta"), p + "/beta");
    return a == null || be == null ? null : guard(p, () -> new ConversionPrior(a, be));
  }

  /**
   * An amount of at most {@link #MAX_AMOUNT} with at most {@link #MAX_DECIMALS} decimals; anything
   * else (including 1e999999999, whose arithmetic would not finish) is a problem.
   */
  private @Nullable BigDecimal money(JsonNode v, String p) {
    if (v != null && (v.isNumber() || v.isTextual()) && v.asText().length() <= 100) {
      try {
        BigDecimal d = new BigDecimal(v.asText());
        // bounds on the scale first: 0e-999999999 is small but its arithmetic would not finish
        if (d.scale() <= MAX_DECIMALS
            && d.scale() >= -MAX_DECIMALS
            && d.abs().compareTo(MAX_AMOUNT) <= 0) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problem(
        p,
        "must be an amount such as \"0.05\", at most "
            + MAX_AMOUNT.toPlainString()
            + " with at most "
            + MAX_DECIMALS
            + " decimals");
    return null;
  }

  private @Nullable Double number(@Nullable JsonNode v, String p) {
    if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
      problem(p, "must be a finite number");
      return null;
    }
    return v.doubleValue();
  }

  private @Nullable String text(@Nullable JsonNode v, String p) {
    if (v == null || !v.isTextual()) {
      problem(p, "must be a string");
      return null;
    }
    return v.textValue();
  }

  private @Nullable LocalTime time(@Nullable JsonNode v, String p) {
    String s = text(v, p);
    try {
      return s == null ? null : LocalTime.parse(s);
    } catch (DateTimeException e) {
      problem(p, "must be a local time such as 21:00");
      return null;
    }
  }

  private @Nullable Duration duration(JsonNode v, String p) {
    String s = text(v, p);
    try {
      return s == null ? null : Duration.parse(s);
    } catch (DateTimeException e) {
      problem(p, "must be an ISO-8601 duration such as P7D or PT72H");
      return null;
    }
  }

  private void zone(JsonNode root, String key, Consumer<ZoneId> set) {
    if (!root.has(key)) {
      return;
    }
    String s = text(root.get(key), "/" + key);
    try {
      if (s != null) {
        set.accept(ZoneId.of(s).normalized());
      }
    } catch (DateTimeException e) {
      problem("/" + key, "must be a time zone id such as Europe/Istanbul");
    }
  }

  private void integer(JsonNode root, String key, java.util.function.IntConsumer set) {
    JsonNode v = root.get(key);
    if (v == null) {
      return;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      problem("/" + key, "must be a whole number");
      return;
    }
    set.accept(v.intValue());
  }

  private interface Entry {
    void accept(String key, JsonNode value, String pointer);
  }

  private interface Element {
    void accept(JsonNode value, String pointer);
  }

  private void object(JsonNode root, String key, Entry each) {
    JsonNode n = root.get(key);
    if (n == null) {
      return;
    }
    if (!n.isObject()) {
      problem("/" + key, "must be an object");
      return;
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      each.accept(e.getKey(), e.getValue(), "/" + key + "/" + e.getKey());
    }
  }

  private void each(@Nullable JsonNode n, String p, Element each) {
    if (n == null || !n.isArray()) {
      problem(p, "must be an array");
      return;
    }
    for (int i = 0; i < n.size(); i++) {
      each.accept(n.get(i), p + "/" + i);
    }
  }

  private <T> @Nullable T guard(String p, java.util.function.Supplier<T> s) {
    try {
      return s.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      problem(p, String.valueOf(e.getMessage()));
      return null;
    }
  }

  private void guard(String p, Runnable r) {
    guard(
        p,
        () -> {
          r.run();
          return Boolean.TRUE;
        });
  }

  private static double orElse(@Nullable Double d, double other) {
    return d == null ? other : d;
  }
}
