package dev.opagent.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.rules.assignment.Holdout;
import dev.opagent.rules.condition.CompileResult;
import dev.opagent.rules.condition.Condition;
import dev.opagent.rules.condition.ConditionCompiler;
import dev.opagent.rules.condition.ConditionMode;
import dev.opagent.rules.json.LocatedJson;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.problem.ProblemList;
import dev.opagent.rules.spi.ActionTypes;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a rule file's tree into rules, collecting every problem with its JSON pointer and
 * line/column instead of stopping at the first. Not thread-safe: one instance per file.
 *
 * <p>Format: either an array of rules, or {@code {"name", "description", "saved_groups", "rules"}}.
 * A rule is seed 001's {@code {rule_id, name, conditions, actions, priority, enabled}} plus {@code
 * description, version, valid_from, valid_until, time_zone, tags, holdout_percentage, trigger}; an
 * action is {@code {type, delay_minutes | delay, …parameters}}; a trigger is {@code {event, within,
 * cancel_on}}.
 */
final class RuleFileReader {
  static final Set<String> FILE_FIELDS = Set.of("name", "description", "saved_groups", "rules");
  static final List<String> RULE_FIELDS =
      List.of(
          "rule_id",
          "name",
          "description",
          "conditions",
          "actions",
          "priority",
          "enabled",
          "version",
          "valid_from",
          "valid_until",
          "time_zone",
          "tags",
          "holdout_percentage",
          "trigger");
  static final List<String> TRIGGER_FIELDS = List.of("event", "within", "cancel_on");
  static final Map<String, Integer> PRIORITY_NAMES =
      Map.of("low", Rule.LOW, "medium", Rule.MEDIUM, "high", Rule.HIGH, "critical", Rule.CRITICAL);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LocatedJson doc;
  private final ConditionMode mode;
  private final @Nullable ActionTypes actionTypes;
  private final Map<String, JsonNode> extraSavedGroups;
  private final ProblemList problems = new ProblemList();

  /** What a rule file yields: its rules, name, and every problem (errors and warnings). */
  public record Result(String name, List<Rule> rules, List<Problem> problems) {}

  public RuleFileReader(
      LocatedJson doc,
      ConditionMode mode,
      @Nullable ActionTypes actionTypes,
      Map<String, JsonNode> extraSavedGroups) {
    this.doc = doc;
    this.mode = mode;
    this.actionTypes = actionTypes;
    this.extraSavedGroups = extraSavedGroups;
  }

  private void error(String pointer, String message) {
    ProblemList.report(
        problems,
        Problem.Severity.ERROR,
        () -> doc.problem(Problem.Severity.ERROR, pointer, message));
  }

  private void warn(String pointer, String message) {
    ProblemList.report(
        problems,
        Problem.Severity.WARNING,
        () -> doc.problem(Problem.Severity.WARNING, pointer, message));
  }

  /** Problems about unknown fields are errors in strict mode and warnings in lenient mode. */
  private void unknownField(String pointer, String field, java.util.Collection<String> known) {
    String message = "unknown field '" + field + "'; known: " + String.join(", ", known);
    if (mode == ConditionMode.STRICT) {
      error(pointer, message);
    } else {
      warn(pointer, message);
    }
  }

