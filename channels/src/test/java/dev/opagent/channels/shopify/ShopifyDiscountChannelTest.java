package dev.opagent.channels.shopify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.channels.Secret;
import dev.opagent.channels.SecretProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The channel against WireMock stubs of the Admin GraphQL API as Shopify documents it. */
@WireMockTest
class ShopifyDiscountChannelTest {
  static final String TOKEN = "shpat_0123456789abcdef0123456789abcdef";
  static final String PATH = "/admin/api/2025-07/graphql.json";

  private final List<Duration> slept = new CopyOnWriteArrayList<>();

  ShopifyDiscountChannel channel(WireMockRuntimeInfo wm) {
    return ShopifyDiscountChannel.builder()
        .shop("my-store")
        .accessToken(SecretProvider.of(Secret.of(TOKEN)))
        .baseUrl(wm.getHttpBaseUrl())
        .allowInsecureHttp()
        .sleeper(slept::add)
        .build();
  }

  static String created(String id, double available) {
    return "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":{\"id\":\""
        + id
        + "\"},\"userErrors\":[]}},\"extensions\":{\"cost\":{\"requestedQueryCost\":10,"
        + "\"actualQueryCost\":10,\"throttleStatus\":{\"maximumAvailable\":2000.0,"
        + "\"currentlyAvailable\":"
        + available
        + ",\"restoreRate\":100.0}}}}";
  }

  static final String TAKEN =
      "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":null,\"userErrors\":[{"
          + "\"field\":[\"basicCodeDiscount\",\"code\"],\"code\":\"TAKEN\","
          + "\"message\":\"Code must be unique. Please try a different code.\"}]}},"
          + "\"extensions\":{\"cost\":{\"requestedQueryCost\":10,\"actualQueryCost\":10,"
          + "\"throttleStatus\":{\"maximumAvailable\":2000.0,\"currentlyAvailable\":1990,"
          + "\"restoreRate\":100.0}}}}";

  @Test
  void deliver_percentDiscount_postsTheDocumentedMutationWithTokenAndExactInput(
      WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(okJson(created("gid://shopify/DiscountCodeNode/1", 1990))));
    ActionRequest r = request("k-1", "create_discount", "discount", 0.20, "expiry_days", 14);
    String code = ShopifyDiscountChannel.codeFor("OPA-", "k-1");

    try (ShopifyDiscountChannel c = channel(wm)) {
      DeliveryReceipt receipt = c.deliver(r);

      assertThat(receipt.duplicate()).isFalse();
      assertThat(receipt.externalId()).isEqualTo(code);
      assertThat(receipt.idempotencyKey()).isEqualTo("k-1");
      assertThat(receipt.channel()).isEqualTo("shopify");
      assertThat(receipt.detail()).isEqualTo("discount gid://shopify/DiscountCodeNode/1");
    }
    String expected =
        "{\"query\":\""
            + ShopifyDiscountChannel.MUTATION
            + "\",\"variables\":{\"basicCodeDiscount\":{"
            + "\"title\":\"opagent winback "
            + code
            + "\",\"code\":\""
            + code
            + "\",\"startsAt\":\"2026-03-15T09:00:00Z\",\"endsAt\":\"2026-03-29T09:00:00Z\","
            + "\"usageLimit\":1,\"appliesOncePerCustomer\":true,"
            + "\"customerSelection\":{\"all\":true},"
            + "\"customerGets\":{\"value\":{\"percentage\":0.2},\"items\":{\"all\":true}}}}}";
    verify(
        1,
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("X-Shopify-Access-Token", equalTo(TOKEN))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("Accept", equalTo("application/json"))
            .withHeader("User-Agent", equalTo("opagent-channels (java.net.http)"))
            .withRequestBody(equalToJson(expected, false, false)));
  }

  @Test
  void deliver_shopifyCustomerId_restrictsTheCodeToThatCustomer(WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(okJson(created("gid://shopify/DiscountCodeNode/2", 1990))));

