package dev.opagent.channels.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The channel against WireMock stubs of Twilio's Messages resource as Twilio documents it. */
@WireMockTest
class TwilioSmsChannelTest {
  static final String SID = "AC0123456789abcdef0123456789abcdef";
  static final String TOKEN = "f00dfacecafe0123456789abcdef0123";
  static final String PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
  static final String CREATED =
      "{\"account_sid\":\""
          + SID
          + "\",\"api_version\":\"2010-04-01\",\"body\":\"Hi\",\"direction\":\"outbound-api\","
          + "\"error_code\":null,\"error_message\":null,\"from\":\"+15017122661\","
          + "\"sid\":\"SM1234567890abcdef1234567890abcdef\",\"status\":\"queued\","
          + "\"to\":\"+15558675310\"}";

  TwilioSmsChannel.Builder builder(WireMockRuntimeInfo wm) {
    return TwilioSmsChannel.builder()
        .accountSid(SID)
        .authToken(SecretProvider.of(Secret.of(TOKEN)))
        .baseUrl(wm.getHttpBaseUrl())
        .allowInsecureHttp();
  }

  static String basic() {
    return "Basic "
        + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void deliver_created_postsTheDocumentedFormWithBasicAuthAndReturnsTheSid(WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(CREATED)));

    try (TwilioSmsChannel c =
        builder(wm)
            .from("+15017122661")
            .statusCallback("https://hooks.shop.example/twilio/status?src=opagent")
            .build()) {
      DeliveryReceipt r =
          c.deliver(request("k 1/é", "send_sms", "phone", "+15558675310", "text", "Hi & welcome!"));

      assertThat(r.duplicate()).isFalse();
      assertThat(r.externalId()).isEqualTo("SM1234567890abcdef1234567890abcdef");
      assertThat(r.channel()).isEqualTo("twilio");
      assertThat(c.deduplicatesByKey()).isFalse();
    }
    verify(
        1,
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("Authorization", equalTo(basic()))
            .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
            .withRequestBody(
                equalTo(
                    "To=%2B15558675310&From=%2B15017122661&Body=Hi+%26+welcome%21"
                        + "&StatusCallback=https%3A%2F%2Fhooks.shop.example%2Ftwilio%2Fstatus"
                        + "%3Fsrc%3Dopagent%26opagent_key%3Dk%2B1%252F%25C3%25A9")));
  }

  @Test
  void deliver_templateAndMessagingService_fillThePlaceholders(WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(aResponse().withStatus(201).withBody(CREATED)));

    try (TwilioSmsChannel c =
        builder(wm)
            .sender("MG9752274e9e519418a7406176694466fa")
            .template("cart_reminder", "{{first_name}}, {{ discount }} off: {{link}}")
            .recipientParameter("mobile")
            .build()) {
      c.deliver(
          request(
              "k-2",
              "send_sms",
              "mobile",
              "+15558675310",
              "template",
              "cart_reminder",
              "first_name",
              "Ada",
              "discount",
              "20%",
              "link",
              "https://s.example/c"));
    }
    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(
                equalTo(
                    "To=%2B15558675310&MessagingServiceSid=MG9752274e9e519418a7406176694466fa"
                        + "&Body=Ada%2C+20%25+off%3A+https%3A%2F%2Fs.example%2Fc")));
  }

  @Test
  void deliver_missingRecipientOrBody_isPermanentNamingWhatIsMissingWithoutCalling(
      WireMockRuntimeInfo wm) {
    try (TwilioSmsChannel c =
        builder(wm).from("+15017122661").template("t", "Hi {{first_name}}").build()) {
      assertThatThrownBy(() -> c.deliver(request("k-3", "send_sms", "text", "Hi")))
          .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("action parameter 'phone'");
      assertThatThrownBy(() -> c.deliver(request("k-4", "send_sms", "phone", "+15558675310")))
          .hasMessageContaining("'text'");
      assertThatThrownBy(
              () ->
                  c.deliver(
                      request("k-5", "send_sms", "phone", "+15558675310", "template", "other")))
          .hasMessageContaining("no SMS template 'other'");
      assertThatThrownBy(
              () -> c.deliver(request("k-6", "send_sms", "phone", "+15558675310", "template", "t")))
          .hasMessageContaining("needs the action parameter 'first_name'");
    }
    verify(0, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void deliver_tooManyRequests_isRetryable(WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "3")
                    .withBody(
                        "{\"code\":20429,\"message\":\"Too Many Requests\",\"more_info\":"
                            + "\"https://www.twilio.com/docs/errors/20429\",\"status\":429}")));

    try (TwilioSmsChannel c = builder(wm).from("+15017122661").build()) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-7", "send_sms", "phone", "+15558675310", "text", "x")),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
      assertThat(e.getMessage()).contains("Twilio error 20429: Too Many Requests");
    }
  }

  @ParameterizedTest
  @CsvSource({"500", "503"})
  void deliver_serverError_isRetryable(int status, WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(aResponse().withStatus(status)));

    try (TwilioSmsChannel c = builder(wm).from("+15017122661").build()) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-8", "send_sms", "phone", "+15558675310", "text", "x")),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "400|21211|The 'To' number +15558675310 is not a valid phone number.|The 'To' number"
            + " [number] is not a valid phone number.",
        "400|21610|Attempt to send to unsubscribed recipient|Attempt to send to unsubscribed"
            + " recipient",
        "401|20003|Authenticate|Authenticate",
        "404|20404|The requested resource /2010-04-01/Accounts/"
            + SID
            + "/Messages.json was not found|was not found"
      })
  void deliver_clientError_isPermanentWithTwiliosCodeAndMessageAndNoSecretOrNumber(
      int status, int code, String message, String expected, WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\":"
                            + code
                            + ",\"message\":\""
                            + message
                            + " "
                            + TOKEN
                            + "\",\"more_info\":\"https://www.twilio.com/docs/errors/"
                            + code
                            + "\",\"status\":"
                            + status
                            + "}")));

    try (TwilioSmsChannel c = builder(wm).from("+15017122661").build()) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-9", "send_sms", "phone", "+15558675310", "text", "x")),
              ChannelException.class);

      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage())
          .contains("HTTP " + status)
          .contains("Twilio error " + code + ": ")
          .contains(expected)
          .doesNotContain(TOKEN)
          .doesNotContain("+15558675310");
      assertThat(c.toString()).doesNotContain(TOKEN).doesNotContain("+1501");
    }
  }

  @Test
  void callbackFor_addsTheKeyToTheQuery() {
    assertThat(TwilioSmsChannel.callbackFor(URI.create("https://h.example/s"), "a&b"))
        .isEqualTo("https://h.example/s?opagent_key=a%26b");
    assertThat(TwilioSmsChannel.callbackFor(URI.create("https://h.example/s?x=1"), "k"))
        .isEqualTo("https://h.example/s?x=1&opagent_key=k");
  }

  @Test
  void build_missingOptions_sayWhatToSet(WireMockRuntimeInfo wm) {
    assertThatThrownBy(() -> TwilioSmsChannel.builder().build())
        .hasMessageContaining("accountSid is required");
    assertThatThrownBy(() -> TwilioSmsChannel.builder().accountSid(SID).build())
        .hasMessageContaining("Twilio auth token is required");
    assertThatThrownBy(
            () ->
                TwilioSmsChannel.builder()
                    .accountSid(SID)
                    .authToken(
                        SecretProvider.fromEnv("TWILIO_AUTH_TOKEN", Map.<String, String>of()::get))
                    .build())
        .hasMessageContaining("environment variable TWILIO_AUTH_TOKEN is not set");
    assertThatThrownBy(() -> builder(wm).build()).hasMessageContaining("a sender is required");
    assertThatThrownBy(() -> TwilioSmsChannel.builder().accountSid("nope"))
        .hasMessageContaining("accountSid must be AC");
    assertThatThrownBy(() -> TwilioSmsChannel.builder().statusCallback("ftp://x.example/"))
        .hasMessageContaining("statusCallback must be");
    verify(0, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", containing("Basic")));
  }
}
