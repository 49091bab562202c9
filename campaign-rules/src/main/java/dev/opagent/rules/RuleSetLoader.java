package dev.opagent.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.condition.ConditionMode;
import dev.opagent.rules.internal.Values;
import dev.opagent.rules.json.LocatedJson;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.problem.ProblemList;
import dev.opagent.rules.spi.ActionTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Loads and validates rule sets from JSON. Immutable and thread-safe; the {@link Builder} is not.
 *
 * <p>Validation collects every problem rather than stopping at the first, each with its JSON
 * pointer and line/column: malformed JSON, unknown or mistyped fields, duplicate keys, duplicate
 * rule ids, invalid conditions (strict mode: unknown operators, wrong operand types, bad regular
 * expressions, unknown saved groups), unknown action types (when {@link Builder#actionTypes} is
 * set), bad dates and time zones. Empty or always-true conditions and rules without actions are
 * warnings: the set loads and {@link RuleSet#warnings()} lists them.
 *
 * <p>Hostile input is bounded: a document longer than {@link #MAX_DOCUMENT_LENGTH} characters, a
 * key longer than {@link #MAX_KEY_LENGTH}, a string longer than {@link #MAX_STRING_LENGTH}, a
 * number longer than {@link #MAX_NUMBER_LENGTH}, nesting deeper than {@link #MAX_NESTING_DEPTH} or
 * more than {@link #MAX_TOKEN_COUNT} tokens is rejected with one located error; memory held while
 * loading grows with the document's size, not with its size times its depth; at most {@link
 * #MAX_PROBLEMS} problems are listed, followed by a count of the rest.
 *
 * <pre>{@code
 * RuleSetLoader loader = RuleSetLoader.builder()
 *     .actionTypes(ActionTypes.of("send_email", "send_sms", "create_discount"))
 *     .build();
 * RuleSet rules = loader.load(RuleSource.file(Path.of("campaigns.json")));
 * }</pre>
 */
public final class RuleSetLoader {
  /** Longest rule file accepted, in characters: {@value}. */
  public static final int MAX_DOCUMENT_LENGTH = LocatedJson.MAX_DOCUMENT_LENGTH;

  /** Longest object key accepted, in characters: {@value}. */
  public static final int MAX_KEY_LENGTH = LocatedJson.MAX_KEY_LENGTH;

  /** Longest string value accepted, in characters: {@value}. */
  public static final int MAX_STRING_LENGTH = LocatedJson.MAX_STRING_LENGTH;

  /** Longest number accepted, in characters: {@value}. */
  public static final int MAX_NUMBER_LENGTH = LocatedJson.MAX_NUMBER_LENGTH;

  /** Deepest nesting of arrays and objects accepted: {@value}. */
  public static final int MAX_NESTING_DEPTH = LocatedJson.MAX_DEPTH;

  /** Most JSON tokens (values, keys, brackets) accepted in one file: {@value}. */
  public static final long MAX_TOKEN_COUNT = LocatedJson.MAX_TOKEN_COUNT;

  /** Most problems listed per file; the rest are counted in a closing problem: {@value}. */
  public static final int MAX_PROBLEMS = ProblemList.MAX_KEPT;

  private static final RuleSetLoader DEFAULTS = builder().build();

  private final ConditionMode mode;
  private final @Nullable ActionTypes actionTypes;
  private final Map<String, JsonNode> savedGroups;

  private RuleSetLoader(Builder b) {
    this.mode = b.mode;
    this.actionTypes = b.actionTypes;
    this.savedGroups = Map.copyOf(b.savedGroups);
  }

  /** Strict conditions, any action type, no saved groups beyond the file's own. */
  public static RuleSetLoader ofDefaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bundled default campaigns (winback, retention, loyalty, cross-sell, replenishment). */
  public static RuleSet defaults() {
    return DefaultsHolder.DEFAULTS;
  }

  /**
   * Loads a rule set.
   *
   * @throws InvalidRuleSetException with every problem, if the source cannot be read or does not
   *     validate
   */
  public RuleSet load(RuleSource source) {
    LoadResult result = validate(source);
    if (result instanceof LoadResult.Invalid invalid) {
      throw new InvalidRuleSetException(invalid.source(), invalid.problems());
    }
    return ((LoadResult.Loaded) result).ruleSet();
  }

  /**
   * Loads a rule set, returning problems as a value. Never throws for bad input: any text yields
   * either {@link LoadResult.Loaded} or {@link LoadResult.Invalid}.
   */
  public LoadResult validate(RuleSource source) {
    String text;
    try {
      text = source.read();
    } catch (IOException | RuntimeException e) {
      return new LoadResult.Invalid(
          source.describe(),
          List.of(
              new Problem(
                  Problem.Severity.ERROR,
                  "",
                  0,
                  0,
                  "cannot read " + source.describe() + ": " + e.getMessage())));
    }
    return validate(source.describe(), text);
  }

  private LoadResult validate(String describe, String text) {
    Problem.Severity duplicates =
        mode == ConditionMode.STRICT ? Problem.Severity.ERROR : Problem.Severity.WARNING;
    LocatedJson.Parsed parsed = LocatedJson.parse(text, duplicates);
    List<Problem> problems = new ArrayList<>(parsed.problems());
    LocatedJson doc = parsed.json();
    if (doc == null) {
      return new LoadResult.Invalid(describe, problems);
    }
    RuleFileReader.Result read =
        new RuleFileReader(doc, mode, actionTypes, savedGroups).read(describe);
    problems.addAll(read.problems());
    problems.sort(
        (a, b) ->
            a.line() != b.line()
                ? Integer.compare(a.line(), b.line())
                : Integer.compare(a.column(), b.column()));
    if (problems.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR)) {
      return new LoadResult.Invalid(describe, problems);
    }
    return new LoadResult.Loaded(
        new RuleSet(read.name(), describe, RuleSet.sha256(text), read.rules(), problems));
  }

  /** Builds a {@link RuleSetLoader}. Not thread-safe. */
  public static final class Builder {
    private ConditionMode mode = ConditionMode.STRICT;
    private @Nullable ActionTypes actionTypes;
    private final Map<String, JsonNode> savedGroups = new LinkedHashMap<>();

    private Builder() {}

    /**
     * How conditions compile. Default {@link ConditionMode#STRICT}, which catches marketers' typos
     * at load time; {@link ConditionMode#LENIENT} evaluates GrowthBook-authored conditions exactly
     * as GrowthBook would and downgrades unknown fields and duplicate keys to warnings.
     */
    public Builder conditionMode(ConditionMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The action types the host can execute; every action must name one. Default: none given, so
     * any type is accepted (set it wherever an executor is wired up, so typos fail at load time).
     */
    public Builder actionTypes(ActionTypes actionTypes) {
      this.actionTypes = Objects.requireNonNull(actionTypes, "actionTypes");
      return this;
    }

    /**
     * A saved group every loaded file can reference with {@code $inGroup}; a file's own {@code
     * saved_groups} entry with the same id takes precedence. None by default.
     */
    public Builder putSavedGroup(String id, Collection<?> members) {
      if (id.isEmpty()) {
        throw new IllegalArgumentException("saved group id must not be empty");
      }
      savedGroups.put(id, Values.toJsonArray(members));
      return this;
    }

    public RuleSetLoader build() {
      return new RuleSetLoader(this);
    }
  }

  private static final class DefaultsHolder {
    static final RuleSet DEFAULTS = ofDefaults().load(RuleSource.defaults());
  }
}
