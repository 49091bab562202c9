package dev.opagent.rules.condition;

import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import org.jspecify.annotations.Nullable;

/**
 * One attribute test of a flattened conjunction, with the common operator and type pairs
 * specialised: a string equal to one of a few texts ({@code $eq}, {@code $in}) and a number
 * compared with a number ({@code $lt $lte $gt $gte}). A value of any other type, and every other
 * operator, goes to the compiled {@link ValueTest}, so results are exactly the test's. A final
 * class dispatching on an int, so that a set of conditions mixing operators tests without virtual
 * calls. Immutable and thread-safe.
 */
final class Step {
  /** Up to this many texts, a string test is a linear scan of interned strings. */
  static final int MAX_TEXTS = 4;

  private static final int GENERIC = 0;
  private static final int STRINGS = 1;
  private static final int TEXT = 6;
  private static final int LT = 2;
  private static final int LTE = 3;
  private static final int GT = 4;
  private static final int GTE = 5;

  final int slot;
  final AttributePath path;
  private final int op;
  private final String[] texts;

  /** The only text of a TEXT step. */
  private final @Nullable String text;

  private final double number;
  private final ValueTest test;

  private Step(
      int slot, AttributePath path, int op, String[] texts, double number, ValueTest test) {
    this.slot = slot;
    this.path = path;
    this.op = op;
    this.texts = texts;
    this.text = op == TEXT ? texts[0] : null;
    this.number = number;
    this.test = test;
  }

  static Step generic(int slot, AttributePath path, ValueTest test) {
    return new Step(slot, path, GENERIC, new String[0], 0, test);
  }

  /** Holds for a string exactly when it is one of {@code texts} (interned). */
  static Step strings(int slot, AttributePath path, ValueTest test, String[] texts) {
    String[] interned = new String[texts.length];
    for (int i = 0; i < texts.length; i++) {
      interned[i] = texts[i].intern();
    }
    return new Step(slot, path, interned.length == 1 ? TEXT : STRINGS, interned, 0, test);
  }

  /** A number compared with {@code number}; {@code op} is 0 to 3 for $lt, $lte, $gt, $gte. */
  static Step compare(int slot, AttributePath path, ValueTest test, int op, double number) {
    return new Step(slot, path, LT + op, new String[0], number, test);
  }

  /**
   * How early a conjunction should run this step: cheap, selective tests first (string equality,
   * then membership, then numeric comparison, then everything else).
   */
  int rank() {
    switch (op) {
      case TEXT:
        return 0;
      case STRINGS:
        return 1;
      case GENERIC:
        return 3;
      default:
        return 2;
    }
  }

  boolean matches(@Nullable Object value) {
    switch (op) {
      case TEXT:
        if (value == text) {
          return true;
        }
        if (value instanceof String s) {
          return s.equals(text);
        }
        return test.matches(value);
      case STRINGS:
        if (value instanceof String s) {
          for (String t : texts) {
            if (t == s || t.equals(s)) {
              return true;
            }
          }
          return false;
        }
        return test.matches(value);
      case LT:
      case LTE:
      case GT:
      case GTE:
        {
          double d;
          if (value instanceof Integer i) {
            d = i;
          } else if (value instanceof Number n) {
            d = n.doubleValue();
            if (Double.isNaN(d)) {
              return false;
            }
          } else {
            return test.matches(value);
          }
          return compare(d);
        }
      default:
        return test.matches(value);
    }
  }

  /** Whether this step compares a number with a number (and reads its value as a number). */
  boolean numeric() {
    return op >= LT && op <= GTE;
  }

  /** Whether the value at this step's path, read through {@code frame}, passes. */
  boolean matches(Frame frame) {
    if (numeric()) {
      double d = frame.number(slot);
      if (d == d) {
        return compare(d);
      }
    }
    return matches(frame.value(slot));
  }

  /** Whether the value at this step's path in {@code attributes} passes. */
  boolean matches(Attributes attributes) {
    if (numeric()) {
      double d = attributes.getDouble(path);
      if (d == d) {
        return compare(d);
      }
    }
    return matches(attributes.get(path));
  }

  /** {@code d} (not NaN) against the operand, by this step's operator. */
  boolean compare(double d) {
    switch (op) {
      case LT:
        return d < number;
      case LTE:
        return d <= number;
      case GT:
        return d > number;
      default:
        return d >= number;
    }
  }
}