    try (ShopifyDiscountChannel c = channel(wm)) {
      c.deliver(
          request("k-2", "create_discount", "discount_percent", 15, "shopify_customer_id", "77"));
      c.deliver(
          request(
              "k-3",
              "create_discount",
              "discount_amount",
              "10.50",
              "shopify_customer_id",
              "gid://shopify/Customer/88"));
    }

    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(
                matchingJsonPath(
                    "$.variables.basicCodeDiscount.customerSelection.customers.add[0]",
                    equalTo("gid://shopify/Customer/77")))
            .withRequestBody(
                matchingJsonPath(
                    "$.variables.basicCodeDiscount.customerGets.value.percentage",
                    equalTo("0.15"))));
    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(
                matchingJsonPath(
                    "$.variables.basicCodeDiscount.customerSelection.customers.add[0]",
                    equalTo("gid://shopify/Customer/88")))
            .withRequestBody(
                equalToJson(
                    "{\"variables\":{\"basicCodeDiscount\":{\"customerGets\":{\"value\":"
                        + "{\"discountAmount\":{\"amount\":\"10.50\",\"appliesOnEachItem\":false}}}}}}",
                    false,
                    true)));
  }

  @Test
  void deliver_codeAlreadyTaken_isADuplicateReceiptWithTheSameCode(WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(okJson(TAKEN)));

    try (ShopifyDiscountChannel c = channel(wm)) {
      DeliveryReceipt receipt = c.deliver(request("k-4", "create_discount", "discount", 0.1));

      assertThat(receipt.duplicate()).isTrue();
      assertThat(receipt.externalId()).isEqualTo(ShopifyDiscountChannel.codeFor("OPA-", "k-4"));
      assertThat(c.deduplicatesByKey()).isTrue();
    }
  }

  @Test
  void deliver_otherUserErrors_arePermanentWithShopifysMessages(WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                okJson(
                    "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":null,"
                        + "\"userErrors\":[{\"field\":[\"basicCodeDiscount\",\"startsAt\"],"
                        + "\"code\":\"INVALID\",\"message\":\"Starts at is invalid\"}]}}}")));

    try (ShopifyDiscountChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-5", "create_discount", "discount", 0.1)),
              ChannelException.class);

      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage())
          .contains("basicCodeDiscount.startsAt: Starts at is invalid (INVALID)")
          .doesNotContain(TOKEN);
    }
  }

  @Test
  void deliver_throttled_isRetryableAfterTheMissingCostOverTheRestoreRate(WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                okJson(
                    "{\"errors\":[{\"message\":\"Throttled\",\"extensions\":{\"code\":"
                        + "\"THROTTLED\",\"documentation\":"
                        + "\"https://shopify.dev/api/usage/rate-limits\"}}],"
                        + "\"extensions\":{\"cost\":{\"requestedQueryCost\":752,"
                        + "\"actualQueryCost\":null,\"throttleStatus\":{\"maximumAvailable\":"
                        + "1000.0,\"currentlyAvailable\":666,\"restoreRate\":50.0}}}}")));

    try (ShopifyDiscountChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-6", "create_discount", "discount", 0.1)),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      // (752 - 666) / 50 = 1.72 s
      assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1720));
    }
  }

  @Test
  void deliver_bucketLow_waitsPreemptivelyForTheRefill(WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(okJson(created("gid://shopify/DiscountCodeNode/9", 4))));

    try (ShopifyDiscountChannel c = channel(wm)) {
      c.deliver(request("k-7", "create_discount", "discount", 0.1));
      assertThat(slept).isEmpty();

      c.deliver(request("k-8", "create_discount", "discount", 0.1));
    }

    // 4 of 10 points left, 100 restored per second: 60 ms (less the time that passed).
    assertThat(slept).hasSize(1);
    assertThat(slept.get(0)).isPositive().isLessThanOrEqualTo(Duration.ofMillis(60));
    verify(2, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void deliver_bucketEmptyForLongerThanMaxWait_failsRetryablyWithoutCalling(
      WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                okJson(
                    "{\"data\":{\"discountCodeBasicCreate\":{\"codeDiscountNode\":{\"id\":"
                        + "\"gid://shopify/DiscountCodeNode/3\"},\"userErrors\":[]}},"
                        + "\"extensions\":{\"cost\":{\"requestedQueryCost\":10,"
                        + "\"actualQueryCost\":10,\"throttleStatus\":{\"maximumAvailable\":"
                        + "100.0,\"currentlyAvailable\":0,\"restoreRate\":0.5}}}}")));

    try (ShopifyDiscountChannel c = channel(wm)) {
      c.deliver(request("k-9", "create_discount", "discount", 0.1));
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-10", "create_discount", "discount", 0.1)),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      // 10 points at 0.5 a second: about 20 s, over the 10 s the channel waits by itself.
      assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
    }
    assertThat(slept).isEmpty();
    verify(1, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void deliver_http429_isRetryableAfterRetryAfter(WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "2")
                    .withBody("{\"errors\":\"Exceeded 2 calls per second for api client.\"}")));

    try (ShopifyDiscountChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-11", "create_discount", "discount", 0.1)),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
      assertThat(e.getMessage()).contains("HTTP 429").contains("Exceeded");
    }
  }

  @ParameterizedTest
  @CsvSource({"500", "502", "503"})
  void deliver_serverError_isRetryable(int status, WireMockRuntimeInfo wm) {
    stubFor(post(PATH).willReturn(aResponse().withStatus(status).withBody("oops")));

    try (ShopifyDiscountChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-12", "create_discount", "discount", 0.1)),
              ChannelException.class);

      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("HTTP " + status);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "401|[API] Invalid API key or access token (unrecognized login or wrong password)",
        "403|[API] This action requires merchant approval for write_discounts scope.",
        "404|Not Found"
      })
  void deliver_clientError_isPermanentWithShopifysMessageAndNoToken(
      int status, String message, WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"errors\":\"" + message + "\"}")));

    try (ShopifyDiscountChannel c = channel(wm)) {
      ChannelException e =
          catchThrowableOfType(
              () -> c.deliver(request("k-13", "create_discount", "discount", 0.1)),
              ChannelException.class);

      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("HTTP " + status).contains(message).doesNotContain(TOKEN);
      assertThat(c.toString()).doesNotContain(TOKEN).contains("my-store");
    }
  }

  @Test
  void deliver_graphQlErrorOtherThanThrottling_isPermanent(WireMockRuntimeInfo wm) {
    stubFor(
        post(PATH)
            .willReturn(
                okJson(
                    "{\"errors\":[{\"message\":\"Access denied for discountCodeBasicCreate"
                        + " field.\",\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}")));

    try (ShopifyDiscountChannel c = channel(wm)) {
      assertThatThrownBy(() -> c.deliver(request("k-14", "create_discount", "discount", 0.1)))
          .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("Access denied for discountCodeBasicCreate field.");
    }
  }

  @Test
  void deliver_noDiscountValue_isPermanentNamingTheParametersWithoutCalling(
      WireMockRuntimeInfo wm) {
    try (ShopifyDiscountChannel c = channel(wm)) {
      assertThatThrownBy(() -> c.deliver(request("k-15", "create_discount", "template", "x")))
          .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("'discount'")
          .hasMessageContaining("'discount_amount'");
      assertThatThrownBy(() -> c.deliver(request("k-16", "create_discount", "discount", 150.5)))
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("at most 100 percent");
    }
    verify(0, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void codeFor_aLibraryKey_encodesItWhole_andKeyOfFindsItBack() {
    String key = "ik-0123456789abcdef0123456789abcdef";
    String code = ShopifyDiscountChannel.codeFor("OPA-", key);

    assertThat(code)
        .startsWith("OPA-")
        .hasSize(4 + ShopifyDiscountChannel.KEY_CODE_CHARS)
        .matches("OPA-[A-Z2-7]+");
    assertThat(ShopifyDiscountChannel.keyOf("OPA-", code)).contains(key);
    assertThat(ShopifyDiscountChannel.keyOf("opa-", code.toLowerCase(java.util.Locale.ROOT)))
        .contains(key);
    // another prefix, a hashed key's code, a foreign code, a code one character off: not ours
    assertThat(ShopifyDiscountChannel.keyOf("WB-", code)).isEmpty();
    assertThat(ShopifyDiscountChannel.keyOf("OPA-", ShopifyDiscountChannel.codeFor("OPA-", "k-1")))
        .isEmpty();
    assertThat(ShopifyDiscountChannel.keyOf("OPA-", "SUMMER10")).isEmpty();
    String last = code.substring(code.length() - 1);
    assertThat(
            ShopifyDiscountChannel.keyOf(
                "OPA-", code.substring(0, code.length() - 1) + ("A".equals(last) ? "B" : "A")))
        .isNotEqualTo(java.util.Optional.of(key));
  }

  @Test
  void codeFor_isDeterministicUpperCaseBase32AndShort() {
    String a = ShopifyDiscountChannel.codeFor("OPA-", "campaign|send|C-1|2026-03-15");

    assertThat(a).isEqualTo(ShopifyDiscountChannel.codeFor("OPA-", "campaign|send|C-1|2026-03-15"));
    assertThat(a).matches("OPA-[A-Z2-7]{20}").hasSizeLessThanOrEqualTo(255);
    assertThat(ShopifyDiscountChannel.codeFor("OPA-", "other")).isNotEqualTo(a);
    // RFC 4648 test vector: SHA-256("") starts 0xe3b0c442..., base32 "4OYMIQU".
    assertThat(ShopifyDiscountChannel.codeFor("", "")).startsWith("4OYMIQU");
  }

  @Test
  void build_missingOptions_sayWhatToSet() {
    assertThatThrownBy(() -> ShopifyDiscountChannel.builder().build())
        .hasMessageContaining("shop is required");
    assertThatThrownBy(() -> ShopifyDiscountChannel.builder().shop("my-store").build())
        .hasMessageContaining("access token is required")
        .hasMessageContaining("accessToken(");
    assertThatThrownBy(
            () ->
                ShopifyDiscountChannel.builder()
                    .shop("my-store")
                    .accessToken(
                        SecretProvider.fromEnv(
                            "SHOPIFY_ACCESS_TOKEN", Map.<String, String>of()::get))
                    .build())
        .hasMessageContaining("environment variable SHOPIFY_ACCESS_TOKEN is not set");
    assertThatThrownBy(
            () ->
                ShopifyDiscountChannel.builder()
                    .shop("my-store")
                    .accessToken(SecretProvider.of(Secret.of(TOKEN)))
                    .baseUrl("http://localhost:1")
                    .build())
        .hasMessageContaining("must use https")
        .hasMessageContaining("allowInsecureHttp()");
    assertThatThrownBy(() -> ShopifyDiscountChannel.builder().shop("not a shop!"))
        .hasMessageContaining("shop must be");
  }

  @Test
  void build_shopDomain_isNormalisedToTheHandle() {
    try (ShopifyDiscountChannel c =
        ShopifyDiscountChannel.builder()
            .shop("https://My-Store.myshopify.com/")
            .accessToken(SecretProvider.of(Secret.of(TOKEN)))
            .build()) {
      assertThat(c.toString())
          .isEqualTo(
              "ShopifyDiscountChannel[name=shopify, shop=my-store, apiVersion=2025-07,"
                  + " endpoint=https://my-store.myshopify.com]");
    }
  }
}
