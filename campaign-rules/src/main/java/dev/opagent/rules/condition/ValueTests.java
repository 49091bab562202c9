package dev.opagent.rules.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.internal.Values;
import dev.opagent.rules.json.Pointer;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import org.jspecify.annotations.Nullable;

/** The compiled operators. Every class is immutable and thread-safe. */
final class ValueTests {
  private ValueTests() {}

  /** Plain value or {@code $eq}: JSON equality; {@code $ne} when negated. */
  static final class Equals extends ValueTest {
    private final int kind;
    private final @Nullable String text;
    private final double number;
    private final boolean bool;
    private final boolean negate;
    private final boolean literal;

    Equals(Pointer pointer, String operator, JsonNode expected, boolean negate, boolean literal) {
      super(pointer, operator, expected);
      this.kind = Values.kind(expected);
      // Interned: attribute values that are string constants then compare by identity first.
      this.text = expected.isTextual() ? expected.textValue().intern() : null;
      this.number = expected.isNumber() ? expected.doubleValue() : 0;
      this.bool = expected.isBoolean() && expected.booleanValue();
      this.negate = negate;
      this.literal = literal;
    }

    @Override
    boolean matches(@Nullable Object value) {
      return equal(value) != negate;
    }

    @Override
    String @Nullable [] keyTexts() {
      return kind == Values.STRING && !negate ? new String[] {text} : null;
    }

    @Override
    Step step(int slot, AttributePath path) {
      return kind == Values.STRING && !negate && text != null
          ? Step.strings(slot, path, this, new String[] {text})
          : super.step(slot, path);
    }

    private boolean equal(@Nullable Object value) {
      int k = Values.kind(value);
      switch (kind) {
        case Values.STRING:
          return value != null && k == Values.STRING && Values.string(value).equals(text);
        case Values.NUMBER:
          return value != null && k == Values.NUMBER && Values.number(value) == number;
        case Values.BOOLEAN:
          return value != null && k == Values.BOOLEAN && Values.bool(value) == bool;
        case Values.NULL:
          return k == Values.NULL || k == Values.ABSENT;
        default:
          return Values.jsonEquals(value, expected);
      }
    }

    @Override
    String describe() {
      return literal ? Nodes.render(expected) : super.describe();
    }
  }

  /** {@code $lt $lte $gt $gte}: JavaScript relational comparison. */
  static final class Compare extends ValueTest {
    private final int op;
    private final boolean numeric;
    private final double number;

    Compare(Pointer pointer, String operator, JsonNode expected) {
      super(pointer, operator, expected);
      this.op =
          switch (operator) {
            case "$lt" -> 0;
            case "$lte" -> 1;
            case "$gt" -> 2;
            default -> 3;
          };
      this.numeric = expected.isNumber();
      this.number = expected.doubleValue();
    }

    @Override
    Step step(int slot, AttributePath path) {
      return numeric ? Step.compare(slot, path, this, op, number) : super.step(slot, path);
    }

    @Override
    boolean matches(@Nullable Object value) {
      int c;
      if (numeric && value instanceof Number n) {
        double d = n.doubleValue();
        if (Double.isNaN(d)) {
          return false;
        }
        c = d < number ? -1 : d > number ? 1 : 0;
      } else {
        c = Values.jsCompare(value, expected);
        if (c == Integer.MIN_VALUE) {
          return false;
        }
      }
      switch (op) {
        case 0:
          return c < 0;
        case 1:
          return c <= 0;
        case 2:
          return c > 0;
        default:
          return c >= 0;
      }
    }
  }

  /** {@code $veq $vne $vgt $vgte $vlt $vlte}: padded version-string comparison. */
  static final class Version extends ValueTest {
    private final String padded;

    Version(Pointer pointer, String operator, JsonNode expected) {
      super(pointer, operator, expected);
      this.padded = VersionStrings.padded(expected.isValueNode() ? expected : null);
    }

