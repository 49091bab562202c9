package dev.opagent.channels.sendgrid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.opagent.channels.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.channels.Secret;
import dev.opagent.channels.SecretProvider;
import dev.opagent.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The channel against WireMock stubs of SendGrid's v3 Mail Send as SendGrid documents it. */
@WireMockTest
class SendGridEmailChannelTest {
  static final String KEY = "SG.abcdefghijklmnop.qrstuvwxyz0123456789ABCDEFGHIJ";
  static final String PATH = "/v3/mail/send";
  static final MutableClock CLOCK = MutableClock.at("2026-03-15T09:00:00Z");

  SendGridEmailChannel channel(WireMockRuntimeInfo wm) {
    return SendGridEmailChannel.builder()
        .apiKey(SecretProvider.of(Secret.of(KEY)))
        .from("offers@shop.example", "Example Shop")
        .templateId("d-default0000000000000000000000000")
        .template("winback_offer", "d-winback000000000000000000000000")
        .baseUrl(wm.getHttpBaseUrl())
        .allowInsecureHttp()
        .clock(CLOCK)
        .build();
  }

  @Test
  void deliver_accepted_postsTheDocumentedBodyWithBearerKeyAndReturnsTheMessageId(
      WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(aResponse().withStatus(202).withHeader("X-Message-Id", "msg-1")));

