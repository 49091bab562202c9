package dev.opagent.rules.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.opagent.rules.internal.Values;
import dev.opagent.rules.json.Pointer;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The compiled logical nodes. Every class is immutable and thread-safe. */
final class Nodes {
  private static final int MAX_RENDER = 200;

  private Nodes() {}

  static String render(@Nullable JsonNode node) {
    if (node == null) {
      return "absent";
    }
    String s = node.toString();
    return s.length() <= MAX_RENDER ? s : s.substring(0, MAX_RENDER) + "…";
  }

  static Node[] bindAll(Node[] children, Slots slots) {
    Node[] bound = new Node[children.length];
    for (int i = 0; i < children.length; i++) {
      bound[i] = children[i].bind(slots);
    }
    return bound;
  }

  /** Reads one attribute and tests its value. */
  static final class Field extends Node {
    private final @Nullable AttributePath path;
    private final String pathText;
    private final ValueTest test;

    Field(Pointer pointer, @Nullable AttributePath path, String pathText, ValueTest test) {
      super(pointer);
      this.path = path;
      this.pathText = pathText;
      this.test = test;
    }

    @Override
    Node bind(Slots slots) {
      return path == null ? this : new SlotField(pointer, slots.slotOf(path), path, this);
    }

    ValueTest valueTest() {
      return test;
    }

    private @Nullable Object lookup(@Nullable Object doc) {
      if (path == null) {
        return Attributes.ABSENT;
      }
      if (doc instanceof Attributes attributes) {
        return attributes.get(path);
      }
      return Values.getPath(doc, path);
    }

    @Override
    public boolean test(@Nullable Object doc) {
      return test.matches(lookup(doc));
    }

    @Override
    public @Nullable Failure explain(@Nullable Object doc) {
      Object value = lookup(doc);
      if (test.matches(value)) {
        return null;
      }
      ValueTest failing = test.failing(value);
      JsonNode actual = Values.toJsonNode(value);
      String seen = actual == null ? "is absent" : "is " + render(actual);
      return new Failure(
          failing.pointer.toString(),
          pathText,
          failing.operator,
          failing.expected,
          actual,
          pathText + " " + seen + ", expected " + failing.describe(value),
          List.of());
    }
  }

  /**
   * A bound {@link Field}: reads its attribute from a {@link Frame} slot, so that every condition
   * of a {@link BoundSet} shares one lookup per path and evaluation.
   */
  static final class SlotField extends Node {
    final int slot;
    final AttributePath path;
    final ValueTest test;
    private final Field field;

    SlotField(Pointer pointer, int slot, AttributePath path, Field field) {
      super(pointer);
      this.slot = slot;
      this.path = path;
      this.test = field.valueTest();
      this.field = field;
    }

    @Override
    public boolean test(@Nullable Object doc) {
      Frame frame = (Frame) Objects.requireNonNull(doc, "a slot node reads a frame");
      return test.matches(frame.value(slot));
    }

    @Override
    public @Nullable Failure explain(@Nullable Object doc) {
      Frame frame = (Frame) Objects.requireNonNull(doc, "a slot node reads a frame");
      return field.explain(frame.attributes());
    }
  }

  /** All children hold ({@code $and}, or several keys in one condition object). */
  static final class And extends Node {
    final Node[] children;

    And(Pointer pointer, Node[] children) {
      super(pointer);
      this.children = children;
    }

    @Override
    Node bind(Slots slots) {
      return new And(pointer, bindAll(children, slots));
    }

    @Override
    public boolean test(@Nullable Object doc) {
      for (Node child : children) {
        if (!child.test(doc)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public @Nullable Failure explain(@Nullable Object doc) {
      for (Node child : children) {
        if (!child.test(doc)) {
          return child.explain(doc);
        }
      }
      return null;
    }

    @Override
    public boolean alwaysTrue() {
      for (Node child : children) {
        if (!child.alwaysTrue()) {
          return false;
        }
      }
      return true;
    }
  }

  /** Some child holds ({@code $or}); an empty list holds, as in GrowthBook. */
  static final class Or extends Node {
    private final Node[] children;

    Or(Pointer pointer, Node[] children) {
      super(pointer);
      this.children = children;
    }

    @Override
    Node bind(Slots slots) {
      return new Or(pointer, bindAll(children, slots));
    }

    @Override
    public boolean test(@Nullable Object doc) {
      if (children.length == 0) {
        return true;
      }
      for (Node child : children) {
        if (child.test(doc)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public @Nullable Failure explain(@Nullable Object doc) {
      if (test(doc)) {
        return null;
      }
      List<Failure> causes = new ArrayList<>(children.length);
      for (Node child : children) {
        Failure f = child.explain(doc);
        if (f != null) {
          causes.add(f);
        }
      }
      return new Failure(
          pointer.toString(),
          null,
          "$or",
          null,
          null,
          "none of the " + children.length + " alternatives matched",
          causes);
    }

    @Override
    public boolean alwaysTrue() {
      if (children.length == 0) {
        return true;
      }
      for (Node child : children) {
        if (child.alwaysTrue()) {
          return true;
        }
      }
      return false;
    }
  }

  /** No child holds ({@code $nor}). */
  static final class Nor extends Node {
    private final Node[] children;

    Nor(Pointer pointer, Node[] children) {
      super(pointer);
      this.children = children;
    }

    @Override
    Node bind(Slots slots) {
      return new Nor(pointer, bindAll(children, slots));
    }

    @Override
    public boolean test(@Nullable Object doc) {
      for (Node child : children) {
        if (child.test(doc)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public @Nullable Failure explain(@Nullable Object doc) {
      for (int i = 0; i < children.length; i++) {
        if (children[i].test(doc)) {
          return new Failure(
              children[i].pointer.toString(),
              null,
              "$nor",
              null,
              null,
              "alternative " + i + " of $nor matched",
              List.of());
        }
      }
      return null;
    }
  }

  /** The child does not hold ({@code $not} over a condition). */
  static final class Not extends Node {
    private final Node child;

    Not(Pointer pointer, Node child) {
      super(pointer);
      this.child = child;
    }

    @Override
    Node bind(Slots slots) {
      return new Not(pointer, child.bind(slots));
    }

    @Override
    public boolean test(@Nullable Object doc) {
      return !child.test(doc);
    }

    @Override
    public @Nullable Failure explain(@Nullable Object doc) {
      if (!child.test(doc)) {
        return null;
      }
      return new Failure(
          pointer.toString(), null, "$not", null, null, "the negated condition matched", List.of());
    }
  }

  /** A fixed outcome (lenient mode: malformed logical operator). */
  static final class Constant extends Node {
    private final boolean value;
    private final String why;

    Constant(Pointer pointer, boolean value, String why) {
      super(pointer);
      this.value = value;
      this.why = why;
    }

    @Override
    public boolean test(@Nullable Object doc) {
      return value;
    }

    @Override
    public @Nullable Failure explain(@Nullable Object doc) {
      if (value) {
        return null;
      }
      return new Failure(
          pointer.toString(),
          null,
          "$never",
          JsonNodeFactory.instance.textNode(why),
          null,
          "never matches: " + why,
          List.of());
    }

    @Override
    public boolean alwaysTrue() {
      return value;
    }
  }
}
