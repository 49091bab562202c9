package dev.opagent.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.attributes.CustomerView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Map;

/** Seed customers as the segment agent's wire JSON. */
final class Fixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final LocalDate AS_OF = LocalDate.of(2026, 3, 15);

  private Fixtures() {}

  /** Seed 000 test 2: C-1001, Ilık, P-2001 24 days overdue. */
  static JsonNode c1001() {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/c-1001.json")) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** C-1001 with its analysis fields overridden, under a new customer id. */
  static CustomerView customer(String id, Map<String, Object> analysis) {
    ObjectNode line = (ObjectNode) c1001();
    ((ObjectNode) line.get("customerData")).put("customerId", id);
    ObjectNode a = (ObjectNode) line.get("analysis");
    analysis.forEach((k, v) -> a.set(k, MAPPER.valueToTree(v)));
    return CustomerView.fromWire(line, AS_OF);
  }
}
