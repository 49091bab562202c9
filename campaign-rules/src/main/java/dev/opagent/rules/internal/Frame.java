package dev.opagent.rules.internal;

import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation's attribute values, each path read at most once and only when a condition needs
 * it. Not thread-safe: a {@link BoundSet} keeps one per thread (or uses the caller's) and clears it
 * when the evaluation returns, so no attribute value outlives the evaluation.
 */
public final class Frame {
  private static final Object UNRESOLVED = new Object();
  private static final Attributes NONE = Attributes.empty();

  private final AttributePath[] paths;
  private final @Nullable Object[] values;
  private Attributes attributes = NONE;
  private boolean busy;

  Frame(AttributePath[] paths) {
    this.paths = paths;
    this.values = new Object[paths.length];
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
    Arrays.fill(values, UNRESOLVED);
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
    }
    return v;
  }
}
