package dev.opagent.rules;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the rule set in effect and swaps it atomically on reload, so marketers can change rules
 * without a deploy. Thread-safe: evaluations call {@link #current()} once and evaluate against that
 * snapshot, so an evaluation in progress always sees one consistent rule set; a reload that does
 * not validate leaves the current set in place. Reloads are serialised. The holder starts no
 * threads: call {@link #reload()} from the host's scheduler or file watcher.
 *
 * <pre>{@code
 * RuleSetHolder holder = RuleSetHolder.load(RuleSetLoader.ofDefaults(), RuleSource.file(path));
 * scheduler.scheduleWithFixedDelay(holder::reload, 30, 30, TimeUnit.SECONDS);
 * Eligibility e = evaluator.evaluate(holder.current(), id, attributes);
 * }</pre>
 */
public final class RuleSetHolder {
  private static final Logger LOG = LoggerFactory.getLogger(RuleSetHolder.class);

  private final RuleSetLoader loader;
  private final RuleSource source;
  private final AtomicReference<RuleSet> current;
  private final Object reloadLock = new Object();

  private RuleSetHolder(RuleSetLoader loader, RuleSource source, RuleSet initial) {
    this.loader = loader;
    this.source = source;
    this.current = new AtomicReference<>(initial);
  }

  /**
   * Loads {@code source} and holds it.
   *
   * @throws InvalidRuleSetException if the initial content does not validate
   */
  public static RuleSetHolder load(RuleSetLoader loader, RuleSource source) {
    return new RuleSetHolder(loader, source, loader.load(source));
  }

  /** Holds {@code initial}; {@link #reload()} reads {@code source} with {@code loader}. */
  public static RuleSetHolder of(RuleSet initial, RuleSetLoader loader, RuleSource source) {
    return new RuleSetHolder(
        Objects.requireNonNull(loader, "loader"),
        Objects.requireNonNull(source, "source"),
        Objects.requireNonNull(initial, "initial"));
  }

  /** The rule set in effect. */
  public RuleSet current() {
    return Objects.requireNonNull(current.get(), "set at construction and never cleared");
  }

  /** Where reloads read from. */
  public RuleSource source() {
    return source;
  }

  /**
   * Re-reads the source; swaps in the new rule set if it validates and its checksum differs. Never
   * throws for bad content: a rejected reload is a value and is logged as a warning.
   */
  public ReloadResult reload() {
    synchronized (reloadLock) {
      RuleSet previous = current();
      LoadResult result = loader.validate(source);
      if (result instanceof LoadResult.Invalid invalid) {
        LOG.warn(
            "rule set {} not reloaded, keeping {}: {} problem(s), first: {}",
            source.describe(),
            previous.checksum(),
            invalid.problems().size(),
            invalid.errors().isEmpty() ? invalid.problems().get(0) : invalid.errors().get(0));
        return new ReloadResult.Rejected(previous, invalid.problems());
      }
      RuleSet next = ((LoadResult.Loaded) result).ruleSet();
      if (next.checksum().equals(previous.checksum())) {
        return new ReloadResult.Unchanged(previous);
      }
      current.set(next);
      LOG.info(
          "rule set {} reloaded: {} -> {} ({} rules)",
          source.describe(),
          previous.checksum(),
          next.checksum(),
          next.size());
      return new ReloadResult.Reloaded(previous, next);
    }
  }

  /** Replaces the rule set directly (for rules assembled in code). */
  public void replace(RuleSet ruleSet) {
    synchronized (reloadLock) {
      current.set(Objects.requireNonNull(ruleSet, "ruleSet"));
    }
  }
}
