package dev.opagent.rules.condition;

import dev.opagent.rules.internal.Values;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Conditions compiled together: every distinct attribute path gets a slot that is read at most once
 * per evaluation, and conditions that require an attribute to equal (or be one of) given strings
 * are indexed by those strings, so that an evaluation only tests the conditions whose key matches
 * the attribute's text. Results are exactly those of testing each condition on its own. Immutable
 * and thread-safe; each thread reuses its own scratch {@link Frame}.
 */
final class BoundSet {
  /** A path keys an index only when it keys at least this many conditions. */
  static final int MIN_INDEXED = 4;

  private final int size;

  /** No path is read by two conditions and nothing is indexed: a frame would only add cost. */
  private final boolean direct;

  private final Node[] roots;
  private final AttributePath[] paths;

  /** Per slot: whether only numeric comparisons read it, so it is read with getDouble. */
  private final boolean[] numericOnly;

  private final Node[] full;
  private final Node[] rest;
  private final int[] unindexed;
  private final Group[] groups;
  private final ThreadLocal<Frame> frames;

  /** Per condition, when it is a conjunction of attribute tests: its steps, else null. */
  private final Step[][] fullSteps;

  private final Step[][] restSteps;

  /** Conditions sharing one indexed slot. */
  private static final class Group {
    final int slot;
    final TextIndex byText;
    final int[] all;

    Group(int slot, TextIndex byText, int[] all) {
      this.slot = slot;
      this.byText = byText;
      this.all = all;
    }
  }

  /**
   * A condition's index key: the slot, the texts it accepts, and the condition without that test.
   */
  private record Key(int slot, String[] texts, Node rest) {}

