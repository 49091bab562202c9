package dev.opagent.rules;

import dev.opagent.rules.assignment.Holdout;
import dev.opagent.rules.condition.Condition;
import dev.opagent.rules.condition.ConditionCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One campaign rule, modelled after seed 001's JSON rule config: when {@code condition} holds for a
 * customer, the campaign {@code id} applies and its {@code actions} should run. Immutable and
 * thread-safe. Rule files are the usual source; {@link #builder(String)} builds one in code.
 *
 * @param id campaign key, unique within a rule set ({@code winback}, {@code rule_001}); letters,
 *     digits and {@code _ - . :}
 * @param name human-readable name; defaults to the id
 * @param description free text; empty by default
 * @param condition who qualifies
 * @param actions what to do, in order
 * @param priority 0 (lowest) to 100 (highest); rule files may also write {@code low} (25), {@code
 *     medium} (50, the default), {@code high} (75), {@code critical} (100)
 * @param enabled disabled rules are reported as inactive and never match
 * @param version the rule's own revision number, starting at 1
 * @param validity when the rule applies
 * @param tags free labels for grouping and reporting
 * @param holdout share of matching customers deliberately not treated, to measure lift; keyed by
 *     {@code rule:<id>} so it is stable across reloads and machines
 * @param trigger the event that makes the rule apply, or {@code null} for a rule evaluated in
 *     rounds
 */
public record Rule(
    String id,
    String name,
    String description,
    Condition condition,
    List<Action> actions,
    int priority,
    boolean enabled,
    int version,
    ValidityWindow validity,
    List<String> tags,
    Holdout holdout,
    @Nullable Trigger trigger) {

  /** Allowed rule ids. */
  public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_.:-]+");

  /** Priority of {@code low}. */
  public static final int LOW = 25;

  /** Priority of {@code medium}, the default. */
  public static final int MEDIUM = 50;

  /** Priority of {@code high}. */
  public static final int HIGH = 75;

  /** Priority of {@code critical}. */
  public static final int CRITICAL = 100;

  public Rule {
    if (!ID_PATTERN.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "rule id must match " + ID_PATTERN + " but was '" + id + "'");
    }
    if (priority < 0 || priority > 100) {
      throw new IllegalArgumentException(
          "rule priority must be between 0 and 100 but was " + priority);
    }
    if (version < 1) {
      throw new IllegalArgumentException("rule version must be at least 1 but was " + version);
    }
    actions = List.copyOf(actions);
    tags = List.copyOf(tags);
  }

  /** A rule evaluated in rounds (no {@link #trigger()}). */
  public Rule(
      String id,
      String name,
      String description,
      Condition condition,
      List<Action> actions,
      int priority,
      boolean enabled,
      int version,
      ValidityWindow validity,
      List<String> tags,
      Holdout holdout) {
    this(
        id,
        name,
        description,
        condition,
        actions,
        priority,
        enabled,
        version,
        validity,
        tags,
        holdout,
        null);
  }

  /** The key a rule's holdout is hashed with. */
  public static String holdoutKey(String ruleId) {
    return "rule:" + ruleId;
  }

  /** Whether the rule is enabled and inside its validity window at {@code now}. */
  public boolean isActive(java.time.Instant now) {
    return enabled && validity.contains(now);
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Builds a {@link Rule} in code. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private @Nullable String name;
    private String description = "";
    private @Nullable Condition condition;
    private final List<Action> actions = new ArrayList<>();
    private int priority = MEDIUM;
    private boolean enabled = true;
    private int version = 1;
    private ValidityWindow validity = ValidityWindow.ALWAYS;
    private final List<String> tags = new ArrayList<>();
    private double holdoutPercentage;
    private @Nullable Trigger trigger;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /** Human-readable name. Default: the id. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Free text. Default: empty. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Who qualifies. Required. */
    public Builder condition(Condition condition) {
      this.condition = Objects.requireNonNull(condition, "condition");
      return this;
    }

    /** Who qualifies, as strict condition JSON. */
    public Builder condition(String conditionJson) {
      return condition(ConditionCompiler.ofDefaults().compile(conditionJson));
    }

    /** Appends an action. Default: none. */
    public Builder addAction(Action action) {
      actions.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    /** 0–100, higher first. Default {@link #MEDIUM}. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Default true. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Default 1. */
    public Builder version(int version) {
      this.version = version;
      return this;
    }

    /** Default {@link ValidityWindow#ALWAYS}. */
    public Builder validity(ValidityWindow validity) {
      this.validity = Objects.requireNonNull(validity, "validity");
      return this;
    }

    /** Appends a tag. */
    public Builder addTag(String tag) {
      tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    /** Share of matching customers held out, 0–100. Default 0. */
    public Builder holdoutPercentage(double holdoutPercentage) {
      this.holdoutPercentage = holdoutPercentage;
      return this;
    }

    /** The event that makes the rule apply. Default: none, the rule is evaluated in rounds. */
    public Builder trigger(Trigger trigger) {
      this.trigger = Objects.requireNonNull(trigger, "trigger");
      return this;
    }

    /**
     * @throws IllegalStateException if no condition was set
     * @throws IllegalArgumentException if a value is out of range
     */
    public Rule build() {
      if (condition == null) {
        throw new IllegalStateException("rule '" + id + "' needs a condition");
      }
      return new Rule(
          id,
          name == null ? id : name,
          description,
          condition,
          actions,
          priority,
          enabled,
          version,
          validity,
          tags,
          Holdout.of(holdoutKey(id), holdoutPercentage),
          trigger);
    }
  }
}
