package dev.opagent.agent.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A typed tool with its name, description and JSON Schema for its arguments. Immutable and
 * thread-safe when its {@link Tool} is; the {@link Builder} is not.
 *
 * <p>The schema is either given (JSON, or a classpath resource next to the tool) or generated from
 * the argument record (see {@link Description}). Either way it is checked against the JSON Schema
 * 2020-12 meta-schema when the definition is built, and its root must be an object schema.
 *
 * <pre>{@code
 * record LookupArgs(@Description("The customer's id") String customerId) {}
 *
 * ToolDefinition<LookupArgs, Profile> lookup = ToolDefinition.builder("lookup_customer", LookupArgs.class)
 *     .description("Looks a customer up in the CRM by id.")
 *     .readOnly(true)
 *     .build(args -> crm.profile(args.customerId()));
 * }</pre>
 *
 * @param <A> argument type
 * @param <R> result type
 */
public final class ToolDefinition<A, R> {
  /** Names Bedrock, OpenAI and MCP all accept. */
  public static final Pattern NAME_PATTERN = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  private final String name;
  private final String description;
  private final Class<A> argumentType;
  private final ObjectNode inputSchema;
  private final JsonSchema compiled;
  private final boolean readOnly;
  private final Tool<A, R> tool;

  private ToolDefinition(Builder<A> b, Tool<A, R> tool) {
    this.name = b.name;
    this.description =
        Objects.requireNonNull(b.description, "tool '" + b.name + "' needs a description");
    this.argumentType = b.argumentType;
    ObjectNode schema =
        b.inputSchema != null ? b.inputSchema.deepCopy() : RecordSchemas.forRecord(b.argumentType);
    this.compiled = SchemaSupport.compile(name, schema);
    this.inputSchema = schema;
    this.readOnly = b.readOnly;
    this.tool = Objects.requireNonNull(tool, "tool");
  }

  /**
   * A builder of a tool named {@code name} whose arguments bind to {@code argumentType} (a record,
   * or {@link JsonNode} to receive the validated JSON as is).
   *
   * @throws IllegalArgumentException if the name does not match {@link #NAME_PATTERN}
   */
  public static <A> Builder<A> builder(String name, Class<A> argumentType) {
    return new Builder<>(name, argumentType);
  }

  /** The tool's name. */
  public String name() {
    return name;
  }

  /** What the tool does, for the model. */
  public String description() {
    return description;
  }

  /** The type arguments bind to. */
  public Class<A> argumentType() {
    return argumentType;
  }

  /** A copy of the JSON Schema of the arguments. */
  public ObjectNode inputSchema() {
    return inputSchema.deepCopy();
  }

  /** Whether the tool only reads (MCP's {@code readOnlyHint}). */
  public boolean readOnly() {
    return readOnly;
  }

  /** The implementation. */
  public Tool<A, R> tool() {
    return tool;
  }

  JsonSchema compiledSchema() {
    return compiled;
  }

  ObjectNode schemaView() {
    return inputSchema;
  }

  @Override
  public String toString() {
    return "ToolDefinition[" + name + "]";
  }

  /**
   * Builds a {@link ToolDefinition}. Not thread-safe.
   *
   * @param <A> argument type
   */
  public static final class Builder<A> {
    private final String name;
    private final Class<A> argumentType;
    private @Nullable String description;
    private @Nullable ObjectNode inputSchema;
    private boolean readOnly;

    private Builder(String name, Class<A> argumentType) {
      Objects.requireNonNull(name, "name");
      if (!NAME_PATTERN.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "tool name must match " + NAME_PATTERN + " but was '" + name + "'");
      }
      this.name = name;
      this.argumentType = Objects.requireNonNull(argumentType, "argumentType");
    }

    /** What the tool does and when to use it, for the model. Required. */
    public Builder<A> description(String description) {
      Objects.requireNonNull(description, "description");
      if (description.isBlank()) {
        throw new IllegalArgumentException("tool description must not be blank");
      }
      this.description = description;
      return this;
    }

    /**
     * The arguments' JSON Schema. Default: generated from the argument record. Give it when the
     * generated one is not precise enough (patterns, ranges, enums of strings, descriptions of
     * nested members).
     */
    public Builder<A> inputSchema(JsonNode schema) {
      if (!schema.isObject()) {
        throw new IllegalArgumentException("input schema must be a JSON object");
      }
      this.inputSchema = ((ObjectNode) schema).deepCopy();
      return this;
    }

    /** The arguments' JSON Schema as JSON text. */
    public Builder<A> inputSchema(String schemaJson) {
      try {
        return inputSchema(ToolJson.MAPPER.readTree(schemaJson));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("input schema of tool '" + name + "' is not JSON", e);
      }
    }

    /** The arguments' JSON Schema from a classpath resource, looked up with {@code loader}. */
    public Builder<A> inputSchemaResource(String resource, ClassLoader loader) {
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalArgumentException("schema resource not found: " + resource);
        }
        return inputSchema(ToolJson.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema resource " + resource, e);
      }
    }

    /** Whether the tool only reads. Default false. */
    public Builder<A> readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * The definition of {@code tool}.
     *
     * @throws IllegalArgumentException if the schema is invalid, not an object schema, or cannot be
     *     generated from the argument type
     * @throws NullPointerException if no description was given
     */
    public <R> ToolDefinition<A, R> build(Tool<A, R> tool) {
      return new ToolDefinition<>(this, tool);
    }
  }
}
