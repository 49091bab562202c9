package dev.opagent.rules.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.json.Pointer;
import dev.opagent.rules.spi.AttributePath;
import org.jspecify.annotations.Nullable;

/**
 * A compiled predicate over one attribute value (GrowthBook's "condition value"). Immutable and
 * thread-safe.
 */
abstract class ValueTest {
  final Pointer pointer;
  final String operator;
  final JsonNode expected;

  ValueTest(Pointer pointer, String operator, JsonNode expected) {
    this.pointer = pointer;
    this.operator = operator;
    this.expected = expected;
  }

  abstract boolean matches(@Nullable Object value);

  /** The most specific test that rejects {@code value} (called only when it is rejected). */
  ValueTest failing(@Nullable Object value) {
    return this;
  }

  /**
   * The texts this test accepts, when it holds for a string value exactly if the value's text is
   * one of them and never holds for any scalar other than a string; null otherwise. Lets a {@link
   * BoundSet} index conditions by the text of an attribute.
   */
  String @Nullable [] keyTexts() {
    return null;
  }

  /**
   * This test as a {@link Step} reading {@code slot}: specialised for a common operator and type
   * when it is one, else generic.
   */
  Step step(int slot, AttributePath path) {
    return Step.generic(slot, path, this);
  }

  /** How the expectation reads in a message explaining why {@code value} was rejected. */
  String describe(@Nullable Object value) {
    return describe();
  }

  /** How the expectation reads in a message. */
  String describe() {
    return "{\"" + operator + "\":" + Nodes.render(expected) + "}";
  }
}
