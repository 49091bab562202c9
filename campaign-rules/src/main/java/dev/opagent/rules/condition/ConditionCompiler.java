package dev.opagent.rules.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.internal.Values;
import dev.opagent.rules.json.LocatedJson;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.problem.ProblemList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiles conditions. Immutable and thread-safe; build one and reuse it. The {@link Builder} is
 * not thread-safe.
 *
 * <pre>{@code
 * ConditionCompiler compiler = ConditionCompiler.builder()
 *     .mode(ConditionMode.LENIENT)
 *     .putSavedGroup("vip", List.of("C-1001", "C-1002"))
 *     .build();
 * Condition c = compiler.compile("{\"customerId\": {\"$inGroup\": \"vip\"}}");
 * }</pre>
 */
public final class ConditionCompiler {
  /**
   * Longest attribute text (in UTF-16 chars) a {@code $regex} or {@code $regexi} is applied to:
   * {@value}. Longer text is not examined and fails closed: it never makes a condition hold (the
   * regex counts as not matching, or as matching under an odd number of {@code $not}/{@code $nor},
   * so the enclosing condition is false either way), and {@link Condition#explain} says so.
   */
  public static final int MAX_REGEX_INPUT_LENGTH = ConditionParser.MAX_REGEX_INPUT_LENGTH;

  private static final ConditionCompiler DEFAULTS = builder().build();

  private final ConditionMode mode;
  private final Map<String, JsonNode> savedGroups;

  private ConditionCompiler(Builder b) {
    this.mode = b.mode;
    this.savedGroups = Map.copyOf(b.savedGroups);
  }

  /** Strict mode, no saved groups. */
  public static ConditionCompiler ofDefaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The mode conditions are compiled in. */
  public ConditionMode mode() {
    return mode;
  }

  /**
   * Compiles condition JSON text; problems are located by line and column in {@code json}.
   *
   * @throws InvalidConditionException with every problem found, if the text is not JSON or (in
   *     strict mode) the condition is invalid
   */
  public Condition compile(String json) {
    LocatedJson.Parsed parsed = LocatedJson.parse(json, severityOfDuplicates());
    ProblemList problems = new ProblemList();
    problems.addAll(parsed.problems());
    LocatedJson doc = parsed.json();
    if (doc == null) {
      throw new InvalidConditionException(problems);
    }
    return compile(doc, problems);
  }

  /**
   * Compiles a condition tree.
   *
   * @throws InvalidConditionException with every problem found (strict mode only)
   */
  public Condition compile(JsonNode condition) {
    return compile(LocatedJson.unlocated(condition), new ProblemList());
  }

  /**
   * Compiles a condition embedded in a larger document, returning problems as a value. Problem
   * pointers are prefixed with {@code pointer} (the condition's JSON pointer in that document);
   * their line and column are 0, since a tree carries no positions.
   */
  public CompileResult tryCompile(JsonNode condition, String pointer) {
    ProblemList problems = new ProblemList();
    LocatedJson doc = LocatedJson.unlocated(condition);
    Node root =
        new ConditionParser(doc, mode == ConditionMode.STRICT, savedGroups, problems)
            .parse(condition, pointer);
    if (problems.errorCount() > 0) {
      return new CompileResult.Rejected(problems.withSummary());
    }
    return new CompileResult.Compiled(new Condition(root, condition), problems.withSummary());
  }

  private Condition compile(LocatedJson doc, ProblemList problems) {
    Node root =
        new ConditionParser(doc, mode == ConditionMode.STRICT, savedGroups, problems)
            .parse(doc.root(), "");
    if (problems.errorCount() > 0) {
      throw new InvalidConditionException(problems.withSummary());
    }
    return new Condition(root, doc.root());
  }

  private Problem.Severity severityOfDuplicates() {
    return mode == ConditionMode.STRICT ? Problem.Severity.ERROR : Problem.Severity.WARNING;
  }

  /** Builds a {@link ConditionCompiler}. Not thread-safe. */
  public static final class Builder {
    private ConditionMode mode = ConditionMode.STRICT;
    private final Map<String, JsonNode> savedGroups = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Strict (the default) rejects anything GrowthBook would silently evaluate to false; lenient
     * evaluates exactly as GrowthBook does. See {@link ConditionMode}.
     */
    public Builder mode(ConditionMode mode) {
      this.mode = java.util.Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Adds a saved group for {@code $inGroup}/{@code $notInGroup}: its id and member values
     * (JSON-like: strings, numbers, booleans). Members match by type and value, so {@code "2"} is
     * not a member of {@code [2]}. None by default.
     */
    public Builder putSavedGroup(String id, Collection<?> members) {
      if (id.isEmpty()) {
        throw new IllegalArgumentException("saved group id must not be empty");
      }
      savedGroups.put(id, Values.toJsonArray(members));
      return this;
    }

    /** Adds every saved group of {@code groups} (id to member array). */
    public Builder putSavedGroups(JsonNode groups) {
      if (!groups.isObject()) {
        throw new IllegalArgumentException(
            "saved groups must be a JSON object but was " + groups.getNodeType());
      }
      for (Map.Entry<String, JsonNode> e : groups.properties()) {
        if (!e.getValue().isArray()) {
          throw new IllegalArgumentException(
              "saved group '"
                  + e.getKey()
                  + "' must be an array but was "
                  + e.getValue().getNodeType());
        }
        savedGroups.put(e.getKey(), e.getValue().deepCopy());
      }
      return this;
    }

    public ConditionCompiler build() {
      return new ConditionCompiler(this);
    }
  }
}