  public Result read(String defaultName) {
    JsonNode root = doc.root();
    JsonNode rulesNode;
    String rulesPointer;
    String name = defaultName;
    Map<String, JsonNode> savedGroups = new LinkedHashMap<>(extraSavedGroups);
    if (root.isArray()) {
      rulesNode = root;
      rulesPointer = "";
    } else if (root.isObject()) {
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        if (!FILE_FIELDS.contains(e.getKey())) {
          unknownField(
              LocatedJson.child("", e.getKey()),
              e.getKey(),
              List.of("name", "description", "saved_groups", "rules"));
        }
      }
      JsonNode n = root.get("name");
      if (n != null) {
        if (n.isTextual() && !n.textValue().isBlank()) {
          name = n.textValue();
        } else {
          error("/name", "name must be a non-empty string but was " + LocatedJson.describe(n));
        }
      }
      JsonNode d = root.get("description");
      if (d != null && !d.isTextual()) {
        error("/description", "description must be a string but was " + LocatedJson.describe(d));
      }
      readSavedGroups(root.get("saved_groups"), savedGroups);
      rulesNode = root.get("rules");
      rulesPointer = "/rules";
      if (rulesNode == null) {
        error("", "rule file needs a 'rules' array");
        return new Result(name, List.of(), problems.withSummary());
      }
    } else {
      error(
          "",
          "rule file must be a JSON object or an array of rules but was "
              + LocatedJson.describe(root));
      return new Result(name, List.of(), problems.withSummary());
    }
    if (!rulesNode.isArray()) {
      error(rulesPointer, "rules must be an array but was " + LocatedJson.describe(rulesNode));
      return new Result(name, List.of(), problems.withSummary());
    }
    if (rulesNode.isEmpty()) {
      warn(rulesPointer, "rule file has no rules");
    }
    ConditionCompiler.Builder cb = ConditionCompiler.builder().mode(mode);
    savedGroups.forEach((id, members) -> cb.putSavedGroups(singleGroup(id, members)));
    ConditionCompiler compiler = cb.build();
    List<Rule> rules = new ArrayList<>();
    Map<String, String> seenIds = new HashMap<>();
    for (int i = 0; i < rulesNode.size(); i++) {
      Rule rule = readRule(rulesNode.get(i), LocatedJson.child(rulesPointer, i), compiler, seenIds);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return new Result(name, rules, problems.withSummary());
  }

  private static JsonNode singleGroup(String id, JsonNode members) {
    com.fasterxml.jackson.databind.node.ObjectNode o = MAPPER.createObjectNode();
    o.set(id, members);
    return o;
  }

  private void readSavedGroups(@Nullable JsonNode groups, Map<String, JsonNode> into) {
    if (groups == null) {
      return;
    }
    if (!groups.isObject()) {
      error(
          "/saved_groups",
          "saved_groups must be an object of arrays but was " + LocatedJson.describe(groups));
      return;
    }
    for (Map.Entry<String, JsonNode> e : groups.properties()) {
      String ptr = LocatedJson.child("/saved_groups", e.getKey());
      if (e.getKey().isEmpty()) {
        error(ptr, "saved group id must not be empty");
      } else if (!e.getValue().isArray()) {
        error(
            ptr,
            "saved group '"
                + e.getKey()
                + "' must be an array but was "
                + LocatedJson.describe(e.getValue()));
      } else {
        into.put(e.getKey(), e.getValue());
      }
    }
  }

