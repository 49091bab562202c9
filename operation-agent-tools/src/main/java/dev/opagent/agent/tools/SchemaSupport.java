package dev.opagent.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON Schema (draft 2020-12) compilation and validation with networknt's validator. Thread-safe:
 * compiled schemas are immutable and may validate concurrently.
 */
final class SchemaSupport {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .locale(Locale.ENGLISH)
          .build();
  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  private SchemaSupport() {}

  /**
   * Compiles a tool's input schema after checking it against the 2020-12 meta-schema and that its
   * root is an object schema (as Bedrock, OpenAI and MCP require).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static JsonSchema compile(String tool, JsonNode schema) {
    if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
      throw new IllegalArgumentException(
          "input schema of tool '"
              + tool
              + "' must be a JSON object schema with \"type\": \"object\"");
    }
    JsonSchema meta =
        FACTORY.getSchema(com.networknt.schema.SchemaLocation.of(META_SCHEMA), CONFIG);
    Set<ValidationMessage> problems = meta.validate(schema);
    if (!problems.isEmpty()) {
      List<String> messages = new ArrayList<>();
      problems.forEach(m -> messages.add(m.getMessage()));
      messages.sort(Comparator.naturalOrder());
      throw new IllegalArgumentException(
          "input schema of tool '"
              + tool
              + "' is not a valid JSON Schema: "
              + String.join("; ", messages));
    }
    return FACTORY.getSchema(schema, CONFIG);
  }

  /** Every problem of {@code arguments} against {@code schema}, in pointer order. */
  public static List<ArgumentProblem> validate(JsonSchema schema, JsonNode arguments) {
    Set<ValidationMessage> messages = schema.validate(arguments);
    List<ArgumentProblem> out = new ArrayList<>();
    for (ValidationMessage m : messages) {
      String location = m.getInstanceLocation().toString();
      String pointer = location;
      String keyword = m.getType() == null ? "schema" : m.getType();
      if (("required".equals(keyword)
              || "additionalProperties".equals(keyword)
              || "dependentRequired".equals(keyword))
          && m.getProperty() != null) {
        pointer = location + "/" + escape(m.getProperty());
      }
      out.add(new ArgumentProblem(pointer, keyword, text(m, location)));
    }
    out.sort(
        Comparator.comparing(ArgumentProblem::pointer)
            .thenComparing(ArgumentProblem::keyword)
            .thenComparing(ArgumentProblem::message));
    return out;
  }

  private static String text(ValidationMessage m, String location) {
    String message = m.getMessage();
    if (message.startsWith(location + ": ")) {
      message = message.substring(location.length() + 2);
    } else if (location.isEmpty() && message.startsWith(": ")) {
      message = message.substring(2);
    }
    return message;
  }

  /** RFC 6901 escaping of one reference token. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
