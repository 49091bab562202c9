package dev.opagent.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The random source of one request, derived from the seed, the customer id and the number of the
 * call for that customer: the same call always draws the same fault and latency, whatever the
 * order in which concurrent calls arrive. Stateless and thread-safe.
 */
public final class RequestRandom {
  private RequestRandom() {}

  /** The random source of call number {@code call} (from 1) for {@code customerId}. */
  public static SplittableRandom of(long seed, String customerId, long call) {
    long h = fnv1a64(customerId);
    return new SplittableRandom(
        SimulatorHandler.mix(seed ^ SimulatorHandler.mix(h + 0x9E3779B97F4A7C15L * call)));
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
