package dev.opagent.agent.execution.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Derives an action's idempotency key from what makes it unique: campaign, action type, customer
 * and the time window it is due in. Two plans of the same campaign for the same customer within one
 * window get the same key, so re-running a plan (after a crash, or by mistake) never sends twice;
 * the next window is a new action. Immutable and thread-safe.
 *
 * <p>Windows are whole multiples of {@link #window()} counted from midnight 1970-01-01 in {@link
 * #zone()} (so a one-day window is a calendar day there). The key is {@code "ik-"} followed by 32
 * hexadecimal digits of SHA-256 over the four parts; it contains no personal data.
 *
 * <pre>{@code
 * IdempotencyKeys keys = IdempotencyKeys.daily(ZoneId.of("Europe/Istanbul"));
 * keys.key("winback", "send_email", "C-1001", Instant.parse("2026-03-15T09:00:00Z"));
 * }</pre>
 *
 * @param window the length of a window; at least one second
 * @param zone where windows start
 */
public record IdempotencyKeys(Duration window, ZoneId zone) {

  /** Checks the values. */
  public IdempotencyKeys {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(zone, "zone");
    if (window.getSeconds() < 1) {
      throw new IllegalArgumentException(
          "idempotency window must be at least 1 second but was " + window);
    }
  }

  /** One key per campaign, action type and customer per calendar day in {@code zone}. */
  public static IdempotencyKeys daily(ZoneId zone) {
    return new IdempotencyKeys(Duration.ofDays(1), zone);
  }

  /** One key per calendar day in UTC. */
  public static IdempotencyKeys dailyUtc() {
    return daily(ZoneOffset.UTC);
  }

  /** The start of the window {@code at} falls in. */
  public Instant windowStart(Instant at) {
    long offset = zone.getRules().getOffset(at).getTotalSeconds();
    long local = at.getEpochSecond() + offset;
    long w = window.getSeconds();
    long start = Math.floorDiv(local, w) * w;
    return Instant.ofEpochSecond(start - offset);
  }

  /** The key of the action of {@code campaign} and {@code actionType} for a customer at a time. */
  public String key(String campaign, String actionType, String customerId, Instant at) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    String material =
        campaign
            + '\u0000'
            + actionType
            + '\u0000'
            + customerId
            + '\u0000'
            + windowStart(at).getEpochSecond();
    byte[] digest = sha.digest(material.getBytes(StandardCharsets.UTF_8));
    return "ik-" + HexFormat.of().formatHex(digest, 0, 16);
  }
}
