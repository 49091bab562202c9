package dev.opagent.agent.execution.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final String SECRET = "whsec_test_secret";
  private static final String BODY = "{\"idempotencyKey\":\"ik-1\"}";
  private static final Instant T = Instant.parse("2026-03-15T09:00:00Z");
  private static final Duration TOLERANCE = Duration.ofMinutes(5);

  /** Computed independently: printf '1773565200.<body>' | openssl dgst -sha256 -hmac SECRET. */
  private static final String OPENSSL_VECTOR =
      "t=1773565200,v1=053972c16c8f81ab893de39c9189796a8d6e04039a14a160bafdf494c3da7806";

  @Test
  void sign_knownSecretAndBody_matchesOpensslHmac() {
    assertThat(WebhookSignature.sign(SECRET, T, BODY)).isEqualTo(OPENSSL_VECTOR);
    assertThat(
            WebhookSignature.sign(
                SECRET.getBytes(StandardCharsets.UTF_8), T, BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OPENSSL_VECTOR);
  }

  @Test
  void verify_opensslVector_isValid() {
    assertThat(WebhookSignature.verify(SECRET, OPENSSL_VECTOR, BODY, T.plusSeconds(30), TOLERANCE))
        .isTrue();
  }

  @Test
  void verify_tamperedBody_isInvalid() {
    assertThat(
            WebhookSignature.verify(SECRET, OPENSSL_VECTOR, BODY.replace("1", "2"), T, TOLERANCE))
        .isFalse();
  }

  @Test
  void verify_otherSecret_isInvalid() {
    assertThat(WebhookSignature.verify("whsec_other", OPENSSL_VECTOR, BODY, T, TOLERANCE))
        .isFalse();
  }

  @Test
  void verify_outsideTolerance_isInvalidInBothDirections() {
    assertThat(WebhookSignature.verify(SECRET, OPENSSL_VECTOR, BODY, T.plusSeconds(301), TOLERANCE))
        .isFalse();
    assertThat(
            WebhookSignature.verify(SECRET, OPENSSL_VECTOR, BODY, T.minusSeconds(301), TOLERANCE))
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, OPENSSL_VECTOR, BODY, T.plusSeconds(300), TOLERANCE))
        .isTrue();
  }

  @Test
  void verify_timestampChangedInHeader_isInvalid() {
    String shifted = OPENSSL_VECTOR.replace("t=1773565200", "t=1773565201");
    assertThat(WebhookSignature.verify(SECRET, shifted, BODY, T, TOLERANCE)).isFalse();
  }

  @Test
  void verify_malformedHeaders_areInvalid() {
    String mac = OPENSSL_VECTOR.substring(OPENSSL_VECTOR.indexOf("v1="));
    for (String header :
        new String[] {
          "",
          "garbage",
          mac,
          "t=1773565200",
          "t=," + mac,
          "t=abc," + mac,
          "t=1773565200,t=1773565200," + mac,
          "t=1773565200,v1=zz",
          "t=1773565200,v1=",
          "t=-1773565200," + mac,
          "t=99999999999999999999," + mac
        }) {
      assertThat(WebhookSignature.verify(SECRET, header, BODY, T, TOLERANCE)).as(header).isFalse();
    }
    assertThat(WebhookSignature.verify(SECRET, null, BODY, T, TOLERANCE)).isFalse();
  }

  @Test
  void verify_severalV1ValuesDuringRotation_validWhenAnyMatches() {
    String rotated =
        "t=1773565200,v1="
            + "00".repeat(32)
            + ","
            + OPENSSL_VECTOR.substring(OPENSSL_VECTOR.indexOf("v1="))
            + ",v0=ignored";
    assertThat(WebhookSignature.verify(SECRET, rotated, BODY, T, TOLERANCE)).isTrue();
  }

  @Test
  void verify_upperCaseHexAndSpaces_isValid() {
    String header =
        "t=1773565200, v1="
            + OPENSSL_VECTOR.substring(OPENSSL_VECTOR.indexOf("v1=") + 3).toUpperCase();
    assertThat(WebhookSignature.verify(SECRET, header, BODY, T, TOLERANCE)).isTrue();
  }

  @Test
  void verify_emptySecretOrNegativeTolerance_isRejected() {
    assertThatThrownBy(() -> WebhookSignature.verify("", OPENSSL_VECTOR, BODY, T, TOLERANCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret must not be empty");
    assertThatThrownBy(
            () -> WebhookSignature.verify(SECRET, OPENSSL_VECTOR, BODY, T, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tolerance must not be negative");
  }

  @Property(tries = 200)
  void signThenVerify_anyBodyAndSecret_roundTrips(
      @ForAll String secret, @ForAll String body, @ForAll("seconds") long seconds) {
    if (secret.isEmpty()) {
      return;
    }
    Instant at = Instant.ofEpochSecond(seconds);
    String header = WebhookSignature.sign(secret, at, body);
    assertThat(WebhookSignature.verify(secret, header, body, at, Duration.ZERO)).isTrue();
    assertThat(WebhookSignature.verify(secret, header, body + " ", at, Duration.ZERO)).isFalse();
  }

  @Provide
  Arbitrary<Long> seconds() {
    return Arbitraries.longs().between(0, 4_000_000_000L);
  }

  @Property(tries = 300)
  void verify_arbitraryHeader_neverThrows(@ForAll String header) {
    assertThat(WebhookSignature.verify(SECRET, header, BODY, T, TOLERANCE)).isFalse();
  }
}