    try (SendGridEmailChannel c = channel(wm)) {
      DeliveryReceipt r =
          c.deliver(
              request(
                  "k-1",
                  "send_email",
                  "template",
                  "winback_offer",
                  "email",
                  "ada@example.com",
                  "first_name",
                  "Ada",
                  "discount",
                  0.2));

      assertThat(r.duplicate()).isFalse();
      assertThat(r.externalId()).isEqualTo("msg-1");
      assertThat(r.channel()).isEqualTo("sendgrid");
      assertThat(c.deduplicatesByKey()).isFalse();
    }
    verify(
        1,
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("Authorization", equalTo("Bearer " + KEY))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    "{\"personalizations\":[{\"to\":[{\"email\":\"ada@example.com\"}],"
                        + "\"dynamic_template_data\":{\"first_name\":\"Ada\",\"discount\":0.2}}],"
                        + "\"from\":{\"email\":\"offers@shop.example\",\"name\":\"Example Shop\"},"
                        + "\"template_id\":\"d-winback000000000000000000000000\","
                        + "\"custom_args\":{\"opagent_key\":\"k-1\",\"opagent_run\":\"run-7\","
                        + "\"opagent_campaign\":\"winback\"}}",
                    false,
                    false)));
  }

  @Test
  void deliver_templateChoice_explicitIdThenMappedNameThenDefault(WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(aResponse().withStatus(202)));

    try (SendGridEmailChannel c = channel(wm)) {
      DeliveryReceipt r =
          c.deliver(
              request("k-2", "send_email", "template_id", "d-explicit", "email", "a@b.example"));
      c.deliver(request("k-3", "send_email", "template", "unmapped", "email", "a@b.example"));
      c.deliver(request("k-4", "send_email", "template", "d-direct", "email", "a@b.example"));

      assertThat(r.externalId()).isEqualTo("sendgrid-202");
    }
    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(matchingJsonPath("$.template_id", equalTo("d-explicit"))));
    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(
                matchingJsonPath("$.template_id", equalTo("d-default0000000000000000000000000"))));
    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(matchingJsonPath("$.template_id", equalTo("d-direct"))));
  }

  @Test
  void deliver_noAddress_isPermanentNamingTheParameterWithoutCalling(WireMockRuntimeInfo wm) {
    try (SendGridEmailChannel c = channel(wm)) {
      assertThatThrownBy(() -> c.deliver(request("k-5", "send_email", "template", "x")))
          .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("action parameter 'email'");
      assertThatThrownBy(() -> c.deliver(request("k-6", "send_email", "email", "not-an-address")))
          .hasMessageContaining("is not an e-mail address")
          .hasMessageNotContaining("not-an-address");
    }
    verify(0, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void deliver_rateLimited_isRetryableUntilTheReset(WireMockRuntimeInfo wm) {
    long reset = CLOCK.instant().getEpochSecond() + 42;
    stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("X-RateLimit-Limit", "150")
                    .withHeader("X-RateLimit-Remaining", "0")
                    .withHeader("X-RateLimit-Reset", Long.toString(reset))
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}")));

    try (SendGridEmailChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-7", "send_email", "email", "a@b.example")),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(42));
      assertThat(e.getMessage()).contains("HTTP 429").contains("too many requests");
    }
  }

  @ParameterizedTest
  @CsvSource({"500", "503"})
  void deliver_serverError_isRetryable(int status, WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(aResponse().withStatus(status)));

    try (SendGridEmailChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-8", "send_email", "email", "a@b.example")),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isNull();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "400|personalizations.0.to.0.email|Does not contain a valid address.",
        "401||The provided authorization grant is invalid, expired, or revoked",
        "403||access forbidden",
        "413||payload too large"
      })
  void deliver_clientError_isPermanentWithSendGridsMessagesAndNoKeyOrAddress(
      int status, String field, String message, WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"field\":"
                            + (field == null ? "null" : "\"" + field + "\"")
                            + ",\"message\":\""
                            + message
                            + " (ada@example.com, key "
                            + KEY
                            + ")\",\"help\":null}]}")));

    try (SendGridEmailChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-9", "send_email", "email", "ada@example.com")),
              ChannelException.class);

      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage())
          .contains("HTTP " + status)
          .contains(message)
          .contains("[email]")
          .doesNotContain(KEY)
          .doesNotContain("ada@example.com");
      if (field != null) {
        assertThat(e.getMessage()).contains(field + ": ");
      }
      assertThat(c.toString()).doesNotContain(KEY);
    }
  }

  @Test
  void deliver_sandboxMode_setsTheMailSetting(WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(aResponse().withStatus(200)));

    try (SendGridEmailChannel c =
        SendGridEmailChannel.builder()
            .apiKey(SecretProvider.from(() -> KEY))
            .from("offers@shop.example")
            .templateId("d-x")
            .sandboxMode(true)
            .recipientParameter("address")
            .baseUrl(wm.getHttpBaseUrl())
            .allowInsecureHttp()
            .build()) {
      c.deliver(request("k-10", "send_email", "address", "a@b.example"));
    }
    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(
                equalToJson(
                    "{\"from\":{\"email\":\"offers@shop.example\"},"
                        + "\"personalizations\":[{\"to\":[{\"email\":\"a@b.example\"}],"
                        + "\"dynamic_template_data\":{}}],"
                        + "\"mail_settings\":{\"sandbox_mode\":{\"enable\":true}}}",
                    false,
                    true)));
  }

  @Test
  void build_missingOptions_sayWhatToSet() {
    assertThatThrownBy(() -> SendGridEmailChannel.builder().build())
        .hasMessageContaining("SendGrid API key is required")
        .hasMessageContaining("apiKey(");
    assertThatThrownBy(
            () ->
                SendGridEmailChannel.builder()
                    .apiKey(
                        SecretProvider.fromEnv("SENDGRID_API_KEY", Map.<String, String>of()::get))
                    .build())
        .hasMessageContaining("environment variable SENDGRID_API_KEY is not set");
    assertThatThrownBy(
            () -> SendGridEmailChannel.builder().apiKey(SecretProvider.from(() -> KEY)).build())
        .hasMessageContaining("sender is required");
    assertThatThrownBy(
            () ->
                SendGridEmailChannel.builder()
                    .apiKey(SecretProvider.from(() -> KEY))
                    .from("a@b.example")
                    .build())
        .hasMessageContaining("template is required");
    assertThatThrownBy(() -> SendGridEmailChannel.builder().from("nobody"))
        .hasMessageContaining("from must be an e-mail address");
  }
}
