package dev.opagent.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.engine.ReasonCode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReasonLabelsTest {

  @Test
  void label_everyReasonCode_hasDistinctPlainWordsThatFitTheChartAxis() {
    Set<String> seen = new HashSet<>();
    for (ReasonCode code : ReasonCode.values()) {
      String label = ReasonLabels.label(code);
      assertThat(label).as(code.name()).isNotBlank().doesNotContain("_").isNotEqualTo(code.name());
      assertThat(label.length()).as(code.name()).isLessThanOrEqualTo(ReasonLabels.MAX_LABEL_LENGTH);
      assertThat(seen.add(label)).as("label of %s is unique", code).isTrue();
      assertThat(ReasonLabels.label(code.name())).isEqualTo(label);
    }
  }

  @Test
  void label_unknownCode_isKeptAsItIs() {
    assertThat(ReasonLabels.label("SOMETHING_NEW")).isEqualTo("SOMETHING_NEW");
  }
}
