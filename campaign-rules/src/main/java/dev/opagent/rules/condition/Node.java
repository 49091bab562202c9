package dev.opagent.rules.condition;

import dev.opagent.rules.json.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * A compiled condition over a document: either an {@code Attributes} view (top level) or a
 * JSON-like value (inside {@code $elemMatch}). Immutable and thread-safe.
 */
abstract class Node {
  final Pointer pointer;

  Node(Pointer pointer) {
    this.pointer = pointer;
  }

  /** Whether the document satisfies the condition; allocation-free. */
  public abstract boolean test(@Nullable Object doc);

  /** Why the document does not satisfy the condition, or null when it does. May allocate. */
  public abstract @Nullable Failure explain(@Nullable Object doc);

  /**
   * This condition with every top-level attribute read replaced by a read of a {@link Frame} slot
   * assigned by {@code slots}. The returned tree must be tested with a {@link Frame}; nodes that
   * read no attribute return themselves.
   */
  Node bind(Slots slots) {
    return this;
  }

  /** Whether the condition holds for every document (statically known). */
  public boolean alwaysTrue() {
    return false;
  }
}
