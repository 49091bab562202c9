package dev.opagent.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.channels.sendgrid.SendGridEmailChannel;
import dev.opagent.channels.shopify.ShopifyDiscountChannel;
import dev.opagent.channels.twilio.TwilioSmsChannel;
import dev.opagent.testkit.MutableClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A process that dies after the provider accepted an action but before the journal recorded it, and
 * a new executor that resumes the run from the shared journal: Shopify's code is found taken (one
 * discount, a duplicate receipt); SendGrid and Twilio have no idempotency key and send a second
 * time, both copies carrying the same key for the receiver.
 */
@WireMockTest
class CrashBetweenSendAndCompletionTest {
  static final String RUN = "run-7";
  static final Duration LEASE = Duration.ofSeconds(30);

  final MutableClock clock = MutableClock.at(TestRequests.PLANNED_AT);
  final InMemoryExecutionJournal shared = new InMemoryExecutionJournal();

  ExecutionService executor(ExecutionJournal journal, ActionChannel channel, String owner) {
    return ExecutionService.builder()
        .journal(journal)
        .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
        .clock(clock)
        .owner(owner)
        .lease(LEASE)
        .heartbeat(Duration.ZERO)
        .maxAttempts(1)
        .build();
  }

  /**
   * Runs {@code request} in an executor whose journal loses the completion and is then shut down,
   * lets its lease run out, and resumes the run in a new executor with a new channel.
   */
  ExecutionReport crashThenResume(ActionRequest request, Supplier<ActionChannel> channels) {
    CrashOnceJournal crashing = new CrashOnceJournal(shared);
    shared.runState(RUN, RunState.PLANNING, clock.instant());
    try (ExecutionService first = executor(crashing, channels.get(), "process-1")) {
      first.enlist(List.of(request));
      shared.runState(RUN, RunState.PLANNED, clock.instant());
      assertThatThrownBy(() -> first.execute(RUN))
          .hasRootCauseMessage("simulated crash between send and completion");
    }
    assertThat(crashing.crashed()).isTrue();
    assertThat(shared.find(request.idempotencyKey()).orElseThrow().state())
        .isEqualTo(ExecutionState.EXECUTING);

    clock.advance(LEASE.plusSeconds(1));
    try (ExecutionService second = executor(shared, channels.get(), "process-2")) {
      return second.resume(RUN, Duration.ofSeconds(2));
    }
  }

