package dev.opagent.agent.engine;

import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Contact;
import dev.opagent.agent.spi.ContactHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ContactHistory} in memory, for tests, simulations and single-instance hosts; hosts that
 * restart or run several instances use the durable store of the {@code operating-store} module,
 * which every process shares. Thread-safe: each customer's list is copied on write, so readers get
 * an unchanging list without copying.
 *
 * <p><b>Bounded by time.</b> Contacts older than the {@linkplain #retention() retention} — measured
 * back from the newest contact recorded, not from a clock, so simulated and replayed time work —
 * are evicted, and a customer left without contacts is forgotten, so memory holds about one
 * retention's worth of traffic. Eviction never changes an answer silently: a frequency cap only
 * looks back over its window, so a retention at least as long as the longest window (the {@link
 * DecisionPolicy#contactLookback()}) loses nothing a decision reads, and {@link #contactsSince}
 * asked for a period from which contacts were already evicted throws instead of answering short.
 * {@link DecisionEngine.Builder#build()} refuses a history whose retention is shorter than the
 * policy's lookback. Default retention: {@link #DEFAULT_RETENTION} (400 days, longer than a yearly
 * cap).
 */
public final class InMemoryContactHistory implements ContactHistory {
  /** The retention of {@link #InMemoryContactHistory()}: 400 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);

  private static final int MIN_SWEEP_INTERVAL = 1024;

  private final Duration retention;
  private final ConcurrentHashMap<String, List<Contact>> contacts = new ConcurrentHashMap<>();

  /** Epoch second of the newest contact recorded. */
  private final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);

  /** Epoch second of the newest contact evicted or refused as too old; MIN_VALUE when none. */
  private final AtomicLong evictedThrough = new AtomicLong(Long.MIN_VALUE);

  private final AtomicLong recordsSinceSweep = new AtomicLong();

  /** Records between sweeps: the customers kept after the last one, so sweeps cost O(1) each. */
  private volatile long sweepEvery = MIN_SWEEP_INTERVAL;

  /** A history keeping {@link #DEFAULT_RETENTION} of contacts. */
  public InMemoryContactHistory() {
    this(DEFAULT_RETENTION);
  }

  /**
   * A history keeping {@code retention} of contacts back from the newest one recorded. Shorten it
   * to the policy's longest frequency-cap window ({@link DecisionPolicy#contactLookback()}) to hold
   * less; lengthen it for caps over longer windows.
   *
   * @throws IllegalArgumentException when {@code retention} is not positive
   */
  public InMemoryContactHistory(Duration retention) {
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive but was " + retention);
    }
    this.retention = retention;
  }

  /** How far back from the newest contact contacts are kept. */
  public Duration retention() {
    return retention;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when contacts at or after {@code since} may have been evicted
   *     (the retention is shorter than the period asked for), rather than answering short
   */
  @Override
  public List<Contact> contactsSince(String customerId, Instant since) {
    long evicted = evictedThrough.get();
    if (evicted != Long.MIN_VALUE && since.getEpochSecond() <= evicted) {
      throw new IllegalStateException(
          "contacts since "
              + since
              + " were asked for, but this "
              + "history keeps only "
              + retention
              + " back from its newest contact and has evicted "
              + "contacts up to "
              + Instant.ofEpochSecond(evicted)
              + "; give it a retention at least "
              + "as long as the longest frequency-cap window");
    }
    return contacts.getOrDefault(customerId, List.of());
  }

  @Override
  public void record(String customerId, Contact contact) {
    long at = contact.at().getEpochSecond();
    long latest = newest.accumulateAndGet(at, Math::max);
    long horizon = horizon(latest);
    if (at < horizon) {
      evictedThrough.accumulateAndGet(at, Math::max);
      return;
    }
    contacts.compute(
        customerId,
        (k, old) -> {
          List<Contact> l = new ArrayList<>(old == null ? 1 : old.size() + 1);
          if (old != null) {
            for (Contact c : old) {
              if (keep(c, horizon)) {
                l.add(c);
              }
            }
          }
          l.add(contact);
          return List.copyOf(l);
        });
    if (recordsSinceSweep.incrementAndGet() >= sweepEvery) {
      recordsSinceSweep.set(0);
      sweep(horizon(newest.get()));
      sweepEvery = Math.max(MIN_SWEEP_INTERVAL, contacts.size());
    }
  }

  /** Every contact of the customer still kept, oldest recorded first. */
  public List<Contact> all(String customerId) {
    return contacts.getOrDefault(customerId, List.of());
  }

  /** How many customers have contacts kept. */
  public int customers() {
    return contacts.size();
  }

  /** Evicts every contact older than the retention now, and forgets customers left without. */
  void sweep(long horizon) {
    for (String customerId : contacts.keySet()) {
      contacts.computeIfPresent(
          customerId,
          (k, old) -> {
            List<Contact> l = null;
            for (int i = 0; i < old.size(); i++) {
              Contact c = old.get(i);
              if (!keep(c, horizon)) {
                if (l == null) {
                  l = new ArrayList<>(old.subList(0, i));
                }
              } else if (l != null) {
                l.add(c);
              }
            }
            if (l == null) {
              return old;
            }
            return l.isEmpty() ? null : List.copyOf(l);
          });
    }
  }

  private boolean keep(Contact c, long horizon) {
    long at = c.at().getEpochSecond();
    if (at >= horizon) {
      return true;
    }
    evictedThrough.accumulateAndGet(at, Math::max);
    return false;
  }

  private long horizon(long latest) {
    long r = retention.getSeconds();
    return latest < Long.MIN_VALUE + r ? Long.MIN_VALUE : latest - r;
  }
}
