package dev.opagent.rules.condition;

import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation's attribute values, each path read at most once and only when a condition needs
 * it. Not thread-safe: a {@link BoundSet} keeps one per thread (or uses the caller's) and clears it
 * when the evaluation returns, so no attribute value outlives the evaluation.
 */
final class Frame {
  private static final Object UNRESOLVED = new Object();
  private static final Attributes NONE = Attributes.empty();

  private final AttributePath[] paths;
  private final @Nullable Object[] values;
  private Attributes attributes = NONE;

  /** Numbers read with {@link Attributes#getDouble}, for slots only numeric comparisons read. */
  private final boolean[] numericOnly;

  private final double[] numbers;
  private final boolean[] numbered;

  /** The slots read in this evaluation, the first {@code touchedCount}: only they are cleared. */
  private final int[] touched;

  private int touchedCount;
  private boolean busy;

  Frame(AttributePath[] paths, boolean[] numericOnly) {
    this.paths = paths;
    this.numericOnly = numericOnly;
    this.values = new Object[paths.length];
    this.numbers = new double[paths.length];
    this.numbered = new boolean[paths.length];
    this.touched = new int[2 * paths.length];
    Arrays.fill(values, UNRESOLVED);
  }

  /** Whether this frame holds the values of {@code paths} (those of the set that made it). */
  boolean belongsTo(AttributePath[] paths) {
    return this.paths == paths;
  }

  /** Starts an evaluation; false when this frame is already in use on this thread (re-entry). */
  boolean open(Attributes attributes) {
    if (busy) {
      return false;
    }
    busy = true;
    this.attributes = attributes;
    return true;
  }

  /** Ends an evaluation and forgets every value read. */
  void close() {
    for (int j = 0; j < touchedCount; j++) {
      int slot = touched[j];
      values[slot] = UNRESOLVED;
      numbers[slot] = 0;
      numbered[slot] = false;
    }
    touchedCount = 0;
    attributes = NONE;
    busy = false;
  }

  Attributes attributes() {
    return attributes;
  }

  /** The value at {@code slot}'s path, read from the attributes on first use. */
  @Nullable Object value(int slot) {
    Object v = values[slot];
    if (v == UNRESOLVED) {
      v = attributes.get(paths[slot]);
      values[slot] = v;
      touched[touchedCount++] = slot;
    }
    return v;
  }

  /**
   * The number at {@code slot}'s path, or NaN when the value there is not a number (then read it
   * with {@link #value(int)}). A slot that only numeric comparisons read is read with {@link
   * Attributes#getDouble} on first use, any other with {@link #value(int)}.
   */
  double number(int slot) {
    Object v = values[slot];
    if (v != UNRESOLVED || !numericOnly[slot]) {
      if (v == UNRESOLVED) {
        v = value(slot);
      }
      return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
    if (numbered[slot]) {
      return numbers[slot];
    }
    double d = attributes.getDouble(paths[slot]);
    numbers[slot] = d;
    numbered[slot] = true;
    touched[touchedCount++] = slot;
    return d;
  }
}
