package dev.opagent.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/** Whatever a model sends, dispatch answers with a value and never throws. */
class ToolDispatchFuzzTest {
  record Args(String name, int count, @Nullable List<Double> weights) {}

  private static final ToolRegistry REGISTRY =
      ToolRegistry.create()
          .register(
              ToolDefinition.builder("typed", Args.class)
                  .description("A typed tool.")
                  .build(a -> a.count()));

  @Provide
  Arbitrary<String> argumentTexts() {
    Arbitrary<String> fragments =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"name\"",
            "\"count\"",
            "\"weights\"",
            "1",
            "-1",
            "1e999",
            "2147483648",
            "null",
            "true",
            "\"x\"",
            "3.5",
            " ",
            "\"\\u0000\"",
            "{}",
            "[]");
    return fragments.list().ofMaxSize(25).map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void dispatch_anyArgumentText_answersWithAValue(@ForAll("argumentTexts") String text) {
    ToolResult r = REGISTRY.dispatch("typed", text);

    assertThat(r).isNotNull();
    JsonNode json = r.toJson();
    assertThat(json.get("status").asText()).isIn("ok", "invalid_arguments", "failed");
    if (r instanceof ToolResult.Ok ok) {
      assertThat(ok.content().isInt()).isTrue();
    }
  }
}
