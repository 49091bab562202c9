package dev.opagent.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The random source of one request, derived from the seed, the customer id and the number of the
 * call for that customer: the same call always draws the same fault and latency, whatever the order
 * in which concurrent calls arrive. Stateless and thread-safe.
 */
public final class RequestRandom {
  private RequestRandom() {}

  /** The random source of call number {@code call} (from 1) for {@code customerId}. */
  public static SplittableRandom of(long seed, String customerId, long call) {
    long h = fnv1a64(customerId);
    return new SplittableRandom(mix(seed ^ mix(h + 0x9E3779B97F4A7C15L * call)));
  }

  /** SplitMix64's finaliser: spreads the bits of {@code z} over the whole {@code long}. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
