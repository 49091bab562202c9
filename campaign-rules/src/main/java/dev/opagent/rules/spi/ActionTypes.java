package dev.opagent.rules.spi;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The action types a host can execute ({@code send_email}, {@code create_discount}, …). When a rule
 * loader is given one, every action of every rule must name a known type, and the load error lists
 * the known ones. Implementations must be thread-safe; {@link #of(String...)} returns an immutable
 * one.
 */
public interface ActionTypes {

  /** Whether {@code type} can be executed by the host. */
  boolean isKnown(String type);

  /** The known types, for error messages; order is kept. */
  Collection<String> knownTypes();

  /** A fixed set of known action types. */
  static ActionTypes of(String... types) {
    return of(List.of(types));
  }

  /** A fixed set of known action types. */
  static ActionTypes of(Collection<String> types) {
    List<String> copy = List.copyOf(types);
    Set<String> set = Set.copyOf(copy);
    return new ActionTypes() {
      @Override
      public boolean isKnown(String type) {
        return set.contains(type);
      }

      @Override
      public Collection<String> knownTypes() {
        return copy;
      }

      @Override
      public String toString() {
        return "ActionTypes" + copy;
      }
    };
  }
}
