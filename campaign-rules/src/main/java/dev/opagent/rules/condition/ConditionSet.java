package dev.opagent.rules.condition;

import dev.opagent.rules.spi.Attributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Several conditions evaluated together against one customer, with exactly the results of {@link
 * Condition#test(Attributes)} on each. Immutable and thread-safe: build once, evaluate from any
 * number of threads.
 *
 * <p>This is the fast path for many rules: each distinct attribute path is read from the {@link
 * Attributes} at most once per evaluation (not once per condition; a path that only numeric
 * comparisons read is read with {@link Attributes#getDouble}, and with {@link Attributes#get} as
 * well only when it holds no number), and conditions that require an attribute to equal one of a
 * few strings ({@code "segments.churnSegment": "Riskli"}, {@code {"$in": ["Platin", "Altın"]}}) are
 * indexed by those strings, so an evaluation skips the conditions whose key the customer cannot
 * match. Conditions that are conjunctions of attribute tests run their cheapest, most selective
 * tests first, with string equality, string membership and numeric comparison specialised. After a
 * thread's first evaluation, {@link #test(Attributes, BitSet)} allocates nothing; {@link
 * #test(Attributes, BitSet, Scratch)} with a caller-kept {@link Scratch} does not look up
 * thread-local state at all. Attribute values are not retained once an evaluation returns.
 *
 * <pre>{@code
 * ConditionSet set = ConditionSet.of(List.of(winback, vipUpsell, replenishment));
 * BitSet matches = new BitSet(set.size());
 * int n = set.test(attributes, matches);   // matches.get(1): vipUpsell holds
 *
 * ConditionSet.Scratch scratch = set.newScratch();   // one per thread, reused
 * int m = set.test(attributes, matches, scratch);
 * }</pre>
 */
public final class ConditionSet {
  private final List<Condition> conditions;
  private final BoundSet bound;

  private ConditionSet(List<Condition> conditions) {
    this.conditions = List.copyOf(conditions);
    List<dev.opagent.rules.condition.Node> roots = new ArrayList<>(this.conditions.size());
    for (Condition c : this.conditions) {
      roots.add(c.root());
    }
    this.bound = new BoundSet(roots);
  }

  /**
   * The conditions, evaluated together; index {@code i} of a result is {@code conditions.get(i)}.
   */
  public static ConditionSet of(List<Condition> conditions) {
    return new ConditionSet(conditions);
  }

  /** The conditions, in the order results are indexed. */
  public List<Condition> conditions() {
    return conditions;
  }

  /** Number of conditions. */
  public int size() {
    return conditions.size();
  }

  /**
   * Clears {@code matches}, then sets bit {@code i} for every condition {@code i} that {@code
   * attributes} satisfy, and returns how many do. {@code matches} is the caller's scratch: reuse
   * one per thread to evaluate without allocating.
   */
  public int test(Attributes attributes, BitSet matches) {
    return bound.test(attributes, matches);
  }

  /**
   * A new scratch for {@link #test(Attributes, BitSet, Scratch)}: keep one per thread and reuse it
   * for every evaluation of this set.
   */
  public Scratch newScratch() {
    return new Scratch(bound.newFrame());
  }

  /**
   * As {@link #test(Attributes, BitSet)}, keeping the evaluation's working state in the caller's
   * {@code scratch} rather than in a thread-local one. Allocation-free.
   *
   * @throws IllegalArgumentException if {@code scratch} was made by another set
   */
  public int test(Attributes attributes, BitSet matches, Scratch scratch) {
    return bound.test(attributes, matches, scratch.frame);
  }

  /**
   * Working state of one evaluation at a time, made by {@link ConditionSet#newScratch()} for that
   * set. Not thread-safe: keep one per thread. Holds no attribute value between evaluations.
   */
  public static final class Scratch {
    private final Frame frame;

    private Scratch(Frame frame) {
      this.frame = frame;
    }

    @Override
    public String toString() {
      return "ConditionSet.Scratch";
    }
  }

  @Override
  public String toString() {
    return "ConditionSet[" + conditions.size() + " conditions]";
  }
}
