package dev.opagent.segment;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a real condition to become true, failing after a generous deadline. */
public final class Await {
  private Await() {}

  public static void until(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("condition not met within " + deadline);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
