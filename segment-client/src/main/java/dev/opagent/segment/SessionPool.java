package dev.opagent.segment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Runtime session ids. In {@link SessionMode#POOLED} mode an id serves one request at a time and
 * goes back to the pool, so the number of ids (and microVMs) never exceeds the concurrency; the
 * most recently used id is reused first, to keep its microVM warm. An id the service refused
 * ({@link #reject}) or that was stopped ({@link #retire}) leaves the pool. In {@link
 * SessionMode#PER_CUSTOMER} mode the id is derived from the customer id. Thread-safe.
 */
final class SessionPool {
  /** AgentCore's shortest accepted session id. */
  public static final int MIN_LENGTH = 33;

  /** AgentCore's longest accepted session id. */
  public static final int MAX_LENGTH = 256;

  private static final String USER_PREFIX = "opagent-u-";

  private final SessionMode mode;
  private final ConcurrentLinkedDeque<String> free = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<String> all = new ConcurrentLinkedDeque<>();
  private final AtomicLong created = new AtomicLong();
  private final AtomicInteger live = new AtomicInteger();
  private volatile int limit = Integer.MAX_VALUE;

  /** Creates an empty pool. */
  public SessionPool(SessionMode mode) {
    this.mode = mode;
  }

  /** A session id for a request about {@code customerId}; see {@link #acquire(String, String)}. */
  public @Nullable String acquire(String customerId) {
    return acquire(customerId, null);
  }

  /**
   * A session id for a request about {@code customerId} on behalf of {@code userId}, or {@code
   * null} when every pooled id is in use and the pool may not grow (see {@link #reject}): the
   * request must wait for a release. A request on behalf of a user gets that user's own session (in
   * {@link SessionMode#PER_CUSTOMER} mode, the user's session for that customer), never one another
   * user's requests ran in, since a session's microVM may keep what a request left.
   */
  public @Nullable String acquire(String customerId, @Nullable String userId) {
    if (userId != null) {
      return forUser(userId, mode == SessionMode.PER_CUSTOMER ? customerId : "");
    }
    if (mode == SessionMode.PER_CUSTOMER) {
      return forCustomer(customerId);
    }
    String id = free.pollFirst();
    if (id != null) {
      return id;
    }
    int n;
    do {
      n = live.get();
      if (n >= limit) {
        return null;
      }
    } while (!live.compareAndSet(n, n + 1));
    created.incrementAndGet();
    id = "opagent-" + UUID.randomUUID();
    all.add(id);
    return id;
  }

  /** Returns a pooled id after its request finished. */
  public void release(String sessionId) {
    if (isPooled(sessionId)) {
      free.addFirst(sessionId);
    }
  }

  /**
   * Drops a pooled id the service refused (its active-session quota was reached, so no session
   * exists for it) and returns how many pooled ids remain: the most sessions the account lets this
   * client hold, and from now on the most the pool creates (at least one).
   */
  public int reject(String sessionId) {
    if (!isPooled(sessionId)) {
      return 0;
    }
    int remaining = all.remove(sessionId) ? live.decrementAndGet() : live.get();
    limit = Math.min(limit, Math.max(1, remaining));
    return remaining;
  }

  /** Drops a pooled id that was stopped, so that it is neither handed out nor stopped again. */
  public void retire(String sessionId) {
    if (isPooled(sessionId) && all.remove(sessionId)) {
      live.decrementAndGet();
    }
  }

  /** Every pooled id in the pool (free or in use), to be stopped on close. */
  public List<String> pooledIds() {
    return new ArrayList<>(all);
  }

  /** Whether ids are pooled (and so owned by the client, which stops them on close). */
  public boolean isPooled() {
    return mode == SessionMode.POOLED;
  }

  /** Whether {@code sessionId} came from the pool (a user's own session does not). */
  public boolean isPooled(String sessionId) {
    return mode == SessionMode.POOLED && !sessionId.startsWith(USER_PREFIX);
  }

  /** Pooled ids created so far. */
  public long created() {
    return created.get();
  }

  /**
   * The session id of a customer: {@code opagent-c-} and the customer id, padded with {@code -} to
   * 33 characters; ids too long, ending in {@code -} (which padding would make ambiguous) or with
   * other characters than letters, digits, {@code -} and {@code _} are replaced by a SHA-256 of the
   * customer id.
   */
  public static String forCustomer(String customerId) {
    String base = "opagent-c-" + customerId;
    // An id ending in '-' could collide with a shorter one once padded with '-': hash it instead.
    if (base.length() > MAX_LENGTH
        || !base.matches("[A-Za-z0-9_-]+")
        || customerId.isEmpty()
        || customerId.endsWith("-")) {
      base = "opagent-h-" + sha256(customerId);
    }
    StringBuilder sb = new StringBuilder(base);
    while (sb.length() < MIN_LENGTH) {
      sb.append('-');
    }
    return sb.toString();
  }

  /**
   * The session id of {@code userId}'s requests about {@code customerId} (empty for every
   * customer): {@code opagent-u-} and a SHA-256 of both, so the id reveals neither.
   */
  static String forUser(String userId, String customerId) {
    return USER_PREFIX + sha256(userId + '\u0000' + customerId);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
