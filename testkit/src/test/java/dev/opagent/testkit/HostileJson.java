package dev.opagent.testkit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random and hostile JSON text for property tests of every reader: random structure, wrong types,
 * numbers with huge exponents or many digits, NaN and Infinity tokens, long strings, deep nesting,
 * duplicate keys, unicode (lone surrogates included), and truncated documents.
 */
final class HostileJson {
  /** Member names the readers look for, so random objects reach their code paths. */
  private static final List<String> NAMES =
      List.of(
          "customerId",
          "customer",
          "productHistory",
          "productId",
          "category",
          "totalQuantity",
          "totalSpent",
          "orderCount",
          "lastPurchase",
          "avgDaysBetween",
          "registeredAt",
          "age",
          "region",
          "medianBasket",
          "trend",
          "currentSeason",
          "customerData",
          "analysis",
          "ageSegment",
          "churnSegment",
          "valueSegment",
          "loyaltyTier",
          "affinityType",
          "diversityProfile",
          "missingRegulars",
          "expectedEveryDays",
          "daysSinceLastPurchase",
          "daysOverdue",
          "result",
          "output",
          "response",
          "message",
          "content",
          "text",
          "delta",
          "data");

  private HostileJson() {}

  /** A number token, often hostile: huge or tiny exponents, many digits, non-numeric tokens. */
  static Arbitrary<String> number() {
    Arbitrary<String> exponent =
        Combinators.combine(
                Arbitraries.of("1", "-1", "0", "9.99", "1.5", "-0.0001", "123456789"),
                Arbitraries.of("e", "E", "e+", "e-", "E-"),
                Arbitraries.oneOf(
                    Arbitraries.longs().between(0, 20),
                    Arbitraries.longs().between(300, 400),
                    Arbitraries.longs().between(9_000, 11_000),
                    Arbitraries.longs().between(1_000_000, 100_000_000),
                    Arbitraries.longs().between(2_147_483_000L, 2_147_483_700L),
                    Arbitraries.longs().between(1, Long.MAX_VALUE)))
            .as((m, e, x) -> m + e + x);
    Arbitrary<String> digits = Arbitraries.integers().between(1, 3_000).map(n -> "9".repeat(n));
    Arbitrary<String> plain =
        Arbitraries.oneOf(
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.bigDecimals().ofScale(3).map(d -> d.toPlainString()),
            Arbitraries.of("0", "-0", "30", "75.0", "479.20", "1000000000000", "1000000000000.5"));
    Arbitrary<String> tokens =
        Arbitraries.of(
            "NaN", "Infinity", "-Infinity", "+1", ".5", "01", "1.", "1e", "-", "0x1F", "1_000");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, exponent), net.jqwik.api.Tuple.of(2, digits),
        net.jqwik.api.Tuple.of(4, plain), net.jqwik.api.Tuple.of(2, tokens));
  }

  /** A string token: unicode, long, date-like or JSON inside a string. */
  static Arbitrary<String> string() {
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> longOne =
        Arbitraries.integers().between(1_000, 200_000).map(n -> "x".repeat(n));
    Arbitrary<String> dates =
        Arbitraries.of(
            "2026-01-15T00:00:00",
            "2026-01-15",
            "-999999999-01-01T00:00:00",
            "+999999999-12-31T23:59:59",
            "2026-02-30T00:00:00",
            "0000-01-01T00:00:00Z",
            "2026-01-15T00:00:00+18:00",
            "1e50000000");
    Arbitrary<String> labels =
        Arbitraries.of(
            "25-34",
            "Aktif",
            "Riskli",
            "Platin",
            "Kaşif",
            "HighValue",
            "TrendFollower",
            "Winter",
            "C-1",
            "P-1",
            "SKINCARE",
            "");
    Arbitrary<String> raw =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, any),
            net.jqwik.api.Tuple.of(1, longOne),
            net.jqwik.api.Tuple.of(3, dates),
            net.jqwik.api.Tuple.of(3, labels));
    return raw.map(HostileJson::quote);
  }

  /** Deeply nested arrays or objects, up to well past the readers' depth limit. */
  static Arbitrary<String> deep() {
    return Combinators.combine(
            Arbitraries.integers().between(50, 5_000), Arbitraries.of(true, false))
        .as(
            (n, arrays) ->
                arrays ? "[".repeat(n) + "]".repeat(n) : "{\"a\":".repeat(n) + "1" + "}".repeat(n));
  }

  /** Any JSON value, nested at most {@code depth} levels, with hostile leaves. */
  static Arbitrary<String> value(int depth) {
    Arbitrary<String> leaf =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, number()),
            net.jqwik.api.Tuple.of(5, string()),
            net.jqwik.api.Tuple.of(2, Arbitraries.of("true", "false", "null")),
            net.jqwik.api.Tuple.of(1, deep()));
    if (depth <= 0) {
      return leaf;
    }
    Arbitrary<String> member =
        Combinators.combine(
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(4, Arbitraries.of(NAMES)),
                    net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(10))),
                Arbitraries.lazy(() -> value(depth - 1)))
            .as((k, v) -> quote(k) + ":" + v);
    Arbitrary<String> object =
        member.list().ofMaxSize(6).map(ms -> "{" + String.join(",", ms) + "}");
    Arbitrary<String> array =
        Arbitraries.lazy(() -> value(depth - 1))
            .list()
            .ofMaxSize(4)
            .map(vs -> "[" + String.join(",", vs) + "]");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf),
        net.jqwik.api.Tuple.of(3, object),
        net.jqwik.api.Tuple.of(1, array));
  }

  /** A slot of a realistic document: usually a plausible value, sometimes anything at all. */
  private static Arbitrary<String> slot(String plausible) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(plausible)),
        net.jqwik.api.Tuple.of(2, value(1)));
  }

  /** Customer data shaped like the real thing with hostile values in random places. */
  static Arbitrary<String> customerData() {
    Arbitrary<String> product =
        Combinators.combine(
                slot("\"P-1\""),
                slot("\"SKINCARE\""),
                slot("3"),
                slot("479.20"),
                slot("5"),
                slot("\"2026-01-20T00:00:00\""),
                slot("30"),
                slot("{\"note\":\"x\"}"))
            .as(
                (id, cat, qty, spent, orders, last, avg, extra) ->
                    "{\"productId\":"
                        + id
                        + ",\"category\":"
                        + cat
                        + ",\"totalQuantity\":"
                        + qty
                        + ",\"totalSpent\":"
                        + spent
                        + ",\"orderCount\":"
                        + orders
                        + ",\"lastPurchase\":"
                        + last
                        + ",\"avgDaysBetween\":"
                        + avg
                        + ",\"extra\":"
                        + extra
                        + "}");
    Arbitrary<String> history =
        product.list().ofMaxSize(3).map(ps -> "[" + String.join(",", ps) + "]");
    Arbitrary<String> doc =
        Combinators.combine(
                slot("\"C-1\""),
                slot("32"),
                slot("\"2024-03-15T00:00:00\""),
                history,
                slot("75.0"),
                slot("\"Winter\""),
                slot("\"SKINCARE\""),
                Arbitraries.of("", ",\"customerId\":\"C-2\"", ",\"age\":1e9"))
            .as(
                (id, age, reg, hist, basket, season, trend, duplicate) ->
                    "{\"customerId\":"
                        + id
                        + ",\"customer\":{\"customerId\":"
                        + id
                        + ",\"age\":"
                        + age
                        + ",\"registeredAt\":"
                        + reg
                        + ",\"productHistory\":"
                        + hist
                        + duplicate
                        + "},\"region\":{\"medianBasket\":"
                        + basket
                        + ",\"trend\":"
                        + trend
                        + "},\"currentSeason\":"
                        + season
                        + "}");
    return finish(doc);
  }

  /** An agent's analysis answer with hostile values in random places. */
  static Arbitrary<String> analysis() {
    Arbitrary<String> regular =
        Combinators.combine(
                slot("\"P-1\""),
                slot("30"),
                slot("61"),
                slot("31"),
                slot("\"2026-01-13T00:00:00\""))
            .as(
                (id, every, since, overdue, last) ->
                    "{\"productId\":"
                        + id
                        + ",\"expectedEveryDays\":"
                        + every
                        + ",\"daysSinceLastPurchase\":"
                        + since
                        + ",\"daysOverdue\":"
                        + overdue
                        + ",\"lastPurchase\":"
                        + last
                        + "}");
    Arbitrary<String> inner =
        Combinators.combine(
                slot("\"25-34\""),
                slot("\"Riskli\""),
                slot("\"HighValue\""),
                slot("\"Platin\""),
                regular.list().ofMaxSize(2).map(rs -> "[" + String.join(",", rs) + "]"),
                slot("0.9"))
            .as(
                (age, churn, value, tier, regulars, extra) ->
                    "{\"ageSegment\":"
                        + age
                        + ",\"churnSegment\":"
                        + churn
                        + ",\"valueSegment\":"
                        + value
                        + ",\"loyaltyTier\":"
                        + tier
                        + ",\"missingRegulars\":"
                        + regulars
                        + ",\"confidence\":"
                        + extra
                        + "}");
    Arbitrary<String> wrapped =
        Combinators.combine(inner, Arbitraries.integers().between(0, 4))
            .as(
                (a, how) ->
                    switch (how) {
                      case 0 -> "{\"analysis\":" + a + "}";
                      case 1 -> a;
                      case 2 -> "{\"result\":" + quote("{\"analysis\":" + a + "}") + "}";
                      case 3 -> "Here is the analysis:\n```json\n{\"analysis\":" + a + "}\n```";
                      default -> "{\"analysis\":" + quote(a) + "}";
                    });
    return finish(
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, wrapped), net.jqwik.api.Tuple.of(1, value(3))));
  }

  /** Sometimes cut short, sometimes with trailing junk. */
  private static Arbitrary<String> finish(Arbitrary<String> doc) {
    return Combinators.combine(
            doc, Arbitraries.integers().between(0, 9), Arbitraries.doubles().between(0, 1))
        .as(
            (d, how, at) ->
                switch (how) {
                  case 0 -> d.substring(0, (int) (d.length() * at));
                  case 1 -> d + d;
                  default -> d;
                });
  }

  static String quote(String raw) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(raw)) + "\"";
  }
}
