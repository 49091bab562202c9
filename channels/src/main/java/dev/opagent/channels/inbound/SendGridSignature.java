package dev.opagent.channels.inbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Signed Event Webhook of SendGrid: {@value #SIGNATURE} is the base64 of an ECDSA (P-256,
 * SHA-256, DER) signature of the {@value #TIMESTAMP} header's text followed by the raw request
 * body, verified with the account's verification key (the base64 DER public key the SendGrid
 * console shows). A timestamp further than the tolerance from now, either way, is refused as a
 * replay. Immutable and thread-safe.
 */
public final class SendGridSignature {
  /** The header that carries the signature. */
  public static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";

  /** The header that carries the time of signing, in seconds since the epoch. */
  public static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";

  /** The default tolerance between the signing time and now. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final PublicKey key;
  private final Clock clock;
  private final Duration tolerance;

  private SendGridSignature(PublicKey key, Clock clock, Duration tolerance) {
    this.key = key;
    this.clock = clock;
    this.tolerance = tolerance;
  }

  /**
   * A verifier with the verification key {@code publicKey}: base64 of the DER public key, with or
   * without PEM armour.
   *
   * @throws IllegalArgumentException when it is not an EC P-256 public key (the message never holds
   *     the key)
   */
  public static SendGridSignature of(String publicKey, Clock clock, Duration tolerance) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new IllegalArgumentException("tolerance must be positive");
    }
    return new SendGridSignature(publicKey(publicKey), clock, tolerance);
  }

  /** A verifier with the default tolerance of five minutes. */
  public static SendGridSignature of(String publicKey, Clock clock) {
    return of(publicKey, clock, DEFAULT_TOLERANCE);
  }

  static PublicKey publicKey(String text) {
    String b64 =
        text.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    try {
      PublicKey k =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
      if (!(k instanceof ECPublicKey ec)
          || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("the SendGrid verification key must be an EC P-256 key");
      }
      return k;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the SendGrid verification key is not a base64 DER EC public key", null);
    }
  }

  /**
   * Checks the signature of {@code body}.
   *
   * @param signature the {@value #SIGNATURE} header; null when absent
   * @param timestamp the {@value #TIMESTAMP} header; null when absent
   * @throws WebhookException 401 when a header is absent, the timestamp is stale or the signature
   *     does not verify
   */
  public void verify(byte[] body, @Nullable String signature, @Nullable String timestamp) {
    Objects.requireNonNull(body, "body");
    if (signature == null || signature.isBlank()) {
      throw WebhookException.unauthorized(SIGNATURE, "is required");
    }
    if (timestamp == null || timestamp.isBlank()) {
      throw WebhookException.unauthorized(TIMESTAMP, "is required");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw WebhookException.unauthorized(TIMESTAMP, "must be seconds since the epoch");
    }
    Instant signed =
        Instant.ofEpochSecond(Math.max(-31_556_889_864L, Math.min(seconds, 31_556_889_864L)));
    Duration age = Duration.between(signed, clock.instant()).abs();
    if (age.compareTo(tolerance) > 0) {
      throw WebhookException.unauthorized(
          TIMESTAMP, "is more than " + tolerance + " from now: a stale or replayed request");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      throw WebhookException.unauthorized(SIGNATURE, "is not base64");
    }
    boolean ok;
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(timestamp.getBytes(StandardCharsets.UTF_8));
      s.update(body);
      ok = s.verify(der);
    } catch (SignatureException e) {
      ok = false; // not a DER signature
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA256withECDSA is not available", e);
    }
    if (!ok) {
      throw WebhookException.unauthorized(SIGNATURE, "does not verify with the key");
    }
  }
}
