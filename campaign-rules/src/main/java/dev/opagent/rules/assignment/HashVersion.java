package dev.opagent.rules.assignment;

import java.util.Optional;

/** GrowthBook's hashing algorithm versions. */
public enum HashVersion {
  /**
   * {@code fnv1a32(value + seed) % 1000 / 1000}: biased for sequential ids; kept for compatibility.
   */
  V1(1),
  /** {@code fnv1a32(String(fnv1a32(seed + value))) % 10000 / 10000}: unbiased; the default. */
  V2(2);

  private final int number;

  HashVersion(int number) {
    this.number = number;
  }

  /** The version number as GrowthBook writes it. */
  public int number() {
    return number;
  }

  /** The version with {@code number}, if there is one. */
  public static Optional<HashVersion> of(int number) {
    for (HashVersion v : values()) {
      if (v.number == number) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
