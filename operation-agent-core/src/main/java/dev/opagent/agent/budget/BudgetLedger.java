package dev.opagent.agent.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Money budgets with reserve-then-commit accounting, per campaign and global. Thread-safe and
 * lock-free: each budget is an atomic counter of ten-thousandths of the currency unit, updated with
 * compare-and-set, so reservations from many deciding threads never overspend a limit.
 *
 * <p>At decision time the expected cost of an action is {@link #reserve reserved}; after execution
 * it is {@link #commit committed} with the actual amount (which may differ, and may exceed the
 * limit: money already spent is recorded, not refused) or {@link #release released} when the action
 * did not run. Amounts are rounded up to {@value #SCALE} decimal places.
 *
 * <pre>{@code
 * BudgetLedger ledger = BudgetLedger.create(BudgetLimits.builder(TRY).global(new BigDecimal("5000")).build());
 * if (ledger.reserve("winback", new BigDecimal("3.50")) instanceof ReserveResult.Reserved r) {
 *   ledger.commit(r.reservation().id(), new BigDecimal("3.20"));
 * }
 * }</pre>
 */
public final class BudgetLedger {
  /** Decimal places kept: amounts are counted in ten-thousandths of the currency unit. */
  public static final int SCALE = 4;

  private static final long UNLIMITED = Long.MAX_VALUE;

  private final BudgetLimits limits;
  private final Clock clock;
  private final Account global;
  private final ConcurrentHashMap<String, Account> campaigns = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Reservation> open = new ConcurrentHashMap<>();
  private final AtomicLong ids;
  private final @Nullable Function<@Nullable String, BigDecimal> inUse;

  private BudgetLedger(
      BudgetLimits limits,
      Clock clock,
      long firstId,
      @Nullable Function<@Nullable String, BigDecimal> inUse) {
    this.limits = limits;
    this.clock = clock;
    this.inUse = inUse;
    this.global = new Account(limits.global() == null ? UNLIMITED : units(limits.global()));
    if (inUse != null && global.limit != UNLIMITED) {
      global.used.set(units(inUse.apply(null)));
    }
    this.ids = new AtomicLong(firstId);
  }

  /** A ledger with {@code limits}, stamping reservations with the system clock. */
  public static BudgetLedger create(BudgetLimits limits) {
    return create(limits, Clock.systemUTC());
  }

  /** A ledger with {@code limits}, stamping reservations with {@code clock}. */
  public static BudgetLedger create(BudgetLimits limits, Clock clock) {
    return new BudgetLedger(
        Objects.requireNonNull(limits, "limits"), Objects.requireNonNull(clock, "clock"), 1, null);
  }

  /**
   * A ledger whose limited budgets start with money already in use elsewhere: reserved or spent by
   * actions a shared store journalled, in any process. {@code inUse} is asked once for the global
   * budget (with {@code null}) and once for each campaign when it is first seen, and only for
   * budgets with a limit; what it answers counts as in use (not as committed) in {@link #global()}
   * and {@link #campaign(String)}.
   */
  public static BudgetLedger startingFrom(
      BudgetLimits limits, Clock clock, Function<@Nullable String, BigDecimal> inUse) {
    return new BudgetLedger(
        Objects.requireNonNull(limits, "limits"),
        Objects.requireNonNull(clock, "clock"),
        1,
        Objects.requireNonNull(inUse, "inUse"));
  }

  /** The limits. */
  public BudgetLimits limits() {
    return limits;
  }

  /** The currency of every amount. */
  public Currency currency() {
    return limits.currency();
  }

  /**
   * Sets {@code amount} aside for {@code campaign} if it fits both the campaign's limit and the
   * global one; otherwise reserves nothing and says which limit binds.
   *
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public ReserveResult reserve(String campaign, BigDecimal amount) {
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative but was " + amount);
    }
    return reserveUnits(campaign, units(amount));
  }

  /**
   * As {@link #reserve(String, BigDecimal)}, with the amount in ten-thousandths of the currency
   * unit: the allocation-light path the decision engine uses.
   */
  public ReserveResult reserveUnits(String campaign, long units) {
    if (units < 0) {
      throw new IllegalArgumentException("units must not be negative but was " + units);
    }
    Account c = account(campaign);
    long left = c.tryAdd(units);
    if (left >= 0) {
      return new ReserveResult.Insufficient(BudgetScope.CAMPAIGN, amount(left), amount(units));
    }
    long globalLeft = global.tryAdd(units);
    if (globalLeft >= 0) {
      c.used.addAndGet(-units);
      return new ReserveResult.Insufficient(BudgetScope.GLOBAL, amount(globalLeft), amount(units));
    }
    Reservation r = new Reservation(ids.getAndIncrement(), campaign, units, clock.instant());
    open.put(r.id(), r);
    return new ReserveResult.Reserved(r);
  }

  /**
   * Turns a reservation into spending of {@code actual}. Returns false, changing nothing, when the
   * reservation is unknown or already settled.
   */
  public boolean commit(long reservationId, BigDecimal actual) {
    if (actual.signum() < 0) {
      throw new IllegalArgumentException("actual amount must not be negative but was " + actual);
    }
    Reservation r = open.remove(reservationId);
    if (r == null) {
      return false;
    }
    long spent = units(actual);
    account(r.campaign()).settle(r.units(), spent);
    global.settle(r.units(), spent);
    return true;
  }

  /**
   * Gives a reservation back (the action did not run). Returns false, changing nothing, when the
   * reservation is unknown or already settled.
   */
  public boolean release(long reservationId) {
    Reservation r = open.remove(reservationId);
    if (r == null) {
      return false;
    }
    account(r.campaign()).settle(r.units(), 0);
    global.settle(r.units(), 0);
    return true;
  }

  /** Releases every reservation older than {@code age}, returning how many. */
  public int releaseOlderThan(Duration age) {
    Instant cutoff = clock.instant().minus(age);
    int n = 0;
    for (Reservation r : open.values()) {
      if (r.at().isBefore(cutoff) && release(r.id())) {
        n++;
      }
    }
    return n;
  }

  /** The open reservation with {@code id}, if any. */
  public java.util.Optional<Reservation> reservation(long id) {
    return java.util.Optional.ofNullable(open.get(id));
  }

  /** Number of open reservations. */
  public int openReservations() {
    return open.size();
  }

  /** The state of the global budget. */
  public BudgetSnapshot global() {
    return global.snapshot();
  }

  /** The state of one campaign's budget. */
  public BudgetSnapshot campaign(String campaign) {
    return account(campaign).snapshot();
  }

  /**
   * An independent ledger with the same limits and the same reserved and committed totals, for dry
   * runs: what it reserves never reaches this one. Open reservations are not carried over (only
   * their totals), so they cannot be settled through the copy.
   */
  public BudgetLedger copy() {
    BudgetLedger c = new BudgetLedger(limits, clock, ids.get(), null);
    c.global.used.set(global.used.get());
    c.global.committed.set(global.committed.get());
    for (Map.Entry<String, Account> e : campaigns.entrySet()) {
      Account a = c.account(e.getKey());
      a.used.set(e.getValue().used.get());
      a.committed.set(e.getValue().committed.get());
    }
    return c;
  }

  private Account account(String campaign) {
    Account a = campaigns.get(campaign);
    if (a != null) {
      return a;
    }
    return campaigns.computeIfAbsent(
        campaign,
        k -> {
          BigDecimal limit = limits.perCampaign().get(k);
          Account fresh = new Account(limit == null ? UNLIMITED : units(limit));
          if (limit != null && inUse != null) {
            fresh.used.set(units(inUse.apply(k)));
          }
          return fresh;
        });
  }

  static long units(BigDecimal amount) {
    return amount.setScale(SCALE, RoundingMode.UP).unscaledValue().longValueExact();
  }

  static BigDecimal amount(long units) {
    return BigDecimal.valueOf(units, SCALE);
  }

  /**
   * One budget: a limit, the amount in use (reserved + committed, the only counter checked against
   * the limit, so a concurrent commit can never open a gap) and the committed part.
   */
  private static final class Account {
    final long limit;
    final AtomicLong used = new AtomicLong();
    final AtomicLong committed = new AtomicLong();

    Account(long limit) {
      this.limit = limit;
    }

    /** Adds to the amount in use if it fits; returns -1 on success, else what was available. */
    long tryAdd(long units) {
      if (limit == UNLIMITED) {
        used.addAndGet(units);
        return -1;
      }
      while (true) {
        long u = used.get();
        long available = Math.max(0, limit - u);
        if (units > available) {
          return available;
        }
        if (used.compareAndSet(u, u + units)) {
          return -1;
        }
      }
    }

    void settle(long reservedUnits, long spentUnits) {
      committed.addAndGet(spentUnits);
      used.addAndGet(spentUnits - reservedUnits);
    }

    BudgetSnapshot snapshot() {
      long c = committed.get();
      long u = Math.max(used.get(), c);
      return new BudgetSnapshot(
          limit == UNLIMITED ? null : amount(limit),
          amount(u - c),
          amount(c),
          limit == UNLIMITED ? null : amount(Math.max(0, limit - u)));
    }
  }
}
