package dev.opagent.rules.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.internal.Values;
import dev.opagent.rules.json.LocatedJson;
import dev.opagent.rules.json.Pointer;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.problem.ProblemList;
import dev.opagent.rules.spi.AttributePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Compiles a MongoDB-style condition (GrowthBook's targeting language) into {@link Node}s. In
 * strict mode every unknown operator, wrong operand type, bad regex or unknown saved group is
 * reported as a located problem; in lenient mode such parts compile to what GrowthBook evaluates
 * them to (mostly "never matches"). Not thread-safe: one instance per compilation.
 */
final class ConditionParser {
  static final List<String> VALUE_OPERATORS =
      List.of(
          "$eq",
          "$ne",
          "$lt",
          "$lte",
          "$gt",
          "$gte",
          "$in",
          "$nin",
          "$ini",
          "$nini",
          "$all",
          "$alli",
          "$elemMatch",
          "$size",
          "$regex",
          "$regexi",
          "$type",
          "$exists",
          "$not",
          "$veq",
          "$vne",
          "$vgt",
          "$vgte",
          "$vlt",
          "$vlte",
          "$inGroup",
          "$notInGroup");
  static final List<String> LOGICAL_OPERATORS = List.of("$and", "$or", "$nor", "$not");
  static final Set<String> TYPES =
      Set.of("string", "number", "boolean", "object", "array", "null", "undefined");

  /**
   * Longest attribute text a {@code $regex} is applied to; longer text never makes a condition hold
   * (see {@link ValueTests.Regex}).
   */
  public static final int MAX_REGEX_INPUT_LENGTH = 4096;

  /** Longest {@code $regex} pattern accepted. */
  public static final int MAX_REGEX_PATTERN_LENGTH = 1024;

  /** Largest compiled {@code $regex} program accepted (bounds the per-character matching cost). */
  public static final int MAX_REGEX_PROGRAM_SIZE = 2000;

  private static final Pattern BACKREFERENCE = Pattern.compile("\\\\[1-9]|\\\\k<");
  private static final Pattern POSSESSIVE = Pattern.compile("[*+?}]\\+");

  private final LocatedJson source;
  private final boolean strict;
  private final Map<String, JsonNode> savedGroups;
  private final List<Problem> problems;

  /** The attribute the operator being compiled reads, for messages; null at the top level. */
  private @Nullable String field;

  /**
   * @param source the document the condition sits in (for line and column)
   * @param strict whether to report problems instead of compiling GrowthBook's fallbacks
   * @param savedGroups saved group id to array of member values
   * @param problems where problems are appended
   */
  public ConditionParser(
      LocatedJson source,
      boolean strict,
      Map<String, JsonNode> savedGroups,
      List<Problem> problems) {
    this.source = source;
    this.strict = strict;
    this.savedGroups = savedGroups;
    this.problems = problems;
  }

  /** Compiles the condition at {@code pointer}. */
  public Node parse(JsonNode condition, String pointer) {
    return condition(condition, Pointer.of(pointer), 0, false);
  }

  private void error(Pointer pointer, String message) {
    ProblemList.report(
        problems,
        Problem.Severity.ERROR,
        () -> source.problem(Problem.Severity.ERROR, pointer.toString(), message));
  }

  private boolean tooDeep(Pointer pointer, int depth) {
    if (depth > LocatedJson.MAX_DEPTH) {
      error(pointer, "condition nested deeper than " + LocatedJson.MAX_DEPTH + " levels");
      return true;
    }
    return false;
  }

  private Node condition(JsonNode c, Pointer pointer, int depth, boolean negated) {
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
      Pointer ptr = pointer.child(key);
      switch (key) {
        case "$and":
          children.add(list(value, ptr, depth, 0, negated));
          break;
        case "$or":
          children.add(list(value, ptr, depth, 1, negated));
          break;
        case "$nor":
          children.add(list(value, ptr, depth, 2, !negated));
          break;
        case "$not":
          children.add(new Nodes.Not(ptr, condition(value, ptr, depth + 1, !negated)));
          break;
        default:
          children.add(field(key, value, ptr, depth, negated));
      }
    }
    if (children.size() == 1) {
      return children.get(0);
    }
    return new Nodes.And(pointer, children.toArray(new Node[0]));
  }

  /** {@code negated}: whether the children sit under an odd number of negations. */
  private Node list(JsonNode value, Pointer pointer, int depth, int kind, boolean negated) {
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
      children[i] = condition(value.get(i), pointer.child(i), depth + 1, negated);
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

  private Node field(String key, JsonNode value, Pointer pointer, int depth, boolean negated) {
    AttributePath path = null;
    if (strict && key.startsWith("$")) {
      error(
          pointer,
          "unknown logical operator '"
              + key
              + "'; known: "
              + String.join(", ", LOGICAL_OPERATORS)
              + " (attribute names cannot start with '$' in strict mode)");
    }
    try {
      path = AttributePath.of(key);
    } catch (IllegalArgumentException e) {
      if (strict) {
        error(pointer, Objects.requireNonNullElse(e.getMessage(), "invalid attribute path"));
      }
    }
    String outerField = field;
    field = key;
    try {
      return new Nodes.Field(
          pointer, path, key, conditionValue(value, pointer, depth + 1, negated));
    } finally {
      field = outerField;
    }
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

  private ValueTest conditionValue(JsonNode v, Pointer pointer, int depth, boolean negated) {
    if (tooDeep(pointer, depth)) {
      return new ValueTests.Never(pointer, "$eq", v, "too deep");
    }
    if (!isOperatorObject(v)) {
      if (strict && v.isObject()) {
        for (Map.Entry<String, JsonNode> property : v.properties()) {
          String name = property.getKey();
          if (name.startsWith("$")) {
            error(
                pointer.child(name),
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
      tests.add(operator(e.getKey(), e.getValue(), pointer.child(e.getKey()), depth, negated));
    }
    if (tests.size() == 1) {
      return tests.get(0);
    }
    return new ValueTests.AllOf(pointer, v, tests.toArray(new ValueTest[0]));
  }

  private ValueTest operator(String op, JsonNode x, Pointer ptr, int depth, boolean negated) {
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
      case "$notInGroup":
        {
          JsonNode members = x.isTextual() ? savedGroups.get(x.textValue()) : null;
          if (members == null) {
            if (strict) {
              String why =
                  x.isTextual()
                      ? "unknown saved group '"
                          + x.textValue()
                          + "'; known: "
                          + (savedGroups.isEmpty() ? "none" : firstFew(savedGroups.keySet()))
                      : "needs the id of a saved group";
              error(ptr, op + " " + why);
            }
            members = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
          }
          return new ValueTests.In(
              ptr, op, x, new ValueSet(members), op.equals("$notInGroup"), false);
        }
      case "$all":
      case "$alli":
        {
          if (!x.isArray()) {
            if (strict) {
              return invalid(ptr, op, x, "needs an array");
            }
            return new ValueTests.All(ptr, op, x, new ValueTest[0], false);
          }
          ValueTest[] elements = new ValueTest[x.size()];
          for (int i = 0; i < elements.length; i++) {
            elements[i] = conditionValue(x.get(i), ptr.child(i), depth + 1, negated);
          }
          return new ValueTests.All(ptr, op, x, elements, op.equals("$alli"));
        }
      case "$elemMatch":
        if (!x.isObject()) {
          return invalid(ptr, op, x, "needs an object");
        }
        if (isOperatorObject(x)) {
          return new ValueTests.ElemMatchValue(ptr, x, conditionValue(x, ptr, depth + 1, negated));
        }
        return new ValueTests.ElemMatchDoc(ptr, x, condition(x, ptr, depth + 1, negated));
      case "$size":
        if (strict && !(x.isIntegralNumber() && x.asLong() >= 0) && !isOperatorObject(x)) {
          return invalid(ptr, op, x, "needs a non-negative integer or an operator object");
        }
        return new ValueTests.Size(ptr, x, conditionValue(x, ptr, depth + 1, negated));
      case "$exists":
        if (strict && !x.isBoolean()) {
          return invalid(ptr, op, x, "needs true or false");
        }
        return new ValueTests.Exists(ptr, x, Values.truthy(x));
      case "$type":
        if (!x.isTextual() || !TYPES.contains(x.textValue())) {
          return invalid(
              ptr, op, x, "needs one of " + String.join(", ", TYPES.stream().sorted().toList()));
        }
        return new ValueTests.Type(ptr, x, x.textValue());
      case "$not":
        return new ValueTests.Not(ptr, x, conditionValue(x, ptr, depth + 1, !negated));
      case "$regex":
      case "$regexi":
        return regex(op, x, ptr, negated);
      default:
        return invalid(
            ptr, op, x, "is not a known operator; known: " + String.join(", ", VALUE_OPERATORS));
    }
  }

  private ValueTest regex(String op, JsonNode x, Pointer ptr, boolean negated) {
    if (!x.isTextual()) {
      return invalid(ptr, op, x, "needs a regular expression string");
    }
    String pattern = x.textValue();
    if (pattern.length() > MAX_REGEX_PATTERN_LENGTH) {
      return invalid(
          ptr,
          op,
          x,
          "pattern is longer than " + MAX_REGEX_PATTERN_LENGTH + " characters; shorten it");
    }
    boolean ignoreCase = op.equals("$regexi");
    com.google.re2j.Pattern compiled;
    try {
      compiled =
          com.google.re2j.Pattern.compile(
              pattern, ignoreCase ? com.google.re2j.Pattern.CASE_INSENSITIVE : 0);
    } catch (com.google.re2j.PatternSyntaxException e) {
      PatternSyntaxException javaError = javaSyntaxError(pattern, ignoreCase);
      if (javaError != null) {
        // Not a regular expression in any dialect: GrowthBook's fallback is "never matches".
        return invalid(
            ptr,
            op,
            x,
            "has an invalid regular expression: "
                + javaError.getDescription()
                + " near index "
                + javaError.getIndex());
      }
      // Valid for backtracking engines, but not runnable in linear time: always an error, since
      // silently never matching would change what the rule targets.
      error(
          ptr,
          op
              + " on "
              + (field == null ? "the value" : "field '" + field + "'")
              + " uses "
              + unsupportedFeature(pattern, e)
              + ", which the linear-time regular expression engine"
              + " does not support; rewrite the pattern without it (spell out the alternatives, or"
              + " split it into several conditions joined with $and / $not)");
      return new ValueTests.Never(ptr, op, x, op + " uses unsupported regular expression syntax");
    }
    if (compiled.programSize() > MAX_REGEX_PROGRAM_SIZE) {
      return invalid(
          ptr,
          op,
          x,
          "pattern is too complex (compiles to "
              + compiled.programSize()
              + " instructions, at most "
              + MAX_REGEX_PROGRAM_SIZE
              + "); simplify its repetitions");
    }
    return new ValueTests.Regex(ptr, op, x, compiled, negated);
  }

  private static @Nullable PatternSyntaxException javaSyntaxError(
      String pattern, boolean ignoreCase) {
    try {
      Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
      return null;
    } catch (PatternSyntaxException e) {
      return e;
    }
  }

  private static String unsupportedFeature(
      String pattern, com.google.re2j.PatternSyntaxException e) {
    if (BACKREFERENCE.matcher(pattern).find()) {
      return "a backreference (\\1, \\k<name>)";
    }
    if (pattern.contains("(?=")
        || pattern.contains("(?!")
        || pattern.contains("(?<=")
        || pattern.contains("(?<!")) {
      return "lookaround ((?=, (?!, (?<=, (?<!)";
    }
    if (pattern.contains("(?>") || POSSESSIVE.matcher(pattern).find()) {
      return "an atomic group or possessive quantifier";
    }
    return "syntax it rejects (" + e.getDescription() + ")";
  }

  /** Up to ten names, comma-separated, then how many more. */
  private static String firstFew(java.util.Collection<String> names) {
    List<String> few = names.stream().limit(10).toList();
    String s = String.join(", ", few);
    return names.size() > few.size() ? s + " and " + (names.size() - few.size()) + " more" : s;
  }

  private ValueTest invalid(Pointer ptr, String op, JsonNode x, String why) {
    if (strict) {
      error(ptr, op + " " + why + (why.startsWith("needs") ? " but was " + kind(x) : ""));
    }
    return new ValueTests.Never(ptr, op, x, op + " " + why);
  }

  static String kind(JsonNode n) {
    return LocatedJson.describe(n);
  }
}
