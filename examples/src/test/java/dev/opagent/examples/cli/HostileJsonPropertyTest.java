package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and hostile JSON — valid records with one field replaced by something hostile (deep
 * nesting, numbers of a hundred thousand digits, huge strings, control characters, wrong types), a
 * field dropped or given twice, truncated or padded text, fragments and random text — fed to every
 * reader of untrusted JSON lines: {@link ActionRequest#fromJson}, the command line's customer
 * reader ({@link JsonLines#customers}) and its interaction reader ({@link InteractionLines#parse}).
 * Each input gives a result or the reader's typed error, well within a time bound: never a hang,
 * never another exception, and never a message carrying a value of the record (every string value
 * of the inputs carries the marker {@code PII}).
 */
class HostileJsonPropertyTest {
  private static final int TRIES = 2_000;

  /** jqwik's notes about edge cases go to java.util.logging; tests print only failures. */
  private static final Logger JQWIK = Quiet.jqwik();

  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final AtomicLong GENERATED = new AtomicLong();
  private static final AtomicLong READ = new AtomicLong();

  private static final Map<String, String> ACTION =
      fields(
          "idempotencyKey",
          "\"ik-PII-1\"",
          "runId",
          "\"run-PII\"",
          "customerId",
          "\"C-PII-1001\"",
          "campaign",
          "\"winback\"",
          "actionType",
          "\"send_email\"",
          "channel",
          "\"email\"",
          "parameters",
          "{\"template\":\"PII-template\",\"discount\":0.15}",
          "attachments",
          "[]",
          "variant",
          "\"treatment\"",
          "segment",
          "\"Riskli\"",
          "cost",
          "0.01",
          "plannedAt",
          "\"2026-03-15T09:00:00Z\"");
  private static final Map<String, String> CUSTOMER =
      fields(
          "customerId",
          "\"C-PII-1001\"",
          "city",
          "\"PII-Istanbul\"",
          "customer",
          "{\"customerId\":\"C-PII-1001\",\"age\":32,\"gender\":\"F\","
              + "\"registeredAt\":\"2024-03-15T00:00:00\",\"productHistory\":[{\"productId\":"
              + "\"P-2001\",\"category\":\"SKINCARE\",\"totalQuantity\":8,\"totalSpent\":479.20,"
              + "\"orderCount\":8,\"lastPurchase\":\"2026-01-20T00:00:00\",\"avgDaysBetween\":30}]}",
          "region",
          "{\"name\":\"Marmara\",\"climateType\":\"Temperate\",\"medianBasket\":75.0,"
              + "\"trend\":\"SKINCARE\"}",
          "currentSeason",
          "\"Winter\"");
  private static final Map<String, String> INTERACTION =
      fields(
          "type",
          "\"opened\"",
          "customerId",
          "\"C-PII-1001\"",
          "campaign",
          "\"winback\"",
          "at",
          "\"2026-03-15T10:00:00Z\"",
          "idempotencyKey",
          "\"ik-PII-1\"",
          "revenue",
          "249.90");

  @Property(tries = TRIES)
  void actionRequestFromJson_hostileJson_givesARequestOrATypedError(
      @ForAll("hostile") String json) {
    GENERATED.incrementAndGet();
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try {
            ActionRequest r = ActionRequest.fromJson(json);
            assertThat(r.idempotencyKey()).isNotBlank();
            READ.incrementAndGet();
          } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain("PII");
          }
        });
  }

  @Property(tries = TRIES)
  void customerLines_hostileJson_giveCustomerDataOrAnInvalidInputError(
      @ForAll("hostile") String json) {
    GENERATED.incrementAndGet();
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          Iterator<CustomerData> it =
              JsonLines.customers(
                  new BufferedReader(new StringReader(json.replace('\n', ' ') + "\n")));
          assertThat(it.hasNext()).isTrue();
          try {
            CustomerData data = it.next();
            assertThat(data.customerId()).isNotNull();
            READ.incrementAndGet();
          } catch (InvalidInputException e) {
            assertThat(e.getMessage()).doesNotContain("PII");
          }
        });
  }

  @Property(tries = TRIES)
  void interactionLines_hostileJson_giveAnInteractionOrALineError(@ForAll("hostile") String json) {
    GENERATED.incrementAndGet();
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try {
            assertThat(InteractionLines.parse(json, 7).customerId()).isNotBlank();
            READ.incrementAndGet();
          } catch (InteractionLines.LineException e) {
            assertThat(e.getMessage()).startsWith("line 7: ").doesNotContain("PII");
          }
        });
  }

  @AfterContainer
  static void everyTryRan() {
    // Three properties of TRIES inputs each; the count is asserted rather than printed.
    assertThat(GENERATED.get()).as("generated inputs").isEqualTo(3L * TRIES);
  }

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, mutated()),
        net.jqwik.api.Tuple.of(2, fragments()),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(300)),
        net.jqwik.api.Tuple.of(1, hostileValue()));
  }

  /** A valid record of one of the three kinds with one field mutated. */
  private Arbitrary<String> mutated() {
    Arbitrary<Map<String, String>> template = Arbitraries.of(ACTION, CUSTOMER, INTERACTION);
    return template.flatMap(
        t -> {
          List<String> names = new ArrayList<>(t.keySet());
          return Combinators.combine(
                  Arbitraries.of(names),
                  Arbitraries.integers().between(0, 6),
                  hostileValue(),
                  Arbitraries.integers().between(0, 10_000),
                  Arbitraries.of(true, false))
              .as(
                  (field, how, value, cut, wrap) -> {
                    Map<String, String> m = new LinkedHashMap<>(t);
                    String extra = "";
                    switch (how) {
                      case 0, 1, 2 -> m.put(field, value); // hostile value
                      case 3 -> m.remove(field); // field missing
                      case 4 -> extra = ",\"" + field + "\":" + value; // field given twice
                      case 5 -> m.put(value.length() < 200 ? value.replace("\"", "") : "k", "1");
                      default -> {}
                    }
                    String json = object(m, extra);
                    if (how == 6) { // truncated or padded
                      json =
                          cut % 2 == 0
                              ? json.substring(0, cut % (json.length() + 1))
                              : json + value;
                    }
                    return wrap && t == CUSTOMER ? "{\"customerData\":" + json + "}" : json;
                  });
        });
  }

  private static Arbitrary<String> hostileValue() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "null",
            "true",
            "0",
            "-0",
            "-1",
            "1e999999999",
            "-1e-999999999",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x10",
            "01",
            "1.",
            ".5",
            "[]",
            "{}",
            "\"\"",
            "\" \"",
            "\"PII\\u0000\"",
            "\"\\ud800PII\"",
            "\"PII\\\"\"",
            "\"\uFEFFPII\"",
            "\"2026-02-30T00:00:00Z\"",
            "\"+1000000000-01-01T00:00:00Z\"",
            "\"-999999999-01-01T00:00:00Z\"",
            "\"2026-03-15\"",
            "\"PII-not-a-date\"",
            "123456789012345678901234567890123456789",
            "[\"PII\",{\"PII\":[null]}]",
            "{\"$where\":\"PII\"}",
            "\"opened\"",
            "\"conversion\"",
            "-249.90",
            "9".repeat(1_000),
            "1" + "0".repeat(100_000),
            "\"PII" + "x".repeat(200_000) + "\""),
        Arbitraries.integers().between(1, 50_000).map(d -> "[".repeat(d) + "]".repeat(d)),
        Arbitraries.integers()
            .between(1, 50_000)
            .map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d)),
        Arbitraries.integers().between(1, 20_000).map(d -> "[".repeat(d)),
        Arbitraries.strings()
            .withChars("\"\\{}[],:0123456789.eE+-tfnul PII\u0000\u2028")
            .ofMaxLength(40)
            .map(s -> "\"PII" + s.replace("\"", "").replace("\\", "") + "\""));
  }

  private static Arbitrary<String> fragments() {
    return Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"customerId\"",
            "\"C-PII\"",
            "\"customerData\"",
            "\"plannedAt\"",
            "\"idempotencyKey\"",
            "\"type\"",
            "\"opened\"",
            "\"at\"",
            "1e999",
            "null",
            "\u0000",
            " ",
            "\"",
            "\\",
            "/*",
            "*/",
            "//",
            "'PII'")
        .list()
        .ofMaxSize(40)
        .map(l -> String.join("", l));
  }

  private static String object(Map<String, String> m, String extra) {
    StringBuilder sb = new StringBuilder("{");
    m.forEach(
        (k, v) ->
            sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return sb.append(extra).append('}').toString();
  }

  private static Map<String, String> fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
