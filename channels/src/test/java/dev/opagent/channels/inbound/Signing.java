package dev.opagent.channels.inbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Signs requests as the providers do, with keys made here. */
final class Signing {
  static final String SHOPIFY_SECRET = "shpss_test_secret_0123456789";
  static final String TWILIO_TOKEN = "twilio-auth-token-abcdef";

  private Signing() {}

  /** A new P-256 key pair, as SendGrid makes one per account. */
  static KeyPair sendGridKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The verification key as the SendGrid console shows it: base64 of the DER public key. */
  static String publicKey(KeyPair keys) {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  /** SendGrid's signature header of {@code body} signed at {@code timestamp}. */
  static String sendGridSignature(KeyPair keys, String timestamp, byte[] body) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(keys.getPrivate());
      s.update(timestamp.getBytes(StandardCharsets.UTF_8));
      s.update(body);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, List<String>> sendGridHeaders(KeyPair keys, long epochSecond, byte[] body) {
    String ts = Long.toString(epochSecond);
    return Map.of(
        SendGridSignature.SIGNATURE,
        List.of(sendGridSignature(keys, ts, body)),
        SendGridSignature.TIMESTAMP,
        List.of(ts),
        "Content-Type",
        List.of("application/json"));
  }

  static Map<String, List<String>> shopifyHeaders(String webhookId, String topic, byte[] body) {
    return Map.of(
        "x-shopify-hmac-sha256", // any case
        List.of(ShopifySignature.sign(SHOPIFY_SECRET, body)),
        "X-Shopify-Topic",
        List.of(topic),
        "X-Shopify-Webhook-Id",
        List.of(webhookId));
  }

  static Map<String, List<String>> twilioHeaders(String url, Map<String, String> params) {
    return Map.of(TwilioSignature.HEADER, List.of(TwilioSignature.sign(TWILIO_TOKEN, url, params)));
  }

  /** The form-encoded body of {@code params}. */
  static byte[] form(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (sb.length() > 0) {
            sb.append('&');
          }
          sb.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