    @Override
    boolean matches(@Nullable Object value) {
      int c = VersionStrings.compare(value, padded);
      switch (operator) {
        case "$veq":
          return c == 0;
        case "$vne":
          return c != 0;
        case "$vgt":
          return c > 0;
        case "$vgte":
          return c >= 0;
        case "$vlt":
          return c < 0;
        default:
          return c <= 0;
      }
    }
  }

  /** {@code $in $nin $ini $nini $inGroup $notInGroup}. */
  static final class In extends ValueTest {
    private final ValueSet set;
    private final boolean negate;
    private final boolean insensitive;

    In(
        Pointer pointer,
        String operator,
        JsonNode expected,
        ValueSet set,
        boolean negate,
        boolean insensitive) {
      super(pointer, operator, expected);
      this.set = set;
      this.negate = negate;
      this.insensitive = insensitive;
    }

    @Override
    boolean matches(@Nullable Object value) {
      return set.isIn(value, insensitive) != negate;
    }

    @Override
    String @Nullable [] keyTexts() {
      return negate || insensitive ? null : set.onlyStrings();
    }

    @Override
    Step step(int slot, AttributePath path) {
      String[] texts = keyTexts();
      return texts != null && texts.length > 0 && texts.length <= Step.MAX_TEXTS
          ? Step.strings(slot, path, this, texts)
          : super.step(slot, path);
    }
  }

  /** {@code $all $alli}: every element test matches some element of the array attribute. */
  static final class All extends ValueTest {
    private final ValueTest[] elements;
    private final boolean insensitive;

    All(
        Pointer pointer,
        String operator,
        JsonNode expected,
        ValueTest[] elements,
        boolean insensitive) {
      super(pointer, operator, expected);
      this.elements = elements;
      this.insensitive = insensitive;
    }

    @Override
    boolean matches(@Nullable Object value) {
      if (value == null || Values.kind(value) != Values.ARRAY) {
        return false;
      }
      int n = Values.size(value);
      for (ValueTest test : elements) {
        boolean passed = false;
        for (int j = 0; j < n && !passed; j++) {
          Object element = Values.element(value, j);
          if (insensitive
              && test.expected.isTextual()
              && element != null
              && Values.kind(element) == Values.STRING) {
            passed = Values.string(element).equalsIgnoreCase(test.expected.textValue());
          } else {
            passed = test.matches(element);
          }
        }
        if (!passed) {
          return false;
        }
      }
      return true;
    }
  }

  /** {@code $elemMatch} with an operator object: some truthy element satisfies it. */
  static final class ElemMatchValue extends ValueTest {
    private final ValueTest test;

    ElemMatchValue(Pointer pointer, JsonNode expected, ValueTest test) {
      super(pointer, "$elemMatch", expected);
      this.test = test;
    }

