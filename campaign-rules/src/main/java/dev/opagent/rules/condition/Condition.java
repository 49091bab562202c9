package dev.opagent.rules.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.spi.Attributes;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A compiled condition. Immutable and thread-safe: compile once, evaluate from any number of
 * threads. {@link #test(Attributes)} allocates nothing (attribute paths are pre-split, regular
 * expressions pre-compiled, {@code $in} operands pre-indexed); {@link #explain(Attributes)}
 * allocates only to describe a failure.
 *
 * <pre>{@code
 * Condition winback = ConditionCompiler.ofDefaults()
 *     .compile("{\"segments.churnSegment\": \"Riskli\"}");
 * boolean eligible = winback.test(attributes);
 * }</pre>
 *
 * <p>Semantics are GrowthBook's (its cross-SDK {@code evalCondition} vectors all pass). A missing
 * attribute reads as {@code null}: it equals {@code null}, fails {@code $exists: true}, and — as in
 * GrowthBook — compares like {@code 0} in {@code $lt/$gt} against a number, so guard numeric
 * comparisons on optional attributes with {@code $exists: true}. Comparisons coerce between numbers
 * and numeric strings as JavaScript does; equality and {@code $in} do not. Where GrowthBook's
 * JavaScript relies on reference identity or string coercion of containers, this implementation
 * uses JSON value equality: objects and arrays compare by content (object key order ignored), and
 * {@code $regex} never matches {@code null}, arrays or objects. Regular expressions use RE2 syntax
 * (the {@code com.google.re2j} engine), which agrees with JavaScript's for common patterns and
 * matches in time linear in the text: backreferences and lookaround are rejected when the condition
 * is compiled, in either mode. Text longer than {@link ConditionCompiler#MAX_REGEX_INPUT_LENGTH}
 * never makes a condition hold.
 */
public final class Condition {
  private final Node root;
  private final JsonNode source;

  Condition(Node root, JsonNode source) {
    this.root = root;
    this.source = source;
  }

  Node root() {
    return root;
  }

  /** Whether {@code attributes} satisfy the condition. Allocation-free. */
  public boolean test(Attributes attributes) {
    return root.test(attributes);
  }

  /**
   * Evaluates against a JSON-like document ({@code Map}, {@code JsonNode}, …) directly, as
   * GrowthBook's {@code evalCondition(attributes, condition)} does.
   */
  public boolean testDocument(@Nullable Object document) {
    return root.test(document);
  }

  /** Why {@code attributes} do not satisfy the condition; empty when they do. */
  public Optional<Failure> explain(Attributes attributes) {
    return Optional.ofNullable(root.explain(attributes));
  }

  /** Whether the condition holds for every input ({@code {}}, {@code {"$and": []}}, …). */
  public boolean isAlwaysTrue() {
    return root.alwaysTrue();
  }

  /** The condition as written. */
  public JsonNode source() {
    return source;
  }

  @Override
  public String toString() {
    return "Condition" + source;
  }
}
