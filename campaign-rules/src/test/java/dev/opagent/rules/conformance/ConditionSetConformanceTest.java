package dev.opagent.rules.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.rules.attributes.JsonNodeAttributes;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.condition.Condition;
import dev.opagent.rules.condition.ConditionCompiler;
import dev.opagent.rules.condition.ConditionMode;
import dev.opagent.rules.condition.ConditionSet;
import dev.opagent.rules.spi.Attributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GrowthBook's {@code evalCondition} vectors through {@link ConditionSet}: every vector's condition
 * in one set (so paths are shared and string equalities indexed), evaluated against every vector's
 * attributes, agrees with each condition's own {@link Condition#test} and with the vector's
 * expected result.
 */
class ConditionSetConformanceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void test_allVectorsInOneSet_agreesWithEachConditionAndTheVectors() {
    JsonNode cases = ConformanceFile.load().get("evalCondition");
    List<Condition> conditions = new ArrayList<>();
    for (JsonNode c : cases) {
      ConditionCompiler.Builder b = ConditionCompiler.builder().mode(ConditionMode.LENIENT);
      if (c.size() > 4 && c.get(4).isObject()) {
        b.putSavedGroups(c.get(4));
      }
      conditions.add(b.build().compile(c.get(1)));
    }
    // Each condition four times over, so that every string equality keys an index.
    List<Condition> repeated = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      repeated.addAll(conditions);
    }
    Collections.shuffle(repeated, new java.util.Random(5));
    ConditionSet set = ConditionSet.of(repeated);
    BitSet matches = new BitSet();
    int checked = 0;
    for (int v = 0; v < cases.size(); v++) {
      JsonNode c = cases.get(v);
      Map<String, Object> asMap = MAPPER.convertValue(c.get(2), new TypeReference<>() {});
      for (Attributes a : List.of(JsonNodeAttributes.of(c.get(2)), MapAttributes.of(asMap))) {
        int count = set.test(a, matches);
        assertThat(count).isEqualTo(matches.cardinality());
        for (int i = 0; i < repeated.size(); i++) {
          assertThat(matches.get(i))
              .as(
                  "vector #%d (%s), condition %s over %s",
                  v, c.get(0).asText(), repeated.get(i).source(), a)
              .isEqualTo(repeated.get(i).test(a));
          checked++;
        }
        int own = repeated.indexOf(conditions.get(v));
        assertThat(matches.get(own))
            .as("vector #%d %s", v, c.get(0).asText())
            .isEqualTo(c.get(3).booleanValue());
      }
    }
    assertThat(checked).isEqualTo(2 * cases.size() * repeated.size());
  }
}