    @Override
    boolean matches(@Nullable Object value) {
      if (value == null || Values.kind(value) != Values.ARRAY) {
        return false;
      }
      for (int i = 0, n = Values.size(value); i < n; i++) {
        Object element = Values.element(value, i);
        if (Values.truthy(element) && test.matches(element)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code $elemMatch} with a condition over the elements' fields. */
  static final class ElemMatchDoc extends ValueTest {
    private final Node condition;

    ElemMatchDoc(Pointer pointer, JsonNode expected, Node condition) {
      super(pointer, "$elemMatch", expected);
      this.condition = condition;
    }

    @Override
    boolean matches(@Nullable Object value) {
      if (value == null || Values.kind(value) != Values.ARRAY) {
        return false;
      }
      for (int i = 0, n = Values.size(value); i < n; i++) {
        Object element = Values.element(value, i);
        if (element != null && Values.truthy(element) && condition.test(element)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code $size}: the array's length satisfies a condition value. */
  static final class Size extends ValueTest {
    private final ValueTest test;

    Size(Pointer pointer, JsonNode expected, ValueTest test) {
      super(pointer, "$size", expected);
      this.test = test;
    }

    @Override
    boolean matches(@Nullable Object value) {
      return value != null
          && Values.kind(value) == Values.ARRAY
          && test.matches(Values.size(value));
    }
  }

  /** {@code $exists}. Null counts as not existing, as in GrowthBook. */
  static final class Exists extends ValueTest {
    private final boolean exists;

    Exists(Pointer pointer, JsonNode expected, boolean exists) {
      super(pointer, "$exists", expected);
      this.exists = exists;
    }

    @Override
    boolean matches(@Nullable Object value) {
      boolean present =
          value != null
              && value != Attributes.ABSENT
              && Values.kind(value) != Values.NULL
              && Values.kind(value) != Values.ABSENT;
      return present == exists;
    }
  }

  /** {@code $type}. */
  static final class Type extends ValueTest {
    private final String type;

    Type(Pointer pointer, JsonNode expected, String type) {
      super(pointer, "$type", expected);
      this.type = type;
    }

    @Override
    boolean matches(@Nullable Object value) {
      return Values.typeName(value).equals(type);
    }
  }

  /**
   * {@code $regex $regexi}: a find anywhere in the value's text, in time linear in the text (RE2
   * semantics: no backreferences or lookaround, which are rejected when compiling). Text longer
   * than {@link ConditionParser#MAX_REGEX_INPUT_LENGTH} is not examined and fails closed: the test
   * yields whatever makes the enclosing condition not hold — no match, or a match when the test
   * sits under an odd number of negations ({@code $not}, {@code $nor}) — so an over-long value
   * never makes a rule apply.
   */
  static final class Regex extends ValueTest {
    private final ThreadLocal<com.google.re2j.Matcher> matcher;
    private final boolean overLongResult;

    Regex(
        Pointer pointer,
        String operator,
        JsonNode expected,
        com.google.re2j.Pattern pattern,
        boolean negated) {
      super(pointer, operator, expected);
      this.matcher = ThreadLocal.withInitial(() -> pattern.matcher(""));
      this.overLongResult = negated;
    }

    @Override
    boolean matches(@Nullable Object value) {
      String text = Values.scalarText(value);
      if (text == null) {
        return false;
      }
      if (text.length() > ConditionParser.MAX_REGEX_INPUT_LENGTH) {
        return overLongResult;
      }
      com.google.re2j.Matcher m = matcher.get();
      boolean found = m.reset(text).find();
      m.reset("");
      return found;
    }

    @Override
    String describe(@Nullable Object value) {
      String text = Values.scalarText(value);
      if (text != null && text.length() > ConditionParser.MAX_REGEX_INPUT_LENGTH) {
        return describe()
            + " (text longer than "
            + ConditionParser.MAX_REGEX_INPUT_LENGTH
            + " characters is not matched)";
      }
      return describe();
    }
  }

  /** {@code $not} over a condition value. */
  static final class Not extends ValueTest {
    private final ValueTest test;

    Not(Pointer pointer, JsonNode expected, ValueTest test) {
      super(pointer, "$not", expected);
      this.test = test;
    }

    @Override
    boolean matches(@Nullable Object value) {
      return !test.matches(value);
    }
  }

  /** Several operators in one object: all must hold. */
  static final class AllOf extends ValueTest {
    private final ValueTest[] tests;

    AllOf(Pointer pointer, JsonNode expected, ValueTest[] tests) {
      super(pointer, "$and", expected);
      this.tests = tests;
    }

    @Override
    boolean matches(@Nullable Object value) {
      for (ValueTest t : tests) {
        if (!t.matches(value)) {
          return false;
        }
      }
      return true;
    }

    @Override
    ValueTest failing(@Nullable Object value) {
      for (ValueTest t : tests) {
        if (!t.matches(value)) {
          return t.failing(value);
        }
      }
      return this;
    }

    @Override
    String describe() {
      return Nodes.render(expected);
    }
  }

  /** An operator that can never match (lenient mode: unknown operator, invalid operand). */
  static final class Never extends ValueTest {
    private final String why;

    Never(Pointer pointer, String operator, JsonNode expected, String why) {
      super(pointer, operator, expected);
      this.why = why;
    }

    @Override
    boolean matches(@Nullable Object value) {
      return false;
    }

    @Override
    String describe() {
      return super.describe() + " (" + why + ", never matches)";
    }
  }
}
