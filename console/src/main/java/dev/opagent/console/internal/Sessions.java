package dev.opagent.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The logged-in sessions of one console, in memory: each has a random id (the cookie), its
 * operator, and its own form token that every POST must return. Sessions end after an idle time or
 * an absolute lifetime, and at logout; when {@link #MAX_SESSIONS} are open the least recently used
 * is dropped. Thread-safe.
 *
 * <p>The login form, shown before any session exists, is protected by a token derived from a random
 * pre-login cookie with a key only this process knows, so that showing it stores nothing.
 */
public final class Sessions {
  /** The most sessions kept at once. */
  public static final int MAX_SESSIONS = 1000;

  /** Failed logins allowed per minute, over all names: more are refused unchecked. */
  public static final int MAX_FAILED_LOGINS_PER_MINUTE = 10;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration idle;
  private final Duration lifetime;
  private final byte[] loginKey = new byte[32];
  private final Deque<Instant> failedLogins = new ArrayDeque<>();

  public Sessions(Clock clock, Duration idle, Duration lifetime) {
    this.clock = clock;
    this.idle = idle;
    this.lifetime = lifetime;
    random.nextBytes(loginKey);
  }

  /** A session of an operator who just logged in. */
  public Session open(String operator) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> s.expired(now, idle, lifetime));
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream()
          .min(Comparator.comparing(Session::lastSeen))
          .ifPresent(s -> sessions.remove(s.id()));
    }
    Session s = new Session(randomToken(), operator, randomToken(), now);
    sessions.put(s.id(), s);
    return s;
  }

  /** The live session with this cookie value, touched; empty when unknown or expired. */
  public Optional<Session> find(@Nullable String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (s.expired(now, idle, lifetime)) {
      sessions.remove(id);
      return Optional.empty();
    }
    s.touch(now);
    return Optional.of(s);
  }

  /** Ends a session. */
  public void close(Session s) {
    sessions.remove(s.id());
  }

  /**
   * Whether a login may be checked now: false after {@link #MAX_FAILED_LOGINS_PER_MINUTE} failed
   * ones in the last minute, which slows guessing down to that rate.
   */
  public synchronized boolean loginAllowed() {
    Instant minuteAgo = clock.instant().minus(Duration.ofMinutes(1));
    while (!failedLogins.isEmpty() && failedLogins.peekFirst().isBefore(minuteAgo)) {
      failedLogins.removeFirst();
    }
    return failedLogins.size() < MAX_FAILED_LOGINS_PER_MINUTE;
  }

  /** Counts a failed login. */
  public synchronized void loginFailed() {
    failedLogins.addLast(clock.instant());
  }

  /** A new random pre-login cookie value. */
  public String preLoginId() {
    return randomToken();
  }

  /** The login form's token for a pre-login cookie value. */
  public String loginToken(String preLoginId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(loginKey, "HmacSHA256"));
      return B64.encodeToString(mac.doFinal(preLoginId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** Whether two tokens are equal, in time independent of where they differ. */
  public static boolean sameToken(@Nullable String expected, @Nullable String given) {
    if (expected == null || given == null || expected.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private String randomToken() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return B64.encodeToString(b);
  }

  /** One logged-in operator's session. */
  public static final class Session {
    private final String id;
    private final String operator;
    private final String csrf;
    private final Instant created;
    private volatile Instant lastSeen;
    private volatile boolean showCustomerIds;
    private final AtomicReference<@Nullable String> flash = new AtomicReference<>();

    Session(String id, String operator, String csrf, Instant created) {
      this.id = id;
      this.operator = operator;
      this.csrf = csrf;
      this.created = created;
      this.lastSeen = created;
    }

    public String id() {
      return id;
    }

    /** Who logged in: the actor of every change made in this session. */
    public String operator() {
      return operator;
    }

    /** The token every form of this session carries and every POST must return. */
    public String csrf() {
      return csrf;
    }

    Instant lastSeen() {
      return lastSeen;
    }

    void touch(Instant now) {
      lastSeen = now;
    }

    boolean expired(Instant now, Duration idle, Duration lifetime) {
      return !now.isBefore(lastSeen.plus(idle)) || !now.isBefore(created.plus(lifetime));
    }

    /** Whether pages show customer ids in full (masked by default). */
    public boolean showCustomerIds() {
      return showCustomerIds;
    }

    public void showCustomerIds(boolean show) {
      showCustomerIds = show;
    }

    /** Keeps a message for the next page this session is shown. */
    public void flash(String message) {
      flash.set(message);
    }

    /** The message kept for this page, once. */
    public @Nullable String takeFlash() {
      return flash.getAndSet(null);
    }
  }
}
