package dev.opagent.spring.boot;

import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentClientListener;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The circuit of the auto-configured segment client as its listener reports it: open from the
 * moment the client opens it until the client closes it again after a successful probe. The health
 * indicator reads it. Thread-safe; it carries no customer data.
 *
 * <p>The auto-configured client reports to the bean of this type. A host that builds its own client
 * lets the bean follow it with {@link #listenTo(SegmentClientBuilder)}; until something listens,
 * {@link #isWatching()} is false and the health indicator reports the circuit unknown.
 */
public final class SegmentCircuitState implements SegmentClientListener {
  private final Clock clock;
  private final AtomicReference<@Nullable Instant> openedAt = new AtomicReference<>();
  private final AtomicReference<@Nullable Instant> changedAt = new AtomicReference<>();
  private volatile boolean watching;

  /** A state that reads {@code clock} when the circuit changes. */
  public SegmentCircuitState(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Follows the circuit of the client {@code builder} builds. */
  public SegmentClientBuilder listenTo(SegmentClientBuilder builder) {
    builder.addListener(this);
    watching = true;
    return builder;
  }

  /** Whether a client reports to this state. */
  public boolean isWatching() {
    return watching;
  }

  @Override
  public void onCircuitStateChange(boolean open) {
    Instant now = clock.instant();
    openedAt.set(open ? now : null);
    changedAt.set(now);
  }

  /** Whether the circuit is open: the client fails calls fast (or answers from its fallback). */
  public boolean isOpen() {
    return openedAt.get() != null;
  }

  /** When the circuit opened; null while it is closed. */
  public @Nullable Instant openedAt() {
    return openedAt.get();
  }

  /** When the circuit last opened or closed; null if it never changed. */
  public @Nullable Instant changedAt() {
    return changedAt.get();
  }
}
