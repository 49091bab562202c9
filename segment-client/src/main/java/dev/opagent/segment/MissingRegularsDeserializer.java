package dev.opagent.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code missingRegulars} leniently, as an LLM agent may write it: a list of objects, a list
 * of product ids, a single object, or {@code null}.
 */
final class MissingRegularsDeserializer extends JsonDeserializer<List<MissingRegular>> {
  @Override
  public List<MissingRegular> deserialize(JsonParser p, DeserializationContext ctxt)
      throws IOException {
    JsonNode node = p.readValueAsTree();
    List<MissingRegular> out = new ArrayList<>();
    if (node == null || node.isNull() || node.isMissingNode()) {
      return out;
    }
    Iterable<JsonNode> items = node.isArray() ? node : List.of(node);
    for (JsonNode item : items) {
      if (item.isTextual()) {
        out.add(new MissingRegular(item.asText(), null, null, null, null, null));
      } else if (item.isObject()) {
        out.add(ctxt.readTreeAsValue(item, MissingRegular.class));
      } else {
        ctxt.reportInputMismatch(
            MissingRegular.class, "missingRegulars entries must be objects or product ids");
      }
    }
    return out;
  }

  @Override
  public List<MissingRegular> getNullValue(DeserializationContext ctxt) {
    return new ArrayList<>();
  }
}
