package dev.opagent.spring.boot;

import dev.opagent.rules.ReloadResult;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a rule file into its {@link RuleSetHolder} when the file changes: every interval it
 * compares the file's modification time and size with those last read, and reloads on a change. A
 * change that does not validate leaves the rule set in effect (the holder logs why, naming the file
 * and the first problem) and is not read again until the file changes once more. One daemon thread;
 * {@link #close()} stops it.
 */
public final class RuleSetReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleSetReloader.class);

  private final RuleSetHolder holder;
  private final @Nullable Path file;
  private final @Nullable ScheduledExecutorService scheduler;
  private @Nullable Stamp seen;

  /**
   * Watches the holder's source when it is a file and {@code interval} is positive; otherwise
   * watches nothing.
   */
  RuleSetReloader(RuleSetHolder holder, Duration interval) {
    this.holder = Objects.requireNonNull(holder, "holder");
    boolean watch =
        holder.source() instanceof RuleSource.File && !interval.isNegative() && !interval.isZero();
    this.file = watch ? ((RuleSource.File) holder.source()).path() : null;
    this.seen = stamp();
    if (file == null) {
      this.scheduler = null;
      return;
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opagent-rules-reload");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(1, interval.toMillis());
    s.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
    this.scheduler = s;
  }

  /** The file watched; null when the rules are not a file or reloading is off. */
  public @Nullable Path file() {
    return file;
  }

  /** Reloads the file if it changed since it was last read; the outcome, or null if unchanged. */
  synchronized @Nullable ReloadResult check() {
    Path file = this.file;
    if (file == null) {
      return null;
    }
    try {
      Stamp now = stamp();
      if (now == null || now.equals(seen)) {
        return null;
      }
      seen = now;
      return holder.reload();
    } catch (RuntimeException e) {
      LOG.warn(
          "rule file {} could not be checked for changes ({}); the rules in effect stay",
          file,
          e.getClass().getSimpleName());
      return null;
    }
  }

  private @Nullable Stamp stamp() {
    Path file = this.file;
    if (file == null) {
      return null;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.lastModifiedTime().toMillis(), a.size());
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private record Stamp(long modified, long size) {}
}
