package dev.opagent.rules.internal;

import dev.opagent.rules.condition.Failure;
import org.jspecify.annotations.Nullable;

/**
 * A compiled condition over a document: either an {@code Attributes} view (top level) or a JSON-like
 * value (inside {@code $elemMatch}). Immutable and thread-safe.
 */
public abstract class Node {
  final String pointer;

  Node(String pointer) {
    this.pointer = pointer;
  }

  /** Whether the document satisfies the condition; allocation-free. */
  public abstract boolean test(@Nullable Object doc);

  /** Why the document does not satisfy the condition, or null when it does. May allocate. */
  public abstract @Nullable Failure explain(@Nullable Object doc);

  /** Whether the condition holds for every document (statically known). */
  public boolean alwaysTrue() {
    return false;
  }
}
