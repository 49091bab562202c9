package dev.opagent.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.channels.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.channels.sendgrid.SendGridEmailChannel;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Secrets never show themselves; the HTTP support cleans provider text and maps I/O failures. */
@WireMockTest
class SharedSupportTest {
  static final String KEY = "SG.very-secret-key";

  @Test
  void secret_neverShowsItsValue() {
    Secret s = Secret.of(KEY);

    assertThat(s.toString()).isEqualTo("Secret[****]");
    assertThat(s.reveal()).isEqualTo(KEY);
    assertThatThrownBy(() -> Secret.of("  ")).hasMessage("a secret must not be blank");
  }

  @Test
  void secretProvider_fromEnvNamesTheVariableButNotTheValue() {
    SecretProvider p =
        SecretProvider.fromEnv("SENDGRID_API_KEY", Map.of("SENDGRID_API_KEY", KEY)::get);

    assertThat(p.secret().reveal()).isEqualTo(KEY);
    assertThat(p.describe()).isEqualTo("environment variable SENDGRID_API_KEY");
    assertThat(p.toString()).doesNotContain(KEY).contains("SENDGRID_API_KEY");
    assertThatThrownBy(() -> SecretProvider.fromEnv("NOT_SET_ANYWHERE", k -> null).secret())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("environment variable NOT_SET_ANYWHERE is not set");
  }

  @Test
  void secretProvider_fromSupplier_isAskedEveryTime() {
    AtomicReference<String> current = new AtomicReference<>("one");
    SecretProvider p = SecretProvider.from(current::get);

    assertThat(p.secret().reveal()).isEqualTo("one");
    current.set("two");
    assertThat(p.secret().reveal()).isEqualTo("two");
    current.set(null);
    assertThatThrownBy(p::secret).isInstanceOf(IllegalStateException.class);
    assertThat(p.toString()).doesNotContain("two");
  }

  @Test
  void clean_masksSecretsAddressesAndNumbersAndShortens() {
    String cleaned =
        ProviderHttp.clean(
            "key " + KEY + " for ada.l@example.co.uk and +1 (555) 867-5310\nnext line",
            Secret.of(KEY));

    assertThat(cleaned).isEqualTo("key **** for [email] and [number] next line");
    assertThat(ProviderHttp.clean("x".repeat(1000))).hasSize(ProviderHttp.MAX_PROVIDER_TEXT);
    assertThat(ProviderHttp.clean(null)).isEmpty();
    assertThat(ProviderHttp.clean("error 21211 at line 3")).isEqualTo("error 21211 at line 3");
  }

  SendGridEmailChannel channel(String baseUrl, Duration timeout) {
    return SendGridEmailChannel.builder()
        .apiKey(SecretProvider.of(Secret.of(KEY)))
        .from("offers@shop.example")
        .templateId("d-x")
        .baseUrl(baseUrl)
        .allowInsecureHttp()
        .requestTimeout(timeout)
        .build();
  }

  @Test
  void slowProvider_isARetryableTimeout(WireMockRuntimeInfo wm) {
    stubFor(post("/v3/mail/send").willReturn(aResponse().withStatus(202).withFixedDelay(2_000)));

    try (SendGridEmailChannel c = channel(wm.getHttpBaseUrl(), Duration.ofMillis(200))) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-1", "send_email", "email", "a@b.example")),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("no response from http://localhost:").contains("200 ms");
    }
  }

  @Test
  void refusedConnection_isRetryableNamingTheOriginOnly() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (SendGridEmailChannel c = channel("http://localhost:" + port, Duration.ofSeconds(2))) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-2", "send_email", "email", "a@b.example")),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage())
          .contains("http://localhost:" + port)
          .doesNotContain(KEY)
          .doesNotContain("a@b.example");
    }
  }

  @Test
  void closedChannel_refusesToDeliver(WireMockRuntimeInfo wm) {
    SendGridEmailChannel c = channel(wm.getHttpBaseUrl(), Duration.ofSeconds(2));
    c.close();
    c.close();

    assertThatThrownBy(() -> c.deliver(request("k-3", "send_email", "email", "a@b.example")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void baseUrl_mustBeHttpsWithoutCredentialsOrQuery() {
    assertThatThrownBy(
            () ->
                SendGridEmailChannel.builder()
                    .apiKey(SecretProvider.of(Secret.of(KEY)))
                    .from("offers@shop.example")
                    .templateId("d-x")
                    .baseUrl("https://user:pw@api.example.com")
                    .build())
        .hasMessageContaining("must not contain user information");
    assertThatThrownBy(
            () ->
                SendGridEmailChannel.builder()
                    .apiKey(SecretProvider.of(Secret.of(KEY)))
                    .from("offers@shop.example")
                    .templateId("d-x")
                    .baseUrl("ftp://api.example.com")
                    .build())
        .hasMessageContaining("must use https");
  }
}
