package dev.opagent.segment.internal.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Known constants of one open-enumeration label type, by wire value and by English name. Immutable
 * and thread-safe once built.
 *
 * @param <T> the label type
 */
public final class LabelRegistry<T> {
  private final Map<String, T> byWire = new LinkedHashMap<>();
  private final Map<T, String> names = new LinkedHashMap<>();
  private final Function<String, T> factory;

  private LabelRegistry(Function<String, T> factory) {
    this.factory = factory;
  }

  /** Starts a registry whose unknown values are created with {@code factory}. */
  public static <T> LabelRegistry<T> of(Function<String, T> factory) {
    return new LabelRegistry<>(factory);
  }

  /** Registers a constant; returns it for use in a static initialiser. */
  public T add(String englishName, String wireValue) {
    T value = factory.apply(wireValue);
    byWire.put(wireValue, value);
    names.put(value, englishName);
    return value;
  }

  /** The known constant for {@code wireValue}, or a new unknown value that keeps it. */
  public T of(String wireValue) {
    Objects.requireNonNull(wireValue, "wireValue");
    T known = byWire.get(wireValue);
    return known != null ? known : factory.apply(wireValue);
  }

  /** The English name of a known constant, or {@code wireValue} for an unknown one. */
  public String nameOf(T value, String wireValue) {
    String name = names.get(value);
    return name != null ? name : wireValue;
  }

  /** Whether {@code value} is one of the registered constants. */
  public boolean isKnown(T value) {
    return names.containsKey(value);
  }

  /** The registered constants in declaration order. */
  public java.util.List<T> values() {
    return java.util.List.copyOf(byWire.values());
  }
}
