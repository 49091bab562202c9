package dev.opagent.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One rule's verdicts that do not depend on who the customer is, kept with its {@link RuleSet}: the
 * eligible verdict, and ineligible verdicts by the attribute values the condition read.
 * Thread-safe.
 *
 * <p>A compiled condition is a deterministic function of the values it looks up, so two customers
 * whose failing test looked up the same paths and saw equal values get equal explanations, as long
 * as the explanation looks up no path the test did not. Values count as equal only when they are of
 * the same class, equal, and print alike: booleans, integral and double numbers (as Java values or
 * Jackson nodes), null, absent, empty arrays or objects, and strings read under {@code segments.}
 * (the agent's labels). Other strings — names, e-mail addresses, free text — are never kept: a
 * lookup of one, or of anything else, makes the evaluation unmemoised. At most {@value
 * #MAX_ENTRIES} explanations are kept per rule; later ones are computed each time.
 */
final class VerdictMemo {
  static final int MAX_ENTRIES = 1024;

  final Rule rule;
  final Verdict.Eligible eligible;
  private final ConcurrentHashMap<Key, Verdict.Ineligible> ineligible = new ConcurrentHashMap<>();

  VerdictMemo(Rule rule) {
    this.rule = rule;
    this.eligible = new Verdict.Eligible(rule.id(), rule.name(), rule.priority(), rule.actions());
  }

  /**
   * The ineligible verdict for attributes whose failing test looked up what {@code lookups}
   * recorded.
   */
  Verdict.Ineligible ineligible(Lookups lookups) {
    Key key = lookups.key();
    if (key == null) {
      return new Verdict.Ineligible(
          rule.id(), rule.name(), CampaignEvaluator.explain(rule, lookups.delegate));
    }
    Verdict.Ineligible known = ineligible.get(key);
    if (known != null) {
      return known;
    }
    Lookups explained = new Lookups(lookups.delegate);
    Verdict.Ineligible v =
        new Verdict.Ineligible(rule.id(), rule.name(), CampaignEvaluator.explain(rule, explained));
    if (lookups.covers(explained) && ineligible.size() < MAX_ENTRIES) {
      ineligible.putIfAbsent(key, v);
    }
    return v;
  }

  /** Ineligible verdicts kept. */
  int size() {
    return ineligible.size();
  }

  /**
   * Attributes that record the paths looked up and the values seen, for one evaluation on one
   * thread at a time. Not thread-safe.
   */
  static final class Lookups implements Attributes {
    private static final int CAPACITY = 8;

    private final Attributes delegate;

    /** Paths and values seen, alternating, as in a {@link Key}. */
    private final @Nullable Object[] seen = new Object[2 * CAPACITY];

    private int count;
    private boolean memoisable = true;

    Lookups(Attributes delegate) {
      this.delegate = delegate;
    }

    /** Forgets the lookups so far, for the next rule of the same evaluation. */
    void reset() {
      Arrays.fill(seen, 0, 2 * count, null);
      count = 0;
      memoisable = true;
    }

    @Override
    public @Nullable Object get(AttributePath path) {
      Object v = delegate.get(path);
      if (memoisable) {
        if (count == CAPACITY || !comparable(path, v)) {
          memoisable = false;
        } else {
          seen[2 * count] = path;
          seen[2 * count + 1] = v;
          count++;
        }
      }
      return v;
    }

    /** The lookups as a key, or null when they cannot be compared. */
    @Nullable Key key() {
      if (!memoisable) {
        return null;
      }
      return new Key(Arrays.copyOf(seen, 2 * count));
    }

    /** Whether every path {@code other} looked up was looked up here too. */
    boolean covers(Lookups other) {
      if (!other.memoisable) {
        return false;
      }
      outer:
      for (int i = 0; i < other.count; i++) {
        for (int j = 0; j < count; j++) {
          if (seen[2 * j].equals(other.seen[2 * i])) {
            continue outer;
          }
        }
        return false;
      }
      return true;
    }

    /**
     * Whether equal values of {@code v}'s class print alike and read alike, and {@code v} may be
     * kept: strings only when they are segment labels.
     */
    private static boolean comparable(AttributePath path, @Nullable Object v) {
      if (v == null || v == Attributes.ABSENT) {
        return true;
      }
      Class<?> c = v.getClass();
      if (c == String.class || c == TextNode.class) {
        return path.size() > 1 && path.segment(0).equals("segments");
      }
      if (c == Boolean.class
          || c == Integer.class
          || c == Long.class
          || c == Double.class
          || c == BooleanNode.class
          || c == IntNode.class
          || c == LongNode.class
          || c == DoubleNode.class
          || c == NullNode.class) {
        return true;
      }
      if (c == ArrayNode.class || c == ObjectNode.class) {
        return ((JsonNode) v).isEmpty();
      }
      if (v instanceof List<?> l) {
        return l.isEmpty();
      }
      return v instanceof Map<?, ?> m && m.isEmpty();
    }
  }

  /** Paths and values looked up, alternating; equal when of the same classes and equal. */
  static final class Key {
    private final Object[] parts;
    private final int hash;

    Key(Object[] parts) {
      this.parts = parts;
      this.hash = Arrays.hashCode(parts);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key other) || other.hash != hash || other.parts.length != parts.length) {
        return false;
      }
      for (int i = 0; i < parts.length; i++) {
        Object a = parts[i];
        Object b = other.parts[i];
        if (a != b && (a == null || b == null || a.getClass() != b.getClass() || !a.equals(b))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