  private @Nullable Rule readRule(
      JsonNode node, String ptr, ConditionCompiler compiler, Map<String, String> seenIds) {
    if (!node.isObject()) {
      error(ptr, "a rule must be a JSON object but was " + LocatedJson.describe(node));
      return null;
    }
    int errorsBefore = errorCount();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!RULE_FIELDS.contains(e.getKey())) {
        unknownField(LocatedJson.child(ptr, e.getKey()), e.getKey(), RULE_FIELDS);
      }
    }
    String id = null;
    JsonNode idNode = node.get("rule_id");
    if (idNode == null) {
      error(ptr, "rule needs a 'rule_id'");
    } else if (!idNode.isTextual() || !Rule.ID_PATTERN.matcher(idNode.textValue()).matches()) {
      error(
          ptr + "/rule_id",
          "rule_id must be a string of letters, digits and _ - . : but was "
              + LocatedJson.describe(idNode));
    } else {
      id = idNode.textValue();
      String first = seenIds.putIfAbsent(id, ptr);
      if (first != null) {
        long[] loc = doc.location(first);
        error(
            ptr + "/rule_id",
            "duplicate rule_id '" + id + "', first defined at " + first + " (line " + loc[0] + ")");
      }
    }
    String name = optionalText(node, ptr, "name");
    String description = optionalText(node, ptr, "description");

    Condition condition = null;
    JsonNode conditions = node.get("conditions");
    if (conditions == null) {
      error(ptr, "rule needs 'conditions' (use {} to match every customer)");
    } else {
      String cptr = ptr + "/conditions";
      CompileResult result = compiler.tryCompile(conditions, cptr);
      if (result instanceof CompileResult.Compiled compiled) {
        condition = compiled.condition();
        String ruleId = id;
        compiled.warnings().forEach(p -> problems.add(relocate(p, ruleId)));
        if (node.has("trigger")) {
          // the trigger selects the customers: those with the event
        } else if (conditions.isObject() && conditions.isEmpty()) {
          warn(cptr, "conditions are empty, so the rule matches every customer");
        } else if (condition.isAlwaysTrue()) {
          warn(cptr, "conditions always hold, so the rule matches every customer");
        }
      } else {
        String ruleId = id;
        ((CompileResult.Rejected) result)
            .problems()
            .forEach(p -> problems.add(relocate(p, ruleId)));
      }
    }

    List<Action> actions = readActions(node.get("actions"), ptr + "/actions");
    int priority = readPriority(node.get("priority"), ptr + "/priority");
    boolean enabled = true;
    JsonNode en = node.get("enabled");
    if (en != null) {
      if (en.isBoolean()) {
        enabled = en.booleanValue();
      } else {
        error(
            ptr + "/enabled", "enabled must be true or false but was " + LocatedJson.describe(en));
      }
    }
    int version = 1;
    JsonNode v = node.get("version");
    if (v != null) {
      if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 1) {
        version = v.intValue();
      } else {
        error(
            ptr + "/version",
            "version must be a positive integer but was " + LocatedJson.describe(v));
      }
    }
    ValidityWindow window = readWindow(node, ptr);
    List<String> tags = readTags(node.get("tags"), ptr + "/tags");
    double holdout = 0;
    JsonNode h = node.get("holdout_percentage");
    if (h != null) {
      if (h.isNumber() && h.doubleValue() >= 0 && h.doubleValue() <= 100) {
        holdout = h.doubleValue();
      } else {
        error(
            ptr + "/holdout_percentage",
            "holdout_percentage must be a number from 0 to 100 but"
                + " was "
                + LocatedJson.describe(h));
      }
    }
    Trigger trigger = readTrigger(node.get("trigger"), ptr + "/trigger");
    if (errorCount() > errorsBefore || id == null || condition == null || window == null) {
      return null;
    }
    return new Rule(
        id,
        name == null ? id : name,
        description == null ? "" : description,
        condition,
        actions,
        priority,
        enabled,
        version,
        window,
        tags,
        Holdout.of(Rule.holdoutKey(id), holdout),
        trigger);
  }

  /** {@code {"event": "cart_abandoned", "within": "PT1H", "cancel_on": ["purchase"]}}. */
  private @Nullable Trigger readTrigger(@Nullable JsonNode t, String ptr) {
    if (t == null) {
      return null;
    }
    if (!t.isObject()) {
      error(
          ptr,
          "trigger must be an object such as {\"event\": \"cart_abandoned\", \"within\":"
              + " \"PT1H\"} but was "
              + LocatedJson.describe(t));
      return null;
    }
    for (Map.Entry<String, JsonNode> e : t.properties()) {
      if (!TRIGGER_FIELDS.contains(e.getKey())) {
        unknownField(LocatedJson.child(ptr, e.getKey()), e.getKey(), TRIGGER_FIELDS);
      }
    }
    boolean ok = true;
    JsonNode event = t.get("event");
    if (event == null) {
      error(ptr, "trigger needs an 'event', the event type that fires the rule");
      ok = false;
    } else if (!isEventType(event)) {
      error(ptr + "/event", eventTypeRule("event", event));
      ok = false;
    }
    Duration within = null;
    JsonNode w = t.get("within");
    if (w == null) {
      error(ptr, "trigger needs 'within', how old the event may be, such as \"PT1H\"");
      ok = false;
    } else {
      within = positiveDuration(w);
      if (within == null) {
        error(
            ptr + "/within",
            "within must be a positive ISO-8601 duration such as PT1H but was "
                + LocatedJson.describe(w));
        ok = false;
      }
    }
    List<String> cancelOn = new ArrayList<>();
    JsonNode c = t.get("cancel_on");
    if (c != null) {
      if (!c.isArray()) {
        error(
            ptr + "/cancel_on",
            "cancel_on must be an array of event types but was " + LocatedJson.describe(c));
        ok = false;
      } else {
        for (int i = 0; i < c.size(); i++) {
          JsonNode type = c.get(i);
          if (!isEventType(type)) {
            error(LocatedJson.child(ptr + "/cancel_on", i), eventTypeRule("cancel_on", type));
            ok = false;
          } else if (!cancelOn.contains(type.textValue())) {
            cancelOn.add(type.textValue());
          }
        }
      }
    }
    if (!ok) {
      return null;
    }
    return new Trigger(
        Objects.requireNonNull(event).textValue(), Objects.requireNonNull(within), cancelOn);
  }

  private static boolean isEventType(JsonNode n) {
    return n.isTextual() && Trigger.EVENT_TYPE.matcher(n.textValue()).matches();
  }

  private static String eventTypeRule(String field, JsonNode n) {
    return field
        + " must be an event type of lowercase letters, digits and _ (such as cart_abandoned)"
        + " but was "
        + LocatedJson.describe(n);
  }

  private static @Nullable Duration positiveDuration(JsonNode n) {
    if (!n.isTextual()) {
      return null;
    }
    try {
      Duration d = Duration.parse(n.textValue());
      return d.isNegative() || d.isZero() ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private int errorCount() {
    return problems.errorCount();
  }

  /** A condition problem located in the file, its message naming the rule when it has an id. */
  private Problem relocate(Problem p, @Nullable String ruleId) {
    long[] loc = doc.location(p.pointer());
    String message = ruleId == null ? p.message() : "rule '" + ruleId + "': " + p.message();
    return new Problem(p.severity(), p.pointer(), (int) loc[0], (int) loc[1], message);
  }

  private @Nullable String optionalText(JsonNode node, String ptr, String field) {
    JsonNode n = node.get(field);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      error(ptr + "/" + field, field + " must be a string but was " + LocatedJson.describe(n));
      return null;
    }
    return n.textValue();
  }

  private int readPriority(@Nullable JsonNode p, String ptr) {
    if (p == null) {
      return Rule.MEDIUM;
    }
    if (p.isTextual()) {
      Integer named = PRIORITY_NAMES.get(p.textValue().toLowerCase(Locale.ROOT));
      if (named != null) {
        return named;
      }
    } else if (p.isIntegralNumber()
        && p.canConvertToInt()
        && p.intValue() >= 0
        && p.intValue() <= 100) {
      return p.intValue();
    }
    error(
        ptr,
        "priority must be an integer from 0 to 100 or one of low, medium, high, critical"
            + " but was "
            + LocatedJson.describe(p));
    return Rule.MEDIUM;
  }

  private List<String> readTags(@Nullable JsonNode tags, String ptr) {
    if (tags == null) {
      return List.of();
    }
    if (!tags.isArray()) {
      error(ptr, "tags must be an array of strings but was " + LocatedJson.describe(tags));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      JsonNode t = tags.get(i);
      if (!t.isTextual() || t.textValue().isBlank()) {
        error(
            LocatedJson.child(ptr, i),
            "tag must be a non-empty string but was " + LocatedJson.describe(t));
      } else if (!seen.add(t.textValue())) {
        warn(LocatedJson.child(ptr, i), "duplicate tag '" + t.textValue() + "'");
      } else {
        out.add(t.textValue());
      }
    }
    return out;
  }

  private List<Action> readActions(@Nullable JsonNode actions, String ptr) {
    if (actions == null) {
      warn(ptr.substring(0, ptr.lastIndexOf('/')), "rule has no actions");
      return List.of();
    }
    if (!actions.isArray()) {
      error(ptr, "actions must be an array but was " + LocatedJson.describe(actions));
      return List.of();
    }
    if (actions.isEmpty()) {
      warn(ptr, "rule has no actions");
    }
    List<Action> out = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      Action a = readAction(actions.get(i), LocatedJson.child(ptr, i));
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  private @Nullable Action readAction(JsonNode a, String ptr) {
    if (!a.isObject()) {
      error(ptr, "an action must be a JSON object but was " + LocatedJson.describe(a));
      return null;
    }
    JsonNode type = a.get("type");
    boolean ok = true;
    if (type == null || !type.isTextual() || type.textValue().isBlank()) {
      error(type == null ? ptr : ptr + "/type", "action needs a non-empty string 'type'");
      ok = false;
    } else if (actionTypes != null && !actionTypes.isKnown(type.textValue())) {
      error(
          ptr + "/type",
          "unknown action type '"
              + type.textValue()
              + "'; known: "
              + String.join(", ", actionTypes.knownTypes()));
      ok = false;
    }
    Duration delay = Duration.ZERO;
    JsonNode minutes = a.get("delay_minutes");
    JsonNode iso = a.get("delay");
    if (minutes != null && iso != null) {
      error(ptr + "/delay", "give either delay_minutes or delay, not both");
      ok = false;
    } else if (minutes != null) {
      if (minutes.isNumber() && minutes.doubleValue() >= 0 && minutes.doubleValue() <= 5.256e7) {
        delay = Duration.ofSeconds(Math.round(minutes.doubleValue() * 60));
      } else {
        error(
            ptr + "/delay_minutes",
            "delay_minutes must be a non-negative number of minutes"
                + " (at most 100 years) but was "
                + LocatedJson.describe(minutes));
        ok = false;
      }
    } else if (iso != null) {
      Duration parsed = null;
      if (iso.isTextual()) {
        try {
          parsed = Duration.parse(iso.textValue());
        } catch (DateTimeParseException e) {
          parsed = null;
        }
      }
      if (parsed == null || parsed.isNegative()) {
        error(
            ptr + "/delay",
            "delay must be a non-negative ISO-8601 duration such as PT30M but"
                + " was "
                + LocatedJson.describe(iso));
        ok = false;
      } else {
        delay = parsed;
      }
    }
    if (!ok) {
      return null;
    }
    Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      String k = e.getKey();
      if (!k.equals("type") && !k.equals("delay_minutes") && !k.equals("delay")) {
        parameters.put(k, frozen(e.getValue()));
      }
    }
    return new Action(type.textValue(), parameters, delay);
  }

  /** A JSON value as unmodifiable JSON-like Java values. */
  static @Nullable Object frozen(JsonNode n) {
    if (n.isObject()) {
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), frozen(e.getValue()));
      }
      return java.util.Collections.unmodifiableMap(m);
    }
    if (n.isArray()) {
      List<@Nullable Object> l = new ArrayList<>();
      for (JsonNode e : n) {
        l.add(frozen(e));
      }
      return java.util.Collections.unmodifiableList(l);
    }
    return MAPPER.convertValue(n, Object.class);
  }

  private @Nullable ValidityWindow readWindow(JsonNode node, String ptr) {
    ZoneId zone = ZoneOffset.UTC;
    JsonNode tz = node.get("time_zone");
    boolean ok = true;
    if (tz != null) {
      try {
        if (!tz.isTextual()) {
          throw new DateTimeException("not a string");
        }
        zone = ZoneId.of(tz.textValue());
      } catch (DateTimeException e) {
        error(
            ptr + "/time_zone",
            "time_zone must be an IANA zone id such as Europe/Istanbul but"
                + " was "
                + LocatedJson.describe(tz));
        ok = false;
      }
    }
    Instant from = instant(node.get("valid_from"), ptr + "/valid_from", zone);
    Instant until = instant(node.get("valid_until"), ptr + "/valid_until", zone);
    if ((node.has("valid_from") && from == null) || (node.has("valid_until") && until == null)) {
      ok = false;
    }
    if (from != null && until != null && !from.isBefore(until)) {
      error(ptr + "/valid_until", "valid_until must be after valid_from");
      ok = false;
    }
    return ok ? new ValidityWindow(from, until, zone) : null;
  }

  private @Nullable Instant instant(@Nullable JsonNode n, String ptr, ZoneId zone) {
    if (n == null) {
      return null;
    }
    if (n.isTextual()) {
      String s = n.textValue();
      try {
        return LocalDate.parse(s).atStartOfDay(zone).toInstant();
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
      try {
        return LocalDateTime.parse(s).atZone(zone).toInstant();
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException ignored) {
        // fall through to the error
      }
    }
    error(
        ptr,
        "expected an ISO date (2026-03-01), local date-time (2026-03-01T09:00) or"
            + " date-time with offset (2026-03-01T09:00+03:00) but was "
            + LocatedJson.describe(n));
    return null;
  }
}
