package dev.opagent.agent.approval;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The single gate for actions that need a human's approval: the decision engine, the action
 * executor and tools for LLM agents all ask it. Thread-safe: {@link #check} reads without locking;
 * requests, grants, rejections and expiries are recorded exactly once in the append-only audit
 * trail. Within the process the gate serialises its writes; across gates and processes sharing one
 * {@link ApprovalStore} (such as the operating store's), each transition is a conditional write of
 * the store ({@link ApprovalStore#createIfNoneOpen}, {@link ApprovalStore#replaceIf}), so that of
 * two processes that grant or reject the same request at once one decides and the other gets the
 * decision back, and two processes that ask for the same key create one request.
 *
 * <p>Lifecycle: {@link #request} creates a {@link ApprovalStatus#PENDING} request that expires
 * unanswered after {@link Builder#requestTtl(Duration) requestTtl}; {@link #grant} and {@link
 * #reject} decide it with an actor and a reason; a grant is valid for {@link
 * Builder#approvalValidity(Duration) approvalValidity}, after which the key is {@link
 * ApprovalStatus#EXPIRED} and needs a new request. A rejection stands until a new request for the
 * key is granted. Only pending requests can be decided.
 *
 * <pre>{@code
 * ApprovalGate gate = ApprovalGate.builder().clock(clock).build();
 * ApprovalRequest r = gate.request(ApprovalKey.campaign("winback"), "discount 20% >= 20%", "planner");
 * gate.grant(r.id(), "alice", "spring budget approved");
 * gate.check(ApprovalKey.campaign("winback"));   // APPROVED
 * }</pre>
 */
public final class ApprovalGate {
  /** The actor recorded for expiries. */
  public static final String SYSTEM_ACTOR = "system";

  /** How often in a row a new request may lose to another gate's before the store is suspect. */
  private static final int MAX_CREATE_TRIES = 8;

  private final Clock clock;
  private final ApprovalStore store;
  private final Duration requestTtl;
  private final Duration approvalValidity;
  private final Supplier<String> ids;
  private final Object lock = new Object();

  private ApprovalGate(Builder b) {
    this.clock = b.clock;
    this.store = b.store;
    this.requestTtl = b.requestTtl;
    this.approvalValidity = b.approvalValidity;
    this.ids = b.ids;
  }

  /** System clock, in-memory store, requests expire after 48 hours, grants after 7 days. */
  public static ApprovalGate ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How long a request waits for a decision. */
  public Duration requestTtl() {
    return requestTtl;
  }

  /**
   * The status of {@code key} now: that of its latest request, with deadlines and validity applied.
   * Lock-free unless it notices an expiry, which it records once in the audit trail.
   */
  public ApprovalStatus check(ApprovalKey key) {
    Optional<ApprovalRequest> latest = store.latest(key);
    if (latest.isEmpty()) {
      return ApprovalStatus.NOT_REQUESTED;
    }
    ApprovalRequest r = latest.get();
    Instant now = clock.instant();
    ApprovalStatus s = r.statusAt(now);
    if (s == ApprovalStatus.EXPIRED && r.status() != ApprovalStatus.EXPIRED) {
      synchronized (lock) {
        expireIfDue(r.id(), now);
      }
    }
    return s;
  }

  /** The latest request for {@code key}, with its stored state. */
  public Optional<ApprovalRequest> latest(ApprovalKey key) {
    return store.latest(key);
  }

  /** The request with {@code id}. */
  public Optional<ApprovalRequest> find(String requestId) {
    return store.byId(requestId);
  }

  /**
   * Asks for approval of {@code key}. When the key already has a pending request or a valid grant,
   * that request is returned and nothing new is recorded, so repeated asks (one per customer of a
   * run) create one request. This holds across gates sharing a store: when another gate created a
   * request for the key in the meantime, that request is returned.
   *
   * @param summary why approval is needed; must not contain personal data
   * @param requestedBy who asks
   * @throws IllegalStateException if the store keeps refusing a new request although the key's
   *     latest request is decided, which means an older request of the key is still open in the
   *     store
   */
  public ApprovalRequest request(ApprovalKey key, String summary, String requestedBy) {
    return request(key, summary, requestedBy, null);
  }

  /**
   * Asks for approval of {@code key} as {@link #request(ApprovalKey, String, String)} does, noting
   * the expected cost of what is to be approved, so that the person deciding sees it.
   *
   * @param cost the expected cost in the budget currency, or null when not known
   * @throws IllegalArgumentException if {@code cost} is negative
   */
  public ApprovalRequest request(
      ApprovalKey key, String summary, String requestedBy, @Nullable BigDecimal cost) {
    Objects.requireNonNull(key, "key");
    if (cost != null && cost.signum() < 0) {
      throw new IllegalArgumentException("an approval's cost must not be negative");
    }
    requireText(summary, "summary");
    requireText(requestedBy, "requestedBy");
    synchronized (lock) {
      for (int attempt = 1; ; attempt++) {
        Instant now = clock.instant();
        Optional<ApprovalRequest> latest = store.latest(key);
        if (latest.isPresent()) {
          ApprovalRequest r = latest.get();
          ApprovalStatus s = r.statusAt(now);
          if (s == ApprovalStatus.PENDING || s == ApprovalStatus.APPROVED) {
            return r;
          }
          if (s == ApprovalStatus.EXPIRED) {
            expireIfDue(r.id(), now);
          }
        }
        ApprovalRequest r =
            new ApprovalRequest(
                ids.get(),
                key,
                summary,
                requestedBy,
                now,
                now.plus(requestTtl),
                ApprovalStatus.PENDING,
                null,
                null,
                null,
                null,
                cost);
        if (store.createIfNoneOpen(
            r, new AuditEvent(now, AuditEvent.Type.REQUESTED, r.id(), key, requestedBy, summary))) {
          return r;
        }
        if (attempt == MAX_CREATE_TRIES) {
          throw new IllegalStateException(
              "the approval store refused a new request "
                  + attempt
                  + " times because the key has an open request, but the key's latest request is "
                  + latest.map(l -> l.id() + " (" + l.status() + ")").orElse("missing")
                  + "; mark the key's older PENDING or APPROVED request EXPIRED in the store");
        }
      }
    }
  }

  /**
   * Grants a pending request. Returns the request's state afterwards: {@code APPROVED} when this
   * call granted it; unchanged (and nothing recorded) when it was already decided or had expired
   * ({@code EXPIRED} then), also when another gate on the same store decided it at the same moment
   * (that decision is returned). Empty when no request has this id.
   *
   * @throws IllegalArgumentException if {@code actor} or {@code reason} is blank
   */
  public Optional<ApprovalRequest> grant(String requestId, String actor, String reason) {
    return decide(requestId, actor, reason, true);
  }

  /**
   * Rejects a pending request; as {@link #grant} otherwise.
   *
   * @throws IllegalArgumentException if {@code actor} or {@code reason} is blank
   */
  public Optional<ApprovalRequest> reject(String requestId, String actor, String reason) {
    return decide(requestId, actor, reason, false);
  }

  /** The audit trail, oldest first. */
  public List<AuditEvent> auditTrail() {
    return store.auditTrail();
  }

  /** The audit trail of one key, oldest first. */
  public List<AuditEvent> auditTrail(ApprovalKey key) {
    return store.auditTrail().stream().filter(e -> e.key().equals(key)).toList();
  }

  private Optional<ApprovalRequest> decide(
      String requestId, String actor, String reason, boolean grant) {
    requireText(actor, "actor");
    requireText(reason, "reason");
    synchronized (lock) {
      Instant now = clock.instant();
      Optional<ApprovalRequest> found = store.byId(requestId);
      if (found.isEmpty()) {
        return found;
      }
      ApprovalRequest r = found.get();
      ApprovalStatus s = r.statusAt(now);
      if (s == ApprovalStatus.EXPIRED) {
        return Optional.of(expireIfDue(r.id(), now));
      }
      if (s != ApprovalStatus.PENDING) {
        return found;
      }
      ApprovalRequest decided =
          grant
              ? r.decided(ApprovalStatus.APPROVED, actor, now, reason, now.plus(approvalValidity))
              : r.decided(ApprovalStatus.REJECTED, actor, now, reason, null);
      if (store.replaceIf(
          ApprovalStatus.PENDING,
          decided,
          new AuditEvent(
              now,
              grant ? AuditEvent.Type.GRANTED : AuditEvent.Type.REJECTED,
              r.id(),
              r.key(),
              actor,
              reason))) {
        return Optional.of(decided);
      }
      // Another gate decided or expired it first: its decision stands.
      return store.byId(requestId);
    }
  }

  /** Marks the request expired if it is due and not yet marked; caller holds the lock. */
  private ApprovalRequest expireIfDue(String requestId, Instant now) {
    ApprovalRequest r = store.byId(requestId).orElseThrow();
    if (r.status() == ApprovalStatus.EXPIRED || r.statusAt(now) != ApprovalStatus.EXPIRED) {
      return r;
    }
    ApprovalRequest expired =
        r.decided(ApprovalStatus.EXPIRED, r.decidedBy(), now, r.reason(), r.validUntil());
    String why =
        r.status() == ApprovalStatus.PENDING
            ? "not decided before " + r.deadline()
            : "grant valid until " + r.validUntil();
    if (store.replaceIf(
        r.status(),
        expired,
        new AuditEvent(now, AuditEvent.Type.EXPIRED, r.id(), r.key(), SYSTEM_ACTOR, why))) {
      return expired;
    }
    // Another gate recorded a transition first.
    return store.byId(requestId).orElseThrow();
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /** Builds an {@link ApprovalGate}. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private ApprovalStore store = new InMemoryApprovalStore();
    private Duration requestTtl = Duration.ofHours(48);
    private Duration approvalValidity = Duration.ofDays(7);
    private Supplier<String> ids = () -> "apr-" + UUID.randomUUID();

    private Builder() {}

    /** Time source of deadlines and validity. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where requests and the audit trail live. Default: an {@link InMemoryApprovalStore}. */
    public Builder store(ApprovalStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How long a request waits for a decision before it expires. Default 48 hours: long enough for
     * a weekend-free reviewer, short enough that stale offers are not sent.
     */
    public Builder requestTtl(Duration requestTtl) {
      this.requestTtl = positive(requestTtl, "requestTtl");
      return this;
    }

    /**
     * How long a grant is valid. Default 7 days; shorten it when offers must be re-checked often.
     */
    public Builder approvalValidity(Duration approvalValidity) {
      this.approvalValidity = positive(approvalValidity, "approvalValidity");
      return this;
    }

    /** Request id source. Default: {@code apr-} and a random UUID. */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    public ApprovalGate build() {
      return new ApprovalGate(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
      return d;
    }
  }
}
