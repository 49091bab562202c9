package dev.opagent.channels.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The providers' signature schemes, exactly as documented, and what each refuses. */
class SignaturesTest {
  private static final byte[] BODY =
      "{\"id\":820982911946154508,\"email\":\"jon@example.com\"}".getBytes(StandardCharsets.UTF_8);

  // ---------------------------------------------------------------- Twilio

  /** The example of Twilio's security documentation: URL, parameters, auth token and signature. */
  private static Map<String, String> twilioExampleParams() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("CallSid", "CA1234567890ABCDE");
    p.put("Caller", "+12349013030");
    p.put("Digits", "1234");
    p.put("From", "+12349013030");
    p.put("To", "+18005551212");
    return p;
  }

  @Test
  void twilio_documentedExample_signsAndVerifies() {
    String url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    assertThat(TwilioSignature.sign("12345", url, twilioExampleParams()))
        .isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    assertThatCode(
            () ->
                TwilioSignature.verify(
                    "12345", url, twilioExampleParams(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="))
        .doesNotThrowAnyException();
  }

  @Test
  void twilio_parametersSortedByName_notByTheirOrder() {
    Map<String, String> reversed = new LinkedHashMap<>();
    twilioExampleParams().entrySet().stream()
        .sorted(Map.Entry.<String, String>comparingByKey().reversed())
        .forEach(e -> reversed.put(e.getKey(), e.getValue()));
    assertThat(
            TwilioSignature.sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", reversed))
        .isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  }

  @Test
  void twilio_tamperedParameterWrongTokenOtherUrlOrMissingHeader_refused() {
    String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    String sig = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
    Map<String, String> tampered = twilioExampleParams();
    tampered.put("Digits", "1235");

    assertUnauthorized(
        () -> TwilioSignature.verify("12345", url, tampered, sig), "X-Twilio-Signature");
    assertUnauthorized(
        () -> TwilioSignature.verify("54321", url, twilioExampleParams(), sig),
        "X-Twilio-Signature");
    assertUnauthorized(
        () ->
            TwilioSignature.verify(
                "12345", "https://mycompany.com/myapp.php?foo=1&bar=3", twilioExampleParams(), sig),
        "X-Twilio-Signature");
    assertUnauthorized(
        () -> TwilioSignature.verify("12345", url, twilioExampleParams(), null),
        "X-Twilio-Signature");
  }

  @Test
  void twilio_defaultPortAddedOrRemoved_stillVerifies() {
    String sig = TwilioSignature.sign("12345", "https://mycompany.com/myapp.php?foo=1", Map.of());
    assertThatCode(
            () ->
                TwilioSignature.verify(
                    "12345", "https://mycompany.com:443/myapp.php?foo=1", Map.of(), sig))
        .doesNotThrowAnyException();
    assertUnauthorized(
        () ->
            TwilioSignature.verify(
                "12345", "https://mycompany.com:8443/myapp.php?foo=1", Map.of(), sig),
        "X-Twilio-Signature");
  }

  // ---------------------------------------------------------------- Shopify

  @Test
  void shopify_base64HmacSha256OfTheRawBody() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec("hush".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = Base64.getEncoder().encodeToString(mac.doFinal(BODY));

    assertThat(ShopifySignature.sign("hush", BODY)).isEqualTo(expected);
    assertThatCode(() -> ShopifySignature.verify("hush", BODY, expected))
        .doesNotThrowAnyException();
  }

  @Test
  void shopify_tamperedBodyWrongSecretMissingOrGarbledHeader_refused() {
    String sig = ShopifySignature.sign("hush", BODY);
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 2] ^= 1;

    assertUnauthorized(
        () -> ShopifySignature.verify("hush", tampered, sig), "X-Shopify-Hmac-Sha256");
    assertUnauthorized(() -> ShopifySignature.verify("hust", BODY, sig), "X-Shopify-Hmac-Sha256");
    assertUnauthorized(() -> ShopifySignature.verify("hush", BODY, null), "X-Shopify-Hmac-Sha256");
    assertUnauthorized(() -> ShopifySignature.verify("hush", BODY, "%%%"), "X-Shopify-Hmac-Sha256");
    // a hex digest is not what Shopify sends
    assertUnauthorized(
        () ->
            ShopifySignature.verify(
                "hush", BODY, java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(sig))),
        "X-Shopify-Hmac-Sha256");
  }

  // ---------------------------------------------------------------- SendGrid

  private final KeyPair keys = Signing.sendGridKeys();
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-15T10:00:00Z"));

  @Test
  void sendGrid_signatureOfTimestampFollowedByBody_verifies() {
    String ts = Long.toString(clock.instant().getEpochSecond());
    String sig = Signing.sendGridSignature(keys, ts, BODY);
    SendGridSignature verifier = SendGridSignature.of(Signing.publicKey(keys), clock);

    assertThatCode(() -> verifier.verify(BODY, sig, ts)).doesNotThrowAnyException();
    // PEM armour around the key is accepted too
    String pem =
        "-----BEGIN PUBLIC KEY-----\n" + Signing.publicKey(keys) + "\n-----END PUBLIC KEY-----\n";
    assertThatCode(() -> SendGridSignature.of(pem, clock).verify(BODY, sig, ts))
        .doesNotThrowAnyException();
  }

  @Test
  void sendGrid_theBodyAloneOrAnotherTimestamp_isNotWhatIsSigned() {
    String ts = Long.toString(clock.instant().getEpochSecond());
    SendGridSignature verifier = SendGridSignature.of(Signing.publicKey(keys), clock);
    String bodyOnly = Signing.sendGridSignature(keys, "", BODY);
    String sig = Signing.sendGridSignature(keys, ts, BODY);

    assertUnauthorized(() -> verifier.verify(BODY, bodyOnly, ts), SendGridSignature.SIGNATURE);
    String otherTs = Long.toString(clock.instant().getEpochSecond() - 1);
    assertUnauthorized(() -> verifier.verify(BODY, sig, otherTs), SendGridSignature.SIGNATURE);
  }

  @Test
  void sendGrid_tamperedBodyOtherKeyMissingHeaders_refused() {
    String ts = Long.toString(clock.instant().getEpochSecond());
    String sig = Signing.sendGridSignature(keys, ts, BODY);
    SendGridSignature verifier = SendGridSignature.of(Signing.publicKey(keys), clock);
    SendGridSignature other =
        SendGridSignature.of(Signing.publicKey(Signing.sendGridKeys()), clock);
    byte[] tampered = BODY.clone();
    tampered[3] ^= 1;

    assertUnauthorized(() -> verifier.verify(tampered, sig, ts), SendGridSignature.SIGNATURE);
    assertUnauthorized(() -> other.verify(BODY, sig, ts), SendGridSignature.SIGNATURE);
    assertUnauthorized(() -> verifier.verify(BODY, null, ts), SendGridSignature.SIGNATURE);
    assertUnauthorized(() -> verifier.verify(BODY, sig, null), SendGridSignature.TIMESTAMP);
    assertUnauthorized(
        () -> verifier.verify(BODY, "bm90IGRlcg==", ts), SendGridSignature.SIGNATURE);
    assertUnauthorized(() -> verifier.verify(BODY, sig, "yesterday"), SendGridSignature.TIMESTAMP);
  }

  @Test
  void sendGrid_staleOrFutureTimestamp_refused_withinAConfigurableTolerance() {
    long signedAt = clock.instant().getEpochSecond();
    String ts = Long.toString(signedAt);
    String sig = Signing.sendGridSignature(keys, ts, BODY);
    SendGridSignature fiveMinutes = SendGridSignature.of(Signing.publicKey(keys), clock);
    SendGridSignature tenMinutes =
        SendGridSignature.of(Signing.publicKey(keys), clock, Duration.ofMinutes(10));

    clock.advance(Duration.ofMinutes(5));
    assertThatCode(() -> fiveMinutes.verify(BODY, sig, ts)).doesNotThrowAnyException();
    clock.advance(Duration.ofSeconds(1));
    assertUnauthorized(() -> fiveMinutes.verify(BODY, sig, ts), SendGridSignature.TIMESTAMP);
    assertThatCode(() -> tenMinutes.verify(BODY, sig, ts)).doesNotThrowAnyException();

    clock.set(Instant.ofEpochSecond(signedAt).minus(Duration.ofMinutes(6)));
    assertUnauthorized(() -> fiveMinutes.verify(BODY, sig, ts), SendGridSignature.TIMESTAMP);
  }

  @Test
  void sendGrid_keyThatIsNotAnEcP256PublicKey_refusedWithoutQuotingIt() throws Exception {
    java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    String rsaKey =
        Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());

    for (String bad : new String[] {"not-a-key-secretvalue", rsaKey}) {
      assertThatThrownBy(() -> SendGridSignature.of(bad, clock))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("verification key")
          .hasMessageNotContaining(bad.substring(0, 12));
    }
  }

  private static void assertUnauthorized(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String header) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            WebhookException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.field()).isEqualTo(header);
            });
  }
}