  public BoundSet(List<Node> roots) {
    Slots slots = new Slots();
    size = roots.size();
    full = new Node[size];
    rest = new Node[size];
    @Nullable Key[] keys = new Key[size];
    Map<Integer, Integer> keyed = new HashMap<>();
    this.roots = roots.toArray(new Node[0]);
    for (int i = 0; i < size; i++) {
      full[i] = this.roots[i].bind(slots);
      keys[i] = key(full[i]);
      if (keys[i] != null) {
        keyed.merge(keys[i].slot(), 1, Integer::sum);
      }
    }
    paths = slots.paths();
    Map<Integer, Map<String, List<Integer>>> byText = new LinkedHashMap<>();
    Map<Integer, List<Integer>> all = new LinkedHashMap<>();
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Key k = keys[i];
      if (k == null || keyed.getOrDefault(k.slot(), 0) < MIN_INDEXED) {
        others.add(i);
        continue;
      }
      rest[i] = k.rest();
      all.computeIfAbsent(k.slot(), s -> new ArrayList<>()).add(i);
      Map<String, List<Integer>> texts = byText.computeIfAbsent(k.slot(), s -> new HashMap<>());
      for (String t : k.texts()) {
        List<Integer> list = texts.computeIfAbsent(t, x -> new ArrayList<>());
        if (list.isEmpty() || list.get(list.size() - 1) != i) {
          list.add(i);
        }
      }
    }
    unindexed = ints(others);
    groups = new Group[all.size()];
    int g = 0;
    for (Map.Entry<Integer, List<Integer>> e : all.entrySet()) {
      Map<String, int[]> index = new HashMap<>();
      Objects.requireNonNull(byText.get(e.getKey()), "filled with all")
          .forEach((t, list) -> index.put(t, ints(list)));
      groups[g++] = new Group(e.getKey(), new TextIndex(index), ints(e.getValue()));
    }
    direct = groups.length == 0 && !slots.shared();
    fullSteps = new Step[size][];
    restSteps = new Step[size][];
    for (int i = 0; i < size; i++) {
      fullSteps[i] = flatten(full[i]);
      if (rest[i] != null) {
        restSteps[i] = flatten(rest[i]);
      }
    }
    int[] numericUses = new int[paths.length];
    for (Step[] steps : fullSteps) {
      if (steps != null) {
        for (Step step : steps) {
          numericUses[step.slot] += step.numeric() ? 1 : 0;
        }
      }
    }
    numericOnly = new boolean[paths.length];
    for (int s = 0; s < paths.length; s++) {
      numericOnly[s] = numericUses[s] == slots.uses(s);
    }
    frames = ThreadLocal.withInitial(() -> new Frame(paths, numericOnly));
  }

  /**
   * A conjunction of attribute tests as specialised steps, cheapest and most selective first (the
   * tests have no side effects, so their order changes only the work done); null for any other
   * condition, which is tested as a tree.
   */
  private static Step @Nullable [] flatten(Node node) {
    Node[] parts =
        node instanceof Nodes.And and
            ? and.children
            : node instanceof Nodes.SlotField ? new Node[] {node} : null;
    if (parts == null) {
      return null;
    }
    Step[] steps = new Step[parts.length];
    for (int j = 0; j < parts.length; j++) {
      if (!(parts[j] instanceof Nodes.SlotField f)) {
        return null;
      }
      steps[j] = f.test.step(f.slot, f.path);
    }
    Arrays.sort(steps, Comparator.comparingInt(Step::rank));
    return steps;
  }

  private static boolean holds(Node node, Step @Nullable [] steps, Frame frame) {
    if (steps != null) {
      for (Step step : steps) {
        if (!step.matches(frame)) {
          return false;
        }
      }
      return true;
    }
    return node.test(frame);
  }

  /** A condition of a set that shares no path, read straight from the attributes. */
  private static boolean holds(Node root, Step @Nullable [] steps, Attributes attributes) {
    if (steps != null) {
      for (Step step : steps) {
        if (!step.matches(attributes)) {
          return false;
        }
      }
      return true;
    }
    return root.test(attributes);
  }

  private static int[] ints(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static @Nullable Key key(Node bound) {
    if (bound instanceof Nodes.SlotField f) {
      String[] texts = f.test.keyTexts();
      return texts == null ? null : new Key(f.slot, texts, new Nodes.Constant(f.pointer, true, ""));
    }
    if (bound instanceof Nodes.And and) {
      Node[] children = and.children;
      for (int i = 0; i < children.length; i++) {
        if (children[i] instanceof Nodes.SlotField f && f.test.keyTexts() != null) {
          Node[] others = new Node[children.length - 1];
          for (int j = 0, o = 0; j < children.length; j++) {
            if (j != i) {
              others[o++] = children[j];
            }
          }
          Node r = others.length == 1 ? others[0] : new Nodes.And(and.pointer, others);
          return new Key(f.slot, f.test.keyTexts(), r);
        }
      }
    }
    return null;
  }

  /** Number of conditions. */
  public int size() {
    return size;
  }

  /**
   * Clears {@code matches}, then sets the index of every condition that {@code attributes} satisfy;
   * returns how many do. Allocation-free once the thread has evaluated this set before.
   */
  public int test(Attributes attributes, BitSet matches) {
    if (direct) {
      return testDirect(attributes, matches);
    }
    return test(attributes, matches, frames.get());
  }

  /** A scratch frame for {@link #test(Attributes, BitSet, Frame)}; not thread-safe. */
  public Frame newFrame() {
    return new Frame(paths, numericOnly);
  }

  /**
   * As {@link #test(Attributes, BitSet)}, with the caller's scratch {@code frame} (from {@link
   * #newFrame()} of this set) instead of the thread's own.
   */
  public int test(Attributes attributes, BitSet matches, Frame frame) {
    if (!frame.belongsTo(paths)) {
      throw new IllegalArgumentException(
          "scratch was made by another condition set; use this set's newScratch()");
    }
    if (direct) {
      return testDirect(attributes, matches);
    }
    matches.clear();
    if (!frame.open(attributes)) {
      frame = new Frame(paths, numericOnly);
      frame.open(attributes);
    }
    try {
      return evaluate(frame, matches);
    } finally {
      frame.close();
    }
  }

  private int testDirect(Attributes attributes, BitSet matches) {
    matches.clear();
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (holds(roots[i], fullSteps[i], attributes)) {
        matches.set(i);
        count++;
      }
    }
    return count;
  }

  private int evaluate(Frame frame, BitSet matches) {
    int count = 0;
    for (Group g : groups) {
      Object v = frame.value(g.slot);
      int kind = v instanceof String ? Values.STRING : Values.kind(v);
      if (v != null && kind == Values.STRING) {
        int[] candidates = g.byText.get(v instanceof String s ? s : Values.string(v));
        if (candidates != null) {
          for (int i : candidates) {
            if (holds(rest[i], restSteps[i], frame)) {
              matches.set(i);
              count++;
            }
          }
        }
      } else if (kind == Values.ARRAY) {
        for (int i : g.all) {
          if (holds(full[i], fullSteps[i], frame)) {
            matches.set(i);
            count++;
          }
        }
      }
    }
    for (int i : unindexed) {
      if (holds(full[i], fullSteps[i], frame)) {
        matches.set(i);
        count++;
      }
    }
    return count;
  }
}
