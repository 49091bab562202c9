package dev.opagent.mcp.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The SDK's {@link JsonSchemaValidator} on networknt's validator (draft 2020-12), the one the tool
 * registry validates arguments with. Thread-safe: compiled schemas are cached, at most {@value
 * #MAX_CACHED} of them.
 */
public final class SchemaValidator implements JsonSchemaValidator {
  private static final int MAX_CACHED = 256;
  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .locale(Locale.ENGLISH)
          .build();

  private final ObjectMapper mapper;
  private final Map<JsonNode, JsonSchema> compiled = new ConcurrentHashMap<>();

  /** A validator that reads structured content with {@code mapper}. */
  public SchemaValidator(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** A validator on {@link JacksonMcpJson#standard()}'s mapper. */
  public SchemaValidator() {
    this(JacksonMcpJson.standard().objectMapper());
  }

  @Override
  public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(structuredContent, "structuredContent");
    JsonNode content;
    try {
      content =
          structuredContent instanceof String s
              ? mapper.readTree(s)
              : mapper.valueToTree(structuredContent);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return ValidationResponse.asInvalid("structured content is not JSON");
    }
    Set<ValidationMessage> problems;
    try {
      problems = schema(mapper.valueToTree(schema)).validate(content);
    } catch (RuntimeException e) {
      return ValidationResponse.asInvalid(
          "the schema cannot be used: " + e.getClass().getSimpleName());
    }
    if (!problems.isEmpty()) {
      return ValidationResponse.asInvalid(
          "structured content does not match the schema: " + join(problems));
    }
    return ValidationResponse.asValid(content.toString());
  }

  @Override
  public ValidationResponse validateSchema(Map<String, Object> schema) {
    JsonNode node = mapper.valueToTree(schema);
    JsonNode declared = node.get("$schema");
    if (declared != null && !declared.asText().startsWith(META_SCHEMA)) {
      return ValidationResponse.asValid(null); // another dialect: not checked, as the SDK specifies
    }
    Set<ValidationMessage> problems =
        FACTORY.getSchema(SchemaLocation.of(META_SCHEMA), CONFIG).validate(node);
    return problems.isEmpty()
        ? ValidationResponse.asValid(null)
        : ValidationResponse.asInvalid(join(problems));
  }

  private JsonSchema schema(JsonNode schema) {
    JsonSchema s = compiled.get(schema);
    if (s != null) {
      return s;
    }
    s = FACTORY.getSchema(schema, CONFIG);
    if (compiled.size() >= MAX_CACHED) {
      compiled.clear();
    }
    compiled.put(schema, s);
    return s;
  }

  /** The problems' messages, which name schema locations and keywords but never repeat values. */
  private static String join(Set<ValidationMessage> problems) {
    return problems.stream()
        .map(m -> m.getInstanceLocation() + ": " + m.getType())
        .sorted(Comparator.naturalOrder())
        .collect(Collectors.joining("; "));
  }
}