  @Test
  void shopify_resumedAfterCrash_findsTheCodeTakenAndCompletesAsDuplicate(WireMockRuntimeInfo wm) {
    String path = "/admin/api/2025-07/graphql.json";
    ActionRequest request =
        TestRequests.request(
            "winback|create_discount|C-42|2026-03-15", "create_discount", "discount", 0.2);
    String code = ShopifyDiscountChannel.codeFor("OPA-", request.idempotencyKey());
    stubFor(
        post(path)
            .withRequestBody(matchingJsonPath("$.variables.basicCodeDiscount.code", equalTo(code)))
            .inScenario("discount")
            .whenScenarioStateIs(STARTED)
            .willReturn(
                okJson(
                    "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":{\"id\":"
                        + "\"gid://shopify/DiscountCodeNode/1\"},\"userErrors\":[]}}}"))
            .willSetStateTo("created"));
    stubFor(
        post(path)
            .withRequestBody(matchingJsonPath("$.variables.basicCodeDiscount.code", equalTo(code)))
            .inScenario("discount")
            .whenScenarioStateIs("created")
            .willReturn(
                okJson(
                    "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":null,"
                        + "\"userErrors\":[{\"field\":[\"basicCodeDiscount\",\"code\"],"
                        + "\"code\":\"TAKEN\",\"message\":"
                        + "\"Code must be unique. Please try a different code.\"}]}}}")));

    ExecutionReport report =
        crashThenResume(
            request,
            () ->
                ShopifyDiscountChannel.builder()
                    .shop("my-store")
                    .accessToken(SecretProvider.of(Secret.of("shpat_test")))
                    .baseUrl(wm.getHttpBaseUrl())
                    .allowInsecureHttp()
                    .build());

    assertThat(report.completed()).isEqualTo(1);
    assertThat(report.duplicates()).isEqualTo(1);
    assertThat(report.failed()).isZero();
    ExecutionRecord rec = shared.find(request.idempotencyKey()).orElseThrow();
    assertThat(rec.state()).isEqualTo(ExecutionState.COMPLETED);
    assertThat(rec.receipt()).isNotNull();
    assertThat(rec.receipt().duplicate()).isTrue();
    assertThat(rec.receipt().externalId()).isEqualTo(code);
    // Two calls, one code: the second only found the first one's discount.
    verify(2, postRequestedFor(urlEqualTo(path)));
    verify(
        2,
        postRequestedFor(urlEqualTo(path))
            .withRequestBody(
                matchingJsonPath("$.variables.basicCodeDiscount.code", equalTo(code))));
  }

  @Test
  void sendGrid_resumedAfterCrash_sendsTheEmailTwiceWithTheSameKey(WireMockRuntimeInfo wm) {
    ActionRequest request =
        TestRequests.request(
            "winback|send_email|C-42|2026-03-15", "send_email", "email", "ada@example.com");
    stubFor(
        post("/v3/mail/send")
            .willReturn(aResponse().withStatus(202).withHeader("X-Message-Id", "msg-1")));

    ExecutionReport report =
        crashThenResume(
            request,
            () ->
                SendGridEmailChannel.builder()
                    .apiKey(SecretProvider.of(Secret.of("SG.test")))
                    .from("offers@shop.example")
                    .templateId("d-template")
                    .baseUrl(wm.getHttpBaseUrl())
                    .allowInsecureHttp()
                    .build());

    // SendGrid cannot deduplicate: documented, the e-mail goes out twice.
    assertThat(report.completed()).isEqualTo(1);
    assertThat(report.duplicates()).isZero();
    assertThat(shared.find(request.idempotencyKey()).orElseThrow().state())
        .isEqualTo(ExecutionState.COMPLETED);
    verify(2, postRequestedFor(urlEqualTo("/v3/mail/send")));
    verify(
        2,
        postRequestedFor(urlEqualTo("/v3/mail/send"))
            .withRequestBody(
                matchingJsonPath("$.custom_args.opagent_key", equalTo(request.idempotencyKey()))));
  }

  @Test
  void twilio_resumedAfterCrash_sendsTheTextTwiceWithTheSameKey(WireMockRuntimeInfo wm) {
    String sid = "AC0123456789abcdef0123456789abcdef";
    String path = "/2010-04-01/Accounts/" + sid + "/Messages.json";
    ActionRequest request =
        TestRequests.request(
            "winback|send_sms|C-42|2026-03-15", "send_sms", "phone", "+15558675310", "text", "Hi");
    stubFor(
        post(path)
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withBody("{\"sid\":\"SM1234567890abcdef1234567890abcdef\"}")));

    ExecutionReport report =
        crashThenResume(
            request,
            () ->
                TwilioSmsChannel.builder()
                    .accountSid(sid)
                    .authToken(SecretProvider.of(Secret.of("token")))
                    .from("+15017122661")
                    .statusCallback("https://hooks.shop.example/twilio/status")
                    .baseUrl(wm.getHttpBaseUrl())
                    .allowInsecureHttp()
                    .build());

    // Twilio cannot deduplicate: documented, the text goes out twice.
    assertThat(report.completed()).isEqualTo(1);
    assertThat(report.duplicates()).isZero();
    assertThat(shared.find(request.idempotencyKey()).orElseThrow().state())
        .isEqualTo(ExecutionState.COMPLETED);
    String callback =
        URLEncoder.encode(
            "https://hooks.shop.example/twilio/status?opagent_key="
                + URLEncoder.encode(request.idempotencyKey(), StandardCharsets.UTF_8),
            StandardCharsets.UTF_8);
    verify(2, postRequestedFor(urlEqualTo(path)));
    verify(
        2,
        postRequestedFor(urlEqualTo(path))
            .withRequestBody(containing("StatusCallback=" + callback)));
  }
}
