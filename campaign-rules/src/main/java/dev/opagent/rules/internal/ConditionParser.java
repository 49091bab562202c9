package dev.opagent.rules.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.Problem;
import dev.opagent.rules.spi.AttributePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a MongoDB-style condition (GrowthBook's targeting language) into {@link Node}s. In strict
 * mode every unknown operator, wrong operand type, bad regex or unknown saved group is reported as a
 * located problem; in lenient mode such parts compile to what GrowthBook evaluates them to (mostly
 * "never matches"). Not thread-safe: one instance per compilation.
 */
public final class ConditionParser {
  static final List<String> VALUE_OPERATORS =
      List.of(
          "$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$nin", "$ini", "$nini", "$all",
          "$alli", "$elemMatch", "$size", "$regex", "$regexi", "$type", "$exists", "$not", "$veq",
          "$vne", "$vgt", "$vgte", "$vlt", "$vlte", "$inGroup", "$notInGroup");
  static final List<String> LOGICAL_OPERATORS = List.of("$and", "$or", "$nor", "$not");
  static final Set<String> TYPES =
      Set.of("string", "number", "boolean", "object", "array", "null", "undefined");

  private final LocatedJson source;
  private final boolean strict;
  private final Map<String, JsonNode> savedGroups;
  private final List<Problem> problems;

  /**
   * @param source the document the condition sits in (for line and column)
   * @param strict whether to report problems instead of compiling GrowthBook's fallbacks
   * @param savedGroups saved group id to array of member values
   * @param problems where problems are appended
   */
  public ConditionParser(
      LocatedJson source, boolean strict, Map<String, JsonNode> savedGroups,
      List<Problem> problems) {
    this.source = source;
    this.strict = strict;
    this.savedGroups = savedGroups;
    this.problems = problems;
  }

  /** Compiles the condition at {@code pointer}. */
  public Node parse(JsonNode condition, String pointer) {
    return condition(condition, pointer, 0);
  }

  private void error(String pointer, String message) {
    problems.add(source.problem(Problem.Severity.ERROR, pointer, message));
  }

  private boolean tooDeep(String pointer, int depth) {
    if (depth > LocatedJson.MAX_DEPTH) {
      error(pointer, "condition nested deeper than " + LocatedJson.MAX_DEPTH + " levels");
      return true;
    }
    return false;
  }

  private Node condition(JsonNode c, String pointer, int depth) {
    if (tooDeep(pointer, depth)) {
      return new Nodes.Constant(pointer, false, "too deep");
    }
    if (!c.isObject()) {
      if (strict) {
        error(pointer, "a condition must be a JSON object but was " + kind(c));
      }
      return new Nodes.Constant(pointer, false, "condition is not an object");
    }
    List<Node> children = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : c.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      String ptr = LocatedJson.child(pointer, key);
      switch (key) {
        case "$and":
          children.add(list(value, ptr, depth, 0));
          break;
        case "$or":
          children.add(list(value, ptr, depth, 1));
          break;
        case "$nor":
          children.add(list(value, ptr, depth, 2));
          break;
        case "$not":
          children.add(new Nodes.Not(ptr, condition(value, ptr, depth + 1)));
          break;
        default:
          children.add(field(key, value, ptr, depth));
      }
    }
    if (children.size() == 1) {
      return children.get(0);
    }
    return new Nodes.And(pointer, children.toArray(new Node[0]));
  }

  private Node list(JsonNode value, String pointer, int depth, int kind) {
    String op = kind == 0 ? "$and" : kind == 1 ? "$or" : "$nor";
    if (!value.isArray()) {
      if (strict) {
        error(pointer, op + " needs an array of conditions but was " + kind(value));
      }
      // GrowthBook: a non-array has no length, so $and and $or hold and $nor fails.
      return new Nodes.Constant(pointer, kind != 2, op + " operand is not an array");
    }
    Node[] children = new Node[value.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = condition(value.get(i), LocatedJson.child(pointer, i), depth + 1);
    }
    switch (kind) {
      case 0:
        return new Nodes.And(pointer, children);
      case 1:
        return new Nodes.Or(pointer, children);
      default:
        return new Nodes.Nor(pointer, children);
    }
  }

  private Node field(String key, JsonNode value, String pointer, int depth) {
    AttributePath path = null;
    if (strict && key.startsWith("$")) {
      error(
          pointer,
          "unknown logical operator '" + key + "'; known: " + String.join(", ", LOGICAL_OPERATORS)
              + " (attribute names cannot start with '$' in strict mode)");
    }
    try {
      path = AttributePath.of(key);
    } catch (IllegalArgumentException e) {
      if (strict) {
        error(pointer, e.getMessage());
      }
    }
    return new Nodes.Field(pointer, path, key, conditionValue(value, pointer, depth + 1));
  }

  private static boolean isOperatorObject(JsonNode v) {
    if (!v.isObject() || v.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getKey().startsWith("$")) {
        return false;
      }
    }
    return true;
  }

  private ValueTest conditionValue(JsonNode v, String pointer, int depth) {
    if (tooDeep(pointer, depth)) {
      return new ValueTests.Never(pointer, "$eq", v, "too deep");
    }
    if (!isOperatorObject(v)) {
      if (strict && v.isObject()) {
        for (Map.Entry<String, JsonNode> property : v.properties()) {
          String name = property.getKey();
          if (name.startsWith("$")) {
            error(
                LocatedJson.child(pointer, name),
                "object mixes operators and plain fields, so it would be compared literally;"
                    + " use only operators or only fields");
            break;
          }
        }
      }
      return new ValueTests.Equals(pointer, "$eq", v, false, true);
    }
    List<ValueTest> tests = new ArrayList<>(v.size());
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      tests.add(operator(e.getKey(), e.getValue(), LocatedJson.child(pointer, e.getKey()), depth));
    }
    if (tests.size() == 1) {
      return tests.get(0);
    }
    return new ValueTests.AllOf(pointer, v, tests.toArray(new ValueTest[0]));
  }

  private ValueTest operator(String op, JsonNode x, String ptr, int depth) {
    switch (op) {
      case "$eq":
      case "$ne":
        return new ValueTests.Equals(ptr, op, x, op.equals("$ne"), false);
      case "$lt":
      case "$lte":
      case "$gt":
      case "$gte":
        if (strict && !x.isNumber() && !x.isTextual()) {
          return invalid(ptr, op, x, "needs a number or a string");
        }
        return new ValueTests.Compare(ptr, op, x);
      case "$veq":
      case "$vne":
      case "$vgt":
      case "$vgte":
      case "$vlt":
      case "$vlte":
        if (strict && !x.isTextual() && !x.isNumber()) {
          return invalid(ptr, op, x, "needs a version string");
        }
        return new ValueTests.Version(ptr, op, x);
      case "$in":
      case "$nin":
      case "$ini":
      case "$nini":
        if (!x.isArray()) {
          return invalid(ptr, op, x, "needs an array");
        }
        return new ValueTests.In(
            ptr, op, x, new ValueSet(x), op.startsWith("$n"), op.endsWith("i"));
      case "$inGroup":
      case "$notInGroup": {
        JsonNode members = x.isTextual() ? savedGroups.get(x.textValue()) : null;
        if (members == null) {
          if (strict) {
            String why = x.isTextual()
                ? "unknown saved group '" + x.textValue() + "'; known: "
                    + (savedGroups.isEmpty() ? "none" : String.join(", ", savedGroups.keySet()))
                : "needs the id of a saved group";
            error(ptr, op + " " + why);
          }
          members = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        return new ValueTests.In(
            ptr, op, x, new ValueSet(members), op.equals("$notInGroup"), false);
      }
      case "$all":
      case "$alli": {
        if (!x.isArray()) {
          if (strict) {
            return invalid(ptr, op, x, "needs an array");
          }
          return new ValueTests.All(ptr, op, x, new ValueTest[0], false);
        }
        ValueTest[] elements = new ValueTest[x.size()];
        for (int i = 0; i < elements.length; i++) {
          elements[i] = conditionValue(x.get(i), LocatedJson.child(ptr, i), depth + 1);
        }
        return new ValueTests.All(ptr, op, x, elements, op.equals("$alli"));
      }
      case "$elemMatch":
        if (!x.isObject()) {
          return invalid(ptr, op, x, "needs an object");
        }
        if (isOperatorObject(x)) {
          return new ValueTests.ElemMatchValue(ptr, x, conditionValue(x, ptr, depth + 1));
        }
        return new ValueTests.ElemMatchDoc(ptr, x, condition(x, ptr, depth + 1));
      case "$size":
        if (strict && !(x.isIntegralNumber() && x.asLong() >= 0) && !isOperatorObject(x)) {
          return invalid(ptr, op, x, "needs a non-negative integer or an operator object");
        }
        return new ValueTests.Size(ptr, x, conditionValue(x, ptr, depth + 1));
      case "$exists":
        if (strict && !x.isBoolean()) {
          return invalid(ptr, op, x, "needs true or false");
        }
        return new ValueTests.Exists(ptr, x, Values.truthy(x));
      case "$type":
        if (!x.isTextual() || !TYPES.contains(x.textValue())) {
          return invalid(ptr, op, x, "needs one of " + String.join(", ", TYPES.stream().sorted()
              .toList()));
        }
        return new ValueTests.Type(ptr, x, x.textValue());
      case "$not":
        return new ValueTests.Not(ptr, x, conditionValue(x, ptr, depth + 1));
      case "$regex":
      case "$regexi": {
        if (!x.isTextual()) {
          return invalid(ptr, op, x, "needs a regular expression string");
        }
        try {
          int flags = op.equals("$regexi") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
          return new ValueTests.Regex(ptr, op, x, Pattern.compile(x.textValue(), flags));
        } catch (PatternSyntaxException e) {
          return invalid(ptr, op, x, "has an invalid regular expression: "
              + e.getDescription() + " near index " + e.getIndex());
        }
      }
      default:
        return invalid(ptr, op, x, "is not a known operator; known: "
            + String.join(", ", VALUE_OPERATORS));
    }
  }

  private ValueTest invalid(String ptr, String op, JsonNode x, String why) {
    if (strict) {
      error(ptr, op + " " + why + (why.startsWith("needs") ? " but was " + kind(x) : ""));
    }
    return new ValueTests.Never(ptr, op, x, op + " " + why);
  }

  static String kind(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      case STRING:
        return "the string " + Nodes.render(n);
      case NUMBER:
        return "the number " + n;
      case BOOLEAN:
        return n.toString();
      case NULL:
        return "null";
      default:
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
