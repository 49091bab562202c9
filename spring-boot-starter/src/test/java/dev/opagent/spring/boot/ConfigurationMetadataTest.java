package dev.opagent.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration metadata IDEs complete opagent.* from, generated at compile time. */
class ConfigurationMetadataTest {
  private static final Path METADATA =
      Path.of("target/classes/META-INF/spring-configuration-metadata.json");

  @Test
  void generated_everyPropertyDescribed_andTheHintsMerged() throws Exception {
    assertThat(METADATA).exists();
    JsonNode doc = new ObjectMapper().readTree(Files.readString(METADATA));
    Map<String, JsonNode> properties = new HashMap<>();
    doc.get("properties").forEach(p -> properties.put(p.get("name").asText(), p));

    assertThat(properties)
        .containsKeys(
            "opagent.agent.runtime-arn",
            "opagent.agent.auth",
            "opagent.agent.circuit-breaker.failures",
            "opagent.rules.location",
            "opagent.store.url",
            "opagent.execution.channels");
    properties.forEach(
        (name, p) -> {
          if (name.startsWith("opagent.")) {
            assertThat(p.path("description").asText()).as(name).isNotBlank();
          }
        });
    assertThat(properties.get("opagent.rules.reload-interval").get("defaultValue").asText())
        .isEqualTo("30s");
    assertThat(doc.get("hints").findValuesAsText("name"))
        .contains("opagent.execution.channels", "opagent.consent.default-channels");
  }
}
