package dev.opagent.agent.execution.channels;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signs and verifies the {@value #HEADER} header that {@link WebhookChannel} sends, for the
 * receiving side of a webhook. Stateless and thread-safe.
 *
 * <p>The header is {@code t=<unix seconds>,v1=<hex>} where {@code <hex>} is the lower-case
 * hexadecimal HMAC-SHA256, keyed with the shared secret, of the bytes {@code "<t>." } followed by
 * the raw request body. A receiver verifies it over the body bytes exactly as received (before
 * parsing the JSON) and rejects timestamps outside a tolerance, which stops replays of old
 * requests:
 *
 * <pre>{@code
 * boolean ok = WebhookSignature.verify(secret, exchange.getRequestHeaders()
 *         .getFirst(WebhookSignature.HEADER), body, Instant.now(), Duration.ofMinutes(5));
 * if (!ok) {
 *   respond(401);
 * }
 * }</pre>
 *
 * <p>A header may carry several {@code v1} values (while a secret is being rotated); it verifies
 * when any of them matches. Unknown parts are ignored.
 */
public final class WebhookSignature {
  /** The name of the signature header: {@value}. */
  public static final String HEADER = "X-Opagent-Signature";

  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private WebhookSignature() {}

  /**
   * The header value signing {@code body} at time {@code at} with {@code secret}.
   *
   * @throws IllegalArgumentException when the secret is empty
   */
  public static String sign(byte[] secret, Instant at, byte[] body) {
    Objects.requireNonNull(at, "at");
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + HEX.formatHex(mac(secret, t, body));
  }

  /**
   * The header value signing {@code body} (as UTF-8) at time {@code at} with {@code secret} (as
   * UTF-8).
   *
   * @throws IllegalArgumentException when the secret is empty
   */
  public static String sign(String secret, Instant at, String body) {
    return sign(utf8(secret, "secret"), at, utf8(body, "body"));
  }

  /**
   * Whether {@code headerValue} is a valid signature of {@code body} with {@code secret}, made no
   * more than {@code tolerance} before or after {@code now}. Compares in constant time. A missing,
   * malformed or expired header is simply not valid.
   *
   * @param secret the shared secret
   * @param headerValue the value of the {@value #HEADER} header, or null when it was absent
   * @param body the request body exactly as received
   * @param now the receiver's current time
   * @param tolerance how far the signature's time may be from {@code now}, in either direction;
   *     five minutes is usual
   * @throws IllegalArgumentException when the secret is empty or the tolerance negative
   */
  public static boolean verify(
      byte[] secret, @Nullable String headerValue, byte[] body, Instant now, Duration tolerance) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative but was " + tolerance);
    }
    requireSecret(secret);
    if (headerValue == null) {
      return false;
    }
    Long t = null;
    List<String> candidates = new ArrayList<>();
    for (String part : headerValue.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return false;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.equals("t")) {
        if (t != null || value.isEmpty() || value.length() > 18 || !digits(value)) {
          return false;
        }
        t = Long.parseLong(value);
      } else if (key.equals("v1")) {
        candidates.add(value);
      }
    }
    if (t == null || candidates.isEmpty()) {
      return false;
    }
    long skew = Math.abs(now.getEpochSecond() - t);
    if (skew > tolerance.getSeconds()) {
      return false;
    }
    byte[] expected = mac(secret, t, body);
    boolean ok = false;
    for (String candidate : candidates) {
      byte[] given;
      try {
        given = HEX.parseHex(candidate.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException notHex) {
        continue;
      }
      ok |= MessageDigest.isEqual(expected, given);
    }
    return ok;
  }

  /**
   * Whether {@code headerValue} is a valid signature of {@code body} (as UTF-8) with {@code secret}
   * (as UTF-8); see {@link #verify(byte[], String, byte[], Instant, Duration)}.
   */
  public static boolean verify(
      String secret, @Nullable String headerValue, String body, Instant now, Duration tolerance) {
    return verify(utf8(secret, "secret"), headerValue, utf8(body, "body"), now, tolerance);
  }

  /**
   * Whether {@code headerValue} is a valid signature of the raw {@code body} with {@code secret}
   * (as UTF-8), the usual case of a secret read from configuration; see {@link #verify(byte[],
   * String, byte[], Instant, Duration)}.
   */
  public static boolean verify(
      String secret, @Nullable String headerValue, byte[] body, Instant now, Duration tolerance) {
    return verify(utf8(secret, "secret"), headerValue, body, now, tolerance);
  }

  static byte[] mac(byte[] secret, long t, byte[] body) {
    requireSecret(secret);
    Objects.requireNonNull(body, "body");
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  private static void requireSecret(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException("secret must not be empty");
    }
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static byte[] utf8(String s, String what) {
    return Objects.requireNonNull(s, what).getBytes(StandardCharsets.UTF_8);
  }
}
