package dev.opagent.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.opagent.agent.engine.HostileJson;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile template-library JSON (random structure, wrong types, deep nesting, 1e999999999, long
 * strings and keys, duplicate keys, NaN tokens, truncation) yields templates or problems within a
 * time bound — {@link TemplateReader#read} never hangs or throws.
 */
class TemplateReaderPropertyTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final List<String> KEYS =
      List.of(
          "name",
          "description",
          "templates",
          "id",
          "type",
          "target",
          "plan",
          "priority",
          "holdout_percentage",
          "prior",
          "economics",
          "tags",
          "actions",
          "offer",
          "discount",
          "expiry_days",
          "alpha",
          "beta",
          "average_order_value",
          "cost_per_contact",
          "fixed_cost",
          "channel",
          "delay_minutes",
          "delay",
          "$regex",
          "$in",
          "$not",
          "segments.churnSegment");
  private static final List<String> SCALARS =
      List.of(
          "\"CONVERSION\"",
          "\"RETENTION\"",
          "\"REPURCHASE\"",
          "\"WINBACK\"",
          "\"email\"",
          "0.15",
          "30",
          "\"t-1\"",
          "{}",
          "1e999999999",
          "-1e999999999",
          "1e-999999999",
          "\"high\"");

  @Provide
  Arbitrary<String> libraries() {
    Arbitrary<String> template =
        Arbitraries.of(KEYS)
            .flatMap(k -> HostileJson.value(KEYS, SCALARS, 3).map(v -> "\"" + k + "\": " + v))
            .list()
            .ofMaxSize(12)
            .map(ms -> "{" + String.join(", ", ms) + "}");
    return Arbitraries.oneOf(
        HostileJson.documents(KEYS, SCALARS, 4),
        template
            .list()
            .ofMaxSize(3)
            .map(ts -> "{\"name\": \"x\", \"templates\": [" + String.join(", ", ts) + "]}"),
        Arbitraries.of(SCALARS)
            .list()
            .ofMinSize(3)
            .ofMaxSize(3)
            .map(
                v ->
                    "{\"templates\": [{\"id\": \"t\", \"type\": \"WINBACK\", \"name\": \"n\","
                        + " \"target\": {}, \"plan\": {\"actions\": [{\"type\": \"send_email\","
                        + " \"channel\": \"email\"}], \"offer\": {\"discount\": "
                        + v.get(0)
                        + ", \"expiry_days\": 7}}, \"prior\": {\"alpha\": "
                        + v.get(1)
                        + ", \"beta\": 3}, \"economics\": {\"average_order_value\": "
                        + v.get(2)
                        + ", \"cost_per_contact\": "
                        + v.get(1)
                        + ", \"fixed_cost\": "
                        + v.get(0)
                        + "}}]}"));
  }

  private static String library(String aov, String cost) {
    return "{\"templates\": [{\"id\": \"t\", \"type\": \"WINBACK\", \"name\": \"n\","
        + " \"target\": {}, \"plan\": {\"actions\": [{\"type\": \"send_email\","
        + " \"channel\": \"email\"}]}, \"prior\": {\"alpha\": 1, \"beta\": 3},"
        + " \"economics\": {\"average_order_value\": "
        + aov
        + ", \"cost_per_contact\": "
        + cost
        + ", \"fixed_cost\": 0}}]}";
  }

  @Example
  void read_amountsBeyondDoubleRangeOrTheAmountLimit_areProblemsNotExceptions() {
    assertThat(TemplateReader.read(library("100", "0.5")).problems()).isEmpty();
    assertThat(TemplateReader.read(library("1e999999999", "0.5")).problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains(": /templates/0/economics/average_order_value:"));
    assertThat(TemplateReader.read(library("100", "-1e999999999")).problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains(": /templates/0/economics/cost_per_contact:"));
    assertThat(TemplateReader.read(library("1e13", "0.5")).problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("at most"));
  }

  @Example
  void read_documentBeyondTheReaderLimits_isOneProblem() {
    assertThat(TemplateReader.read("[".repeat(300) + "]".repeat(300)).problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("nesting"));
    assertThat(TemplateReader.read("{\"" + "k".repeat(1001) + "\": 1}").problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("key is longer"));
  }

  @Property(tries = 800)
  void read_hostileJson_yieldsTemplatesOrProblemsInTime(@ForAll("libraries") String json) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          TemplateReader.Result r = TemplateReader.read(json);
          assertThat(r.problems()).allSatisfy(p -> assertThat(p).isNotBlank());
        });
  }
}
