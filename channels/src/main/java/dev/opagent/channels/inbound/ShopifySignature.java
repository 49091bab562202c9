package dev.opagent.channels.inbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Shopify's webhook signature: the {@value #HEADER} header is the base64 of the HMAC-SHA256 of the
 * raw request body, keyed with the app's client secret. Compared in constant time. Stateless.
 */
public final class ShopifySignature {
  /** The header that carries the signature. */
  public static final String HEADER = "X-Shopify-Hmac-Sha256";

  private ShopifySignature() {}

  /** The signature Shopify sends for {@code body}: base64(HMAC-SHA256(secret, body)). */
  public static String sign(String secret, byte[] body) {
    return Base64.getEncoder().encodeToString(hmac(secret, body));
  }

  /**
   * Checks the signature of {@code body}.
   *
   * @param signature the {@value #HEADER} header; null when absent
   * @throws WebhookException 401 when the header is absent or does not match
   */
  public static void verify(String secret, byte[] body, @Nullable String signature) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(body, "body");
    if (signature == null || signature.isBlank()) {
      throw WebhookException.unauthorized(HEADER, "is required");
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      throw WebhookException.unauthorized(HEADER, "is not base64");
    }
    if (!MessageDigest.isEqual(hmac(secret, body), given)) {
      throw WebhookException.unauthorized(HEADER, "does not match the body");
    }
  }

  private static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
