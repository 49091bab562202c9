package dev.opagent.rules.assignment;

/**
 * A deterministic holdout: a stable percentage of units kept out of a treatment (a campaign's
 * holdout, or the global control group no campaign reaches). The same unit is always in or out for
 * the same key, on every run and machine. Immutable and thread-safe.
 *
 * <pre>{@code
 * Holdout control = Holdout.of("global-control", 5.0);   // 5 % of customers
 * if (control.contains("C-1001")) { ... measure, don't send ... }
 * }</pre>
 *
 * @param key seed of the hash; changing it reshuffles who is held out
 * @param percentage share of units held out, in {@code [0, 100]}
 * @param hashVersion hashing algorithm; {@link HashVersion#V2} unless compatibility needs V1
 */
public record Holdout(String key, double percentage, HashVersion hashVersion) {

  public Holdout {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("holdout key must not be empty");
    }
    if (!(percentage >= 0 && percentage <= 100)) {
      throw new IllegalArgumentException(
          "holdout percentage must be between 0 and 100 but was " + percentage);
    }
  }

  /** A holdout hashed with {@link HashVersion#V2}. */
  public static Holdout of(String key, double percentage) {
    return new Holdout(key, percentage, HashVersion.V2);
  }

  /** The unit's position in {@code [0, 1)}; it is held out when below {@code percentage / 100}. */
  public double bucket(String unitId) {
    return Hashing.hash(key, unitId, hashVersion);
  }

  /** Whether {@code unitId} is held out. Allocation-free. */
  public boolean contains(String unitId) {
    return percentage > 0 && bucket(unitId) < percentage / 100.0;
  }
}
