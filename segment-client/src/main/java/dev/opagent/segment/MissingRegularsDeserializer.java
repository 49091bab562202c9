package dev.opagent.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
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
    List<MissingRegular> out = new ArrayList<>();
    JsonToken token = p.currentToken();
    if (token == JsonToken.START_ARRAY) {
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        out.add(item(p, ctxt, t));
      }
    } else if (token != JsonToken.VALUE_NULL) {
      out.add(item(p, ctxt, token));
    }
    return out;
  }

  private static MissingRegular item(JsonParser p, DeserializationContext ctxt, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return new MissingRegular(p.getText(), null, null, null, null, null);
    }
    if (t == JsonToken.START_OBJECT) {
      return ctxt.readValue(p, MissingRegular.class);
    }
    return ctxt.reportInputMismatch(
        MissingRegular.class, "missingRegulars entries must be objects or product ids");
  }

  @Override
  public List<MissingRegular> getNullValue(DeserializationContext ctxt) {
    return new ArrayList<>();
  }
}
