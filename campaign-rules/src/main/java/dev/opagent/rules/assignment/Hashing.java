package dev.opagent.rules.assignment;

import java.util.OptionalDouble;

/**
 * GrowthBook's FNV-1a hashing of a seed and a value into {@code [0, 1)}. Stateless and thread-safe;
 * allocation-free. Characters are hashed as UTF-16 code units, as JavaScript's {@code charCodeAt}
 * does, so results agree with every GrowthBook SDK for any text.
 */
public final class Hashing {
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private Hashing() {}

  /**
   * Hashes {@code value} with {@code seed}.
   *
   * <pre>{@code
   * double n = Hashing.hash("winback-2026", "C-1001", HashVersion.V2); // 0 <= n < 1
   * }</pre>
   */
  public static double hash(String seed, String value, HashVersion version) {
    if (version == HashVersion.V2) {
      int h = fnv(fnv(FNV_OFFSET, seed), value);
      long inner = h & 0xffffffffL;
      long outer = fnvDecimal(inner) & 0xffffffffL;
      return (outer % 10000) / 10000.0;
    }
    long h = fnv(fnv(FNV_OFFSET, value), seed) & 0xffffffffL;
    return (h % 1000) / 1000.0;
  }

  /** As GrowthBook's {@code hash(seed, value, version)}: empty for an unknown version. */
  public static OptionalDouble hash(String seed, String value, int version) {
    return HashVersion.of(version)
        .map(v -> OptionalDouble.of(hash(seed, value, v)))
        .orElse(OptionalDouble.empty());
  }

  /** The 32-bit FNV-1a hash of {@code text}, as an unsigned value. */
  public static long fnv1a32(String text) {
    return fnv(FNV_OFFSET, text) & 0xffffffffL;
  }

  private static int fnv(int h, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      h ^= s.charAt(i);
      h *= FNV_PRIME;
    }
    return h;
  }

  /** FNV-1a of the decimal digits of {@code value}, without building the string. */
  private static int fnvDecimal(long value) {
    long divisor = 1;
    while (divisor * 10 <= value) {
      divisor *= 10;
    }
    int h = FNV_OFFSET;
    for (long d = divisor; d > 0; d /= 10) {
      h ^= (int) ('0' + (value / d) % 10);
      h *= FNV_PRIME;
    }
    return h;
  }
}
